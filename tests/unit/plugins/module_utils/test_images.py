# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The icon option: file checks, the images API on a scripted session, the content comparison, the model's icon field."""

from __future__ import annotations

import hashlib
import os

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _images
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneOptionError
from ansible_collections.pingone.oidc.tests.unit.icons import GIF, jpeg, png
from ansible_collections.pingone.oidc.tests.unit.plugins.module_utils.fakes import FakeClock, FakeResponse, FakeSession, p1_error
from ansible_collections.pingone.oidc.tests.unit.unsafe_paths import OTHER_UID, needs_root, no_hang

ENV = '0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11'
API = 'https://api.pingone.eu/v1'
HREF = 'https://uploads.pingone.eu/environments/%s/images/one.png' % ENV
ICON = model.FIELDS_BY_OPTION['icon']


def write(tmp_path, data, name='icon.png'):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# -- the file -----------------------------------------------------------------------------------------

@pytest.mark.parametrize('data, kind, content_type', [(png(), 'png', 'image/png'), (jpeg(), 'jpg', 'image/jpeg'),
                                                      (GIF, 'gif', 'image/gif')])
def test_a_file_is_known_by_its_first_bytes_whatever_its_name(tmp_path, data, kind, content_type):
    icon = _images.read_icon_file(write(tmp_path, data, 'logo.bin'))
    assert (icon.kind, icon.content_type, icon.data) == (kind, content_type, data)
    assert icon.digest == hashlib.sha256(data).hexdigest()
    assert icon.upload_name == '%s.%s' % (icon.digest[:32], kind)  # no part of the path travels
    assert icon.label == 'logo.bin'


def test_the_size_limit_is_one_megabyte_exactly(tmp_path):
    largest = png() + b'\x00' * (_images.MAX_ICON_BYTES - len(png()))
    assert len(_images.read_icon_file(write(tmp_path, largest)).data) == _images.MAX_ICON_BYTES
    with pytest.raises(PingOneOptionError, match=r'^icon.path \S+ is larger than 1 MB \(1048576 bytes\)'):
        _images.read_icon_file(write(tmp_path, largest + b'\x00'))


@pytest.mark.parametrize('data', [b'', b'<svg xmlns="http://www.w3.org/2000/svg"/>', b'RIFF\x00\x00\x00\x00WEBPVP8 ', b'\x89PNG'])
def test_anything_but_png_jpeg_or_gif_is_refused(tmp_path, data):
    path = write(tmp_path, data)
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s is not a PNG, JPEG or GIF image' % path):
        _images.read_icon_file(path)


def test_missing_empty_and_not_regular_paths_name_the_option(tmp_path):
    with pytest.raises(PingOneOptionError, match=r'^icon.path must not be empty'):
        _images.read_icon_file('')
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s does not exist$' % (tmp_path / 'gone.png')):
        _images.read_icon_file(str(tmp_path / 'gone.png'))
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s does not exist$' % (tmp_path / 'gone' / 'icon.png')):
        _images.read_icon_file(str(tmp_path / 'gone' / 'icon.png'))
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s is not a regular file \(a directory\)' % tmp_path):
        _images.read_icon_file(str(tmp_path))
    fifo = tmp_path / 'fifo.png'
    os.mkfifo(str(fifo))
    with no_hang():
        with pytest.raises(PingOneOptionError, match=r'is not a regular file \(a FIFO\)'):
            _images.read_icon_file(str(fifo))
    with pytest.raises(PingOneOptionError, match=r'is not a regular file \(a character device\)'):
        _images.read_icon_file('/dev/null')


def test_an_own_link_is_followed_but_not_one_in_a_shared_directory(tmp_path, sticky):
    real = write(tmp_path, png())
    (tmp_path / 'link.png').symlink_to(real)
    assert _images.read_icon_file(str(tmp_path / 'link.png')).data == png()
    (sticky / 'link.png').symlink_to(real)
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s is a symbolic link in %s, a directory other users can write to'
                       % (sticky / 'link.png', sticky)):
        _images.read_icon_file(str(sticky / 'link.png'))


@needs_root
def test_files_and_links_planted_by_another_user_are_refused(tmp_path, sticky):
    planted = sticky / 'icon.png'
    planted.write_bytes(png())
    os.chown(str(planted), OTHER_UID, OTHER_UID)
    with pytest.raises(PingOneOptionError, match=r'^icon.path %s belongs to another user \(uid 65534\)' % planted):
        _images.read_icon_file(str(planted))
    link = tmp_path / 'theirs.png'
    link.symlink_to(write(tmp_path, png(), 'real.png'))
    os.lchown(str(link), OTHER_UID, OTHER_UID)
    with pytest.raises(PingOneOptionError, match=r'is a symbolic link owned by another user \(uid 65534\); it is not followed'):
        _images.read_icon_file(str(link))


def test_the_option_is_checked_before_any_request(tmp_path):
    _images.check_icon_option(None)
    _images.check_icon_option({'id': None, 'path': None})  # {}: remove the icon
    _images.check_icon_option({'id': '', 'path': None})
    _images.check_icon_option({'id': 'a1b2', 'path': None})
    _images.check_icon_option({'id': None, 'path': write(tmp_path, GIF)})
    for bad in ('..', '.', 'a\nb'):
        with pytest.raises(PingOneOptionError, match=r'^icon.id '):
            _images.check_icon_option({'id': bad, 'path': None})
    with pytest.raises(PingOneOptionError, match=r'^icon.path must not be empty'):
        _images.check_icon_option({'id': None, 'path': ''})


# -- where a served file may be read from --------------------------------------------------------------

@pytest.mark.parametrize('href, problem', [
    (HREF, None),
    ('http://127.0.0.1:8080/uploads/environments/e/images/i.png', None),  # the API's own host (a local simulator)
    ('http://uploads.example.com/i.png', 'its address http://uploads.example.com is neither https nor on the API host'),
    ('http://127.0.0.1:9999/i.png', 'its address http://127.0.0.1:9999 is neither https nor on the API host'),
    ('https://user:pw@uploads.pingone.eu/i.png', 'its address holds credentials'),
    ('ftp://uploads.pingone.eu/i.png', 'its address ftp://uploads.pingone.eu is neither https nor on the API host'),
    ('https:///i.png', 'its address https:// is neither https nor on the API host'),
    ('https://uploads.pingone.eu/i.png\r\nX: y', 'its address contains a control character'),
    ('https://[::1/i.png', 'its address is not a valid URL'),
    (None, 'PingOne names no address for it (targets.original.href)'),
])
def test_a_served_file_is_read_only_over_https_or_from_the_api_host(href, problem):
    assert _images.download_problem(href, 'http://127.0.0.1:8080/v1') == problem


# -- the images API on a scripted session --------------------------------------------------------------

class Streamed(FakeResponse):
    """A reply read as a stream, as the client reads a served file."""

    def __init__(self, status, data, headers=None):
        super().__init__(status, None, headers)
        self.content = data
        self.closed = False

    def iter_content(self, size):
        for start in range(0, len(self.content), size):
            yield self.content[start:start + size]

    def close(self):
        self.closed = True


def client_with(*script):
    clock = FakeClock()
    session = FakeSession(*script)
    config = ClientConfig(access_token='tok-1', api_url=API, max_retries=1)
    return PingOneClient(config, session=session, sleep=clock.sleep, clock=clock, jitter=lambda: 0.5), session


def image(image_id='img-1', href=HREF):
    return {'id': image_id, 'environment': {'id': ENV}, 'targets': {'original': {'id': 't', 'type': 'png', 'href': href}}}


def test_a_served_file_is_fetched_without_credentials_and_read_no_further_than_an_icon_may_be():
    big = b'x' * (_images.MAX_ICON_BYTES + 5000)
    reply = Streamed(200, big)
    client, session = client_with(reply)
    response = client.download(HREF, 'Reading', _images.MAX_ICON_BYTES, accept='image/*')
    assert response.status == 200 and response.body == big[:_images.MAX_ICON_BYTES + 1] and reply.closed
    (call,) = session.calls
    assert 'Authorization' not in call['headers'] and call['headers'] == {'Accept': 'image/*'}
    assert call['stream'] is True and call['allow_redirects'] is False and 'data' not in call


def test_a_served_file_that_redirects_is_not_followed():
    client, session = client_with(Streamed(302, b'', {'Location': 'https://elsewhere.example.com/i.png'}))
    with pytest.raises(PingOneConnectionError, match='redirect to https://elsewhere.example.com, which is not followed'):
        client.download(HREF, 'Reading', 10)
    assert len(session.calls) == 1


def test_an_upload_is_the_file_with_its_type_and_the_token():
    client, session = client_with(FakeResponse(201, image()))
    icon = _images.IconFile('/x/logo.png', png(), 'png', 'image/png')
    created, warning = _images.ImagesService(client, ENV).upload(icon)
    assert created == image() and warning is None
    (call,) = session.calls
    assert (call['method'], call['url']) == ('POST', '%s/environments/%s/images' % (API, ENV))
    assert call['data'] == png()
    assert call['headers']['Content-Type'] == 'image/png' and call['headers']['Authorization'] == 'Bearer tok-1'
    assert call['headers']['Content-Disposition'] == 'attachment; filename=%s' % icon.upload_name


def test_an_upload_of_unknown_outcome_is_sent_once_more_with_a_warning():
    client, session = client_with(p1_error(502, 'BAD_GATEWAY', 'bad gateway'), FakeResponse(201, image()))
    created, warning = _images.ImagesService(client, ENV).upload(_images.IconFile('/x/logo.png', png(), 'png', 'image/png'))
    assert created['id'] == 'img-1' and len(session.calls) == 2
    assert warning.startswith('The first upload of /x/logo.png had no clear outcome')


def test_a_refused_upload_is_not_sent_again_and_a_reply_without_an_address_is_an_error():
    client, session = client_with(p1_error(400, 'INVALID_DATA', 'not an image'))
    with pytest.raises(PingOneApiError, match='not an image'):
        _images.ImagesService(client, ENV).upload(_images.IconFile('/x/logo.png', png(), 'png', 'image/png'))
    assert len(session.calls) == 1
    client, session = client_with(FakeResponse(201, {'id': 'img-1'}))
    with pytest.raises(PingOneApiError, match='targets.original.href'):
        _images.ImagesService(client, ENV).upload(_images.IconFile('/x/logo.png', png(), 'png', 'image/png'))


# -- the plan: compare, look up, or upload -------------------------------------------------------------

class FakeImages:
    """ImagesService with images by ID and the files they serve (a digest, or the reason it cannot be read)."""

    environment_id = ENV

    def __init__(self, images=None, served=None):
        self.images = images or {}
        self.served = served or {}
        self.reads = []

    def get(self, image_id):
        self.reads.append(image_id)
        return self.images.get(image_id)

    def served_digest(self, found):
        return self.served.get(found['id'], (None, 'connection refused'))


CURRENT = {'id': 'img-1', 'href': HREF}


def test_the_same_picture_keeps_the_current_icon(tmp_path):
    path = write(tmp_path, png())
    service = FakeImages({'img-1': image()}, {'img-1': (hashlib.sha256(png()).hexdigest(), None)})
    plan = _images.plan_icon(service, {'id': None, 'path': path}, CURRENT, "'App'")
    assert plan.value == CURRENT and plan.upload is None and plan.warnings == []
    assert model.changed_options({'icon': CURRENT}, {ICON: plan.value}) == []


def test_another_picture_or_no_icon_is_uploaded(tmp_path):
    path = write(tmp_path, png(shade=1), 'new.png')
    service = FakeImages({'img-1': image()}, {'img-1': (hashlib.sha256(png()).hexdigest(), None)})
    plan = _images.plan_icon(service, {'id': None, 'path': path}, CURRENT, "'App'")
    assert plan.upload.data == png(shade=1) and plan.warnings == []
    assert plan.value == {'id': '(new image from new.png)', 'href': '(new image from new.png)'}
    assert model.changed_options({'icon': CURRENT}, {ICON: plan.value}) == ['icon']
    for current in (None, {}, {'href': HREF}):
        fresh = _images.plan_icon(FakeImages(), {'id': None, 'path': path}, current, "'App'")
        assert fresh.upload is not None and fresh.warnings == []
    gone = _images.plan_icon(FakeImages(), {'id': None, 'path': path}, CURRENT, "'App'")  # the image was deleted
    assert gone.upload is not None and gone.warnings == []


def test_a_current_icon_that_cannot_be_read_is_replaced_with_a_warning(tmp_path):
    path = write(tmp_path, png())
    service = FakeImages({'img-1': image()})
    plan = _images.plan_icon(service, {'id': None, 'path': path}, CURRENT, "'App'", check_mode=True)
    assert plan.upload is not None
    assert plan.warnings == ["The icon of application 'App' (image img-1) could not be read to compare it with icon.path "
                             "(connection refused): the file would be uploaded as a new image"]
    assert 'the file is uploaded' in _images.plan_icon(service, {'id': None, 'path': path}, CURRENT, "'App'").warnings[0]


def test_an_image_id_is_looked_up_unless_it_is_the_current_one():
    service = FakeImages({'img-2': image('img-2', HREF + '?2')})
    assert _images.plan_icon(service, {'id': 'img-1', 'path': None}, CURRENT, "'App'").value == CURRENT
    assert service.reads == []
    assert _images.plan_icon(service, {'id': 'img-2', 'path': None}, CURRENT, "'App'").value == {'id': 'img-2', 'href': HREF + '?2'}
    with pytest.raises(PingOneOptionError, match=r"^icon.id 'img-9' is not an image of environment '%s'$" % ENV):
        _images.plan_icon(service, {'id': 'img-9', 'path': None}, CURRENT, "'App'")


def test_no_id_and_no_path_removes_the_icon():
    for given in ({'id': None, 'path': None}, {'id': '', 'path': None}):
        plan = _images.plan_icon(FakeImages(), given, CURRENT, "'App'")
        assert plan.value == {} and plan.upload is None
        assert model.changed_options({'icon': CURRENT}, {ICON: plan.value}) == ['icon']
        assert 'icon' not in model.merge({'name': 'App', 'icon': CURRENT}, {ICON: plan.value})
        assert model.changed_options({}, {ICON: plan.value}) == []


# -- the model's icon field ------------------------------------------------------------------------------

def test_the_icon_is_compared_written_and_shown_by_image_id():
    assert model.to_api(ICON, {'id': 'img-1', 'href': HREF, 'path': None}) == CURRENT
    assert model.normalize(ICON, CURRENT) == 'img-1' and model.normalize(ICON, None) is None
    assert model.changed_options({'icon': dict(CURRENT, href=HREF + '?other')}, {ICON: CURRENT}) == []  # the ID is the image
    body = model.merge({'name': 'App', 'icon': CURRENT}, {ICON: {'id': 'img-2', 'href': 'h2'}})
    assert body['icon'] == {'id': 'img-2', 'href': 'h2'} and model.validate_body(body) == []
    assert model.diff_view({'name': 'App', 'icon': CURRENT})['icon'] == 'img-1'
    assert model.option_value(ICON, CURRENT) == {'id': 'img-1'}


def test_an_icon_no_module_resolved_is_refused_before_any_write():
    problem = ('icon needs the ID and address (href) of an image of the environment, which only pingone.oidc.pingone_application '
               'looks up (icon.id) or uploads (icon.path)')
    for given in ({'id': None, 'path': '/x/logo.png'}, {'id': 'img-2', 'path': None}):
        assert model.changed_options({'icon': CURRENT}, {ICON: given}) == ['icon']  # a path never equals an image
        assert problem in model.validate_body(model.merge({'name': 'App', 'icon': CURRENT}, {ICON: given}))
    assert model.changed_options({}, {ICON: {'id': None, 'path': '/x/logo.png'}}) == ['icon']


def test_only_modules_that_resolve_it_offer_it_and_definitions_leave_it_behind():
    assert 'icon' not in model.field_argument_spec() and 'icon' in model.field_argument_spec(resolved=True)
    app = {'id': 'a', 'name': 'App', 'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'icon': CURRENT}
    assert 'icon' not in model.definition_from_api(app)
    assert model.unmodelled_members(app) == ['icon']
