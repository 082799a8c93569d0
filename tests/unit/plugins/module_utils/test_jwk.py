# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Key conversion, thumbprints and rejection rules."""

from __future__ import annotations

import datetime
import os
import signal
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from ansible_collections.pingone.oidc.plugins.module_utils import _files, _jwk

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


def test_same_material_ignores_kid_alg_use_and_certificate():
    """pingone_app_key recognises a registered key by this: whatever its kid, alg, use or x5c."""
    registered = dict(RFC7638_KEY, kid='partner-2026', alg='PS256', use='sig', x5c=['MIIB'])
    assert _jwk.same_material(registered, {'kty': 'RSA', 'e': 'AQAB', 'n': RFC7638_KEY['n']})
    assert not _jwk.same_material(registered, dict(RFC7638_KEY, e='AQAC'))
    ec_key = _jwk.public_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    assert not _jwk.same_material(registered, ec_key)


@pytest.mark.parametrize('unreadable', [{}, {'kty': 'oct', 'k': 'c2VjcmV0'}, {'kty': 'RSA', 'e': 'AQAB'}, {'kty': 'EC', 'crv': 'P-256'},
                                        {'kty': 'OKP', 'crv': 'Ed25519', 'x': 'AAAA'}])
def test_same_material_of_an_unreadable_registered_key_is_false_not_an_error(unreadable):
    """A key set may hold keys this collection cannot read (written by other tools): they match nothing."""
    assert _jwk.same_material(unreadable, RFC7638_KEY) is False
    assert _jwk.same_material(RFC7638_KEY, unreadable) is False


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


def test_private_key_files_use_the_shared_private_file_writer(tmp_path, monkeypatch):
    """Replacing a key file is atomic and leaves mode 0600; a failed write leaves the old file and no temporary file."""
    path = tmp_path / 'client.pem'
    path.write_text('old key')
    path.chmod(0o644)
    key = _jwk.generate_private_key('EC', curve='P-256')
    _jwk.write_private_key_file(str(path), key)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert _jwk.public_jwk(_jwk.read_private_key_file(str(path)).public_key()) == _jwk.public_jwk(key.public_key())

    def broken_replace(source, destination):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(_files.os, 'replace', broken_replace)
    with pytest.raises(OSError, match='No space left'):
        _jwk.write_private_key_file(str(path), _jwk.generate_private_key('EC', curve='P-256'))
    assert os.listdir(tmp_path) == ['client.pem']
    assert _jwk.public_jwk(_jwk.read_private_key_file(str(path)).public_key()) == _jwk.public_jwk(key.public_key())


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


# -- exactly one PEM block ------------------------------------------------------------------------------------------

def pem_private(key, passphrase=None):
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.mark.parametrize('build, message', [
    (lambda one, two: one + two, 'public_key holds 2 PEM blocks; give exactly one (one public key or one certificate, not a chain)'),
    (lambda one, two: one + 'garbage\n', 'public_key has text after its PEM block; give exactly one PEM block and nothing after it'),
    (lambda one, two: one + one + one, 'public_key holds 3 PEM blocks'),
    (lambda one, two: one + '-----BEGIN PUBLIC KEY-----\nAAAA', 'public_key holds 2 PEM blocks'),
])
def test_a_public_key_with_a_second_block_or_trailing_text_is_refused(build, message):
    """cryptography reads the first block and ignores the rest: the rest would be silently dropped."""
    one, two = (pem_public(ec.generate_private_key(ec.SECP256R1())) for dummy in range(2))
    with pytest.raises(_jwk.JwkError) as info:
        _jwk.jwk_from_pem(build(one, two))
    assert ('public_key %s' % info.value).startswith(message)


def test_a_certificate_chain_is_refused():
    leaf, issuer = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for dummy in range(2))
    with pytest.raises(_jwk.JwkError, match='holds 2 PEM blocks; give exactly one'):
        _jwk.jwk_from_pem(pem_certificate(leaf) + pem_certificate(issuer))


def test_blank_lines_and_a_preamble_are_allowed():
    key = ec.generate_private_key(ec.SECP256R1())
    wanted = _jwk.public_jwk(key.public_key())
    assert _jwk.jwk_from_pem('\n' + pem_public(key) + '\n\n  \n') == wanted
    assert _jwk.jwk_from_pem('subject=CN = client\n' + pem_public(key)) == wanted
    private = pem_private(key)
    assert _jwk.public_jwk(_jwk.load_private_key(b'Bag Attributes\n' + private + b'\n\n').public_key()) == wanted


@pytest.mark.parametrize('build, message', [
    (lambda one, two: one + two, 'holds 2 PEM blocks; give exactly one'),
    (lambda one, two: one + b'trailing garbage', 'has text after its PEM block'),
])
def test_a_private_key_with_a_second_block_or_trailing_text_is_refused(tmp_path, build, message):
    one, two = (pem_private(ec.generate_private_key(ec.SECP256R1())) for dummy in range(2))
    with pytest.raises(_jwk.JwkError, match=message) as info:
        _jwk.load_private_key(build(one, two))
    path = tmp_path / 'key.pem'
    path.write_bytes(build(one, two))
    with pytest.raises(_jwk.JwkError, match=message):
        _jwk.read_private_key_file(str(path))
    for line in one.decode().splitlines()[1:-1]:
        assert line not in str(info.value)


def test_encrypted_keys_and_passphrases(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(_jwk.EncryptedKeyError, match='is encrypted; give its passphrase'):
        _jwk.load_private_key(pem_private(key, b'pass'))
    with pytest.raises(_jwk.NotEncryptedKeyError, match='is not encrypted, but a passphrase was given'):
        _jwk.load_private_key(pem_private(key), 'pass')
    with pytest.raises(_jwk.JwkError, match='or the passphrase is wrong'):
        _jwk.load_private_key(pem_private(key, b'pass'), 'wrong')
    path = str(tmp_path / 'enc.pem')
    _jwk.write_private_key_file(path, key, 'pass')
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(_jwk.EncryptedKeyError):
        _jwk.read_private_key_file(path)
    assert _jwk.public_jwk(_jwk.read_private_key_file(path, 'pass').public_key()) == _jwk.public_jwk(key.public_key())


def test_a_key_file_that_is_a_fifo_or_too_large_fails_at_once(tmp_path):
    fifo = tmp_path / 'fifo'
    os.mkfifo(str(fifo))

    def alarm(signum, frame):
        raise AssertionError('reading a FIFO blocked')

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(5)
    try:
        with pytest.raises(_jwk.JwkError, match=r'is not a regular file \(a FIFO\)'):
            _jwk.read_private_key_file(str(fifo))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    large = tmp_path / 'large.pem'
    large.write_bytes(b'x' * (_jwk.MAX_KEY_FILE_SIZE + 10))
    with pytest.raises(_jwk.JwkError, match='is larger than'):
        _jwk.read_private_key_file(str(large))
