# Shared by .ci/run and scripts/demo.sh: venv, collection work tree, local PingOne simulator.
# shellcheck shell=bash

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VENV=${VENV:-$REPO/.venv}
PYTHON_BIN=${PYTHON_BIN:-python3.11}
SIM_PID=""

log() { printf '=== %s\n' "$*" >&2; }

# Create the venv when missing and install the pinned tools (quietly; pip is a no-op when up to date).
ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REPO/requirements-dev.txt" 2>&1 \
        | grep -v "is ignored: it is neither a file nor a directory" || true
    export PATH="$VENV/bin:$PATH"
}

# Copy the tracked (and untracked, not ignored) files into $WORK/ansible_collections/pingone/oidc:
# ansible-test only runs from inside an ansible_collections tree and refuses symlinks.
make_collection_copy() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/pingone-oidc.XXXXXX")
    COLL=$WORK/ansible_collections/pingone/oidc
    mkdir -p "$COLL"
    git -C "$REPO" ls-files -co --exclude-standard -z \
        | (cd "$REPO" && tar --null --ignore-failed-read -cf - -T - 2>/dev/null) | tar -xf - -C "$COLL"
    export WORK COLL
}

# Start the simulator on a free loopback port with fresh random worker credentials.
# Sets SIM_URL, SIM_PID, SIM_ENV_ID, SIM_CLIENT_ID, SIM_CLIENT_SECRET.
start_simulator() {
    local dir=$1
    mkdir -p "$dir"
    SIM_ENV_ID=$("$VENV/bin/python" -c 'import uuid; print(uuid.uuid4())')
    SIM_CLIENT_ID=$("$VENV/bin/python" -c 'import uuid; print(uuid.uuid4())')
    SIM_CLIENT_SECRET=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))')
    rm -f "$dir/ready.json"
    "$VENV/bin/python" "$REPO/simulator/serve.py" --host 127.0.0.1 --port 0 --quiet \
        --ready-file="$dir/ready.json" --admin-environment-id="$SIM_ENV_ID" \
        --worker-client-id="$SIM_CLIENT_ID" --worker-client-secret="$SIM_CLIENT_SECRET" \
        >"$dir/simulator.log" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 100); do
        [ -s "$dir/ready.json" ] && break
        if ! kill -0 "$SIM_PID" 2>/dev/null; then
            log "simulator failed to start:"; cat "$dir/simulator.log" >&2; return 1
        fi
        sleep 0.1
    done
    [ -s "$dir/ready.json" ] || { log "simulator did not become ready"; return 1; }
    SIM_URL=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$dir/ready.json")
    export SIM_URL SIM_PID SIM_ENV_ID SIM_CLIENT_ID SIM_CLIENT_SECRET
    log "simulator pid $SIM_PID at $SIM_URL"
}

stop_simulator() {
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    SIM_PID=""
}

# The PINGONE_* variables the modules read, pointing at the simulator.
export_simulator_env() {
    export PINGONE_API_URL="$SIM_URL/v1" PINGONE_AUTH_URL="$SIM_URL" PINGONE_ENVIRONMENT_ID="$SIM_ENV_ID" \
        PINGONE_CLIENT_ID="$SIM_CLIENT_ID" PINGONE_CLIENT_SECRET="$SIM_CLIENT_SECRET"
}
