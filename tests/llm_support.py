"""What the tests with a real small LLM share: the model file, llama.cpp's OpenAI-compatible
server on loopback, an Assistant on a given index with a given backend, and the check that no
number an answer shows is missing from the items it cites.

The fixtures are registered in tests/conftest.py for the whole session: one server serves
every test that runs the model (`make test` runs those tests together, after the rest, and
tests/conftest.py marks each of them `llm`). None of this needs llama-cpp-python at import
time.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer import guard
from assistant.components.gguf_models import MODELS, fetch_model
from assistant.core.config import Settings
from assistant.core.types import Answer
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant

SERVER_START_S = 180
# Answers in tests stop at this many tokens (the product's default is 300). At temperature 0
# the text is the first part of the longer answer, so what the tests check (the citations,
# the guard on every number) is the same; on 2 cores each answer the model wrote to the cap
# took some 25 s to generate, and the test run is near CI's limit.
TEST_MAX_TOKENS = 160


@pytest.fixture(scope="session")
def model_path() -> Path:
    return fetch_model(MODELS["small"], Settings().model_cache)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on 127.0.0.1, started and stopped here. Its log
    goes to a file: llama.cpp writes a lot, and an unread pipe would block the server.

    `--cache`: the server keeps the state of prompts it has read (in RAM, up to 2 GB). The
    terminal and the browser tests ask the same three turns as test_llm; reading a prompt is
    most of an answer's time on 2 cores, and with the cache only the answer is generated
    again. What the tests check is the model's real output either way."""
    pytest.importorskip("llama_cpp", reason="the optional extra: pip install -e '.[llama-cpp]'")
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
            "--n_threads", "2", "--model_alias", "qwen-small", "--cache", "true",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_answering(process, f"{base}/models", log.name, SERVER_START_S, "llama.cpp")
        yield base
    finally:
        stop(process)
        log.close()


def wait_until_answering(
    process: subprocess.Popen, url: str, log_name: str, seconds: float, what: str
) -> None:
    """Poll `url` (not through any proxy) until the server answers; fail the test if the
    process exits or `seconds` pass first."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped; see {log_name}")
        try:
            with opener.open(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not start in {seconds} s; see {log_name}")
            time.sleep(1)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def llm_assistant(index_dir: Path, **llm: object) -> Assistant:
    # Temperature 0: the same prompt gives the same text, so a failure can be reproduced.
    settings = {"llm_temperature": 0.0, "llm_max_tokens": TEST_MAX_TOKENS, **llm}
    return build_assistant(Settings(index_dir=index_dir, **settings))


def served_assistant(index_dir: Path, base_url: str) -> Assistant:
    """The assistant answering through the server `llama_server` started."""
    return llm_assistant(
        index_dir, llm="openai-compatible", llm_base_url=base_url, llm_model="qwen-small"
    )


def unsupported_numbers(assistant: Assistant, answer: Answer) -> set[str]:
    """Numbers the shown answer states that no cited item prints."""
    return guard.unsupported_numbers(answer, assistant.item_sections)
