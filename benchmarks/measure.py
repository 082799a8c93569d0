# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run one command and print, as one JSON line, its wall time and the memory of its process tree (Linux only).

    python benchmarks/measure.py [--watch PID] LOG -- COMMAND [ARG...]

The command's output goes to LOG. Reported:

* ``seconds``: wall time from start to exit;
* ``cpu_seconds``: user + system CPU time of the command and every descendant it waited for (``wait4``);
* ``max_rss_kib``: the largest resident set of any ONE process of the tree (the command or a descendant it waited
  for), from ``wait4``'s ``ru_maxrss``: what ``/usr/bin/time -v`` reports as "Maximum resident set size";
* ``tree_rss_kib`` and ``tree_pss_kib``: the peak over time of the SUM over the live tree, sampled every
  ``--interval`` seconds from ``/proc/<pid>/smaps_rollup``. RSS counts the pages that forked processes share
  (copy-on-write) once per process; PSS shares them out, so it is the tree's real footprint. Short-lived
  processes between two samples are missed;
* ``exit``: the command's exit status;
* ``load_before``: the 1-minute load average when the command started;
* ``others_cpu_seconds``: the CPU time the rest of the machine used meanwhile (all CPUs busy or stolen, from
  ``/proc/stat``, less the command's tree, the watched process and this sampler): other work competing for the CPUs;
* with ``--watch PID``, ``watched_cpu_seconds``: the CPU time another process (the simulator) spent meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def children_map():
    """pid -> list of child pids, for every process visible in /proc."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry, encoding='utf-8', errors='replace') as handle:
                fields = handle.read().rpartition(')')[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def tree(root):
    children = children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def memory(pid):
    """(RSS, PSS) of one process in KiB, (0, 0) when it is gone."""
    rss = pss = 0
    try:
        with open('/proc/%d/smaps_rollup' % pid, encoding='utf-8') as handle:
            for line in handle:
                if line.startswith('Rss:'):
                    rss = int(line.split()[1])
                elif line.startswith('Pss:'):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid):
    """User + system CPU seconds of a running process, from /proc/<pid>/stat."""
    with open('/proc/%d/stat' % pid, encoding='utf-8', errors='replace') as handle:
        fields = handle.read().rpartition(')')[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def machine_busy_seconds():
    """CPU seconds the machine has been busy (user, nice, system, irq, softirq, steal) since boot."""
    with open('/proc/stat', encoding='utf-8') as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    return (sum(fields[0:3]) + sum(fields[5:8])) / os.sysconf('SC_CLK_TCK')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--interval', type=float, default=0.1)
    parser.add_argument('--watch', type=int, help='also report the CPU time this process spends meanwhile')
    parser.add_argument('log')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error('no command')
    peak_rss = peak_pss = 0
    watched = cpu_seconds(args.watch) if args.watch else None
    with open('/proc/loadavg', encoding='utf-8') as handle:
        load_before = float(handle.read().split()[0])
    busy = machine_busy_seconds()
    own = resource.getrusage(resource.RUSAGE_SELF)
    with open(args.log, 'wb') as log:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        while True:
            # wait4, not Popen.poll: only wait4 hands back the rusage of the command's tree
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss = pss = 0
            for member in tree(process.pid):
                one_rss, one_pss = memory(member)
                rss, pss = rss + one_rss, pss + one_pss
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(args.interval)
        seconds = time.monotonic() - started
        busy = machine_busy_seconds() - busy
        now = resource.getrusage(resource.RUSAGE_SELF)
        busy -= (now.ru_utime + now.ru_stime) - (own.ru_utime + own.ru_stime)
        process.returncode = os.waitstatus_to_exitcode(status)
    report = dict(seconds=round(seconds, 3), cpu_seconds=round(usage.ru_utime + usage.ru_stime, 3),
                  max_rss_kib=usage.ru_maxrss, tree_rss_kib=peak_rss, tree_pss_kib=peak_pss, load_before=load_before)
    others = busy - report['cpu_seconds']
    if watched is not None:
        report['watched_cpu_seconds'] = round(cpu_seconds(args.watch) - watched, 3)
        others -= report['watched_cpu_seconds']
    report['others_cpu_seconds'] = round(max(others, 0.0), 3)
    report['exit'] = process.returncode
    print(json.dumps(report))
    return 0


if __name__ == '__main__':
    sys.exit(main())
