#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_app_key
short_description: Manage the public keys a PingOne application uses for PRIVATE_KEY_JWT
version_added: 0.1.0
description:
  - Adds, keeps or removes one public key, identified by its key ID (C(kid)), in the JSON Web Key Set of a PingOne
    OpenID Connect application. The application signs its client assertions (V(PRIVATE_KEY_JWT)) and request
    objects with the matching private key.
  - PingOne has no API for single client keys; the keys live in the application's C(jwks) property. This module
    reads the application, changes that key set and sends the whole application back, so other keys and settings
    are kept. The key set is compared semantically, never as text.
  - The key is given as a PEM public key or X.509 certificate (O(public_key)), as a JWK (O(jwk)), or generated
    (O(generate)), in which case the private key is written to O(private_key_path) with mode C(0600) and never
    returned or logged.
  - Private key members are refused, and so are weak keys (RSA below 2048 bits, EC curves other than P-256, P-384
    and P-521).
  - "Key rotation without downtime: add the new key (O(state=present)), switch the client to it and check it with
    the PAR or token check modules, then remove the old key (O(state=absent) with its O(kid))."
  - Applications that publish their keys at a URL (C(jwksUrl)) are refused, because their keys are managed at that URL.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) adds the key or updates the key with the same O(kid); V(absent) removes the key with that O(kid).
    type: str
    choices: [present, absent]
    default: present
  public_key:
    description:
      - The key as a PEM public key or a PEM X.509 certificate (the certificate is kept in the JWK's C(x5c)).
    type: str
  jwk:
    description:
      - The key as a JSON Web Key with public members only.
    type: dict
  generate:
    description:
      - Create a key pair and write the private key to O(private_key_path). When that file already exists, its key is
        used as it is (so re-running is idempotent).
    type: bool
    default: false
  private_key_path:
    description:
      - Where O(generate) writes the private key (PEM, PKCS#8, unencrypted, mode C(0600)) or finds an existing one.
    type: path
  key_type:
    description:
      - Type of a generated key.
    type: str
    choices: [RSA, EC]
    default: RSA
  key_size:
    description:
      - Size in bits of a generated RSA key.
    type: int
    choices: [2048, 3072, 4096]
    default: 2048
  curve:
    description:
      - Curve of a generated EC key.
    type: str
    choices: [P-256, P-384, P-521]
    default: P-256
  kid:
    description:
      - Key ID. Defaults to the RFC 7638 thumbprint of the public key, so the same key always gets the same ID.
      - With O(state=absent), the ID of the key to remove (else computed from the key given).
    type: str
  alg:
    description:
      - Signature algorithm the key is for. Defaults to V(RS256) for RSA keys and to the curve's algorithm
        (V(ES256), V(ES384), V(ES512)) for EC keys.
    type: str
    choices: [RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512]
  exclusive:
    description:
      - With O(state=present), make this key the only one of the application.
    type: bool
    default: false
  set_auth_method:
    description:
      - Also switch the application's token endpoint authentication method to V(PRIVATE_KEY_JWT).
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.application
  - pingone.oidc.auth
  - pingone.oidc.attributes
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - With O(generate) and no key file yet, check mode writes no file and cannot know the new key, so RV(kid) and
        RV(jwk) are not returned.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff lists the key IDs before and after, and the authentication method.
seealso:
  - module: pingone.oidc.pingone_application
notes:
  - The public key material (C(n), C(e), C(x), C(y), C(x5c)) is public and is returned; private keys never are.
"""

EXAMPLES = r"""
- name: Generate a key pair for the payments app and register its public key
  pingone.oidc.pingone_app_key:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    generate: true
    private_key_path: /etc/payments/client-key.pem
    set_auth_method: true
  register: payments_key

- name: Register the public key of a certificate
  pingone.oidc.pingone_app_key:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    public_key: "{{ lookup('ansible.builtin.file', 'payments-client.crt') }}"

- name: Retire the old key after the client switched to the new one
  pingone.oidc.pingone_app_key:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    kid: "{{ old_kid }}"
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Added key 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' to application 'Payments Web App'"
kid:
  description: The key ID of the key managed.
  returned: when known
  type: str
  sample: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
jwk:
  description: The public JWK as registered (public members only).
  returned: with O(state=present), when known
  type: dict
  sample:
    kty: RSA
    kid: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
    use: sig
    alg: RS256
    e: AQAB
    n: 0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4...
thumbprint:
  description: The RFC 7638 SHA-256 thumbprint of the public key.
  returned: when known
  type: str
kids:
  description: The key IDs of the application after the change (or as they would be in check mode).
  returned: always
  type: list
  elements: str
  sample: [NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs]
client_id:
  description: The application's client ID.
  returned: always
  type: str
token_endpoint_auth_method:
  description: The application's token endpoint authentication method after the change.
  returned: always
  type: str
  sample: PRIVATE_KEY_JWT
private_key_written:
  description: Whether a new private key file was written to O(private_key_path).
  returned: always
  type: bool
"""

import os

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, application_argument_spec


class KeyRunner:
    """Builds the key from the options, then adds or removes it in the application's key set."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.params = wrapper.params
        self.check_mode = wrapper.check_mode
        self.private_key_written = False
        self.pending_private_key = None

    def fail(self, msg):
        self.wrapper.fail_json(msg=msg, private_key_written=self.private_key_written)

    # -- the key -------------------------------------------------------------------------------

    def build_jwk(self):
        """The public JWK from the options, or None when it cannot be known yet (check mode, generate)."""
        params = self.params
        if params['public_key']:
            try:
                jwk = _jwk.jwk_from_pem(params['public_key'])
            except _jwk.JwkError as exc:
                self.wrapper.protect([params['public_key']])
                self.fail('public_key %s' % exc)
        elif params['jwk']:
            given = params['jwk']
            self.wrapper.protect(str(given[member]) for member in _jwk.private_members(given))
            jwk = dict(given)
        elif params['generate']:
            jwk = self.generated_jwk()
            if jwk is None:
                return None
        else:
            return None
        try:
            _jwk.check_public_jwk(jwk)
            jwk = _jwk.public_only(jwk)
            jwk['kid'] = params['kid'] or jwk.get('kid') or _jwk.thumbprint(jwk)
            jwk['use'] = 'sig'
            jwk['alg'] = params['alg'] or jwk.get('alg') or _jwk.default_alg(jwk)
            _jwk.check_alg(jwk, jwk['alg'])
        except _jwk.JwkError as exc:
            self.fail('%s %s' % ('jwk' if params['jwk'] else 'public_key' if params['public_key'] else 'generated key', exc))
        return jwk

    def generated_jwk(self):
        path = self.params['private_key_path']
        if os.path.exists(path):
            try:
                key = _jwk.read_private_key_file(path)
            except _jwk.JwkError as exc:
                self.fail('private_key_path %s %s' % (path, exc))
            if os.stat(path).st_mode & 0o077:
                self.wrapper.module.warn('private_key_path %s can be read by other users; restrict it to mode 0600' % path)
            return _jwk.public_jwk(key.public_key())
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            self.fail('private_key_path %s: its directory does not exist' % path)
        if self.check_mode:
            return None
        try:
            key = _jwk.generate_private_key(self.params['key_type'], self.params['key_size'], self.params['curve'])
        except _jwk.JwkError as exc:
            self.fail('generate: %s' % exc)
        self.pending_private_key = key
        return _jwk.public_jwk(key.public_key())

    def write_private_key(self):
        if self.pending_private_key is None:
            return
        try:
            _jwk.write_private_key_file(self.params['private_key_path'], self.pending_private_key)
        except OSError as exc:
            self.fail('private_key_path %s cannot be written: %s' % (self.params['private_key_path'], exc.strerror or exc))
        self.private_key_written = True

    # -- the application -----------------------------------------------------------------------

    def run(self):
        params = self.params
        jwk = self.build_jwk()
        kid = jwk['kid'] if jwk else params['kid']
        if params['state'] == 'absent' and not kid:
            self.fail('state=absent needs kid, or the key (public_key or jwk) to compute it from')
        environment_id, app = self.wrapper.existing_application()
        service = ApplicationsService(self.wrapper.client, environment_id)
        if app.get('jwksUrl'):
            self.fail("Application '%s' publishes its keys at jwks_url %s; manage them there, or remove jwks_url with "
                      "pingone.oidc.pingone_application to keep the keys in PingOne" % (app['name'], app['jwksUrl']))
        try:
            current_keys = model.parse_jwks(app['jwks'])['keys'] if app.get('jwks') else []
        except model.JwksError as exc:
            self.fail("The key set of application '%s' cannot be read: jwks %s" % (app['name'], exc))

        new_keys, action = self.new_key_set(current_keys, jwk, kid)
        pending = jwk is None and params['state'] == 'present'  # check mode: a key still to be generated
        desired = {}
        if pending or new_keys != current_keys:
            desired[model.FIELDS_BY_OPTION['jwks']] = {'keys': new_keys} if new_keys else None
        method = app.get('tokenEndpointAuthMethod')
        if params['set_auth_method'] and params['state'] == 'present' and method != 'PRIVATE_KEY_JWT':
            desired[model.FIELDS_BY_OPTION['token_endpoint_auth_method']] = 'PRIVATE_KEY_JWT'
            method = 'PRIVATE_KEY_JWT'
        if not new_keys and not pending and method == 'PRIVATE_KEY_JWT':
            self.fail("Removing key '%s' would leave application '%s', which authenticates with PRIVATE_KEY_JWT, without keys; "
                      "add its replacement first" % (kid, app['name']))
        changed = bool(desired)
        kids = [key.get('kid') for key in new_keys] + (['(key to be generated)'] if pending else [])
        result = dict(changed=changed, client_id=app.get('clientId') or app['id'], token_endpoint_auth_method=method, kids=kids)
        if changed and not self.check_mode:
            self.write_private_key()  # before the key is registered: never a registered key without its private half
            body = model.merge(app, desired)
            errors = model.validate_body(body)
            if errors:
                self.fail("Invalid settings for application '%s': %s" % (app['name'], '; '.join(errors)))
            service.update(app['id'], body)
        result['msg'] = self.message(action, kid, app['name'], changed, method != app.get('tokenEndpointAuthMethod'))
        if kid:
            result['kid'] = kid
        if jwk:
            result['thumbprint'] = _jwk.thumbprint(jwk)
            if params['state'] == 'present':
                result['jwk'] = jwk
        if self.wrapper.module._diff:
            result['diff'] = dict(
                before={'kids': [key.get('kid') for key in current_keys], 'tokenEndpointAuthMethod': app.get('tokenEndpointAuthMethod')},
                after={'kids': kids, 'tokenEndpointAuthMethod': method})
        result['private_key_written'] = self.private_key_written
        return result

    def new_key_set(self, current_keys, jwk, kid):
        """The key set after the change, and what happened to our key (added/updated/kept/removed/absent)."""
        if self.params['state'] == 'absent':
            kept = [key for key in current_keys if key.get('kid') != kid]
            return kept, 'removed' if len(kept) != len(current_keys) else 'absent'
        if jwk is None:  # check mode with a key still to be generated
            return current_keys, 'added'
        others = [] if self.params['exclusive'] else [key for key in current_keys if key.get('kid') != kid]
        existing = [key for key in current_keys if key.get('kid') == kid]
        if existing and model.normalize(model.FIELDS_BY_OPTION['jwks'], {'keys': existing}) == \
                model.normalize(model.FIELDS_BY_OPTION['jwks'], {'keys': [jwk]}):
            action = 'kept'
        else:
            action = 'updated' if existing else 'added'
        # keep the position of a key that is updated in place
        if existing and not self.params['exclusive']:
            return [jwk if key.get('kid') == kid else key for key in current_keys], action
        return others + [jwk], action

    @staticmethod
    def message(action, kid, name, changed, method_changed):
        texts = {
            'added': "Added key '%s' to application '%s'",
            'updated': "Replaced key '%s' of application '%s'",
            'kept': "Key '%s' of application '%s' is up to date",
            'removed': "Removed key '%s' from application '%s'",
            'absent': "Key '%s' is not in application '%s'",
        }
        text = texts[action] % (kid or '(to be generated)', name)
        if action == 'kept' and changed:
            text = "Key '%s' of application '%s' is up to date; other keys were removed" % (kid, name)
        if method_changed:
            text += '; it now authenticates with PRIVATE_KEY_JWT'
        return text


def main():
    wrapper = PingOneModule(
        argument_spec=dict(
            application_argument_spec(),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            public_key=dict(type='str', no_log=False),
            jwk=dict(type='dict'),
            generate=dict(type='bool', default=False),
            private_key_path=dict(type='path', no_log=False),
            key_type=dict(type='str', default='RSA', choices=['RSA', 'EC']),
            key_size=dict(type='int', default=2048, choices=[2048, 3072, 4096], no_log=False),
            curve=dict(type='str', default='P-256', choices=['P-256', 'P-384', 'P-521']),
            kid=dict(type='str'),
            alg=dict(type='str', choices=list(_jwk.ALGS)),
            exclusive=dict(type='bool', default=False),
            set_auth_method=dict(type='bool', default=False),
        ),
        required_one_of=[('application_id', 'name')],
        mutually_exclusive=[('public_key', 'jwk', 'generate')],
        required_if=[('generate', True, ['private_key_path']), ('state', 'present', ['public_key', 'jwk', 'generate'], True)],
        supports_check_mode=True,
    )
    if not _jwk.HAS_CRYPTOGRAPHY:
        wrapper.fail_json(msg=missing_required_lib('cryptography'), exception=_jwk.CRYPTOGRAPHY_IMPORT_ERROR)
    runner = KeyRunner(wrapper)
    try:
        result = runner.run()
    except PingOneError as exc:
        wrapper.fail_from_error(exc, private_key_written=runner.private_key_written)
    wrapper.exit_json(**result)


if __name__ == '__main__':
    main()
