# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import re

from ansible_collections.pingone.oidc.plugins.module_utils._version import COLLECTION_NAME, COLLECTION_VERSION

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def test_user_agent_version_matches_galaxy_yml():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        text = handle.read()
    namespace = re.search(r'^namespace: (\S+)$', text, re.M).group(1)
    name = re.search(r'^name: (\S+)$', text, re.M).group(1)
    version = re.search(r'^version: (\S+)$', text, re.M).group(1)
    assert COLLECTION_NAME == '%s.%s' % (namespace, name)
    assert COLLECTION_VERSION == version
