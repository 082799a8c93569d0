# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Planning a worker's role assignments (roles, exclusive) and telling which ones its own runs rely on: pure functions."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._applications import is_own_worker
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_role_assignment as module

ENV, ORG = 'env-1', 'org-1'
ROLE_NAMES = {'r-admin': 'Environment Admin', 'r-dev': 'Client Application Developer', 'r-data': 'Identity Data Admin',
              'r-owner': 'Application Owner'}


def assignment(ident, role, scope_type='ENVIRONMENT', scope_id=ENV, read_only=False):
    return {'id': ident, 'role': {'id': role}, 'scope': {'id': scope_id, 'type': scope_type}, 'readOnly': read_only}


def test_application_is_a_scope_type():
    assert 'APPLICATION' in _access.SCOPE_TYPES
    assert module.OPTIONS['roles']['options']['scope_type']['choices'] == list(_access.SCOPE_TYPES)


def test_the_key_of_an_assignment_is_role_scope_type_and_scope_id():
    assert _access.assignment_key(assignment('a', 'r-owner', 'APPLICATION', 'app-9')) == ('r-owner', 'APPLICATION', 'app-9')
    assert _access.assignment_key({}) == (None, None, None)


def test_present_adds_what_is_missing_and_removes_nothing():
    current = [assignment('a', 'r-data'), assignment('b', 'r-admin', 'ORGANIZATION', ORG)]
    wanted = [('r-data', 'ENVIRONMENT', ENV), ('r-owner', 'APPLICATION', 'app-9')]
    assert _access.plan_role_assignments(current, wanted, 'present', False) == ([('r-owner', 'APPLICATION', 'app-9')], [], [])


def test_exclusive_removes_the_others_but_keeps_read_only_ones():
    planted = assignment('c', 'r-dev', read_only=True)
    current = [assignment('a', 'r-data'), assignment('b', 'r-admin', 'ORGANIZATION', ORG), planted]
    add, remove, kept = _access.plan_role_assignments(current, [('r-owner', 'APPLICATION', 'app-9'), ('r-data', 'ENVIRONMENT', ENV)],
                                                      'present', True)
    assert add == [('r-owner', 'APPLICATION', 'app-9')]
    assert [item['id'] for item in remove] == ['b'] and kept == [planted]
    assert _access.plan_role_assignments(current, [], 'present', True)[1:] == ([current[0], current[1]], [planted])


def test_absent_removes_the_listed_ones_that_exist_read_only_included_for_the_caller_to_refuse():
    planted = assignment('c', 'r-dev', read_only=True)
    current = [assignment('a', 'r-data'), planted]
    wanted = [('r-dev', 'ENVIRONMENT', ENV), ('r-owner', 'APPLICATION', 'app-9'), ('r-data', 'ENVIRONMENT', ENV)]
    assert _access.plan_role_assignments(current, wanted, 'absent', False) == ([], [planted, current[0]], [])


@pytest.mark.parametrize('item, expected', [
    (assignment('a', 'r-admin', 'ORGANIZATION', ORG), True),
    (assignment('a', 'r-admin'), True),
    (assignment('a', 'r-dev'), True),
    (assignment('a', 'r-dev', scope_id='env-2'), False),
    (assignment('a', 'r-data'), False),
    (assignment('a', 'r-owner', 'APPLICATION', 'app-9'), False),
    (assignment('a', 'r-unknown'), False),
])
def test_what_a_worker_manages_applications_with(item, expected):
    assert _access.manages_applications_in(item, ROLE_NAMES, ENV) is expected


def test_the_own_worker_is_told_by_environment_and_client_id():
    app = {'id': 'w-1', 'clientId': 'w-1'}
    assert is_own_worker(app, ENV, ENV, 'w-1')
    assert not is_own_worker(app, ENV, 'env-2', 'w-1')
    assert not is_own_worker(app, ENV, ENV, 'w-2')
    assert not is_own_worker(None, ENV, ENV, 'w-1')


# -- the options, checked before any request -----------------------------------------------------------------------------


def params(**args):
    values = {name: spec.get('default') for name, spec in module.OPTIONS.items()}
    values.update(args)
    return values


def entry(**args):
    values = {name: spec.get('default') for name, spec in module.OPTIONS['roles']['options'].items()}
    values.update(args)
    return values


@pytest.mark.parametrize('args, text', [
    (dict(role='Application Owner', scope_type='APPLICATION'),
     'scope_id or scope_name is required with scope_type=APPLICATION (the ID or name of the application the role applies to)'),
    (dict(role='Application Owner', scope_type='APPLICATION', scope_id='a-1', scope_name='Billing'),
     'scope_id and scope_name exclude each other (both name the scope)'),
    (dict(role='Identity Data Admin', scope_name='Billing'),
     'scope_name names an application and goes with scope_type=APPLICATION only; give scope_id for ENVIRONMENT scope'),
    (dict(roles=[entry(role='Application Owner', scope_type='APPLICATION')]),
     'roles[0].scope_id or roles[0].scope_name is required with scope_type=APPLICATION'),
    (dict(roles=[entry(role='Identity Data Admin'), entry(role='Identity Data Read Only', scope_type='POPULATION')]),
     'roles[1].scope_id is required with scope_type=POPULATION (the ID of the population)'),
    (dict(roles=[entry(role='Application Owner', scope_type='APPLICATION', scope_id='..')]),
     'roles[0].scope_id is not an ID (empty or a dot segment)'),
    (dict(roles=[], role='Identity Data Admin'), 'role cannot go with roles: each entry of roles gives its own role'),
    (dict(roles=[], scope_type='APPLICATION', scope_name='Billing'), 'scope_type, scope_name cannot go with roles'),
    (dict(role='Identity Data Admin', exclusive=True), 'exclusive needs roles, the complete list of the role assignments'),
    (dict(roles=[], exclusive=True, state='absent'), 'exclusive applies to state=present only'),
    (dict(role='Identity Data Admin', propagation_timeout=-1), 'propagation_timeout must not be negative, got -1'),
])
def test_bad_combinations_are_refused_naming_the_option(args, text):
    with pytest.raises(PingOneOptionError) as info:
        module.check_options(params(**args))
    assert text in str(info.value), str(info.value)


@pytest.mark.parametrize('args', [
    dict(role='Identity Data Admin'),
    dict(role='Identity Data Admin', scope_id=''),
    dict(role='Application Owner', scope_type='APPLICATION', scope_name='Billing'),
    dict(roles=[], exclusive=True),
    dict(roles=[entry(role='Application Owner', scope_type='APPLICATION', scope_id='a-1'), entry(role='Environment Admin')], exclusive=True,
         allow_actor_role_removal=True),
])
def test_good_combinations_pass(args):
    module.check_options(params(**args))


def test_the_single_options_default_to_environment_scope():
    assert module.requested(params(role='Identity Data Admin')) == [
        ('', {'role': 'Identity Data Admin', 'scope_type': 'ENVIRONMENT', 'scope_id': None, 'scope_name': None})]
    assert [prefix for prefix, dummy in module.requested(params(roles=[entry(role='a'), entry(role='b')]))] == ['roles[0].', 'roles[1].']
