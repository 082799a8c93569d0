# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The private-file writer and the destination check: mode 0600 from creation, atomic replacement, no leftovers."""

from __future__ import annotations

import os
import stat
import textwrap
import uuid

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _files
from ansible_collections.pingone.oidc.tests.unit.child import run_python
from ansible_collections.pingone.oidc.tests.unit.unsafe_paths import OTHER_UID, needs_root, no_hang


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def umask():
    """Set a umask for the test and restore the previous one."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.fixture
def fixed_temp_name(monkeypatch):
    """Make the writer's temporary name predictable: returns the temporary path it will use for a target."""
    token = uuid.UUID('12345678123456781234567812345678')
    monkeypatch.setattr(_files.uuid, 'uuid4', lambda: token)
    return lambda target: os.path.join(os.path.dirname(target), '.%s.%s.tmp' % (os.path.basename(target), token.hex))


@pytest.mark.parametrize('mask', [0o000, 0o022, 0o077, 0o777])
def test_the_file_is_0600_whatever_the_umask(tmp_path, umask, mask):
    umask(mask)
    target = tmp_path / 'secret'
    _files.write_private_file(str(target), b'value')
    assert target.read_bytes() == b'value'
    assert mode(target) == 0o600
    assert os.listdir(tmp_path) == ['secret']


def test_the_file_is_0600_from_its_first_byte(tmp_path, monkeypatch):
    """The temporary file is created with mode 0600 and O_EXCL | O_NOFOLLOW, and is 0600 before any byte is written."""
    real_open, real_fsync = os.open, os.fsync
    opened, seen = [], []

    def spying_open(path, flags, *args):
        if str(path).endswith('.tmp'):
            opened.append((path, flags, args))
        return real_open(path, flags, *args)

    def spying_fsync(descriptor):
        info = os.fstat(descriptor)
        if stat.S_ISREG(info.st_mode):
            seen.append((stat.S_IMODE(info.st_mode), info.st_size))
        return real_fsync(descriptor)

    monkeypatch.setattr(_files.os, 'open', spying_open)
    monkeypatch.setattr(_files.os, 'fsync', spying_fsync)
    _files.write_private_file(str(tmp_path / 'secret'), b'value')
    assert len(opened) == 1
    path, flags, args = opened[0]
    assert os.path.dirname(path) == str(tmp_path)  # same directory, so the rename is atomic
    assert flags & os.O_CREAT and flags & os.O_EXCL and flags & os.O_NOFOLLOW
    assert args == (0o600,)
    assert seen == [(0o600, 5)]  # synced once, complete and private


@pytest.mark.parametrize('step, code, message', [
    ('fsync', 28, 'No space left on device'),  # a failed write
    ('replace', 13, 'Permission denied'),  # a failed rename
])
def test_nothing_is_left_after_a_failed_step(tmp_path, monkeypatch, step, code, message):
    target = tmp_path / 'secret'
    target.write_bytes(b'old')
    target.chmod(0o600)

    def broken(*args):
        raise OSError(code, message)

    monkeypatch.setattr(_files.os, step, broken)
    with pytest.raises(OSError, match=message):
        _files.write_private_file(str(target), b'new')
    assert os.listdir(tmp_path) == ['secret']
    assert target.read_bytes() == b'old'


def test_nothing_is_left_after_an_interruption(tmp_path, monkeypatch):
    def interrupted_replace(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(_files.os, 'replace', interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        _files.write_private_file(str(tmp_path / 'secret'), b'new')
    assert os.listdir(tmp_path) == []


def test_a_symlink_at_the_temporary_path_is_not_followed(tmp_path, fixed_temp_name):
    target = tmp_path / 'secret'
    victim = tmp_path / 'victim'
    victim.write_bytes(b'precious')
    victim.chmod(0o644)
    planted = fixed_temp_name(str(target))
    os.symlink(str(victim), planted)
    with pytest.raises(FileExistsError):
        _files.write_private_file(str(target), b'new')
    assert victim.read_bytes() == b'precious' and mode(victim) == 0o644
    assert os.path.islink(planted)  # not ours: left alone
    assert not target.exists()


def test_a_dangling_symlink_at_the_temporary_path_is_not_followed(tmp_path, fixed_temp_name):
    target = tmp_path / 'secret'
    elsewhere = tmp_path / 'elsewhere'
    planted = fixed_temp_name(str(target))
    os.symlink(str(elsewhere), planted)
    with pytest.raises(FileExistsError):
        _files.write_private_file(str(target), b'new')
    assert not elsewhere.exists()


def test_the_replacement_is_atomic(tmp_path, monkeypatch):
    """Up to the rename the target holds the old content; the rename swaps in the complete new file."""
    target = tmp_path / 'secret'
    target.write_bytes(b'old')
    reader = open(target, 'rb')  # pylint: disable=consider-using-with
    old_inode = os.stat(target).st_ino
    real_replace = os.replace
    states = []

    def watching_replace(source, destination):
        with open(source, 'rb') as handle:
            states.append((target.read_bytes(), handle.read(), mode(source)))
        return real_replace(source, destination)

    monkeypatch.setattr(_files.os, 'replace', watching_replace)
    try:
        _files.write_private_file(str(target), b'new value')
        assert states == [(b'old', b'new value', 0o600)]
        assert target.read_bytes() == b'new value' and mode(target) == 0o600
        assert os.stat(target).st_ino != old_inode  # a new file took the name; the old one was never truncated
        assert reader.read() == b'old'
    finally:
        reader.close()
    assert os.listdir(tmp_path) == ['secret']


def test_the_directory_is_synced_after_the_rename(tmp_path, monkeypatch):
    real_fsync, real_replace = os.fsync, os.replace
    events = []
    monkeypatch.setattr(_files.os, 'fsync', lambda fd: (events.append('dir' if stat.S_ISDIR(os.fstat(fd).st_mode) else 'file'),
                                                        real_fsync(fd))[1])
    monkeypatch.setattr(_files.os, 'replace', lambda *args: (events.append('replace'), real_replace(*args))[1])
    _files.write_private_file(str(tmp_path / 'secret'), b'x')
    assert events == ['file', 'replace', 'dir']


def test_a_directory_that_cannot_be_synced_does_not_fail_the_write(tmp_path, monkeypatch):
    real_fsync = os.fsync

    def fsync(descriptor):
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(22, 'Invalid argument')
        return real_fsync(descriptor)

    monkeypatch.setattr(_files.os, 'fsync', fsync)
    _files.write_private_file(str(tmp_path / 'secret'), b'x')
    assert (tmp_path / 'secret').read_bytes() == b'x'


def test_an_existing_file_of_another_mode_is_replaced_by_a_0600_one(tmp_path):
    target = tmp_path / 'secret'
    target.write_bytes(b'old')
    target.chmod(0o644)
    _files.write_private_file(str(target), b'new')
    assert target.read_bytes() == b'new' and mode(target) == 0o600


def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path):
    """The writer writes the path it is given; a caller that writes through a link resolves it first."""
    real = tmp_path / 'real'
    real.write_bytes(b'old')
    link = tmp_path / 'link'
    os.symlink(str(real), str(link))
    _files.write_private_file(str(link), b'new')
    assert not os.path.islink(link) and link.read_bytes() == b'new'
    assert real.read_bytes() == b'old'


def test_a_relative_path_is_written_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _files.write_private_file('secret', b'x')
    assert (tmp_path / 'secret').read_bytes() == b'x' and os.listdir(tmp_path) == ['secret']


def test_destination_problems(tmp_path):
    assert _files.destination_problem(str(tmp_path / 'secret')) is None
    (tmp_path / 'secret').write_text('x')
    assert _files.destination_problem(str(tmp_path / 'secret')) is None
    assert _files.destination_problem(str(tmp_path)) == (_files.IS_DIRECTORY, str(tmp_path.parent))
    missing = tmp_path / 'missing'
    assert _files.destination_problem(str(missing / 'secret')) == (_files.NO_DIRECTORY, str(missing))


@pytest.mark.skipif(hasattr(os, 'geteuid') and os.geteuid() == 0, reason='root may write anywhere')
def test_a_read_only_directory_is_a_problem(tmp_path):
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert _files.destination_problem(str(locked / 'secret')) == (_files.NOT_WRITABLE, str(locked))
    finally:
        locked.chmod(0o700)


# -- which path is written: links, FIFOs, files planted by another user ---------------------------------------------

def test_a_missing_file_or_a_plain_file_is_its_own_target(tmp_path):
    assert _files.private_target(str(tmp_path / 'secret')) == str(tmp_path / 'secret')
    (tmp_path / 'secret').write_text('x')
    assert _files.private_target(str(tmp_path / 'secret')) == str(tmp_path / 'secret')
    assert _files.private_target(str(tmp_path / 'missing' / 'secret')) == str(tmp_path / 'missing' / 'secret')


def test_an_own_link_in_a_private_directory_is_followed(tmp_path):
    real = tmp_path / 'real'
    real.write_text('x')
    (tmp_path / 'link').symlink_to(real)
    assert _files.private_target(str(tmp_path / 'link')) == str(real)
    (tmp_path / 'dangling').symlink_to(tmp_path / 'new')
    assert _files.private_target(str(tmp_path / 'dangling')) == str(tmp_path / 'new')


def test_a_link_in_a_sticky_directory_is_refused(tmp_path, sticky):
    real = tmp_path / 'real'
    real.write_text('precious')
    (sticky / 'secret').symlink_to(real)
    with pytest.raises(_files.UnsafePath, match='is a symbolic link in %s, a directory other users can write to' % sticky):
        _files.private_target(str(sticky / 'secret'))


@needs_root
def test_a_link_planted_by_another_user_is_refused(tmp_path):
    real = tmp_path / 'real'
    real.write_text('precious')
    link = tmp_path / 'secret'
    link.symlink_to(real)
    os.lchown(str(link), OTHER_UID, OTHER_UID)
    with pytest.raises(_files.UnsafePath, match=r'is a symbolic link owned by another user \(uid 65534\); it is not followed'):
        _files.private_target(str(link))


@needs_root
def test_a_link_to_a_file_of_another_user_is_refused(tmp_path):
    real = tmp_path / 'theirs'
    real.write_text('theirs')
    os.chown(str(real), OTHER_UID, OTHER_UID)
    (tmp_path / 'secret').symlink_to(real)
    with pytest.raises(_files.UnsafePath, match=r'is a symbolic link to %s, which belongs to another user \(uid 65534\)' % real):
        _files.private_target(str(tmp_path / 'secret'))


@needs_root
def test_a_file_of_another_user_in_a_sticky_directory_is_refused(sticky):
    planted = sticky / 'secret'
    planted.write_text('planted')
    os.chown(str(planted), OTHER_UID, OTHER_UID)
    with pytest.raises(_files.UnsafePath, match=r'belongs to another user \(uid 65534\) and is in %s' % sticky):
        _files.private_target(str(planted))


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / 'fifo'
    os.mkfifo(str(fifo))
    with no_hang():
        with pytest.raises(_files.UnsafePath, match=r'is not a regular file \(a FIFO\)'):
            _files.private_target(str(fifo))
        with pytest.raises(_files.UnsafePath, match=r'is not a regular file \(a FIFO\)'):
            _files.read_regular_file(str(fifo), 100)
        with pytest.raises(_files.UnsafePath, match=r'is not a regular file \(a FIFO\)'):
            _files.restrict_mode(str(fifo))


def test_a_device_is_refused():
    """Only looked at and read, never written: a writer that replaced the path would replace the device."""
    with pytest.raises(_files.UnsafePath, match=r'is not a regular file \(a character device\)'):
        _files.private_target('/dev/zero')
    with no_hang():
        with pytest.raises(_files.UnsafePath, match=r'a character device'):
            _files.read_regular_file('/dev/zero', 100)


def test_read_regular_file_reads_at_most_one_byte_past_the_limit(tmp_path):
    path = tmp_path / 'file'
    path.write_bytes(b'x' * 1000)
    data, info = _files.read_regular_file(str(path), 10)
    assert data == b'x' * 11 and info.st_size == 1000
    assert _files.read_regular_file(str(path), 5000)[0] == b'x' * 1000


def test_read_regular_file_can_refuse_links(tmp_path):
    (tmp_path / 'real').write_text('x')
    (tmp_path / 'link').symlink_to(tmp_path / 'real')
    assert _files.read_regular_file(str(tmp_path / 'link'), 10)[0] == b'x'
    with pytest.raises(OSError):
        _files.read_regular_file(str(tmp_path / 'link'), 10, follow=False)


def test_restrict_mode_sets_0600_and_never_follows_a_link(tmp_path):
    real = tmp_path / 'real'
    real.write_text('x')
    real.chmod(0o644)
    (tmp_path / 'link').symlink_to(real)
    with pytest.raises(OSError):
        _files.restrict_mode(str(tmp_path / 'link'))
    assert mode(real) == 0o644
    _files.restrict_mode(str(real))
    assert mode(real) == 0o600


@pytest.mark.parametrize('file_mode, problem', [
    (0o600, None), (0o400, None), (0o640, 'has mode 0640: other users can read or write it'),
    (0o644, 'has mode 0644: other users can read or write it'), (0o620, 'has mode 0620: other users can read or write it'),
])
def test_private_file_problem_by_mode(tmp_path, file_mode, problem):
    path = tmp_path / 'key'
    path.write_text('x')
    path.chmod(file_mode)
    assert _files.private_file_problem(os.stat(path)) == problem


@needs_root
def test_private_file_problem_of_a_file_of_another_user(tmp_path):
    path = tmp_path / 'key'
    path.write_text('x')
    path.chmod(0o600)
    os.chown(str(path), OTHER_UID, OTHER_UID)
    assert _files.private_file_problem(os.stat(path)) == 'belongs to another user (uid 65534)'


# -- proving that a file can be written before a change that cannot be undone -----------------------------------------

def test_prove_writable_leaves_nothing_behind(tmp_path):
    (tmp_path / 'secret').write_bytes(b'old')
    _files.prove_writable(str(tmp_path / 'secret'), 4096)
    assert os.listdir(tmp_path) == ['secret'] and (tmp_path / 'secret').read_bytes() == b'old'


def test_prove_writable_writes_the_whole_size_and_syncs(tmp_path, monkeypatch):
    real_fsync = os.fsync
    seen = []

    def spying_fsync(descriptor):
        info = os.fstat(descriptor)
        seen.append((stat.S_IMODE(info.st_mode), info.st_size))
        return real_fsync(descriptor)

    monkeypatch.setattr(_files.os, 'fsync', spying_fsync)
    _files.prove_writable(str(tmp_path / 'secret'), 300)
    assert seen == [(0o600, 300)]
    assert not os.listdir(tmp_path)


def test_prove_writable_fails_on_a_file_size_limit_and_leaves_nothing(tmp_path):
    """RLIMIT_FSIZE, set in a child process (with SIGXFSZ ignored, a write past the limit fails with EFBIG)."""
    (tmp_path / 'secret').write_bytes(b'old')
    script = textwrap.dedent('''
        import errno, resource, signal, sys
        from ansible_collections.pingone.oidc.plugins.module_utils import _files
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
        try:
            _files.prove_writable(sys.argv[1], 200)
        except OSError as exc:
            print(errno.errorcode[exc.errno])
        else:
            print('written')
    ''')
    done = run_python(script, tmp_path / 'secret', timeout=60)
    assert done.stdout.strip() == 'EFBIG', done.stderr
    assert os.listdir(tmp_path) == ['secret'] and (tmp_path / 'secret').read_bytes() == b'old'
