# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""PingOneClient over real HTTP against the in-process PingOne simulator."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneAuthError

WORKER_APP = {'name': 'Sim Worker', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True,
              'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}


def client_for(sim, sleeps=None, **overrides):
    values = dict(api_url=sim.api_url, auth_url=sim.url, environment_id=sim.environment_id,
                  client_id=sim.client_id, client_secret=sim.client_secret)
    values.update(overrides)
    record = sleeps if sleeps is not None else []
    return PingOneClient(ClientConfig(**values), sleep=record.append)


def create_app(client, env, **changes):
    body = dict(WORKER_APP, **changes)
    return client.request('POST', 'environments/%s/applications' % env, 'Creating', json_body=body, expected=(201,)).body


def test_token_is_requested_once_for_many_calls(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    simulator.control('DELETE', 'stats')
    for dummy in range(3):
        client.request('GET', 'environments/%s/applications' % env, 'Listing')
    by_route = simulator.stats()['by_route']
    assert sum(count for route, count in by_route.items() if route.endswith('/as/token')) == 1
    assert simulator.stats()['total'] == 4


@pytest.mark.parametrize('method', ['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST'])
def test_wrong_secret_is_refused_with_invalid_client(simulator, method):
    client = client_for(simulator, client_secret='not-the-secret', token_auth_method=method)
    with pytest.raises(PingOneAuthError) as info:
        client.get_token()
    assert info.value.status == 401 and info.value.error == 'invalid_client'
    assert 'not-the-secret' not in str(info.value)


def test_revoked_token_is_renewed_once_transparently(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    client.request('GET', 'environments/%s/applications' % env, 'Listing')
    simulator.control('POST', 'tokens/revoke')
    simulator.control('DELETE', 'stats')
    client.request('GET', 'environments/%s/applications' % env, 'Listing')
    routes = simulator.stats()['by_route']
    assert sum(count for route, count in routes.items() if route.endswith('/as/token')) == 1
    assert simulator.stats()['total'] == 3  # 401, token, retry


def test_429_with_retry_after_is_retried(simulator):
    sleeps = []
    client = client_for(simulator, sleeps=sleeps)
    env = simulator.new_environment()
    client.get_token()
    fault = {'action': 'status', 'status': 429, 'retry_after': '3', 'count': 2, 'path_regex': '/applications$'}
    simulator.control('POST', 'faults', json=fault)
    apps = ApplicationsService(client, env).list()
    assert apps and sleeps == [3.0, 3.0]


def test_503_on_create_is_retried_and_creates_exactly_one(simulator):
    sleeps = []
    client = client_for(simulator, sleeps=sleeps)
    env = simulator.new_environment()
    client.get_token()
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 503, 'count': 1, 'method': 'POST'})
    create_app(client, env)
    assert len(sleeps) == 1
    assert len(ApplicationsService(client, env).find_by_name('sim worker')) == 1


def test_500_unexpected_error_is_not_retried_for_create(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    client.get_token()
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 500, 'count': 1, 'method': 'POST'})
    with pytest.raises(PingOneApiError) as info:
        create_app(client, env)
    assert info.value.status == 500 and info.value.code == 'UNEXPECTED_ERROR'


def test_gives_up_after_max_retries(simulator):
    sleeps = []
    client = client_for(simulator, sleeps=sleeps, max_retries=2)
    env = simulator.new_environment()
    client.get_token()
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 503, 'count': 5, 'method': 'GET'})
    with pytest.raises(PingOneApiError) as info:
        ApplicationsService(client, env).list()
    assert info.value.status == 503 and len(sleeps) == 2


def test_pagination_reads_every_page(paging_simulator):
    sim = paging_simulator
    client = client_for(sim)
    env = sim.new_environment()
    created = {create_app(client, env, name='paged %d' % index)['id'] for index in range(5)}
    listed = ApplicationsService(client, env).list()
    assert created <= {app['id'] for app in listed}
    assert len(listed) == len({app['id'] for app in listed})  # no page read twice


def test_validation_error_is_parsed(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    with pytest.raises(PingOneApiError) as info:
        create_app(client, env, parTimeout=601)
    err = info.value
    assert err.status == 400 and err.code == 'INVALID_DATA'
    assert any(detail.get('target') == 'parTimeout' for detail in err.details)
    assert 'parTimeout' in str(err)


def test_not_found_application_and_environment(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    service = ApplicationsService(client, env)
    assert service.get('11111111-2222-4333-8444-555555555555') is None
    with pytest.raises(PingOneApiError) as info:
        ApplicationsService(client, '99999999-9999-4999-8999-999999999999').get('11111111-2222-4333-8444-555555555555')
    assert info.value.status == 404
    assert "environment '99999999-9999-4999-8999-999999999999'" in str(info.value)


def test_forbidden_environment_gives_403(simulator):
    client = client_for(simulator)
    with pytest.raises(PingOneApiError) as info:
        ApplicationsService(client, simulator.forbidden_environment_id).list()
    assert info.value.status == 403 and info.value.code == 'ACCESS_FAILED'


def test_name_lookup_is_case_insensitive_and_skips_system_apps(simulator):
    client = client_for(simulator)
    env = simulator.new_environment()
    create_app(client, env, name='Same Name')
    create_app(client, env, name='SAME name')
    service = ApplicationsService(client, env)
    assert len(service.find_by_name('same NAME')) == 2
    console = [app for app in service.list() if app['type'] == 'PING_ONE_ADMIN_CONSOLE']
    assert len(console) == 1
    assert service.find_by_name(console[0]['name'].upper()) == []
    assert [app['id'] for app in service.find_by_name(console[0]['name'], include_system=True)] == [console[0]['id']]
