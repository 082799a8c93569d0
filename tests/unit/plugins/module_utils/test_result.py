# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one wording of a module's msg: what was done, or in check mode what would be done."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._result import PAST_TENSE, Result


def test_a_change_is_worded_in_the_past_or_as_what_would_happen():
    result = Result().change('create', "application 'A' (WORKER)")
    assert result.changed is True
    assert result.message(check_mode=False) == "Created application 'A' (WORKER)"
    assert result.message(check_mode=True) == "Would create application 'A' (WORKER)"


def test_several_changes_make_one_line():
    result = Result().change('rotate', "the secret of application 'A'").change('write', 'the new secret to /tmp/s')
    assert result.message(False) == "Rotated the secret of application 'A'; wrote the new secret to /tmp/s"
    assert result.message(True) == "Would rotate the secret of application 'A'; would write the new secret to /tmp/s"


def test_no_change_gives_the_summary_and_is_not_changed():
    result = Result("Application 'A' is up to date", application={'id': 'x'})
    assert result.changed is False and result.values == {'application': {'id': 'x'}}
    assert result.message(False) == result.message(True) == "Application 'A' is up to date"


def test_every_verb_has_a_past_tense_and_unknown_verbs_are_refused():
    for verb, past in PAST_TENSE.items():
        assert Result().change(verb, 'x').message(False) == past.capitalize() + ' x'
    with pytest.raises(ValueError, match='unknown change verb'):
        Result().change('frobnicate', 'x')


def test_diff_and_warnings_are_kept_for_the_wrapper():
    result = Result()
    result.diff({'a': 1}, {'a': 2})
    result.warn('careful')
    assert (result.before, result.after, result.warnings) == ({'a': 1}, {'a': 2}, ['careful'])


def test_a_trailer_ends_the_line_after_the_changes():
    result = Result('Nothing to do').change('create', "1 application ('A')")
    result.trailer = '9 applications unchanged'
    assert result.message(False) == "Created 1 application ('A'); 9 applications unchanged"
    assert result.message(True) == "Would create 1 application ('A'); 9 applications unchanged"
