# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a module process imports: only the modules that handle a key or an assertion load PyJWT and cryptography,
and a check module without PyJWT fails with Ansible's missing-library message.

Each case runs in a fresh interpreter, because this test process has long imported both libraries.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.pingone.oidc.tests.unit.child import run_python, top_level_imports
from ansible_collections.pingone.oidc.tests.unit.results import controller_view

PACKAGE = 'ansible_collections.pingone.oidc.plugins.modules'
HEAVY = ('jwt', 'cryptography')
# Modules that never handle a key: importing them must load neither library.
KEYLESS = ('pingone_application', 'pingone_application_attribute_mapping', 'pingone_application_info', 'pingone_application_resource_grant',
           'pingone_application_role_assignment', 'pingone_access_token', 'pingone_app_secret', 'pingone_resource',
           'pingone_applications', 'pingone_application_sign_on_policy')

# Runs a module's main() with PyJWT made unimportable (a None entry in sys.modules makes ``import jwt`` fail).
WITHOUT_PYJWT = '''
import importlib, json, sys
sys.modules['jwt'] = None
from ansible_collections.pingone.oidc.tests.unit.results import module_args
module = importlib.import_module(sys.argv[1])
with module_args(json.loads(sys.argv[2])):
    module.main()
'''


@pytest.mark.parametrize('module', KEYLESS)
def test_a_module_that_handles_no_key_loads_neither_pyjwt_nor_cryptography(module):
    loaded = top_level_imports('%s.%s' % (PACKAGE, module))
    assert 'ansible' in loaded and 'requests' in loaded  # the probe saw the module's imports
    assert sorted(loaded & set(HEAVY)) == []


@pytest.mark.parametrize('module', ['pingone_token_check', 'pingone_par_check'])
def test_the_check_modules_do_load_them(module):
    # the positive control: the probe can see a library that is loaded
    assert set(HEAVY) <= top_level_imports('%s.%s' % (PACKAGE, module))


@pytest.mark.parametrize('module', ['pingone_token_check', 'pingone_par_check'])
def test_a_check_without_pyjwt_names_the_missing_library(module):
    args = dict(pingone_auth_url='http://127.0.0.1:9', environment_id='e', client_id='c', client_secret='s' * 32,
                auth_method='CLIENT_SECRET_POST', redirect_uri='https://app.example.com/cb')
    if module == 'pingone_token_check':
        del args['redirect_uri']
    completed = run_python(WITHOUT_PYJWT, '%s.%s' % (PACKAGE, module), json.dumps(args))
    assert completed.returncode == 1, completed.stderr
    result = controller_view(json.loads(completed.stdout))
    assert result['failed'] is True
    assert result['msg'].startswith('Failed to import the required Python library (PyJWT) on '), result['msg']
    assert 'is not defined' not in result['msg'] and 's' * 32 not in json.dumps(result)
