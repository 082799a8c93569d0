# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""PingOne regions and the URLs derived from them (no Ansible, no third-party imports)."""

from __future__ import annotations

# Region code -> top-level domain of the PingOne hosts.
REGION_TLDS = {
    'NA': 'com',
    'EU': 'eu',
    'CA': 'ca',
    'AP': 'asia',
    'AU': 'com.au',
    'SG': 'sg',
}
DEFAULT_REGION = 'NA'


def _tld(region):
    code = (region or DEFAULT_REGION).upper()
    if code not in REGION_TLDS:
        raise ValueError('unknown PingOne region %r, expected one of %s' % (region, ', '.join(sorted(REGION_TLDS))))
    return REGION_TLDS[code]


def api_base_url(region=None, override=None):
    """Management API base, e.g. ``https://api.pingone.eu/v1``; an override that is a bare host name gets https and /v1."""
    if override:
        return 'https://%s/v1' % override.strip('/') if _is_host_name(override) else override.rstrip('/')
    return 'https://api.pingone.%s/v1' % _tld(region)


def auth_base_url(region=None, override=None):
    """Auth server base without the environment, e.g. ``https://auth.pingone.eu``; a bare host name gets https."""
    if override:
        return 'https://%s' % override.strip('/') if _is_host_name(override) else override.rstrip('/')
    return 'https://auth.pingone.%s' % _tld(region)


def _is_host_name(value):
    """Whether an override is a host name (``api.pingone.eu``, as the Terraform provider takes it), not a URL."""
    return '://' not in value and '/' not in value.strip('/')


def issuer_url(environment_id, region=None, auth_override=None):
    """The issuer of an environment, e.g. ``https://auth.pingone.eu/<envId>/as``."""
    return '%s/%s/as' % (auth_base_url(region, auth_override), environment_id)


def environment_endpoints(environment_id, region=None, auth_override=None):
    """The well-known endpoints of an environment's authorization server."""
    issuer = issuer_url(environment_id, region, auth_override)
    return {
        'issuer': issuer,
        'discovery_endpoint': issuer + '/.well-known/openid-configuration',
        'authorization_endpoint': issuer + '/authorize',
        'token_endpoint': issuer + '/token',
        'par_endpoint': issuer + '/par',
        'jwks_uri': issuer + '/jwks',
        'userinfo_endpoint': issuer + '/userinfo',
    }
