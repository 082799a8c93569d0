# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_applications' main() against the in-process simulator: request budgets, check and diff mode, validation
before any write, exclusive, the production guard, pacing, and faults that must leave no duplicate and no lost app."""

from __future__ import annotations

import json
import math
import threading
import time

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _attributes, _policies
from ansible_collections.pingone.oidc.plugins.module_utils._access import AccessService
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError
from ansible_collections.pingone.oidc.plugins.modules import pingone_applications as module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

RSA_JWK = {'kty': 'RSA', 'kid': 'unit-key', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
           'n': 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyX'
                'ss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-l'
                'A_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDW'
                'FLN-aEAw3vRw'}
SYSTEM_APPS = 3  # every simulated environment has PingOne's three system applications
TOKEN = 'POST /{envId}/as/token'
LIST = 'GET /v1/environments/{envId}/applications'
POST = 'POST /v1/environments/{envId}/applications'
PUT = 'PUT /v1/environments/{envId}/applications/{appId}'
DELETE = 'DELETE /v1/environments/{envId}/applications/{appId}'
ENVIRONMENT = 'GET /v1/environments/{envId}'
FAST = 1000.0  # requests a second: pacing is tested on its own


def definitions(count, prefix='App', **options):
    return [dict(name='%s %03d' % (prefix, index), type='WORKER', **options) for index in range(count)]


def run(run_module, simulator, env, applications, check_mode=False, diff=False, **args):
    args.setdefault('max_requests_per_second', FAST)
    return run_module(module, dict(simulator.module_auth(), environment_id=env, applications=applications, **args), check_mode, diff)


def counted(simulator):
    """The requests since the counter was last zeroed, and zero it again."""
    stats = simulator.stats()
    simulator.control('DELETE', 'stats')
    return stats


def direct_service(simulator, env):
    """The application service on its own client: what another run, or the console, does behind the module's back."""
    config = ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                          client_id=simulator.client_id, client_secret=simulator.client_secret)
    return ApplicationsService(PingOneClient(config, sleep=lambda seconds: None), env)


def names_in(simulator, env):
    """Every name in the environment with how many applications have it (system applications left out)."""
    apps = [app for app in direct_service(simulator, env).list() if not app['type'].startswith('PING_ONE_')]
    found = {}
    for app in apps:
        found[app['name']] = found.get(app['name'], 0) + 1
    return found


@pytest.fixture
def env(simulator):
    return simulator.new_environment('fleet')


# -- the request budget ----------------------------------------------------------------------------------

@pytest.mark.parametrize('size', [10, 100])
def test_the_request_budget_with_paged_lists(paging_simulator, run_module, size):
    """Page size 2: a list of k applications is ceil(k/2) requests."""
    sim = paging_simulator
    env = sim.new_environment('budget')

    def pages(apps):
        return max(1, math.ceil(apps / 2))

    fleet = definitions(size)
    counted(sim)
    created, failed = run(run_module, sim, env, fleet)
    stats = counted(sim)
    assert not failed and created['counts'] == dict(created=size, updated=0, replaced=0, deleted=0, unchanged=0, granted=0, assigned=0,
                                                    mapped=0, policies_set=0)
    assert created['msg'].startswith("Created %d applications ('App 000', 'App 001', " % size)
    # create N: the token, one list, N POSTs, and ONE list after the creates to find twins of a concurrent run
    assert stats['by_route'] == {TOKEN: 1, LIST: pages(SYSTEM_APPS) + pages(SYSTEM_APPS + size), POST: size}
    assert stats['total'] == 1 + size + pages(SYSTEM_APPS) + pages(SYSTEM_APPS + size)

    again, failed = run(run_module, sim, env, fleet)
    stats = counted(sim)
    assert not failed and again['changed'] is False
    assert again['msg'] == "No change in environment '%s': %d applications up to date" % (env, size)
    # no change: the token and the list pages
    assert stats['by_route'] == {TOKEN: 1, LIST: pages(SYSTEM_APPS + size)}

    drifted = size // 10
    for item in fleet[:drifted]:
        item['description'] = 'drifted'
    updated, failed = run(run_module, sim, env, fleet)
    stats = counted(sim)
    assert not failed and updated['counts']['updated'] == drifted and updated['counts']['unchanged'] == size - drifted
    # 10% drift: exactly the drifted PUTs, the list and the token (no read after a PUT)
    assert stats['by_route'] == {TOKEN: 1, LIST: pages(SYSTEM_APPS + size), PUT: drifted}
    assert {name: entry['changed_options'] for name, entry in updated['applications'].items() if entry['action'] == 'update'} == {
        item['name']: ['description'] for item in fleet[:drifted]}


# -- results, check mode, diff mode ------------------------------------------------------------------------

def test_results_are_keyed_by_name_and_the_msg_counts(simulator, env, run_module):
    fleet = definitions(3) + [dict(name='Web', type='WEB_APP', redirect_uris=['https://web.example.com/cb'], enabled=True)]
    created, failed = run(run_module, simulator, env, fleet)
    assert not failed
    web = created['applications']['Web']
    assert web['action'] == 'create' and web['id'] == web['client_id'] and web['changed_options'] == ['enabled', 'redirect_uris']
    fleet[0]['description'] = 'new'
    fleet[1]['state'] = 'absent'
    result, failed = run(run_module, simulator, env, fleet + [dict(name='Never There', state='absent')])
    assert not failed and result['changed'] is True
    assert result['msg'] == ("Updated 1 application ('App 000'); deleted 1 application ('App 001'); 2 applications unchanged, "
                             "1 application already absent")
    assert result['counts'] == dict(created=0, updated=1, replaced=0, deleted=1, unchanged=3, granted=0, assigned=0, mapped=0, policies_set=0)
    assert result['applications']['App 001'] == dict(action='delete', changed_options=[], access_changes=[])
    assert result['applications']['Never There'] == dict(action='none', changed_options=[], access_changes=[])
    assert result['applications']['Web']['id'] == web['id']


def test_check_mode_writes_nothing_and_says_what_would_happen(simulator, env, run_module):
    run(run_module, simulator, env, definitions(2))
    counted(simulator)
    fleet = definitions(2) + definitions(3, prefix='New')
    fleet[0]['description'] = 'planned'
    fleet[1]['state'] = 'absent'
    result, failed = run(run_module, simulator, env, fleet, check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert result['msg'] == ("Would create 3 applications ('New 000', 'New 001', 'New 002'); would update 1 application ('App 000'); "
                             "would delete 1 application ('App 001')")
    assert 'id' not in result['applications']['New 000'] and result['applications']['App 000']['id']
    assert sorted(result['diff']['before']) == ['App 000', 'App 001']
    assert sorted(result['diff']['after']) == ['App 000', 'New 000', 'New 001', 'New 002']
    stats = counted(simulator)
    assert sorted(stats['by_route']) == [ENVIRONMENT, LIST, TOKEN]  # the delete is guarded: the environment is read
    assert names_in(simulator, env) == {'App 000': 1, 'App 001': 1}


def test_the_check_mode_diff_is_the_diff_of_the_real_run(simulator, env, run_module):
    run(run_module, simulator, env, [dict(name='Same', type='WEB_APP', redirect_uris=['https://s.example.com/cb'])])
    change = [dict(name='Same', description='new', pkce_enforcement='S256_REQUIRED')]
    planned, failed = run(run_module, simulator, env, change, check_mode=True, diff=True)
    assert not failed and planned['msg'] == "Would update 1 application ('Same')"
    done, failed = run(run_module, simulator, env, change, diff=True)
    assert not failed and planned['diff'] == done['diff']
    before, after = done['diff']['before']['Same'], done['diff']['after']['Same']
    assert {key for key in after if after.get(key) != before.get(key)} == {'description', 'pkceEnforcement'}


def test_the_diff_shows_jwks_by_kid_and_no_secret(simulator, env, run_module):
    run(run_module, simulator, env, [dict(name='Keys', type='WEB_APP', redirect_uris=['https://k.example.com/cb'])])
    result, failed = run(run_module, simulator, env, [dict(name='Keys', token_endpoint_auth_method='PRIVATE_KEY_JWT',
                                                           jwks={'keys': [RSA_JWK]})], diff=True)
    assert not failed and result['diff']['after']['Keys']['jwks'] == ['unit-key (RSA RS256)']
    assert RSA_JWK['n'] not in json.dumps(result['diff']) and simulator.client_secret not in json.dumps(result)


# -- validation before any write ---------------------------------------------------------------------------

def writes(stats):
    return {route: number for route, number in stats['by_route'].items() if route.split()[0] in ('PUT', 'DELETE') or route == POST}


def test_any_invalid_definition_fails_the_task_before_any_write(simulator, env, run_module):
    run(run_module, simulator, env, [dict(name='Existing', type='WORKER')])
    counted(simulator)
    result, failed = run(run_module, simulator, env, [
        dict(name='Fine', type='WORKER'),
        dict(name='Bad', type='WEB_APP', par_timeout=900, redirect_uris=['https://bad.example.com/cb#x']),
        dict(name='Keyless', type='WEB_APP', redirect_uris=['https://k.example.com/cb'], token_endpoint_auth_method='PRIVATE_KEY_JWT'),
        dict(name='Existing', description='fine too'),
        dict(name='Existing Typeless'),
    ])
    assert failed
    assert result['msg'].startswith("Invalid application definitions for environment '%s', nothing was written: " % env)
    for text in ("'Bad' (applications[1]): ", 'par_timeout must be between 1 and 600, got 900',
                 'redirect_uris: https://bad.example.com/cb#x must not contain a fragment (#)',
                 "'Keyless' (applications[2]): token_endpoint_auth_method PRIVATE_KEY_JWT needs the public keys: set jwks or jwks_url",
                 "'Existing Typeless' (applications[4]): type is required to create it"):
        assert text in result['msg']
    assert "'Fine'" not in result['msg'] and "'Existing'" not in result['msg']
    assert sorted(result['invalid_definitions']) == ['Bad', 'Existing Typeless', 'Keyless']
    assert writes(counted(simulator)) == {}
    assert names_in(simulator, env) == {'Existing': 1}


def test_duplicate_names_fail_before_any_request(simulator, env, run_module):
    counted(simulator)
    result, failed = run(run_module, simulator, env, [dict(name='Twin', type='WORKER'), dict(name='TWIN', type='WORKER')])
    assert failed and result['msg'] == ("applications: each name may be declared once (names compare ignoring case); declared more "
                                        "than once: 'Twin' (applications[0], applications[1])")
    assert counted(simulator)['total'] == 0


def test_a_private_jwk_is_refused_without_echoing_key_material(simulator, env, run_module):
    private = dict(RSA_JWK, d='PRIVATE-EXPONENT-VALUE')
    result, failed = run(run_module, simulator, env, [dict(name='Leaky', type='WEB_APP', redirect_uris=['https://l.example.com/cb'],
                                                           token_endpoint_auth_method='PRIVATE_KEY_JWT', jwks={'keys': [private]})])
    assert failed and 'holds private key members (d)' in result['msg']
    assert 'PRIVATE-EXPONENT-VALUE' not in json.dumps(result)


def test_jwks_and_jwks_url_are_alternatives_in_a_definition(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, [dict(name='Both', type='WEB_APP', jwks={'keys': [RSA_JWK]},
                                                           jwks_url='https://keys.example.com/jwks')])
    assert failed and 'mutually exclusive: jwks|jwks_url' in result['msg']


def test_a_type_change_needs_recreate_and_then_replaces(simulator, env, run_module):
    first, dummy = run(run_module, simulator, env, [dict(name='Shifty', type='WORKER')])
    result, failed = run(run_module, simulator, env, [dict(name='Shifty', type='WEB_APP')])
    assert failed and "its type cannot change to WEB_APP in place: set recreate_on_type_change" in result['msg']
    result, failed = run(run_module, simulator, env, [dict(name='Shifty', type='WEB_APP', recreate_on_type_change=True,
                                                           redirect_uris=['https://shifty.example.com/cb'])])
    assert not failed and result['msg'] == "Replaced 1 application ('Shifty')"
    assert result['applications']['Shifty']['id'] != first['applications']['Shifty']['id']
    assert names_in(simulator, env) == {'Shifty': 1}


# -- exclusive -------------------------------------------------------------------------------------------------

def test_exclusive_deletes_the_undeclared_applications_the_selector_selects(simulator, env, run_module):
    run(run_module, simulator, env, definitions(4, prefix='Team') + definitions(2, prefix='Other'))
    counted(simulator)
    result, failed = run(run_module, simulator, env, definitions(2, prefix='Team'), exclusive=True,
                         exclusive_selector=dict(name_prefix='team '))
    assert not failed and result['msg'] == "Deleted 2 applications ('Team 002', 'Team 003'); 2 applications unchanged"
    assert sorted(item['name'] for item in result['deleted_undeclared']) == ['Team 002', 'Team 003']
    assert names_in(simulator, env) == {'Team 000': 1, 'Team 001': 1, 'Other 000': 1, 'Other 001': 1}
    stats = counted(simulator)
    assert stats['by_route'][DELETE] == 2 and stats['by_route'][ENVIRONMENT] == 1
    # PingOne's own applications are never selected, whatever the prefix
    result, failed = run(run_module, simulator, env, [], exclusive=True, exclusive_selector=dict(name_prefix='PingOne'))
    assert not failed and result['changed'] is False
    result, failed = run(run_module, simulator, env, [], exclusive=True)
    assert failed and result['msg'].startswith('exclusive needs exclusive_selector')


# -- the production guard -------------------------------------------------------------------------------------

@pytest.fixture
def production(simulator):
    return simulator.control('POST', 'environments', json={'name': 'Live', 'type': 'PRODUCTION'})['id']


@pytest.mark.parametrize('deleting, left', [
    (dict(applications=[dict(name='Live 000', state='absent')]), {'Live 001': 1}),
    (dict(applications=[dict(name='Live 000', type='WEB_APP', recreate_on_type_change=True, redirect_uris=['https://l.example.com/cb'])]),
     {'Live 000': 1, 'Live 001': 1}),
    (dict(applications=[], exclusive=True, exclusive_selector=dict(name_prefix='Live')), {}),
], ids=['absent', 'recreate', 'exclusive'])
def test_deletes_in_production_need_the_allowance(simulator, production, run_module, monkeypatch, deleting, left):
    run(run_module, simulator, production, definitions(2, prefix='Live'))
    counted(simulator)
    args = dict(deleting)
    applications = args.pop('applications')
    for check_mode in (True, False):
        result, failed = run(run_module, simulator, production, applications, check_mode=check_mode, **args)
        assert failed and result['msg'].startswith("Environment '%s' is a PRODUCTION environment and this run would delete " % production)
        assert 'allow_production_deletes' in result['msg'] and 'PINGONE_ALLOW_PRODUCTION_DELETES=true' in result['msg']
        assert "'Live 000 (" in result['msg'] and 'Live 000' in [item['name'] for item in result['would_delete']]
    assert writes(counted(simulator)) == {}
    monkeypatch.setenv('PINGONE_ALLOW_PRODUCTION_DELETES', 'true')
    result, failed = run(run_module, simulator, production, applications, **args)
    assert not failed and result['changed'] is True
    assert names_in(simulator, production) == left


def test_the_option_allows_production_deletes_and_a_run_without_delete_never_reads_the_environment(simulator, production, run_module):
    run(run_module, simulator, production, definitions(2, prefix='Live'))
    counted(simulator)
    result, failed = run(run_module, simulator, production, definitions(2, prefix='Live', description='changed'))
    assert not failed and ENVIRONMENT not in counted(simulator)['by_route']
    result, failed = run(run_module, simulator, production, [dict(name='Live 000', state='absent')], allow_production_deletes=True)
    assert not failed and result['counts']['deleted'] == 1
    assert ENVIRONMENT not in counted(simulator)['by_route']  # allowed: no need to know the type


# -- the worker pool and pacing ---------------------------------------------------------------------------------

def test_writes_run_in_a_bounded_pool(simulator, env, run_module, monkeypatch):
    original = ApplicationsService.create
    lock = threading.Lock()
    state = dict(now=0, most=0)

    def slow_create(self, body):
        with lock:
            state['now'] += 1
            state['most'] = max(state['most'], state['now'])
        time.sleep(0.05)
        try:
            return original(self, body)
        finally:
            with lock:
                state['now'] -= 1

    monkeypatch.setattr(ApplicationsService, 'create', slow_create)
    result, failed = run(run_module, simulator, env, definitions(12), concurrency=3)
    assert not failed and result['counts']['created'] == 12
    assert state['most'] == 3


def test_every_request_stays_under_the_rate(simulator, env, run_module):
    counted(simulator)
    started = time.monotonic()
    result, failed = run(run_module, simulator, env, definitions(6), concurrency=4, max_requests_per_second=20)
    elapsed = time.monotonic() - started
    total = counted(simulator)['total']
    assert not failed and total == 1 + 1 + 6 + 1
    assert elapsed >= (total - 1) / 20.0 - 0.02


# -- faults: no duplicate and no lost application -----------------------------------------------------------------

FAULTS = {
    '429 with Retry-After': dict(action='status', status=429, retry_after='1', count=2),
    '503': dict(action='status', status=503, count=2),
    'commit then drop': dict(action='commit_then_drop', count=1),
    'delay past the timeout': dict(action='delay', delay=2, count=1),
}


@pytest.mark.parametrize('fault', sorted(FAULTS))
def test_faults_on_creates_leave_each_application_once(simulator, env, run_module, fault):
    simulator.control('POST', 'faults', json=dict(FAULTS[fault], method='POST', path_regex='/applications$'))
    fleet = definitions(6)
    result, failed = run(run_module, simulator, env, fleet, pingone_timeout=1)
    assert not failed, result['msg']
    assert result['counts']['created'] == 6
    time.sleep(1.5 if fault.startswith('delay') else 0)  # anything still held has landed now
    assert names_in(simulator, env) == {item['name']: 1 for item in fleet}
    ids = {entry['id'] for entry in result['applications'].values()}
    assert len(ids) == 6 and ids == {app['id'] for app in direct_service(simulator, env).list() if app['name'].startswith('App')}
    if fault in ('commit then drop', 'delay past the timeout'):
        assert 'found by name' in json.dumps(warning_texts(result))
    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['changed'] is False


@pytest.mark.parametrize('fault', sorted(FAULTS))
def test_faults_on_updates_land_each_change_once(simulator, env, run_module, fault):
    fleet = definitions(4)
    run(run_module, simulator, env, fleet)
    counted(simulator)
    simulator.control('POST', 'faults', json=dict(FAULTS[fault], method='PUT', path_regex='/applications/'))
    for item in fleet:
        item['description'] = 'after the fault'
    result, failed = run(run_module, simulator, env, fleet, pingone_timeout=1)
    assert not failed, result['msg']
    assert result['counts']['updated'] == 4
    time.sleep(1.5 if fault.startswith('delay') else 0)
    apps = [app for app in direct_service(simulator, env).list() if app['name'].startswith('App')]
    assert len(apps) == 4 and {app.get('description') for app in apps} == {'after the fault'}
    puts = counted(simulator)['by_route'][PUT]
    assert puts == 4 + (FAULTS[fault]['count'] if fault in ('429 with Retry-After', '503') else 0)


@pytest.mark.parametrize('other_first', [True, False])
def test_a_twin_created_by_a_concurrent_run_converges_on_the_oldest_with_one_list(simulator, env, run_module, monkeypatch, other_first):
    other_run = direct_service(simulator, env)
    original = ApplicationsService.create
    made = {}

    def racing_create(self, body):
        if body['name'] == 'App 001' and other_first:
            made['theirs'] = original(other_run, dict(body))[0]
        mine = original(self, body)
        if body['name'] == 'App 001':
            made['mine'] = mine[0]
            if not other_first:
                made['theirs'] = original(other_run, dict(body))[0]
        return mine

    monkeypatch.setattr(ApplicationsService, 'create', racing_create)
    counted(simulator)
    result, failed = run(run_module, simulator, env, definitions(3))
    assert not failed
    stats = counted(simulator)
    assert stats['by_route'][LIST] == 2  # the list before, and ONE after every create
    kept = min(made.values(), key=lambda app: (app['createdAt'], app['id']))
    assert result['applications']['App 001']['id'] == kept['id']
    assert 'Another run created application' in json.dumps(warning_texts(result))
    remaining = [app['id'] for app in direct_service(simulator, env).find_by_name('App 001')]
    # this run deleted its own copy when it was the newer one; the other run deletes its copy the same way
    assert kept['id'] in remaining and (made['mine']['id'] in remaining) == (made['mine']['id'] == kept['id'])


def test_a_failed_write_stops_new_writes_and_reports_what_was_done(simulator, env, run_module):
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'count': 1, 'method': 'POST',
                                              'path_regex': '/applications$'})
    result, failed = run(run_module, simulator, env, definitions(4), concurrency=1)
    assert failed and result['changed'] is False
    assert result['msg'].startswith("1 of 4 changes failed in environment '%s': 'App 000' (create): "
                                    "Creating application 'App 000' in environment '%s' failed: HTTP 400" % (env, env))
    assert result['msg'].endswith('; 3 changes not started after the first failure; done: nothing')
    assert result['applications']['App 003']['error'] == 'not started after the first failure'
    assert names_in(simulator, env) == {}
    retried, failed = run(run_module, simulator, env, definitions(4))
    assert not failed and retried['counts']['created'] == 4


def test_a_failed_list_after_the_creates_fails_the_task_and_reports_the_creates(simulator, env, run_module, monkeypatch):
    original = ApplicationsService.list
    calls = []

    def list_then_fail(self):
        calls.append(self)
        if len(calls) == 2:
            raise PingOneApiError("Listing applications of environment '%s'" % env, 503, 'UNAVAILABLE', 'try later')
        return original(self)

    monkeypatch.setattr(ApplicationsService, 'list', list_then_fail)
    result, failed = run(run_module, simulator, env, definitions(2))
    assert failed and result['changed'] is True
    assert result['msg'] == ("Every change in environment '%s' was made; the list after the creates, which finds twins made by a "
                             "concurrent run, failed: Listing applications of environment '%s' failed: HTTP 503 UNAVAILABLE: try later; "
                             "done: created 2" % (env, env))
    assert result['counts']['created'] == 2 and result['applications']['App 001']['id']


def test_a_failed_run_still_reports_its_warnings(simulator, env, run_module):
    for fault in ({'action': 'commit_then_drop', 'count': 1}, {'action': 'status', 'status': 400, 'count': 1}):
        simulator.control('POST', 'faults', json=dict(fault, method='POST', path_regex='/applications$'))
    result, failed = run(run_module, simulator, env, definitions(3), concurrency=1)
    assert failed and result['changed'] is True and result['msg'].endswith('; done: created 1')
    assert result['msg'].startswith("1 of 3 changes failed in environment '%s': 'App 001' (create): " % env)
    assert [text for text in warning_texts(result) if 'found by name' in text] == warning_texts(result)
    assert len(warning_texts(result)) == 1
    assert names_in(simulator, env) == {'App 000': 1}


def test_exclusive_never_deletes_the_worker_the_task_authenticates_as(simulator, run_module):
    args = dict(simulator.module_auth(), applications=[{'name': 'Unit Other', 'type': 'WORKER'}], exclusive=True,
                exclusive_selector={'name_prefix': 'Unit'})
    planned, failed = run_module(module, args, check_mode=True)
    assert not failed and planned['deleted_undeclared'] == [], planned['msg']
    done, failed = run_module(module, args)
    assert not failed and done['deleted_undeclared'] == [] and done['counts']['created'] == 1
    refused, failed = run_module(module, dict(simulator.module_auth(), applications=[{'name': 'Unit Worker', 'state': 'absent'}]))
    assert failed and 'is the worker this task authenticates as (pingone_client_id)' in refused['msg']


def test_a_replace_whose_create_fails_reports_the_deleted_application(simulator, env, run_module):
    first, dummy = run(run_module, simulator, env, [{'name': 'R', 'type': 'WORKER'}])
    old_id = first['applications']['R']['id']
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'method': 'POST', 'path_regex': '/applications$'})
    replacement = {'name': 'R', 'type': 'WEB_APP', 'recreate_on_type_change': True, 'redirect_uris': ['https://r.example.com/cb']}
    result, failed = run(run_module, simulator, env, [replacement])
    assert failed and result['changed'] is True and result['applications']['R']['deleted_id'] == old_id
    assert "deleted and not created again: 'R' (old ID %s)" % old_id in result['msg']


# -- grants and role assignments in a definition ---------------------------------------------------------------

GRANTS = 'GET /v1/environments/{envId}/applications/{appId}/grants'
ASSIGNMENTS = 'GET /v1/environments/{envId}/applications/{appId}/roleAssignments'
RESOURCES = 'GET /v1/environments/{envId}/resources'
SCOPES = 'GET /v1/environments/{envId}/resources/{resourceId}/scopes'
ROLES = 'GET /v1/roles'
GRANT_POST = 'POST /v1/environments/{envId}/applications/{appId}/grants'
GRANT_PUT = 'PUT /v1/environments/{envId}/applications/{appId}/grants/{grantId}'
ASSIGN = 'POST /v1/environments/{envId}/applications/{appId}/roleAssignments'


@pytest.fixture
def orders_api(simulator, env):
    """A custom resource with three scopes, made directly (as pingone_resource would)."""
    svc = AccessService(direct_service(simulator, env).client, env)
    resource = svc.create_resource('Orders API', audience='https://orders.example.com')
    for name in ('orders:read', 'orders:write', 'orders:admin'):
        svc.create_scope(resource['id'], name)
    return svc


def held(svc, app_id):
    grants = {(grant['resource']['id'], tuple(sorted(scope['id'] for scope in grant['scopes']))) for grant in svc.list_grants(app_id)}
    roles = {(item['role']['id'], item['scope']['type'], item['scope']['id']) for item in svc.list_role_assignments(app_id)}
    return grants, roles


def with_access(count=3, scopes=('orders:read',), roles=('Identity Data Read Only',)):
    return [dict(item, assign_actor_roles=False, grants=[dict(resource='orders api', scopes=list(scopes))],
                 roles=[dict(role=role) for role in roles]) for item in definitions(count, 'Svc')]


def test_grants_and_roles_converge_with_one_read_per_kind_per_application(simulator, env, run_module, orders_api):
    fleet = with_access()
    counted(simulator)
    result, failed = run(run_module, simulator, env, fleet)
    assert not failed, result['msg']
    stats = counted(simulator)['by_route']
    # created applications hold nothing yet: no read of their grants or roles, one POST per grant and per role
    assert stats.get(GRANTS, 0) == 0 and stats.get(ASSIGNMENTS, 0) == 0
    assert stats[GRANT_POST] == 3 and stats[ASSIGN] == 3 and stats[RESOURCES] == 1 and stats[SCOPES] == 1 and stats[ROLES] == 1
    assert result['counts']['granted'] == 3 and result['counts']['assigned'] == 3
    assert "granted scopes to 3 applications ('Svc 000', 'Svc 001', 'Svc 002')" in result['msg']
    entry = result['applications']['Svc 001']
    assert entry['access_changes'] == ["grant resource 'Orders API': +orders:read",
                                       "assign role 'Identity Data Read Only' at ENVIRONMENT scope '%s'" % env]
    read_only = next(role for role in orders_api.list_roles() if role['name'] == 'Identity Data Read Only')
    # assign_actor_roles false: the new worker holds only the role it was given
    assert held(orders_api, entry['id'])[1] == {(read_only['id'], 'ENVIRONMENT', env)}
    counted(simulator)

    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['changed'] is False and again['msg'].startswith('No change')
    stats = counted(simulator)['by_route']
    assert stats[GRANTS] == 3 and stats[ASSIGNMENTS] == 3 and GRANT_POST not in stats and GRANT_PUT not in stats and ASSIGN not in stats


def test_a_grant_gains_scopes_and_keeps_others_unless_exclusive(simulator, env, run_module, orders_api):
    run(run_module, simulator, env, with_access(1, scopes=('orders:read', 'orders:admin'), roles=()))
    counted(simulator)
    fleet = with_access(1, scopes=('orders:write',), roles=())
    result, failed = run(run_module, simulator, env, fleet, check_mode=True)
    assert not failed and result['msg'].startswith("Would grant scopes to 1 application ('Svc 000')")
    assert result['applications']['Svc 000']['access_changes'] == ["grant resource 'Orders API': +orders:write"]
    assert GRANT_PUT not in counted(simulator)['by_route']

    result, failed = run(run_module, simulator, env, fleet)
    assert not failed and result['changed'] and counted(simulator)['by_route'][GRANT_PUT] == 1
    fleet[0]['grants'][0]['exclusive'] = True
    result, failed = run(run_module, simulator, env, fleet)
    assert result['applications']['Svc 000']['access_changes'] == ["grant resource 'Orders API': -orders:read, -orders:admin"]
    app_id = result['applications']['Svc 000']['id']
    scopes = {scope['id']: scope['name'] for scope in orders_api.list_scopes(orders_api.list_resources()[-1]['id'])}
    assert [scopes.get(scope_id) for grant in orders_api.list_grants(app_id) for scope_id, in
            [(scope['id'],) for scope in grant['scopes']]] == ['orders:write']


def test_unknown_resources_scopes_and_roles_fail_before_any_write_naming_the_option(simulator, env, run_module, orders_api):
    fleet = with_access(2)
    fleet[0]['grants'][0]['scopes'] = ['orders:read', 'orders:nope']
    fleet[1]['roles'][0]['role'] = 'Supreme Leader'
    counted(simulator)
    result, failed = run(run_module, simulator, env, fleet)
    assert failed and result['msg'].startswith('Invalid grants or roles, nothing was written')
    assert "'Svc 000' (applications[0].grants[0].scopes): " in result['msg'] and 'orders:nope' in result['msg']
    assert "'Svc 001' (applications[1].roles[0].role): Role 'Supreme Leader' does not exist" in result['msg']
    assert writes(counted(simulator)) == {}


def test_roles_are_for_workers_and_holdings_for_present_applications(simulator, env, run_module):
    web = dict(name='Web', type='WEB_APP', redirect_uris=['https://w.example.com/cb'], roles=[dict(role='Environment Admin')])
    result, failed = run(run_module, simulator, env, [web, dict(name='Gone', state='absent', grants=[dict(resource='openid', scopes=['email'])])])
    assert failed and 'roles: only WORKER applications hold roles' in result['msg']
    assert 'grants apply to state present only' in result['msg']


@pytest.mark.parametrize('fault', ['commit then drop', 'delay past the timeout', '503'])
def test_faults_on_grants_and_roles_land_each_once(simulator, env, run_module, orders_api, fault):
    fleet = with_access(3)
    simulator.control('POST', 'faults', json=dict(FAULTS[fault], method='POST', path_regex='/(grants|roleAssignments)$'))
    result, failed = run(run_module, simulator, env, fleet, pingone_timeout=1)
    assert not failed, result['msg']
    time.sleep(1.5 if fault.startswith('delay') else 0)
    for name, entry in result['applications'].items():
        grants, roles = held(orders_api, entry['id'])
        assert len(grants) == 1 and len(roles) == 1, name
    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['changed'] is False


# -- attribute mappings and sign-on policies in a definition ------------------------------------------------------

MAPPINGS = 'GET /v1/environments/{envId}/applications/{appId}/attributes'
MAPPING_POST = 'POST /v1/environments/{envId}/applications/{appId}/attributes'
MAPPING_PUT = 'PUT /v1/environments/{envId}/applications/{appId}/attributes/{attrMappingId}'
MAPPING_DELETE = 'DELETE /v1/environments/{envId}/applications/{appId}/attributes/{attrMappingId}'
SIGN_ON_POLICIES = 'GET /v1/environments/{envId}/signOnPolicies'
POLICY_ASSIGNMENTS = 'GET /v1/environments/{envId}/applications/{appId}/signOnPolicyAssignments'
POLICY_POST = 'POST /v1/environments/{envId}/applications/{appId}/signOnPolicyAssignments'
POLICY_PUT = 'PUT /v1/environments/{envId}/applications/{appId}/signOnPolicyAssignments/{signOnPolicyAssignmentId}'


def held_writes(stats):
    """Every write but the token request."""
    return {route: number for route, number in stats['by_route'].items() if route.split()[0] != 'GET' and route != TOKEN}


@pytest.fixture
def policies(simulator, env):
    """The environment's sign-on policies by name: PingOne's default Single_Factor and a Multi_Factor made directly."""
    svc = _policies.PoliciesService(direct_service(simulator, env).client, env)
    svc.client.request('POST', 'environments/%s/signOnPolicies' % env, 'Seeding', json_body={'name': 'Multi_Factor'}, expected=(201,))
    return svc


def signed_on(svc, app_id):
    """Names of the application's sign-on policies in priority order, and its mappings by name."""
    names = {policy['id']: policy['name'] for policy in svc.list_policies(_policies.SIGN_ON)}
    order = [names[item['policy_id']] for item in svc.read_state(app_id)[_policies.SIGN_ON.key]]
    mappings = _attributes.AttributeMappingService(svc.client, svc.environment_id).list_mappings(app_id)
    return order, {mapping['name']: mapping['value'] for mapping in mappings}


def with_claims(count=3, policy_names=('Multi_Factor', 'Single_Factor'), **options):
    return [dict(item, attribute_mappings=[dict(name='email', value='${user.email}', required=True), dict(name='sub', value='${user.email}')],
                 sign_on_policies=list(policy_names), **options) for item in definitions(count, 'Web')]


def test_mappings_and_sign_on_policies_converge_with_one_read_per_kind_per_application(simulator, env, run_module, policies):
    fleet = with_claims()
    counted(simulator)
    planned, failed = run(run_module, simulator, env, fleet, check_mode=True)
    assert not failed and planned['msg'].startswith("Would create 3 applications")
    assert "would update attribute mappings of 3 applications" in planned['msg']
    assert "would set sign-on policies of 3 applications ('Web 000', 'Web 001', 'Web 002')" in planned['msg']
    assert planned['applications']['Web 000']['access_changes'] == [
        "update attribute mapping 'sub': value", "add attribute mapping 'email'",
        "assign sign-on policy 'Multi_Factor' at priority 1", "assign sign-on policy 'Single_Factor' at priority 2"]
    assert held_writes(counted(simulator)) == {}

    result, failed = run(run_module, simulator, env, fleet)
    assert not failed, result['msg']
    assert result['counts']['mapped'] == 3 and result['counts']['policies_set'] == 3
    assert result['applications']['Web 001']['changed_options'][-2:] == ['attribute_mappings', 'sign_on_policies']
    stats = counted(simulator)['by_route']
    # a new application is read for its CORE mapping (sub is declared), never for its policies (it has none)
    assert stats[MAPPINGS] == 3 and stats.get(POLICY_ASSIGNMENTS, 0) == 0 and stats[SIGN_ON_POLICIES] == 1
    assert stats[MAPPING_PUT] == 3 and stats[MAPPING_POST] == 3 and stats[POLICY_POST] == 6
    order, claims = signed_on(policies, result['applications']['Web 002']['id'])
    assert order == ['Multi_Factor', 'Single_Factor'] and claims == {'sub': '${user.email}', 'email': '${user.email}'}
    counted(simulator)

    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['changed'] is False
    stats = counted(simulator)['by_route']
    assert stats[MAPPINGS] == 3 and stats[POLICY_ASSIGNMENTS] == 3 and held_writes(dict(by_route=stats)) == {}


def test_a_reorder_keeps_undeclared_policies_and_exclusive_mappings_keep_sub(simulator, env, run_module, policies):
    run(run_module, simulator, env, with_claims(1))
    fleet = with_claims(1, policy_names=('Single_Factor',))
    fleet[0]['attribute_mappings'] = [dict(name='email', value='${user.email}')]
    fleet[0]['attribute_mappings_exclusive'] = True
    result, failed = run(run_module, simulator, env, fleet)
    assert not failed, result['msg']
    assert result['applications']['Web 000']['access_changes'] == [
        "update sign-on policy 'Single_Factor' from priority 2 to 1", "update sign-on policy 'Multi_Factor' from priority 1 to 2"]
    assert signed_on(policies, result['applications']['Web 000']['id'])[0] == ['Single_Factor', 'Multi_Factor']
    fleet[0]['attribute_mappings'] = [dict(name='name', value='${user.name.given}')]
    result, failed = run(run_module, simulator, env, fleet)
    assert result['applications']['Web 000']['access_changes'] == ["remove attribute mapping 'email'", "add attribute mapping 'name'"]
    assert signed_on(policies, result['applications']['Web 000']['id'])[1] == {'sub': '${user.email}', 'name': '${user.name.given}'}


def test_bad_mappings_and_unknown_policies_fail_before_any_write_naming_the_option(simulator, env, run_module, policies):
    fleet = with_claims(2)
    fleet[1]['attribute_mappings'][0]['value'] = '${user.email'
    counted(simulator)
    result, failed = run(run_module, simulator, env, fleet)
    assert failed and result['msg'] == 'applications[1].attribute_mappings[0].value has an expression ${ without its closing }'
    assert counted(simulator)['total'] == 0
    fleet = with_claims(2)
    fleet[1]['sign_on_policies'] = ['Multi_Factor', 'Nope']
    result, failed = run(run_module, simulator, env, fleet)
    assert failed and result['msg'].startswith("Invalid sign-on policies, nothing was written: 'Web 001' (applications[1].sign_on_policies): "
                                               "'Nope' is not a sign-on policy of environment")
    assert held_writes(counted(simulator)) == {}
    gone = dict(name='Gone', state='absent', attribute_mappings=[dict(name='email', value='${user.email}')])
    result, failed = run(run_module, simulator, env, [gone])
    assert failed and 'attribute_mappings apply to state present only' in result['msg']


@pytest.mark.parametrize('fault', ['commit then drop', 'delay past the timeout', '503'])
def test_faults_on_mappings_and_policy_assignments_land_each_once(simulator, env, run_module, policies, fault):
    fleet = with_claims(2)
    simulator.control('POST', 'faults', json=dict(FAULTS[fault], method='POST', path_regex='/(attributes|signOnPolicyAssignments)$'))
    result, failed = run(run_module, simulator, env, fleet, pingone_timeout=1)
    assert not failed, result['msg']
    time.sleep(1.5 if fault.startswith('delay') else 0)
    for name, entry in result['applications'].items():
        order, claims = signed_on(policies, entry['id'])
        assert order == ['Multi_Factor', 'Single_Factor'] and set(claims) == {'sub', 'email'}, name
    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['changed'] is False


def test_a_role_refused_while_the_workers_roles_propagate_is_tried_again(simulator, env, run_module, orders_api):
    simulator.control('POST', 'faults', json=dict(action='status', status=403, count=2, method='POST', path_regex='/roleAssignments$'))
    fleet = [dict(name='Svc', type='WORKER', assign_actor_roles=False, roles=[dict(role='Identity Data Admin')])]
    result, failed = run(run_module, simulator, env, fleet)
    assert not failed, result['msg']
    assert len(held(orders_api, result['applications']['Svc']['id'])[1]) == 1


@pytest.mark.parametrize('declared, expected', [
    (dict(grants=[dict(resource='Orders API', scopes=['orders:read']), dict(resource='orders api', scopes=['orders:write'])]),
     "'Svc' (applications[0].grants[1].resource): resource 'Orders API' is already declared in applications[0].grants[0]"),
    (dict(roles=[dict(role='Identity Data Admin'), dict(role='identity data admin')]),
     "'Svc' (applications[0].roles[1].role): role 'Identity Data Admin' at ENVIRONMENT scope"),
    (dict(grants=[dict(resource='Orders API', scopes=[], exclusive=True)]),
     'applications[0].grants[0].scopes must list at least one scope'),
    (dict(roles=[dict(role='Identity Data Admin', scope_type='POPULATION')]),
     'applications[0].roles[0].scope_id is required with scope_type POPULATION'),
])
def test_what_an_application_holds_is_declared_once_and_whole_before_any_write(simulator, env, run_module, orders_api, declared, expected):
    counted(simulator)
    result, failed = run(run_module, simulator, env, [dict(name='Svc', type='WORKER', assign_actor_roles=False, **declared)])
    assert failed and expected in result['msg'] and writes(counted(simulator)) == {}
    assert result['msg'].count('(') == result['msg'].count(')')


def test_a_twin_kept_from_another_run_is_read_not_taken_for_new(simulator, env, run_module, orders_api, monkeypatch):
    """The other run made 'Svc' first and granted it a scope: this run keeps that twin and adds only what is missing."""
    other = direct_service(simulator, env)
    resource = orders_api.list_resources()[-1]
    write_scope = next(scope for scope in orders_api.list_scopes(resource['id']) if scope['name'] == 'orders:write')
    original = ApplicationsService.create

    def racing_create(self, body):
        theirs = original(other, dict(body))[0]
        AccessService(other.client, env).create_grant(theirs['id'], resource['id'], [write_scope['id']])
        return original(self, body)

    monkeypatch.setattr(ApplicationsService, 'create', racing_create)
    fleet = [dict(name='Svc', type='WORKER', assign_actor_roles=False, grants=[dict(resource='Orders API', scopes=['orders:read'])])]
    result, failed = run(run_module, simulator, env, fleet)
    assert not failed, result['msg']
    assert result['applications']['Svc']['access_changes'] == ["grant resource 'Orders API': +orders:read"]
    assert len(held(orders_api, result['applications']['Svc']['id'])[0]) == 1


def test_holdings_not_applied_after_a_failure_are_named(simulator, env, run_module, orders_api):
    fleet = [dict(name='Svc %d' % index, type='WORKER', assign_actor_roles=False,
                  grants=[dict(resource='Orders API', scopes=['orders:read'])]) for index in range(3)]
    simulator.control('POST', 'faults', json=dict(action='status', status=400, count=1, method='POST', path_regex='/grants$'))
    result, failed = run(run_module, simulator, env, fleet, concurrency=1)
    assert failed and result['changed']
    assert 'the grants of 2 applications not applied after the first failure' in result['msg']
    assert [entry.get('error') is not None for entry in result['applications'].values()] == [True, True, True]
    again, failed = run(run_module, simulator, env, fleet)
    assert not failed and again['counts']['granted'] == 3
