# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One table of URL values through the model's checks and the simulator's: check mode predicts the real run.

Where the model refuses what the simulator would accept, the row says so (MODEL_ONLY): those are rules PingOne
does not document, which only this collection applies (spaces and control characters, script and local schemes).
The other way round never happens: a value the simulator refuses is refused by the model too, before any write.
"""

from __future__ import annotations

import pytest

from pingone_sim.errors import ApiError  # the simulator package, on the path from tests/unit/simulated/conftest.py
from pingone_sim.validation import validate_application

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as module

ACCEPTED, REFUSED, MODEL_ONLY = 'accepted', 'refused', 'refused by the model only'
WILDCARDS = {'allowWildcardInRedirectUris': True}
ORIGINS = 'cors_settings.origins'

# (option, value, other members of the body, verdict)
TABLE = [
    # redirect URIs: https, custom schemes, http only on loopback (PingOne's "Loopback IP redirect URIs", RFC 8252 7.3)
    ('redirect_uris', 'https://app.example.com/cb', {}, ACCEPTED),
    ('redirect_uris', 'https://app.example.com:8443/cb?x=1', {}, ACCEPTED),
    ('redirect_uris', 'http://localhost:3000/cb', {}, ACCEPTED),
    ('redirect_uris', 'http://LOCALHOST/cb', {}, ACCEPTED),
    ('redirect_uris', 'http://127.0.0.1/cb', {}, ACCEPTED),
    ('redirect_uris', 'http://127.0.0.1:8080/cb', {}, ACCEPTED),
    ('redirect_uris', 'http://[::1]:8080/cb', {}, ACCEPTED),
    ('redirect_uris', 'http://[::1]/cb', {}, ACCEPTED),
    ('redirect_uris', 'https://[::1]/cb', {}, ACCEPTED),
    ('redirect_uris', 'com.example.app://cb', {}, ACCEPTED),
    ('redirect_uris', 'com.example:/oauth', {}, ACCEPTED),
    ('redirect_uris', 'https://*.example.com/cb', WILDCARDS, ACCEPTED),
    ('redirect_uris', 'https://app.example.com/*', WILDCARDS, ACCEPTED),
    ('redirect_uris', 'https://*.example.com/cb', {}, REFUSED),
    ('redirect_uris', 'http://[0:0:0:0:0:0:0:1]/cb', {}, REFUSED),  # only the literals the RFC names
    ('redirect_uris', 'http://127.0.0.2/cb', {}, REFUSED),
    ('redirect_uris', 'http://[::2]/cb', {}, REFUSED),
    ('redirect_uris', 'http://app.example.com/cb', {}, REFUSED),
    ('redirect_uris', 'http://localhost.example.com/cb', {}, REFUSED),
    ('redirect_uris', 'https://app.example.com/cb#frag', {}, REFUSED),
    ('redirect_uris', 'com.example.app://cb#x', {}, REFUSED),
    ('redirect_uris', '/relative/cb', {}, REFUSED),
    ('redirect_uris', 'app.example.com/cb', {}, REFUSED),
    ('redirect_uris', 'https:///cb', {}, REFUSED),
    ('redirect_uris', 'https://:443/cb', {}, REFUSED),
    ('redirect_uris', 'http:/cb', {}, REFUSED),
    ('redirect_uris', 'http://[::1/cb', {}, REFUSED),
    ('redirect_uris', 'javascript:alert(1)', {}, MODEL_ONLY),
    ('redirect_uris', 'JAVASCRIPT:alert(1)', {}, MODEL_ONLY),
    ('redirect_uris', 'data:text/html,<script>alert(1)</script>', {}, MODEL_ONLY),
    ('redirect_uris', 'vbscript:msgbox(1)', {}, MODEL_ONLY),
    ('redirect_uris', 'file:///etc/passwd', {}, MODEL_ONLY),
    ('redirect_uris', 'https://app.example.com/c b', {}, MODEL_ONLY),
    ('redirect_uris', 'https://app.example.com/cb\n', {}, MODEL_ONLY),
    ('redirect_uris', 'https://app.example.com/\tcb', {}, MODEL_ONLY),
    ('redirect_uris', 'https://app.example.com/cb\x00', {}, MODEL_ONLY),
    ('redirect_uris', 'https://app.example.com/\u202ebc', {}, MODEL_ONLY),
    # post-logout URIs: the same rules, wildcards included
    ('post_logout_redirect_uris', 'https://app.example.com/out', {}, ACCEPTED),
    ('post_logout_redirect_uris', 'http://[::1]/out', {}, ACCEPTED),
    ('post_logout_redirect_uris', 'com.example.app://out', {}, ACCEPTED),
    ('post_logout_redirect_uris', 'https://*.example.com/out', WILDCARDS, ACCEPTED),
    ('post_logout_redirect_uris', 'https://*.example.com/out', {}, REFUSED),
    ('post_logout_redirect_uris', 'http://app.example.com/out', {}, REFUSED),
    ('post_logout_redirect_uris', 'https://app.example.com/out#x', {}, REFUSED),
    ('post_logout_redirect_uris', 'javascript:alert(1)', {}, MODEL_ONLY),
    ('post_logout_redirect_uris', 'https://app.example.com/o ut', {}, MODEL_ONLY),
    # the login page: https, or http on loopback
    ('login_page_url', 'https://login.example.com/', {}, ACCEPTED),
    ('login_page_url', 'https://login.example.com/#/signin', {}, ACCEPTED),
    ('login_page_url', 'http://localhost:3000/login', {}, ACCEPTED),
    ('login_page_url', 'http://[::1]:3000/login', {}, ACCEPTED),
    ('login_page_url', 'http://login.example.com', {}, REFUSED),
    ('login_page_url', 'com.example.app://login', {}, REFUSED),
    ('login_page_url', 'javascript:alert(1)', {}, REFUSED),
    ('login_page_url', 'https://', {}, REFUSED),
    ('login_page_url', 'https://login.example.com/\n', {}, MODEL_ONLY),
    # http(s) URLs with a host
    ('home_page_url', 'https://www.example.com', {}, ACCEPTED),
    ('home_page_url', 'http://www.example.com/home', {}, ACCEPTED),
    ('home_page_url', 'com.example.app://home', {}, REFUSED),
    ('home_page_url', 'https://:80/', {}, REFUSED),
    ('home_page_url', 'data:text/html,x', {}, REFUSED),
    ('home_page_url', 'https://www.example.com/ home', {}, MODEL_ONLY),
    ('initiate_login_uri', 'https://app.example.com/login', {}, ACCEPTED),
    ('initiate_login_uri', 'ftp://app.example.com/login', {}, REFUSED),
    ('initiate_login_uri', 'https://app.example.com/\r\nX-Injected: 1', {}, MODEL_ONLY),
    ('device_custom_verification_uri', 'https://tv.example.com/activate', {}, ACCEPTED),
    ('device_custom_verification_uri', 'com.example.tv://activate', {}, REFUSED),
    ('device_custom_verification_uri', 'activate', {}, REFUSED),
    # any absolute URI without a fragment (a custom scheme opens a native app)
    ('target_link_uri', 'com.example.app://home', {}, ACCEPTED),
    ('target_link_uri', 'https://app.example.com/home', {}, ACCEPTED),
    ('target_link_uri', 'home', {}, REFUSED),
    ('target_link_uri', 'com.example.app://home#x', {}, REFUSED),
    ('target_link_uri', 'vbscript:msgbox(1)', {}, MODEL_ONLY),
    ('target_link_uri', 'file:///C:/Windows/', {}, MODEL_ONLY),
    # https only, with a host
    ('jwks_url', 'https://keys.example.com/jwks.json', {}, ACCEPTED),
    ('jwks_url', 'http://keys.example.com/jwks.json', {}, REFUSED),
    ('jwks_url', 'http://localhost/jwks.json', {}, REFUSED),
    ('jwks_url', 'https:///jwks.json', {}, REFUSED),
    ('jwks_url', 'https://[zz]/jwks.json', {}, REFUSED),
    ('jwks_url', 'https://keys.example.com/jwks .json', {}, MODEL_ONLY),
    # CORS origins: http(s)://host[:port], "*." for subdomains, at most 40 (decision 11 of the simulator)
    (ORIGINS, 'https://a.example.com', {}, ACCEPTED),
    (ORIGINS, 'http://localhost:8080', {}, ACCEPTED),
    (ORIGINS, 'https://*.example.com', {}, ACCEPTED),
    (ORIGINS, 'https://10.0.0.1', {}, ACCEPTED),
    (ORIGINS, ['https://a%d.example.com' % i for i in range(40)], {}, ACCEPTED),
    (ORIGINS, ['https://a%d.example.com' % i for i in range(41)], {}, REFUSED),
    (ORIGINS, 'https://a.example.com/', {}, REFUSED),
    (ORIGINS, 'https://a.example.com/path', {}, REFUSED),
    (ORIGINS, 'https://a.example.com?x', {}, REFUSED),
    (ORIGINS, 'https://user@a.example.com', {}, REFUSED),
    (ORIGINS, 'https://a.*.example.com', {}, REFUSED),
    (ORIGINS, 'http://[::1]:8080', {}, REFUSED),
    (ORIGINS, 'ftp://a.example.com', {}, REFUSED),
    (ORIGINS, 'a.example.com', {}, REFUSED),
    (ORIGINS, 'https://a.example.com\n', {}, REFUSED),
    (ORIGINS, 'https://a.example.com ', {}, REFUSED),
    # not a URL, but the same kind of hole: a pattern ending in "$" lets a trailing newline through
    ('device_path_id', 'my-device_1', {}, ACCEPTED),
    ('device_path_id', 'device\n', {}, REFUSED),
    ('device_path_id', 'has space', {}, REFUSED),
]


def base_body():
    """A valid web application, as the module would create it."""
    desired = {model.FIELDS_BY_OPTION['redirect_uris']: ['https://base.example.com/cb']}
    return model.creation_body('Parity', 'WEB_APP', desired)


def with_value(option, value, changes):
    body = dict(base_body(), **changes)
    if option == ORIGINS:
        body['corsSettings'] = {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': value if isinstance(value, list) else [value]}
        return body, 'corsSettings.origins'
    field = model.FIELDS_BY_OPTION[option]
    model.set_path(body, field.path, [value] if field.kind == 'set' else value)
    return body, field.api_name


def model_errors(body, option):
    return [error for error in model.validate_body(body) if error.startswith(option)]


def simulator_errors(body, target):
    try:
        validate_application(body)
    except ApiError as exc:
        return [item for item in exc.details if item.get('target') == target]
    return []


def test_the_base_body_is_valid_for_both():
    assert model.validate_body(base_body()) == []
    validate_application(base_body())  # raises ApiError when the simulator refuses it


@pytest.mark.parametrize('option, value, changes, verdict', TABLE,
                         ids=['%s %r%s' % (row[0], row[1] if isinstance(row[1], str) else '%d values' % len(row[1]),
                                           ' (wildcards)' if row[2] else '') for row in TABLE])
def test_model_and_simulator_agree(option, value, changes, verdict):
    body, target = with_value(option, value, changes)
    by_model, by_simulator = model_errors(body, option), simulator_errors(body, target)
    assert (by_model == []) == (verdict == ACCEPTED), by_model
    assert (by_simulator == []) == (verdict != REFUSED), by_simulator
    assert all(error.isprintable() for error in by_model), by_model  # one line, nothing echoed raw


def test_every_url_option_has_rows():
    url_options = {field.option for field in model.FIELDS if field.url} | {ORIGINS}
    rows = {row[0] for row in TABLE}
    assert url_options <= rows
    for option in url_options:
        verdicts = {row[3] for row in TABLE if row[0] == option}
        assert {ACCEPTED, REFUSED} <= verdicts, option


def test_loopback_http_in_check_mode_and_for_real(simulator, run_module):
    """The reported bug: check mode said "changed" for http://[::1], and the real run was refused."""
    env = simulator.new_environment('parity')
    args = dict(simulator.module_auth(), environment_id=env, name='Loopback', type='NATIVE_APP',
                redirect_uris=['http://[::1]:8080/cb', 'http://127.0.0.1:8080/cb', 'http://localhost:8080/cb'])
    predicted, failed = run_module(module, args, check_mode=True)
    assert not failed and predicted['changed'], predicted
    created, failed = run_module(module, args)
    assert not failed and created['changed'], created
    assert sorted(created['application']['redirectUris']) == sorted(args['redirect_uris'])
    refused, failed = run_module(module, dict(args, name='Remote', redirect_uris=['http://[::2]:8080/cb']), check_mode=True)
    assert failed and 'redirect_uris: http://[::2]:8080/cb uses http' in refused['msg']


@pytest.mark.parametrize('check_mode', [True, False])
def test_a_public_worker_with_client_credentials_is_refused_before_any_write(simulator, run_module, check_mode):
    """The simulator would store it (PingOne documents no such rule) and then refuse every token request."""
    env = simulator.new_environment('parity')
    simulator.control('DELETE', 'stats')
    args = dict(simulator.module_auth(), environment_id=env, name='Public Worker', type='WORKER', token_endpoint_auth_method='NONE')
    result, failed = run_module(module, args, check_mode=check_mode)
    assert failed and result['msg'] == ("Invalid settings for application 'Public Worker': grant_types CLIENT_CREDENTIALS needs a "
                                        "token_endpoint_auth_method that authenticates the client, not NONE: a public client "
                                        "cannot use the client credentials grant")
    assert not [route for route in simulator.stats()['by_route'] if route.startswith(('POST /v1', 'PUT'))]
