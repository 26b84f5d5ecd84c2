"""Files and folders -> parsed meetings -> chunks in the store, file by file.

Each file is handled on its own: a bad file is reported with its reason and the rest go on;
an unchanged file (same content hash) costs nothing; a changed one replaces its old chunks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.components.chroma_store import ChunkStore
from assistant.core.config import IngestSettings
from assistant.core.errors import ParseError
from assistant.core.types import Chunk, IngestReport
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.ingest.readers.extract import SUPPORTED_SUFFIXES


def _flatten(pending: dict[str, list[Chunk]]) -> list[Chunk]:
    return [chunk for chunks in pending.values() for chunk in chunks]


def find_minutes_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders; return (files to ingest, (name, reason) for paths that cannot be)."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                # Hidden files and folders (.git, .ipynb_checkpoints, .DS_Store) are not minutes
                # and their copies must not be ingested twice.
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(child)
                    else:
                        skipped.append(
                            (child.name, f"filtypen {child.suffix or '(ingen)'} understøttes ikke")
                        )
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                skipped.append(
                    (path.name, f"filtypen {path.suffix or '(ingen)'} understøttes ikke")
                )
        else:
            skipped.append((path.name or str(path), "findes ikke"))
    return files, skipped


@dataclass
class _Tally:
    meetings: int = 0
    items: int = 0
    chunks: int = 0
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def ingest_paths(
    paths: Iterable[Path],
    store: ChunkStore,
    settings: IngestSettings,
    *,
    municipality: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_written: Callable[[list[str]], None] | None = None,
) -> IngestReport:
    """Ingest files and folders. `on_written` hears the file names of each batch once it is
    stored: from then on those meetings are answerable even if the process dies."""
    files, skipped = find_minutes_files(paths)
    tally = _Tally(skipped=list(skipped))
    pending: dict[str, list[Chunk]] = {}
    pending_warnings: list[tuple[str, str]] = []

    def flush() -> None:
        if not pending:
            return
        store.replace_sources(pending)
        if on_written:
            on_written(list(pending))
        tally.meetings += len(pending)
        tally.items += sum(len({c.item_key for c in chunks}) for chunks in pending.values())
        tally.chunks += sum(len(chunks) for chunks in pending.values())
        tally.warnings.extend(pending_warnings)
        pending.clear()
        pending_warnings.clear()

    for path in files:
        if on_file:
            on_file(path)
        # The override is part of the fingerprint: the same file read for another
        # municipality is a different set of chunks.
        sha = hashlib.sha256(path.read_bytes() + (municipality or "").encode()).hexdigest()
        if store.file_sha(path.name) == sha:
            tally.unchanged.append(path.name)
            continue
        try:
            meeting = parse_file(path, municipality=municipality)
        except ParseError as error:
            tally.skipped.append((path.name, error.reason))
            continue
        chunks = chunk_meeting(
            meeting,
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            file_sha=sha,
        )
        if not chunks:
            tally.skipped.append((path.name, "ingen åbne punkter med indhold"))
            continue
        if {c.meeting_id for c in chunks} & {c.meeting_id for c in _flatten(pending)}:
            flush()  # two files of one meeting: the later one replaces the earlier
        pending[path.name] = chunks
        pending_warnings.extend((path.name, warning) for warning in meeting.warnings)
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
