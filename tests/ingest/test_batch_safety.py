"""A stored meeting is lost only when its replacement is stored; identity is the source's
path and the meeting's committee, day and source (issue 16, items 2-4).

Real components throughout: the sample minutes, Chroma in tmp_path, the e5 embedder. The
faults are real too: a chunk the store refuses (a metadata value Chroma does not take), a
repeated item number (chromadb's DuplicateIDError before), two files named referat.txt in
two folders, two meetings of one committee on one day.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.core.types import Chunk
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import SAMPLES

# One question per sample meeting, with a figure only that meeting prints.
ASKED = {
    "Mariagerfjord": (
        "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?",
        "1.609.500",
    ),
    "Lejre": ("Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?", "149"),
    "Vejle": (
        "Hvor mange penge bevilgede Arbejdsmarkedsudvalget i Vejle til at udvikle den "
        "fokuserede integrationsindsats?",
        "950.000",
    ),
    "Aabenraa": (
        "Hvor stor en andel af de unge i Aabenraas IPS Ung-forløb er kommet ud af offentlig "
        "forsørgelse, og hvad var målsætningen?",
        "38",
    ),
}


def assert_answers(assistant: Assistant, municipality: str, source: str) -> None:
    question, figure = ASKED[municipality]
    answer = assistant.ask(question)
    assert figure in answer.text, (municipality, answer.text)
    assert source in {c.source for c in answer.citations}, answer.citations


def chunks_of(path: Path, settings: Settings, source: str) -> list[Chunk]:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    meeting = replace(parse_file(path), source=source)
    return chunk_meeting(
        meeting,
        min_words=settings.chunk_min_words,
        max_words=settings.chunk_max_words,
        file_sha=sha,
    )


def stored_by_source(assistant: Assistant) -> dict[str, dict[str, str]]:
    by_source: dict[str, dict[str, str]] = {}
    for chunk in assistant.store.all_chunks():
        by_source.setdefault(chunk.source, {})[chunk.id] = chunk.text
    return by_source


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Assistant, Path]:
    """Mariagerfjord, Lejre and Vejle ingested from a folder of copies."""
    folder = tmp_path / "minutes"
    folder.mkdir()
    for name in ("Mariagerfjord", "Lejre", "Vejle"):
        shutil.copy(SAMPLES[name], folder / SAMPLES[name].name)
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    report = assistant.ingest([folder])
    assert report.meetings == 3 and not report.skipped, report
    return assistant, folder


# --- a batch write broken half-way -----------------------------------------------------------


def test_a_chunk_the_store_refuses_mid_batch_costs_only_its_own_file(
    stored: tuple[Assistant, Path],
) -> None:
    """One write of three new versions: Lejre's is good, Vejle's holds a chunk with a list
    in its metadata (Chroma takes only str/int/float/bool), Aabenraa's is new. Vejle's old
    version must stay whole and answerable, the others must be stored, and Mariagerfjord,
    not in the batch, must not be touched."""
    assistant, folder = stored
    before = stored_by_source(assistant)
    lejre, vejle = folder / SAMPLES["Lejre"].name, folder / SAMPLES["Vejle"].name
    lejre.write_text(
        lejre.read_text(encoding="utf-8").replace("149 fordrevne", "151 fordrevne"),
        encoding="utf-8",
    )
    vejle_new = chunks_of(vejle, assistant.settings, vejle.name)
    vejle_new[1] = replace(vejle_new[1], case_number=["15.00.00-G01-517-23"])  # type: ignore[arg-type]
    aabenraa = SAMPLES["Aabenraa"]
    batch = {
        lejre.name: chunks_of(lejre, assistant.settings, lejre.name),
        vejle.name: vejle_new,
        aabenraa.name: chunks_of(aabenraa, assistant.settings, aabenraa.name),
    }

    refused = assistant.store.replace_sources(batch)

    assert set(refused) == {vejle.name} and "case_number" in refused[vejle.name], refused
    after = stored_by_source(assistant)
    assert after[vejle.name] == before[vejle.name]
    assert after[SAMPLES["Mariagerfjord"].name] == before[SAMPLES["Mariagerfjord"].name]
    assert after[lejre.name] == {c.id: c.text for c in batch[lejre.name]}
    assert after[aabenraa.name] == {c.id: c.text for c in batch[aabenraa.name]}
    assistant.retriever.refresh()
    assert_answers(assistant, "Vejle", vejle.name)
    assert_answers(assistant, "Mariagerfjord", SAMPLES["Mariagerfjord"].name)
    assert_answers(assistant, "Aabenraa", aabenraa.name)
    answer = assistant.ask(ASKED["Lejre"][0])
    assert "151" in answer.text and "149" not in answer.text


def test_a_batch_with_one_id_twice_is_refused_for_that_file_before_anything_is_written(
    stored: tuple[Assistant, Path],
) -> None:
    assistant, folder = stored
    before = stored_by_source(assistant)
    vejle = folder / SAMPLES["Vejle"].name
    new = chunks_of(vejle, assistant.settings, vejle.name)
    refused = assistant.store.replace_sources({vejle.name: [*new, new[0]]})
    assert "to gange" in refused[vejle.name]
    assert stored_by_source(assistant) == before


def test_a_chunk_id_held_by_another_file_is_not_overwritten(
    stored: tuple[Assistant, Path],
) -> None:
    """The same meeting's chunks under another source name would replace the stored file's
    text through the upsert; they are refused instead."""
    assistant, folder = stored
    before = stored_by_source(assistant)
    lejre = folder / SAMPLES["Lejre"].name
    refused = assistant.store.replace_sources(
        {"kopi.txt": chunks_of(lejre, assistant.settings, "kopi.txt")}
    )
    assert f"tilhører allerede {lejre.name}" in refused["kopi.txt"]
    assert stored_by_source(assistant) == before


# --- repeated item numbers, same names, two meetings on one day ----------------------------


def awkward_folder(root: Path) -> dict[str, tuple[str, Path]]:
    """source -> (municipality, file): a file printing one item number twice, two files
    named referat.txt in two folders, and an extraordinary meeting of Lejre's committee
    on the day of its ordinary one (other start time, other figures)."""
    root.mkdir()
    files: dict[str, tuple[str, Path]] = {}

    def put(source: str, municipality: str, text: str) -> None:
        path = root / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files[source] = (municipality, path)

    aabenraa = SAMPLES["Aabenraa"].read_text(encoding="utf-8")
    assert "Punkt 73: " in aabenraa
    put("aabenraa-gentaget.txt", "Aabenraa", aabenraa.replace("Punkt 73: ", "Punkt 72: "))
    put("mariagerfjord/referat.txt", "Mariagerfjord", SAMPLES["Mariagerfjord"].read_text("utf-8"))
    put("vejle/referat.txt", "Vejle", SAMPLES["Vejle"].read_text(encoding="utf-8"))
    lejre = SAMPLES["Lejre"].read_text(encoding="utf-8")
    put("lejre-ordinaert.txt", "Lejre", lejre)
    extraordinary = lejre.replace("kl. 16:30", "kl. 15:00").replace(
        "149 fordrevne", "163 fordrevne"
    )
    assert extraordinary != lejre
    put("lejre-ekstraordinaert.txt", "Lejre", extraordinary)
    return files


def assert_every_meeting_stored(assistant: Assistant, files: dict[str, tuple[str, Path]]) -> None:
    by_source = stored_by_source(assistant)
    assert set(by_source) == set(files)
    for source, (_municipality, path) in files.items():
        expected = chunk_meeting(
            parse_file(path, source=source),
            min_words=assistant.settings.chunk_min_words,
            max_words=assistant.settings.chunk_max_words,
        )
        # Every chunk's text is stored (ids of the second Lejre meeting carry its variant).
        assert sorted(by_source[source].values()) == sorted(c.text for c in expected), source
    meetings = {c.meeting_id for c in assistant.store.all_chunks()}
    assert len(meetings) == len(files)


def test_a_folder_of_awkward_files_ingests_and_every_meeting_answers(tmp_path: Path) -> None:
    files = awkward_folder(tmp_path / "minutes")
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    report = assistant.ingest([tmp_path / "minutes"])
    assert report.meetings == len(files) and not report.skipped, report
    assert_every_meeting_stored(assistant, files)
    # Both items printed as 72 are there, as two items.
    repeated = {
        c.item_key
        for c in assistant.store.all_chunks()
        if c.source == "aabenraa-gentaget.txt" and c.item_number == 72
    }
    assert len(repeated) == 2
    assert_answers(assistant, "Aabenraa", "aabenraa-gentaget.txt")
    assert_answers(assistant, "Mariagerfjord", "mariagerfjord/referat.txt")
    assert_answers(assistant, "Vejle", "vejle/referat.txt")
    hits = assistant.retrieve(ASKED["Lejre"][0]).hits
    assert {"lejre-ordinaert.txt", "lejre-ekstraordinaert.txt"} <= {h.best.source for h in hits}
    answer = assistant.ask(ASKED["Lejre"][0])
    assert "149" in answer.text or "163" in answer.text

    # Nothing changed: nothing to do, and still two Lejre meetings.
    again = assistant.ingest([tmp_path / "minutes"])
    assert again.meetings == 0 and len(again.unchanged) == len(files), again
    assert_every_meeting_stored(assistant, files)


def test_a_reingest_of_changed_awkward_files_keeps_every_meeting(tmp_path: Path) -> None:
    """Before: a changed file with a repeated number crashed the batch after the old
    versions of the batch's files were deleted (32 -> 14 chunks)."""
    folder = tmp_path / "minutes"
    files = awkward_folder(folder)
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    assert assistant.ingest([folder]).meetings == len(files)

    repeated = files["aabenraa-gentaget.txt"][1]
    repeated.write_text(repeated.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ordinary = files["lejre-ordinaert.txt"][1]
    ordinary.write_text(
        ordinary.read_text(encoding="utf-8").replace("149 fordrevne", "151 fordrevne"),
        encoding="utf-8",
    )
    vejle = files["vejle/referat.txt"][1]
    vejle.write_text(vejle.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = assistant.ingest([folder])
    assert report.meetings == 3 and not report.skipped, report
    assert_every_meeting_stored(assistant, files)
    assert_answers(assistant, "Aabenraa", "aabenraa-gentaget.txt")
    assert_answers(assistant, "Vejle", "vejle/referat.txt")
    texts = {
        source: "\n".join(chunks.values()) for source, chunks in stored_by_source(assistant).items()
    }
    assert "151 fordrevne" in texts["lejre-ordinaert.txt"]
    assert "163 fordrevne" in texts["lejre-ekstraordinaert.txt"]


def test_the_same_content_under_another_path_is_not_stored_twice(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    (folder / "kopi").mkdir(parents=True)
    shutil.copy(SAMPLES["Lejre"], folder / "referat.txt")
    shutil.copy(SAMPLES["Lejre"], folder / "kopi" / "referat.txt")
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    report = assistant.ingest([folder])
    assert report.meetings == 1, report
    # Folders are read in sorted order: kopi/referat.txt comes first.
    assert "samme indhold som kopi/referat.txt" in dict(report.skipped)["referat.txt"]
    assert set(stored_by_source(assistant)) == {"kopi/referat.txt"}
