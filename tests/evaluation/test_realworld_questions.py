"""The real-world dev set (eval/realworld-questions.jsonl) against the Greve files it asks about.

Fast: the files are parsed with `parse_file`, nothing is embedded. Every answerable question must
cite open agenda items that exist in the parsed meetings, and every `must_contain` group must
occur in the text of those items (sections joined, with the meeting line the chunks carry:
municipality, committee, date, item title), so no expected value is invented.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache

from assistant.core.config import PROJECT_ROOT
from assistant.evaluation.evaluate import load_questions
from assistant.ingest.chunk import header_line
from assistant.ingest.parse import parse_file

EVAL = PROJECT_ROOT / "eval"
QUESTIONS = EVAL / "realworld-questions.jsonl"
GREVE = EVAL / "realworld" / "greve" / "firstagenda-json"


@lru_cache(maxsize=1)
def item_texts() -> dict[tuple[str, str, int], list[tuple[bool, str]]]:
    """(municipality, date, item number) -> (closed, text) for every item of every meeting.
    A list, because two meetings of one body on one day (Byråd 2025-09-08 17:15 and 17:30)
    share the key that the eval schema cites."""
    texts: dict[tuple[str, str, int], list[tuple[bool, str]]] = defaultdict(list)
    for path in sorted(GREVE.glob("*.json")):
        if "NOT-A-MEETING" in path.name:
            continue
        meeting = parse_file(path)
        for item in meeting.items:
            body = "\n".join(s.text for s in item.sections)
            key = (meeting.municipality, meeting.date.isoformat(), item.number)
            texts[key].append((item.closed, header_line(meeting, item) + "\n" + body))
    return texts


def test_the_file_loads_with_every_kind_of_the_sample_set():
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 60
    assert len({q.id for q in questions}) == len(questions)
    sample_kinds = {q.kind for q in load_questions(EVAL / "questions.jsonl")}
    kinds = Counter(q.kind for q in questions)
    assert sample_kinds <= set(kinds), sample_kinds - set(kinds)
    assert kinds["unanswerable"] >= 7
    assert all(count >= 5 for count in kinds.values()), kinds


def test_rows_have_exactly_the_schema_keys():
    keys = {"id", "question", "history", "answerable", "sources", "must_contain", "kind"}
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == keys, row["id"]
        assert all(set(s) == {"municipality", "meeting_date", "item"} for s in row["sources"])
        assert all(turn["role"] in ("user", "assistant") for turn in row["history"])
        assert bool(row["history"]) == (row["kind"] == "followup"), row["id"]


def test_unanswerable_rows_cite_nothing_and_expect_nothing():
    for question in load_questions(QUESTIONS):
        if not question.answerable:
            assert not question.sources and not question.must_contain, question.id
            assert question.kind == "unanswerable", question.id


def test_every_source_is_an_open_item_of_a_parsed_meeting():
    texts = item_texts()
    for question in load_questions(QUESTIONS):
        for municipality, date, number in question.sources:
            assert municipality == "Greve", question.id
            found = texts.get((municipality, date, number))
            assert found, f"{question.id}: {date} punkt {number} findes ikke"
            assert any(not closed for closed, _ in found), (
                f"{question.id}: punkt {number} er lukket"
            )


def test_every_expected_value_is_printed_in_the_cited_items():
    texts = item_texts()
    for question in load_questions(QUESTIONS):
        if not question.answerable:
            continue
        cited = "\n".join(
            text for source in question.sources for closed, text in texts[source] if not closed
        ).lower()
        for group in question.must_contain:
            assert any(s.lower() in cited for s in group), (
                f"{question.id}: {group} står ikke i kilderne"
            )
