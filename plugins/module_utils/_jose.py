# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Facts about JSON Web Keys shared by code that handles keys and code that only compares them.

Bottom layer: no Ansible, no cryptography, no jwt (only ``base64``), so a module that handles no key
can use it. The rules a public key must follow to authenticate a client live here, once: the key
handling (``_jwk``) and the application model (``_app_model``) both apply them.
"""

from __future__ import annotations

import base64

# JWK members that hold private key material (RFC 7518 sections 6.2.2, 6.3.2 and 6.4.1).
PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')
RSA_ALGS = ('RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512')
EC_CURVE_ALGS = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'}
# Bytes of an EC coordinate (RFC 7518 section 6.2.1.2: the full size of the curve's field).
EC_CURVE_SIZES = {'P-256': 32, 'P-384': 48, 'P-521': 66}
ALGS = RSA_ALGS + tuple(EC_CURVE_ALGS.values())
MIN_RSA_BITS = 2048


class JwkError(ValueError):
    """A key that cannot be used; the message never contains key material."""


def private_members(jwk):
    """The private members present in a JWK (a dict), sorted."""
    return sorted(member for member in PRIVATE_MEMBERS if member in jwk)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def b64url_decode(text):
    if not isinstance(text, str):
        raise JwkError('a key member is not a base64url string')
    try:
        return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))
    except (ValueError, TypeError):
        raise JwkError('a key member is not valid base64url') from None


def check_public_jwk(jwk):
    """Raise JwkError unless ``jwk`` is a usable public RSA (>= 2048 bits) or EC (P-256/384/521) signing key."""
    if not isinstance(jwk, dict):
        raise JwkError('must be a JSON object')
    private = private_members(jwk)
    if private:
        raise JwkError('holds private key members (%s); give only the public key' % ', '.join(private))
    kty = jwk.get('kty')
    if kty == 'RSA':
        for member in ('n', 'e'):
            if not jwk.get(member):
                raise JwkError('RSA key has no "%s"' % member)
        bits = int.from_bytes(b64url_decode(jwk['n']), 'big').bit_length()
        if bits < MIN_RSA_BITS:
            raise JwkError('RSA key of %d bits is too weak; use at least %d bits' % (bits, MIN_RSA_BITS))
    elif kty == 'EC':
        if jwk.get('crv') not in EC_CURVE_ALGS:
            raise JwkError('EC curve %r is not supported; use P-256, P-384 or P-521' % jwk.get('crv'))
        for member in ('x', 'y'):
            if len(b64url_decode(jwk.get(member) or '')) != EC_CURVE_SIZES[jwk['crv']]:
                raise JwkError('EC key member "%s" does not fit curve %s' % (member, jwk['crv']))
    elif kty == 'oct':
        raise JwkError('is a symmetric key (kty oct); PRIVATE_KEY_JWT needs an RSA or EC public key')
    else:
        raise JwkError('has kty %r; only RSA and EC keys are supported' % kty)
    if jwk.get('use') not in (None, 'sig'):
        raise JwkError('has use %r; client authentication keys are for signatures (use "sig")' % jwk.get('use'))
    if jwk.get('alg') is not None:
        check_alg(jwk, jwk['alg'])


def default_alg(jwk):
    return EC_CURVE_ALGS[jwk['crv']] if jwk.get('kty') == 'EC' else 'RS256'


def check_alg(jwk, alg):
    if jwk.get('kty') == 'RSA' and alg not in RSA_ALGS:
        raise JwkError('alg %s does not fit an RSA key; use one of %s' % (alg, ', '.join(RSA_ALGS)))
    if jwk.get('kty') == 'EC' and alg != EC_CURVE_ALGS.get(jwk.get('crv')):
        raise JwkError('alg %s does not fit an EC %s key; use %s' % (alg, jwk.get('crv'), EC_CURVE_ALGS.get(jwk.get('crv'))))
