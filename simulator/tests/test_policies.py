"""Sign-on policies, DaVinci flow policies and the applications' policy assignments, as the spec defines them."""

from __future__ import annotations

import json
from typing import Any

from sim_helpers import APPS, ENV, Api, web_app

SIGN_ON_POLICIES = f"/v1/environments/{ENV}/signOnPolicies"
FLOW_POLICIES = f"/v1/environments/{ENV}/flowPolicies"
PLANT_FLOW = f"/_sim/environments/{ENV}/flowPolicies"
# The members of the spec's SignOnPolicy, FlowPolicy, SignOnPolicyAssignment and FlowPolicyAssignment schemas.
SPEC_SIGN_ON_POLICY = {"_links", "createdAt", "default", "description", "environment", "id", "name", "updatedAt"}
SPEC_FLOW_POLICY = {"_links", "id", "environment", "application", "enabled", "name", "trigger"}
SPEC_SOP_ASSIGNMENT = {"_links", "application", "environment", "id", "priority", "signOnPolicy"}
SPEC_FLOW_ASSIGNMENT = {"_links", "id", "application", "environment", "flowPolicy", "priority"}
DAVINCI_ID = "0123456789abcdef0123456789abcdef"


def sign_on_policy(api: Api, name: str, **extra: Any) -> dict[str, Any]:
    """A new sign-on policy of the default environment."""
    resp = api.post(SIGN_ON_POLICIES, {"name": name, **extra})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def flow_policy(api: Api, name: str, **extra: Any) -> dict[str, Any]:
    """A flow policy planted as DaVinci would make it."""
    resp = api.client.post(PLANT_FLOW, json={"name": name, **extra})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def assignments(api: Api, app_id: str, kind: str = "signOnPolicyAssignments") -> list[dict[str, Any]]:
    """The application's assignments of one kind."""
    resp = api.get(f"{APPS}/{app_id}/{kind}")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json["_embedded"][kind]


def default_policy(api: Api) -> dict[str, Any]:
    """The environment's default sign-on policy."""
    return next(policy for policy in api.get(SIGN_ON_POLICIES).json["_embedded"]["signOnPolicies"] if policy["default"])


def error(resp: Any) -> tuple[int, str, str | None, str | None]:
    """(status, code, first detail code, first detail target) of an error reply."""
    details = resp.json.get("details") or [{}]
    return resp.status_code, resp.json["code"], details[0].get("code"), details[0].get("target")


def test_every_environment_has_its_default_single_factor_policy(api):
    policies = api.get(SIGN_ON_POLICIES).json["_embedded"]["signOnPolicies"]
    assert [(policy["name"], policy["default"]) for policy in policies] == [("Single_Factor", True)]
    assert set(policies[0]) <= SPEC_SIGN_ON_POLICY and policies[0]["environment"] == {"id": ENV}
    assert api.get(f"{SIGN_ON_POLICIES}/{policies[0]['id']}").json == policies[0]
    other = api.client.post("/_sim/environments", json={"name": "other"}).json["id"]
    assert api.get(f"/v1/environments/{other}/signOnPolicies").json["_embedded"]["signOnPolicies"][0]["id"] != policies[0]["id"]


def test_sign_on_policies_are_created_unique_by_name_and_only_one_is_default(api):
    mfa = sign_on_policy(api, "Multi_Factor", description="Password and a second factor")
    assert set(mfa) <= SPEC_SIGN_ON_POLICY and mfa["default"] is False and mfa["description"] == "Password and a second factor"
    assert api.get(f"{SIGN_ON_POLICIES}/{mfa['id']}").json == mfa
    assert error(api.post(SIGN_ON_POLICIES, {"name": "multi_factor"})) == (400, "INVALID_DATA", "UNIQUENESS_VIOLATION", "name")
    assert error(api.post(SIGN_ON_POLICIES, {})) == (400, "INVALID_DATA", "REQUIRED_VALUE", "name")
    assert error(api.post(SIGN_ON_POLICIES, {"name": "no/slash"})) == (400, "INVALID_DATA", "INVALID_VALUE", "name")
    assert error(api.post(SIGN_ON_POLICIES, {"name": "x", "default": "yes"})) == (400, "INVALID_DATA", "INVALID_VALUE", "default")
    assert sign_on_policy(api, "urn:example:policy")["name"] == "urn:example:policy"
    passwordless = sign_on_policy(api, "Passwordless", default=True)
    defaults = [policy["name"] for policy in api.get(SIGN_ON_POLICIES).json["_embedded"]["signOnPolicies"] if policy["default"]]
    assert passwordless["default"] is True and defaults == ["Passwordless"]
    assert api.get(f"{SIGN_ON_POLICIES}/00000000-0000-4000-8000-000000000000").status_code == 404


def test_deleting_a_sign_on_policy_deletes_its_assignments_but_the_default_stays(api):
    app = api.create(web_app())
    mfa = sign_on_policy(api, "Multi_Factor")
    assert api.post(f"{APPS}/{app['id']}/signOnPolicyAssignments", {"signOnPolicy": {"id": mfa["id"]}, "priority": 1}).status_code == 201
    assert error(api.delete(f"{SIGN_ON_POLICIES}/{default_policy(api)['id']}")) == (400, "INVALID_DATA", "CONSTRAINT_VIOLATION", "default")
    assert api.delete(f"{SIGN_ON_POLICIES}/{mfa['id']}").status_code == 204
    assert api.delete(f"{SIGN_ON_POLICIES}/{mfa['id']}").status_code == 404
    assert assignments(api, app["id"]) == []


def test_flow_policies_are_read_only_and_planted_through_the_control_api(api):
    assert api.get(FLOW_POLICIES).json["_embedded"]["flowPolicies"] == []
    planted = flow_policy(api, "Passwordless Flow", id=DAVINCI_ID)
    assert set(planted) <= SPEC_FLOW_POLICY and planted["id"] == DAVINCI_ID and planted["enabled"] is True
    assert planted["trigger"] == {"type": "AUTHENTICATION"} and planted["environment"] == {"id": ENV}
    listed = api.get(FLOW_POLICIES).json["_embedded"]["flowPolicies"]
    assert listed == [planted] and api.get(f"{FLOW_POLICIES}/{DAVINCI_ID}").json == planted
    assert api.get(FLOW_POLICIES, query_string={"filter": 'trigger.type eq "AUTHENTICATION"'}).json["_embedded"]["flowPolicies"] == [planted]
    assert error(api.get(FLOW_POLICIES, query_string={"filter": 'name eq "x"'})) == (400, "INVALID_DATA", "INVALID_FILTER", "filter")
    assert api.get(f"{FLOW_POLICIES}/{'f' * 32}").status_code == 404
    assert api.post(FLOW_POLICIES, {"name": "x"}).status_code == 405
    assert api.client.post(PLANT_FLOW, json={"name": "x", "id": DAVINCI_ID}).status_code == 409
    assert api.client.post(PLANT_FLOW, json={"name": "x", "id": "not-hex"}).status_code == 400
    assert api.client.post(PLANT_FLOW, json={}).status_code == 400
    unknown_env = api.client.post("/_sim/environments/00000000-0000-4000-8000-000000000000/flowPolicies", json={"name": "x"})
    assert unknown_env.status_code == 404 and "error" in unknown_env.json


def test_sign_on_policy_assignments_carry_a_priority_that_put_changes(api):
    app = api.create(web_app())
    path = f"{APPS}/{app['id']}/signOnPolicyAssignments"
    single, mfa = default_policy(api), sign_on_policy(api, "Multi_Factor")
    first = api.post(path, {"signOnPolicy": {"id": mfa["id"]}, "priority": 1})
    assert first.status_code == 201 and first.headers["Location"] == first.json["_links"]["self"]["href"]
    body = first.json
    assert set(body) <= SPEC_SOP_ASSIGNMENT and body["signOnPolicy"] == {"id": mfa["id"]} and body["priority"] == 1
    assert body["application"] == {"id": app["id"]} and body["environment"] == {"id": ENV}
    second = api.post(path, {"signOnPolicy": {"id": single["id"]}, "priority": 2}).json
    assert [(item["signOnPolicy"]["id"], item["priority"]) for item in assignments(api, app["id"])] == [(mfa["id"], 1), (single["id"], 2)]
    assert api.get(f"{path}/{body['id']}").json == body
    moved = api.put(f"{path}/{body['id']}", {"signOnPolicy": {"id": mfa["id"]}, "priority": 3})
    assert moved.status_code == 200 and moved.json["priority"] == 3 and moved.json["id"] == body["id"]
    other = api.put(f"{path}/{body['id']}", {"signOnPolicy": {"id": single["id"]}, "priority": 1})
    assert error(other) == (400, "INVALID_DATA", "INVALID_VALUE", "signOnPolicy.id")
    assert error(api.put(f"{path}/{body['id']}", {"signOnPolicy": {"id": mfa["id"]}})) == (400, "INVALID_DATA", "REQUIRED_VALUE", "priority")
    assert api.delete(f"{path}/{second['id']}").status_code == 204
    assert api.delete(f"{path}/{second['id']}").status_code == 404
    assert api.get(f"{path}/{second['id']}").status_code == 404
    assert [item["id"] for item in assignments(api, app["id"])] == [body["id"]]


def test_assignment_bodies_are_validated_as_the_spec_says(api):
    app = api.create(web_app())
    path = f"{APPS}/{app['id']}/signOnPolicyAssignments"
    policy_id = default_policy(api)["id"]
    cases = [
        ({"priority": 1}, (400, "INVALID_DATA", "REQUIRED_VALUE", "signOnPolicy.id")),
        ({"signOnPolicy": {"id": "not-an-id"}, "priority": 1}, (400, "INVALID_DATA", "INVALID_VALUE", "signOnPolicy.id")),
        ({"signOnPolicy": {"id": policy_id}}, (400, "INVALID_DATA", "REQUIRED_VALUE", "priority")),
        ({"signOnPolicy": {"id": policy_id}, "priority": 0}, (400, "INVALID_DATA", "OUT_OF_RANGE", "priority")),
        ({"signOnPolicy": {"id": policy_id}, "priority": "1"}, (400, "INVALID_DATA", "INVALID_VALUE", "priority")),
        ({"signOnPolicy": {"id": policy_id}, "priority": True}, (400, "INVALID_DATA", "INVALID_VALUE", "priority")),
        ({"signOnPolicy": {"id": "00000000-0000-4000-8000-000000000000"}, "priority": 1}, (404, "NOT_FOUND", "NOT_FOUND", None)),
    ]
    for body, expected in cases:
        assert error(api.post(path, body)) == expected, body
    assert api.post(path, {"signOnPolicy": {"id": policy_id}, "priority": 0}).json["details"][0]["innerError"] == {"rangeMinimumValue": 1}
    assert api.post(path, [1]).status_code == 400
    assert api.post(path, {"signOnPolicy": {"id": policy_id}, "priority": 5}).status_code == 201
    duplicate = api.post(path, {"signOnPolicy": {"id": policy_id}, "priority": 1})
    assert error(duplicate) == (400, "INVALID_DATA", "UNIQUENESS_VIOLATION", "signOnPolicy.id")
    missing_app = f"{APPS}/00000000-0000-4000-8000-000000000000/signOnPolicyAssignments"
    assert api.post(missing_app, {"signOnPolicy": {"id": policy_id}, "priority": 1}).status_code == 404
    assert api.get(missing_app).status_code == 404


def test_flow_policy_assignments_name_davinci_ids(api):
    app = api.create(web_app())
    path = f"{APPS}/{app['id']}/flowPolicyAssignments"
    planted = flow_policy(api, "Login Flow", id=DAVINCI_ID)
    resp = api.post(path, {"flowPolicy": {"id": planted["id"]}, "priority": 1})
    assert resp.status_code == 201 and set(resp.json) <= SPEC_FLOW_ASSIGNMENT and resp.json["flowPolicy"] == {"id": DAVINCI_ID}
    assert assignments(api, app["id"], "flowPolicyAssignments") == [resp.json]
    assert api.put(f"{path}/{resp.json['id']}", {"flowPolicy": {"id": DAVINCI_ID}, "priority": 2}).json["priority"] == 2
    sign_on_id = default_policy(api)["id"]
    assert error(api.post(path, {"flowPolicy": {"id": sign_on_id}, "priority": 1})) == (400, "INVALID_DATA", "INVALID_VALUE", "flowPolicy.id")
    assert error(api.post(path, {"flowPolicy": {"id": "f" * 32}, "priority": 1}))[:2] == (404, "NOT_FOUND")
    assert error(api.post(path, {"flowPolicy": {"id": DAVINCI_ID}, "priority": 1}))[2] == "UNIQUENESS_VIOLATION"
    # The console offers one kind at a time; the API documents no such rule, so it takes both (the collection refuses).
    both = api.post(f"{APPS}/{app['id']}/signOnPolicyAssignments", {"signOnPolicy": {"id": sign_on_id}, "priority": 1})
    assert both.status_code == 201
    assert api.delete(f"{path}/{resp.json['id']}").status_code == 204
    assert api.delete(f"{path}/{resp.json['id']}").status_code == 404


def test_deleting_an_application_deletes_its_assignments(api):
    app = api.create(web_app())
    flow_policy(api, "Login Flow", id=DAVINCI_ID)
    api.post(f"{APPS}/{app['id']}/signOnPolicyAssignments", {"signOnPolicy": {"id": default_policy(api)["id"]}, "priority": 1})
    api.post(f"{APPS}/{app['id']}/flowPolicyAssignments", {"flowPolicy": {"id": DAVINCI_ID}, "priority": 1})
    assert api.delete(f"{APPS}/{app['id']}").status_code == 204
    again = api.create(web_app())
    assert assignments(api, again["id"]) == [] and assignments(api, again["id"], "flowPolicyAssignments") == []
    store = api.client.application.extensions["pingone_sim"].store
    env = store.get_environment(ENV)
    assert env.sign_on_policy_assignments == {} and env.flow_policy_assignments == {}


def test_state_file_keeps_policies_and_assignments(make_app, tmp_path):
    path = str(tmp_path / "state.json")
    api = Api(make_app(state_path=path).test_client())
    app = api.create(web_app())
    mfa = sign_on_policy(api, "Multi_Factor")
    flow_policy(api, "Login Flow", id=DAVINCI_ID)
    api.post(f"{APPS}/{app['id']}/signOnPolicyAssignments", {"signOnPolicy": {"id": mfa["id"]}, "priority": 1})
    api.post(f"{APPS}/{app['id']}/flowPolicyAssignments", {"flowPolicy": {"id": DAVINCI_ID}, "priority": 1})
    second = Api(make_app(state_path=path).test_client())
    assert [policy["name"] for policy in second.get(SIGN_ON_POLICIES).json["_embedded"]["signOnPolicies"]] == ["Single_Factor", "Multi_Factor"]
    assert second.get(f"{FLOW_POLICIES}/{DAVINCI_ID}").json["name"] == "Login Flow"
    assert [item["signOnPolicy"]["id"] for item in assignments(second, app["id"])] == [mfa["id"]]
    assert [item["flowPolicy"]["id"] for item in assignments(second, app["id"], "flowPolicyAssignments")] == [DAVINCI_ID]


def test_a_state_file_from_before_policies_gets_the_default_policy(make_app, tmp_path):
    path = tmp_path / "state.json"
    make_app(state_path=str(path))
    doc = json.loads(path.read_text())
    for env in doc["environments"]:
        for key in ("signOnPolicies", "flowPolicies", "signOnPolicyAssignments", "flowPolicyAssignments"):
            del env[key]
    path.write_text(json.dumps(doc))
    api = Api(make_app(state_path=str(path)).test_client())
    assert [policy["name"] for policy in api.get(SIGN_ON_POLICIES).json["_embedded"]["signOnPolicies"]] == ["Single_Factor"]


def test_policy_routes_are_counted_by_template(api):
    app = api.create(web_app())
    api.get(f"{APPS}/{app['id']}/signOnPolicyAssignments")
    api.get(f"{SIGN_ON_POLICIES}/{default_policy(api)['id']}")
    by_route = api.client.get("/_sim/stats").json["by_route"]
    assert by_route["GET /v1/environments/{envId}/applications/{appId}/signOnPolicyAssignments"] == 1
    assert by_route["GET /v1/environments/{envId}/signOnPolicies/{policyId}"] == 1
