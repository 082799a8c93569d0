# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application's icon option against the in-process simulator: uploads, content comparison, requests counted."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.modules import pingone_applications as fleet_module
from ansible_collections.pingone.oidc.tests.unit.icons import GIF, png
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts
from ansible_collections.pingone.oidc.tests.unit.simulated.plugins.modules.test_pingone_application import requests_since_reset as routes
from ansible_collections.pingone.oidc.tests.unit.simulated.plugins.modules.test_pingone_application import run

UPLOAD = 'POST /v1/environments/{envId}/images'
READ_IMAGE = 'GET /v1/environments/{envId}/images/{imageId}'
DELETE_IMAGE = 'DELETE /v1/environments/{envId}/images/{imageId}'
SERVED = 'GET /uploads/environments/{envId}/images/{fileName}'
PUT_APP = 'PUT /v1/environments/{envId}/applications/{appId}'


@pytest.fixture
def env(simulator):
    return simulator.new_environment('icons')


@pytest.fixture
def icon_file(tmp_path):
    path = tmp_path / 'icon.png'
    path.write_bytes(png())
    return path


def image_of(simulator, result):
    """The image the application's icon names, read as another client would."""
    token = requests.post('%s/%s/as/token' % (simulator.url, simulator.environment_id), data={'grant_type': 'client_credentials'},
                          auth=(simulator.client_id, simulator.client_secret), timeout=10).json()['access_token']
    icon = result['application']['icon']
    env = result['application']['environment']['id']
    reply = requests.get('%s/environments/%s/images/%s' % (simulator.api_url, env, icon['id']),
                         headers={'Authorization': 'Bearer ' + token}, timeout=10)
    return reply.status_code, reply.json() if reply.content else None


def test_a_file_is_uploaded_once_then_compared_by_content(simulator, env, run_module, icon_file):
    simulator.control('DELETE', 'stats')
    created, failed = run(run_module, simulator, env, name='Iconic', type='WEB_APP', icon={'path': str(icon_file)})
    assert not failed, created['msg']
    image_id = created['application']['icon']['id']
    assert created['msg'] == "Created image '%s' from %s; created application 'Iconic' (WEB_APP)" % (image_id, icon_file)
    status, image = image_of(simulator, created)
    assert status == 200 and created['application']['icon'] == {'id': image_id, 'href': image['targets']['original']['href']}
    dummy, by_route = routes(simulator)
    assert by_route[UPLOAD] == 1 and SERVED not in by_route  # a new application has no icon to compare with

    again, failed = run(run_module, simulator, env, name='Iconic', icon={'path': str(icon_file)})
    assert not failed and again['changed'] is False and again['msg'] == "Application 'Iconic' is up to date"
    total, by_route = routes(simulator)
    assert UPLOAD not in by_route and PUT_APP not in by_route
    assert by_route[READ_IMAGE] == 1 and by_route[SERVED] == 1
    assert total <= 4  # token, list, the image, its file

    icon_file.write_bytes(png(shade=7))  # another picture under the same name
    changed, failed = run(run_module, simulator, env, diff=True, name='Iconic', icon={'path': str(icon_file)})
    assert not failed and changed['changed'] is True and changed['changed_options'] == ['icon']
    new_id = changed['application']['icon']['id']
    assert new_id != image_id
    assert changed['msg'] == "Created image '%s' from %s; updated application 'Iconic': icon" % (new_id, icon_file)
    assert (changed['diff']['before']['icon'], changed['diff']['after']['icon']) == (image_id, new_id)
    dummy, by_route = routes(simulator)
    assert by_route[UPLOAD] == 1 and by_route[PUT_APP] == 1
    assert image_of(simulator, created)[0] == 200  # the replaced image stays: something else may use it


def test_an_image_id_is_used_as_it_is_and_an_unknown_one_names_the_option(simulator, env, run_module, icon_file):
    first, dummy = run(run_module, simulator, env, name='First', type='WEB_APP', icon={'path': str(icon_file)})
    icon = first['application']['icon']
    simulator.control('DELETE', 'stats')
    second, failed = run(run_module, simulator, env, name='Second', type='WORKER', icon={'id': icon['id']})
    assert not failed and second['application']['icon'] == icon
    dummy, by_route = routes(simulator)
    assert by_route[READ_IMAGE] == 1 and UPLOAD not in by_route
    again, failed = run(run_module, simulator, env, name='Second', icon={'id': icon['id']})
    assert not failed and again['changed'] is False
    assert READ_IMAGE not in routes(simulator)[1]  # the icon the application has: nothing to look up

    unknown, failed = run(run_module, simulator, env, name='Third', type='WORKER', icon={'id': 'no-such-image'})
    assert failed and unknown['msg'] == "icon.id 'no-such-image' is not an image of environment '%s'" % env
    assert not [route for route in routes(simulator)[1] if route.startswith(('POST /v1', 'PUT'))]


def test_an_empty_icon_removes_it(simulator, env, run_module, icon_file):
    run(run_module, simulator, env, name='Plain', type='WEB_APP', icon={'path': str(icon_file)})
    for empty in ({}, {'id': ''}):
        removed, failed = run(run_module, simulator, env, name='Plain', icon=empty)
        assert not failed and removed['changed'] is True and removed['changed_options'] == ['icon']
        assert 'icon' not in removed['application']
        again, failed = run(run_module, simulator, env, name='Plain', icon=empty)
        assert not failed and again['changed'] is False
        run(run_module, simulator, env, name='Plain', icon={'path': str(icon_file)})


def test_check_mode_uploads_and_writes_nothing(simulator, env, run_module, icon_file):
    simulator.control('DELETE', 'stats')
    ghost, failed = run(run_module, simulator, env, check_mode=True, diff=True, name='Ghost', type='WEB_APP',
                        icon={'path': str(icon_file)})
    assert not failed and ghost['changed'] is True
    assert ghost['msg'] == "Would create image from %s; would create application 'Ghost' (WEB_APP)" % icon_file
    assert ghost['diff']['after']['icon'] == '(new image from icon.png)'
    real, dummy = run(run_module, simulator, env, name='Real', type='WEB_APP', icon={'path': str(icon_file)})
    other = icon_file.parent / 'other.gif'
    other.write_bytes(GIF)
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, check_mode=True, diff=True, name='Real', icon={'path': str(other)})
    assert not failed and result['changed'] is True and result['changed_options'] == ['icon']
    assert result['msg'] == "Would create image from %s; would update application 'Real': icon" % other
    assert (result['diff']['before']['icon'], result['diff']['after']['icon']) == (real['application']['icon']['id'],
                                                                                   '(new image from other.gif)')
    assert not [route for route in routes(simulator)[1] if route.startswith(('POST /v1', 'PUT', 'DELETE'))]


@pytest.mark.parametrize('make, problem', [
    (lambda path: None, 'does not exist'),
    (lambda path: path.mkdir(), r'is not a regular file (a directory)'),
    (lambda path: path.write_bytes(b'GIF8' + b'\x00' * 10), 'is not a PNG, JPEG or GIF image'),
    (lambda path: path.write_bytes(png() + b'\x00' * (1024 * 1024)), 'is larger than 1 MB (1048576 bytes)'),
])
def test_a_bad_file_fails_before_any_request_naming_the_option(simulator, env, run_module, tmp_path, make, problem):
    path = tmp_path / 'bad.png'
    make(path)
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='Bad', type='WEB_APP', icon={'path': str(path)})
    assert failed and result['msg'].startswith('icon.path %s %s' % (path, problem)), result['msg']
    assert simulator.stats()['total'] == 0
    both, failed = run(run_module, simulator, env, name='Bad', type='WEB_APP', icon={'id': 'x', 'path': str(path)})
    assert failed and 'mutually exclusive' in both['msg'] and 'id|path' in both['msg']
    assert simulator.stats()['total'] == 0


def test_a_current_icon_whose_file_cannot_be_read_is_replaced_with_a_warning(simulator, env, run_module, icon_file):
    run(run_module, simulator, env, name='Hidden', type='WEB_APP', icon={'path': str(icon_file)})
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 404, 'count': 1, 'method': 'GET', 'path_regex': '^/uploads/'})
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='Hidden', icon={'path': str(icon_file)})
    assert not failed and result['changed'] is True
    (warning,) = warning_texts(result)
    assert warning.startswith("The icon of application 'Hidden' (image ")
    assert warning.endswith('answered HTTP 404): the file is uploaded as a new image')
    assert routes(simulator)[1][UPLOAD] == 1


def test_the_file_is_read_without_the_token(simulator, env, run_module, icon_file, monkeypatch):
    run(run_module, simulator, env, name='Private', type='WEB_APP', icon={'path': str(icon_file)})
    seen = []
    original = requests.Session.request

    def recording(session, method, url, **kwargs):
        seen.append((url, dict(session.headers, **(kwargs.get('headers') or {}))))
        return original(session, method, url, **kwargs)
    monkeypatch.setattr(requests.Session, 'request', recording)
    result, failed = run(run_module, simulator, env, name='Private', icon={'path': str(icon_file)})
    assert not failed and result['changed'] is False
    served = [headers for url, headers in seen if '/uploads/' in url]
    assert len(served) == 1 and not [name for name in served[0] if name.lower() == 'authorization']
    assert [headers for url, headers in seen if '/v1/' in url and 'Authorization' in headers]  # the API calls have it


def test_an_upload_of_unknown_outcome_is_sent_once_more(simulator, env, run_module, icon_file):
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'count': 1, 'method': 'POST', 'path_regex': '/images$'})
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='Dropped', type='WEB_APP', icon={'path': str(icon_file)})
    assert not failed, result['msg']
    assert [warning for warning in warning_texts(result) if 'had no clear outcome' in warning]
    assert routes(simulator)[1][UPLOAD] == 2
    assert image_of(simulator, result)[0] == 200


def test_an_image_uploaded_for_a_write_that_failed_is_deleted_again(simulator, env, run_module, icon_file):
    run(run_module, simulator, env, name='Refused', type='WEB_APP')
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'count': 1, 'method': 'PUT', 'path_regex': '/applications/'})
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='Refused', icon={'path': str(icon_file)})
    assert failed
    dummy, by_route = routes(simulator)
    assert by_route[UPLOAD] == 1 and by_route[DELETE_IMAGE] == 1


def test_the_fleet_module_refuses_an_icon_before_any_request(simulator, env, run_module, icon_file):
    simulator.control('DELETE', 'stats')
    args = dict(simulator.module_auth(), environment_id=env,
                applications=[{'name': 'Fleet', 'type': 'WEB_APP', 'icon': {'path': str(icon_file)}}])
    result, failed = run_module(fleet_module, args)
    assert failed and 'icon' in result['msg']
    assert simulator.stats()['total'] == 0
