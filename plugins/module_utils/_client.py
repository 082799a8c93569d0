# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""HTTP client for the PingOne management API.

Knows nothing of Ansible so it can be unit-tested alone: it takes a ``ClientConfig`` of plain
values and raises the exceptions of ``_errors``. It owns the worker token (obtained once per
client, renewed once on a 401), retries with backoff, PingOne error parsing and HAL paging.
"""

from __future__ import annotations

import email.utils
import errno
import json
import random
import time
import traceback
from dataclasses import dataclass
from urllib.parse import urljoin

from ansible_collections.pingone.oidc.plugins.module_utils._client_auth import basic_authorization
from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import (
    DEFAULT_REGION,
    api_base_url,
    issuer_url,
)
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConfigError,
    PingOneConnectionError,
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
# For a non-idempotent POST only statuses that say the request was not processed are retried;
# a 500/502/504 may come after the object was created.
RETRY_STATUSES_UNSAFE = frozenset((408, 429, 503))
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'))
TRANSIENT_ERROR_CODES = frozenset(('UNEXPECTED_ERROR',))
TOKEN_AUTH_METHODS = ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST')
# Renew a cached token this long before it expires.
TOKEN_EXPIRY_MARGIN = 60.0
MAX_PAGES = 10000


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
    timeout: float = 30.0
    validate_certs: bool = True
    ca_path: str = None
    max_retries: int = 5
    retry_max_delay: float = 30.0
    retry_timeout: float = 120.0
    backoff_base: float = 1.0

    def validate(self, require_credentials=True):
        if require_credentials and not self.access_token:
            missing = [name for name in ('environment_id', 'client_id', 'client_secret') if not getattr(self, name)]
            if missing:
                raise PingOneConfigError(
                    'no access token and no complete worker credentials: missing %s' % ', '.join(missing))
        if self.token_auth_method not in TOKEN_AUTH_METHODS:
            raise PingOneConfigError('token_auth_method must be one of %s' % ', '.join(TOKEN_AUTH_METHODS))
        if self.max_retries < 0 or self.retry_max_delay < 0 or self.retry_timeout < 0:
            raise PingOneConfigError('retry settings must not be negative')
        if self.timeout <= 0:
            raise PingOneConfigError('timeout must be positive')


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
        self._session.verify = (config.ca_path or True) if config.validate_certs else False
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

    def request(self, method, path, operation, json_body=None, params=None, expected=(200,)):
        """Call the management API; returns an ``ApiResponse`` or raises ``PingOneApiError``.

        A 401 with a token this client obtained is answered by one fresh token and one retry.
        """
        url = self.url(path)
        for attempt in (1, 2):
            headers = {'Authorization': 'Bearer ' + self.get_token(), 'Accept': 'application/json'}
            data = None
            if json_body is not None:
                headers['Content-Type'] = 'application/json'
                data = json.dumps(json_body)
            response = self._send(method, url, operation, data=data, params=params, headers=headers,
                                  idempotent=method.upper() in IDEMPOTENT_METHODS)
            if response.status == 401 and attempt == 1 and self._can_renew:
                self._token = None
                self._token_expires = None
                continue
            break
        if response.status not in expected:
            raise self._api_error(operation, response)
        return response

    def iterate(self, path, operation, embedded_key, params=None):
        """Yield the items of a HAL collection, following ``_links.next`` to the last page."""
        url = self.url(path)
        seen = set()
        for dummy in range(MAX_PAGES):
            seen.add(url)
            body = self.request('GET', url, operation, params=params).body or {}
            params = None  # the next link carries its own query
            yield from (body.get('_embedded') or {}).get(embedded_key) or []
            next_href = ((body.get('_links') or {}).get('next') or {}).get('href')
            if not next_href:
                return
            url = urljoin(url, next_href)
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

    def _api_error(self, operation, response):
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

    def _send(self, method, url, operation, idempotent, prepare=None, **kwargs):
        """One logical request with retries. Returns an ApiResponse for any HTTP status."""
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            self.request_count += 1
            if prepare is not None:
                kwargs['headers'], kwargs['data'] = prepare()
            try:
                raw = self._session.request(method, url, timeout=self.config.timeout, **kwargs)
            except requests.exceptions.RequestException as exc:
                never_sent = isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL,
                                              requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema))
                reason = _connection_reason(exc)
                if isinstance(exc, requests.exceptions.ReadTimeout):
                    reason = 'no reply within %g seconds' % self.config.timeout
                refused = reason in ('connection refused', 'host name not found', 'TLS certificate verification failed')
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
                    maybe_committed=not never_sent)
            response = ApiResponse(raw.status_code, raw.headers, _parse_body(raw), url)
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
