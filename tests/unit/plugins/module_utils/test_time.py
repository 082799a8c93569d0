# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Durations and RFC 3339 timestamps."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _time

DAY = 86400


@pytest.mark.parametrize('text, seconds', [
    ('30d', 30 * DAY),
    ('1d12h', 36 * 3600),
    (' 90M ', 5400),
    ('3600s', 3600),
    ('1h 30m', 5400),
    ('0s', 0),
    ('2d3h4m5s', 2 * DAY + 3 * 3600 + 4 * 60 + 5),
    ('1m1m', 120),
])
def test_durations_are_parsed(text, seconds):
    assert _time.parse_duration(text, 'x') == seconds


@pytest.mark.parametrize('text', ['3600', '0', '2 weeks', 'soon', '', '1w', '-1d', '1.5h', 'd', '1d-'])
def test_bad_durations_name_the_option_and_the_value(text):
    with pytest.raises(ValueError) as info:
        _time.parse_duration(text, 'rotate_if_older_than')
    assert str(info.value) == ("rotate_if_older_than must be a duration such as 30d, 12h, 90m or 3600s (units d, h, m, s, which "
                               "may be combined, as in 1d12h); got '%s'" % text)


@pytest.mark.parametrize('seconds, text', [
    (0, '0s'), (59, '59s'), (60, '1m'), (61, '1m1s'), (3600, '1h'), (5400, '1h30m'), (30 * DAY, '30d'),
    (31 * DAY - 5, '30d23h'), (DAY + 60, '1d'), (DAY + 3600 + 61, '1d1h'), (59.9, '59s'),
])
def test_durations_are_formatted_with_the_two_largest_units(seconds, text):
    assert _time.format_duration(seconds) == text


def test_formatting_round_trips_for_whole_units():
    for text in ('30d', '12h', '90m', '1d12h', '45s'):
        assert _time.parse_duration(_time.format_duration(_time.parse_duration(text, 'x')), 'x') == _time.parse_duration(text, 'x')


def test_rfc3339_is_utc_with_milliseconds():
    assert _time.rfc3339(0) == '1970-01-01T00:00:00.000Z'
    assert _time.rfc3339(1.2345) == '1970-01-01T00:00:01.234Z'
    moment = datetime.datetime(2026, 5, 2, 10, 0, 0, 999999, tzinfo=datetime.timezone.utc).timestamp()
    assert _time.rfc3339(moment) == '2026-05-02T10:00:00.999Z'


def test_rfc3339_round_trips():
    for stamp in (0, 1777716000.5, 1777716000.123):
        assert _time.parse_rfc3339(_time.rfc3339(stamp)) == pytest.approx(stamp, abs=0.001)


@pytest.mark.parametrize('text, stamp', [
    ('2026-05-02T10:00:00.000Z', 1777716000.0),
    ('2026-05-02T10:00:00Z', 1777716000.0),
    ('2026-05-02T12:00:00.000+02:00', 1777716000.0),
])
def test_rfc3339_is_parsed(text, stamp):
    assert _time.parse_rfc3339(text) == stamp


@pytest.mark.parametrize('text', [None, '', 'yesterday', 42, '2026-13-01T00:00:00Z'])
def test_unreadable_times_are_none(text):
    assert _time.parse_rfc3339(text) is None
