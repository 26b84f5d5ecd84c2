"""Question set -> one result row per question and the headline metrics.

Question rows (eval/README.md): id, question, history, answerable, sources
[{meeting_date, item}], must_contain [[alternatives], ...], kind.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.answer.guard import unsupported_numbers
from assistant.core.errors import ReferatError
from assistant.core.types import Citation
from assistant.search.hybrid import Mode
from assistant.search.rerank import Reranker
from assistant.service.assistant import Assistant
from assistant.service.wiring import with_reranker

# The depth of hit@k and MRR, and the items a retrieval-only row records (an answer cites
# at most `Settings.top_items`, also 5).
TOP_K = 5


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
        if questions[-1].answerable and not questions[-1].sources:
            # No item to find: hit@k would count the row as a miss, whatever the answer.
            state = "skal gennemgås først" if row.get("needs_review") else "kan ikke scores"
            raise ReferatError(
                f"{path.name} linje {number}: {questions[-1].id} {state}: answerable er true, "
                "men sources er tom. Udfyld sources med det punkt, der svarer, eller sæt "
                "answerable til false."
            )
    return questions


def first_of_each_kind(questions: list[Question], count: int) -> list[Question]:
    """The first `count` questions of every kind, in file order: the same sample every run,
    with every kind in it, for modes too slow for the whole set. A follow-up whose earlier
    turn is kept with it stays answerable, since each row carries its own history."""
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for question in questions:
        if taken[question.kind] < count:
            taken[question.kind] += 1
            chosen.append(question)
    return chosen


def run_eval(
    assistant: Assistant,
    questions: Iterable[Question],
    mode: Mode = "hybrid",
    *,
    retrieval_only: bool = False,
    read_filters: bool = True,
) -> list[dict]:
    """One row per question. `retrieval_only` skips the answerer and records the retriever's
    top items as the citations (no answer text, no abstention): fast, for tuning search."""
    rows = []
    for question in questions:
        started = time.perf_counter()
        if retrieval_only:
            found = assistant.retrieve(
                question.question, list(question.history), mode=mode, read_filters=read_filters
            )
            result = {
                "citations": [
                    asdict(Citation.of(rank, hit.best, ""))
                    for rank, hit in enumerate(found.hits[:TOP_K], start=1)
                ]
            }
        else:
            answer = assistant.ask(
                question.question, list(question.history), mode=mode, read_filters=read_filters
            )
            # What the citation guard did to a generated answer (empty for extractive ones).
            result = answer.to_json() | {
                "corrections": list(answer.corrections),
                "fallback": answer.fallback,
                "unsupported_numbers": sorted(unsupported_numbers(answer, assistant.item_sections)),
            }
        latency = time.perf_counter() - started
        rows.append({"id": question.id, "kind": question.kind, **result,
                     "latency_s": round(latency, 4)})  # fmt: skip
    return rows


# The retrieval settings the benchmark puts side by side: (label, mode, with the reranker).
BENCHMARK_SETTINGS: tuple[tuple[str, Mode, bool], ...] = (
    ("BM25", "bm25", False),
    ("dense (e5)", "dense", False),
    ("hybrid RRF", "hybrid", False),
    ("hybrid RRF + reranker", "hybrid", True),
)


def retrieval_benchmark(
    assistant: Assistant, questions: list[Question], reranker: Reranker
) -> list[dict]:
    """Every retrieval setting with and without the filters read from the question, on one
    index in one run. Per setting: the retriever's own ranking (retrieval-only hit@1/@5,
    MRR, latency) and the cited answer built on it (hit@1, answer-key match)."""
    # One variant per second stage, the same index: tools never change a built assistant.
    variants = {False: with_reranker(assistant, None), True: with_reranker(assistant, reranker)}
    table = []
    for label, mode, reranked in BENCHMARK_SETTINGS:
        variant = variants[reranked]
        for read_filters in (True, False):
            ranked = metrics(questions, run_eval(
                variant, questions, mode, retrieval_only=True, read_filters=read_filters
            ))["overall"]  # fmt: skip
            answered = metrics(
                questions, run_eval(variant, questions, mode, read_filters=read_filters)
            )["overall"]
            table.append({
                "retrieval": label,
                "reranker": reranker.name if reranked else "none",
                "question_filters": read_filters,
                **{name: ranked[name] for name in ("hit@1", "hit@5", "mrr")},
                "latency_p50_s": ranked["latency_p50_s"],
                "latency_p95_s": ranked["latency_p95_s"],
                "answer_hit@1": answered["hit@1"],
                "answer_match": answered["answer_match"],
            })  # fmt: skip
    return table


def rank_of_first_source(row: dict, question: Question) -> int | None:
    """Rank of the first citation of a source item. The municipality is part of the match:
    among thousands of meetings another municipality may meet on the same day."""
    for rank, citation in enumerate(row["citations"], start=1):
        for municipality, date, item in question.sources:
            if (citation["meeting_date"], citation["item_number"]) == (date, item) and (
                not municipality or citation["municipality"] == municipality
            ):
                return rank
    return None


def contains_answer(row: dict, question: Question, opening_only: bool = False) -> bool:
    """Whether the answer holds every part of the answer key; `opening_only`: its opening
    line does (the text before the first blank line), which is where the asked fact goes."""
    text = (row.get("answer") or "").lower()
    if opening_only:
        text = text.partition("\n\n")[0]
    return all(any(alt.lower() in text for alt in group) for group in question.must_contain)


def metrics(questions: list[Question], rows: list[dict]) -> dict[str, dict]:
    """Overall and per kind: citation hit@1/@5 and MRR (answerable questions), answer-key
    match, abstention precision/recall, latency. Retrieval-only rows (no "answer") have no
    answer match or abstention: those figures are None."""
    by_id = {row["id"]: row for row in rows}
    groups: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        groups["overall"].append(question)
        groups[question.kind].append(question)
    return {name: _group_metrics(members, by_id) for name, members in groups.items()}


def _group_metrics(questions: list[Question], by_id: dict[str, dict]) -> dict:
    answerable = [q for q in questions if q.answerable]
    ranks = [rank_of_first_source(by_id[q.id], q) for q in answerable]
    answered = all("answer" in by_id[q.id] for q in questions)
    keyed = [q for q in answerable if q.must_contain] if answered else []
    abstained = [q for q in questions if by_id[q.id].get("abstained")]
    unanswerable = [q for q in questions if not q.answerable] if answered else []
    latencies = sorted(by_id[q.id]["latency_s"] for q in questions)
    given = [by_id[q.id] for q in questions if not by_id[q.id].get("abstained")]

    def share(count: int, total: int) -> float | None:
        return round(count / total, 3) if total else None

    return {
        "questions": len(questions),
        "hit@1": share(sum(r == 1 for r in ranks), len(answerable)),
        "hit@5": share(sum(r is not None and r <= TOP_K for r in ranks), len(answerable)),
        "mrr": share(sum(1 / r for r in ranks if r), len(answerable)),
        "answer_match": share(sum(contains_answer(by_id[q.id], q) for q in keyed), len(keyed)),
        "fact_first": share(
            sum(contains_answer(by_id[q.id], q, opening_only=True) for q in keyed), len(keyed)
        ),
        # Of the answers that abstained, how many should have; a retrieval-only row never
        # abstains, so precision is undefined there rather than "no abstentions".
        "abstention_precision": share(sum(not q.answerable for q in abstained), len(abstained))
        if answered
        else None,
        # Answerable questions answered with "not in the minutes": the cost of abstaining.
        "wrongly_abstained": share(
            sum(bool(by_id[q.id].get("abstained")) for q in answerable), len(answerable)
        )
        if answered
        else None,
        "abstention_recall": share(
            sum(bool(by_id[q.id]["abstained"]) for q in unanswerable), len(unanswerable)
        ),
        # Of the answers given, how many the citation guard had to correct, and how many it
        # replaced by the quotes (always 0 for the extractive answerer).
        "guard_corrected": share(sum(bool(r.get("corrections")) for r in given), len(given))
        if answered
        else None,
        "guard_fallback": share(sum(bool(r.get("fallback")) for r in given), len(given))
        if answered
        else None,
        # Answers showing a number that none of their cited items prints: must stay 0.
        "unsupported_numbers": sum(bool(r.get("unsupported_numbers")) for r in given)
        if answered
        else None,
        "latency_p50_s": percentile(latencies, 0.5),
        "latency_p95_s": percentile(latencies, 0.95),
    }


def percentile(ordered: list[float], share: float) -> float | None:
    """Nearest-rank percentile of an ascending list (no interpolation: these are few)."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def below_floors(overall: dict, floors: dict[str, float]) -> list[str]:
    """The headline figures under their floor, as readable lines; empty when the gate passes.
    A floored figure the run did not produce (retrieval-only has no answer match) fails too:
    a gate that silently skips a figure is no gate."""
    failures = []
    for name, floor in floors.items():
        value = overall.get(name)
        if value is None:
            failures.append(f"{name}: ikke målt i denne kørsel (gulv {floor})")
        elif value < floor:
            failures.append(f"{name}: {value} < gulv {floor}")
    return failures


def load_floors(path: Path, run: str) -> dict[str, float]:
    """The floors for one kind of run: "answer" (the full pipeline) or "retrieval"
    (retrieval-only). Both are kept because on a small index the answerer, which checks 30
    candidate items for evidence, can hide a broken ranking that the retrieval figures show."""
    try:
        floors = json.loads(path.read_text(encoding="utf-8"))[run]
        return {str(name): float(value) for name, value in floors.items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError) as error:
        raise ReferatError(f"Gulvene ('{run}') i {path} kan ikke læses: {error}") from error


def load_summary(path: Path) -> dict[str, dict]:
    """Per-kind figures of an earlier run's summary JSON (for --compare)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReferatError(f"{path} kan ikke læses som et resumé: {error}") from error
    figures = data.get("metrics", data) if isinstance(data, dict) else None
    if not isinstance(figures, dict) or "overall" not in figures:
        raise ReferatError(f"{path} er ikke et resumé fra referat eval (mangler 'overall').")
    return figures


def differences(current: dict[str, dict], earlier: dict[str, dict]) -> dict[str, dict]:
    """Current minus earlier for every figure both runs have, per kind."""
    changes: dict[str, dict] = {}
    for kind, values in current.items():
        before = earlier.get(kind, {})
        changes[kind] = {
            name: round(value - before[name], 3)
            for name, value in values.items()
            if isinstance(value, int | float) and isinstance(before.get(name), int | float)
        }
    return changes


def write_rows(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
