# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_sign_on_policy's main() against the in-process simulator."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _client, _policies
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_sign_on_policy as module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

APP = '/v1/environments/{envId}/applications/{appId}/'
SOP = APP + 'signOnPolicyAssignments'
FLOW = APP + 'flowPolicyAssignments'
SOP_ONE = SOP + '/{signOnPolicyAssignmentId}'
FLOW_ONE = FLOW + '/{flowPolicyAssignmentId}'
WRITE_ROUTES = ('POST ' + SOP, 'PUT ' + SOP_ONE, 'DELETE ' + SOP_ONE, 'POST ' + FLOW, 'PUT ' + FLOW_ONE, 'DELETE ' + FLOW_ONE)
WEB_APP = {'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['AUTHORIZATION_CODE'],
           'responseTypes': ['CODE'], 'redirectUris': ['https://p.example.com/cb'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}
LOGIN_FLOW, SIGNUP_FLOW = 'a' * 32, 'b' * 32


def client(simulator):
    return PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                      client_id=simulator.client_id, client_secret=simulator.client_secret))


class Env:
    """A fresh environment with one web application, and what the tests read and make behind the module's back."""

    def __init__(self, simulator):
        self.sim = simulator
        self.id = simulator.new_environment('policies')
        self.client = client(simulator)
        self.service = _policies.PoliciesService(self.client, self.id)
        self.app_id = self.post('applications', dict(WEB_APP, name='Policy App'))['id']
        self.policies = {policy['name']: policy['id'] for policy in self.service.list_policies(_policies.SIGN_ON)}

    def post(self, path, body):
        return self.client.request('POST', 'environments/%s/%s' % (self.id, path), 'Seeding', json_body=body, expected=(201,)).body

    def sign_on_policy(self, name):
        self.policies[name] = self.post('signOnPolicies', {'name': name})['id']
        return self.policies[name]

    def flow_policy(self, name, policy_id):
        self.sim.control('POST', 'environments/%s/flowPolicies' % self.id, json={'name': name, 'id': policy_id})

    def assigned(self, kind=_policies.SIGN_ON):
        """(policy name or ID, priority) of the application's assignments of one kind, in priority order."""
        names = {policy_id: name for name, policy_id in self.policies.items()}
        return [(names.get(item['policy_id'], item['policy_id']), item['priority'])
                for item in self.service.read_state(self.app_id)[kind.key]]

    def assign(self, kind, policy_id, priority):
        return self.service.create_assignment(kind, self.app_id, policy_id, priority)


@pytest.fixture
def env(simulator):
    made = Env(simulator)
    made.sign_on_policy('Multi_Factor')
    return made


def run(run_module, env, check_mode=False, diff=False, **args):
    args.setdefault('name', 'Policy App')
    return run_module(module, dict(env.sim.module_auth(), environment_id=env.id, **args), check_mode, diff)


def writes(simulator):
    by_route = simulator.stats()['by_route']
    return sum(by_route.get(route, 0) for route in WRITE_ROUTES)


def test_assign_in_order_then_nothing_then_reorder(env, run_module):
    planned, failed = run(run_module, env, sign_on_policies=['Multi_Factor', 'Single_Factor'], check_mode=True, diff=True)
    assert not failed and planned['changed'] is True, planned
    assert planned['msg'] == ("Would assign sign-on policies 'Multi_Factor', 'Single_Factor' to application 'Policy App'; "
                              "sign-on policies in order: Multi_Factor, Single_Factor")
    assert planned['diff'] == {'before': {'sign_on_policies': [], 'flow_policies': []},
                               'after': {'sign_on_policies': ['Multi_Factor', 'Single_Factor'], 'flow_policies': []}}
    assert [item.get('id') for item in planned['assignments']] == [None, None]
    assert writes(env.sim) == 0 and env.assigned() == []
    done, failed = run(run_module, env, sign_on_policies=['Multi_Factor', 'Single_Factor'])
    assert not failed and done['changed'] is True and done['msg'] == planned['msg'].replace('Would assign', 'Assigned'), done
    assert env.assigned() == [('Multi_Factor', 1), ('Single_Factor', 2)]
    assert [(item['kind'], item['policy'], item['priority']) for item in done['assignments']] == [
        ('sign_on_policy', {'id': env.policies['Multi_Factor'], 'name': 'Multi_Factor'}, 1),
        ('sign_on_policy', {'id': env.policies['Single_Factor'], 'name': 'Single_Factor'}, 2)]
    assert all(item['id'] for item in done['assignments'])
    again, failed = run(run_module, env, sign_on_policies=['multi_factor', env.policies['Single_Factor']])
    assert not failed and again['changed'] is False, again
    assert again['msg'] == "Application 'Policy App' already has its sign-on policies in order: Multi_Factor, Single_Factor"
    assert again['assignments'] == done['assignments'] and writes(env.sim) == 2
    swapped, failed = run(run_module, env, sign_on_policies=['Single_Factor', 'Multi_Factor'], diff=True)
    assert not failed and swapped['changed'] is True, swapped
    assert swapped['msg'] == ("Updated the order of the sign-on policies of application 'Policy App'; "
                              "sign-on policies in order: Single_Factor, Multi_Factor")
    assert swapped['diff']['after']['sign_on_policies'] == ['Single_Factor', 'Multi_Factor']
    assert env.assigned() == [('Single_Factor', 1), ('Multi_Factor', 2)]
    assert sorted(item['id'] for item in swapped['assignments']) == sorted(item['id'] for item in done['assignments'])  # moved, not remade
    assert env.sim.stats()['by_route']['PUT ' + SOP_ONE] == 2


def test_other_policies_are_kept_after_the_listed_ones_unless_exclusive(env, run_module):
    env.sign_on_policy('Passwordless')
    env.assign(_policies.SIGN_ON, env.policies['Passwordless'], 1)
    added, failed = run(run_module, env, sign_on_policies=['Multi_Factor'])
    assert not failed and added['changed'] is True, added
    assert added['msg'] == ("Assigned sign-on policy 'Multi_Factor' to application 'Policy App'; "
                            "sign-on policies in order: Multi_Factor, Passwordless")
    assert env.assigned() == [('Multi_Factor', 1), ('Passwordless', 2)]
    planned, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], exclusive=True, check_mode=True)
    assert not failed and planned['msg'] == ("Would remove sign-on policy 'Passwordless' from application 'Policy App'; "
                                             "sign-on policies in order: Multi_Factor")
    assert env.assigned() == [('Multi_Factor', 1), ('Passwordless', 2)]
    exact, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], exclusive=True)
    assert not failed and exact['changed'] is True and exact['msg'] == planned['msg'].replace('Would remove', 'Removed')
    assert env.assigned() == [('Multi_Factor', 1)] and len(exact['assignments']) == 1


def test_gaps_in_the_priorities_are_closed_once(env, run_module):
    env.assign(_policies.SIGN_ON, env.policies['Multi_Factor'], 5)
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor'])
    assert not failed and result['changed'] is True, result
    assert result['msg'] == ("Updated the priorities of the sign-on policies of application 'Policy App'; "
                             "sign-on policies in order: Multi_Factor")
    assert env.assigned() == [('Multi_Factor', 1)]
    assert run(run_module, env, sign_on_policies=['Multi_Factor'])[0]['changed'] is False


def test_absent_removes_the_listed_ones_and_without_a_list_everything(env, run_module):
    env.flow_policy('Login Flow', LOGIN_FLOW)
    run(run_module, env, sign_on_policies=['Multi_Factor', 'Single_Factor'])
    planned, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], state='absent', check_mode=True, diff=True)
    assert not failed and planned['changed'] is True
    assert planned['msg'] == ("Would remove sign-on policy 'Multi_Factor' from application 'Policy App'; "
                              "sign-on policies in order: Single_Factor")
    assert planned['diff']['after'] == {'sign_on_policies': ['Single_Factor'], 'flow_policies': []}
    assert env.assigned() == [('Multi_Factor', 1), ('Single_Factor', 2)]
    removed, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], state='absent')
    assert not failed and removed['changed'] is True
    assert env.assigned() == [('Single_Factor', 2)]  # what stays keeps its priority
    twice, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], state='absent')
    assert not failed and twice['changed'] is False
    assert twice['msg'] == "Application 'Policy App' has none of the sign-on policies Multi_Factor"
    env.assign(_policies.FLOW, LOGIN_FLOW, 1)  # both kinds: the API takes it, the console would not
    everything, failed = run(run_module, env, state='absent')
    assert not failed and everything['changed'] is True, everything
    assert everything['msg'] == ("Removed sign-on policy 'Single_Factor' from application 'Policy App'; removed flow policy "
                                 "'Login Flow' from application 'Policy App'; no sign-on policies left; no flow policies left "
                                 "(the environment's default sign-on policy applies)")
    assert everything['assignments'] == [] and env.assigned() == [] and env.assigned(_policies.FLOW) == []
    nothing, failed = run(run_module, env, state='absent')
    assert not failed and nothing['changed'] is False
    assert nothing['msg'] == ("Application 'Policy App' has no policy assignments (the environment's default sign-on policy "
                              "applies)")


def test_one_kind_at_a_time(env, run_module):
    env.flow_policy('Login Flow', LOGIN_FLOW)
    env.flow_policy('Signup Flow', SIGNUP_FLOW)
    run(run_module, env, sign_on_policies=['Multi_Factor'])
    before = writes(env.sim)
    refused, failed = run(run_module, env, flow_policies=['Login Flow'])
    assert failed and refused['msg'] == (
        "Application 'Policy App' has sign-on policies (Multi_Factor): an application signs users on with sign-on policies "
        "or with flow policies, never both. Set exclusive=true to replace them with flow_policies, or remove them first "
        "(state=absent with sign_on_policies)")
    assert writes(env.sim) == before
    switched, failed = run(run_module, env, flow_policies=['login flow', SIGNUP_FLOW], exclusive=True, diff=True)
    assert not failed and switched['changed'] is True, switched
    assert switched['msg'] == ("Removed sign-on policy 'Multi_Factor' from application 'Policy App'; assigned flow policies "
                               "'Login Flow', 'Signup Flow' to application 'Policy App'; no sign-on policies left; "
                               "flow policies in order: Login Flow, Signup Flow")
    assert switched['diff'] == {'before': {'sign_on_policies': ['Multi_Factor'], 'flow_policies': []},
                                'after': {'sign_on_policies': [], 'flow_policies': ['Login Flow', 'Signup Flow']}}
    assert env.assigned() == [] and env.assigned(_policies.FLOW) == [(LOGIN_FLOW, 1), (SIGNUP_FLOW, 2)]
    assert [item['kind'] for item in switched['assignments']] == ['flow_policy', 'flow_policy']
    again, failed = run(run_module, env, flow_policies=['Login Flow', 'Signup Flow'])
    assert not failed and again['changed'] is False


def test_bad_input_fails_before_any_request_naming_the_option(env, run_module):
    env.sim.control('DELETE', 'stats')
    cases = [
        (dict(sign_on_policies=['Multi_Factor'], flow_policies=['Login Flow']), 'sign_on_policies and flow_policies are mutually exclusive'),
        (dict(), 'sign_on_policies or flow_policies is required with state=present'),
        (dict(sign_on_policies=[]), 'sign_on_policies must list at least one policy with state=present'),
        (dict(sign_on_policies=['MFA', 'mfa']), "sign_on_policies lists 'mfa' twice"),
        (dict(flow_policies=['']), 'flow_policies[0] must not be empty'),
        (dict(sign_on_policies=['x'], state='absent', exclusive=True), 'exclusive applies to state=present only'),
    ]
    for args, text in cases:
        result, failed = run(run_module, env, **args)
        assert failed and result['msg'].startswith(text), (args, result['msg'])
    assert env.sim.stats()['total'] == 0


def test_an_unknown_policy_fails_naming_the_option_before_any_write(env, run_module):
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor', 'Passwordles'])
    assert failed and result['msg'] == ("sign_on_policies: 'Passwordles' is not a sign-on policy of environment '%s' (its sign-on "
                                        "policies: Single_Factor, Multi_Factor)" % env.id), result
    result, failed = run(run_module, env, flow_policies=['Login Flow'], exclusive=True)
    assert failed and result['msg'].startswith("flow_policies: 'Login Flow' is not a flow policy of environment ")
    assert result['msg'].endswith('(its flow policies: none)')
    result, failed = run(run_module, env, sign_on_policies=['Nope'], state='absent')
    assert failed and result['msg'].startswith("sign_on_policies: 'Nope' is not a sign-on policy")
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor', env.policies['Multi_Factor']])
    assert failed and result['msg'] == "sign_on_policies names sign-on policy 'Multi_Factor' twice (by name and by ID)"
    assert writes(env.sim) == 0


def test_an_assignment_whose_reply_is_lost_is_found_on_reading_again(env, run_module):
    env.sim.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/signOnPolicyAssignments$'})
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor'])
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == [
        "The request to assign sign-on policy 'Multi_Factor' to application 'Policy App' at priority 1 had no clear outcome (no "
        "reply, or HTTP 500/502/504); reading the assignments again showed it in place"]
    assert env.sim.stats()['by_route']['POST ' + SOP] == 1 and env.assigned() == [('Multi_Factor', 1)]
    assert result['assignments'][0]['id'] == env.service.read_state(env.app_id)['sign_on_policy'][0]['id']
    assert run(run_module, env, sign_on_policies=['Multi_Factor'])[0]['changed'] is False


def test_a_move_that_never_arrived_is_sent_again(env, run_module, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    run(run_module, env, sign_on_policies=['Multi_Factor', 'Single_Factor'])
    env.sim.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 1, 'method': 'PUT',
                                            'path_regex': '/signOnPolicyAssignments/'})
    result, failed = run(run_module, env, sign_on_policies=['Single_Factor', 'Multi_Factor'], pingone_max_retries=0)
    assert not failed and result['changed'] is True, result
    assert warning_texts(result)[0].startswith("The request to move sign-on policy ")
    assert warning_texts(result)[0].endswith('and the change did not show when the assignments were read again; this run planned '
                                             'again from what is there now')
    assert env.assigned() == [('Single_Factor', 1), ('Multi_Factor', 2)]


def test_a_write_refused_for_good_fails_with_the_error(env, run_module, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    env.sim.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 6, 'method': 'POST',
                                            'path_regex': '/signOnPolicyAssignments$'})
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], pingone_max_retries=0)
    assert failed and result['status_code'] == 502, result  # one 502 per round, three rounds: the module gives up
    assert env.sim.stats()['by_route']['POST ' + SOP] == 3 and warning_texts(result)[0].startswith('The request to assign ')
    env.sim.control('DELETE', 'faults')
    env.sim.control('POST', 'faults', json={'action': 'status', 'status': 400, 'method': 'POST', 'path_regex': '/signOnPolicyAssignments$'})
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor'])
    assert failed and result['status_code'] == 400 and env.sim.stats()['by_route']['POST ' + SOP] == 4  # nothing changed meanwhile


def test_an_assignment_another_run_made_meanwhile_is_taken_over(env, run_module, monkeypatch):
    """The first read finds nothing; right after it another run assigns Multi_Factor at priority 3. This run's POST is
    refused as a duplicate, it reads again and only moves that assignment to where it wants it."""
    real = _policies.PoliciesService.read_state
    reads = []

    def read_state(self, application_id, flow_needed=True):
        state = real(self, application_id, flow_needed)
        reads.append(state)
        if len(reads) == 1:
            env.assign(_policies.SIGN_ON, env.policies['Multi_Factor'], 3)
        return state

    monkeypatch.setattr(_policies.PoliciesService, 'read_state', read_state)
    result, failed = run(run_module, env, sign_on_policies=['Multi_Factor'], diff=True)
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == [
        "Another run changed the policy assignments of application 'Policy App' at the same time (the request to assign sign-on "
        "policy 'Multi_Factor' to application 'Policy App' at priority 1 was refused); this run planned again from what is "
        "there now"]
    assert result['diff']['before']['sign_on_policies'] == [] and len(reads) == 2
    by_route = env.sim.stats()['by_route']
    assert by_route['POST ' + SOP] == 2 and by_route['PUT ' + SOP_ONE] == 1
    assert env.assigned() == [('Multi_Factor', 1)]


def test_the_application_must_exist(env, run_module):
    result, failed = run(run_module, env, name='No Such App', sign_on_policies=['Multi_Factor'])
    assert failed and result['msg'].startswith("Application 'No Such App' does not exist in environment ")
