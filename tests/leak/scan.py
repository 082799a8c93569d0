# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Leak scan: no client secret, access token, client assertion or private key in the logs.

Usage: python tests/leak/scan.py --sim-url URL LOGFILE [LOGFILE...]

Fetches the simulator's canaries (GET URL/_sim/canaries: every client secret it issued or verified,
every access token it issued and every client assertion that verified) and looks for each of them in
every given file, and for PEM private key markers. A canary is found as given and in the encodings a
log could carry it in: base64 (standard and URL-safe, padded or not), URL-encoded, JSON-escaped, and
the signature of a JWT on its own. Each line is also searched after URL-decoding it and after
base64-decoding every run that looks like base64, which finds an HTTP Basic header
(``base64(client_id:secret)``) and a secret inside any larger encoded blob. Canaries shorter than 16
characters are ignored. A hit is reported as file:line, kind and encoding, with the value's first 4
characters and its length only (never the value).

Exit status: 0 nothing found, 1 at least one hit, 2 the scan could not check anything (simulator not
reachable, no canaries, a file missing).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import re
import sys
from collections import defaultdict
from urllib.parse import quote, quote_plus, unquote, unquote_plus

import requests

MIN_LENGTH = 16
MAX_REPORTED = 200
PEM_MARKER = "PRIVATE KEY-----"
KINDS = {"client_secrets": "client_secret", "access_tokens": "access_token", "client_assertions": "client_assertion"}
# Runs of the characters secrets, JWTs and their encodings are made of; a canary made only of these can only
# appear inside a run.
ALPHABET = r"A-Za-z0-9._~+/=%\\-"
RUN_RE = re.compile(r"[%s]{%d,}" % (ALPHABET, MIN_LENGTH))
ALPHABET_RE = re.compile(r"[%s]+" % ALPHABET)
BASE64_RUN_RE = re.compile(r"[A-Za-z0-9+/_-]{%d,}={0,2}" % (MIN_LENGTH + 4))


def encoded_forms(value: str) -> dict[str, str]:
    """The forms a value can take in a log: encoding name -> text."""
    raw = value.encode("utf-8")
    forms = {
        "as is": value,
        "JSON-escaped": json.dumps(value)[1:-1],
        "URL-encoded": quote(value, safe=""),
        "form-encoded": quote_plus(value),
        "base64": base64.b64encode(raw).decode("ascii"),
        "base64url": base64.urlsafe_b64encode(raw).decode("ascii"),
    }
    forms["base64 unpadded"] = forms["base64"].rstrip("=")
    forms["base64url unpadded"] = forms["base64url"].rstrip("=")
    parts = value.split(".")
    if len(parts) == 3 and all(parts):
        forms["JWT signature"] = parts[2]
    return forms


def decoded_views(line: str) -> list[tuple[str, str]]:
    """(how, text) views of a line in which an encoded canary appears as given."""
    views = [("", line)]
    for how, decode in (("URL-decoded ", unquote), ("form-decoded ", unquote_plus)):
        text = decode(line)
        if text != line:
            views.append((how, text))
    for match in BASE64_RUN_RE.finditer(line):
        run = match.group().rstrip("=").replace("-", "+").replace("_", "/")
        for offset in range(4):
            chunk = run[offset:]
            try:
                data = base64.b64decode(chunk + "=" * (-len(chunk) % 4))
            except (binascii.Error, ValueError):
                continue
            views.append(("base64-decoded ", data.decode("latin-1")))
    return views


def fetch_canaries(sim_url: str) -> dict[str, list[str]]:
    """The simulator's canary lists, by kind (RuntimeError when they cannot be read)."""
    url = sim_url.rstrip("/") + "/_sim/canaries"
    try:
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise RuntimeError(f"cannot read {url}: {exc}") from exc
    if not isinstance(doc, dict):
        raise RuntimeError(f"{url} did not return a JSON object")
    result = {}
    for kind in KINDS:
        values = doc.get(kind)
        if not isinstance(values, list):
            raise RuntimeError(f"{url} has no list {kind!r}")
        result[kind] = [value for value in values if isinstance(value, str)]
    return result


class Scanner:
    """Finds canaries (exact substrings) and PEM private key markers in text, line by line."""

    def __init__(self, canaries: dict[str, list[str]]) -> None:
        # form -> (kind, encoding, canary); forms of the secret/JWT/encoding alphabet are indexed by their first
        # 16 characters, any other form is searched with a plain substring test.
        self.origin_of: dict[str, tuple[str, str, str]] = {}
        self.kind_of: dict[str, str] = {}
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        self.others: list[str] = []
        self.counts = {label: 0 for label in KINDS.values()}
        for kind, values in canaries.items():
            for value in values:
                if len(value) < MIN_LENGTH or value in self.kind_of:
                    continue
                self.kind_of[value] = KINDS[kind]
                self.counts[KINDS[kind]] += 1
                for encoding, form in encoded_forms(value).items():
                    if len(form) < MIN_LENGTH or form in self.origin_of:
                        continue
                    self.origin_of[form] = (KINDS[kind], encoding, value)
                    if ALPHABET_RE.fullmatch(form):
                        self.by_prefix[form[:MIN_LENGTH]].append(form)
                    else:
                        self.others.append(form)

    def _find(self, text: str) -> set[str]:
        found: set[str] = set()
        for match in RUN_RE.finditer(text):
            run = match.group()
            for start in range(len(run) - MIN_LENGTH + 1):
                for form in self.by_prefix.get(run[start:start + MIN_LENGTH], ()):
                    if run.startswith(form, start):
                        found.add(form)
        found.update(form for form in self.others if form in text)
        return found

    def scan_line(self, line: str) -> set[tuple[str, str]]:
        """(kind with encoding, value) pairs found in one line; value is '' for a private key marker."""
        found: set[tuple[str, str]] = set()
        if PEM_MARKER in line:
            found.add(("private_key", ""))
        for how, text in decoded_views(line):
            for form in self._find(text):
                kind, encoding, value = self.origin_of[form]
                label = kind if (encoding, how) == ("as is", "") else "%s (%s%s)" % (kind, how, encoding)
                found.add((label, value))
        return found


def describe(kind: str, value: str) -> str:
    """A hit without the secret: its kind, first 4 characters and length."""
    if not value:
        return f"{kind} (PEM marker '{PEM_MARKER}')"
    return f"{kind} {value[:4]}... ({len(value)} characters)"


def scan_files(scanner: Scanner, paths: list[str]) -> list[str]:
    """Every hit as 'file:line: description'."""
    hits = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                for kind, value in sorted(scanner.scan_line(line)):
                    hits.append(f"{path}:{number}: {describe(kind, value)}")
    return hits


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sim-url", required=True, help="simulator base URL (the one the tests used)")
    parser.add_argument("logfiles", nargs="+", metavar="LOGFILE", help="files to scan")
    args = parser.parse_args(argv)
    try:
        canaries = fetch_canaries(args.sim_url)
    except RuntimeError as exc:
        print(f"leak scan: {exc}", file=sys.stderr)
        return 2
    scanner = Scanner(canaries)
    print("leak scan: canaries checked: " + ", ".join(f"{kind} {count}" for kind, count in scanner.counts.items())
          + f", plus the marker '{PEM_MARKER}'")
    if not scanner.kind_of:
        print("leak scan: the simulator recorded no canaries of 16 characters or more: a scan that checks nothing cannot pass",
              file=sys.stderr)
        return 2
    try:
        hits = scan_files(scanner, args.logfiles)
    except OSError as exc:
        print(f"leak scan: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"leak scan: {len(args.logfiles)} file(s) scanned")
    for hit in hits[:MAX_REPORTED]:
        print(f"LEAK {hit}")
    if len(hits) > MAX_REPORTED:
        print(f"... and {len(hits) - MAX_REPORTED} more")
    if hits:
        print(f"leak scan: FAILED, {len(hits)} hit(s)")
        return 1
    print("leak scan: no leaks found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
