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

``PingOneContext.outcome`` is that run, whoever hosts it: ``PingOneModule`` in a module process, or
``run_on_controller`` in an action plugin (the controller's own process, no module process at all).

The connection option names all start with ``pingone_`` so that no resource option
(``environment_id``, ``client_id``, ...) can collide with them under ``module_defaults``.
"""

from __future__ import annotations

import os
import signal

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

try:  # ansible-core 2.22 and later mask registered secrets on the controller, not in the module
    from ansible.module_utils.secrets import register_secret
except ImportError:
    register_secret = None

from ansible_collections.pingone.oidc.plugins.module_utils._app_model import private_jwk_values
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
from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import custom_domain, environment_endpoints
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
        text += '. Check pingone_region, pingone_api_url, pingone_auth_url and pingone_custom_domain, and that the host is reachable'
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


def mask_values(value, secrets):
    """``value`` with every secret masked as ansible-core masks no_log values (a string that is a secret becomes
    VALUE_SPECIFIED_IN_NO_LOG_PARAMETER, a secret inside a string ********) in values at any depth; keys are
    names, left as they are (as ansible-core leaves them, so that a one-letter secret cannot turn ``msg`` into
    ``m********g``).
    Ours, because ansible-core 2.22 deprecates ``remove_values`` and masks only in its own output paths."""
    secrets = sorted({str(secret) for secret in secrets if secret not in (None, '')}, key=len, reverse=True)
    if not secrets:
        return value

    def mask(item):
        if isinstance(item, str):
            if item in secrets:
                return 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
            for secret in secrets:
                item = item.replace(secret, '********')
            return item
        if isinstance(item, dict):
            return {key: mask(member) for key, member in item.items()}
        if isinstance(item, (list, tuple, set, frozenset)):
            return [mask(member) for member in item]
        if isinstance(item, (int, float)) and not isinstance(item, bool) and str(item) in secrets:
            return 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
        return item
    return mask(value)


def private_jwk_values_in(value):
    """The private members of every ``jwks`` option in these parameters, at any depth."""
    found = []
    if isinstance(value, dict):
        for name, item in value.items():
            if name == 'jwks':
                found.extend(private_jwk_values(item))
            found.extend(private_jwk_values_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(private_jwk_values_in(item))
    return found


def option_error_text(msg, spec, params):
    """ansible-core's message for options that failed validation, naming the option it leaves out."""
    for name, option in spec.items():
        # ansible-core does not say which option a failed dict conversion was for
        if msg.startswith('dictionary requested') and option.get('type') == 'dict' and isinstance(params.get(name), str):
            return '%s must be a dictionary, not a string: %s' % (name, msg)
    return msg


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
        # a private key given by mistake in a jwks option (of a fleet definition too) must not be echoed back
        self.no_log_values.update(private_jwk_values_in(params))
        super().fail_json(option_error_text(msg, spec, params), **kwargs)


class PingOneContext:
    """What ``ensure`` gets: parameters, check and diff mode, the client, the target environment, and the set of
    values masked in the task's result. The module process and the controller (``run_on_controller``) both make one."""

    def __init__(self, params, check_mode=False, diff_mode=False, no_log_values=None, connection=True):
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.no_log_values = no_log_values if no_log_values is not None else set()
        self.connection = connection
        self.config = ClientConfig.from_options(params) if connection else None
        self._client = None

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
        """The environment's authorization server endpoints, on its custom domain when pingone_custom_domain says so."""
        environment_id = environment_id or self.environment_id
        return environment_endpoints(environment_id, self.params.get('pingone_region'), self.params.get('pingone_auth_url'),
                                     custom_domain(self.config, environment_id, lambda: self.client))

    def protect(self, values):
        """Mask these values wherever they would appear in the task's output."""
        for value in values:
            if value:
                self.no_log_values.add(value)
                if register_secret is not None:
                    register_secret(value)

    # -- the run -----------------------------------------------------------------------------------

    def outcome(self, ensure, check_options=None):
        """Check the connection options and the module's options (before any request), call ``ensure(self)``, and word
        its Result or its error: (the task's result, its warnings), every no_log value masked."""
        warnings = []
        try:
            if self.connection:
                if not HAS_REQUESTS:
                    raise PingOneMissingLibrary('requests', REQUESTS_IMPORT_ERROR)
                self.config.validate(False)
            check_identifiers(self.params)
            if check_options is not None:
                check_options(self.params)
            result = ensure(self)
        except PingOneMissingLibrary as exc:
            values = dict(failed=True, msg=missing_required_lib(exc.library), exception=exc.import_error)
        except PingOneError as exc:
            warnings.extend(exc.warnings)
            values = dict(failure_values(exc), failed=True, msg=explain(exc, self.params))
        else:
            warnings.extend(result.warnings)
            values = dict(result.values, changed=result.changed, msg=result.message(self.check_mode))
            if self.diff_mode and (result.before is not None or result.after is not None):
                values['diff'] = dict(before=result.before or {}, after=result.after or {})
        if self.params.get('pingone_validate_certs') is False and not values.get('failed'):
            warnings.insert(0, 'pingone_validate_certs is false: the TLS certificates of PingOne are not verified, so the '
                               'credentials could reach an impostor; use pingone_ca_path for a private CA instead')
        return self.masked(values), [self.masked(warning) for warning in warnings]

    def masked(self, value):
        """``value`` with every no_log value masked, whichever ansible-core masks it (or not) on the way out."""
        return mask_values(value, self.no_log_values)


class PingOneModule(PingOneContext):
    """The module process: AnsibleModule parses the arguments, the context runs ``ensure``, AnsibleModule reports."""

    def __init__(self, options, connection=True, **kwargs):
        spec = argument_spec(options, connection)
        kwargs.setdefault('supports_check_mode', True)
        self._ansible = _AnsibleModule(argument_spec=spec, **kwargs)
        super().__init__(self._ansible.params, self._ansible.check_mode,
                         self._ansible._diff,  # pylint: disable=protected-access
                         self._ansible.no_log_values, connection)

    def run(self, ensure, check_options=None):
        """Call ``ensure`` after the checks and exit with its result, as a module must."""
        # A file size limit must fail a write with an error the module reports, not kill the module process.
        if hasattr(signal, 'SIGXFSZ'):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        values, warnings = self.outcome(ensure, check_options)
        for warning in warnings:
            self._ansible.warn(warning)
        if values.pop('failed', False):
            self._ansible.fail_json(**values)
        self._ansible.exit_json(**values)


def argument_spec(options, connection=True):
    """A module's whole argument spec: the shared connection options (unless it needs none) and its own."""
    spec = connection_argument_spec() if connection else {}
    spec.update(options)
    return spec


def run_on_controller(name, options, args, ensure, check_options=None, check_mode=False, diff_mode=False):
    """The task's result and warnings when a module's code runs inside the controller process (an action plugin):
    the same options, checks, wording and masking as the module, without a module process."""
    spec = argument_spec(options)
    validation = ArgumentSpecValidator(spec).validate(args)
    no_log_values = set(validation._no_log_values)  # pylint: disable=protected-access
    if validation.error_messages:
        msg = validation.errors.msg
        if isinstance(validation.errors.errors[0], UnsupportedError):
            msg = 'Unsupported parameters for (%s) module: %s' % (name, msg)
        msg = option_error_text(msg, spec, args)
        return mask_values(dict(failed=True, msg=msg), no_log_values), []
    context = PingOneContext(validation.validated_parameters, check_mode, diff_mode, no_log_values)
    return context.outcome(ensure, check_options)
