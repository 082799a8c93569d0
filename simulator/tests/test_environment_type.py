"""Environment types: the control API makes PRODUCTION or SANDBOX environments, the management API reports them."""

from __future__ import annotations

from typing import Any

from sim_helpers import Api
from pingone_sim.app import create_app
from pingone_sim.config import SimConfig


def test_an_environment_is_a_sandbox_unless_made_a_production_one(client: Any, api: Api) -> None:
    sandbox = client.post("/_sim/environments", json={"name": "Default"})
    production = client.post("/_sim/environments", json={"name": "Live", "type": "PRODUCTION"})
    explicit = client.post("/_sim/environments", json={"name": "Play", "type": "SANDBOX"})
    assert (sandbox.status_code, production.status_code, explicit.status_code) == (201, 201, 201)
    assert (sandbox.json["type"], production.json["type"], explicit.json["type"]) == ("SANDBOX", "PRODUCTION", "SANDBOX")
    assert api.get(f"/v1/environments/{production.json['id']}").json["type"] == "PRODUCTION"
    assert api.get(f"/v1/environments/{sandbox.json['id']}").json["type"] == "SANDBOX"
    listed = {env["id"]: env["type"] for env in api.get("/v1/environments").json["_embedded"]["environments"]}
    assert listed[production.json["id"]] == "PRODUCTION"


def test_an_unknown_type_is_refused(client: Any) -> None:
    for value in ("production", "DEVELOPMENT", 1, None):
        reply = client.post("/_sim/environments", json={"name": "Odd", "type": value})
        assert reply.status_code == 400 and reply.json["error"] == "type must be one of SANDBOX, PRODUCTION"


def test_the_type_survives_a_restart_from_the_state_file(tmp_path: Any) -> None:
    state = str(tmp_path / "state.json")
    client = create_app(SimConfig(quiet=True, state_path=state)).test_client()
    env_id = client.post("/_sim/environments", json={"name": "Live", "type": "PRODUCTION"}).json["id"]
    reloaded = Api(create_app(SimConfig(quiet=True, state_path=state)).test_client())
    assert reloaded.get(f"/v1/environments/{env_id}").json["type"] == "PRODUCTION"
