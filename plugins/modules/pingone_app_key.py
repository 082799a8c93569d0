#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_app_key
short_description: Manage the public keys a PingOne application uses for PRIVATE_KEY_JWT
version_added: 0.1.0
description:
  - Adds, keeps or removes one public key in the JSON Web Key Set of a PingOne OpenID Connect application. The
    application signs its client assertions (V(PRIVATE_KEY_JWT)) and request objects with the matching private key.
  - A key is recognised by its material (its RFC 7638 thumbprint), not only by its key ID (C(kid)), so the same public
    key is never registered twice. When the application already has the key under another C(kid), that key and its
    C(kid) are kept (no change) if O(kid) is not given; if O(kid) is given and differs, the task fails naming both,
    because renaming a key would break the clients that send its C(kid). To rename a key, remove it (O(state=absent))
    and add it again.
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
      - V(present) adds the key, or updates the key with the same O(kid) or the same material.
      - V(absent) removes the key given (O(public_key), O(jwk), or the key in O(private_key_path) with O(generate)) by
        its material, whatever its C(kid); given only O(kid), it removes the key with that C(kid). With both the key
        and O(kid), a key registered under that C(kid) with other material is an error. With O(generate) and no file at
        O(private_key_path), nothing is removed (no key is generated).
    type: str
    choices: [present, absent]
    default: present
  public_key:
    description:
      - The key as a PEM public key or a PEM X.509 certificate (the certificate is kept in the JWK's C(x5c)).
      - Exactly one PEM block, with nothing after it; a certificate chain or a second key is refused.
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
      - Where O(generate) writes the private key (PEM, PKCS#8, mode C(0600); encrypted when O(private_key_passphrase)
        is set) or finds an existing one.
      - An existing file is used only when it is a regular file that belongs to the user the module runs as and that
        no other user can read or write (mode C(0600) or stricter); otherwise the task fails before any request,
        because someone else may know (or have planted) that key. Restrict a trusted file with C(chmod 600), or
        remove it to generate a new key.
      - The file must hold exactly one PEM block (the private key) and nothing after it.
      - A symbolic link is followed only when the user the module runs as owns it and the file it points to, and it
        is not in a directory other users can write to (sticky like C(/tmp), or world-writable). A FIFO, socket or
        device is refused without being opened.
    type: path
  private_key_passphrase:
    description:
      - Passphrase of the private key in O(private_key_path). Needed to read an existing encrypted key; a key that
        O(generate) creates is then written encrypted with it (PKCS#8, best available encryption).
      - Setting it for an existing key that is not encrypted is an error.
    type: str
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
      - Key ID. Defaults to the C(kid) of the same key already registered in the application, else to the C(kid) member
        of O(jwk), else to the RFC 7638 thumbprint of the public key (so the same key always gets the same ID).
      - When the application has the key under another C(kid), giving a different O(kid) is an error (keys are not
        renamed).
      - With O(state=absent), the ID of the key to remove when the key itself is not given.
    type: str
  alg:
    description:
      - Signature algorithm the key is for. Defaults to the C(alg) member of O(jwk), else to the C(alg) of the same key
        already registered, else to V(RS256) for RSA keys and to the curve's algorithm (V(ES256), V(ES384), V(ES512))
        for EC keys.
      - Clients must sign their assertions with this algorithm (the C(signing_alg) of M(pingone.oidc.pingone_token_check)
        and M(pingone.oidc.pingone_par_check) defaults to it).
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
      - With O(generate) and no key file yet, check mode writes no file and cannot know the new key, so RV(kid) (unless
        O(kid) is given), RV(jwk) and RV(thumbprint) are not returned; the key set is checked with a stand-in of the key's
        type and size.
      - Check mode checks the application's settings with the change as the real run does, so it fails where the real
        run would.
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

- name: Remove a certificate's key, whatever kid it was registered under
  pingone.oidc.pingone_app_key:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    public_key: "{{ lookup('ansible.builtin.file', 'payments-client-2025.crt') }}"
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line, or in check mode what it would do (V(Would add key ...)).
  returned: always
  type: str
  sample: "Added key 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' to application 'Payments Web App'"
kid:
  description:
    - The key ID of the key managed; for a key already registered under another key ID, that key ID.
    - With O(state=absent), the key ID of the key removed (the first one, when the key was registered more than once).
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

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _files, _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT, ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError, PingOneMissingLibrary, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    public_key=dict(type='str', no_log=False),
    jwk=dict(type='dict'),
    generate=dict(type='bool', default=False),
    private_key_path=dict(type='path', no_log=False),
    private_key_passphrase=dict(type='str', no_log=True),
    key_type=dict(type='str', default='RSA', choices=['RSA', 'EC']),
    key_size=dict(type='int', default=2048, choices=[2048, 3072, 4096], no_log=False),
    curve=dict(type='str', default='P-256', choices=['P-256', 'P-384', 'P-521']),
    kid=dict(type='str'),
    alg=dict(type='str', choices=list(_jwk.ALGS)),
    exclusive=dict(type='bool', default=False),
    set_auth_method=dict(type='bool', default=False),
)
NEEDS_KID = 'state=absent needs kid, or the key (public_key or jwk) to compute it from'
PENDING_KID = '(key to be generated)'
# What a change of the key set is called in msg: (verb, text of the keys and application name).
KEY_CHANGES = {
    'added': ('add', "%s to application '%s'"),
    'updated': ('replace', "%s of application '%s'"),
    'removed': ('remove', "%s from application '%s'"),
}
KEY_SUMMARIES = {
    'kept': "Key '%s' of application '%s' is up to date",
    'absent': "Key '%s' is not in application '%s'",
    'no_file': "No key file at private_key_path %s, so its key is not in application '%s'",
}


def check_options(params):
    """What needs no request and no key material: cryptography, a kid for state=absent, the key file and its directory.

    The key itself is checked first thing in ``ensure``, which can mask what it holds before any failure.
    """
    if not _jwk.HAS_CRYPTOGRAPHY:
        raise PingOneMissingLibrary('cryptography', _jwk.CRYPTOGRAPHY_IMPORT_ERROR)
    if params['state'] == 'absent' and not (params['kid'] or params['public_key'] or params['jwk'] or params['generate']):
        raise PingOneOptionError(NEEDS_KID, private_key_written=False)
    if params['generate']:
        key_file_target(params['private_key_path'])


def key_file_target(path):
    """The path of the private key file to read or write (a link resolved when that is safe); PingOneOptionError
    naming private_key_path when the file must not be used or cannot be written."""
    try:
        target = _files.private_target(path)
    except _files.UnsafePath as exc:
        raise PingOneOptionError('private_key_path %s %s' % (path, exc), private_key_written=False) from None
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and not os.path.isdir(target):
        problem = _files.private_file_problem(info)
        if problem:
            raise PingOneOptionError(key_file_refusal(path, problem), private_key_written=False)
        return target
    problem = _files.destination_problem(target)
    if problem and problem[0] == _files.IS_DIRECTORY:
        raise PingOneOptionError('private_key_path %s is a directory; give the path of a file' % path, private_key_written=False)
    if problem and problem[0] == _files.NOT_WRITABLE:
        raise PingOneOptionError('private_key_path %s: its directory is not writable: %s' % (path, problem[1]),
                                 private_key_written=False)
    if problem:
        raise PingOneOptionError('private_key_path %s: its directory does not exist' % path, private_key_written=False)
    return target


def key_file_refusal(path, problem):
    return ('private_key_path %s %s, so the private key in it may be known to someone else; it is not used. If you trust '
            'the file, give it to the user the module runs as with mode 0600 (chown, chmod 600); else remove it to '
            'generate a new key' % (path, problem))


def stand_in_jwk(key_type, key_size, curve):
    """A public JWK of the type and size of a key still to be generated (check mode), for the checks only.

    Its material is no key at all (RSA modulus 2^(size-1), EC point (0, 0)): it matches no registered key, is never
    sent and never returned.
    """
    if key_type == 'EC':
        zero = _jwk.b64url(b'\0' * _jwk.EC_CURVE_SIZES[curve])
        return {'kty': 'EC', 'crv': curve, 'x': zero, 'y': zero}
    return {'kty': 'RSA', 'e': 'AQAB', 'n': _jwk.b64url(b'\x80' + b'\0' * (key_size // 8 - 1))}


def keys_text(kids):
    """"key 'a'" or "keys 'a', 'b'"."""
    return ('key %s' if len(kids) == 1 else 'keys %s') % ', '.join("'%s'" % kid for kid in kids)


class KeyRunner:
    """Builds the key from the options, then adds or removes it in the application's key set.

    Keys are recognised by their material (the RFC 7638 thumbprint), not only by kid: a key already registered under
    another kid is kept with that kid (or, when kid is given and differs, refused: keys are never renamed), and
    state=absent given the key removes it whatever its kid.
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.params = ctx.params
        self.check_mode = ctx.check_mode
        self.result = Result()
        self.private_key_written = False
        self.pending_private_key = None
        self.key_path = None
        self.pending = False  # check mode: the key is a stand-in for one still to be generated
        self.given_kid = None  # the kid given (option kid, or the kid member of option jwk)
        self.given_alg = None

    def fail(self, msg, error=PingOneError):
        raise error(msg, private_key_written=self.private_key_written)

    # -- the key (before any request) ----------------------------------------------------------

    def build_jwk(self):
        """The public JWK from the options with its kid, use and alg; None when there is no key (state=absent with a key
        file that does not exist). In check mode a key still to be generated is a stand-in (``pending``)."""
        params = self.params
        if params['public_key']:
            try:
                jwk = _jwk.jwk_from_pem(params['public_key'])
            except _jwk.JwkError as exc:
                self.ctx.protect([params['public_key']])  # it may be a private key
                self.fail('public_key %s' % exc, PingOneOptionError)
        elif params['jwk']:
            given = params['jwk']
            self.ctx.protect(str(given[member]) for member in _jwk.private_members(given))
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
            self.given_kid = params['kid'] or jwk.get('kid')
            self.given_alg = params['alg'] or jwk.get('alg')
            jwk['kid'] = self.given_kid or (PENDING_KID if self.pending else _jwk.thumbprint(jwk))
            jwk['use'] = 'sig'
            jwk['alg'] = self.given_alg or _jwk.default_alg(jwk)
            _jwk.check_alg(jwk, jwk['alg'])
        except _jwk.JwkError as exc:
            source = 'jwk' if params['jwk'] else 'public_key' if params['public_key'] else 'generated key'
            self.fail('%s %s' % (source, exc), PingOneOptionError)
        return jwk

    def generated_jwk(self):
        """The public half of the key in private_key_path, or of a new key (a stand-in in check mode; None with
        state=absent, which never generates a key)."""
        path = self.params['private_key_path']
        passphrase = self.params['private_key_passphrase']
        self.key_path = key_file_target(path)
        try:
            data, info = _jwk.read_key_file(self.key_path, follow=False)
        except _jwk.JwkError as exc:
            if not os.path.lexists(self.key_path):
                data = None
            else:
                self.fail('private_key_path %s %s' % (path, exc), PingOneOptionError)
        if data is not None:
            problem = _files.private_file_problem(info)  # again, on the file actually opened
            if problem:
                self.fail(key_file_refusal(path, problem), PingOneOptionError)
            try:
                key = _jwk.load_private_key(data, passphrase)
                return _jwk.public_jwk(key.public_key())
            except _jwk.EncryptedKeyError:
                self.fail('private_key_path %s is encrypted; set private_key_passphrase' % path, PingOneOptionError)
            except _jwk.NotEncryptedKeyError:
                self.fail('private_key_path %s is not encrypted, but private_key_passphrase is set; remove '
                          'private_key_passphrase (or encrypt the file)' % path, PingOneOptionError)
            except _jwk.JwkError as exc:
                self.fail('private_key_path %s %s' % (path, exc), PingOneOptionError)
        if self.params['state'] == 'absent':
            return None
        if self.check_mode:
            self.pending = True
            return stand_in_jwk(self.params['key_type'], self.params['key_size'], self.params['curve'])
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
            _jwk.write_private_key_file(self.key_path, self.pending_private_key, self.params['private_key_passphrase'])
        except OSError as exc:
            self.fail('private_key_path %s cannot be written: %s' % (self.params['private_key_path'], exc.strerror or exc))
        self.private_key_written = True

    # -- the application -----------------------------------------------------------------------

    def run(self):
        params = self.params
        jwk = self.build_jwk()
        service = ApplicationsService(self.ctx.client, self.ctx.environment_id)
        app = service.require(params['application_id'], params['name'])
        name = app['name']
        if app.get('jwksUrl'):
            self.fail("Application '%s' publishes its keys at jwks_url %s; manage them there, or remove jwks_url with "
                      "pingone.oidc.pingone_application to keep the keys in PingOne" % (name, app['jwksUrl']))
        try:
            current_keys = model.parse_jwks(app['jwks'])['keys'] if app.get('jwks') else []
        except model.JwksError as exc:
            self.fail("The key set of application '%s' cannot be read: jwks %s" % (name, exc))

        if params['state'] == 'absent':
            new_keys, action, kids = self.without_key(current_keys, jwk, name)
        else:
            self.identify(current_keys, jwk, name)
            new_keys, action = self.with_key(current_keys, jwk)
            kids = [jwk['kid']]
        desired = {}
        if new_keys != current_keys:
            desired[model.FIELDS_BY_OPTION['jwks']] = {'keys': new_keys} if new_keys else None
        method = app.get('tokenEndpointAuthMethod')
        if params['set_auth_method'] and params['state'] == 'present' and method != 'PRIVATE_KEY_JWT':
            desired[model.FIELDS_BY_OPTION['token_endpoint_auth_method']] = 'PRIVATE_KEY_JWT'
            method = 'PRIVATE_KEY_JWT'
        if action == 'removed' and not new_keys and method == 'PRIVATE_KEY_JWT':
            self.fail("Removing %s would leave application '%s', which authenticates with PRIVATE_KEY_JWT, without keys; "
                      "add its replacement first" % (keys_text(kids), name))
        if desired:
            # checked in check mode too, and before anything is written: check mode predicts what the real run does
            body = model.merge(app, desired)
            errors = model.validate_body(body)
            if errors:
                self.fail("Invalid settings for application '%s': %s" % (name, '; '.join(errors)))
            if not self.check_mode:
                self.write_private_key()  # before the key is registered: never a registered key without its private half
                self.update(service, app, body, new_keys, method)

        result = self.result
        self.record_changes(action, kids, name, current_keys, model.FIELDS_BY_OPTION['jwks'] in desired,
                            method != app.get('tokenEndpointAuthMethod'))
        result.values.update(client_id=app.get('clientId') or app['id'], token_endpoint_auth_method=method,
                             kids=[key.get('kid') for key in new_keys])
        kid = self.given_kid if self.pending else kids[0] if kids else None
        if kid:
            result.values['kid'] = kid
        if jwk and not self.pending:
            result.values['thumbprint'] = _jwk.thumbprint(jwk)
            if params['state'] == 'present':
                result.values['jwk'] = jwk
        result.diff({'kids': [key.get('kid') for key in current_keys], 'tokenEndpointAuthMethod': app.get('tokenEndpointAuthMethod')},
                    {'kids': result.values['kids'], 'tokenEndpointAuthMethod': method})
        result.values['private_key_written'] = self.private_key_written
        return result

    @staticmethod
    def update(service, app, body, new_keys, method):
        jwks_field = model.FIELDS_BY_OPTION['jwks']
        wanted_keys = model.normalize(jwks_field, {'keys': new_keys} if new_keys else None)

        def landed(stored):
            """After a PUT whose reply was lost: the key set (and method) read back are the ones sent."""
            return (model.normalize(jwks_field, stored.get('jwks')) == wanted_keys
                    and stored.get('tokenEndpointAuthMethod') == method)

        service.update(app['id'], body, landed=landed)

    def record_changes(self, action, kids, name, current_keys, keys_changed, method_changed):
        """The changes for msg ("Added key ...", "Would add key ..."), and the summary when there are none."""
        result = self.result
        if keys_changed and action in KEY_CHANGES:
            verb, text = KEY_CHANGES[action]
            result.change(verb, text % (keys_text(kids), name))
        elif keys_changed and self.params['exclusive'] and any(key.get('kid') not in kids for key in current_keys):
            result.change('remove', "the other keys of application '%s' (key '%s' is up to date)" % (name, kids[0]))
        elif keys_changed:  # the same key, written differently
            result.change('update', "%s of application '%s'" % (keys_text(kids), name))
        if method_changed:
            result.change('set', "application '%s' to authenticate with PRIVATE_KEY_JWT" % name)
        if action == 'no_file':
            result.summary = KEY_SUMMARIES['no_file'] % (self.params['private_key_path'], name)
        else:
            result.summary = KEY_SUMMARIES.get(action, KEY_SUMMARIES['kept']) % (kids[0], name)

    def identify(self, current_keys, jwk, name):
        """Give ``jwk`` the kid of the registered key with the same material, and its alg unless alg is given.

        PingOneOptionError when a kid is given and the application has this key under another kid: renaming it would
        break the clients that send that kid.
        """
        if self.pending:
            return
        same = [key for key in current_keys if _jwk.same_material(key, jwk)]
        match = next((key for key in same if key.get('kid') == jwk['kid']), None)
        registered = [key for key in same if key.get('kid') is not None]
        if match is None and registered:
            if self.given_kid is not None:
                option = 'kid' if self.params['kid'] else 'jwk kid'
                self.fail("%s '%s': application '%s' already has this key as kid '%s'; keys are not renamed (clients send the "
                          "kid): leave kid out or give kid '%s' to keep it, or remove it first with state=absent and kid '%s'"
                          % (option, self.given_kid, name, registered[0]['kid'], registered[0]['kid'], registered[0]['kid']),
                          PingOneOptionError)
            match = registered[0]
            jwk['kid'] = match['kid']
        if match is not None and not self.given_alg and match.get('alg') in _jwk.ALGS:
            try:
                _jwk.check_alg(jwk, match['alg'])
                jwk['alg'] = match['alg']
            except _jwk.JwkError:
                pass  # a registered alg that does not fit the key: the key given replaces it
        copies = [key['kid'] for key in registered if key is not match]
        if copies:
            self.result.warn("Application '%s' has key '%s' also as %s (the same public key); remove the copies you do not "
                             "need with state=absent and their kid" % (name, jwk['kid'], keys_text(copies)))

    def with_key(self, current_keys, jwk):
        """The key set with ``jwk``, and what happened to it (added/updated/kept).

        The key with its kid (or the same material without a kid) is replaced in place; with exclusive, every other key
        is dropped.
        """
        kid = jwk['kid']

        def ours(key):
            return key.get('kid') == kid or (key.get('kid') is None and not self.pending and _jwk.same_material(key, jwk))

        existing = [key for key in current_keys if ours(key)]
        field = model.FIELDS_BY_OPTION['jwks']
        if len(existing) == 1 and model.normalize(field, {'keys': existing}) == model.normalize(field, {'keys': [jwk]}):
            action = 'kept'
        else:
            action = 'updated' if existing else 'added'
        if self.params['exclusive'] or not existing:
            return ([] if self.params['exclusive'] else current_keys) + [jwk], action
        # keep the position of a key that is updated in place
        new_keys, placed = [], False
        for key in current_keys:
            if not ours(key):
                new_keys.append(key)
            elif not placed:
                new_keys.append(jwk)
                placed = True
        return new_keys, action

    def without_key(self, current_keys, jwk, name):
        """The key set without the key, what happened (removed/absent/no_file) and the kids concerned.

        A key given (public_key, jwk, or the key in private_key_path) is found by its material, whatever its kid; kid
        alone by its kid.
        """
        if jwk is None:
            kid = self.params['kid']
            if kid is None:  # generate with no key file: no key, so none registered
                return current_keys, 'no_file', [None]
            gone = [key for key in current_keys if key.get('kid') == kid]
        else:
            kid = jwk['kid']
            gone = [key for key in current_keys if _jwk.same_material(key, jwk)]
            others = [key for key in current_keys if self.given_kid is not None and key.get('kid') == self.given_kid
                      and not _jwk.same_material(key, jwk)]
            if others:
                option = 'kid' if self.params['kid'] else 'jwk kid'
                self.fail("%s '%s' of application '%s' is another key than the one given; give only kid to remove that key, "
                          "or only the key to remove it whatever its kid" % (option, self.given_kid, name), PingOneOptionError)
        if not gone:
            return current_keys, 'absent', [kid]
        return ([key for key in current_keys if all(key is not removed for removed in gone)], 'removed',
                [key.get('kid') for key in gone])


def ensure(ctx):
    runner = KeyRunner(ctx)
    try:
        return runner.run()
    except PingOneError as exc:
        # every failure says whether a private key file was written (it then holds the key to register)
        exc.result.setdefault('private_key_written', runner.private_key_written)
        raise


def main():
    PingOneModule(
        OPTIONS,
        required_one_of=[('application_id', 'name')],
        mutually_exclusive=[('public_key', 'jwk', 'generate')],
        required_if=[('generate', True, ['private_key_path']), ('state', 'present', ['public_key', 'jwk', 'generate'], True)],
        required_by={'private_key_passphrase': 'private_key_path'},
    ).run(ensure, check_options)


if __name__ == '__main__':
    main()
