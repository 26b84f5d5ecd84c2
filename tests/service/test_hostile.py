"""Hostile and odd input (issue 8) without a browser: empty, overlong, nonsense and English
questions, and markup in a question, through the real Assistant on the sample minutes, the
chat's real handlers and the real `referat` command. The browser half is
test_browser_hostile.py."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import string
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import Field

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.app.ui.app import ChatApp, history_turns, linked_markers, literal, typed
from assistant.components.llms import LlamaIndexChatModel
from assistant.core.chunk_format import SENTENCE_END
from assistant.core.config import PROJECT_ROOT
from assistant.core.errors import InvalidQuestion, ReferatError
from assistant.core.types import Answer
from assistant.danish.dates import format_date
from assistant.danish.language import answer_language, text_language
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.feedback import FeedbackStore
from tests.conftest import QUESTIONS, SAMPLES, referat

LONG = ("Hvad besluttede udvalget om beskæftigelsesindsatsen for unge? " * 400)[:20_000]
TOO_LONG = "Spørgsmålet er for langt (20000 tegn); højst 2000 tegn."
ABSTAIN_DA = "Det kan jeg ikke finde i referaterne."
ABSTAIN_EN = "I cannot find that in the minutes."
NONSENSE = ["asdf qwerty zxcvb", "blorp fnaz kvibb?"]
IPS_EN = (
    "How much money has Mariagerfjord Municipality been granted from the IPS pool for young people?"
)
UKRAINE_EN = "How many displaced people from Ukraine were there in Lejre in August 2023?"
UKRAINE_DA = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
HOSTILE = '<img src=x onerror="window.__xss=1"><b>fed</b><script>window.__xss=2</script>'
PROMPTS = PROJECT_ROOT / "prompts"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _in_minutes(quote: str, municipality: str) -> bool:
    """Every sentence of the quote is the minutes' own words, as printed (whitespace aside)."""
    minutes = _flat(SAMPLES[municipality].read_text(encoding="utf-8"))
    return all(_flat(s) in minutes for s in SENTENCE_END.split(quote) if s.strip())


def _stream(
    assistant: Assistant, question: str, history: Sequence[Any] = ()
) -> tuple[list[str], Answer]:
    """(the pieces the stream yielded, its final Answer)."""
    stream = assistant.ask_stream(question, history)
    return list(stream), stream.answer()


# --- empty and overlong questions ---------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   ", "\n\t  \n"])
def test_an_empty_question_is_refused_with_a_danish_message(
    sample_assistant: Assistant, question: str
) -> None:
    for ask in (sample_assistant.ask, lambda q: _stream(sample_assistant, q)):
        with pytest.raises(InvalidQuestion) as refused:
            ask(question)
        assert isinstance(refused.value, ReferatError)
        assert str(refused.value) == "Skriv et spørgsmål."


def test_a_20000_character_question_is_refused_naming_the_limit(
    sample_assistant: Assistant,
) -> None:
    assert sample_assistant.settings.max_question_chars == 2000
    for ask in (sample_assistant.ask, lambda q: _stream(sample_assistant, q)):
        with pytest.raises(InvalidQuestion) as refused:
            ask(LONG)
        assert str(refused.value) == TOO_LONG


@pytest.fixture
def app(sample_assistant: Assistant, tmp_path: Path) -> ChatApp:
    return ChatApp(sample_assistant, feedback=FeedbackStore(tmp_path / "feedback.sqlite3"))


def _run(app: ChatApp, question: str, chat=None, answers=None):
    return list(app.respond(question, chat or [], answers or [], "Alle", "Alle", "", ""))


def test_chat_refuses_empty_and_20000_character_questions_then_answers_the_next(
    app: ChatApp,
) -> None:
    chat, answers, _, box = _run(app, "   ")[-1]
    # The message only: a blank question leaves no empty bubble.
    assert chat == [{"role": "assistant", "content": "⚠️ Skriv et spørgsmål."}] and answers == []
    chat, answers, _, box = _run(app, LONG, chat, answers)[-1]
    assert chat[-1]["content"] == f"⚠️ {TOO_LONG}" and answers == []
    assert box == LONG, "the question stays in the box, to be shortened"
    chat, answers, *_ = _run(app, "Fortæl om IPS-projektet i Mariagerfjord", chat, answers)[-1]
    assert answers[0]["citations"][0]["item_number"] == 2
    # The refused questions are no part of the conversation that follow-ups lean on.
    assert answers[0]["history"] == []
    chat, answers, *_ = _run(app, "Hvem er projektejer?", chat, answers)[-1]
    assert "Ann Frederiksen" in chat[-1]["content"]


# --- nonsense -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", NONSENSE)
def test_nonsense_is_abstained_in_danish(sample_assistant: Assistant, question: str) -> None:
    pieces, answer = _stream(sample_assistant, question)
    assert isinstance(answer, Answer) and answer.abstained
    assert answer.text == ABSTAIN_DA and answer.citations == ()
    assert pieces == [ABSTAIN_DA], "the streamed text is the abstention too"


# --- language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (IPS_EN, "en"),
        (UKRAINE_EN, "en"),
        ("Who is the project owner?", "en"),
        ("What did Næstved decide about the investment pool?", "en"),
        (UKRAINE_DA, "da"),
        ("Hvem er de to oplægsholdere?", "da"),  # "to" is Danish too
        ("Hvad er the budget?", "da"),  # mixed: Danish
        ("What?", None),  # too short to tell
        ("IPS", None),
        ("asdf qwerty zxcvb", None),
    ],
)
def test_text_language_tells_english_from_danish(text: str, expected: str | None) -> None:
    assert text_language(text) == expected


def test_every_question_of_the_danish_question_set_is_answered_in_danish() -> None:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 90
    english = [r["question"] for r in rows if answer_language(r["question"], r["history"]) != "da"]
    assert english == []


def test_a_question_that_does_not_say_keeps_the_conversation_language() -> None:
    english = [{"role": "user", "content": "Tell me about the IPS project in Mariagerfjord"}]
    assert answer_language("Cost?", english) == "en"
    assert answer_language("Cost?") == "da"  # no conversation: Danish
    assert answer_language("Hvem er projektejer?", english) == "da"  # switched to Danish
    danish = [{"role": "user", "content": "Fortæl om IPS-projektet i Mariagerfjord"}]
    assert answer_language("IPS?", danish) == "da"


def test_dates_and_filters_are_described_in_the_answer_language() -> None:
    day = dt.date(2024, 1, 4)
    assert (format_date(day, "da"), format_date(day, "en")) == ("4. januar 2024", "4 January 2024")
    august = SearchFilter(
        municipality="Lejre", date_from=dt.date(2023, 8, 1), date_to=dt.date(2023, 10, 31)
    )
    assert august.describe("da") == "Lejre Kommune, august til oktober 2023"
    assert august.describe("en") == "Lejre Municipality, August to October 2023"
    case = SearchFilter(case_key="23-7010", item_number=71, closed=False)
    assert case.describe("en") == "case 23-7010, item 71, open items"


@pytest.mark.parametrize(
    ("question", "municipality", "meeting_date", "item", "figure"),
    [
        (IPS_EN, "Mariagerfjord", "2024-01-04", 2, "1.609.500"),
        (UKRAINE_EN, "Lejre", "2023-09-06", 3, "149"),
    ],
)
def test_english_questions_cite_the_danish_item_with_english_framing(
    sample_assistant: Assistant,
    question: str,
    municipality: str,
    meeting_date: str,
    item: int,
    figure: str,
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained
    first = answer.citations[0]
    assert (first.municipality, first.meeting_date, first.item_number) == (
        municipality,
        meeting_date,
        item,
    )
    day = format_date(dt.date.fromisoformat(meeting_date), "en")
    # The opening line states the fact in English framing; the quotes follow.
    opening, _, quotes = answer.text.partition("\n\n")
    assert opening.startswith("In short: ") and figure in opening
    assert quotes.startswith(
        f"According to {first.committee}, {municipality} Municipality, {day} (item {item}: "
    )
    assert answer.scope == f"{municipality} Municipality"
    # The quote stays the minutes' Danish, word for word; only the framing is English.
    assert figure in first.quote and _in_minutes(first.quote, municipality)
    assert f"): {first.quote} [1]" in answer.text
    framing = answer.text.replace(first.quote, "")
    for danish in ("Ifølge", "punkt", "Se også", "Kommune,"):
        assert danish not in framing, framing
    if len(answer.citations) > 1:
        assert "See also item " in answer.text


def test_a_danish_question_keeps_danish_framing(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(UKRAINE_DA)
    first = answer.citations[0]
    assert (first.municipality, first.item_number) == ("Lejre", 3)
    opening, _, quotes = answer.text.partition("\n\n")
    assert opening.startswith("Kort svar: ")
    assert quotes.startswith(
        f"Ifølge {first.committee}, Lejre Kommune, 6. september 2023 (punkt 3: "
    )
    assert answer.scope == "Lejre Kommune, august til november 2023"
    assert "According" not in answer.text and "Municipality" not in answer.text


def test_an_english_question_about_a_year_without_meetings_abstains_in_english(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "How many displaced people from Ukraine were there in Lejre in 2021?"
    )
    assert answer.abstained and not answer.citations
    assert answer.text.startswith(
        "The minutes hold no meetings for Lejre Municipality, 2021, so I cannot answer that."
    )
    assert "Nearest meetings in the minutes: Lejre," in answer.text


def test_an_english_follow_up_is_answered_in_english(sample_assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "Tell me about the IPS project in Mariagerfjord"},
        {"role": "assistant", "content": "According to ..."},
    ]
    answer = sample_assistant.ask("And how much money did they get?", history)
    assert answer.text.startswith("In short: ") and "1.609.500" in answer.text
    assert "\n\nAccording to " in answer.text
    assert (answer.citations[0].municipality, answer.citations[0].item_number) == (
        "Mariagerfjord",
        2,
    )


def test_unanswerable_english_question_abstains_in_english(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("What is the blorp of the fnaz?")
    assert answer.abstained and answer.text == ABSTAIN_EN


def test_english_templates_have_the_fields_of_the_danish_ones() -> None:
    def fields(path: Path) -> set[str]:
        text = path.read_text(encoding="utf-8")
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = sorted((PROMPTS / "en").glob("*.txt"))
    assert {p.stem for p in english} >= {
        "abstain",
        "extractive_item",
        "extractive_see_also",
        "extractive_see_also_ref",
        "empty_scope",
        "empty_scope_suggest",
        "absence_meeting",
        "absence_items",
        "meeting_header",
        "meeting_item",
        "scope",
        "searching",
    }
    for path in english:
        assert fields(path) == fields(PROMPTS / path.name), path.name
    # prompts/README.md names every template, Danish and English.
    readme = (PROMPTS / "README.md").read_text(encoding="utf-8")
    for path in [*PROMPTS.glob("*.txt"), *english]:
        assert f"`{path.relative_to(PROMPTS)}`" in readme, path


class QuotingLLM(CustomLLM):
    """A stand-in model behind llama-index's own LLM interface: it answers with the first
    sentence of passage [1] it was given, cited, and keeps every prompt it was sent."""

    prompts: list[str] = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="quoting")

    def _reply(self, prompt: str) -> str:
        passage = re.search(r"^\[1\] .*\n(.+)$", prompt, re.MULTILINE).group(1)
        first = re.split(r"(?<=[.!?])\s", passage)[0].rstrip(".")
        return f"{first} [1]."

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text=self._reply(prompt))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> Iterator[CompletionResponse]:
        self.prompts.append(prompt)
        text = self._reply(prompt)
        yield CompletionResponse(text=text, delta=text)


@pytest.mark.parametrize(("question", "language"), [(IPS_EN, "engelsk"), (UKRAINE_DA, "dansk")])
def test_the_llm_is_told_to_answer_in_the_users_language(
    sample_assistant: Assistant, question: str, language: str
) -> None:
    llm = QuotingLLM()
    settings, retriever = sample_assistant.settings, sample_assistant.retriever
    extractive = ExtractiveAnswerer(
        settings.answer, retriever.item_chunks, retriever.idf, retriever.known
    )
    assistant = copy.copy(sample_assistant)  # the same index, another answerer
    assistant.answerer = GenerativeAnswerer(
        settings.answer, LlamaIndexChatModel(llm), extractive, retriever.item_chunks
    )
    answer = assistant.ask(question)
    [prompt] = llm.prompts
    assert f"Svar kort og præcist på {language}" in prompt
    assert f"Svar på {language} med [n] efter hver oplysning" in prompt
    assert "{language}" not in prompt
    assert not answer.fallback and answer.text.endswith("[1].")
    # The asked fact as the extractive answer opens with it comes before the passages.
    opening = "Det direkte svar på spørgsmålet, citeret fra uddrag [1]: "
    assert opening in prompt and prompt.index(opening) < prompt.index("\n[1] ")
    assert ("1.609.500 kr." if question == IPS_EN else "149 fordrevne") in prompt.split(opening)[
        1
    ].split("\n")[0]


# --- markup in a question (the chat's handlers; the browser test renders it) ----------------


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "**fed** _kursiv_ `kode` [link](http://x.dk) ~~streg~~ $$x$$",
        "# Overskrift\n- punkt\n    kode",
        "a \\*b\\* &lt; &amp;",
    ],
)
def test_literal_markdown_is_undone_exactly(text: str) -> None:
    shown = literal(text)
    assert typed(shown) == text
    assert "<" not in shown and not re.search(r"(?<!\\)[*_`\[\]~$]", shown)
    assert not re.search(r"(?m)^(?:#|-|\s)", shown)


def test_markdown_and_markup_quoted_from_minutes_stay_text_beside_working_markers() -> None:
    quote = "Se *puljen* [her](http://x.dk) <img src=x onerror=alert(1)>\n- 12. punkt"
    shown = linked_markers(f"Ifølge udvalget: {quote} [1]\n\nSe også [2].", turn=4)
    assert shown.endswith("Se også [\\[2\\]](#kilde-4-2).")
    assert "[\\[1\\]](#kilde-4-1)" in shown
    without_markers = re.sub(r"\[\\\[\d\\\]\]\(#kilde-4-\d\)", "", shown)
    assert not re.search(r"(?<!\\)[*\[\]]", without_markers) and "<img" not in without_markers
    assert "\n\\- 12. punkt" in shown  # a line opening with "-" is no list item


def test_markup_in_a_question_is_shown_as_text_and_asked_as_typed(app: ChatApp) -> None:
    question = f"{HOSTILE} Fortæl om **IPS**-projektet i [Mariagerfjord](http://x.dk)"
    updates = _run(app, question)
    for chat, *_ in updates:
        shown = chat[0]["content"]
        assert "<img" not in shown and "<b>" not in shown and "<script" not in shown
        assert not re.search(r"(?<!\\)[*\[\]]", shown), "Markdown left unescaped"
    chat, answers, panel, _ = updates[-1]
    assert answers[0]["citations"][0]["item_number"] == 2
    # The conversation, the source panel and the stored answer hold the question as typed.
    assert history_turns(chat)[0] == {"role": "user", "content": question}
    assert answers[0]["question"] == question
    assert "Kilder til: &lt;img src=x onerror=" in panel and "<img" not in panel
    # A follow-up leans on the question as typed.
    chat, answers, *_ = _run(app, "Hvem er projektejer?", chat, answers)[-1]
    assert answers[1]["history"][0] == {"role": "user", "content": question}
    assert "Ann Frederiksen" in chat[-1]["content"]


def test_the_chat_frames_an_english_answer_in_english(app: ChatApp) -> None:
    updates = _run(app, IPS_EN)
    assert updates[0][0][-1]["content"] == "Searching the minutes …"
    chat, *_ = updates[-1]
    assert chat[-1]["content"].startswith("*Searched in: Mariagerfjord Municipality*\n\n")
    assert "According to " in chat[-1]["content"] and "1.609.500" in chat[-1]["content"]
    chat, *_ = _run(app, UKRAINE_DA)[-1]
    assert chat[-1]["content"].startswith("*Søgt i: Lejre Kommune")


# --- the `referat` command ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "message"),
    [("   ", "Fejl: Skriv et spørgsmål."), (LONG, f"Fejl: {TOO_LONG}")],
)
def test_cli_refuses_empty_and_overlong_questions_without_a_traceback(
    cli_index: Path, question: str, message: str
) -> None:
    result = referat("ask", question, index=cli_index)
    assert result.returncode == 1
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
def test_cli_abstains_on_nonsense_and_frames_english_in_english(cli_index: Path) -> None:
    for question in NONSENSE:
        result = referat("ask", "--json", question, index=cli_index)
        assert result.returncode == 0, result.stderr
        payload = json.loads(result.stdout)
        assert payload == {"answer": ABSTAIN_DA, "abstained": True, "opening": "", "citations": []}
    result = referat("ask", NONSENSE[0], index=cli_index)
    assert result.returncode == 0 and result.stdout.strip() == ABSTAIN_DA
    result = referat("ask", "--json", UKRAINE_EN, index=cli_index)
    payload = json.loads(result.stdout)
    assert payload["answer"].startswith("In short: ") and "149" in payload["answer"]
    assert "\n\nAccording to " in payload["answer"]
    assert (payload["citations"][0]["municipality"], payload["citations"][0]["item_number"]) == (
        "Lejre",
        3,
    )
