"""Images of an environment (the spec's createImage, readImage and deleteImage), and the files they serve.

Decisions where PingOne's documentation is silent (the spec's Image and EnumImageFormat are the source otherwise):

* An upload is the image itself as the request body (the spec's ``image/*`` binary body, with ``Content-Type`` and an
  optional ``Content-Disposition``), not a multipart form. ``image/png``, ``image/jpeg`` and ``image/jpg`` (the
  type PingOne's own example sends) and ``image/gif`` are accepted, the three formats of EnumImageFormat; any other
  type -> 400 INVALID_REQUEST naming ``Content-Type`` (the spec declares no 415 for the operation). The body must be
  an image of the format its type names, whose width and height can be read: else 400 INVALID_DATA /
  INVALID_VALUE. An empty body -> 400 REQUIRED_VALUE.
* No size limit: the images API documents none (the console's 1 MB is a rule of application icons, which the
  collection checks before it uploads).
* ``targets.original`` has its own UUID (the spec: "the UUID of the target image"), ``type`` (png, jpg or gif),
  ``width``, ``height`` and ``href``. PingOne serves the file from another host (uploads.pingone.com); the
  simulator serves it itself, at ``{public_url}/uploads/environments/{envId}/images/{imageId}.{type}``, without
  authentication (like a CDN), byte for byte as uploaded. A deleted image is no longer served (404).
* An application's ``icon`` (``id`` and ``href``, both required: validation.py) is not checked against the images:
  PingOne documents no such check, and the spec's Application_icon is only the two strings.
* Replies carry the spec's Image members only: ``_links`` (self, environment), ``id``, ``environment``,
  ``createdAt``, ``targets``.
"""

from __future__ import annotations

import struct
from typing import Any

from flask import Blueprint, Response, request

from .context import api_url, base_url, sim
from .errors import ApiError, MSG_INVALID_REQUEST, detail, invalid_data, json_response, new_id, not_found
from .management import authenticate, load_env
from .store import iso

bp = Blueprint("images", __name__, url_prefix="/v1")
bp.before_request(authenticate)
# The files, public like PingOne's upload host.
files = Blueprint("image_files", __name__, url_prefix="/uploads")

# Content type -> EnumImageFormat value.
FORMATS = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif"}
SERVED_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other segments.
JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def dimensions(kind: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) of an image of this format, or None when the bytes are not one."""
    if kind == "png":
        if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR" or len(data) < 24:
            return None
        size = struct.unpack(">II", data[16:24])
    elif kind == "gif":
        if data[:6] not in GIF_SIGNATURES or len(data) < 10:
            return None
        size = struct.unpack("<HH", data[6:10])
    else:
        size = _jpeg_dimensions(data)
    return size if size and size[0] > 0 and size[1] > 0 else None


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if marker in JPEG_FRAMES:
            if offset + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
            return width, height
        offset += 2 + length
    return None


def image_json(env_id: str, image: dict[str, Any]) -> dict[str, Any]:
    """An image as PingOne returns it."""
    return {
        "_links": {"self": {"href": api_url(f"/environments/{env_id}/images/{image['id']}")},
                   "environment": {"href": api_url(f"/environments/{env_id}")}},
        "id": image["id"],
        "environment": {"id": env_id},
        "createdAt": image["createdAt"],
        "targets": {"original": {"id": image["targetId"], "type": image["type"], "width": image["width"], "height": image["height"],
                                 "href": f"{base_url()}/uploads/environments/{env_id}/images/{image['id']}.{image['type']}"}},
    }


@bp.post("/environments/<env_id>/images")
def create_image(env_id: str) -> Response:
    """POST: the body is the image; 201 with the Image."""
    env = load_env(env_id)
    mimetype = (request.mimetype or "").lower()
    kind = FORMATS.get(mimetype)
    if kind is None:
        raise ApiError(400, "INVALID_REQUEST", MSG_INVALID_REQUEST, [detail(
            "INVALID_VALUE", "Content-Type", f"Content-Type must be one of {', '.join(FORMATS)}, got {mimetype or 'none'}.")])
    data = request.get_data(cache=True)
    if not data:
        raise invalid_data([detail("REQUIRED_VALUE", "file", "The request body must be the image file.")])
    size = dimensions(kind, data)
    if size is None:
        raise invalid_data([detail("INVALID_VALUE", "file", f"The request body is not a {kind} image.")])
    store = sim().store
    image = {"id": new_id(), "targetId": new_id(), "type": kind, "width": size[0], "height": size[1],
             "createdAt": iso(store.now()), "data": data}
    with store.lock:
        env.images[image["id"]] = image
        store.save()
    body = image_json(env_id, image)
    response = json_response(body, 201)
    response.headers["Location"] = body["_links"]["self"]["href"]
    return response


def _load_image(env_id: str, image_id: str) -> dict[str, Any]:
    image = load_env(env_id).images.get(image_id)
    if image is None:
        raise not_found()
    return image


@bp.get("/environments/<env_id>/images/<image_id>")
def read_image(env_id: str, image_id: str) -> Response:
    """GET one image."""
    return json_response(image_json(env_id, _load_image(env_id, image_id)))


@bp.delete("/environments/<env_id>/images/<image_id>")
def delete_image(env_id: str, image_id: str) -> Response:
    """DELETE: 204, then 404."""
    store = sim().store
    with store.lock:
        env = load_env(env_id)
        if env.images.pop(image_id, None) is None:
            raise not_found()
        store.save()
    return Response(status=204)


@files.get("/environments/<env_id>/images/<file_name>")
def served_file(env_id: str, file_name: str) -> Response:
    """The uploaded bytes, unauthenticated; a plain 404 for anything else."""
    image_id, _dot, kind = file_name.rpartition(".")
    env = sim().store.get_environment(env_id)
    image = env.images.get(image_id) if env else None
    if image is None or image["type"] != kind:
        return Response("Not Found", status=404, mimetype="text/plain")
    return Response(image["data"], status=200, mimetype=SERVED_TYPES[kind])
