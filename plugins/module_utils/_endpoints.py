# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""PingOne regions and the URLs derived from them (no Ansible, no third-party imports).

An environment with an active custom domain serves its authorization server at ``https://<domain>/as``
(the environment ID leaves the path) besides ``https://auth.pingone.<tld>/<envId>/as``; its issuer is then the
custom domain's. The management API (``api.pingone.<tld>``) and the worker's token endpoint stay where they are.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneOptionError

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
# pingone_custom_domain: read the environment's active custom domain from PingOne instead of naming it.
AUTO_CUSTOM_DOMAIN = 'auto'
# The one custom domain status that means PingOne serves the domain (the others: VERIFICATION_REQUIRED,
# SSL_CERTIFICATE_REQUIRED).
ACTIVE = 'ACTIVE'
DNS_LABEL = re.compile(r'^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')
MAX_HOST_LENGTH = 253


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


def issuer_url(environment_id, region=None, auth_override=None, custom_domain=None):
    """The issuer of an environment, e.g. ``https://auth.pingone.eu/<envId>/as``, or ``https://<custom_domain>/as``."""
    if custom_domain:
        return 'https://%s/as' % custom_domain
    return '%s/%s/as' % (auth_base_url(region, auth_override), environment_id)


def environment_endpoints(environment_id, region=None, auth_override=None, custom_domain=None):
    """The well-known endpoints of an environment's authorization server (on its custom domain when one is given)."""
    issuer = issuer_url(environment_id, region, auth_override, custom_domain)
    return {
        'issuer': issuer,
        'discovery_endpoint': issuer + '/.well-known/openid-configuration',
        'authorization_endpoint': issuer + '/authorize',
        'token_endpoint': issuer + '/token',
        'par_endpoint': issuer + '/par',
        'jwks_uri': issuer + '/jwks',
        'userinfo_endpoint': issuer + '/userinfo',
    }


# -- custom domains ------------------------------------------------------------------------------


def custom_domain_problem(value, auto=True):
    """Why ``value`` is not a custom domain, a bare DNS host name such as ``auth.example.com`` (nor ``auto`` when
    ``auto``); None when it is. The client credentials of the live checks go to this host, so nothing that could
    steer them elsewhere (a scheme, user information, a port, a path, a dot segment) passes."""
    if not isinstance(value, str) or not value.strip():
        return 'is empty'
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return 'contains a control character'
    host = value.lower()
    if auto and host == AUTO_CUSTOM_DOMAIN:
        return None
    hint = 'must be a bare host name such as auth.example.com%s' % (', or auto' if auto else '')
    if '://' in host:
        return '%s, without a scheme (https is implied)' % hint
    if any(char in host for char in '/\\?#'):
        return '%s, without a path' % hint
    if '@' in host:
        return '%s, without user information' % hint
    if ':' in host or host.startswith('['):
        return '%s, without a port (PingOne serves a custom domain on port 443)' % hint
    if not host.isascii():
        return '%s; write an internationalized name in its xn-- form' % hint
    if len(host) > MAX_HOST_LENGTH:
        return 'is longer than %d characters' % MAX_HOST_LENGTH
    labels = host.split('.')
    if len(labels) < 2 or '' in labels:
        return '%s: at least two labels separated by single dots, no leading or trailing dot' % hint
    for label in labels:
        if not DNS_LABEL.match(label):
            return '%s: the label %r is not a DNS label (letters, digits and inner hyphens, at most 63)' % (hint, label)
    if labels[-1].isdigit():
        return '%s, not an IP address' % hint
    return None


def active_custom_domain(domains, environment_id):
    """The name of the ACTIVE custom domain among an environment's ``domains`` (CustomDomain objects), or None.

    A domain that is not ACTIVE yet (its DNS name or TLS certificate still missing) is not served, so it does not count.
    """
    names = sorted({str(item.get('domainName')).lower() for item in domains
                    if isinstance(item, dict) and item.get('status') == ACTIVE and item.get('domainName')})
    operation = "Reading the custom domains of environment '%s'" % environment_id
    if len(names) > 1:
        raise PingOneApiError(operation, 200, 'AMBIGUOUS_CUSTOM_DOMAIN', 'the environment has several active custom domains '
                              '(%s); set pingone_custom_domain to the one to use' % ', '.join(names))
    if not names:
        return None
    problem = custom_domain_problem(names[0], auto=False)
    if problem:
        raise PingOneApiError(operation, 200, 'INVALID_CUSTOM_DOMAIN', 'the active custom domain %r %s; it is not used'
                              % (names[0], problem))
    return names[0]


def custom_domain(config, environment_id, management_client):
    """The custom domain of the endpoints of ``environment_id``: None, the one ``config.custom_domain`` names, or with
    ``auto`` the active one PingOne reports (one request; ``management_client()`` is called only then)."""
    setting = (config.custom_domain or '').lower()
    if setting != AUTO_CUSTOM_DOMAIN:
        return setting or None
    if not config.has_credentials:
        raise PingOneOptionError('pingone_custom_domain auto reads the custom domains of the environment with the management '
                                 'credentials, which are not set; give the custom domain name instead')
    path = 'environments/%s/customDomains' % quote(str(environment_id), safe='')
    operation = "Reading the custom domains of environment '%s'" % environment_id
    return active_custom_domain(list(management_client().iterate(path, operation, 'customDomains', subject='environment')),
                                environment_id)
