#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_resource
short_description: Create, update and delete PingOne custom resources and their scopes
version_added: 0.2.0
description:
  - Manages one custom resource (an API that PingOne issues access tokens for) of a PingOne environment, together
    with its scopes, as the console's Resources page does.
  - The resource is identified by O(resource_id), or else by O(name) within O(environment_id), ignoring case.
  - Options left unset are not managed. Updates read the resource, apply the options that are set and send the whole
    resource back (PingOne's update replaces the whole object), so settings this module does not model are kept.
    PingOne's defaults (an access token validity of 3600 seconds, the name as audience) never count as a change.
  - Scopes are matched by name, exactly (OAuth scope names are case-sensitive). By default the scopes listed are
    added (or their description updated) and the resource's other scopes are kept; O(exclusive=true) removes the
    scopes that O(scopes) does not list.
  - With O(state=absent) and O(scopes), the scopes listed are removed and the resource is kept; without O(scopes) the
    resource is deleted, and PingOne deletes its scopes and every grant of them with it.
  - PingOne's built-in resources (V(openid), V(PingOne API)) are never changed or deleted; a task that would change
    one fails before any write.
  - Give an application the scopes with M(pingone.oidc.pingone_application_resource_grant).
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) creates or updates the resource and its scopes, V(absent) deletes the resource, or only the scopes
        listed in O(scopes).
    type: str
    choices: [present, absent]
    default: present
  environment_id:
    description:
      - ID of the environment of the resource.
      - Defaults to O(pingone_environment_id), the environment of the worker application.
    type: str
  resource_id:
    description:
      - ID of an existing resource. When set, O(name) renames it.
    type: str
  name:
    description:
      - Name of the resource, unique in the environment (compared without regard to case). Required to create one.
    type: str
  description:
    description:
      - Free-text description of the resource. V("") removes it.
    type: str
  audience:
    description:
      - The audience (C(aud) claim) of the access tokens issued for the resource, usually the URL of the API, for
        example V(https://api.example.com). It must not contain a fragment, nor V(pingone) or V(pingidentity).
      - When creating and not set, PingOne uses the resource's name.
    type: str
  access_token_validity_seconds:
    description:
      - How long the access tokens issued for the resource are valid, from 300 (5 minutes) to 2592000 (30 days).
      - When creating and not set, PingOne uses 3600.
    type: int
  scopes:
    description:
      - Scopes of the resource, by name.
      - With O(state=present), the scopes to add or update; with O(exclusive=true), the complete list.
      - With O(state=absent), the scopes to remove (the resource is kept).
      - When not set, the scopes are not managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the scope, for example V(orders:read); printable ASCII without spaces, quotes or backslashes
            (RFC 6749 section 3.3).
        type: str
        required: true
      description:
        description:
          - Description of the scope. V("") removes it; when not set, it is not managed.
        type: str
  exclusive:
    description:
      - With O(state=present), remove every scope of the resource that O(scopes) does not list. Needs O(scopes).
      - Removing a scope also removes it from every application's grant.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.CHANGES
attributes:
  diff_mode:
    details:
      - The diff shows the resource's name, type, description, audience, access token validity and scopes.
seealso:
  - module: pingone.oidc.pingone_application_resource_grant
  - module: pingone.oidc.pingone_token_check
notes:
  - When a create or update gets no reply (or HTTP 500/502/504), the module reads the resource or scope again and sends
    the change once more only if it does not show.
  - When another run creates the resource or one of its scopes between this run's read and its write, PingOne refuses
    the duplicate; the module reads again, brings what the other run made in line with the task, and warns.
"""

EXAMPLES = r"""
- name: The Orders API, with two scopes
  pingone.oidc.pingone_resource:
    environment_id: "{{ prod_environment_id }}"
    name: Orders API
    audience: https://orders.example.com
    access_token_validity_seconds: 900
    scopes:
      - name: orders:read
        description: Read orders
      - name: orders:write

- name: Let a service call it with exactly one scope
  pingone.oidc.pingone_application_resource_grant:
    environment_id: "{{ prod_environment_id }}"
    name: Billing Service
    resource: Orders API
    scopes: [orders:read]
    exclusive: true

- name: Exactly these scopes (orders:write is removed, also from every grant)
  pingone.oidc.pingone_resource:
    environment_id: "{{ prod_environment_id }}"
    name: Orders API
    scopes:
      - name: orders:read
    exclusive: true

- name: Remove one scope, keep the resource
  pingone.oidc.pingone_resource:
    environment_id: "{{ prod_environment_id }}"
    name: Orders API
    scopes:
      - name: orders:read
    state: absent

- name: Delete the resource with its scopes and grants
  pingone.oidc.pingone_resource:
    environment_id: "{{ prod_environment_id }}"
    name: Orders API
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Created resource 'Orders API' with scopes orders:read, orders:write"
resource:
  description:
    - The resource as PingOne returned it (camelCase keys) without HAL links and without its client secret; in check
      mode, the resource as it would be. Empty when absent.
  returned: always
  type: dict
  sample:
    id: 8c1e6a3f-5a9b-4f0e-9d3c-2b7e1f4a6c55
    name: Orders API
    type: CUSTOM
    audience: https://orders.example.com
    accessTokenValiditySeconds: 900
scopes:
  description:
    - The scopes of the resource as PingOne returned them (without HAL links) after the change; in check mode, as
      they would be (scopes still to be created have no C(id)). Empty when the resource is absent.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1a2b3c4d-0000-4000-8000-000000000001
      name: orders:read
      description: Read orders
      resource: {id: 8c1e6a3f-5a9b-4f0e-9d3c-2b7e1f4a6c55}
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils import _resources as model
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._lookup import named
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    state=dict(type='str', default='present', choices=['present', 'absent']),
    environment_id=dict(type='str'),
    resource_id=dict(type='str'),
    name=dict(type='str'),
    description=dict(type='str'),
    audience=dict(type='str'),
    access_token_validity_seconds=dict(type='int', no_log=False),
    scopes=dict(type='list', elements='dict', options=dict(
        name=dict(type='str', required=True),
        description=dict(type='str'),
    )),
    exclusive=dict(type='bool', default=False),
)
UNCLEAR = 'had no clear outcome (no reply, or HTTP 500/502/504)'


def check_options(params):
    model.check_options(params)


class ResourceRun:
    """One run: find the resource, then create, update or delete it and its scopes."""

    def __init__(self, ctx):
        self.params = ctx.params
        self.check_mode = ctx.check_mode
        self.environment_id = ctx.environment_id
        self.service = _access.AccessService(ctx.client, self.environment_id)
        # only with resource_id is the name a setting (a rename); otherwise it is what found the resource
        self.new_name = self.params['name'] if self.params['resource_id'] else None
        self.result = Result()
        self.before = (None, [])

    def label(self, resource=None):
        resource = resource or {}
        return "'%s'" % (resource.get('name') or self.params['name'] or resource.get('id') or self.params['resource_id'])

    def run(self):
        current = self.service.find_resource(self.params['resource_id'], self.params['name'])
        scopes = self.service.list_scopes(current['id']) if current else []
        self.before = (current, scopes)
        if self.params['state'] == 'absent':
            after, after_scopes = self.absent(current, scopes)
        elif current is None:
            after, after_scopes = self.create()
        else:
            after, after_scopes = self.present(current, scopes)
        self.result.values.update(resource=model.sanitize(after) or {}, scopes=[model.sanitize(scope) for scope in after_scopes])
        self.result.diff(model.view(*self.before), model.view(after, after_scopes))
        return self.result

    # -- refusals ----------------------------------------------------------------------------------------------------

    def refuse_builtin(self, resource, would):
        if model.is_builtin(resource):
            raise PingOneOptionError("Resource %s (%s) is PingOne's built-in %s resource: this module changes and deletes custom "
                                     "resources only, and this task would %s" % (self.label(resource), resource.get('id'),
                                                                                 resource.get('type'), would))

    def refuse_taken_name(self, current):
        """Resource names are unique in an environment: say which resource has the name before PingOne refuses the rename."""
        others = [item for item in named(self.service.list_resources(), self.new_name) if item.get('id') != current['id']]
        if others:
            raise PingOneOptionError("name '%s' is taken by resource %s in environment '%s'; resource names are unique, so "
                                     "resource %s cannot be renamed to it" % (
                                         self.new_name, ', '.join("'%s' (%s)" % (item.get('name'), item.get('id')) for item in others),
                                         self.environment_id, current['id']))

    # -- absent ------------------------------------------------------------------------------------------------------

    def absent(self, current, scopes):
        if current is None:
            self.result.summary = 'Resource %s is already absent' % self.label()
            return None, []
        if self.params['scopes'] is None:
            self.refuse_builtin(current, 'delete it')
            if not self.check_mode and not self.service.delete_resource(current['id']):
                self.result.summary = 'Resource %s is already absent' % self.label(current)
                return None, []
            text = 'resource %s (%s)' % (self.label(current), current['id'])
            if scopes:
                text += ' with its %s' % model.counted(scopes, 'scope')
            self.result.change('delete', text)
            return None, []
        dummy, dummy, remove = model.plan_scopes(scopes, self.params)
        if not remove:
            wanted = ', '.join(item['name'] for item in self.params['scopes'])
            self.result.summary = 'Resource %s has none of the scopes %s' % (self.label(current), wanted)
            return current, scopes
        self.refuse_builtin(current, 'remove its %s' % model.counted(remove, 'scope'))
        return current, self.remove_scopes(current, scopes, remove)

    # -- create ------------------------------------------------------------------------------------------------------

    def create(self):
        params = self.params
        if params['resource_id']:
            raise PingOneOptionError("No resource with ID '%s' in environment '%s'; to create one, give its name without resource_id"
                                     % (params['resource_id'], self.environment_id))
        body = model.creation_body(params)
        wanted = params['scopes'] or []
        if self.check_mode:
            created, scopes = body, [model.scope_creation_body(item) for item in wanted]
        else:
            created, ours = self.post_resource(body)
            if not ours:
                # another run created it meanwhile: make that one as the task describes
                self.before = (created, self.service.list_scopes(created['id']))
                return self.present(*self.before)
            scopes = [self.post_scope(created, item) for item in wanted]
        text = 'resource %s' % self.label(created)
        if wanted:
            text += ' with %s' % model.counted(wanted, 'scope')
        self.result.change('create', text)
        return created, scopes

    def post_resource(self, body):
        """Create the resource once: (resource, True), or (resource, False) when another run created it meanwhile."""
        label = self.label(body)

        def find():
            return self.service.find_resource(None, body['name'])

        def post():
            return self.service.create_resource(body['name'], audience=body.get('audience'), description=body.get('description'),
                                                access_token_validity_seconds=body.get('accessTokenValiditySeconds'))
        try:
            return post(), True
        except (PingOneApiError, PingOneConnectionError) as exc:
            found = self.recover(exc, 'resource %s' % label, find)
        if found is not None:
            return found
        return post(), True

    def recover(self, exc, what, find):
        """After a failed create: (object, True) when it landed after all, (object, False) when another run made it, None
        when it did not land and may be sent once more. Raises ``exc`` when nothing explains the failure."""
        if _access.outcome_unknown(exc):
            found = self.service.client.settle(find, lambda value: value is not None)
            if found is not None:
                self.result.warn('The request to create %s %s; reading again found it in place' % (what, UNCLEAR))
                return found, True
            self.result.warn('The request to create %s %s and it did not show when read again; it was sent once more'
                             % (what, UNCLEAR))
            return None
        if not _access.refused_as_conflict(exc):
            raise exc
        found = find()
        if found is None:
            raise exc
        self.result.warn('Another run created %s at the same time; this run made it as the task describes' % what)
        return found, False

    # -- present -----------------------------------------------------------------------------------------------------

    def present(self, current, scopes):
        params = self.params
        changed = model.changed_options(current, params, self.new_name)
        add, update, remove = model.plan_scopes(scopes, params)
        if changed or add or update or remove:
            would = ['change %s' % ', '.join(changed)] if changed else []
            would += ['add %s' % model.counted(add, 'scope')] if add else []
            would += ['change %s' % model.counted([scope for scope, dummy in update], 'scope')] if update else []
            would += ['remove %s' % model.counted(remove, 'scope')] if remove else []
            self.refuse_builtin(current, '; '.join(would))
        if 'name' in changed:
            self.refuse_taken_name(current)
        after = current
        if changed:
            body = model.update_body(current, params, self.new_name)
            if self.check_mode:
                # what PingOne would return: the body plus the members it keeps itself
                after = dict(body, **{key: current[key] for key in model.READ_ONLY_MEMBERS if key in current})
            else:
                after, read_back = self.service.update_resource(
                    current['id'], body, landed=lambda found: model.has_settings(found, params, self.new_name))
                if read_back:
                    self.result.warn('The request to update resource %s %s; it was read again' % (self.label(after), UNCLEAR))
            self.result.change('update', 'resource %s: %s' % (self.label(after), ', '.join(changed)))
        after_scopes = list(scopes)
        if add:
            after_scopes += [model.scope_creation_body(item) if self.check_mode else self.post_scope(after, item) for item in add]
            self.result.change('add', '%s to resource %s' % (model.counted(add, 'scope'), self.label(after)))
        if update:
            for scope, item in update:
                new = self.put_scope(after, scope, item)
                after_scopes = [new if other is scope else other for other in after_scopes]
            updated = model.counted([scope for scope, dummy in update], 'scope')
            self.result.change('update', '%s of resource %s: description' % (updated, self.label(after)))
        if remove:
            after_scopes = self.remove_scopes(after, after_scopes, remove)
        if not self.result.changed:
            self.result.summary = 'Resource %s is up to date' % self.label(current)
        return after, after_scopes

    # -- scopes ------------------------------------------------------------------------------------------------------

    def scope_named(self, resource, name):
        return next((scope for scope in self.service.list_scopes(resource['id']) if scope.get('name') == name), None)

    def post_scope(self, resource, item):
        """Create one scope once (see ``recover``); one another run made meanwhile gets the wanted description."""
        what = "scope %s of resource %s" % (item['name'], self.label(resource))

        def post():
            return self.service.create_scope(resource['id'], item['name'], item.get('description') or None)
        try:
            return post()
        except (PingOneApiError, PingOneConnectionError) as exc:
            found = self.recover(exc, what, lambda: self.scope_named(resource, item['name']))
        if found is None:
            return post()
        scope, ours = found
        if not ours and model.scope_differs(scope, item):
            return self.put_scope(resource, scope, item)
        return scope

    def put_scope(self, resource, scope, item):
        body = model.scope_update_body(scope, item)
        if self.check_mode:
            return dict(body, **{key: scope[key] for key in model.SCOPE_READ_ONLY_MEMBERS if key in scope})
        wanted = body.get('description')
        updated, read_back = self.service.update_scope(resource['id'], scope['id'], body,
                                                       landed=lambda found: (found.get('description') or None) == wanted)
        if read_back:
            self.result.warn('The request to update scope %s of resource %s %s; it was read again' % (item['name'], self.label(resource),
                                                                                                      UNCLEAR))
        return updated

    def remove_scopes(self, resource, scopes, remove):
        """Delete these scopes; returns the scopes left. A scope already gone is no change."""
        removed = [scope for scope in remove if self.check_mode or self.service.delete_scope(resource['id'], scope['id'])]
        if removed:
            self.result.change('remove', '%s from resource %s' % (model.counted(removed, 'scope'), self.label(resource)))
        elif not self.result.changed:
            self.result.summary = 'Resource %s has none of the scopes to remove' % self.label(resource)
        gone = [scope['id'] for scope in remove]
        return [scope for scope in scopes if scope.get('id') not in gone]


def ensure(ctx):
    return ResourceRun(ctx).run()


def main():
    PingOneModule(OPTIONS, required_one_of=[('resource_id', 'name')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
