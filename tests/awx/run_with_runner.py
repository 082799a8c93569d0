# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run playbooks/site.yml the way AWX does: through ansible-runner, with nothing but the
environment variables that the documented credential type (extensions/awx/) injects.

Usage: python tests/awx/run_with_runner.py <collections dir> <api url> <auth url> <env id> <client id>
(the client secret comes from the PINGONE_TEST_CLIENT_SECRET variable, never from argv).
Exits 0 when the play succeeded, the secret is nowhere in the job output and events, and the second run
changed nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import ansible_runner

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import credential_type  # noqa: E402 pylint: disable=wrong-import-position


def run_once(private_data_dir, envvars):
    result = ansible_runner.run(private_data_dir=private_data_dir, playbook='site.yml', envvars=envvars,
                                suppress_env_files=True, quiet=True)
    return result.rc, result.status, result.stats or {}


def main(argv):
    collections_dir, api_url, auth_url, environment_id, client_id = argv[1:6]
    secret = os.environ.pop('PINGONE_TEST_CLIENT_SECRET')
    # nothing but the injected variables: drop any PINGONE_* this process inherited
    for name in [name for name in os.environ if name.startswith('PINGONE_')]:
        del os.environ[name]
    inputs = dict(environment_id=environment_id, client_id=client_id, client_secret=secret, region='NA',
                  api_url=api_url, auth_url=auth_url)
    work = tempfile.mkdtemp(prefix='awx-runner-')
    try:
        os.makedirs(os.path.join(work, 'project'))
        os.makedirs(os.path.join(work, 'inventory'))
        shutil.copy(os.path.join(ROOT, 'playbooks', 'site.yml'), os.path.join(work, 'project', 'site.yml'))
        with open(os.path.join(work, 'inventory', 'hosts'), 'w', encoding='utf-8') as handle:
            handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
        envvars = credential_type.injected_env(credential_type.load(), inputs)
        envvars.update(ANSIBLE_COLLECTIONS_PATH=collections_dir, PINGONE_DEMO_DIR=os.path.join(work, 'credentials'),
                       ANSIBLE_NOCOLOR='1')
        first = run_once(work, envvars)
        second = run_once(work, envvars)
        leaks = []
        for directory, dummy, files in os.walk(os.path.join(work, 'artifacts')):
            for name in files:
                if name == 'command':
                    # ansible-runner's own record of the command line and the whole process
                    # environment (secrets included, as documented); it is deleted below
                    continue
                with open(os.path.join(directory, name), 'rb') as handle:
                    if secret.encode() in handle.read():
                        leaks.append(os.path.relpath(os.path.join(directory, name), work))
        print('first run: rc=%s status=%s changed=%s' % (first[0], first[1], first[2].get('changed')))
        print('second run: rc=%s status=%s changed=%s' % (second[0], second[1], second[2].get('changed')))
        problems = []
        if first[0] != 0 or second[0] != 0:
            problems.append('a run failed')
        if second[2].get('changed'):
            problems.append('the second run changed something')
        if leaks:
            problems.append('the worker secret is in the artifacts: %s' % ', '.join(sorted(leaks)))
        for problem in problems:
            print('FAILED: %s' % problem)
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)  # artifacts may hold credentials: never keep them


if __name__ == '__main__':
    sys.exit(main(sys.argv))
