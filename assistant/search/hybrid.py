"""Hybrid retrieval: Danish BM25 + dense (e5) fused with reciprocal rank fusion, grouped per
agenda item.

BM25 catches exact figures, case numbers and rare names; the embedding catches paraphrases.
Measured on the samples, each alone misses items the fusion finds (see eval/README.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal

import bm25s
import numpy as np

from assistant.components.chroma_store import ChunkStore
from assistant.core.config import SearchSettings
from assistant.core.types import Chunk, ItemHit
from assistant.danish.municipalities import without_municipalities
from assistant.danish.text import terms
from assistant.search.filters import IndexVocabulary, SearchFilter
from assistant.search.rerank import Reranker

Mode = Literal["hybrid", "bm25", "dense"]


class Bm25Index:
    """bm25s over Danish Snowball stems; rebuilt from the store so both sides always agree.

    Filter fields are kept as numpy columns, so a filter costs one vectorised comparison
    per field even at 200,000 chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self._bm25: bm25s.BM25 | None = None
        corpus = [terms(c.text) for c in chunks]
        self._document_frequency = Counter(t for doc in corpus for t in set(doc))
        if any(corpus):
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
        self._columns = {
            name: np.array([getattr(c, name) for c in chunks], dtype=object)
            for name in ("municipality", "committee", "case_key", "item_number", "closed")
        }
        self._days = np.array([c.meeting_day for c in chunks], dtype=np.int64)

    def search(
        self, query: str, k: int, where: SearchFilter | None = None
    ) -> list[tuple[Chunk, float]]:
        query_terms = terms(query)
        if self._bm25 is None or not query_terms:
            return []
        scores = self._bm25.get_scores(query_terms)
        if where is not None and not where.is_empty():
            scores = np.where(self.mask(where), scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]

    def mask(self, where: SearchFilter) -> np.ndarray:
        keep = np.ones(len(self.chunks), dtype=bool)
        for name, operator, value in where.conditions():
            column = self._days if name == "meeting_day" else self._columns[name]
            if operator == "==":
                keep &= column == value
            elif operator == "in":
                keep &= np.isin(column, list(value))
            elif operator == ">=":
                keep &= column >= value
            else:
                keep &= column <= value
        if where.section:
            keep &= np.array([where.section in c.sections.split(",") for c in self.chunks])
        return keep

    def idf(self, term: str) -> float:
        """Inverse document frequency; a word no chunk contains weighs the most."""
        count = len(self.chunks)
        return math.log((count + 1) / (self._document_frequency.get(term, 0) + 0.5))

    def known(self, term: str) -> bool:
        return term in self._document_frequency

    def vocabulary(self) -> IndexVocabulary:
        return IndexVocabulary(
            municipalities=frozenset(self._columns["municipality"]),
            committees=frozenset(self._columns["committee"]),
            case_keys=frozenset(k for k in self._columns["case_key"] if k),
            meeting_months=frozenset(
                (int(d) // 10000, int(d) // 100 % 100) for d in set(self._days)
            ),
        )


def reciprocal_rank_fusion(rankings: list[list[Chunk]], k: int) -> dict[str, float]:
    """Sum of 1/(k + rank) over the rankings each chunk appears in (Cormack et al. 2009)."""
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, chunk in enumerate(ranking, start=1):
            fused[chunk.id] += 1.0 / (k + rank)
    return fused


@dataclass(frozen=True)
class _IndexState:
    """Everything search reads from one refresh. It is replaced as a whole, so a search
    running while an upload refreshes sees the old index or the new one, never a mix of
    the new BM25 rows with the old vectors."""

    bm25: Bm25Index
    vectors: np.ndarray
    vocabulary: IndexVocabulary
    by_item: dict[str, list[Chunk]]
    ids: frozenset[str]
    generation: int  # the store's write marker when this state was read


class HybridRetriever:
    def __init__(
        self, store: ChunkStore, settings: SearchSettings, reranker: Reranker | None = None
    ) -> None:
        self._store = store
        self._settings = settings
        self.reranker = reranker
        self._checked_at = time.monotonic()
        self._sync_lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the store after ingestion so BM25 sees exactly the chunks Chroma holds."""
        # Read before the chunks: a write that lands while they are read changes the marker
        # again, so the next check refreshes once more instead of missing it.
        generation = self._store.generation()
        chunks, vectors = self._store.all_chunks_and_vectors()
        bm25 = Bm25Index(chunks)
        by_item: dict[str, list[Chunk]] = defaultdict(list)
        for chunk in chunks:
            by_item[chunk.item_key].append(chunk)
        self._state = _IndexState(
            bm25=bm25,
            vectors=vectors,
            vocabulary=bm25.vocabulary(),
            by_item={key: sorted(c, key=lambda c: c.position) for key, c in by_item.items()},
            ids=frozenset(chunk.id for chunk in chunks),
            generation=generation,
        )

    def _current(self) -> _IndexState:
        """The index state, re-read first if another process has written the store since
        (a team's `referat ingest` against a Chroma server). Checked at most every
        refresh_interval_s; while one thread re-reads, the others go on with the old state."""
        now = time.monotonic()
        if now - self._checked_at >= self._settings.refresh_interval_s and (
            self._sync_lock.acquire(blocking=False)
        ):
            try:
                self._checked_at = now
                if self._store.generation() != self._state.generation:
                    self.refresh()
            finally:
                self._sync_lock.release()
        return self._state

    @property
    def chunk_count(self) -> int:
        return len(self._current().bm25.chunks)

    @property
    def vocabulary(self) -> IndexVocabulary:
        """The municipalities, committees, cases and months actually ingested: the names and
        dates a question can filter on."""
        return self._current().vocabulary

    def idf(self, term: str) -> float:
        return self._state.bm25.idf(term)

    def known(self, term: str) -> bool:
        return self._state.bm25.known(term)

    def search(
        self,
        question: str,
        mode: Mode = "hybrid",
        top_items: int | None = None,
        where: SearchFilter | None = None,
    ) -> list[ItemHit]:
        """Items best first; `where` narrows both the BM25 and the dense side. A filter of
        several municipalities ("Vejle og Lejre") gets the best items of each in turn: one
        municipality's items must not crowd the other's out of the candidates."""
        settings = self._settings
        state = self._current()
        limit = top_items or settings.top_items
        if not state.bm25.chunks:
            return []
        if where is not None and len(where.municipalities) > 1:
            # Each searched without every listed name: within Vejle, "Lejre" only finds the
            # Vejle items that mention Lejre.
            words = without_municipalities(question, where.municipalities)
            each = [
                self.search(words, mode, limit, where.within((municipality,)))
                for municipality in where.municipalities
            ]
            return in_turn(each)[:limit]
        # Within a municipality its name tells its items apart only by how often they print
        # it: BM25 would favour the item that says "Vejle Kommune" most.
        words = without_municipalities(question, where.municipalities) if where else question
        lexical = (
            state.bm25.search(words, settings.bm25_candidates, where) if mode != "dense" else []
        )
        dense = (
            self._dense(state, question, settings.dense_candidates, where) if mode != "bm25" else []
        )
        similarity = {chunk.id: cosine for chunk, cosine in dense}
        by_id = {chunk.id: chunk for chunk, _ in [*lexical, *dense]}
        rankings = [[c for c, _ in ranking] for ranking in (lexical, dense) if ranking]
        fused = reciprocal_rank_fusion(rankings, settings.rrf_k)
        hits = _group_by_item(fused, by_id, similarity)
        if self.reranker is not None:
            hits = self.reranker.rerank(question, hits[: max(limit, settings.rerank_top_n)])
        return hits[:limit]

    def chunks_matching(self, where: SearchFilter) -> list[Chunk]:
        """Every chunk the filter admits, without ranking (a case's treatments, say)."""
        bm25 = self._current().bm25
        keep = bm25.mask(where)
        return [chunk for chunk, kept in zip(bm25.chunks, keep, strict=True) if kept]

    def item_chunks(self, hit: ItemHit) -> list[Chunk]:
        """Every chunk of the hit's agenda item, in reading order (for decisions, full text)."""
        return list(self._state.by_item.get(hit.best.item_key, ()))

    def _dense(
        self, state: _IndexState, question: str, k: int, where: SearchFilter | None
    ) -> list[tuple[Chunk, float]]:
        """Dense candidates. Unfiltered, Chroma's HNSW index answers through llama-index.
        Filtered, Chroma's metadata pre-filter gets slow on large collections (270 ms for a
        municipality and a year among 70,000 chunks), so the admitted rows of the vectors
        read at refresh are scored exactly instead: a filter admits few enough for that."""
        if where is None or where.is_empty():
            # Chroma may already hold chunks another process wrote since the last refresh;
            # BM25 does not know them yet, and neither side may know a chunk the other lacks.
            found = self._store.dense_search(question, k)
            return [(chunk, score) for chunk, score in found if chunk.id in state.ids]
        rows = np.flatnonzero(state.bm25.mask(where))
        if not len(rows):
            return []
        query = np.asarray(self._store.query_vector(question), dtype=np.float32)
        admitted = state.vectors[rows]
        norms = np.linalg.norm(admitted, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = admitted @ query / (norms + 1e-12)
        best = np.argsort(-scores)[:k]
        return [(state.bm25.chunks[rows[i]], float(scores[i])) for i in best]


def in_turn(rankings: list[list[ItemHit]]) -> list[ItemHit]:
    """The first of every ranking, then the second of every ranking, and so on."""
    merged: list[ItemHit] = []
    for rank in range(max((len(ranking) for ranking in rankings), default=0)):
        merged += [ranking[rank] for ranking in rankings if rank < len(ranking)]
    return merged


def _group_by_item(
    fused: dict[str, float], by_id: dict[str, Chunk], similarity: dict[str, float]
) -> list[ItemHit]:
    groups: dict[str, list[tuple[float, Chunk]]] = defaultdict(list)
    for chunk_id, score in fused.items():
        chunk = by_id[chunk_id]
        groups[chunk.item_key].append((score, chunk))
    hits = []
    for members in groups.values():
        members.sort(key=lambda pair: -pair[0])
        # The best window alone decides. Adding a share of the item's other windows let long
        # items outrank the one that answers (RRF scores are flat): with a 0.25 share the
        # retriever's own hit@1 on the dev set was 0.52, without it 0.94; among 1,000 meetings
        # 0.69 against 0.78 (eval/README.md).
        score = members[0][0]
        hits.append(
            ItemHit(
                chunks=tuple(c for _, c in members),
                score=score,
                dense_similarity=max((similarity.get(c.id, 0.0) for _, c in members), default=0),
            )
        )
    # Ties (identical scores) go to the newer meeting: it supersedes older treatments.
    hits.sort(key=lambda h: (-h.score, -int(h.best.meeting_date.replace("-", ""))))
    return hits
