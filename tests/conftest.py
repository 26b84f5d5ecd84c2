"""Shared fixtures: the real sample minutes, a real Chroma index, the real e5 embedder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.config import PROJECT_ROOT, Settings
from assistant.core.types import Chunk
from assistant.evaluation.evaluate import below_floors, load_floors
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.llm_support import llama_server, model_path  # noqa: F401  (session fixtures)

# The exported e5 folder and Infinity serving it (session fixtures); a plugin, not an import,
# because that module uses this one's helpers.
pytest_plugins = ["tests.embedding_support"]

# Tests that need these fixtures run the small local LLM: they are marked `llm`, so that
# `make test` can run them by themselves once the rest is done. llama.cpp on 2 cores slows
# down far more than 2x when another test shares the cores.
LLM_FIXTURES = frozenset({"llama_server", "model_path"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if LLM_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.llm)


MINUTES_DIR = PROJECT_ROOT / "eval" / "minutes"
QUESTIONS = PROJECT_ROOT / "eval" / "questions.jsonl"
REFERAT = Path(sys.executable).with_name("referat")


GREVE_JSON = PROJECT_ROOT / "eval/realworld/greve/firstagenda-json"


def real_item(path: Path, title: str) -> list[Chunk]:
    """The chunks of the item titled `title` of a real minutes file, as ingest makes them:
    for tests of one answer on one real item, with no index to build."""
    chunks = [
        chunk
        for chunk in chunk_meeting(parse_file(path, source=path.name))
        if chunk.item_title == title
    ]
    assert chunks, f"{path.name} has no item {title!r}"
    return chunks


def referat(
    *args: str,
    index: Path | None = None,
    timeout: int = 900,
    typed: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The `referat` console script as a user runs it, on the index folder `index`; `typed`
    is what the user types (standard input), `env` extra environment variables."""
    command = [str(REFERAT), *(["--index", str(index)] if index else []), *args]
    return subprocess.run(
        command,
        input=typed,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        # COLUMNS: error boxes are not wrapped mid-message.
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=PROJECT_ROOT,
    )


def eval_above_floors(index: Path, questions: Path, floors: Path, run: str, out: Path) -> dict:
    """`referat eval` of `questions` on `index` as a user runs it, with `--floors` (and
    `--retrieval-only` when `run` is "retrieval"); asserts it passed and that no headline
    figure fell under its floor, and returns the overall figures."""
    only = ["--retrieval-only"] if run == "retrieval" else []
    result = referat(
        "eval", str(questions), *only, "--out", str(out), "--floors", str(floors),
        index=index, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    overall = summary["metrics"]["overall"]
    assert below_floors(overall, load_floors(floors, run)) == []
    return overall


SAMPLES = {
    "Mariagerfjord": MINUTES_DIR / "000_680523cb48f2d67a.txt",
    "Lejre": MINUTES_DIR / "001_93fee63c342961f4.txt",
    "Aabenraa": MINUTES_DIR / "002_5d5236c396f8e31c.txt",
    "Vejle": MINUTES_DIR / "003_177e3dc2fbab5849.txt",
    "Næstved": MINUTES_DIR / "004_375598311d2809c3.txt",
}
MARIAGERFJORD = SAMPLES["Mariagerfjord"].name
LEJRE = SAMPLES["Lejre"].name
AABENRAA = SAMPLES["Aabenraa"].name
VEJLE = SAMPLES["Vejle"].name
NAESTVED = SAMPLES["Næstved"].name
FILES = (MARIAGERFJORD, LEJRE, AABENRAA, VEJLE, NAESTVED)


@pytest.fixture(scope="session")
def sample_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """All five samples ingested once into a Chroma store in a temporary folder."""
    settings = Settings(index_dir=tmp_path_factory.mktemp("index"))
    assistant = build_assistant(settings)
    report = assistant.ingest([MINUTES_DIR])
    assert report.meetings == 5, report
    return assistant


@pytest.fixture(scope="session")
def cli_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples ingested once through `referat ingest`, for the CLI tests to query.
    Its own folder: two processes must not share one embedded Chroma store."""
    folder = tmp_path_factory.mktemp("cli-index")
    result = referat("ingest", str(MINUTES_DIR), index=folder)
    assert result.returncode == 0, result.stderr
    assert "Møder: 5" in result.stdout
    return folder


@pytest.fixture
def minutes_copy(tmp_path: Path) -> Path:
    """A private folder with copies of two samples, for tests that change files."""
    folder = tmp_path / "minutes"
    folder.mkdir()
    for name in ("Lejre", "Vejle"):
        shutil.copy(SAMPLES[name], folder / SAMPLES[name].name)
    return folder
