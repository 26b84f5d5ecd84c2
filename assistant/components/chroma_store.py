"""Chroma through llama-index: embedded `PersistentClient` by default, a Chroma server when
`chroma_host` is set. Framework objects (TextNode, NodeWithScore, Chroma dicts) stay here.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, fields
from typing import Any, ParamSpec, TypeVar

import chromadb
import chromadb.errors
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode, TextNode
from llama_index.core.vector_stores.utils import node_to_metadata_dict
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from assistant.components.embedders import Embedder, embed_query
from assistant.components.lock import usable_index_dir
from assistant.core.config import StoreSettings
from assistant.core.errors import ConfigError, StoreUnavailable
from assistant.core.types import Chunk, StoredSource

CHUNK_FIELDS = tuple(f.name for f in fields(Chunk) if f.name not in ("id", "text"))
PAGE = 5000  # Chroma `get` page size when reading the whole collection
# Bumped when chunk metadata changes meaning; an index from another schema is refused, since
# its filters (dates, decision status, closed items) would silently match nothing.
SCHEMA_VERSION = 2
# A one-record side collection whose value changes with every write, so that readers in other
# processes (`referat serve` against a shared Chroma server) notice new minutes without
# re-reading the whole index on every question. Collection metadata cannot carry it: Chroma's
# modify() replaces all of it, distance function included.
GENERATION_SUFFIX = "-generation"
GENERATION_ID = "generation"


def chroma_client(settings: StoreSettings) -> chromadb.api.ClientAPI:
    # Telemetry off: minutes may be the municipality's, and the machines have no internet.
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except ValueError as error:  # chromadb's way of saying the server did not answer
            raise StoreUnavailable(
                settings.chroma_host, settings.chroma_port, reason=str(error)
            ) from error
    usable_index_dir(settings.index_dir)
    return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


P = ParamSpec("P")
R = TypeVar("R")


def _reachable(method: Callable[P, R]) -> Callable[P, R]:
    """A store method whose Chroma server stopped answering raises StoreUnavailable (worded
    for the user, host and port named) instead of httpx's ConnectError: a server stopped
    mid-session is a fault the chat and the CLI report, not a traceback."""

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except httpx.TransportError as error:  # refused, reset, timed out
            store = args[0]
            assert isinstance(store, ChunkStore)
            host, port = store._server
            raise StoreUnavailable(host, port, reason=type(error).__name__) from error

    return checked


class _LlamaIndexEmbedding(BaseEmbedding):
    """Our `Embedder` as llama-index's `BaseEmbedding`, for the vector store index only:
    llama-index types stay inside this module."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder) -> None:
        super().__init__(model_name=embedder.name)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "ReferatEmbedder"

    def _get_query_embedding(self, query: str) -> list[float]:
        return embed_query(self._embedder, query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_batch([text], "passage")[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_batch(texts, "passage")


class ChunkStore:
    """The vector side of the index; the BM25 side is rebuilt from `all_chunks()`."""

    def __init__(self, settings: StoreSettings, embedder: Embedder) -> None:
        self._server = (settings.chroma_host, settings.chroma_port)
        self._client = chroma_client(settings)
        self._embedder = embedder
        metadata = {
            "hnsw:space": "cosine",
            "embed_model": embedder.name,
            "schema": SCHEMA_VERSION,
        }
        self._collection = self._client.get_or_create_collection(
            name=settings.collection, metadata=metadata
        )
        if (self._collection.metadata or {}).get("schema") != SCHEMA_VERSION and (
            self._collection.count() == 0
        ):
            # An empty collection from an older version holds nothing to lose: start it anew.
            self._client.delete_collection(settings.collection)
            self._collection = self._client.create_collection(
                name=settings.collection, metadata=metadata
            )
        stored = self._collection.metadata or {}
        stored_model = stored.get("embed_model")
        if stored_model and stored_model != embedder.name:
            # Vectors from two models do not live in one space: refuse rather than mix them.
            raise ConfigError(
                f"Samlingen '{settings.collection}' er bygget med {stored_model}, ikke "
                f"{embedder.name}. Brug en anden --index eller samling."
            )
        if stored.get("schema", 1) != SCHEMA_VERSION and self._collection.count():
            raise ConfigError(
                f"Indekset i samlingen '{settings.collection}' er bygget af en ældre version af "
                "Referat (uden beslutningsstatus og datofelter). Byg det igen fra referaterne: "
                "brug en ny --index-mappe, eller slet den gamle og kør `referat ingest`."
            )
        self._generation = self._client.get_or_create_collection(
            name=settings.collection + GENERATION_SUFFIX
        )
        self._vector_store = ChromaVectorStore(chroma_collection=self._collection)
        self._index = VectorStoreIndex.from_vector_store(
            self._vector_store, embed_model=_LlamaIndexEmbedding(embedder)
        )

    # --- writing --------------------------------------------------------------------------

    @_reachable
    def file_sha(self, source: str) -> str | None:
        """The content hash the source was stored with, or None when it must be (re)written:
        never stored, or left half-replaced by an ingest that was killed between writing the
        new version and deleting the old one (two hashes, or the meeting also held by another
        file). Ingest then rewrites it, which removes the leftovers."""
        found = self._collection.get(where={"source": source}, include=["metadatas"])
        metadatas = found["metadatas"] or []
        hashes = {str(m.get("file_sha")) for m in metadatas}
        if len(hashes) != 1:
            return None
        meeting_ids = sorted({str(m.get("meeting_id")) for m in metadatas})
        elsewhere = self._collection.get(
            where={"$and": [{"meeting_id": {"$in": meeting_ids}}, {"source": {"$ne": source}}]},
            limit=1,
            include=[],
        )["ids"]
        return None if elsewhere else hashes.pop()

    @_reachable
    def holds_source(self, source: str) -> bool:
        """Whether any chunk is stored for `source` (whole, half-replaced or otherwise)."""
        return bool(self._collection.get(where={"source": source}, limit=1, include=[])["ids"])

    @_reachable
    def holder(self, meeting_id: str, source: str) -> tuple[str, str] | None:
        """(source, content hash) of a source other than `source` that holds `meeting_id`,
        or None: how ingest tells a second meeting of one committee on one day, or a copy
        of a stored file under another path, from a new version of the same source."""
        found = self._collection.get(
            where={"$and": [{"meeting_id": meeting_id}, {"source": {"$ne": source}}]},
            limit=1,
            include=["metadatas"],
        )
        metadatas = found["metadatas"] or []
        if not metadatas:
            return None
        return str(metadatas[0].get("source")), str(metadatas[0].get("file_sha"))

    @_reachable
    def check_batch(
        self, batch: Mapping[str, Sequence[Chunk]], taking_over: Collection[str] = ()
    ) -> dict[str, str]:
        """Source -> why its chunks cannot be stored, found before anything is written:
        an id twice in the batch or held by another source (which an upsert would
        overwrite, unless that source is in `taking_over`: a file moved within a synced
        folder), a metadata value Chroma does not take, text that is not UTF-8."""
        failures: dict[str, str] = {}
        owner: dict[str, str] = {}
        for source, chunks in batch.items():
            for chunk in chunks:
                reason = _chunk_problem(chunk)
                if reason is None and owner.get(chunk.id, source) != source:
                    reason = f"chunk-id {chunk.id} findes også i {owner[chunk.id]}"
                elif reason is None and chunk.id in owner:
                    reason = f"chunk-id {chunk.id} findes to gange"
                owner.setdefault(chunk.id, source)
                if reason:
                    failures.setdefault(source, reason)
        # Ids already stored for another source: writing them would replace that file's text.
        ids = [i for i, s in owner.items() if s not in failures]
        for start in range(0, len(ids), PAGE):
            found = self._collection.get(ids=ids[start : start + PAGE], include=["metadatas"])
            for chunk_id, metadata in zip(found["ids"], found["metadatas"] or [], strict=True):
                stored_source = str((metadata or {}).get("source"))
                if stored_source != owner[chunk_id] and stored_source not in taking_over:
                    failures.setdefault(
                        owner[chunk_id], f"chunk-id {chunk_id} tilhører allerede {stored_source}"
                    )
        return failures

    @_reachable
    def replace_sources(
        self, batch: Mapping[str, Sequence[Chunk]], taking_over: Collection[str] = ()
    ) -> dict[str, str]:
        """Make each source's chunks exactly the given ones, with no moment where a file is
        missing. Returns source -> reason for the sources that were not stored; their old
        version, and every other source, is left as it was.

        The whole batch is checked first (check_batch) and embedded in one call, which is
        what makes a folder of thousands of meetings ingest at the embedder's speed. Then
        the new chunks of every source are upserted in one write, and only after that the
        old chunks that the new versions no longer have are deleted. One write, because each
        costs Chroma a transaction: per source, the writes took 12 % of the embedding's time
        (1,022 chunks of 150 generated meetings). A write the store refuses is retried
        source by source, so that it costs the source it refuses alone.
        """
        failures = self.check_batch(batch, taking_over)
        writable = {s: list(c) for s, c in batch.items() if s not in failures and c}
        chunks = [chunk for source_chunks in writable.values() for chunk in source_chunks]
        if not chunks:
            return failures
        vectors = iter(self._embedder.embed_batch([c.text for c in chunks], "passage"))
        nodes = {
            source: [_to_node(chunk, next(vectors)) for chunk in source_chunks]
            for source, source_chunks in writable.items()
        }
        try:
            self._upsert([node for source_nodes in nodes.values() for node in source_nodes])
            written = list(nodes)
        except (ValueError, TypeError, chromadb.errors.ChromaError):
            written = []
            for source, source_nodes in nodes.items():
                try:
                    self._upsert(source_nodes)
                except (ValueError, TypeError, chromadb.errors.ChromaError) as error:
                    failures[source] = f"indekset afviste filen: {error}"
                    continue
                written.append(source)
        if not written:
            return failures
        new_ids = {c.id for source in written for c in writable[source]}
        stale = self._collection.get(where={"source": {"$in": written}}, include=[])["ids"]
        stale_ids = [i for i in stale if i not in new_ids]
        if stale_ids:
            self._collection.delete(ids=stale_ids)
        self._mark_written()
        return failures

    def _upsert(self, nodes: Sequence[TextNode]) -> None:
        """llama-index's ChromaVectorStore.add as an upsert. add() only adds, so replacing a
        chunk meant deleting it first, and a write that then failed lost the old version;
        an upsert replaces it in the same write. The metadata goes through llama-index's
        own conversion, so its retriever reads these chunks as it reads its own."""
        metadatas = []
        for node in nodes:
            metadata = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
            metadatas.append({k: ("" if v is None else v) for k, v in metadata.items()})
        self._collection.upsert(
            ids=[node.node_id for node in nodes],
            embeddings=[node.get_embedding() for node in nodes],
            metadatas=metadatas,
            documents=[node.get_content(metadata_mode=MetadataMode.NONE) for node in nodes],
        )

    def _mark_written(self) -> None:
        # Nanoseconds rather than a counter: two writers never need to read-modify-write it,
        # and readers only compare it for equality.
        self._generation.upsert(
            ids=[GENERATION_ID], embeddings=[[0.0]], metadatas=[{"value": time.time_ns()}]
        )

    def remove_sources(self, sources: Sequence[str]) -> int:
        """Delete every chunk of these sources (a file deleted from its folder, or a meeting
        that must go); returns how many chunks were deleted. Readers notice through the
        generation marker and rebuild BM25 from what is left, so the lexical side loses the
        chunks too."""
        return self._delete({"source": {"$in": list(sources)}}) if sources else 0

    def remove_meetings(self, meeting_ids: Sequence[str]) -> int:
        """Delete every chunk of these meetings; returns how many were deleted."""
        return self._delete({"meeting_id": {"$in": list(meeting_ids)}}) if meeting_ids else 0

    def _delete(self, where: dict[str, Any]) -> int:
        ids = self._collection.get(where=where, include=[])["ids"]
        for start in range(0, len(ids), PAGE):
            self._collection.delete(ids=ids[start : start + PAGE])
        if ids:
            self._mark_written()
        return len(ids)

    # --- reading --------------------------------------------------------------------------

    def stored_sources(self) -> list[StoredSource]:
        """Every source in the index with its meeting, sorted by source (metadata only, read
        page by page)."""
        counts: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], dict[str, Any]] = {}
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            for metadata in page["metadatas"] or []:
                metadata = metadata or {}
                key = (str(metadata.get("source", "")), str(metadata.get("meeting_id", "")))
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, metadata)
            if len(page["ids"]) < PAGE:
                break
            offset += PAGE
        return [
            StoredSource(
                source=key[0],
                root=str(first[key].get("source_root") or ""),
                meeting_id=key[1],
                municipality=str(first[key].get("municipality", "")),
                committee=str(first[key].get("committee", "")),
                meeting_date=str(first[key].get("meeting_date", "")),
                chunks=counts[key],
            )
            for key in sorted(counts)
        ]

    @_reachable
    def count(self) -> int:
        return self._collection.count()

    @_reachable
    def generation(self) -> int:
        """Changes whenever any process writes the collection (0: never written since the
        generation record was introduced)."""
        found = self._generation.get(ids=[GENERATION_ID], include=["metadatas"])
        return int(found["metadatas"][0]["value"]) if found["ids"] else 0

    def all_chunks(self) -> list[Chunk]:
        return self.all_chunks_and_vectors()[0]

    @_reachable
    def all_chunks_and_vectors(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk with its stored vector (rows in the same order), read page by page."""
        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        offset = 0
        while True:
            page = self._collection.get(
                include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset
            )
            chunks.extend(
                _from_chroma(i, d, m)
                for i, d, m in zip(page["ids"], page["documents"], page["metadatas"], strict=True)
            )
            if len(page["ids"]):
                vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
            if len(page["ids"]) < PAGE:
                break
            offset += PAGE
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
        return chunks, matrix

    def query_vector(self, question: str) -> list[float]:
        return embed_query(self._embedder, question)

    @_reachable
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored embeddings by chunk id (for re-scoring without embedding passages again)."""
        if not ids:
            return {}
        found = self._collection.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
        return {
            chunk_id: np.asarray(vector, dtype=np.float32)
            for chunk_id, vector in zip(found["ids"], found["embeddings"], strict=True)
        }

    @_reachable
    def dense_search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """(chunk, cosine similarity) best first over the whole collection, through
        llama-index's retriever and Chroma's HNSW index. Filtered searches are scored in
        memory by the retriever (assistant.retrieve), where the filter's rows are known."""
        retriever = self._index.as_retriever(similarity_top_k=k)
        results = []
        for hit in retriever.retrieve(query):
            # llama-index reports exp(-distance); with cosine space distance = 1 - cos.
            cosine = 1.0 + math.log(hit.score) if hit.score else 0.0
            node = hit.node
            results.append((_from_fields(node.node_id, node.get_content(), node.metadata), cosine))
        return results


def _to_node(chunk: Chunk, vector: list[float]) -> TextNode:
    metadata = {name: value for name, value in asdict(chunk).items() if name in CHUNK_FIELDS}
    # Stored as 0/1: llama-index's metadata filters take no booleans, and an index written
    # this way stays filterable through them (SCHEMA_VERSION 2 fixed this form).
    metadata["closed"] = int(chunk.closed)
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata=metadata,
        embedding=vector,
        # The header line is already in the text; metadata must not be embedded twice.
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=list(metadata),
    )


def _chunk_problem(chunk: Chunk) -> str | None:
    """Why Chroma would refuse this chunk, in words for the ingest report, or None."""
    if not isinstance(chunk.id, str) or not chunk.id:
        return "en chunk uden id"
    if not isinstance(chunk.text, str) or not chunk.text.strip():
        return f"chunk {chunk.id} har ingen tekst"
    values = {"id": chunk.id, "text": chunk.text}
    values |= {name: getattr(chunk, name) for name in CHUNK_FIELDS}
    for name, value in values.items():
        if not isinstance(value, str | int | float | bool):
            return f"feltet {name} i chunk {chunk.id} er {type(value).__name__}, ikke tekst/tal"
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"feltet {name} i chunk {chunk.id} er ikke gyldig UTF-8"
    return None


def _from_fields(chunk_id: str, text: str, metadata: dict[str, Any]) -> Chunk:
    values = {name: metadata[name] for name in CHUNK_FIELDS if name in metadata}
    for name in ("item_number", "position", "meeting_day", "page"):
        values[name] = int(values.get(name, 0))
    values["closed"] = bool(values.get("closed", False))
    values["agenda"] = bool(values.get("agenda", False))
    return Chunk(id=chunk_id, text=text, **values)


def _from_chroma(chunk_id: str, document: str | None, metadata: dict[str, Any] | None) -> Chunk:
    return _from_fields(chunk_id, document or "", dict(metadata or {}))
