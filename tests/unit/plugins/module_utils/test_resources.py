# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The custom resource model: option checks, comparison, bodies and views (pure, no requests)."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _resources as model
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError

CURRENT = {
    '_links': {'self': {'href': 'https://api.example.com/v1/environments/e/resources/r'}},
    'id': 'r', 'environment': {'id': 'e'}, 'createdAt': '2026-01-01T00:00:00Z', 'updatedAt': '2026-01-01T00:00:00Z',
    'name': 'Orders API', 'type': 'CUSTOM', 'audience': 'https://orders.example.com', 'accessTokenValiditySeconds': 3600,
    'introspectEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'applicationPermissionsSettings': {'claimEnabled': True},
    'clientSecret': 'not-for-output',
}


def params(**args):
    values = dict(state='present', resource_id=None, name='Orders API', description=None, audience=None,
                  access_token_validity_seconds=None, scopes=None, exclusive=False)
    values.update(args)
    return values


def scopes(*names, **descriptions):
    return [dict(name=name, description=descriptions.get(name.replace(':', '_'))) for name in names]


@pytest.mark.parametrize('args, text', [
    (dict(audience=''), 'audience must not be empty'),
    (dict(audience='https://x.example.com/a b'), 'audience contains a space or a control character'),
    (dict(audience='urn:x\x00'), 'audience contains a space or a control character'),
    (dict(audience='https://x.example.com/#f'), 'audience must not contain a fragment (#)'),
    (dict(audience='https://my.PINGONE.example'), "audience must not contain 'pingone'"),
    (dict(audience='PingIdentity'), "audience must not contain 'pingidentity'"),
    (dict(access_token_validity_seconds=299), 'access_token_validity_seconds must be from 300 (5 minutes) to 2592000 (30 days), got 299'),
    (dict(access_token_validity_seconds=2592001), 'got 2592001'),
    (dict(exclusive=True), 'exclusive needs scopes'),
    (dict(state='absent', audience='x'), 'audience applies to state=present only'),
    (dict(state='absent', access_token_validity_seconds=600), 'access_token_validity_seconds applies to state=present only'),
    (dict(state='absent', description=''), 'description applies to state=present only'),
    (dict(state='absent', scopes=[]), 'scopes must list at least one scope to remove with state=absent'),
    (dict(state='absent', scopes=scopes('a', a='x')), 'scopes[0].description applies to state=present only'),
    (dict(scopes=scopes('a', 'b c')), 'scopes[1].name contains a space'),
    (dict(scopes=scopes('a"b')), 'scopes[0].name contains a space, a quote'),
    (dict(scopes=scopes('a\\b')), 'scopes[0].name contains'),
    (dict(scopes=scopes('caf\u00e9')), 'non-ASCII'),
    (dict(scopes=scopes('')), 'scopes[0].name is empty'),
    (dict(scopes=scopes('a', 'a')), "scopes lists the scope 'a' twice"),
    (dict(name=''), 'name must not be empty'),
    (dict(name='a\tb'), 'name must not be empty or contain a control character'),
])
def test_bad_options_are_refused_naming_the_option(args, text):
    with pytest.raises(PingOneOptionError) as info:
        model.check_options(params(**args))
    assert text in str(info.value) and '\n' not in str(info.value)


@pytest.mark.parametrize('args', [
    dict(),
    dict(audience='https://orders.example.com/v1', access_token_validity_seconds=300, description=''),
    dict(access_token_validity_seconds=2592000, scopes=scopes('orders:read', 'p1:like', 'urn:x:y!#$%&()*+,-./:;<=>?@[]^_`{|}~')),
    dict(scopes=[], exclusive=True),
    dict(state='absent'),
    dict(state='absent', scopes=scopes('orders:read')),
    dict(name=None, resource_id='r'),
    dict(scopes=scopes('A', 'a')),  # scope names are case-sensitive
])
def test_good_options_pass(args):
    model.check_options(params(**args))


def test_server_defaults_and_unset_options_are_no_change():
    assert model.changed_options(CURRENT, params()) == []
    assert model.changed_options(CURRENT, params(access_token_validity_seconds=3600, audience='https://orders.example.com')) == []
    bare = {'id': 'r', 'name': 'Orders API', 'type': 'CUSTOM'}
    assert model.changed_options(bare, params(access_token_validity_seconds=3600, audience='Orders API', description='')) == []
    assert model.changed_options(dict(bare, description=''), params(description='')) == []
    assert model.changed_options(bare, params(access_token_validity_seconds=900, audience='https://x', description='d')) == [
        'description', 'audience', 'access_token_validity_seconds']
    assert model.changed_options(dict(bare, description='d'), params(description='')) == ['description']


def test_a_name_is_compared_only_when_it_renames():
    assert model.changed_options(CURRENT, params(name='orders api')) == []  # the name that found it
    assert model.changed_options(CURRENT, params(name='orders api'), new_name='orders api') == ['name']
    assert model.changed_options(CURRENT, params(), new_name='Orders API') == []


def test_update_body_keeps_what_is_not_modelled_and_drops_what_is_read_only():
    body = model.update_body(CURRENT, params(description='All orders', access_token_validity_seconds=900), new_name='Orders')
    assert body == {'name': 'Orders', 'type': 'CUSTOM', 'audience': 'https://orders.example.com', 'accessTokenValiditySeconds': 900,
                    'introspectEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'applicationPermissionsSettings': {'claimEnabled': True},
                    'description': 'All orders'}
    assert 'description' not in model.update_body(dict(CURRENT, description='x'), params(description=''))
    body['applicationPermissionsSettings']['claimEnabled'] = False
    assert CURRENT['applicationPermissionsSettings'] == {'claimEnabled': True}  # a copy, never the read object
    assert model.has_settings(dict(CURRENT, accessTokenValiditySeconds=900), params(access_token_validity_seconds=900))
    assert not model.has_settings(CURRENT, params(access_token_validity_seconds=900))


def test_creation_body_sends_only_what_is_set():
    assert model.creation_body(params()) == {'name': 'Orders API', 'type': 'CUSTOM'}
    assert model.creation_body(params(description='', audience='https://o', access_token_validity_seconds=600)) == {
        'name': 'Orders API', 'type': 'CUSTOM', 'audience': 'https://o', 'accessTokenValiditySeconds': 600}


EXISTING = [{'id': 's1', 'name': 'orders:read', 'description': 'Read'}, {'id': 's2', 'name': 'orders:write'},
            {'id': 's3', 'name': 'Orders:Read'}]


def test_plan_scopes_adds_updates_and_keeps_or_removes_the_others():
    assert model.plan_scopes(EXISTING, params()) == ([], [], [])
    add, update, remove = model.plan_scopes(EXISTING, params(scopes=scopes('orders:write', 'orders:ship', orders_write='Write')))
    assert add == [{'name': 'orders:ship', 'description': None}] and remove == []
    assert update == [(EXISTING[1], {'name': 'orders:write', 'description': 'Write'})]
    add, update, remove = model.plan_scopes(EXISTING, params(scopes=scopes('orders:read', orders_read=''), exclusive=True))
    assert add == [] and [scope['id'] for scope, dummy in update] == ['s1'] and [scope['id'] for scope in remove] == ['s2', 's3']
    assert model.plan_scopes(EXISTING, params(scopes=scopes('orders:read', orders_read='Read'))) == ([], [], [])
    assert model.plan_scopes(EXISTING, params(scopes=[], exclusive=True))[2] == EXISTING
    add, update, remove = model.plan_scopes(EXISTING, params(state='absent', scopes=scopes('orders:read', 'nope')))
    assert (add, update, [scope['id'] for scope in remove]) == ([], [], ['s1'])


def test_scope_bodies():
    assert model.scope_creation_body({'name': 'a', 'description': ''}) == {'name': 'a'}
    assert model.scope_creation_body({'name': 'a', 'description': 'd'}) == {'name': 'a', 'description': 'd'}
    current = dict(EXISTING[0], _links={}, resource={'id': 'r'}, environment={'id': 'e'}, createdAt='t', updatedAt='t', mappedClaims=['c'])
    assert model.scope_update_body(current, {'name': 'orders:read', 'description': 'New'}) == {
        'name': 'orders:read', 'description': 'New', 'mappedClaims': ['c']}
    assert model.scope_update_body(current, {'name': 'orders:read', 'description': ''}) == {'name': 'orders:read', 'mappedClaims': ['c']}


def test_views_and_sanitizing():
    assert model.view(None, []) == {}
    assert model.view({'name': 'Orders API', 'type': 'CUSTOM'}, EXISTING[:2]) == {
        'name': 'Orders API', 'type': 'CUSTOM', 'description': '', 'audience': 'Orders API', 'access_token_validity_seconds': 3600,
        'scopes': [{'name': 'orders:read', 'description': 'Read'}, {'name': 'orders:write', 'description': ''}]}
    clean = model.sanitize(CURRENT)
    assert 'clientSecret' not in clean and '_links' not in clean and clean['id'] == 'r'
    assert model.sanitize(None) is None
    assert model.is_builtin({'type': 'OPENID_CONNECT'}) and model.is_builtin({'type': 'PINGONE_API'}) and not model.is_builtin(CURRENT)
    assert model.counted(EXISTING[:1], 'scope') == 'scope orders:read'
    assert model.counted(EXISTING[:2], 'scope') == 'scopes orders:read, orders:write'
