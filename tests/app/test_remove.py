"""`referat remove` and `referat ingest --sync` (issue 16, part 8), as a user runs them: a real
index on disk, the real samples, and the store read back through Chroma itself."""

from __future__ import annotations

import json
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.components.lock import single_writer
from assistant.core.config import Settings
from assistant.service.wiring import build_assistant
from tests.conftest import LEJRE, VEJLE, referat

pytestmark = pytest.mark.slow

VEJLE_QUESTION = "Hvem var fraværende i Vejles arbejdsmarkedsudvalg?"
VEJLE_ANSWER = "Claus Behrend"
LEJRE_QUESTION = "Hvad besluttede Lejre om implementering af beskæftigelsespolitikken?"


def _stored_sources(index: Path) -> set[str]:
    """The sources Chroma's own collection holds, read without Referat's code."""
    client = chromadb.PersistentClient(
        path=str(index), settings=ChromaSettings(anonymized_telemetry=False)
    )
    found = client.get_collection(Settings().collection).get(include=["metadatas"])
    return {str(m["source"]) for m in found["metadatas"] or []}


def _bm25_sources(index: Path, question: str) -> set[str]:
    """The sources the lexical (BM25) side finds for `question`, as a fresh reader sees it."""
    assistant = build_assistant(Settings(index_dir=index))
    return {
        c.source for hit in assistant.retriever.search(question, mode="bm25") for c in hit.chunks
    }


def _cited(index: Path, question: str) -> tuple[set[str], str]:
    result = referat("ask", "--json", question, index=index)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    return {c["source"] for c in payload["citations"]}, payload["answer"]


def test_sync_removes_a_deleted_file_from_store_lexical_search_and_answers(
    minutes_copy: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    first = referat("ingest", str(minutes_copy), index=index)
    assert first.returncode == 0, first.stderr
    assert _stored_sources(index) == {LEJRE, VEJLE}
    assert VEJLE in _bm25_sources(index, VEJLE_QUESTION)

    (minutes_copy / VEJLE).unlink()
    plain = referat("ingest", str(minutes_copy), index=index)
    assert plain.returncode == 0, plain.stderr
    assert "Fjernet" not in plain.stdout
    assert _stored_sources(index) == {LEJRE, VEJLE}  # without --sync nothing is removed

    synced = referat("ingest", "--sync", str(minutes_copy), index=index)
    assert synced.returncode == 0, synced.stderr
    assert f"Fjernet (filen findes ikke længere): {VEJLE}" in synced.stdout
    assert _stored_sources(index) == {LEJRE}
    assert VEJLE not in _bm25_sources(index, VEJLE_QUESTION)
    cited, answer = _cited(index, VEJLE_QUESTION)
    assert VEJLE not in cited and VEJLE_ANSWER not in answer
    cited, answer = _cited(index, LEJRE_QUESTION)
    assert cited == {LEJRE} and "Taget til efterretning" in answer


def test_sync_of_a_missing_or_empty_folder_removes_nothing(
    minutes_copy: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert referat("ingest", str(minutes_copy), index=index).returncode == 0
    for path in minutes_copy.iterdir():
        path.unlink()  # an unmounted share looks like this
    emptied = referat("ingest", "--sync", str(minutes_copy), index=index)
    assert emptied.returncode == 1
    assert "indeholder ingen referater, men indekset har 2 kilder fra den" in emptied.stderr
    minutes_copy.rmdir()
    missing = referat("ingest", "--sync", str(minutes_copy), index=index)
    assert missing.returncode == 1 and "--sync fjerner intet" in missing.stderr
    assert _stored_sources(index) == {LEJRE, VEJLE}


def test_remove_by_source_by_meeting_and_an_unknown_source(
    minutes_copy: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert referat("ingest", str(minutes_copy), index=index).returncode == 0

    unknown = referat("remove", "odense/referat.txt", index=index)
    assert unknown.returncode == 1
    assert "Kilden «odense/referat.txt» findes ikke i indekset; intet er fjernet" in (
        unknown.stderr
    )
    assert _stored_sources(index) == {LEJRE, VEJLE}

    listed = referat("sources", "--json", index=index)
    assert listed.returncode == 0, listed.stderr
    meeting_id = {s["source"]: s["meeting_id"] for s in json.loads(listed.stdout)}[VEJLE]
    by_meeting = referat("remove", "--meeting", meeting_id, index=index)
    assert by_meeting.returncode == 0, by_meeting.stderr
    assert f"Fjernet: {VEJLE} (Vejle · Arbejdsmarkedsudvalget · 2023-10-05" in by_meeting.stdout
    # The file is still in the folder: the user is told the next ingest brings it back.
    assert "findes stadig og indlæses igen" in by_meeting.stdout
    assert _stored_sources(index) == {LEJRE}
    cited, answer = _cited(index, VEJLE_QUESTION)
    assert VEJLE not in cited and VEJLE_ANSWER not in answer

    # By the file's path as it was ingested, and by municipality and date.
    assert referat("ingest", str(minutes_copy), index=index).returncode == 0
    by_path = referat("remove", str(minutes_copy / VEJLE), index=index)
    assert by_path.returncode == 0, by_path.stderr
    assert _stored_sources(index) == {LEJRE}
    by_date = referat("remove", "--kommune", "lejre", "--dato", "6. september 2023", index=index)
    assert by_date.returncode == 0, by_date.stderr
    assert _stored_sources(index) == set()


def test_remove_waits_for_no_one_while_another_process_writes(
    minutes_copy: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert referat("ingest", str(minutes_copy / LEJRE), index=index).returncode == 0
    with single_writer(Settings(index_dir=index).store, "referat serve"):
        busy = referat("remove", LEJRE, index=index)
    assert busy.returncode == 1
    assert "skrives allerede af" in busy.stderr
    assert _stored_sources(index) == {LEJRE}
