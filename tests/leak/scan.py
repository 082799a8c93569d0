# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Leak scan (issue 8): no client secret, access token, client assertion or private key in the logs.

Usage: python tests/leak/scan.py --sim-url URL LOGFILE [LOGFILE...]

Fetches the simulator's canaries (GET URL/_sim/canaries: every client secret it issued or verified,
every access token it issued and every client assertion that verified) and looks for each of them, as an
exact substring, in every given file, and for PEM private key markers. Canaries shorter than 16
characters are ignored. A hit is reported as file:line and kind, with the value's first 4 characters
and its length only (never the value).

Exit status: 0 nothing found, 1 at least one hit, 2 the scan could not check anything (simulator not
reachable, no canaries, a file missing).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict

import requests

MIN_LENGTH = 16
PEM_MARKER = "PRIVATE KEY-----"
KINDS = {"client_secrets": "client_secret", "access_tokens": "access_token", "client_assertions": "client_assertion"}
# Runs of the characters PingOne secrets and JWTs are made of; a canary made only of these can only appear inside a run.
RUN_RE = re.compile(r"[A-Za-z0-9._~-]{%d,}" % MIN_LENGTH)
ALPHABET_RE = re.compile(r"[A-Za-z0-9._~-]+")
MAX_REPORTED = 200


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
        # canary -> kind; canaries of the secret/JWT alphabet are indexed by their first 16 characters,
        # any other canary is searched with a plain substring test.
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
                if ALPHABET_RE.fullmatch(value):
                    self.by_prefix[value[:MIN_LENGTH]].append(value)
                else:
                    self.others.append(value)

    def scan_line(self, line: str) -> set[tuple[str, str]]:
        """(kind, value) pairs found in one line; value is '' for a private key marker."""
        found: set[tuple[str, str]] = set()
        if PEM_MARKER in line:
            found.add(("private_key", ""))
        for match in RUN_RE.finditer(line):
            run = match.group()
            for start in range(len(run) - MIN_LENGTH + 1):
                for value in self.by_prefix.get(run[start:start + MIN_LENGTH], ()):
                    if run.startswith(value, start):
                        found.add((self.kind_of[value], value))
        for value in self.others:
            if value in line:
                found.add((self.kind_of[value], value))
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
