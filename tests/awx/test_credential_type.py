# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWX credential type: valid for AWX, blank optional fields injected as "", Terraform's variable names only
where they mean what the URL fields mean. Run by .ci/run: python -m pytest tests/awx/test_credential_type.py"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from credential_type import injected_env, load, validate  # noqa: E402 pylint: disable=wrong-import-position

WORKER = dict(environment_id='env-1', client_id='client-1', client_secret='s3cret', region='EU')


@pytest.fixture(scope='module')
def credential_type():
    return load()


def test_awx_accepts_the_injectors(credential_type):
    validate(credential_type)


def test_every_injected_variable_is_a_pingone_one(credential_type):
    assert all(name.startswith('PINGONE_') for name in credential_type['injectors']['env'])


@pytest.mark.parametrize('blank', [None, ''], ids=['missing', 'empty'])
def test_blank_optional_fields_are_injected_empty(credential_type, blank):
    inputs = dict(WORKER)
    if blank is not None:
        inputs.update(api_url=blank, auth_url=blank)
    env = injected_env(credential_type, inputs)
    assert env == {
        'PINGONE_ENVIRONMENT_ID': 'env-1',
        'PINGONE_CLIENT_ID': 'client-1',
        'PINGONE_CLIENT_SECRET': 's3cret',
        'PINGONE_REGION_CODE': 'EU',
        'PINGONE_API_URL': '',
        'PINGONE_AUTH_URL': '',
        'PINGONE_API_SERVICE_HOSTNAME': '',
        'PINGONE_AUTH_SERVICE_HOSTNAME': '',
    }


@pytest.mark.parametrize('api_url, auth_url, api_host, auth_host', [
    ('https://api.pingone.eu/v1', 'https://auth.pingone.eu', 'api.pingone.eu', 'auth.pingone.eu'),
    ('https://api.pingone.com.au/v1/', 'https://auth.example.com/', 'api.pingone.com.au', 'auth.example.com'),
    ('https://gw.example.com:8443/v1', 'https://sso.example.com:8443', 'gw.example.com:8443', 'sso.example.com:8443'),
    # not the same thing for the Terraform provider (https://<host>/v1 and https://<host>): left unset
    ('http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080', '', ''),
    ('https://gw.example.com/pingone/v1', 'https://gw.example.com/pingone', '', ''),
    ('https://api.pingone.eu/v2', 'https://', '', ''),
], ids=['region-hosts', 'trailing-slash', 'port', 'http', 'path-prefix', 'other-path'])
def test_terraform_hostnames_only_where_they_mean_the_same(credential_type, api_url, auth_url, api_host, auth_host):
    env = injected_env(credential_type, dict(WORKER, api_url=api_url, auth_url=auth_url))
    assert env['PINGONE_API_URL'] == api_url
    assert env['PINGONE_AUTH_URL'] == auth_url
    assert env['PINGONE_API_SERVICE_HOSTNAME'] == api_host
    assert env['PINGONE_AUTH_SERVICE_HOSTNAME'] == auth_host


def test_required_fields_are_required(credential_type):
    with pytest.raises(ValueError, match='client_secret'):
        injected_env(credential_type, dict(WORKER, client_secret=''))
