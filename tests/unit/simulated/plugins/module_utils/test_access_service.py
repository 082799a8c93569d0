# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The access service (roles, role assignments, resources, scopes, grants) against the in-process simulator."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneLookupError

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


def test_roles_resolve_by_name_ignoring_case_or_id(setup):
    service, dummy = setup
    role = service.resolve_role('identity data admin')
    assert role['name'] == 'Identity Data Admin' and 'POPULATION' in role['applicableTo']
    assert service.resolve_role(role['id']) == role
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_role('Super Admin')
    assert str(info.value).startswith("Role 'Super Admin' does not exist; known roles: ") and 'Client Application Developer' in str(info.value)


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
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_resource('Orders')
    assert str(info.value) == "Resource 'Orders' does not exist in environment '%s'; resources there: PingOne API, openid" % service.environment_id
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
