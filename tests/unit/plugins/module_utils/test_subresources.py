# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Grants and role assignments of a fleet's applications: resolved once, compared, written once."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _subresources as subresources
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneLookupError, PingOneOptionError

ENV = 'e0000000-0000-4000-8000-000000000001'
ORDERS = dict(id='r1', name='Orders API')
SCOPES = [dict(id='s1', name='orders:read'), dict(id='s2', name='orders:write'), dict(id='s3', name='orders:admin')]
ROLES = [dict(id='role-1', name='Identity Data Read Only'), dict(id='role-2', name='Environment Admin')]


class FakeAccess:
    """The reads and writes the engine uses, counted."""

    environment_id = ENV

    def __init__(self, grants=(), assignments=()):
        self.grants = list(grants)
        self.assignments = list(assignments)
        self.calls = []
        self.fail_next_write = None
        self.client = self

    def list_resources(self):
        self.calls.append('resources')
        return [ORDERS]

    def list_scopes(self, resource_id):
        self.calls.append('scopes')
        return SCOPES

    def list_roles(self):
        self.calls.append('roles')
        return ROLES

    def organization_id(self):
        self.calls.append('organization')
        return 'org-1'

    def list_grants(self, application_id):
        self.calls.append('grants')
        return list(self.grants)

    def list_role_assignments(self, application_id):
        self.calls.append('assignments')
        return list(self.assignments)

    def create_grant(self, application_id, resource_id, scope_ids):
        self.calls.append('create grant')
        self.grants.append(dict(id='g1', resource=dict(id=resource_id), scopes=[dict(id=s) for s in scope_ids]))
        if self.fail_next_write:
            raise self.fail_next_write

    def update_grant(self, application_id, grant_id, resource_id, scope_ids):
        self.calls.append('update grant')
        self.grants = [dict(id=grant_id, resource=dict(id=resource_id), scopes=[dict(id=s) for s in scope_ids])]

    def create_role_assignment(self, application_id, role_id, scope_type, scope_id):
        self.calls.append('assign')
        self.assignments.append(dict(role=dict(id=role_id), scope=dict(type=scope_type, id=scope_id)))

    def settle(self, read, landed):
        found = read()
        return found if landed(found) else None


def grant(*scope_ids):
    return dict(id='g1', resource=dict(id='r1'), scopes=[dict(id=s) for s in scope_ids])


def definition(**options):
    spec = subresources.argument_spec()
    values = dict(grants=None, roles=None)
    for option, items in options.items():
        defaults = {name: entry.get('default') for name, entry in spec[option]['options'].items()}
        values[option] = [dict(defaults, **item) for item in items]
    return values


def converge(access, app_id='a1', created=None, **options):
    engine = subresources.Holdings(access)
    planned = engine.plan(app_id, engine.resolve(definition(**options), 'applications[0]'), created)
    for kind, change in planned:
        engine.write(app_id, kind, change)
    return [(kind.option, change.text) for kind, change in planned]


@pytest.mark.parametrize('held, exclusive, expected', [
    ((), False, ["resource 'Orders API': +orders:read"]),
    (('s2',), False, ["resource 'Orders API': +orders:read"]),
    (('s1', 's2'), False, []),
    (('s1', 's2'), True, ["resource 'Orders API': -orders:write"]),
    (('s1',), True, []),
])
def test_a_grant_adds_what_is_missing_and_removes_only_when_exclusive(held, exclusive, expected):
    access = FakeAccess([grant(*held)] if held else [])
    texts = [text for dummy, text in converge(access, grants=[dict(resource='orders api', scopes=['orders:read'], exclusive=exclusive)])]
    assert texts == expected
    assert converge(access, grants=[dict(resource='orders api', scopes=['orders:read'], exclusive=exclusive)]) == []


def test_roles_default_to_this_environment_and_the_organization_and_are_only_added():
    access = FakeAccess(assignments=[dict(role=dict(id='role-2'), scope=dict(type='ENVIRONMENT', id='other'))])
    texts = converge(access, roles=[dict(role='identity data read only'), dict(role='role-2', scope_type='ORGANIZATION')])
    assert texts == [('roles', "role 'Identity Data Read Only' at ENVIRONMENT scope '%s'" % ENV),
                     ('roles', "role 'Environment Admin' at ORGANIZATION scope 'org-1'")]
    assert len(access.assignments) == 3  # the undeclared one is kept


def test_a_new_application_is_read_only_for_what_it_may_hold_already():
    access = FakeAccess()
    converge(access, created=dict(assign_actor_roles=None), grants=[dict(resource='r1', scopes=['s1'])], roles=[dict(role='role-1')])
    assert 'grants' not in access.calls and 'assignments' in access.calls  # the creator's roles come with a new worker
    access = FakeAccess()
    converge(access, created=dict(assign_actor_roles=False), roles=[dict(role='role-1')])
    assert 'assignments' not in access.calls


def test_names_are_resolved_with_one_read_per_kind_and_errors_name_the_option():
    access = FakeAccess()
    engine = subresources.Holdings(access)
    for index in range(3):
        engine.resolve(definition(grants=[dict(resource='Orders API', scopes=['orders:read'])], roles=[dict(role='role-1')]),
                       'applications[%d]' % index)
    assert sorted(access.calls) == ['resources', 'roles', 'scopes']
    with pytest.raises(PingOneLookupError, match=r"^applications\[4\]\.grants\[0\]\.scopes: 'nope' is not a scope"):
        engine.resolve(definition(grants=[dict(resource='Orders API', scopes=['nope'])]), 'applications[4]')
    with pytest.raises(PingOneLookupError, match=r"^applications\[5\]\.roles\[0\]\.scope_id is required with scope_type POPULATION"):
        engine.resolve(definition(roles=[dict(role='role-1', scope_type='POPULATION')]), 'applications[5]')


def test_a_write_with_no_clear_outcome_is_read_back_not_sent_again():
    access = FakeAccess()
    access.fail_next_write = PingOneApiError('Granting', 502, 'BAD_GATEWAY', 'no reply')
    access.fail_next_write.maybe_committed = True
    assert converge(access, grants=[dict(resource='r1', scopes=['s1'])]) == [('grants', "resource 'Orders API': +orders:read")]
    assert access.calls.count('create grant') == 1 and access.calls[-1] == 'grants'


# -- attribute mappings and sign-on policies ----------------------------------------------------------------------------

SUB = dict(id='m-sub', name='sub', value='${user.id}', mappingType='CORE', required=True)
SIGN_ON_POLICIES = [dict(id='p-single', name='Single_Factor'), dict(id='p-mfa', name='Multi_Factor'), dict(id='p-pwl', name='Passwordless')]


class FakeServices(FakeAccess):
    """FakeAccess with the mapping and policy requests the engine makes, counted (it stands in for both services)."""

    def __init__(self, mappings=(SUB,), sign_on=()):
        super().__init__()
        self.mappings = [dict(mapping) for mapping in mappings]
        self.sign_on = [dict(id='a%d' % index, signOnPolicy=dict(id=policy_id), priority=priority)
                        for index, (policy_id, priority) in enumerate(sign_on)]

    def list_mappings(self, application_id):
        self.calls.append('mappings')
        return [dict(mapping) for mapping in self.mappings]

    def create_mapping(self, application_id, body):
        self.calls.append('add mapping')
        self.mappings.append(dict(body, id='m-%s' % body['name'], mappingType='CUSTOM'))
        if self.fail_next_write:
            raise self.fail_next_write

    def update_mapping(self, application_id, mapping_id, body):
        self.calls.append('update mapping')
        self.mappings = [dict(body, id=mapping_id) if mapping['id'] == mapping_id else mapping for mapping in self.mappings]

    def delete_mapping(self, application_id, mapping_id):
        self.calls.append('remove mapping')
        self.mappings = [mapping for mapping in self.mappings if mapping['id'] != mapping_id]

    def list_policies(self, kind):
        self.calls.append('policies')
        return SIGN_ON_POLICIES

    def list_assignments(self, kind, application_id):
        self.calls.append('policy assignments')
        return [dict(item) for item in self.sign_on]

    def create_assignment(self, kind, application_id, policy_id, priority):
        self.calls.append('assign policy')
        self.sign_on.append(dict(id='a%d' % len(self.calls), signOnPolicy=dict(id=policy_id), priority=priority))

    def update_assignment(self, kind, application_id, assignment, priority):
        self.calls.append('move policy')
        for item in self.sign_on:
            if item['id'] == assignment['id']:
                item['priority'] = priority


def holdings(services):
    engine = subresources.Holdings(services)
    for kind in engine.kinds:
        if hasattr(kind, 'service'):
            kind.service = services
    return engine


def held_definition(exclusive=False, **options):
    values = definition(**{option: items for option, items in options.items() if option in ('grants', 'roles', 'attribute_mappings')})
    values.update(attribute_mappings=values.get('attribute_mappings'), attribute_mappings_exclusive=exclusive,
                  sign_on_policies=options.get('sign_on_policies'))
    return values


def converge_held(services, app_id='a1', created=None, check_mode=False, **options):
    engine = holdings(services)
    planned = engine.plan(app_id, engine.resolve(held_definition(**options), 'applications[0]'), created)
    if not check_mode:
        for kind, change in planned:
            engine.write(app_id, kind, change)
    return ['%s %s' % (change.verb, change.text) for dummy, change in planned]


def test_mappings_are_added_or_changed_by_name_and_others_kept_unless_exclusive():
    services = FakeServices(mappings=[SUB, dict(id='m-old', name='old', value='x', mappingType='CUSTOM'),
                                      dict(id='m-email', name='email', value='${user.mail}', mappingType='CUSTOM')])
    wanted = [dict(name='email', value='${user.email}', required=True), dict(name='Email', value='${user.email}')]
    assert converge_held(services, attribute_mappings=wanted) == ["update attribute mapping 'email': value, required",
                                                                  "add attribute mapping 'Email'"]
    assert {mapping['name'] for mapping in services.mappings} == {'sub', 'old', 'email', 'Email'}
    assert converge_held(services, attribute_mappings=wanted) == []
    assert converge_held(services, exclusive=True, attribute_mappings=wanted) == ["remove attribute mapping 'old'"]
    assert {mapping['name'] for mapping in services.mappings} == {'sub', 'email', 'Email'}  # the CORE mapping stays
    assert converge_held(services, exclusive=True, attribute_mappings=wanted) == []


def test_a_new_application_holds_the_core_mapping_and_no_sign_on_policy():
    services = FakeServices()
    created = held_definition(attribute_mappings=[dict(name='email', value='${user.email}')], sign_on_policies=['Multi_Factor'])
    texts = converge_held(services, created=created, attribute_mappings=created['attribute_mappings'], sign_on_policies=['Multi_Factor'])
    assert texts == ["add attribute mapping 'email'", "assign sign-on policy 'Multi_Factor' at priority 1"]
    assert 'mappings' not in services.calls and 'policy assignments' not in services.calls
    # sub's mapping must be read for its ID; check mode (not created yet) compares with PingOne's default
    services = FakeServices()
    core = [dict(name='sub', value='${user.email}')]
    assert converge_held(services, app_id=None, check_mode=True, attribute_mappings=core) == ["update attribute mapping 'sub': value"]
    assert converge_held(services, app_id=None, check_mode=True, attribute_mappings=[dict(name='sub', value='${user.id}')]) == []
    assert services.calls == []
    assert converge_held(services, created=held_definition(attribute_mappings=core), attribute_mappings=core) == [
        "update attribute mapping 'sub': value"]
    assert services.calls == ['mappings', 'update mapping'] and services.mappings[0]['value'] == '${user.email}'


@pytest.mark.parametrize('items, exclusive, text', [
    ([dict(name='aud', value='x')], False, r"^applications\[0\]\.attribute_mappings\[0\]\.name 'aud' is a claim PingOne sets itself"),
    ([dict(name='a', value='x'), dict(name='b', value='${user.email')], False,
     r"^applications\[0\]\.attribute_mappings\[1\]\.value has an expression \$\{ without its closing \}"),
    ([dict(name='a', value=3)], False, r"^applications\[0\]\.attribute_mappings\[0\]\.value must be a string"),
    ([dict(name='a', value='x', id_token=False, user_info=False)], False,
     r"^applications\[0\]\.attribute_mappings\[0\]\.id_token and applications\[0\]\.attribute_mappings\[0\]\.user_info cannot both"),
    ([dict(name='sub', value='x', required=False)], False, r"^applications\[0\]\.attribute_mappings\[0\]\.required must be true"),
    ([dict(name='mappings', value='x'), dict(name='mappings', value='y')], False,
     r"^applications\[0\]\.attribute_mappings lists the mapping 'mappings' twice"),
    (None, True, r"^applications\[0\]\.attribute_mappings_exclusive needs applications\[0\]\.attribute_mappings"),
])
def test_mappings_are_checked_before_any_request_naming_the_option(items, exclusive, text):
    spec = subresources.argument_spec()['attribute_mappings']['options']
    values = dict(attribute_mappings=[dict({name: None for name in spec}, **item) for item in items] if items else None,
                  attribute_mappings_exclusive=exclusive, sign_on_policies=None)
    with pytest.raises(PingOneOptionError, match=text):
        subresources.check_definitions([dict(grants=None, roles=None, **values)])


def test_a_managed_mapping_refused_by_the_plan_is_named_in_the_fleet():
    services = FakeServices(mappings=[SUB, dict(id='m-e', name='email', value='x', mappingType='SCOPE')])
    with pytest.raises(PingOneOptionError, match=r"^applications\[0\]\.attribute_mappings\[0\]\.id_token does not apply to the SCOPE"):
        converge_held(services, attribute_mappings=[dict(name='email', value='x', id_token=False)])


def test_sign_on_policies_come_first_in_order_and_others_are_kept_after_them():
    services = FakeServices(sign_on=[('p-single', 1), ('p-pwl', 2)])
    texts = converge_held(services, sign_on_policies=['multi_factor', 'p-pwl'])
    assert texts == ["update sign-on policy 'Single_Factor' from priority 1 to 3", "assign sign-on policy 'Multi_Factor' at priority 1"]
    assert sorted((item['signOnPolicy']['id'], item['priority']) for item in services.sign_on) == [
        ('p-mfa', 1), ('p-pwl', 2), ('p-single', 3)]
    assert converge_held(services, sign_on_policies=['Multi_Factor', 'Passwordless']) == []


def test_sign_on_policies_are_listed_once_per_run_and_errors_name_the_option():
    services = FakeServices()
    engine = holdings(services)
    for index in range(3):
        engine.resolve(held_definition(sign_on_policies=['Single_Factor']), 'applications[%d]' % index)
    assert services.calls == ['policies']
    with pytest.raises(subresources.Unresolved, match=r"^applications\[4\]\.sign_on_policies: 'Nope' is not a sign-on policy of "
                                                      r"environment '%s' \(its sign-on policies: Single_Factor" % ENV) as caught:
        engine.resolve(held_definition(sign_on_policies=['Single_Factor', 'Nope']), 'applications[4]')
    assert caught.value.kind.option == 'sign_on_policies'
    with pytest.raises(subresources.Unresolved, match=r"^applications\[5\]\.sign_on_policies names sign-on policy 'Multi_Factor' twice"):
        engine.resolve(held_definition(sign_on_policies=['Multi_Factor', 'p-mfa']), 'applications[5]')
    with pytest.raises(PingOneOptionError, match=r"^applications\[0\]\.sign_on_policies lists 'mfa' twice"):
        subresources.check_definitions([held_definition(sign_on_policies=['MFA', 'mfa'])])
    assert subresources.nouns(engine.kinds[2:]) == 'attribute mappings or sign-on policies'


def test_a_policy_assignment_with_no_clear_outcome_is_read_back_not_sent_again():
    services = FakeServices()

    def lost_reply(kind, application_id, policy_id, priority):
        FakeServices.create_assignment(services, kind, application_id, policy_id, priority)
        error = PingOneApiError('Assigning', 502, 'BAD_GATEWAY', 'no reply')
        error.maybe_committed = True
        raise error

    services.create_assignment = lost_reply
    engine = holdings(services)
    planned = engine.plan('a1', engine.resolve(held_definition(sign_on_policies=['Passwordless']), 'applications[0]'))
    warning = engine.write('a1', *planned[0])
    assert 'reading again showed it in place' in warning
    assert services.calls.count('assign policy') == 1 and len(services.sign_on) == 1
