"""The /_sim control API: stats, faults (via the test client), reset, environments, clock."""

from __future__ import annotations

import time
import uuid

import pytest

from sim_helpers import APPS, ENV, Api, web_app
from pingone_sim.faults import SimulatedDrop


def test_health_and_stats(client, api):
    assert client.get("/_sim/health").json == {"status": "ok"}
    client.delete("/_sim/stats")
    api.get(APPS)
    api.create(web_app())
    api.get(f"{APPS}/{uuid.uuid4()}")
    client.get("/nowhere/at/all/really")
    stats = client.get("/_sim/stats").json
    assert stats["total"] == 4
    assert stats["by_method"] == {"GET": 3, "POST": 1}
    assert stats["by_route"]["GET /v1/environments/{envId}/applications"] == 1
    assert stats["by_route"]["POST /v1/environments/{envId}/applications"] == 1
    assert stats["by_route"]["GET /v1/environments/{envId}/applications/{appId}"] == 1
    assert stats["by_route"]["GET (unmatched)"] == 1
    Api(client)
    assert client.get("/_sim/stats").json["by_route"]["POST /{envId}/as/token"] == 1
    assert client.delete("/_sim/stats").status_code == 204
    assert client.get("/_sim/stats").json == {"total": 0, "by_method": {}, "by_route": {}, "response_bytes": 0}


def test_stats_count_response_bytes(client, api):
    client.delete("/_sim/stats")
    served = [api.get(APPS), api.post(APPS, web_app(name="Sized")), api.get(f"{APPS}/{uuid.uuid4()}"), client.get("/nowhere")]
    client.get("/_sim/health")  # control requests are neither counted nor sized
    stats = client.get("/_sim/stats").json
    assert stats["total"] == 4
    assert stats["response_bytes"] == sum(len(resp.get_data()) for resp in served)
    client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "1"})
    limited = api.get(APPS)
    assert limited.status_code == 429
    assert client.get("/_sim/stats").json["response_bytes"] == stats["response_bytes"] + len(limited.get_data())
    client.delete("/_sim/stats")
    assert client.get("/_sim/stats").json["response_bytes"] == 0


def test_status_fault_with_retry_after(client, api):
    resp = client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "2", "count": 2,
                                             "method": "POST", "path_regex": "^/v1/environments/[^/]+/applications$"})
    assert resp.status_code == 201 and resp.json["id"]
    assert api.get(APPS).status_code == 200
    for _attempt in range(2):
        limited = api.post(APPS, web_app())
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "2"
        assert limited.json["code"] == "REQUEST_LIMITED"
    assert api.post(APPS, web_app()).status_code == 201
    names = [a["name"] for a in api.get(APPS).json["_embedded"]["applications"]]
    assert names.count("Web") == 1
    stats = client.get("/_sim/stats").json
    assert stats["by_route"]["POST /v1/environments/{envId}/applications"] == 3


@pytest.mark.parametrize("status,code", [(500, "UNEXPECTED_ERROR"), (502, "BAD_GATEWAY"), (503, "SERVICE_UNAVAILABLE"),
                                         (504, "GATEWAY_TIMEOUT")])
def test_server_error_faults(client, api, status, code):
    client.post("/_sim/faults", json={"action": "status", "status": status})
    resp = api.get(APPS)
    assert resp.status_code == status and resp.json["code"] == code and resp.json["id"]
    assert "Retry-After" not in resp.headers


def test_delay_fault(client, api):
    client.post("/_sim/faults", json={"action": "delay", "delay": 0.3})
    started = time.monotonic()
    assert api.get(APPS).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_and_commit_then_drop_under_test_client(client, api):
    before = len(api.get(APPS).json["_embedded"]["applications"])
    client.post("/_sim/faults", json={"action": "drop", "method": "POST"})
    with pytest.raises(SimulatedDrop):
        api.post(APPS, web_app(name="dropped"))
    client.post("/_sim/faults", json={"action": "commit_then_drop", "method": "POST"})
    with pytest.raises(ConnectionError):
        api.post(APPS, web_app(name="committed"))
    names = [a["name"] for a in api.get(APPS).json["_embedded"]["applications"]]
    assert len(names) == before + 1 and "committed" in names and "dropped" not in names


def test_fault_listing_and_validation(client):
    client.post("/_sim/faults", json={"action": "drop", "count": 3, "path_regex": "^/v1/"})
    pending = client.get("/_sim/faults").json["faults"]
    assert len(pending) == 1 and pending[0]["count"] == 3 and pending[0]["path_regex"] == "^/v1/"
    for bad in ({"action": "explode"}, {"action": "status"}, {"action": "status", "status": 200}, {"action": "delay"},
                {"action": "drop", "count": 0}, {"action": "drop", "path_regex": "("}):
        resp = client.post("/_sim/faults", json=bad)
        assert resp.status_code == 400 and resp.json["error"], bad
    assert client.delete("/_sim/faults").status_code == 204
    assert client.get("/_sim/faults").json == {"faults": []}


def test_control_requests_are_not_faulted(client):
    client.post("/_sim/faults", json={"action": "status", "status": 503})
    assert client.get("/_sim/health").status_code == 200
    assert client.get("/_sim/stats").json["total"] == 0
    assert len(client.get("/_sim/faults").json["faults"]) == 1


def test_reset(client, api):
    api.create(web_app())
    client.post("/_sim/faults", json={"action": "drop"})
    client.post("/_sim/clock", json={"offset": 100})
    assert client.post("/_sim/reset").status_code == 200
    assert client.get("/_sim/faults").json == {"faults": []}
    assert client.get("/_sim/stats").json["total"] == 0
    assert client.get("/_sim/clock").json["offset"] == 0
    assert api.get(APPS).status_code == 401
    fresh = Api(client)
    assert fresh.get(APPS).json["count"] == 4


def test_create_environment(client, api):
    env_id = str(uuid.uuid4())
    resp = client.post("/_sim/environments", json={"id": env_id, "name": "Second"})
    assert resp.status_code == 201 and resp.json["id"] == env_id and resp.json["name"] == "Second"
    assert client.post("/_sim/environments", json={"id": env_id, "name": "Again"}).status_code == 409
    assert client.post("/_sim/environments", json={"id": "NOT-A-UUID", "name": "x"}).status_code == 400
    apps = api.get(f"/v1/environments/{env_id}/applications").json["_embedded"]["applications"]
    assert {a["type"] for a in apps} == {"PING_ONE_ADMIN_CONSOLE", "PING_ONE_SELF_SERVICE", "PING_ONE_PORTAL"}
    generated = client.post("/_sim/environments", json={"name": "Third"})
    assert generated.status_code == 201
    ids = [e["id"] for e in api.get("/v1/environments").json["_embedded"]["environments"]]
    assert ids == [ENV, env_id, generated.json["id"]]


def test_clock(client):
    resp = client.post("/_sim/clock", json={"offset": 86400})
    assert resp.json["offset"] == 86400
    assert client.post("/_sim/clock", json={"offset": "soon"}).status_code == 400


def test_redirect_fault_answers_with_the_location_and_processes_nothing(client, api):
    before = len(api.get(APPS).json["_embedded"]["applications"])
    client.post("/_sim/faults", json={"action": "redirect", "method": "POST", "location": "http://127.0.0.2:9/steal"})
    resp = api.post(APPS, web_app(name="redirected"))
    assert resp.status_code == 307 and resp.headers["Location"] == "http://127.0.0.2:9/steal"
    assert len(api.get(APPS).json["_embedded"]["applications"]) == before
    assert client.post("/_sim/faults", json={"action": "redirect", "location": "ftp://x"}).status_code == 400
    assert client.post("/_sim/faults", json={"action": "redirect", "location": "http://x", "status": 200}).status_code == 400


def test_foreign_next_fault_rewrites_the_paging_link(client, api):
    client.post("/_sim/faults", json={"action": "foreign_next", "method": "GET", "location": "http://127.0.0.2:9/v1/next"})
    resp = api.get(APPS)
    assert resp.status_code == 200 and resp.json["_links"]["next"] == {"href": "http://127.0.0.2:9/v1/next"}
    assert "applications" in resp.json["_embedded"]
    assert "next" not in api.get(APPS).json.get("_links", {})


def test_paging_can_be_turned_on_and_off_at_run_time(client, api):
    for dummy in range(3):
        api.create(web_app())
    assert client.post("/_sim/paging", json={"page_size": 2}).json == {"page_size": 2}
    first = api.get(APPS).json
    assert first["size"] == 2 and "next" in first["_links"]
    assert client.post("/_sim/paging", json={"page_size": 0}).status_code == 200
    whole = api.get(APPS).json
    assert whole["size"] == whole["count"] and "next" not in whole["_links"]
    for bad in ({}, {"page_size": -1}, {"page_size": 1001}, {"page_size": True}, {"page_size": "2"}):
        assert client.post("/_sim/paging", json=bad).status_code == 400
