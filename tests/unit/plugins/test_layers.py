# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Dependencies point down: module_utils files import only from lower layers, and only the wrapper imports Ansible."""

from __future__ import annotations

import ast
import os

import pytest

MODULE_UTILS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins', 'module_utils')
PACKAGE = 'ansible_collections.pingone.oidc.plugins.module_utils'
# Lowest first; a file may import files of its own layer or lower ones (the README states the same order).
LAYERS = (
    ('_version', '_errors', '_endpoints', '_result', '_lookup', '_time', '_files', '_jose', '_resources'),
    ('_client',),
    ('_app_model',),
    ('_jwk',),
    ('_applications', '_access', '_attributes', '_policies', '_images'),
    ('_fleet', '_subresources'),
    ('_client_auth', '_authz_request'),
    ('_checks',),
    ('_module',),
    ('_fleet_task',),
)
LAYER_OF = {name: index for index, names in enumerate(LAYERS) for name in names}


def sources():
    return sorted(name[:-3] for name in os.listdir(MODULE_UTILS) if name.endswith('.py') and name != '__init__.py')


def imports(name):
    with open(os.path.join(MODULE_UTILS, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                yield from ('%s.%s' % (PACKAGE, alias.name) for alias in node.names)
            else:
                yield node.module


def test_every_module_utils_file_has_a_layer():
    assert sorted(set(sources()) - set(LAYER_OF)) == []


@pytest.mark.parametrize('name', sources())
def test_imports_point_down(name):
    for target in imports(name):
        if target.startswith(PACKAGE + '.'):
            other = target[len(PACKAGE) + 1:].split('.')[0]
            assert LAYER_OF[other] <= LAYER_OF[name], '%s imports %s, which is above it' % (name, other)
        elif target == 'ansible' or target.startswith('ansible.'):
            assert name == '_module', '%s imports %s: only the wrapper may import Ansible' % (name, target)
