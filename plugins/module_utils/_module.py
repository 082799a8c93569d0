# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The Ansible side of the collection: shared connection options and a thin module wrapper.

The option names all start with ``pingone_`` so that no resource option (``environment_id``,
``client_id``, ...) can ever collide with them under ``module_defaults``: the worker that
authenticates and the application being managed may live in different environments.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ClientConfig,
    PingOneClient,
)
from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import REGION_TLDS, environment_endpoints
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConfigError,
    PingOneConnectionError,
    PingOneError,
)

# option name -> ClientConfig field
_CONFIG_FIELDS = {
    'pingone_environment_id': 'environment_id',
    'pingone_client_id': 'client_id',
    'pingone_client_secret': 'client_secret',
    'pingone_access_token': 'access_token',
    'pingone_client_auth_method': 'token_auth_method',
    'pingone_region': 'region',
    'pingone_api_url': 'api_url',
    'pingone_auth_url': 'auth_url',
    'pingone_timeout': 'timeout',
    'pingone_validate_certs': 'validate_certs',
    'pingone_ca_path': 'ca_path',
    'pingone_max_retries': 'max_retries',
    'pingone_retry_max_delay': 'retry_max_delay',
    'pingone_retry_timeout': 'retry_timeout',
}


def pingone_argument_spec():
    """A fresh dict of the connection options every module shares (see the ``auth`` doc fragment)."""
    return dict(
        pingone_environment_id=dict(type='str', fallback=(env_fallback, ['PINGONE_ENVIRONMENT_ID'])),
        pingone_client_id=dict(type='str', no_log=False, fallback=(env_fallback, ['PINGONE_CLIENT_ID'])),
        pingone_client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['PINGONE_CLIENT_SECRET'])),
        pingone_access_token=dict(type='str', no_log=True, fallback=(env_fallback, ['PINGONE_API_ACCESS_TOKEN'])),
        pingone_client_auth_method=dict(type='str', default='CLIENT_SECRET_BASIC',
                                        choices=['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST']),
        pingone_region=dict(type='str', choices=sorted(REGION_TLDS), fallback=(env_fallback, ['PINGONE_REGION_CODE'])),
        pingone_api_url=dict(type='str', fallback=(env_fallback, ['PINGONE_API_URL'])),
        pingone_auth_url=dict(type='str', fallback=(env_fallback, ['PINGONE_AUTH_URL'])),
        pingone_timeout=dict(type='float', default=30.0),
        pingone_validate_certs=dict(type='bool', default=True),
        pingone_ca_path=dict(type='path'),
        pingone_max_retries=dict(type='int', default=5),
        pingone_retry_max_delay=dict(type='float', default=30.0),
        pingone_retry_timeout=dict(type='float', default=120.0),
    )


def application_argument_spec():
    """The options that find one existing application (see the ``application`` doc fragment)."""
    return dict(
        environment_id=dict(type='str'),
        application_id=dict(type='str'),
        name=dict(type='str'),
    )


def client_config_from_params(params):
    values = {field: params.get(option) for option, field in _CONFIG_FIELDS.items() if params.get(option) is not None}
    return ClientConfig(**values)


def explain_error(exc):
    """One line for ``msg``: the client's text plus a hint in terms of the module options."""
    text = str(exc)
    if isinstance(exc, PingOneAuthError):
        if exc.error in ('invalid_client', 'unauthorized_client') or exc.status == 401:
            text += ('. Check pingone_client_id, pingone_client_secret, pingone_client_auth_method and '
                     'pingone_environment_id (the environment that holds the worker application)')
        elif exc.status == 404:
            text += '. Check pingone_environment_id and pingone_region or pingone_auth_url'
    elif isinstance(exc, PingOneConnectionError):
        text += '. Check pingone_region, pingone_api_url and pingone_auth_url, and that the host is reachable'
    elif isinstance(exc, PingOneConfigError):
        text = 'Invalid PingOne connection options: %s' % text
    elif isinstance(exc, PingOneApiError) and exc.status == 401:
        text += ('. The access token (pingone_access_token) was refused: it may have expired or come from another region; '
                 'give a fresh pingone_access_token, or the worker credentials to request one')
    elif isinstance(exc, PingOneApiError) and exc.status == 404 and 'environment' in exc.operation.lower():
        text += '. Check environment_id: the environment does not exist or is in another region'
    elif isinstance(exc, PingOneApiError) and exc.status == 403:
        text += '. The worker application lacks a role that allows this (for example Client Application Developer)'
    return text


class _AnsibleModule(AnsibleModule):
    """AnsibleModule that masks every no_log option in a failure, also one raised while the
    arguments are being validated (when ansible-core may not have collected them yet)."""

    def fail_json(self, msg, **kwargs):
        spec = getattr(self, 'argument_spec', None) or {}
        params = getattr(self, 'params', None) or {}
        for name, option in spec.items():
            value = params.get(name)
            if option.get('no_log') and isinstance(value, str) and value:
                self.no_log_values.add(value)
            # ansible-core does not say which option a failed dict conversion was for
            if msg.startswith('dictionary requested') and option.get('type') == 'dict' and isinstance(value, str):
                msg = '%s must be a dictionary, not a string: %s' % (name, msg)
        super().fail_json(msg, **kwargs)


# (option, lowest allowed value, inclusive) of the numeric connection options
_CONNECTION_BOUNDS = (('pingone_timeout', 0, False), ('pingone_max_retries', 0, True),
                      ('pingone_retry_max_delay', 0, True), ('pingone_retry_timeout', 0, True))


class PingOneModule:
    """Wraps ``AnsibleModule``: merges the shared options, builds the client, reports errors."""

    def __init__(self, argument_spec, **kwargs):
        spec = pingone_argument_spec()
        spec.update(argument_spec)
        self.module = _AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        for name, lowest, inclusive in _CONNECTION_BOUNDS:
            value = self.params.get(name)
            if value is not None and (value < lowest if inclusive else value <= lowest):
                self.module.fail_json(msg='Invalid PingOne connection options: %s must %s, got %s'
                                      % (name, 'not be negative' if inclusive else 'be positive', value))
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._require_credentials()
            try:
                self._client = PingOneClient(client_config_from_params(self.params))
            except PingOneError as exc:
                self.fail_from_error(exc)
        return self._client

    def has_credentials(self):
        params = self.params
        return bool(params.get('pingone_access_token') or (
            params.get('pingone_environment_id') and params.get('pingone_client_id') and params.get('pingone_client_secret')))

    def http_client(self):
        """The management client when credentials are there, else one for public and OAuth endpoints only."""
        if self.has_credentials():
            return self.client
        try:
            return PingOneClient(client_config_from_params(self.params), require_credentials=False)
        except PingOneError as exc:
            self.fail_from_error(exc)
        return None

    def _require_credentials(self):
        params = self.params
        if params.get('pingone_access_token'):
            return
        missing = [name for name in ('pingone_environment_id', 'pingone_client_id', 'pingone_client_secret')
                   if not params.get(name)]
        if missing:
            self.module.fail_json(msg=(
                'Missing PingOne credentials: %s. Set pingone_access_token, or pingone_environment_id, pingone_client_id '
                'and pingone_client_secret, in the task, in module_defaults for group/pingone.oidc.pingone, or as the '
                'environment variables PINGONE_API_ACCESS_TOKEN, PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID and '
                'PINGONE_CLIENT_SECRET' % ', '.join(missing)))

    def protect(self, values):
        """Mask these values wherever they would appear in the module's output."""
        for value in values:
            if value:
                self.module.no_log_values.add(value)

    def target_environment(self, option='environment_id'):
        """The environment to work in: the module's option, else the worker's environment."""
        value = self.params.get(option) or self.params.get('pingone_environment_id')
        if not value:
            self.module.fail_json(msg='%s is required (or set pingone_environment_id / PINGONE_ENVIRONMENT_ID to work '
                                      'in the environment of the worker application)' % option)
        return value

    def existing_application(self):
        """(environment ID, application) named by environment_id and application_id or name; fails when there is none.

        Lookup errors (several applications with the name, not OIDC) are raised as PingOneError.
        """
        environment_id = self.target_environment()
        app = ApplicationsService(self.client, environment_id).resolve(self.params['application_id'], self.params['name'])
        if app is None:
            self.module.fail_json(msg="Application '%s' does not exist in environment '%s'; create it first with "
                                      "pingone.oidc.pingone_application" % (self.params['application_id'] or self.params['name'],
                                                                            environment_id))
        return environment_id, app

    def endpoints(self, environment_id):
        return environment_endpoints(environment_id, self.params.get('pingone_region'), self.params.get('pingone_auth_url'))

    def fail_from_error(self, exc, **result):
        extra = {}
        for attr in ('status', 'code', 'error'):
            value = getattr(exc, attr, None)
            if value is not None:
                extra['status_code' if attr == 'status' else attr] = value
        extra.update(result)
        self.module.fail_json(msg=explain_error(exc), **extra)

    def exit_json(self, **result):
        self.module.exit_json(**result)

    def fail_json(self, **result):
        self.module.fail_json(**result)
