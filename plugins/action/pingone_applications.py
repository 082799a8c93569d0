# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of pingone.oidc.pingone_applications: the module's own code, run inside the controller's process.

A task on the controller (``connection: local``, ``delegate_to: localhost``) would start a module process that
imports ansible-core and the collection again; for a task that converges hundreds of applications in a few hundred
milliseconds that process is most of the wall time. When the task would run on the controller anyway, as the
controller's user, the plugin calls the same options, checks and run (``_fleet_task``) in the worker process
ansible-core has already started (with the controller's Python and its ``requests``, whatever
``ansible_python_interpreter`` says). Otherwise (another connection, ``become``, ``async``, or no ``requests`` on the controller) it runs the
module as usual.
"""

from __future__ import annotations

import os

from ansible.plugins.action import ActionBase

from ansible_collections.pingone.oidc.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.pingone.oidc.plugins.module_utils._fleet_task import OPTIONS, check_options, ensure
from ansible_collections.pingone.oidc.plugins.module_utils._module import run_on_controller

MODULE = 'pingone.oidc.pingone_applications'
LOCAL_TRANSPORTS = ('local', 'ansible.builtin.local')


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True  # by running the module

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if not self._runs_here():
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(module_name=MODULE, module_args=self._task.args, task_vars=task_vars,
                                               wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
            return result
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            values, warnings = run_on_controller(MODULE, OPTIONS, dict(self._task.args), ensure, check_options,
                                                 check_mode=bool(self._task.check_mode), diff_mode=bool(self._task.diff))
        result.update(values)
        if warnings:
            result['warnings'] = warnings
        return result

    def _runs_here(self):
        """Whether the module would run on the controller, as the controller's user, synchronously."""
        return (HAS_REQUESTS and getattr(self._connection, 'transport', None) in LOCAL_TRANSPORTS
                and not self._play_context.become and not self._task.async_val)


class task_environment:  # pylint: disable=invalid-name
    """The task's ``environment`` keyword applied to this process while the task runs, as a module process gets it
    (PINGONE_* credentials, proxies, CA bundles)."""

    def __init__(self, values):
        self.values = {str(name): str(value) for name, value in values.items()}
        self.saved = {}

    def __enter__(self):
        self.saved = {name: os.environ.get(name) for name in self.values}
        try:
            os.environ.update(self.values)
        except ValueError:  # a name or value the process environment cannot hold: leave nothing half set
            self.__exit__()
            raise

    def __exit__(self, *exc_info):
        for name, value in self.saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
