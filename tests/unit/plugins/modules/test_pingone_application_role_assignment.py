# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_role_assignment's main() against the in-process simulator."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.modules import pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_role_assignment as module

ROUTE = 'POST /v1/environments/{envId}/applications/{appId}/roleAssignments'
DELETE_ROUTE = 'DELETE /v1/environments/{envId}/applications/{appId}/roleAssignments/{roleAssignmentId}'


@pytest.fixture
def env(simulator, run_module):
    env_id = simulator.new_environment('roles')
    for name, app_type in (('RA Worker', 'WORKER'), ('RA Web', 'WEB_APP')):
        extra = {'redirect_uris': ['https://ra.example.com/cb']} if app_type == 'WEB_APP' else {}
        dummy, failed = run_module(pingone_application, dict(simulator.module_auth(), environment_id=env_id, name=name, type=app_type, **extra))
        assert not failed
    return env_id


def run(run_module, simulator, env, check_mode=False, diff=False, **args):
    args.setdefault('name', 'RA Worker')
    return run_module(module, dict(simulator.module_auth(), environment_id=env, **args), check_mode, diff)


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
    assert first['role_assignment']['role'] == {'id': first['role']['id']} and first['role_assignment']['read_only'] is False
    assert '_links' not in first['role_assignment']
    assert first['msg'] == "Assigned role 'Identity Data Admin' at ENVIRONMENT scope '%s' to application 'RA Worker'" % env
    stored = assignments(simulator, env, first['application_id'])
    assert [(a['role']['id'], a['scope']) for a in stored] == [(first['role']['id'], {'id': env, 'type': 'ENVIRONMENT'})]
    again, failed = run(run_module, simulator, env, role=first['role']['id'])
    assert not failed and again['changed'] is False and again['role_assignment']['id'] == first['role_assignment']['id']
    assert writes(simulator) == 1
    second_role, failed = run(run_module, simulator, env, role='Client Application Developer')
    assert not failed and second_role['changed'] is True
    assert len(assignments(simulator, env, first['application_id'])) == 2
    plan_removal, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent', check_mode=True, diff=True)
    assert not failed and plan_removal['changed'] is True and plan_removal['diff']['before']['assigned'] is True
    assert len(assignments(simulator, env, first['application_id'])) == 2
    removed, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent')
    assert not failed and removed['changed'] is True and 'role_assignment' not in removed
    remaining = assignments(simulator, env, first['application_id'])
    assert [a['role']['id'] for a in remaining] == [second_role['role']['id']]
    gone, failed = run(run_module, simulator, env, role='Identity Data Admin', state='absent')
    assert not failed and gone['changed'] is False and gone['msg'].startswith("Application 'RA Worker' does not have role")


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
        (dict(role='Super Admin'), "Role 'Super Admin' does not exist"),
        (dict(role='Client Application Developer', scope_type='ORGANIZATION'), 'scope_type ORGANIZATION is not allowed for role'),
        (dict(role='Identity Data Admin', scope_type='POPULATION'), 'scope_id is required with scope_type=POPULATION'),
        (dict(role='Identity Data Admin', name='RA Web'), 'roles can be assigned to WORKER applications only'),
        (dict(role='Identity Data Admin', name='Nobody'), "Application 'Nobody' does not exist"),
        (dict(role='Identity Data Admin', propagation_timeout=-1), 'propagation_timeout must not be negative'),
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
    assert failed and refused['status_code'] == 403
    assert "must itself hold role 'Client Application Developer' at the same or a broader scope" in refused['msg']
    assert 'tried 1 time(s)' in refused['msg'] and '\n' not in refused['msg']
