# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The access service (roles, role assignments, resources, scopes, grants) and its propagation retry."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError

WORKER_APP = {'name': 'Access Worker', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True,
              'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}


def client_for(sim):
    return PingOneClient(ClientConfig(api_url=sim.api_url, auth_url=sim.url, environment_id=sim.environment_id,
                                      client_id=sim.client_id, client_secret=sim.client_secret), sleep=lambda dummy: None)


@pytest.fixture
def setup(simulator):
    client = client_for(simulator)
    env = simulator.new_environment('access')
    app = client.request('POST', 'environments/%s/applications' % env, 'Creating', json_body=WORKER_APP, expected=(201,)).body
    return _access.AccessService(client, env), app


def api_error(status, message=None, details=None):
    return PingOneApiError('Assigning', status, code='ACCESS_FAILED', api_message=message, details=details)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_propagation_errors_are_recognised():
    assert _access.is_propagation_error(api_error(400, 'x', [{'message': 'Must have role at the same or broader scope to assign'}]))
    assert _access.is_propagation_error(api_error(403, 'You do not have permissions'))
    assert _access.is_propagation_error(api_error(401, 'The actor attempting to perform the request is not authorized.'))
    assert not _access.is_propagation_error(api_error(401, 'The access token has expired.'))
    assert not _access.is_propagation_error(api_error(400, 'x', [{'code': 'UNIQUENESS_VIOLATION', 'message': 'May not assign duplicate Role'}]))
    assert not _access.is_propagation_error(ValueError('x'))


def test_retry_propagation_retries_until_success_with_growing_waits():
    fake = FakeClock()
    outcomes = [api_error(403), api_error(403), api_error(403), 'done']

    def call():
        item = outcomes.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    assert _access.retry_propagation(call, 60, sleep=fake.sleep, clock=fake.clock) == ('done', 4)
    assert fake.sleeps == [2.0, 4.0, 8.0]


def test_retry_propagation_is_bounded_and_ignores_other_errors():
    fake = FakeClock()
    calls = []

    def refused():
        calls.append(1)
        raise api_error(403)

    with pytest.raises(PingOneApiError) as info:
        _access.retry_propagation(refused, 15, sleep=fake.sleep, clock=fake.clock)
    assert fake.now == 14 and info.value.attempts == len(calls) == 4  # waits 2 + 4 + 8; a 16 s wait would overrun
    other = []

    def broken():
        other.append(1)
        raise api_error(400, 'bad', [{'message': 'role.id must be a UUID'}])

    with pytest.raises(PingOneApiError):
        _access.retry_propagation(broken, 60, sleep=fake.sleep, clock=fake.clock)
    assert len(other) == 1
    with pytest.raises(PingOneApiError):
        _access.retry_propagation(refused, 0, sleep=fake.sleep, clock=fake.clock)
    assert len(calls) == 5


def test_resolve_scopes_by_name_or_id_in_order():
    available = [{'id': 'a', 'name': 'openid'}, {'id': 'b', 'name': 'profile'}, {'id': 'c', 'name': 'email'}]
    assert [s['id'] for s in _access.resolve_scopes(available, ['email', 'a', 'openid'], 'openid')] == ['c', 'a']
    with pytest.raises(_access.AccessLookupError) as info:
        _access.resolve_scopes(available, ['phone', 'nope'], 'openid')
    assert str(info.value) == "scopes: 'phone', 'nope' are not a scope of resource 'openid' (its scopes: openid, profile, email)"


def test_roles_resolve_by_name_ignoring_case_or_id(setup):
    service, dummy = setup
    role = service.resolve_role('identity data admin')
    assert role['name'] == 'Identity Data Admin' and 'POPULATION' in role['applicableTo']
    assert service.resolve_role(role['id']) == role
    with pytest.raises(_access.AccessLookupError) as info:
        service.resolve_role('Super Admin')
    assert "Role 'Super Admin' does not exist" in str(info.value) and 'Client Application Developer' in str(info.value)


def test_role_assignment_round_trip(setup):
    service, app = setup
    role = service.resolve_role('Client Application Developer')
    env = service.environment_id
    assert service.find_role_assignment(app['id'], role['id'], 'ENVIRONMENT', env) is None
    created = service.create_role_assignment(app['id'], role['id'], 'ENVIRONMENT', env)
    assert service.find_role_assignment(app['id'], role['id'], 'ENVIRONMENT', env)['id'] == created['id']
    assert service.find_role_assignment(app['id'], role['id'], 'ENVIRONMENT', 'other') is None
    assert service.delete_role_assignment(app['id'], created['id']) is True
    assert service.delete_role_assignment(app['id'], created['id']) is False
    assert service.organization_id()


def test_resources_scopes_and_grants(setup):
    service, app = setup
    assert {res['name'] for res in service.list_resources()} == {'openid', 'PingOne API'}
    openid = service.resolve_resource('OPENID')
    assert service.resolve_resource(openid['id']) == openid
    with pytest.raises(_access.AccessLookupError) as info:
        service.resolve_resource('Orders')
    assert 'resources there: PingOne API, openid' in str(info.value)
    custom = service.create_resource('Orders', audience='https://orders.example.com')
    scope = service.create_scope(custom['id'], 'orders:read', 'Read orders')
    assert [s['name'] for s in service.list_scopes(custom['id'])] == ['orders:read']
    grant = service.create_grant(app['id'], custom['id'], [scope['id']])
    assert service.find_grant(app['id'], custom['id'])['id'] == grant['id']
    assert service.find_grant(app['id'], openid['id']) is None
    ids = [s['id'] for s in service.list_scopes(openid['id'])][:2]
    other = service.create_grant(app['id'], openid['id'], ids)
    updated = service.update_grant(app['id'], other['id'], openid['id'], ids[:1])
    assert updated['scopes'] == [{'id': ids[0]}]
    assert service.delete_grant(app['id'], other['id']) is True
    assert service.delete_grant(app['id'], other['id']) is False
    assert [g['id'] for g in service.list_grants(app['id'])] == [grant['id']]
