"""Seconds per chunk for the configured embedder alone: `python -m assistant.evaluation.embed_cost`
reads chunk texts (JSON) on stdin and prints the figure.

A process of its own, because the BLAS/OpenMP thread count is read once when numpy loads:
the benchmark measures one thread and all cores by starting this with different variables.
"""

from __future__ import annotations

import json
import sys
import time

from assistant.components.embedders import build_embedder
from assistant.core.config import Settings


def main() -> None:
    texts = json.load(sys.stdin)
    embedder = build_embedder(Settings().embedding)
    embedder.embed_batch(texts[:2], "passage")  # warm-up: the first call loads the model
    started = time.perf_counter()
    embedder.embed_batch(texts, "passage")
    print((time.perf_counter() - started) / len(texts))


if __name__ == "__main__":
    main()
