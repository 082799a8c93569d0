# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""PingOneClient against recorded PingOne responses: retries, backoff, errors, token handling."""

from __future__ import annotations

import base64
import datetime
import email.utils
import http.server
import ipaddress
import json
import ssl
import threading

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient, parse_retry_after
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConfigError,
    PingOneConnectionError,
)
from ansible_collections.pingone.oidc.tests.unit.plugins.module_utils.fakes import (
    FakeClock,
    FakeResponse,
    FakeSession,
    p1_error,
    token,
)

SECRET = 'S3cr3t:with/special+chars%'
ENV = '0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11'


def make_client(*script, **overrides):
    values = dict(environment_id=ENV, client_id='worker-id', client_secret=SECRET, region='EU')
    values.update(overrides)
    clock = FakeClock()
    session = FakeSession(*script)
    client = PingOneClient(ClientConfig(**values), session=session, sleep=clock.sleep, clock=clock, jitter=lambda: 0.5)
    return client, session, clock


def test_region_urls_and_token_request_uses_form_encoded_basic_auth():
    client, session, dummy = make_client(token(), FakeResponse(200, {'id': 'a'}))
    assert client.request('GET', 'environments/x', 'Reading').body == {'id': 'a'}
    token_call, api_call = session.calls
    assert token_call['url'] == 'https://auth.pingone.eu/%s/as/token' % ENV
    assert token_call['data'] == {'grant_type': 'client_credentials'}
    scheme, encoded = token_call['headers']['Authorization'].split(' ')
    assert scheme == 'Basic'
    # RFC 6749 2.3.1: id and secret are form-urlencoded before base64
    assert base64.b64decode(encoded).decode() == 'worker-id:S3cr3t%3Awith%2Fspecial%2Bchars%25'
    assert api_call['url'] == 'https://api.pingone.eu/v1/environments/x'
    assert api_call['headers']['Authorization'] == 'Bearer tok-1'


def test_client_secret_post_puts_credentials_in_the_body():
    client, session, dummy = make_client(token(), FakeResponse(200, {}), token_auth_method='CLIENT_SECRET_POST')
    client.request('GET', 'environments/x', 'Reading')
    call = session.calls[0]
    assert 'Authorization' not in call['headers']
    assert call['data'] == {'grant_type': 'client_credentials', 'client_id': 'worker-id', 'client_secret': SECRET}


def test_token_is_cached_for_the_run_and_renewed_once_on_401():
    client, session, dummy = make_client(
        token('tok-1'), FakeResponse(200, {}), FakeResponse(200, {}),
        p1_error(401, 'ACCESS_FAILED', 'You do not have access to this resource.'),
        token('tok-2'), FakeResponse(200, {'ok': True}))
    client.request('GET', 'a', 'A')
    client.request('GET', 'b', 'B')
    assert client.request('GET', 'c', 'C').body == {'ok': True}
    urls = [c['url'].rsplit('/', 1)[-1] for c in session.calls]
    assert urls == ['token', 'a', 'b', 'c', 'token', 'c']
    assert session.calls[-1]['headers']['Authorization'] == 'Bearer tok-2'


def test_second_401_after_renewal_is_an_error_not_a_loop():
    client, session, dummy = make_client(
        token('tok-1'), p1_error(401, 'ACCESS_FAILED', 'no access'), token('tok-2'), p1_error(401, 'ACCESS_FAILED', 'no access'))
    with pytest.raises(PingOneApiError) as info:
        client.request('GET', 'a', 'Reading a')
    assert info.value.status == 401
    assert len(session.calls) == 4


def test_given_access_token_is_used_as_is_and_not_renewed():
    client, session, dummy = make_client(p1_error(401, 'ACCESS_FAILED', 'expired'), access_token='given',
                                         client_id=None, client_secret=None, environment_id=None)
    with pytest.raises(PingOneApiError):
        client.request('GET', 'a', 'Reading a')
    assert [c['headers']['Authorization'] for c in session.calls] == ['Bearer given']


def test_token_expiry_triggers_a_new_token():
    client, session, clock = make_client(token('tok-1', expires_in=120), FakeResponse(200, {}),
                                         token('tok-2'), FakeResponse(200, {}))
    client.request('GET', 'a', 'A')
    clock.now += 61  # 120 s lifetime minus the 60 s safety margin has passed
    client.request('GET', 'b', 'B')
    assert session.calls[-1]['headers']['Authorization'] == 'Bearer tok-2'


def test_wrong_secret_gives_an_auth_error_without_the_secret():
    client, dummy, dummy2 = make_client(FakeResponse(401, {
        'error': 'invalid_client',
        'error_description': 'Request denied: Unsupported authentication method (Correlation ID: 1234)'}))
    with pytest.raises(PingOneAuthError) as info:
        client.request('GET', 'a', 'A')
    text = str(info.value)
    assert 'HTTP 401 invalid_client' in text and 'Unsupported authentication method' in text
    assert SECRET not in text and '\n' not in text


def test_429_honours_retry_after_seconds_then_succeeds():
    client, session, clock = make_client(
        token(), p1_error(429, 'REQUEST_LIMITED', 'Too many requests', headers={'Retry-After': '7'}),
        FakeResponse(200, {'ok': 1}))
    assert client.request('GET', 'a', 'A').body == {'ok': 1}
    assert clock.sleeps == [7.0]
    assert client.retry_count == 1


def test_retry_after_is_capped_by_retry_max_delay():
    client, dummy, clock = make_client(
        token(), p1_error(503, 'SERVICE_UNAVAILABLE', 'busy', headers={'Retry-After': '3600'}),
        FakeResponse(200, {}), retry_max_delay=4)
    client.request('GET', 'a', 'A')
    assert clock.sleeps == [4]


def test_exponential_backoff_with_jitter_on_5xx_and_unexpected_error():
    client, dummy, clock = make_client(
        token(), FakeResponse(502, 'Bad Gateway'), FakeResponse(504, ''),
        p1_error(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.'), FakeResponse(200, {}))
    client.request('GET', 'a', 'A')
    # 1, 2, 4 seconds plus jitter (0.5 x base) each
    assert clock.sleeps == [1.5, 2.5, 4.5]


def test_unexpected_error_code_is_retried_whatever_the_5xx_status():
    client, dummy, clock = make_client(token(), p1_error(501, 'UNEXPECTED_ERROR', 'oops'), FakeResponse(200, {}))
    client.request('GET', 'a', 'A')
    assert len(clock.sleeps) == 1


def test_retries_stop_after_max_retries_and_report_the_last_error():
    script = [token()] + [p1_error(503, 'SERVICE_UNAVAILABLE', 'Service unavailable')] * 4
    client, session, clock = make_client(*script, max_retries=3)
    with pytest.raises(PingOneApiError) as info:
        client.request('GET', 'environments/e/applications', "Listing applications of environment 'e'")
    assert info.value.status == 503
    assert len(session.calls) == 5 and len(clock.sleeps) == 3
    assert str(info.value).startswith("Listing applications of environment 'e' failed: HTTP 503")


def test_retries_stop_when_the_total_time_budget_would_be_exceeded():
    script = [token()] + [p1_error(429, 'REQUEST_LIMITED', 'slow down', headers={'Retry-After': '20'})] * 5
    client, session, clock = make_client(*script, retry_timeout=50)
    with pytest.raises(PingOneApiError):
        client.request('GET', 'a', 'A')
    assert clock.sleeps == [20.0, 20.0]  # a third 20 s wait would pass the 50 s budget


def test_zero_max_retries_disables_retrying():
    client, session, clock = make_client(token(), p1_error(429, 'REQUEST_LIMITED', 'x'), max_retries=0)
    with pytest.raises(PingOneApiError):
        client.request('GET', 'a', 'A')
    assert clock.sleeps == []


def test_post_is_retried_on_429_but_not_on_500():
    client, session, clock = make_client(
        token(), p1_error(429, 'REQUEST_LIMITED', 'x', headers={'Retry-After': '1'}), FakeResponse(201, {'id': 'n'}))
    assert client.request('POST', 'apps', 'Creating', json_body={'name': 'n'}, expected=(201,)).status == 201
    client, session, clock = make_client(token(), FakeResponse(500, {'code': 'INTERNAL', 'message': 'boom'}))
    with pytest.raises(PingOneApiError):
        client.request('POST', 'apps', 'Creating', json_body={'name': 'n'}, expected=(201,))
    assert clock.sleeps == []


def test_http_date_retry_after():
    now = 1_800_000_000.0
    header = email.utils.formatdate(now + 12, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(12.0)
    assert parse_retry_after('5') == 5.0
    assert parse_retry_after('garbage') is None
    assert parse_retry_after(None) is None
    assert parse_retry_after(email.utils.formatdate(now - 100, usegmt=True), now=now) == 0.0


def test_error_body_is_parsed_into_a_one_line_message():
    client, dummy, dummy2 = make_client(token(), p1_error(
        400, 'INVALID_DATA', 'The request could not be completed. One or more validation errors were in the request.',
        details=[{'code': 'OUT_OF_RANGE', 'target': 'parTimeout', 'message': 'must be between 1 and 600'},
                 {'code': 'INVALID_VALUE', 'target': 'redirectUris', 'message': 'Wildcards are not allowed in redirect URIs.'}]))
    with pytest.raises(PingOneApiError) as info:
        client.request('PUT', 'apps/1', "Updating application 'web'", json_body={})
    err = info.value
    assert (err.status, err.code) == (400, 'INVALID_DATA')
    assert [d['target'] for d in err.details] == ['parTimeout', 'redirectUris']
    assert str(err) == ("Updating application 'web' failed: HTTP 400 INVALID_DATA: The request could not be completed. "
                        "One or more validation errors were in the request. (parTimeout: must be between 1 and 600; "
                        "redirectUris: Wildcards are not allowed in redirect URIs.) [error id 6c796712-0f16-4062-815a-e0a92f4a2143]")


def test_non_json_error_body_still_gives_a_message():
    client, dummy, dummy2 = make_client(token(), FakeResponse(404, '<html>\nNot here</html>'))
    with pytest.raises(PingOneApiError) as info:
        client.request('GET', 'a', 'Reading a')
    assert str(info.value) == 'Reading a failed: HTTP 404: <html>'


def test_connection_refused_is_not_retried_and_is_one_line():
    refused = requests.exceptions.ConnectionError(ConnectionRefusedError(111, 'Connection refused'))
    client, session, clock = make_client(refused, api_url='http://127.0.0.1:9/v1', auth_url='http://127.0.0.1:9')
    with pytest.raises(PingOneConnectionError) as info:
        client.request('GET', 'a', 'Reading a')
    assert str(info.value) == ('Obtaining a worker access token from http://127.0.0.1:9/%s/as/token failed: '
                               'cannot reach POST http://127.0.0.1:9/%s/as/token: connection refused' % (ENV, ENV))
    assert clock.sleeps == [] and info.value.maybe_committed is False


def test_read_timeout_is_retried_for_get_but_not_for_post():
    client, session, clock = make_client(token(), requests.exceptions.ReadTimeout('slow'), FakeResponse(200, {}))
    client.request('GET', 'a', 'A')
    assert len(clock.sleeps) == 1
    client, session, clock = make_client(token(), requests.exceptions.ReadTimeout('slow'), timeout=2)
    with pytest.raises(PingOneConnectionError) as info:
        client.request('POST', 'a', 'Creating a', json_body={})
    assert info.value.maybe_committed is True
    assert 'no reply within 2 seconds' in str(info.value)


def test_pagination_follows_next_links_to_the_end():
    page1 = {'_embedded': {'applications': [{'id': 1}, {'id': 2}]},
             '_links': {'next': {'href': 'https://api.pingone.eu/v1/environments/e/applications?cursor=2'}}}
    page2 = {'_embedded': {'applications': [{'id': 3}]}, '_links': {'self': {'href': 'x'}}}
    client, session, dummy = make_client(token(), FakeResponse(200, page1), FakeResponse(200, page2))
    assert [a['id'] for a in client.iterate('environments/e/applications', 'Listing', 'applications')] == [1, 2, 3]
    assert session.calls[-1]['url'].endswith('?cursor=2')


def test_pagination_loop_is_detected():
    page = {'_embedded': {'applications': [{'id': 1}]},
            '_links': {'next': {'href': 'https://api.pingone.eu/v1/environments/e/applications'}}}
    client, dummy, dummy2 = make_client(token(), FakeResponse(200, page))
    with pytest.raises(PingOneApiError, match='PAGING_LOOP'):
        list(client.iterate('environments/e/applications', 'Listing', 'applications'))


@pytest.mark.parametrize('overrides, missing', [
    (dict(client_secret=None), 'missing pingone_client_secret$'),
    (dict(environment_id=None, client_id=None), 'missing pingone_environment_id, pingone_client_id$'),
])
def test_incomplete_credentials_are_rejected_before_any_request(overrides, missing):
    with pytest.raises(PingOneConfigError, match=missing):
        make_client(**overrides)


def test_tls_settings_reach_every_request(tmp_path):
    ca_file = str(tmp_path / 'ca.pem')
    with open(ca_file, 'wb') as handle:
        handle.write(make_ca('Unit CA')[2])
    client, session, dummy = make_client(token(), FakeResponse(200, {}), ca_path=ca_file)
    client.request('GET', 'a', 'Reading a')
    assert session.verify == ca_file and {call['verify'] for call in session.calls} == {ca_file}
    client, session, dummy = make_client(token(), FakeResponse(200, {}), validate_certs=False, ca_path='/no/such/ca.pem')
    client.request('GET', 'a', 'Reading a')
    assert session.verify is False and {call['verify'] for call in session.calls} == {False}
    assert session.headers['User-Agent'].startswith('ansible-collection-pingone.oidc/')


def test_given_token_is_replaced_once_when_worker_credentials_are_also_set():
    client, session, dummy = make_client(p1_error(401, 'ACCESS_FAILED', 'expired'), token('fresh'), FakeResponse(200, {'ok': 1}),
                                         access_token='shared-but-expired')
    assert client.request('GET', 'a', 'Reading a').body == {'ok': 1}
    assert [c['headers'].get('Authorization', '').split(' ')[0] for c in session.calls] == ['Bearer', 'Basic', 'Bearer']
    assert session.calls[-1]['headers']['Authorization'] == 'Bearer fresh'


# -- TLS with a private CA made at test time ----------------------------------------------------

def make_ca(name):
    """(key, certificate, PEM) of a self-signed CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert, cert.public_bytes(serialization.Encoding.PEM)


def server_files(tmp_path, ca, host_names):
    """A server certificate for ``host_names`` signed by ``ca``, written as (cert file, key file)."""
    ca_key, ca_cert, dummy = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [x509.IPAddress(ipaddress.ip_address(name)) if name[0].isdigit() else x509.DNSName(name) for name in host_names]
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_names[0])]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            # what strict verification (Python 3.13 and later) requires of a server certificate
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_file, key_file = str(tmp_path / 'server.pem'), str(tmp_path / 'server.key')
    with open(cert_file, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_file, key_file


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # pylint: disable=invalid-name
        body = json.dumps({'ok': True}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 whose certificate a private CA signed; yields (url, CA file, other CA file)."""
    ca = make_ca('Private Test CA')
    cert_file, key_file = server_files(tmp_path, ca, ['127.0.0.1'])
    ca_file, other_ca_file = str(tmp_path / 'ca.pem'), str(tmp_path / 'other-ca.pem')
    for path, pem in ((ca_file, ca[2]), (other_ca_file, make_ca('Unrelated CA')[2])):
        with open(path, 'wb') as handle:
            handle.write(pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = http.server.HTTPServer(('127.0.0.1', 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'https://127.0.0.1:%d' % server.server_port, ca_file, other_ca_file
    server.shutdown()


def tls_client(url, **overrides):
    values = dict(access_token='given-token', api_url=url + '/v1', max_retries=3, timeout=5)
    values.update(overrides)
    return PingOneClient(ClientConfig(**values), sleep=lambda seconds: None)


def test_a_private_ca_given_as_ca_path_is_trusted(tls_server):
    url, ca_file, dummy = tls_server
    assert tls_client(url, ca_path=ca_file).request('GET', 'x', 'Reading x').body == {'ok': True}


def test_ca_bundle_environment_variables_do_not_override_the_options(tls_server, monkeypatch):
    url, ca_file, other_ca_file = tls_server
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.setenv(name, other_ca_file)
    assert tls_client(url, ca_path=ca_file).request('GET', 'x', 'Reading x').body == {'ok': True}
    assert tls_client(url, validate_certs=False).request('GET', 'x', 'Reading x').body == {'ok': True}


def test_an_untrusted_certificate_fails_at_once_naming_tls(tls_server):
    url, dummy, other_ca_file = tls_server
    client = tls_client(url, ca_path=other_ca_file)
    with pytest.raises(PingOneConnectionError) as info:
        client.request('GET', 'x', 'Reading x')
    assert info.value.reason == 'TLS certificate verification failed' and client.request_count == 1


def test_a_host_name_mismatch_is_named(tls_server):
    url, ca_file, dummy = tls_server
    client = tls_client(url.replace('127.0.0.1', 'localhost'), ca_path=ca_file)
    with pytest.raises(PingOneConnectionError) as info:
        client.request('GET', 'x', 'Reading x')
    assert info.value.reason == 'TLS certificate host name mismatch' and client.request_count == 1


def test_a_missing_or_unreadable_ca_path_is_a_config_error_naming_the_option(tmp_path):
    with pytest.raises(PingOneConfigError, match='^pingone_ca_path .*/missing.pem does not exist'):
        tls_client('https://127.0.0.1:9', ca_path=str(tmp_path / 'missing.pem'))
    garbage = tmp_path / 'garbage.pem'
    garbage.write_text('not a certificate')
    with pytest.raises(PingOneConfigError, match='^pingone_ca_path .*garbage.pem holds no readable PEM CA certificate'):
        tls_client('https://127.0.0.1:9', ca_path=str(garbage))


# -- credentials stay with the configured hosts --------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_redirects_are_never_followed(status):
    client, session, dummy = make_client(
        FakeResponse(status, headers={'Location': 'https://evil.example.net/steal?x=1'}), token_auth_method='CLIENT_SECRET_POST')
    with pytest.raises(PingOneConnectionError) as info:
        client.request('GET', 'a', 'Reading a')  # the token request with the secret in its form is answered by a redirect
    assert 'redirect to https://evil.example.net, which is not followed' in str(info.value)
    assert len(session.calls) == 1 and session.calls[0]['allow_redirects'] is False
    assert session.calls[0]['data']['client_secret'] == SECRET and session.calls[0]['url'].endswith('/as/token')
    # an API call answered by a redirect is refused the same way, before the bearer token could travel
    client, session, dummy = make_client(token(), FakeResponse(307, headers={'Location': '//evil.example.net/x'}))
    with pytest.raises(PingOneConnectionError, match='redirect to https://evil.example.net'):
        client.request('GET', 'a', 'Reading a')
    assert len(session.calls) == 2


def test_a_paging_link_to_another_host_is_an_error():
    page = {'_embedded': {'applications': [{'id': 1}]}, '_links': {'next': {'href': 'https://evil.example.net/v1/next'}}}
    client, session, dummy = make_client(token(), FakeResponse(200, page))
    with pytest.raises(PingOneApiError, match='FOREIGN_PAGE_LINK.*another host .https://evil.example.net.'):
        list(client.iterate('environments/e/applications', 'Listing', 'applications'))
    assert all(call['url'].startswith('https://api.pingone.eu/') for call in session.calls[1:])


@pytest.mark.parametrize('field', ['client_id', 'client_secret', 'access_token', 'api_url', 'auth_url', 'environment_id'])
def test_control_characters_in_connection_options_are_refused_before_any_request(field):
    with pytest.raises(PingOneConfigError) as info:
        make_client(**{field: 'value\r\nX-Injected: 1'})
    assert 'contains a control character' in str(info.value) and 'Injected' not in str(info.value)
