# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How modules that work on one existing application find it; the spec is _applications.APPLICATION_OPTIONS (sanity validate-modules compares them).
    DOCUMENTATION = r"""
options:
  environment_id:
    description:
      - ID of the environment of the application.
      - Defaults to O(pingone_environment_id), the environment of the worker application.
    type: str
  application_id:
    description:
      - ID of the application.
    type: str
  name:
    description:
      - Name of the application, compared without regard to case; used when O(application_id) is not set.
      - When several applications share the name, the module fails and lists their IDs.
    type: str
"""
