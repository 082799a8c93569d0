"""Offline stand-in for get-pip.py used by ansible-test to bootstrap pip into new venvs.

ansible-test downloads get-pip.py from a server this CI cannot reach; it first looks for a
cached copy in ~/.ansible/test/cache/, where .ci/run puts this file.
"""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
# ensurepip must run in a subprocess: it blanks the pip configuration (PIP_CONFIG_FILE=/dev/null)
# of the process it runs in, and then the following pip call can't see this machine's pip.conf
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
