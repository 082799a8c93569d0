# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How the live check modules authenticate as the application; keep equal to APPLICATION_OPTIONS (_applications)
    # plus CLIENT_AUTH_OPTIONS (_checks), which tests/unit/plugins/module_utils/test_checks.py compares.
    DOCUMENTATION = r"""
options:
  environment_id:
    description:
      - ID of the environment of the application; its authorization server is checked.
      - Defaults to O(pingone_environment_id).
    type: str
  application_id:
    description:
      - ID of the application. When O(application_id) or O(name) is given, the application's settings (client ID,
        authentication method, redirect URIs, registered keys) and, for secret methods without O(client_secret), its
        current secret are read with the management credentials.
      - Without them the check uses only the application's own credentials given as options.
    type: str
  name:
    description:
      - Name of the application (compared without regard to case) when O(application_id) is not given.
    type: str
  client_id:
    description:
      - The application's client ID. Defaults to that of the application read from PingOne.
    type: str
  client_secret:
    description:
      - The application's client secret, for V(CLIENT_SECRET_BASIC), V(CLIENT_SECRET_POST) and V(CLIENT_SECRET_JWT).
      - Defaults to the current secret read from PingOne when the application is read.
    type: str
  private_key:
    description:
      - The application's private key (PEM) for V(PRIVATE_KEY_JWT). Mutually exclusive with O(private_key_path).
    type: str
  private_key_path:
    description:
      - Path of the application's private key (PEM) for V(PRIVATE_KEY_JWT).
    type: path
  private_key_passphrase:
    description:
      - Passphrase of an encrypted private key.
    type: str
  kid:
    description:
      - Key ID put in the assertion header. Defaults to the ID of the registered key that matches the private key,
        else the key's RFC 7638 thumbprint (the default of M(pingone.oidc.pingone_app_key)).
    type: str
  auth_method:
    description:
      - How the application authenticates. Defaults to the application's token endpoint authentication method when
        the application is read; required otherwise.
    type: str
    choices: [NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT, PRIVATE_KEY_JWT]
  signing_alg:
    description:
      - Algorithm of the client assertion. Defaults to V(HS256) for V(CLIENT_SECRET_JWT) and, for V(PRIVATE_KEY_JWT),
        to the C(alg) of the registered key with the same material as the private key (read when the application is
        read) or the key type's default (V(RS256), V(ES256), V(ES384), V(ES512)).
      - A registered key with an C(alg) verifies only assertions signed with that algorithm; when the server refuses
        the assertion, the likely cause names O(signing_alg) and the registered key's C(alg) if they differ.
    type: str
    choices: [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512]
  assertion_audience:
    description:
      - The C(aud) of client assertions (RFC 7523) - the token endpoint, the issuer, or the endpoint called.
    type: str
    choices: [token_endpoint, issuer, endpoint]
    default: token_endpoint
  issuer:
    description:
      - Issuer whose discovery document (C(/.well-known/openid-configuration)) gives the endpoints. Without it the
        endpoints are the environment's - on its custom domain with O(pingone_custom_domain), else from
        O(pingone_region) or O(pingone_auth_url) and the environment ID.
    type: str
notes:
  - Client assertions are signed anew for every request with C(iss) = C(sub) = the client ID, a 60 second lifetime
    and a random C(jti), as RFC 7523 and PingOne require.
  - Secrets, private keys and assertions never appear in the output.
requirements:
  - PyJWT >= 2.4.0
  - cryptography >= 3.4 (for PRIVATE_KEY_JWT)
"""
