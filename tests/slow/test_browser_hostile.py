"""Hostile and odd input in a real browser (issue 8): `referat serve` as a subprocess, headless
Chromium, the server and page helpers of test_browser.py. Empty and 20,000-character
questions, English questions, and markup in a question or in uploaded minutes, which must
show as text and never become an element or run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, expect

from assistant.service.feedback import FeedbackStore
from tests.slow import test_browser
from tests.slow.test_browser import (
    ANSWER_TIMEOUT_MS,
    IPS_Q,
    MAX_QUESTION_CHARS,
    ROSKILDE_MINUTES,
    Server,
    Session,
    _expect_ips_card,
    _serving,
)

# test_browser.py's fixtures, used here by name: its module-scoped server is started once more
# for this module, with a fresh index that the first start fills with the sample minutes.
server = test_browser.server
chromium = test_browser.chromium
artifacts = test_browser.artifacts
open_session = test_browser.open_session

pytestmark = pytest.mark.slow

LONG = ("Hvad besluttede udvalget om beskæftigelsesindsatsen for unge? " * 400)[:20_000]
HOSTILE = '<img src=x onerror="window.__xss=1"><b>fed</b><script>window.__xss=2</script>'
IPS_EN = (
    "How much money has Mariagerfjord Municipality been granted from the IPS pool for young people?"
)
# What the page itself puts in a question's bubble, an answer's bubble and the sources panel;
# any other element there was made from the text of a question or of the minutes.
ALLOWED = {
    "#chat [data-testid='user']": "div, span, p, br",
    "#chat [data-testid='bot']": "div, span, p, br, em, a[href^='#kilde-']",
    "#kilder": "div, span, p, br, details, summary, strong, blockquote, button, h4, mark",
}
INJECTED = """(allowed) => Object.entries(allowed).flatMap(([place, tags]) =>
  [...document.querySelectorAll(`${place} *:not(${tags})`)].map((e) => e.outerHTML.slice(0, 120)))
"""


def _expect_nothing_injected(chat: Session, flag: str = "__xss") -> None:
    assert chat.page.evaluate(INJECTED, ALLOWED) == []
    # The answer's only emphasis is the line that says what was searched.
    for emphasis in chat.page.locator("#chat [data-testid='bot'] em").all_inner_texts():
        assert emphasis.startswith(("Søgt i: ", "Searched in: ")), emphasis
    assert chat.page.evaluate(f"typeof window.{flag}") == "undefined"
    chat.assert_no_page_errors()


def _copied_question(chat: Session, number: int) -> str:
    """What the copy button of the `number`-th question in the chat puts on the clipboard."""
    buttons = chat.page.locator("#chat .message-buttons-right")
    buttons.nth(number).get_by_role("button").first.click()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        copied = chat.page.evaluate("navigator.clipboard.readText()")
        if copied:
            return copied
        time.sleep(0.2)
    return ""


# --- empty and overlong --------------------------------------------------------------------


def test_empty_question_gets_a_message_and_the_next_question_works(
    open_session, artifacts: Path
) -> None:
    chat = open_session()
    chat.question_box.fill("   ")
    chat.page.locator("#ask").click()
    expect(chat.bots.last).to_have_text("⚠️ Skriv et spørgsmål.", timeout=ANSWER_TIMEOUT_MS)
    expect(chat.users).to_have_count(0)  # no empty bubble for a blank question
    chat.question_box.fill("")
    chat.question_box.press("Enter")
    expect(chat.bots).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    expect(chat.bots.last).to_have_text("⚠️ Skriv et spørgsmål.")
    chat.shot(artifacts / "empty-question.png")

    expect(chat.ask(IPS_Q)).to_contain_text("1.609.500")
    _expect_ips_card(chat.card(0, 1))
    chat.assert_no_page_errors()


def test_20000_character_question_is_refused_and_kept_in_the_box(
    open_session, artifacts: Path
) -> None:
    chat = open_session()
    chat.submit(LONG)
    expect(chat.error()).to_have_text(
        f"⚠️ Spørgsmålet er for langt (20000 tegn); højst {MAX_QUESTION_CHARS} tegn."
    )
    expect(chat.question_box).to_have_value(LONG)
    chat.shot(artifacts / "question-20000.png", full_page=False)

    expect(chat.ask(IPS_Q)).to_contain_text("1.609.500")
    _expect_ips_card(chat.card(0, 1))
    chat.assert_no_page_errors()


# --- language ------------------------------------------------------------------------------


def test_english_question_gets_english_framing_and_danish_quotes(
    open_session, artifacts: Path
) -> None:
    chat = open_session()
    answer = chat.ask(IPS_EN)
    expect(answer).to_contain_text("Searched in: Mariagerfjord Municipality")
    expect(answer).to_contain_text(
        "According to Udvalget for Arbejdsmarked og Uddannelse, Mariagerfjord Municipality, "
        "4 January 2024 (item 2: "
    )
    expect(answer).to_contain_text("har fået tilsagn om ca. 1.609.500 kr.")  # the minutes' Danish
    expect(answer).not_to_contain_text("Ifølge")
    _expect_ips_card(chat.card(0, 1))
    chat.shot(artifacts / "english-question.png")
    chat.assert_no_page_errors()


# --- markup in a question ------------------------------------------------------------------


def test_markup_in_a_question_is_shown_as_typed_and_never_runs(
    open_session, server: Server, artifacts: Path
) -> None:
    chat = open_session()
    chat.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/")
    )
    chat.submit(HOSTILE)
    expect(chat.bots.last).to_have_text(
        "Det kan jeg ikke finde i referaterne.", timeout=ANSWER_TIMEOUT_MS
    )
    expect(chat.users.last).to_have_text(HOSTILE)
    _expect_nothing_injected(chat)
    chat.answered += 1  # an abstention is an answer too: the next one is turn 1

    # Markup and Markdown around a real question: answered, with the question shown as typed
    # in the chat and over its sources.
    question = f"{HOSTILE} Fortæl om **IPS**-projektet i [Mariagerfjord](http://x.dk) _nu_"
    chat.ask(question)
    expect(chat.users.last).to_have_text(question)
    _expect_ips_card(chat.card(1, 1))
    expect(chat.page.locator("#kilder .tur")).to_have_text(f"Kilder til: {question}")
    _expect_nothing_injected(chat)
    assert _copied_question(chat, 1) == question
    chat.shot(artifacts / "markup-question.png")

    # The follow-up leans on the question as typed: the conversation kept the original.
    follow_up = chat.ask("Hvem er projektejer?")
    expect(follow_up).to_contain_text("Ann Frederiksen")
    _expect_ips_card(chat.card(2, 1))
    chat.page.locator("#chat").get_by_role("button", name="Godt svar").last.click()
    expect(chat.page.locator("#feedback-status")).to_contain_text("Tak!")
    stored = [e.feedback for e in FeedbackStore(server.feedback_db).entries()]
    [entry] = [f for f in stored if f.question == "Hvem er projektejer?" and f.history]
    asked = [turn["content"] for turn in entry.history if turn["role"] == "user"]
    assert asked == [HOSTILE, question]
    _expect_nothing_injected(chat)


# --- markup in uploaded minutes ------------------------------------------------------------

# A tag longer than the parser's tag filter reaches (200 characters) survives parsing, as does
# Markdown; short tags such as <b> and <script> are removed from the text by the parser.
LONG_TAG = '<img src=x onerror="window.xss=3" alt="' + "a" * 210 + '">'
MARKUP_SENTENCE = (
    "Anlægget koster 412.000 kr. og finansieres af *puljen* til `grøn` mobilitet "
    f"[i Greve](http://x.dk) {LONG_TAG} ~~streg~~."
)
GREVE_TITLE = "Ladestandere til *elcykler* ved [Greve Station](http://x.dk)"
GREVE_MINUTES = (
    ROSKILDE_MINUTES.replace("Klima- og Mobilitetsudvalget", "Teknik- og Miljøudvalget")
    .replace("Ladestandere til elcykler ved Roskilde Station", GREVE_TITLE)
    .replace("Roskilde", "Greve")
    .replace(
        "Anlægget koster 412.000 kr. og finansieres af puljen til grøn mobilitet i Greve Kommune.",
        MARKUP_SENTENCE + " <b>fed</b><script>window.xss=4</script>",
    )
)


def _shows(locator: Locator, text: str) -> None:
    expect(locator).to_contain_text(text)


def test_markup_in_uploaded_minutes_is_shown_as_text(
    chromium: Browser, server: Server, tmp_path: Path, artifacts: Path
) -> None:
    assert MARKUP_SENTENCE in GREVE_MINUTES and GREVE_TITLE in GREVE_MINUTES
    minutes = tmp_path / "greve_teknik.txt"
    minutes.write_text(GREVE_MINUTES, encoding="utf-8")
    # A server of its own on a copy of the first start's index: what this upload adds must
    # not reach the other tests' answers.
    index = tmp_path / "index"
    shutil.copytree(server.snapshot, index)
    settings = {
        "REFERAT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        "REFERAT_UPLOAD_ENABLED": "true",
    }
    with _serving(index, tmp_path / "server.log", settings) as url:
        chat = Session(chromium, url)
        later = None
        try:
            chat.open_accordion("Tilføj referater (PDF, HTML, TXT)", "#upload")
            chat.page.locator("#upload input[type='file']").set_input_files([minutes])
            expect(chat.page.locator("#upload tbody tr")).to_have_count(1)
            chat.page.locator("#upload-button").click()
            expect(chat.page.locator("#upload-result tr", has_text=minutes.name)).to_contain_text(
                "1 møde, 2 punkter", timeout=ANSWER_TIMEOUT_MS
            )

            # A page opened now offers an example question with the new item's title, as text.
            later = Session(chromium, url)
            _shows(later.examples().filter(has_text="Greve"), GREVE_TITLE)
            _expect_nothing_injected(later, flag="xss")

            answer = chat.ask("Hvad koster ladestanderne til elcykler ved Greve Station?")
            card = chat.card(0, 1)
            expect(card.locator(".meta")).to_contain_text("Greve Kommune")
            # The chat, the card's title and quote and the whole item show the markup as the
            # minutes print it.
            for place in (answer, card.locator(":scope > summary")):
                _shows(place, GREVE_TITLE)
            _shows(answer, MARKUP_SENTENCE)
            _shows(card.locator(":scope > blockquote"), MARKUP_SENTENCE)
            card.locator(":scope > summary").click()
            card.locator("details.helt-punkt > summary").click()
            _shows(card.locator("details.helt-punkt"), MARKUP_SENTENCE)
            chat.shot(artifacts / "markup-minutes.png")
            _expect_nothing_injected(chat, flag="xss")
        finally:
            chat.close()
            if later is not None:
                later.close()
