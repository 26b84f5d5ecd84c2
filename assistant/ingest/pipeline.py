"""Files and folders -> parsed meetings -> chunks in the store, file by file.

Each file is handled on its own: a bad file is reported with its reason and the rest go on;
an unchanged file (same content hash) costs nothing; a changed one replaces its old chunks
once its new ones are stored. Sources are paths relative to the folder ingested.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.components.chroma_store import ChunkStore
from assistant.core.config import IngestSettings
from assistant.core.errors import ParseError, SyncWouldEmpty
from assistant.core.types import Chunk, IngestReport, Meeting, StoredSource
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.ingest.readers.extract import SUPPORTED_SUFFIXES, check_size, decode_text


def minutes_sources(
    paths: Iterable[Path],
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Expand folders into (file, source) pairs, and (name, reason) for paths that cannot be
    ingested. A file's source is its path relative to the folder it was found in
    ("odense/referat.txt"), or its name when it was given itself: two files that share a
    name in two folders are two sources, never one that overwrites the other.

    Hidden files and folders (.git, .DS_Store, .ipynb_checkpoints) inside a folder are not
    minutes, and their copies must not be ingested twice; each is reported once, a hidden
    folder as one line, not one per file in it."""
    files: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            for child, relative in _walk(path, skipped):
                _add(child, relative, files, skipped)
        elif path.is_file():
            _add(path, _source_name(path.name), files, skipped)
        else:
            skipped.append((_source_name(path.name or str(path)), "findes ikke"))
    return files, skipped


def _walk(root: Path, skipped: list[tuple[str, str]]) -> list[tuple[Path, str]]:
    """Files under `root` in path order with their relative source names; hidden entries
    are reported in `skipped` and not entered."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        base = Path(folder)
        for name in sorted(subfolders):
            if name.startswith("."):
                skipped.append(
                    (_relative(base / name, root), "skjult mappe (navnet starter med '.')")
                )
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            child = base / name
            if name.startswith("."):
                skipped.append((_relative(child, root), "skjult fil (navnet starter med '.')"))
            elif child.is_file():
                found.append(child)
    # Path order, as before: the first of two meetings that share an id keeps the plain id.
    found.sort(key=lambda child: child.relative_to(root).parts)
    return [(child, _relative(child, root)) for child in found]


def _relative(path: Path, root: Path) -> str:
    return "/".join(_source_name(part) for part in path.relative_to(root).parts)


def _source_name(name: str) -> str:
    """A file name as a valid string. A name that is not UTF-8 (a latin-1 name copied from
    an old Windows share) comes from the OS with surrogates, which the store refuses: its
    bytes are read as cp1252, as file contents are ("m\udce6de.txt" -> "mæde.txt")."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return decode_text(os.fsencode(name))
    return name


def _add(
    path: Path, source: str, files: list[tuple[Path, str]], skipped: list[tuple[str, str]]
) -> None:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        files.append((path, source))
    else:
        skipped.append((source, f"filtypen {path.suffix or '(ingen)'} understøttes ikke"))


def find_minutes_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders; return (files to ingest, (name, reason) for paths that cannot be)."""
    files, skipped = minutes_sources(paths)
    return [path for path, _source in files], skipped


def source_root(path: Path, source: str) -> str:
    """The folder `source` is relative to, resolved: the folder ingested for a file found in
    it, the file's own folder for a file given itself (whose source is its name)."""
    return str(path.absolute().parents[len(Path(source).parts) - 1].resolve())


def gone_sources(folders: Iterable[Path], stored: Iterable[StoredSource]) -> list[StoredSource]:
    """The stored sources whose file lay under one of `folders` and no longer exists there:
    what `ingest --sync` removes. Sources stored without their folder are never among them.

    A folder that is missing or holds no minutes at all while the index has sources from it
    raises SyncWouldEmpty: an unmounted share or a mistyped path must not empty the index."""
    stored = [s for s in stored if s.root]
    gone: list[StoredSource] = []
    for folder in folders:
        root = folder.resolve()
        under = [s for s in stored if Path(s.path).is_relative_to(root)]
        if under and (not folder.is_dir() or not minutes_sources([folder])[0]):
            raise SyncWouldEmpty(folder, len({s.source for s in under}))
        gone.extend(s for s in under if not Path(s.path).exists() and s not in gone)
    return gone


@dataclass
class _Tally:
    meetings: int = 0
    items: int = 0
    chunks: int = 0
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def _identified(
    meeting: Meeting,
    sha: str,
    store: ChunkStore,
    claimed: dict[str, tuple[str, str]],
    leaving: Collection[str] = (),
) -> Meeting | str:
    """The meeting with an id no other source holds, or why it is not stored (a copy).

    A meeting is one committee's meeting on one day in one source. Another source with the
    same committee and day is a second meeting (an extraordinary one before the ordinary
    one), kept beside the first under an id that adds the start time and the source; only
    the same content under another path is the same meeting, and then it is not stored
    twice. The first source keeps the plain id, so minutes that collide with nothing keep
    the ids they always had."""
    plain = meeting.meeting_id
    holder = claimed.get(plain)
    if holder is None and (holder := store.holder(plain, meeting.source)) is not None:
        if holder[0] in leaving:
            # A source a sync removes (its file is gone): this file is where it went, so it
            # takes the meeting over, ids and all, instead of being refused as a copy.
            holder = None
        else:
            claimed[plain] = holder
    if holder is None or holder[0] == meeting.source:
        claimed[plain] = (meeting.source, sha)
        return meeting
    other, other_sha = holder
    if other_sha == sha:
        return f"samme indhold som {other}, som allerede er indlæst"
    return replace(meeting, variant=f"{meeting.start_time}|{meeting.source}")


def ingest_paths(
    paths: Iterable[Path],
    store: ChunkStore,
    settings: IngestSettings,
    *,
    municipality: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_written: Callable[[list[str]], None] | None = None,
    leaving: Collection[str] = (),
) -> IngestReport:
    """Ingest files and folders. `on_written` hears the sources of each batch once they are
    stored: from then on those meetings are answerable even if the process dies. `leaving`
    are stored sources about to be removed (by a sync, their file gone): a file holding one
    of their meetings takes it over.

    A file that cannot be read or stored is reported with its reason; its indexed old
    version and every other file stay."""
    files, skipped = minutes_sources(paths)
    tally = _Tally(skipped=list(skipped))
    limits = settings.limits
    pending: dict[str, list[Chunk]] = {}
    pending_warnings: dict[str, list[str]] = {}
    claimed: dict[str, tuple[str, str]] = {}  # meeting id -> (source, sha) in this run

    def flush() -> None:
        if not pending:
            return
        failures = store.replace_sources(pending, taking_over=leaving)
        written = [source for source in pending if source not in failures]
        for source, reason in failures.items():
            tally.skipped.append(
                (source, f"kunne ikke gemmes ({reason}); en tidligere indlæst version er bevaret")
            )
        if on_written and written:
            on_written(written)
        for source in written:
            chunks = pending[source]
            tally.meetings += 1
            tally.items += len({c.item_key for c in chunks})
            tally.chunks += len(chunks)
            tally.warnings.extend((source, w) for w in pending_warnings.get(source, ()))
        pending.clear()
        pending_warnings.clear()

    for path, source in files:
        if on_file:
            on_file(path)
        try:
            # Before the file is read for its fingerprint: a huge file costs nothing.
            check_size(path, limits, source)
            # The override is part of the fingerprint: the same file read for another
            # municipality is a different set of chunks.
            sha = hashlib.sha256(path.read_bytes() + (municipality or "").encode()).hexdigest()
        except (ParseError, OSError) as error:
            reason = error.reason if isinstance(error, ParseError) else error.strerror
            tally.skipped.append((source, reason or "filen kan ikke læses"))
            continue
        if store.file_sha(source) == sha:
            tally.unchanged.append(source)
            continue
        try:
            parsed = parse_file(path, municipality=municipality, source=source, limits=limits)
        except ParseError as error:
            tally.skipped.append((source, error.reason))
            continue
        meeting = _identified(parsed, sha, store, claimed, leaving)
        if isinstance(meeting, str):
            tally.skipped.append((source, meeting))
            continue
        chunks = chunk_meeting(
            meeting,
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            file_sha=sha,
            source_root=source_root(path, source),
        )
        if not chunks:
            tally.skipped.append((source, "ingen åbne punkter med indhold"))
            continue
        pending[source] = chunks
        pending_warnings[source] = list(meeting.warnings)
        if sum(len(c) for c in pending.values()) >= settings.ingest_batch_chunks:
            flush()
    flush()
    return IngestReport(
        meetings=tally.meetings,
        items=tally.items,
        chunks=tally.chunks,
        unchanged=tuple(tally.unchanged),
        skipped=tuple(tally.skipped),
        warnings=tuple(tally.warnings),
    )
