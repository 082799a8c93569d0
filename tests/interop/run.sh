#!/usr/bin/env bash
# Interop test: pingone_par_check / pingone_token_check against panva's oidc-provider (an
# OpenID-certified server from the npm registry) on loopback. Needs node and npm.
# Usage: bash tests/interop/run.sh <dir containing ansible_collections>
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
COLLECTIONS=$1
DIR=$(mktemp -d "${TMPDIR:-/tmp}/interop.XXXXXX")
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
cp "$HERE/server.mjs" "$DIR/"
(cd "$DIR" && npm install --silent --no-audit --no-fund --no-save oidc-provider@9.13.3 >/dev/null 2>&1)
python "$HERE/make_clients.py" "$DIR"
node "$DIR/server.mjs" "$DIR/clients.json" "$DIR/ready.json" >"$DIR/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do [ -s "$DIR/ready.json" ] && break; sleep 0.1; done
[ -s "$DIR/ready.json" ] || { cat "$DIR/server.log" >&2; exit 1; }
python - "$DIR" <<'PY'
import json, sys
d = sys.argv[1]
facts = json.load(open(d + '/facts.json'))
facts['issuer'] = json.load(open(d + '/ready.json'))['issuer']
json.dump(facts, open(d + '/facts.json', 'w'))
PY
INTEROP_FACTS="$DIR/facts.json" ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_LOCALHOST_WARNING=false \
    ansible-playbook -i localhost, -e ansible_python_interpreter="$(command -v python)" "$HERE/interop.yml"
