# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_resource's main() against the in-process simulator: custom resources and their scopes, end to end."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access, _client
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as application_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_resource_grant as grant_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_resource as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_token_check as token_module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

RESOURCES = '/v1/environments/{envId}/resources'
SCOPES = RESOURCES + '/{resourceId}/scopes'
WRITE_ROUTES = ('POST ' + RESOURCES, 'PUT ' + RESOURCES + '/{resourceId}', 'DELETE ' + RESOURCES + '/{resourceId}',
                'POST ' + SCOPES, 'PUT ' + SCOPES + '/{scopeId}', 'DELETE ' + SCOPES + '/{scopeId}')
ORDERS = dict(name='Orders API', audience='https://orders.example.com',
              scopes=[{'name': 'orders:read', 'description': 'Read orders'}, {'name': 'orders:write'}])


def service(simulator, env_id):
    """The access service on a client of its own: what another run, or the console, does behind the module's back."""
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret), sleep=lambda seconds: None)
    return _access.AccessService(client, env_id)


@pytest.fixture
def env(simulator):
    return simulator.new_environment('resources')


def run(run_module, simulator, env_id, check_mode=False, diff=False, **args):
    return run_module(module, dict(simulator.module_auth(), environment_id=env_id, **args), check_mode, diff)


def writes(simulator):
    by_route = simulator.stats()['by_route']
    return sum(by_route.get(route, 0) for route in WRITE_ROUTES)


def stored(simulator, env_id, name='Orders API'):
    """(resource, {scope name: description}) as PingOne holds them, or (None, {})."""
    svc = service(simulator, env_id)
    resource = svc.find_resource(None, name)
    if resource is None:
        return None, {}
    return resource, {scope['name']: scope.get('description') for scope in svc.list_scopes(resource['id'])}


def test_create_check_mode_idempotence_update_and_delete(simulator, env, run_module):
    planned, failed = run(run_module, simulator, env, check_mode=True, diff=True, **ORDERS)
    assert not failed and planned['changed'] is True, planned
    assert planned['msg'] == "Would create resource 'Orders API' with scopes orders:read, orders:write"
    assert planned['diff']['before'] == {}
    assert planned['diff']['after'] == {'name': 'Orders API', 'type': 'CUSTOM', 'description': '', 'audience': 'https://orders.example.com',
                                        'access_token_validity_seconds': 3600,
                                        'scopes': [{'name': 'orders:read', 'description': 'Read orders'},
                                                   {'name': 'orders:write', 'description': ''}]}
    assert planned['resource'] == {'name': 'Orders API', 'type': 'CUSTOM', 'audience': 'https://orders.example.com'}
    assert [scope['name'] for scope in planned['scopes']] == ['orders:read', 'orders:write']
    assert writes(simulator) == 0 and stored(simulator, env)[0] is None

    created, failed = run(run_module, simulator, env, **ORDERS)
    assert not failed and created['changed'] is True, created
    assert created['msg'] == "Created resource 'Orders API' with scopes orders:read, orders:write"
    resource, scopes = stored(simulator, env)
    assert created['resource'] == {key: value for key, value in resource.items() if key != '_links'}
    assert created['resource']['accessTokenValiditySeconds'] == 3600 and '_links' not in created['scopes'][0]
    assert scopes == {'orders:read': 'Read orders', 'orders:write': None}

    simulator.control('DELETE', 'stats')
    other_case = dict(ORDERS)
    other_case['name'] = 'orders api'
    again, failed = run(run_module, simulator, env, diff=True, **other_case)
    assert not failed and again['changed'] is False and again['msg'] == "Resource 'Orders API' is up to date"
    assert again['diff']['before'] == again['diff']['after'] and writes(simulator) == 0
    assert again['resource']['id'] == resource['id'] and len(again['scopes']) == 2

    unmanaged, failed = run(run_module, simulator, env, name='Orders API')
    assert not failed and unmanaged['changed'] is False  # options left unset are not managed, scopes included

    planned, failed = run(run_module, simulator, env, check_mode=True, name='Orders API', description='All orders',
                          audience='https://orders.example.com/v2', access_token_validity_seconds=900)
    assert not failed and planned['msg'] == ("Would update resource 'Orders API': description, audience, "
                                             "access_token_validity_seconds")
    assert planned['resource']['accessTokenValiditySeconds'] == 900 and planned['resource']['id'] == resource['id']
    assert writes(simulator) == 0

    updated, failed = run(run_module, simulator, env, diff=True, name='Orders API', description='All orders',
                          audience='https://orders.example.com/v2', access_token_validity_seconds=900)
    assert not failed and updated['changed'] is True
    assert updated['msg'] == "Updated resource 'Orders API': description, audience, access_token_validity_seconds"
    assert updated['diff']['before']['access_token_validity_seconds'] == 3600 and updated['diff']['after']['access_token_validity_seconds'] == 900
    assert updated['diff']['after']['scopes'] == updated['diff']['before']['scopes']
    resource, scopes = stored(simulator, env)
    assert (resource['description'], resource['audience'], resource['accessTokenValiditySeconds']) == (
        'All orders', 'https://orders.example.com/v2', 900)
    assert len(scopes) == 2  # the PUT of the resource keeps its scopes

    same, failed = run(run_module, simulator, env, name='Orders API', access_token_validity_seconds=900)
    assert not failed and same['changed'] is False

    cleared, failed = run(run_module, simulator, env, name='Orders API', description='')
    assert not failed and cleared['msg'] == "Updated resource 'Orders API': description"
    assert 'description' not in stored(simulator, env)[0]

    planned, failed = run(run_module, simulator, env, check_mode=True, name='Orders API', state='absent')
    assert not failed and planned['changed'] is True and planned['resource'] == {} and planned['scopes'] == []
    assert planned['msg'] == "Would delete resource 'Orders API' (%s) with its scopes orders:read, orders:write" % resource['id']
    assert stored(simulator, env)[0] is not None

    deleted, failed = run(run_module, simulator, env, diff=True, name='Orders API', state='absent')
    assert not failed and deleted['changed'] is True and deleted['diff']['after'] == {}
    assert deleted['msg'] == "Deleted resource 'Orders API' (%s) with its scopes orders:read, orders:write" % resource['id']
    assert stored(simulator, env)[0] is None
    gone, failed = run(run_module, simulator, env, name='Orders API', state='absent')
    assert not failed and gone['changed'] is False and gone['msg'] == "Resource 'Orders API' is already absent"


def test_scopes_are_added_updated_made_exclusive_and_removed(simulator, env, run_module):
    run(run_module, simulator, env, **ORDERS)
    more, failed = run(run_module, simulator, env, name='Orders API', diff=True,
                       scopes=[{'name': 'orders:read', 'description': 'Read every order'}, {'name': 'orders:cancel'}])
    assert not failed and more['changed'] is True
    assert more['msg'] == ("Added scope orders:cancel to resource 'Orders API'; "
                           "updated scope orders:read of resource 'Orders API': description")
    assert stored(simulator, env)[1] == {'orders:read': 'Read every order', 'orders:write': None, 'orders:cancel': None}
    assert [item['name'] for item in more['diff']['after']['scopes']] == ['orders:cancel', 'orders:read', 'orders:write']
    assert {scope['name'] for scope in more['scopes']} == {'orders:read', 'orders:write', 'orders:cancel'}
    assert all(scope.get('id') for scope in more['scopes'])

    unmanaged_description, failed = run(run_module, simulator, env, name='Orders API', scopes=[{'name': 'orders:read'}])
    assert not failed and unmanaged_description['changed'] is False

    before = writes(simulator)
    planned, failed = run(run_module, simulator, env, check_mode=True, name='Orders API', exclusive=True,
                          scopes=[{'name': 'orders:read'}, {'name': 'orders:ship', 'description': ''}])
    assert not failed and planned['msg'] == ("Would add scope orders:ship to resource 'Orders API'; "
                                             "would remove scopes orders:write, orders:cancel from resource 'Orders API'")
    assert sorted(scope['name'] for scope in planned['scopes']) == ['orders:read', 'orders:ship']
    assert writes(simulator) == before

    exact, failed = run(run_module, simulator, env, name='Orders API', exclusive=True, scopes=[{'name': 'orders:read'}, {'name': 'orders:ship'}])
    assert not failed and exact['changed'] is True
    assert stored(simulator, env)[1] == {'orders:read': 'Read every order', 'orders:ship': None}
    reordered, failed = run(run_module, simulator, env, name='Orders API', exclusive=True, scopes=[{'name': 'orders:ship'}, {'name': 'orders:read'}])
    assert not failed and reordered['changed'] is False

    no_description, failed = run(run_module, simulator, env, name='Orders API', scopes=[{'name': 'orders:read', 'description': ''}])
    assert not failed and no_description['msg'] == "Updated scope orders:read of resource 'Orders API': description"
    assert stored(simulator, env)[1]['orders:read'] is None

    removed, failed = run(run_module, simulator, env, name='Orders API', state='absent', scopes=[{'name': 'orders:ship'}, {'name': 'orders:none'}])
    assert not failed and removed['changed'] is True and removed['msg'] == "Removed scope orders:ship from resource 'Orders API'"
    assert [scope['name'] for scope in removed['scopes']] == ['orders:read'] and removed['resource']['name'] == 'Orders API'
    again, failed = run(run_module, simulator, env, name='Orders API', state='absent', scopes=[{'name': 'orders:ship'}])
    assert not failed and again['changed'] is False and again['msg'] == "Resource 'Orders API' has none of the scopes orders:ship"

    emptied, failed = run(run_module, simulator, env, name='Orders API', exclusive=True, scopes=[])
    assert not failed and emptied['msg'] == "Removed scope orders:read from resource 'Orders API'" and emptied['scopes'] == []
    nothing, failed = run(run_module, simulator, env, name='Nope', state='absent', scopes=[{'name': 'x'}])
    assert not failed and nothing['changed'] is False and nothing['msg'] == "Resource 'Nope' is already absent"


def test_by_id_rename_and_taken_names(simulator, env, run_module):
    created, dummy = run(run_module, simulator, env, **ORDERS)
    resource_id = created['resource']['id']
    run(run_module, simulator, env, name='Billing API')
    renamed, failed = run(run_module, simulator, env, resource_id=resource_id, name='Orders API v2')
    assert not failed and renamed['msg'] == "Updated resource 'Orders API v2': name"
    assert renamed['resource']['audience'] == 'https://orders.example.com'  # the rest of the resource is kept
    assert stored(simulator, env, 'Orders API v2')[1] == {'orders:read': 'Read orders', 'orders:write': None}
    by_id, failed = run(run_module, simulator, env, resource_id=resource_id)
    assert not failed and by_id['changed'] is False and by_id['resource']['name'] == 'Orders API v2'
    before = writes(simulator)
    taken, failed = run(run_module, simulator, env, resource_id=resource_id, name='billing api')
    assert failed and taken['msg'].startswith("name 'billing api' is taken by resource 'Billing API' (")
    assert writes(simulator) == before
    missing, failed = run(run_module, simulator, env, resource_id='00000000-0000-4000-8000-000000000000', name='X')
    assert failed and missing['msg'] == ("No resource with ID '00000000-0000-4000-8000-000000000000' in environment '%s'; to create one, "
                                         "give its name without resource_id" % env)
    absent, failed = run(run_module, simulator, env, resource_id='00000000-0000-4000-8000-000000000000', state='absent')
    assert not failed and absent['changed'] is False


@pytest.mark.parametrize('args, would', [
    (dict(name='openid', state='absent'), 'delete it'),
    (dict(name='OpenID', description='mine'), 'change description'),
    (dict(name='PingOne API', access_token_validity_seconds=600, audience='https://api.example.com'),
     'change audience, access_token_validity_seconds'),
    (dict(name='openid', scopes=[{'name': 'orders:read'}]), 'add scope orders:read'),
    (dict(name='openid', scopes=[{'name': 'email', 'description': 'mine'}]), 'change scope email'),
    (dict(name='openid', scopes=[{'name': 'openid'}], exclusive=True), 'remove scopes profile, email, address, phone, offline_access'),
    (dict(name='PingOne API', state='absent', scopes=[{'name': 'p1:read:user'}]), 'remove its scope p1:read:user'),
])
def test_builtin_resources_are_never_changed(simulator, env, run_module, args, would):
    result, failed = run(run_module, simulator, env, **args)
    builtin = service(simulator, env).find_resource(None, args['name'])
    assert failed and result['msg'] == ("Resource '%s' (%s) is PingOne's built-in %s resource: this module changes and deletes custom "
                                        "resources only, and this task would %s" % (builtin['name'], builtin['id'], builtin['type'], would))
    assert writes(simulator) == 0


def test_a_builtin_resource_as_it_is_is_no_change(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, name='openid', scopes=[{'name': 'openid'}, {'name': 'profile'}])
    assert not failed and result['changed'] is False and result['resource']['type'] == 'OPENID_CONNECT'
    assert result['msg'] == "Resource 'openid' is up to date" and len(result['scopes']) == 6
    nothing, failed = run(run_module, simulator, env, name='openid', state='absent', scopes=[{'name': 'orders:read'}])
    assert not failed and nothing['changed'] is False
    assert writes(simulator) == 0


@pytest.mark.parametrize('args, text', [
    (dict(name='Orders', audience=''), 'audience must not be empty'),
    (dict(name='Orders', audience='https://api.PingOne.com/orders'), "audience must not contain 'pingone'"),
    (dict(name='Orders', audience='https://pingidentity.example.com'), "audience must not contain 'pingidentity'"),
    (dict(name='Orders', audience='https://orders.example.com/#x'), 'audience must not contain a fragment (#)'),
    (dict(name='Orders', audience='https://orders example.com'), 'audience contains a space or a control character'),
    (dict(name='Orders', access_token_validity_seconds=299), 'access_token_validity_seconds must be from 300 (5 minutes) to 2592000'),
    (dict(name='Orders', access_token_validity_seconds=2592001), 'got 2592001'),
    (dict(name='Orders', scopes=[{'name': 'orders read'}]), 'scopes[0].name contains a space'),
    (dict(name='Orders', scopes=[{'name': 'a'}, {'name': ''}]), 'scopes[1].name is empty'),
    (dict(name='Orders', scopes=[{'name': 'a'}, {'name': 'a'}]), "scopes lists the scope 'a' twice"),
    (dict(name='Orders', scopes=[{'description': 'x'}]), 'missing required arguments: name found in scopes'),
    (dict(name='Orders', exclusive=True), 'exclusive needs scopes'),
    (dict(name='Orders', state='absent', description='x'), 'description applies to state=present only'),
    (dict(name='Orders', state='absent', exclusive=True, scopes=[{'name': 'a'}]), 'exclusive applies to state=present only'),
    (dict(name='Orders', state='absent', scopes=[]), 'scopes must list at least one scope to remove with state=absent'),
    (dict(name='Orders', state='absent', scopes=[{'name': 'a', 'description': 'x'}]), 'scopes[0].description applies to state=present only'),
    (dict(name=' '), 'name must not be empty or contain a control character'),
    (dict(name='Orders\nAPI'), 'name must not be empty or contain a control character'),
    (dict(resource_id='..'), 'resource_id is not an ID'),
    (dict(description='x'), 'one of the following is required: resource_id, name'),
])
def test_bad_input_fails_before_any_request_naming_the_option(simulator, env, run_module, args, text):
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, **args)
    assert failed and text in result['msg'] and '\n' not in result['msg'], result['msg']
    assert simulator.stats()['total'] == 0


def test_the_server_refuses_what_only_it_knows(simulator, env, run_module):
    """A reserved scope name passes the option checks (RFC 6749 allows it) and PingOne refuses it, naming the scope."""
    result, failed = run(run_module, simulator, env, name='Orders API', scopes=[{'name': 'openid'}])
    assert failed and result['status_code'] == 400
    assert result['msg'].startswith("Creating scope 'openid' of resource '") and 'reserved' in result['msg'], result['msg']


# -- end to end: a worker gets the custom API's scopes without anything made by hand ----------------------------------------


def test_a_worker_gets_the_custom_scopes_in_its_token(simulator, env, run_module):
    resource, failed = run(run_module, simulator, env, name='Inventory API', audience='https://inventory.example.com',
                           access_token_validity_seconds=900,
                           scopes=[{'name': 'inventory:read'}, {'name': 'inventory:write'}, {'name': 'inventory:admin'}])
    assert not failed, resource
    auth = dict(simulator.module_auth(), environment_id=env)
    worker, failed = run_module(application_module, dict(auth, name='Inventory Sync', type='WORKER', enabled=True))
    assert not failed, worker
    granted, failed = run_module(grant_module, dict(auth, name='Inventory Sync', resource='Inventory API',
                                                    scopes=['inventory:read', 'inventory:write']))
    assert not failed and granted['changed'], granted
    token, failed = run_module(token_module, dict(auth, name='Inventory Sync', expected_scopes=['inventory:read', 'inventory:write']))
    assert not failed, token
    assert sorted(token['scope'].split()) == ['inventory:read', 'inventory:write']
    assert token['claims']['aud'] == ['https://inventory.example.com'] and token['expires_in'] == 900
    lacking, failed = run_module(token_module, dict(auth, name='Inventory Sync', expected_scopes=['inventory:admin']))
    assert failed and 'lacks the expected scopes inventory:admin' in lacking['msg']

    # the resource's settings reach the next token; removing a scope from the resource takes it out of the grant too
    changed, failed = run(run_module, simulator, env, name='Inventory API', access_token_validity_seconds=1800,
                          audience='https://inventory.example.com/v2')
    assert not failed and changed['changed']
    narrowed, failed = run(run_module, simulator, env, name='Inventory API', state='absent', scopes=[{'name': 'inventory:write'}])
    assert not failed and narrowed['changed']
    token, failed = run_module(token_module, dict(auth, name='Inventory Sync', expected_scopes=['inventory:read']))
    assert not failed and token['scope'] == 'inventory:read' and token['expires_in'] == 1800
    assert token['claims']['aud'] == ['https://inventory.example.com/v2']


# -- writes with no clear outcome, and other runs at the same time ----------------------------------------------------------


def test_a_create_whose_reply_is_lost_is_found_on_reading_again(simulator, env, run_module):
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/resources$'})
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/scopes$'})
    result, failed = run(run_module, simulator, env, **ORDERS)
    assert not failed and result['changed'] is True, result
    assert result['msg'] == "Created resource 'Orders API' with scopes orders:read, orders:write"
    assert warning_texts(result) == [
        "The request to create resource 'Orders API' had no clear outcome (no reply, or HTTP 500/502/504); reading again found it in place",
        "The request to create scope orders:read of resource 'Orders API' had no clear outcome (no reply, or HTTP 500/502/504); "
        "reading again found it in place"]
    by_route = simulator.stats()['by_route']
    assert by_route['POST ' + RESOURCES] == 1 and by_route['POST ' + SCOPES] == 2
    assert stored(simulator, env)[1] == {'orders:read': 'Read orders', 'orders:write': None}
    assert result['resource']['id'] == stored(simulator, env)[0]['id']


def test_a_create_that_never_arrived_is_sent_again(simulator, env, run_module, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 1, 'method': 'POST', 'path_regex': '/resources$'})
    result, failed = run(run_module, simulator, env, name='Orders API', pingone_max_retries=0)
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to create resource 'Orders API' had no clear outcome (no reply, or HTTP 500/502/504) "
                                     "and it did not show when read again; it was sent once more"]
    assert simulator.stats()['by_route']['POST ' + RESOURCES] == 2
    assert len([item for item in service(simulator, env).list_resources() if item['name'] == 'Orders API']) == 1


def test_an_update_whose_reply_is_lost_is_read_again(simulator, env, run_module):
    run(run_module, simulator, env, **ORDERS)
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'PUT', 'path_regex': '/resources/[^/]+$'})
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'PUT', 'path_regex': '/scopes/'})
    result, failed = run(run_module, simulator, env, name='Orders API', access_token_validity_seconds=600,
                         scopes=[{'name': 'orders:read', 'description': 'Read'}])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == [
        "The request to update resource 'Orders API' had no clear outcome (no reply, or HTTP 500/502/504); it was read again",
        "The request to update scope orders:read of resource 'Orders API' had no clear outcome (no reply, or HTTP 500/502/504); "
        "it was read again"]
    by_route = simulator.stats()['by_route']
    assert by_route['PUT ' + RESOURCES + '/{resourceId}'] == 1 and by_route['PUT ' + SCOPES + '/{scopeId}'] == 1
    resource, scopes = stored(simulator, env)
    assert resource['accessTokenValiditySeconds'] == 600 and scopes['orders:read'] == 'Read'
    assert result['resource']['accessTokenValiditySeconds'] == 600


def test_a_resource_another_run_created_meanwhile_is_made_as_the_task_describes(simulator, env, run_module, monkeypatch):
    real = _access.AccessService.find_resource
    reads = []

    def find_resource(self, resource_id=None, name=None):
        reads.append(name)
        if len(reads) == 1:
            other = service(simulator, env)
            made = other.create_resource('Orders API', audience='https://orders.example.com')
            other.create_scope(made['id'], 'orders:read')
            return None
        return real(self, resource_id, name)

    monkeypatch.setattr(_access.AccessService, 'find_resource', find_resource)
    result, failed = run(run_module, simulator, env, diff=True, **dict(ORDERS, access_token_validity_seconds=600))
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["Another run created resource 'Orders API' at the same time; this run made it as the task describes"]
    assert result['msg'] == ("Updated resource 'Orders API': access_token_validity_seconds; added scope orders:write to resource "
                             "'Orders API'; updated scope orders:read of resource 'Orders API': description")
    assert [item['name'] for item in result['diff']['before']['scopes']] == ['orders:read']
    assert len(service(simulator, env).list_resources()) == 3  # openid, PingOne API and one Orders API
    assert stored(simulator, env)[1] == {'orders:read': 'Read orders', 'orders:write': None}


def test_a_scope_another_run_created_meanwhile_gets_the_wanted_description(simulator, env, run_module, monkeypatch):
    run(run_module, simulator, env, name='Orders API')
    real = _access.AccessService.list_scopes
    calls = []

    def list_scopes(self, resource_id):
        calls.append(resource_id)
        found = real(self, resource_id)
        if len(calls) == 1:
            service(simulator, env).create_scope(resource_id, 'orders:read', 'theirs')
        return found

    monkeypatch.setattr(_access.AccessService, 'list_scopes', list_scopes)
    result, failed = run(run_module, simulator, env, name='Orders API', scopes=[{'name': 'orders:read', 'description': 'ours'}])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["Another run created scope orders:read of resource 'Orders API' at the same time; "
                                     "this run made it as the task describes"]
    assert stored(simulator, env)[1] == {'orders:read': 'ours'}
    assert result['scopes'][0]['description'] == 'ours'


def test_results_never_carry_links_or_the_resource_secret(simulator, env, run_module, monkeypatch):
    real = _access.AccessService.find_resource

    def with_secret(self, resource_id=None, name=None):
        found = real(self, resource_id, name)
        return dict(found, clientSecret='resource-secret-canary') if found else found

    run(run_module, simulator, env, **ORDERS)
    monkeypatch.setattr(_access.AccessService, 'find_resource', with_secret)
    result, failed = run(run_module, simulator, env, diff=True, name='Orders API', description='x')
    assert not failed and 'resource-secret-canary' not in str(result) and '_links' not in str(result)
