# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_role_assignment's main() against the in-process simulator."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.module_utils import _access, _client
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_role_assignment as module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

ROUTE = 'POST /v1/environments/{envId}/applications/{appId}/roleAssignments'
DELETE_ROUTE = 'DELETE /v1/environments/{envId}/applications/{appId}/roleAssignments/{roleAssignmentId}'


APPS = (
    ('RA Worker', {'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['CLIENT_CREDENTIALS'],
                   'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}),
    ('RA Web', {'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['AUTHORIZATION_CODE'],
                'responseTypes': ['CODE'], 'redirectUris': ['https://ra.example.com/cb'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}),
)


@pytest.fixture
def env(simulator):
    """An environment with a worker and a web application, made straight through the API."""
    env_id = simulator.new_environment('roles')
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret))
    for name, body in APPS:
        client.request('POST', 'environments/%s/applications' % env_id, 'Creating', json_body=dict(body, name=name), expected=(201,))
    return env_id


def run(run_module, simulator, env, check_mode=False, diff=False, **args):
    args.setdefault('name', 'RA Worker')
    return run_module(module, dict(simulator.module_auth(), environment_id=env, **args), check_mode, diff)


def client_for(simulator):
    return PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                      client_id=simulator.client_id, client_secret=simulator.client_secret))


def app_id_of(simulator, env, name='RA Worker'):
    apps = client_for(simulator).request('GET', 'environments/%s/applications' % env, 'Listing').body['_embedded']['applications']
    return next(app['id'] for app in apps if app['name'] == name)


def writes(simulator):
    by_route = simulator.stats()['by_route']
    return by_route.get(ROUTE, 0) + by_route.get(DELETE_ROUTE, 0)


def assignments(simulator, env, app_id):
    token = requests.post('%s/%s/as/token' % (simulator.url, simulator.environment_id), data={'grant_type': 'client_credentials'},
                          auth=(simulator.client_id, simulator.client_secret), timeout=10).json()['access_token']
    url = '%s/environments/%s/applications/%s/roleAssignments' % (simulator.api_url, env, app_id)
    return requests.get(url, headers={'Authorization': 'Bearer ' + token}, timeout=10).json()['_embedded']['roleAssignments']


def test_assign_idempotently_then_remove(simulator, env, run_module):
    planned, failed = run(run_module, simulator, env, role='identity data admin', check_mode=True, diff=True)
    assert not failed and planned['changed'] is True and 'role_assignment' not in planned
    assert planned['diff']['before']['assigned'] is False and planned['diff']['after']['assigned'] is True
    assert writes(simulator) == 0
    first, failed = run(run_module, simulator, env, role='identity data admin', diff=True)
    assert not failed and first['changed'] is True, first
    assert first['role']['name'] == 'Identity Data Admin' and first['scope'] == {'type': 'ENVIRONMENT', 'id': env}
    assert first['role_assignment']['role'] == {'id': first['role']['id']} and first['role_assignment']['readOnly'] is False
    assert 'read_only' not in first['role_assignment']
    assert '_links' not in first['role_assignment']
    assert first['msg'] == "Assigned role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker'" % env
    stored = assignments(simulator, env, first['application_id'])
    assert [(a['role']['id'], a['scope']) for a in stored] == [(first['role']['id'], {'id': env, 'type': 'ENVIRONMENT'})]
    again, failed = run(run_module, simulator, env, role=first['role']['id'])
    assert not failed and again['changed'] is False and again['role_assignment']['id'] == first['role_assignment']['id']
    assert again['msg'] == "Application 'RA Worker' already has role 'Identity Data Admin' at ENVIRONMENT scope '%s'" % env
    assert writes(simulator) == 1
    second_role, failed = run(run_module, simulator, env, role='Client Application Developer')
    assert not failed and second_role['changed'] is True
    assert len(assignments(simulator, env, first['application_id'])) == 2
    plan_removal, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent', check_mode=True, diff=True)
    assert not failed and plan_removal['changed'] is True and plan_removal['diff']['before']['assigned'] is True
    assert len(assignments(simulator, env, first['application_id'])) == 2
    removed, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent')
    assert not failed and removed['changed'] is True and 'role_assignment' not in removed
    assert removed['msg'] == "Removed role 'Identity Data Admin' at ENVIRONMENT scope '%s' from application 'RA Worker'" % env
    remaining = assignments(simulator, env, first['application_id'])
    assert [a['role']['id'] for a in remaining] == [second_role['role']['id']]
    gone, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent')
    assert not failed and gone['changed'] is False
    assert gone['msg'] == "Application 'RA Worker' does not have role 'Identity Data Admin' at ENVIRONMENT scope '%s'" % env


def test_check_mode_words_the_plan_and_writes_nothing(simulator, env, run_module):
    planned, failed = run(run_module, simulator, env, role='Identity Data Admin', check_mode=True)
    assert not failed and planned['changed'] is True and 'role_assignment' not in planned
    assert planned['msg'] == "Would assign role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker'" % env
    assert writes(simulator) == 0 and assignments(simulator, env, planned['application_id']) == []
    run(run_module, simulator, env, role='Identity Data Admin')
    planned, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent', check_mode=True)
    assert not failed and planned['changed'] is True
    assert planned['msg'] == "Would remove role 'Identity Data Admin' at ENVIRONMENT scope '%s' from application 'RA Worker'" % env
    assert writes(simulator) == 1 and len(assignments(simulator, env, planned['application_id'])) == 1


def test_a_read_only_assignment_is_refused_even_in_check_mode(simulator, env, run_module):
    """PingOne marks an assignment the caller may not delete with ``readOnly`` (the spec's name); planted here as
    PingOne would hold it, through the simulator's control API."""
    app_id = app_id_of(simulator, env)
    role_id = _access.AccessService(client_for(simulator), env).resolve_role('Identity Data Admin')['id']
    planted = simulator.control('POST', 'environments/%s/applications/%s/roleAssignments' % (env, app_id),
                                json={'role': {'id': role_id}, 'scope': {'id': env, 'type': 'ENVIRONMENT'}, 'readOnly': True})
    assert planted['readOnly'] is True
    for check_mode in (True, False):
        refused, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent', check_mode=check_mode)
        assert failed and refused['msg'] == (
            "The assignment of role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker' is read only "
            "(PingOne does not let the connecting worker delete it) and cannot be removed" % env)
        assert refused['application_id'] == app_id and refused['role']['id'] == role_id
    assert writes(simulator) == 0 and [a['id'] for a in assignments(simulator, env, app_id)] == [planted['id']]
    present, failed = run(run_module, simulator, env, role='Identity Data Admin')
    assert not failed and present['changed'] is False and present['role_assignment']['readOnly'] is True


def test_organization_scope_defaults_to_the_environments_organization(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, role='Environment Admin', scope_type='ORGANIZATION')
    assert not failed and result['changed'] and result['scope']['type'] == 'ORGANIZATION'
    organization = requests.get('%s/environments/%s' % (simulator.api_url, env), timeout=10,
                                headers={'Authorization': 'Bearer ' + requests.post(
                                    '%s/%s/as/token' % (simulator.url, simulator.environment_id), data={'grant_type': 'client_credentials'},
                                    auth=(simulator.client_id, simulator.client_secret), timeout=10).json()['access_token']}).json()['organization']
    assert result['scope']['id'] == organization['id']
    again, failed = run(run_module, simulator, env, role='Environment Admin', scope_type='ORGANIZATION', scope_id=organization['id'])
    assert not failed and again['changed'] is False


def test_bad_input_fails_with_one_line_naming_the_option(simulator, env, run_module):
    cases = [
        (dict(role='Super Admin'), "Role 'Super Admin' does not exist; known roles: "),
        (dict(role='Client Application Developer', scope_type='ORGANIZATION'),
         "scope_type ORGANIZATION is not allowed for role 'Client Application Developer'; it can be assigned at ENVIRONMENT scope"),
        (dict(role='Identity Data Admin', scope_type='POPULATION'), 'scope_id is required with scope_type=POPULATION (the ID of the population)'),
        (dict(role='Identity Data Admin', name='RA Web'),
         "Application 'RA Web' is a WEB_APP application; roles can be assigned to WORKER applications only"),
        (dict(role='Identity Data Admin', name='Nobody'),
         "Application 'Nobody' does not exist in environment '%s'; create it first with pingone.oidc.pingone_application" % env),
        (dict(role='Identity Data Admin', propagation_timeout=-1), 'propagation_timeout must not be negative, got -1'),
        (dict(role='Identity Data Admin', scope_type='TENANT'), 'scope_type'),
    ]
    for args, text in cases:
        result, failed = run(run_module, simulator, env, **args)
        assert failed and text in result['msg'] and '\n' not in result['msg'], (args, result['msg'])
    assert writes(simulator) == 0
    assert simulator.client_secret not in str(result)


def test_propagation_refusals_are_retried_then_explained(simulator, env, run_module, monkeypatch):
    sleeps = []
    monkeypatch.setattr('time.sleep', sleeps.append)
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 403, 'count': 2, 'method': 'POST',
                                              'path_regex': '/roleAssignments$'})
    result, failed = run(run_module, simulator, env, role='Identity Data Admin', propagation_timeout=30)
    assert not failed and result['changed'] is True and sleeps[:2] == [2.0, 4.0]
    assert simulator.stats()['by_route'][ROUTE] == 3
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 403, 'count': 50, 'method': 'POST',
                                              'path_regex': '/roleAssignments$'})
    refused, failed = run(run_module, simulator, env, role='Client Application Developer', propagation_timeout=0)
    assert failed and refused['status_code'] == 403 and refused['code']
    assert refused['msg'].startswith("Cannot assign role 'Client Application Developer' at ENVIRONMENT scope '%s' to application 'RA Worker': " % env)
    assert "must itself hold role 'Client Application Developer' at the same or a broader scope" in refused['msg']
    assert 'tried 1 time(s)' in refused['msg'] and '\n' not in refused['msg']


# -- IDs never walk the URL path ------------------------------------------------------------------------------------------


def test_a_dot_segment_scope_id_is_refused_before_any_request(simulator, env, run_module):
    before = simulator.stats()['total']
    result, failed = run(run_module, simulator, env, role='Identity Data Admin', scope_type='POPULATION', scope_id='..')
    assert failed and result['msg'] == 'scope_id is not an ID (empty or a dot segment)'
    assert simulator.stats()['total'] == before


# -- two runs at once: the second POST meets the first run's assignment ---------------------------------------------------


def params(**args):
    """Every option of the module with its default, then ``args`` (what ``ensure`` gets as ctx.params)."""
    values = {name: spec.get('default') for name, spec in module.OPTIONS.items()}
    values.update(args)
    return values


def test_an_assignment_made_by_another_run_meanwhile_is_accepted(simulator, env, run_module, monkeypatch):
    app_id = app_id_of(simulator, env)
    real = _access.AccessService.find_role_assignment
    reads = []

    def find_role_assignment(self, application_id, role_id, scope_type, scope_id):
        reads.append(role_id)
        if len(reads) == 1:  # another run assigns the role right after this run's first read
            _access.AccessService(client_for(simulator), env).create_role_assignment(application_id, role_id, scope_type, scope_id)
            return None
        return real(self, application_id, role_id, scope_type, scope_id)

    monkeypatch.setattr(_access.AccessService, 'find_role_assignment', find_role_assignment)
    result, failed = run(run_module, simulator, env, role='Identity Data Admin', diff=True)
    assert not failed and result['changed'] is False, result
    assert result['msg'] == "Application 'RA Worker' already has role 'Identity Data Admin' at ENVIRONMENT scope '%s'" % env
    assert warning_texts(result) == ["Another run assigned role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker' at "
                                     "the same time; this run found that assignment and left it as it is" % env]
    assert result['diff']['before']['assigned'] is True and result['diff']['after']['assigned'] is True
    stored = assignments(simulator, env, app_id)
    assert len(stored) == 1 and result['role_assignment']['id'] == stored[0]['id'] and len(reads) == 2
    assert simulator.stats()['by_route'][ROUTE] == 2  # the other run's POST and this run's, refused as a duplicate


def test_two_runs_at_once_end_with_one_assignment(simulator, env, monkeypatch):
    """Both threads read "not assigned" (a barrier holds each after its first read until the other has read too), both
    POST; PingOne takes one and refuses the other with "May not assign duplicate Role", which reads again and accepts it."""
    app_id = app_id_of(simulator, env)
    real = _access.AccessService.find_role_assignment
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()

    def find_role_assignment(self, *args):
        found = real(self, *args)
        if not getattr(local, 'read', False):
            local.read = True
            barrier.wait()
        return found

    monkeypatch.setattr(_access.AccessService, 'find_role_assignment', find_role_assignment)
    outcomes = []

    def one_run():
        ctx = SimpleNamespace(params=params(name='RA Worker', role='Identity Data Admin'), check_mode=False, diff_mode=False,
                              client=client_for(simulator), environment_id=env)
        try:
            outcomes.append(module.ensure(ctx))
        except Exception as exc:  # pylint: disable=broad-except
            outcomes.append(exc)

    threads = [threading.Thread(target=one_run) for dummy in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.undo()
    assert all(not isinstance(item, Exception) for item in outcomes), outcomes
    assert sorted(item.changed for item in outcomes) == [False, True]
    loser = next(item for item in outcomes if not item.changed)
    assert loser.warnings[0].startswith("Another run assigned role 'Identity Data Admin'")
    assert simulator.stats()['by_route'][ROUTE] == 2
    stored = assignments(simulator, env, app_id)
    assert len(stored) == 1 and {item.values['role_assignment']['id'] for item in outcomes} == {stored[0]['id']}


# -- lost replies ---------------------------------------------------------------------------------------------------------


def test_an_assignment_whose_reply_is_lost_is_found_on_reading_again(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/roleAssignments$'})
    result, failed = run(run_module, simulator, env, role='Identity Data Admin')
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to assign role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker' had "
                                     "no clear outcome (no reply, or HTTP 500/502/504); reading the assignments again showed it in place" % env]
    assert simulator.stats()['by_route'][ROUTE] == 1
    assert [a['id'] for a in assignments(simulator, env, app_id)] == [result['role_assignment']['id']]


def test_an_assignment_that_never_arrived_is_sent_once_more(simulator, env, run_module, monkeypatch):
    app_id = app_id_of(simulator, env)
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'method': 'POST', 'path_regex': '/roleAssignments$'})
    result, failed = run(run_module, simulator, env, role='Identity Data Admin')
    assert not failed and result['changed'] is True, result
    assert warning_texts(result)[0].endswith('had no clear outcome and the assignment did not show when read again; the request was sent once more')
    assert simulator.stats()['by_route'][ROUTE] == 2
    assert len(assignments(simulator, env, app_id)) == 1
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 2, 'method': 'POST',
                                              'path_regex': '/roleAssignments$'})
    refused, failed = run(run_module, simulator, env, role='Client Application Developer')
    assert failed and refused['status_code'] == 502 and '\n' not in refused['msg']
    assert simulator.stats()['by_route'][ROUTE] == 4 and len(assignments(simulator, env, app_id)) == 1


# -- APPLICATION scope ------------------------------------------------------------------------------------------------------


def test_application_scope_by_name_then_by_id_then_absent_twice(simulator, env, run_module):
    web_id = app_id_of(simulator, env, 'RA Web')
    owner = dict(role='Application Owner', scope_type='APPLICATION')
    planned, failed = run(run_module, simulator, env, scope_name='ra web', check_mode=True, diff=True, **owner)
    assert not failed and planned['changed'] is True and 'role_assignment' not in planned
    assert planned['msg'] == "Would assign role 'Application Owner' at APPLICATION scope '%s' to application 'RA Worker'" % web_id
    assert planned['scope'] == {'type': 'APPLICATION', 'id': web_id, 'name': 'RA Web'}
    assert planned['diff']['before']['assigned'] is False and planned['diff']['after']['assigned'] is True
    assert writes(simulator) == 0
    made, failed = run(run_module, simulator, env, scope_name='RA Web', **owner)
    assert not failed and made['changed'] is True and made['role_assignment']['scope'] == {'id': web_id, 'type': 'APPLICATION'}
    assert made['role']['applicable_to'] == ['APPLICATION']
    again, failed = run(run_module, simulator, env, scope_id=web_id, **owner)
    assert not failed and again['changed'] is False and again['role_assignment']['id'] == made['role_assignment']['id']
    assert again['msg'] == "Application 'RA Worker' already has role 'Application Owner' at APPLICATION scope '%s'" % web_id
    assert writes(simulator) == 1
    gone, failed = run(run_module, simulator, env, scope_name='RA Web', state='absent', **owner)
    assert not failed and gone['changed'] is True
    assert gone['msg'] == "Removed role 'Application Owner' at APPLICATION scope '%s' from application 'RA Worker'" % web_id
    gone_again, failed = run(run_module, simulator, env, scope_name='RA Web', state='absent', **owner)
    assert not failed and gone_again['changed'] is False and writes(simulator) == 2
    assert assignments(simulator, env, made['application_id']) == []


def test_application_scope_is_checked_before_any_write(simulator, env, run_module):
    cases = [
        (dict(scope_type='APPLICATION', scope_name='Nobody'), "scope_name: no application is named 'Nobody' in environment '%s'" % env),
        (dict(scope_type='APPLICATION', scope_id='0f0f0f0f-0000-4000-8000-000000000000'),
         "scope_id: no application has the ID '0f0f0f0f-0000-4000-8000-000000000000' in environment '%s'" % env),
        (dict(scope_type='APPLICATION'), 'scope_id or scope_name is required with scope_type=APPLICATION'),
        (dict(scope_type='ENVIRONMENT'),
         "scope_type ENVIRONMENT is not allowed for role 'Application Owner'; it can be assigned at APPLICATION scope"),
    ]
    for args, text in cases:
        result, failed = run(run_module, simulator, env, role='Application Owner', **args)
        assert failed and text in result['msg'] and '\n' not in result['msg'], (args, result['msg'])
    wrong, failed = run(run_module, simulator, env, role='Identity Data Admin', scope_type='APPLICATION', scope_name='RA Web')
    assert failed and wrong['msg'] == ("scope_type APPLICATION is not allowed for role 'Identity Data Admin'; it can be assigned at "
                                       "ENVIRONMENT or POPULATION scope")
    wanted = [{'role': 'Identity Data Admin'}, {'role': 'Application Owner', 'scope_type': 'APPLICATION', 'scope_name': 'Gone'}]
    listed, failed = run(run_module, simulator, env, roles=wanted)
    assert failed and listed['msg'].startswith("roles[1].scope_name: no application is named 'Gone'")
    assert writes(simulator) == 0


# -- roles: a set of assignments, and exclusive ------------------------------------------------------------------------------


def plant(simulator, env, app_id, role_name, scope_type='ENVIRONMENT', scope_id=None, read_only=False):
    """An assignment made around the module (by PingOne or another admin), through the simulator's control API."""
    role_id = _access.AccessService(client_for(simulator), env).resolve_role(role_name)['id']
    return simulator.control('POST', 'environments/%s/applications/%s/roleAssignments' % (env, app_id),
                             json={'role': {'id': role_id}, 'scope': {'id': scope_id or env, 'type': scope_type}, 'readOnly': read_only})


def held(simulator, env, app_id):
    """(role name, scope type) of every assignment the application holds, sorted."""
    names = {role['id']: role['name'] for role in _access.AccessService(client_for(simulator), env).list_roles()}
    return sorted((names[item['role']['id']], item['scope']['type']) for item in assignments(simulator, env, app_id))


def test_roles_adds_the_listed_assignments_and_keeps_the_others(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    plant(simulator, env, app_id, 'Configuration Read Only')
    wanted = [{'role': 'Identity Data Admin'}, {'role': 'Application Owner', 'scope_type': 'APPLICATION', 'scope_name': 'RA Web'}]
    made, failed = run(run_module, simulator, env, roles=wanted, diff=True)
    assert not failed and made['changed'] is True, made
    assert made['msg'].startswith("Assigned role 'Identity Data Admin' at ENVIRONMENT scope '%s', role 'Application Owner' at "
                                  "APPLICATION scope '" % env)
    assert len(made['diff']['before']['role_assignments']) == 1 and len(made['diff']['after']['role_assignments']) == 3
    assert len(made['role_assignments']) == 3
    assert held(simulator, env, app_id) == [('Application Owner', 'APPLICATION'), ('Configuration Read Only', 'ENVIRONMENT'),
                                            ('Identity Data Admin', 'ENVIRONMENT')]
    again, failed = run(run_module, simulator, env, roles=wanted)
    assert not failed and again['changed'] is False
    assert again['msg'] == "Application 'RA Worker' already has the role assignments listed in roles"
    assert writes(simulator) == 2
    doubled, failed = run(run_module, simulator, env, roles=wanted + [{'role': 'identity data admin', 'scope_id': env}])
    assert failed and doubled['msg'] == ("roles[2] names the same assignment as roles[0] (role 'Identity Data Admin' at ENVIRONMENT "
                                         "scope '%s')" % env)
    removed, failed = run(run_module, simulator, env, roles=wanted, state='absent')
    assert not failed and removed['changed'] is True and held(simulator, env, app_id) == [('Configuration Read Only', 'ENVIRONMENT')]
    removed_again, failed = run(run_module, simulator, env, roles=wanted, state='absent')
    assert not failed and removed_again['changed'] is False
    assert removed_again['msg'] == "Application 'RA Worker' has none of the role assignments listed in roles"


def test_exclusive_removes_the_others_and_keeps_read_only_ones(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    extra = plant(simulator, env, app_id, 'Client Application Developer')
    planted = plant(simulator, env, app_id, 'Configuration Read Only', read_only=True)
    wanted = [{'role': 'Identity Data Admin'}]
    planned, failed = run(run_module, simulator, env, roles=wanted, exclusive=True, check_mode=True, diff=True)
    assert not failed and planned['changed'] is True, planned
    assert planned['msg'] == ("Would assign role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker'; would remove "
                              "role 'Client Application Developer' at ENVIRONMENT scope '%s' from application 'RA Worker'" % (env, env))
    assert [view['role'] for view in planned['diff']['after']['role_assignments']] == ['Configuration Read Only', 'Identity Data Admin']
    assert planned['diff']['after']['role_assignments'][0]['read_only'] is True
    assert any("keeps role 'Configuration Read Only'" in text and 'read only' in text for text in warning_texts(planned))
    assert writes(simulator) == 0 and len(assignments(simulator, env, app_id)) == 2
    done, failed = run(run_module, simulator, env, roles=wanted, exclusive=True)
    assert not failed and done['changed'] is True and done['msg'] == planned['msg'].replace('Would assign', 'Assigned').replace(
        'would remove', 'removed')
    assert held(simulator, env, app_id) == [('Configuration Read Only', 'ENVIRONMENT'), ('Identity Data Admin', 'ENVIRONMENT')]
    assert extra['id'] not in [item['id'] for item in done['role_assignments']]
    assert planted['id'] in [item['id'] for item in done['role_assignments']]
    again, failed = run(run_module, simulator, env, roles=wanted, exclusive=True)
    assert not failed and again['changed'] is False and writes(simulator) == 2
    assert again['msg'] == "Application 'RA Worker' already has the role assignments listed in roles"
    emptied, failed = run(run_module, simulator, env, roles=[], exclusive=True)
    assert not failed and emptied['changed'] is True and held(simulator, env, app_id) == [('Configuration Read Only', 'ENVIRONMENT')]


def test_absent_with_roles_refuses_a_read_only_one_before_any_write(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    plant(simulator, env, app_id, 'Identity Data Admin')
    plant(simulator, env, app_id, 'Configuration Read Only', read_only=True)
    refused, failed = run(run_module, simulator, env, state='absent', roles=[{'role': 'Identity Data Admin'}, {'role': 'Configuration Read Only'}])
    assert failed and "role 'Configuration Read Only' at ENVIRONMENT scope '%s' to application 'RA Worker' is read only" % env in refused['msg']
    assert writes(simulator) == 0 and len(assignments(simulator, env, app_id)) == 2


def actor_worker(simulator, env, *roles):
    """A worker of ``env`` holding ``roles`` at ENVIRONMENT scope, and the connection options to run as it."""
    client = client_for(simulator)
    app = client.request('POST', 'environments/%s/applications' % env, 'Creating', expected=(201,), json_body=dict(
        APPS[0][1], name='RA Actor')).body
    for role in roles:
        plant(simulator, env, app['id'], role)
    secret = client.request('GET', 'environments/%s/applications/%s/secret' % (env, app['id']), 'Reading').body['secret']
    auth = dict(simulator.module_auth(), pingone_environment_id=env, pingone_client_id=app['id'], pingone_client_secret=secret)
    return app, auth


def test_exclusive_refuses_to_strip_the_connecting_worker_unless_told(simulator, env, run_module):
    app, auth = actor_worker(simulator, env, 'Environment Admin', 'Identity Data Admin')
    args = dict(auth, environment_id=env, application_id=app['id'], roles=[{'role': 'Identity Data Admin'}], exclusive=True)
    for check_mode in (True, False):
        refused, failed = run_module(module, args, check_mode)
        assert failed and refused['msg'] == (
            "exclusive would remove role 'Environment Admin' at ENVIRONMENT scope '%s' from application 'RA Actor', and it is the worker "
            "this task authenticates as (pingone_client_id): that role is what it manages applications in environment '%s' with. List it "
            "in roles to keep it, or set allow_actor_role_removal to remove it all the same" % (env, env)), refused['msg']
    assert writes(simulator) == 0 and held(simulator, env, app['id']) == [('Environment Admin', 'ENVIRONMENT'), ('Identity Data Admin', 'ENVIRONMENT')]
    kept, failed = run_module(module, dict(args, roles=[{'role': 'Identity Data Admin'}, {'role': 'Environment Admin'}]))
    assert not failed and kept['changed'] is False
    stripped, failed = run_module(module, dict(args, allow_actor_role_removal=True))
    assert not failed and stripped['changed'] is True, stripped
    assert warning_texts(stripped) == ["allow_actor_role_removal: removed role 'Environment Admin' at ENVIRONMENT scope '%s' from application "
                                       "'RA Actor', the worker this task authenticates as; later requests with its credentials may be "
                                       "refused" % env]
    assert held(simulator, env, app['id']) == [('Identity Data Admin', 'ENVIRONMENT')]


def test_exclusive_on_another_worker_needs_no_override(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    plant(simulator, env, app_id, 'Environment Admin', 'ORGANIZATION', _access.AccessService(client_for(simulator), env).organization_id())
    done, failed = run(run_module, simulator, env, roles=[], exclusive=True)
    assert not failed and done['changed'] is True and assignments(simulator, env, app_id) == []


def test_with_an_access_token_the_worker_may_be_the_connecting_one(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    plant(simulator, env, app_id, 'Client Application Developer')
    token = client_for(simulator).get_token()
    args = dict(pingone_api_url=simulator.api_url, pingone_auth_url=simulator.url, pingone_access_token=token, environment_id=env,
                name='RA Worker', roles=[], exclusive=True)
    refused, failed = run_module(module, args)
    assert failed and 'the task authenticates with pingone_access_token, so it may be the worker the task runs as' in refused['msg']
    assert token not in refused['msg'] and writes(simulator) == 0
    done, failed = run_module(module, dict(args, allow_actor_role_removal=True))
    assert not failed and done['changed'] is True and assignments(simulator, env, app_id) == []


def test_exclusive_with_a_lost_reply_reads_back_instead_of_resending(simulator, env, run_module):
    app_id = app_id_of(simulator, env)
    plant(simulator, env, app_id, 'Client Application Developer')
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/roleAssignments$'})
    done, failed = run(run_module, simulator, env, roles=[{'role': 'Application Owner', 'scope_type': 'APPLICATION', 'scope_name': 'RA Web'}],
                       exclusive=True)
    assert not failed and done['changed'] is True, done
    assert any('had no clear outcome' in text and 'showed it in place' in text for text in warning_texts(done))
    assert simulator.stats()['by_route'][ROUTE] == 1
    assert held(simulator, env, app_id) == [('Application Owner', 'APPLICATION')]
