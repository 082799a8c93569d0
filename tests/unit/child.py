# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Running code in a fresh Python interpreter that imports from the same places as this test process.

For what a process imports (this one has long imported everything) and for limits set on a process of its own.
A child script runs a module's main() with ``module_args`` from tests/unit/results.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = '''
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
'''


def run_python(code, *args, timeout=120):
    """Run ``code`` with ``args`` in a child interpreter; returns the CompletedProcess (text output, not checked)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
    return subprocess.run([sys.executable, '-c', code] + [str(arg) for arg in args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


def top_level_imports(name):
    """The top-level packages a fresh interpreter has loaded once it has imported the module ``name``."""
    completed = run_python(PROBE, name)
    assert completed.returncode == 0, completed.stderr
    return set(json.loads(completed.stdout.splitlines()[-1]))
