# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin runs the module's code in the controller only where that changes nothing but the cost."""

from __future__ import annotations

import os
from unittest import mock

import pytest

from ansible_collections.pingone.oidc.plugins.action import pingone_applications as action

UNREACHABLE = dict(pingone_api_url='http://127.0.0.1:9/v1', pingone_auth_url='http://127.0.0.1:9', pingone_access_token='token-0123456789',
                   environment_id='e0000000-0000-4000-8000-000000000001', applications=[])


def plugin(transport='local', become=False, async_val=0, check_mode=False, args=None):
    task = mock.MagicMock(async_val=async_val, check_mode=check_mode, diff=False, args=dict(args or UNREACHABLE))
    task.environment = []
    connection = mock.MagicMock(transport=transport, has_native_async=False)
    play_context = mock.MagicMock(become=become)
    module = action.ActionModule(task, connection, play_context, loader=mock.MagicMock(), templar=mock.MagicMock(),
                                 shared_loader_obj=None)
    module._execute_module = mock.MagicMock(return_value=dict(changed=False, msg='ran as a module'))
    return module


@pytest.mark.parametrize('kwargs', [dict(transport='ssh'), dict(transport='ansible.builtin.ssh'), dict(become=True),
                                    dict(async_val=30)])
def test_anything_but_a_plain_local_task_runs_the_module(kwargs):
    module = plugin(**kwargs)
    result = module.run(task_vars={})
    assert result['msg'] == 'ran as a module'
    assert module._execute_module.call_args.kwargs['module_name'] == 'pingone.oidc.pingone_applications'


@pytest.mark.parametrize('transport', ['local', 'ansible.builtin.local'])
def test_a_local_task_runs_here_with_the_modules_checks(transport):
    module = plugin(transport, args=dict(UNREACHABLE, applications=[dict(name='A', state='present', bogus=1)]))
    result = module.run(task_vars={})
    module._execute_module.assert_not_called()
    assert result['failed'] and 'bogus' in result['msg'] and 'applications' in result['msg']


def test_without_requests_on_the_controller_the_module_runs(monkeypatch):
    monkeypatch.setattr(action, 'HAS_REQUESTS', False)
    module = plugin()
    assert module.run(task_vars={})['msg'] == 'ran as a module'


def test_the_task_environment_applies_while_the_task_runs_and_is_undone_after(monkeypatch):
    monkeypatch.setenv('PINGONE_REGION_CODE', 'EU')
    monkeypatch.delenv('PINGONE_TEST_ONLY', raising=False)
    with action.task_environment({'PINGONE_REGION_CODE': 'CA', 'PINGONE_TEST_ONLY': 1}):
        assert os.environ['PINGONE_REGION_CODE'] == 'CA' and os.environ['PINGONE_TEST_ONLY'] == '1'
    assert os.environ['PINGONE_REGION_CODE'] == 'EU' and 'PINGONE_TEST_ONLY' not in os.environ


def test_a_task_environment_the_process_cannot_hold_leaves_nothing_set(monkeypatch):
    monkeypatch.delenv('PINGONE_TEST_ONLY', raising=False)
    with pytest.raises(ValueError):
        with action.task_environment({'PINGONE_TEST_ONLY': 'set', 'BAD\x00NAME': 'x'}):
            pass  # pragma: no cover
    assert 'PINGONE_TEST_ONLY' not in os.environ
