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
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_key as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts
from ansible_collections.pingone.oidc.tests.unit.unsafe_paths import OTHER_UID, needs_root, no_hang


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


def put_keys(simulator, env, keys):
    """Register ``keys`` straight through the API, as another tool would (no checks of this collection)."""
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret))
    service = ApplicationsService(client, env)
    stored = service.require(name='Key App')
    body = {key: value for key, value in stored.items() if key not in ('id', 'createdAt', 'updatedAt', 'environment', '_links')}
    service.update(stored['id'], dict(body, jwks=json.dumps({'keys': keys})))


def test_add_pem_key_idempotently_and_switch_auth_method(simulator, app, run_module):
    env, dummy = app
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    first, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True, diff=True)
    assert not failed and first['changed'] is True
    assert first['msg'] == ("Added key '%s' to application 'Key App'; set application 'Key App' to authenticate with "
                            "PRIVATE_KEY_JWT" % first['kid'])
    assert first['kid'] == _jwk.thumbprint(first['jwk']) == first['thumbprint']
    assert first['jwk']['alg'] == 'RS256' and first['jwk']['use'] == 'sig'
    assert first['kids'] == [first['kid']] and first['token_endpoint_auth_method'] == 'PRIVATE_KEY_JWT'
    assert first['diff'] == {'before': {'kids': [], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'},
                             'after': {'kids': [first['kid']], 'tokenEndpointAuthMethod': 'PRIVATE_KEY_JWT'}}
    stored = stored_app(run_module, simulator, env)
    assert stored['tokenEndpointAuthMethod'] == 'PRIVATE_KEY_JWT'
    assert json.loads(stored['jwks'])['keys'] == [first['jwk']]
    again, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True)
    assert not failed and again['changed'] is False
    assert again['msg'] == "Key '%s' of application 'Key App' is up to date" % first['kid']


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
    assert refused['msg'] == "Would remove key '%s' from application 'Key App'" % second['kid']
    retired, failed = run(run_module, simulator, env, kid=first['kid'], state='absent')
    assert not failed and retired['changed'] is True and retired['kids'] == [second['kid']]
    assert retired['msg'] == "Removed key '%s' from application 'Key App'" % first['kid']
    gone, failed = run(run_module, simulator, env, kid=first['kid'], state='absent')
    assert not failed and gone['changed'] is False
    assert gone['msg'] == "Key '%s' is not in application 'Key App'" % first['kid']
    last, failed = run(run_module, simulator, env, kid=second['kid'], state='absent')
    assert failed and 'without keys; add its replacement first' in last['msg']


def test_exclusive_replaces_every_other_key(simulator, app, run_module):
    env, dummy = app
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for dummy in range(3)]
    for key in keys[:2]:
        run(run_module, simulator, env, public_key=pem(key))
    only, failed = run(run_module, simulator, env, public_key=pem(keys[2]), exclusive=True)
    assert not failed and only['changed'] and only['kids'] == [only['kid']]
    assert only['msg'] == "Added key '%s' to application 'Key App'" % only['kid']


def test_exclusive_with_a_key_already_there_removes_the_others(simulator, app, run_module):
    env, dummy = app
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for dummy in range(2)]
    kept, dummy = run(run_module, simulator, env, public_key=pem(keys[0]))
    run(run_module, simulator, env, public_key=pem(keys[1]))
    planned, failed = run(run_module, simulator, env, public_key=pem(keys[0]), exclusive=True, check_mode=True)
    assert not failed and planned['changed'] is True and planned['kids'] == [kept['kid']]
    assert planned['msg'] == "Would remove the other keys of application 'Key App' (key '%s' is up to date)" % kept['kid']
    assert len(json.loads(stored_app(run_module, simulator, env)['jwks'])['keys']) == 2
    only, failed = run(run_module, simulator, env, public_key=pem(keys[0]), exclusive=True)
    assert not failed and only['changed'] is True and only['kids'] == [kept['kid']]
    assert only['msg'] == "Removed the other keys of application 'Key App' (key '%s' is up to date)" % kept['kid']
    again, failed = run(run_module, simulator, env, public_key=pem(keys[0]), exclusive=True)
    assert not failed and again['changed'] is False


def test_check_mode_add_says_would_and_changes_nothing(simulator, app, run_module):
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    planned, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True, check_mode=True, diff=True)
    assert not failed and planned['changed'] is True
    assert planned['msg'] == ("Would add key '%s' to application 'Key App'; would set application 'Key App' to authenticate "
                              "with PRIVATE_KEY_JWT" % planned['kid'])
    assert planned['diff']['after'] == {'kids': [planned['kid']], 'tokenEndpointAuthMethod': 'PRIVATE_KEY_JWT'}
    stored = stored_app(run_module, simulator, env)
    assert not stored.get('jwks') and stored['tokenEndpointAuthMethod'] == 'CLIENT_SECRET_BASIC'


def test_set_auth_method_alone_on_a_key_already_there(simulator, app, run_module):
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    first, dummy = run(run_module, simulator, env, public_key=pem(key))
    switched, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True)
    assert not failed and switched['changed'] is True and switched['token_endpoint_auth_method'] == 'PRIVATE_KEY_JWT'
    assert switched['msg'] == "Set application 'Key App' to authenticate with PRIVATE_KEY_JWT"
    assert first['kid'] == switched['kid']


def test_generate_writes_a_0600_key_once_and_reuses_it(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = str(tmp_path / 'client.pem')
    planned, failed = run(run_module, simulator, env, generate=True, private_key_path=path, key_type='EC', curve='P-384',
                          check_mode=True)
    assert not failed and planned['changed'] is True and not os.path.exists(path) and 'kid' not in planned
    assert planned['msg'] == "Would add key '(key to be generated)' to application 'Key App'"
    assert planned['kids'] == ['(key to be generated)'] and planned['private_key_written'] is False
    assert not os.listdir(tmp_path)
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=path, key_type='EC', curve='P-384')
    assert not failed and made['changed'] and made['private_key_written'] is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and os.listdir(tmp_path) == ['client.pem']
    assert made['msg'] == "Added key '%s' to application 'Key App'" % made['kid']
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
    assert failed and result['msg'] == ("Application 'Key App' does not exist in environment '%s'; create it first with "
                                        "pingone.oidc.pingone_application" % env)
    assert result['private_key_written'] is False
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, state='absent')
    assert failed and result['msg'] == 'state=absent needs kid, or the key (public_key or jwk) to compute it from'
    assert simulator.stats()['total'] == 0  # checked before any request


def test_private_key_path_directory_is_checked_before_any_request(simulator, app, run_module, tmp_path):
    env, dummy = app
    simulator.control('DELETE', 'stats')
    path = tmp_path / 'missing' / 'client.pem'
    for check_mode in (True, False):
        result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), check_mode=check_mode)
        assert failed and result['msg'] == 'private_key_path %s: its directory does not exist' % path
    assert simulator.stats()['total'] == 0


def test_a_written_private_key_is_reported_when_the_update_fails(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = tmp_path / 'client.pem'
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'method': 'PUT', 'path_regex': '/applications/'})
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path))
    assert failed and result['private_key_written'] is True and result['status_code'] == 400
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert 'PRIVATE KEY' not in json.dumps(result)
    simulator.control('DELETE', 'faults')
    again, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path))
    assert not failed and again['changed'] is True and again['private_key_written'] is False  # the key written before is used
    assert _jwk.same_material(again['jwk'], _jwk.public_jwk(_jwk.read_private_key_file(str(path)).public_key()))


def test_an_unreadable_private_key_file_names_the_option(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = tmp_path / 'client.pem'
    path.write_text('not a key')
    path.chmod(0o600)
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path))
    assert failed and result['msg'] == 'private_key_path %s is not a readable PEM private key (or the passphrase is wrong)' % path
    assert result['private_key_written'] is False and path.read_text() == 'not a key'


@pytest.mark.parametrize('file_mode', [0o640, 0o644, 0o604, 0o620, 0o660])
def test_a_private_key_file_other_users_can_read_or_write_is_refused(simulator, app, run_module, tmp_path, file_mode):
    """Its key may be known to others (or not be the one this user made): it is neither registered nor changed."""
    env, dummy = app
    path = tmp_path / 'client.pem'
    _jwk.write_private_key_file(str(path), _jwk.generate_private_key('EC'))
    path.chmod(file_mode)
    before = path.read_bytes()
    simulator.control('DELETE', 'stats')
    for check_mode in (True, False):
        result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), check_mode=check_mode)
        assert failed and result['msg'] == (
            'private_key_path %s has mode %04o: other users can read or write it, so the private key in it may be known to '
            'someone else; it is not used. If you trust the file, give it to the user the module runs as with mode 0600 '
            '(chown, chmod 600); else remove it to generate a new key' % (path, file_mode))
        assert result['private_key_written'] is False
    assert simulator.stats()['total'] == 0  # refused before any request
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == file_mode
    assert not stored_app(run_module, simulator, env).get('jwks')


def test_missing_cryptography_gives_ansibles_message(simulator, run_module, monkeypatch):
    monkeypatch.setattr(_jwk, 'HAS_CRYPTOGRAPHY', False)
    monkeypatch.setattr(_jwk, 'CRYPTOGRAPHY_IMPORT_ERROR', 'Traceback: No module named cryptography')
    env = simulator.new_environment('no lib')
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, kid='k', state='absent')
    assert failed and result['msg'].startswith('Failed to import the required Python library (cryptography)')
    assert simulator.stats()['total'] == 0


# -- key files: planted, shared, FIFOs --------------------------------------------------------------------------------

def refused_before_any_request(run_module, simulator, env, path, wanted, **args):
    simulator.control('DELETE', 'stats')
    for check_mode in (True, False):
        with no_hang():
            result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), check_mode=check_mode,
                                 **args)
        assert failed and result['msg'] == wanted
        assert result['private_key_written'] is False
    assert simulator.stats()['total'] == 0
    assert not stored_app(run_module, simulator, env).get('jwks')


@needs_root
@pytest.mark.parametrize('where', ['sticky', 'private'])
def test_a_key_file_planted_by_another_user_is_not_adopted(simulator, app, run_module, tmp_path, sticky, where):
    """Adopting it would register a key whose private half someone else holds."""
    env, dummy = app
    path = (sticky if where == 'sticky' else tmp_path) / 'client.pem'
    _jwk.write_private_key_file(str(path), _jwk.generate_private_key('EC'))
    os.chown(str(path), OTHER_UID, OTHER_UID)
    before = path.read_bytes()
    if where == 'sticky':
        wanted = ('private_key_path %s belongs to another user (uid 65534) and is in %s, a directory other users can write to; '
                  'it is neither used nor replaced: remove it or give another path' % (path, sticky))
    else:
        wanted = ('private_key_path %s belongs to another user (uid 65534), so the private key in it may be known to someone '
                  'else; it is not used. If you trust the file, give it to the user the module runs as with mode 0600 (chown, '
                  'chmod 600); else remove it to generate a new key' % path)
    refused_before_any_request(run_module, simulator, env, path, wanted)
    assert path.read_bytes() == before and path.stat().st_uid == OTHER_UID


@needs_root
def test_a_link_planted_by_another_user_is_not_followed(simulator, app, run_module, sticky, tmp_path):
    env, dummy = app
    victim = tmp_path / 'victim.pem'
    _jwk.write_private_key_file(str(victim), _jwk.generate_private_key('EC'))
    link = sticky / 'client.pem'
    link.symlink_to(victim)
    os.lchown(str(link), OTHER_UID, OTHER_UID)
    refused_before_any_request(run_module, simulator, env, link,
                               'private_key_path %s is a symbolic link owned by another user (uid 65534); it is not followed' % link)


def test_a_dangling_link_in_a_sticky_directory_is_not_followed(simulator, app, run_module, sticky, tmp_path):
    """Else the new private key would be written wherever the link points."""
    env, dummy = app
    link = sticky / 'client.pem'
    link.symlink_to(tmp_path / 'elsewhere.pem')
    refused_before_any_request(run_module, simulator, env, link,
                               'private_key_path %s is a symbolic link in %s, a directory other users can write to; it is not '
                               'followed: give the path of the file itself' % (link, sticky))
    assert not (tmp_path / 'elsewhere.pem').exists()


def test_an_own_link_in_a_private_directory_is_followed(simulator, app, run_module, tmp_path):
    env, dummy = app
    keys = tmp_path / 'keys'
    keys.mkdir()
    link = tmp_path / 'client.pem'
    link.symlink_to(keys / 'client.pem')
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=str(link))
    assert not failed and made['private_key_written'] is True
    assert link.is_symlink() and os.listdir(keys) == ['client.pem']
    assert stat.S_IMODE((keys / 'client.pem').stat().st_mode) == 0o600
    again, failed = run(run_module, simulator, env, generate=True, private_key_path=str(link))
    assert not failed and again['changed'] is False and again['kid'] == made['kid']


def test_a_fifo_as_private_key_path_fails_at_once(simulator, app, run_module, tmp_path):
    env, dummy = app
    fifo = tmp_path / 'client.pem'
    os.mkfifo(str(fifo))
    refused_before_any_request(run_module, simulator, env, fifo,
                               'private_key_path %s is not a regular file (a FIFO); give the path of a file' % fifo)


# -- encrypted key files: private_key_passphrase ----------------------------------------------------------------------

PASSPHRASE = 'unit-passphrase-3f9a61c0'


def encrypted_key_file(path, key, passphrase=PASSPHRASE):
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(passphrase.encode())))
    path.chmod(0o600)


def test_an_encrypted_key_file_is_read_with_private_key_passphrase(simulator, app, run_module, tmp_path):
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / 'client.pem'
    encrypted_key_file(path, key)
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path))
    assert failed and result['msg'] == 'private_key_path %s is encrypted; set private_key_passphrase' % path
    added, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), private_key_passphrase=PASSPHRASE)
    assert not failed and added['changed'] is True and added['private_key_written'] is False
    assert _jwk.same_material(added['jwk'], _jwk.public_jwk(key.public_key()))
    assert PASSPHRASE not in json.dumps(added)
    wrong, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), private_key_passphrase='not-the-passphrase-81d2')
    assert failed and wrong['msg'] == 'private_key_path %s is not a readable PEM private key (or the passphrase is wrong)' % path


def test_a_passphrase_for_a_key_that_is_not_encrypted_is_an_error(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = tmp_path / 'client.pem'
    _jwk.write_private_key_file(str(path), _jwk.generate_private_key('EC'))
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), private_key_passphrase=PASSPHRASE)
    assert failed and result['msg'] == ('private_key_path %s is not encrypted, but private_key_passphrase is set; remove '
                                        'private_key_passphrase (or encrypt the file)' % path)
    assert PASSPHRASE not in json.dumps(result)


def test_generate_with_a_passphrase_writes_an_encrypted_0600_key(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = tmp_path / 'client.pem'
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), private_key_passphrase=PASSPHRASE)
    assert not failed and made['private_key_written'] is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and b'ENCRYPTED PRIVATE KEY' in path.read_bytes()
    with pytest.raises(_jwk.EncryptedKeyError):
        _jwk.read_private_key_file(str(path))
    assert _jwk.same_material(made['jwk'], _jwk.public_jwk(_jwk.read_private_key_file(str(path), PASSPHRASE).public_key()))
    again, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), private_key_passphrase=PASSPHRASE)
    assert not failed and again['changed'] is False and again['kid'] == made['kid']


def test_private_key_passphrase_needs_private_key_path(simulator, app, run_module):
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    result, failed = run(run_module, simulator, env, public_key=pem(key), private_key_passphrase=PASSPHRASE)
    assert failed and 'private_key_passphrase' in result['msg'] and 'private_key_path' in result['msg']
    assert PASSPHRASE not in json.dumps(result)


# -- exactly one PEM block ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize('tail, wanted', [
    ('second', 'public_key holds 2 PEM blocks; give exactly one (one public key or one certificate, not a chain)'),
    ('garbage', 'public_key has text after its PEM block; give exactly one PEM block and nothing after it (one public key or '
                'one certificate, not a chain)'),
])
def test_a_public_key_with_a_second_block_or_trailing_text_is_refused(simulator, app, run_module, tail, wanted):
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    text = pem(key) + (pem(ec.generate_private_key(ec.SECP256R1())) if tail == 'second' else 'trailing garbage\n')
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, public_key=text)
    assert failed and result['msg'] == wanted
    assert simulator.stats()['total'] == 0
    assert not stored_app(run_module, simulator, env).get('jwks')


@pytest.mark.parametrize('tail, wanted', [
    ('second', 'holds 2 PEM blocks; give exactly one'),
    ('garbage', 'has text after its PEM block; give exactly one PEM block and nothing after it'),
])
def test_a_private_key_file_with_a_second_block_or_trailing_text_is_refused(simulator, app, run_module, tmp_path, tail, wanted):
    env, dummy = app
    keys = [ec.generate_private_key(ec.SECP256R1()) for dummy in range(2)]
    blocks = [key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
              for key in keys]
    path = tmp_path / 'client.pem'
    path.write_bytes(blocks[0] + (blocks[1] if tail == 'second' else b'trailing garbage\n'))
    path.chmod(0o600)
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path))
    assert failed and result['msg'] == 'private_key_path %s %s' % (path, wanted)
    assert 'PRIVATE KEY' not in json.dumps(result)
    assert not stored_app(run_module, simulator, env).get('jwks')


# -- a lost reply ------------------------------------------------------------------------------------------------------

def test_a_lost_reply_to_the_update_is_recovered_by_reading_the_key_set(simulator, app, run_module, tmp_path):
    env, dummy = app
    path = tmp_path / 'client.pem'
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'PUT', 'path_regex': '/applications/'})
    simulator.control('DELETE', 'stats')
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), set_auth_method=True)
    assert not failed, made['msg']
    assert made['changed'] is True and made['private_key_written'] is True
    assert simulator.stats()['by_route']['PUT /v1/environments/{envId}/applications/{appId}'] == 1  # not sent again
    stored = stored_app(run_module, simulator, env)
    assert json.loads(stored['jwks'])['keys'] == [made['jwk']] and stored['tokenEndpointAuthMethod'] == 'PRIVATE_KEY_JWT'
    again, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), set_auth_method=True)
    assert not failed and again['changed'] is False


# -- keys are recognised by their material, not only by kid ----------------------------------------------------------

def registered_keys(run_module, simulator, env):
    return json.loads(stored_app(run_module, simulator, env).get('jwks') or '{"keys": []}')['keys']


def test_a_key_registered_under_another_kid_is_kept_with_its_kid_and_alg(simulator, app, run_module):
    """Giving the same public key again (as PEM, without kid) neither adds it a second time nor changes its kid or alg."""
    env, dummy = app
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    partner, failed = run(run_module, simulator, env, jwk=dict(_jwk.public_jwk(key.public_key()), kid='partner-2026'), alg='PS256')
    assert not failed and partner['kid'] == 'partner-2026' and partner['jwk']['alg'] == 'PS256'
    for check_mode in (True, False):
        again, failed = run(run_module, simulator, env, public_key=pem(key), check_mode=check_mode, diff=True)
        assert not failed, again['msg']
        assert again['changed'] is False and again['kid'] == 'partner-2026' and again['kids'] == ['partner-2026']
        assert again['msg'] == "Key 'partner-2026' of application 'Key App' is up to date"
        assert again['jwk']['kid'] == 'partner-2026' and again['jwk']['alg'] == 'PS256'
        assert again['thumbprint'] == _jwk.thumbprint(again['jwk']) != 'partner-2026'
        assert again['diff']['before'] == again['diff']['after']
    assert [stored['kid'] for stored in registered_keys(run_module, simulator, env)] == ['partner-2026']
    switched, failed = run(run_module, simulator, env, public_key=pem(key), set_auth_method=True)
    assert not failed and switched['msg'] == "Set application 'Key App' to authenticate with PRIVATE_KEY_JWT"
    assert [stored['kid'] for stored in registered_keys(run_module, simulator, env)] == ['partner-2026']
    rsa_alg, failed = run(run_module, simulator, env, public_key=pem(key), alg='RS256')  # alg given: the key is updated
    assert not failed and rsa_alg['changed'] is True and rsa_alg['jwk']['alg'] == 'RS256'
    assert rsa_alg['msg'] == "Replaced key 'partner-2026' of application 'Key App'"
    assert [(stored['kid'], stored['alg']) for stored in registered_keys(run_module, simulator, env)] == [('partner-2026', 'RS256')]


@pytest.mark.parametrize('how', ['kid', 'jwk kid'])
def test_a_different_kid_for_a_key_already_registered_fails_naming_both(simulator, app, run_module, how):
    """Renaming would break the clients that send the registered kid: refused, in check mode too, before any write."""
    env, dummy = app
    key = ec.generate_private_key(ec.SECP256R1())
    first, dummy = run(run_module, simulator, env, public_key=pem(key))
    given = dict(public_key=pem(key), kid='renamed') if how == 'kid' else dict(jwk=dict(first['jwk'], kid='renamed'))
    for check_mode in (True, False):
        result, failed = run(run_module, simulator, env, check_mode=check_mode, **given)
        assert failed and result['msg'] == (
            "%s 'renamed': application 'Key App' already has this key as kid '%s'; keys are not renamed (clients send the kid): "
            "leave kid out or give kid '%s' to keep it, or remove it first with state=absent and kid '%s'"
            % (how, first['kid'], first['kid'], first['kid']))
        assert result['private_key_written'] is False
    assert [stored['kid'] for stored in registered_keys(run_module, simulator, env)] == [first['kid']]


def test_absent_given_the_key_removes_it_whatever_its_kid(simulator, app, run_module):
    env, dummy = app
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    run(run_module, simulator, env, jwk=dict(_jwk.public_jwk(key.public_key()), kid='partner-2026'))
    kept, dummy = run(run_module, simulator, env, public_key=pem(other))
    planned, failed = run(run_module, simulator, env, public_key=pem(key), state='absent', check_mode=True)
    assert not failed and planned['changed'] is True and planned['kid'] == 'partner-2026' and planned['kids'] == [kept['kid']]
    assert planned['msg'] == "Would remove key 'partner-2026' from application 'Key App'"
    assert len(registered_keys(run_module, simulator, env)) == 2
    removed, failed = run(run_module, simulator, env, public_key=pem(key), state='absent')
    assert not failed and removed['changed'] is True and removed['kids'] == [kept['kid']]
    assert removed['msg'] == "Removed key 'partner-2026' from application 'Key App'"
    assert [stored['kid'] for stored in registered_keys(run_module, simulator, env)] == [kept['kid']]
    gone, failed = run(run_module, simulator, env, public_key=pem(key), state='absent')
    thumbprint = _jwk.thumbprint(_jwk.public_jwk(key.public_key()))
    assert not failed and gone['changed'] is False and gone['msg'] == "Key '%s' is not in application 'Key App'" % thumbprint


def test_absent_with_the_key_and_the_kid_of_another_key_fails(simulator, app, run_module):
    env, dummy = app
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    run(run_module, simulator, env, public_key=pem(key))
    run(run_module, simulator, env, jwk=dict(_jwk.public_jwk(other.public_key()), kid='other'))
    for check_mode in (True, False):
        result, failed = run(run_module, simulator, env, public_key=pem(key), kid='other', state='absent', check_mode=check_mode)
        assert failed and result['msg'] == ("kid 'other' of application 'Key App' is another key than the one given; give only kid "
                                            "to remove that key, or only the key to remove it whatever its kid")
    assert len(registered_keys(run_module, simulator, env)) == 2


def test_a_key_registered_twice_is_kept_with_a_warning_and_removed_entirely(simulator, app, run_module):
    env, dummy = app
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = dict(_jwk.public_jwk(key.public_key()), use='sig', alg='RS256')
    put_keys(simulator, env, [dict(public, kid='a'), dict(public, kid='b')])
    again, failed = run(run_module, simulator, env, public_key=pem(key))
    assert not failed and again['changed'] is False and again['kid'] == 'a'
    assert warning_texts(again) == ["Application 'Key App' has key 'a' also as key 'b' (the same public key); remove the copies "
                                    "you do not need with state=absent and their kid"]
    removed, failed = run(run_module, simulator, env, public_key=pem(key), state='absent')
    assert not failed and removed['msg'] == "Removed keys 'a', 'b' from application 'Key App'" and removed['kids'] == []
    assert registered_keys(run_module, simulator, env) == []


# -- check mode predicts the real run ---------------------------------------------------------------------------------

WEAK_JWK = dict(_jwk.public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()), kid='weak',
                use='sig', alg='RS256')
WEAK_KEY_REFUSAL = ("Invalid settings for application 'Key App': jwks key weak RSA key of 1024 bits is too weak; use at least "
                    "2048 bits")


@pytest.mark.parametrize('check_mode', [True, False])
def test_settings_the_real_run_refuses_are_refused_in_check_mode_too(simulator, app, run_module, tmp_path, check_mode):
    """The application's settings with the change are checked before anything is written, in check mode as well."""
    env, dummy = app
    put_keys(simulator, env, [WEAK_JWK])  # registered by another tool, which let a weak key through
    key = ec.generate_private_key(ec.SECP256R1())
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, public_key=pem(key), check_mode=check_mode)
    assert failed and result['msg'] == WEAK_KEY_REFUSAL
    path = tmp_path / 'client.pem'
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), check_mode=check_mode)
    assert failed and result['msg'] == WEAK_KEY_REFUSAL
    assert result['private_key_written'] is False and not path.exists()  # nothing written before the check
    assert not [route for route in simulator.stats()['by_route'] if route.startswith('PUT ')]
    assert registered_keys(run_module, simulator, env) == [WEAK_JWK]


@pytest.mark.parametrize('check_mode', [True, False])
def test_a_key_to_be_generated_is_checked_in_check_mode_as_in_the_real_run(simulator, app, run_module, tmp_path, check_mode):
    env, dummy = app
    path = tmp_path / 'client.pem'
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), key_type='EC', alg='RS256',
                         check_mode=check_mode)
    assert failed and result['msg'] == 'generated key alg RS256 does not fit an EC P-256 key; use ES256'
    assert not path.exists()
    run(run_module, simulator, env, public_key=pem(ec.generate_private_key(ec.SECP256R1())))
    made, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), exclusive=True, set_auth_method=True,
                       check_mode=check_mode)
    assert not failed and made['changed'] is True
    assert made['kids'] == (['(key to be generated)'] if check_mode else [made['kid']])
    assert made['token_endpoint_auth_method'] == 'PRIVATE_KEY_JWT'
    assert ('jwk' in made and 'thumbprint' in made) is not check_mode


@pytest.mark.parametrize('check_mode', [True, False])
def test_absent_with_generate_and_no_key_file_generates_nothing(simulator, app, run_module, tmp_path, check_mode):
    env, dummy = app
    kept, dummy = run(run_module, simulator, env, public_key=pem(ec.generate_private_key(ec.SECP256R1())))
    path = tmp_path / 'client.pem'
    result, failed = run(run_module, simulator, env, generate=True, private_key_path=str(path), state='absent', check_mode=check_mode)
    assert not failed, result['msg']
    assert result['changed'] is False and result['kids'] == [kept['kid']] and result['private_key_written'] is False
    assert result['msg'] == "No key file at private_key_path %s, so its key is not in application 'Key App'" % path
    assert not path.exists()
