# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Private files (a client secret, a private key): checked before anything changes, written atomically.

Standard library only, no Ansible. The one writer gives the file mode 0600 from its first byte and
replaces the target in one step, so that no reader ever sees a partial file, a file of the wrong
mode, or no file at all. Before a change that cannot be undone (a rotated secret), ``prove_writable``
shows that the file can be written. ``private_target`` decides which path is written when the given
one is a symbolic link, and refuses paths another user could have planted; ``read_regular_file``
never blocks on a FIFO or a device.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid

PRIVATE_MODE = 0o600

# What destination_problem finds.
IS_DIRECTORY = 'is a directory'
NO_DIRECTORY = 'no directory'
NOT_WRITABLE = 'not writable'

# Whoever runs the module; files of another owner are not followed, adopted or replaced where that would be unsafe.
_OWN_UID = os.geteuid() if hasattr(os, 'geteuid') else None

# fsync of a directory is not possible everywhere; the file is in place by then, so these do not fail a write.
_DIRECTORY_SYNC_UNSUPPORTED = frozenset(getattr(errno, name) for name in ('EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF', 'EACCES', 'EPERM', 'EISDIR')
                                        if hasattr(errno, name))


def destination_problem(path):
    """``(problem, directory)`` when no file can be written at ``path``, else None.

    ``problem`` is IS_DIRECTORY (``path`` is a directory), NO_DIRECTORY (its directory does not
    exist) or NOT_WRITABLE (its directory does not let this user create files). ``path`` is the
    path that will be written; resolve a symbolic link first to write through it.
    """
    directory = os.path.dirname(path) or '.'
    if os.path.isdir(path):
        return IS_DIRECTORY, directory
    if not os.path.isdir(directory):
        return NO_DIRECTORY, directory
    if not os.access(directory, os.W_OK | os.X_OK):
        return NOT_WRITABLE, directory
    return None


def temp_path(path):
    """A fresh name next to ``path`` for the file that will replace it (hidden, never reused)."""
    return os.path.join(os.path.dirname(path) or '.', '.%s.%s.tmp' % (os.path.basename(path), uuid.uuid4().hex))


def write_private_file(path, data):
    """Replace the file at ``path`` with ``data`` (bytes), readable and writable by the owner only.

    A temporary file in the same directory is created with mode 0600 (``O_CREAT | O_EXCL |
    O_NOFOLLOW``, so nothing already at the temporary path, a symbolic link included, is ever
    opened), set to exactly 0600 whatever the umask, written, flushed and synced, then renamed onto
    ``path`` (``os.replace``: atomic), and the directory is synced. On any failure the temporary
    file is removed and the target is left as it was. When ``path`` is a symbolic link, the link
    itself is replaced; callers that write through links resolve ``path`` first. Raises OSError.
    """
    directory = os.path.dirname(path) or '.'
    temp = temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
    descriptor = os.open(temp, flags, PRIVATE_MODE)  # raises when anything is at temp: then it is not ours to remove
    try:
        os.fchmod(descriptor, PRIVATE_MODE)
        with os.fdopen(descriptor, 'wb') as handle:
            descriptor = None
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        temp = None
    except BaseException:
        if descriptor is not None:
            os.close(descriptor)
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        raise
    sync_directory(directory)


def sync_directory(directory):
    """Make a rename in ``directory`` durable (fsync of the directory), where the system allows it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0) | getattr(os, 'O_CLOEXEC', 0))
    except OSError as exc:
        if exc.errno in _DIRECTORY_SYNC_UNSUPPORTED:
            return
        raise
    try:
        os.fsync(descriptor)
    except OSError as exc:
        if exc.errno not in _DIRECTORY_SYNC_UNSUPPORTED:
            raise
    finally:
        os.close(descriptor)


class UnsafePath(ValueError):
    """A path that must not be written or read as a private file; the message says why, without the option name."""


def _owner(info):
    return 'another user (uid %d)' % info.st_uid


def _own(info):
    return _OWN_UID is None or info.st_uid == _OWN_UID


def shared_directory(directory):
    """Whether other users may create or replace entries in ``directory``: sticky (like /tmp) or world-writable."""
    try:
        mode = os.stat(directory).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_ISVTX | stat.S_IWOTH))


def _lstat_or_none(path):
    """``os.lstat(path)``, None when nothing is there; UnsafePath when it cannot be examined."""
    try:
        return os.lstat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise UnsafePath('cannot be examined: %s' % (exc.strerror or exc)) from None


def private_target(path):
    """The absolute path to read and write for the private file given as ``path``; UnsafePath when it is unsafe.

    * a symbolic link is followed only when this user owns it, it is not in a shared directory (sticky, like
      /tmp, or world-writable) and the file it points to, if any, belongs to this user; the file it points to
      is then the target (replaced, the link kept);
    * anything that is neither absent, nor a regular file, nor a directory (a FIFO, a socket, a device) is
      refused at once, without opening it;
    * a regular file of another user in a shared directory is refused (it was planted there).

    A directory or a missing parent directory is left to ``destination_problem``.
    """
    absolute = os.path.abspath(path)
    directory = os.path.dirname(absolute)
    info = _lstat_or_none(absolute)
    if info is None:
        return absolute
    if stat.S_ISLNK(info.st_mode):
        if not _own(info):
            raise UnsafePath('is a symbolic link owned by %s; it is not followed' % _owner(info))
        if shared_directory(directory):
            raise UnsafePath('is a symbolic link in %s, a directory other users can write to; it is not followed: '
                             'give the path of the file itself' % directory)
        absolute = os.path.realpath(absolute)
        directory = os.path.dirname(absolute)
        info = _lstat_or_none(absolute)
        if info is None:
            return absolute
        if not _own(info):
            raise UnsafePath('is a symbolic link to %s, which belongs to %s; it is not followed' % (absolute, _owner(info)))
    if stat.S_ISDIR(info.st_mode):
        return absolute
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePath('is not a regular file (%s); give the path of a file' % file_kind(info.st_mode))
    if not _own(info) and shared_directory(directory):
        raise UnsafePath('belongs to %s and is in %s, a directory other users can write to; it is neither used nor '
                         'replaced: remove it or give another path' % (_owner(info), directory))
    return absolute


def file_kind(mode):
    """'a FIFO', 'a socket', 'a character device', ... for messages."""
    for test, name in ((stat.S_ISFIFO, 'a FIFO'), (stat.S_ISSOCK, 'a socket'), (stat.S_ISCHR, 'a character device'),
                       (stat.S_ISBLK, 'a block device'), (stat.S_ISDIR, 'a directory'), (stat.S_ISLNK, 'a symbolic link')):
        if test(mode):
            return name
    return 'not a regular file'


def private_file_problem(info):
    """Why a private key file with this ``os.stat`` result must not be used, or None: it belongs to another user,
    or other users may read or write it (then it may be known to them, or not be the one this user made)."""
    if not _own(info):
        return 'belongs to %s' % _owner(info)
    if info.st_mode & 0o077:
        return 'has mode %04o: other users can read or write it' % stat.S_IMODE(info.st_mode)
    return None


def read_regular_file(path, limit, follow=True):
    """``(data, os.stat_result)`` of the regular file at ``path``: at most ``limit`` + 1 bytes (more means too large).

    Opened with O_NONBLOCK (a FIFO without a writer does not block the open) and checked with fstat before any
    read, so a FIFO, socket or device fails at once with UnsafePath. ``follow=False`` refuses a symbolic link
    (ELOOP). Raises OSError when the file cannot be opened or read.
    """
    flags = os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_CLOEXEC', 0) | getattr(os, 'O_NOCTTY', 0)
    if not follow:
        flags |= getattr(os, 'O_NOFOLLOW', 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath('is not a regular file (%s); give the path of a file' % file_kind(info.st_mode))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b''.join(chunks), info
    finally:
        os.close(descriptor)


def prove_writable(path, size):
    """Show that a file of ``size`` bytes can be written next to ``path`` before a change that cannot be undone.

    A temporary file in the directory of ``path`` (created like the writer's, mode 0600, O_EXCL | O_NOFOLLOW) is
    filled with ``size`` random bytes (incompressible, so the space is really allocated), synced and removed;
    OSError (ENOSPC, EFBIG, EDQUOT, EACCES, EROFS, ...) when that fails. Nothing is left behind either way.
    """
    temp = temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
    descriptor = os.open(temp, flags, PRIVATE_MODE)
    try:
        data = memoryview(os.urandom(size))
        while data:
            written = os.write(descriptor, data)
            if written <= 0:  # pragma: no cover - a regular file never accepts nothing without an error
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = data[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
        try:
            os.unlink(temp)
        except OSError:
            pass


def restrict_mode(path):
    """Set the regular file at ``path`` (not a link: O_NOFOLLOW) to mode 0600 through its descriptor."""
    flags = os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath('is not a regular file (%s); give the path of a file' % file_kind(info.st_mode))
        os.fchmod(descriptor, PRIVATE_MODE)
    finally:
        os.close(descriptor)
