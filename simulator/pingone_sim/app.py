"""Flask application factory for the PingOne simulator."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RoutingException

from . import access, attributes, control, domains, images, management, oauth, policies
from .config import SimConfig
from .context import EXTENSION, Sim
from .errors import ApiError, OAuthError, invalid_request, not_found, status_error
from .faults import FaultRegistry, SimMiddleware, Stats
from .recorder import ExchangeRecorder
from .store import Store

LOG = logging.getLogger("pingone_sim")
ROUTE_NAMES = {"env_id": "envId", "app_id": "appId", "role_id": "roleId", "assignment_id": "roleAssignmentId",
               "resource_id": "resourceId", "scope_id": "scopeId", "grant_id": "grantId", "attr_mapping_id": "attrMappingId",
               "policy_id": "policyId", "flow_policy_id": "flowPolicyId", "sop_assignment_id": "signOnPolicyAssignmentId",
               "flow_policy_assignment_id": "flowPolicyAssignmentId",
               "image_id": "imageId", "file_name": "fileName", "domain_id": "customDomainId"}
UNMATCHED = "(unmatched)"
RECORDER_EXTENSION = "pingone_sim.recorder"


def route_template(app: Flask, environ: dict[str, Any]) -> str:
    """The matched route as a template such as /v1/environments/{envId}/applications."""
    adapter = app.url_map.bind_to_environ(environ)
    try:
        rule, _args = adapter.match(return_rule=True)
    except MethodNotAllowed as exc:
        methods = sorted(exc.valid_methods or [])
        if not methods:
            return UNMATCHED
        try:
            rule, _args = adapter.match(method=methods[0], return_rule=True)
        except (HTTPException, RoutingException):
            return UNMATCHED
    except (HTTPException, RoutingException):
        return UNMATCHED
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: "{" + ROUTE_NAMES.get(m.group(1), m.group(1)) + "}", rule.rule)


def _http_error(exc: HTTPException) -> Response:
    code = exc.code or 500
    if code == 404:
        return not_found().response()
    if code == 400:
        return invalid_request(exc.description or "The request is malformed.").response()
    error = status_error(code)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        error.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return error.response()


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    LOG.exception("unexpected error while handling a request")
    return ApiError(500, "UNEXPECTED_ERROR", "An unexpected error occurred.").response()


def create_app(config: SimConfig | None = None) -> Flask:
    """Build the simulator app; the store is loaded from --state or built from the bootstrap data."""
    config = config or SimConfig()
    store = Store(config.bootstrap(), state_path=config.state_path, token_lifetime=config.token_lifetime)
    store.start()
    app = Flask("pingone_sim")
    app.url_map.strict_slashes = False
    sim = Sim(config=config, store=store, faults=FaultRegistry(), stats=Stats())
    app.extensions[EXTENSION] = sim
    app.register_blueprint(control.bp)
    app.register_blueprint(management.bp)
    app.register_blueprint(access.bp)
    app.register_blueprint(attributes.bp)
    app.register_blueprint(policies.bp)
    app.register_blueprint(policies.control_bp)
    app.register_blueprint(images.bp)
    app.register_blueprint(images.files)
    app.register_blueprint(oauth.bp)
    app.register_blueprint(domains.bp)
    app.register_blueprint(domains.control_bp)
    app.register_blueprint(domains.served_bp)
    app.register_error_handler(ApiError, oauth.api_error_handler)
    app.register_error_handler(OAuthError, oauth.oauth_error_handler)
    app.register_error_handler(control.ControlError, control.control_error_handler)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.wsgi_app = SimMiddleware(app.wsgi_app, sim.faults, sim.stats,  # type: ignore[method-assign]
                                 lambda environ: route_template(app, environ), quiet=config.quiet, clock=store.now)
    if config.record_path:
        # Outermost, so that faulted replies are recorded too (tests/contract checks them against the specs).
        recorder = ExchangeRecorder(app.wsgi_app, config.record_path)
        app.extensions[RECORDER_EXTENSION] = recorder
        app.wsgi_app = recorder  # type: ignore[method-assign]
    return app
