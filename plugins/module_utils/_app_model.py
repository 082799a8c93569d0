# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The OIDC application model: the one place that knows how options map to the API.

One table (``FIELDS``) drives the argument spec, the request body, normalisation (so server
defaults, list order and JSON formatting never cause ``changed``), validation before any write,
and the sanitised views used in diffs and results. No Ansible imports.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from urllib.parse import urlsplit

from ansible_collections.pingone.oidc.plugins.module_utils._jose import PRIVATE_MEMBERS as PRIVATE_JWK_MEMBERS
from ansible_collections.pingone.oidc.plugins.module_utils._jose import JwkError, check_public_jwk, private_members

OIDC_TYPES = ('WORKER', 'WEB_APP', 'SINGLE_PAGE_APP', 'NATIVE_APP', 'SERVICE', 'CUSTOM_APP')
# The token endpoint authentication methods PingOne knows (also the client side's, see _client_auth.METHODS).
AUTH_METHODS = ('NONE', 'CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT')
GRANT_TYPES = ('AUTHORIZATION_CODE', 'IMPLICIT', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS', 'DEVICE_CODE', 'TOKEN_EXCHANGE', 'CIBA')
RESPONSE_TYPES = ('CODE', 'TOKEN', 'ID_TOKEN')
READ_ONLY_MEMBERS = ('id', 'environment', '_links', '_embedded', 'createdAt', 'updatedAt', 'clientId', 'clientSecret',
                     'assignActorRoles')
# Members PingOne stores that are secret but are not options of this collection (secret options say so with no_log=True).
UNMANAGED_SECRETS = (
    ('clientSecret',),
    ('mobile', 'integrityDetection', 'googlePlay', 'decryptionKey'),
    ('mobile', 'integrityDetection', 'googlePlay', 'verificationKey'),
    ('mobile', 'integrityDetection', 'googlePlay', 'serviceAccountCredentials'),
)
MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
MAX_INT = 2147483647
DEVICE_PATH_ID_RE = re.compile(r'[a-zA-Z0-9_-]{1,50}')  # matched whole (fullmatch): no trailing newline slips through
# Where a URL may use plain http (the host as urlsplit gives it: lower case, IPv6 without brackets). PingOne's
# "Redirect URIs" page (section "Loopback IP redirect URIs") allows "a loopback IP address or localhost" with the
# scheme HTTP or HTTPS and refers to RFC 8252 section 7.3, whose loopback literals are 127.0.0.1 and [::1].
# One rule for every URL that allows http only locally; the simulator follows the same list (its decision 10).
LOOPBACK_HOSTS = ('localhost', '127.0.0.1', '::1')
# Schemes a browser runs or reads locally: never a place to send a user (or a token) to. PingOne documents no such
# rule, so only this collection refuses them (the simulator, like PingOne's documentation, does not).
UNSAFE_SCHEMES = ('javascript', 'data', 'vbscript', 'file')
# A CORS origin: http(s)://host[:port], no path; "*." may stand for subdomains. The simulator uses the same pattern.
ORIGIN_LABEL = r'[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
ORIGIN_RE = re.compile(r'https?://(?:\*\.)?%s(?:\.%s)*(?::\d{1,5})?' % (ORIGIN_LABEL, ORIGIN_LABEL))
# PingOne's limit on corsSettings.origins. The sdk-v2 OpenAPI description (2023) says 20; Ping Identity raised the
# Terraform provider's limit to 40 in 2026 "to align with the PingOne API limit of 40 origins", the newer word.
MAX_CORS_ORIGINS = 40
# Grants that issue refresh tokens; REFRESH_TOKEN alone (or with implicit or client credentials only) gets none.
REFRESH_TOKEN_SOURCES = ('AUTHORIZATION_CODE', 'DEVICE_CODE', 'CIBA', 'TOKEN_EXCHANGE')
KINDS = ('scalar', 'set', 'jwks', 'cors', 'access', 'icon')


class Field:
    """One managed option and everything this collection knows about it.

    ``option`` and ``path``: the Ansible option and where PingOne keeps its value (dotted).

    ``kind``: how values compare and how the diff shows them. ``scalar`` compares as is (an absent
    ``bool`` is false, an empty ``str`` is absent); ``set`` is a list whose order and duplicates do not
    matter, shown sorted; ``jwks`` is JSON compared parsed, shown by key as ``kid (kty alg)``; ``cors``
    and ``access`` are nested objects compared as a whole; ``icon`` is an image, compared and shown by its ID.

    ``bounds``: (min, max) of an integer option, and ``url``: the rule each URL must follow (a key of
    ``URL_RULES``), are checked before any write. ``absent_means``: what PingOne stores when the member
    is absent, so a server default never looks like a change.

    The other keywords are the option's Ansible argument spec (``type`` and ``elements`` follow from
    ``kind`` unless given). ``no_log`` is never guessed from the name: ansible-test wants it explicit on
    options whose names look secret, so it is given there (``False`` for durations and IDs), and
    ``no_log=True`` makes ``sanitize`` mask the value too.

    ``resolved``: the option's value is settled by requests of the module's own before the model compares it
    (an image looked up or uploaded, see ``_images``). Only modules that do that offer it
    (``field_argument_spec(resolved=True)``), and definitions, which other modules apply as they are, leave it out.
    """

    def __init__(self, option, path, kind='scalar', bounds=None, absent_means=None, url=None, resolved=False, **spec):
        if kind not in KINDS:
            raise ValueError('unknown kind %r of option %s' % (kind, option))
        self.option = option
        self.path = tuple(path.split('.'))
        self.kind = kind
        self.bounds = bounds
        self.absent_means = absent_means
        self.url = url
        self.resolved = resolved
        self.spec = spec
        self.spec.setdefault('type', 'list' if kind == 'set' else 'str')
        if kind == 'set':
            self.spec.setdefault('elements', 'str')

    @property
    def api_name(self):
        return '.'.join(self.path)

    @property
    def sensitive(self):
        return self.spec.get('no_log') is True


FIELDS = (
    Field('description', 'description'),
    # an image of the environment; pingone_application reads icon.id, or uploads icon.path unless the same picture is there
    Field('icon', 'icon', 'icon', resolved=True, type='dict', options=dict(id=dict(type='str'), path=dict(type='path')),
          mutually_exclusive=[('id', 'path')]),
    Field('enabled', 'enabled', type='bool'),
    Field('token_endpoint_auth_method', 'tokenEndpointAuthMethod', choices=list(AUTH_METHODS), no_log=False),
    Field('grant_types', 'grantTypes', 'set', choices=list(GRANT_TYPES)),
    Field('response_types', 'responseTypes', 'set', choices=list(RESPONSE_TYPES)),
    Field('jwks', 'jwks', 'jwks', type='raw'),
    Field('jwks_url', 'jwksUrl', url='https'),  # jwks is its alternative (see _key_source_problems)
    Field('redirect_uris', 'redirectUris', 'set', url='redirect'),
    # the redirect URI rules, wildcards included (the simulator's decision 10)
    Field('post_logout_redirect_uris', 'postLogoutRedirectUris', 'set', url='redirect'),
    Field('allow_wildcard_in_redirect_uris', 'allowWildcardInRedirectUris', type='bool'),
    Field('pkce_enforcement', 'pkceEnforcement', absent_means='OPTIONAL', choices=['OPTIONAL', 'REQUIRED', 'S256_REQUIRED']),
    Field('par_requirement', 'parRequirement', absent_means='OPTIONAL', choices=['OPTIONAL', 'REQUIRED']),
    Field('par_timeout', 'parTimeout', bounds=(1, 600), absent_means=60, type='int'),
    Field('refresh_token_duration', 'refreshTokenDuration', bounds=(60, MAX_INT), type='int', no_log=False),
    Field('refresh_token_rolling_duration', 'refreshTokenRollingDuration', bounds=(60, MAX_INT), type='int', no_log=False),
    Field('refresh_token_rolling_grace_period_duration', 'refreshTokenRollingGracePeriodDuration', bounds=(0, 86400), absent_means=0,
          type='int', no_log=False),
    Field('refresh_token_type', 'refreshTokenType', choices=['JSON_WEB_TOKEN', 'OPAQUE_TOKEN'], no_log=False),
    Field('additional_refresh_token_replay_protection_enabled', 'additionalRefreshTokenReplayProtectionEnabled', type='bool', no_log=False),
    Field('home_page_url', 'homePageUrl', url='url'),
    Field('login_page_url', 'loginPageUrl', url='login'),
    Field('initiate_login_uri', 'initiateLoginUri', url='url'),
    Field('target_link_uri', 'targetLinkUri', url='custom-scheme'),
    Field('require_signed_request_object', 'requireSignedRequestObject', type='bool'),
    Field('support_unsigned_request_object', 'supportUnsignedRequestObject', type='bool'),
    Field('include_x5t', 'includeX5t', type='bool'),
    Field('op_session_check_enabled', 'opSessionCheckEnabled', type='bool'),
    Field('idp_signoff', 'idpSignoff', type='bool'),
    Field('request_scopes_for_multiple_resources_enabled', 'requestScopesForMultipleResourcesEnabled', type='bool'),
    Field('hidden_from_app_portal', 'hiddenFromAppPortal', type='bool'),
    Field('device_path_id', 'devicePathId'),
    Field('device_custom_verification_uri', 'deviceCustomVerificationUri', url='url'),
    Field('device_timeout', 'deviceTimeout', bounds=(1, 3600), absent_means=600, type='int'),
    Field('device_polling_interval', 'devicePollingInterval', bounds=(1, 60), absent_means=5, type='int'),
    Field('signing_key_rotation_policy_id', 'signing.keyRotationPolicy.id', no_log=False),
    Field('tags', 'tags', 'set', choices=['PING_FED_CONNECTION_INTEGRATION']),
    Field('cors_settings', 'corsSettings', 'cors', type='dict', options=dict(
        behavior=dict(type='str', required=True, choices=['ALLOW_NO_ORIGINS', 'ALLOW_SPECIFIC_ORIGINS']),
        origins=dict(type='list', elements='str'),
    )),
    Field('access_control', 'accessControl', 'access', type='dict', options=dict(
        role_type=dict(type='str', choices=['ADMIN_USERS_ONLY']),
        group_type=dict(type='str', choices=['ANY_GROUP', 'ALL_GROUPS']),
        groups=dict(type='list', elements='str'),
    )),
)
FIELDS_BY_OPTION = {field.option: field for field in FIELDS}
SENSITIVE_PATHS = UNMANAGED_SECRETS + tuple(field.path for field in FIELDS if field.sensitive)

# What a new application of each type gets for the options the user left unset (the PingOne
# console's presets). A table per type rather than a Field attribute: each row is one preset,
# reviewed against the console as a whole, and only three options take part. Keys are options.
# Two presets hold for every type (see creation_body): enabled is false, and the authorization
# code grant gets the response type CODE.
CREATE_DEFAULTS = {
    'WORKER': {'grant_types': ['CLIENT_CREDENTIALS'], 'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC'},
    'WEB_APP': {'grant_types': ['AUTHORIZATION_CODE'], 'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC'},
    'SINGLE_PAGE_APP': {'grant_types': ['AUTHORIZATION_CODE'], 'token_endpoint_auth_method': 'NONE', 'pkce_enforcement': 'S256_REQUIRED'},
    'NATIVE_APP': {'grant_types': ['AUTHORIZATION_CODE'], 'token_endpoint_auth_method': 'NONE', 'pkce_enforcement': 'S256_REQUIRED'},
    'SERVICE': {'grant_types': ['AUTHORIZATION_CODE'], 'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC'},
    'CUSTOM_APP': {'grant_types': ['CLIENT_CREDENTIALS'], 'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC'},
}


def field_argument_spec(resolved=False):
    """The options of the fields; a ``resolved`` field only for a module that resolves it (``resolved=True``)."""
    return {field.option: copy.deepcopy(field.spec) for field in FIELDS if resolved or not field.resolved}


# -- nested access ---------------------------------------------------------------------------

def get_path(obj, path):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def set_path(obj, path, value):
    """Set a nested member; ``None`` removes it (and parents left empty)."""
    if value is None:
        parents = [obj]
        for key in path[:-1]:
            nxt = parents[-1].get(key)
            if not isinstance(nxt, dict):
                return
            parents.append(nxt)
        parents[-1].pop(path[-1], None)
        for depth in range(len(path) - 1, 0, -1):
            if not parents[depth]:
                parents[depth - 1].pop(path[depth - 1], None)
        return
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


# -- conversions -----------------------------------------------------------------------------

class JwksError(ValueError):
    pass


def parse_jwks(value):
    """A JWKS given as dict or JSON string, as a dict; raises JwksError."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise JwksError('is not valid JSON (%s)' % exc) from None
    if not isinstance(value, dict) or not isinstance(value.get('keys'), list) or not value['keys']:
        raise JwksError('must be a JSON Web Key Set: an object with a non-empty "keys" list')
    for index, key in enumerate(value['keys']):
        if not isinstance(key, dict) or not key.get('kty'):
            raise JwksError('key %d has no "kty"' % index)
        private = private_members(key)
        if private:
            raise JwksError('key %s holds private key members (%s); publish only the public key'
                            % (shown(key.get('kid') or index), ', '.join(private)))
    return value


def private_jwk_values(value):
    """The values of private members in a JWKS (dict or JSON string), to be masked in output."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    keys = value.get('keys') if isinstance(value, dict) else None
    found = []
    for key in keys if isinstance(keys, list) else [value]:
        if isinstance(key, dict):
            found.extend(str(key[member]) for member in PRIVATE_JWK_MEMBERS if key.get(member))
    return found


def canonical_jwks(value):
    """The JWKS as PingOne stores it: a JSON string (ours is compact with sorted members).

    An invalid JWKS is passed through unchanged so that ``validate_body`` reports it.
    """
    try:
        return json.dumps(parse_jwks(value), sort_keys=True, separators=(',', ':'))
    except JwksError:
        return value if isinstance(value, str) else json.dumps(value)


def to_api(field, value):
    """The API representation of an option value (None = remove the property)."""
    if value is None:
        return None
    if field.kind == 'set':
        return list(dict.fromkeys(value)) or None
    if field.kind == 'jwks':
        return canonical_jwks(value)
    if field.kind == 'cors':
        body = {'behavior': value['behavior']}
        if value.get('origins'):
            body['origins'] = list(dict.fromkeys(value['origins']))
        return body
    if field.kind == 'access':
        body = {}
        if value.get('role_type'):
            body['role'] = {'type': value['role_type']}
        if value.get('group_type') or value.get('groups'):
            body['group'] = {'type': value.get('group_type'), 'groups': [{'id': gid} for gid in value.get('groups') or []]}
        return body or None
    if field.kind == 'icon':
        # {'id', 'href'} once resolved; a path not yet uploaded stays a path, which validate_body refuses
        return {key: value[key] for key in ('id', 'href', 'path') if value.get(key)} or None
    if isinstance(value, str) and value == '' and field.spec['type'] == 'str':
        return None
    return value


def normalize(field, api_value):
    """A comparable form of an API value; absent and default-equivalent values compare equal."""
    if api_value is None:
        api_value = field.absent_means
    if field.kind == 'set':
        return sorted(set(api_value or []))
    if field.kind == 'jwks':
        if api_value in (None, ''):
            return None
        try:
            keys = parse_jwks(api_value)['keys']
        except JwksError:
            return api_value
        return sorted((json.dumps(key, sort_keys=True) for key in keys))
    if field.kind == 'cors':
        if not api_value:
            return None
        return (api_value.get('behavior'), tuple(sorted(set(api_value.get('origins') or []))))
    if field.kind == 'access':
        role = get_path(api_value, ('role', 'type'))
        group = (api_value or {}).get('group') or {}
        groups = tuple(sorted(str(g.get('id')) for g in group.get('groups') or [] if isinstance(g, dict)))
        return (role, group.get('type'), groups)
    if field.kind == 'icon':
        icon = api_value if isinstance(api_value, dict) else {}
        return icon.get('id') or (('file', icon['path']) if icon.get('path') else None)
    if field.spec['type'] == 'bool':
        return bool(api_value)
    if field.spec['type'] == 'str':
        return api_value or None
    return api_value


# -- desired state, comparison, merge --------------------------------------------------------

def desired_from_params(params):
    """{Field: value} for every option the user set (unset options are not managed)."""
    return {field: params[field.option] for field in FIELDS if params.get(field.option) is not None}


def changed_options(current, desired):
    """Names of the options whose desired value differs from the application's."""
    changed = []
    for field, value in desired.items():
        if normalize(field, to_api(field, value)) != normalize(field, get_path(current, field.path)):
            changed.append(field.option)
    return changed


def merge(current, desired, name=None):
    """The full body for a PUT: the current application with the desired options applied.

    Everything the user did not set - including properties this collection does not model -
    is kept, because PingOne's PUT replaces the whole application.
    """
    body = {key: copy.deepcopy(value) for key, value in current.items() if key not in READ_ONLY_MEMBERS}
    if name is not None:
        body['name'] = name
    for field, value in desired.items():
        set_path(body, field.path, to_api(field, value))
    # jwks and jwksUrl are alternatives: choosing one drops the other.
    if 'jwks' in [f.option for f in desired] and body.get('jwks'):
        body.pop('jwksUrl', None)
    if 'jwks_url' in [f.option for f in desired] and body.get('jwksUrl'):
        body.pop('jwks', None)
    return body


def creation_body(name, app_type, desired, assign_actor_roles=None):
    body = {'name': name, 'type': app_type, 'protocol': 'OPENID_CONNECT'}
    for field, value in desired.items():
        set_path(body, field.path, to_api(field, value))
    for option, value in CREATE_DEFAULTS[app_type].items():
        field = FIELDS_BY_OPTION[option]
        if get_path(body, field.path) is None:
            set_path(body, field.path, to_api(field, copy.deepcopy(value)))
    # PingOne's API lists enabled as required on create, and documents false as what it means unset.
    body.setdefault('enabled', False)
    # The response type of the authorization code grant, whatever the type.
    if 'AUTHORIZATION_CODE' in (body.get('grantTypes') or []) and not body.get('responseTypes'):
        body['responseTypes'] = ['CODE']
    if assign_actor_roles is not None:
        body['assignActorRoles'] = assign_actor_roles
    return body


# -- definitions: the inverse of to_api --------------------------------------------------------

# Members a definition gives besides the options of FIELDS (``protocol`` is always OPENID_CONNECT).
DEFINITION_MEMBERS = ('name', 'type', 'protocol')


def option_value(field, api_value):
    """The option value that ``to_api`` turns into ``api_value``; None when there is nothing to set.

    Sets come back sorted without duplicates, a JWKS as a dict of public keys (private members dropped; an
    unparsable JWKS is not given at all), ``cors`` and ``access`` as their suboptions.
    """
    if api_value is None:
        return None
    if field.kind == 'set':
        return sorted(set(api_value)) if isinstance(api_value, list) and api_value else None
    if field.kind == 'jwks':
        return _public_jwks(api_value)
    if field.kind == 'cors':
        if not isinstance(api_value, dict) or not api_value.get('behavior'):
            return None
        value = {'behavior': api_value['behavior']}
        if api_value.get('origins'):
            value['origins'] = sorted(set(api_value['origins']))
        return value
    if field.kind == 'access':
        if not isinstance(api_value, dict):
            return None
        role, group = get_path(api_value, ('role', 'type')), api_value.get('group') or {}
        groups = sorted(set(str(g['id']) for g in group.get('groups') or [] if isinstance(g, dict) and g.get('id')))
        value = {key: item for key, item in (('role_type', role), ('group_type', group.get('type')), ('groups', groups)) if item}
        return value or None
    if field.kind == 'icon':
        return {'id': api_value['id']} if isinstance(api_value, dict) and api_value.get('id') else None
    if field.spec['type'] == 'str' and api_value == '':
        return None
    return api_value


def _public_jwks(api_value):
    """A stored JWKS as an option value: a dict whose keys hold no private members, or None when unparsable."""
    try:
        value = json.loads(api_value) if isinstance(api_value, str) else copy.deepcopy(api_value)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get('keys'), list) or not value['keys']:
        return None
    value['keys'] = [{member: item for member, item in key.items() if member not in PRIVATE_JWK_MEMBERS}
                     if isinstance(key, dict) else key for key in value['keys']]
    return value


def definition_from_api(app):
    """The options of pingone.oidc.pingone_application that describe an application as PingOne stores it.

    The inverse of ``to_api``: ``name``, ``type`` and every option the application has a value for, so that
    ``changed_options(app, desired_from_params(definition))`` is empty (applied to the same application, a
    definition changes nothing) and ``creation_body`` makes an equivalent application in another environment.
    Left out: read-only members, empty values, sensitive options (never exported, not even masked: a mask
    applied would overwrite the secret), ``resolved`` options (the icon, an image of this environment), and
    PingOne's documented defaults (``absent_means``) when creating without them gives the same (so a
    SINGLE_PAGE_APP keeps pkce_enforcement OPTIONAL, which its preset would not give). Booleans PingOne stores
    are given as stored, false included: PingOne defaults some to true.
    Members no option models stay behind (see ``unmodelled_members``).

    None for an application this collection does not manage: not OpenID Connect, or not of an OIDC type
    (PingOne's own system applications).
    """
    if not isinstance(app, dict) or app.get('protocol') != 'OPENID_CONNECT' or app.get('type') not in OIDC_TYPES:
        return None
    definition = {'name': app.get('name'), 'type': app['type']}
    for field in FIELDS:
        value = None if field.sensitive or field.resolved else option_value(field, get_path(app, field.path))
        if value is not None:
            definition[field.option] = value
    for field in FIELDS:
        if field.sensitive or field.resolved or normalize(field, to_api(field, definition.get(field.option))) != normalize(field, None):
            continue  # a setting of its own, kept as given
        if field.option in definition and field.spec['type'] == 'bool':
            continue  # a stored false: PingOne's default may be true
        stored = normalize(field, get_path(app, field.path))
        if _created_without(definition, field) == stored:
            definition.pop(field.option, None)
        elif field.absent_means is not None:
            definition[field.option] = field.absent_means  # the preset would differ: say PingOne's default
    return definition


def _created_without(definition, field):
    """The value of ``field`` on an application created from ``definition`` without that option."""
    rest = desired_from_params({option: value for option, value in definition.items() if option != field.option})
    return normalize(field, get_path(creation_body(definition['name'], definition['type'], rest), field.path))


def unmodelled_members(app):
    """The members of an application no definition carries (icon, mobile, kerberos, sensitive options, ...), sorted.

    Applied to the same application, a definition keeps them (an update merges over the current application);
    an application created from a definition does not have them.
    """
    rest = {key: copy.deepcopy(value) for key, value in (app or {}).items()
            if key not in READ_ONLY_MEMBERS and key not in DEFINITION_MEMBERS and value not in (None, '', [], {})}
    for field in FIELDS:
        value = get_path(rest, field.path)
        carried = not field.sensitive and not field.resolved and option_value(field, value) is not None
        if carried or normalize(field, value) == normalize(field, None):  # given, or nothing to give
            set_path(rest, field.path, None)
    return sorted(rest)


# -- validation ------------------------------------------------------------------------------

def shown(value):
    """A value as it may appear in a one-line message: control characters and line breaks escaped."""
    text = value if isinstance(value, str) else repr(value)
    return ''.join(repr(char)[1:-1] if _unsafe_char(char) and char != ' ' else char for char in text)


def _unsafe_char(char):
    """Whitespace, control and format characters (line breaks, tabs, NUL, zero-width and bidi marks)."""
    return char.isspace() or unicodedata.category(char) in ('Cc', 'Cf')


def _unsafe_problem(url):
    """What no URL option may hold, whatever its rule: it would reach PingOne and then a browser as is."""
    if not isinstance(url, str):
        return 'is not a string'
    if any(_unsafe_char(char) for char in url):
        return 'contains a space or a control character'
    scheme = urlsplit(url).scheme
    if scheme in UNSAFE_SCHEMES:
        return 'uses the %s: scheme, which is never a safe place to send a browser' % scheme
    return None


def _uri_problem(uri, allow_wildcard, allow_custom_scheme=True, allow_fragment=False):
    if '#' in uri and not allow_fragment:
        return 'must not contain a fragment (#)'
    if '*' in uri and not allow_wildcard:
        return 'contains a wildcard (*); set allow_wildcard_in_redirect_uris to allow it'
    parts = urlsplit(uri.replace('*', 'x'))
    if not parts.scheme:
        return 'is not an absolute URI'
    if parts.scheme == 'http':
        if (parts.hostname or '') not in LOOPBACK_HOSTS:
            return 'uses http, which PingOne only allows for localhost, 127.0.0.1 and [::1]'
    elif parts.scheme != 'https' and not allow_custom_scheme:
        return 'must use https'
    elif parts.scheme == 'https' and not parts.hostname:
        return 'has no host'
    return None


def _url_problem(url, schemes=('http', 'https')):
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        return 'must be an %s URL' % ('https' if schemes == ('https',) else 'http(s)')
    return None


# The rule each URL of a ``url`` field follows: (value, whole body) -> problem or None.
URL_RULES = {
    # absolute, https (or http on loopback) or a custom scheme, no fragment; wildcards need allow_wildcard_in_redirect_uris
    'redirect': lambda uri, body: _uri_problem(uri, bool(body.get('allowWildcardInRedirectUris'))),
    # https (or http on loopback); a fragment is fine (a page, not a redirection endpoint)
    'login': lambda url, body: _uri_problem(url, True, allow_custom_scheme=False, allow_fragment=True),
    # an http(s) URL with a host
    'url': lambda url, body: _url_problem(url),
    # an https URL with a host
    'https': lambda url, body: _url_problem(url, ('https',)),
    # any absolute URI without a fragment: a custom scheme opens a native app
    'custom-scheme': lambda uri, body: ('is not an absolute URI' if not urlsplit(uri).scheme else
                                        'must not contain a fragment (#)' if '#' in uri else None),
}


def validate_body(body):
    """Console-parity checks of a complete application body; a list of messages naming options."""
    errors = _key_source_problems(body)
    errors.extend(_grant_problems(body))
    # URL lists, ranges (in option order), cross-option rules, then single URLs.
    errors.extend(_url_problems(body, [field for field in FIELDS if field.url and field.kind == 'set']))
    errors.extend(_range_problems(body))
    duration, rolling = body.get('refreshTokenDuration'), body.get('refreshTokenRollingDuration')
    if duration is not None and rolling is not None and duration > rolling:
        errors.append('refresh_token_duration (%s) must not exceed refresh_token_rolling_duration (%s)' % (duration, rolling))
    if body.get('requireSignedRequestObject') and body.get('supportUnsignedRequestObject'):
        errors.append('require_signed_request_object and support_unsigned_request_object cannot both be true')
    path_id = body.get('devicePathId')
    if path_id is not None and not (isinstance(path_id, str) and DEVICE_PATH_ID_RE.fullmatch(path_id)):
        errors.append('device_path_id must be 1 to 50 letters, digits, "_" or "-"')
    errors.extend(_url_problems(body, [field for field in FIELDS if field.url and field.kind != 'set']))
    errors.extend(_cors_problems(body.get('corsSettings')))
    icon = body.get('icon')
    if icon is not None and not (isinstance(icon, dict) and icon.get('id') and icon.get('href')):
        errors.append('icon needs the ID and address (href) of an image of the environment, which only '
                      'pingone.oidc.pingone_application looks up (icon.id) or uploads (icon.path)')
    group = get_path(body, ('accessControl', 'group'))
    if group and (not group.get('type') or not group.get('groups')):
        errors.append('access_control needs both group_type and groups to restrict access to groups')
    return errors


def _key_source_problems(body):
    """The public keys of PRIVATE_KEY_JWT: jwks or jwks_url, never both, only usable public signing keys."""
    errors = []
    method = body.get('tokenEndpointAuthMethod')
    jwks, jwks_url = body.get('jwks'), body.get('jwksUrl')
    if method == 'PRIVATE_KEY_JWT' and not (jwks or jwks_url):
        errors.append('token_endpoint_auth_method PRIVATE_KEY_JWT needs the public keys: set jwks or jwks_url')
    if jwks and jwks_url:
        errors.append('jwks and jwks_url are alternatives: set only one')
    if jwks:
        errors.extend('jwks %s' % problem for problem in jwks_problems(jwks))
    return errors


def jwks_problems(value):
    """Why a JWKS cannot be registered: its keys follow the rules of pingone_app_key (see ``_jose.check_public_jwk``)."""
    try:
        keys = parse_jwks(value)['keys']
    except JwksError as exc:
        return [str(exc)]
    problems = []
    for index, key in enumerate(keys):
        try:
            check_public_jwk(key)
        except JwkError as exc:
            problems.append('key %s %s' % (shown(key.get('kid') or index), exc))
    kids = [key['kid'] for key in keys if key.get('kid') is not None]
    for kid in sorted(set(str(kid) for kid in kids if kids.count(kid) > 1)):
        problems.append('holds more than one key with kid %s; each key needs its own kid' % shown(kid))
    return problems


def _grant_problems(body):
    """Grant types, response types and client authentication that cannot work together.

    Only what the evidence justifies (the console lets every type pick any grant and NONE, client secret
    basic or post, and PingOne's API is seen to accept e.g. NATIVE_APP with CLIENT_CREDENTIALS):
    - the client credentials grant authenticates the client (RFC 6749 section 4.4), so not with NONE;
    - an authorization request with response_type code needs CODE for the authorization code grant, and the
      implicit grant returns TOKEN or ID_TOKEN (PingOne's "Response types" page);
    - refresh tokens come with a grant that signs a user in (PingOne's "Grant types" page names AUTHORIZATION_CODE;
      PingOne accepts DEVICE_CODE with REFRESH_TOKEN; CIBA and TOKEN_EXCHANGE are given the benefit of the doubt).
    """
    errors = []
    grants = set(body.get('grantTypes') or [])
    responses = set(body.get('responseTypes') or [])
    if 'CLIENT_CREDENTIALS' in grants and body.get('tokenEndpointAuthMethod') == 'NONE':
        errors.append('grant_types CLIENT_CREDENTIALS needs a token_endpoint_auth_method that authenticates the client, '
                      'not NONE: a public client cannot use the client credentials grant')
    if 'AUTHORIZATION_CODE' in grants and 'CODE' not in responses:
        errors.append('grant_types AUTHORIZATION_CODE needs response_types CODE')
    if 'IMPLICIT' in grants and not responses & {'TOKEN', 'ID_TOKEN'}:
        errors.append('grant_types IMPLICIT needs response_types TOKEN or ID_TOKEN')
    if 'REFRESH_TOKEN' in grants and not grants & set(REFRESH_TOKEN_SOURCES):
        errors.append('grant_types REFRESH_TOKEN needs a grant that issues refresh tokens: %s' % ', '.join(REFRESH_TOKEN_SOURCES))
    return errors


def _url_problems(body, fields):
    errors = []
    for field in fields:
        value = get_path(body, field.path)
        if field.kind == 'set':
            urls = value or []  # every URL of a list is checked
        else:
            urls = [value] if value else []  # an empty single URL means "not set"
        for url in urls:
            try:
                problem = _unsafe_problem(url) or URL_RULES[field.url](url, body)
            except ValueError:  # urlsplit: an invalid [IPv6] host
                problem = 'is not a valid URI'
            if problem:
                errors.append('%s: %s %s' % (field.option, shown(url), problem))
    return errors


def _range_problems(body):
    errors = []
    for field in FIELDS:
        value = get_path(body, field.path) if field.bounds else None
        if value is not None and not field.bounds[0] <= value <= field.bounds[1]:
            errors.append('%s must be between %d and %d, got %s' % ((field.option,) + field.bounds + (value,)))
    return errors


def _cors_problems(cors):
    if not cors:
        return []
    origins = cors.get('origins') or []
    if cors.get('behavior') == 'ALLOW_SPECIFIC_ORIGINS' and not origins:
        return ['cors_settings.origins must list at least one origin when behavior is ALLOW_SPECIFIC_ORIGINS']
    if cors.get('behavior') == 'ALLOW_NO_ORIGINS' and origins:
        return ['cors_settings.origins must be empty when behavior is ALLOW_NO_ORIGINS']
    errors = []
    if len(set(origins)) > MAX_CORS_ORIGINS:
        errors.append('cors_settings.origins allows at most %d origins' % MAX_CORS_ORIGINS)
    for origin in origins:
        if not ORIGIN_RE.fullmatch(origin):
            errors.append('cors_settings.origins: %s must be an http(s) origin without a path: http(s)://host[:port], '
                          'where "*." may start the host' % shown(origin))
    return errors


# -- views for diff and results --------------------------------------------------------------

def jwks_summary(value):
    """A JWKS shown by key: ``kid (kty alg)`` strings, never key material."""
    try:
        keys = parse_jwks(value)['keys']
    except JwksError:
        return ['(unparsable JWKS)']
    return sorted('%s (%s%s)' % (key.get('kid', '<no kid>'), key.get('kty'), ' ' + key['alg'] if key.get('alg') else '')
                  for key in keys)


def sanitize(app):
    """A copy safe to return: no HAL links, sensitive members masked."""
    if app is None:
        return None
    clean = {key: copy.deepcopy(value) for key, value in app.items() if key != '_links'}
    for path in SENSITIVE_PATHS:
        if get_path(clean, path) is not None:
            set_path(clean, path, MASK)
    return clean


def diff_view(app):
    """A sanitised application for diff mode: server timestamps dropped, sets sorted, JWKS shown by kid, the icon by ID."""
    if app is None:
        return {}
    view = sanitize(app)
    for key in ('createdAt', 'updatedAt', '_embedded'):
        view.pop(key, None)
    for field in FIELDS:
        value = get_path(view, field.path)
        if field.kind == 'set' and isinstance(value, list):
            set_path(view, field.path, sorted(value))
        elif field.kind == 'jwks' and value:
            set_path(view, field.path, jwks_summary(value))
        elif field.kind == 'icon' and isinstance(value, dict):
            set_path(view, field.path, value.get('id'))
    return view
