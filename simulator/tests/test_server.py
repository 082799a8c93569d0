"""Real sockets: drop faults over TCP, the CLI process, state persistence."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests
from werkzeug.serving import make_server

from sim_helpers import APPS, ENV, SECRET, WORKER, web_app
from pingone_sim.app import create_app
from pingone_sim.cli import QuietRequestHandler, build_config, build_parser, is_loopback
from pingone_sim.config import ConfigError, SimConfig

SERVE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "serve.py")


@pytest.fixture(name="server")
def fixture_server():
    config = SimConfig(quiet=True)
    app = create_app(config)
    srv = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    config.public_url = f"http://127.0.0.1:{srv.server_port}"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield config.public_url
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def _token(base):
    resp = requests.post(f"{base}/{ENV}/as/token", data={"grant_type": "client_credentials"}, auth=(WORKER, SECRET), timeout=5)
    assert resp.status_code == 200
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def _names(base, headers):
    resp = requests.get(f"{base}{APPS}", headers=headers, timeout=5)
    return [a["name"] for a in resp.json()["_embedded"]["applications"]]


def test_drop_and_commit_then_drop_over_tcp(server):
    headers = _token(server)
    with requests.Session() as session:
        assert session.get(f"{server}{APPS}", headers=headers, timeout=5).status_code == 200
        requests.post(f"{server}/_sim/faults", json={"action": "drop", "method": "POST", "path_regex": "/applications$"}, timeout=5)
        with pytest.raises(requests.ConnectionError):
            session.post(f"{server}{APPS}", headers=headers, json=web_app(name="dropped"), timeout=5)
        requests.post(f"{server}/_sim/faults", json={"action": "commit_then_drop", "method": "POST"}, timeout=5)
        with pytest.raises(requests.ConnectionError):
            session.post(f"{server}{APPS}", headers=headers, json=web_app(name="committed"), timeout=5)
        assert session.get(f"{server}{APPS}", headers=headers, timeout=5).status_code == 200
    names = _names(server, headers)
    assert "committed" in names and "dropped" not in names
    stats = requests.get(f"{server}/_sim/stats", timeout=5).json()
    assert stats["by_route"]["POST /v1/environments/{envId}/applications"] == 2


def test_response_bytes_over_tcp(server):
    headers = _token(server)
    requests.delete(f"{server}/_sim/stats", timeout=5)
    replies = [requests.get(f"{server}{APPS}", headers=headers, timeout=5) for dummy in range(3)]
    stats = requests.get(f"{server}/_sim/stats", timeout=5).json()
    assert stats["total"] == 3
    assert stats["response_bytes"] == sum(len(reply.content) for reply in replies) > 0


def test_status_fault_over_tcp(server):
    headers = _token(server)
    requests.post(f"{server}/_sim/faults", json={"action": "status", "status": 503, "retry_after": "1"}, timeout=5)
    resp = requests.get(f"{server}{APPS}", headers=headers, timeout=5)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "1"
    assert requests.get(f"{server}{APPS}", headers=headers, timeout=5).status_code == 200


def test_loopback_guard():
    assert is_loopback("127.0.0.1") and is_loopback("127.5.6.7") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.com")


def test_cli_worker_flags_and_config(tmp_path):
    env_id, client_id = str(uuid.uuid4()), str(uuid.uuid4())
    conf = tmp_path / "c.json"
    conf.write_text(json.dumps({"environments": [{"id": env_id, "name": "Other"}], "page_size": 5, "token_lifetime": 60}))
    args = build_parser().parse_args(["--config", str(conf), "--worker-client-id", client_id, "--worker-client-secret", "x" * 64,
                                      "--admin-environment-id", env_id, "--page-size", "2"])
    config = build_config(args)
    assert config.page_size == 2 and config.token_lifetime == 60
    assert [w["client_id"] for w in config.workers] == [client_id]
    assert [e["id"] for e in config.environments] == [env_id]
    with pytest.raises(ConfigError):
        build_config(build_parser().parse_args(["--worker-client-id", client_id]))
    conf.write_text(json.dumps({"environments": [{"id": "NOT-UUID"}]}))
    with pytest.raises(ConfigError):
        build_config(build_parser().parse_args(["--config", str(conf)]))


def test_state_persistence(tmp_path):
    state = str(tmp_path / "state.json")
    client = create_app(SimConfig(quiet=True, state_path=state)).test_client()
    from sim_helpers import Api  # pylint: disable=import-outside-toplevel
    api = Api(client)
    app = api.create(web_app(name="persisted"))
    secret = api.secret(app["id"])
    assert os.path.exists(state)
    reloaded = Api(create_app(SimConfig(quiet=True, state_path=state)).test_client())
    got = reloaded.get(f"{APPS}/{app['id']}")
    assert got.status_code == 200 and got.json["name"] == "persisted"
    assert reloaded.secret(app["id"]) == secret
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_cli_process_lifecycle(tmp_path):
    ready, pid_file, state = tmp_path / "ready.json", tmp_path / "sim.pid", tmp_path / "state.json"
    cmd = [sys.executable, SERVE, "--port", "0", "--ready-file", str(ready), "--pid-file", str(pid_file), "--state", str(state)]
    with subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) as proc:
        try:
            deadline = time.monotonic() + 20
            while not ready.exists() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            info = json.loads(ready.read_text())
            assert info["pid"] == proc.pid and int(pid_file.read_text()) == proc.pid
            assert info["base_url"] == f"http://127.0.0.1:{info['port']}"
            base = info["base_url"]
            headers = _token(base)
            created = requests.post(f"{base}{APPS}", headers=headers, json=web_app(name="cli"), timeout=5)
            assert created.status_code == 201
            assert created.headers["Location"].startswith(base)
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert not ready.exists() and not pid_file.exists()
    assert "cli" in state.read_text()
    assert SECRET not in err and "Bearer" not in err
    assert WORKER in err and ENV in err
    assert "POST /v1/environments/" in err


def test_cli_refuses_non_loopback_host():
    proc = subprocess.run([sys.executable, SERVE, "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, timeout=20,
                          check=False)
    assert proc.returncode == 2
    assert "not a loopback address" in proc.stderr
