#!/usr/bin/env bash
# Fleets: pingone.oidc.pingone_applications (one task for the whole list) side by side with today's per-application
# loop (benchmarks/module_converge.yml) and the list-only ansible.builtin.uri play (benchmarks/uri_converge.yml), for
# the phases create, no change and "drift 10 %", against the bundled simulator. A command, not a test.
#   bash benchmarks/fleet.sh [N...]        application counts, default: 10 100 500 1000
# Environment:
#   BENCH_LOOP_MAX     (500) the per-application loop runs only for N up to this, and the uri play's create (a loop
#                      of POSTs) too; above it the uri play's environment is filled directly, unmeasured
#   BENCH_FORKS        (the number of CPUs) inventory hosts and forks of the loop and uri plays
#   BENCH_CONCURRENCY  (4) and BENCH_RATE (1000): the fleet task's concurrency and max_requests_per_second
#   BENCH_REPEAT       (3) runs of "no change" and "drift 10 %" for fleet and uri (a few seconds each): the table
#                      shows the run of median wall time; the loop and every create run once
#   BENCH_OUT          also write the Markdown table there; BENCH_RST: the table as an RST list-table there;
#   BENCH_JSON         every run's measurements, one JSON line each (benchmarks/fleet_helper.py table renders them)
# After the fleet's runs of each N, benchmarks/fleet_breakdown.py times the steps of a no-change run in the controller.
# About 15 minutes on 2 cores with the defaults, most of it the loop at 500. Results: benchmarks/README.md,
# docs/docsite/rst/performance.rst.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
source "$REPO/scripts/lib.sh"
export NO_COLOR=1 ANSIBLE_NOCOLOR=1

[ $# -gt 0 ] || set -- 10 100 500 1000
for n in "$@"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { log "not an application count: $n"; exit 2; }
done
FORKS=${BENCH_FORKS:-$(nproc 2>/dev/null || echo 2)}
LOOP_MAX=${BENCH_LOOP_MAX:-500}
REPEAT=${BENCH_REPEAT:-3}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { log "BENCH_REPEAT is not a count: $REPEAT"; exit 2; }
CONCURRENCY=${BENCH_CONCURRENCY:-4}
RATE=${BENCH_RATE:-1000}
DESCRIPTION="Benchmark application"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

ensure_venv
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pingone-fleet-bench.XXXXXX")
mkdir -p "$WORK/ansible_collections/pingone"
ln -s "$REPO" "$WORK/ansible_collections/pingone/oidc"
trap 'stop_simulator; rm -rf "$WORK"' EXIT

start_simulator "$WORK/sim"
export_simulator_env
export ANSIBLE_COLLECTIONS_PATH="$WORK" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ANSIBLE_FORKS="$FORKS"
{
    echo "[bench]"
    for i in $(seq 1 "$FORKS"); do
        echo "bench$i ansible_connection=local ansible_python_interpreter=$VENV/bin/python"
    done
} > "$WORK/inventory.ini"

helper() { python "$REPO/benchmarks/fleet_helper.py" "$@"; }
RESULTS=$WORK/results.jsonl
: > "$RESULTS"

# skipped N APPROACH PHASE NOTE: one row without a measurement
skipped() {
    python -c 'import json, sys; print(json.dumps(dict(n=int(sys.argv[1]), approach=sys.argv[2], phase=sys.argv[3], note=sys.argv[4])))' \
        "$@" >> "$RESULTS"
}

# measure N APPROACH PHASE ENVIRONMENT [RUN]: zero the counters, run the approach's playbook once (measure.py: wall,
# CPU, memory), read the counters, check the applications, and record the row.
measure() {
    local n=$1 approach=$2 phase=$3 env_id=$4 run=${5:-1} playbook extra=() label measured stats check
    case $approach in
        fleet) playbook=fleet_converge.yml
               extra=(-e "@$WORK/fleet-$n.json" -e "bench_concurrency=$CONCURRENCY" -e "bench_max_requests_per_second=$RATE") ;;
        loop) playbook=module_converge.yml ;;
        uri) playbook=uri_converge.yml ;;
    esac
    label="$approach-$n-${phase// /-}-$run"
    helper stats --reset
    measured=$(python "$REPO/benchmarks/measure.py" --watch "$SIM_PID" "$WORK/$label.log" -- \
        ansible-playbook -i "$WORK/inventory.ini" "$REPO/benchmarks/$playbook" \
        -e "bench_environment_id=$env_id" -e "bench_app_count=$n" -e "bench_description='$DESCRIPTION'" "${extra[@]}")
    stats=$(helper stats)
    if [[ $measured != *'"exit": 0}' ]]; then
        log "$label failed: $measured"; tail -n 30 "$WORK/$label.log" >&2; exit 1
    fi
    check=$(helper check "$env_id" "$n" "$DESCRIPTION")
    python -c 'import json, sys
n, approach, phase, run, measured, stats, check = sys.argv[1:]
print(json.dumps(dict(n=int(n), approach=approach, phase=phase, run=int(run), measure=json.loads(measured),
                      stats=json.loads(stats), check=json.loads(check))))' \
        "$n" "$approach" "$phase" "$run" "$measured" "$stats" "$check" >> "$RESULTS"
    log "$n $approach $phase ($run): $measured $(python -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["total"], "requests", s["response_bytes"], "bytes")' "$stats") converged $check"
}

for n in "$@"; do
    helper definitions "$n" "$DESCRIPTION" "$WORK/fleet-$n.json"
    for approach in fleet uri loop; do
        if [ "$approach" = loop ] && [ "$n" -gt "$LOOP_MAX" ]; then
            for phase in create "no change" "drift 10 %"; do skipped "$n" loop "$phase" "not run (N > $LOOP_MAX)"; done
            continue
        fi
        env_id=$(helper environment "fleet-bench-$approach-$n")
        if [ "$approach" = uri ] && [ "$n" -gt "$LOOP_MAX" ]; then
            helper seed "$env_id" "$n" "$DESCRIPTION" >/dev/null
            skipped "$n" uri create "not run (N > $LOOP_MAX): created directly"
        else
            measure "$n" "$approach" create "$env_id"
        fi
        runs=$REPEAT
        [ "$approach" != loop ] || runs=1
        for run in $(seq 1 "$runs"); do
            measure "$n" "$approach" "no change" "$env_id" "$run"
        done
        for run in $(seq 1 "$runs"); do
            helper drift "$env_id" "$n" >/dev/null
            measure "$n" "$approach" "drift 10 %" "$env_id" "$run"
        done
        # the fleet's environment is converged now: where a no-change run spends its time, step by step
        [ "$approach" != fleet ] || PYTHONPATH="$WORK" python "$REPO/benchmarks/fleet_breakdown.py" "$env_id" "$WORK/fleet-$n.json" \
            > "$WORK/breakdown-$n.md"
    done
done

table=$WORK/results.md
{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) CPU cores ($(uname -sm)), load average $LOAD_START at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end,"
    echo "Python $(python -c 'import platform; print(platform.python_version())'), ansible-core $(python -c 'from ansible.release import __version__; print(__version__)'),"
    echo "forks $FORKS (loop, uri), fleet concurrency $CONCURRENCY and max_requests_per_second $RATE, against the bundled simulator."
    echo
    helper table "$RESULTS" ${BENCH_RST:+--rst "$BENCH_RST"}
    for n in "$@"; do
        echo
        cat "$WORK/breakdown-$n.md"
    done
} > "$table"
[ -z "${BENCH_OUT:-}" ] || cp "$table" "$BENCH_OUT"
[ -z "${BENCH_JSON:-}" ] || cp "$RESULTS" "$BENCH_JSON"
cat "$table"
