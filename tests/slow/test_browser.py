"""End to end in a real browser: `referat serve` as a subprocess, driven by headless Chromium.

One server for the module, on a free loopback port with a fresh index, so its first start
ingests the sample minutes (eval/minutes/) exactly as a new user would see it. Each test
opens its own browser context, which is its own Gradio session. Screenshots go to
test-artifacts/ (git-ignored) so a person can look at what the browser showed;
answer-with-source.png is the README's picture.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.service.feedback import FeedbackStore

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402  (only once we know a browser is there)
    Browser,
    Locator,
    expect,
    sync_playwright,
)

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]  # fmt: skip
STARTUP_TIMEOUT_S = 240  # the first start embeds all sample minutes on a small CPU
ANSWER_TIMEOUT_MS = 120_000  # an answer takes a second or two, far longer under load
PAGE_TIMEOUT_MS = 60_000
MAX_QUESTION_CHARS = 2000

IPS_Q = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
IPS_REFERENCE = (
    "(Udvalget for Arbejdsmarked og Uddannelse, Mariagerfjord Kommune, 4. januar 2024, punkt 2)"
)
LEJRE_Q = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
BUTTONS = ("Spørg", "Ny samtale", "Send kommentar", "Indlæs filer", "Godt svar", "Dårligt svar",
           "Kopiér citat 1 med henvisning", "Ryd samtalen")  # fmt: skip

# Minutes of a municipality the samples do not have, laid out like the Lejre sample.
ROSKILDE_MINUTES = """\


REFERAT Klima- og Mobilitetsudvalget d. 12-03-2024

Mødedato Tirsdag d. 12. marts 2024 kl. 16:00

Mødested Byrådssalen, Rådhuset, Roskilde

Mødedeltagere Anne Holm, Peter Skov, Mette Lund

Indholdsfortegnelse

Godkendelse af dagsorden.....\t2
Ladestandere til elcykler ved Roskilde Station.....\t3

Punkt 1: Godkendelse af dagsorden

Beslutning

Godkendt

Punkt 2: Ladestandere til elcykler ved Roskilde Station

24-001234

Beslutning

Godkendt. Udvalget bevilger 412.000 kr. til 40 ladestandere til elcykler ved Roskilde Station.

Sagsfremstilling

Roskilde Kommune ønsker at gøre det lettere at pendle på elcykel. Administrationen foreslår \
derfor, at der opsættes 40 ladestandere til elcykler i den overdækkede cykelparkering ved \
Roskilde Station.

Anlægget koster 412.000 kr. og finansieres af puljen til grøn mobilitet i Roskilde Kommune. \
Ladestanderne forventes taget i brug i september 2024.
"""


# --- servers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    index_dir: Path
    feedback_db: Path
    log: Path
    # A copy of the index as the first start left it, for a second server: two processes
    # must not share one embedded Chroma folder.
    snapshot: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _referat_command() -> str:
    beside_python = Path(sys.executable).with_name("referat")
    found = str(beside_python) if beside_python.exists() else shutil.which("referat")
    if not found:
        pytest.fail("the `referat` console script is not installed (pip install -e .[dev])")
    return found


def _status(url: str) -> int | None:
    # No proxy: a proxy from the environment must never stand between us and 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, OSError):
        return None


@contextmanager
def _serving(index_dir: Path, log_path: Path, settings: dict[str, str]) -> Iterator[str]:
    """`referat serve` on a free port with `index_dir` and REFERAT_* `settings`; yields its
    URL once it answers, stops it afterwards."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    # Only the settings given here: none leak in from the developer's environment.
    env = {key: value for key, value in os.environ.items() if not key.startswith("REFERAT_")}
    env |= {"PYTHONUNBUFFERED": "1", "GRADIO_ANALYTICS_ENABLED": "False", **settings}
    command = [_referat_command(), "--index", str(index_dir),
               "serve", "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT
        )

    def server_log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")[-6000:]

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)

    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while _status(url) != 200:
            if process.poll() is not None:
                pytest.fail(
                    f"`referat serve` exited with code {process.returncode} before "
                    f"serving {url}. Log:\n{server_log()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`referat serve` did not answer HTTP 200 on {url} within "
                    f"{STARTUP_TIMEOUT_S} s. Log:\n{server_log()}"
                )
            time.sleep(0.5)
        yield url
    finally:
        stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server most tests share: fresh index (so first-start ingested), feedback in a
    temporary SQLite file, upload on, questions up to MAX_QUESTION_CHARS."""
    root = tmp_path_factory.mktemp("browser_server")
    index_dir, feedback_db, log = root / "index", root / "feedback.sqlite3", root / "server.log"
    settings = {
        "REFERAT_FEEDBACK_DB": str(feedback_db),
        "REFERAT_UPLOAD_ENABLED": "true",
        "REFERAT_MAX_QUESTION_CHARS": str(MAX_QUESTION_CHARS),
    }
    with _serving(index_dir, log, settings) as url:
        # The server answers only after the first-start ingest is done: the index is at rest.
        snapshot = root / "index-snapshot"
        shutil.copytree(index_dir, snapshot)
        yield Server(url, index_dir, feedback_db, log, snapshot)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- pages ----------------------------------------------------------------------------------


class Session:
    """One browser context on the chat: its own Gradio session. Records uncaught page errors."""

    def __init__(
        self,
        browser: Browser,
        url: str,
        width: int = 1280,
        height: int = 1000,
        answer_timeout_ms: int = ANSWER_TIMEOUT_MS,
    ) -> None:
        self.answer_timeout_ms = answer_timeout_ms  # a local LLM on 2 cores needs minutes
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="da-DK"
        )
        self.context.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url, wait_until="domcontentloaded")
        expect(self.question_box).to_be_editable(timeout=PAGE_TIMEOUT_MS)
        self.answered = 0  # answers (not errors) in the conversation: the next turn's number

    @property
    def question_box(self) -> Locator:
        return self.page.locator("#question textarea")

    def submit(self, question: str, *, enter: bool = False) -> None:
        """Ask without waiting for the reply; returns once the question is in the chat."""
        asked = self.users.count()
        self.question_box.fill(question)
        if enter:
            self.question_box.press("Enter")
        else:
            self.page.locator("#ask").click()
        expect(self.users).to_have_count(asked + 1)
        expect(self.users.last).to_contain_text(question[:200])

    def answer(self) -> Locator:
        """The reply to the question just submitted, once complete: the source cards come
        with the last update, so the answer's first card marks the end."""
        turn = self.answered
        expect(self.page.locator(f"#kilder #kilde-{turn}-1")).to_be_attached(
            timeout=self.answer_timeout_ms
        )
        self.answered += 1
        # This message, not whichever is last when the locator is used later.
        reply = self.bots.nth(self.bots.count() - 1)
        expect(reply).not_to_contain_text("Søger i referaterne")
        return reply

    def ask(self, question: str, *, enter: bool = False) -> Locator:
        self.submit(question, enter=enter)
        return self.answer()

    def error(self) -> Locator:
        """The error message that answered the question just submitted."""
        expect(self.bots.last).to_contain_text("⚠️", timeout=ANSWER_TIMEOUT_MS)
        return self.bots.nth(self.bots.count() - 1)

    @property
    def users(self) -> Locator:
        return self.page.locator("#chat [data-testid='user']")

    @property
    def bots(self) -> Locator:
        return self.page.locator("#chat [data-testid='bot']")

    def card(self, turn: int, n: int) -> Locator:
        return self.page.locator(f"#kilder details.kilde#kilde-{turn}-{n}")

    def open_accordion(self, title: str, inside: str) -> None:
        """Open the accordion `title` unless `inside` (a selector in it) already shows."""
        if not self.page.locator(inside).first.is_visible():
            self.page.get_by_role("button", name=title).click()
        expect(self.page.locator(inside).first).to_be_visible()

    def open_filters(self) -> None:
        self.open_accordion("Afgræns søgningen", "#filter-kommune input")

    def choose(self, dropdown: str, option: str) -> None:
        """Pick `option` in a Gradio dropdown: click the field, then the entry in its list."""
        self.open_filters()
        field = self.page.locator(f"#{dropdown} input")
        field.click()
        self.page.get_by_role("option", name=option, exact=True).click()
        expect(field).to_have_value(option)

    def options(self, dropdown: str) -> list[str]:
        self.open_filters()
        self.page.locator(f"#{dropdown} input").click()
        options = self.page.get_by_role("option")
        expect(options.first).to_be_visible()
        names = [option.get_attribute("aria-label") or "" for option in options.all()]
        self.page.keyboard.press("Escape")
        expect(options).to_have_count(0)
        return names

    def expect_offered(self, dropdown: str, option: str) -> None:
        """`option` is in the dropdown's list (waiting for the page's own update of it)."""
        self.open_filters()
        self.page.locator(f"#{dropdown} input").click()
        expect(self.page.get_by_role("option", name=option, exact=True)).to_be_visible()
        self.page.keyboard.press("Escape")

    def examples(self) -> Locator:
        return self.page.locator("#chat button.example")

    def shot(self, path: Path, *, full_page: bool = True) -> None:
        self.page.screenshot(path=str(path), full_page=full_page)

    def close(self) -> None:
        self.context.close()

    def assert_no_page_errors(self) -> None:
        assert not self.errors, f"uncaught errors in the page: {self.errors}"


@pytest.fixture
def open_session(chromium: Browser, server: Server) -> Iterator:
    """Opens sessions on the shared server; closes them after the test."""
    sessions: list[Session] = []

    def open_one(width: int = 1280, height: int = 1000, url: str | None = None) -> Session:
        session = Session(chromium, url or server.url, width, height)
        sessions.append(session)
        return session

    yield open_one
    for session in sessions:
        session.close()


def _card_meta(card: Locator) -> str:
    return card.locator(":scope > summary .meta").inner_text()


def _expect_ips_card(card: Locator) -> None:
    summary = card.locator(":scope > summary")
    expect(summary).to_contain_text("[1] Punkt 2: Puljen")
    for expected in ("Mariagerfjord Kommune", "4. januar 2024"):
        expect(summary.locator(".meta")).to_contain_text(expected)


# --- tests ------------------------------------------------------------------------------------


def test_answer_streams_and_its_marker_opens_a_card_to_copy_from(
    open_session, server: Server, artifacts: Path
) -> None:
    chat = open_session(1400, 1000)
    origin = server.url.rstrip("/")
    chat.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    # Every distinct text the newest bot message shows, in order, as the page draws it.
    chat.page.evaluate(
        """() => {
          window.botStates = [];
          const box = document.querySelector("#chat");
          new MutationObserver(() => {
            const bots = box.querySelectorAll("[data-testid='bot']");
            if (!bots.length) return;
            const text = bots[bots.length - 1].innerText;
            const last = window.botStates[window.botStates.length - 1];
            if (!last || last.text !== text) window.botStates.push({length: text.length, text});
          }).observe(box, {subtree: true, childList: true, characterData: true});
        }"""
    )
    answer = chat.ask(IPS_Q)
    expect(answer).to_contain_text("1.609.500")
    expect(answer).to_contain_text("Søgt i: Mariagerfjord Kommune")

    final = answer.inner_text()
    states = chat.page.evaluate("window.botStates")
    shown = [s for s in states if s["length"] and s["text"] != final]
    assert shown and shown[0]["text"].startswith("Søger i referaterne"), states
    assert len({s["length"] for s in shown}) >= 2, f"the answer did not stream: {states}"

    # The answer opens with the asked fact, and its [1] leads to the same card as the
    # quote's: the opening line and the quote both cite it.
    # (The first paragraph is the "Søgt i" line: where the search ran.)
    opening = answer.locator("p").nth(1)
    expect(opening).to_contain_text(
        "Kort svar: Mariagerfjord Kommune har fået tilsagn om ca. 1.609.500 kr."
    )
    expect(opening.locator("a[href='#kilde-0-1']")).to_have_text("[1]")
    expect(answer.locator("a[href='#kilde-0-1']")).to_have_count(2)
    # The [1] marker opens its card and brings it into view.
    marker = opening.locator("a[href='#kilde-0-1']")
    marker.click()
    card = chat.card(0, 1)
    expect(card).to_have_attribute("open", "")
    expect(card).to_be_in_viewport()
    _expect_ips_card(card)
    expect(card.locator(":scope > blockquote")).to_contain_text("1.609.500")

    # The whole item, with the quoted sentences marked.
    whole = card.locator("details.helt-punkt")
    whole.locator(":scope > summary").click()
    expect(whole).to_have_attribute("open", "")
    expect(whole.locator("h4", has_text="Sagsfremstilling")).to_be_visible()
    expect(whole.locator("mark", has_text="1.609.500")).to_have_count(1)

    # The README's picture: the answer beside its opened source.
    chat.page.mouse.move(0, 0)
    chat.page.evaluate("window.scrollTo(0, 0)")
    expect(chat.page.locator("#chat")).to_be_in_viewport()
    expect(card.locator(":scope > summary")).to_be_in_viewport()
    chat.shot(artifacts / "answer-with-source.png", full_page=False)

    copy = card.get_by_role("button", name="Kopiér citat 1 med henvisning")
    copy.click()
    expect(copy).to_have_text("Kopieret")
    copied = chat.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("»Mariagerfjord Kommune har fået tilsagn om ca. 1.609.500 kr."), copied
    assert copied.endswith(f"« {IPS_REFERENCE}"), copied

    chat.assert_no_page_errors()


def test_follow_up_questions_keep_citing_the_same_item(open_session, artifacts: Path) -> None:
    chat = open_session()
    answers = [
        chat.ask("Fortæl om IPS-projektet i Mariagerfjord"),
        chat.ask("Hvem er projektejer?", enter=True),
        chat.ask("Og hvad koster det?"),
    ]
    expect(answers[1]).to_contain_text("Ann Frederiksen")
    expect(answers[2]).to_contain_text("1.609.500")
    for turn, answer in enumerate(answers):
        expect(answer.locator(f"a[href='#kilde-{turn}-1']").first).to_be_visible()
        _expect_ips_card(chat.card(turn, 1))
    # Each answer keeps its own cards, newest question first.
    headings = chat.page.locator("#kilder .tur")
    expect(headings).to_have_text(
        [
            "Kilder til: Og hvad koster det?",
            "Kilder til: Hvem er projektejer?",
            "Kilder til: Fortæl om IPS-projektet i Mariagerfjord",
        ]
    )
    chat.shot(artifacts / "follow-up.png")
    chat.assert_no_page_errors()


def test_three_turns_about_one_meeting_answer_three_questions(
    open_session, artifacts: Path
) -> None:
    """Issue 18's conversation in the browser: the topic, who was absent, what else was
    decided. Each answer answers its own question; none repeats the one before."""
    chat = open_session()
    topic = chat.ask("Fortæl om handicapstrategien i Mariagerfjord")
    expect(topic).to_contain_text("Handicapstrategi")
    absent = chat.ask("Hvem var fraværende på det møde?")
    expect(absent).to_contain_text(
        "Fraværende ved mødet i Udvalget for Arbejdsmarked og Uddannelse, Mariagerfjord"
    )
    expect(absent).to_contain_text("Per Kragelund (V)")
    decided = chat.ask("Hvad blev ellers besluttet på mødet?")
    for item in range(1, 8):
        expect(decided).to_contain_text(f"Punkt {item}:")
    expect(decided).to_contain_text("Lukket: Underskriftsark (lukket punkt)")
    texts = [topic.inner_text(), absent.inner_text(), decided.inner_text()]
    assert len(set(texts)) == 3, texts
    assert "Per Kragelund" not in texts[2]  # the attendance is no decision
    # Every answer's markers lead to its own cards.
    expect(chat.card(2, 6)).to_be_attached()
    chat.shot(artifacts / "three-turns.png")
    chat.assert_no_page_errors()


def test_filters_and_named_municipalities_narrow_the_search(open_session, artifacts: Path) -> None:
    chat = open_session()
    chat.choose("filter-kommune", "Lejre")
    answer = chat.ask("Hvad blev besluttet om beskæftigelsespolitikken?")
    expect(answer).to_contain_text("Søgt i: Lejre Kommune")
    cards = chat.page.locator("#kilder details.kilde")
    assert cards.count() >= 1
    for card in cards.all():
        assert _card_meta(card).startswith("Lejre Kommune ·"), _card_meta(card)
    chat.shot(artifacts / "filter-lejre.png")

    # No filter, but the question names its municipality.
    chat.choose("filter-kommune", "Alle")
    answer = chat.ask("Hvad besluttede udvalget i Vejle om den fokuserede integrationsindsats?")
    expect(answer).to_contain_text("Søgt i: Vejle Kommune")
    expect(chat.card(1, 1).locator(".meta")).to_contain_text("Vejle Kommune")

    # A date nobody can read is an error that names the field, and the question stays.
    question = "Hvad blev besluttet om beskæftigelsespolitikken?"
    chat.page.locator("#filter-fra textarea, #filter-fra input").first.fill("i morgen")
    chat.submit(question)
    expect(chat.error()).to_contain_text("⚠️ Fra-datoen 'i morgen' kan ikke læses")
    expect(chat.question_box).to_have_value(question)
    chat.shot(artifacts / "filter-bad-date.png")
    chat.assert_no_page_errors()


def test_examples_start_a_conversation_and_new_chat_clears_it(
    open_session, artifacts: Path
) -> None:
    chat = open_session()
    examples = chat.examples()
    expect(examples.first).to_be_visible()
    assert examples.count() >= 3
    indexed = [name for name in chat.options("filter-kommune") if name != "Alle"]
    texts = examples.all_inner_texts()
    for text in texts:
        assert any(name in text for name in indexed), (text, indexed)
    chat.shot(artifacts / "examples.png")

    examples.first.click()
    expect(chat.users.first).to_have_text(texts[0])
    chat.answer()
    expect(chat.card(0, 1)).to_be_attached()

    chat.page.locator("#new-chat").click()
    expect(chat.users).to_have_count(0)
    expect(chat.bots).to_have_count(0)
    expect(chat.page.locator("#kilder details.kilde")).to_have_count(0)
    expect(chat.page.locator("#kilder")).to_contain_text("Kilderne til svaret vises her.")
    expect(examples).to_have_count(len(texts))
    chat.answered = 0

    # The chat's own clear button starts afresh just the same: no cards stay behind.
    chat.ask(IPS_Q)
    chat.page.locator("#chat").get_by_role("button", name="Ryd samtalen").click()
    expect(chat.users).to_have_count(0)
    expect(chat.page.locator("#kilder details.kilde")).to_have_count(0)
    expect(examples.first).to_be_visible()
    chat.answered = 0
    chat.ask(LEJRE_Q)
    expect(chat.card(0, 1).locator(".meta")).to_contain_text("Lejre Kommune")
    chat.shot(artifacts / "after-clear.png")
    chat.assert_no_page_errors()


def test_two_sessions_keep_their_own_conversations(open_session, artifacts: Path) -> None:
    lejre, ips = open_session(), open_session()
    # Both questions are in flight at the same time before either answer is awaited.
    lejre.submit(LEJRE_Q)
    ips.submit(IPS_Q)
    expect(lejre.answer()).to_contain_text("149")
    expect(ips.answer()).to_contain_text("1.609.500")

    for session in (lejre, ips):
        expect(session.users).to_have_count(1)
        expect(session.bots).to_have_count(1)
    expect(lejre.card(0, 1).locator(".meta")).to_contain_text("Lejre Kommune")
    expect(ips.card(0, 1).locator(".meta")).to_contain_text("Mariagerfjord Kommune")
    lejre_page, ips_page = lejre.page.locator("body"), ips.page.locator("body")
    for text in (IPS_Q, "1.609.500", "Mariagerfjord Kommune ·"):
        expect(lejre_page).not_to_contain_text(text)
    for text in (LEJRE_Q, "149 fordrevne", "Lejre Kommune ·"):
        expect(ips_page).not_to_contain_text(text)

    lejre.shot(artifacts / "session-a-lejre.png")
    ips.shot(artifacts / "session-b-mariagerfjord.png")
    lejre.assert_no_page_errors()
    ips.assert_no_page_errors()


def test_thumb_and_comment_are_stored_with_the_answer(
    open_session, server: Server, artifacts: Path
) -> None:
    chat = open_session()
    # A refused question first: the thumb below must still find its own answer.
    chat.submit("Hvad koster det? " * 150)
    chat.error()
    chat.ask(IPS_Q)

    chat.page.locator("#chat").get_by_role("button", name="Godt svar").last.click()
    status = chat.page.locator("#feedback-status")
    expect(status).to_contain_text("Tak! Svaret er markeret som godt.")
    comment = f"Præcist svar med kilde ({time.time_ns()})"
    chat.page.locator("#feedback-comment textarea").fill(comment)
    chat.page.get_by_role("button", name="Send kommentar").click()
    expect(status).to_contain_text("Tak for kommentaren.")
    expect(chat.page.locator("#feedback-comment textarea")).to_have_value("")
    chat.shot(artifacts / "feedback.png")

    stored = [e.feedback for e in FeedbackStore(server.feedback_db).entries()]
    [entry] = [f for f in stored if f.comment == comment]
    assert (entry.question, entry.rating, entry.abstained) == (IPS_Q, "up", False)
    first = entry.citations[0]
    assert (first["municipality"], first["meeting_date"], first["item_number"]) == (
        "Mariagerfjord",
        "2024-01-04",
        2,
    )
    assert "1.609.500" in entry.answer
    assert entry.history == (), "the refused question is no part of the conversation"
    chat.assert_no_page_errors()


def test_uploaded_minutes_are_answered_from_and_offered_as_filter(
    open_session, tmp_path: Path, artifacts: Path
) -> None:
    good = tmp_path / "roskilde_klima.txt"
    good.write_text(ROSKILDE_MINUTES, encoding="utf-8")
    empty = tmp_path / "tom.txt"
    empty.write_text("", encoding="utf-8")

    chat = open_session()
    chat.open_accordion("Tilføj referater (PDF, HTML, TXT)", "#upload")
    chat.page.locator("#upload input[type='file']").set_input_files([good, empty])
    expect(chat.page.locator("#upload tbody tr")).to_have_count(2)  # both sent to the server
    chat.page.locator("#upload-button").click()

    result = chat.page.locator("#upload-result")
    expect(result.locator("tbody tr")).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    expect(result.locator("tr", has_text="roskilde_klima.txt")).to_contain_text("1 møde, 2 punkter")
    expect(result.locator("tr", has_text="tom.txt")).to_contain_text(
        re.compile(r"Ikke indlæst: \w+")
    )
    chat.shot(artifacts / "upload-result.png")

    answer = chat.ask("Hvad koster ladestanderne til elcykler ved stationen?")
    expect(answer).to_contain_text("412.000")
    expect(chat.card(0, 1).locator(".meta")).to_contain_text("Roskilde Kommune")
    chat.expect_offered("filter-kommune", "Roskilde")
    chat.shot(artifacts / "upload-answer.png")

    # A page opened afterwards offers the new municipality too.
    later = open_session()
    later.expect_offered("filter-kommune", "Roskilde")
    expect(later.examples().filter(has_text="Roskilde")).to_have_count(1)
    chat.assert_no_page_errors()
    later.assert_no_page_errors()


def test_upload_can_be_switched_off(
    chromium: Browser, server: Server, tmp_path: Path, artifacts: Path
) -> None:
    settings = {
        "REFERAT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        "REFERAT_UPLOAD_ENABLED": "false",
    }
    log = tmp_path / "server.log"
    with _serving(server.snapshot, log, settings) as url:
        chat = Session(chromium, url)
        try:
            expect(chat.page.locator("#kilder")).to_be_visible()
            expect(chat.page.get_by_text("Tilføj referater")).to_have_count(0)
            expect(chat.page.locator("#upload, #upload-button")).to_have_count(0)
            # It answers from the copied index, without ingesting anything itself.
            expect(chat.ask(IPS_Q)).to_contain_text("1.609.500")
            chat.shot(artifacts / "upload-off.png")
            chat.assert_no_page_errors()
        finally:
            chat.close()
    assert "Indekset er tomt" not in log.read_text(encoding="utf-8")


def test_too_long_question_is_refused_and_the_page_keeps_working(
    open_session, artifacts: Path
) -> None:
    chat = open_session()
    long_question = ("Hvad besluttede udvalget om beskæftigelsesindsatsen for unge? " * 50)[:2500]
    chat.submit(long_question)
    expect(chat.error()).to_contain_text(
        f"⚠️ Spørgsmålet er for langt (2500 tegn); højst {MAX_QUESTION_CHARS} tegn."
    )
    expect(chat.question_box).to_have_value(long_question)  # to shorten, not retype
    chat.shot(artifacts / "too-long.png")

    answer = chat.ask(IPS_Q)
    expect(answer).to_contain_text("1.609.500")
    _expect_ips_card(chat.card(0, 1))
    chat.assert_no_page_errors()


def test_narrow_window_has_no_sideways_scrolling(open_session, artifacts: Path) -> None:
    chat = open_session(420, 900)
    page = chat.page

    def assert_fits() -> None:
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width <= inner + 1, f"the page is {width} px wide in a {inner} px window"

    answer = chat.ask(IPS_Q)
    assert_fits()
    answer.locator("a[href='#kilde-0-1']").first.click()
    card = chat.card(0, 1)
    expect(card).to_have_attribute("open", "")
    card.locator("details.helt-punkt > summary").click()
    expect(card.locator("details.helt-punkt mark").first).to_be_visible()
    assert_fits()

    card.scroll_into_view_if_needed()
    expect(card.locator(":scope > summary")).to_be_in_viewport()
    chat.question_box.scroll_into_view_if_needed()
    expect(chat.question_box).to_be_in_viewport()
    expect(page.locator("#ask")).to_be_visible()
    chat.shot(artifacts / "narrow-420.png")
    chat.assert_no_page_errors()


def test_fields_and_buttons_have_accessible_names(open_session, artifacts: Path) -> None:
    chat = open_session()
    page = chat.page
    chat.open_filters()
    chat.open_accordion("Tilføj referater (PDF, HTML, TXT)", "#upload")
    expect(page.get_by_label("Dit spørgsmål", exact=True)).to_be_editable()
    for label in ("Kommune", "Udvalg", "Fra dato", "Til dato"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    chat.ask(IPS_Q).locator("a[href='#kilde-0-1']").first.click()  # opens the card and its buttons

    for name in BUTTONS:
        expect(page.get_by_role("button", name=name, exact=True).first).to_be_visible()
    # Chromium's own accessibility tree: every button has a name, and none is an
    # untranslated message key such as "common.upload".
    tree = page.locator("body").aria_snapshot()
    buttons = [line.strip() for line in tree.splitlines() if line.strip().startswith("- button")]
    assert buttons, tree
    nameless = [line for line in buttons if not line.startswith('- button "')]
    assert not nameless, f"buttons without a name: {nameless}"
    keys = [line for line in buttons if re.match(r'- button "[a-z_]+\.[a-z_.]+"', line)]
    assert not keys, f"buttons named by a message key: {keys}"
    chat.shot(artifacts / "accessibility.png")
    chat.assert_no_page_errors()
