# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import os
import re

from ansible_collections.pingone.oidc.plugins.module_utils._version import COLLECTION_NAME, COLLECTION_VERSION

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def collection_identity():
    """(namespace, name, version) from galaxy.yml in the repository, or MANIFEST.json in an installed collection."""
    galaxy = os.path.join(ROOT, 'galaxy.yml')
    if os.path.exists(galaxy):
        with open(galaxy) as handle:
            text = handle.read()
        return tuple(re.search(r'^%s: (\S+)$' % key, text, re.M).group(1) for key in ('namespace', 'name', 'version'))
    with open(os.path.join(ROOT, 'MANIFEST.json')) as handle:
        info = json.load(handle)['collection_info']
    return info['namespace'], info['name'], info['version']


def test_user_agent_version_matches_the_collection():
    namespace, name, version = collection_identity()
    assert COLLECTION_NAME == '%s.%s' % (namespace, name)
    assert COLLECTION_VERSION == version
