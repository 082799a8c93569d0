# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The worker_app and web_app roles, and their engine app_engine, hand their resources, attribute mappings and sign-on
policies inputs to pingone_resource, pingone_application_attribute_mapping and pingone_application_sign_on_policy item
by item: their argument specs must type those items as the modules do, so that a wrong input stops in the role's
validation, naming it, before anything is written."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.pingone.oidc.plugins.modules import pingone_application_attribute_mapping as mapping_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_sign_on_policy as policy_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_resource as resource_module

ROLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles')
# role -> prefix of its inputs
PREFIXES = {'worker_app': 'worker_app', 'web_app': 'web_app', 'app_engine': 'app_engine'}
PUBLIC = ('worker_app', 'web_app')
# What the role's item options take from the module's options: the module options of a resource the role offers
# (no state, no exclusive, no resource_id: the role creates or updates by name, and never deletes), and the module's
# rules made required by the role (a resource is found or created by name; the role only adds or changes mappings).
RESOURCE_OPTIONS = ('name', 'description', 'audience', 'access_token_validity_seconds', 'scopes')
ROLE_REQUIRED = {'resources': ('name',), 'attribute_mappings': ('value',)}


def role_options(role):
    with open(os.path.join(ROLES, role, 'meta', 'argument_specs.yml')) as handle:
        return yaml.safe_load(handle)['argument_specs']['main']['options']


def role_defaults(role):
    with open(os.path.join(ROLES, role, 'defaults', 'main.yml')) as handle:
        return yaml.safe_load(handle)


def typed(options):
    """Type, elements, choices and required of each option, recursively (descriptions and defaults aside)."""
    return {name: dict({key: option[key] for key in ('elements', 'choices') if option.get(key)},
                       type=option.get('type', 'str'), required=bool(option.get('required')),
                       **({'options': typed(option['options'])} if option.get('options') else {}))
            for name, option in options.items()}


def module_item_options(input_name):
    if input_name == 'resources':
        return {name: resource_module.OPTIONS[name] for name in RESOURCE_OPTIONS}
    return mapping_module.OPTIONS['mappings']['options']


def made_required(options, input_name):
    return {name: dict(option, required=True) if name in ROLE_REQUIRED[input_name] else option for name, option in options.items()}


@pytest.mark.parametrize('role', sorted(PREFIXES))
@pytest.mark.parametrize('input_name', sorted(ROLE_REQUIRED))
def test_the_items_are_typed_as_the_module_types_them(role, input_name):
    option = role_options(role)['%s_%s' % (PREFIXES[role], input_name)]
    assert (option['type'], option['elements']) == ('list', 'dict')
    assert typed(option['options']) == typed(made_required(module_item_options(input_name), input_name))


@pytest.mark.parametrize('role', sorted(PREFIXES))
def test_the_sign_on_policies_are_typed_as_the_module_types_them(role):
    option = role_options(role)['%s_sign_on_policies' % PREFIXES[role]]
    wanted = policy_module.OPTIONS['sign_on_policies']
    assert (option['type'], option['elements']) == (wanted['type'], wanted['elements'])


@pytest.mark.parametrize('role', PUBLIC)
@pytest.mark.parametrize('input_name', ('resources', 'attribute_mappings', 'sign_on_policies'))
def test_a_public_role_manages_nothing_by_default(role, input_name):
    variable = '%s_%s' % (role, input_name)
    assert role_options(role)[variable].get('default') == []
    assert role_defaults(role)[variable] == []


@pytest.mark.parametrize('input_name', ('resources', 'attribute_mappings', 'sign_on_policies'))
def test_the_engine_takes_each_input_from_the_public_roles(input_name):
    assert role_options('app_engine')['app_engine_%s' % input_name].get('required') is True
    for role in PUBLIC:
        with open(os.path.join(ROLES, role, 'tasks', 'main.yml')) as handle:
            tasks = yaml.safe_load(handle)
        engine_call = next(task for task in tasks if task.get('ansible.builtin.include_role', {}).get('name') == 'pingone.oidc.app_engine')
        assert engine_call['vars']['app_engine_%s' % input_name] == '{{ %s_%s }}' % (role, input_name)
