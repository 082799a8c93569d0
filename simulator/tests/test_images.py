"""Images of an environment, as the spec's createImage, readImage and deleteImage define them, and the files they serve."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from sim_helpers import APPS, BASE, ENV, Api, web_app

IMAGES = f"/v1/environments/{ENV}/images"
# The members of the spec's Image and Image_targets_original: what a reply may carry.
SPEC_IMAGE = {"_links", "id", "environment", "createdAt", "targets"}
SPEC_TARGET = {"href", "id", "type", "width", "height"}


def png(width: int = 2, height: int = 3, seed: bytes = b"") -> bytes:
    """A real PNG (one grey pixel row per line); ``seed`` changes the pixels and so the bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + (seed * width or b"\x80" * width)[:width] for _row in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg(width: int = 4, height: int = 5) -> bytes:
    """The markers of a baseline JPEG up to its frame header (what a reader of the size needs)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def upload(api: Api, data: bytes, content_type: str = "image/png", name: str = "icon.png") -> Any:
    return api.client.post(IMAGES, data=data, headers=dict(api.headers(), **{
        "Content-Type": content_type, "Content-Disposition": f"attachment; filename={name}"}))


def created(api: Api, data: bytes, content_type: str = "image/png") -> dict[str, Any]:
    resp = upload(api, data, content_type)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def refusal(resp: Any) -> tuple[int, str, str | None]:
    item = resp.json["details"][0]
    return resp.status_code, item["code"], item.get("target")


def test_an_upload_is_the_image_itself_and_is_served_byte_for_byte(api, client):
    data = png(2, 3)
    resp = upload(api, data)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    image = resp.json
    assert set(image) == SPEC_IMAGE and set(image["targets"]) == {"original"}
    original = image["targets"]["original"]
    assert set(original) == SPEC_TARGET
    assert (original["type"], original["width"], original["height"]) == ("png", 2, 3)
    assert original["id"] != image["id"]
    assert image["environment"] == {"id": ENV}
    assert resp.headers["Location"] == image["_links"]["self"]["href"] == f"{BASE}{IMAGES}/{image['id']}"
    assert original["href"] == f"{BASE}/uploads/environments/{ENV}/images/{image['id']}.png"
    served = client.get(original["href"][len(BASE):])  # no Authorization header: public, like PingOne's upload host
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == data
    assert api.get(f"{IMAGES}/{image['id']}").json == image


def test_each_format_of_the_spec_is_accepted_with_its_size(api):
    for data, content_type, kind, size in ((jpeg(4, 5), "image/jpeg", "jpg", (4, 5)), (jpeg(7, 1), "image/jpg", "jpg", (7, 1)),
                                           (GIF, "image/gif", "gif", (1, 1)), (png(9, 2), "image/png; charset=binary", "png", (9, 2))):
        original = created(api, data, content_type)["targets"]["original"]
        assert (original["type"], original["width"], original["height"]) == (kind, *size), content_type
        assert original["href"].endswith("." + kind)


def test_other_content_types_and_bodies_that_are_not_that_image_are_refused(api):
    for content_type in ("image/svg+xml", "image/webp", "application/json", "multipart/form-data; boundary=x", ""):
        assert refusal(upload(api, png(), content_type)) == (400, "INVALID_VALUE", "Content-Type"), content_type
    assert refusal(upload(api, b"")) == (400, "REQUIRED_VALUE", "file")
    for data, content_type in ((GIF, "image/png"), (png(), "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                               (png(0, 3), "image/png"), (b"GIF89a\x00\x00\x01\x00", "image/gif"), (b"\xff\xd8\xff\xd9", "image/jpeg")):
        resp = upload(api, data, content_type)
        assert refusal(resp) == (400, "INVALID_VALUE", "file"), (data[:8], content_type)
        assert resp.json["code"] == "INVALID_DATA"


def test_an_upload_needs_a_token_and_an_environment(client, api):
    assert client.post(IMAGES, data=png(), content_type="image/png").status_code == 401
    resp = api.client.post("/v1/environments/00000000-0000-4000-8000-000000000000/images", data=png(),
                           headers=dict(api.headers(), **{"Content-Type": "image/png"}))
    assert resp.status_code == 404 and resp.json["code"] == "NOT_FOUND"


def test_delete_then_gone_everywhere(api, client):
    image = created(api, png())
    path = image["targets"]["original"]["href"][len(BASE):]
    assert api.delete(f"{IMAGES}/{image['id']}").status_code == 204
    assert api.get(f"{IMAGES}/{image['id']}").status_code == 404
    assert api.delete(f"{IMAGES}/{image['id']}").status_code == 404
    assert client.get(path).status_code == 404


def test_served_files_are_only_the_uploaded_ones(api, client):
    image = created(api, png())
    base = f"/uploads/environments/{ENV}/images"
    assert client.get(f"{base}/{image['id']}.gif").status_code == 404  # the wrong type
    assert client.get(f"{base}/{image['id']}").status_code == 404
    assert client.get(f"/uploads/environments/00000000-0000-4000-8000-000000000000/images/{image['id']}.png").status_code == 404


def test_an_application_icon_needs_an_id_and_an_href_and_is_kept_as_given(api):
    image = created(api, png())
    icon = {"id": image["id"], "href": image["targets"]["original"]["href"]}
    app = api.create(web_app(icon=icon))
    assert app["icon"] == icon
    replaced = api.put(f"{APPS}/{app['id']}", web_app(icon=None))
    assert replaced.status_code == 200 and "icon" not in replaced.json  # a PUT without it removes it
    for partial, target in (({"id": image["id"]}, "icon.href"), ({"href": icon["href"]}, "icon.id")):
        resp = api.post(APPS, web_app(icon=partial))
        assert refusal(resp) == (400, "REQUIRED_VALUE", target)


def test_upload_and_download_are_counted_by_route(api, client):
    client.delete("/_sim/stats")
    image = created(api, png())
    client.get(image["targets"]["original"]["href"][len(BASE):])
    by_route = client.get("/_sim/stats").json["by_route"]
    assert by_route["POST /v1/environments/{envId}/images"] == 1
    assert by_route["GET /uploads/environments/{envId}/images/{fileName}"] == 1


def test_state_file_keeps_images(make_app, tmp_path):
    path = str(tmp_path / "state.json")
    api = Api(make_app(state_path=path).test_client())
    data = png(5, 5, seed=b"\x10")
    image = created(api, data)
    second = Api(make_app(state_path=path).test_client())
    assert second.get(f"{IMAGES}/{image['id']}").json["targets"]["original"]["width"] == 5
    assert second.client.get(image["targets"]["original"]["href"][len(BASE):]).data == data
