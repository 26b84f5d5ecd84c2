"""The one composition root: every component is built here from `Settings`.

Like private-gpt's `di.py`: the facade receives what this module built and never builds a
component itself. Tools and tests that need a variant (another embedder, reranker or
answerer) ask for it here with a keyword, instead of changing a built assistant's insides.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.extractive import Answerer, ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.components.chroma_store import ChunkStore
from assistant.components.embedders import Embedder, build_embedder
from assistant.components.llms import ChatModel, build_llm
from assistant.core.config import Settings
from assistant.search.hybrid import HybridRetriever
from assistant.search.rerank import Reranker, build_reranker
from assistant.service.assistant import Assistant


@dataclass(frozen=True)
class Configured:
    """Marks an option left to the settings (None means "none" for a reranker)."""


CONFIGURED = Configured()


def build_assistant(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    reranker: Reranker | Configured | None = CONFIGURED,
    llm: ChatModel | Configured | None = CONFIGURED,
    answerer: Answerer | None = None,
) -> Assistant:
    """The assistant the settings describe. `embedder` replaces the configured one (the
    benchmark's stand-in, or a test sharing one loaded model); `reranker` and `llm` replace
    the configured ones, None switching them off; `answerer` replaces the answerer."""
    embedder = embedder or build_embedder(settings.embedding)
    store = ChunkStore(settings.store, embedder)
    if isinstance(reranker, Configured):
        reranker = build_reranker(settings.search, embedder, store)
    retriever = HybridRetriever(store, settings.search, reranker)
    extractive = ExtractiveAnswerer(
        settings.answer, retriever.item_chunks, retriever.idf, retriever.known
    )
    if isinstance(llm, Configured):
        llm = build_llm(settings.generation)
    if answerer is None:
        answerer = (
            extractive
            if llm is None
            else GenerativeAnswerer(settings.answer, llm, extractive, retriever.item_chunks)
        )
    return Assistant(
        settings,
        embedder=embedder,
        store=store,
        retriever=retriever,
        extractive=extractive,
        answerer=answerer,
        llm=llm,
    )


def with_reranker(assistant: Assistant, reranker: Reranker | None) -> Assistant:
    """The same index, embedder and answer mode with another second stage (the retrieval
    benchmark puts the retriever with and without one side by side)."""
    return build_assistant(
        assistant.settings,
        embedder=assistant.embedder,
        reranker=reranker,
        llm=assistant.llm,
    )


def embedding_reranker(assistant: Assistant) -> Reranker:
    """The assistant's reranker, or else one that re-scores with its own embedder."""
    configured = assistant.settings.model_copy(update={"reranker": "embedding"})
    reranker = build_reranker(configured.search, assistant.embedder, assistant.store)
    assert reranker is not None
    return reranker
