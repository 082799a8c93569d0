# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The access service's reads and writes of custom resources and scopes (get, find, update, delete), on a fake client."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneLookupError,
    PingOneOptionError,
)

BASE = 'environments/env%201/resources'
RESOURCES = [{'id': 'res1', 'name': 'openid'}, {'id': 'res2', 'name': 'Orders'}, {'id': 'res3', 'name': 'orders'},
             {'id': 'res4', 'name': 'Billing'}]


class FakeClient:
    """Objects by path; ``fail`` maps (method, path) to the error the first such request raises."""

    def __init__(self, objects=None, fail=None):
        self.objects = dict(objects or {})
        self.fail = dict(fail or {})
        self.calls = []

    def iterate(self, path, operation, embedded_key):
        self.calls.append(('GET', path, operation, None))
        return iter(RESOURCES if path == BASE else [])

    def read(self, path, operation, subject=None):
        self.calls.append(('GET', path, operation, subject))
        return self.objects.get(path)

    def request(self, method, path, operation, json_body=None, subject=None, **kwargs):
        self.calls.append((method, path, operation, subject))
        error = self.fail.pop((method, path), None)
        if error is not None:
            raise error
        if method == 'PUT':
            self.objects[path] = dict(json_body, id=path.rsplit('/', 1)[-1])
            return type('Response', (), {'body': self.objects[path]})()
        return type('Response', (), {'body': {'organization': {'id': 'org-1'}}})()

    def delete(self, path, operation, subject=None):
        self.calls.append(('DELETE', path, operation, subject))
        return self.objects.pop(path, None) is not None

    def settle(self, read, landed):
        value = read()
        return value if landed(value) else None


def service(objects=None, fail=None):
    client = FakeClient(objects, fail)
    return _access.AccessService(client, 'env 1'), client


def unknown(status=502):
    error = PingOneApiError('Updating', status)
    error.maybe_committed = True
    return error


def test_get_resource_reads_by_id_and_checks_the_environment_when_missing():
    svc, client = service({BASE + '/res2': {'id': 'res2', 'name': 'Orders'}})
    assert svc.get_resource('res2')['name'] == 'Orders'
    assert client.calls == [('GET', BASE + '/res2', "Reading resource 'res2' in environment 'env 1'", 'resource')]
    client.calls[:] = []
    assert svc.get_resource('nope') is None
    assert client.calls[1] == ('GET', 'environments/env%201', "Reading environment 'env 1'", 'environment')


def test_find_resource_by_id_or_by_name_ignoring_case():
    svc, dummy = service({BASE + '/res4': {'id': 'res4', 'name': 'Billing'}})
    assert svc.find_resource('res4', 'ignored')['name'] == 'Billing'
    assert svc.find_resource(None, 'BILLING')['id'] == 'res4'
    assert svc.find_resource(None, 'nope') is None
    with pytest.raises(PingOneLookupError) as info:
        svc.find_resource(None, 'ORDERS')
    assert str(info.value) == "2 resources are named 'ORDERS' in environment 'env 1' (IDs res2, res3); set resource_id to choose one"


def test_updates_put_the_whole_object_and_deletes_say_whether_anything_was_there():
    svc, client = service({BASE + '/res2': {'id': 'res2'}, BASE + '/res2/scopes/s1': {'id': 's1'}})
    updated, read_back = svc.update_resource('res2', {'name': 'Orders', 'type': 'CUSTOM'})
    assert updated == {'name': 'Orders', 'type': 'CUSTOM', 'id': 'res2'} and read_back is False
    assert client.calls[-1] == ('PUT', BASE + '/res2', "Updating resource 'Orders' (res2) in environment 'env 1'", None)
    updated, read_back = svc.update_scope('res2', 's1', {'name': 'orders:read'})
    assert updated['name'] == 'orders:read' and read_back is False
    assert client.calls[-1][2] == "Updating scope 'orders:read' (s1) of resource 'res2' in environment 'env 1'"
    assert svc.delete_scope('res2', 's1') is True and svc.delete_scope('res2', 's1') is False
    assert svc.delete_resource('res2') is True and svc.delete_resource('res2') is False
    assert [call[3] for call in client.calls if call[0] == 'DELETE'] == ['scope', 'scope', 'resource', 'resource']
    assert svc.get_scope('res2', 's1') is None


def test_an_update_with_no_clear_outcome_is_read_back_before_it_is_sent_again():
    path = BASE + '/res2'
    landed = {path: {'id': 'res2', 'name': 'Orders', 'accessTokenValiditySeconds': 900}}
    svc, client = service(landed, fail={('PUT', path): unknown()})
    found, read_back = svc.update_resource('res2', {'name': 'Orders'}, landed=lambda res: res['accessTokenValiditySeconds'] == 900)
    assert read_back is True and found == landed[path]
    assert [call[0] for call in client.calls] == ['PUT', 'GET']
    svc, client = service({path: {'id': 'res2', 'accessTokenValiditySeconds': 3600}}, fail={('PUT', path): unknown(504)})
    found, read_back = svc.update_resource('res2', {'name': 'Orders', 'accessTokenValiditySeconds': 900},
                                           landed=lambda res: res['accessTokenValiditySeconds'] == 900)
    assert read_back is True and found['accessTokenValiditySeconds'] == 900
    assert [call[0] for call in client.calls] == ['PUT', 'GET', 'PUT']  # not there: sent once more


@pytest.mark.parametrize('error', [PingOneApiError('Updating', 400), PingOneConnectionError('x', maybe_committed=False)])
def test_an_update_that_surely_failed_is_not_retried(error):
    svc, client = service(fail={('PUT', BASE + '/res2'): error})
    with pytest.raises(type(error)):
        svc.update_resource('res2', {'name': 'Orders'}, landed=lambda res: True)
    assert len(client.calls) == 1


URL_CALLS = (
    lambda svc, bad: svc.get_resource(bad),
    lambda svc, bad: svc.find_resource(bad),
    lambda svc, bad: svc.update_resource(bad, {'name': 'x'}),
    lambda svc, bad: svc.delete_resource(bad),
    lambda svc, bad: svc.get_scope(bad, 's1'),
    lambda svc, bad: svc.get_scope('res1', bad),
    lambda svc, bad: svc.update_scope(bad, 's1', {'name': 'x'}),
    lambda svc, bad: svc.update_scope('res1', bad, {'name': 'x'}),
    lambda svc, bad: svc.delete_scope(bad, 's1'),
    lambda svc, bad: svc.delete_scope('res1', bad),
)


@pytest.mark.parametrize('bad', ['..', '.', ' .. ', 'a\nb', 'a\x7fb'])
@pytest.mark.parametrize('call', URL_CALLS)
def test_an_id_that_would_walk_the_url_path_is_refused_before_any_request(call, bad):
    svc, client = service()
    with pytest.raises(PingOneOptionError) as info:
        call(svc, bad)
    assert str(info.value).startswith('A PingOne ID ') and client.calls == []
