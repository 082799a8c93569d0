#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application
short_description: Create, update and delete PingOne OpenID Connect applications
version_added: 0.1.0
description:
  - Manages one OpenID Connect application of a PingOne environment, of any OIDC type and with any token endpoint
    authentication method.
  - The application is identified by O(application_id), or else by O(name) within O(environment_id), ignoring case.
    When several applications share that name the module fails and lists their IDs; it never creates a duplicate.
  - Options left unset are not managed. Updates read the application, apply the options that are set, and send the
    whole application back (PingOne's update replaces the whole object), so nothing else is lost, including
    properties this module does not model.
  - Lists whose order does not matter are compared as sets, O(jwks) as parsed JSON, and PingOne's server defaults
    never count as a change.
  - Settings are checked like the PingOne console checks them before anything is written, also in check mode.
  - The client secret is never returned; see the secret module of this collection.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) creates or updates the application, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  environment_id:
    description:
      - ID of the environment of the application.
      - Defaults to O(pingone_environment_id), the environment of the worker application.
    type: str
  application_id:
    description:
      - ID of an existing application. When set, O(name) renames it.
    type: str
  name:
    description:
      - Name of the application. Required to create one.
    type: str
  type:
    description:
      - The OIDC application type. Required to create an application.
      - The type of an existing application cannot change in place; see O(recreate_on_type_change).
    type: str
    choices: [WORKER, WEB_APP, SINGLE_PAGE_APP, NATIVE_APP, SERVICE, CUSTOM_APP]
  recreate_on_type_change:
    description:
      - When O(type) differs from the existing application's, delete it and create a new one from the options
        given. The new application has a B(new ID, client ID and secret), and settings not given are lost.
      - When V(false), such a change fails.
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
  icon:
    description:
      - The application's icon, an image of its environment. O(icon.path) uploads a file, O(icon.id) names an image
        that is there already; V({}) removes the icon.
      - A file is compared with the current icon by content, so a run uploads only when the picture changed. The
        SHA-256 of the file is compared with that of the file PingOne serves for the current image, read from the address
        the images API names for it (C(targets.original.href)), without credentials and only over https (or from the API
        host itself). When that file cannot be read, the file is uploaded again, with a warning that says why.
      - An upload makes a new image; the image it replaces stays in the environment (another application or the branding
        may use it, and PingOne lists no images to find it by).
      - Not an option of M(pingone.oidc.pingone_applications), and definitions of
        M(pingone.oidc.pingone_application_info) do not carry it.
    type: dict
    suboptions:
      id:
        description:
          - ID of an image of the environment, for example one uploaded by an earlier task. V("") removes the icon.
          - Mutually exclusive with O(icon.path).
        type: str
      path:
        description:
          - A local PNG, JPEG or GIF file of at most 1 MB (1048576 bytes), the console's limit for icons, recognised by
            its content whatever its name. It is read and checked before any request.
          - A symbolic link or a file that another user owns in a directory other users can write to (such as C(/tmp)) is
            refused, as are FIFOs and devices.
          - Mutually exclusive with O(icon.id).
        type: path
  enabled:
    description:
      - Whether the application is enabled. When creating and not set, the application is created B(disabled)
        (V(false), PingOne's default, which the module sends because PingOne requires it on creation).
    type: bool
  token_endpoint_auth_method:
    description:
      - How the application authenticates at the token and PAR endpoints.
      - V(PRIVATE_KEY_JWT) needs O(jwks) or O(jwks_url) (on the application already or in this task).
      - When creating and not set, V(NONE) for V(SINGLE_PAGE_APP) and V(NATIVE_APP), else V(CLIENT_SECRET_BASIC).
    type: str
    choices: [NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT, PRIVATE_KEY_JWT]
  grant_types:
    description:
      - OAuth grant types the application may use; order does not matter.
      - When creating and not set, V(CLIENT_CREDENTIALS) for V(WORKER) and V(CUSTOM_APP), else V(AUTHORIZATION_CODE).
      - V(CLIENT_CREDENTIALS) needs a O(token_endpoint_auth_method) other than V(NONE); V(AUTHORIZATION_CODE) needs
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
      - Setting it removes O(jwks_url) from the application. Mutually exclusive with O(jwks_url).
    type: raw
  jwks_url:
    description:
      - An https URL where PingOne fetches the application's JSON Web Key Set.
      - Setting it removes O(jwks) from the application. Mutually exclusive with O(jwks).
    type: str
  redirect_uris:
    description:
      - Redirect URIs the authorization server may send the browser back to; order does not matter.
      - No fragments; V(http) only for C(localhost), C(127.0.0.1) and C([::1]); custom schemes are allowed for native apps;
        wildcards only with O(allow_wildcard_in_redirect_uris).
      - No URL option may hold spaces or control characters, or use the C(javascript), C(data), C(vbscript) or C(file) scheme.
      - V([]) removes them all.
    type: list
    elements: str
  post_logout_redirect_uris:
    description:
      - URIs the application may ask to be sent back to after sign-off; order does not matter.
      - The rules of O(redirect_uris) apply.
    type: list
    elements: str
  allow_wildcard_in_redirect_uris:
    description:
      - Whether O(redirect_uris) and O(post_logout_redirect_uris) may contain C(*) wildcards.
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
      - Lifetime in seconds of refresh tokens, 60 to 2147483647, not more than O(refresh_token_rolling_duration).
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
      - Whether authorization requests must carry a signed request object. Not together with O(support_unsigned_request_object).
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
          - V(ALLOW_NO_ORIGINS), or V(ALLOW_SPECIFIC_ORIGINS) with O(cors_settings.origins).
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
          - Whether users need V(ANY_GROUP) or V(ALL_GROUPS) of O(access_control.groups).
        type: str
        choices: [ANY_GROUP, ALL_GROUPS]
      groups:
        description:
          - IDs of the groups.
        type: list
        elements: str
extends_documentation_fragment:
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.CHANGES
attributes:
  check_mode:
    details:
      - Nothing is uploaded; an O(icon.path) to upload shows as the image ID C((new image from <file name>)).
  diff_mode:
    details:
      - The diff shows the application as PingOne stores it, with O(jwks) shown by key ID, O(icon) by image ID and sensitive
        members masked.
seealso:
  - module: pingone.oidc.pingone_application_info
"""

EXAMPLES = r"""
- name: A worker application using client credentials
  pingone.oidc.pingone_application:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
    type: WORKER
    enabled: true
    token_endpoint_auth_method: CLIENT_SECRET_BASIC
  register: worker

- name: A web application authenticating with a signed JWT, pushed authorization requests required
  pingone.oidc.pingone_application:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    type: WEB_APP
    enabled: true
    grant_types: [AUTHORIZATION_CODE, REFRESH_TOKEN]
    response_types: [CODE]
    redirect_uris:
      - https://payments.example.com/callback
    token_endpoint_auth_method: PRIVATE_KEY_JWT
    jwks: "{{ lookup('ansible.builtin.file', 'payments-jwks.json') }}"
    pkce_enforcement: S256_REQUIRED
    par_requirement: REQUIRED
    par_timeout: 90

- name: Give it an icon; uploaded again only when the picture changes
  pingone.oidc.pingone_application:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    icon:
      path: files/payments-icon.png

- name: Change one setting; everything else is kept
  pingone.oidc.pingone_application:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    par_timeout: 120

- name: Remove it
  pingone.oidc.pingone_application:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Updated application 'Payments Web App': par_timeout (in check mode: Would update ...)"
application:
  description:
    - The application as PingOne returned it (camelCase keys) without HAL links and with sensitive members masked;
      in check mode, the application as it would be. Empty when absent.
  returned: always
  type: dict
  sample:
    id: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
    clientId: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
    name: Payments Web App
    type: WEB_APP
    protocol: OPENID_CONNECT
    enabled: true
    tokenEndpointAuthMethod: PRIVATE_KEY_JWT
    parRequirement: REQUIRED
    parTimeout: 90
client_id:
  description: The application's client ID (equal to its ID).
  returned: when the application exists (not in check mode before creation)
  type: str
  sample: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
issuer:
  description:
    - The issuer of the application's environment; on its custom domain (C(https://<domain>/as)) with
      O(pingone_custom_domain).
  returned: always
  type: str
  sample: https://auth.pingone.eu/0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11/as
token_endpoint:
  description: The token endpoint of the application's environment.
  returned: always
  type: str
par_endpoint:
  description: The pushed authorization request endpoint of the application's environment.
  returned: always
  type: str
authorization_endpoint:
  description: The authorization endpoint of the application's environment.
  returned: always
  type: str
deleted_id:
  description:
    - Only in a failed task, when O(recreate_on_type_change) deleted the application and the create of the new one
      failed; the ID of the deleted application. Run the task again to create the new one.
  returned: on failure after the delete of a type change
  type: str
changed_options:
  description: The options whose values changed (or would change in check mode).
  returned: always
  type: list
  elements: str
  sample: [par_timeout, redirect_uris]
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _images
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT, ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._applications import refuse_own_worker
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    type=dict(type='str', choices=list(model.OIDC_TYPES)),
    recreate_on_type_change=dict(type='bool', default=False),
    assign_actor_roles=dict(type='bool'),
    **model.field_argument_spec(resolved=True)
)
ICON = model.FIELDS_BY_OPTION['icon']


class ApplicationRunner:
    """Finds the application, then creates, updates or deletes it; one run of the module."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.params = ctx.params
        self.environment_id = ctx.environment_id
        self.service = ApplicationsService(ctx.client, self.environment_id)
        # A private JWK given by mistake must not be echoed back (invocation, -vvv).
        ctx.protect(model.private_jwk_values(self.params.get('jwks')))
        self.desired = model.desired_from_params(self.params)
        self.result = Result(changed_options=[])
        self.images = _images.ImagesService(ctx.client, self.environment_id)
        self.icon = None  # the IconPlan of the icon option, when given
        self.uploaded_image_id = None
        self.endpoints = None

    def label(self, app=None):
        app = app or {}
        return "'%s'" % (app.get('name') or self.params['name'] or app.get('id') or self.params['application_id'])

    def run(self):
        current = self.service.resolve(self.params['application_id'], self.params['name'])
        # before any write: finding the custom domain (pingone_custom_domain auto) may fail
        self.endpoints = self.ctx.endpoints(self.environment_id)
        self.plan_icon(current)
        if self.params['state'] == 'absent':
            after = self.absent(current)
        elif current is None:
            after = self.create()
        elif self.params['type'] and self.params['type'] != current.get('type'):
            after = self.replace(current)
        else:
            after = self.update(current)
        return self.finish(current, after)

    def finish(self, before, after):
        result = self.result
        endpoints = self.endpoints
        result.values.update(
            application=model.sanitize(after) or {},
            issuer=endpoints['issuer'],
            token_endpoint=endpoints['token_endpoint'],
            par_endpoint=endpoints['par_endpoint'],
            authorization_endpoint=endpoints['authorization_endpoint'],
        )
        if after and after.get('clientId'):
            result.values['client_id'] = after['clientId']
        result.diff(model.diff_view(before), model.diff_view(after))
        return result

    def refuse_own_worker(self, current, doing):
        refuse_own_worker(current, self.environment_id, self.params.get('pingone_environment_id'),
                          self.params.get('pingone_client_id'), doing)

    def absent(self, current):
        self.refuse_own_worker(current, 'deleting')
        if current is None:
            self.result.summary = 'Application %s is already absent' % self.label()
            return None
        if not self.ctx.check_mode:
            self.service.delete(current['id'])
        self.result.change('delete', 'application %s (%s)' % (self.label(current), current['id']))
        return None

    def validate(self, body):
        errors = model.validate_body(body)
        if errors:
            raise PingOneOptionError('Invalid settings for application %s: %s' % (self.label(body), '; '.join(errors)),
                                     errors=errors)

    def creation(self):
        """The body of a new application, validated."""
        params = self.params
        if params['application_id']:
            raise PingOneOptionError("No application with ID '%s' in environment '%s'; to create one, give its name and type "
                                     "without application_id" % (params['application_id'], self.environment_id))
        missing = [option for option in ('name', 'type') if not params[option]]
        if missing:
            raise PingOneOptionError("%s required to create application '%s', which does not exist in environment '%s'"
                                     % (' and '.join(missing) + (' are' if len(missing) > 1 else ' is'),
                                        params['name'], self.environment_id))
        body = model.creation_body(params['name'], params['type'], self.desired, params['assign_actor_roles'])
        self.validate(body)
        self.result.values['changed_options'] = sorted(f.option for f in self.desired)
        return body

    def plan_icon(self, current):
        """Settle the icon option (an image ID, or a file the same as the current icon or still to upload)."""
        given = self.params.get('icon')
        if self.params['state'] == 'absent' or given is None:
            return
        self.icon = _images.plan_icon(self.images, given, (current or {}).get('icon'), self.label(current), self.ctx.check_mode)
        for warning in self.icon.warnings:
            self.result.warn(warning)
        self.desired[ICON] = self.icon.value

    def upload_icon(self, body):
        """Just before the write of a validated ``body``: upload the icon file the plan holds; the body with its image."""
        if self.icon is None or self.icon.upload is None:
            return body
        icon = self.icon.upload
        if self.ctx.check_mode:
            self.result.change('create', 'image from %s' % icon.path)
            return body
        image, warning = self.images.upload(icon)
        if warning:
            self.result.warn(warning)
        self.uploaded_image_id = image['id']
        self.desired[ICON] = {'id': image['id'], 'href': _images.image_href(image)}
        self.result.change('create', "image '%s' from %s" % (image['id'], icon.path))
        return dict(body, icon=model.to_api(ICON, self.desired[ICON]))

    def written(self, write, body):
        """``write(body)``; when PingOne refused it, the image uploaded for it is deleted again (nothing uses it).

        Only a refusal of the body counts (400, 409, 422): any other error may come from a read after a write
        that did take the image."""
        try:
            return write(body)
        except PingOneApiError as exc:
            if self.uploaded_image_id and exc.status in (400, 409, 422):
                try:
                    self.images.delete(self.uploaded_image_id)
                except PingOneError:
                    pass  # the refusal of the write is what the task reports
            raise

    def create(self):
        body = self.upload_icon(self.creation())
        created = body if self.ctx.check_mode else self.post(body)
        self.result.change('create', 'application %s (%s)' % (self.label(created), self.params['type']))
        return created

    def post(self, body):
        """Create exactly one application, also when the reply is lost or another run creates it at the same time."""
        created, warning = self.written(self.service.create, body)
        kept, race = self.service.keep_one(created)
        for text in (warning, race):
            if text:
                self.result.warn(text)
        return kept

    def replace(self, current):
        if not self.params['recreate_on_type_change']:
            raise PingOneOptionError("Application %s (%s) is a %s application; its type cannot change to %s in place. Set "
                                     "recreate_on_type_change to delete it and create a new one (new client ID and secret)"
                                     % (self.label(current), current['id'], current.get('type'), self.params['type']))
        self.refuse_own_worker(current, 'replacing')
        self.params['application_id'] = None
        self.params['name'] = self.params['name'] or current.get('name')
        body = self.upload_icon(self.creation())
        if self.ctx.check_mode:
            created = body
        else:
            self.service.delete(current['id'])
            try:
                created = self.post(body)
            except PingOneError as exc:
                # the old application is gone all the same: say so, and that the task changed something
                raise PingOneError('%s; application %s (%s) was deleted before this create and is not created again: run the '
                                   'task again to create it' % (exc, self.label(current), current['id']),
                                   changed=True, deleted_id=current['id']) from None
        self.result.change('replace', '%s application %s by a new %s application' % (
            current.get('type'), self.label(current), self.params['type']))
        self.result.warn('Application %s %s deleted and created again: it %s a new client ID' % (
            self.label(current), 'would be' if self.ctx.check_mode else 'was', 'would get' if self.ctx.check_mode else 'has'))
        return created

    def update(self, current):
        changed = model.changed_options(current, self.desired)
        # A name that found the application (ignoring case) is its identity; only with
        # application_id is the name a setting, compared exactly.
        new_name = self.params['name'] if self.params['application_id'] else None
        if new_name is not None and new_name != current.get('name'):
            self.refuse_taken_name(new_name, current)
            changed.insert(0, 'name')
        if not changed:
            self.result.summary = 'Application %s is up to date' % self.label(current)
            return current
        body = model.merge(current, self.desired, new_name)
        self.validate(body)
        body = self.upload_icon(body)
        if self.ctx.check_mode:
            # what PingOne would return: the body plus the members it keeps itself (a diff must not show them removed)
            after = dict(body, **{key: current[key] for key in model.READ_ONLY_MEMBERS if key in current})
        else:
            def landed(app):
                return not model.changed_options(app, self.desired) and (new_name is None or app.get('name') == new_name)
            after = self.written(lambda sent: self.service.update(current['id'], sent, landed=landed), body)
        self.result.values['changed_options'] = changed
        self.result.change('update', 'application %s: %s' % (self.label(after), ', '.join(changed)))
        return after

    def refuse_taken_name(self, new_name, current):
        """A rename onto a name another application has would make every name-based task ambiguous."""
        others = [app for app in self.service.find_by_name(new_name, include_system=True) if app['id'] != current['id']]
        if others:
            raise PingOneOptionError("name '%s' is taken by application %s in environment '%s'; renaming application %s to it "
                                     "would leave two applications of that name" % (
                                         new_name, ', '.join(sorted("'%s' (%s)" % (app.get('name'), app['id']) for app in others)),
                                         self.environment_id, current['id']))


def check_options(params):
    """The icon's file is read and checked before any request."""
    if params['state'] != 'absent':
        _images.check_icon_option(params.get('icon'))


def ensure(ctx):
    return ApplicationRunner(ctx).run()


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')], mutually_exclusive=[('jwks', 'jwks_url')]).run(
        ensure, check_options)


if __name__ == '__main__':
    main()
