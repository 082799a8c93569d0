# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Application operations of the management API, on top of ``PingOneClient`` (no Ansible)."""

from __future__ import annotations

from urllib.parse import quote

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneError

# Built-in applications every environment has; they are not user-managed OIDC apps.
SYSTEM_APPLICATION_TYPES = frozenset((
    'PING_ONE_ADMIN_CONSOLE', 'PING_ONE_SELF_SERVICE', 'PING_ONE_PORTAL',
))
# Response members that must never leave a module (PingOne only echoes them on import-style
# creates, but a sanitiser that does not rely on that is cheaper than a leak).
SECRET_MEMBERS = frozenset(('clientSecret',))


def _seg(value):
    return quote(str(value), safe='')


class ApplicationLookupError(PingOneError):
    """The name matches several applications, or the match is not an OpenID Connect application."""


def sanitize_application(app):
    """A copy of an application (or any API object) without secret members and HAL links."""
    return {key: value for key, value in (app or {}).items() if key not in SECRET_MEMBERS and key != '_links'}


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
        return list(self.client.iterate(self.base, operation, 'applications'))

    def get(self, application_id):
        """The application, or None when PingOne answers 404."""
        operation = "Reading application '%s' in environment '%s'" % (application_id, self.environment_id)
        try:
            return self.client.request('GET', '%s/%s' % (self.base, _seg(application_id)), operation).body
        except PingOneApiError as exc:
            if not exc.is_not_found:
                raise
            self.require_environment()
            return None

    def find_by_name(self, name, include_system=False):
        """Every application whose name equals ``name`` ignoring case (names are not unique)."""
        wanted = name.casefold()
        return [app for app in self.list()
                if (app.get('name') or '').casefold() == wanted and (include_system or not is_system_application(app))]

    def resolve(self, application_id=None, name=None, oidc_only=True):
        """The application with this ID, else the one with this name (ignoring case), else None.

        Raises ApplicationLookupError when several applications share the name (PingOne does
        not require unique names) or when ``oidc_only`` and the match is not OpenID Connect.
        """
        if application_id:
            app = self.get(application_id)
        else:
            matches = self.find_by_name(name)
            if len(matches) > 1:
                raise ApplicationLookupError(
                    "%d applications are named '%s' in environment '%s' (IDs %s); set application_id to choose one"
                    % (len(matches), name, self.environment_id, ', '.join(sorted(app['id'] for app in matches))))
            app = matches[0] if matches else None
        if app and oidc_only and app.get('protocol') != 'OPENID_CONNECT':
            raise ApplicationLookupError(
                "Application '%s' (%s) is a %s application, not an OpenID Connect one"
                % (app.get('name'), app.get('id'), app.get('protocol')))
        return app

    def create(self, body):
        operation = "Creating application '%s' in environment '%s'" % (body.get('name'), self.environment_id)
        return self.client.request('POST', self.base, operation, json_body=body, expected=(201,)).body

    def update(self, application_id, body):
        """Full replacement (PingOne's PUT clears whatever the body leaves out)."""
        operation = "Updating application '%s' (%s) in environment '%s'" % (body.get('name'), application_id, self.environment_id)
        return self.client.request('PUT', '%s/%s' % (self.base, _seg(application_id)), operation, json_body=body).body

    def delete(self, application_id):
        """Delete; True when deleted, False when it was already gone."""
        operation = "Deleting application '%s' in environment '%s'" % (application_id, self.environment_id)
        try:
            self.client.request('DELETE', '%s/%s' % (self.base, _seg(application_id)), operation, expected=(204,))
        except PingOneApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True

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
        self.client.request('GET', 'environments/%s' % _seg(self.environment_id), operation)
