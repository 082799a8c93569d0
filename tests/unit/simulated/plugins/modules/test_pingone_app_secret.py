# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_app_secret's main() against the in-process simulator: read, store, rotate, revoke."""

from __future__ import annotations

import datetime
import errno
import json
import os
import socket
import stat
import subprocess
import threading
import time

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _client
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._time import rfc3339
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_secret as module
from ansible_collections.pingone.oidc.tests.unit.child import run_python
from ansible_collections.pingone.oidc.tests.unit.unsafe_paths import OTHER_UID, needs_root, no_hang

WORKER = {'name': 'Secret Worker', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True,
          'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}
DAY = 86400


@pytest.fixture
def client(simulator):
    return PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url,
                                      environment_id=simulator.environment_id, client_id=simulator.client_id,
                                      client_secret=simulator.client_secret))


@pytest.fixture
def app(simulator, client):
    """(environment id, application) of a fresh worker application."""
    env = simulator.new_environment('secrets')
    created = client.request('POST', 'environments/%s/applications' % env, 'Creating', json_body=WORKER, expected=(201,)).body
    return env, created


def secret_state(client, env, app_id):
    return client.request('GET', 'environments/%s/applications/%s/secret' % (env, app_id), 'Reading').body


def rotate_elsewhere(client, env, app_id, body=None):
    """Rotate the secret as another run would; returns the new secret."""
    return client.request('POST', 'environments/%s/applications/%s/secret' % (env, app_id), 'Rotating', json_body=body).body['secret']


def after_each_write(monkeypatch, action):
    """Call ``action()`` each time the module has written dest (what another run does in between)."""
    real_write = module.SecretFile.write

    def write_then_act(self, secret):
        real_write(self, secret)
        action()

    monkeypatch.setattr(module.SecretFile, 'write', write_then_act)


def run(run_module, simulator, env, check_mode=False, diff=False, **args):
    return run_module(module, dict(simulator.module_auth(), environment_id=env, **args), check_mode, diff)


def writes(simulator):
    """POST/DELETE requests on secrets since the last call; resets the counters."""
    routes = simulator.stats()['by_route']
    simulator.control('DELETE', 'stats')
    return {route: count for route, count in routes.items()
            if route.split()[0] in ('POST', 'DELETE') and route.endswith('/secret')}


def assert_no_secret_outside(result, *secrets):
    """No secret value anywhere in the result except its ``secret`` member."""
    text = json.dumps({key: value for key, value in result.items() if key != 'secret'})
    for value in secrets:
        assert value and value not in text


def test_read_returns_the_current_secret(simulator, client, app, run_module):
    env, created = app
    current = secret_state(client, env, created['id'])['secret']
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='secret worker', diff=True)
    assert not failed and result['changed'] is False
    assert result['secret'] == current
    assert result['rotated'] is False and result['previous_expires_at'] is None
    assert result['client_id'] == result['application_id'] == created['id']
    assert result['msg'] == "Read the secret of application 'Secret Worker' (%s)" % created['id']
    assert 'dest' not in result
    assert_no_secret_outside(result, current, simulator.client_secret)
    assert not writes(simulator)


def test_dest_gets_mode_0600_and_the_secret_is_not_returned(simulator, client, app, run_module, tmp_path):
    env, created = app
    current = secret_state(client, env, created['id'])['secret']
    dest = tmp_path / 'secret'
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), diff=True)
    assert not failed and result['changed'] is True
    assert result['msg'] == "Wrote the secret of application 'Secret Worker' (%s) to %s" % (created['id'], dest)
    assert dest.read_text() == current
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert 'secret' not in result and result['dest'] == str(dest)
    assert result['diff'] == {'before': {'secret': '(current)', 'previous_expires_at': None, 'dest': 'absent'},
                              'after': {'secret': '(current)', 'previous_expires_at': None, 'dest': 'current'}}
    assert current not in json.dumps(result)
    assert not [name for name in os.listdir(tmp_path) if name != 'secret']  # no temporary file left

    again, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert not failed and again['changed'] is False
    assert 'is up to date' in again['msg'] and current not in json.dumps(again)

    dest.chmod(0o644)
    mtime = dest.stat().st_mtime
    fixed, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert not failed and fixed['changed'] is True and fixed['msg'] == 'Set the mode of %s to 0600' % dest
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600 and dest.stat().st_mtime == mtime

    dest.write_text('stale value\n')
    rewritten, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert not failed and rewritten['changed'] is True and dest.read_text() == current


def test_dest_directory_must_exist(simulator, app, run_module, tmp_path):
    env, created = app
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(tmp_path / 'nope' / 'secret'))
    missing = tmp_path / 'nope'
    assert failed and result['msg'] == 'The directory of dest %s does not exist: %s' % (missing / 'secret', missing)
    assert simulator.stats()['total'] == 0  # checked before any request


def test_dest_must_not_be_a_directory(simulator, app, run_module, tmp_path):
    env, created = app
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(tmp_path))
    assert failed and result['msg'] == 'dest %s is a directory; give the path of a file' % tmp_path
    assert simulator.stats()['total'] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason='root may write anywhere')
def test_dest_directory_must_be_writable(simulator, app, run_module, tmp_path):
    env, created = app
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    simulator.control('DELETE', 'stats')
    try:
        result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(locked / 'secret'))
    finally:
        locked.chmod(0o700)
    assert failed and result['msg'] == 'The directory of dest %s is not writable: %s' % (locked / 'secret', locked)
    assert simulator.stats()['total'] == 0


def test_dest_that_is_a_symlink_replaces_the_file_it_points_to(simulator, client, app, run_module, tmp_path):
    env, created = app
    real_dir = tmp_path / 'real'
    real_dir.mkdir()
    real = real_dir / 'secret'
    real.write_text('old')
    link = tmp_path / 'link'
    link.symlink_to(real)
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(link))
    assert not failed and result['changed'] is True and result['dest'] == str(link)
    assert link.is_symlink() and real.read_text() == secret_state(client, env, created['id'])['secret']
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(os.listdir(real_dir)) == ['secret'] and sorted(os.listdir(tmp_path)) == ['link', 'real']


def test_a_dest_that_cannot_be_written_after_a_rotation_says_so(simulator, client, app, run_module, tmp_path, monkeypatch):
    env, created = app
    dest = tmp_path / 'secret'

    def broken_replace(source, destination):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'replace', broken_replace)
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True)
    assert failed and result['msg'] == ('Cannot write dest %s: No space left on device. The secret was rotated: run the task '
                                        'again without rotation to write the new secret' % dest)
    assert not os.listdir(tmp_path)
    assert secret_state(client, env, created['id'])['secret'] not in json.dumps(result)


def test_rotate_with_grace_then_grace_expiry_neither_fails_nor_changes(simulator, client, app, run_module):
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    started = time.time()
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True,
                         previous_secret_grace_period='2h', diff=True)
    assert not failed and result['changed'] is True and result['rotated'] is True
    new = result['secret']
    assert new and new != old
    state = secret_state(client, env, created['id'])
    assert state['secret'] == new and state['previous']['secret'] == old
    expires = datetime.datetime.fromisoformat(result['previous_expires_at'].replace('Z', '+00:00')).timestamp()
    assert started + 2 * 3600 - 5 <= expires <= time.time() + 2 * 3600 + 5
    assert result['previous_expires_at'].endswith('Z') and len(result['previous_expires_at']) == len('2026-01-01T00:00:00.000Z')
    assert result['msg'] == ("Rotated the secret of application 'Secret Worker' (%s); the previous secret stays valid until %s"
                             % (created['id'], result['previous_expires_at']))
    assert result['diff']['after']['secret'] == '(rotated)'
    assert_no_secret_outside(result, new, old)

    simulator.control('POST', 'clock', json={'offset': 3 * 3600})
    simulator.control('DELETE', 'stats')
    for args in (dict(), dict(revoke_previous=True)):
        again, failed = run(run_module, simulator, env, application_id=created['id'], **args)
        assert not failed and again['changed'] is False
        assert again['secret'] == new and again['previous_expires_at'] is None
    assert not writes(simulator)


def test_rotate_without_grace_ends_the_old_secret(simulator, client, app, run_module):
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True)
    assert not failed and result['changed'] is True and result['previous_expires_at'] is None
    assert result['msg'] == "Rotated the secret of application 'Secret Worker' (%s); the previous secret stopped working" % created['id']
    state = secret_state(client, env, created['id'])
    assert state['secret'] == result['secret'] != old and 'previous' not in state


def test_rotate_if_older_than_uses_the_age_of_dest(simulator, client, app, run_module, tmp_path):
    env, created = app
    dest = tmp_path / 'secret'
    args = dict(application_id=created['id'], dest=str(dest), rotate_if_older_than='30d', previous_secret_grace_period='1d')
    first, failed = run(run_module, simulator, env, **args)
    assert not failed and first['changed'] is True and first['rotated'] is False  # age counts from this write
    original = dest.read_text()
    simulator.control('DELETE', 'stats')

    young, failed = run(run_module, simulator, env, **args)
    assert not failed and young['changed'] is False and young['rotated'] is False
    assert 'rotate_if_older_than is 30d' in young['msg']
    assert not writes(simulator)

    old_time = time.time() - 31 * DAY
    os.utime(dest, (old_time, old_time))
    old, failed = run(run_module, simulator, env, diff=True, **args)
    assert not failed and old['changed'] is True and old['rotated'] is True
    assert 'secret' not in old
    rotated = dest.read_text()
    assert rotated != original and rotated == secret_state(client, env, created['id'])['secret']
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600 and time.time() - dest.stat().st_mtime < 60
    assert old['previous_expires_at'] is not None
    assert original not in json.dumps(old) and rotated not in json.dumps(old)

    again, failed = run(run_module, simulator, env, **args)
    assert not failed and again['changed'] is False


def test_rotate_if_older_than_rewrites_a_file_rotated_elsewhere(simulator, client, app, run_module, tmp_path):
    env, created = app
    dest = tmp_path / 'secret'
    dest.write_text('a value from before a rotation elsewhere')
    old_time = time.time() - 90 * DAY
    os.utime(dest, (old_time, old_time))
    planned, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate_if_older_than='30d',
                          check_mode=True)
    assert not failed and planned['changed'] is True and dest.read_text() == 'a value from before a rotation elsewhere'
    assert 'it would be rewritten and its age for rotate_if_older_than counts from then' in json.dumps(planned.get('warnings', []))
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate_if_older_than='30d')
    assert not failed and result['changed'] is True and result['rotated'] is False
    assert dest.read_text() == secret_state(client, env, created['id'])['secret']
    assert 'it was rewritten and its age for rotate_if_older_than counts from then' in json.dumps(result.get('warnings', []))


def test_rotate_if_older_than_requires_dest(simulator, app, run_module):
    env, created = app
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate_if_older_than='30d')
    assert failed and 'dest' in result['msg'] and 'rotate_if_older_than' in result['msg']


def test_revoke_previous_only_changes_when_a_previous_secret_is_valid(simulator, client, app, run_module):
    env, created = app
    run(run_module, simulator, env, application_id=created['id'], rotate=True, previous_secret_grace_period='1h')
    assert 'previous' in secret_state(client, env, created['id'])
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], revoke_previous=True, diff=True)
    assert not failed and result['changed'] is True and result['previous_expires_at'] is None
    assert result['diff']['before']['previous_expires_at'] is not None and result['diff']['after']['previous_expires_at'] is None
    assert result['msg'] == "Revoked the previous secret of application 'Secret Worker' (%s)" % created['id']
    assert 'previous' not in secret_state(client, env, created['id'])
    assert writes(simulator) == {'DELETE /v1/environments/{envId}/applications/{appId}/secret': 1}

    again, failed = run(run_module, simulator, env, application_id=created['id'], revoke_previous=True)
    assert not failed and again['changed'] is False
    assert not writes(simulator)


def test_check_mode_writes_nothing(simulator, client, app, run_module, tmp_path):
    env, created = app
    run(run_module, simulator, env, application_id=created['id'], rotate=True, previous_secret_grace_period='1h')
    before = secret_state(client, env, created['id'])
    dest = tmp_path / 'secret'
    simulator.control('DELETE', 'stats')

    rotated, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], rotate=True,
                          previous_secret_grace_period='1d', diff=True)
    assert not failed and rotated['changed'] is True and rotated['rotated'] is True
    assert rotated['secret'] is None and rotated['previous_expires_at'] is not None
    assert rotated['msg'] == ("Would rotate the secret of application 'Secret Worker' (%s); the previous secret would stay valid "
                              "until %s" % (created['id'], rotated['previous_expires_at']))
    assert rotated['diff']['after']['secret'] == '(rotated)'
    revoked, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], revoke_previous=True)
    assert not failed and revoked['changed'] is True
    assert revoked['msg'] == "Would revoke the previous secret of application 'Secret Worker' (%s)" % created['id']
    stored, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], dest=str(dest),
                         rotate_if_older_than='1d')
    assert not failed and stored['changed'] is True
    assert stored['msg'] == "Would write the secret of application 'Secret Worker' (%s) to %s" % (created['id'], dest)
    at_once, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], rotate=True, dest=str(dest))
    assert not failed and at_once['changed'] is True and 'secret' not in at_once
    assert at_once['msg'] == ("Would rotate the secret of application 'Secret Worker' (%s); the previous secret would stop working; "
                              "would write the new secret to %s" % (created['id'], dest))
    assert not dest.exists() and not os.listdir(tmp_path)
    assert not writes(simulator)
    assert secret_state(client, env, created['id']) == before


def test_a_workers_own_secret_403_is_explained(simulator, run_module):
    result, failed = run(run_module, simulator, simulator.environment_id, application_id=simulator.client_id)
    assert failed and result['status_code'] == 403
    assert "PingOne refuses access to this application's secret: for a WORKER application the caller (pingone_client_id) " \
           "must hold every role that worker holds" in result['msg']
    assert 'its own secret' in result['msg']
    assert simulator.client_secret not in json.dumps(result)


def test_a_403_on_another_types_secret_names_the_roles(simulator, client, run_module):
    env = simulator.new_environment('forbidden secret')
    web = dict(WORKER, name='Web', type='WEB_APP', grantTypes=['AUTHORIZATION_CODE'], responseTypes=['CODE'],
               redirectUris=['https://web.example.com/cb'])
    created = client.request('POST', 'environments/%s/applications' % env, 'Creating', json_body=web, expected=(201,)).body
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 403, 'method': 'GET', 'path_regex': '/secret$'})
    result, failed = run(run_module, simulator, env, application_id=created['id'])
    assert failed and result['status_code'] == 403
    assert result['msg'].startswith("Reading the secret of application '%s'" % created['id'])
    assert module.SECRET_403_HINT in result['msg'] and 'this is a WEB_APP application' in result['msg']
    assert 'its own secret' not in result['msg']


def test_a_403_on_the_lookup_keeps_the_generic_explanation(simulator, run_module):
    result, failed = run(run_module, simulator, simulator.forbidden_environment_id, application_id=simulator.client_id)
    assert failed and result['status_code'] == 403
    assert module.SECRET_403_HINT not in result['msg'] and 'lacks a role' in result['msg']


@pytest.mark.parametrize('grace, wanted', [
    ('0s', 'between 1m (1 minute) and 30d (30 days)'),
    ('59s', 'between 1m (1 minute) and 30d (30 days)'),
    ('31d', 'between 1m (1 minute) and 30d (30 days)'),
    ('0', 'must be a duration such as 30d'),
    ('2 weeks', 'must be a duration such as 30d'),
])
def test_bad_grace_periods_name_the_option(simulator, app, run_module, grace, wanted):
    env, created = app
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True, previous_secret_grace_period=grace)
    assert failed and 'previous_secret_grace_period' in result['msg'] and wanted in result['msg']
    assert simulator.stats()['total'] == 0


def test_grace_bounds_are_accepted(simulator, app, run_module):
    env, created = app
    for grace in ('1m', '30d', '1d12h'):
        result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True, previous_secret_grace_period=grace)
        assert not failed and result['previous_expires_at'], result['msg']


def test_grace_and_revoke_together_fail(simulator, app, run_module):
    env, created = app
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True,
                         previous_secret_grace_period='1h', revoke_previous=True)
    assert failed and 'previous_secret_grace_period and revoke_previous' in result['msg']


def test_unknown_application(simulator, app, run_module):
    env, dummy = app
    result, failed = run(run_module, simulator, env, name='no such app')
    assert failed and result['msg'] == ("Application 'no such app' does not exist in environment '%s'; create it first with "
                                        "pingone.oidc.pingone_application" % env)
    missing = '0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11'
    result, failed = run(run_module, simulator, env, application_id=missing)
    assert failed and result['msg'] == ("Application with application_id '%s' does not exist in environment '%s'; create it "
                                        "first with pingone.oidc.pingone_application" % (missing, env))


def test_lost_rotation_reply_is_recovered(simulator, client, app, run_module):
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/secret$'})
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True)
    assert not failed and result['changed'] is True
    assert result['secret'] == secret_state(client, env, created['id'])['secret'] != old
    assert 'reply to the rotation was lost' in json.dumps(result.get('warnings', []))


def test_the_secret_is_never_in_msg_diff_or_warnings(simulator, client, app, run_module, tmp_path):
    env, created = app
    seen = {secret_state(client, env, created['id'])['secret']}
    dest = tmp_path / 'secret'
    dest.write_text('elsewhere')
    steps = [
        dict(dest=str(dest), rotate_if_older_than='1d'),
        dict(rotate=True, previous_secret_grace_period='1h'),
        dict(dest=str(dest), rotate=True, previous_secret_grace_period='1h'),
        dict(revoke_previous=True),
        dict(),
    ]
    for args in steps:
        result, failed = run(run_module, simulator, env, diff=True, application_id=created['id'], **args)
        assert not failed
        seen.add(secret_state(client, env, created['id'])['secret'])
        if 'dest' in args:
            assert 'secret' not in result
            for value in seen:
                assert value not in json.dumps(result)
        else:
            assert_no_secret_outside(result, *seen)
        for field in ('msg', 'diff', 'warnings'):
            for value in seen:
                assert value not in json.dumps(result.get(field))


# -- a rotation whose outcome is unknown is never sent again ----------------------------------------------------------

SECRET_POST = 'POST /v1/environments/{envId}/applications/{appId}/secret'
HOLD = {'action': 'delay', 'method': 'POST', 'path_regex': '/secret$'}


def secret_posts(simulator):
    return simulator.stats()['by_route'].get(SECRET_POST, 0)


def wait_until(moment):
    time.sleep(max(0.0, moment - time.time()))


def test_a_rotation_processed_after_the_timeout_is_not_sent_again(simulator, client, app, run_module, tmp_path):
    """Hold then commit: the client gives up after 1 s, PingOne rotates at 2.5 s. Sending the POST again would rotate
    twice and leave dest with a secret that no longer works."""
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    dest = tmp_path / 'secret'
    dest.write_text(old)
    simulator.control('POST', 'faults', json=dict(HOLD, delay=2.5))
    simulator.control('DELETE', 'stats')
    started = time.time()
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True, pingone_timeout=1)
    wait_until(started + 3.5)  # the held request has been processed by now, whatever the module did
    current = secret_state(client, env, created['id'])['secret']
    assert secret_posts(simulator) == 1
    assert not failed, result['msg']
    assert result['changed'] is True and result['rotated'] is True
    assert current != old and dest.read_text() == current
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert 'reply to the rotation was lost' in json.dumps(result['warnings'])
    assert current not in json.dumps(result) and old not in json.dumps(result)


def test_a_rotation_that_does_not_show_fails_without_being_sent_again(simulator, client, app, run_module, tmp_path, monkeypatch):
    """The connection breaks before PingOne processes the POST: the module cannot know that; it must not send it again."""
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', (0.1, 0.1, 0.1))
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    dest = tmp_path / 'secret'
    dest.write_text(old)
    dest.chmod(0o600)
    simulator.control('POST', 'faults', json={'action': 'drop', 'method': 'POST', 'path_regex': '/secret$'})
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True)
    assert failed
    assert secret_posts(simulator) == 1
    assert result['msg'].startswith("Rotating the secret of application '%s'" % created['id'])
    assert 'the rotation was not sent again' in result['msg']
    assert 'run the task again without rotate to read and store the current secret; dest %s was not written' % dest in result['msg']
    assert '\n' not in result['msg']
    assert secret_state(client, env, created['id'])['secret'] == old == dest.read_text()
    assert old not in json.dumps(result)


def test_a_rotation_held_past_the_last_look_fails_and_a_rerun_stores_it(simulator, client, app, run_module, tmp_path, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', (0.2, 0.2))
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    dest = tmp_path / 'secret'
    dest.write_text(old)
    dest.chmod(0o600)
    simulator.control('POST', 'faults', json=dict(HOLD, delay=3))
    simulator.control('DELETE', 'stats')
    started = time.time()
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True, pingone_timeout=1)
    assert failed and 'may still take effect' in result['msg'] and 'was not written' in result['msg']
    assert dest.read_text() == old
    wait_until(started + 4)
    assert secret_posts(simulator) == 1
    current = secret_state(client, env, created['id'])['secret']
    assert current != old  # the held rotation took effect after the module gave up
    stored, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert not failed and stored['changed'] is True and dest.read_text() == current
    assert secret_posts(simulator) == 1


def test_an_http_502_on_the_rotation_is_not_sent_again(simulator, client, app, run_module, monkeypatch):
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', (0.1,))
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'method': 'POST', 'path_regex': '/secret$'})
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], rotate=True)
    assert failed and 'HTTP 502' in result['msg'] and 'the rotation was not sent again' in result['msg']
    assert result['status_code'] == 502 and result['rotated'] is None
    assert 'dest' not in result['msg']
    assert secret_posts(simulator) == 1 and secret_state(client, env, created['id'])['secret'] == old


def test_another_runs_rotation_during_a_held_one_is_not_taken_for_it(simulator, client, app, run_module, tmp_path):
    """While this run's POST is held, another run rotates. The secret read back has changed, but not by this run's
    rotation (the expiry of the previous secret tells): the module waits for its own, which lands last."""
    env, created = app
    dest = tmp_path / 'secret'
    simulator.control('POST', 'faults', json=dict(HOLD, delay=2.5))
    simulator.control('DELETE', 'stats')

    def other_run():
        deadline = time.time() + 10
        while secret_posts(simulator) < 1 and time.time() < deadline:
            time.sleep(0.02)
        rotate_elsewhere(client, env, created['id'], {'previous': {'expiresAt': rfc3339(time.time() + 7200)}})

    other = threading.Thread(target=other_run)
    other.start()
    started = time.time()
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True,
                         previous_secret_grace_period='1h', pingone_timeout=1)
    other.join()
    wait_until(started + 3.5)
    state = secret_state(client, env, created['id'])
    assert not failed, result['msg']
    assert secret_posts(simulator) == 2  # this run's and the other run's
    assert dest.read_text() == state['secret']
    assert result['previous_expires_at'] == state['previous']['expiresAt']


def test_a_rotation_elsewhere_right_after_the_write_is_caught(simulator, client, app, run_module, tmp_path, monkeypatch):
    """dest must end with the current secret: it is read again after the write, and written again when it changed."""
    env, created = app
    dest = tmp_path / 'secret'
    rotations = []

    def rotate_once():
        if not rotations:
            rotations.append(rotate_elsewhere(client, env, created['id']))

    after_each_write(monkeypatch, rotate_once)
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate=True)
    assert not failed, result['msg']
    assert dest.read_text() == rotations[0] == secret_state(client, env, created['id'])['secret']
    assert 'changed while this run stored it' in json.dumps(result['warnings'])
    assert rotations[0] not in json.dumps(result)


# -- dest must be writable before the secret is rotated --------------------------------------------------------------

FSIZE_RUNNER = '''
import json, resource, signal, sys
args = json.load(open(sys.argv[1]))
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_secret as module
from ansible_collections.pingone.oidc.tests.unit.results import module_args
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
with module_args(args):
    module.main()
'''


def test_a_full_disk_fails_before_the_rotation(simulator, client, app, tmp_path):
    """The file size limit (RLIMIT_FSIZE) of a child process that runs the module stands for a full disk."""
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    dest = tmp_path / 'secret'
    dest.write_text('old-value')
    dest.chmod(0o600)
    args_file = tmp_path.parent / ('%s-args.json' % tmp_path.name)
    args_file.write_text(json.dumps(dict(simulator.module_auth(), environment_id=env, application_id=created['id'],
                                         dest=str(dest), rotate=True)))
    simulator.control('DELETE', 'stats')
    done = run_python(FSIZE_RUNNER, args_file, 32)
    result = json.loads(done.stdout)
    assert result.get('failed') is True, result
    assert result['msg'] == 'Cannot write dest %s: File too large; the secret was not rotated' % dest
    assert result['rotated'] is False
    assert secret_posts(simulator) == 0
    assert secret_state(client, env, created['id'])['secret'] == old
    assert dest.read_text() == 'old-value' and os.listdir(tmp_path) == ['secret']


def fill(path):
    """Write to ``path`` until the file system is full."""
    with open(path, 'wb', buffering=0) as filler:
        try:
            while True:
                filler.write(b'x' * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.fixture
def full_tmpfs(tmp_path):
    """A tiny tmpfs (root only), filled up except for dest, which holds 'old-value'."""
    if os.geteuid() != 0:
        pytest.skip('mounting a tmpfs needs root')
    mount_point = tmp_path / 'full'
    mount_point.mkdir()
    mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip('cannot mount a tmpfs here: %s' % mounted.stderr.decode(errors='replace').strip())
    try:
        dest = mount_point / 'secret'
        dest.write_text('old-value')
        dest.chmod(0o600)
        fill(mount_point / 'filler')
        yield dest
    finally:
        subprocess.run(['umount', str(mount_point)], check=False)


def test_a_full_tmpfs_fails_before_the_rotation(simulator, client, app, run_module, full_tmpfs):
    env, created = app
    old = secret_state(client, env, created['id'])['secret']
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(full_tmpfs), rotate=True)
    assert failed and result['msg'] == 'Cannot write dest %s: No space left on device; the secret was not rotated' % full_tmpfs
    assert secret_posts(simulator) == 0
    assert secret_state(client, env, created['id'])['secret'] == old
    assert full_tmpfs.read_text() == 'old-value'
    assert sorted(os.listdir(full_tmpfs.parent)) == ['filler', 'secret']


def test_rotate_if_older_than_on_a_full_disk_fails_before_the_rotation(simulator, client, app, run_module, full_tmpfs):
    env, created = app
    current = secret_state(client, env, created['id'])['secret']
    os.remove(full_tmpfs.parent / 'filler')
    first, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(full_tmpfs))
    assert not failed and full_tmpfs.read_text() == current
    fill(full_tmpfs.parent / 'filler')
    old_time = time.time() - 40 * DAY
    os.utime(full_tmpfs, (old_time, old_time))
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(full_tmpfs), rotate_if_older_than='30d')
    assert failed and result['msg'].endswith('No space left on device; the secret was not rotated')
    assert secret_posts(simulator) == 0 and full_tmpfs.read_text() == current


# -- links, FIFOs and files planted by another user ------------------------------------------------------------------

@pytest.fixture
def victim(tmp_path):
    """A file the module must never write."""
    path = tmp_path / 'victim'
    path.write_text('precious')
    path.chmod(0o644)
    return path


def refused_before_any_request(run_module, simulator, env, app_id, dest, wanted):
    simulator.control('DELETE', 'stats')
    with no_hang():
        result, failed = run(run_module, simulator, env, application_id=app_id, dest=str(dest), rotate=True)
    assert failed and result['msg'] == wanted
    assert simulator.stats()['total'] == 0
    return result


@needs_root
@pytest.mark.parametrize('where', ['sticky', 'private'])
def test_a_link_planted_by_another_user_is_not_followed(simulator, app, run_module, tmp_path, sticky, victim, where):
    env, created = app
    link = (sticky if where == 'sticky' else tmp_path) / 'secret'
    link.symlink_to(victim)
    os.lchown(str(link), OTHER_UID, OTHER_UID)
    refused_before_any_request(run_module, simulator, env, created['id'], link,
                               'dest %s is a symbolic link owned by another user (uid 65534); it is not followed' % link)
    assert victim.read_text() == 'precious' and stat.S_IMODE(victim.stat().st_mode) == 0o644 and link.is_symlink()


def test_an_own_link_in_a_sticky_directory_is_not_followed(simulator, app, run_module, sticky, victim):
    env, created = app
    link = sticky / 'secret'
    link.symlink_to(victim)
    refused_before_any_request(run_module, simulator, env, created['id'], link,
                               'dest %s is a symbolic link in %s, a directory other users can write to; it is not followed: '
                               'give the path of the file itself' % (link, sticky))
    assert victim.read_text() == 'precious'


@needs_root
def test_a_link_to_a_file_of_another_user_is_not_followed(simulator, app, run_module, tmp_path, victim):
    env, created = app
    os.chown(str(victim), OTHER_UID, OTHER_UID)
    link = tmp_path / 'secret'
    link.symlink_to(victim)
    refused_before_any_request(run_module, simulator, env, created['id'], link,
                               'dest %s is a symbolic link to %s, which belongs to another user (uid 65534); it is not followed'
                               % (link, victim))
    assert victim.read_text() == 'precious'


@needs_root
def test_a_file_planted_by_another_user_in_a_sticky_directory_is_not_replaced(simulator, app, run_module, sticky):
    env, created = app
    planted = sticky / 'secret'
    planted.write_text('planted')
    os.chown(str(planted), OTHER_UID, OTHER_UID)
    refused_before_any_request(run_module, simulator, env, created['id'], planted,
                               'dest %s belongs to another user (uid 65534) and is in %s, a directory other users can write to; '
                               'it is neither used nor replaced: remove it or give another path' % (planted, sticky))
    assert planted.read_text() == 'planted' and planted.stat().st_uid == OTHER_UID


def test_a_fifo_as_dest_fails_at_once(simulator, app, run_module, tmp_path):
    env, created = app
    fifo = tmp_path / 'secret'
    os.mkfifo(str(fifo))
    refused_before_any_request(run_module, simulator, env, created['id'], fifo,
                               'dest %s is not a regular file (a FIFO); give the path of a file' % fifo)
    for args in (dict(), dict(check_mode=True)):  # no rotation, no request needed to block: still refused at once
        with no_hang():
            result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(fifo), **args)
        assert failed and 'is not a regular file (a FIFO)' in result['msg']


@needs_root
def test_a_device_as_dest_is_refused(simulator, app, run_module, tmp_path):
    """A null device made for the test (never /dev/null itself: a module that replaced dest would replace the device)."""
    env, created = app
    device = tmp_path / 'null'
    os.mknod(str(device), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    refused_before_any_request(run_module, simulator, env, created['id'], device,
                               'dest %s is not a regular file (a character device); give the path of a file' % device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_socket_as_dest_is_refused(simulator, app, run_module, tmp_path):
    env, created = app
    path = tmp_path / 'socket'
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        refused_before_any_request(run_module, simulator, env, created['id'], path,
                                   'dest %s is not a regular file (a socket); give the path of a file' % path)
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_secret_that_keeps_changing_while_it_is_stored_fails(simulator, client, app, run_module, tmp_path, monkeypatch):
    env, created = app
    dest = tmp_path / 'secret'
    after_each_write(monkeypatch, lambda: rotate_elsewhere(client, env, created['id']))
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert failed and result['msg'] == (
        "The secret of application 'Secret Worker' (%s) kept changing while this run stored it (another run rotates it?); "
        "dest %s may not hold the current secret: run the task again once the other run has finished" % (created['id'], dest))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_a_failed_confirmation_read_is_a_warning(simulator, client, app, run_module, tmp_path, monkeypatch):
    env, created = app
    dest = tmp_path / 'secret'
    broken_reads = {'action': 'status', 'status': 500, 'method': 'GET', 'path_regex': '/secret$', 'count': 10}
    after_each_write(monkeypatch, lambda: simulator.control('POST', 'faults', json=broken_reads))
    try:
        result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), pingone_max_retries=0)
    finally:
        simulator.control('DELETE', 'faults')
    assert not failed and result['changed'] is True
    assert dest.read_text() == secret_state(client, env, created['id'])['secret']
    assert 'reading the secret again to confirm it is still current failed' in json.dumps(result['warnings'])


@pytest.mark.parametrize('state, expires_at, landed', [
    ({'secret': 'old'}, None, False),
    ({'secret': 'new'}, None, True),
    ({}, None, False),
    ({'secret': 'new'}, '2026-05-02T10:00:00.000Z', False),
    ({'secret': 'new', 'previous': {'expiresAt': '2026-05-02T10:00:00.000Z'}}, '2026-05-02T10:00:00.000Z', True),
    ({'secret': 'new', 'previous': {'expiresAt': '2026-05-02T10:00:00Z'}}, '2026-05-02T10:00:00.400Z', True),
    ({'secret': 'new', 'previous': {'expiresAt': '2026-05-02T12:00:00.000Z'}}, '2026-05-02T10:00:00.000Z', False),
    ({'secret': 'old', 'previous': {'expiresAt': '2026-05-02T10:00:00.000Z'}}, '2026-05-02T10:00:00.000Z', False),
])
def test_which_secret_read_back_shows_this_runs_rotation(state, expires_at, landed):
    assert module.SecretRunner.landed(state, 'old', expires_at) is landed
