# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credential type of extensions/awx/, checked and rendered the way AWX does it.

AWX validates injector templates when the type is saved (every field set to 'EXAMPLE', strict undefined, immutable
sandbox) and renders them for a job in an immutable sandbox whose namespace holds only the fields that have a value:
a field left blank is undefined there and renders as "".
"""

from __future__ import annotations

import os

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PATH = os.path.join(ROOT, 'extensions', 'awx', 'pingone_credential_type.yml')


def load(path=PATH):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def validate(credential_type):
    """What AWX checks when the type is saved; raises a Jinja error for an unknown field, unsafe code or bad syntax."""
    namespace = {field['id']: 'EXAMPLE' for field in credential_type['inputs']['fields']}
    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for template in credential_type['injectors']['env'].values():
        environment.from_string(template).render(namespace)


def injected_env(credential_type, inputs):
    """The environment a job gets from a credential with these inputs (blank inputs are left out, as AWX does)."""
    missing = [field for field in credential_type['inputs']['required'] if not inputs.get(field)]
    if missing:
        raise ValueError('credential inputs missing: %s' % ', '.join(missing))
    namespace = {name: value for name, value in inputs.items() if isinstance(value, bool) or value}
    environment = ImmutableSandboxedEnvironment()
    return {name: environment.from_string(template).render(**namespace)
            for name, template in credential_type['injectors']['env'].items()}
