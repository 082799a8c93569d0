# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What benchmarks/fleet.sh asks of the simulator and of its results, outside the measured runs.

    python benchmarks/fleet_helper.py environment NAME          # a fresh simulator environment; prints its ID
    python benchmarks/fleet_helper.py stats [--reset]            # GET (or DELETE) /_sim/stats
    python benchmarks/fleet_helper.py definitions N DESC FILE    # the fleet's vars file: bench_applications
    python benchmarks/fleet_helper.py seed ENV N DESC            # create bench-app-1..N directly (not measured)
    python benchmarks/fleet_helper.py drift ENV N                # change the description of every 10th application
    python benchmarks/fleet_helper.py check ENV N DESC           # {"present": .., "converged": ..} as JSON
    python benchmarks/fleet_helper.py table RESULTS [--rst FILE] # the Markdown table of a results file (JSON lines)

The connection comes from the PINGONE_* variables and SIM_URL (scripts/lib.sh, export_simulator_env).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import requests

PREFIX = 'bench-app-'
DRIFTED = 'Changed by hand (benchmarks/fleet_helper.py drift)'
APPROACHES = ('fleet', 'loop', 'uri')
PHASES = ('create', 'no change', 'drift 10 %')
ROUTES = (  # by_route keys of /_sim/stats, in the order of the breakdown
    ('token', 'POST /{envId}/as/token'),
    ('list', 'GET /v1/environments/{envId}/applications'),
    ('POST', 'POST /v1/environments/{envId}/applications'),
    ('PUT', 'PUT /v1/environments/{envId}/applications/{appId}'),
)
TIMEOUT = 60


def sim(method, path, **kwargs):
    response = requests.request(method, '%s/_sim/%s' % (os.environ['SIM_URL'], path), timeout=TIMEOUT, **kwargs)
    response.raise_for_status()
    return response


class Api:
    """The management API with a fresh worker token."""

    def __init__(self, environment_id):
        token = requests.post('%s/%s/as/token' % (os.environ['PINGONE_AUTH_URL'], os.environ['PINGONE_ENVIRONMENT_ID']),
                              data={'grant_type': 'client_credentials'}, timeout=TIMEOUT,
                              auth=(os.environ['PINGONE_CLIENT_ID'], os.environ['PINGONE_CLIENT_SECRET']))
        token.raise_for_status()
        self.session = requests.Session()
        self.session.headers['Authorization'] = 'Bearer ' + token.json()['access_token']
        self.base = '%s/environments/%s/applications' % (os.environ['PINGONE_API_URL'], environment_id)

    def call(self, method, url, **kwargs):
        response = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        response.raise_for_status()
        return response.json()

    def bench_apps(self):
        """name -> application, for every bench-app-* (the simulator of the benchmark does not page)."""
        apps = self.call('GET', self.base)['_embedded']['applications']
        return {app['name']: app for app in apps if app['name'].startswith(PREFIX)}


def definitions(count, description):
    return [dict(name='%s%d' % (PREFIX, number), type='WORKER', enabled=True, description=description)
            for number in range(1, count + 1)]


def drifted_numbers(count):
    """Every 10th application: 10 % of them when the count is a multiple of 10."""
    return [number for number in range(1, count + 1) if number % 10 == 0]


def command_seed(args):
    api = Api(args.environment)
    body = dict(type='WORKER', protocol='OPENID_CONNECT', enabled=True, grantTypes=['CLIENT_CREDENTIALS'],
                tokenEndpointAuthMethod='CLIENT_SECRET_BASIC', description=args.description)
    missing = [item for item in definitions(args.count, args.description) if item['name'] not in api.bench_apps()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda item: api.call('POST', api.base, json=dict(body, name=item['name'])), missing))
    print(len(missing))


def command_drift(args):
    api = Api(args.environment)
    apps = api.bench_apps()
    changed = 0
    for number in drifted_numbers(args.count):
        app = apps['%s%d' % (PREFIX, number)]
        body = {key: value for key, value in app.items() if key != '_links'}
        body['description'] = DRIFTED
        api.call('PUT', '%s/%s' % (api.base, app['id']), json=body)
        changed += 1
    print(changed)


def command_check(args):
    apps = Api(args.environment).bench_apps()
    wanted = {item['name'] for item in definitions(args.count, args.description)}
    converged = [name for name, app in apps.items() if name in wanted and app.get('description') == args.description
                 and app.get('enabled') is True and app.get('type') == 'WORKER']
    print(json.dumps(dict(present=len(apps), converged=len(converged))))


def ratio(seconds, base):
    value = seconds / base
    return '%.1fx' % value if value < 10 else '%.0fx' % value


def size(count):
    """Bytes in KiB below 10 MiB, else in MiB."""
    return '%.0f KiB' % (count / 1024.0) if count < 10 * 2 ** 20 else '%.0f MiB' % (count / 2.0 ** 20)


def mib(kib):
    return kib / 1024.0


def medians(results):
    """One result per N, approach and phase: of repeated runs, the one of median wall time (with the range of all)."""
    groups = {}
    for row in results:
        groups.setdefault((row['n'], row['approach'], row['phase']), []).append(row)
    chosen = []
    for rows in groups.values():
        measured = sorted((row for row in rows if row.get('measure')), key=lambda row: row['measure']['seconds'])
        if len(measured) < 2:
            chosen.append(rows[0])
            continue
        row = dict(measured[(len(measured) - 1) // 2])
        row['spread'] = (len(measured), measured[0]['measure']['seconds'], measured[-1]['measure']['seconds'])
        chosen.append(row)
    return chosen


def rows_of(results):
    """Table rows (lists of cells), with each run's wall time relative to the fleet's for the same N and phase."""
    results = medians(results)
    fleet = {(row['n'], row['phase']): row['measure']['seconds'] for row in results if row['approach'] == 'fleet'}
    rows = []
    order = {name: index for index, name in enumerate(APPROACHES)}
    phases = {name: index for index, name in enumerate(PHASES)}
    for row in sorted(results, key=lambda row: (row['n'], phases[row['phase']], order[row['approach']])):
        stats, measure, check = row.get('stats'), row.get('measure'), row.get('check') or {}
        if measure is None:
            rows.append([str(row['n']), row['phase'], row['approach']] + ['-'] * (len(HEADER) - 4) + [row.get('note', '')])
            continue
        by_route = dict(stats['by_route'])
        parts = []
        for label, route in ROUTES:
            if by_route.get(route):
                parts.append('%d %s' % (by_route.pop(route), label))
        parts.extend('%d %s' % (value, key) for key, value in sorted(by_route.items()))
        seconds = measure['seconds']
        base = fleet.get((row['n'], row['phase']))
        rows.append([
            str(row['n']), row['phase'], row['approach'], str(stats['total']), ' + '.join(parts) or '0',
            size(stats['response_bytes']),
            '%.1f' % seconds + (' (%d runs: %.1f to %.1f)' % row['spread'] if row.get('spread') else ''),
            '%.1f' % measure['cpu_seconds'],
            '%.1f' % measure['watched_cpu_seconds'] if 'watched_cpu_seconds' in measure else '-',
            '%.1f' % (measure['others_cpu_seconds'] / seconds) if 'others_cpu_seconds' in measure else '-',
            ratio(seconds, base) if base and row['approach'] != 'fleet' else '1x',
            '%.0f' % mib(measure['max_rss_kib']), '%.0f' % mib(measure['tree_pss_kib']),
            row.get('note') or ('%d of %d' % (check['converged'], row['n']) if check else ''),
        ])
    return rows


HEADER = ['apps', 'phase', 'approach', 'requests', 'requests by kind', 'response bytes', 'wall s', 'controller CPU s',
          'simulator CPU s', 'other work, CPUs', 'wall vs fleet', 'largest process RSS MiB', 'tree PSS MiB', 'converged after']


def command_table(args):
    with open(args.results, encoding='utf-8') as handle:
        results = [json.loads(line) for line in handle if line.strip()]
    rows = rows_of(results)
    loads = [row['measure']['load_before'] for row in results if 'load_before' in (row.get('measure') or {})]
    if loads:
        print('1-minute load average when each run started: %.2f to %.2f (median %.2f).'
              % (min(loads), max(loads), sorted(loads)[len(loads) // 2]))
        print()
    print('| %s |' % ' | '.join(HEADER))
    print('|%s|' % '|'.join('---' if index in (1, 2, 4, len(HEADER) - 1) else '---:' for index in range(len(HEADER))))
    for cells in rows:
        print('| %s |' % ' | '.join(cells))
    if args.rst:
        with open(args.rst, 'w', encoding='utf-8') as handle:
            handle.write('.. list-table::\n   :header-rows: 1\n\n')
            for cells in [HEADER] + rows:
                handle.write('   * - %s\n' % (cells[0] or '\\'))
                for cell in cells[1:]:
                    handle.write('     - %s\n' % (cell.replace('*', '\\*') if cell else ''))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('environment').add_argument('name')
    sub.add_parser('stats').add_argument('--reset', action='store_true')
    one = sub.add_parser('definitions')
    one.add_argument('count', type=int)
    one.add_argument('description')
    one.add_argument('file')
    for name in ('seed', 'check'):
        one = sub.add_parser(name)
        one.add_argument('environment')
        one.add_argument('count', type=int)
        one.add_argument('description')
    one = sub.add_parser('drift')
    one.add_argument('environment')
    one.add_argument('count', type=int)
    one = sub.add_parser('table')
    one.add_argument('results')
    one.add_argument('--rst')
    args = parser.parse_args()
    if args.command == 'environment':
        print(sim('POST', 'environments', json=dict(name=args.name)).json()['id'])
    elif args.command == 'stats' and args.reset:
        sim('DELETE', 'stats')
    elif args.command == 'stats':
        print(json.dumps(sim('GET', 'stats').json()))
    elif args.command == 'definitions':
        with open(args.file, 'w', encoding='utf-8') as handle:
            json.dump(dict(bench_applications=definitions(args.count, args.description)), handle)
    else:
        globals()['command_' + args.command](args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
