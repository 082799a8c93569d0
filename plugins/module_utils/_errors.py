# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Every error the collection raises below the module edge.

Shared code raises these; only the module wrapper turns them into a failed task. Every message
is one line and never contains a secret: messages are built only from option names, operation
names, URLs (no credentials in our URLs), HTTP statuses and the fields of PingOne's error body.
``result`` carries extra return values a failed task should still report.
"""

from __future__ import annotations


class PingOneError(Exception):
    """Base class of every error the collection raises."""

    def __init__(self, message, **result):
        super().__init__(message)
        self.message = message
        self.result = result
        # warnings of the run so far, reported with the failure
        self.warnings = []

    def __str__(self):
        return self.message


class PingOneOptionError(PingOneError):
    """The module options are wrong or contradictory (found before any write, and before any request when the options
    alone show it). The message names the option."""


class PingOneMissingLibrary(PingOneError):
    """A Python library the task needs cannot be imported; the module edge words it as Ansible does."""

    def __init__(self, library, import_error):
        super().__init__('the Python library %s is required' % library)
        self.library = library
        self.import_error = import_error


class PingOneLookupError(PingOneError):
    """An object named in the options does not exist, or the name is ambiguous."""


class PingOneConfigError(PingOneError):
    """The client configuration is incomplete or contradictory (raised before any request)."""


class PingOneConnectionError(PingOneError):
    """The server could not be reached or the connection broke.

    ``maybe_committed`` is True when the request may have reached the server (the reply was
    lost), so a non-idempotent call may have taken effect.
    """

    def __init__(self, message, maybe_committed=False, reason=None):
        super().__init__(message)
        self.maybe_committed = maybe_committed
        # a short cause ('connection refused', 'TLS certificate host name mismatch', 'redirect', ...)
        self.reason = reason


class PingOneApiError(PingOneError):
    """The management API answered with an error status.

    Carries the parsed PingOne error body: ``code``, ``api_message``, ``details`` (a list of
    dicts with ``code``, ``target``, ``message``) and the error ``id`` for support requests.
    """

    def __init__(self, operation, status, code=None, api_message=None, details=None, error_id=None, retry_after=None,
                 subject=None):
        self.operation = operation
        # what the request was about ('environment', 'application', ...), so hints need not parse the text
        self.subject = subject
        # a write answered 500/502/504 may still have taken effect
        self.maybe_committed = False
        self.status = status
        self.code = code
        self.api_message = api_message
        self.details = details or []
        self.error_id = error_id
        self.retry_after = retry_after
        super().__init__(self._compose())

    def _compose(self):
        text = '%s failed: HTTP %s' % (self.operation, self.status)
        if self.code:
            text += ' %s' % self.code
        if self.api_message:
            text += ': %s' % self.api_message.rstrip()
        detail_texts = []
        for detail in self.details:
            if not isinstance(detail, dict):
                continue
            part = detail.get('message') or detail.get('code') or ''
            if detail.get('target'):
                part = '%s: %s' % (detail['target'], part)
            if part:
                detail_texts.append(part)
        if detail_texts:
            text += ' (%s)' % '; '.join(detail_texts)
        if self.error_id:
            text += ' [error id %s]' % self.error_id
        return ' '.join(text.split())

    @property
    def is_not_found(self):
        return self.status == 404


class PingOneAuthError(PingOneError):
    """The authorization server refused a token request (OAuth error body)."""

    def __init__(self, operation, status, error=None, error_description=None):
        self.operation = operation
        self.status = status
        self.error = error
        self.error_description = error_description
        text = '%s failed: HTTP %s' % (operation, status)
        if error:
            text += ' %s' % error
        if error_description:
            text += ': %s' % error_description
        super().__init__(' '.join(text.split()))
