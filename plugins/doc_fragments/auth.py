# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module shares; the spec is _client.CONNECTION_OPTIONS (sanity validate-modules compares them).
    DOCUMENTATION = r"""
options:
  pingone_environment_id:
    description:
      - ID of the environment that holds the worker application used to authenticate.
      - This is not necessarily the environment the module works in; modules take that as
        O(environment_id) and fall back to this value when it is not set.
      - If not set, the value of the E(PINGONE_ENVIRONMENT_ID) environment variable is used.
    type: str
  pingone_client_id:
    description:
      - Client ID of the worker application that authenticates.
      - If not set, the value of the E(PINGONE_CLIENT_ID) environment variable is used.
    type: str
  pingone_client_secret:
    description:
      - Client secret of the worker application.
      - If not set, the value of the E(PINGONE_CLIENT_SECRET) environment variable is used.
    type: str
  pingone_client_auth_method:
    description:
      - How the worker application authenticates at the token endpoint; must match its token endpoint
        authentication method in PingOne.
    type: str
    choices: [CLIENT_SECRET_BASIC, CLIENT_SECRET_POST]
    default: CLIENT_SECRET_BASIC
  pingone_access_token:
    description:
      - A management API access token obtained earlier, used instead of the worker credentials.
      - When set, no token is requested. If the API refuses it (HTTP 401, for example because it expired) and
        O(pingone_environment_id), O(pingone_client_id) and O(pingone_client_secret) are set too, a new token is
        requested once and the call repeated; see M(pingone.oidc.pingone_access_token).
      - If not set, the value of the E(PINGONE_API_ACCESS_TOKEN) environment variable is used.
    type: str
  pingone_region:
    description:
      - The PingOne region, which decides the host names
        (V(NA) C(.com), V(EU) C(.eu), V(CA) C(.ca), V(AP) C(.asia), V(AU) C(.com.au), V(SG) C(.sg)).
      - If not set, the value of the E(PINGONE_REGION_CODE) environment variable is used, else V(NA).
    type: str
    choices: [AP, AU, CA, EU, NA, SG]
  pingone_api_url:
    description:
      - Base URL of the management API, overriding the one of O(pingone_region),
        for example V(https://api.pingone.eu/v1) or a local PingOne simulator such as V(http://127.0.0.1:8080/v1).
      - A bare host name such as V(api.pingone.eu) means V(https://api.pingone.eu/v1).
      - If not set, the value of the E(PINGONE_API_URL) environment variable is used, else that of
        E(PINGONE_API_SERVICE_HOSTNAME) (the Terraform provider's variable, a host name).
    type: str
  pingone_auth_url:
    description:
      - Base URL of the authorization server without the environment, overriding the one of O(pingone_region),
        for example V(https://auth.pingone.eu). The issuer of an environment is C(<pingone_auth_url>/<environment ID>/as).
      - A bare host name such as V(auth.pingone.eu) means V(https://auth.pingone.eu).
      - If not set, the value of the E(PINGONE_AUTH_URL) environment variable is used, else that of
        E(PINGONE_AUTH_SERVICE_HOSTNAME) (the Terraform provider's variable, a host name).
    type: str
  pingone_custom_domain:
    description:
      - The custom domain of the environment the module works in (O(environment_id)), a bare host name such as
        V(auth.example.com), or V(auto).
      - With a custom domain, the issuer and the endpoints the modules return, and the endpoints the live checks call,
        are C(https://<custom domain>/as/...) instead of C(<pingone_auth_url>/<environment ID>/as/...); this is what
        PingOne itself serves and issues tokens as once the domain is active. The management API and the token of the
        worker application are not affected.
      - V(auto) reads the environment's custom domains from PingOne (one more request, with the management
        credentials) and uses the one whose status is C(ACTIVE); without an active one the endpoints stay on the
        PingOne domain.
      - No scheme, port or path; the module fails before any request otherwise.
      - If not set, the value of the E(PINGONE_CUSTOM_DOMAIN) environment variable is used. Not set means no custom
        domain, and no request to look for one.
    type: str
  pingone_timeout:
    description:
      - Seconds to wait for each HTTP reply.
    type: float
    default: 30.0
  pingone_validate_certs:
    description:
      - Whether to verify the TLS certificates of PingOne. Only turn this off for a test server; the module then warns.
    type: bool
    default: true
  pingone_ca_path:
    description:
      - Path of a PEM bundle of CA certificates (or a directory of them) to verify the servers with, instead of the
        system's. It must exist and hold a certificate, else the module fails before any request.
      - When set, it wins over the E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) environment variables, which are only
        used when this option is not set.
    type: path
  pingone_max_retries:
    description:
      - How many times a request is repeated after a throttled (HTTP 429) or transient (408, 500, 502, 503, 504,
        C(UNEXPECTED_ERROR)) answer or a broken connection.
      - A create (POST) is only repeated when the answer says it was not processed (408, 429, 503).
      - V(0) disables retries.
    type: int
    default: 5
  pingone_retry_max_delay:
    description:
      - Longest wait in seconds between two tries. Waits follow the C(Retry-After) header when PingOne sends one,
        else grow exponentially from one second with random jitter.
    type: float
    default: 30.0
  pingone_retry_timeout:
    description:
      - Upper bound in seconds for the time spent on one request including its retries; no retry starts
        when its wait would pass this bound.
    type: float
    default: 120.0
notes:
  - Credentials can come from the task, from C(module_defaults) for the C(group/pingone.oidc.pingone) action group,
    or from the E(PINGONE_*) environment variables, in that order of precedence. An environment variable set to the
    empty string counts as not set (AWX renders blank credential fields that way).
  - Redirects are never followed and a paging link to another host is an error, so that no credential, token or
    assertion travels to a host other than the configured API and auth hosts (and the custom domain, see
    O(pingone_custom_domain)).
  - Proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - The worker token is requested once per module run and requested again once if the API answers HTTP 401.
requirements:
  - requests >= 2.25.0
"""
