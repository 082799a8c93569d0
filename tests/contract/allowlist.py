# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Known, justified disagreements between PingOne's OpenAPI descriptions and its documented behaviour.

Each entry is (operation, pointer, reason). ``operation`` is ``METHOD /template`` as in the sdk-v2 paths
(for example ``GET /environments/{environmentID}``); ``pointer`` says where:

* ``/path/<name>``, ``/query/<name>``: a path or query parameter;
* ``/request`` + a JSON pointer into the request body;
* ``/status/<code>``: a status the operation does not declare;
* ``/response/<code>`` + a JSON pointer into the reply body (sdk-v2 schema);
* ``/official/<code>`` + a JSON pointer into an error reply (the official spec's error model).

Array indices are written ``*``; both fields take shell-style wildcards (``fnmatch``). Keep this list short:
an entry exists only where the spec is wrong or incomplete and the simulator follows PingOne's documentation
(say which page, and the simulator decision number), never to hide a simulator or module bug.
"""

from __future__ import annotations

ALLOWLIST: list[tuple[str, str, str]] = [
    # sdk-v2's ApplicationPingOneAdminConsole lists only pkceEnforcement and tokenEndpointAuthMethod (the two
    # members PingOne lets one change on that system application) and, unlike every other application variant,
    # does not include the base Application schema (allOf Application): an omission. PingOne returns the admin
    # console like any application, with id, name, type, protocol, enabled, environment, _links, createdAt,
    # updatedAt and accessControl (simulator decision 23's seeded system applications). Only top-level members of
    # that one application are covered; anything inside them is still checked.
    ("GET /environments/{environmentID}/applications", "/response/200/_embedded/applications/*[type=PING_ONE_ADMIN_CONSOLE]/*",
     "ApplicationPingOneAdminConsole lacks allOf Application (the base members)"),
    # sdk-v2's P1Error innerError lists no retryAfter, but Ping Identity's official description of the 429 reply
    # (com.pingidentity.ApiErrorResponse.429) has details[].innerError.retryAfter, a date-time; that model is
    # checked too (/official/429), so the member's type is still verified.
    ("*", "/response/429/details/*/innerError/retryAfter",
     "P1Error innerError lacks retryAfter; the official ApiErrorResponse.429 declares it"),
    # PingOne documents no paging for the application collection, but its list is HAL: the SDKs and this collection
    # follow _links.next wherever PingOne puts it. With paging on (simulator decision 6, POST /_sim/paging) the simulator
    # pages applications as PingOne pages environments, whose list declares limit and cursor, so that the client's
    # paging is tested; the next links it serves, which the client follows as given, carry them.
    ("GET /environments/{environmentID}/applications", "/query/limit",
     "the simulator's paging of applications (decision 6) uses the limit of GET /environments"),
    ("GET /environments/{environmentID}/applications", "/query/cursor",
     "the simulator's paging of applications (decision 6) uses the cursor of GET /environments"),
]
