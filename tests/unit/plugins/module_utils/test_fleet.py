# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet of applications: pure checks, the plan, the production guard, pacing and the writes (recorded replies)."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.module_utils import _fleet as fleet
from ansible_collections.pingone.oidc.plugins.module_utils import _subresources as subresources
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as single
from ansible_collections.pingone.oidc.tests.unit.plugins.module_utils.fakes import FakeClock, FakeResponse, FakeSession, p1_error

ENV = 'env-1'
PORTAL = {'id': 'p1', 'name': 'PingOne Application Portal', 'type': 'PING_ONE_PORTAL', 'protocol': 'OPENID_CONNECT'}
WORKER = {'id': 'w1', 'name': 'Worker', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True,
          'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'createdAt': '2026-01-01T00:00:00Z'}
SAML = {'id': 's1', 'name': 'Saml', 'type': 'WEB_APP', 'protocol': 'SAML'}


def definition(name, **options):
    """One element of ``applications`` as Ansible hands it over: every suboption present, unset ones None."""
    item = {option: spec.get('default') for option, spec in fleet.definition_argument_spec().items()}
    item.update(name=name, **options)
    return item


def params(*definitions, **options):
    values = dict(applications=list(definitions), concurrency=4, max_requests_per_second=10.0, exclusive=False,
                  exclusive_selector=None, allow_production_deletes=False)
    values.update(options)
    return values


# -- one schema ---------------------------------------------------------------------------------------

def test_a_definition_takes_the_options_of_pingone_application_with_the_name_required():
    """The fleet and the single-application module share one schema: only the options that locate one application
    (environment_id, application_id) are not part of a definition, and a definition needs its name. It adds what the
    application holds (grants, roles), which the single-application module leaves to modules of their own."""
    # icon uploads a local file: resolved per application, which the fleet does not do (it refuses the option)
    expected = {option: spec for option, spec in single.OPTIONS.items() if option not in ('environment_id', 'application_id', 'icon')}
    expected['name'] = dict(expected['name'], required=True)
    expected.update(subresources.argument_spec())
    assert fleet.definition_argument_spec() == expected


# -- pure checks ----------------------------------------------------------------------------------------

def test_duplicate_names_ignoring_case_are_one_error_naming_them():
    with pytest.raises(PingOneOptionError) as info:
        fleet.check_definitions(params(definition('Orders'), definition('Web'), definition('orders'), definition('WEB'),
                                       definition('Other')))
    assert str(info.value) == ("applications: each name may be declared once (names compare ignoring case); declared more than "
                               "once: 'Orders' (applications[0], applications[2]); 'Web' (applications[1], applications[3])")


@pytest.mark.parametrize('options, message', [
    (dict(concurrency=0), 'concurrency must be between 1 and 16, got 0'),
    (dict(concurrency=17), 'concurrency must be between 1 and 16, got 17'),
    (dict(max_requests_per_second=0.0), 'max_requests_per_second must be positive, got 0.0'),
    (dict(exclusive=True), 'exclusive needs exclusive_selector with a name_prefix or a tag'),
    (dict(exclusive=True, exclusive_selector={'name_prefix': '', 'tag': None}), 'exclusive needs exclusive_selector'),
])
def test_option_checks_name_the_option(options, message):
    with pytest.raises(PingOneOptionError, match='^' + message):
        fleet.check_definitions(params(definition('A'), **options))


def test_an_empty_name_is_named_by_its_place():
    with pytest.raises(PingOneOptionError, match=r'^applications\[1\].name must not be empty$'):
        fleet.check_definitions(params(definition('A'), definition(' ')))


def test_the_selector_matches_a_prefix_ignoring_case_and_a_tag():
    tagged = dict(WORKER, name='Team-A sync', tags=['PING_FED_CONNECTION_INTEGRATION'])
    assert fleet.selected(tagged, {'name_prefix': 'team-a '})
    assert fleet.selected(tagged, {'tag': 'PING_FED_CONNECTION_INTEGRATION'})
    assert fleet.selected(tagged, {'name_prefix': 'TEAM-A', 'tag': 'PING_FED_CONNECTION_INTEGRATION'})
    assert not fleet.selected(dict(tagged, tags=[]), {'name_prefix': 'team-a', 'tag': 'PING_FED_CONNECTION_INTEGRATION'})
    assert not fleet.selected(tagged, {'name_prefix': 'team-b'})


# -- the plan --------------------------------------------------------------------------------------------

def test_the_plan_creates_the_missing_updates_the_drifted_and_leaves_the_rest():
    steps = fleet.plan([definition('New', type='WEB_APP', redirect_uris=['https://n.example.com/cb']),
                        definition('worker', enabled=True),
                        definition('Worker2', type='WORKER', state='absent'),
                        definition('WORKER3', description='now described')],
                       [PORTAL, WORKER, dict(WORKER, id='w3', name='Worker3')], ENV)
    assert [(step.name, step.action) for step in steps] == [('New', 'create'), ('worker', 'none'), ('Worker2', 'none'),
                                                            ('WORKER3', 'update')]
    assert steps[0].body['responseTypes'] == ['CODE'] and steps[0].body['name'] == 'New'
    assert steps[3].changed == ['description'] and steps[3].body['name'] == 'Worker3'  # found by name: never renamed


def test_every_invalid_definition_is_named_in_one_error():
    with pytest.raises(PingOneOptionError) as info:
        fleet.plan([definition('Fine', type='WORKER'),
                    definition('Bad', type='WEB_APP', par_timeout=900, redirect_uris=['https://b.example.com/cb#x']),
                    definition('Typeless'),
                    definition('Worker', type='WEB_APP'),
                    definition('PingOne Application Portal', description='mine now'),
                    definition('Saml', description='x')],
                   [PORTAL, WORKER, SAML], ENV)
    message = str(info.value)
    assert message.startswith("Invalid application definitions for environment 'env-1', nothing was written: 'Bad' (applications[1]): ")
    for text in ('redirect_uris: https://b.example.com/cb#x must not contain a fragment (#); par_timeout must be between 1 and 600',
                 "'Typeless' (applications[2]): type is required to create it",
                 "'Worker' (applications[3]): it is a WORKER application (w1); its type cannot change to WEB_APP in place: set "
                 "recreate_on_type_change",
                 "'PingOne Application Portal' (applications[4]): it is PingOne's own PING_ONE_PORTAL application (p1)",
                 "'Saml' (applications[5]): it is a SAML application (s1), not an OpenID Connect one"):
        assert text in message
    assert 'Fine' not in message and '\n' not in message
    assert sorted(info.value.result['invalid_definitions']) == ['Bad', 'PingOne Application Portal', 'Saml', 'Typeless', 'Worker']


def test_a_shared_name_in_the_environment_is_an_invalid_definition():
    with pytest.raises(PingOneOptionError, match=r"'Worker' \(applications\[0\]\): 2 applications have this name \(IDs w1, w2\)"):
        fleet.plan([definition('Worker', description='x')], [WORKER, dict(WORKER, id='w2', name='WORKER')], ENV)


def test_a_type_change_is_a_replace_when_asked():
    steps = fleet.plan([definition('Worker', type='WEB_APP', recreate_on_type_change=True, redirect_uris=['https://w.example.com/cb'])],
                       [WORKER], ENV)
    assert steps[0].action == 'replace' and steps[0].deletes and steps[0].body['type'] == 'WEB_APP'


def test_exclusive_deletes_only_what_the_selector_selects_and_never_system_or_other_protocols():
    apps = [PORTAL, WORKER, dict(WORKER, id='w2', name='Team Old'), dict(WORKER, id='w3', name='Other Old'),
            dict(SAML, name='Team Saml'), dict(PORTAL, id='p2', name='Team Portal')]
    steps = fleet.plan([definition('worker')], apps, ENV, exclusive=True, selector={'name_prefix': 'team '})
    assert [(step.name, step.action, step.declared) for step in steps] == [('worker', 'none', True), ('Team Old', 'delete', False)]


# -- the production guard --------------------------------------------------------------------------------

def client(*script):
    session = FakeSession(*script)
    return PingOneClient(ClientConfig(access_token='given-token', api_url='https://api.example.com/v1'), session=session,
                         sleep=lambda seconds: None), session


def test_the_environment_is_read_only_when_a_delete_is_planned():
    api, session = client()
    fleet.DeleteGuard(api, ENV, allowed=False).check([fleet.Step('A', 'create'), fleet.Step('B', 'update'), fleet.Step('C', 'none')])
    assert session.calls == []


def test_deletes_in_production_need_the_allowance():
    doomed = [fleet.Step('Old', 'delete', current=dict(WORKER, name='Old')), fleet.Step('Shifty', 'replace', current=WORKER)]
    api, session = client(FakeResponse(200, {'id': ENV, 'type': 'PRODUCTION'}))
    with pytest.raises(PingOneOptionError) as info:
        fleet.DeleteGuard(api, ENV, allowed=False).check(doomed)
    assert str(info.value) == (
        "Environment 'env-1' is a PRODUCTION environment and this run would delete 2 applications ('Old (delete)', "
        "'Shifty (replace)'); nothing was written. Set allow_production_deletes to true, or the environment variable "
        "PINGONE_ALLOW_PRODUCTION_DELETES=true, to allow deletes there (state absent, exclusive, recreate_on_type_change)")
    assert [call['url'] for call in session.calls] == ['https://api.example.com/v1/environments/env-1']
    api, session = client(FakeResponse(200, {'id': ENV, 'type': 'SANDBOX'}))
    fleet.DeleteGuard(api, ENV, allowed=False).check(doomed)
    api, session = client()
    fleet.DeleteGuard(api, ENV, allowed=True).check(doomed)  # allowed: no need to read the environment
    assert session.calls == []


# -- pacing ------------------------------------------------------------------------------------------------

def test_the_limiter_spaces_requests_and_a_pause_holds_everyone_back():
    clock = FakeClock()
    limiter = fleet.RateLimiter(4.0, clock=clock, sleep=clock.sleep)
    for dummy in range(5):
        limiter.acquire()
    assert clock.sleeps == [0.25, 0.25, 0.25, 0.25] and clock.now == 1001.0
    limiter.pause(3.0)
    limiter.acquire()
    assert clock.now == 1004.0
    limiter.pause(10000)
    limiter.acquire()
    assert clock.now == 1004.0 + fleet.MAX_PAUSE


def test_the_limiter_holds_across_threads():
    limiter = fleet.RateLimiter(50.0)
    stamps = []

    def work():
        for dummy in range(5):
            limiter.acquire()
            stamps.append(time.monotonic())

    threads = [threading.Thread(target=work) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    # 20 requests at 50 a second: at least 19 intervals of 20 ms (a little slack for the clock)
    assert stamps[-1] - stamps[0] >= 19 * 0.02 - 0.01


def test_a_paced_session_waits_for_the_limiter_and_a_429_pauses_it(monkeypatch):
    replies = [FakeResponse(429, {'code': 'REQUEST_LIMITED'}, {'Retry-After': '7'}), FakeResponse(200, {})]
    monkeypatch.setattr(requests.Session, 'request', lambda self, method, url, **kwargs: replies.pop(0))
    clock = FakeClock()
    session = fleet.PacedSession(fleet.RateLimiter(1000.0, clock=clock, sleep=clock.sleep))
    assert session.request('GET', 'https://api.example.com/v1/x').status_code == 429
    assert session.throttled == 1
    session.request('GET', 'https://api.example.com/v1/x')
    assert clock.sleeps == [7.0]


# -- the writes ------------------------------------------------------------------------------------------

def writer_for(*script):
    api, session = client(*script)
    return fleet.FleetWriter(ApplicationsService(api, ENV), concurrency=1), session


def created(app_id, name, stamp):
    return dict(WORKER, id=app_id, name=name, createdAt=stamp)


def test_one_list_after_the_creates_keeps_the_oldest_twin():
    steps = fleet.plan([definition('A', type='WORKER'), definition('B', type='WORKER')], [PORTAL], ENV)
    mine_a, mine_b = created('a-mine', 'A', '2026-01-02T00:00:00Z'), created('b-mine', 'B', '2026-01-02T00:00:00Z')
    theirs_a = created('a-theirs', 'A', '2026-01-01T00:00:00Z')
    writer, session = writer_for(FakeResponse(201, mine_a), FakeResponse(201, mine_b),
                                 FakeResponse(200, {'_embedded': {'applications': [PORTAL, theirs_a, mine_a, mine_b]}}),
                                 FakeResponse(204))
    assert writer.run(steps) == []
    assert [(call['method'], call['url'].rsplit('/', 1)[-1]) for call in session.calls] == [
        ('POST', 'applications'), ('POST', 'applications'), ('GET', 'applications'), ('DELETE', 'a-mine')]
    assert steps[0].after['id'] == 'a-theirs' and steps[1].after['id'] == 'b-mine'
    assert writer.warnings == ["Another run created application 'A' at the same time; this run's copy (a-mine) was deleted and "
                               "the older one (a-theirs) kept"]


def test_after_the_first_failure_no_new_write_starts():
    steps = fleet.plan([definition('A', type='WORKER'), definition('B', type='WORKER'), definition('C', type='WORKER')], [], ENV)
    writer, session = writer_for(FakeResponse(201, created('a', 'A', '2026-01-01T00:00:00Z')),
                                 p1_error(400, 'INVALID_DATA', 'refused'),
                                 FakeResponse(200, {'_embedded': {'applications': [created('a', 'A', '2026-01-01T00:00:00Z')]}}))
    failed = writer.run(steps)
    assert [step.name for step in failed] == ['B'] and 'HTTP 400 INVALID_DATA' in str(failed[0].error)
    assert [(step.done, step.error is None) for step in steps] == [(True, True), (False, False), (False, True)]
    assert [call['method'] for call in session.calls] == ['POST', 'POST', 'GET']  # the twin check still covers A


def test_a_failed_list_after_the_creates_is_kept_for_the_report():
    steps = fleet.plan([definition('A', type='WORKER')], [], ENV)
    writer, session = writer_for(FakeResponse(201, created('a', 'A', '2026-01-01T00:00:00Z')), p1_error(403, 'ACCESS_FAILED', 'no'))
    assert writer.run(steps) == [] and steps[0].done
    assert 'HTTP 403 ACCESS_FAILED' in str(writer.twin_error)
