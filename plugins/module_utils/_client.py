# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""HTTP client for the PingOne management API, and the connection options that configure it.

Knows nothing of Ansible so it can be unit-tested alone: it takes a ``ClientConfig`` of plain
values and raises the exceptions of ``_errors``. It owns the worker token (obtained once per
client, renewed once on a 401), retries with backoff, PingOne error parsing and HAL paging.
It imports no cryptography or JWT library: modules that never handle a key do not pay for them.
"""

from __future__ import annotations

import base64
import email.utils
import errno
import json
import os
import random
import ssl
import time
import traceback
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import (
    DEFAULT_REGION,
    REGION_TLDS,
    api_base_url,
    custom_domain_problem,
    issuer_url,
)
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConfigError,
    PingOneConnectionError,
    PingOneOptionError,
)
from ansible_collections.pingone.oidc.plugins.module_utils._version import COLLECTION_NAME, COLLECTION_VERSION

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

USER_AGENT = 'ansible-collection-%s/%s' % (COLLECTION_NAME, COLLECTION_VERSION)

# Statuses worth another try: the request was throttled, or the service had a transient fault.
RETRY_STATUSES = frozenset((408, 429, 500, 502, 503, 504))
# For a write only statuses that say the request was not processed are retried; a 500/502/504 or a lost
# reply may come after the write took effect.
RETRY_STATUSES_UNSAFE = frozenset((408, 429, 503))
UNKNOWN_OUTCOME_STATUSES = frozenset((500, 502, 504))
# Requests that may be sent again blindly. A PUT is not among them: one held up by the service can land after
# its resend and after a newer change, so after an unknown outcome the caller re-reads before sending again.
REPLAYABLE_METHODS = frozenset(('GET', 'HEAD', 'DELETE', 'OPTIONS'))
# Waits between the reads that look for the effect of a write whose outcome is unknown.
SETTLE_DELAYS = (1.0, 2.0, 4.0)
TRANSIENT_ERROR_CODES = frozenset(('UNEXPECTED_ERROR',))
TOKEN_AUTH_METHODS = ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST')
# Renew a cached token this long before it expires.
TOKEN_EXPIRY_MARGIN = 60.0
MAX_PAGES = 10000
TLS_REASONS = ('TLS certificate verification failed', 'TLS certificate host name mismatch')


# The connection options every module shares (documented in the ``auth`` doc fragment): option name ->
# ClientConfig field, argument spec, environment variables read when the option is not set, and for
# numbers the lowest value allowed (``above`` when the lowest itself is not allowed).
CONNECTION_OPTIONS = {
    'pingone_environment_id': dict(field='environment_id', spec=dict(type='str'), env=('PINGONE_ENVIRONMENT_ID',)),
    'pingone_client_id': dict(field='client_id', spec=dict(type='str', no_log=False), env=('PINGONE_CLIENT_ID',)),
    'pingone_client_secret': dict(field='client_secret', spec=dict(type='str', no_log=True), env=('PINGONE_CLIENT_SECRET',)),
    'pingone_access_token': dict(field='access_token', spec=dict(type='str', no_log=True), env=('PINGONE_API_ACCESS_TOKEN',)),
    'pingone_client_auth_method': dict(field='token_auth_method', spec=dict(
        type='str', default='CLIENT_SECRET_BASIC', choices=['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST'])),
    'pingone_region': dict(field='region', spec=dict(type='str', choices=sorted(REGION_TLDS)), env=('PINGONE_REGION_CODE',)),
    # the Terraform provider's host-name variables serve too (a bare host name means https://<host>)
    'pingone_api_url': dict(field='api_url', spec=dict(type='str'), env=('PINGONE_API_URL', 'PINGONE_API_SERVICE_HOSTNAME')),
    'pingone_auth_url': dict(field='auth_url', spec=dict(type='str'), env=('PINGONE_AUTH_URL', 'PINGONE_AUTH_SERVICE_HOSTNAME')),
    # the target environment's custom domain (a host name), or auto to read it from PingOne (_endpoints.custom_domain)
    'pingone_custom_domain': dict(field='custom_domain', spec=dict(type='str'), env=('PINGONE_CUSTOM_DOMAIN',)),
    'pingone_timeout': dict(field='timeout', spec=dict(type='float', default=30.0), above=0),
    'pingone_validate_certs': dict(field='validate_certs', spec=dict(type='bool', default=True)),
    'pingone_ca_path': dict(field='ca_path', spec=dict(type='path')),
    'pingone_max_retries': dict(field='max_retries', spec=dict(type='int', default=5), lowest=0),
    'pingone_retry_max_delay': dict(field='retry_max_delay', spec=dict(type='float', default=30.0), lowest=0),
    'pingone_retry_timeout': dict(field='retry_timeout', spec=dict(type='float', default=120.0), lowest=0),
}
OPTION_OF_FIELD = {entry['field']: option for option, entry in CONNECTION_OPTIONS.items()}
WORKER_CREDENTIALS = ('environment_id', 'client_id', 'client_secret')


def has_control_characters(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def identifier_problem(value):
    """Why ``value`` cannot be a PingOne ID in a URL path (None when it can): dot segments would walk up the path."""
    text = str(value)
    if text.strip() in ('', '.', '..'):
        return 'is not an ID (empty or a dot segment)'
    if has_control_characters(text):
        return 'contains a control character'
    return None


def segment(value):
    """``value`` as one URL path segment; PingOneOptionError for what must never enter a URL."""
    problem = identifier_problem(value)
    if problem:
        raise PingOneOptionError('A PingOne ID %s' % problem)
    return quote(str(value), safe='')


def basic_authorization(client_id, client_secret):
    """The HTTP Basic header value: both parts form-urlencoded before base64 (RFC 6749 2.3.1)."""
    pair = '%s:%s' % (quote(client_id, safe=''), quote(client_secret, safe=''))
    return 'Basic ' + base64.b64encode(pair.encode('utf-8')).decode('ascii')


@dataclass
class ClientConfig:
    """Everything the client needs, as plain values."""

    environment_id: str = None
    client_id: str = None
    client_secret: str = None
    access_token: str = None
    token_auth_method: str = 'CLIENT_SECRET_BASIC'
    region: str = DEFAULT_REGION
    api_url: str = None
    auth_url: str = None
    custom_domain: str = None
    timeout: float = 30.0
    validate_certs: bool = True
    ca_path: str = None
    max_retries: int = 5
    retry_max_delay: float = 30.0
    retry_timeout: float = 120.0
    backoff_base: float = 1.0

    @classmethod
    def from_options(cls, options):
        """The config from connection option values (``pingone_*`` names); unset options keep the defaults."""
        return cls(**{entry['field']: options[option] for option, entry in CONNECTION_OPTIONS.items()
                      if options.get(option) is not None})

    def missing_credentials(self, token_will_do=True):
        """Option names of the worker credentials still needed ([] when a given token will do)."""
        if token_will_do and self.access_token:
            return []
        return [OPTION_OF_FIELD[name] for name in WORKER_CREDENTIALS if not getattr(self, name)]

    @property
    def has_credentials(self):
        return not self.missing_credentials()

    def validate(self, require_credentials=True):
        """Raise PingOneConfigError naming the first option that is wrong (never quoting a value that may be secret)."""
        for option, entry in CONNECTION_OPTIONS.items():
            value = getattr(self, entry['field'])
            if isinstance(value, str) and has_control_characters(value):
                raise PingOneConfigError('%s contains a control character (a line break or tab?)' % option)
        if require_credentials and self.missing_credentials():
            raise PingOneConfigError('no access token and no complete worker credentials: missing %s'
                                     % ', '.join(self.missing_credentials()))
        if self.token_auth_method not in TOKEN_AUTH_METHODS:
            raise PingOneConfigError('pingone_client_auth_method must be one of %s' % ', '.join(TOKEN_AUTH_METHODS))
        for option, entry in CONNECTION_OPTIONS.items():
            value = getattr(self, entry['field'])
            if 'lowest' in entry and value < entry['lowest']:
                raise PingOneConfigError('%s must not be negative, got %s' % (option, value))
            if 'above' in entry and value <= entry['above']:
                raise PingOneConfigError('%s must be positive, got %s' % (option, value))
        if self.custom_domain and custom_domain_problem(self.custom_domain):  # empty means not set, as with the URLs
            raise PingOneConfigError('pingone_custom_domain %s' % custom_domain_problem(self.custom_domain))
        if self.ca_path and self.validate_certs:
            check_ca_path(self.ca_path)


def check_ca_path(path):
    """PingOneConfigError unless ``path`` is a readable PEM CA bundle or a directory of them."""
    if os.path.isdir(path):
        return
    if not os.path.isfile(path):
        raise PingOneConfigError('pingone_ca_path %s does not exist (or is not a file)' % path)
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        raise PingOneConfigError('pingone_ca_path %s holds no readable PEM CA certificate' % path) from None


def origin(url):
    """scheme://host[:port] of a URL, lower-cased: what must not change for credentials to travel."""
    parts = urlsplit(url)
    return '%s://%s' % (parts.scheme.lower(), parts.netloc.lower())


@dataclass
class ApiResponse:
    status: int
    headers: dict
    body: object
    url: str


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def token_lifetime(body, default=3600.0):
    """Seconds a token reply says the token lives: ``expires_in`` when it is a usable number, else ``default``."""
    try:
        return max(0.0, float(body.get('expires_in', default)))
    except (TypeError, ValueError):
        return default


def _connection_reason(exc):
    """A short human reason for a requests connection failure (urllib3 wraps it deeply)."""
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno:
            if current.errno == errno.ECONNREFUSED:
                return 'connection refused'
            if current.strerror:
                return current.strerror.lower()
        text = str(current)
        for needle, reason in (('Name or service not known', 'host name not found'),
                               ('nodename nor servname', 'host name not found'),
                               ('Temporary failure in name resolution', 'host name not found'),
                               ("doesn't match", 'TLS certificate host name mismatch'),
                               ('Hostname mismatch', 'TLS certificate host name mismatch'),
                               ('IP address mismatch', 'TLS certificate host name mismatch'),
                               ('CERTIFICATE_VERIFY_FAILED', 'TLS certificate verification failed'),
                               ('Connection refused', 'connection refused'),
                               ('RemoteDisconnected', 'the server closed the connection without a reply'),
                               ('Connection reset', 'the connection was reset'),
                               ('Connection aborted', 'the connection was aborted')):
            if needle in text:
                return reason
        stack.extend([current.__cause__, current.__context__])
        stack.extend(arg for arg in getattr(current, 'args', ()) if isinstance(arg, BaseException))
        reason = getattr(current, 'reason', None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return exc.__class__.__name__


def _read_limited(response, limit):
    """At most ``limit`` + 1 bytes of a streamed reply; the connection is released either way."""
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
    finally:
        response.close()
    return b''.join(chunks)[:limit + 1]


def _parse_body(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


class PingOneClient:
    """Talks to one PingOne management API with one worker identity.

    ``sleep``, ``clock`` and ``jitter`` are injectable so retry behaviour is testable without
    waiting.
    """

    def __init__(self, config, session=None, sleep=time.sleep, clock=time.monotonic, jitter=random.random, require_credentials=True):
        if not HAS_REQUESTS:
            raise PingOneConfigError('the Python library "requests" is required')
        config.validate(require_credentials)
        self.config = config
        self.api_url = api_base_url(config.region, config.api_url)
        self.token_url = None
        if config.environment_id:
            self.token_url = issuer_url(config.environment_id, config.region, config.auth_url) + '/token'
        self._session = session or requests.Session()
        self._session.headers['User-Agent'] = USER_AGENT
        # Given with every request: requests would let REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace a session setting.
        self._verify = (config.ca_path or True) if config.validate_certs else False
        self._session.verify = self._verify
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._token = config.access_token
        self._token_expires = None
        # A token we requested, or a given one we can replace because the worker credentials are here too.
        self._can_renew = bool(config.environment_id and config.client_id and config.client_secret)
        self.request_count = 0
        self.retry_count = 0

    # -- token -------------------------------------------------------------------------------

    def get_token(self):
        """The bearer token: the given one, or a cached client_credentials token."""
        if self._token and (self._token_expires is None or self._clock() < self._token_expires):
            return self._token
        if not self._can_renew:
            raise PingOneConfigError('the access token was refused and no worker credentials are set to request a new one')
        self._token = None
        body = self.request_token()
        self._token = body['access_token']
        lifetime = token_lifetime(body)
        self._token_expires = self._clock() + max(0.0, lifetime - TOKEN_EXPIRY_MARGIN)
        return self._token

    def request_token(self):
        """A new client_credentials token reply (``access_token``, ``expires_in``, ...) for the worker; not cached."""
        form = {'grant_type': 'client_credentials'}
        headers = {'Accept': 'application/json'}
        cfg = self.config
        if cfg.token_auth_method == 'CLIENT_SECRET_POST':
            form['client_id'] = cfg.client_id
            form['client_secret'] = cfg.client_secret
        else:
            headers['Authorization'] = basic_authorization(cfg.client_id, cfg.client_secret)
        operation = 'Obtaining a worker access token from %s' % self.token_url
        response = self._send('POST', self.token_url, operation, data=form, headers=headers, idempotent=True)
        body = response.body if isinstance(response.body, dict) else {}
        if response.status != 200 or not body.get('access_token'):
            raise PingOneAuthError(operation, response.status, body.get('error'), body.get('error_description'))
        return body

    # -- requests ----------------------------------------------------------------------------

    def url(self, path):
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return self.api_url + '/' + path.lstrip('/')

    def request(self, method, path, operation, json_body=None, params=None, expected=(200,), subject=None, content=None):
        """Call the management API; returns an ``ApiResponse`` or raises ``PingOneApiError``.

        A 401 with a token this client obtained is answered by one fresh token and one retry. ``content`` is a body
        that is not JSON, ``(bytes, headers)``: an image with its Content-Type, for example.
        """
        url = self.url(path)
        for attempt in (1, 2):
            headers = {'Authorization': 'Bearer ' + self.get_token(), 'Accept': 'application/json'}
            data = None
            if json_body is not None:
                headers['Content-Type'] = 'application/json'
                data = json.dumps(json_body)
            elif content is not None:
                data, extra = content
                headers.update(extra)
            response = self._send(method, url, operation, data=data, params=params, headers=headers,
                                  idempotent=method.upper() in REPLAYABLE_METHODS)
            if response.status == 401 and attempt == 1 and self._can_renew:
                self._token = None
                self._token_expires = None
                continue
            break
        if response.status not in expected:
            error = self._api_error(operation, response, subject)
            error.maybe_committed = method.upper() not in REPLAYABLE_METHODS and response.status in UNKNOWN_OUTCOME_STATUSES
            raise error
        return response

    def settle(self, read, landed):
        """After a write whose outcome is unknown: read again, a few times with growing waits, until ``landed(value)``.
        Returns the value that shows the write took effect, or None when it did not show within the waits."""
        for delay in (0.0,) + SETTLE_DELAYS:
            if delay:
                self._sleep(delay)
            value = read()
            if landed(value):
                return value
        return None

    def read(self, path, operation, subject=None):
        """The object at ``path``, or None when PingOne answers 404 (missing means None)."""
        try:
            return self.request('GET', path, operation, subject=subject).body
        except PingOneApiError as exc:
            if exc.is_not_found:
                return None
            raise

    def delete(self, path, operation, subject=None):
        """Delete; True when deleted, False when it was already gone (already gone means unchanged)."""
        try:
            self.request('DELETE', path, operation, expected=(204,), subject=subject)
        except PingOneApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True

    def iterate(self, path, operation, embedded_key, params=None, subject=None):
        """Yield the items of a HAL collection, following ``_links.next`` to the last page.

        ``subject`` names what a 404 means (a collection of an environment is missing when the environment is)."""
        url = self.url(path)
        seen = set()
        for dummy in range(MAX_PAGES):
            seen.add(url)
            body = self.request('GET', url, operation, params=params, subject=subject).body or {}
            params = None  # the next link carries its own query
            yield from (body.get('_embedded') or {}).get(embedded_key) or []
            next_href = ((body.get('_links') or {}).get('next') or {}).get('href')
            if not next_href:
                return
            next_url = urljoin(url, next_href)
            if origin(next_url) != origin(url):
                raise PingOneApiError(operation, 200, 'FOREIGN_PAGE_LINK', 'the next page link points to another host (%s); '
                                      'it is not followed, so that the access token stays with the API host' % origin(next_url))
            url = next_url
            if url in seen:
                raise PingOneApiError(operation, 200, 'PAGING_LOOP', 'the next page link points back to a page already read')
        raise PingOneApiError(operation, 200, 'TOO_MANY_PAGES', 'more than %d pages' % MAX_PAGES)

    def post_form(self, url, operation, prepare):
        """POST a form to an OAuth endpoint; ``prepare()`` gives (headers, form) anew for every try
        (a retried client assertion needs a fresh jti). Returns the ApiResponse whatever its status."""
        return self._send('POST', url, operation, idempotent=False, prepare=prepare)

    def get_json(self, url, operation):
        """GET a public JSON document (no token); the ApiResponse whatever its status."""
        return self._send('GET', url, operation, idempotent=True, headers={'Accept': 'application/json'})

    def download(self, url, operation, limit, accept='*/*'):
        """GET a public file (no token, no redirect followed); the ApiResponse whatever its status, whose body is the
        bytes: at most ``limit`` + 1 of them (more means too large), read as they come."""
        return self._send('GET', url, operation, idempotent=True, limit=limit, headers={'Accept': accept}, stream=True)

    def _api_error(self, operation, response, subject=None):
        body = response.body if isinstance(response.body, dict) else {}
        message = body.get('message')
        if not body and isinstance(response.body, str) and response.body.strip():
            message = response.body.strip().splitlines()[0][:200]
        return PingOneApiError(
            operation, response.status,
            code=body.get('code') or body.get('error'),
            api_message=message or body.get('error_description'),
            details=body.get('details') if isinstance(body.get('details'), list) else None,
            error_id=body.get('id'),
            retry_after=parse_retry_after(response.headers.get('Retry-After')),
            subject=subject,
        )

    def _retryable(self, response, idempotent):
        statuses = RETRY_STATUSES if idempotent else RETRY_STATUSES_UNSAFE
        if response.status in statuses:
            return True
        body = response.body if isinstance(response.body, dict) else {}
        return idempotent and response.status >= 500 and body.get('code') in TRANSIENT_ERROR_CODES

    def _delay(self, attempt, retry_after):
        cap = self.config.retry_max_delay
        if retry_after is not None:
            return min(retry_after, cap)
        backoff = self.config.backoff_base * (2 ** (attempt - 1))
        return min(backoff + self._jitter() * self.config.backoff_base, cap)

    def _send(self, method, url, operation, idempotent, prepare=None, limit=None, **kwargs):
        """One logical request with retries. Returns an ApiResponse for any HTTP status (with ``limit``, the body is
        the bytes of a ``stream`` request, at most ``limit`` + 1)."""
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            self.request_count += 1
            if prepare is not None:
                kwargs['headers'], kwargs['data'] = prepare()
            try:
                raw = self._session.request(method, url, timeout=self.config.timeout, allow_redirects=False,
                                            verify=self._verify, **kwargs)
                body = _parse_body(raw) if limit is None else _read_limited(raw, limit)
            except requests.exceptions.RequestException as exc:
                never_sent = isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL,
                                              requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema))
                reason = _connection_reason(exc)
                if isinstance(exc, requests.exceptions.ReadTimeout):
                    reason = 'no reply within %g seconds' % self.config.timeout
                refused = reason in ('connection refused', 'host name not found') + TLS_REASONS
                never_sent = never_sent or refused
                retry_ok = not refused and (idempotent or never_sent) and not isinstance(
                    exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema))
                delay = self._delay(attempt, None)
                if retry_ok and self._may_retry(attempt, started, delay):
                    self.retry_count += 1
                    self._sleep(delay)
                    continue
                raise PingOneConnectionError(
                    '%s failed: cannot reach %s %s: %s' % (operation, method, url, reason),
                    maybe_committed=not never_sent, reason=reason)
            if 300 <= raw.status_code < 400:
                # Never followed: a redirect would carry the Authorization header, a client secret or an assertion along.
                target = urljoin(url, raw.headers.get('Location') or '')
                raise PingOneConnectionError(
                    '%s failed: %s %s answered HTTP %d with a redirect to %s, which is not followed (credentials go only to '
                    'the configured API and auth hosts)' % (operation, method, url, raw.status_code, origin(target)),
                    reason='redirect')
            response = ApiResponse(raw.status_code, raw.headers, body, url)
            if self._retryable(response, idempotent):
                delay = self._delay(attempt, parse_retry_after(raw.headers.get('Retry-After')))
                if self._may_retry(attempt, started, delay):
                    self.retry_count += 1
                    self._sleep(delay)
                    continue
            return response

    def _may_retry(self, attempt, started, delay):
        if attempt > self.config.max_retries:
            return False
        return (self._clock() - started) + delay <= self.config.retry_timeout
