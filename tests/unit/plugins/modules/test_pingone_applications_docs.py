# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_applications documents its definitions in full (DOCUMENTATION is static); these tests pin that text to the
argument spec the module builds from the shared schema, and to the words of pingone_application, so neither can drift."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.pingone.oidc.plugins.module_utils import _fleet as fleet
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as single
from ansible_collections.pingone.oidc.plugins.modules import pingone_applications as module

# Definition options worded for a fleet (the name identifies an application; a replace is a delete in production).
# Worded for the fleet: what identifies a definition, and what an application holds (no option of pingone_application)
FLEET_WORDED = ('name', 'recreate_on_type_change', 'grants', 'roles', 'attribute_mappings', 'attribute_mappings_exclusive', 'sign_on_policies')
# What validate-modules compares between an option's documentation and its spec.
COMPARED = ('type', 'elements', 'choices', 'default', 'required')


def documented(doc):
    return yaml.safe_load(doc)['options']


def shape(options):
    """The comparable part of documented options (suboptions) or of an argument spec (options), recursively."""
    result = {}
    for name, option in options.items():
        item = {key: option[key] for key in COMPARED if option.get(key) not in (None, False) or key == 'default' and key in option}
        item.setdefault('type', 'str')
        nested = option.get('suboptions') or option.get('options')
        if nested:
            item['options'] = shape(nested)
        result[name] = item
    return result


def test_every_option_is_documented_as_specified():
    assert shape(documented(module.DOCUMENTATION)) == shape(module.OPTIONS)


def test_the_definition_is_documented_as_the_shared_schema():
    docs = documented(module.DOCUMENTATION)['applications']['suboptions']
    assert list(docs) == list(fleet.definition_argument_spec())
    assert shape(docs) == shape(fleet.definition_argument_spec())


def in_a_definition(text, options):
    """pingone_application's words with its option references pointing into a definition."""
    return re.sub(r'O\(([a-z0-9_]+)((?:\.[a-z0-9_]+)*)\)',
                  lambda match: 'O(applications[].%s%s)' % match.groups() if match.group(1) in options else match.group(0), text)


@pytest.mark.parametrize('option', [name for name in fleet.definition_argument_spec() if name not in FLEET_WORDED])
def test_a_definition_option_says_what_it_says_for_one_application(option):
    ours = documented(module.DOCUMENTATION)['applications']['suboptions'][option]
    theirs = documented(single.DOCUMENTATION)[option]
    spec = fleet.definition_argument_spec()
    assert ours['description'] == [in_a_definition(text, spec) for text in theirs['description']]
    for name, nested in (theirs.get('suboptions') or {}).items():
        assert ours['suboptions'][name]['description'] == [in_a_definition(text, spec) for text in nested['description']]


def test_the_module_is_in_the_action_group():
    with open(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    assert 'pingone_applications' in runtime['action_groups']['pingone']
