"""Reading and writing files so that a reader never sees half of one, and a write never
lands anywhere but where it was aimed.

`atomic_write` replaces one file through a temporary file and a rename. `SafeTree` does
the same inside one directory tree that must not be left: every directory on the way is
opened without following symbolic links (a symlinked `.clerk-advisor/` or `base/` is
refused, not followed), and every file is read and written relative to its directory's
open handle, so nothing swapped in between a check and a write can redirect it.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from advisor.errors import Location, UserError

_counter = itertools.count()
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# os.replace takes src_dir_fd/dst_dir_fd wherever os.rename does (both are renameat), but
# CPython lists only os.rename in supports_dir_fd: testing os.replace there turned the
# no-follow handle path off on every platform.
_DIR_FD = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd and bool(_NOFOLLOW)


def _temp_name(name: str) -> str:
    return f".{name}.{os.getpid()}.{next(_counter)}.tmp"


def is_own_temp(name: str, target: str) -> bool:
    """A temporary file this tool left beside `target` (a killed run): safe to remove."""
    return re.fullmatch(rf"\.{re.escape(target)}\.\d+\.\d+\.tmp", name) is not None


def _write_replace(name: str, raw: bytes, final: int | None, durable: bool, dir_fd: int | None = None) -> None:
    """Write `raw` to a temporary file beside `name`, then rename it over `name`.

    `name` is a file name relative to the open directory `dir_fd`, or a path when there
    is none. The temporary file is never created through a link.
    """
    tmp = os.path.join(os.path.dirname(name), _temp_name(os.path.basename(name)))
    handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, final if final is not None else 0o666,
                     dir_fd=dir_fd)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(raw)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
            if final is not None:
                os.chmod(fh.fileno(), final)
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=dir_fd)
        raise


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Write via a temporary file in the same directory and an atomic rename.

    A reader sees the old file or the new one, never part of one. A new file gets `mode`
    or the usual permissions (0666 less the umask); an existing file keeps its own.
    `durable` also flushes the data to disk before the rename (survives a power cut).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        keep: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        keep = None
    raw = data.encode("utf-8") if isinstance(data, str) else data
    _write_replace(str(path), raw, mode if mode is not None else keep, durable)


def write_output(path: Path, data: str | bytes, *, what: str = "output file") -> None:
    """`-o PATH` for a report: written atomically, or one clear UserError (exit 2)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{what} is a directory; give a file path", location=Location(str(path)))
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise UserError(f"cannot write {what}: {exc.strerror or exc}", location=Location(str(path))) from None


def read_limited(path: Path, limit: int, *, what: str, follow: bool = True) -> bytes:
    """At most `limit` bytes of a regular file, or one UserError: a FIFO, a device or
    /dev/zero is refused before reading, and a file over the limit after limit + 1 bytes.
    With `follow=False` a symbolic link is refused too (O_NOFOLLOW)."""
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else _NOFOLLOW))
    except FileNotFoundError:
        raise UserError(f"{what} not found", location=Location(shown)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise UserError(f"refusing to read {what} through a symbolic link", location=Location(shown)) from None
        raise UserError(f"cannot read {what}: {exc.strerror or exc}", location=Location(shown)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{what} is a directory, not a file", location=Location(shown))
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{what} is not a regular file (a pipe, socket or device)", location=Location(shown))
        if info.st_size > limit:
            raise UserError(f"{what} is {info.st_size} bytes; the limit is {limit}", location=Location(shown))
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UserError(f"{what} is over the limit of {limit} bytes", location=Location(shown))
        return b"".join(chunks)
    except OSError as exc:
        raise UserError(f"cannot read {what}: {exc.strerror or exc}", location=Location(shown)) from None
    finally:
        os.close(fd)


class SafeTree:
    """Reads and writes below one root directory, never through a symbolic link.

    Paths are relative, '/'-separated and checked (no `..`, no absolute paths). Errors are
    UserErrors naming the path: a symlink on the way, a directory where a file should be,
    a file that cannot be read or written.
    """

    def __init__(self, root: Path, *, max_file: int = 16 * 1024 * 1024) -> None:
        self.root = Path(root)
        self.max_file = max_file

    # -- paths -------------------------------------------------------------------------

    def _parts(self, rel: str) -> tuple[str, ...]:
        pure = PurePosixPath(rel)
        if not rel or "\\" in rel or "\x00" in rel or pure.is_absolute() or any(p in ("", ".", "..")
                                                                                 for p in pure.parts):
            raise UserError(f"refusing path {rel!r}: it would leave {self.root}")
        return pure.parts

    def _fail(self, rel: str, message: str) -> UserError:
        return UserError(message, location=Location(str(self.root / rel)))

    @contextlib.contextmanager
    def _dir(self, parts: tuple[str, ...], rel: str, create: bool) -> Iterator[int | None]:
        """An open handle of the directory `parts` below the root (None: it does not exist)."""
        try:
            fd = os.open(self.root, os.O_RDONLY | _DIRECTORY)
        except FileNotFoundError:
            if not create:
                yield None
                return
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.root, os.O_RDONLY | _DIRECTORY)
            except OSError as exc:
                raise self._fail("", f"cannot create {self.root}: {exc.strerror or exc}") from None
        except OSError as exc:
            raise self._fail("", f"cannot open {self.root}: {exc.strerror or exc}") from None
        try:
            for i, name in enumerate(parts):
                try:
                    child = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        os.close(fd)
                        fd = -1
                        yield None
                        return
                    try:
                        os.mkdir(name, 0o777, dir_fd=fd)
                        child = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                    except OSError as exc:
                        where = "/".join(parts[: i + 1])
                        raise self._fail(where, f"cannot create {where}: {exc.strerror or exc}") from None
                except OSError as exc:
                    where = "/".join(parts[: i + 1])
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                        raise self._fail(where, f"refusing to read or write through a symbolic link (or a "
                                                f"file where a directory should be): {where}") from None
                    raise self._fail(where, f"cannot open {where}: {exc.strerror or exc}") from None
                os.close(fd)
                fd = child
            yield fd
        finally:
            if fd >= 0:
                os.close(fd)

    # -- files -------------------------------------------------------------------------

    def read(self, rel: str) -> bytes | None:
        """The file's bytes, None when there is none. A symlink or a non-regular file is an
        error: nothing is read through it."""
        if not _DIR_FD:
            return self._read_by_path(rel)
        *dirs, name = self._parts(rel)
        with self._dir(tuple(dirs), rel, create=False) as fd:
            if fd is None:
                return None
            try:
                handle = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=fd)
            except FileNotFoundError:
                return None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise self._fail(rel, f"refusing to read or write through a symbolic link: {rel}") from None
                if exc.errno == errno.EISDIR:
                    raise self._fail(rel, f"a directory is in the way of a generated file: {rel}") from None
                raise self._fail(rel, f"cannot read {rel}: {exc.strerror or exc}") from None
            return self._read_handle(handle, rel)

    def listdir(self, rel: str) -> list[str] | None:
        """The names in directory `rel` (sorted), None when it does not exist; reached
        without following a symbolic link, and a directory that cannot be read is an error
        (never mistaken for an empty one)."""
        parts = self._parts(rel)
        if not _DIR_FD:
            path = self._checked_path(rel)
            if not path.exists():
                return None
            try:
                return sorted(os.listdir(path))
            except OSError as exc:
                raise self._fail(rel, f"cannot read {rel}: {exc.strerror or exc}") from None
        with self._dir(parts, rel, create=False) as fd:
            if fd is None:
                return None
            try:
                return sorted(os.listdir(fd))
            except OSError as exc:
                raise self._fail(rel, f"cannot read {rel}: {exc.strerror or exc}") from None

    def _read_handle(self, handle: int, rel: str) -> bytes:
        try:
            info = os.fstat(handle)
            if stat.S_ISDIR(info.st_mode):
                raise self._fail(rel, f"a directory is in the way of a generated file: {rel}")
            if not stat.S_ISREG(info.st_mode):
                raise self._fail(rel, f"{rel} is not a regular file (a pipe, socket or device)")
            if info.st_size > self.max_file:
                raise self._fail(rel, f"{rel} is {info.st_size} bytes; the limit is {self.max_file}")
            with os.fdopen(os.dup(handle), "rb") as fh:
                data = fh.read(self.max_file + 1)
            if len(data) > self.max_file:
                raise self._fail(rel, f"{rel} is over the limit of {self.max_file} bytes")
            return data
        except OSError as exc:
            raise self._fail(rel, f"cannot read {rel}: {exc.strerror or exc}") from None
        finally:
            os.close(handle)

    def _read_by_path(self, rel: str) -> bytes | None:
        path = self._checked_path(rel)
        if not path.exists():
            return None
        return read_limited(path, self.max_file, what=rel)

    def _checked_path(self, rel: str) -> Path:
        """Without dir_fd support: every component checked with lstat before use."""
        path = self.root
        for name in self._parts(rel):
            path = path / name
            if path.is_symlink():
                raise self._fail(rel, f"refusing to read or write through a symbolic link: {rel}")
        return path

    def writable(self, rel: str) -> bool:
        """Could `write` replace this file? (A read-only file is the user's statement.)"""
        path = self.root / rel
        return not path.exists() or os.access(path, os.W_OK)

    def write(self, rel: str, data: bytes, *, mode: int | None = None, durable: bool = False) -> None:
        """Replace `rel` atomically, creating directories on the way; never through a link."""
        if not _DIR_FD:
            self._checked_path(rel)
            try:
                atomic_write(self.root / rel, data, mode=mode, durable=durable)
            except OSError as exc:
                raise self._fail(rel, f"cannot write {rel}: {exc.strerror or exc}") from None
            return
        *dirs, name = self._parts(rel)
        with self._dir(tuple(dirs), rel, create=True) as fd:
            assert fd is not None
            self._clean_temps(fd, name)
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    raise self._fail(rel, f"refusing to write through a symbolic link: {rel}")
                if stat.S_ISDIR(info.st_mode):
                    raise self._fail(rel, f"a directory is in the way of a generated file: {rel}")
                final: int | None = mode if mode is not None else info.st_mode & 0o7777
            except FileNotFoundError:
                final = mode
            try:
                _write_replace(name, data, final, durable, dir_fd=fd)
                if durable:
                    os.fsync(fd)
            except OSError as exc:
                raise self._fail(rel, f"cannot write {rel}: {exc.strerror or exc}") from None

    def unlink(self, rel: str) -> None:
        *dirs, name = self._parts(rel)
        if not _DIR_FD:
            with contextlib.suppress(FileNotFoundError):
                self._checked_path(rel).unlink()
            return
        with self._dir(tuple(dirs), rel, create=False) as fd:
            if fd is None:
                return
            try:
                os.unlink(name, dir_fd=fd)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise self._fail(rel, f"cannot remove {rel}: {exc.strerror or exc}") from None

    def clean_temps(self, rels: list[str]) -> None:
        """Remove what a killed run of this tool left beside any of these files: temp files
        named for them whose process is gone. Nothing else is touched."""
        by_dir: dict[tuple[str, ...], set[str]] = {}
        for rel in rels:
            *dirs, name = self._parts(rel)
            by_dir.setdefault(tuple(dirs), set()).add(name)
        if not _DIR_FD:
            return
        for parts, names in by_dir.items():
            with self._dir(parts, "/".join(parts), create=False) as fd:
                if fd is None:
                    continue
                for name in names:
                    self._clean_temps(fd, name)

    def check_writable(self, rels: list[str]) -> None:
        """Before a run writes anything: every folder it writes into (or the nearest one
        that exists, where folders are still to be made) can be written, and none is
        reached through a link. One UserError instead of a project left half written."""
        seen: set[tuple[str, ...]] = set()
        for rel in rels:
            *dirs, _ = self._parts(rel)
            key = tuple(dirs)
            if key in seen:
                continue
            seen.add(key)
            existing = self._existing(key)
            if existing is None:  # not even the root: the nearest folder above it
                above = next((p for p in self.root.absolute().parents if p.is_dir()), None)
                ok, shown = above is not None and os.access(above, os.W_OK), above or self.root
            else:
                where = "/".join(existing)
                with self._dir(existing, where, create=False) as fd:
                    ok = fd is not None and (os.access(".", os.W_OK, dir_fd=fd) if _DIR_FD
                                             else os.access(self.root / where, os.W_OK))
                shown = self.root / where if where else self.root
            if not ok:
                raise UserError(f"cannot write into {shown}: Permission denied", location=Location(str(shown)),
                                hint="make it writable and run the same command again")

    def _existing(self, parts: tuple[str, ...]) -> tuple[str, ...] | None:
        """The longest prefix of `parts` that exists as a directory (no links followed);
        None when the root itself does not exist."""
        for end in range(len(parts), -1, -1):
            with self._dir(parts[:end], "/".join(parts[:end]), create=False) as fd:
                if fd is not None:
                    return parts[:end]
        return None

    @staticmethod
    def _clean_temps(fd: int, name: str) -> None:
        """Temporary files a killed run of this tool left beside `name`, and only those
        (a run that is still alive keeps its own)."""
        try:
            names = os.listdir(fd)
        except OSError:
            return
        for other in names:
            if is_own_temp(other, name) and not _alive(int(other.rsplit(".", 3)[-3])):
                with contextlib.suppress(OSError):
                    os.unlink(other, dir_fd=fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True
