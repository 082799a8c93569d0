# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What a module's ``ensure`` returns, and the one wording of ``msg`` (no Ansible imports).

A module records each change as a verb and a text (``result.change('update', "application 'A': par_timeout")``);
the wrapper words it "Updated application 'A': par_timeout", or in check mode "Would update application
'A': par_timeout". Nothing else decides how a change is phrased, so check mode can never claim a change
was made.
"""

from __future__ import annotations

PAST_TENSE = {
    'add': 'added',
    'assign': 'assigned',
    'create': 'created',
    'delete': 'deleted',
    'grant': 'granted',
    'remove': 'removed',
    'replace': 'replaced',
    'revoke': 'revoked',
    'rotate': 'rotated',
    'set': 'set',
    'update': 'updated',
    'write': 'wrote',
}


class Result:
    """The outcome of one module run: changes, return values, a diff and warnings.

    ``summary`` is the message when nothing changed (a read, or "already up to date").
    """

    def __init__(self, summary=None, **values):
        self.summary = summary
        self.values = dict(values)
        self.changes = []
        self.warnings = []
        self.before = None
        self.after = None
        # said after the changes, e.g. "9 applications unchanged"
        self.trailer = None

    def change(self, verb, text):
        """Record a change; ``verb`` is a key of PAST_TENSE, ``text`` what it applies to."""
        if verb not in PAST_TENSE:
            raise ValueError('unknown change verb %r' % verb)
        self.changes.append((verb, text))
        return self

    def warn(self, text):
        self.warnings.append(text)

    def diff(self, before, after):
        self.before, self.after = before, after

    @property
    def changed(self):
        return bool(self.changes)

    def message(self, check_mode):
        """One line: the changes in the past tense, or as what would happen in check mode."""
        if not self.changes:
            return self.summary or ''
        parts = [('would %s' % verb if check_mode else PAST_TENSE[verb]) + ' ' + text for verb, text in self.changes]
        if self.trailer:
            parts.append(self.trailer)
        text = '; '.join(parts)
        return text[0].upper() + text[1:]
