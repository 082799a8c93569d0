# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The attribute mapping model: option checks, scope names, the plan, bodies and views (pure, no requests)."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _attributes as model
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneLookupError, PingOneOptionError

LINKS = {'self': {'href': 'https://api.example.com/v1/environments/e/applications/a/attributes/m'}}
SUB = {'_links': LINKS, 'id': 's', 'application': {'id': 'a'}, 'name': 'sub', 'value': '${user.id}', 'required': True,
       'mappingType': 'CORE', 'createdAt': '2026-01-01T00:00:00Z', 'updatedAt': '2026-01-01T00:00:00Z'}
EMAIL = {'_links': LINKS, 'id': 'm', 'application': {'id': 'a'}, 'name': 'email', 'value': '${user.email}', 'required': False,
         'mappingType': 'CUSTOM', 'idToken': True, 'userInfo': True, 'nameFormat': 'urn:kept', 'createdAt': '2026-01-01T00:00:00Z',
         'updatedAt': '2026-01-01T00:00:00Z'}
GRANTED = [{'id': 'p1', 'name': 'profile', 'resource_name': 'openid'}, {'id': 'e1', 'name': 'email', 'resource_name': 'openid'},
           {'id': 'r1', 'name': 'read', 'resource_name': 'Orders API'}, {'id': 'r2', 'name': 'read', 'resource_name': 'Billing API'}]


def item(name, value=None, **options):
    values = dict(name=name, value=value, required=None, id_token=None, user_info=None, oidc_scopes=None)
    values.update(options)
    return values


def params(*mappings, **args):
    values = dict(state='present', mappings=list(mappings), exclusive=False)
    values.update(args)
    return values


@pytest.mark.parametrize('args, text', [
    (params(item('', 'x')), 'mappings[0].name is empty'),
    (params(item('a', 'x'), item(' ', 'x')), 'mappings[1].name is empty'),
    (params(item('a\nb', 'x')), 'mappings[0].name contains a control character'),
    (params(item(' email', 'x')), 'mappings[0].name starts or ends with a space'),
    (params(item('aud', 'x')), "mappings[0].name 'aud' is a claim PingOne sets itself: the names acr, amr, at_hash"),
    (params(item('nonce', 'x')), "mappings[0].name 'nonce' is a claim PingOne sets itself"),
    (params(item('email', 'x'), item('email', 'y')), "mappings lists the mapping 'email' twice"),
    (params(item('email')), 'mappings[0].value is required with state=present'),
    (params(item('email', 5)), 'mappings[0].value must be a string: a constant or an expression such as ${user.email} (quote it in '
                               'YAML), got int'),
    (params(item('email', True)), 'got bool'),
    (params(item('email', {'a': 1})), 'got dict'),
    (params(item('email', ' ')), 'mappings[0].value must not be empty'),
    (params(item('email', '${user.email}\n')), 'mappings[0].value contains a control character'),
    (params(item('email', '${user.email')), 'mappings[0].value has an expression ${ without its closing }'),
    (params(item('email', '${user.a} ${user.b')), 'without its closing }'),
    (params(item('sub', '${user.email}', id_token=True)), "mappings[0].id_token does not apply to the CORE mapping 'sub'"),
    (params(item('sub', '${user.email}', oidc_scopes=[])), "mappings[0].oidc_scopes does not apply to the CORE mapping 'sub'"),
    (params(item('sub', '${user.email}', required=False)), "mappings[0].required must be true for the CORE mapping 'sub'"),
    (params(item('email', 'x', id_token=False, user_info=False)), 'mappings[0].id_token and mappings[0].user_info cannot both be false'),
    (params(item('email', 'x', oidc_scopes=['email', ' '])), 'mappings[0].oidc_scopes[1] is empty'),
    (params(item('email', 'x'), exclusive=True, state='absent'), 'exclusive applies to state=present only'),
    (params(state='absent'), 'mappings must list at least one mapping to remove with state=absent'),
    (params(item('email', 'x'), state='absent'), 'mappings[0].value applies to state=present only'),
    (params(item('email', oidc_scopes=['email']), state='absent'), 'mappings[0].oidc_scopes applies to state=present only'),
    (params(item('sub'), state='absent'), "mappings[0].name 'sub' is the CORE mapping of every OpenID Connect application, which "
                                          "PingOne never deletes"),
])
def test_bad_options_are_refused_naming_the_option(args, text):
    with pytest.raises(PingOneOptionError) as info:
        model.check_options(args)
    assert text in str(info.value) and '\n' not in str(info.value)


@pytest.mark.parametrize('args', [
    params(),
    params(exclusive=True),
    params(item('email', '${user.email}', required=True, id_token=False, oidc_scopes=['email'])),
    params(item('Email', 'x'), item('email', 'y')),  # claim names are case-sensitive
    params(item('AUD', 'x')),  # only the exact reserved names are PingOne's
    params(item('sub', '${user.email}'), item('sub2', 'constant'), item('full', "${user.name.given + ' ' + user.name.family}")),
    params(item('sub', '${user.email}', required=True)),
    params(item('email'), item('x'), state='absent'),
])
def test_good_options_pass(args):
    model.check_options(args)


def test_scopes_are_resolved_by_id_or_exact_name():
    assert model.resolve_scopes(GRANTED, ['email', 'p1', 'profile', 'r2'], 'mappings[0].oidc_scopes', "application 'A'") == ['e1', 'p1', 'r2']
    with pytest.raises(PingOneLookupError) as info:
        model.resolve_scopes(GRANTED, ['Email'], 'mappings[2].oidc_scopes', "application 'A'")
    assert str(info.value) == ("mappings[2].oidc_scopes: 'Email' is not a scope granted to application 'A' (granted: email, profile, "
                               "read); grant it first with pingone.oidc.pingone_application_resource_grant")
    with pytest.raises(PingOneLookupError) as info:
        model.resolve_scopes(GRANTED, ['read'], 'mappings[0].oidc_scopes', "application 'A'")
    assert str(info.value) == ("mappings[0].oidc_scopes: scope 'read' is granted from several resources (Orders API, Billing API); "
                               "give its ID (r1, r2)")
    with pytest.raises(PingOneLookupError, match='granted: none'):
        model.resolve_scopes([], ['email'], 'mappings[0].oidc_scopes', "application 'A'")


def test_server_defaults_and_unset_options_are_no_change():
    assert model.changed_options(EMAIL, item('email', '${user.email}')) == []
    assert model.changed_options(EMAIL, item('email', '${user.email}', required=False, id_token=True, user_info=True, oidc_scopes=[])) == []
    bare = {'id': 'm', 'name': 'email', 'value': '${user.email}'}  # PingOne's defaults when members are absent
    assert model.changed_options(bare, item('email', '${user.email}', required=False, id_token=True, user_info=True, oidc_scopes=[])) == []
    assert model.changed_options(dict(EMAIL, oidcScopes=['e1', 'p1']), item('email', oidc_scopes=['p1', 'e1'])) == []


def test_what_differs_is_named():
    wanted = item('email', '${user.mail}', required=True, id_token=False, user_info=False, oidc_scopes=['e1'])
    assert model.changed_options(EMAIL, wanted) == ['value', 'required', 'id_token', 'user_info', 'oidc_scopes']
    assert model.changed_options(dict(EMAIL, oidcScopes=['e1']), item('email', oidc_scopes=[])) == ['oidc_scopes']
    assert model.changed_options(EMAIL, item('email', '${user.Email}')) == ['value']  # values compare exactly
    assert model.has_settings(EMAIL, item('email', '${user.email}')) and not model.has_settings(None, item('email', 'x'))


def test_plan_adds_updates_and_keeps_or_removes_others():
    current = [SUB, EMAIL, dict(EMAIL, id='n', name='nickname', value='${user.nickname}')]
    add, update, remove = model.plan(current, [item('sub', '${user.email}'), item('email', '${user.email}'), item('Email', 'x')],
                                     'present', False)
    assert add == [item('Email', 'x')]
    assert update == [(SUB, item('sub', '${user.email}'), ['value'])]
    assert remove == []
    add, update, remove = model.plan(current, [item('email', '${user.email}')], 'present', True)
    assert (add, update, [mapping['name'] for mapping in remove]) == ([], [], ['nickname'])  # sub is PingOne's: kept
    add, update, remove = model.plan(current, [], 'present', True)
    assert [mapping['name'] for mapping in remove] == ['email', 'nickname']
    add, update, remove = model.plan(current, [item('nickname'), item('gone')], 'absent', False)
    assert (add, update, [mapping['name'] for mapping in remove]) == ([], [], ['nickname'])


def test_managed_mappings_take_a_value_only_and_are_never_deleted():
    scope_type = dict(EMAIL, id='g', name='groups', mappingType='SCOPE')
    with pytest.raises(PingOneOptionError) as info:
        model.plan([SUB, scope_type], [item('x'), item('groups')], 'absent', False)
    assert str(info.value) == "mappings[1].name 'groups' is a SCOPE mapping, which PingOne never deletes"
    with pytest.raises(PingOneOptionError) as info:
        model.plan([scope_type], [item('groups', 'x', user_info=False)], 'present', False)
    assert str(info.value) == "mappings[0].user_info does not apply to the SCOPE mapping 'groups'; only its value can be set"
    with pytest.raises(PingOneOptionError, match="required must be true for the SCOPE mapping 'groups'"):
        model.plan([scope_type], [item('groups', 'x', required=False)], 'present', False)
    assert model.plan([scope_type], [item('groups', 'x')], 'present', False)[1][0][2] == ['value']
    untyped_sub = {'id': 's', 'name': 'sub', 'value': '${user.id}'}  # without mappingType, sub is still the CORE one
    assert model.plan([untyped_sub], [], 'present', True) == ([], [], [])


def test_a_claim_must_stay_in_the_id_token_or_userinfo():
    hidden = dict(EMAIL, userInfo=False)
    with pytest.raises(PingOneOptionError) as info:
        model.plan([hidden], [item('email', '${user.email}', id_token=False)], 'present', False)
    assert str(info.value) == ("mappings[0].id_token false would leave claim 'email' in neither the ID token nor the userinfo reply "
                               "(the other one is false already); set one of them true")
    assert model.plan([hidden], [item('email', '${user.email}', id_token=False, user_info=True)], 'present', False)[1]


def test_bodies():
    assert model.creation_body(item('email', '${user.email}')) == {'name': 'email', 'value': '${user.email}', 'required': False}
    assert model.creation_body(item('email', 'x', required=True, id_token=False, user_info=True, oidc_scopes=['e1'])) == {
        'name': 'email', 'value': 'x', 'required': True, 'idToken': False, 'userInfo': True, 'oidcScopes': ['e1']}
    assert 'oidcScopes' not in model.creation_body(item('email', 'x', oidc_scopes=[]))
    body = model.update_body(dict(EMAIL, oidcScopes=['e1']), item('email', '${user.mail}', user_info=False, oidc_scopes=[]))
    assert body == {'name': 'email', 'value': '${user.mail}', 'required': False, 'mappingType': 'CUSTOM', 'idToken': True,
                    'userInfo': False, 'nameFormat': 'urn:kept'}  # read-only members out, unmodelled ones kept, the limit removed
    core = {'name': 'sub', 'value': '${user.email}', 'required': True, 'mappingType': 'CORE'}
    assert model.update_body(SUB, item('sub', '${user.email}')) == core
    assert model.update_body(EMAIL, item('email', oidc_scopes=['p1', 'e1']))['oidcScopes'] == ['p1', 'e1']


def test_views_and_texts():
    shown = model.view([EMAIL, dict(SUB, oidcScopes=None), dict(EMAIL, name='a', oidcScopes=['p1', 'x9'], required=None)], {'p1': 'profile'})
    assert [entry['name'] for entry in shown['mappings']] == ['a', 'email', 'sub']
    assert shown['mappings'][0] == {'name': 'a', 'value': '${user.email}', 'mapping_type': 'CUSTOM', 'required': False, 'id_token': True,
                                    'user_info': True, 'oidc_scopes': ['profile', 'x9']}
    assert shown['mappings'][2]['mapping_type'] == 'CORE'
    assert '_links' not in model.sanitize(EMAIL) and model.sanitize(EMAIL)['id'] == 'm'
    assert model.counted([EMAIL]) == 'attribute mapping email'
    assert model.counted([EMAIL, item('x')]) == 'attribute mappings email, x'
