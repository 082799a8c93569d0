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
import re
import traceback

from ansible_collections.pingone.oidc.plugins.module_utils import _files
# The pure JWK rules live in _jose (no cryptography) so that the application model can apply them too;
# their names stay importable from here.
from ansible_collections.pingone.oidc.plugins.module_utils._jose import (  # noqa: F401 pylint: disable=unused-import
    ALGS, EC_CURVE_ALGS, EC_CURVE_SIZES, MIN_RSA_BITS, RSA_ALGS, JwkError, b64url, b64url_decode, check_alg, check_public_jwk,
    default_alg, private_members)

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

# Members that identify the key material (RFC 7638 section 3.2).
THUMBPRINT_MEMBERS = {'RSA': ('e', 'kty', 'n'), 'EC': ('crv', 'kty', 'x', 'y')}
PUBLIC_MEMBERS = ('kty', 'kid', 'use', 'alg', 'key_ops', 'n', 'e', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256', 'x5u')
RSA_SIZES = (2048, 3072, 4096)
# A private key file larger than this is not a PEM key (and is not read further).
MAX_KEY_FILE_SIZE = 1024 * 1024
PEM_MARKER = re.compile(br'-----(BEGIN|END) ')
PEM_END_LINE = re.compile(br'-----END [^\r\n]*?-----')


class EncryptedKeyError(JwkError):
    """A private key that is encrypted, and no passphrase was given."""


class NotEncryptedKeyError(JwkError):
    """A passphrase was given for a private key that is not encrypted."""


def single_pem(data):
    """Raise JwkError unless ``data`` holds at most one PEM block and nothing but blanks after it.

    Text before the block is allowed (as OpenSSL writes it, e.g. ``Bag Attributes``); a second block (a
    certificate chain, a key pair) or text after the block is refused, so that nothing given is silently ignored.
    Data without any PEM block is left to the loader, which says it is not readable.
    """
    markers = PEM_MARKER.findall(data)
    blocks = max(markers.count(b'BEGIN'), markers.count(b'END'))
    if blocks > 1:
        raise JwkError('holds %d PEM blocks; give exactly one' % blocks)
    end = PEM_END_LINE.search(data)
    if end is not None and data[end.end():].strip():
        raise JwkError('has text after its PEM block; give exactly one PEM block and nothing after it')


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
    try:
        single_pem(data)
    except JwkError as exc:
        raise JwkError('%s (one public key or one certificate, not a chain)' % exc) from None
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
    """A private key from PEM bytes (exactly one PEM block); JwkError with no key material in the message.

    EncryptedKeyError when the key is encrypted and no ``passphrase`` was given.
    """
    single_pem(data)
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode('utf-8') if passphrase else None)
    except TypeError:
        if passphrase:
            raise NotEncryptedKeyError('is not encrypted, but a passphrase was given') from None
        raise EncryptedKeyError('is encrypted; give its passphrase') from None
    except ValueError:
        raise JwkError('is not a readable PEM private key (or the passphrase is wrong)') from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise JwkError('is not an RSA or EC private key')
    return key


def read_key_file(path, follow=True):
    """``(data, os.stat_result)`` of a private key file: never blocks on a FIFO or device (JwkError), at most 1 MiB."""
    try:
        data, info = _files.read_regular_file(path, MAX_KEY_FILE_SIZE, follow=follow)
    except _files.UnsafePath as exc:
        raise JwkError(str(exc)) from None
    except OSError as exc:
        raise JwkError('cannot be read: %s' % (exc.strerror or exc)) from None
    if len(data) > MAX_KEY_FILE_SIZE:
        raise JwkError('is larger than %d bytes; it is not a PEM private key' % MAX_KEY_FILE_SIZE)
    return data, info


def read_private_key_file(path, passphrase=None):
    return load_private_key(read_key_file(path)[0], passphrase)


def private_key_pem(key, passphrase=None):
    """The key as PKCS#8 PEM, encrypted with ``passphrase`` when one is given."""
    encryption = (serialization.BestAvailableEncryption(passphrase.encode('utf-8')) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def write_private_key_file(path, key, passphrase=None):
    """Write the key as PKCS#8 PEM (encrypted with ``passphrase`` if given), readable by the owner only (mode 0600
    from creation, atomic replace)."""
    _files.write_private_file(path, private_key_pem(key, passphrase))
