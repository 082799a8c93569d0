#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_sign_on_policy
short_description: Choose the sign-on policies or DaVinci flow policies of a PingOne application, in order
version_added: 0.2.0
description:
  - Sets which policies sign users on to an application, as the console's C(Policies) tab of an application does.
    They are PingOne sign-on policies (O(sign_on_policies)) or DaVinci flow policies (O(flow_policies)), in the order
    given. The first policy of the list is tried first (PingOne's C(priority) 1), the next one when it fails, and so on.
  - An application without any assignment uses the environment's default sign-on policy.
  - Policies are found by ID, or by name (exactly, else ignoring case). A name that matches no policy fails the task
    before anything is written, and the message lists the policies there are.
  - By default the policies listed come first, in the order given, and the application's other policies of the same
    kind are kept after them in their order. O(exclusive=true) removes every other assignment.
  - As in the console, an application has policies of one kind at a time. A task for one kind fails, before any
    write, when the application has policies of the other kind, unless O(exclusive=true), which replaces them.
  - With O(state=absent) the policies listed are removed and the others keep their order; without O(sign_on_policies)
    and O(flow_policies) every assignment of both kinds is removed, so the environment's default sign-on policy applies.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) makes the application use the policies listed, in that order; V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
  sign_on_policies:
    description:
      - PingOne sign-on policies (for example V(Single_Factor) or V(Multi_Factor)), by name or ID, in the order the
        application tries them. The first gets priority 1, the next priority 2, and so on.
      - Mutually exclusive with O(flow_policies).
      - With O(state=absent), the sign-on policies to remove.
    type: list
    elements: str
  flow_policies:
    description:
      - DaVinci flow policies, by name or ID (a DaVinci ID, 32 hexadecimal digits), in the order the application tries
        them. The environment needs DaVinci.
      - Mutually exclusive with O(sign_on_policies).
      - With O(state=absent), the flow policies to remove.
    type: list
    elements: str
  exclusive:
    description:
      - With O(state=present), remove every assignment that the list does not name, the other kind's included.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.application
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.CHANGES
attributes:
  diff_mode:
    details:
      - The diff lists the names of the application's sign-on policies and flow policies in order, before and after.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_application_resource_grant
notes:
  - Writes happen in this order, each assignment one request - removals first, then new priorities of the assignments
    that stay, then the new assignments. PingOne offers no way to change several at once, so a task that fails half way
    leaves the writes made so far; running it again finishes the job.
  - When a request gets no reply (or HTTP 500/502/504), the module reads the assignments again (a few times) and sends
    the change once more only if it does not show. When another run changes the same assignments at the same moment and
    PingOne refuses this run's request, the module reads them again and plans from what it finds. Both are warned about.
  - A sign-on policy needs at least one action before PingOne lets an application use it; PingOne's refusal is reported
    as it comes.
"""

EXAMPLES = r"""
- name: Sign users on to the web app with MFA, falling back to a password
  pingone.oidc.pingone_application_sign_on_policy:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    sign_on_policies: [Multi_Factor, Single_Factor]

- name: Exactly one sign-on policy, whatever the app had before
  pingone.oidc.pingone_application_sign_on_policy:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    sign_on_policies: [Passwordless]
    exclusive: true

- name: Switch the app to a DaVinci flow (replaces its sign-on policies)
  pingone.oidc.pingone_application_sign_on_policy:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    flow_policies: [Payments Login Flow]
    exclusive: true

- name: Back to the environment's default sign-on policy
  pingone.oidc.pingone_application_sign_on_policy:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line, with the new order of each kind of policy that changed.
  returned: always
  type: str
  sample: "Assigned sign-on policies 'Multi_Factor', 'Single_Factor' to application 'Payments Web App'; sign-on policies
    in order: Multi_Factor, Single_Factor"
application_id:
  description: ID of the application.
  returned: always
  type: str
assignments:
  description:
    - The application's policy assignments after the run (in check mode, as they would be), sign-on policies first, each
      kind in priority order. Assignments still to be made in check mode have no RV(assignments[].id).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the assignment.
      type: str
    kind:
      description: V(sign_on_policy) or V(flow_policy).
      type: str
    policy:
      description: The policy.
      type: dict
      contains:
        id:
          description: ID of the policy.
          type: str
        name:
          description: Name of the policy.
          type: str
    priority:
      description: The assignment's priority; 1 is tried first.
      type: int
  sample:
    - {id: 6f1d..., kind: sign_on_policy, policy: {id: 1c2b..., name: Multi_Factor}, priority: 1}
    - {id: 0a9e..., kind: sign_on_policy, policy: {id: 77d0..., name: Single_Factor}, priority: 2}
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils import _policies
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT, ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    sign_on_policies=dict(type='list', elements='str'),
    flow_policies=dict(type='list', elements='str'),
    exclusive=dict(type='bool', default=False),
)
# How often a run plans again after another run changed the assignments under it, or after a write with no clear outcome.
MAX_ROUNDS = 3
UNCLEAR = 'had no clear outcome (no reply, or HTTP 500/502/504)'


def check_options(params):
    _policies.check_options(params)


class PolicyRun:
    """One run: the assignments as read, the plan, and its writes; planned again from a fresh read when another run
    changed the assignments between this run's read and its write, or when a write had no clear outcome."""

    def __init__(self, ctx):
        self.params = params = ctx.params
        self.check_mode = ctx.check_mode
        self.app = ApplicationsService(ctx.client, ctx.environment_id).require(params['application_id'], params['name'])
        self.label = "application '%s'" % self.app.get('name')
        self.service = _policies.PoliciesService(ctx.client, ctx.environment_id)
        self.kind = _policies.wanted_kind(params)
        self.present = params['state'] == 'present'
        self.warnings = []
        self.state = self.read()
        self.names = {}
        self.wanted = self.resolve()

    def read(self):
        return self.service.read_state(self.app['id'], flow_needed=self.kind is _policies.FLOW)

    def resolve(self):
        """The IDs of the policies the options name, in order (every name resolved before any write), and the names of
        every policy assigned now."""
        wanted = None
        for kind in _policies.KINDS:
            if kind is not self.kind and not self.state[kind.key]:
                continue
            try:
                policies = self.service.list_policies(kind)
            except PingOneApiError as exc:
                if kind is self.kind or exc.status != 403:
                    raise
                policies = []  # the assignments are named by ID then
            self.names.update((policy.get('id'), policy.get('name')) for policy in policies)
            if kind is self.kind:
                where = "environment '%s'" % self.service.environment_id
                wanted = [policy['id'] for policy in _policies.resolve(kind, policies, self.params[kind.option], where)]
        return wanted

    def refuse_other_kind(self, state):
        """An application has policies of one kind at a time: replacing the other kind's takes exclusive."""
        if not self.present or self.params['exclusive']:
            return
        other = _policies.other_kind(self.kind)
        if state[other.key]:
            names = ', '.join(self.names.get(item['policy_id'], item['policy_id']) for item in state[other.key])
            raise PingOneOptionError(
                "%s has %s (%s): an application signs users on with sign-on policies or with flow policies, never both. Set "
                "exclusive=true to replace them with %s, or remove them first (state=absent with %s)"
                % (self.label[0].upper() + self.label[1:], other.plural, names, self.kind.option, other.option))

    def step_text(self, step):
        name = self.names.get(step.assignment['policy_id'], step.assignment['policy_id'])
        if step.action == 'delete':
            return "remove %s '%s' from %s" % (step.kind.label, name, self.label)
        if step.action == 'update':
            return "move %s '%s' of %s to priority %d" % (step.kind.label, name, self.label, step.priority)
        return "assign %s '%s' to %s at priority %d" % (step.kind.label, name, self.label, step.priority)

    def write(self, step):
        """One request; the assignment PingOne returns (None for a removal)."""
        app_id = self.app['id']
        if step.action == 'delete':
            self.service.delete_assignment(step.kind, app_id, step.assignment['id'])  # already gone is as good
            return None
        if step.action == 'update':
            return self.service.update_assignment(step.kind, app_id, step.assignment, step.priority)
        return self.service.create_assignment(step.kind, app_id, step.assignment['policy_id'], step.priority)

    def run(self):
        before = state = self.state
        failure = None
        for dummy in range(MAX_ROUNDS):
            self.refuse_other_kind(state)
            planned = _policies.plan(state, self.kind, self.wanted, self.present, self.params['exclusive'])
            if self.check_mode or not planned.steps:
                return self.finish(before, planned.after)
            expected = state
            for step in planned.steps:
                try:
                    expected = _policies.applied(step, expected, self.write(step))
                except (PingOneApiError, PingOneConnectionError) as exc:
                    failure = exc
                    state = self.recover(exc, step, expected)
                    break
            else:
                return self.finish(before, expected)
        failure.warnings.extend(self.warnings)
        raise failure

    def recover(self, exc, step, expected):
        """After a failed write: the assignments to plan again from. Raises ``exc`` (with the run's warnings) when neither
        an unclear outcome nor another run's change explains the failure."""
        what = self.step_text(step)
        if _access.outcome_unknown(exc):
            latest = self.service.client.settle(self.read, lambda state: _policies.landed(step, state))
            if latest is not None:
                self.warnings.append('The request to %s %s; reading the assignments again showed it in place' % (what, UNCLEAR))
                return latest
            self.warnings.append('The request to %s %s and the change did not show when the assignments were read again; this '
                                 'run planned again from what is there now' % (what, UNCLEAR))
            return self.read()
        latest = self.read() if _access.refused_as_conflict(exc) else None
        if latest is None or _policies.same_state(latest, expected):
            exc.warnings.extend(self.warnings)
            raise exc
        self.warnings.append('Another run changed the policy assignments of %s at the same time (the request to %s was refused); '
                             'this run planned again from what is there now' % (self.label, what))
        return latest

    def summary(self, after):
        label = self.label[0].upper() + self.label[1:]
        if self.present:
            names = ', '.join(self.names.get(item['policy_id'], item['policy_id']) for item in after[self.kind.key])
            return '%s already has its %s in order: %s' % (label, self.kind.plural, names)
        if self.kind is not None:
            return '%s has none of the %s %s' % (label, self.kind.plural, ', '.join(self.params[self.kind.option]))
        return '%s has no policy assignments (%s)' % (label, _policies.NO_ASSIGNMENTS)

    def finish(self, before, after):
        result = Result(application_id=self.app['id'], assignments=_policies.assignments_result(after, self.names))
        result.diff(_policies.names_in_order(before, self.names), _policies.names_in_order(after, self.names))
        changes, result.trailer = _policies.describe(before, after, self.names, self.label)
        for verb, text in changes:
            result.change(verb, text)
        if not result.changed:
            result.summary = self.summary(after)
        for warning in self.warnings:
            result.warn(warning)
        return result


def ensure(ctx):
    return PolicyRun(ctx).run()


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
