# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_app_secret's main() against the in-process simulator: read, store, rotate, revoke."""

from __future__ import annotations

import datetime
import json
import os
import stat
import time

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_secret as module

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
    assert not failed and fixed['changed'] is True and 'set the mode' in fixed['msg'].lower()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600 and dest.stat().st_mtime == mtime

    dest.write_text('stale value\n')
    rewritten, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest))
    assert not failed and rewritten['changed'] is True and dest.read_text() == current


def test_dest_directory_must_exist(simulator, app, run_module, tmp_path):
    env, created = app
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(tmp_path / 'nope' / 'secret'))
    assert failed and 'does not exist' in result['msg']
    assert simulator.stats()['total'] == 0  # checked before any request


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
    assert 'stays valid until %s' % result['previous_expires_at'] in result['msg']
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
    assert 'previous secret stopped working' in result['msg']
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
    result, failed = run(run_module, simulator, env, application_id=created['id'], dest=str(dest), rotate_if_older_than='30d')
    assert not failed and result['changed'] is True and result['rotated'] is False
    assert dest.read_text() == secret_state(client, env, created['id'])['secret']
    assert 'counts from now' in json.dumps(result.get('warnings', []))


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
    assert 'revoked the previous secret' in result['msg'].lower()
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
    revoked, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], revoke_previous=True)
    assert not failed and revoked['changed'] is True
    stored, failed = run(run_module, simulator, env, check_mode=True, application_id=created['id'], dest=str(dest),
                         rotate_if_older_than='1d')
    assert not failed and stored['changed'] is True
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
    assert failed and result['msg'] == "No application named 'no such app' in environment '%s'" % env


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


def test_duration_helpers():
    assert module.parse_duration('30d', 'x') == 30 * DAY
    assert module.parse_duration('1d12h', 'x') == 36 * 3600
    assert module.parse_duration(' 90M ', 'x') == 5400
    with pytest.raises(ValueError, match="x must be a duration"):
        module.parse_duration('3600', 'x')
    assert module.format_duration(60) == '1m'
    assert module.format_duration(30 * DAY) == '30d'
    assert module.format_duration(5400) == '1h30m'
    assert module.format_duration(31 * DAY - 5) == '30d23h'
    assert module.rfc3339(0) == '1970-01-01T00:00:00.000Z'
    assert module.rfc3339(1.2345) == '1970-01-01T00:00:01.234Z'
