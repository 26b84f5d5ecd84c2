"""Retrieval at scale: the dev question set against the sample minutes mixed into a generated
corpus of many municipalities and committees (assistant/synthetic.py).

Reports citation hit@1/@5, MRR and latency next to the samples-only figures, and counts
"leaks": answers to a question that names a municipality or a date citing another
municipality's or another date's item. Ingestion speed is reported beside the embedding
model's own per-chunk cost, so the two can be compared.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.components.embedders import Embedder, EmbedKind
from assistant.danish.dates import day_number, mentions_period
from assistant.danish.text import terms
from assistant.evaluation.evaluate import Question, metrics, percentile, run_eval
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.conversation import standalone_question

HASHING_MODEL_NAME = "feature-hashing-384 (benchmark stand-in)"


class HashingEmbedder:
    """A stand-in embedder for latency at 10,000 meetings: stemmed terms hashed into 384
    signed dimensions. Same dimension as e5-small, so Chroma's index has the same size and
    search cost; embedding ~200,000 chunks with e5 on 2 cores would take about a day.
    Its vectors depend on the words, so ranking is still exercised (not a constant vector)."""

    name = HASHING_MODEL_NAME
    dimension = 384

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for term in terms(text):
            digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vector[value % self.dimension] += 1.0 if value >> 63 else -1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()


@dataclass(frozen=True)
class IngestSpeed:
    chunks: int
    seconds: float

    @property
    def chunks_per_second(self) -> float:
        return round(self.chunks / self.seconds, 2) if self.seconds else 0.0


def ingest_timed(
    assistant: Assistant, paths: Sequence[Path], on_file: Callable[[Path], None] | None = None
) -> IngestSpeed:
    started = time.perf_counter()
    report = assistant.ingest(list(paths), on_file=on_file)
    return IngestSpeed(report.chunks, time.perf_counter() - started)


def embedder_seconds_per_chunk(assistant: Assistant, sample: int = 48) -> float:
    """The embedding model alone on stored chunk texts, in batches as ingestion uses them."""
    texts = [chunk.text for chunk in assistant.chunks()][:sample]
    if not texts:
        return 0.0
    started = time.perf_counter()
    assistant.embedder.embed_batch(texts, "passage")
    return round((time.perf_counter() - started) / len(texts), 4)


def embedder_throughput(
    texts: Sequence[str], embedders: dict[str, Embedder], rounds: int = 1
) -> dict[str, float]:
    """Passages per second of each embedder on the same texts, in one run one after the
    other (a shared machine's load then weighs on all alike), each warmed up first (the
    first call loads the model) and the best of `rounds` whole passes kept."""
    speeds: dict[str, float] = {}
    for label, embedder in embedders.items():
        embedder.embed_batch(list(texts[:2]), "passage")
        best = float("inf")
        for _ in range(max(1, rounds)):
            started = time.perf_counter()
            embedder.embed_batch(list(texts), "passage")
            best = min(best, time.perf_counter() - started)
        speeds[label] = round(len(texts) / best, 2) if texts else 0.0
    return speeds


def leaks(assistant: Assistant, questions: Sequence[Question], rows: Sequence[dict]) -> list[dict]:
    """Citations outside the municipality or date range a question (with the questions it
    follows up on) names. A scope that holds no meeting is an abstention without citations,
    so every citation found here is a silent leak, except an item outside the period that
    names the period itself (the assistant answers such questions from it)."""
    found = []
    by_id = {row["id"]: row for row in rows}
    for question in questions:
        # A follow-up is judged by what the conversation named, as the assistant reads it.
        asked = standalone_question(question.question, list(question.history))
        implied = assistant.filters_in_question(asked)
        if not (implied.municipality or implied.date_from):
            continue
        row = by_id[question.id]
        for citation in row["citations"]:
            day = int(citation["meeting_date"].replace("-", ""))
            # "i henholdsvis Lejre og Vejle": each municipality listed is the question's own.
            other_place = bool(implied.municipalities) and (
                citation["municipality"] not in implied.municipalities
            )
            other_time = bool(implied.date_from and implied.date_to) and not (
                day_number(implied.date_from) <= day <= day_number(implied.date_to)
            )
            if other_time and not other_place and _names_period(assistant, citation, implied):
                # A period the minutes talk about: the item cited names it (the October
                # forum on September's agenda), which is why the assistant answered from it.
                continue
            if other_place or other_time:
                found.append({
                    "id": question.id,
                    "question": question.question,
                    "cited": f"{citation['municipality']} {citation['meeting_date']} "
                    f"punkt {citation['item_number']}",
                })  # fmt: skip
    return found


def _names_period(assistant: Assistant, citation: dict, implied: SearchFilter) -> bool:
    item = (citation["municipality"], citation["meeting_date"], citation["item_number"])
    return any(
        mentions_period(chunk.text, implied.date_from, implied.date_to)
        for chunk in assistant.chunks()
        if (chunk.municipality, chunk.meeting_date, chunk.item_number) == item
    )


def evaluate_index(
    assistant: Assistant, questions: Sequence[Question], label: str
) -> dict[str, Any]:
    rows = run_eval(assistant, questions)
    figures = metrics(list(questions), rows)["overall"]
    leaked = leaks(assistant, questions, rows)
    # Questions that name their municipality, date or case identify one meeting even among
    # thousands; the others ("ekspertgruppens anbefalinger", "hvilke kommuner ...") are
    # answered legitimately by generated items the answer key cannot know about.
    identifying = [q for q in questions if _identifies_meeting(assistant, q)]
    by_id = {row["id"]: row for row in rows}
    narrowed = metrics(identifying, [by_id[q.id] for q in identifying])["overall"]
    return {
        "label": label,
        "chunks": assistant.searchable_chunks(),
        "meetings": len({c.meeting_id for c in assistant.chunks()}),
        "reranker": assistant.settings.reranker,
        **{k: figures[k] for k in ("hit@1", "hit@5", "mrr", "latency_p50_s", "latency_p95_s")},
        "identifying_questions": narrowed["questions"],
        "identifying": {k: narrowed[k] for k in ("hit@1", "hit@5", "mrr")},
        "leaks_silent": len(leaked),
        "leak_examples": leaked[:5],
    }


def _identifies_meeting(assistant: Assistant, question: Question) -> bool:
    text = " ".join([*(turn["content"] for turn in question.history), question.question])
    implied = assistant.filters_in_question(text)
    return bool(implied.municipality or implied.date_from or implied.case_key)


def latency_only(assistant: Assistant, questions: Sequence[Question], label: str) -> dict:
    rows = run_eval(assistant, questions)
    latencies = sorted(row["latency_s"] for row in rows)
    return {
        "label": label,
        "chunks": assistant.searchable_chunks(),
        "embedder": assistant.embedder.name,
        "latency_p50_s": percentile(latencies, 0.5),
        "latency_p95_s": percentile(latencies, 0.95),
    }


def embed_cost_per_chunk(texts: Sequence[str], threads: int | None) -> float:
    """Seconds per chunk for the default embedder alone, in a fresh process with `threads`
    OpenMP/BLAS threads (None: the library's default, which uses every core)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
        if threads is not None:
            env[name] = str(threads)
    result = subprocess.run(
        [sys.executable, "-m", "assistant.evaluation.embed_cost"],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return round(float(result.stdout.strip().splitlines()[-1]), 4)


def write_report(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
