# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The module edge: the one place that knows Ansible.

Every module is its documentation, its options, and ``ensure(ctx) -> Result``; its ``main()`` is
``PingOneModule(OPTIONS, ...).run(ensure)``. The wrapper parses the arguments (the shared
``pingone_*`` connection options included), gives ``ensure`` a context (parameters, check and diff
mode, the client, the target environment, warnings), words ``msg`` from the result ("Created …", or
"Would create …" in check mode), adds the diff in diff mode, and turns every ``PingOneError`` raised
below it into one failed task. Nothing below this file calls ``fail_json`` or imports Ansible.

The connection option names all start with ``pingone_`` so that no resource option
(``environment_id``, ``client_id``, ...) can collide with them under ``module_defaults``.
"""

from __future__ import annotations

import os
import signal

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib
from ansible.module_utils.common.parameters import remove_values

try:  # ansible-core 2.22 and later mask registered secrets on the controller, not in the module
    from ansible.module_utils.secrets import register_secret
except ImportError:
    register_secret = None

from ansible_collections.pingone.oidc.plugins.module_utils._client import (
    CONNECTION_OPTIONS,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    TLS_REASONS,
    ClientConfig,
    PingOneClient,
    has_control_characters,
    identifier_problem,
)
from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import environment_endpoints
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConfigError,
    PingOneConnectionError,
    PingOneError,
    PingOneMissingLibrary,
    PingOneOptionError,
)


def env_fallback_nonempty(*names):
    """The first of these environment variables that is set and not empty (AWX renders blank fields as "")."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


def connection_argument_spec():
    """A fresh argument spec of the shared connection options (see the ``auth`` doc fragment)."""
    spec = {}
    for option, entry in CONNECTION_OPTIONS.items():
        spec[option] = dict(entry['spec'])
        if entry.get('env'):
            spec[option]['fallback'] = (env_fallback_nonempty, list(entry['env']))
    return spec


def explain(exc, params):
    """One line for ``msg``: the error's text plus a hint in terms of the module options."""
    text = str(exc)
    if isinstance(exc, PingOneAuthError):
        if exc.error in ('invalid_client', 'unauthorized_client') or exc.status == 401:
            text += ('. Check pingone_client_id, pingone_client_secret, pingone_client_auth_method and '
                     'pingone_environment_id (the environment that holds the worker application)')
        elif exc.status == 404:
            text += '. Check pingone_environment_id and pingone_region or pingone_auth_url'
    elif isinstance(exc, PingOneConnectionError) and exc.reason in TLS_REASONS:
        text += ('. Check pingone_ca_path (the CA bundle that signed the server certificate) and that the URL names the host '
                 'the certificate was issued for; pingone_validate_certs false turns verification off (tests only)')
    elif isinstance(exc, PingOneConnectionError):
        text += '. Check pingone_region, pingone_api_url and pingone_auth_url, and that the host is reachable'
    elif isinstance(exc, PingOneConfigError):
        text = 'Invalid PingOne connection options: %s' % text
    elif isinstance(exc, PingOneApiError) and exc.status == 401:
        if params.get('pingone_access_token'):
            text += ('. The access token (pingone_access_token) was refused: it may have expired or come from another region; '
                     'give a fresh pingone_access_token, or the worker credentials to request one')
        else:
            text += ('. The management API refused the token the worker (pingone_client_id) had just been given: check that '
                     'pingone_api_url and pingone_auth_url belong to the same PingOne region')
    elif isinstance(exc, PingOneApiError) and exc.status == 404 and exc.subject == 'environment':
        text += '. Check environment_id: the environment does not exist or is in another region'
    elif isinstance(exc, PingOneApiError) and exc.status == 403:
        text += '. The worker application lacks a role that allows this (for example Client Application Developer)'
    return text


def check_identifiers(params):
    """IDs, URLs and endpoints enter URL paths and headers: refuse dot-segment IDs and control characters in any of them."""
    for option, value in sorted(params.items()):
        if not isinstance(value, str) or not value:
            continue
        if option.endswith('_id'):
            problem = identifier_problem(value)
            if problem:
                raise PingOneOptionError('%s %s' % (option, problem))
        elif option.endswith(('_url', '_endpoint', '_uri')) or option == 'issuer':
            if has_control_characters(value):
                raise PingOneOptionError('%s contains a control character (a line break or tab?)' % option)


def failure_values(exc):
    """The structured members of an error that a failed task returns beside ``msg``."""
    values = {}
    for attr, key in (('status', 'status_code'), ('code', 'code'), ('error', 'error')):
        value = getattr(exc, attr, None)
        if value is not None:
            values[key] = value
    values.update(getattr(exc, 'result', None) or {})
    return values


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


class PingOneModule:
    """The wrapper and the context ``ensure`` gets: parameters, modes, client, environment, warnings."""

    def __init__(self, options, connection=True, **kwargs):
        spec = connection_argument_spec() if connection else {}
        spec.update(options)
        kwargs.setdefault('supports_check_mode', True)
        self._ansible = _AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self._ansible.params
        self.check_mode = self._ansible.check_mode
        self.diff_mode = self._ansible._diff  # pylint: disable=protected-access
        self._client = None
        if connection:
            if not HAS_REQUESTS:
                self._ansible.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
            self.config = ClientConfig.from_options(self.params)
            self._report_errors(self.config.validate, False)

    # -- the run -----------------------------------------------------------------------------------

    def run(self, ensure, check_options=None):
        """Check the options (before any request), call ``ensure(self)`` and report its Result."""
        # A file size limit must fail a write with an error the module reports, not kill the module process.
        if hasattr(signal, 'SIGXFSZ'):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        self._report_errors(check_identifiers, self.params)
        if check_options is not None:
            self._report_errors(check_options, self.params)
        result = self._report_errors(ensure, self)
        self.exit(result)

    def _report_errors(self, call, *args):
        try:
            return call(*args)
        except PingOneMissingLibrary as exc:
            self._ansible.fail_json(msg=missing_required_lib(exc.library), exception=exc.import_error)
        except PingOneError as exc:
            for warning in exc.warnings:
                self._ansible.warn(self._masked(warning))
            self._ansible.fail_json(**self._masked(dict(failure_values(exc), msg=explain(exc, self.params))))
        return None

    def exit(self, result):
        if self.params.get('pingone_validate_certs') is False:
            result.warn('pingone_validate_certs is false: the TLS certificates of PingOne are not verified, so the credentials '
                        'could reach an impostor; use pingone_ca_path for a private CA instead')
        values = dict(result.values, changed=result.changed, msg=result.message(self.check_mode))
        if self.diff_mode and (result.before is not None or result.after is not None):
            values['diff'] = dict(before=result.before or {}, after=result.after or {})
        for warning in result.warnings:
            self._ansible.warn(self._masked(warning))
        self._ansible.exit_json(**self._masked(values))

    def _masked(self, value):
        """``value`` with every no_log value masked, whichever ansible-core masks it (or not) on the way out."""
        return remove_values(value, self._ansible.no_log_values)

    # -- what ensure uses --------------------------------------------------------------------------

    @property
    def client(self):
        """The management API client; PingOneOptionError when no credentials are set."""
        if self._client is None:
            missing = self.config.missing_credentials()
            if missing:
                raise PingOneOptionError(
                    'Missing PingOne credentials: %s. Set pingone_access_token, or pingone_environment_id, pingone_client_id '
                    'and pingone_client_secret, in the task, in module_defaults for group/pingone.oidc.pingone, or as the '
                    'environment variables PINGONE_API_ACCESS_TOKEN, PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID and '
                    'PINGONE_CLIENT_SECRET' % ', '.join(missing))
            self._client = PingOneClient(self.config)
        return self._client

    def http_client(self):
        """The management client when credentials are set, else one for public and OAuth endpoints only."""
        if self.config.has_credentials:
            return self.client
        return PingOneClient(self.config, require_credentials=False)

    @property
    def environment_id(self):
        """The environment to work in: the module's ``environment_id``, else the worker's environment."""
        value = self.params.get('environment_id') or self.params.get('pingone_environment_id')
        if not value:
            raise PingOneOptionError('environment_id is required (or set pingone_environment_id / PINGONE_ENVIRONMENT_ID to '
                                     'work in the environment of the worker application)')
        return value

    def endpoints(self, environment_id=None):
        return environment_endpoints(environment_id or self.environment_id, self.params.get('pingone_region'),
                                     self.params.get('pingone_auth_url'))

    def protect(self, values):
        """Mask these values wherever they would appear in the module's output."""
        for value in values:
            if value:
                self._ansible.no_log_values.add(value)
                if register_secret is not None:
                    register_secret(value)
