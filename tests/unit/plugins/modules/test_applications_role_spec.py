# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role pingone.oidc.applications takes definitions of pingone_applications plus its own extras, and its argument
spec types them (an option it does not list is refused): these tests keep that spec in step with the module's."""

from __future__ import annotations

import os

import yaml

from ansible_collections.pingone.oidc.plugins.modules import pingone_applications as module

ROLE_SPEC = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'applications', 'meta', 'argument_specs.yml')
# Options of an item that are the role's, not the module's.
EXTRAS = ('secret', 'key', 'verify')
COMPARED = ('type', 'elements', 'choices', 'required')


def role_definition_options():
    with open(ROLE_SPEC) as handle:
        spec = yaml.safe_load(handle)
    return spec['argument_specs']['main']['options']['applications_definitions']['options']


def shape(options):
    """The comparable part of an argument spec, recursively (the defaults differ on purpose: the role's state
    defaults to applications_state)."""
    result = {}
    for name, option in options.items():
        item = {key: option[key] for key in COMPARED if option.get(key) not in (None, False)}
        item.setdefault('type', 'str')
        if option.get('options'):
            item['options'] = shape(option['options'])
        result[name] = item
    return result


def test_the_role_types_every_option_of_a_definition_as_the_module_does():
    ours = {name: option for name, option in role_definition_options().items() if name not in EXTRAS}
    theirs = dict(module.OPTIONS['applications']['options'])
    theirs['name'] = dict(theirs['name'], required=True)  # required by the module's checks, by the role's spec
    assert shape(ours) == shape(theirs)


def test_the_extras_are_no_option_of_the_module():
    assert not set(EXTRAS) & set(module.OPTIONS['applications']['options'])
    assert set(EXTRAS) <= set(role_definition_options())
