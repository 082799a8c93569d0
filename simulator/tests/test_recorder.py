"""The opt-in exchange recorder (--record FILE / PINGONE_SIM_RECORD) used by the contract test."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

from sim_helpers import APPS, ENV, SECRET, Api, web_app
from pingone_sim.cli import build_config, build_parser
from pingone_sim.faults import SimulatedDrop
from pingone_sim.recorder import redact


@pytest.fixture(name="recorded")
def fixture_recorded(make_app, tmp_path):
    """A test client whose app records to a file, and a reader of the recorded lines."""
    path = tmp_path / "exchanges.jsonl"
    app = make_app(record_path=str(path))

    def lines():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return app.test_client(), lines, path


def test_records_management_exchanges_only(recorded):
    client, lines, path = recorded
    api = Api(client)  # a token request: not recorded
    client.get("/_sim/health")
    created = api.create(web_app(name="Rec"))
    api.get(f"{APPS}?limit=5&limit=6&x=")
    api.delete(f"{APPS}/{created['id']}")
    api.get(f"{APPS}/{created['id']}")
    entries = lines()
    assert [(e["method"], e["status"]) for e in entries] == [("POST", 201), ("GET", 200), ("DELETE", 204), ("GET", 404)]
    post, listing, delete, missing = entries
    assert post["path"] == APPS and post["request_content_type"] == "application/json"
    assert post["request_json"]["name"] == "Rec" and post["response_json"]["id"] == created["id"]
    assert post["response_content_type"] == "application/json"
    assert listing["query"] == {"limit": ["5", "6"], "x": [""]} and "request_json" not in listing
    assert "response_json" not in delete and "fault" not in delete
    assert missing["response_json"]["code"] == "NOT_FOUND"
    text = path.read_text(encoding="utf-8")
    assert "Authorization" not in text and "Bearer" not in text and api.token not in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_secrets_are_replaced_by_same_length_placeholders(recorded):
    client, lines, path = recorded
    api = Api(client)
    app_id = api.create(web_app())["id"]
    first = api.secret(app_id)
    expires = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rotated = api.post(f"{APPS}/{app_id}/secret", {"previous": {"expiresAt": expires}})
    assert rotated.status_code == 200 and rotated.json["previous"]["secret"] == first
    text = path.read_text(encoding="utf-8")
    for secret in (first, rotated.json["secret"], SECRET):
        assert secret not in text
    read, rotation = [e for e in lines() if e["path"].endswith("/secret")]
    assert read["response_json"]["secret"] == "x" * len(first)
    assert rotation["request_json"] == {"previous": {"expiresAt": expires}}
    assert rotation["response_json"]["secret"] == "x" * len(rotated.json["secret"])
    assert rotation["response_json"]["previous"]["secret"] == "x" * len(first)


def test_redact_walks_every_level():
    body = {"secret": "abc", "previous": {"secret": "defg", "expiresAt": "t"}, "list": [{"clientSecret": "hi"}],
            "client_secret": 5, "name": "secret"}
    assert redact(body) == {"secret": "xxx", "previous": {"secret": "xxxx", "expiresAt": "t"}, "list": [{"clientSecret": "xx"}],
                            "client_secret": 5, "name": "secret"}


def test_faults_are_noted(recorded):
    client, lines, _path = recorded
    api = Api(client)
    client.post("/_sim/faults", json={"action": "status", "status": 429, "retry_after": "1", "method": "GET"})
    client.post("/_sim/faults", json={"action": "drop", "method": "POST"})
    assert api.get(APPS).status_code == 429
    with pytest.raises(SimulatedDrop):
        api.post(APPS, web_app())
    limited, dropped = lines()
    assert limited["fault"] == "status" and limited["status"] == 429
    assert limited["response_json"]["details"][0]["innerError"]["retryAfter"].endswith("Z")
    assert dropped["fault"] == "drop" and dropped["dropped"] is True and dropped["status"] is None
    assert dropped["request_json"]["name"] == "Web"


def test_non_json_bodies_are_recorded_by_size_only(recorded):
    client, lines, _path = recorded
    api = Api(client)
    resp = client.post(APPS, data="name=hunter2", headers={**api.headers(), "Content-Type": "text/plain"})
    assert resp.status_code == 415
    (entry,) = lines()
    assert entry["request_non_json_bytes"] == len("name=hunter2") and "request_json" not in entry
    assert entry["request_content_type"] == "text/plain"


def test_off_by_default(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("PINGONE_SIM_RECORD", raising=False)
    assert build_config(build_parser().parse_args([])).record_path is None
    client = make_app().test_client()
    Api(client).get(f"/v1/environments/{ENV}")
    assert not list(tmp_path.iterdir())


def test_flag_and_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("PINGONE_SIM_RECORD", str(tmp_path / "env.jsonl"))
    assert build_config(build_parser().parse_args([])).record_path == str(tmp_path / "env.jsonl")
    flag = build_parser().parse_args(["--record", str(tmp_path / "flag.jsonl")])
    assert build_config(flag).record_path == str(tmp_path / "flag.jsonl")
