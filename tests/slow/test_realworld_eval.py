"""The real-world dev set's CI gate: the 16 real Greve meetings in FirstAgenda's publication
JSON (`eval/realworld/`), ingested as a user would, and the 105 questions about them
(`eval/realworld-questions.jsonl`) answered through the real pipeline. `.ci/run` fails when a
headline figure falls under its floor in `eval/realworld-floors.json`, for the full answer
and for retrieval alone.

Slow: the folder is 828 chunks, about two minutes of embedding on an idle 2-core machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.evaluate import load_floors
from tests.conftest import PROJECT_ROOT, eval_above_floors, referat

REALWORLD = PROJECT_ROOT / "eval" / "realworld"
QUESTIONS = PROJECT_ROOT / "eval" / "realworld-questions.jsonl"
FLOORS = PROJECT_ROOT / "eval" / "realworld-floors.json"


@pytest.fixture(scope="module")
def realworld_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("realworld-index")
    result = referat("ingest", str(REALWORLD), index=folder, timeout=3600)
    assert result.returncode == 0, result.stderr
    # Every meeting stored; the three files that are not minutes skipped with their reason.
    assert "Møder: 16" in result.stdout, result.stdout
    for name in (
        "2025-08-29_sundhed-og-omsorg_sager-paa-vej_ATTACHMENT-not-minutes.pdf",
        "2014-03-24_to_2014-12-17_meeting-list-page_NOT-MINUTES.html",
        "2024-12-31_spoergsmaal-svar-til-byraadet_NOT-A-MEETING.json",
    ):
        assert f"{name}: " in result.stdout, (name, result.stdout)
    return folder


@pytest.mark.parametrize("run", ["answer", "retrieval"])
def test_the_real_world_dev_set_stays_above_its_floors(
    realworld_index: Path, tmp_path: Path, run: str
) -> None:
    overall = eval_above_floors(realworld_index, QUESTIONS, FLOORS, run, tmp_path)
    assert overall["questions"] == 105


def test_the_floors_name_only_figures_the_eval_produces() -> None:
    produced = {"hit@1", "hit@5", "mrr", "answer_match", "fact_first", "abstention_precision",
                "abstention_recall"}  # fmt: skip
    for run in ("answer", "retrieval"):
        floors = load_floors(FLOORS, run)
        assert floors and set(floors) <= produced
        assert all(0 < value <= 1 for value in floors.values())
