# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_app_key's main() against the in-process simulator."""

from __future__ import annotations

import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.pingone.oidc.plugins.module_utils import _jwk
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_key as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info


def pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture
def app(simulator, run_module):
    env = simulator.new_environment('keys')
    result, failed = run_module(pingone_application, dict(simulator.module_auth(), environment_id=env, name='Key App',
                                                          type='WEB_APP', redirect_uris=['https://k.example.com/cb']))
    assert not failed
    return env, result['client_id']


def run(run_module, simulator, env, check_mode=False, diff=False, **args):
    return run_module(module, dict(simulator.module_auth(), environment_id=env, name='Key App', **args), check_mode, diff)


def stored_app(run_module, simulator, env):
    result, dummy = run_module(pingone_application_info, dict(simulator.module_auth(), environment_id=env, name='Key App'))
    return result['applications'][0]


def test_add_pem_key_idempotently_and_switch_auth_method(simulator, app, run_module):
    env, dummy = app
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    first, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True, diff=True)
    assert not failed and first['changed'] is True
    assert first['kid'] == _jwk.thumbprint(first['jwk']) == first['thumbprint']
    assert first['jwk']['alg'] == 'RS256' and first['jwk']['use'] == 'sig'
    assert first['kids'] == [first['kid']] and first['token_endpoint_auth_method'] == 'PRIVATE_KEY_JWT'
    assert first['diff'] == {'before': {'kids': [], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
                             'after': {'kids': [first['kid']], 'tokenEndpointAuthMethod': 'PRIVATE_KEY_JWT'}}
    stored = stored_app(run_module, simulator, env)
    assert stored['tokenEndpointAuthMethod'] == 'PRIVATE_KEY_JWT'
    assert json.loads(stored['jwks'])['keys'] == [first['jwk']]
    again, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True)
    assert not failed and again['changed'] is False and again['msg'].endswith('is up to date')


def test_rotation_add_second_then_retire_first(simulator, app, run_module):
    env, dummy = app
    old = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    new = ec.generate_private_key(ec.SECP256R1())
    first, dummy = run(run_module, simulator, env, public_key=pem(old), set_auth_method=True)
    second, failed = run(run_module, simulator, env, public_key=pem(new))
    assert not failed and second['changed'] and second['kids'] == [first['kid'], second['kid']]
    assert second['jwk']['alg'] == 'ES256'
    refused, failed = run(run_module, simulator, env, kid=second['kid'], state='absent', check_mode=True)
    assert not failed and refused['changed'] is True and refused['kids'] == [first['kid']]
    retired, failed = run(run_module, simulator, env, kid=first['kid'], state='absent')
    assert not failed and retired['changed'] is True and retired['kids'] == [second['kid']]
    gone, failed = run(run_module, simulator, env, kid=first['kid'], state='absent')
    assert not failed and gone['changed'] is False
    last, failed = run(run_module, simulator, env, kid=second['kid'], state='absent')
    assert failed and 'without keys; add its replacement first' in last['msg']


def test_exclusive_replaces_every_other_key(simulator, app, run_module):
    env, dummy = app
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for dummy in range(3)]
    for key in keys[:2]:
        run(run_module, simulator, env, public_key=pem(key))
    only, failed = run(run_module, simulator, env, public_key=pem(keys[2]), exclusive=True)
    assert not failed and only['changed'] and only['kids'] == [only['kid']]


def test_generate_writes_a_0600_key_once_and_reuses_it(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = str(tmp_path / 'client.pem')
    planned, failed = run(run_module, simulator, env, generate=True, private_key_path=path, key_type='EC', curve='P-384',
                          check_mode=True)
    assert not failed and planned['changed'] is True and not os.path.exists(path) and 'kid' not in planned
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=path, key_type='EC', curve='P-384')
    assert not failed and made['changed'] and made['private_key_written'] is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert made['jwk']['crv'] == 'P-384' and made['jwk']['alg'] == 'ES384'
    private = _jwk.read_private_key_file(path)
    assert _jwk.same_material(made['jwk'], _jwk.public_jwk(private.public_key()))
    text = json.dumps(made)
    assert 'PRIVATE KEY' not in text and '"d"' not in text
    again, failed = run(run_module, simulator, env, generate=True, private_key_path=path, key_type='EC', curve='P-384')
    assert not failed and again['changed'] is False and again['private_key_written'] is False and again['kid'] == made['kid']


def test_private_material_is_refused_and_never_echoed(simulator, app, run_module):
    env, dummy = app
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    result, failed = run(run_module, simulator, env, public_key=private_pem)
    assert failed and result['msg'] == 'public_key holds a private key; give the public key or the certificate (the private key stays with the client)'
    assert private_pem.splitlines()[2] not in json.dumps(result)
    jwk = dict(_jwk.public_jwk(key.public_key()), d='PRIVATE-EXPONENT-MATERIAL')
    result, failed = run(run_module, simulator, env, jwk=jwk)
    assert failed and 'holds private key members (d)' in result['msg']
    assert 'PRIVATE-EXPONENT-MATERIAL' not in json.dumps(result)


def test_weak_key_and_wrong_alg(simulator, app, run_module):
    env, dummy = app
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    result, failed = run(run_module, simulator, env, public_key=pem(weak))
    assert failed and result['msg'] == 'public_key RSA key of 1024 bits is too weak; use at least 2048 bits'
    strong = ec.generate_private_key(ec.SECP256R1())
    result, failed = run(run_module, simulator, env, public_key=pem(strong), alg='RS256')
    assert failed and 'alg RS256 does not fit an RSA key' not in result['msg'] and 'does not fit an EC P-256 key' in result['msg']


def test_jwks_url_application_is_refused(simulator, run_module):
    env = simulator.new_environment('url')
    run_module(pingone_application, dict(simulator.module_auth(), environment_id=env, name='Key App', type='WORKER',
                                         token_endpoint_auth_method='PRIVATE_KEY_JWT', jwks_url='https://keys.example.com/j'))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    result, failed = run(run_module, simulator, env, public_key=pem(key))
    assert failed and 'publishes its keys at jwks_url https://keys.example.com/j' in result['msg']


def test_missing_application_and_missing_kid(simulator, run_module):
    env = simulator.new_environment('none')
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    result, failed = run(run_module, simulator, env, public_key=pem(key))
    assert failed and "create it first with pingone.oidc.pingone_application" in result['msg']
    result, failed = run(run_module, simulator, env, state='absent')
    assert failed and 'state=absent needs kid' in result['msg']
