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
        to C(0600) when it differs, without rewriting). When O(dest) is a symbolic link, the file it points to is
        replaced.
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
  description: What the module did, in one line. Never holds the secret.
  returned: always
  type: str
  sample: "Rotated the secret of application 'Inventory Sync' (5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10); the previous
    secret stays valid until 2026-05-02T10:00:00.000Z; wrote the secret to /etc/inventory-sync/client_secret"
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

import datetime
import errno
import hmac
import os
import re
import stat
import time
import uuid

from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, application_argument_spec

DURATION_UNITS = {'d': 86400, 'h': 3600, 'm': 60, 's': 1}
DURATION_FORMAT = re.compile(r'^(?:[0-9]+[dhms])+$')
DURATION_PART = re.compile(r'([0-9]+)([dhms])')
DURATION_HELP = 'a duration such as 30d, 12h, 90m or 3600s (units d, h, m, s, which may be combined, as in 1d12h)'
MIN_GRACE = 60
MAX_GRACE = 30 * 86400
# PingOne checks the window when the request arrives: keep a minimal grace period clear of the lower bound.
GRACE_MARGIN = 5
FILE_MODE = 0o600

SECRET_403_HINT = ("PingOne refuses access to this application's secret: for a WORKER application the caller (pingone_client_id) "
                   "must hold every role that worker holds; assign those roles to the caller or use a worker that has them")


def parse_duration(value, option):
    """Seconds in a duration such as ``30d`` or ``1d12h``; raises ValueError naming the option."""
    text = str(value).strip().lower().replace(' ', '')
    if not DURATION_FORMAT.match(text):
        raise ValueError("%s must be %s; got '%s'" % (option, DURATION_HELP, value))
    return sum(int(number) * DURATION_UNITS[unit] for number, unit in DURATION_PART.findall(text))


def format_duration(seconds):
    """``30d``, ``1h30m``, ``2d3h``: the two largest non-zero units, truncated."""
    seconds = int(seconds)
    parts = []
    for unit in ('d', 'h', 'm', 's'):
        count, seconds = divmod(seconds, DURATION_UNITS[unit])
        if count or (unit == 's' and not parts):
            parts.append('%d%s' % (count, unit))
        if len(parts) == 2:
            break
        if parts and not count:
            break
    return ''.join(parts)


def rfc3339(timestamp):
    """UTC, milliseconds, ``Z``: ``2026-05-02T10:00:00.000Z``."""
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def parse_rfc3339(text):
    try:
        return datetime.datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()
    except (AttributeError, TypeError, ValueError):
        return None


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
    """The O(dest) file: compare, age, write with mode 0600 and atomic replacement."""

    ABSENT, OTHER_VALUE, OTHER_MODE, CURRENT = 'absent', 'another value', 'another mode', 'current'

    def __init__(self, path):
        self.path = path
        self.target = os.path.realpath(path)

    def check_directory(self):
        """A message when the file cannot be written, else None (checked before anything changes)."""
        directory = os.path.dirname(self.target) or '.'
        if os.path.isdir(self.target):
            return 'dest %s is a directory; give the path of a file' % self.path
        if not os.path.isdir(directory):
            return 'The directory of dest %s does not exist: %s' % (self.path, directory)
        if not os.access(directory, os.W_OK | os.X_OK):
            return 'The directory of dest %s is not writable: %s' % (self.path, directory)
        return None

    def inspect(self, secret):
        """ABSENT, OTHER_VALUE, OTHER_MODE or CURRENT, compared with ``secret``."""
        try:
            info = os.stat(self.target)
            with open(self.target, 'rb') as handle:
                content = handle.read()
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return self.ABSENT
            raise
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
        os.chmod(self.target, FILE_MODE)

    def write(self, secret):
        directory = os.path.dirname(self.target) or '.'
        temp = os.path.join(directory, '.%s.%s.tmp' % (os.path.basename(self.target), uuid.uuid4().hex))
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), FILE_MODE)
        try:
            os.fchmod(descriptor, FILE_MODE)
            with os.fdopen(descriptor, 'wb') as handle:
                descriptor = None
                handle.write(secret.encode('utf-8'))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.target)
        except BaseException:
            if descriptor is not None:
                os.close(descriptor)
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise


class SecretRunner:
    """Finds the application, reads its secret, rotates, revokes and stores it; one run of the module."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.params = wrapper.params
        self.check_mode = wrapper.check_mode
        self.warnings = []
        self.max_age = self.duration('rotate_if_older_than', minimum=1)
        self.grace = self.duration('previous_secret_grace_period', minimum=MIN_GRACE, maximum=MAX_GRACE)
        if self.grace and self.params['revoke_previous']:
            # A rotation would keep the old secret valid only for revoke_previous to end that at once.
            wrapper.fail_json(msg='previous_secret_grace_period and revoke_previous cannot be used together: revoke the '
                                  'previous secret in a later task, once every client uses the new one')
        self.file = SecretFile(self.params['dest']) if self.params['dest'] else None
        if self.file:
            problem = self.file.check_directory()
            if problem:
                wrapper.fail_json(msg=problem)
        self.environment_id = wrapper.target_environment()
        self.service = ApplicationsService(wrapper.client, self.environment_id)
        self.app = None

    def duration(self, option, minimum, maximum=None):
        value = self.params[option]
        if value is None:
            return None
        try:
            seconds = parse_duration(value, option)
        except ValueError as exc:
            self.wrapper.fail_json(msg=str(exc))
        if seconds < minimum or (maximum is not None and seconds > maximum):
            bounds = 'at least %s' % format_duration(minimum)
            if maximum is not None:
                bounds = 'between %s (1 minute) and %s (30 days)' % (format_duration(minimum), format_duration(maximum))
            self.wrapper.fail_json(msg="%s must be %s; got '%s'" % (option, bounds, value))
        return seconds

    def label(self):
        return "application '%s' (%s)" % (self.app.get('name') or self.app['id'], self.app['id'])

    def find(self):
        params = self.params
        app = self.service.resolve(params['application_id'], params['name'])
        if app is None:
            what = "with ID '%s'" % params['application_id'] if params['application_id'] else "named '%s'" % params['name']
            self.wrapper.fail_json(msg="No application %s in environment '%s'" % (what, self.environment_id))
        return app

    # -- API calls, with the 403 of a worker's secret explained ---------------------------------

    def api(self, call, *args):
        try:
            return call(self.app['id'], *args)
        except PingOneApiError as exc:
            if exc.status != 403:
                raise
            self.fail_forbidden(exc)
        return None

    def fail_forbidden(self, exc):
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
        self.wrapper.fail_json(msg=text, **extra)

    def rotate(self, expires_at, old_secret):
        """POST; if the reply was lost, read the secret to learn whether the rotation happened."""
        try:
            return self.api(self.service.rotate_secret, expires_at)
        except PingOneConnectionError as exc:
            if not exc.maybe_committed:
                raise
            state = self.api(self.service.get_secret)
            if state.get('secret') and state.get('secret') != old_secret:
                self.warnings.append('The reply to the rotation was lost; the new secret was read back from PingOne')
                return state
            return self.api(self.service.rotate_secret, expires_at)

    # -- the run ---------------------------------------------------------------------------------

    def should_rotate(self, file_state):
        """(rotate?, reason for msg or None)."""
        if self.params['rotate']:
            return True, None
        if self.max_age is None:
            return False, None
        if file_state != SecretFile.CURRENT and file_state != SecretFile.OTHER_MODE:
            if file_state == SecretFile.OTHER_VALUE:
                self.warnings.append('dest %s did not hold the current secret of %s (rotated elsewhere?); it was rewritten '
                                     'and its age for rotate_if_older_than counts from now' % (self.params['dest'], self.label()))
            return False, None
        age = self.file.age()
        if age > self.max_age:
            return True, 'the secret in dest was %s old, more than rotate_if_older_than %s' % (
                format_duration(age), self.params['rotate_if_older_than'])
        return False, 'the secret in dest is %s old, rotate_if_older_than is %s' % (
            format_duration(age), self.params['rotate_if_older_than'])

    def run(self):
        self.app = self.find()
        before = self.api(self.service.get_secret) or {}
        current = before.get('secret')
        file_state = self.file.inspect(current) if self.file else None
        rotate, reason = self.should_rotate(file_state)

        after, parts = before, []
        if rotate:
            expires_at = rfc3339(time.time() + max(self.grace, MIN_GRACE + GRACE_MARGIN)) if self.grace else None
            if self.check_mode:
                after = {'secret': None, 'previous': {'expiresAt': expires_at} if expires_at else None}
            else:
                after = self.rotate(expires_at, current)
            previous = valid_previous(after)
            parts.append('rotated the secret of %s%s; %s' % (
                self.label(), ' (%s)' % reason if reason else '',
                'the previous secret stays valid until %s' % previous['expiresAt'] if previous and previous.get('expiresAt')
                else 'the previous secret stopped working'))

        revoked = False
        if self.params['revoke_previous'] and valid_previous(after):
            if not self.check_mode:
                self.api(self.service.revoke_previous_secret)
            after = {key: value for key, value in after.items() if key != 'previous'}
            revoked = True
            parts.append('revoked the previous secret of %s' % self.label())

        file_after = file_state
        if self.file and (rotate or file_state != SecretFile.CURRENT):
            file_after = SecretFile.CURRENT
            if rotate or file_state != SecretFile.OTHER_MODE:
                if not self.check_mode:
                    self.write(after.get('secret'), rotated=rotate)
                parts.append('wrote the %s to %s' % ('new secret' if rotate else 'secret of %s' % self.label(), self.params['dest']))
            else:
                if not self.check_mode:
                    self.file.fix_mode()
                parts.append('set the mode of %s to 0600' % self.params['dest'])

        if parts:
            msg = '; '.join(parts)
            msg = msg[0].upper() + msg[1:]
        elif self.file:
            msg = 'The secret of %s in %s is up to date' % (self.label(), self.params['dest'])
            if reason:
                msg += ' (%s)' % reason
        else:
            msg = 'Read the secret of %s' % self.label()

        previous_before, previous_after = valid_previous(before), valid_previous(after)
        outcome = dict(
            changed=bool(parts),
            msg=msg,
            rotated=rotate,
            previous_expires_at=(previous_after or {}).get('expiresAt'),
            client_id=self.app.get('clientId') or self.app['id'],
            application_id=self.app['id'],
        )
        if self.file:
            outcome['dest'] = self.params['dest']
        else:
            outcome['secret'] = after.get('secret')
        diff_before = {'secret': '(current)', 'previous_expires_at': (previous_before or {}).get('expiresAt')}
        diff_after = {'secret': '(rotated)' if rotate else '(current)', 'previous_expires_at': outcome['previous_expires_at']}
        if self.file:
            diff_before['dest'], diff_after['dest'] = file_state, file_after
        return outcome, dict(before=diff_before, after=diff_after)

    def write(self, secret, rotated):
        if not secret:
            self.wrapper.fail_json(msg='PingOne returned no secret for %s; dest %s was not written' % (self.label(), self.params['dest']))
        try:
            self.file.write(secret)
        except OSError as exc:
            hint = (' The secret was rotated: run the task again without rotation to write the new secret'
                    if rotated else '')
            self.wrapper.fail_json(msg='Cannot write dest %s: %s.%s' % (self.params['dest'], exc.strerror or exc, hint))


def main():
    wrapper = PingOneModule(
        argument_spec=dict(
            application_argument_spec(),
            state=dict(type='str', default='present', choices=['present']),
            rotate=dict(type='bool', default=False),
            rotate_if_older_than=dict(type='str'),
            previous_secret_grace_period=dict(type='str', no_log=False),
            revoke_previous=dict(type='bool', default=False),
            dest=dict(type='path'),
        ),
        required_one_of=[('application_id', 'name')],
        required_by={'rotate_if_older_than': 'dest'},
        supports_check_mode=True,
    )
    runner = SecretRunner(wrapper)
    try:
        result, diff = runner.run()
    except PingOneError as exc:
        wrapper.fail_from_error(exc)
    except OSError as exc:
        wrapper.fail_json(msg='Cannot read dest %s: %s' % (wrapper.params['dest'], exc.strerror or exc))
    if wrapper.module._diff:
        result['diff'] = diff
    for warning in runner.warnings:
        wrapper.module.warn(warning)
    wrapper.exit_json(**result)


if __name__ == '__main__':
    main()
