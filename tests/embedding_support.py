"""What the tests of embedders share: the dev-question outcomes two embedders are compared
on, and Infinity (a real OpenAI-compatible embedding server) on loopback, serving the folder
`referat model export-e5` writes.

Infinity pins numpy<2 and older typer and sentence-transformers than ours, so it lives in a
virtualenv of its own, `.venv-infinity`, which `scripts/install.sh --test` (run by
`make test`) creates; it runs as a separate process, as it would be deployed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.components.e5_export import SERVED_MODEL_NAME
from assistant.evaluation.evaluate import load_questions
from assistant.service.assistant import Assistant
from tests.conftest import PROJECT_ROOT, QUESTIONS, referat
from tests.llm_support import free_port, stop, wait_until_answering

INFINITY = PROJECT_ROOT / ".venv-infinity" / "bin" / "infinity_emb"
SERVER_START_S = 300


def answer_outcomes(assistant: Assistant, mode: str) -> dict[str, tuple]:
    """Per dev question: the first item retrieved (answerable questions only), whether the
    answer abstains, and the item its answer cites first.

    An unanswerable question has no right first item: its candidates are off-topic items
    tied within a few ten-thousandths of cosine (q056, "ledigheden i Aabenraa i sommeren
    2024", swaps items 71 and 74 at 0.8796 vs 0.8791), so for those the comparison is what
    the user is shown, which must still be the same. The last of five "see also" items of a
    broad question (q018) is such a tie too, so only the answer's own source is compared."""
    outcomes = {}
    for question in load_questions(QUESTIONS):
        history = list(question.history)
        found = assistant.retrieve(question.question, history, mode=mode)
        first = found.hits[0].best.item_key if found.hits and question.answerable else ""
        answer = assistant.ask(question.question, history, mode=mode)
        cited = [f"{c.source}:{c.item_number}:{c.page}" for c in answer.citations]
        outcomes[question.id] = (first, answer.abstained, cited[0] if cited else "")
    return outcomes


@pytest.fixture(scope="session")
def exported_e5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model folder, written by `referat model export-e5` as an operator runs it."""
    folder = tmp_path_factory.mktemp("export") / "multilingual-e5-small"
    result = referat("model", "export-e5", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@contextmanager
def running_infinity(folder: Path, log_dir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """Infinity serving `folder` on 127.0.0.1 (fp32 on the CPU, as the local runtime
    computes), stopped on leaving; its log goes to a file in `log_dir`."""
    assert INFINITY.exists(), f"{INFINITY} is missing: run scripts/install.sh --test"
    port = free_port()
    log = (log_dir / f"infinity-{port}.log").open("w")
    env = {
        **os.environ,
        # Nothing from a model hub, no usage statistics: this workplace has no network.
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "DO_NOT_TRACK": "1",
        "INFINITY_ANONYMOUS_USAGE_STATS": "0",
    }
    process = subprocess.Popen(
        [
            str(INFINITY), "v2", "--model-id", str(folder),
            "--served-model-name", SERVED_MODEL_NAME, "--host", "127.0.0.1",
            "--port", str(port), "--engine", "torch", "--device", "cpu",
            "--dtype", "float32", "--no-bettertransformer", "--no-model-warmup",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, f"{base}/health", log.name, SERVER_START_S, "Infinity")
        yield base, process
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def infinity_server(exported_e5: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Infinity for the session's tests; its base URL."""
    with running_infinity(exported_e5, tmp_path_factory.mktemp("infinity")) as (base, _):
        yield base
