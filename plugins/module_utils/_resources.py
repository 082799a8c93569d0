# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Custom resources and their scopes: how the options of pingone_resource map to the API (pure: no requests, no Ansible).

One table (``FIELDS``) drives the comparison, the request bodies and the views. Options left unset are not managed;
what PingOne stores when a member is absent (its defaults) never counts as a change; a PUT sends the whole object
back, so members this collection does not model are kept. Scopes are matched by name, exactly (OAuth scope names
are case-sensitive).
"""

from __future__ import annotations

import copy

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError

CUSTOM = 'CUSTOM'
# PingOne's bounds of accessTokenValiditySeconds (the spec's Resource schema), and its default.
MIN_VALIDITY, MAX_VALIDITY, DEFAULT_VALIDITY = 300, 2592000, 3600
# What an audience must not contain (the spec's Resource.audience), compared ignoring case.
RESERVED_AUDIENCE_WORDS = ('pingone', 'pingidentity')
READ_ONLY_MEMBERS = ('_links', '_embedded', 'id', 'environment', 'createdAt', 'updatedAt', 'clientId', 'clientSecret')
SCOPE_READ_ONLY_MEMBERS = ('_links', '_embedded', 'id', 'environment', 'resource', 'createdAt', 'updatedAt')
SECRET_MEMBERS = ('clientSecret',)
# The options that set something of the resource itself (not its scopes): option -> API member.
FIELDS = (
    ('description', 'description'),
    ('audience', 'audience'),
    ('access_token_validity_seconds', 'accessTokenValiditySeconds'),
)
PRESENT_ONLY = tuple(option for option, dummy in FIELDS) + ('exclusive',)


def is_builtin(resource):
    """Whether this is one of PingOne's own resources (openid, PingOne API, ...), which this collection never changes."""
    return (resource or {}).get('type') != CUSTOM


# -- the options alone -----------------------------------------------------------------------------------------------

def _control(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def scope_name_problem(name):
    """Why ``name`` cannot be an OAuth scope name (None when it can): RFC 6749 section 3.3 allows the printable ASCII
    characters except space, double quote and backslash (scopes travel space-separated in one parameter)."""
    if not name:
        return 'is empty'
    if any(not 0x21 <= ord(char) <= 0x7e or char in '"\\' for char in name):
        return ('contains a space, a quote, a backslash, a control or a non-ASCII character, which an OAuth scope name cannot '
                'hold (RFC 6749 section 3.3)')
    return None


def audience_problem(audience):
    """Why ``audience`` cannot be a resource's audience (None when it can)."""
    if not audience:
        return 'must not be empty: leave it unset to keep the current audience (a new resource gets its name)'
    if any(char.isspace() for char in audience) or _control(audience):
        return 'contains a space or a control character'
    if '#' in audience:
        return 'must not contain a fragment (#)'
    folded = audience.casefold()
    for word in RESERVED_AUDIENCE_WORDS:
        if word in folded:
            return "must not contain '%s' (PingOne keeps its own names out of custom audiences)" % word
    return None


def check_options(params):
    """PingOneOptionError naming the first option that is wrong; needs no request."""
    present = params['state'] == 'present'
    name = params.get('name')
    if name is not None and (not name.strip() or _control(name)):
        raise PingOneOptionError('name must not be empty or contain a control character')
    if not present:
        for option in PRESENT_ONLY:
            if params.get(option) not in (None, False):
                raise PingOneOptionError('%s applies to state=present only' % option)
    if params.get('audience') is not None:
        problem = audience_problem(params['audience'])
        if problem:
            raise PingOneOptionError('audience %s' % problem)
    validity = params.get('access_token_validity_seconds')
    if validity is not None and not MIN_VALIDITY <= validity <= MAX_VALIDITY:
        raise PingOneOptionError('access_token_validity_seconds must be from %d (5 minutes) to %d (30 days), got %d'
                                 % (MIN_VALIDITY, MAX_VALIDITY, validity))
    scopes = params.get('scopes')
    if params.get('exclusive') and scopes is None:
        raise PingOneOptionError('exclusive needs scopes, the complete list of the scopes the resource should have '
                                 '(scopes: [] removes every scope)')
    if scopes is not None and not present and not scopes:
        raise PingOneOptionError('scopes must list at least one scope to remove with state=absent (to delete the resource, '
                                 'leave scopes unset)')
    seen = set()
    for index, scope in enumerate(scopes or []):
        problem = scope_name_problem(scope['name'])
        if problem:
            raise PingOneOptionError('scopes[%d].name %s' % (index, problem))
        if scope['name'] in seen:
            raise PingOneOptionError("scopes lists the scope '%s' twice" % scope['name'])
        seen.add(scope['name'])
        if not present and scope.get('description') is not None:
            raise PingOneOptionError('scopes[%d].description applies to state=present only' % index)


# -- comparing -------------------------------------------------------------------------------------------------------

def _stored(member, resource):
    """What PingOne holds for a member, its default filled in (an absent audience is the name, an empty text is none)."""
    value = resource.get(member)
    if member == 'accessTokenValiditySeconds' and value is None:
        return DEFAULT_VALIDITY
    if member == 'audience' and not value:
        return resource.get('name')
    if value == '':
        return None
    return value


def _wanted(option, value):
    """The API value of an option ("" removes a description)."""
    if option == 'description' and value == '':
        return None
    return value


def changed_options(current, params, new_name=None):
    """Names of the options whose value differs from the resource's (unset options are not compared)."""
    changed = ['name'] if new_name is not None and new_name != current.get('name') else []
    for option, member in FIELDS:
        if params.get(option) is not None and _wanted(option, params[option]) != _stored(member, current):
            changed.append(option)
    return changed


def creation_body(params):
    """The body of a new CUSTOM resource (only the options that are set)."""
    body = {'name': params['name'], 'type': CUSTOM}
    for option, member in FIELDS:
        value = _wanted(option, params.get(option))
        if value is not None:
            body[member] = value
    return body


def update_body(current, params, new_name=None):
    """The whole resource for a PUT: the current one with the options that are set applied; members this collection
    does not model are kept, because PingOne's PUT replaces the whole resource."""
    body = {key: copy.deepcopy(value) for key, value in current.items() if key not in READ_ONLY_MEMBERS}
    if new_name is not None:
        body['name'] = new_name
    for option, member in FIELDS:
        if params.get(option) is not None:
            value = _wanted(option, params[option])
            if value is None:
                body.pop(member, None)
            else:
                body[member] = value
    return body


def has_settings(resource, params, new_name=None):
    """Whether a resource read back holds what the options ask for (after a write with no clear outcome)."""
    return not changed_options(resource, params, new_name)


def _description(scope):
    return (scope or {}).get('description') or None


def scope_differs(scope, item):
    """Whether a scope lacks the description a wanted item sets (an unset description is not managed)."""
    return item.get('description') is not None and _wanted('description', item['description']) != _description(scope)


def plan_scopes(current, params):
    """What to do with the scopes: (to add, to update as [(scope, wanted)], to remove), each in a stable order.

    ``current`` is the resource's scopes as PingOne lists them; the wanted ones are ``params['scopes']`` (dicts with
    ``name`` and ``description``; an unset description is not managed). With state=present the listed scopes are added
    or updated and, with ``exclusive``, the others removed; with state=absent the listed scopes are removed.
    """
    wanted = params.get('scopes')
    if wanted is None:
        return [], [], []
    by_name = {scope.get('name'): scope for scope in current}
    names = [item['name'] for item in wanted]
    if params['state'] == 'absent':
        return [], [], [scope for scope in current if scope.get('name') in names]
    add = [item for item in wanted if item['name'] not in by_name]
    update = [(by_name[item['name']], item) for item in wanted if item['name'] in by_name and scope_differs(by_name[item['name']], item)]
    remove = [scope for scope in current if params.get('exclusive') and scope.get('name') not in names]
    return add, update, remove


def scope_creation_body(item):
    body = {'name': item['name']}
    if item.get('description'):
        body['description'] = item['description']
    return body


def scope_update_body(current, item):
    """The whole scope for a PUT: the current one with the wanted description ("" removes it)."""
    body = {key: copy.deepcopy(value) for key, value in current.items() if key not in SCOPE_READ_ONLY_MEMBERS}
    body['name'] = item['name']
    if item.get('description'):
        body['description'] = item['description']
    else:
        body.pop('description', None)
    return body


# -- showing ---------------------------------------------------------------------------------------------------------

def sanitize(item):
    """A copy of a resource or scope without HAL links and without the resource's client secret."""
    if item is None:
        return None
    return {key: value for key, value in item.items() if key not in SECRET_MEMBERS and not key.startswith('_')}


def view(resource, scopes):
    """What a diff shows of a resource and its scopes, in option terms ({} when there is none)."""
    if resource is None:
        return {}
    return {
        'name': resource.get('name'),
        'type': resource.get('type'),
        'description': resource.get('description') or '',
        'audience': _stored('audience', resource),
        'access_token_validity_seconds': _stored('accessTokenValiditySeconds', resource),
        'scopes': sorted(({'name': scope.get('name'), 'description': scope.get('description') or ''} for scope in scopes),
                         key=lambda item: str(item['name'])),
    }


def names(scopes):
    """'a, b' of the names of scopes (or of wanted scope items)."""
    return ', '.join(str(scope.get('name')) for scope in scopes)


def counted(items, singular, plural=None):
    """'scope a' or 'scopes a, b'."""
    return '%s %s' % (singular if len(items) == 1 else plural or singular + 's', names(items))
