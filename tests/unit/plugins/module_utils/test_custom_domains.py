# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Custom domains: the endpoints on one, the pingone_custom_domain value, and finding the active domain (auto)."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _endpoints
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConfigError, PingOneOptionError

ENV = '0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11'
WORKER = dict(environment_id='11111111-1111-4111-8111-111111111111', client_id='c', client_secret='s')


def test_on_a_custom_domain_the_endpoints_lose_the_environment_id():
    endpoints = _endpoints.environment_endpoints(ENV, 'EU', 'http://127.0.0.1:8080', custom_domain='auth.example.com')
    assert endpoints == {
        'issuer': 'https://auth.example.com/as',
        'discovery_endpoint': 'https://auth.example.com/as/.well-known/openid-configuration',
        'authorization_endpoint': 'https://auth.example.com/as/authorize',
        'token_endpoint': 'https://auth.example.com/as/token',
        'par_endpoint': 'https://auth.example.com/as/par',
        'jwks_uri': 'https://auth.example.com/as/jwks',
        'userinfo_endpoint': 'https://auth.example.com/as/userinfo',
    }
    assert _endpoints.issuer_url(ENV, 'EU', custom_domain=None) == 'https://auth.pingone.eu/%s/as' % ENV


@pytest.mark.parametrize('value', ['auth.example.com', 'Login.Example.CO.UK', 'xn--bcher-kva.example', 'a-b.c1', 'auto', 'AUTO'])
def test_host_names_and_auto_pass(value):
    assert _endpoints.custom_domain_problem(value) is None


@pytest.mark.parametrize('value, words', [
    ('https://auth.example.com', 'without a scheme'),
    ('auth.example.com/as', 'without a path'),
    ('auth.example.com/../x', 'without a path'),
    ('auth.example.com\\x', 'without a path'),
    ('auth.example.com?x=1', 'without a path'),
    ('auth.example.com#x', 'without a path'),
    ('user@auth.example.com', 'without user information'),
    ('auth.example.com:8443', 'without a port'),
    ('[::1]', 'without a port'),
    ('auth.example.com\n', 'control character'),
    ('auth.example.com\t', 'control character'),
    ('bücher.example', 'xn-- form'),
    ('localhost', 'at least two labels'),
    ('auth..example.com', 'at least two labels'),
    ('.auth.example.com', 'at least two labels'),
    ('auth.example.com.', 'at least two labels'),
    ('..', 'at least two labels'),
    ('-auth.example.com', "label '-auth'"),
    ('auth_x.example.com', "label 'auth_x'"),
    ('auth example.com', "label 'auth example'"),
    ('a' * 64 + '.example.com', 'is not a DNS label'),
    (('a' * 60 + '.') * 5 + 'com', 'longer than 253'),
    ('10.0.0.1', 'not an IP address'),
    ('', 'is empty'),
    ('   ', 'is empty'),
])
def test_anything_else_is_refused_with_the_reason(value, words):
    assert words in _endpoints.custom_domain_problem(value)


def test_auto_is_refused_where_only_a_domain_will_do():
    assert 'bare host name' in _endpoints.custom_domain_problem('auto', auto=False)


@pytest.mark.parametrize('value', ['https://auth.example.com', 'auth.example.com:443', 'auth.example.com/as', 'a\r\nb.com'])
def test_the_connection_options_refuse_a_bad_domain_naming_the_option(value):
    with pytest.raises(PingOneConfigError, match=r'^pingone_custom_domain '):
        ClientConfig(custom_domain=value, **WORKER).validate()


def test_an_empty_domain_means_none_as_with_the_urls():
    ClientConfig(custom_domain='', **WORKER).validate()
    assert _endpoints.custom_domain(ClientConfig(custom_domain='', **WORKER), ENV, None) is None


def domain(name, status='ACTIVE'):
    return {'id': 'd-' + name, 'domainName': name, 'status': status, 'environment': {'id': ENV}}


@pytest.mark.parametrize('domains, expected', [
    ([], None),
    ([domain('auth.example.com', 'VERIFICATION_REQUIRED')], None),
    ([domain('auth.example.com', 'SSL_CERTIFICATE_REQUIRED')], None),
    ([domain('Auth.Example.com')], 'auth.example.com'),
    ([domain('old.example.com', 'SSL_CERTIFICATE_REQUIRED'), domain('auth.example.com')], 'auth.example.com'),
    ([{'status': 'ACTIVE'}, 'junk', domain('auth.example.com')], 'auth.example.com'),
])
def test_only_an_active_domain_counts(domains, expected):
    assert _endpoints.active_custom_domain(domains, ENV) == expected


def test_several_active_domains_are_not_guessed_between():
    with pytest.raises(PingOneApiError, match='several active custom domains .a.example.com, b.example.com.; set pingone_custom_domain'):
        _endpoints.active_custom_domain([domain('b.example.com'), domain('a.example.com')], ENV)


@pytest.mark.parametrize('name', ['evil.example.com/steal', 'evil.example.com:8443', 'https://evil.example.com', 'x'])
def test_a_reported_domain_that_is_no_host_name_is_not_used(name):
    # the client credentials of the checks would go there
    with pytest.raises(PingOneApiError, match='INVALID_CUSTOM_DOMAIN'):
        _endpoints.active_custom_domain([domain(name)], ENV)


class FakeClient:
    def __init__(self, domains):
        self.domains = domains
        self.calls = []

    def iterate(self, path, operation, embedded_key, params=None, subject=None):
        self.calls.append((path, embedded_key, subject))
        return iter(self.domains)


def test_a_given_domain_costs_no_request_and_is_lower_cased():
    def no_client():
        raise AssertionError('no request for a given domain')
    assert _endpoints.custom_domain(ClientConfig(custom_domain='Auth.Example.com', **WORKER), ENV, no_client) == 'auth.example.com'
    assert _endpoints.custom_domain(ClientConfig(**WORKER), ENV, no_client) is None


def test_auto_reads_the_environment_s_custom_domains_once():
    client = FakeClient([domain('auth.example.com')])
    assert _endpoints.custom_domain(ClientConfig(custom_domain='auto', **WORKER), ENV, lambda: client) == 'auth.example.com'
    assert client.calls == [('environments/%s/customDomains' % ENV, 'customDomains', 'environment')]


def test_auto_quotes_the_environment_id_into_one_segment():
    client = FakeClient([])
    assert _endpoints.custom_domain(ClientConfig(custom_domain='auto', **WORKER), 'a/b?c', lambda: client) is None
    assert client.calls[0][0] == 'environments/a%2Fb%3Fc/customDomains'


def test_auto_without_management_credentials_says_what_to_do_before_any_request():
    config = ClientConfig(custom_domain='auto')
    with pytest.raises(PingOneOptionError, match='^pingone_custom_domain auto .* management credentials.*give the custom domain name'):
        _endpoints.custom_domain(config, ENV, lambda: pytest.fail('no client without credentials'))
