"""The chat's handlers and HTML without a browser: real Assistant on the samples, real
SQLite feedback store, real files for upload. The browser tests (test_browser.py) drive the
same handlers through the page."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
from pathlib import Path

import gradio as gr
import pytest

from assistant.app.ui.app import (
    ChatApp,
    example_questions,
    highlighted,
    linked_markers,
    parse_filters,
    source_card,
)
from assistant.core.errors import InvalidQuestion
from assistant.core.types import Citation
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.feedback import FeedbackStore
from assistant.service.wiring import build_assistant
from tests.conftest import SAMPLES

IPS_QUESTION = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def _citation(**changes: object) -> Citation:
    values = {
        "n": 1,
        "municipality": "Aabenraa",
        "committee": "Arbejdsmarkedsudvalget",
        "meeting_date": "2024-09-02",
        "item_number": 71,
        "item_title": "Status på IPS",
        "case_number": "24/1234",
        "source": "002.txt",
        "quote": "38 procent er kommet i job. Det er flot.",
        "decision_status": "taget til efterretning",
        "closed": False,
    }
    return Citation(**{**values, **changes})


# --- HTML and text ----------------------------------------------------------------------


def test_markers_become_links_to_their_cards_and_markup_is_escaped() -> None:
    text = linked_markers(f"Svaret [1] og [2]. {HOSTILE}", turn=3)
    assert "[\\[1\\]](#kilde-3-1)" in text and "[\\[2\\]](#kilde-3-2)" in text
    assert "<script>" not in text and "<img" not in text


def test_source_card_escapes_minutes_text_and_highlights_the_quote_in_the_item() -> None:
    citation = _citation(
        item_title=f"Titel {HOSTILE}", quote=f"38 procent er kommet i job. {HOSTILE}"
    )
    sections = [("Sagsfremstilling", "Indledning. 38 procent er kommet i job. Mere tekst.")]
    card = source_card(citation, turn=0, sections=sections)
    assert 'id="kilde-0-1"' in card
    assert "<script>" not in card and "<img " not in card
    card = source_card(_citation(), turn=0, sections=sections)
    assert "<mark>38 procent er kommet i job.</mark>" in card
    assert "<h4>Sagsfremstilling</h4>" in card
    copy = re.search(r'data-copy="([^"]*)"', card).group(1)
    assert html.unescape(copy).endswith(
        "(Arbejdsmarkedsudvalget, Aabenraa Kommune, 2. september 2024, punkt 71)"
    )
    assert "Sag 24/1234" in card and "Status: taget til efterretning" in card


def test_highlight_marks_each_quoted_sentence_once() -> None:
    marked = highlighted("A b. C <d>. A b.", ["A b.", "C <d>."])
    assert marked == "<mark>A b.</mark> <mark>C &lt;d&gt;.</mark> A b."


def test_examples_come_from_indexed_items_with_decisions(sample_assistant: Assistant) -> None:
    chunks = sample_assistant.retriever.chunks_matching(SearchFilter())
    examples = example_questions(chunks)
    assert len(examples) == 4
    titles = {c.item_title for c in chunks}
    for example in examples:
        assert any(name in example for name in SAMPLES), example
        title = example.split("»")[1].rstrip("«?")
        assert any(title in t for t in titles), example
        assert not re.search(r"dagsorden|underskrift|lukket", example, re.IGNORECASE)


def test_filter_fields_read_danish_dates_and_refuse_nonsense() -> None:
    filters = parse_filters("Lejre", "Alle", "1. august 2023", "2023-12-31")
    assert filters.municipality == "Lejre" and filters.committee is None
    assert (filters.date_from.isoformat(), filters.date_to.isoformat()) == (
        "2023-08-01",
        "2023-12-31",
    )
    assert parse_filters("Alle", None, "", " ").is_empty()
    with pytest.raises(InvalidQuestion, match="Fra-datoen 'i morgen'"):
        parse_filters(None, None, "i morgen", "")
    with pytest.raises(InvalidQuestion, match="efter til-datoen"):
        parse_filters(None, None, "2024-01-01", "2023-01-01")


# --- handlers with the real assistant -------------------------------------------------------


@pytest.fixture
def app(sample_assistant: Assistant, tmp_path: Path) -> ChatApp:
    return ChatApp(sample_assistant, feedback=FeedbackStore(tmp_path / "feedback.sqlite3"))


def _run(app: ChatApp, question: str, chat=None, answers=None, kommune="Alle", fra="", til=""):
    return list(app.respond(question, chat or [], answers or [], kommune, "Alle", fra, til))


def test_answer_streams_then_brings_its_source_cards(app: ChatApp) -> None:
    updates = _run(app, IPS_QUESTION)
    assert updates[0][0][-1]["content"] == "Søger i referaterne …"
    texts = [chat[-1]["content"] for chat, *_ in updates]
    assert len(set(texts)) >= 3, "the answer arrives in more than one piece"
    chat, answers, panel, cleared = updates[-1]
    assert "1.609.500" in chat[-1]["content"] and "(#kilde-0-1)" in chat[-1]["content"]
    assert "*Søgt i: Mariagerfjord Kommune*" in chat[-1]["content"]
    assert 'id="kilde-0-1"' in panel and "Punkt 2:" in panel and "<mark>" in panel
    assert answers[0]["citations"][0]["item_number"] == 2 and cleared == ""


def test_follow_up_in_the_chat_keeps_citing_the_item(app: ChatApp) -> None:
    chat, answers, *_ = _run(app, "Fortæl om IPS-projektet i Mariagerfjord")[-1]
    chat, answers, panel, _ = _run(app, "Hvem er projektejer?", chat, answers)[-1]
    assert "Ann Frederiksen" in chat[-1]["content"]
    first = answers[-1]["citations"][0]
    assert (first["municipality"], first["item_number"]) == ("Mariagerfjord", 2)
    assert 'id="kilde-1-1"' in panel and 'id="kilde-0-1"' in panel
    # The third turn leans on a follow-up: the chain goes back to the question that named
    # the municipality, so the search stays in Mariagerfjord.
    chat, answers, *_ = _run(app, "Og hvad koster det?", chat, answers)[-1]
    assert "Søgt i: Mariagerfjord Kommune" in chat[-1]["content"]
    assert "1.609.500" in chat[-1]["content"]
    assert answers[-1]["citations"][0]["item_number"] == 2


def test_municipality_filter_narrows_every_citation(app: ChatApp) -> None:
    chat, answers, *_ = _run(
        app, "Hvad blev besluttet om beskæftigelsespolitikken?", kommune="Lejre"
    )[-1]
    assert answers[0]["citations"]
    assert {c["municipality"] for c in answers[0]["citations"]} == {"Lejre"}
    assert "Søgt i: Lejre Kommune" in chat[-1]["content"]


def test_errors_are_shown_in_the_chat_not_raised(app: ChatApp) -> None:
    chat, answers, *_ = _run(app, "x" * 2500)[-1]
    assert chat[-1]["content"].startswith("⚠️ Spørgsmålet er for langt") and answers == []
    chat, *_ = _run(app, "Hvad blev besluttet?", fra="i morgen")[-1]
    assert "Fra-datoen" in chat[-1]["content"]


def test_busy_assistant_says_so_instead_of_waiting_forever(app: ChatApp) -> None:
    app.settings = dataclasses.replace(app.settings, ui_busy_wait_s=0.05)
    held = [app.slots.acquire(timeout=1) for _ in range(app.settings.ui_concurrency)]
    try:
        chat, *_ = _run(app, IPS_QUESTION)[-1]
    finally:
        for _ in held:
            app.slots.release()
    assert "optaget" in chat[-1]["content"]
    chat, *_ = _run(app, IPS_QUESTION)[-1]  # slots free again: answered
    assert "1.609.500" in chat[-1]["content"]


def test_thumbs_and_comment_are_stored_with_the_answer(app: ChatApp) -> None:
    chat, answers, *_ = _run(app, IPS_QUESTION)[-1]
    like = gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": True})
    answers, status = app.rate(answers, like)
    assert status.startswith("Tak!")
    _, status = app.comment(answers, "Præcist svar, tak")
    assert status == "Tak for kommentaren."
    dislike = gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": False})
    answers, _ = app.rate(answers, dislike)  # a change of mind updates the same row
    [entry] = app.feedback.entries()
    stored = entry.feedback
    assert (stored.question, stored.rating, stored.comment) == (
        IPS_QUESTION,
        "down",
        "Præcist svar, tak",
    )
    assert stored.citations[0]["item_number"] == 2 and "1.609.500" in stored.answer


def test_upload_reports_each_file_and_the_new_minutes_answer(
    sample_assistant: Assistant, tmp_path: Path
) -> None:
    settings = sample_assistant.settings.model_copy(update={"index_dir": tmp_path / "index"})
    assistant = build_assistant(settings, embedder=sample_assistant.embedder)
    app = ChatApp(assistant, feedback=FeedbackStore(tmp_path / "fb.sqlite3"))
    good = tmp_path / SAMPLES["Lejre"].name
    shutil.copy(SAMPLES["Lejre"], good)
    empty = tmp_path / "tom.txt"
    empty.write_text("", encoding="utf-8")
    steps = []
    updates = list(
        app.upload(
            [str(good), str(empty)],
            gr.Request(session_hash="s"),
            progress=lambda *args, **kwargs: steps.append(kwargs["desc"]),
        )
    )
    summary, kommune, _, chatbot = updates[-1]
    assert f"<td>{good.name}</td><td>1 møde, 6 punkter</td>" in summary
    assert "<td>tom.txt</td><td>Ikke indlæst:" in summary
    assert steps == [f"Indlæser {good.name} (fil 1 af 2) …", "Indlæser tom.txt (fil 2 af 2) …"]
    # While the second file is read, the first one's result already shows.
    assert "1 møde, 6 punkter" in updates[1][0] and "Indlæser tom.txt" in updates[1][0]
    assert "Lejre" in kommune["choices"] and chatbot["examples"]
    *_, (again, *_) = app.upload([str(good)], gr.Request(session_hash="s"), progress=_quiet)
    assert "Allerede indlæst" in again
    _, answers, *_ = _run(app, "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?")[
        -1
    ]
    assert answers[0]["citations"][0]["municipality"] == "Lejre"


def _quiet(*args: object, **kwargs: object) -> None:
    """A progress callback that shows nothing (the handlers' own progress is gr.Progress)."""
