# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Key conversion, thumbprints and rejection rules."""

from __future__ import annotations

import datetime
import os
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from ansible_collections.pingone.oidc.plugins.module_utils import _jwk

# RFC 7638 section 3.1: this key's SHA-256 thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
RFC7638_KEY = {
    'kty': 'RSA', 'alg': 'RS256', 'kid': '2011-04-29', 'e': 'AQAB',
    'n': '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs'
         'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1'
         'n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
}


def pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def pem_certificate(key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'client')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_rfc7638_example_thumbprint():
    assert _jwk.thumbprint(RFC7638_KEY) == 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
    # members outside the required ones do not change it
    assert _jwk.thumbprint(dict(RFC7638_KEY, kid='other', use='sig')) == 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'


@pytest.mark.parametrize('size', [2048, 3072, 4096])
def test_rsa_pem_and_certificate_give_the_same_public_key(size):
    key = rsa.generate_private_key(public_exponent=65537, key_size=size)
    from_pem = _jwk.jwk_from_pem(pem_public(key))
    from_cert = _jwk.jwk_from_pem(pem_certificate(key))
    numbers = key.public_key().public_numbers()
    assert from_pem == {'kty': 'RSA', 'n': _jwk._uint(numbers.n), 'e': 'AQAB'}
    assert _jwk.same_material(from_pem, from_cert) and from_cert['x5c'] and from_cert['x5t#S256']
    _jwk.check_public_jwk(from_pem)
    assert _jwk.default_alg(from_pem) == 'RS256'


@pytest.mark.parametrize('curve, name, alg, size', [
    (ec.SECP256R1, 'P-256', 'ES256', 32), (ec.SECP384R1, 'P-384', 'ES384', 48), (ec.SECP521R1, 'P-521', 'ES512', 66)])
def test_ec_keys_in_all_supported_curves(curve, name, alg, size):
    key = ec.generate_private_key(curve())
    jwk = _jwk.jwk_from_pem(pem_public(key))
    assert jwk['kty'] == 'EC' and jwk['crv'] == name
    assert len(_jwk.b64url_decode(jwk['x'])) == size == len(_jwk.b64url_decode(jwk['y']))
    _jwk.check_public_jwk(jwk)
    assert _jwk.default_alg(jwk) == alg
    assert _jwk.same_material(jwk, _jwk.jwk_from_pem(pem_certificate(key)))


def test_generated_keys_round_trip_through_a_0600_file(tmp_path):
    for key_type, size, curve in (('RSA', 3072, None), ('EC', None, 'P-384')):
        key = _jwk.generate_private_key(key_type, size or 2048, curve or 'P-256')
        path = str(tmp_path / ('%s.pem' % key_type))
        _jwk.write_private_key_file(path, key)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        again = _jwk.read_private_key_file(path)
        assert _jwk.public_jwk(again.public_key()) == _jwk.public_jwk(key.public_key())
    assert sorted(os.listdir(tmp_path)) == ['EC.pem', 'RSA.pem']  # no temp file left behind


@pytest.mark.parametrize('jwk, message', [
    (dict(RFC7638_KEY, d='secret-exponent', p='x'), 'holds private key members (d, p)'),
    ({'kty': 'oct', 'k': 'c2VjcmV0'}, 'holds private key members (k)'),
    ({'kty': 'oct'}, 'symmetric key'),
    ({'kty': 'OKP', 'crv': 'Ed25519', 'x': 'abc'}, "kty 'OKP'"),
    ({'kty': 'RSA', 'e': 'AQAB'}, 'RSA key has no "n"'),
    ({'kty': 'EC', 'crv': 'P-192', 'x': 'a', 'y': 'b'}, "EC curve 'P-192' is not supported"),
    ({'kty': 'EC', 'crv': 'P-256', 'x': 'AAAA', 'y': 'AAAA'}, 'does not fit curve P-256'),
    (dict(RFC7638_KEY, use='enc'), "use 'enc'"),
    (dict(RFC7638_KEY, alg='ES256'), 'alg ES256 does not fit an RSA key'),
    ('not a dict', 'must be a JSON object'),
])
def test_unusable_jwks_are_rejected_without_key_material(jwk, message):
    with pytest.raises(_jwk.JwkError) as info:
        _jwk.check_public_jwk(jwk)
    assert message in str(info.value)
    assert 'secret-exponent' not in str(info.value)


def test_weak_rsa_key_is_rejected():
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(_jwk.JwkError, match='RSA key of 1024 bits is too weak; use at least 2048 bits'):
        _jwk.check_public_jwk(_jwk.jwk_from_pem(pem_public(weak)))


def test_private_and_unsupported_pem_are_rejected():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    with pytest.raises(_jwk.JwkError, match='holds a private key') as info:
        _jwk.jwk_from_pem(private_pem)
    assert private_pem.splitlines()[1] not in str(info.value)
    with pytest.raises(_jwk.JwkError, match='neither a PEM public key nor a PEM certificate'):
        _jwk.jwk_from_pem('hello')
    with pytest.raises(_jwk.JwkError, match='only RSA and EC keys'):
        _jwk.jwk_from_pem(pem_public(ed25519.Ed25519PrivateKey.generate()))


def test_unreadable_or_encrypted_private_key_files(tmp_path):
    with pytest.raises(_jwk.JwkError, match='cannot be read'):
        _jwk.read_private_key_file(str(tmp_path / 'missing.pem'))
    key = ec.generate_private_key(ec.SECP256R1())
    encrypted = tmp_path / 'enc.pem'
    encrypted.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b'pass')))
    with pytest.raises(_jwk.JwkError, match='is encrypted'):
        _jwk.read_private_key_file(str(encrypted))
    assert _jwk.read_private_key_file(str(encrypted), 'pass').public_key().public_numbers() == key.public_key().public_numbers()


def test_unsupported_generation_parameters():
    with pytest.raises(_jwk.JwkError, match='RSA key size 1024 is not supported'):
        _jwk.generate_private_key('RSA', 1024)
    with pytest.raises(_jwk.JwkError, match="EC curve 'P-192'"):
        _jwk.generate_private_key('EC', curve='P-192')


def test_public_only_drops_anything_private():
    assert _jwk.public_only(dict(RFC7638_KEY, d='x', extra='y')) == RFC7638_KEY
