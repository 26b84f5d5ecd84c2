"""Question set -> one result row per question and the headline metrics.

Question rows (eval/README.md): id, question, history, answerable, sources
[{meeting_date, item}], must_contain [[alternatives], ...], kind.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.chat import Assistant
from assistant.errors import ReferatError
from assistant.retrieve import Mode


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    history: tuple[dict, ...]
    answerable: bool
    sources: frozenset[tuple[str, str, int]]  # (municipality or "" for any, date, item)
    must_contain: tuple[tuple[str, ...], ...]
    kind: str


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                Question(
                    id=str(row["id"]),
                    question=row["question"],
                    history=tuple(row.get("history") or ()),
                    answerable=bool(row.get("answerable", True)),
                    sources=frozenset(
                        (s.get("municipality", ""), s["meeting_date"], int(s["item"]))
                        for s in row.get("sources", [])
                    ),
                    must_contain=tuple(tuple(group) for group in row.get("must_contain", [])),
                    kind=row.get("kind", "other"),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ReferatError(f"{path.name} linje {number}: ugyldig række ({error})") from error
    return questions


def run_eval(
    assistant: Assistant, questions: Iterable[Question], mode: Mode = "hybrid"
) -> list[dict]:
    rows = []
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question.question, list(question.history), mode=mode)
        latency = time.perf_counter() - started
        rows.append({
            "id": question.id,
            **answer.to_json(),
            "latency_s": round(latency, 4),
        })  # fmt: skip
    return rows


def _rank_of_first_source(row: dict, question: Question) -> int | None:
    """Rank of the first citation of a source item. The municipality is part of the match:
    among thousands of meetings another municipality may meet on the same day."""
    for rank, citation in enumerate(row["citations"], start=1):
        for municipality, date, item in question.sources:
            if (citation["meeting_date"], citation["item_number"]) == (date, item) and (
                not municipality or citation["municipality"] == municipality
            ):
                return rank
    return None


def _contains_answer(row: dict, question: Question) -> bool:
    text = row["answer"].lower()
    return all(any(alt.lower() in text for alt in group) for group in question.must_contain)


def metrics(questions: list[Question], rows: list[dict]) -> dict:
    """Overall and per-kind: citation hit@1/@5 and MRR (answerable questions), answer-key
    match, abstention precision/recall, latency."""
    by_id = {row["id"]: row for row in rows}
    groups: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        groups["overall"].append(question)
        groups[question.kind].append(question)
    return {name: _group_metrics(members, by_id) for name, members in groups.items()}


def _group_metrics(questions: list[Question], by_id: dict[str, dict]) -> dict:
    answerable = [q for q in questions if q.answerable]
    ranks = [_rank_of_first_source(by_id[q.id], q) for q in answerable]
    keyed = [q for q in answerable if q.must_contain]
    abstained = [q for q in questions if by_id[q.id]["abstained"]]
    unanswerable = [q for q in questions if not q.answerable]
    latencies = sorted(by_id[q.id]["latency_s"] for q in questions)

    def share(count: int, total: int) -> float | None:
        return round(count / total, 3) if total else None

    return {
        "questions": len(questions),
        "hit@1": share(sum(r == 1 for r in ranks), len(answerable)),
        "hit@5": share(sum(r is not None and r <= 5 for r in ranks), len(answerable)),
        "mrr": share(sum(1 / r for r in ranks if r), len(answerable)),
        "answer_match": share(sum(_contains_answer(by_id[q.id], q) for q in keyed), len(keyed)),
        "abstention_precision": share(sum(not q.answerable for q in abstained), len(abstained)),
        "abstention_recall": share(
            sum(by_id[q.id]["abstained"] for q in unanswerable), len(unanswerable)
        ),
        "latency_p50_s": latencies[len(latencies) // 2] if latencies else None,
        "latency_p95_s": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        if latencies
        else None,
    }


def write_rows(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
