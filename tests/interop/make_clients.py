# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write oidc-provider client metadata for the five client authentication methods (and two clients that require a
signed request object), and the facts the interop playbook needs (client credentials, private key path).
Usage: make_clients.py <dir>"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url_uint(number, size):
    return base64.urlsafe_b64encode(number.to_bytes(size, 'big')).rstrip(b'=').decode()


def main(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    key_path = os.path.join(directory, 'client-key.pem')
    with open(os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    numbers = key.public_key().public_numbers()
    jwk = {'kty': 'EC', 'crv': 'P-256', 'x': b64url_uint(numbers.x, 32), 'y': b64url_uint(numbers.y, 32), 'use': 'sig', 'alg': 'ES256'}
    # registered under its RFC 7638 thumbprint, the kid pingone_app_key gives and the checks send by default
    canonical = json.dumps({member: jwk[member] for member in ('crv', 'kty', 'x', 'y')}, sort_keys=True, separators=(',', ':'))
    jwk['kid'] = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b'=').decode()
    metadata, facts = [], []
    for method in ('NONE', 'CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT'):
        client = {'client_id': 'interop-' + method.lower().replace('_', '-'), 'token_endpoint_auth_method': method.lower(),
                  'redirect_uris': ['https://app.example.com/cb'], 'response_types': ['code'],
                  'grant_types': ['authorization_code'] + ([] if method == 'NONE' else ['client_credentials'])}
        fact = {'method': method, 'client_id': client['client_id']}
        if method.startswith('CLIENT_SECRET'):
            client['client_secret'] = fact['client_secret'] = secrets.token_urlsafe(48)
        if method == 'PRIVATE_KEY_JWT':
            client['jwks'] = {'keys': [jwk]}
            client['token_endpoint_auth_signing_alg'] = 'ES256'
            fact['private_key_path'] = key_path
        metadata.append(client)
        facts.append(fact)
    # clients that refuse a pushed request without a signed request object (RFC 9101), one per kind of signing key
    jar_facts = []
    for fact in facts:
        if fact['method'] in ('CLIENT_SECRET_BASIC', 'PRIVATE_KEY_JWT'):
            client = dict(next(item for item in metadata if item['client_id'] == fact['client_id']),
                          client_id=fact['client_id'].replace('interop-', 'interop-jar-'), require_signed_request_object=True)
            metadata.append(client)
            jar_facts.append(dict(fact, client_id=client['client_id']))
    with open(os.path.join(directory, 'clients.json'), 'w', encoding='utf-8') as handle:
        json.dump(metadata, handle)
    with open(os.path.join(directory, 'facts.json'), 'w', encoding='utf-8') as handle:
        json.dump({'clients': facts, 'jar_clients': jar_facts}, handle)


if __name__ == '__main__':
    main(sys.argv[1])
