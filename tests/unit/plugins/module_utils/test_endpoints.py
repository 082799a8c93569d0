# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _endpoints


@pytest.mark.parametrize('region, api, auth', [
    ('NA', 'https://api.pingone.com/v1', 'https://auth.pingone.com'),
    ('EU', 'https://api.pingone.eu/v1', 'https://auth.pingone.eu'),
    ('CA', 'https://api.pingone.ca/v1', 'https://auth.pingone.ca'),
    ('AP', 'https://api.pingone.asia/v1', 'https://auth.pingone.asia'),
    ('AU', 'https://api.pingone.com.au/v1', 'https://auth.pingone.com.au'),
    ('SG', 'https://api.pingone.sg/v1', 'https://auth.pingone.sg'),
    (None, 'https://api.pingone.com/v1', 'https://auth.pingone.com'),
    ('eu', 'https://api.pingone.eu/v1', 'https://auth.pingone.eu'),
])
def test_region_hosts(region, api, auth):
    assert _endpoints.api_base_url(region) == api
    assert _endpoints.auth_base_url(region) == auth


def test_overrides_win_and_lose_trailing_slashes():
    assert _endpoints.api_base_url('EU', 'http://127.0.0.1:8080/v1/') == 'http://127.0.0.1:8080/v1'
    eps = _endpoints.environment_endpoints('env-1', 'EU', 'http://127.0.0.1:8080/')
    assert eps['issuer'] == 'http://127.0.0.1:8080/env-1/as'
    assert eps['token_endpoint'] == 'http://127.0.0.1:8080/env-1/as/token'
    assert eps['par_endpoint'] == 'http://127.0.0.1:8080/env-1/as/par'
    assert eps['discovery_endpoint'] == 'http://127.0.0.1:8080/env-1/as/.well-known/openid-configuration'


def test_unknown_region_is_rejected():
    with pytest.raises(ValueError, match='unknown PingOne region'):
        _endpoints.api_base_url('XX')


def test_a_bare_host_name_means_https_on_that_host():
    # the Terraform provider's PINGONE_API_SERVICE_HOSTNAME / PINGONE_AUTH_SERVICE_HOSTNAME hold host names
    assert _endpoints.api_base_url('NA', 'api.pingone.eu') == 'https://api.pingone.eu/v1'
    assert _endpoints.auth_base_url('NA', 'auth.pingone.eu/') == 'https://auth.pingone.eu'
    assert _endpoints.issuer_url('env-1', None, 'auth.example.com') == 'https://auth.example.com/env-1/as'
    assert _endpoints.api_base_url(None, 'http://127.0.0.1:8080/v1') == 'http://127.0.0.1:8080/v1'
