# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The policies an application signs users on with: PingOne sign-on policies or DaVinci flow policies, each kind as
an ordered list of assignments (``priority`` 1 is tried first). On top of ``PingOneClient``; no Ansible imports.

The console gives an application policies of one kind at a time, so a plan for one kind removes the other kind's
assignments (only when asked to: ``exclusive``). ``plan`` is pure: from the assignments as read and the policies
wanted it computes the writes and the order after them; ``describe`` words the difference.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.pingone.oidc.plugins.module_utils import _lookup
from ansible_collections.pingone.oidc.plugins.module_utils._client import segment
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneLookupError, PingOneOptionError

# One kind of policy: its option, its words, and its API names (policies, assignments, the member naming the policy).
Kind = namedtuple('Kind', 'key option label plural policies assignments member')
SIGN_ON = Kind('sign_on_policy', 'sign_on_policies', 'sign-on policy', 'sign-on policies', 'signOnPolicies',
               'signOnPolicyAssignments', 'signOnPolicy')
FLOW = Kind('flow_policy', 'flow_policies', 'flow policy', 'flow policies', 'flowPolicies', 'flowPolicyAssignments',
            'flowPolicy')
KINDS = (SIGN_ON, FLOW)
# A write of a plan: 'delete', 'update' (to ``priority``) or 'create' (``assignment`` is the planned one, without id).
Step = namedtuple('Step', 'action kind assignment priority')
Plan = namedtuple('Plan', 'steps after')
# What an application without assignments uses.
NO_ASSIGNMENTS = "the environment's default sign-on policy applies"


def other_kind(kind):
    return FLOW if kind is SIGN_ON else SIGN_ON


def wanted_kind(params):
    """The kind of policy the options name (None when they name none)."""
    return next((kind for kind in KINDS if params.get(kind.option) is not None), None)


def _control(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def check_options(params):
    """PingOneOptionError naming the first option that is wrong; needs no request."""
    named = [kind.option for kind in KINDS if params.get(kind.option) is not None]
    present = params['state'] == 'present'
    if len(named) > 1:
        raise PingOneOptionError('sign_on_policies and flow_policies are mutually exclusive: an application signs users on with '
                                 'PingOne sign-on policies or with DaVinci flow policies, never both')
    if present and not named:
        raise PingOneOptionError('sign_on_policies or flow_policies is required with state=present (to remove every policy '
                                 'assignment use state=absent)')
    if params['exclusive'] and not present:
        raise PingOneOptionError('exclusive applies to state=present only')
    for option in named:
        items = params[option]
        if not items:
            raise PingOneOptionError('%s must list at least one policy %s' % (
                option, 'with state=present (to remove assignments use state=absent)' if present else
                'to remove with state=absent (leave it unset to remove every policy assignment)'))
        seen = set()
        for index, item in enumerate(items):
            if not item.strip() or _control(item):
                raise PingOneOptionError('%s[%d] must not be empty or contain a control character' % (option, index))
            if item.casefold() in seen:
                raise PingOneOptionError("%s lists '%s' twice" % (option, item))
            seen.add(item.casefold())


def resolve(kind, policies, wanted, where):
    """The policies ``wanted`` names, in that order: each by ID, else by name (exact, else ignoring case). Raises
    PingOneLookupError naming the option for names that match none or several, PingOneOptionError for one policy named
    twice (by its name and its ID)."""
    found, unknown = [], []
    for item in wanted:
        policy = next((policy for policy in policies if policy.get('id') == item), None)
        if policy is None:
            matches = [policy for policy in policies if policy.get('name') == item] or _lookup.named(policies, item)
            if len(matches) > 1:
                raise PingOneLookupError("%s: '%s' matches %d %s when case is ignored (%s); give the exact name or the ID"
                                         % (kind.option, item, len(matches), kind.plural,
                                            ', '.join(sorted(str(policy.get('name')) for policy in matches))))
            policy = matches[0] if matches else None
        if policy is None:
            unknown.append(item)
        elif policy in found:
            raise PingOneOptionError("%s names %s '%s' twice (by name and by ID)" % (kind.option, kind.label, policy.get('name')))
        else:
            found.append(policy)
    if unknown:
        raise PingOneLookupError("%s: %s %s not a %s of %s (its %s: %s)" % (
            kind.option, ', '.join("'%s'" % item for item in unknown), 'is' if len(unknown) == 1 else 'are', kind.label, where,
            kind.plural, ', '.join(str(policy.get('name')) for policy in policies) or 'none'))
    return found


# -- assignments as read, and the plan ------------------------------------------------------------------------------

def view(kind, item):
    """An assignment as the plan handles it: its id, the id of its policy and its priority."""
    return {'id': item.get('id'), 'policy_id': (item.get(kind.member) or {}).get('id'), 'priority': item.get('priority')}


def in_order(assignments):
    """Assignments by priority (ties by id, so that every read gives the same order)."""
    return sorted(assignments, key=lambda item: (item['priority'] if isinstance(item['priority'], int) else 0, str(item['id'])))


def same_state(first, second):
    """Whether two reads show the same assignments with the same priorities."""
    def key(state):
        return {kind.key: sorted((item['id'], item['policy_id'], item['priority']) for item in state[kind.key]) for kind in KINDS}
    return key(first) == key(second)


def plan(state, kind, wanted, present, exclusive):
    """The writes that give the application the policies ``wanted`` (IDs, in that order) of ``kind``, or, with
    ``present`` false, take them away (``kind`` None: every assignment of both kinds). ``state`` maps each kind's key to
    its assignments (``view``) in order.

    With ``present``: the policies wanted get priorities 1, 2, ... in their order; the kind's other assignments are
    removed with ``exclusive``, else kept after them in their order; the other kind's assignments are removed (the
    caller refuses that without ``exclusive``). Priorities are renumbered to positions, so a second run writes nothing.
    Removing keeps the priorities of what stays. Returns Plan(steps: deletes, then updates, then creates; after)."""
    after = {key: list(items) for key, items in state.items()}
    deletes, updates, creates = [], [], []
    if not present:
        for each in KINDS:
            if kind is None or each is kind:
                gone = [item for item in state[each.key] if kind is None or item['policy_id'] in wanted]
                deletes += [Step('delete', each, item, None) for item in gone]
                after[each.key] = [item for item in state[each.key] if item not in gone]
        return Plan(deletes, after)
    other = other_kind(kind)
    deletes += [Step('delete', other, item, None) for item in state[other.key]]
    after[other.key] = []
    first = {}
    for item in state[kind.key]:
        first.setdefault(item['policy_id'], item)
    order = [(policy_id, first.get(policy_id)) for policy_id in wanted]
    for item in state[kind.key]:
        if item['policy_id'] in wanted:
            if item is not first[item['policy_id']]:
                deletes.append(Step('delete', kind, item, None))  # a second assignment of a policy wanted once
        elif exclusive:
            deletes.append(Step('delete', kind, item, None))
        else:
            order.append((item['policy_id'], item))
    after[kind.key] = []
    for priority, (policy_id, item) in enumerate(order, 1):
        if item is None:
            planned = {'id': None, 'policy_id': policy_id, 'priority': priority}
            creates.append(Step('create', kind, planned, priority))
            after[kind.key].append(planned)
            continue
        if item['priority'] != priority:
            updates.append(Step('update', kind, item, priority))
        after[kind.key].append(dict(item, priority=priority))
    return Plan(deletes + updates + creates, after)


def landed(step, state):
    """Whether ``state`` (a fresh read) shows the effect of ``step``."""
    items = state[step.kind.key]
    if step.action == 'delete':
        return all(item['id'] != step.assignment['id'] for item in items)
    if step.action == 'update':
        return any(item['id'] == step.assignment['id'] and item['priority'] == step.priority for item in items)
    return any(item['policy_id'] == step.assignment['policy_id'] for item in items)


def applied(step, state, written=None):
    """``state`` as it is once ``step`` took effect (``written``: the assignment a create returned)."""
    items = [item for item in state[step.kind.key] if step.action != 'delete' or item['id'] != step.assignment['id']]
    if step.action == 'update':
        items = [dict(item, priority=step.priority) if item['id'] == step.assignment['id'] else item for item in items]
    elif step.action == 'create':
        items.append(view(step.kind, written) if written else dict(step.assignment))
    return dict(state, **{step.kind.key: in_order(items)})


# -- words ----------------------------------------------------------------------------------------------------------

def _quoted(names):
    return ', '.join("'%s'" % name for name in names)


def _policies(kind, count):
    return kind.label if count == 1 else kind.plural


def describe(before, after, names, app_label):
    """The changes from ``before`` to ``after`` as (verb, text) pairs, and a trailer with the new order of each kind that
    changed (None when nothing did). ``names`` maps policy IDs to names."""
    changes, trailers = [], []
    for kind in KINDS:
        old = [(item['policy_id'], item['priority']) for item in before[kind.key]]
        new = [(item['policy_id'], item['priority']) for item in after[kind.key]]
        if old == new:
            continue
        old_ids, new_ids = [policy_id for policy_id, dummy in old], [policy_id for policy_id, dummy in new]
        removed = [policy_id for policy_id in dict.fromkeys(old_ids) if policy_id not in new_ids]
        added = [policy_id for policy_id in new_ids if policy_id not in old_ids]
        kinds_changes = []
        if removed:
            kinds_changes.append(('remove', '%s %s from %s' % (_policies(kind, len(removed)), _quoted(names.get(p, p) for p in removed),
                                                               app_label)))
        if added:
            kinds_changes.append(('assign', '%s %s to %s' % (_policies(kind, len(added)), _quoted(names.get(p, p) for p in added),
                                                             app_label)))
        if [p for p in dict.fromkeys(old_ids) if p in new_ids] != [p for p in new_ids if p in old_ids]:
            kinds_changes.append(('update', 'the order of the %s of %s' % (kind.plural, app_label)))
        if not kinds_changes:
            if len(old_ids) > len(set(old_ids)):
                kinds_changes.append(('remove', 'a second assignment of one %s from %s' % (kind.label, app_label)))
            else:
                kinds_changes.append(('update', 'the priorities of the %s of %s' % (kind.plural, app_label)))
        changes += kinds_changes
        trailers.append('%s in order: %s' % (kind.plural, ', '.join(names.get(p, p) for p in new_ids)) if new_ids
                        else 'no %s left' % kind.plural)
    if trailers and not any(after[kind.key] for kind in KINDS):
        trailers[-1] += ' (%s)' % NO_ASSIGNMENTS
    return changes, '; '.join(trailers) or None


def names_in_order(state, names):
    """The diff view: each kind's policy names in priority order."""
    return {kind.option: [names.get(item['policy_id'], item['policy_id']) for item in state[kind.key]] for kind in KINDS}


def assignments_result(state, names):
    """The return value: every assignment after the run (sign-on policies first), in priority order."""
    result = []
    for kind in KINDS:
        for item in state[kind.key]:
            entry = {'kind': kind.key, 'policy': {'id': item['policy_id'], 'name': names.get(item['policy_id'], item['policy_id'])},
                     'priority': item['priority']}
            if item['id']:
                entry['id'] = item['id']
            result.append(entry)
    return result


# -- the API ----------------------------------------------------------------------------------------------------------

class PoliciesService:
    """The sign-on and flow policies of one environment, and the policy assignments of its applications."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.env_base = 'environments/%s' % segment(environment_id)

    def _assignments_path(self, kind, application_id, assignment_id=None):
        path = '%s/applications/%s/%s' % (self.env_base, segment(application_id), kind.assignments)
        return path if assignment_id is None else '%s/%s' % (path, segment(assignment_id))

    def list_policies(self, kind):
        operation = "Listing the %s of environment '%s'" % (kind.plural, self.environment_id)
        return list(self.client.iterate('%s/%s' % (self.env_base, kind.policies), operation, kind.policies, subject='environment'))

    def list_assignments(self, kind, application_id):
        operation = "Listing the %s assignments of application '%s' in environment '%s'" % (
            kind.label, application_id, self.environment_id)
        return list(self.client.iterate(self._assignments_path(kind, application_id), operation, kind.assignments))

    def read_state(self, application_id, flow_needed=True):
        """Each kind's assignments of the application (``view``s in priority order).

        An environment without DaVinci may refuse flow policy requests (HTTP 403, PingOne's "not licensed"); when the task
        is not about flow policies (``flow_needed`` false) that reads as no flow policy assignments."""
        state = {}
        for kind in KINDS:
            try:
                items = self.list_assignments(kind, application_id)
            except PingOneApiError as exc:
                if kind is not FLOW or flow_needed or exc.status != 403:
                    raise
                items = []
            state[kind.key] = in_order([view(kind, item) for item in items])
        return state

    def create_assignment(self, kind, application_id, policy_id, priority):
        operation = "Assigning %s '%s' at priority %d to application '%s' in environment '%s'" % (
            kind.label, policy_id, priority, application_id, self.environment_id)
        body = {kind.member: {'id': policy_id}, 'priority': priority}
        return self.client.request('POST', self._assignments_path(kind, application_id), operation, json_body=body,
                                   expected=(201,)).body

    def update_assignment(self, kind, application_id, assignment, priority):
        """PUT the assignment with a new priority (the whole body: the policy and the priority)."""
        operation = "Moving the assignment of %s '%s' of application '%s' in environment '%s' to priority %d" % (
            kind.label, assignment['policy_id'], application_id, self.environment_id, priority)
        body = {kind.member: {'id': assignment['policy_id']}, 'priority': priority}
        return self.client.request('PUT', self._assignments_path(kind, application_id, assignment['id']), operation,
                                   json_body=body).body

    def delete_assignment(self, kind, application_id, assignment_id):
        """True when deleted, False when it was already gone."""
        operation = "Removing %s assignment '%s' from application '%s' in environment '%s'" % (
            kind.label, assignment_id, application_id, self.environment_id)
        return self.client.delete(self._assignments_path(kind, application_id, assignment_id), operation,
                                  subject='%s assignment' % kind.label)
