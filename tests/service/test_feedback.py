"""Staff feedback: the real SQLite store under concurrent writers, the export as evaluation
questions, and the `referat feedback` commands."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import pytest

from assistant.core.errors import FeedbackError, NoFeedbackYet, ReferatError
from assistant.core.types import Citation
from assistant.evaluation.evaluate import load_questions
from assistant.service.assistant import Assistant
from assistant.service.feedback import MAX_COMMENT_CHARS, Feedback, FeedbackStore
from tests.conftest import PROJECT_ROOT, referat

IPS = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
SENIORJOB = "Hvor mange seniorjob har Odense Kommune oprettet i 2024?"
# q044 of the question set: a follow-up that only makes sense after its history.
IPS_HISTORY = (
    {"role": "user", "content": "Hvad går IPS-projektet i Mariagerfjord ud på?"},
    {"role": "assistant", "content": "Mariagerfjord har fået midler fra puljen IPS for unge."},
)


def _citation(n: int, municipality: str, date: str, item: int, title: str) -> dict:
    return asdict(
        Citation(
            n=n,
            municipality=municipality,
            committee="Arbejdsmarkedsudvalget",
            meeting_date=date,
            item_number=item,
            item_title=title,
            case_number="24/1234",
            source=f"{municipality.lower()}.txt",
            quote=f"«{title}: udvalget godkendte indstillingen»",
            decision_status="godkendt",
        )
    )


FIRST = _citation(1, "Næstved", "2021-09-28", 95, "Ansøgning til investeringspuljen – ærø")
SECOND = _citation(2, "Aabenraa", "2024-09-02", 71, "Velfærdsaftalen på beskæftigelsesområdet")


def _feedback(rating: str = "up", **changes: object) -> Feedback:
    values: dict = {
        "question": "Hvad besluttede udvalget i Næstved om ansøgningen – og hvorfor?",
        "history": (
            {"role": "user", "content": "Hvad står der om investeringspuljen?"},
            {"role": "assistant", "content": "Næstved søger puljen [1]. Æøå «citat»."},
        ),
        "answer": "Udvalget godkendte ansøgningen [1], jf. også [2].",
        "citations": (FIRST, SECOND),
        "abstained": False,
        "rating": rating,
        "comment": "Præcist – tak! <b>fed</b>",
    }
    return Feedback(**(values | changes))


# --- the store ----------------------------------------------------------------------------


def test_record_and_entries_keep_every_field(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert path.exists()
    up = _feedback()
    down = _feedback("down", abstained=True, citations=(), answer="Det står ikke i referaterne.")
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    first_id, second_id = store.record(up), store.record(down)

    # A new store on the same file (another worker) reads the same rows.
    entries = FeedbackStore(path).entries()
    assert [e.id for e in entries] == [first_id, second_id] and first_id < second_id
    assert [e.feedback for e in entries] == [up, down]
    assert entries[0].feedback.citations[0]["item_title"].endswith("ærø")
    created = dt.datetime.fromisoformat(entries[0].created)
    assert created.tzinfo is not None and created.microsecond == 0
    assert before <= created <= dt.datetime.now().astimezone()
    assert [e.id for e in store.entries("up")] == [first_id]
    assert [e.id for e in store.entries("down")] == [second_id]


def test_the_uis_lists_and_message_dicts_are_stored_as_plain_turns(tmp_path: Path) -> None:
    history = [{"role": "user", "content": "Hej", "metadata": {"title": "x"}}]
    feedback = _feedback(history=history, citations=[FIRST])
    assert feedback.history == ({"role": "user", "content": "Hej"},)
    assert feedback.citations == (FIRST,)
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(feedback)
    assert store.entries()[0].feedback == feedback


def test_a_rating_and_a_comment_can_be_changed_later(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    feedback_id = store.record(_feedback(comment=""))
    store.set_rating(feedback_id, "down")
    store.add_comment(feedback_id, "Forkert punkt – det var punkt 96.")
    store.add_comment(feedback_id, "x" * MAX_COMMENT_CHARS)  # the latest text replaces it
    (entry,) = store.entries()
    assert entry.feedback.rating == "down"
    assert entry.feedback.comment == "x" * MAX_COMMENT_CHARS


def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    feedback_id = store.record(_feedback())
    with pytest.raises(FeedbackError, match=f"Feedback nr\\. {feedback_id + 1} findes ikke"):
        store.add_comment(feedback_id + 1, "hej")
    with pytest.raises(FeedbackError, match="findes ikke"):
        store.set_rating(feedback_id + 1, "up")
    too_long = "æ" * (MAX_COMMENT_CHARS + 1)
    with pytest.raises(
        FeedbackError, match="Kommentaren er 2001 tegn lang; den må højst være 2000 tegn"
    ):
        store.add_comment(feedback_id, too_long)
    with pytest.raises(FeedbackError, match="højst være 2000 tegn"):
        _feedback(comment=too_long)
    with pytest.raises(FeedbackError, match="Ugyldig vurdering 'sideways'"):
        store.set_rating(feedback_id, "sideways")  # type: ignore[arg-type]
    with pytest.raises(FeedbackError, match="Ugyldig vurdering"):
        _feedback("meh")
    with pytest.raises(FeedbackError, match="Ugyldig vurdering"):
        store.entries("meh")  # type: ignore[arg-type]
    with pytest.raises(FeedbackError, match="spørgsmål"):
        _feedback(question="  ")
    with pytest.raises(FeedbackError, match="Ugyldig tur"):
        _feedback(history=({"role": "system", "content": "Du er en hjælper"},))
    with pytest.raises(FeedbackError, match="mangler quote"):
        _feedback(citations=({k: v for k, v in FIRST.items() if k != "quote"},))
    assert isinstance(FeedbackError("x"), ReferatError)
    assert [e.feedback for e in store.entries()] == [_feedback()]


def test_a_database_of_an_unknown_version_or_another_program_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    FeedbackStore(newer)
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 7")
    with pytest.raises(FeedbackError, match=r"skema version 7, .* kender kun version 1"):
        FeedbackStore(newer)

    other = tmp_path / "chroma.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE embeddings (id INTEGER)")
    with pytest.raises(FeedbackError, match="ikke Referats feedback"):
        FeedbackStore(other)

    garbage = tmp_path / "notes.sqlite3"
    garbage.write_text("ikke en database " * 100, encoding="utf-8")
    with pytest.raises(FeedbackError, match="kan ikke bruges som feedback-database"):
        FeedbackStore(garbage)


def test_a_store_that_must_not_create_refuses_a_missing_file_and_leaves_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feedback.sqlite3"
    with pytest.raises(
        NoFeedbackYet, match=re.escape(f"Ingen feedback endnu: {path} findes ikke.")
    ):
        FeedbackStore(path, create=False)
    assert not path.exists()


# --- many writers at once -----------------------------------------------------------------


def test_eight_threads_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    """What Gradio's worker threads do: one store, many simultaneous writers."""
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    start = threading.Barrier(8)

    def worker(thread: int) -> list[int]:
        start.wait()
        return [
            store.record(_feedback(question=f"Tråd {thread} spørgsmål {i} – æøå"))
            for i in range(25)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = [i for batch in pool.map(worker, range(8)) for i in batch]  # re-raises errors
    assert len(ids) == len(set(ids)) == 200
    entries = store.entries()
    assert sorted(e.id for e in entries) == sorted(ids)
    assert {e.feedback.question for e in entries} == {
        f"Tråd {t} spørgsmål {i} – æøå" for t in range(8) for i in range(25)
    }


WRITER = """
import sys, time
from pathlib import Path
from assistant.service.feedback import Feedback, FeedbackStore

path, folder, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
(folder / f"ready-{name}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
store = FeedbackStore(path)  # both processes create the database at the same moment
for i in range(100):
    store.record(Feedback(f"{name} {i}", (), "svar", (), False, "up" if i % 2 else "down"))
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "feedback.sqlite3"
    names = ("proces-a", "proces-b")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(tmp_path), name],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{name}").exists() for name in names):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr

    entries = FeedbackStore(path).entries()
    assert len({e.id for e in entries}) == 200
    assert {e.feedback.question for e in entries} == {f"{n} {i}" for n in names for i in range(100)}


# --- the export -------------------------------------------------------------------------


def _export(tmp_path: Path, rating: str = "up") -> list[dict]:
    out = tmp_path / "out" / f"{rating}.jsonl"
    count = _rated_store(tmp_path).export_questions(out, rating)  # type: ignore[arg-type]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count
    return [json.loads(line) for line in lines]


def _rated_store(tmp_path: Path) -> FeedbackStore:
    """Entries 1-3: up and answered, up and abstained, down (in that order)."""
    path = tmp_path / "feedback.sqlite3"
    if path.exists():
        return FeedbackStore(path)
    store = FeedbackStore(path)
    store.record(_feedback())
    store.record(
        _feedback(
            question="Hvad var ledigheden i Aabenraa i sommeren 2024?",
            history=(),
            answer="Det står ikke i referaterne.",
            citations=(),
            abstained=True,
            comment="",
        )
    )
    store.record(_feedback("down", comment="Det var punkt 96, ikke 95."))
    return store


def test_an_approved_answer_becomes_a_question_sourced_by_its_first_citation(
    tmp_path: Path,
) -> None:
    answered, abstained = _export(tmp_path, "up")
    assert answered == {
        "id": "fb0001",
        "question": _feedback().question,
        "history": list(_feedback().history),
        "answerable": True,
        "sources": [{"municipality": "Næstved", "meeting_date": "2021-09-28", "item": 95}],
        "must_contain": [],
        "kind": "feedback",
        "rating": "up",
        "comment": "Præcist – tak! <b>fed</b>",
        "answer": _feedback().answer,
        "created": answered["created"],
    }
    # Staff confirmed the minutes do not say: an unanswerable question.
    assert abstained["id"] == "fb0002"
    assert (abstained["answerable"], abstained["sources"], abstained["must_contain"]) == (
        False,
        [],
        [],
    )
    assert "needs_review" not in answered and "needs_review" not in abstained
    # Written as UTF-8, not as \\u escapes, so a reviewer can edit the file.
    assert "Præcist" in (tmp_path / "out" / "up.jsonl").read_text(encoding="utf-8")


def test_a_rejected_answer_is_exported_for_review_and_eval_refuses_it_until_then(
    tmp_path: Path,
) -> None:
    assert [row["id"] for row in _export(tmp_path, "up")] == ["fb0001", "fb0002"]
    (down,) = _export(tmp_path, "down")
    assert down["id"] == "fb0003" and down["rating"] == "down"
    assert (down["answerable"], down["sources"], down["needs_review"]) == (True, [], True)
    assert down["comment"] == "Det var punkt 96, ikke 95."
    assert [row["id"] for row in _export(tmp_path, "all")] == ["fb0001", "fb0002", "fb0003"]

    assert [q.id for q in load_questions(tmp_path / "out" / "up.jsonl")] == ["fb0001", "fb0002"]
    with pytest.raises(
        ReferatError, match=r"linje 1: fb0003 skal gennemgås først: .*Udfyld sources"
    ):
        load_questions(tmp_path / "out" / "down.jsonl")

    # The reviewer fills in the item: now it can be scored.
    reviewed = tmp_path / "reviewed.jsonl"
    down["sources"] = [{"municipality": "Næstved", "meeting_date": "2021-09-28", "item": 96}]
    reviewed.write_text(json.dumps(down, ensure_ascii=False) + "\n", encoding="utf-8")
    (question,) = load_questions(reviewed)
    assert question.sources == {("Næstved", "2021-09-28", 96)}


def test_an_answerable_row_without_sources_cannot_be_scored(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    row = {"id": "q900", "question": "Hvad?", "answerable": True, "sources": []}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ReferatError, match=r"q900 kan ikke scores: .*sæt answerable til false"):
        load_questions(path)


@pytest.mark.slow
def test_real_answers_staff_approved_run_through_referat_eval(
    sample_assistant: Assistant, cli_index: Path, tmp_path: Path
) -> None:
    """Real answers rated up become questions the evaluation scores as the staff did."""
    figure = sample_assistant.ask(IPS)
    followup = sample_assistant.ask("Hvem er projektejer?", list(IPS_HISTORY))
    unanswerable = sample_assistant.ask(SENIORJOB)
    assert not figure.abstained and not followup.abstained and unanswerable.abstained
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(Feedback.for_answer(figure, (), "up", "Beløbet passer."))
    store.record(Feedback.for_answer(followup, IPS_HISTORY, "up"))
    store.record(Feedback.for_answer(unanswerable, (), "up", "Rigtigt: det står ikke der."))
    store.record(Feedback.for_answer(figure, (), "down", "Not exported: rated down."))

    exported = tmp_path / "feedback.jsonl"
    assert store.export_questions(exported) == 3
    questions = load_questions(exported)
    assert [q.id for q in questions] == ["fb0001", "fb0002", "fb0003"]
    # The answer led with the item the question set names for q001 (and q044).
    ips_item = {("Mariagerfjord", "2024-01-04", 2)}
    assert questions[0].sources == questions[1].sources == ips_item
    assert questions[1].history == IPS_HISTORY
    assert (questions[2].answerable, questions[2].sources) == (False, frozenset())

    out = tmp_path / "run"
    result = referat("eval", str(exported), "--out", str(out), index=cli_index)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(line) for line in (out / "RESULTS.jsonl").read_text().splitlines()]
    assert [row["id"] for row in rows] == ["fb0001", "fb0002", "fb0003"]
    figures = json.loads((out / "summary.json").read_text(encoding="utf-8"))["metrics"]
    assert figures["feedback"]["hit@1"] == 1.0
    assert figures["feedback"]["abstention_recall"] == 1.0


# --- the commands -------------------------------------------------------------------------


@pytest.mark.slow
def test_feedback_commands_on_a_missing_database_fail_and_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "feedback.sqlite3"
    out = tmp_path / "feedback.jsonl"
    for command in (("export", "--out", str(out)), ("list",)):
        result = referat("feedback", *command, "--db", str(missing))
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"Ingen feedback endnu: {missing} findes ikke." in result.stderr
    assert not missing.exists() and not missing.parent.exists() and not out.exists()


@pytest.mark.slow
def test_feedback_list_and_export_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "feedback.sqlite3"
    _rated_store(tmp_path)

    listed = referat("feedback", "list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert "Hvad besluttede udvalget i Næstved om ansøgningen…" in listed.stdout
    assert "Næstved 2021-09-28 punkt 95" in listed.stdout
    assert "Præcist – tak! <b>fed</b>" in listed.stdout
    assert "3 vurderinger" in listed.stdout
    down = referat("feedback", "list", "--rating", "down", "--db", str(db))
    assert "1 vurderinger" in down.stdout and "Det var punkt 96" in down.stdout

    # Without --db the setting decides (REFERAT_FEEDBACK_DB here), like every other setting.
    monkeypatch.setenv("REFERAT_FEEDBACK_DB", str(db))
    out = tmp_path / "questions" / "feedback.jsonl"
    exported = referat("feedback", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert f"2 spørgsmål skrevet til {out}" in exported.stdout
    assert [q.id for q in load_questions(out)] == ["fb0001", "fb0002"]

    bad = referat("feedback", "export", "--rating", "sideways", "--out", str(out))
    assert bad.returncode == 2 and "up, down eller all" in bad.stderr
