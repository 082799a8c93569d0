# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Application operations of the management API, on top of ``PingOneClient`` (no Ansible)."""

from __future__ import annotations

from ansible_collections.pingone.oidc.plugins.module_utils import _lookup
from ansible_collections.pingone.oidc.plugins.module_utils._client import segment as _seg
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneLookupError,
    PingOneOptionError,
)

# Built-in applications every environment has; they are not user-managed OIDC apps.
SYSTEM_APPLICATION_TYPES = frozenset((
    'PING_ONE_ADMIN_CONSOLE', 'PING_ONE_SELF_SERVICE', 'PING_ONE_PORTAL',
))
# Response members that must never leave a module (PingOne only echoes them on import-style
# creates, but a sanitiser that does not rely on that is cheaper than a leak).
SECRET_MEMBERS = frozenset(('clientSecret',))
# The options that name one application (documented in the ``application`` doc fragment).
APPLICATION_OPTIONS = dict(
    environment_id=dict(type='str'),
    application_id=dict(type='str'),
    name=dict(type='str'),
)
# The ``state`` of every module that makes an application, or something of one, present or absent.
PRESENT_OR_ABSENT = dict(type='str', default='present', choices=['present', 'absent'])


def sanitize_application(app):
    """A copy of an application (or any API object) without secret members and HAL links."""
    return {key: value for key, value in (app or {}).items() if key not in SECRET_MEMBERS and key != '_links'}


def is_own_worker(app, environment_id, worker_environment_id, worker_client_id):
    """Whether ``app`` (of ``environment_id``) is the worker the module authenticates as."""
    return bool(app) and environment_id == worker_environment_id and worker_client_id in (app.get('id'), app.get('clientId'))


def refuse_own_worker(app, environment_id, worker_environment_id, worker_client_id, doing):
    """PingOneOptionError when ``app`` is the worker the module authenticates as: deleting or replacing it would
    lock every later run out (its credentials would stop working half way through this one)."""
    if is_own_worker(app, environment_id, worker_environment_id, worker_client_id):
        raise PingOneOptionError("Application '%s' (%s) is the worker this task authenticates as (pingone_client_id); "
                                 "%s it would lock this and every later run out: use another worker for that"
                                 % (app.get('name'), app.get('id'), doing))


def oldest(apps):
    """The application created first (by createdAt, then ID): the one every racing run agrees to keep."""
    return min(apps, key=lambda app: (str(app.get('createdAt') or '~'), str(app.get('id'))))


def is_system_application(app):
    return app.get('type') in SYSTEM_APPLICATION_TYPES


class ApplicationsService:
    """List, read and find applications of one environment."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.base = 'environments/%s/applications' % _seg(environment_id)

    def list(self):
        operation = "Listing applications of environment '%s'" % self.environment_id
        return list(self.client.iterate(self.base, operation, 'applications', subject='environment'))

    def get(self, application_id):
        """The application, or None when there is none with this ID (in an environment that exists)."""
        operation = "Reading application '%s' in environment '%s'" % (application_id, self.environment_id)
        app = self.client.read('%s/%s' % (self.base, _seg(application_id)), operation, subject='application')
        if app is None:
            self.require_environment()
        return app

    def find_by_name(self, name, include_system=False):
        """Every application whose name equals ``name`` ignoring case (names are not unique)."""
        return [app for app in _lookup.named(self.list(), name) if include_system or not is_system_application(app)]

    def resolve(self, application_id=None, name=None, oidc_only=True):
        """The application with this ID, else the one with this name (ignoring case), else None.

        Raises PingOneLookupError when several applications share the name (PingOne does not
        require unique names), when the match is one of PingOne's own system applications, or
        when ``oidc_only`` and the match is not OpenID Connect.
        """
        if application_id:
            app = self.get(application_id)
        else:
            matches = self.find_by_name(name, include_system=True)
            system = [match for match in matches if is_system_application(match)]
            app = system[0] if system else _lookup.unique(
                matches, 'application', name, " in environment '%s'" % self.environment_id, 'application_id')
        if app and is_system_application(app):
            raise PingOneLookupError(
                "Application '%s' (%s) is PingOne's own %s application: this collection neither changes nor deletes it, and "
                "no other application may take its name" % (app.get('name'), app.get('id'), app.get('type')))
        if app and oidc_only and app.get('protocol') != 'OPENID_CONNECT':
            raise PingOneLookupError(
                "Application '%s' (%s) is a %s application, not an OpenID Connect one"
                % (app.get('name'), app.get('id'), app.get('protocol')))
        return app

    def require(self, application_id=None, name=None):
        """The existing application named by ID or name; PingOneLookupError when there is none."""
        if not application_id and not name:  # both given as null or "" (required_one_of counts them as given)
            raise PingOneOptionError('application_id or name is required: both are empty')
        app = self.resolve(application_id, name)
        if app is None:
            wanted = "with application_id '%s'" % application_id if application_id else "'%s'" % name
            raise PingOneLookupError("Application %s does not exist in environment '%s'; create it first with "
                                     "pingone.oidc.pingone_application" % (wanted, self.environment_id))
        return app

    def create(self, body):
        """Create once. When the outcome is unknown, look for the application by name (polling a while) before
        sending again; returns (application, warning or None)."""
        operation = "Creating application '%s' in environment '%s'" % (body.get('name'), self.environment_id)
        try:
            return self.client.request('POST', self.base, operation, json_body=body, expected=(201,)).body, None
        except (PingOneConnectionError, PingOneApiError) as exc:
            if not exc.maybe_committed:
                raise
        found = self.client.settle(lambda: self.find_by_name(body['name']), bool)
        if found:
            return oldest(found), ('The create request had no clear outcome (no reply, or HTTP 500/502/504); the '
                                   'application it made was found by name')
        return self.client.request('POST', self.base, operation, json_body=body, expected=(201,)).body, (
            'The first create request had no reply and made nothing that could be found; it was sent once more')

    def keep_one(self, created, listed=None):
        """After a create: when another run created an application of the same name meanwhile, keep the oldest
        (by createdAt, then ID) and delete the one this run made. Returns (kept application, warning or None).

        ``listed`` is a listing of the environment read after the create (one listing can serve many creates)."""
        apps = self.list() if listed is None else listed
        twins = [app for app in _lookup.named(apps, created['name']) if not is_system_application(app)]
        if len(twins) < 2 or created['id'] not in [twin['id'] for twin in twins]:
            return created, None
        kept = oldest(twins)
        if kept['id'] != created['id']:
            self.delete(created['id'])
            return kept, ("Another run created application '%s' at the same time; this run's copy (%s) was deleted and "
                          "the older one (%s) kept" % (created['name'], created['id'], kept['id']))
        others = ', '.join(sorted(twin['id'] for twin in twins if twin['id'] != kept['id']))
        return kept, ("Another run created application '%s' at the same time; this one (%s) is the older and is kept; "
                      "the other run removes its copy (%s)" % (created['name'], kept['id'], others))

    def update(self, application_id, body, landed=None):
        """Full replacement (PingOne's PUT clears whatever the body leaves out).

        When the outcome is unknown (no reply, or 500/502/504) and ``landed(application)`` says whether the change is
        there, the application is read again (a few times) and the PUT is sent once more only if it never showed.
        """
        operation = "Updating application '%s' (%s) in environment '%s'" % (body.get('name'), application_id, self.environment_id)
        path = '%s/%s' % (self.base, _seg(application_id))
        try:
            return self.client.request('PUT', path, operation, json_body=body).body
        except (PingOneConnectionError, PingOneApiError) as exc:
            if not exc.maybe_committed or landed is None:
                raise
        current = self.client.settle(lambda: self.get(application_id), lambda app: app is not None and landed(app))
        if current is not None:
            return current
        return self.client.request('PUT', path, operation, json_body=body).body

    def delete(self, application_id):
        """Delete; True when deleted, False when it was already gone."""
        operation = "Deleting application '%s' in environment '%s'" % (application_id, self.environment_id)
        return self.client.delete('%s/%s' % (self.base, _seg(application_id)), operation, subject='application')

    # -- client secret -------------------------------------------------------------------------
    # PingOne answers 403 on a WORKER application's secret when the caller lacks one of that
    # worker's roles (a guard against privilege escalation); modules explain that case.

    def _secret_path(self, application_id):
        return '%s/%s/secret' % (self.base, _seg(application_id))

    def get_secret(self, application_id):
        """{"secret": ..., "previous": {"secret", "expiresAt", "lastUsed"}?} of the application."""
        operation = "Reading the secret of application '%s' in environment '%s'" % (application_id, self.environment_id)
        return self.client.request('GET', self._secret_path(application_id), operation).body

    def rotate_secret(self, application_id, previous_expires_at=None):
        """A new secret; the replaced one stays valid until ``previous_expires_at`` (RFC 3339) if given."""
        operation = "Rotating the secret of application '%s' in environment '%s'" % (application_id, self.environment_id)
        body = {'previous': {'expiresAt': previous_expires_at}} if previous_expires_at else None
        return self.client.request('POST', self._secret_path(application_id), operation, json_body=body).body

    def revoke_previous_secret(self, application_id):
        operation = "Revoking the previous secret of application '%s' in environment '%s'" % (application_id, self.environment_id)
        self.client.request('DELETE', self._secret_path(application_id), operation, expected=(204,))

    def require_environment(self):
        """Raise the API error when the environment itself does not exist (or is not visible)."""
        operation = "Reading environment '%s'" % self.environment_id
        self.client.request('GET', 'environments/%s' % _seg(self.environment_id), operation, subject='environment')
