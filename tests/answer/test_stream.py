"""The answer stream on the real samples: pieces once, the final Answer after any amount of
reading, the whole text; the question checked and its language picked once; an LLM fault on
the way logged and carried as the fallback's reason."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import (
    CompletionResponse,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.components.llms import LlamaIndexChatModel
from assistant.core.errors import IndexNotBuilt, InvalidQuestion
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant

IPS_QUESTION = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
IPS_ENGLISH = "How much money has Mariagerfjord Kommune been granted from the IPS pool for youth?"
# The question's year holds no meeting, so the answer comes in two pieces: the abstention
# that says so, and the nearest meetings as a suggestion.
RELAXED = "Hvad besluttede Arbejdsmarkedsudvalget i Vejle i 2020?"
IPS_TURNS = [
    {"role": "user", "content": "Fortæl om IPS-projektet i Mariagerfjord"},
    {"role": "assistant", "content": "IPS-projektet i Mariagerfjord ..."},
]
STRATEGY_TURN = {
    "role": "user",
    "content": "Hvordan indgår handicapstrategien i Mariagerfjords arbejde med beskæftigelse?",
}


def test_iterating_yields_each_piece_once_and_the_answer_follows(
    sample_assistant: Assistant,
) -> None:
    stream = sample_assistant.ask_stream(IPS_QUESTION)
    pieces = list(stream)
    assert pieces and all(isinstance(piece, str) for piece in pieces)
    assert list(stream) == [], "a second loop does not show the text again"
    answer = stream.answer()
    assert "1.609.500" in answer.text and answer.citations[0].item_number == 2
    assert "".join(pieces) == answer.text
    assert stream.answer() is answer  # asked again: the same frozen Answer


def test_answer_after_partial_reading_drains_the_rest(sample_assistant: Assistant) -> None:
    whole = list(sample_assistant.ask_stream(RELAXED))
    assert len(whole) == 2 and whole[0].startswith("Referaterne har ingen møder for Vejle")
    stream = sample_assistant.ask_stream(RELAXED)
    first = next(stream)
    assert first == whole[0] and not stream.done
    answer = stream.answer()
    assert stream.done and answer.text == "".join(whole)
    assert stream.text() == "".join(whole), "text() holds the piece read before answer()"
    assert list(stream) == []


def test_text_is_the_joined_pieces_and_ask_is_the_stream_drained(
    sample_assistant: Assistant,
) -> None:
    read = sample_assistant.ask_stream(RELAXED)
    pieces = list(read)
    assert read.text() == "".join(pieces)
    # text() without reading first drains the stream itself.
    assert sample_assistant.ask_stream(RELAXED).text() == "".join(pieces)
    assert sample_assistant.ask(RELAXED) == read.answer()


def test_a_bad_question_is_refused_before_any_stream_exists(sample_assistant: Assistant) -> None:
    with pytest.raises(InvalidQuestion, match="Skriv et spørgsmål"):
        sample_assistant.ask_stream("   ")


def test_a_fault_while_reading_is_raised_again_when_the_answer_is_asked_for(
    sample_assistant: Assistant, tmp_path: Path
) -> None:
    settings = sample_assistant.settings.model_copy(update={"index_dir": tmp_path / "empty"})
    empty = build_assistant(settings, embedder=sample_assistant.embedder)
    stream = empty.ask_stream(IPS_QUESTION)
    with pytest.raises(IndexNotBuilt):
        next(stream)
    with pytest.raises(IndexNotBuilt):
        stream.answer()


def test_a_prepared_question_is_checked_and_its_language_picked_once(
    sample_assistant: Assistant,
) -> None:
    prepared = sample_assistant.prepare(f"  {IPS_ENGLISH}  ")
    assert (prepared.text, prepared.language, prepared.history) == (IPS_ENGLISH, "en", ())
    # "Cost?" says no language itself: the conversation's does.
    turns = [{"role": "user", "content": IPS_ENGLISH}]
    assert sample_assistant.prepare("Cost?", turns).language == "en"
    assert sample_assistant.ask(prepared) == sample_assistant.ask(IPS_ENGLISH)
    with pytest.raises(ValueError, match="its own history"):
        sample_assistant.ask_stream(prepared, [STRATEGY_TURN])


def test_the_evidence_check_is_the_answer_shown(sample_assistant: Assistant) -> None:
    # The conversation's municipality is tried first, and the extractive answer that found
    # evidence there travels with the hits; the answer shown is that answer.
    question = "Hvornår godkendte byrådet strategien?"
    retrieval = sample_assistant.retrieve(question, [STRATEGY_TURN])
    assert retrieval.evidence is not None and not retrieval.evidence.abstained
    answer = sample_assistant.ask(question, [STRATEGY_TURN])
    assert answer.citations == retrieval.evidence.citations
    assert answer.text == retrieval.evidence.text
    # Without the conversation nothing was checked on the way.
    assert sample_assistant.retrieve(question).evidence is None


class FailingLLM(CustomLLM):
    """A model whose server is down, behind llama-index's own LLM interface."""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="down")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise ConnectionError("connection refused")

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> Iterator[CompletionResponse]:
        raise ConnectionError("connection refused")


def test_an_llm_fault_is_logged_and_given_as_the_fallbacks_reason(
    sample_assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    question = "Hvem er projektejer?"
    without_llm = sample_assistant.ask(question, IPS_TURNS)
    assistant = copy.copy(sample_assistant)  # the same index, a model that is down
    assistant.llm = LlamaIndexChatModel(FailingLLM())  # the real adapter, a server down
    with caplog.at_level(logging.WARNING, logger="assistant"):
        answer = assistant.ask(question, IPS_TURNS)
    # The follow-up is searched as without a model, and the answer says why.
    assert answer.citations == without_llm.citations and answer.text == without_llm.text
    assert len(answer.corrections) == 1
    assert "kunne ikke omskrive opfølgningen (ConnectionError)" in answer.corrections[0]
    [record] = caplog.records
    assert "ConnectionError" in record.getMessage() and record.exc_info is None

    # The generated answer's fault too: logged, and the quotes are shown with the reason.
    settings, retriever = sample_assistant.settings, sample_assistant.retriever
    extractive = ExtractiveAnswerer(
        settings.answer, retriever.item_chunks, retriever.idf, retriever.known
    )
    assistant.answerer = GenerativeAnswerer(
        settings.answer, assistant.llm, extractive, retriever.item_chunks
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="assistant"):
        answer = assistant.ask(question, IPS_TURNS)
    assert answer.fallback and answer.citations == without_llm.citations
    assert [line.split(" (")[0] for line in answer.corrections] == [
        "sprogmodellen kunne ikke omskrive opfølgningen",
        "sprogmodellen svarede ikke",
    ]
    assert len(caplog.records) == 2 and all(r.exc_info is None for r in caplog.records)
