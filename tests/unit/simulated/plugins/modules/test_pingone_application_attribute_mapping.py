# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_attribute_mapping's main() against the in-process simulator: an application's claims, end to end."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _attributes, _client
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as application_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_attribute_mapping as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_resource_grant as grant_module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

ATTRIBUTES = '/v1/environments/{envId}/applications/{appId}/attributes'
WRITE_ROUTES = ('POST ' + ATTRIBUTES, 'PUT ' + ATTRIBUTES + '/{attrMappingId}', 'DELETE ' + ATTRIBUTES + '/{attrMappingId}')
EMAIL = {'name': 'email', 'value': '${user.email}', 'required': True}
FULL_NAME = {'name': 'full_name', 'value': "${user.name.given + ' ' + user.name.family}"}
APP = 'Payments Web'


def service(simulator, env_id):
    """The mapping service on a client of its own: what another run, or the console, does behind the module's back."""
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret), sleep=lambda seconds: None)
    return _attributes.AttributeMappingService(client, env_id)


@pytest.fixture
def env(simulator, run_module):
    env_id = simulator.new_environment('attributes')
    created, failed = run_module(application_module, dict(simulator.module_auth(), environment_id=env_id, name=APP, type='WEB_APP',
                                                          redirect_uris=['https://pay.example.com/cb']))
    assert not failed, created
    simulator.control('DELETE', 'stats')
    return env_id


def run(run_module, simulator, env_id, check_mode=False, diff=False, **args):
    args.setdefault('name', APP)
    args = {key: value for key, value in args.items() if value is not None}  # None: the option is left out
    return run_module(module, dict(simulator.module_auth(), environment_id=env_id, **args), check_mode, diff)


def writes(simulator):
    by_route = simulator.stats()['by_route']
    return sum(by_route.get(route, 0) for route in WRITE_ROUTES)


def stored(simulator, env_id):
    """{name: mapping} as PingOne holds them."""
    svc = service(simulator, env_id)
    app = next(item for item in svc.client.iterate('environments/%s/applications' % env_id, 'list', 'applications') if item['name'] == APP)
    return {mapping['name']: mapping for mapping in svc.list_mappings(app['id'])}


def test_create_check_mode_idempotence_update_and_delete(simulator, env, run_module):
    planned, failed = run(run_module, simulator, env, check_mode=True, diff=True, mappings=[EMAIL, FULL_NAME])
    assert not failed and planned['changed'] is True, planned
    assert planned['msg'] == "Would add attribute mappings email, full_name to application 'Payments Web'"
    assert [item['name'] for item in planned['diff']['before']['mappings']] == ['sub']
    assert planned['diff']['after']['mappings'][0] == {'name': 'email', 'value': '${user.email}', 'mapping_type': 'CUSTOM', 'required': True,
                                                       'id_token': True, 'user_info': True, 'oidc_scopes': []}
    assert [item['name'] for item in planned['mappings']] == ['sub', 'email', 'full_name']
    assert writes(simulator) == 0 and list(stored(simulator, env)) == ['sub']

    created, failed = run(run_module, simulator, env, diff=True, mappings=[EMAIL, FULL_NAME])
    assert not failed and created['changed'] is True, created
    assert created['msg'] == "Added attribute mappings email, full_name to application 'Payments Web'"
    held = stored(simulator, env)
    assert (held['email']['required'], held['full_name']['required'], held['full_name']['mappingType']) == (True, False, 'CUSTOM')
    assert created['mappings'][1] == {key: value for key, value in held['email'].items() if key != '_links'}
    assert created['diff']['after'] == planned['diff']['after']

    simulator.control('DELETE', 'stats')
    again, failed = run(run_module, simulator, env, diff=True, mappings=[FULL_NAME, EMAIL])
    assert not failed and again['changed'] is False and again['msg'] == "The attribute mappings of application 'Payments Web' are up to date"
    assert again['diff']['before'] == again['diff']['after'] and writes(simulator) == 0
    defaults, failed = run(run_module, simulator, env, mappings=[dict(FULL_NAME, required=False, id_token=True, user_info=True,
                                                                      oidc_scopes=[])])
    assert not failed and defaults['changed'] is False  # PingOne's defaults are no change
    unmanaged, failed = run(run_module, simulator, env, mappings=[{'name': 'email', 'value': '${user.email}'}])
    assert not failed and unmanaged['changed'] is False  # required left unset is not managed

    planned, failed = run(run_module, simulator, env, check_mode=True, mappings=[{'name': 'email', 'value': '${user.mail}'}])
    assert not failed and planned['msg'] == "Would update attribute mapping email of application 'Payments Web': value"
    assert planned['mappings'][1]['value'] == '${user.mail}' and planned['mappings'][1]['id'] == held['email']['id']
    assert writes(simulator) == 0 and stored(simulator, env)['email']['value'] == '${user.email}'

    updated, failed = run(run_module, simulator, env, diff=True, mappings=[{'name': 'email', 'value': '${user.mail}', 'required': False,
                                                                            'user_info': False}])
    assert not failed and updated['changed'] is True
    assert updated['msg'] == "Updated attribute mapping email of application 'Payments Web': value, required, user_info"
    before = {item['name']: item for item in updated['diff']['before']['mappings']}
    after = {item['name']: item for item in updated['diff']['after']['mappings']}
    assert (before['email']['value'], after['email']['value'], after['email']['user_info']) == ('${user.email}', '${user.mail}', False)
    held = stored(simulator, env)
    assert (held['email']['value'], held['email']['required'], held['email']['userInfo'], held['email']['idToken']) == (
        '${user.mail}', False, False, True)

    planned, failed = run(run_module, simulator, env, check_mode=True, state='absent', mappings=[{'name': 'email'}])
    assert not failed and planned['msg'] == "Would remove attribute mapping email from application 'Payments Web'"
    assert 'email' in stored(simulator, env)
    removed, failed = run(run_module, simulator, env, diff=True, state='absent', mappings=[{'name': 'email'}, {'name': 'nickname'}])
    assert not failed and removed['changed'] is True and removed['msg'] == "Removed attribute mapping email from application 'Payments Web'"
    assert [item['name'] for item in removed['diff']['after']['mappings']] == ['full_name', 'sub']
    assert list(stored(simulator, env)) == ['sub', 'full_name']
    gone, failed = run(run_module, simulator, env, state='absent', mappings=[{'name': 'email'}])
    assert not failed and gone['changed'] is False and gone['msg'] == "Application 'Payments Web' has no attribute mapping email"


def test_exclusive_removes_the_other_custom_mappings_and_keeps_sub(simulator, env, run_module):
    run(run_module, simulator, env, mappings=[EMAIL, FULL_NAME, {'name': 'Email', 'value': '${user.email}'}])
    planned, failed = run(run_module, simulator, env, check_mode=True, exclusive=True, mappings=[EMAIL])
    assert not failed and planned['msg'] == "Would remove attribute mappings full_name, Email from application 'Payments Web'"
    assert [item['name'] for item in planned['mappings']] == ['sub', 'email'] and writes(simulator) == 3
    exact, failed = run(run_module, simulator, env, exclusive=True, mappings=[EMAIL])
    assert not failed and exact['changed'] is True and list(stored(simulator, env)) == ['sub', 'email']
    emptied, failed = run(run_module, simulator, env, exclusive=True, mappings=[])
    assert not failed and emptied['msg'] == "Removed attribute mapping email from application 'Payments Web'"
    assert list(stored(simulator, env)) == ['sub']
    nothing, failed = run(run_module, simulator, env, exclusive=True, mappings=[])
    assert not failed and nothing['changed'] is False


def test_the_core_sub_mapping_takes_a_new_value_but_is_never_deleted(simulator, env, run_module):
    subject, failed = run(run_module, simulator, env, diff=True, mappings=[{'name': 'sub', 'value': '${user.email}'}])
    assert not failed and subject['msg'] == "Updated attribute mapping sub of application 'Payments Web': value"
    assert stored(simulator, env)['sub']['value'] == '${user.email}' and stored(simulator, env)['sub']['mappingType'] == 'CORE'
    same, failed = run(run_module, simulator, env, mappings=[{'name': 'sub', 'value': '${user.email}', 'required': True}])
    assert not failed and same['changed'] is False
    back, failed = run(run_module, simulator, env, mappings=[{'name': 'sub', 'value': _attributes.CORE_DEFAULT_VALUE}])
    assert not failed and back['changed'] is True and stored(simulator, env)['sub']['value'] == '${user.id}'
    simulator.control('DELETE', 'stats')
    refused, failed = run(run_module, simulator, env, state='absent', mappings=[{'name': 'email'}, {'name': 'sub'}])
    assert failed and refused['msg'].startswith("mappings[1].name 'sub' is the CORE mapping of every OpenID Connect application, "
                                                "which PingOne never deletes")
    assert simulator.stats()['total'] == 0 and 'sub' in stored(simulator, env)


def test_oidc_scopes_are_named_by_the_granted_scopes(simulator, env, run_module):
    auth = dict(simulator.module_auth(), environment_id=env)
    simulator.control('DELETE', 'stats')
    ungranted, failed = run(run_module, simulator, env, mappings=[dict(FULL_NAME, oidc_scopes=['profile'])])
    assert failed and ungranted['msg'] == ("mappings[0].oidc_scopes: 'profile' is not a scope granted to application 'Payments Web' "
                                           "(granted: none); grant it first with pingone.oidc.pingone_application_resource_grant")
    assert writes(simulator) == 0
    granted, failed = run_module(grant_module, dict(auth, name=APP, resource='openid', scopes=['openid', 'profile', 'email']))
    assert not failed, granted
    limited, failed = run(run_module, simulator, env, diff=True, mappings=[dict(FULL_NAME, oidc_scopes=['profile', 'email'])])
    assert not failed and limited['changed'] is True, limited
    assert limited['diff']['after']['mappings'][0]['oidc_scopes'] == ['email', 'profile']
    scope_ids = {scope['name']: scope['id'] for scope in service(simulator, env).granted_scopes(limited['application_id'])}
    assert sorted(stored(simulator, env)['full_name']['oidcScopes']) == sorted([scope_ids['profile'], scope_ids['email']])
    by_id, failed = run(run_module, simulator, env, mappings=[dict(FULL_NAME, oidc_scopes=[scope_ids['email'], 'profile'])])
    assert not failed and by_id['changed'] is False
    narrowed, failed = run(run_module, simulator, env, mappings=[dict(FULL_NAME, oidc_scopes=['profile'])])
    assert not failed and narrowed['msg'] == "Updated attribute mapping full_name of application 'Payments Web': oidc_scopes"
    unlimited, failed = run(run_module, simulator, env, diff=True, mappings=[dict(FULL_NAME, oidc_scopes=[])])
    assert not failed and unlimited['changed'] is True and 'oidcScopes' not in stored(simulator, env)['full_name']
    assert unlimited['diff']['before']['mappings'][0]['oidc_scopes'] == ['profile']


@pytest.mark.parametrize('args, text', [
    (dict(mappings=[{'name': 'aud', 'value': 'x'}]), "mappings[0].name 'aud' is a claim PingOne sets itself"),
    (dict(mappings=[{'name': '', 'value': 'x'}]), 'mappings[0].name is empty'),
    (dict(mappings=[{'name': 'email', 'value': 42}]), 'mappings[0].value must be a string'),
    (dict(mappings=[{'name': 'email', 'value': ['${user.email}']}]), 'got list'),
    (dict(mappings=[{'name': 'email'}]), 'mappings[0].value is required with state=present'),
    (dict(mappings=[{'name': 'email', 'value': '${user.email'}]), 'mappings[0].value has an expression ${ without its closing }'),
    (dict(mappings=[{'name': 'email', 'value': 'x', 'id_token': False, 'user_info': False}]), 'cannot both be false'),
    (dict(mappings=[{'name': 'sub', 'value': 'x', 'oidc_scopes': ['profile']}]), "mappings[0].oidc_scopes does not apply to the CORE"),
    (dict(mappings=[EMAIL, EMAIL]), "mappings lists the mapping 'email' twice"),
    (dict(mappings=[{'value': 'x'}]), 'missing required arguments: name found in mappings'),
    (dict(mappings=[{'name': 'email', 'value': 'x', 'scope': 'profile'}]), 'mappings.scope'),
    (dict(mappings=[{'name': 'email', 'value': 'x', 'required': 'maybe'}]), "found in 'mappings'"),
    (dict(mappings=[{'name': 'email', 'value': 'x'}], state='absent'), 'mappings[0].value applies to state=present only'),
    (dict(mappings=[], state='absent'), 'mappings must list at least one mapping to remove with state=absent'),
    (dict(mappings=[EMAIL], state='absent', exclusive=True), 'exclusive applies to state=present only'),
    (dict(name=None, mappings=[EMAIL]), 'one of the following is required: application_id, name'),
    (dict(application_id='..', mappings=[EMAIL]), 'application_id is not an ID'),
])
def test_bad_input_fails_before_any_request_naming_the_option(simulator, env, run_module, args, text):
    result, failed = run(run_module, simulator, env, **args)
    assert failed and text in result['msg'] and '\n' not in result['msg'], result['msg']
    assert simulator.stats()['total'] == 0


def test_an_application_that_is_not_there_is_named(simulator, env, run_module):
    missing, failed = run(run_module, simulator, env, name='Nope', mappings=[EMAIL])
    assert failed and missing['msg'].startswith("Application 'Nope' does not exist in environment")
    assert writes(simulator) == 0


def test_the_server_refuses_what_only_it_knows(simulator, env, run_module):
    """PingOne holds at most 100 mappings per application; the refusal names the operation and the limit."""
    many = [{'name': 'claim%d' % index, 'value': 'x'} for index in range(100)]
    result, failed = run(run_module, simulator, env, mappings=many)
    assert failed and result['status_code'] == 400
    assert result['msg'].startswith("Creating attribute mapping 'claim99' of application '") and 'at most 100' in result['msg']


# -- writes with no clear outcome, and other runs at the same time ----------------------------------------------------------


def test_a_create_whose_reply_is_lost_is_found_on_reading_again(simulator, env, run_module):
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/attributes$'})
    result, failed = run(run_module, simulator, env, mappings=[EMAIL])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to create attribute mapping email of application 'Payments Web' had no clear outcome "
                                     "(no reply, or HTTP 500/502/504); reading again found it in place"]
    assert simulator.stats()['by_route']['POST ' + ATTRIBUTES] == 1
    assert result['mappings'][1]['id'] == stored(simulator, env)['email']['id']


def test_a_create_that_never_arrived_is_sent_again(simulator, env, run_module, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 1, 'method': 'POST',
                                              'path_regex': '/attributes$'})
    result, failed = run(run_module, simulator, env, mappings=[EMAIL], pingone_max_retries=0)
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to create attribute mapping email of application 'Payments Web' had no clear outcome "
                                     "(no reply, or HTTP 500/502/504) and it did not show when read again; it was sent once more"]
    assert simulator.stats()['by_route']['POST ' + ATTRIBUTES] == 2 and list(stored(simulator, env)) == ['sub', 'email']


def test_an_update_whose_reply_is_lost_is_read_again(simulator, env, run_module):
    run(run_module, simulator, env, mappings=[EMAIL])
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'PUT', 'path_regex': '/attributes/'})
    result, failed = run(run_module, simulator, env, mappings=[dict(EMAIL, value='${user.mail}')])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to update attribute mapping email of application 'Payments Web' had no clear outcome "
                                     "(no reply, or HTTP 500/502/504); it was read again"]
    assert simulator.stats()['by_route']['PUT ' + ATTRIBUTES + '/{attrMappingId}'] == 1
    assert stored(simulator, env)['email']['value'] == '${user.mail}' and result['mappings'][1]['value'] == '${user.mail}'


def test_a_mapping_another_run_created_meanwhile_is_made_as_the_task_describes(simulator, env, run_module, monkeypatch):
    real = _attributes.AttributeMappingService.list_mappings
    calls = []

    def list_mappings(self, application_id):
        calls.append(application_id)
        found = real(self, application_id)
        if len(calls) == 1:
            service(simulator, env).create_mapping(application_id, {'name': 'email', 'value': '${user.theirs}', 'required': False})
        return found

    monkeypatch.setattr(_attributes.AttributeMappingService, 'list_mappings', list_mappings)
    result, failed = run(run_module, simulator, env, mappings=[EMAIL])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["Another run created attribute mapping email of application 'Payments Web' at the same time; "
                                     "this run made it as the task describes"]
    held = stored(simulator, env)
    assert (held['email']['value'], held['email']['required']) == ('${user.email}', True)
    assert result['mappings'][1]['value'] == '${user.email}'
