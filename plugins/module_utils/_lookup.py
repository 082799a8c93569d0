# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Finding one object among many, decided once for every kind (no Ansible imports).

PingOne names are not unique and compare without regard to case in the console, so a name finds
an object only when exactly one has it; an ID always wins. "Missing" is None here; the caller
decides whether that is an error (``require``) or a reason to create.
"""

from __future__ import annotations

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneLookupError


def named(items, name):
    """Every item whose ``name`` equals ``name`` ignoring case."""
    wanted = str(name).casefold()
    return [item for item in items if str(item.get('name') or '').casefold() == wanted]


def by_name(items):
    """Every item under its ``name`` ignoring case, lists in the items' order: ``named`` for many names at once."""
    index = {}
    for item in items:
        index.setdefault(str(item.get('name') or '').casefold(), []).append(item)
    return index


def unique(matches, kind, name, where, id_option):
    """The one match, None for none; PingOneLookupError naming the IDs when several share the name."""
    if len(matches) > 1:
        raise PingOneLookupError("%d %ss are named '%s'%s (IDs %s); set %s to choose one"
                                 % (len(matches), kind, name, where, ', '.join(sorted(str(m.get('id')) for m in matches)),
                                    id_option))
    return matches[0] if matches else None


def by_id_or_name(items, wanted, kind, where='', id_option='the ID'):
    """The item whose ID is ``wanted``, else the one named ``wanted`` (ignoring case), else None."""
    for item in items:
        if item.get('id') == wanted:
            return item
    return unique(named(items, wanted), kind, wanted, where, id_option)


def require(item, kind, wanted, where='', hint=''):
    """``item``, or PingOneLookupError saying that no ``kind`` called ``wanted`` exists."""
    if item is None:
        raise PingOneLookupError("%s '%s' does not exist%s%s" % (kind[0].upper() + kind[1:], wanted, where, hint))
    return item
