# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Attribute mappings of an application: the claims PingOne puts in its ID tokens and userinfo replies.

How the options of pingone_application_attribute_mapping map to the API (pure functions), and the requests that
read and write mappings (``AttributeMappingService``, on top of ``AccessService``, whose grants and scopes name the
scopes a mapping can be limited to). No Ansible imports.

Mappings are matched by name, exactly: JWT claim names are case-sensitive, so ``Email`` and ``email`` are two claims.
Options left unset are not managed, and what PingOne stores when a member is absent (``required`` false, ``idToken``
and ``userInfo`` true, no ``oidcScopes``) never counts as a change. A PUT sends the whole mapping back, so members
this collection does not model (``nameFormat``) are kept. PingOne's CORE mapping ``sub`` (and any CORE or SCOPE
mapping) can have its value changed but is never deleted.
"""

from __future__ import annotations

import copy

from ansible_collections.pingone.oidc.plugins.module_utils._access import AccessService, outcome_unknown, refused_as_conflict
from ansible_collections.pingone.oidc.plugins.module_utils._client import has_control_characters, segment
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneLookupError,
    PingOneOptionError,
)

CUSTOM = 'CUSTOM'
# The CORE mapping PingOne gives every OpenID Connect application; its default value.
CORE_NAMES = ('sub',)
CORE_DEFAULT_VALUE = '${user.id}'
# Mapping types that PingOne manages and never deletes (the spec's EnumAttributeMappingType).
MANAGED_TYPES = ('CORE', 'SCOPE')
# The claim names the spec reserves for OpenID Connect applications (sub aside, which is the CORE mapping).
RESERVED_NAMES = ('acr', 'amr', 'at_hash', 'aud', 'auth_time', 'azp', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'nonce',
                  'org', 'scope', 'sid')
READ_ONLY_MEMBERS = ('_links', 'id', 'application', 'createdAt', 'updatedAt')
# The yes/no options: option -> API member, and what PingOne stores when the member is absent.
FLAGS = (
    ('required', 'required', False),
    ('id_token', 'idToken', True),
    ('user_info', 'userInfo', True),
)
# Options of a mapping that only custom mappings have (a CORE mapping's claim is always in both places).
CUSTOM_ONLY = ('id_token', 'user_info', 'oidc_scopes')
PRESENT_ONLY = ('value', 'required') + CUSTOM_ONLY
UNCLEAR = 'had no clear outcome (no reply, or HTTP 500/502/504)'


def is_managed(mapping):
    """Whether PingOne manages this mapping (CORE or SCOPE): its value can change, it is never deleted."""
    default = 'CORE' if mapping.get('name') in CORE_NAMES else CUSTOM
    return (mapping.get('mappingType') or default) in MANAGED_TYPES


# -- the options alone -----------------------------------------------------------------------------------------------

def name_problem(name):
    """Why ``name`` cannot be a claim name here (None when it can)."""
    if not name or not name.strip():
        return 'is empty'
    if has_control_characters(name):
        return 'contains a control character'
    if name != name.strip():
        return 'starts or ends with a space'
    if name in RESERVED_NAMES:
        return ("'%s' is a claim PingOne sets itself: the names %s are reserved for OpenID Connect applications"
                % (name, ', '.join(RESERVED_NAMES)))
    return None


def value_problem(value):
    """Why ``value`` cannot be a mapping's value (None when it can)."""
    if not isinstance(value, str):
        return ('must be a string: a constant or an expression such as ${user.email} (quote it in YAML), got %s'
                % type(value).__name__)
    if not value.strip():
        return 'must not be empty'
    if has_control_characters(value):
        return 'contains a control character (a line break or tab?)'
    start = value.rfind('${')
    if start >= 0 and value.find('}', start) < 0:
        return 'has an expression ${ without its closing }'
    return None


def _check_item(index, item, present):
    where = 'mappings[%d]' % index
    problem = name_problem(item['name'])
    if problem:
        raise PingOneOptionError('%s.name %s' % (where, problem))
    core = item['name'] in CORE_NAMES
    if not present:
        for option in PRESENT_ONLY:
            if item.get(option) is not None:
                raise PingOneOptionError('%s.%s applies to state=present only' % (where, option))
        if core:
            raise PingOneOptionError("%s.name '%s' is the CORE mapping of every OpenID Connect application, which PingOne never "
                                     "deletes; set its value with state=present instead" % (where, item['name']))
        return
    if item.get('value') is None:
        raise PingOneOptionError('%s.value is required with state=present: a constant or an expression such as ${user.email}' % where)
    problem = value_problem(item['value'])
    if problem:
        raise PingOneOptionError('%s.value %s' % (where, problem))
    if core:
        for option in CUSTOM_ONLY:
            if item.get(option) is not None:
                raise PingOneOptionError("%s.%s does not apply to the CORE mapping '%s' (its claim is always in the ID token and the "
                                         "userinfo reply); only its value can be set" % (where, option, item['name']))
        if item.get('required') is False:
            raise PingOneOptionError("%s.required must be true for the CORE mapping '%s'" % (where, item['name']))
    if item.get('id_token') is False and item.get('user_info') is False:
        raise PingOneOptionError('%s.id_token and %s.user_info cannot both be false: the claim would be in neither the ID token nor '
                                 'the userinfo reply' % (where, where))
    for position, scope in enumerate(item.get('oidc_scopes') or []):
        if not scope or not scope.strip() or has_control_characters(scope):
            raise PingOneOptionError('%s.oidc_scopes[%d] is empty or contains a control character' % (where, position))


def check_options(params):
    """PingOneOptionError naming the first option that is wrong; needs no request."""
    present = params['state'] == 'present'
    mappings = params['mappings']
    if params.get('exclusive') and not present:
        raise PingOneOptionError('exclusive applies to state=present only')
    if not present and not mappings:
        raise PingOneOptionError('mappings must list at least one mapping to remove with state=absent')
    seen = set()
    for index, item in enumerate(mappings):
        _check_item(index, item, present)
        if item['name'] in seen:
            raise PingOneOptionError("mappings lists the mapping '%s' twice (claim names are compared exactly)" % item['name'])
        seen.add(item['name'])


# -- oidc_scopes: names or IDs of scopes granted to the application --------------------------------------------------

def resolve_scopes(granted, wanted, where, app_label):
    """The IDs of the scopes ``wanted`` (names or IDs, in the order given, each once) among ``granted`` (scopes as
    PingOne lists them, each with ``resource_name``); PingOneLookupError naming ``where`` for an unknown or ambiguous one."""
    result = []
    for item in wanted:
        matches = [scope for scope in granted if scope.get('id') == item] or [scope for scope in granted if scope.get('name') == item]
        if not matches:
            raise PingOneLookupError("%s: '%s' is not a scope granted to %s (granted: %s); grant it first with "
                                     "pingone.oidc.pingone_application_resource_grant" % (
                                         where, item, app_label, ', '.join(sorted({str(scope.get('name')) for scope in granted})) or 'none'))
        if len(matches) > 1:
            raise PingOneLookupError("%s: scope '%s' is granted from several resources (%s); give its ID (%s)" % (
                where, item, ', '.join(str(scope.get('resource_name')) for scope in matches),
                ', '.join(str(scope.get('id')) for scope in matches)))
        if matches[0]['id'] not in result:
            result.append(matches[0]['id'])
    return result


# -- comparing -------------------------------------------------------------------------------------------------------

def _stored(mapping, member, default):
    value = mapping.get(member)
    return default if value is None else value


def _scope_ids(mapping):
    return sorted(set(mapping.get('oidcScopes') or []))


def changed_options(mapping, item):
    """Names of the options of ``item`` whose value differs from the mapping's (unset options are not compared).
    ``item['oidc_scopes']`` holds scope IDs here; [] means no limit."""
    changed = ['value'] if item.get('value') is not None and item['value'] != mapping.get('value') else []
    for option, member, default in FLAGS:
        if item.get(option) is not None and item[option] != _stored(mapping, member, default):
            changed.append(option)
    if item.get('oidc_scopes') is not None and sorted(set(item['oidc_scopes'])) != _scope_ids(mapping):
        changed.append('oidc_scopes')
    return changed


def has_settings(mapping, item):
    """Whether a mapping read back holds what ``item`` asks for (after a write with no clear outcome)."""
    return mapping is not None and not changed_options(mapping, item)


def _refuse_on_managed(index, mapping, item):
    """A CORE or SCOPE mapping takes a value only (the option checks know ``sub``; the server's list tells the rest)."""
    where = 'mappings[%d]' % index
    for option in CUSTOM_ONLY:
        if item.get(option) is not None:
            raise PingOneOptionError("%s.%s does not apply to the %s mapping '%s'; only its value can be set"
                                     % (where, option, mapping.get('mappingType'), mapping.get('name')))
    if item.get('required') is False:
        raise PingOneOptionError("%s.required must be true for the %s mapping '%s'" % (where, mapping.get('mappingType'), mapping.get('name')))


def _refuse_hidden_claim(index, mapping, item):
    """The claim must stay in the ID token or the userinfo reply (PingOne refuses both false)."""
    id_token = item['id_token'] if item.get('id_token') is not None else _stored(mapping, 'idToken', True)
    user_info = item['user_info'] if item.get('user_info') is not None else _stored(mapping, 'userInfo', True)
    if not id_token and not user_info:
        option = 'id_token' if item.get('id_token') is not None else 'user_info'
        raise PingOneOptionError("mappings[%d].%s false would leave claim '%s' in neither the ID token nor the userinfo reply "
                                 "(the other one is false already); set one of them true" % (index, option, mapping.get('name')))


def plan(current, wanted, state, exclusive):
    """What to do: (to add [items], to update [(mapping, item, changed options)], to remove [mappings]), in a stable order.

    ``current`` is the application's mappings as PingOne lists them; ``wanted`` the items of ``mappings`` (their
    ``oidc_scopes`` as scope IDs). With state=present the listed mappings are added or updated and, with ``exclusive``,
    the other custom ones removed; with state=absent the listed ones are removed. PingOneOptionError, naming the
    option, when the plan would change what PingOne does not let change.
    """
    by_name = {mapping.get('name'): mapping for mapping in current}
    index_of = {item['name']: index for index, item in enumerate(wanted)}
    if state == 'absent':
        remove = [by_name[item['name']] for item in wanted if item['name'] in by_name]
        for mapping in remove:
            if is_managed(mapping):
                raise PingOneOptionError("mappings[%d].name '%s' is a %s mapping, which PingOne never deletes" % (
                    index_of[mapping['name']], mapping['name'], mapping.get('mappingType') or 'CORE'))
        return [], [], remove
    add, update = [], []
    for index, item in enumerate(wanted):
        mapping = by_name.get(item['name'])
        if mapping is None:
            add.append(item)
            continue
        if is_managed(mapping):
            _refuse_on_managed(index, mapping, item)
        else:
            _refuse_hidden_claim(index, mapping, item)
        changed = changed_options(mapping, item)
        if changed:
            update.append((mapping, item, changed))
    remove = [mapping for mapping in current if exclusive and mapping.get('name') not in index_of and not is_managed(mapping)]
    return add, update, remove


# -- bodies ----------------------------------------------------------------------------------------------------------

def creation_body(item):
    """The body of a new custom mapping: ``required`` false unless set (PingOne needs the member), the rest as set."""
    body = {'name': item['name'], 'value': item['value'], 'required': bool(item.get('required'))}
    for option, member, dummy in FLAGS[1:]:
        if item.get(option) is not None:
            body[member] = item[option]
    if item.get('oidc_scopes'):
        body['oidcScopes'] = list(item['oidc_scopes'])
    return body


def update_body(mapping, item):
    """The whole mapping for a PUT: the current one with the options that are set applied (PingOne's PUT replaces the
    whole mapping, so members this collection does not model are kept); ``oidc_scopes: []`` removes the limit."""
    body = {key: copy.deepcopy(value) for key, value in mapping.items() if key not in READ_ONLY_MEMBERS}
    if item.get('value') is not None:
        body['value'] = item['value']
    for option, member, dummy in FLAGS:
        if item.get(option) is not None:
            body[member] = item[option]
    if item.get('oidc_scopes') is not None:
        if item['oidc_scopes']:
            body['oidcScopes'] = list(item['oidc_scopes'])
        else:
            body.pop('oidcScopes', None)
    return body


# -- showing ---------------------------------------------------------------------------------------------------------

def sanitize(mapping):
    """A copy of a mapping without HAL links."""
    return {key: value for key, value in mapping.items() if not key.startswith('_')}


def view(mappings, scope_names):
    """What a diff shows of an application's mappings, in option terms, by name (``scope_names``: scope ID -> name)."""
    items = []
    for mapping in mappings:
        items.append({
            'name': mapping.get('name'),
            'value': mapping.get('value'),
            'mapping_type': mapping.get('mappingType') or CUSTOM,
            'required': bool(mapping.get('required')),
            'id_token': _stored(mapping, 'idToken', True),
            'user_info': _stored(mapping, 'userInfo', True),
            'oidc_scopes': sorted(str(scope_names.get(scope_id, scope_id)) for scope_id in mapping.get('oidcScopes') or []),
        })
    return {'mappings': sorted(items, key=lambda item: str(item['name']))}


def counted(items):
    """'attribute mapping a' or 'attribute mappings a, b' (of mappings or wanted items)."""
    names = ', '.join(str(item.get('name')) for item in items)
    return '%s %s' % ('attribute mapping' if len(items) == 1 else 'attribute mappings', names)


# -- requests --------------------------------------------------------------------------------------------------------

class AttributeMappingService(AccessService):
    """The attribute mappings of the applications of one environment, and the scopes granted to an application."""

    def _mappings_path(self, application_id, mapping_id=None):
        path = '%s/applications/%s/attributes' % (self.env_base, segment(application_id))
        return path if mapping_id is None else '%s/%s' % (path, segment(mapping_id))

    def list_mappings(self, application_id):
        return self._list(self._mappings_path(application_id), 'attributes', 'attribute mappings', "application '%s'" % application_id)

    def find_mapping(self, application_id, name):
        """The application's mapping named exactly ``name``, or None."""
        return next((mapping for mapping in self.list_mappings(application_id) if mapping.get('name') == name), None)

    def get_mapping(self, application_id, mapping_id):
        operation = "Reading attribute mapping '%s' of application '%s' in environment '%s'" % (
            mapping_id, application_id, self.environment_id)
        return self.client.read(self._mappings_path(application_id, mapping_id), operation, subject='attribute mapping')

    def create_mapping(self, application_id, body):
        operation = "Creating attribute mapping '%s' of application '%s' in environment '%s'" % (
            body.get('name'), application_id, self.environment_id)
        return self.client.request('POST', self._mappings_path(application_id), operation, json_body=body, expected=(201,)).body

    def update_mapping(self, application_id, mapping_id, body, landed=None):
        """Full replacement of a mapping; returns (mapping, True when it had to be read back): see ``_write_settled``."""
        operation = "Updating attribute mapping '%s' (%s) of application '%s' in environment '%s'" % (
            body.get('name'), mapping_id, application_id, self.environment_id)
        return self._write_settled('PUT', self._mappings_path(application_id, mapping_id), operation, body,
                                   lambda: self.get_mapping(application_id, mapping_id), landed)

    def delete_mapping(self, application_id, mapping_id):
        """True when deleted, False when it was already gone."""
        operation = "Deleting attribute mapping '%s' of application '%s' in environment '%s'" % (
            mapping_id, application_id, self.environment_id)
        return self.client.delete(self._mappings_path(application_id, mapping_id), operation, subject='attribute mapping')

    def granted_scopes(self, application_id):
        """Every scope granted to the application, as its resource lists it, with the resource's name as ``resource_name``."""
        names = {resource.get('id'): resource.get('name') for resource in self.list_resources()}
        granted = []
        for grant in self.list_grants(application_id):
            resource_id = (grant.get('resource') or {}).get('id')
            ids = {scope.get('id') for scope in grant.get('scopes') or []}
            granted += [dict(scope, resource_name=names.get(resource_id, resource_id))
                        for scope in self.list_scopes(resource_id) if scope.get('id') in ids]
        return granted

    def create_once(self, application_id, item, what, warn):
        """POST a new mapping once: (mapping, True), or (mapping, False) when another run created one of that name meanwhile.

        A create with no clear outcome is looked for by name (a few reads) and sent once more only if it never shows;
        one PingOne refused because the name is taken is read again. ``what`` names the mapping in the warning that
        ``warn(text)`` gets in either case."""
        body = creation_body(item)
        try:
            return self.create_mapping(application_id, body), True
        except (PingOneApiError, PingOneConnectionError) as exc:
            if not outcome_unknown(exc):
                found = self.find_mapping(application_id, item['name']) if refused_as_conflict(exc) else None
                if found is None:
                    raise exc
                warn('Another run created %s at the same time; this run made it as the task describes' % what)
                return found, False
        found = self.client.settle(lambda: self.find_mapping(application_id, item['name']), lambda value: value is not None)
        if found is not None:
            warn('The request to create %s %s; reading again found it in place' % (what, UNCLEAR))
            return found, True
        warn('The request to create %s %s and it did not show when read again; it was sent once more' % (what, UNCLEAR))
        return self.create_mapping(application_id, body), True
