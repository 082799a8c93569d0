#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_app_secret
short_description: Read, rotate and store the client secret of a PingOne OpenID Connect application
version_added: 0.1.0
description:
  - Reads the client secret of one OpenID Connect application and returns it as RV(secret), or writes it to the file
    O(dest) (mode C(0600)) and returns nothing secret.
  - Rotates the secret on request (O(rotate)) or when the secret in O(dest) is older than O(rotate_if_older_than).
    The replaced secret can stay valid for a grace period (O(previous_secret_grace_period)), and a previous secret
    that is still valid can be revoked early (O(revoke_previous)).
  - The module stays idempotent once the grace period has ended; an expired or absent previous secret never causes
    a change or a failure.
  - The application is identified by O(application_id), or else by O(name) within O(environment_id), ignoring case.
    When several applications share that name the module fails and lists their IDs. This module never creates an
    application; see M(pingone.oidc.pingone_application).
  - The secret never appears in RV(msg), in the diff or in warnings. Always set C(no_log) on tasks that use this
    module without O(dest), and on tasks that use the registered RV(secret).
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - Only V(present) exists; the secret of an application cannot be removed.
    type: str
    choices: [present]
    default: present
  rotate:
    description:
      - Whether to rotate the secret on every run. The task then always reports a change.
    type: bool
    default: false
  rotate_if_older_than:
    description:
      - Rotate the secret when the file O(dest) holding it is older than this, for example V(30d), V(12h), V(90m)
        or V(3600s). The units V(d), V(h), V(m) and V(s) may be combined, as in V(1d12h). A number without a unit
        is an error.
      - PingOne does not tell when a secret was created, so the age is the modification time of O(dest), which this
        module sets whenever it writes the current secret there. When O(dest) does not exist yet, or holds another
        value (because the secret was rotated elsewhere), the file is written with the current secret and the age
        counts from then; that run does not rotate.
      - Requires O(dest).
    type: str
  previous_secret_grace_period:
    description:
      - When the secret is rotated, how long the replaced secret keeps working, so clients can move to the new one;
        from V(1m) to V(30d), in the format of O(rotate_if_older_than).
      - When not set, the replaced secret stops working at once (as PingOne does when no expiry is sent).
      - Has no effect when no rotation happens. Cannot be used together with O(revoke_previous).
    type: str
  revoke_previous:
    description:
      - Whether to revoke the previous secret while it is still valid, ending its grace period early.
        Reports a change only when a valid previous secret existed.
      - Cannot be used together with O(previous_secret_grace_period).
    type: bool
    default: false
  dest:
    description:
      - Path of a file to write the secret to, instead of returning it. The file holds only the secret, without a
        trailing newline, and gets mode C(0600) and the owner of the user the module runs as.
      - The file is replaced atomically and rewritten only when it does not hold the current secret (its mode is set
        to C(0600) when it differs, without rewriting). After writing, the secret is read again from PingOne; when
        another run rotated it meanwhile, the file is written again with the current one.
      - Before a rotation the module proves that O(dest) can take the new secret (a temporary file of at least the
        secret's size is written, synced and removed in its directory); when that fails (disk full, quota, file size
        limit, read-only file system) the task fails and the secret is not rotated.
      - When O(dest) is a symbolic link, the file it points to is replaced, but only when the user the module runs as
        owns the link and that file, and the link is not in a directory other users can write to (sticky like
        C(/tmp), or world-writable); any other link is refused. A O(dest) that is a FIFO, a socket or a device is
        refused without being opened, and so is a file of another user in such a shared directory.
      - The directory must exist.
    type: path
extends_documentation_fragment:
  - pingone.oidc.application
  - pingone.oidc.auth
  - pingone.oidc.attributes
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - The secret is read but not rotated or revoked, and O(dest) is not written. When a rotation would happen,
        RV(secret) is V(null) because the new secret does not exist yet.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff never shows a secret. It shows V((current)) or V((rotated)) for the secret, the expiry of the
        previous secret, and whether O(dest) was V(absent), held V(another value), had V(another mode) or was
        V(current).
notes:
  - PingOne refuses access (HTTP 403) to the secret of a V(WORKER) application unless the worker the module
    authenticates as holds every role of that worker application, and no worker may read or rotate its own secret.
  - A rotation is never sent twice. When its reply is lost or is HTTP 500, 502 or 504, the module reads the secret
    back a few times (over about 7 seconds) until the rotation shows, and then returns or stores that secret (with a
    warning); when it does not show, the task fails, says that the rotation may still take effect, and writes
    nothing. With O(previous_secret_grace_period) the rotation is recognised by the expiry it set, so a rotation
    made by another run at the same time is not taken for it; without one, it cannot be told apart.
seealso:
  - module: pingone.oidc.pingone_application
  - name: PingOne application secret API
    description: Reading and rotating application secrets in the PingOne Platform API.
    link: https://apidocs.pingidentity.com/pingone/platform/v1/api/#application-secret
"""

EXAMPLES = r"""
- name: Read the secret of an application
  pingone.oidc.pingone_app_secret:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
  register: inventory_secret
  no_log: true

- name: Keep the secret in a file only the service user can read
  pingone.oidc.pingone_app_secret:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
    dest: /etc/inventory-sync/client_secret
  become: true
  become_user: inventory
  no_log: true

- name: Rotate it once a month; the old secret keeps working for two days
  pingone.oidc.pingone_app_secret:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
    dest: /etc/inventory-sync/client_secret
    rotate_if_older_than: 30d
    previous_secret_grace_period: 2d
  no_log: true
  notify: Restart inventory-sync

- name: Rotate now and return the new secret
  pingone.oidc.pingone_app_secret:
    environment_id: "{{ target_environment_id }}"
    application_id: "{{ app.client_id }}"
    rotate: true
    previous_secret_grace_period: 1h
  register: rotated
  no_log: true

- name: Every client uses the new secret; revoke the old one
  pingone.oidc.pingone_app_secret:
    environment_id: "{{ target_environment_id }}"
    application_id: "{{ app.client_id }}"
    revoke_previous: true
  no_log: true
"""

RETURN = r"""
msg:
  description:
    - What the module did, in one line, or in check mode what it would do (V(Would rotate ...)). Never holds the secret.
  returned: always
  type: str
  sample: "Rotated the secret of application 'Inventory Sync' (5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10); the previous
    secret stays valid until 2026-05-02T10:00:00.000Z; wrote the new secret to /etc/inventory-sync/client_secret"
secret:
  description:
    - The current client secret of the application (after a rotation, the new one).
    - V(null) in check mode when the secret would be rotated.
    - Set C(no_log) on the task.
  returned: when O(dest) is not set
  type: str
  sample: vgUZQTEvg0Zzq6WxM73UN.TD
previous_expires_at:
  description:
    - When the previous secret stops working (RFC 3339), or V(null) when there is no valid previous secret.
    - In check mode, the expiry a rotation would set.
  returned: always
  type: str
  sample: "2026-05-02T10:00:00.000Z"
rotated:
  description: Whether the secret was rotated (or would be, in check mode).
  returned: always
  type: bool
  sample: true
dest:
  description: The file holding the secret.
  returned: when O(dest) is set
  type: str
  sample: /etc/inventory-sync/client_secret
client_id:
  description: The application's client ID (equal to its ID).
  returned: always
  type: str
  sample: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
application_id:
  description: The application's ID.
  returned: always
  type: str
  sample: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
"""

import errno
import hmac
import os
import stat
import time

from ansible_collections.pingone.oidc.plugins.module_utils import _client, _files
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneError,
    PingOneOptionError,
)
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result
from ansible_collections.pingone.oidc.plugins.module_utils._time import format_duration, parse_duration, parse_rfc3339, rfc3339

MIN_GRACE = 60
MAX_GRACE = 30 * 86400
# PingOne checks the window when the request arrives: keep a minimal grace period clear of the lower bound.
GRACE_MARGIN = 5
FILE_MODE = _files.PRIVATE_MODE
# A dest larger than this cannot hold a secret (it is not read further).
MAX_SECRET_FILE_SIZE = 64 * 1024
# Before a rotation, dest must take a file at least this large (and at least twice the current secret).
MIN_PROOF_SIZE = 256
# How often the secret is written again when it changed while this run stored it.
MAX_STORE_ATTEMPTS = 3
# Two expiry times this close (seconds) are taken as the same one: the expiry this run sent for the previous secret, read
# back after a rotation whose reply was lost, tells this run's rotation from another run's (a server may round it).
EXPIRY_TOLERANCE = 1.0

SECRET_403_HINT = ("PingOne refuses access to this application's secret: for a WORKER application the caller (pingone_client_id) "
                   "must hold every role that worker holds; assign those roles to the caller or use a worker that has them")

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=dict(type='str', default='present', choices=['present']),
    rotate=dict(type='bool', default=False),
    rotate_if_older_than=dict(type='str'),
    previous_secret_grace_period=dict(type='str', no_log=False),
    revoke_previous=dict(type='bool', default=False),
    dest=dict(type='path'),
)


def duration(params, option, minimum, maximum=None):
    """Seconds of a duration option, None when it is not set; PingOneOptionError naming the option."""
    value = params[option]
    if value is None:
        return None
    try:
        seconds = parse_duration(value, option)
    except ValueError as exc:
        raise PingOneOptionError(str(exc)) from None
    if seconds < minimum or (maximum is not None and seconds > maximum):
        bounds = 'at least %s' % format_duration(minimum)
        if maximum is not None:
            bounds = 'between %s (1 minute) and %s (30 days)' % (format_duration(minimum), format_duration(maximum))
        raise PingOneOptionError("%s must be %s; got '%s'" % (option, bounds, value))
    return seconds


def max_age(params):
    return duration(params, 'rotate_if_older_than', minimum=1)


def grace_period(params):
    return duration(params, 'previous_secret_grace_period', minimum=MIN_GRACE, maximum=MAX_GRACE)


def check_options(params):
    """Every check that needs no request: the durations, their combination, the directory of dest."""
    max_age(params)
    if grace_period(params) and params['revoke_previous']:
        # A rotation would keep the old secret valid only for revoke_previous to end that at once.
        raise PingOneOptionError('previous_secret_grace_period and revoke_previous cannot be used together: revoke the '
                                 'previous secret in a later task, once every client uses the new one')
    if params['dest']:
        SecretFile(params['dest']).check()


def valid_previous(secret_state):
    """The ``previous`` member while it still works, else None.

    PingOne omits an expired previous secret; one that is returned with an expiry already past
    (by this host's clock) is treated as absent too, so that it never causes a change (Terraform
    provider bug #1359).
    """
    previous = (secret_state or {}).get('previous')
    if not isinstance(previous, dict) or not (previous.get('secret') or previous.get('expiresAt')):
        return None
    expires = parse_rfc3339(previous.get('expiresAt'))
    if expires is not None and expires <= time.time():
        return None
    return previous


class SecretFile:
    """The O(dest) file: check, compare, age, write (mode 0600, atomic replacement; see _files.private_target for links)."""

    ABSENT, OTHER_VALUE, OTHER_MODE, CURRENT = 'absent', 'another value', 'another mode', 'current'

    def __init__(self, path):
        self.path = path
        self.target = None

    def check(self):
        """PingOneOptionError when the file must not or cannot be written (checked before anything changes)."""
        try:
            self.target = _files.private_target(self.path)
        except _files.UnsafePath as exc:
            raise PingOneOptionError('dest %s %s' % (self.path, exc)) from None
        problem = _files.destination_problem(self.target)
        if problem is None:
            return
        kind, directory = problem
        if kind == _files.IS_DIRECTORY:
            raise PingOneOptionError('dest %s is a directory; give the path of a file' % self.path)
        if kind == _files.NO_DIRECTORY:
            raise PingOneOptionError('The directory of dest %s does not exist: %s' % (self.path, directory))
        raise PingOneOptionError('The directory of dest %s is not writable: %s' % (self.path, directory))

    def inspect(self, secret):
        """ABSENT, OTHER_VALUE, OTHER_MODE or CURRENT, compared with ``secret`` (never blocks on a FIFO)."""
        try:
            content, info = _files.read_regular_file(self.target, MAX_SECRET_FILE_SIZE, follow=False)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return self.ABSENT
            raise
        except _files.UnsafePath as exc:
            raise PingOneOptionError('dest %s %s' % (self.path, exc)) from None
        if content.endswith(b'\n'):
            content = content[:-1]
        if content.endswith(b'\r'):
            content = content[:-1]
        if not secret or not hmac.compare_digest(content, secret.encode('utf-8')):
            return self.OTHER_VALUE
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            return self.OTHER_MODE
        return self.CURRENT

    def age(self):
        return max(0.0, time.time() - os.stat(self.target).st_mtime)

    def fix_mode(self):
        try:
            _files.restrict_mode(self.target)
        except _files.UnsafePath as exc:
            raise PingOneOptionError('dest %s %s' % (self.path, exc)) from None

    def prove_writable(self, size):
        """OSError unless a file of ``size`` bytes can be written where the secret goes (nothing is left behind)."""
        _files.prove_writable(self.target, size)

    def write(self, secret):
        _files.write_private_file(self.target, secret.encode('utf-8'))


class SecretRunner:
    """Finds the application, reads its secret, rotates, revokes and stores it; one run of the module."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.params = ctx.params
        self.check_mode = ctx.check_mode
        self.max_age = max_age(self.params)
        self.grace = grace_period(self.params)
        self.file = SecretFile(self.params['dest']) if self.params['dest'] else None
        if self.file:
            self.file.check()  # resolves the path written (and checks again what check_options checked)
        self.environment_id = ctx.environment_id
        self.service = ApplicationsService(ctx.client, self.environment_id)
        self.result = Result()
        self.app = None

    def label(self):
        return "application '%s' (%s)" % (self.app.get('name') or self.app['id'], self.app['id'])

    # -- API calls, with the 403 of a worker's secret explained ---------------------------------

    def api(self, call, *args):
        try:
            return call(self.app['id'], *args)
        except PingOneApiError as exc:
            if exc.status != 403:
                raise
            raise self.forbidden(exc) from exc

    def forbidden(self, exc):
        """The 403 on a secret, explained for the case at hand (the generic role hint does not fit it)."""
        text = '%s. %s' % (str(exc).rstrip('.'), SECRET_403_HINT)
        own = (self.app['id'] == self.params.get('pingone_client_id')
               and self.environment_id == self.params.get('pingone_environment_id'))
        if own:
            text += ('; moreover this application is the worker the module authenticates as (pingone_client_id), and no '
                     'worker may read or rotate its own secret: use another worker')
        elif self.app.get('type') != 'WORKER':
            text += ('; this is a %s application, so the caller lacks a role that manages application secrets '
                     '(for example Client Application Developer)' % self.app.get('type'))
        extra = {key: value for key, value in (('status_code', exc.status), ('code', exc.code)) if value is not None}
        return PingOneError(text, **extra)

    def rotate(self, expires_at, old_secret):
        """POST once. When its outcome is unknown (no reply, or HTTP 500/502/504) it is never sent again: a second
        rotation would make the first one's secret useless. The secret is read back (a few times, with growing
        waits) until the rotation shows; PingOneError when it does not."""
        try:
            return self.api(self.service.rotate_secret, expires_at)
        except (PingOneConnectionError, PingOneApiError) as exc:
            if not exc.maybe_committed:
                raise
            unclear = exc
        seen = {}

        def read():
            seen['state'] = self.api(self.service.get_secret) or {}
            return seen['state']

        state = self.ctx.client.settle(read, lambda value: self.landed(value, old_secret, expires_at))
        if state is None:
            changed = (seen.get('state') or {}).get('secret') not in (None, old_secret)
            raise PingOneError(
                '%s; the rotation was not sent again, because a second one would make the secret of the first useless. '
                '%s, so it may still take effect: run the task again without rotate to read%s the current secret%s' % (
                    str(unclear).rstrip('.'),
                    'The secret changed meanwhile, but not with the expiry this run set for the previous secret (another '
                    'run rotated it?)' if changed else 'The secret read back from PingOne did not change within %g seconds'
                    % sum(_client.SETTLE_DELAYS),
                    ' and store' if self.file else '',
                    '; dest %s was not written' % self.params['dest'] if self.file else ''),
                rotated=None, **({'status_code': unclear.status} if isinstance(unclear, PingOneApiError) else {}))
        if expires_at:
            self.result.warn('The reply to the rotation was lost or unclear; the rotation took effect and the new secret '
                             'was read back from PingOne')
        else:
            self.result.warn('The reply to the rotation was lost or unclear; the secret read back from PingOne has changed, '
                             'so the rotation is taken as done, but without previous_secret_grace_period it cannot be told '
                             'from a rotation by another run at the same time')
        return state

    @staticmethod
    def landed(state, old_secret, expires_at):
        """Whether ``state`` (the secret read back) shows this run's rotation.

        With a grace period the rotation is recognised by the expiry it gave the previous secret, so another run's
        rotation is not taken for it; without one, any new secret is taken as the rotation's.
        """
        secret = (state or {}).get('secret')
        if not secret or secret == old_secret:
            return False
        if not expires_at:
            return True
        previous = state.get('previous') or {}
        seen, wanted = parse_rfc3339(previous.get('expiresAt')), parse_rfc3339(expires_at)
        return seen is not None and wanted is not None and abs(seen - wanted) <= EXPIRY_TOLERANCE

    # -- the run ---------------------------------------------------------------------------------

    def should_rotate(self, file_state):
        """(rotate?, reason for msg or None)."""
        if self.params['rotate']:
            return True, None
        if self.max_age is None:
            return False, None
        if file_state != SecretFile.CURRENT and file_state != SecretFile.OTHER_MODE:
            if file_state == SecretFile.OTHER_VALUE:
                self.result.warn('dest %s does not hold the current secret of %s (rotated elsewhere?); it %s rewritten '
                                 'and its age for rotate_if_older_than counts from then' % (
                                     self.params['dest'], self.label(), 'would be' if self.check_mode else 'was'))
            return False, None
        age = self.file.age()
        if age > self.max_age:
            return True, 'the secret in dest was %s old, more than rotate_if_older_than %s' % (
                format_duration(age), self.params['rotate_if_older_than'])
        return False, 'the secret in dest is %s old, rotate_if_older_than is %s' % (
            format_duration(age), self.params['rotate_if_older_than'])

    def previous_fate(self, previous):
        """What becomes of the replaced secret, worded for a run or for check mode."""
        if previous and previous.get('expiresAt'):
            verb = 'would stay' if self.check_mode else 'stays'
            return 'the previous secret %s valid until %s' % (verb, previous['expiresAt'])
        return 'the previous secret %s' % ('would stop working' if self.check_mode else 'stopped working')

    def run(self):
        result = self.result
        self.app = self.service.require(self.params['application_id'], self.params['name'])
        before = self.api(self.service.get_secret) or {}
        current = before.get('secret')
        file_state = self.file.inspect(current) if self.file else None
        rotate, reason = self.should_rotate(file_state)

        after = before
        if rotate:
            expires_at = rfc3339(time.time() + max(self.grace, MIN_GRACE + GRACE_MARGIN)) if self.grace else None
            if self.check_mode:
                after = {'secret': None, 'previous': {'expiresAt': expires_at} if expires_at else None}
            else:
                if self.file:
                    self.prove_writable(current)
                after = self.rotate(expires_at, current)
            because = ' (%s)' % reason if reason else ''
            result.change('rotate', 'the secret of %s%s; %s' % (self.label(), because, self.previous_fate(valid_previous(after))))

        if self.params['revoke_previous'] and valid_previous(after):
            if not self.check_mode:
                self.api(self.service.revoke_previous_secret)
            after = {key: value for key, value in after.items() if key != 'previous'}
            result.change('revoke', 'the previous secret of %s' % self.label())

        file_after = file_state
        if self.file and (rotate or file_state != SecretFile.CURRENT):
            file_after = SecretFile.CURRENT
            if rotate or file_state != SecretFile.OTHER_MODE:
                if not self.check_mode:
                    after = self.store(after, rotated=rotate)
                result.change('write', 'the %s to %s' % ('new secret' if rotate else 'secret of %s' % self.label(), self.params['dest']))
            else:
                if not self.check_mode:
                    self.file.fix_mode()
                result.change('set', 'the mode of %s to 0600' % self.params['dest'])

        if self.file:
            result.summary = 'The secret of %s in %s is up to date' % (self.label(), self.params['dest'])
            if reason:
                result.summary += ' (%s)' % reason
        else:
            result.summary = 'Read the secret of %s' % self.label()

        previous_before, previous_after = valid_previous(before), valid_previous(after)
        result.values.update(
            rotated=rotate,
            previous_expires_at=(previous_after or {}).get('expiresAt'),
            client_id=self.app.get('clientId') or self.app['id'],
            application_id=self.app['id'],
        )
        if self.file:
            result.values['dest'] = self.params['dest']
        else:
            result.values['secret'] = after.get('secret')
        diff_before = {'secret': '(current)', 'previous_expires_at': (previous_before or {}).get('expiresAt')}
        diff_after = {'secret': '(rotated)' if rotate else '(current)', 'previous_expires_at': result.values['previous_expires_at']}
        if self.file:
            diff_before['dest'], diff_after['dest'] = file_state, file_after
        result.diff(diff_before, diff_after)
        return result

    def prove_writable(self, current):
        """Before a rotation: show that dest can take the new secret, or fail with nothing changed (without a grace
        period, a rotated secret that cannot be stored locks every client out)."""
        size = max(MIN_PROOF_SIZE, 2 * len((current or '').encode('utf-8')))
        try:
            self.file.prove_writable(size)
        except OSError as exc:
            raise PingOneError('Cannot write dest %s: %s; the secret was not rotated' % (self.params['dest'], exc.strerror or exc),
                               rotated=False) from None

    def store(self, state, rotated):
        """Write the secret of ``state`` to dest, then read it back from PingOne: when it changed meanwhile (another
        run rotated it), write the newer one, so that dest ends with the current secret. Returns the state stored."""
        for dummy in range(MAX_STORE_ATTEMPTS):
            secret = state.get('secret')
            self.write(secret, rotated)
            try:
                current = self.api(self.service.get_secret) or {}
            except PingOneError as exc:
                self.result.warn('dest %s was written, but reading the secret again to confirm it is still current failed: %s'
                                 % (self.params['dest'], exc))
                return state
            if not current.get('secret') or hmac.compare_digest(current['secret'].encode('utf-8'), secret.encode('utf-8')):
                return state
            self.result.warn('The secret of %s changed while this run stored it (another run rotated it?); dest %s was '
                             'written again with the current one' % (self.label(), self.params['dest']))
            state = current
        raise PingOneError('The secret of %s kept changing while this run stored it (another run rotates it?); dest %s may '
                           'not hold the current secret: run the task again once the other run has finished'
                           % (self.label(), self.params['dest']), rotated=rotated)

    def write(self, secret, rotated):
        if not secret:
            raise PingOneError('PingOne returned no secret for %s; dest %s was not written' % (self.label(), self.params['dest']))
        try:
            self.file.write(secret)
        except OSError as exc:
            hint = (' The secret was rotated: run the task again without rotation to write the new secret'
                    if rotated else '')
            raise PingOneError('Cannot write dest %s: %s.%s' % (self.params['dest'], exc.strerror or exc, hint)) from None


def ensure(ctx):
    try:
        return SecretRunner(ctx).run()
    except OSError as exc:
        raise PingOneError('Cannot read dest %s: %s' % (ctx.params['dest'], exc.strerror or exc)) from None


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')],
                  required_by={'rotate_if_older_than': 'dest'}).run(ensure, check_options)


if __name__ == '__main__':
    main()
