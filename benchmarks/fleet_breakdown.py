# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a no-change run of pingone_applications spends its time inside the controller (the action plugin's way).

    python benchmarks/fleet_breakdown.py ENV VARS_FILE [--runs 7]

Runs the task's own code (``run_on_controller`` with the fleet's options, checks and run, as the action plugin does)
against the environment ENV with the definitions of VARS_FILE (``bench_applications``, as ``fleet_helper.py
definitions`` writes it), RUNS times, timing each step by wrapping the function that does it, and prints the median
milliseconds of each step. The connection comes from the PINGONE_* variables (scripts/lib.sh, export_simulator_env).
Needs the collection importable (ANSIBLE_COLLECTIONS_PATH or PYTHONPATH with ansible_collections/pingone/oidc).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from ansible.module_utils.common import arg_spec

from ansible_collections.pingone.oidc.plugins.module_utils import _applications, _client, _fleet, _fleet_task, _module

# (label, owner, attribute): the steps, in the order a run takes them
STEPS = (
    ('argument validation of every definition', arg_spec.ArgumentSpecValidator, 'validate'),
    ('definition checks (names, duplicates)', _fleet_task, 'check_options'),
    ('the token request', _client.PingOneClient, 'request_token'),
    ('the list of the environment', _applications.ApplicationsService, 'list'),
    ('the plan: every definition compared', _fleet, 'plan'),
    ('what the applications hold, resolved (none declared)', _fleet.HoldingsRun, 'resolve'),
    ('the report: results, msg, diff', _fleet_task.FleetRun, 'report'),
    ('masking the result (no_log values)', _module.PingOneContext, 'masked'),
)


def timed(spent, label, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
    return wrapper


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('environment_id')
    parser.add_argument('vars_file')
    parser.add_argument('--runs', type=int, default=7)
    args = parser.parse_args()
    with open(args.vars_file) as handle:
        definitions = json.load(handle)['bench_applications']
    task_args = dict(environment_id=args.environment_id, applications=definitions, max_requests_per_second=1000.0)
    spent = {}
    for label, owner, attribute in STEPS:
        setattr(owner, attribute, timed(spent, label, getattr(owner, attribute)))
    totals = {label: [] for label, dummy, dummy in STEPS}
    totals['the whole run'] = []
    for dummy in range(args.runs):
        spent.clear()
        started = time.perf_counter()
        values, dummy = _module.run_on_controller('pingone.oidc.pingone_applications', _fleet_task.OPTIONS, task_args,
                                                  _fleet_task.ensure, _fleet_task.check_options)
        totals['the whole run'].append(time.perf_counter() - started)
        if values.get('failed') or values.get('changed'):
            raise SystemExit('the run was not a no-change run: %s' % values.get('msg'))
        # the first request of the list asks for the token: count it once
        spent['the list of the environment'] = spent.get('the list of the environment', 0.0) - spent.get('the token request', 0.0)
        for label, dummy, dummy in STEPS:
            totals[label].append(spent.get(label, 0.0))
    print('| step (%d definitions, median of %d runs) | ms |' % (len(definitions), args.runs))
    print('|---|---:|')
    for label, values in totals.items():
        print('| %s | %.0f |' % (label, 1000 * statistics.median(values)))


if __name__ == '__main__':
    main()
