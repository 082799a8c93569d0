# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The leak scan finds a secret in every encoding a log could carry it in, and nothing else."""

from __future__ import annotations

import base64
import json
import os
import sys
from urllib.parse import quote, quote_plus

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from scan import Scanner  # noqa: E402 pylint: disable=wrong-import-position

SECRET = "Xq3~k9.Zr_T-8vWm2pLs/+nB4=hJ"
CLIENT_ID = "5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10"
ASSERTION = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWFzc2VydGlvbg"
SCANNER = Scanner({"client_secrets": [SECRET], "access_tokens": [], "client_assertions": [ASSERTION]})


def b64(text, alphabet=base64.b64encode):
    return alphabet(text.encode()).decode()


@pytest.mark.parametrize("line", [
    "secret=%s" % SECRET,
    '"client_secret": %s' % json.dumps(SECRET),
    "client_secret=%s&grant_type=client_credentials" % quote_plus(SECRET),
    "body: %s" % quote(SECRET, safe=""),
    "x %s y" % b64(SECRET),
    "x %s y" % b64(SECRET).rstrip("="),
    "x %s y" % b64(SECRET, base64.urlsafe_b64encode).rstrip("="),
    "Authorization: Basic %s" % b64("%s:%s" % (quote(CLIENT_ID, safe=""), quote(SECRET, safe=""))),
    "blob %s" % b64(json.dumps({"headers": {"x": "y"}, "secret": SECRET})),
])
def test_a_secret_is_found_in_every_encoding(line):
    assert {value for kind, value in SCANNER.scan_line(line)} == {SECRET}


def test_the_signature_of_a_jwt_alone_is_a_leak():
    kinds = SCANNER.scan_line("sig=%s" % ASSERTION.rsplit(".", 1)[1])
    assert kinds == {("client_assertion (JWT signature)", ASSERTION)}


def test_clean_lines_and_pem_markers():
    assert SCANNER.scan_line("ok: [localhost] => changed=false Basic %s" % b64("%s:other-secret-value-000" % CLIENT_ID)) == set()
    assert SCANNER.scan_line("-----BEGIN PRIVATE KEY-----") == {("private_key", "")}
