# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_custom_domain: the modules return the custom domain's issuer and endpoints, and the live checks call them."""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.modules import pingone_app_secret, pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as info_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_par_check as par_check
from ansible_collections.pingone.oidc.plugins.modules import pingone_token_check as token_check

DOMAIN = 'auth.example.com'
ISSUER = 'https://%s/as' % DOMAIN
LIST_ROUTE = 'GET /v1/environments/{envId}/customDomains'


@pytest.fixture
def dns(monkeypatch, simulator):
    """https://auth.example.com reaches the simulator (with that Host header), as DNS and TLS would take it to PingOne.
    Returns every URL requested, as the module asked for it."""
    sent = []
    original = requests.adapters.HTTPAdapter.send
    target = urlsplit(simulator.url)

    def send(adapter, request, **kwargs):
        parts = urlsplit(request.url)
        sent.append(request.url)
        if parts.hostname == DOMAIN:
            assert parts.scheme == 'https' and parts.port is None
            request.url = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ''))
            request.headers['Host'] = DOMAIN
        return original(adapter, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'send', send)
    return sent


@pytest.fixture
def env(simulator):
    return simulator.new_environment('custom domain')


def plant(simulator, env, status='ACTIVE'):
    return simulator.control('POST', 'environments/%s/customDomains' % env, json={'domainName': DOMAIN, 'status': status})


def lists(simulator):
    return simulator.stats()['by_route'].get(LIST_ROUTE, 0)


def test_a_given_domain_changes_the_endpoints_without_a_request(simulator, run_module, env):
    result, failed = run_module(info_module, dict(simulator.module_auth(), environment_id=env, pingone_custom_domain='Auth.Example.com'))
    assert not failed, result['msg']
    assert result['endpoints']['issuer'] == ISSUER
    assert result['endpoints']['token_endpoint'] == ISSUER + '/token'
    assert result['endpoints']['par_endpoint'] == ISSUER + '/par'
    assert result['endpoints']['discovery_endpoint'] == ISSUER + '/.well-known/openid-configuration'
    assert result['environment_id'] == env
    assert lists(simulator) == 0


def test_auto_uses_the_active_domain_only(simulator, run_module, env):
    args = dict(simulator.module_auth(), environment_id=env, pingone_custom_domain='auto')
    standard = '%s/%s/as' % (simulator.url, env)
    result, failed = run_module(info_module, args)
    assert not failed and result['endpoints']['issuer'] == standard
    item = plant(simulator, env, status='SSL_CERTIFICATE_REQUIRED')
    result, failed = run_module(info_module, args)
    assert not failed and result['endpoints']['issuer'] == standard
    simulator.control('POST', 'environments/%s/customDomains/%s' % (env, item['id']), json={'status': 'ACTIVE'})
    result, failed = run_module(info_module, args)
    assert not failed and result['endpoints']['issuer'] == ISSUER
    assert lists(simulator) == 3
    # without the option nothing is read
    result, failed = run_module(info_module, simulator.module_auth())
    assert not failed and lists(simulator) == 3 and result['endpoints']['issuer'] == '%s/%s/as' % (simulator.url, simulator.environment_id)


def test_the_environment_variable_serves_as_the_option(simulator, run_module, env, monkeypatch):
    monkeypatch.setenv('PINGONE_CUSTOM_DOMAIN', DOMAIN)
    result, failed = run_module(info_module, dict(simulator.module_auth(), environment_id=env))
    assert not failed and result['endpoints']['issuer'] == ISSUER


@pytest.mark.parametrize('value', ['https://auth.example.com', 'auth.example.com:8443', 'auth.example.com/x', 'auth..example.com',
                                   'auth.example.com\r\nX-Evil: 1'])
def test_a_bad_domain_fails_before_any_request_naming_the_option(simulator, run_module, env, value):
    result, failed = run_module(info_module, dict(simulator.module_auth(), environment_id=env, pingone_custom_domain=value))
    assert failed and 'pingone_custom_domain' in result['msg']
    assert simulator.stats()['total'] == 0


def test_pingone_application_returns_the_custom_domain_s_endpoints(simulator, run_module, env):
    plant(simulator, env)
    args = dict(simulator.module_auth(), environment_id=env, name='Shop', type='WEB_APP', redirect_uris=['https://shop.example.com/cb'],
                pingone_custom_domain='auto')
    result, failed = run_module(pingone_application, args)
    assert not failed and result['changed'], result['msg']
    assert (result['issuer'], result['token_endpoint'], result['par_endpoint'], result['authorization_endpoint']) == (
        ISSUER, ISSUER + '/token', ISSUER + '/par', ISSUER + '/authorize')


def test_pingone_application_finds_the_domain_before_it_writes(simulator, run_module, env):
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 403, 'method': 'GET', 'path_regex': '/customDomains$'})
    args = dict(simulator.module_auth(), environment_id=env, name='Shop', type='WORKER', pingone_custom_domain='auto')
    result, failed = run_module(pingone_application, args)
    assert failed and 'custom domains' in result['msg'] and 'HTTP 403' in result['msg']
    assert not any(route.startswith('POST /v1') for route in simulator.stats()['by_route'])


@pytest.fixture
def web_app(simulator, run_module, env):
    args = dict(simulator.module_auth(), environment_id=env, name='Shop', type='WEB_APP', enabled=True,
                redirect_uris=['https://shop.example.com/cb'], token_endpoint_auth_method='CLIENT_SECRET_JWT',
                grant_types=['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS'])
    result, failed = run_module(pingone_application, args)
    assert not failed, result['msg']
    return result['client_id']


@pytest.mark.parametrize('setting', ['auto', DOMAIN])
def test_the_checks_call_the_custom_domain_and_nothing_else_with_the_app_s_credentials(simulator, run_module, env, web_app, dns,
                                                                                       setting):
    plant(simulator, env)
    dns.clear()
    args = dict(simulator.module_auth(), environment_id=env, name='Shop', pingone_custom_domain=setting)
    par, failed = run_module(par_check, args)
    assert not failed, par['msg']
    assert par['par_endpoint'] == ISSUER + '/par' and par['issuer'] == ISSUER
    assert par['authorization_url'].startswith(ISSUER + '/authorize?client_id=%s&request_uri=urn' % web_app)
    token, failed = run_module(token_check, args)
    assert not failed, token['msg']
    assert token['token_endpoint'] == ISSUER + '/token' and token['claims']['iss'] == ISSUER
    # the application's credentials went to the custom domain; the worker's token and the management API stay on their hosts
    assert [url for url in dns if not url.startswith(simulator.url)] == [ISSUER + '/par', ISSUER + '/token']
    worker_token = '%s/%s/as/token' % (simulator.url, simulator.environment_id)
    assert all(url == worker_token or url.startswith(simulator.api_url) for url in dns if url.startswith(simulator.url))


def test_a_check_with_only_the_app_s_credentials_needs_the_domain_named(simulator, run_module, env, web_app, dns):
    plant(simulator, env)
    secret, failed = run_module(pingone_app_secret, dict(simulator.module_auth(), environment_id=env, application_id=web_app))
    assert not failed, secret['msg']
    app_args = dict(pingone_auth_url=simulator.url, environment_id=env, client_id=web_app, auth_method='CLIENT_SECRET_JWT',
                    client_secret=secret['secret'])
    dns.clear()
    result, failed = run_module(token_check, dict(app_args, pingone_custom_domain='auto'))
    assert failed and result['msg'].startswith('pingone_custom_domain auto reads the custom domains')
    assert dns == []
    result, failed = run_module(token_check, dict(app_args, pingone_custom_domain=DOMAIN))
    assert not failed, result['msg']
    assert dns == [ISSUER + '/token']
    assert secret['secret'] not in json.dumps(result)
