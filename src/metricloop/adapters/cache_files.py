"""var/cache housekeeping: keep only the latest few files of each kind (catalog pickles, metric vectors).

Every catalog version used to leave a pickle (and a vectors file) forever. After writing a new one, the
oldest of its kind beyond `keep` are removed; a file read from the cache is touched, so "latest" means
latest used, and the catalogs in use (several bots or test catalogs sharing one cache) keep theirs.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

KEEP = 4  # per kind: the current catalog, the one before it, and a couple of others in use


def write_atomically(file: Path, data: bytes) -> None:
    """Write `data` to `file` (its folder made if missing) so no reader ever sees half of it: a temporary file of
    this process's own, then one rename (two processes sharing a cache never share the temporary file)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, file)


def touch(file: Path) -> None:
    """Mark a cache file as just used (best effort: a read-only cache still works)."""
    with contextlib.suppress(OSError):
        os.utime(file)


def prune(directory: Path, pattern: str, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` most recently used files matching `pattern`; the removed paths."""
    try:
        found = sorted(Path(directory).glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:  # a file removed meanwhile by another process: prune next time
        return []
    removed = []
    for old in found[keep:]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass
    return removed
