"""The evaluation: the dev question set itself, the figures, the report, and the CI gate.

The gate is `referat eval --floors eval/floors.json` on the dev set through the real pipeline
(run below, so `.ci/run` fails when a headline figure falls under its floor); a deliberately
broken retriever is shown to fail it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.core.errors import ReferatError
from assistant.core.types import ItemHit
from assistant.evaluation.evaluate import (
    below_floors,
    load_floors,
    load_questions,
    load_summary,
    metrics,
    run_eval,
)
from assistant.ingest.parse import parse_file
from assistant.service.assistant import Assistant
from tests.conftest import PROJECT_ROOT, QUESTIONS, SAMPLES, eval_above_floors, referat

FLOORS_FILE = PROJECT_ROOT / "eval" / "floors.json"
KINDS = {
    "figure",
    "date",
    "person",
    "decision",
    "attendance",
    "list",
    "cross_meeting",
    "followup",
    "paraphrase",
    "unanswerable",
}
ROW_KEYS = {"id", "question", "history", "answerable", "sources", "must_contain", "kind"}
# Closed items and signature pages (eval/README.md): never a question's source.
NEVER_SOURCES = {
    ("Mariagerfjord", "2024-01-04", 7),
    ("Lejre", "2023-09-06", 6),
    ("Aabenraa", "2024-09-02", 76),
    ("Vejle", "2023-10-05", 84),
    ("Næstved", "2021-09-28", 99),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- the question set -------------------------------------------------------------------


def _sample_items() -> dict[tuple[str, str, int], str]:
    """(municipality, date, item number) -> the item's whole text, for every sample item."""
    items = {}
    for municipality, path in SAMPLES.items():
        meeting = parse_file(path)
        for item in meeting.items:
            text = " ".join([item.title, *(s.text for s in item.sections)])
            items[(municipality, meeting.date.isoformat(), item.number)] = text
    return items


def test_question_set_has_the_schema_and_coverage_the_readme_promises() -> None:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80
    assert all(set(row) == ROW_KEYS for row in rows), "every row has exactly the schema's keys"
    assert len({row["id"] for row in rows}) == len(rows)
    kinds = Counter(row["kind"] for row in rows)
    assert set(kinds) == KINDS
    assert min(kinds.values()) >= 8, kinds
    for row in rows:
        assert row["answerable"] == bool(row["sources"]) == bool(row["must_contain"]), row["id"]
        if row["kind"] == "followup":
            assert row["history"] and row["history"][-1]["role"] == "assistant", row["id"]


@pytest.mark.parametrize("questions", [QUESTIONS, PROJECT_ROOT / "eval" / "answer-questions.jsonl"])
def test_every_answer_key_is_printed_in_the_items_the_question_cites(questions: Path) -> None:
    """The key was typed from the minutes: each group occurs in the cited items' text
    (municipality names of cross-meeting questions come from meeting headers instead)."""
    items = _sample_items()
    for question in load_questions(questions):
        cited = []
        for municipality, date, number in question.sources:
            key = (municipality, date, number)
            assert key in items, f"{question.id}: no such item {key}"
            assert key not in NEVER_SOURCES, f"{question.id} cites a closed item or signatures"
            cited.append(items[key].lower())
        text = " ".join(cited)
        for group in question.must_contain:
            if question.kind in NAMED_FROM_HEADERS and all(alt in SAMPLES for alt in group):
                continue
            assert any(alt.lower() in text for alt in group), f"{question.id}: {group}"


# Issue 18's question set: whole meetings, developments, several municipalities, and near
# misses of each kind with answerable twins, so abstention precision is measured per kind.
ANSWER_QUESTIONS = PROJECT_ROOT / "eval" / "answer-questions.jsonl"
ANSWER_FLOORS = PROJECT_ROOT / "eval" / "answer-floors.json"
ANSWER_KINDS = {
    "whole_meeting", "development", "several_municipalities", "near_miss_year",
    "near_miss_group", "near_miss_kind", "near_miss_unprinted", "empty_scope",
}  # fmt: skip
# Kinds whose answer names the municipalities from the meetings' headers.
NAMED_FROM_HEADERS = {"cross_meeting", "whole_meeting", "several_municipalities"}


def test_the_answer_set_covers_each_near_miss_with_answerable_twins() -> None:
    questions = load_questions(ANSWER_QUESTIONS)
    assert len(questions) >= 40 and {q.kind for q in questions} == ANSWER_KINDS
    for kind in ANSWER_KINDS - {"whole_meeting", "development", "several_municipalities"}:
        members = [q for q in questions if q.kind == kind]
        assert sum(not q.answerable for q in members) >= 4, kind
        assert sum(q.answerable for q in members) >= 2, kind
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    for question in questions:
        assert question.answerable == bool(question.sources) == bool(question.must_contain)


# --- figures and the gate ---------------------------------------------------------------


def test_floors_file_names_only_figures_the_eval_produces() -> None:
    produced = metrics(load_questions(QUESTIONS)[:1], [_empty_row("q001")])["overall"]
    for floors_file, runs in ((FLOORS_FILE, ("answer", "retrieval")), (ANSWER_FLOORS, ("answer",))):
        for run in runs:
            floors = load_floors(floors_file, run)
            assert floors and set(floors) <= set(produced)
            assert all(0 < value <= 1 for value in floors.values())


@pytest.mark.slow
def test_the_answer_set_stays_above_its_floors(cli_index: Path, tmp_path: Path) -> None:
    overall = eval_above_floors(cli_index, ANSWER_QUESTIONS, ANSWER_FLOORS, "answer", tmp_path)
    assert overall["questions"] == len(load_questions(ANSWER_QUESTIONS))
    # Answerable questions answered "not in the minutes" stay rare.
    assert overall["wrongly_abstained"] <= 0.05


def _empty_row(question_id: str) -> dict:
    return {"id": question_id, "answer": "", "abstained": True, "citations": [], "latency_s": 0}


@pytest.mark.slow
def test_ci_gate_passes_on_the_dev_set_and_writes_the_report(
    cli_index: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    result = referat(
        "eval", str(QUESTIONS), "--out", str(out), "--floors", str(FLOORS_FILE), index=cli_index
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alle nøgletal over gulvene" in result.stdout

    questions = load_questions(QUESTIONS)
    rows = [json.loads(line) for line in (out / "RESULTS.jsonl").read_text().splitlines()]
    assert [row["id"] for row in rows] == [q.id for q in questions]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["run"]["mode"] == "hybrid" and summary["run"]["answerer"] == "extractive"
    assert set(summary["metrics"]) == {"overall", *KINDS}
    # The extractive answerer quotes: the citation guard never has anything to correct.
    overall = summary["metrics"]["overall"]
    assert (overall["guard_corrected"], overall["guard_fallback"]) == (0.0, 0.0)
    floors = load_floors(FLOORS_FILE, "answer")
    assert below_floors(summary["metrics"]["overall"], floors) == []

    report = (out / "report.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| {kind} | {summary['metrics'][kind]['questions']} |" in report
    assert "![Nøgletal pr. type](per-kind.png)" in report
    chart = (out / "per-kind.png").read_bytes()
    assert chart.startswith(PNG_SIGNATURE) and len(chart) > 10_000

    # The retrieval-only gate, compared against the run above.
    again = referat(
        "eval", str(QUESTIONS), "--retrieval-only", "--out", str(tmp_path / "retrieval"),
        "--compare", str(out / "summary.json"), "--floors", str(FLOORS_FILE), index=cli_index,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Ændring mod" in again.stdout and "Alle nøgletal over gulvene" in again.stdout
    retrieval = json.loads((tmp_path / "retrieval" / "summary.json").read_text())
    assert retrieval["run"]["retrieval_only"] is True
    assert retrieval["metrics"]["overall"]["answer_match"] is None
    assert retrieval["metrics"]["overall"]["hit@5"] >= 0.9
    changes = (tmp_path / "retrieval" / "report.md").read_text(encoding="utf-8")
    assert "## Ændring mod tidligere kørsel" in changes


@pytest.mark.slow
def test_gate_exits_1_and_names_the_figure_under_its_floor(cli_index: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"answer": {"hit@5": 0.5, "answer_match": 0.99}, "retrieval": {}}),
        encoding="utf-8",
    )
    few = tmp_path / "questions.jsonl"
    few.write_text("\n".join(QUESTIONS.read_text().splitlines()[:6]), encoding="utf-8")
    result = referat(
        "eval", str(few), "--out", str(tmp_path / "run"), "--floors", str(floors), index=cli_index
    )
    assert result.returncode == 1
    assert "answer_match" in result.stderr and "hit@5" not in result.stderr


def test_a_floored_figure_the_run_did_not_measure_fails_the_gate() -> None:
    assert below_floors({"hit@1": 0.95, "answer_match": None}, {"hit@1": 0.9}) == []
    assert below_floors({"hit@1": 0.95, "answer_match": None}, {"answer_match": 0.4}) == [
        "answer_match: ikke målt i denne kørsel (gulv 0.4)"
    ]


def _gate(assistant: Assistant, questions: list) -> list[str]:
    """What `.ci/run` checks (test_ci_gate_passes... above): the answer floors on a full run
    and the retrieval floors on a retrieval-only run, with the CLI's own functions."""
    failures = []
    for run, retrieval_only in (("answer", False), ("retrieval", True)):
        rows = run_eval(assistant, questions, retrieval_only=retrieval_only)
        overall = metrics(questions, rows)["overall"]
        failures += [
            f"{run} {line}" for line in below_floors(overall, load_floors(FLOORS_FILE, run))
        ]
    return failures


def test_a_deliberately_broken_retriever_fails_the_gate(
    sample_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two breaks a change could bring: the ranking turned upside down (a sort-order bug),
    and a search that ignores the question (a query that never reaches the index). Each
    fails the same gate the healthy retriever passes."""
    questions = load_questions(QUESTIONS)
    assert _gate(sample_assistant, questions) == []
    search = sample_assistant.retriever.search

    def upside_down(question: str, *args: object, **kwargs: object) -> list[ItemHit]:
        return list(reversed(search(question, *args, **kwargs)))

    def ignores_the_question(question: str, *args: object, **kwargs: object) -> list[ItemHit]:
        return search("møde", *args, **kwargs)

    for broken in (upside_down, ignores_the_question):
        monkeypatch.setattr(sample_assistant.retriever, "search", broken)
        failures = _gate(sample_assistant, questions)
        assert any("hit@1" in line for line in failures), (broken.__name__, failures)


def test_retrieval_only_rows_carry_the_retrievers_own_ranking(
    sample_assistant: Assistant,
) -> None:
    questions = [q for q in load_questions(QUESTIONS) if q.answerable][:10]
    rows = run_eval(sample_assistant, questions, retrieval_only=True)
    assert all("answer" not in row and 0 < len(row["citations"]) <= 5 for row in rows)
    figures = metrics(questions, rows)["overall"]
    assert figures["answer_match"] is None and figures["abstention_precision"] is None
    assert figures["hit@5"] >= 0.9


def test_summary_from_something_else_is_refused_clearly(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ReferatError, match="mangler 'overall'"):
        load_summary(other)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ReferatError, match="kan ikke læses"):
        load_summary(broken)
    with pytest.raises(ReferatError, match="kan ikke læses"):
        load_floors(broken, "answer")
    with pytest.raises(ReferatError, match="'retrieval'"):
        load_floors(other, "retrieval")


# --- the retrieval benchmark ------------------------------------------------------------


@pytest.mark.slow
def test_benchmark_puts_every_retrieval_setting_side_by_side(
    cli_index: Path, tmp_path: Path
) -> None:
    result = referat("eval", str(QUESTIONS), "--benchmark", "--out", str(tmp_path), index=cli_index)
    assert result.returncode == 0, result.stderr
    table = json.loads((tmp_path / "retrieval-benchmark.json").read_text())["settings"]
    settings = {(row["retrieval"], row["question_filters"]) for row in table}
    assert settings == {
        (name, filters)
        for name in ("BM25", "dense (e5)", "hybrid RRF", "hybrid RRF + reranker")
        for filters in (True, False)
    }
    by_setting = {(row["retrieval"], row["question_filters"]): row for row in table}
    hybrid = by_setting[("hybrid RRF", True)]
    # Fusion must not lose what either side finds alone.
    assert hybrid["hit@5"] >= max(
        by_setting[("BM25", True)]["hit@5"], by_setting[("dense (e5)", True)]["hit@5"]
    )
    assert (tmp_path / "retrieval-benchmark.md").read_text().count("| hybrid RRF") == 4


def test_modes_are_reported_side_by_side(
    cli_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--modes` answers the same questions in each mode and puts the figures side by side.
    The OpenAI-compatible server here does not answer (nothing listens on its port), so that
    column shows the guard's fallback to the quotes; a real model's run is in the README."""
    from tests.llm_support import free_port

    monkeypatch.setenv("REFERAT_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("REFERAT_LLM_MODEL", "qwen-small")
    monkeypatch.setenv("REFERAT_LLM_TIMEOUT_S", "5")
    out = tmp_path / "modes"
    result = referat(
        "eval", str(QUESTIONS), "--out", str(out), "--per-kind", "1",
        "--modes", "extractive,openai-compatible", index=cli_index,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    side_by_side = json.loads((out / "modes.json").read_text(encoding="utf-8"))["modes"]
    assert list(side_by_side) == ["extractive", "openai-compatible"]
    assert side_by_side["extractive"]["guard_fallback"] == 0
    assert side_by_side["openai-compatible"]["guard_fallback"] > 0
    for figures in side_by_side.values():
        # --per-kind 1: one question of each of the ten kinds.
        assert figures["questions"] == 10 and figures["unsupported_numbers"] == 0
    for mode in side_by_side:
        summary = json.loads((out / mode / "summary.json").read_text(encoding="utf-8"))
        assert summary["run"]["answerer"] == mode
    table = (out / "modes.md").read_text(encoding="utf-8")
    assert "| nøgletal | extractive | openai-compatible |" in table
    assert "tal uden kilde" in table
