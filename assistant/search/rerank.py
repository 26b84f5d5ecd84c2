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
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.components.chroma_store import ChunkStore
from assistant.core.config import Settings
from assistant.core.errors import ConfigError
from assistant.core.types import ItemHit


class Reranker(Protocol):
    name: str

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]: ...


class EmbeddingReranker:
    name = "embedding"

    def __init__(self, embed_model: BaseEmbedding, store: ChunkStore) -> None:
        self._embed_model = embed_model
        self._store = store

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]:
        if not hits:
            return []
        query = np.asarray(self._embed_model.get_query_embedding(question), dtype=np.float32)
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
        from sentence_transformers import CrossEncoder

        if not model_path.is_dir():
            raise ConfigError(
                f"Reranker-modellen {model_path} findes ikke. Angiv en lokal mappe med en "
                "CrossEncoder-model (REFERAT_RERANKER), 'embedding' eller 'none'."
            )
        self._model = CrossEncoder(str(model_path), device="cpu", local_files_only=True)

    def rerank(self, question: str, hits: Sequence[ItemHit]) -> list[ItemHit]:
        if not hits:
            return []
        scores = self._model.predict([(question, hit.best.text) for hit in hits])
        order = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        return [hits[i] for i in order]


def build_reranker(
    settings: Settings, embed_model: BaseEmbedding, store: ChunkStore
) -> Reranker | None:
    choice = settings.reranker.strip()
    if choice in ("", "none"):
        return None
    if choice == "embedding":
        return EmbeddingReranker(embed_model, store)
    return CrossEncoderReranker(Path(choice).expanduser())


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
    return float(np.dot(a, b)) / denominator
