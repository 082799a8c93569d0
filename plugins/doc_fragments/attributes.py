# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Common attributes of every module.
    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/pingone.oidc.pingone) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - pingone.oidc.pingone
"""

    # Modules that change PingOne: full check and diff mode. A module adds only its own C(details).
    CHANGES = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - Check mode sends no write to PingOne and writes no file; RV(msg) says what would happen (C(Would ...)).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
"""

    # Modules that only read.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - This module never changes anything.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: N/A
    details:
      - This module never changes anything.
"""
