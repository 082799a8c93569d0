#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_attribute_mapping
short_description: Add, change and remove the attribute mappings (claims) of a PingOne application
version_added: 0.2.0
description:
  - Manages the attribute mappings of one OpenID Connect application, as the console's Attribute Mappings tab does. A
    mapping names a claim and the value PingOne gives it, usually an expression over the user such as
    V(${user.email}); PingOne puts the claim in the application's ID tokens and userinfo replies.
  - Mappings are matched by name, exactly (JWT claim names are case-sensitive, so V(Email) and V(email) are two
    claims). By default the mappings listed are added or changed and the application's other mappings are kept;
    O(exclusive=true) also removes the custom mappings that O(mappings) does not list.
  - Every OpenID Connect application has the CORE mapping V(sub) (the subject, V(${user.id}) unless changed). Its value
    can be changed; PingOne never deletes it, so O(state=absent) refuses it and O(exclusive=true) keeps it, as it keeps
    every CORE or SCOPE mapping PingOne manages.
  - Options left unset are not managed. An update reads the mapping, applies the options that are set and sends the
    whole mapping back (PingOne's update replaces the whole object). PingOne's defaults (O(mappings[].required) false,
    O(mappings[].id_token) and O(mappings[].user_info) true, no O(mappings[].oidc_scopes)) never count as a change.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) adds or changes the mappings listed, V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
  mappings:
    description:
      - The mappings, by claim name.
      - With O(state=present), the mappings to add or change; with O(exclusive=true), every custom mapping the
        application should have.
      - With O(state=absent), the mappings to remove (only O(mappings[].name) is given).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The claim name, compared exactly. It must not be one of the claims PingOne sets itself (V(acr), V(amr),
            V(at_hash), V(aud), V(auth_time), V(azp), V(client_id), V(exp), V(iat), V(iss), V(jti), V(nbf), V(nonce),
            V(org), V(scope), V(sid)).
          - V(sub) is the CORE mapping, of which only O(mappings[].value) can be set.
        type: str
        required: true
      value:
        description:
          - What the claim holds, a constant or an expression in PingOne's expression language, for example
            V(${user.email}) or V(${user.name.given + ' ' + user.name.family}). It must be a string, so quote it in YAML.
          - Required with O(state=present).
        type: raw
      required:
        description:
          - Whether the claim must have a value; PingOne fails the sign-on when a required claim has none.
          - A new mapping gets V(false) when not set. Always V(true) for the CORE mapping V(sub).
        type: bool
      id_token:
        description:
          - Whether the claim is in the ID token. O(mappings[].id_token) and O(mappings[].user_info) cannot both be V(false).
          - A new mapping gets V(true) when not set.
        type: bool
      user_info:
        description:
          - Whether the claim is in the reply of the userinfo endpoint.
          - A new mapping gets V(true) when not set.
        type: bool
      oidc_scopes:
        description:
          - Names or IDs of the scopes the claim is given for, exclusively (for example V(email) or V(profile)); each must
            be granted to the application (M(pingone.oidc.pingone_application_resource_grant)). A name granted from
            several resources must be given by ID.
          - V([]) removes the limit (the claim then comes with the V(openid) scope). When not set, it is not managed.
        type: list
        elements: str
  exclusive:
    description:
      - With O(state=present), remove every custom mapping of the application that O(mappings) does not list. CORE and
        SCOPE mappings are kept.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.application
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.CHANGES
attributes:
  diff_mode:
    details:
      - The diff lists every mapping of the application (name, value, mapping type, required, id_token, user_info and
        oidc_scopes by name) before and after.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_application_resource_grant
notes:
  - When a create or update gets no reply (or HTTP 500/502/504), the module reads the mapping again and sends the change
    once more only if it does not show.
  - When another run creates a mapping of the same name between this run's read and its write, PingOne refuses the
    duplicate; the module reads again, brings the other run's mapping in line with the task, and warns.
"""

EXAMPLES = r"""
- name: Give the web app the user's e-mail and full name, the full name only with the profile scope
  pingone.oidc.pingone_application_attribute_mapping:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    mappings:
      - name: email
        value: "${user.email}"
        required: true
      - name: full_name
        value: "${user.name.given + ' ' + user.name.family}"
        oidc_scopes: [profile]

- name: Make the subject the user's e-mail address
  pingone.oidc.pingone_application_attribute_mapping:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    mappings:
      - name: sub
        value: "${user.email}"

- name: Exactly these custom claims (sub stays)
  pingone.oidc.pingone_application_attribute_mapping:
    environment_id: "{{ prod_environment_id }}"
    application_id: "{{ web_app_id }}"
    mappings:
      - name: email
        value: "${user.email}"
    exclusive: true

- name: Remove a claim
  pingone.oidc.pingone_application_attribute_mapping:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    mappings:
      - name: full_name
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Added attribute mappings email, full_name to application 'Payments Web App'"
application_id:
  description: ID of the application.
  returned: always
  type: str
mappings:
  description:
    - Every attribute mapping of the application after the change, as PingOne returns them (camelCase keys) without
      HAL links; in check mode, as they would be (mappings still to be created have no C(id)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5e0c2a8b-1d4f-4c3e-9a7b-0f1e2d3c4b5a
      name: sub
      value: "${user.id}"
      required: true
      mappingType: CORE
      application: {id: 9f0c...}
    - id: 7a1b3c5d-2e4f-4a6b-8c0d-1e2f3a4b5c6d
      name: email
      value: "${user.email}"
      required: true
      mappingType: CUSTOM
      idToken: true
      userInfo: true
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _attributes as model
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT, ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    mappings=dict(type='list', elements='dict', required=True, options=dict(
        name=dict(type='str', required=True),
        value=dict(type='raw'),
        required=dict(type='bool'),
        id_token=dict(type='bool'),
        user_info=dict(type='bool'),
        oidc_scopes=dict(type='list', elements='str'),
    )),
    exclusive=dict(type='bool', default=False),
)


def check_options(params):
    model.check_options(params)


class MappingRun:
    """One run: read the application's mappings, plan, then remove, update and add."""

    def __init__(self, ctx):
        self.params = ctx.params
        self.check_mode = ctx.check_mode
        self.diff_mode = ctx.diff_mode
        self.app = ApplicationsService(ctx.client, ctx.environment_id).require(self.params['application_id'], self.params['name'])
        self.app_id = self.app['id']
        self.label = "application '%s'" % self.app.get('name')
        self.service = model.AttributeMappingService(ctx.client, ctx.environment_id)
        self.result = Result(application_id=self.app_id)
        self.scope_names = {}

    def wanted(self, current):
        """The items of ``mappings`` with their ``oidc_scopes`` as scope IDs; the granted scopes are read only when a
        scope is to be named (in the options, or in a diff)."""
        items = [dict(item) for item in self.params['mappings']]
        if any(item.get('oidc_scopes') for item in items) or (self.diff_mode and any(mapping.get('oidcScopes') for mapping in current)):
            granted = self.service.granted_scopes(self.app_id)
            self.scope_names = {scope['id']: scope.get('name') for scope in granted}
            for index, item in enumerate(items):
                if item.get('oidc_scopes'):
                    item['oidc_scopes'] = model.resolve_scopes(granted, item['oidc_scopes'], 'mappings[%d].oidc_scopes' % index,
                                                               self.label)
        return items

    def run(self):
        current = self.service.list_mappings(self.app_id)
        add, update, remove = model.plan(current, self.wanted(current), self.params['state'], self.params['exclusive'])
        after = self.remove(current, remove)
        for mapping, item, changed in update:
            new = self.put(mapping, item)
            after = [new if other is mapping else other for other in after]
            self.result.change('update', '%s of %s: %s' % (model.counted([mapping]), self.label, ', '.join(changed)))
        if add:
            after += [self.create(item) for item in add]
            self.result.change('add', '%s to %s' % (model.counted(add), self.label))
        if not self.result.changed:
            if self.params['state'] == 'absent':
                self.result.summary = "Application '%s' has no %s" % (self.app.get('name'), model.counted(self.params['mappings']))
            else:
                self.result.summary = 'The attribute mappings of %s are up to date' % self.label
        self.result.values['mappings'] = [model.sanitize(mapping) for mapping in after]
        self.result.diff(model.view(current, self.scope_names), model.view(after, self.scope_names))
        return self.result

    def remove(self, mappings, remove):
        """Delete these mappings; returns the mappings left. One already gone is no change."""
        removed = [mapping for mapping in remove if self.check_mode or self.service.delete_mapping(self.app_id, mapping['id'])]
        if removed:
            self.result.change('remove', '%s from %s' % (model.counted(removed), self.label))
        gone = [mapping['id'] for mapping in remove]
        return [mapping for mapping in mappings if mapping.get('id') not in gone]

    def put(self, mapping, item):
        body = model.update_body(mapping, item)
        if self.check_mode:
            # what PingOne would return: the body plus the members it keeps itself
            return dict(body, **{key: mapping[key] for key in model.READ_ONLY_MEMBERS if key in mapping})
        updated, read_back = self.service.update_mapping(self.app_id, mapping['id'], body,
                                                         landed=lambda found: model.has_settings(found, item))
        if read_back:
            self.result.warn('The request to update %s of %s %s; it was read again' % (model.counted([mapping]), self.label, model.UNCLEAR))
        return updated

    def create(self, item):
        if self.check_mode:
            return model.creation_body(item)
        mapping, ours = self.service.create_once(self.app_id, item, '%s of %s' % (model.counted([item]), self.label), self.result.warn)
        if not ours and model.changed_options(mapping, item):
            return self.put(mapping, item)
        return mapping


def ensure(ctx):
    return MappingRun(ctx).run()


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
