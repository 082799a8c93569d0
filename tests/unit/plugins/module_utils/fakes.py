# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A scripted stand-in for requests.Session and a fake clock, for client unit tests."""

from __future__ import annotations

import json

import requests


class FakeResponse:
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})
        if body is None:
            self.content = b''
        elif isinstance(body, (dict, list)):
            self.content = json.dumps(body).encode()
        else:
            self.content = body.encode()
        self.text = self.content.decode()

    def json(self):
        return json.loads(self.text)


class FakeSession:
    """Answers each request with the next scripted item (a FakeResponse or an exception)."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, **kwargs):
        self.calls.append(dict(method=method, url=url, **kwargs))
        if not self.script:
            raise AssertionError('unexpected request %s %s' % (method, url))
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


TOKEN_OK = FakeResponse(200, {'access_token': 'tok-1', 'token_type': 'Bearer', 'expires_in': 3600})


def token(value='tok-1', expires_in=3600):
    return FakeResponse(200, {'access_token': value, 'token_type': 'Bearer', 'expires_in': expires_in})


def p1_error(status, code, message, details=None, headers=None):
    body = {'id': '6c796712-0f16-4062-815a-e0a92f4a2143', 'code': code, 'message': message}
    if details:
        body['details'] = details
    return FakeResponse(status, body, headers)
