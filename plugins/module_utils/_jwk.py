# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""JSON Web Keys: PEM / certificate / JWK input, RFC 7638 thumbprints, key generation.

Only public keys ever leave these functions as JWKs; private keys are read from or written to
a file by the caller and never converted to a JWK. No Ansible imports.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import traceback

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

RSA_ALGS = ('RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512')
EC_CURVE_ALGS = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'}
EC_CURVE_SIZES = {'P-256': 32, 'P-384': 48, 'P-521': 66}
ALGS = RSA_ALGS + tuple(EC_CURVE_ALGS.values())
PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')
# Members that identify the key material (RFC 7638 section 3.2).
THUMBPRINT_MEMBERS = {'RSA': ('e', 'kty', 'n'), 'EC': ('crv', 'kty', 'x', 'y')}
PUBLIC_MEMBERS = ('kty', 'kid', 'use', 'alg', 'key_ops', 'n', 'e', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256', 'x5u')
MIN_RSA_BITS = 2048
RSA_SIZES = (2048, 3072, 4096)


class JwkError(ValueError):
    """A key that cannot be used; the message never contains key material."""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def b64url_decode(text):
    if not isinstance(text, str):
        raise JwkError('a key member is not a base64url string')
    try:
        return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))
    except (ValueError, TypeError):
        raise JwkError('a key member is not valid base64url') from None


def _uint(number, length=None):
    length = length or max(1, (number.bit_length() + 7) // 8)
    return b64url(number.to_bytes(length, 'big'))


def _curve_name(curve):
    for name, cls in (('P-256', ec.SECP256R1), ('P-384', ec.SECP384R1), ('P-521', ec.SECP521R1)):
        if isinstance(curve, cls):
            return name
    raise JwkError('EC curve %s is not supported; use P-256, P-384 or P-521' % curve.name)


def public_jwk(public_key):
    """The JWK of a cryptography public key (RSA or EC)."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {'kty': 'RSA', 'n': _uint(numbers.n), 'e': _uint(numbers.e)}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        crv = _curve_name(public_key.curve)
        numbers = public_key.public_numbers()
        size = EC_CURVE_SIZES[crv]
        return {'kty': 'EC', 'crv': crv, 'x': _uint(numbers.x, size), 'y': _uint(numbers.y, size)}
    raise JwkError('only RSA and EC keys can be used (got %s)' % type(public_key).__name__)


def jwk_from_pem(text):
    """A public JWK from a PEM public key or X.509 certificate (the certificate goes in ``x5c``)."""
    data = text.encode('utf-8') if isinstance(text, str) else text
    if b'PRIVATE KEY' in data:
        raise JwkError('holds a private key; give the public key or the certificate (the private key stays with the client)')
    if b'-----BEGIN CERTIFICATE-----' in data:
        try:
            cert = x509.load_pem_x509_certificate(data)
        except ValueError:
            raise JwkError('is not a readable PEM certificate') from None
        jwk = public_jwk(cert.public_key())
        der = cert.public_bytes(serialization.Encoding.DER)
        jwk['x5c'] = [base64.b64encode(der).decode('ascii')]
        jwk['x5t#S256'] = b64url(hashlib.sha256(der).digest())
        return jwk
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise JwkError('is neither a PEM public key nor a PEM certificate') from None
    return public_jwk(key)


def private_members(jwk):
    return sorted(member for member in PRIVATE_MEMBERS if member in jwk)


def check_public_jwk(jwk):
    """Raise JwkError unless ``jwk`` is a usable public RSA (>= 2048 bits) or EC (P-256/384/521) key."""
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


def thumbprint(jwk):
    """The RFC 7638 SHA-256 thumbprint of a public JWK, base64url-encoded."""
    members = THUMBPRINT_MEMBERS.get(jwk.get('kty'))
    if not members:
        raise JwkError('cannot compute a thumbprint of kty %r' % jwk.get('kty'))
    canonical = json.dumps({member: jwk[member] for member in members}, sort_keys=True, separators=(',', ':'))
    return b64url(hashlib.sha256(canonical.encode('utf-8')).digest())


def same_material(left, right):
    """Whether two JWKs hold the same public key (whatever their kid, alg or use)."""
    try:
        return thumbprint(left) == thumbprint(right)
    except (JwkError, KeyError):
        return False


def public_only(jwk):
    """The JWK restricted to public members (a defence in depth: callers have checked it already)."""
    return {key: value for key, value in jwk.items() if key in PUBLIC_MEMBERS}


# -- private keys (files only) ---------------------------------------------------------------

def generate_private_key(key_type='RSA', size=2048, curve='P-256'):
    if key_type == 'EC':
        curves = {'P-256': ec.SECP256R1, 'P-384': ec.SECP384R1, 'P-521': ec.SECP521R1}
        if curve not in curves:
            raise JwkError('EC curve %r is not supported; use P-256, P-384 or P-521' % curve)
        return ec.generate_private_key(curves[curve]())
    if size not in RSA_SIZES:
        raise JwkError('RSA key size %s is not supported; use %s' % (size, ', '.join(str(s) for s in RSA_SIZES)))
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def load_private_key(data, passphrase=None):
    """A private key from PEM bytes; JwkError with no key material in the message."""
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode('utf-8') if passphrase else None)
    except TypeError:
        raise JwkError('is encrypted; give its passphrase') from None
    except ValueError:
        raise JwkError('is not a readable PEM private key (or the passphrase is wrong)') from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise JwkError('is not an RSA or EC private key')
    return key


def read_private_key_file(path, passphrase=None):
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except OSError as exc:
        raise JwkError('cannot be read: %s' % (exc.strerror or exc)) from None
    return load_private_key(data, passphrase)


def write_private_key_file(path, key):
    """Write the key as unencrypted PKCS#8 PEM, readable by the owner only (mode 0600 from creation)."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    temp = '%s.tmp%d' % (path, os.getpid())
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(pem)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
