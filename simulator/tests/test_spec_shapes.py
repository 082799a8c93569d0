"""Reply shapes the published specs fix: 429 retryAfter, range bounds as numbers, the environment license."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sim_helpers import APPS, ENV, web_app
from pingone_sim.errors import retry_after_instant, status_error
from pingone_sim.store import LICENSE_ID


def _instant(text: str) -> datetime:
    """An RFC 3339 UTC date-time, as the official spec's ApiErrorResponse.429 types innerError.retryAfter."""
    assert text.endswith("Z") and "T" in text, text
    return datetime.fromisoformat(text[:-1] + "+00:00")


def test_429_retry_after_is_a_date_time(client, api):
    client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "30", "method": "GET"})
    before = datetime.now(timezone.utc)
    resp = api.get(APPS)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "30"
    assert resp.json["code"] == "REQUEST_LIMITED"
    (item,) = resp.json["details"]
    assert item["code"] == "LIMIT_EXCEEDED"
    retry_at = _instant(item["innerError"]["retryAfter"])
    assert before + timedelta(seconds=29) <= retry_at <= datetime.now(timezone.utc) + timedelta(seconds=31)


def test_429_retry_after_follows_the_simulator_clock(client, api):
    client.post("/_sim/clock", json={"offset": 7200})
    client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "5", "method": "GET"})
    retry_at = _instant(api.get(APPS).json["details"][0]["innerError"]["retryAfter"])
    assert retry_at > datetime.now(timezone.utc) + timedelta(hours=1, minutes=59)


def test_429_retry_after_http_date_and_none(client, api):
    client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "Wed, 21 Oct 2037 07:28:00 GMT",
                                      "method": "GET"})
    assert api.get(APPS).json["details"][0]["innerError"] == {"retryAfter": "2037-10-21T07:28:00.000Z"}
    client.post("/_sim/faults", json={"action": "status", "status": 429, "method": "GET"})
    resp = api.get(APPS)
    assert "Retry-After" not in resp.headers and "innerError" not in resp.json["details"][0]


@pytest.mark.parametrize("value,expected", [("0", "1970-01-01T00:00:10.000Z"), ("90", "1970-01-01T00:01:40.000Z"),
                                            ("Thu, 01 Jan 1970 00:00:20 GMT", "1970-01-01T00:00:20.000Z"),
                                            ("not a date", None)])
def test_retry_after_instant(value, expected):
    assert retry_after_instant(value, 10.0) == expected
    if expected is None:
        assert "innerError" not in status_error(429, value, 10.0).body()["details"][0]


def test_range_errors_give_numbers(api):
    """P1Error (sdk-v2: integer) and the official ApiErrorResponse.400 (number) type the bounds as numbers."""
    resp = api.post(APPS, web_app(parTimeout=601))
    assert resp.status_code == 400
    inner = next(item for item in resp.json["details"] if item["target"] == "parTimeout")["innerError"]
    assert inner == {"rangeMinimumValue": 1, "rangeMaximumValue": 600}
    resp = api.post(f"/v1/environments/{ENV}/resources", {"name": "Range", "accessTokenValiditySeconds": 5})
    assert resp.status_code == 400
    inner = resp.json["details"][0]["innerError"]
    assert inner == {"rangeMinimumValue": 300, "rangeMaximumValue": 2592000}
    for bound in inner.values():
        assert isinstance(bound, int) and not isinstance(bound, bool)


def test_secret_window_range_is_numeric(api):
    app = api.create(web_app())
    resp = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": "2000-01-01T00:00:00Z"}})
    assert resp.status_code == 400
    (item,) = resp.json["details"]
    assert item["code"] == "OUT_OF_RANGE" and item["target"] == "previous.expiresAt"
    assert item["innerError"] == {"rangeMinimumValue": 60, "rangeMaximumValue": 2592000}
    assert item["message"].count("Z") == 2  # the two instants, for people


def test_environments_carry_a_license(client, api):
    """sdk-v2's Environment requires license ({"id"}), with name, region and type."""
    env = api.get(f"/v1/environments/{ENV}").json
    assert env["license"] == {"id": LICENSE_ID}
    assert {"name", "region", "type", "license"} <= set(env)
    for item in api.get("/v1/environments").json["_embedded"]["environments"]:
        assert item["license"] == {"id": LICENSE_ID}
    created = client.post("/_sim/environments", json={"name": "Second"}).json
    assert api.get(f"/v1/environments/{created['id']}").json["license"] == {"id": LICENSE_ID}


def test_system_applications_have_no_client_id(api):
    """The spec's system application schemas have no clientId (their id is the client id)."""
    apps = api.get(APPS).json["_embedded"]["applications"]
    system = [app for app in apps if app["type"].startswith("PING_ONE_")]
    assert len(system) == 3
    for app in system:
        assert "clientId" not in app
        assert "clientId" not in api.get(f"{APPS}/{app['id']}").json
    worker = next(app for app in apps if app["type"] == "WORKER")
    assert worker["clientId"] == worker["id"]
