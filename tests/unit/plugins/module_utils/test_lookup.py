# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding one object by ID or unique name, decided once for every kind."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _lookup
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneLookupError

ITEMS = [{'id': 'r1', 'name': 'Identity Data Admin'}, {'id': 'r2', 'name': 'Twin'}, {'id': 'r3', 'name': 'TWIN'},
         {'id': 'Twin', 'name': 'Named like an ID'}]


def test_an_id_wins_over_a_name():
    assert _lookup.by_id_or_name(ITEMS, 'Twin', 'role')['id'] == 'Twin'
    assert _lookup.by_id_or_name(ITEMS, 'r1', 'role')['name'] == 'Identity Data Admin'


def test_a_name_matches_ignoring_case():
    assert _lookup.by_id_or_name(ITEMS, 'identity DATA admin', 'role')['id'] == 'r1'
    assert [item['id'] for item in _lookup.named(ITEMS, 'twin')] == ['r2', 'r3']


def test_missing_means_none():
    assert _lookup.by_id_or_name(ITEMS, 'Super Admin', 'role') is None
    assert _lookup.unique([], 'role', 'x', '', 'role_id') is None


def test_a_shared_name_is_an_error_listing_the_ids():
    with pytest.raises(PingOneLookupError) as info:
        _lookup.by_id_or_name(ITEMS[:3], 'twin', 'role', " in environment 'e'", 'the role ID')
    assert str(info.value) == "2 roles are named 'twin' in environment 'e' (IDs r2, r3); set the role ID to choose one"


def test_require_names_what_is_missing():
    assert _lookup.require(ITEMS[0], 'role', 'r1') is ITEMS[0]
    with pytest.raises(PingOneLookupError) as info:
        _lookup.require(None, 'resource', 'Orders', " in environment 'e'", '; resources there: openid')
    assert str(info.value) == "Resource 'Orders' does not exist in environment 'e'; resources there: openid"


def test_by_name_finds_what_named_finds_for_every_name():
    items = [dict(id='1', name='Orders'), dict(id='2', name='ORDERS'), dict(id='3', name='Billing'), dict(id='4')]
    index = _lookup.by_name(items)
    for name in ('orders', 'Billing', 'missing', ''):
        assert index.get(name.casefold(), []) == _lookup.named(items, name)
