# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The access service (roles, role assignments, resources, scopes, grants) and its propagation retry."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneLookupError,
    PingOneOptionError,
)


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
    with pytest.raises(PingOneLookupError) as info:
        _access.resolve_scopes(available, ['phone', 'nope'], 'openid')
    assert str(info.value) == "scopes: 'phone', 'nope' are not a scope of resource 'openid' (its scopes: openid, profile, email)"


class FakeClient:
    """Collections by path; records deletes and answers them as ``client.delete`` would (already gone -> False)."""

    def __init__(self, collections, gone=()):
        self.collections = collections
        self.gone = set(gone)
        self.calls = []
        self.bodies = []

    def iterate(self, path, operation, embedded_key):
        self.calls.append(('GET', path, operation))
        return iter(self.collections.get(path, []))

    def delete(self, path, operation, subject=None):
        self.calls.append(('DELETE', path, operation, subject))
        return path not in self.gone

    def request(self, method, path, operation, subject=None, json_body=None, **kwargs):
        self.calls.append((method, path, operation, subject))
        self.bodies.append(json_body)
        return type('Response', (), {'body': {'organization': {'id': 'org-1'}}})()


ROLES = [{'id': 'r1', 'name': 'Identity Data Admin'}, {'id': 'r2', 'name': 'Twin'}, {'id': 'r3', 'name': 'TWIN'}]
RESOURCES = [{'id': 'res1', 'name': 'openid'}, {'id': 'res2', 'name': 'Orders'}, {'id': 'res3', 'name': 'orders'}]


def fake_service(gone=()):
    client = FakeClient({'roles': ROLES, 'environments/env%201/resources': RESOURCES}, gone)
    return _access.AccessService(client, 'env 1'), client


def test_roles_and_resources_resolve_with_the_shared_lookup_wording():
    service, dummy = fake_service()
    assert service.resolve_role('IDENTITY DATA ADMIN')['id'] == 'r1'
    assert service.resolve_role('r2')['name'] == 'Twin'  # an ID wins over names
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_role('twin')
    assert str(info.value) == "2 roles are named 'twin' (IDs r2, r3); set role to an ID to choose one"
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_role('Super Admin')
    assert str(info.value) == "Role 'Super Admin' does not exist; known roles: Identity Data Admin, TWIN, Twin"
    assert service.resolve_resource('OPENID')['id'] == 'res1'
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_resource('orders')
    assert str(info.value) == ("2 resources are named 'orders' in environment 'env 1' (IDs res2, res3); "
                               "set resource to an ID to choose one")
    with pytest.raises(PingOneLookupError) as info:
        service.resolve_resource('Nope')
    assert str(info.value) == "Resource 'Nope' does not exist in environment 'env 1'; resources there: Orders, openid, orders"


def test_deletes_use_client_delete_and_report_already_gone_as_false():
    service, client = fake_service(gone={'environments/env%201/applications/app/grants/g2'})
    assert service.delete_role_assignment('app', 'ra1') is True
    assert service.delete_grant('app', 'g1') is True
    assert service.delete_grant('app', 'g2') is False
    assert [call[1] for call in client.calls] == ['environments/env%201/applications/app/roleAssignments/ra1',
                                                  'environments/env%201/applications/app/grants/g1',
                                                  'environments/env%201/applications/app/grants/g2']
    assert [call[3] for call in client.calls] == ['role assignment', 'grant', 'grant']


def test_the_environment_read_names_its_subject():
    service, client = fake_service()
    assert service.organization_id() == 'org-1'
    assert client.calls == [('GET', 'environments/env%201', "Reading environment 'env 1'", 'environment')]


def test_lists_name_what_they_read():
    service, client = fake_service()
    service.list_grants('app')
    service.list_role_assignments('app')
    service.list_scopes('res1')
    service.list_resources()
    assert [call[2] for call in client.calls] == [
        "Listing the grants of application 'app' in environment 'env 1'",
        "Listing the role assignments of application 'app' in environment 'env 1'",
        "Listing the scopes of resource 'res1' in environment 'env 1'",
        "Listing the resources of environment 'env 1'",
    ]


# -- IDs in URL paths ------------------------------------------------------------------------------------------------------

URL_CALLS = (
    lambda service, bad: service.list_role_assignments(bad),
    lambda service, bad: service.find_role_assignment(bad, 'r1', 'ENVIRONMENT', 'env 1'),
    lambda service, bad: service.create_role_assignment(bad, 'r1', 'ENVIRONMENT', 'env 1'),
    lambda service, bad: service.delete_role_assignment(bad, 'ra1'),
    lambda service, bad: service.delete_role_assignment('app', bad),
    lambda service, bad: service.list_scopes(bad),
    lambda service, bad: service.create_scope(bad, 'orders:read'),
    lambda service, bad: service.list_grants(bad),
    lambda service, bad: service.create_grant(bad, 'res1', ['s1']),
    lambda service, bad: service.update_grant(bad, 'g1', 'res1', ['s1']),
    lambda service, bad: service.update_grant('app', bad, 'res1', ['s1']),
    lambda service, bad: service.delete_grant(bad, 'g1'),
    lambda service, bad: service.delete_grant('app', bad),
)


@pytest.mark.parametrize('bad', ['..', '.', ' .. ', '', 'a\nb', 'a\x7fb'])
@pytest.mark.parametrize('call', URL_CALLS)
def test_an_id_that_would_walk_the_url_path_is_refused_before_any_request(call, bad):
    service, client = fake_service()
    with pytest.raises(PingOneOptionError) as info:
        call(service, bad)
    assert str(info.value).startswith('A PingOne ID ') and client.calls == []
    with pytest.raises(PingOneOptionError):
        _access.AccessService(client, bad)
    assert client.calls == []


@pytest.mark.parametrize('call', URL_CALLS)
def test_an_id_with_a_slash_stays_one_path_segment(call):
    service, client = fake_service()
    call(service, '../x')
    paths = [entry[1] for entry in client.calls]
    assert paths and all('..%2Fx' in path and '../' not in path and '..' not in path.split('/') for path in paths), paths


def test_role_and_scope_ids_go_in_the_body_never_in_a_url():
    service, client = fake_service()
    service.create_role_assignment('app', '../x', 'POPULATION', '../x')
    service.create_grant('app', '../x', ['../x', '..'])
    service.update_grant('app', 'g1', '../x', ['../x'])
    assert [entry[1] for entry in client.calls] == ['environments/env%201/applications/app/roleAssignments',
                                                    'environments/env%201/applications/app/grants',
                                                    'environments/env%201/applications/app/grants/g1']
    assert client.bodies == [{'role': {'id': '../x'}, 'scope': {'id': '../x', 'type': 'POPULATION'}},
                             {'resource': {'id': '../x'}, 'scopes': [{'id': '../x'}, {'id': '..'}]},
                             {'resource': {'id': '../x'}, 'scopes': [{'id': '../x'}]}]


def test_scopes_resolve_only_to_what_the_resource_lists():
    available = [{'id': 'a', 'name': 'openid'}]
    for wanted in (['../x'], ['..'], ['openid', '%2e%2e/x']):
        with pytest.raises(PingOneLookupError) as info:
            _access.resolve_scopes(available, wanted, 'openid')
        assert str(info.value).startswith('scopes: ') and "not a scope of resource 'openid'" in str(info.value)


# -- what a failed write may mean ------------------------------------------------------------------------------------------


def test_failed_writes_are_told_apart():
    lost = PingOneConnectionError('Creating failed: cannot reach', maybe_committed=True)
    unsent = PingOneConnectionError('Creating failed: connection refused', maybe_committed=False)
    bad_gateway = api_error(502)
    bad_gateway.maybe_committed = True
    duplicate = api_error(400, 'x', [{'code': 'UNIQUENESS_VIOLATION', 'target': 'role', 'message': 'May not assign duplicate Role'}])
    assert _access.outcome_unknown(lost) and _access.outcome_unknown(bad_gateway)
    assert not _access.outcome_unknown(unsent) and not _access.outcome_unknown(duplicate) and not _access.outcome_unknown(api_error(502))
    assert _access.refused_as_conflict(duplicate) and _access.refused_as_conflict(api_error(409)) and _access.refused_as_conflict(api_error(404))
    assert not _access.refused_as_conflict(api_error(403)) and not _access.refused_as_conflict(bad_gateway)
    assert not _access.refused_as_conflict(lost) and not _access.refused_as_conflict(ValueError('x'))
