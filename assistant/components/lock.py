"""One writer at a time for the embedded Chroma store.

Chroma's embedded `PersistentClient` is made for one process: two processes writing one
folder can corrupt its segment files, and a process that reads while another writes keeps a
stale vector index in memory. So every process that may write an embedded store holds an
OS file lock (`filelock`, i.e. `flock`) beside it for as long as it may write: `referat
ingest` for its run and `referat serve` for its lifetime (it ingests uploads and, on an empty
index, the samples). The OS drops the lock when the holder dies, even by kill -9, so a crashed
ingest never leaves the index locked. A team shares one Chroma server instead, which
serialises writes itself; then no file lock is taken.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.core.config import StoreSettings
from assistant.core.errors import IndexBusy, IndexDirUnusable

LOCK_NAME = ".referat-write.lock"
OWNER_NAME = ".referat-write.owner.json"


@contextmanager
def single_writer(settings: StoreSettings, purpose: str) -> Iterator[None]:
    """Hold the embedded store's write lock for the block, or raise IndexBusy at once naming
    the process that holds it. A no-op against a Chroma server."""
    if settings.chroma_host:
        yield
        return
    usable_index_dir(settings.index_dir)
    lock = FileLock(settings.index_dir / LOCK_NAME, timeout=0, thread_local=False)
    owner_file = settings.index_dir / OWNER_NAME
    try:
        lock.acquire()
    except Timeout:
        raise IndexBusy(_busy_message(settings.index_dir, _read_owner(owner_file))) from None
    try:
        # Who holds it, for the second writer's message; stale once the holder is gone,
        # which is harmless because only the lock itself decides.
        owner = {
            "pid": os.getpid(),
            "purpose": purpose,
            "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])[:200],
            "since": dt.datetime.now().isoformat(timespec="seconds"),
        }
        owner_file.write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")
        yield
    finally:
        owner_file.unlink(missing_ok=True)
        lock.release()


def usable_index_dir(index_dir: Path) -> Path:
    """`index_dir`, created if missing, or IndexDirUnusable saying why not: a file given as
    the folder (`--index /etc/passwd`), or a folder this user cannot write. Chroma would
    otherwise fail deep inside sqlite with a traceback."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexDirUnusable(index_dir, "det er en fil, ikke en mappe")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise IndexDirUnusable(index_dir, "du har ikke lov at oprette mappen") from None
    except (FileExistsError, NotADirectoryError):
        raise IndexDirUnusable(index_dir, "en del af stien er en fil") from None
    except OSError as error:
        reason = f"mappen kan ikke oprettes ({error.strerror or error})"
        raise IndexDirUnusable(index_dir, reason) from None
    if not os.access(index_dir, os.W_OK | os.X_OK):
        raise IndexDirUnusable(index_dir, "du har ikke skriveadgang til mappen")
    return index_dir


def _read_owner(owner_file: Path) -> dict:
    try:
        return json.loads(owner_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _busy_message(index_dir: Path, owner: dict) -> str:
    holder = (
        f"`{owner.get('command') or owner.get('purpose')}` (proces {owner.get('pid')}, "
        f"siden {owner.get('since')})"
        if owner
        else "en anden proces"
    )
    return (
        f"Indekset i {index_dir} skrives allerede af {holder}. Et indbygget indeks har én "
        "skriver ad gangen: vent til den er færdig, tilføj referater gennem browserchattens "
        "upload, eller brug en fælles Chroma-server (README: Drift)."
    )
