# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Policy assignments: option checks, name resolution, the plan, its words, and the service's reads and writes."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _policies
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneLookupError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._policies import FLOW, SIGN_ON
from ansible_collections.pingone.oidc.tests.unit.plugins.module_utils.fakes import FakeClock, FakeResponse, FakeSession, p1_error, token

POLICIES = [{'id': 'p-single', 'name': 'Single_Factor'}, {'id': 'p-mfa', 'name': 'Multi_Factor'},
            {'id': 'p-pwl', 'name': 'Passwordless'}]
NAMES = {policy['id']: policy['name'] for policy in POLICIES}
NAMES.update({'f-login': 'Login Flow'})
APP = "application 'Web'"


def params(**args):
    values = dict(state='present', sign_on_policies=None, flow_policies=None, exclusive=False)
    values.update(args)
    return values


def state(sign_on=(), flow=()):
    """Assignments as read: (assignment id, policy id, priority) per kind."""
    def views(items):
        return [{'id': item[0], 'policy_id': item[1], 'priority': item[2]} for item in items]
    return {SIGN_ON.key: views(sign_on), FLOW.key: views(flow)}


def steps(planned):
    return [(step.action, step.kind.key, step.assignment['policy_id'], step.priority) for step in planned.steps]


def order(planned_state, kind=SIGN_ON):
    return [(item['policy_id'], item['priority']) for item in planned_state[kind.key]]


# -- options ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('args, text', [
    (dict(sign_on_policies=['a'], flow_policies=['b']), 'sign_on_policies and flow_policies are mutually exclusive: an application '
                                                        'signs users on with PingOne sign-on policies or with DaVinci flow policies'),
    (dict(sign_on_policies=['a'], flow_policies=[], state='absent'), 'sign_on_policies and flow_policies are mutually exclusive'),
    (dict(), 'sign_on_policies or flow_policies is required with state=present'),
    (dict(sign_on_policies=[]), 'sign_on_policies must list at least one policy with state=present'),
    (dict(flow_policies=[], state='absent'), 'flow_policies must list at least one policy to remove with state=absent (leave it unset'),
    (dict(state='absent', exclusive=True), 'exclusive applies to state=present only'),
    (dict(sign_on_policies=['MFA', 'x', 'mfa']), "sign_on_policies lists 'mfa' twice"),
    (dict(sign_on_policies=['a', ' ']), 'sign_on_policies[1] must not be empty or contain a control character'),
    (dict(flow_policies=['a\nb']), 'flow_policies[0] must not be empty or contain a control character'),
])
def test_bad_options_are_refused_naming_the_option(args, text):
    with pytest.raises(PingOneOptionError) as info:
        _policies.check_options(params(**args))
    assert str(info.value).startswith(text)


@pytest.mark.parametrize('args', [dict(sign_on_policies=['a', 'b']), dict(flow_policies=['f'], exclusive=True), dict(state='absent'),
                                  dict(state='absent', sign_on_policies=['a'])])
def test_good_options_pass(args):
    _policies.check_options(params(**args))


def test_the_kind_the_options_name():
    assert _policies.wanted_kind(params(sign_on_policies=['a'])) is SIGN_ON
    assert _policies.wanted_kind(params(flow_policies=['a'])) is FLOW
    assert _policies.wanted_kind(params(state='absent')) is None
    assert _policies.other_kind(SIGN_ON) is FLOW and _policies.other_kind(FLOW) is SIGN_ON


# -- names ------------------------------------------------------------------------------------------------------------

def test_policies_are_found_by_id_then_exact_name_then_ignoring_case_in_the_order_given():
    found = _policies.resolve(SIGN_ON, POLICIES, ['passwordless', 'p-single', 'Multi_Factor'], "environment 'e'")
    assert [policy['id'] for policy in found] == ['p-pwl', 'p-single', 'p-mfa']
    twins = [{'id': '1', 'name': 'MFA'}, {'id': '2', 'name': 'mfa'}]
    assert _policies.resolve(SIGN_ON, twins, ['mfa'], 'x')[0]['id'] == '2'  # the exact name wins
    with pytest.raises(PingOneLookupError) as info:
        _policies.resolve(SIGN_ON, twins, ['Mfa'], 'x')
    assert str(info.value) == "sign_on_policies: 'Mfa' matches 2 sign-on policies when case is ignored (MFA, mfa); give the exact name or the ID"


def test_unknown_names_fail_naming_the_option_and_listing_what_there_is():
    with pytest.raises(PingOneLookupError) as info:
        _policies.resolve(SIGN_ON, POLICIES, ['Multi_Factor', 'MFA', 'Nope'], "environment 'e'")
    assert str(info.value) == ("sign_on_policies: 'MFA', 'Nope' are not a sign-on policy of environment 'e' (its sign-on policies: "
                               "Single_Factor, Multi_Factor, Passwordless)")
    with pytest.raises(PingOneLookupError) as info:
        _policies.resolve(FLOW, [], ['Login'], "environment 'e'")
    assert str(info.value) == "flow_policies: 'Login' is not a flow policy of environment 'e' (its flow policies: none)"


def test_one_policy_named_twice_is_refused():
    with pytest.raises(PingOneOptionError) as info:
        _policies.resolve(SIGN_ON, POLICIES, ['Multi_Factor', 'p-mfa'], 'x')
    assert str(info.value) == "sign_on_policies names sign-on policy 'Multi_Factor' twice (by name and by ID)"


# -- the plan ---------------------------------------------------------------------------------------------------------

def test_new_policies_are_created_at_their_positions():
    planned = _policies.plan(state(), SIGN_ON, ['p-mfa', 'p-single'], True, False)
    assert steps(planned) == [('create', 'sign_on_policy', 'p-mfa', 1), ('create', 'sign_on_policy', 'p-single', 2)]
    assert order(planned.after) == [('p-mfa', 1), ('p-single', 2)]
    assert [item['id'] for item in planned.after[SIGN_ON.key]] == [None, None]


def test_the_same_order_plans_nothing_and_a_new_order_only_moves():
    current = state(sign_on=[('a1', 'p-mfa', 1), ('a2', 'p-single', 2)])
    assert _policies.plan(current, SIGN_ON, ['p-mfa', 'p-single'], True, False).steps == []
    planned = _policies.plan(current, SIGN_ON, ['p-single', 'p-mfa'], True, False)
    assert steps(planned) == [('update', 'sign_on_policy', 'p-single', 1), ('update', 'sign_on_policy', 'p-mfa', 2)]
    assert [(item['id'], item['priority']) for item in planned.after[SIGN_ON.key]] == [('a2', 1), ('a1', 2)]


def test_unlisted_policies_follow_the_listed_ones_or_go_with_exclusive():
    current = state(sign_on=[('a1', 'p-pwl', 1), ('a2', 'p-single', 2)])
    kept = _policies.plan(current, SIGN_ON, ['p-mfa'], True, False)
    assert steps(kept) == [('update', 'sign_on_policy', 'p-pwl', 2), ('update', 'sign_on_policy', 'p-single', 3),
                           ('create', 'sign_on_policy', 'p-mfa', 1)]
    assert order(kept.after) == [('p-mfa', 1), ('p-pwl', 2), ('p-single', 3)]
    exact = _policies.plan(current, SIGN_ON, ['p-single'], True, True)
    assert steps(exact) == [('delete', 'sign_on_policy', 'p-pwl', None), ('update', 'sign_on_policy', 'p-single', 1)]
    assert order(exact.after) == [('p-single', 1)]


def test_the_other_kind_is_removed_first_and_a_second_assignment_of_a_wanted_policy_goes():
    current = state(sign_on=[('a1', 'p-mfa', 1), ('a2', 'p-mfa', 2)], flow=[('f1', 'f-login', 1)])
    planned = _policies.plan(current, SIGN_ON, ['p-mfa'], True, True)
    assert steps(planned) == [('delete', 'flow_policy', 'f-login', None), ('delete', 'sign_on_policy', 'p-mfa', None)]
    assert planned.steps[1].assignment['id'] == 'a2' and planned.after[FLOW.key] == []
    assert order(planned.after) == [('p-mfa', 1)]


def test_absent_removes_the_listed_policies_or_everything_and_keeps_priorities():
    current = state(sign_on=[('a1', 'p-mfa', 1), ('a2', 'p-single', 2)], flow=[('f1', 'f-login', 1)])
    listed = _policies.plan(current, SIGN_ON, ['p-mfa', 'p-pwl'], False, False)
    assert steps(listed) == [('delete', 'sign_on_policy', 'p-mfa', None)]
    assert order(listed.after) == [('p-single', 2)] and listed.after[FLOW.key] == current[FLOW.key]
    everything = _policies.plan(current, None, None, False, False)
    assert [step.assignment['id'] for step in everything.steps] == ['a1', 'a2', 'f1']
    assert everything.after == {SIGN_ON.key: [], FLOW.key: []}
    assert _policies.plan(state(), None, None, False, False).steps == []


def test_landed_and_applied_follow_each_kind_of_step():
    current = state(sign_on=[('a1', 'p-mfa', 1)])
    planned = _policies.plan(current, SIGN_ON, ['p-single', 'p-mfa'], True, False)
    update, create = planned.steps
    assert not _policies.landed(update, current) and not _policies.landed(create, current)
    moved = _policies.applied(update, current)
    assert _policies.landed(update, moved) and order(moved) == [('p-mfa', 2)]
    made = _policies.applied(create, moved, {'id': 'a9', 'signOnPolicy': {'id': 'p-single'}, 'priority': 1})
    assert _policies.landed(create, made) and [(item['id'], item['priority']) for item in made[SIGN_ON.key]] == [('a9', 1), ('a1', 2)]
    assert _policies.same_state(made, _policies.plan(made, SIGN_ON, ['p-single', 'p-mfa'], True, False).after)
    delete = _policies.plan(made, SIGN_ON, ['p-mfa'], False, False).steps[0]
    assert not _policies.landed(delete, made) and _policies.landed(delete, _policies.applied(delete, made))
    assert not _policies.same_state(made, current)


def test_assignments_are_read_in_priority_order_whatever_the_list_order():
    items = [{'id': 'b', 'signOnPolicy': {'id': 'p2'}, 'priority': 2}, {'id': 'z', 'signOnPolicy': {'id': 'p1'}, 'priority': 1},
             {'id': 'a', 'signOnPolicy': {'id': 'p3'}, 'priority': 2}]
    assert [item['id'] for item in _policies.in_order([_policies.view(SIGN_ON, item) for item in items])] == ['z', 'a', 'b']


# -- words ------------------------------------------------------------------------------------------------------------

def describe(before, after):
    return _policies.describe(before, after, NAMES, APP)


def test_the_words_name_what_was_assigned_removed_and_reordered():
    assert describe(state(), _policies.plan(state(), SIGN_ON, ['p-mfa', 'p-single'], True, False).after) == (
        [('assign', "sign-on policies 'Multi_Factor', 'Single_Factor' to application 'Web'")],
        'sign-on policies in order: Multi_Factor, Single_Factor')
    current = state(sign_on=[('a1', 'p-mfa', 1), ('a2', 'p-single', 2), ('a3', 'p-pwl', 3)])
    assert describe(current, _policies.plan(current, SIGN_ON, ['p-single', 'p-mfa'], True, True).after) == (
        [('remove', "sign-on policy 'Passwordless' from application 'Web'"),
         ('update', "the order of the sign-on policies of application 'Web'")],
        'sign-on policies in order: Single_Factor, Multi_Factor')
    assert describe(current, current) == ([], None)


def test_the_words_for_renumbering_a_duplicate_and_an_empty_application():
    gap = state(sign_on=[('a1', 'p-mfa', 4)])
    assert describe(gap, _policies.plan(gap, SIGN_ON, ['p-mfa'], True, False).after)[0] == [
        ('update', "the priorities of the sign-on policies of application 'Web'")]
    twice = state(sign_on=[('a1', 'p-mfa', 1), ('a2', 'p-mfa', 2)])
    assert describe(twice, _policies.plan(twice, SIGN_ON, ['p-mfa'], True, False).after)[0] == [
        ('remove', "a second assignment of one sign-on policy from application 'Web'")]
    both = state(sign_on=[('a1', 'p-mfa', 1)], flow=[('f1', 'f-login', 1)])
    assert describe(both, _policies.plan(both, None, None, False, False).after) == (
        [('remove', "sign-on policy 'Multi_Factor' from application 'Web'"), ('remove', "flow policy 'Login Flow' from application 'Web'")],
        "no sign-on policies left; no flow policies left (the environment's default sign-on policy applies)")
    unknown = state(flow=[('f1', 'f-gone', 1)])
    assert describe(unknown, state())[0] == [('remove', "flow policy 'f-gone' from application 'Web'")]  # no name: the ID


def test_the_diff_and_the_return_value():
    after = _policies.plan(state(flow=[('f1', 'f-login', 1)]), SIGN_ON, ['p-mfa'], True, True).after
    assert _policies.names_in_order(after, NAMES) == {'sign_on_policies': ['Multi_Factor'], 'flow_policies': []}
    assert _policies.assignments_result(after, NAMES) == [{'kind': 'sign_on_policy', 'policy': {'id': 'p-mfa', 'name': 'Multi_Factor'},
                                                           'priority': 1}]
    made = state(sign_on=[('a1', 'p-mfa', 1)], flow=[('f1', 'f-login', 1)])
    assert _policies.assignments_result(made, NAMES) == [
        {'id': 'a1', 'kind': 'sign_on_policy', 'policy': {'id': 'p-mfa', 'name': 'Multi_Factor'}, 'priority': 1},
        {'id': 'f1', 'kind': 'flow_policy', 'policy': {'id': 'f-login', 'name': 'Login Flow'}, 'priority': 1}]


# -- the service ------------------------------------------------------------------------------------------------------

def service(*script):
    clock = FakeClock()
    session = FakeSession(token(), *script)
    client = PingOneClient(ClientConfig(environment_id='w', client_id='c', client_secret='s', api_url='https://api.example.com/v1',
                                        max_retries=0), session=session, sleep=clock.sleep, clock=clock)
    return _policies.PoliciesService(client, 'env-1'), session


def page(key, *items):
    return FakeResponse(200, {'_embedded': {key: list(items)}})


def test_the_service_reads_both_kinds_and_writes_one_assignment_per_request():
    svc, session = service(
        page('signOnPolicyAssignments', {'id': 'a2', 'signOnPolicy': {'id': 'p2'}, 'priority': 2},
             {'id': 'a1', 'signOnPolicy': {'id': 'p1'}, 'priority': 1}),
        page('flowPolicyAssignments'),
        FakeResponse(201, {'id': 'a3', 'signOnPolicy': {'id': 'p3'}, 'priority': 3}),
        FakeResponse(200, {'id': 'a1', 'signOnPolicy': {'id': 'p1'}, 'priority': 4}),
        FakeResponse(204),
        p1_error(404, 'NOT_FOUND', 'The requested resource was not found.'))
    read = svc.read_state('app/1')
    assert [item['id'] for item in read[SIGN_ON.key]] == ['a1', 'a2'] and read[FLOW.key] == []
    assert svc.create_assignment(SIGN_ON, 'app/1', 'p3', 3)['id'] == 'a3'
    assert svc.update_assignment(SIGN_ON, 'app/1', read[SIGN_ON.key][0], 4)['priority'] == 4
    assert svc.delete_assignment(SIGN_ON, 'app/1', 'a2') is True
    assert svc.delete_assignment(FLOW, 'app/1', 'f1') is False  # already gone
    calls = [(call['method'], call['url'].split('/v1/')[1], json.loads(call['data']) if call.get('data') else None)
             for call in session.calls[1:]]
    base = 'environments/env-1/applications/app%2F1/'
    assert calls == [
        ('GET', base + 'signOnPolicyAssignments', None), ('GET', base + 'flowPolicyAssignments', None),
        ('POST', base + 'signOnPolicyAssignments', {'signOnPolicy': {'id': 'p3'}, 'priority': 3}),
        ('PUT', base + 'signOnPolicyAssignments/a1', {'signOnPolicy': {'id': 'p1'}, 'priority': 4}),
        ('DELETE', base + 'signOnPolicyAssignments/a2', None), ('DELETE', base + 'flowPolicyAssignments/f1', None)]


def test_an_environment_without_davinci_has_no_flow_assignments_unless_the_task_is_about_them():
    not_licensed = p1_error(403, 'ACCESS_FAILED', 'You do not have permissions or are not licensed to make this request.')
    svc, dummy = service(page('signOnPolicyAssignments'), not_licensed)
    assert svc.read_state('app', flow_needed=False) == {SIGN_ON.key: [], FLOW.key: []}
    svc, dummy = service(page('signOnPolicyAssignments'), not_licensed)
    with pytest.raises(PingOneApiError) as info:
        svc.read_state('app', flow_needed=True)
    assert info.value.status == 403
    svc, dummy = service(page('signOnPolicyAssignments'), p1_error(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.'))
    with pytest.raises(PingOneApiError):
        svc.read_state('app', flow_needed=False)


def test_the_policies_of_the_environment_are_listed_by_kind():
    svc, session = service(page('flowPolicies', {'id': 'f' * 32, 'name': 'Login Flow'}))
    assert svc.list_policies(FLOW) == [{'id': 'f' * 32, 'name': 'Login Flow'}]
    assert session.calls[1]['url'] == 'https://api.example.com/v1/environments/env-1/flowPolicies'
