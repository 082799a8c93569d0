# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Durations such as ``30d`` or ``1d12h``, and RFC 3339 timestamps (standard library only, no Ansible)."""

from __future__ import annotations

import datetime
import re

DURATION_UNITS = {'d': 86400, 'h': 3600, 'm': 60, 's': 1}
DURATION_FORMAT = re.compile(r'^(?:[0-9]+[dhms])+$')
DURATION_PART = re.compile(r'([0-9]+)([dhms])')
DURATION_HELP = 'a duration such as 30d, 12h, 90m or 3600s (units d, h, m, s, which may be combined, as in 1d12h)'


def parse_duration(value, option):
    """Seconds in a duration such as ``30d`` or ``1d12h``; ValueError naming ``option`` when it is not one.

    Case and blanks do not matter; a number without a unit is an error (is ``3600`` seconds or days?).
    """
    text = str(value).strip().lower().replace(' ', '')
    if not DURATION_FORMAT.match(text):
        raise ValueError("%s must be %s; got '%s'" % (option, DURATION_HELP, value))
    return sum(int(number) * DURATION_UNITS[unit] for number, unit in DURATION_PART.findall(text))


def format_duration(seconds):
    """``30d``, ``1h30m``, ``2d3h``: the two largest units from the largest non-zero one, truncated."""
    seconds = int(seconds)
    parts = []
    for unit in ('d', 'h', 'm', 's'):
        count, seconds = divmod(seconds, DURATION_UNITS[unit])
        if count or (unit == 's' and not parts):
            parts.append('%d%s' % (count, unit))
        if len(parts) == 2:
            break
        if parts and not count:
            break
    return ''.join(parts)


def rfc3339(timestamp):
    """A POSIX timestamp as PingOne writes times: UTC, milliseconds, ``Z`` (``2026-05-02T10:00:00.000Z``)."""
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def parse_rfc3339(text):
    """The POSIX timestamp of an RFC 3339 time, or None when ``text`` is not one (None included)."""
    try:
        return datetime.datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()
    except (AttributeError, TypeError, ValueError):
        return None
