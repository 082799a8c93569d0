# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The errors shared code raises: one line each, structured members for the module edge."""

from __future__ import annotations

from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneAuthError,
    PingOneConnectionError,
    PingOneError,
    PingOneLookupError,
    PingOneOptionError,
)


def test_api_error_composes_one_line_from_the_pingone_error_body():
    exc = PingOneApiError('Creating application \'A\'', 400, code='INVALID_DATA', api_message='The request\ncould not be completed.',
                          details=[{'code': 'INVALID_VALUE', 'target': 'redirectUris', 'message': 'must be https'}, 'junk'],
                          error_id='e-1', subject='application')
    assert str(exc) == ("Creating application 'A' failed: HTTP 400 INVALID_DATA: The request could not be completed. "
                        "(redirectUris: must be https) [error id e-1]")
    assert exc.subject == 'application' and not exc.is_not_found
    assert PingOneApiError('Reading', 404).is_not_found


def test_auth_error_is_one_line():
    exc = PingOneAuthError('Obtaining a token', 401, 'invalid_client', 'Client\nauthentication failed')
    assert str(exc) == 'Obtaining a token failed: HTTP 401 invalid_client: Client authentication failed'
    assert exc.error == 'invalid_client'


def test_errors_carry_extra_result_values_for_the_failed_task():
    exc = PingOneOptionError('kid is required', private_key_written=False)
    assert isinstance(exc, PingOneError) and exc.result == {'private_key_written': False}
    assert PingOneLookupError('x').result == {}
    assert PingOneConnectionError('lost', maybe_committed=True).maybe_committed is True
