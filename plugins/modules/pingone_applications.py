#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_applications
short_description: Converge a list of PingOne OpenID Connect applications in one task
version_added: 0.2.0
description:
  - Creates, updates and deletes many OpenID Connect applications of one PingOne environment in one task, with the
    options of M(pingone.oidc.pingone_application) for each (O(applications)), compared the same way.
  - "The environment is listed once (every page); every definition is compared with what is there and checked like the
    PingOne console checks it, and B(any invalid definition fails the task before the first write), naming each definition
    and option at fault. Then only the missing applications are created and only the drifted ones updated: a run that
    changes nothing sends the list and no other request (but the token request, when O(pingone_access_token) is not given)."
  - Writes are sent from a bounded pool of O(concurrency) threads, and every request of the run (retries included) stays
    under O(max_requests_per_second). An HTTP 429 is retried after its C(Retry-After) and holds every thread back.
  - A create whose outcome is unknown (no reply, or HTTP 500/502/504) is looked for by name before it is sent again, and an
    update whose outcome is unknown is read back, as in M(pingone.oidc.pingone_application). After the creates the
    environment is listed once more; when another run created an application of the same name at the same time, the oldest
    is kept and this run's copy deleted, with a warning.
  - After the first write that fails no new write starts; the failed task says which writes failed and why, how many
    were not started and what was done, and still returns RV(applications) and RV(counts), with the warnings of the run.
  - With O(exclusive), the applications the list does not declare are deleted, but only those O(exclusive_selector) selects,
    and never PingOne's own system applications, applications of another protocol, or the worker the task authenticates as.
  - "Deleting (O(applications[].state=absent), O(exclusive), O(applications[].recreate_on_type_change)) in an environment
    whose type is C(PRODUCTION) needs O(allow_production_deletes). The environment is read only when a delete is planned."
  - Client secrets are never returned; see M(pingone.oidc.pingone_app_secret).
  - "The task runs inside the controller's own process (an action plugin, with no module process to start) when it would
    run on the controller anyway: C(connection: local) or C(delegate_to: localhost), without C(become) or C(async). It
    then uses the Python that runs C(ansible-playbook) and its C(requests) (not C(ansible_python_interpreter)), and applies
    the task's C(environment) while it runs.
    Otherwise, or when that Python lacks C(requests), it runs as a module on the target as usual. Both ways give the
    same results; the in-process way saves about half a second per task."
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  environment_id:
    description:
      - ID of the environment of the applications.
      - Defaults to O(pingone_environment_id), the environment of the worker application.
    type: str
  applications:
    description:
      - The applications, each with the options of M(pingone.oidc.pingone_application) except
        O(pingone.oidc.pingone_application#module:application_id), O(pingone.oidc.pingone_application#module:environment_id)
        and O(pingone.oidc.pingone_application#module:icon) (set icons with M(pingone.oidc.pingone_application)).
      - Options left unset are not managed, as for M(pingone.oidc.pingone_application).
      - V([]) manages nothing, except with O(exclusive).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - Name of the application, which identifies it in the environment (compared ignoring case).
          - Each name may appear only once in O(applications). When several applications of the environment have the name,
            the module fails before any write and lists their IDs.
        type: str
        required: true
      state:
        description:
          - V(present) creates or updates the application, V(absent) deletes it.
        type: str
        choices: [present, absent]
        default: present
      type:
        description:
          - The OIDC application type. Required to create an application.
          - The type of an existing application cannot change in place; see O(applications[].recreate_on_type_change).
        type: str
        choices: [WORKER, WEB_APP, SINGLE_PAGE_APP, NATIVE_APP, SERVICE, CUSTOM_APP]
      recreate_on_type_change:
        description:
          - When O(applications[].type) differs from the existing application's, delete it and create a new one from the options
            given. The new application has a B(new ID, client ID and secret), and settings not given are lost.
          - When V(false), such a change fails (before any write).
          - This deletes an application, which in a C(PRODUCTION) environment needs O(allow_production_deletes).
        type: bool
        default: false
      assign_actor_roles:
        description:
          - Only when creating a V(WORKER) application; whether it receives the roles of the worker that creates it.
            Ignored afterwards (PingOne only reads it on creation).
        type: bool
      description:
        description:
          - Free-text description of the application. V("") removes it.
        type: str
      enabled:
        description:
          - Whether the application is enabled. When creating and not set, the application is created B(disabled)
            (V(false), PingOne's default, which the module sends because PingOne requires it on creation).
        type: bool
      token_endpoint_auth_method:
        description:
          - How the application authenticates at the token and PAR endpoints.
          - V(PRIVATE_KEY_JWT) needs O(applications[].jwks) or O(applications[].jwks_url) (on the application already or in this task).
          - When creating and not set, V(NONE) for V(SINGLE_PAGE_APP) and V(NATIVE_APP), else V(CLIENT_SECRET_BASIC).
        type: str
        choices: [NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT, PRIVATE_KEY_JWT]
      grant_types:
        description:
          - OAuth grant types the application may use; order does not matter.
          - When creating and not set, V(CLIENT_CREDENTIALS) for V(WORKER) and V(CUSTOM_APP), else V(AUTHORIZATION_CODE).
          - V(CLIENT_CREDENTIALS) needs a O(applications[].token_endpoint_auth_method) other than V(NONE); V(AUTHORIZATION_CODE) needs
            the response type V(CODE) and V(IMPLICIT) V(TOKEN) or V(ID_TOKEN); V(REFRESH_TOKEN) needs V(AUTHORIZATION_CODE),
            V(DEVICE_CODE), V(CIBA) or V(TOKEN_EXCHANGE).
        type: list
        elements: str
        choices: [AUTHORIZATION_CODE, IMPLICIT, REFRESH_TOKEN, CLIENT_CREDENTIALS, DEVICE_CODE, TOKEN_EXCHANGE, CIBA]
      response_types:
        description:
          - Response types of the authorization endpoint; order does not matter.
          - When creating an application with the V(AUTHORIZATION_CODE) grant and not set, V(CODE).
        type: list
        elements: str
        choices: [CODE, TOKEN, ID_TOKEN]
      jwks:
        description:
          - The application's public keys for V(PRIVATE_KEY_JWT) and signed request objects, as a JSON Web Key Set
            given as a dict or a JSON string. Compared as parsed JSON, so formatting and key order never cause a change.
          - Keys must not hold private members (V(d), V(p), V(q), ...). As for M(pingone.oidc.pingone_app_key), each key is an RSA
            key of at least 2048 bits or an EC key on P-256, P-384 or P-521, for signatures, and no two keys share a key ID.
          - Setting it removes O(applications[].jwks_url) from the application. Mutually exclusive with O(applications[].jwks_url).
        type: raw
      jwks_url:
        description:
          - An https URL where PingOne fetches the application's JSON Web Key Set.
          - Setting it removes O(applications[].jwks) from the application. Mutually exclusive with O(applications[].jwks).
        type: str
      redirect_uris:
        description:
          - Redirect URIs the authorization server may send the browser back to; order does not matter.
          - No fragments; V(http) only for C(localhost), C(127.0.0.1) and C([::1]); custom schemes are allowed for native apps;
            wildcards only with O(applications[].allow_wildcard_in_redirect_uris).
          - No URL option may hold spaces or control characters, or use the C(javascript), C(data), C(vbscript) or C(file) scheme.
          - V([]) removes them all.
        type: list
        elements: str
      post_logout_redirect_uris:
        description:
          - URIs the application may ask to be sent back to after sign-off; order does not matter.
          - The rules of O(applications[].redirect_uris) apply.
        type: list
        elements: str
      allow_wildcard_in_redirect_uris:
        description:
          - Whether O(applications[].redirect_uris) and O(applications[].post_logout_redirect_uris) may contain C(*) wildcards.
        type: bool
      pkce_enforcement:
        description:
          - Whether authorization requests must use PKCE. PingOne's default is V(OPTIONAL).
        type: str
        choices: [OPTIONAL, REQUIRED, S256_REQUIRED]
      par_requirement:
        description:
          - Whether authorization requests must be pushed first (RFC 9126). PingOne's default is V(OPTIONAL).
        type: str
        choices: [OPTIONAL, REQUIRED]
      par_timeout:
        description:
          - Lifetime in seconds of a pushed request URI, 1 to 600. PingOne's default is V(60).
        type: int
      refresh_token_duration:
        description:
          - Lifetime in seconds of refresh tokens, 60 to 2147483647, not more than O(applications[].refresh_token_rolling_duration).
        type: int
      refresh_token_rolling_duration:
        description:
          - Seconds after which a refresh token chain expires however often it is used, 60 to 2147483647.
        type: int
      refresh_token_rolling_grace_period_duration:
        description:
          - Seconds a rotated refresh token stays usable, 0 to 86400.
        type: int
      refresh_token_type:
        description:
          - Format of refresh tokens.
        type: str
        choices: [JSON_WEB_TOKEN, OPAQUE_TOKEN]
      additional_refresh_token_replay_protection_enabled:
        description:
          - Whether reusing a refresh token revokes the whole chain.
        type: bool
      home_page_url:
        description:
          - The application's home page.
        type: str
      login_page_url:
        description:
          - Custom login page; https, or http for C(localhost), C(127.0.0.1) and C([::1]).
        type: str
      initiate_login_uri:
        description:
          - URI that starts a login at the application (needed to show it in the application portal).
        type: str
      target_link_uri:
        description:
          - Where the application portal sends users after login; may use a custom scheme.
        type: str
      require_signed_request_object:
        description:
          - Whether authorization requests must carry a signed request object. Not together with O(applications[].support_unsigned_request_object).
        type: bool
      support_unsigned_request_object:
        description:
          - Whether unsigned request objects are accepted.
        type: bool
      include_x5t:
        description:
          - Whether tokens carry the C(x5t) header of the signing certificate.
        type: bool
      op_session_check_enabled:
        description:
          - Whether the OpenID Connect session management iframe is enabled.
        type: bool
      idp_signoff:
        description:
          - Whether the application may end sessions with only an ID token.
        type: bool
      request_scopes_for_multiple_resources_enabled:
        description:
          - Whether the application may request scopes of several resources at once.
        type: bool
      hidden_from_app_portal:
        description:
          - Whether the application is hidden from the application portal.
        type: bool
      device_path_id:
        description:
          - Path ID of the device authorization flow, 1 to 50 letters, digits, V(_) or V(-).
        type: str
      device_custom_verification_uri:
        description:
          - Custom verification URI of the device authorization flow, an http(s) URL.
        type: str
      device_timeout:
        description:
          - Lifetime in seconds of a device code, 1 to 3600. PingOne's default is V(600).
        type: int
      device_polling_interval:
        description:
          - Seconds a device must wait between polls, 1 to 60. PingOne's default is V(5).
        type: int
      signing_key_rotation_policy_id:
        description:
          - ID of the key rotation policy whose keys sign this application's tokens (else the environment's default key).
        type: str
      tags:
        description:
          - Application tags; V(PING_FED_CONNECTION_INTEGRATION) marks a WORKER used by PingFederate.
        type: list
        elements: str
        choices: [PING_FED_CONNECTION_INTEGRATION]
      cors_settings:
        description:
          - Which browser origins may call the application's endpoints. Compared as a whole.
        type: dict
        suboptions:
          behavior:
            description:
              - V(ALLOW_NO_ORIGINS), or V(ALLOW_SPECIFIC_ORIGINS) with O(applications[].cors_settings.origins).
            type: str
            required: true
            choices: [ALLOW_NO_ORIGINS, ALLOW_SPECIFIC_ORIGINS]
          origins:
            description:
              - Up to 40 http(s) origins without a path; C(*) may stand for subdomains.
            type: list
            elements: str
      access_control:
        description:
          - Who may use the application. Compared as a whole. PingOne sets V(ADMIN_USERS_ONLY) on WORKER applications.
        type: dict
        suboptions:
          role_type:
            description:
              - V(ADMIN_USERS_ONLY) restricts the application to administrators.
            type: str
            choices: [ADMIN_USERS_ONLY]
          group_type:
            description:
              - Whether users need V(ANY_GROUP) or V(ALL_GROUPS) of O(applications[].access_control.groups).
            type: str
            choices: [ANY_GROUP, ALL_GROUPS]
          groups:
            description:
              - IDs of the groups.
            type: list
            elements: str
      grants:
        description:
          - Scopes of resources the application must be granted, as M(pingone.oidc.pingone_application_resource_grant)
            grants them. Other scopes, and grants of other resources, are kept unless O(applications[].grants[].exclusive).
          - Every resource and scope named is looked up before anything is written (each resource listed once per task);
            an unknown one fails the task, naming the definition and the option.
          - When set, the task reads the application's grants once (none for an application it creates) and writes only
            the grants that lack a scope. Not set, grants are not managed.
        type: list
        elements: dict
        suboptions:
          resource:
            description:
              - Name (compared ignoring case) or ID of the resource, for example V(openid), V(PingOne API) or a custom
                resource (see M(pingone.oidc.pingone_resource)).
            type: str
            required: true
          scopes:
            description:
              - Names or IDs of the resource's scopes to grant.
            type: list
            elements: str
            required: true
          exclusive:
            description:
              - Whether scopes of this resource that O(applications[].grants[].scopes) does not list are revoked.
            type: bool
            default: false
      roles:
        description:
          - Built-in roles a V(WORKER) application must hold, as M(pingone.oidc.pingone_application_role_assignment)
            assigns them; assignments not listed are kept. Only for V(WORKER) applications.
          - Every role named is looked up before anything is written (the roles are listed once per task).
          - When set, the task reads the application's role assignments once (none for an application it creates) and
            creates only the missing ones. Not set, role assignments are not managed.
          - A new worker holds only these roles when O(applications[].assign_actor_roles=false).
        type: list
        elements: dict
        suboptions:
          role:
            description:
              - Name (compared ignoring case) or ID of the role, for example V(Client Application Developer).
            type: str
            required: true
          scope_type:
            description:
              - Where the role applies.
            type: str
            choices: [ENVIRONMENT, ORGANIZATION, POPULATION]
            default: ENVIRONMENT
          scope_id:
            description:
              - ID of the environment, organization or population. Defaults to the environment of the applications for
                V(ENVIRONMENT) and to its organization for V(ORGANIZATION); required for V(POPULATION).
            type: str
      attribute_mappings:
        description:
          - Claims the application's ID tokens and userinfo replies carry, added or changed as
            M(pingone.oidc.pingone_application_attribute_mapping) does; mappings not listed are kept unless
            O(applications[].attribute_mappings_exclusive).
          - Mappings are matched by claim name, exactly. Every mapping is checked before any request. V(sub) is the CORE
            mapping every OpenID Connect application has; only its O(applications[].attribute_mappings[].value) can be set.
          - When set, the task reads the application's mappings once (none for an application it creates, unless V(sub) is
            listed) and writes only the mappings that differ. Not set, mappings are not managed.
          - To give a claim for some scopes only, use M(pingone.oidc.pingone_application_attribute_mapping).
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The claim name, compared exactly. It must not be a claim PingOne sets itself, such as V(aud) or V(iss).
            type: str
            required: true
          value:
            description:
              - What the claim holds, a constant or an expression such as V(${user.email}). It must be a string, so quote
                it in YAML.
            type: raw
            required: true
          required:
            description:
              - Whether the claim must have a value. A new mapping gets V(false) when not set; always V(true) for V(sub).
            type: bool
          id_token:
            description:
              - Whether the claim is in the ID token. A new mapping gets V(true) when not set.
            type: bool
          user_info:
            description:
              - Whether the claim is in the reply of the userinfo endpoint. A new mapping gets V(true) when not set.
            type: bool
      attribute_mappings_exclusive:
        description:
          - Whether the application's custom mappings that O(applications[].attribute_mappings) does not list are removed.
            CORE and SCOPE mappings (V(sub)) are kept. Needs O(applications[].attribute_mappings).
        type: bool
        default: false
      sign_on_policies:
        description:
          - Sign-on policies the application signs users on with, by name or ID, in the order it tries them, as
            M(pingone.oidc.pingone_application_sign_on_policy) orders them - the first gets priority 1, the next priority
            2, and so on; the application's other sign-on policies are kept after them, in their order.
          - Every policy named is looked up before anything is written (the sign-on policies are listed once per task).
          - When set, the task reads the application's sign-on policy assignments once (none for an application it
            creates, which uses the environment's default policy until then) and writes only what differs. Not set,
            sign-on policies are not managed.
          - DaVinci flow policy assignments are neither read nor changed; to switch an application between sign-on
            policies and flow policies, use M(pingone.oidc.pingone_application_sign_on_policy).
        type: list
        elements: str
  concurrency:
    description:
      - How many writes are under way at once, 1 to 16.
    type: int
    default: 4
  max_requests_per_second:
    description:
      - The most requests the task sends in any second, retries and the token request included.
      - PingOne's rate limits hold per license, shared by its environments, and by default one IP address gets 35% of them.
    type: float
    default: 10.0
  exclusive:
    description:
      - Whether applications of the environment that O(applications) does not declare are deleted, when
        O(exclusive_selector) selects them. PingOne's own system applications, applications that are not OpenID
        Connect ones, and the worker the task authenticates as (O(pingone_client_id)) are never deleted; a definition
        that would delete or replace that worker fails before anything is written.
    type: bool
    default: false
  exclusive_selector:
    description:
      - Which undeclared applications O(exclusive) deletes; required with O(exclusive), with at least one member.
        When both members are set, an application must match both.
    type: dict
    suboptions:
      name_prefix:
        description:
          - Applications whose name starts with this, compared ignoring case.
        type: str
      tag:
        description:
          - Applications with this tag.
        type: str
        choices: [PING_FED_CONNECTION_INTEGRATION]
  allow_production_deletes:
    description:
      - Whether the task may delete applications when the environment's type is C(PRODUCTION). When V(false) and a
        delete is planned there, the task fails before any write and lists the applications it would delete.
      - If not set, the value of the E(PINGONE_ALLOW_PRODUCTION_DELETES) environment variable is used.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.CHANGES
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - The whole task runs in the controller's process when the connection is local (see the description).
  async:
    description: Supports being used with the C(async) keyword.
    support: full
    details:
      - With C(async) the task runs as a module.
  diff_mode:
    details:
      - The diff shows each application that changes, keyed by name, as PingOne stores it, with O(applications[].jwks)
        shown by key ID and sensitive members masked.
      - In check mode an application to be created (or replaced) is shown as it would be sent; PingOne adds its own
        defaults and IDs to it, which the real run's diff then shows too.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_application_info
"""

EXAMPLES = r"""
- name: Converge the applications of a team in one task
  pingone.oidc.pingone_applications:
    environment_id: "{{ target_environment_id }}"
    applications:
      - name: Orders Worker
        type: WORKER
        enabled: true
        assign_actor_roles: false  # holds only the roles below
        roles:
          - role: Identity Data Read Only
        grants:
          - resource: Orders API
            scopes: [orders:read, orders:write]
      - name: Orders Web
        type: WEB_APP
        enabled: true
        redirect_uris:
          - https://orders.example.com/callback
        pkce_enforcement: S256_REQUIRED
        attribute_mappings:
          - name: email
            value: "${user.email}"
            required: true
        sign_on_policies: [Multi_Factor, Single_Factor]
      - name: Orders Legacy
        state: absent
  register: fleet

- name: The client ID of one of them
  ansible.builtin.debug:
    msg: "{{ fleet.applications['Orders Web'].client_id }}"

- name: Keep exactly the declared applications whose names start with "Orders "
  pingone.oidc.pingone_applications:
    environment_id: "{{ target_environment_id }}"
    applications: "{{ orders_applications }}"
    exclusive: true
    exclusive_selector:
      name_prefix: "Orders "
    concurrency: 8
    max_requests_per_second: 20

- name: Deletes in a PRODUCTION environment must be allowed
  pingone.oidc.pingone_applications:
    environment_id: "{{ production_environment_id }}"
    applications:
      - name: Retired App
        state: absent
    allow_production_deletes: true
"""

RETURN = r"""
msg:
  description:
    - What the task did, in one line, with the number of applications created, updated, replaced and deleted and how many
      were left unchanged (in check mode C(Would create ...)).
  returned: always
  type: str
  sample: "Created 3 applications ('A', 'B', 'C'); updated 1 application ('D'); granted scopes to 2 applications ('A', 'B');
    6 applications unchanged"
applications:
  description:
    - One entry per declared application, keyed by its name as given in O(applications).
  returned: always
  type: dict
  sample:
    Orders Web:
      action: update
      id: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
      client_id: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
      changed_options: [pkce_enforcement]
  contains:
    action:
      description:
        - What was done (or would be in check mode) - V(create), V(update), V(replace) (deleted and created again for a type
          change), V(delete) or V(none).
      type: str
    id:
      description: The application's ID; absent when there is none (deleted, or not yet created in check mode).
      type: str
    client_id:
      description: The application's client ID (equal to its ID); absent when there is no application.
      type: str
    error:
      description: Only in a failed task, for a change that failed (why) or was not started after the first failure.
      type: str
    deleted_id:
      description:
        - Only in a failed task, for a V(replace) whose create failed after the old application was deleted; the ID of
          the deleted application. Run the task again to create the new one.
      type: str
    changed_options:
      description:
        - The options whose values changed (or would change); for a create, every option given. V(grants), V(roles),
          V(attribute_mappings) and V(sign_on_policies) are listed when a grant, role assignment, attribute mapping or
          sign-on policy assignment changed.
      type: list
      elements: str
    access_changes:
      description:
        - "The grants, role assignments, attribute mappings and sign-on policy assignments written (or, in check mode, to
          write), one line each, for example C(grant resource 'Orders API': +orders:read),
          C(assign role 'Identity Data Admin' at ENVIRONMENT scope '...'), C(add attribute mapping 'email'),
          C(update attribute mapping 'sub': value) or C(assign sign-on policy 'Multi_Factor' at priority 1)."
      type: list
      elements: str
deleted_undeclared:
  description: The applications O(exclusive) deleted (or would delete) because O(applications) does not declare them.
  returned: always
  type: list
  elements: dict
  sample: [{name: Orders Old, id: 0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11}]
counts:
  description:
    - How many applications were created, updated, replaced, deleted (undeclared ones included) and left unchanged, and
      how many were granted scopes (V(granted)), assigned roles (V(assigned)), had their attribute mappings changed
      (V(mapped)) or their sign-on policies assigned or reordered (V(policies_set)).
  returned: always
  type: dict
  sample: {created: 3, updated: 1, replaced: 0, deleted: 0, unchanged: 6, granted: 2, assigned: 1, mapped: 1, policies_set: 1}
"""

from ansible_collections.pingone.oidc.plugins.module_utils._fleet_task import OPTIONS, check_options, ensure
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule


def main():
    PingOneModule(OPTIONS).run(ensure, check_options)


if __name__ == '__main__':
    main()
