# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What an application of a fleet holds besides its own settings, converged by one engine (no Ansible imports).

Each kind (resource grants, role assignments, attribute mappings, sign-on policies) is an option of a definition
and a class with these steps: ``check`` finds what is wrong in a definition before any request; ``resolve`` turns the
declared names into IDs with reads shared by the whole run (every resource, role and sign-on policy is listed once),
before anything is written, so that an unknown name fails the task first; ``read`` is the one request per application
that shows what it holds; ``changes`` compares; each change's ``write`` makes it. A write whose outcome is unknown, or
that PingOne refuses as a conflict, is followed by reads that look for it (``settle``), never sent again.
A new kind plugs in by adding its class to KINDS and its options to ``argument_spec``.
"""

from __future__ import annotations

import re

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils import _attributes
from ansible_collections.pingone.oidc.plugins.module_utils import _policies
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneLookupError,
    PingOneOptionError,
)

ROLE_SCOPE_TYPES = ('ENVIRONMENT', 'ORGANIZATION', 'POPULATION')
# How long a role assignment refused while the worker's own roles propagate is tried again (seconds); the default of
# pingone_application_role_assignment's propagation_timeout.
PROPAGATION_TIMEOUT = 60.0
MAPPINGS_EXCLUSIVE = 'attribute_mappings_exclusive'


def argument_spec():
    """The options of a definition that declare what the application holds."""
    return dict(
        grants=dict(type='list', elements='dict', options=dict(
            resource=dict(type='str', required=True),
            scopes=dict(type='list', elements='str', required=True),
            exclusive=dict(type='bool', default=False),
        )),
        roles=dict(type='list', elements='dict', options=dict(
            role=dict(type='str', required=True),
            scope_type=dict(type='str', default='ENVIRONMENT', choices=list(ROLE_SCOPE_TYPES)),
            scope_id=dict(type='str'),
        )),
        attribute_mappings=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='raw', required=True),
            required=dict(type='bool'),
            id_token=dict(type='bool'),
            user_info=dict(type='bool'),
        )),
        attribute_mappings_exclusive=dict(type='bool', default=False),
        sign_on_policies=dict(type='list', elements='str'),
    )


class Change:
    """One write: ``text`` says what it does ("scopes a, b of resource 'R'"), ``write()`` makes it, ``landed(items)``
    tells from a fresh read whether it took effect (after a write with no clear outcome)."""

    def __init__(self, verb, text, write, landed):
        self.verb = verb
        self.text = text
        self.write = write
        self.landed = landed


class Kind:
    """What every kind shares: ``option`` names it in a definition, ``noun`` in messages."""

    option = None
    noun = None

    @classmethod
    def declared(cls, definition):
        """What ``resolve`` takes from a definition that sets the kind's option."""
        return definition[cls.option]

    @classmethod
    def check(cls, definition, where):
        """PingOneOptionError naming the option (``where`` is the definition's place) when the definition declares
        something wrong; needs no request."""

    @staticmethod
    def new_holds_none(definition):  # pylint: disable=unused-argument
        """Whether an application this run just created holds none of this kind (no read needed)."""
        return True


class Grants(Kind):
    """``grants``: scopes of resources (by name or ID) the application must hold; other scopes are kept unless
    ``exclusive``. One grant per resource, as PingOne allows."""

    option = 'grants'
    noun = 'grants'
    verb = 'grant'

    def __init__(self, access):
        self.access = access
        self._resources = None
        self._scopes = {}

    @classmethod
    def check(cls, definition, where):
        for index, item in enumerate(definition.get(cls.option) or []):
            if not item.get('scopes'):
                raise PingOneOptionError('%s.grants[%d].scopes must list at least one scope' % (where, index))

    def resolve(self, declared, where):
        """[(resource, [scope IDs], exclusive, {scope ID: name})]; PingOneLookupError naming ``where`` when unknown."""
        if self._resources is None:
            self._resources = self.access.list_resources()
        resolved = []
        for index, item in enumerate(declared):
            label = '%s.grants[%d]' % (where, index)
            resource = _named(label + '.resource', _access.find_named, self._resources, item['resource'], 'resource',
                              " in environment '%s'" % self.access.environment_id, 'resources there')
            if resource['id'] not in self._scopes:
                self._scopes[resource['id']] = self.access.list_scopes(resource['id'])
            available = self._scopes[resource['id']]
            scopes = _named(label + '.scopes', _access.resolve_scopes, available, item['scopes'], resource.get('name'))
            names = {scope.get('id'): scope.get('name') for scope in available}
            same = [index_before for index_before, before in enumerate(resolved) if before[0]['id'] == resource['id']]
            if same:
                # PingOne holds one grant per resource: two items would fight over it
                raise PingOneLookupError("%s.resource: resource '%s' is already declared in %s.grants[%d]; list its "
                                         "scopes in one item" % (label, resource.get('name'), where, same[0]))
            resolved.append((resource, [scope['id'] for scope in scopes], item['exclusive'], names))
        return resolved

    def read(self, application_id):
        return self.access.list_grants(application_id)

    def changes(self, application_id, current, resolved):
        for resource, wanted, exclusive, names in resolved:
            grant = next((item for item in current or [] if (item.get('resource') or {}).get('id') == resource['id']), None)
            have = [scope.get('id') for scope in (grant or {}).get('scopes') or []]
            keep = [scope_id for scope_id in have if scope_id in wanted or not exclusive]
            desired = keep + [scope_id for scope_id in wanted if scope_id not in have]
            if sorted(desired) == sorted(have):
                continue
            added = [names.get(scope_id, scope_id) for scope_id in desired if scope_id not in have]
            removed = [names.get(scope_id, scope_id) for scope_id in have if scope_id not in desired]
            text = "resource '%s': %s" % (resource.get('name'), ', '.join(
                ['+' + name for name in added] + ['-' + name for name in removed]))
            yield Change('grant', text, self._writer(application_id, resource['id'], grant, desired),
                         self._landed(resource['id'], desired))

    def _writer(self, application_id, resource_id, grant, desired):
        if grant is None:
            return lambda: self.access.create_grant(application_id, resource_id, desired)
        return lambda: self.access.update_grant(application_id, grant['id'], resource_id, desired)

    @staticmethod
    def _landed(resource_id, desired):
        def landed(grants):
            return any((item.get('resource') or {}).get('id') == resource_id
                       and sorted(scope.get('id') for scope in item.get('scopes') or []) == sorted(desired) for item in grants)
        return landed


class Roles(Kind):
    """``roles``: built-in roles (by name or ID) a WORKER application must hold, at an environment (this one by
    default), organization (this one's) or population scope; assignments not declared are kept."""

    option = 'roles'
    noun = 'roles'
    verb = 'assign'

    def __init__(self, access):
        self.access = access
        self._roles = None
        self._organization_id = None

    @classmethod
    def check(cls, definition, where):
        for index, item in enumerate(definition.get(cls.option) or []):
            if item.get('scope_type') == 'POPULATION' and not item.get('scope_id'):
                raise PingOneOptionError('%s.roles[%d].scope_id is required with scope_type POPULATION' % (where, index))

    def resolve(self, declared, where):
        """[(role, scope type, scope ID)]; PingOneLookupError naming ``where`` when a role is unknown or declared twice."""
        if self._roles is None:
            self._roles = self.access.list_roles()
        resolved = []
        for index, item in enumerate(declared):
            label = '%s.roles[%d]' % (where, index)
            role = _named(label + '.role', _access.find_named, self._roles, item['role'], 'role', '', 'known roles')
            key = (role, item['scope_type'], self._scope_id(item, label))
            same = [index_before for index_before, before in enumerate(resolved) if before[0]['id'] == role['id'] and before[1:] == key[1:]]
            if same:
                raise PingOneLookupError("%s.role: role '%s' at %s scope '%s' is already declared in %s.roles[%d]"
                                         % (label, role.get('name'), key[1], key[2], where, same[0]))
            resolved.append(key)
        return resolved

    def _scope_id(self, item, label):
        if item.get('scope_id'):
            return item['scope_id']
        if item['scope_type'] == 'ENVIRONMENT':
            return self.access.environment_id
        if item['scope_type'] == 'ORGANIZATION':
            if self._organization_id is None:
                self._organization_id = self.access.organization_id()
            return self._organization_id
        raise PingOneLookupError('%s.scope_id is required with scope_type %s' % (label, item['scope_type']))

    def read(self, application_id):
        return self.access.list_role_assignments(application_id)

    @staticmethod
    def new_holds_none(definition):
        """A new worker holds the roles of the worker that created it, unless assign_actor_roles is false."""
        return definition.get('assign_actor_roles') is False

    def changes(self, application_id, current, resolved):
        held = {_access.assignment_key(item) for item in current or []}
        for role, scope_type, scope_id in resolved:
            key = (role['id'], scope_type, scope_id)
            if key in held:
                continue
            text = "role '%s' at %s scope '%s'" % (role.get('name'), scope_type, scope_id)
            yield Change('assign', text, self._writer(application_id, key), self._landed(key))

    def _writer(self, application_id, key):
        # A role the worker itself was given moments ago may not have reached every PingOne service yet: PingOne
        # refuses with 403 (or "must have role at the same or broader scope") until it has.
        return lambda: _access.retry_propagation(lambda: self.access.create_role_assignment(application_id, *key),
                                                 PROPAGATION_TIMEOUT)[0]

    @staticmethod
    def _landed(key):
        return lambda items: key in {_access.assignment_key(item) for item in items}


class Mappings(Kind):
    """``attribute_mappings``: claims (by exact name) the application's tokens carry, added or changed as
    pingone_application_attribute_mapping does with state=present; other mappings are kept unless
    ``attribute_mappings_exclusive``, and CORE and SCOPE mappings (``sub``) are never removed."""

    option = 'attribute_mappings'
    noun = 'attribute mappings'

    def __init__(self, access):
        self.access = access
        self.service = _attributes.AttributeMappingService(access.client, access.environment_id)

    @classmethod
    def declared(cls, definition):
        return definition[cls.option], bool(definition.get(MAPPINGS_EXCLUSIVE))

    @classmethod
    def check(cls, definition, where):
        items = definition.get(cls.option)
        if definition.get(MAPPINGS_EXCLUSIVE) and not items:
            raise PingOneOptionError('%s.%s needs %s.%s, the custom mappings to keep' % (where, MAPPINGS_EXCLUSIVE, where, cls.option))
        if items:
            _relabelled('mappings', '%s.%s' % (where, cls.option), _attributes.check_options,
                        dict(state='present', exclusive=False, mappings=items))

    def resolve(self, declared, where):
        """(the option's place, the items, exclusive): nothing to look up (a mapping is named by its claim)."""
        items, exclusive = declared
        return '%s.%s' % (where, self.option), [dict(item) for item in items], exclusive

    def read(self, application_id):
        return self.service.list_mappings(application_id)

    @classmethod
    def new_holds_none(cls, definition):
        """A new application holds the CORE mapping ``sub`` at its default value only: its ID is read when it is declared."""
        return not any(item['name'] in _attributes.CORE_NAMES for item in definition.get(cls.option) or [])

    def changes(self, application_id, current, resolved):
        label, items, exclusive = resolved
        current = list(current or [])
        # an application not read (created by this run) holds PingOne's CORE mappings at their defaults
        current += [dict(name=name, value=_attributes.CORE_DEFAULT_VALUE, mappingType='CORE', required=True)
                    for name in _attributes.CORE_NAMES if not any(mapping.get('name') == name for mapping in current)]
        add, update, remove = _relabelled('mappings', label, _attributes.plan, current, items, 'present', exclusive)
        for mapping in remove:
            yield Change('remove', "attribute mapping '%s'" % mapping.get('name'),
                         self._deleter(application_id, mapping['id']), self._gone(mapping['id']))
        for mapping, item, changed in update:
            yield Change('update', "attribute mapping '%s': %s" % (mapping.get('name'), ', '.join(changed)),
                         self._updater(application_id, mapping, item), self._landed(item))
        for item in add:
            yield Change('add', "attribute mapping '%s'" % item['name'], self._creator(application_id, item), self._landed(item))

    def _creator(self, application_id, item):
        return lambda: self.service.create_mapping(application_id, _attributes.creation_body(item))

    def _updater(self, application_id, mapping, item):
        # no landed: a PUT with no clear outcome raises, and the engine reads the mappings again
        return lambda: self.service.update_mapping(application_id, mapping['id'], _attributes.update_body(mapping, item))

    def _deleter(self, application_id, mapping_id):
        return lambda: self.service.delete_mapping(application_id, mapping_id)

    @staticmethod
    def _landed(item):
        return lambda mappings: _attributes.has_settings(next((mapping for mapping in mappings if mapping.get('name') == item['name']), None),
                                                         item)

    @staticmethod
    def _gone(mapping_id):
        return lambda mappings: all(mapping.get('id') != mapping_id for mapping in mappings)


class SignOnPolicies(Kind):
    """``sign_on_policies``: sign-on policies (by name or ID) the application signs users on with, in that order, as
    pingone_application_sign_on_policy orders them: the policies listed get priorities 1, 2, ... and the application's
    other sign-on policies are kept after them. Flow policy assignments are neither read nor changed."""

    option = 'sign_on_policies'
    noun = 'sign-on policies'
    KIND = _policies.SIGN_ON

    def __init__(self, access):
        self.access = access
        self.service = _policies.PoliciesService(access.client, access.environment_id)
        self._policies = None

    @classmethod
    def check(cls, definition, where):
        if definition.get(cls.option):
            _relabelled(cls.option, '%s.%s' % (where, cls.option), _policies.check_options,
                        {'state': 'present', 'exclusive': False, cls.option: definition[cls.option]})

    def resolve(self, declared, where):
        """([policy IDs, in order], {policy ID: name} of every sign-on policy)."""
        if self._policies is None:
            self._policies = self.service.list_policies(self.KIND)
        found = _relabelled(self.option, '%s.%s' % (where, self.option), _policies.resolve, self.KIND, self._policies, declared,
                            "environment '%s'" % self.access.environment_id)
        return [policy['id'] for policy in found], {policy.get('id'): policy.get('name') for policy in self._policies}

    def read(self, application_id):
        return _policies.in_order([_policies.view(self.KIND, item) for item in self.service.list_assignments(self.KIND, application_id)])

    def changes(self, application_id, current, resolved):
        wanted, names = resolved
        state = {self.KIND.key: list(current or []), _policies.other_kind(self.KIND).key: []}
        for step in _policies.plan(state, self.KIND, wanted, True, False).steps:
            name = names.get(step.assignment['policy_id'], step.assignment['policy_id'])
            if step.action == 'create':
                verb, text = 'assign', "sign-on policy '%s' at priority %d" % (name, step.priority)
            elif step.action == 'update':
                verb, text = 'update', "sign-on policy '%s' from priority %s to %d" % (name, step.assignment['priority'], step.priority)
            else:
                verb, text = 'remove', "a second assignment of sign-on policy '%s'" % name
            yield Change(verb, text, self._writer(application_id, step), self._landed(step))

    def _writer(self, application_id, step):
        if step.action == 'delete':
            return lambda: self.service.delete_assignment(self.KIND, application_id, step.assignment['id'])
        if step.action == 'update':
            return lambda: self.service.update_assignment(self.KIND, application_id, step.assignment, step.priority)
        return lambda: self.service.create_assignment(self.KIND, application_id, step.assignment['policy_id'], step.priority)

    def _landed(self, step):
        return lambda items: _policies.landed(step, {self.KIND.key: items})


KINDS = (Grants, Roles, Mappings, SignOnPolicies)
KIND_OPTIONS = tuple(kind.option for kind in KINDS)


def _named(option, call, *args):
    """``call(*args)``, with a lookup failure's message led by the option it is about."""
    try:
        return call(*args)
    except PingOneLookupError as exc:
        text = str(exc)
        leaf = option.rsplit('.', 1)[-1] + ': '
        raise PingOneLookupError('%s: %s' % (option, text[len(leaf):] if text.startswith(leaf) else text)) from None


def _relabelled(option, label, call, *args):
    """``call(*args)``, with ``option`` in the message of its option or lookup error replaced by ``label``, its place in
    the fleet (``mappings[0].value`` becomes ``applications[2].attribute_mappings[0].value``)."""
    try:
        return call(*args)
    except (PingOneOptionError, PingOneLookupError) as exc:
        pattern = r"(?<![\w.'\]])%s(?![\w'])" % re.escape(option)
        raise type(exc)(re.sub(pattern, lambda match: label, str(exc))) from None


def declares(definition):
    """Whether a definition declares anything an application holds."""
    return any(definition.get(option) for option in KIND_OPTIONS)


def check_definitions(definitions):
    """PingOneOptionError naming the first declared item that is wrong (``applications[i].<option>...``); no request."""
    for index, definition in enumerate(definitions):
        for kind in KINDS:
            kind.check(definition, 'applications[%d]' % index)


def nouns(kinds):
    """'grants or roles': the words of the kinds given (instances), in the order of KINDS."""
    options = {kind.option for kind in kinds}
    words = [kind.noun for kind in KINDS if kind.option in options]
    return ' or '.join([', '.join(words[:-1])] + words[-1:]) if len(words) > 1 else ''.join(words)


class Unresolved(PingOneLookupError):
    """What a definition declares of ``kind`` names something unknown (or one thing twice); the message names the option."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class Holdings:
    """The engine for a whole run: the kinds, resolved once per definition before any write, then read, compared and
    written per application."""

    def __init__(self, access):
        self.access = access
        self.kinds = [kind(access) for kind in KINDS]

    def resolve(self, definition, where):
        """{kind: resolved} for one definition (nothing read when it declares nothing); Unresolved at the first kind
        that names something unknown."""
        resolved = {}
        for kind in self.kinds:
            if definition.get(kind.option):
                try:
                    resolved[kind] = kind.resolve(kind.declared(definition), where)
                except (PingOneLookupError, PingOneOptionError) as exc:
                    raise Unresolved(kind, str(exc)) from None
        return resolved

    @staticmethod
    def plan(application_id, resolved, created=None):
        """[(kind, change)]: one read per declared kind, none for an application not created yet (``application_id``
        None) or for a kind that an application just ``created`` from this definition cannot hold yet."""
        planned = []
        for kind, declared in resolved.items():
            fresh = application_id is None or (created is not None and kind.new_holds_none(created))
            current = [] if fresh else kind.read(application_id)
            planned.extend((kind, change) for change in kind.changes(application_id, current, declared))
        return planned

    def write(self, application_id, kind, change):
        """Make one change; after a write with no clear outcome, or one refused as a conflict, read again until it shows
        (the warning says so) or raise the write's error."""
        try:
            change.write()
            return None
        except (PingOneApiError, PingOneConnectionError) as exc:
            if _access.outcome_unknown(exc):
                if self.access.client.settle(lambda: kind.read(application_id), change.landed) is None:
                    raise
                return 'the request for %s had no clear outcome; reading again showed it in place' % change.text
            # a refusal another run's change explains (it made the same change first) shows in one read
            if not _access.refused_as_conflict(exc) or not change.landed(kind.read(application_id)):
                raise
            return 'the request for %s was refused, and reading again showed it in place (another run made it)' % change.text
