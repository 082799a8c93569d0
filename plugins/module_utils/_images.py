# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Images of an environment and the icon of an application (no Ansible).

An icon given as a file is compared with the application's by content, so that a run uploads only when the
picture changed: the application's image is read (``GET /images/{id}``), the file it serves is fetched from the
address the API names for it (``targets.original.href``) and the SHA-256 of both is compared. That fetch carries
no token and follows no redirect, and only goes to an https address or to the API's own host (a local test
server): the token stays with the configured API and auth hosts. When the image cannot be read there, the file
is uploaded again, with a warning that says why. PingOne lists no images, so nothing else can be looked for.

A file is checked before any request: a regular file (not a FIFO or a device, not a link or file planted by
another user: ``_files.private_target``), at most 1 MB like the console's icons, and a PNG, JPEG or GIF by its
first bytes, whatever its name.
"""

from __future__ import annotations

import errno
import hashlib
import os
from urllib.parse import urlsplit

from ansible_collections.pingone.oidc.plugins.module_utils import _files
from ansible_collections.pingone.oidc.plugins.module_utils._client import has_control_characters, identifier_problem, origin
from ansible_collections.pingone.oidc.plugins.module_utils._client import segment as _seg
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneError,
    PingOneOptionError,
)

# The console's limit for application icons ("a file up to 1 MB").
MAX_ICON_BYTES = 1024 * 1024
# PingOne's image formats (EnumImageFormat): name, the Content-Type of an upload, the first bytes of such a file.
FORMATS = (
    ('png', 'image/png', (b'\x89PNG\r\n\x1a\n',)),
    ('jpg', 'image/jpeg', (b'\xff\xd8\xff',)),
    ('gif', 'image/gif', (b'GIF87a', b'GIF89a')),
)
PATH_OPTION = 'icon.path'
ID_OPTION = 'icon.id'


class IconFile:
    """A checked image file: its bytes, format and SHA-256."""

    def __init__(self, path, data, kind, content_type):
        self.path = path
        self.data = data
        self.kind = kind
        self.content_type = content_type
        self.digest = hashlib.sha256(data).hexdigest()

    @property
    def upload_name(self):
        """The name it is uploaded under: its digest, so that no two pictures share a name and no path leaks."""
        return '%s.%s' % (self.digest[:32], self.kind)

    @property
    def label(self):
        return os.path.basename(self.path) or self.path


def image_format(data):
    """(name, content type) of the PNG, JPEG or GIF these bytes start, else None."""
    for kind, content_type, signatures in FORMATS:
        if data.startswith(signatures):
            return kind, content_type
    return None


def read_icon_file(path):
    """The checked icon at ``path``; PingOneOptionError naming icon.path when it cannot be one."""
    if not path:
        raise PingOneOptionError('%s must not be empty: give the path of a PNG, JPEG or GIF file' % PATH_OPTION)
    try:
        target = _files.private_target(path)
        data, dummy = _files.read_regular_file(target, MAX_ICON_BYTES, follow=False)
    except _files.UnsafePath as exc:
        raise PingOneOptionError('%s %s %s' % (PATH_OPTION, path, exc)) from None
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise PingOneOptionError('%s %s does not exist' % (PATH_OPTION, path)) from None
        if exc.errno == errno.ELOOP:
            raise PingOneOptionError('%s %s became a symbolic link while it was read; it is not followed' % (PATH_OPTION, path)) from None
        raise PingOneOptionError('%s %s cannot be read: %s' % (PATH_OPTION, path, exc.strerror or exc)) from None
    if len(data) > MAX_ICON_BYTES:
        raise PingOneOptionError('%s %s is larger than 1 MB (%d bytes), the largest icon PingOne takes' % (PATH_OPTION, path, MAX_ICON_BYTES))
    found = image_format(data)
    if found is None:
        raise PingOneOptionError('%s %s is not a PNG, JPEG or GIF image (its first bytes are not those of one)' % (PATH_OPTION, path))
    return IconFile(path, data, *found)


def check_icon_option(icon):
    """Every check of the ``icon`` option that needs no request (the file is read); PingOneOptionError naming it."""
    if not icon:
        return
    if icon.get('id'):
        problem = identifier_problem(icon['id'])
        if problem:
            raise PingOneOptionError('%s %s' % (ID_OPTION, problem))
    if icon.get('path') is not None:
        read_icon_file(icon['path'])


def download_problem(href, api_url):
    """Why the file at ``href`` (an address the API named) is not fetched, or None: only https, or the API's own host."""
    if not isinstance(href, str) or not href:
        return 'PingOne names no address for it (targets.original.href)'
    if has_control_characters(href):
        return 'its address contains a control character'
    try:
        parts = urlsplit(href)
        host = parts.hostname
    except ValueError:
        return 'its address is not a valid URL'
    if parts.username or parts.password:
        return 'its address holds credentials'
    if (parts.scheme == 'https' and host) or origin(href) == origin(api_url):
        return None
    return 'its address %s is neither https nor on the API host' % origin(href)


def image_href(image):
    """``targets.original.href`` of an image, or None."""
    original = ((image or {}).get('targets') or {}).get('original') or {}
    return original.get('href') if isinstance(original, dict) else None


class ImagesService:
    """Read, upload and delete images of one environment, and fetch the files they serve."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.base = 'environments/%s/images' % _seg(environment_id)

    def get(self, image_id):
        """The image, or None when there is none with this ID."""
        operation = "Reading image '%s' of environment '%s'" % (image_id, self.environment_id)
        return self.client.read('%s/%s' % (self.base, _seg(image_id)), operation, subject='image')

    def upload(self, icon):
        """Upload the file as a new image; returns (image, warning or None).

        An upload whose outcome is unknown (no reply, or HTTP 500/502/504) is sent once more: PingOne lists no images,
        so the first one cannot be looked for, and an image nothing refers to changes no application."""
        operation = "Uploading %s as an image of environment '%s'" % (icon.path, self.environment_id)
        content = (icon.data, {'Content-Type': icon.content_type, 'Content-Disposition': 'attachment; filename=%s' % icon.upload_name})
        warning = None
        try:
            image = self.client.request('POST', self.base, operation, content=content, expected=(201,)).body
        except (PingOneConnectionError, PingOneApiError) as exc:
            if not exc.maybe_committed:
                raise
            image = self.client.request('POST', self.base, operation, content=content, expected=(201,)).body
            warning = ('The first upload of %s had no clear outcome (no reply, or HTTP 500/502/504) and was sent once more; an '
                       "image the first one may have made is not used (PingOne lists no images to find it by)" % icon.path)
        if not isinstance(image, dict) or not image.get('id') or not image_href(image):
            raise PingOneApiError(operation, 201, 'UNEXPECTED_REPLY', 'the reply names no image ID and address (targets.original.href)')
        return image, warning

    def delete(self, image_id):
        """Delete; True when deleted, False when it was already gone."""
        operation = "Deleting image '%s' of environment '%s'" % (image_id, self.environment_id)
        return self.client.delete('%s/%s' % (self.base, _seg(image_id)), operation, subject='image')

    def served_digest(self, image):
        """(SHA-256 of the file the image serves, None) or (None, why it could not be fetched).

        A file larger than an icon may be is not read to its end: its digest then matches no icon."""
        href = image_href(image)
        problem = download_problem(href, self.client.api_url)
        if problem:
            return None, problem
        operation = "Reading the file of image '%s' at %s" % (image.get('id'), origin(href))
        try:
            response = self.client.download(href, operation, MAX_ICON_BYTES, accept='image/*')
        except PingOneError as exc:
            return None, str(exc)
        if response.status != 200 or not isinstance(response.body, bytes):
            return None, '%s answered HTTP %d' % (origin(href), response.status)
        return hashlib.sha256(response.body).hexdigest(), None


class IconPlan:
    """What the ``icon`` option comes to for one application.

    ``value`` is the option value the model compares and writes (``{'id', 'href'}``, or ``{}`` to remove the icon);
    ``upload`` the file still to upload before the write (``value`` is then a stand-in naming it), else None."""

    def __init__(self, value, upload=None, warnings=()):
        self.value = value
        self.upload = upload
        self.warnings = list(warnings)


def pending(icon):
    """The stand-in value of an icon to be uploaded: what check mode and the diff show until it has an ID."""
    text = '(new image from %s)' % icon.label
    return {'id': text, 'href': text}


def plan_icon(service, given, current_icon, label, check_mode=False):
    """The IconPlan of the ``icon`` option ``given`` for an application whose icon is ``current_icon`` (None for none
    or a new application); ``label`` names the application in warnings. Reads the images it needs; uploads nothing."""
    current = current_icon if isinstance(current_icon, dict) and current_icon.get('id') else None
    if given.get('id'):
        if current and current['id'] == given['id']:
            return IconPlan(dict(current))
        image = service.get(given['id'])
        if image is None:
            raise PingOneOptionError("%s '%s' is not an image of environment '%s'" % (ID_OPTION, given['id'], service.environment_id))
        if not image_href(image):
            raise PingOneApiError("Reading image '%s'" % given['id'], 200, 'UNEXPECTED_REPLY', 'the image has no targets.original.href')
        return IconPlan({'id': image['id'], 'href': image_href(image)})
    if given.get('path') is None:
        return IconPlan({})
    icon = read_icon_file(given['path'])
    warnings = []
    if current:
        image = service.get(current['id'])
        digest, problem = service.served_digest(image) if image else (None, None)
        if digest == icon.digest:
            return IconPlan(dict(current))
        if problem:
            warnings.append('The icon of application %s (image %s) could not be read to compare it with %s (%s): the file %s '
                            'uploaded as a new image' % (label, current['id'], PATH_OPTION, problem, 'would be' if check_mode else 'is'))
    return IconPlan(pending(icon), icon, warnings)
