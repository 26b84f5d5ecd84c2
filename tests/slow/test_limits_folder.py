"""A folder of readable minutes beside files past each limit (issue 16, part 4), end to end:
a real Chroma index with the e5 embedder, the rest of the folder stored and answerable,
each refused file named with its limit. Slow: embedding three meetings takes half a
minute on a shared CPU; the limits themselves are tested fast in tests/ingest/test_limits.py.
"""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

from assistant.core.config import Settings
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import SAMPLES
from tests.ingest.test_limits import nested_page, paged_pdf, sample_text, sparse_file, with_line

pytestmark = pytest.mark.slow


@dataclasses.dataclass(frozen=True)
class FolderRun:
    assistant: Assistant
    stored: set[str]
    skipped: dict[str, str]


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory: pytest.TempPathFactory) -> FolderRun:
    """A folder of readable minutes beside files past each limit, hidden files and a non-UTF-8
    name, ingested into a real Chroma index with the e5 embedder."""
    folder = tmp_path_factory.mktemp("limits") / "minutes"
    folder.mkdir()
    shutil.copy(SAMPLES["Lejre"], folder / "lejre.txt")
    (folder / "vejle-prikker.txt").write_text(
        with_line(sample_text("Vejle"), "." * 41_000), encoding="utf-8"
    )
    with open(os.path.join(os.fsencode(folder), b"mariagerfjord-m\xf8de.txt"), "wb") as out:
        out.write(SAMPLES["Mariagerfjord"].read_bytes())
    sparse_file(folder / "kæmpe.txt")
    paged_pdf(folder / "lang.pdf", 8)
    (folder / "dyb.html").write_text(nested_page(2_000), encoding="utf-8")
    (folder / "uafsluttet.html").write_text(
        "<html><body><p>Referat</p>" + "<a " * 100_000, encoding="utf-8"
    )
    shutil.copy(SAMPLES["Næstved"], folder / ".skjult.txt")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    settings = Settings(index_dir=folder.parent / "index", max_pdf_pages=5)
    assistant = build_assistant(settings)
    report = assistant.ingest([folder])
    return FolderRun(
        assistant,
        {chunk.source for chunk in assistant.store.all_chunks()},
        dict(report.skipped),
    )


def test_a_folder_stores_its_readable_files_beside_the_refused_ones(folder_run: FolderRun) -> None:
    assert folder_run.stored == {
        "lejre.txt",
        "vejle-prikker.txt",
        "mariagerfjord-møde.txt",
    }
    assert set(folder_run.skipped) == {
        "kæmpe.txt",
        "lang.pdf",
        "dyb.html",
        "uafsluttet.html",
        ".skjult.txt",
        ".DS_Store",
    }


@pytest.mark.parametrize(
    ("source", "setting"),
    [
        ("kæmpe.txt", "REFERAT_MAX_FILE_MB"),
        ("lang.pdf", "REFERAT_MAX_PDF_PAGES"),
        ("dyb.html", "REFERAT_MAX_HTML_DEPTH"),
    ],
)
def test_each_refused_file_is_named_with_its_limit(
    folder_run: FolderRun, source: str, setting: str
) -> None:
    assert setting in folder_run.skipped[source]


def test_the_stored_files_answer_and_the_hidden_copy_is_not_in_the_index(
    folder_run: FolderRun,
) -> None:
    answer = folder_run.assistant.ask(
        "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
    )
    assert "149" in answer.text
    answer = folder_run.assistant.ask(
        "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
    )
    assert "1.609.500" in answer.text
    assert {c.source for c in answer.citations} == {"mariagerfjord-møde.txt"}
    municipalities = {chunk.municipality for chunk in folder_run.assistant.store.all_chunks()}
    assert "Næstved" not in municipalities
    texts = " ".join(chunk.text for chunk in folder_run.assistant.store.all_chunks())
    assert "Ã" not in texts and "\x00" not in texts
