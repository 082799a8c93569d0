# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ApplicationsService against recorded replies: lookups by ID or unique name, the one "does not exist" message."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._applications import (
    ApplicationsService,
    is_system_application,
    sanitize_application,
)
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneError, PingOneLookupError, PingOneOptionError
from ansible_collections.pingone.oidc.tests.unit.plugins.module_utils.fakes import FakeResponse, FakeSession, p1_error

ENV = 'env-1'
WEB = {'id': 'a1', 'name': 'Web', 'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT'}
PORTAL = {'id': 'p1', 'name': 'PingOne Application Portal', 'type': 'PING_ONE_PORTAL', 'protocol': 'OPENID_CONNECT'}
SAML = {'id': 's1', 'name': 'Saml', 'type': 'WEB_APP', 'protocol': 'SAML'}


def service(*script):
    session = FakeSession(*script)
    client = PingOneClient(ClientConfig(access_token='given-token', api_url='https://api.example.com/v1'), session=session,
                           sleep=lambda seconds: None)
    return ApplicationsService(client, ENV), session


def listing(*apps):
    return FakeResponse(200, {'_embedded': {'applications': list(apps)}})


def test_a_name_finds_the_one_application_ignoring_case_and_system_apps():
    apps, dummy = service(listing(WEB, PORTAL))
    assert apps.resolve(name='WEB') == WEB
    apps, dummy = service(listing(WEB, PORTAL))
    assert apps.find_by_name('pingone application portal', include_system=True) == [PORTAL]


def test_a_shared_name_fails_listing_the_ids():
    twin = dict(WEB, id='a2', name='web')
    apps, dummy = service(listing(WEB, twin))
    with pytest.raises(PingOneLookupError) as info:
        apps.resolve(name='Web')
    assert str(info.value) == "2 applications are named 'Web' in environment 'env-1' (IDs a1, a2); set application_id to choose one"


def test_an_id_reads_the_application_and_a_missing_one_is_none_when_the_environment_exists():
    apps, session = service(FakeResponse(200, WEB))
    assert apps.resolve(application_id='a1') == WEB
    apps, session = service(p1_error(404, 'NOT_FOUND', 'nope'), FakeResponse(200, {'id': ENV}))
    assert apps.resolve(application_id='gone') is None
    assert [call['url'] for call in session.calls] == ['https://api.example.com/v1/environments/env-1/applications/gone',
                                                       'https://api.example.com/v1/environments/env-1']


def test_a_missing_environment_is_an_environment_error():
    apps, dummy = service(p1_error(404, 'NOT_FOUND', 'nope'), p1_error(404, 'NOT_FOUND', 'no environment'))
    with pytest.raises(PingOneApiError) as info:
        apps.resolve(application_id='gone')
    assert info.value.subject == 'environment' and info.value.status == 404


def test_require_is_the_one_not_found_message():
    apps, dummy = service(listing(WEB))
    with pytest.raises(PingOneLookupError) as info:
        apps.require(name='Nobody')
    assert str(info.value) == ("Application 'Nobody' does not exist in environment 'env-1'; create it first with "
                               "pingone.oidc.pingone_application")
    apps, dummy = service(p1_error(404, 'NOT_FOUND', 'nope'), FakeResponse(200, {'id': ENV}))
    with pytest.raises(PingOneLookupError, match="^Application with application_id 'x' does not exist in environment 'env-1'"):
        apps.require(application_id='x')


@pytest.mark.parametrize('application_id, name', [(None, None), ('', None), (None, '')])
def test_require_without_an_id_or_a_name_fails_before_any_request(application_id, name):
    apps, session = service()
    with pytest.raises(PingOneOptionError, match='^application_id or name is required: both are empty$'):
        apps.require(application_id, name)
    assert session.calls == []


def test_only_openid_connect_applications_are_resolved():
    apps, dummy = service(listing(SAML))
    with pytest.raises(PingOneLookupError, match='is a SAML application, not an OpenID Connect one'):
        apps.resolve(name='saml')


def test_delete_of_a_gone_application_is_no_change():
    apps, dummy = service(FakeResponse(204), p1_error(404, 'NOT_FOUND', 'gone'))
    assert apps.delete('a1') is True
    assert apps.delete('a1') is False


def test_ids_are_one_path_segment():
    apps, session = service(FakeResponse(200, WEB))
    apps.get('../x?y#z')
    assert session.calls[0]['url'].endswith('/applications/..%2Fx%3Fy%23z')


def test_sanitized_views_drop_secrets_and_links():
    assert sanitize_application(dict(WEB, clientSecret='s', _links={'self': {}})) == WEB
    assert is_system_application(PORTAL) and not is_system_application(WEB)


@pytest.mark.parametrize('value', ['..', '.', ''])
def test_a_dot_segment_never_enters_a_url(value):
    apps, session = service()
    with pytest.raises(PingOneError, match='not an ID'):
        apps.get(value)
    assert session.calls == []


def test_system_applications_are_found_by_name_or_id_and_refused():
    apps, dummy = service(listing(WEB, PORTAL))
    with pytest.raises(PingOneLookupError) as info:
        apps.resolve(name='pingone application portal')
    assert str(info.value) == ("Application 'PingOne Application Portal' (p1) is PingOne's own PING_ONE_PORTAL application: "
                               "this collection neither changes nor deletes it, and no other application may take its name")
    apps, dummy = service(FakeResponse(200, PORTAL))
    with pytest.raises(PingOneLookupError, match='is PingOne.s own PING_ONE_PORTAL application'):
        apps.resolve(application_id='p1')
