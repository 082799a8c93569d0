# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""For tests of paths that are not what they seem: links, FIFOs, devices and files planted by another user.

The ``sticky`` fixture (a directory like /tmp) is in tests/unit/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import signal

import pytest

OTHER_UID = 65534  # nobody
needs_root = pytest.mark.skipif(not hasattr(os, 'geteuid') or os.geteuid() != 0,
                                reason='planting a file of another user needs root (os.chown)')


@contextlib.contextmanager
def no_hang(seconds=10):
    """Fail instead of hanging (a FIFO opened for reading without O_NONBLOCK blocks until a writer comes)."""
    def alarm(signum, frame):
        raise AssertionError('blocked for %d seconds' % seconds)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
