# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Handing a module its arguments and reading its results the same way on every supported ansible-core.

Plain Python (no pytest), so that a script run in a child interpreter can import it too.
"""

from __future__ import annotations

import contextlib
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes


@contextlib.contextmanager
def module_args(args):
    """Module arguments as ansible-core hands them to a module (works on every supported core)."""
    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core before 2.19
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))  # pylint: disable=protected-access
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved  # pylint: disable=protected-access


def warning_texts(result):
    """The warning texts of a module result (ansible-core 2.19 and later return them as structured events)."""
    return [item if isinstance(item, str) else item['event']['msg'] for item in result.get('warnings', [])]


def controller_view(result):
    """The module's JSON as the task's result: without the ``_ansible_*`` keys that only talk to the controller.

    ansible-core 2.22 adds ``_ansible_new_secrets`` (the no_log values the controller registers for masking: they are
    listed in clear there by design) and pops it before anything else sees the result.
    """
    return {key: value for key, value in result.items() if not key.startswith('_ansible_')}
