# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""JOSE facts shared by the key handling and the application model."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _jose
from ansible_collections.pingone.oidc.tests.unit.child import top_level_imports


def test_private_members_are_those_of_rfc_7518():
    assert set(_jose.PRIVATE_MEMBERS) == {'d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'}


def test_private_members_of_a_jwk_are_sorted():
    assert _jose.private_members({'kty': 'RSA', 'n': 'x', 'e': 'AQAB', 'q': '1', 'd': '2'}) == ['d', 'q']
    assert _jose.private_members({'kty': 'EC', 'crv': 'P-256', 'x': 'a', 'y': 'b'}) == []
    assert _jose.private_members({'kty': 'oct', 'k': 'secret'}) == ['k']


# RFC 7517 appendix A.1: an RSA key of 2048 bits and an EC P-256 key.
RSA_KEY = {'kty': 'RSA', 'kid': '2011-04-29', 'e': 'AQAB',
           'n': '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj'
                'hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6q'
                'MQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw'}
EC_KEY = {'kty': 'EC', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4', 'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM'}


def test_the_public_key_rules_need_no_key_library():
    """check_public_jwk lives here (pure base64) so that the application model can apply it without cryptography."""
    for jwk, alg in ((RSA_KEY, 'RS256'), (EC_KEY, 'ES256'), (dict(EC_KEY, alg='ES256', use='sig'), 'ES256')):
        _jose.check_public_jwk(jwk)
        assert _jose.default_alg(jwk) == alg
    weak = dict(RSA_KEY, n=_jose.b64url(((1 << 1023) | 1).to_bytes(128, 'big')))
    for jwk, message in ((weak, 'RSA key of 1024 bits is too weak; use at least 2048 bits'),
                         (dict(EC_KEY, crv='secp256k1'), "EC curve 'secp256k1' is not supported"),
                         (dict(EC_KEY, crv='P-521'), 'EC key member "x" does not fit curve P-521'),
                         (dict(RSA_KEY, use='enc'), "has use 'enc'"),
                         (dict(EC_KEY, alg='RS256'), 'alg RS256 does not fit an EC P-256 key; use ES256'),
                         (dict(RSA_KEY, x=1, n=7), 'a key member is not a base64url string')):
        with pytest.raises(_jose.JwkError) as info:
            _jose.check_public_jwk(jwk)
        assert message in str(info.value)
    assert _jose.b64url_decode(_jose.b64url(b'\x00\xff')) == b'\x00\xff'


def test_jose_imports_no_key_library():
    loaded = top_level_imports('ansible_collections.pingone.oidc.plugins.module_utils._jose')
    assert sorted(loaded & {'jwt', 'cryptography', 'ansible'}) == []
