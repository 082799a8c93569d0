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
from urllib.parse import urlsplit

OIDC_TYPES = ('WORKER', 'WEB_APP', 'SINGLE_PAGE_APP', 'NATIVE_APP', 'SERVICE', 'CUSTOM_APP')
AUTH_METHODS = ('NONE', 'CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT')
GRANT_TYPES = ('AUTHORIZATION_CODE', 'IMPLICIT', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS', 'DEVICE_CODE', 'TOKEN_EXCHANGE', 'CIBA')
RESPONSE_TYPES = ('CODE', 'TOKEN', 'ID_TOKEN')
PRIVATE_JWK_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')
READ_ONLY_MEMBERS = ('id', 'environment', '_links', '_embedded', 'createdAt', 'updatedAt', 'clientId', 'clientSecret',
                     'assignActorRoles')
# Values PingOne stores that are secret even though they are not the client secret.
SENSITIVE_PATHS = (
    ('clientSecret',),
    ('mobile', 'integrityDetection', 'googlePlay', 'decryptionKey'),
    ('mobile', 'integrityDetection', 'googlePlay', 'verificationKey'),
    ('mobile', 'integrityDetection', 'googlePlay', 'serviceAccountCredentials'),
)
MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
MAX_INT = 2147483647
DEVICE_PATH_ID_RE = re.compile(r'^[a-zA-Z0-9_-]{1,50}$')
LOOPBACK_HOSTS = ('localhost', '127.0.0.1', '[::1]', '::1')

# What PingOne stores when a property is absent: comparing against these keeps server defaults
# (and "absent" versus "false"/"empty") from ever looking like a change.
ABSENT_MEANS = {
    'pkceEnforcement': 'OPTIONAL',
    'parRequirement': 'OPTIONAL',
    'parTimeout': 60,
    'deviceTimeout': 600,
    'devicePollingInterval': 5,
    'refreshTokenRollingGracePeriodDuration': 0,
}

# Creation defaults per type, applied only to options the user left unset when creating
# (they mirror the PingOne console's defaults for a new application of that type).
CREATE_DEFAULTS = {
    'WORKER': {'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
    'WEB_APP': {'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': ['CODE'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
    'SINGLE_PAGE_APP': {'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': ['CODE'], 'tokenEndpointAuthMethod': 'NONE',
                        'pkceEnforcement': 'S256_REQUIRED'},
    'NATIVE_APP': {'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': ['CODE'], 'tokenEndpointAuthMethod': 'NONE',
                   'pkceEnforcement': 'S256_REQUIRED'},
    'SERVICE': {'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': ['CODE'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
    'CUSTOM_APP': {'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
}


class Field:
    """One managed option: its API location, argument spec and comparison kind.

    kinds: ``scalar`` (compared as is), ``set`` (list whose order does not matter),
    ``jwks`` (JSON compared parsed), ``cors`` and ``access`` (nested objects).
    """

    def __init__(self, option, path, kind='scalar', **spec):
        self.option = option
        self.path = tuple(path.split('.'))
        self.kind = kind
        self.spec = spec
        self.spec.setdefault('type', 'list' if kind == 'set' else 'str')
        if 'token' in option or 'key' in option:
            self.spec.setdefault('no_log', False)  # durations and IDs, not secrets
        if kind == 'set':
            self.spec.setdefault('elements', 'str')

    @property
    def api_name(self):
        return '.'.join(self.path)


def _f(option, path, kind='scalar', **spec):
    return Field(option, path, kind, **spec)


FIELDS = (
    _f('description', 'description'),
    _f('enabled', 'enabled', type='bool'),
    _f('token_endpoint_auth_method', 'tokenEndpointAuthMethod', choices=list(AUTH_METHODS)),
    _f('grant_types', 'grantTypes', 'set', choices=list(GRANT_TYPES)),
    _f('response_types', 'responseTypes', 'set', choices=list(RESPONSE_TYPES)),
    _f('jwks', 'jwks', 'jwks', type='raw'),
    _f('jwks_url', 'jwksUrl'),
    _f('redirect_uris', 'redirectUris', 'set'),
    _f('post_logout_redirect_uris', 'postLogoutRedirectUris', 'set'),
    _f('allow_wildcard_in_redirect_uris', 'allowWildcardInRedirectUris', type='bool'),
    _f('pkce_enforcement', 'pkceEnforcement', choices=['OPTIONAL', 'REQUIRED', 'S256_REQUIRED']),
    _f('par_requirement', 'parRequirement', choices=['OPTIONAL', 'REQUIRED']),
    _f('par_timeout', 'parTimeout', type='int'),
    _f('refresh_token_duration', 'refreshTokenDuration', type='int'),
    _f('refresh_token_rolling_duration', 'refreshTokenRollingDuration', type='int'),
    _f('refresh_token_rolling_grace_period_duration', 'refreshTokenRollingGracePeriodDuration', type='int'),
    _f('refresh_token_type', 'refreshTokenType', choices=['JSON_WEB_TOKEN', 'OPAQUE_TOKEN']),
    _f('additional_refresh_token_replay_protection_enabled', 'additionalRefreshTokenReplayProtectionEnabled', type='bool'),
    _f('home_page_url', 'homePageUrl'),
    _f('login_page_url', 'loginPageUrl'),
    _f('initiate_login_uri', 'initiateLoginUri'),
    _f('target_link_uri', 'targetLinkUri'),
    _f('require_signed_request_object', 'requireSignedRequestObject', type='bool'),
    _f('support_unsigned_request_object', 'supportUnsignedRequestObject', type='bool'),
    _f('include_x5t', 'includeX5t', type='bool'),
    _f('op_session_check_enabled', 'opSessionCheckEnabled', type='bool'),
    _f('idp_signoff', 'idpSignoff', type='bool'),
    _f('request_scopes_for_multiple_resources_enabled', 'requestScopesForMultipleResourcesEnabled', type='bool'),
    _f('hidden_from_app_portal', 'hiddenFromAppPortal', type='bool'),
    _f('device_path_id', 'devicePathId'),
    _f('device_custom_verification_uri', 'deviceCustomVerificationUri'),
    _f('device_timeout', 'deviceTimeout', type='int'),
    _f('device_polling_interval', 'devicePollingInterval', type='int'),
    _f('signing_key_rotation_policy_id', 'signing.keyRotationPolicy.id'),
    _f('tags', 'tags', 'set', choices=['PING_FED_CONNECTION_INTEGRATION']),
    _f('cors_settings', 'corsSettings', 'cors', type='dict', options=dict(
        behavior=dict(type='str', required=True, choices=['ALLOW_NO_ORIGINS', 'ALLOW_SPECIFIC_ORIGINS']),
        origins=dict(type='list', elements='str'),
    )),
    _f('access_control', 'accessControl', 'access', type='dict', options=dict(
        role_type=dict(type='str', choices=['ADMIN_USERS_ONLY']),
        group_type=dict(type='str', choices=['ANY_GROUP', 'ALL_GROUPS']),
        groups=dict(type='list', elements='str'),
    )),
)
FIELDS_BY_OPTION = {field.option: field for field in FIELDS}
# (min, max) of integer options, checked before any request.
RANGES = {
    'par_timeout': (1, 600),
    'device_timeout': (1, 3600),
    'device_polling_interval': (1, 60),
    'refresh_token_duration': (60, MAX_INT),
    'refresh_token_rolling_duration': (60, MAX_INT),
    'refresh_token_rolling_grace_period_duration': (0, 86400),
}


def field_argument_spec():
    return {field.option: copy.deepcopy(field.spec) for field in FIELDS}


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
        private = sorted(member for member in PRIVATE_JWK_MEMBERS if member in key)
        if private:
            raise JwksError('key %s holds private key members (%s); publish only the public key'
                            % (key.get('kid') or index, ', '.join(private)))
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
    if isinstance(value, str) and value == '' and field.spec['type'] == 'str':
        return None
    return value


def normalize(field, api_value):
    """A comparable form of an API value; absent and default-equivalent values compare equal."""
    if api_value is None:
        api_value = ABSENT_MEANS.get(field.api_name)
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
    for key, value in CREATE_DEFAULTS[app_type].items():
        if key == 'responseTypes' and 'AUTHORIZATION_CODE' not in (body.get('grantTypes') or []):
            continue
        body.setdefault(key, copy.deepcopy(value))
    if assign_actor_roles is not None:
        body['assignActorRoles'] = assign_actor_roles
    return body


# -- validation ------------------------------------------------------------------------------

def _uri_problem(uri, allow_wildcard, allow_custom_scheme=True):
    if '#' in uri:
        return 'must not contain a fragment (#)'
    if '*' in uri and not allow_wildcard:
        return 'contains a wildcard (*); set allow_wildcard_in_redirect_uris to allow it'
    parts = urlsplit(uri.replace('*', 'x'))
    if not parts.scheme:
        return 'is not an absolute URI'
    if parts.scheme == 'http':
        if (parts.hostname or '') not in LOOPBACK_HOSTS:
            return 'uses http, which PingOne only allows for localhost and 127.0.0.1'
    elif parts.scheme != 'https' and not allow_custom_scheme:
        return 'must use https'
    elif parts.scheme == 'https' and not parts.netloc:
        return 'has no host'
    return None


def _url_problem(url):
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        return 'must be an http(s) URL'
    return None


def validate_body(body):
    """Console-parity checks of a complete application body; a list of messages naming options."""
    errors = []
    method = body.get('tokenEndpointAuthMethod')
    jwks, jwks_url = body.get('jwks'), body.get('jwksUrl')
    if method == 'PRIVATE_KEY_JWT' and not (jwks or jwks_url):
        errors.append('token_endpoint_auth_method PRIVATE_KEY_JWT needs the public keys: set jwks or jwks_url')
    if jwks and jwks_url:
        errors.append('jwks and jwks_url are alternatives: set only one')
    if jwks:
        try:
            parse_jwks(jwks)
        except JwksError as exc:
            errors.append('jwks %s' % exc)
    if jwks_url and urlsplit(jwks_url).scheme != 'https':
        errors.append('jwks_url must be an https URL')
    wildcard = bool(body.get('allowWildcardInRedirectUris'))
    for option, key in (('redirect_uris', 'redirectUris'), ('post_logout_redirect_uris', 'postLogoutRedirectUris')):
        for uri in body.get(key) or []:
            problem = _uri_problem(uri, wildcard if key == 'redirectUris' else True)
            if problem:
                errors.append('%s: %s %s' % (option, uri, problem))
    for option, (low, high) in RANGES.items():
        value = get_path(body, FIELDS_BY_OPTION[option].path)
        if value is not None and not low <= value <= high:
            errors.append('%s must be between %d and %d, got %s' % (option, low, high, value))
    duration, rolling = body.get('refreshTokenDuration'), body.get('refreshTokenRollingDuration')
    if duration is not None and rolling is not None and duration > rolling:
        errors.append('refresh_token_duration (%s) must not exceed refresh_token_rolling_duration (%s)' % (duration, rolling))
    if body.get('requireSignedRequestObject') and body.get('supportUnsignedRequestObject'):
        errors.append('require_signed_request_object and support_unsigned_request_object cannot both be true')
    if body.get('devicePathId') is not None and not DEVICE_PATH_ID_RE.match(body['devicePathId']):
        errors.append('device_path_id must be 1 to 50 letters, digits, "_" or "-"')
    for option in ('home_page_url', 'login_page_url', 'initiate_login_uri', 'target_link_uri', 'device_custom_verification_uri'):
        value = get_path(body, FIELDS_BY_OPTION[option].path)
        if not value:
            continue
        if option == 'login_page_url':
            problem = _uri_problem(value, True, allow_custom_scheme=False)
        elif option == 'target_link_uri':  # may use a custom scheme
            problem = None if urlsplit(value).scheme else 'is not an absolute URI'
        else:
            problem = _url_problem(value)
        if problem:
            errors.append('%s: %s %s' % (option, value, problem))
    errors.extend(_cors_problems(body.get('corsSettings')))
    group = get_path(body, ('accessControl', 'group'))
    if group and (not group.get('type') or not group.get('groups')):
        errors.append('access_control needs both group_type and groups to restrict access to groups')
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
    if len(origins) > 40:
        errors.append('cors_settings.origins allows at most 40 origins')
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ('http', 'https') or not parts.netloc or parts.path not in ('', '/') or parts.query:
            errors.append('cors_settings.origins: %s must be an http(s) origin without a path' % origin)
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
    """A sanitised application for diff mode: server timestamps dropped, JWKS shown by kid."""
    if app is None:
        return {}
    view = sanitize(app)
    for key in ('createdAt', 'updatedAt', '_embedded'):
        view.pop(key, None)
    if view.get('jwks'):
        view['jwks'] = jwks_summary(view['jwks'])
    for key in ('grantTypes', 'responseTypes', 'redirectUris', 'postLogoutRedirectUris', 'tags'):
        if isinstance(view.get(key), list):
            view[key] = sorted(view[key])
    return view
