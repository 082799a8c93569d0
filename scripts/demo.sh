#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs the demo playbook against the bundled PingOne
# simulator: bash scripts/demo.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$REPO/scripts/lib.sh"
export NO_COLOR=1 ANSIBLE_NOCOLOR=1

ensure_venv
# ansible-playbook is happy with a symlinked collection (ansible-test is not).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pingone-demo.XXXXXX")
mkdir -p "$WORK/ansible_collections/pingone"
ln -s "$REPO" "$WORK/ansible_collections/pingone/oidc"
trap 'stop_simulator; rm -rf "$WORK"' EXIT

start_simulator "$WORK/sim"
export_simulator_env
export PINGONE_DEMO_DIR="$WORK/credentials"
export ANSIBLE_COLLECTIONS_PATH="$WORK" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
log "first run: creates the applications"
ansible-playbook "$REPO/playbooks/site.yml" "$@"
log "second run: nothing changes"
ansible-playbook "$REPO/playbooks/site.yml" "$@" | tee "$WORK/second-run.log"
grep -q "changed=0 " "$WORK/second-run.log" || { log "the second run changed something"; exit 1; }
