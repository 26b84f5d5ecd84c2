"""Second-stage re-scoring of the fused top-N items; the evaluation switches it on and off.

"embedding": every candidate item is scored by the cosine between the question and its best
chunk's stored vector. Fusion ranks by rank positions only, and a chunk found by BM25 alone has
no similarity at all; this gives every candidate one comparable semantic score.
A path: a sentence-transformers CrossEncoder read from that local folder (nothing is
downloaded), which reads question and passage together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.components.chroma_store import ChunkStore
from assistant.components.cross_encoder import CrossEncoderScorer
from assistant.components.embedders import Embedder, embed_query
from assistant.core.config import SearchSettings
from assistant.core.types import ItemHit


class Reranker(Protocol):
    name: str

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]: ...


class EmbeddingReranker:
    name = "embedding"

    def __init__(self, embedder: Embedder, store: ChunkStore) -> None:
        self._embedder = embedder
        self._store = store

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]:
        if not hits:
            return []
        query = np.asarray(embed_query(self._embedder, question), dtype=np.float32)
        vectors = self._store.vectors([chunk.id for hit in hits for chunk in hit.chunks])
        rescored = []
        for hit in hits:
            cosines = [_cosine(query, vectors[c.id]) for c in hit.chunks if c.id in vectors]
            best = max(cosines, default=hit.dense_similarity)
            rescored.append(replace(hit, dense_similarity=max(best, hit.dense_similarity)))
        # Stable sort: equal similarities keep the fused order (and its recency tie-break).
        return sorted(rescored, key=lambda h: -round(h.dense_similarity, 6))


class CrossEncoderReranker:
    name = "cross-encoder"

    def __init__(self, model_path: Path) -> None:
        self._scorer = CrossEncoderScorer(model_path)

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]:
        if not hits:
            return []
        scores = self._scorer.score([(question, hit.best.text) for hit in hits])
        order = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        return [hits[i] for i in order]


def build_reranker(
    settings: SearchSettings, embedder: Embedder, store: ChunkStore
) -> Reranker | None:
    choice = settings.reranker.strip()
    if choice in ("", "none"):
        return None
    if choice == "embedding":
        return EmbeddingReranker(embedder, store)
    return CrossEncoderReranker(Path(choice).expanduser())


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
    return float(np.dot(a, b)) / denominator
