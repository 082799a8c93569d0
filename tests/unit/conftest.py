# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared fixtures that need nothing but the collection: a module runner and a shared directory like /tmp.

Tests that need the PingOne simulator live in ``simulated/``, which the built collection leaves out.
"""

from __future__ import annotations

import json
import sys

import pytest
from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.pingone.oidc.tests.unit.results import controller_view, module_args


@pytest.fixture
def run_module(capsys, monkeypatch):
    """Run a module's main() with the given args (and check or diff mode); returns (result, failed)."""
    # A module process is never the controller, even after a test here imported controller code (an action plugin),
    # which makes ansible-core 2.19 and later display module warnings instead of returning them.
    internal = sys.modules.get('ansible.module_utils._internal')
    if internal is not None and hasattr(internal, 'is_controller'):
        monkeypatch.setattr(internal, 'is_controller', False)

    def runner(module, args, check_mode=False, diff=False):
        args = dict(args)
        if check_mode:
            args['_ansible_check_mode'] = True
        if diff:
            args['_ansible_diff'] = True
        # ansible-core keeps warnings process-wide: one module's must not show up in the next one's result
        ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
        with module_args(args):
            with pytest.raises(SystemExit) as info:
                module.main()
        result = controller_view(json.loads(capsys.readouterr().out))
        return result, info.value.code != 0 or bool(result.get('failed'))
    return runner


@pytest.fixture
def sticky(tmp_path):
    """A directory like /tmp: world-writable with the sticky bit."""
    directory = tmp_path / 'shared'
    directory.mkdir()
    directory.chmod(0o1777)
    return directory
