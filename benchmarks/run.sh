#!/usr/bin/env bash
# Request and wall-time benchmark of pingone.oidc.pingone_application against the bundled simulator,
# side by side with a hand-written ansible.builtin.uri playbook doing the same job.
#   bash benchmarks/run.sh [N...]      application counts, default: 10 100 (add 500 when you have minutes)
# Environment: BENCH_FORKS (default: the number of CPUs), BENCH_OUT (also write the Markdown table there).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
source "$REPO/scripts/lib.sh"
export NO_COLOR=1 ANSIBLE_NOCOLOR=1

[ $# -gt 0 ] || set -- 10 100
for n in "$@"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { log "not an application count: $n"; exit 2; }
done
FORKS=${BENCH_FORKS:-$(nproc 2>/dev/null || echo 2)}

ensure_venv
# ansible-playbook is happy with a symlinked collection (ansible-test is not).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pingone-bench.XXXXXX")
mkdir -p "$WORK/ansible_collections/pingone"
ln -s "$REPO" "$WORK/ansible_collections/pingone/oidc"
trap 'stop_simulator; rm -rf "$WORK"' EXIT

start_simulator "$WORK/sim"
export_simulator_env
export ANSIBLE_COLLECTIONS_PATH="$WORK" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ANSIBLE_FORKS="$FORKS"

# One local host per fork; the playbooks share the applications out between them.
{
    echo "[bench]"
    for i in $(seq 1 "$FORKS"); do
        echo "bench$i ansible_connection=local ansible_python_interpreter=$VENV/bin/python"
    done
} > "$WORK/inventory.ini"

sim() { curl -fsS -X "$1" "$SIM_URL/_sim/$2" "${@:3}"; }

new_environment() {
    sim POST environments -H 'Content-Type: application/json' -d "{\"name\": \"$1\"}" \
        | python -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}

# run LABEL PLAYBOOK ENVIRONMENT N: one playbook run; prints "requests seconds".
run() {
    local label=$1 playbook=$2 env_id=$3 n=$4 started ended
    sim DELETE stats
    started=$(date +%s.%N)
    if ! ansible-playbook -i "$WORK/inventory.ini" "$REPO/benchmarks/$playbook" \
            -e "bench_environment_id=$env_id" -e "bench_app_count=$n" >"$WORK/$label.log" 2>&1; then
        log "$label failed:"; tail -n 30 "$WORK/$label.log" >&2; exit 1
    fi
    ended=$(date +%s.%N)
    sim GET stats | python -c 'import json, sys; print(json.load(sys.stdin)["total"], end=" ")'
    python -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$started" "$ended"
}

# The number of applications named bench-app-* in an environment (with a fresh worker token).
count_apps() {
    python - "$1" <<'PY'
import os, sys, requests
env = sys.argv[1]
token = requests.post('%s/%s/as/token' % (os.environ['PINGONE_AUTH_URL'], os.environ['PINGONE_ENVIRONMENT_ID']),
                      data={'grant_type': 'client_credentials'}, timeout=30,
                      auth=(os.environ['PINGONE_CLIENT_ID'], os.environ['PINGONE_CLIENT_SECRET'])).json()['access_token']
apps = requests.get('%s/environments/%s/applications' % (os.environ['PINGONE_API_URL'], env), timeout=30,
                    headers={'Authorization': 'Bearer ' + token}).json()['_embedded']['applications']
print(sum(1 for app in apps if app['name'].startswith('bench-app-')))
PY
}

rows=()
row() {  # row N PLAYBOOK-LABEL RUN "REQUESTS SECONDS"
    local n=$1 tool=$2 what=$3 requests seconds
    read -r requests seconds <<<"$4"
    rows+=("$(python -c 'import sys
n, tool, what, requests, seconds = sys.argv[1:]
n, requests, seconds = int(n), int(requests), float(seconds)
print("| %d | %s | %s | %d | %.2f | %.1f | %.3f |" % (n, tool, what, requests, requests / n, seconds, seconds / n))' \
        "$n" "$tool" "$what" "$requests" "$seconds")")
    log "${rows[-1]}"
}

for n in "$@"; do
    for tool in module uri; do
        env_id=$(new_environment "bench-$tool-$n")
        row "$n" "$tool" create "$(run "$tool-$n-create" "${tool}_converge.yml" "$env_id" "$n")"
        row "$n" "$tool" "no change" "$(run "$tool-$n-again" "${tool}_converge.yml" "$env_id" "$n")"
        found=$(count_apps "$env_id")
        [ "$found" -eq "$n" ] || { log "$tool: $found applications instead of $n"; exit 1; }
    done
done

table=$WORK/results.md
{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) CPU cores ($(uname -sm)), Python $(python -c 'import platform; print(platform.python_version())'),"
    echo "ansible-core $(python -c 'from ansible.release import __version__; print(__version__)'), forks $FORKS, against the bundled simulator."
    echo
    echo "| apps | playbook | run | requests | requests/app | wall s | s/app |"
    echo "|---:|---|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
} > "$table"
[ -z "${BENCH_OUT:-}" ] || cp "$table" "$BENCH_OUT"
cat "$table"
