"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

_counter = itertools.count()


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Write via a temporary file in the same directory and an atomic rename.

    A reader sees the old file or the new one, never part of one. A new file gets the
    usual permissions (0666 less the umask); an existing file keeps its own. `durable`
    also flushes the data to disk before the rename (survives a power cut); many small
    generated files skip that and rely on the manifest, written durably last.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        keep = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        keep = None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_counter)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None or keep is not None:
            os.chmod(tmp, mode if mode is not None else keep)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
