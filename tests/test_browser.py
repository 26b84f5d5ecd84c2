"""End to end in a real browser: `referat serve` as a subprocess, driven by headless Chromium.

The server starts on a free port with a fresh index, so its first start ingests the sample
minutes (eval/minutes/) exactly as a new user would see it. Screenshots go to
test-artifacts/ (git-ignored) so a person can look at what the browser showed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402  (only once we know a browser is there)
    Browser,
    Locator,
    Page,
    expect,
    sync_playwright,
)

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]  # fmt: skip
STARTUP_TIMEOUT_S = 240  # the first start embeds all sample minutes on a small CPU
ANSWER_TIMEOUT_MS = 120_000
PAGE_TIMEOUT_MS = 60_000
SOURCES_OPEN_MS = 5_000

MARIAGERFJORD_Q = (
    "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"
)
LEJRE_Q = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
SOURCES_TITLE = "Kilder"


# --- server and browser ---------------------------------------------------------------------


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


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `referat serve` on a free port with a fresh (so first-start ingested) index."""
    index_dir = tmp_path_factory.mktemp("browser_index")
    log_path = tmp_path_factory.mktemp("browser_server") / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("REFERAT_INDEX_DIR", None)
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

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while _status(url) != 200:
        if process.poll() is not None:
            pytest.fail(
                f"`referat serve` exited with code {process.returncode} before "
                f"serving {url}. Log:\n{server_log()}"
            )
        if time.monotonic() > deadline:
            stop()
            pytest.fail(
                f"`referat serve` did not answer HTTP 200 on {url} within "
                f"{STARTUP_TIMEOUT_S} s. Log:\n{server_log()}"
            )
        time.sleep(0.5)

    try:
        yield url
    finally:
        stop()


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


def _open_chat(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """A new browser session (its own context, so its own Gradio session) on the chat."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("textbox")).to_be_editable(timeout=PAGE_TIMEOUT_MS)
    return page, page_errors


# --- chat helpers -----------------------------------------------------------------------------


def _conversation(page: Page) -> Locator:
    return page.get_by_role("log", name="chatbot conversation")


def _sources_toggle(page: Page) -> Locator:
    return page.get_by_role("button", name=SOURCES_TITLE, exact=True)


def _submit(page: Page, question: str) -> None:
    box = page.get_by_role("textbox")
    box.fill(question)
    box.press("Enter")
    expect(_conversation(page).get_by_test_id("user").last).to_contain_text(question)


def _wait_for_answer(page: Page) -> tuple[Locator, Locator]:
    """The answer message and the sources message, once the assistant has replied."""
    bot_messages = _conversation(page).get_by_test_id("bot")
    expect(bot_messages.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # The textbox is editable again only when the whole reply has been delivered.
    expect(page.get_by_role("textbox")).to_be_editable(timeout=ANSWER_TIMEOUT_MS)
    answer = bot_messages.filter(has_not=_sources_toggle(page)).first
    sources = bot_messages.filter(has=_sources_toggle(page))
    return answer, sources


def _expand_sources(page: Page, sources: Locator) -> str:
    """Open the "Kilder" block if it is collapsed; return its visible text."""
    expect(sources).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    first_source = sources.get_by_text("[1]", exact=False).first
    try:
        # Gradio slides the block open when it arrives: let it finish before judging.
        expect(first_source).to_be_visible(timeout=SOURCES_OPEN_MS)
    except AssertionError:
        sources.get_by_role("button", name=SOURCES_TITLE, exact=True).click()
        expect(first_source).to_be_visible()
    _wait_until_still(sources)
    return sources.inner_text()  # innerText: only what is actually shown


def _wait_until_still(locator: Locator, timeout_s: float = 10.0) -> None:
    """Wait until an element stops moving or resizing (an open/close animation is over)."""
    deadline = time.monotonic() + timeout_s
    previous = locator.bounding_box()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        current = locator.bounding_box()
        if current == previous:
            return
        previous = current
    pytest.fail(f"{locator} kept moving for {timeout_s} s")


def _source_line(sources_text: str, n: int) -> str:
    marker = f"[{n}]"
    lines = [line for line in sources_text.splitlines() if line.strip().startswith(marker)]
    assert lines, f"no source {marker} in the Kilder block:\n{sources_text}"
    return lines[0]


# --- tests ------------------------------------------------------------------------------------


def test_answer_shows_figure_marker_and_sources(
    server_url: str, chromium: Browser, artifacts: Path
) -> None:
    page, page_errors = _open_chat(chromium, server_url)
    try:
        _submit(page, MARIAGERFJORD_Q)
        answer, sources = _wait_for_answer(page)

        expect(answer).to_contain_text("1.609.500")
        answer_text = answer.inner_text()
        assert "1.609.500" in answer_text and "[1]" in answer_text, answer_text

        sources_text = _expand_sources(page, sources)
        assert sources_text.strip().startswith(SOURCES_TITLE), sources_text
        first = _source_line(sources_text, 1)
        for expected in ("Mariagerfjord", "4. januar 2024", "Punkt 2"):
            assert expected in first, f"{expected!r} missing from source [1]: {first}"
        # The sources are their own block, not pasted into the answer text.
        assert "Punkt 2: Puljen" not in answer_text, answer_text

        page.screenshot(path=str(artifacts / "answer_with_sources.png"), full_page=True)
        assert not page_errors, f"uncaught errors in the page: {page_errors}"
    finally:
        page.context.close()


def test_two_sessions_keep_their_own_conversations(
    server_url: str, chromium: Browser, artifacts: Path
) -> None:
    page_a, errors_a = _open_chat(chromium, server_url)
    page_b, errors_b = _open_chat(chromium, server_url)
    try:
        # Both questions are in flight at the same time before either answer is awaited.
        _submit(page_a, LEJRE_Q)
        _submit(page_b, MARIAGERFJORD_Q)
        answer_a, sources_a = _wait_for_answer(page_a)
        answer_b, sources_b = _wait_for_answer(page_b)

        expect(answer_a).to_contain_text("149")
        expect(answer_b).to_contain_text("1.609.500")
        assert "Lejre" in _source_line(_expand_sources(page_a, sources_a), 1)
        assert "Mariagerfjord" in _source_line(_expand_sources(page_b, sources_b), 1)

        text_a = page_a.locator("body").inner_text()
        text_b = page_b.locator("body").inner_text()
        assert "149" in text_a and "1.609.500" not in text_a, text_a
        assert MARIAGERFJORD_Q not in text_a, text_a
        assert "1.609.500" in text_b and LEJRE_Q not in text_b, text_b
        # Each session shows exactly its own single question.
        expect(_conversation(page_a).get_by_test_id("user")).to_have_count(1)
        expect(_conversation(page_b).get_by_test_id("user")).to_have_count(1)

        page_a.screenshot(path=str(artifacts / "session_a_lejre.png"), full_page=True)
        page_b.screenshot(path=str(artifacts / "session_b_mariagerfjord.png"), full_page=True)
        assert not errors_a and not errors_b, f"uncaught page errors: {errors_a + errors_b}"
    finally:
        page_a.context.close()
        page_b.context.close()
