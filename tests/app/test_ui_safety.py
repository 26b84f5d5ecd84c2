"""Data safety in the chat's handlers (issue 16), without a browser: a real Assistant on a
fresh Chroma index with the real e5 embedder, real files, a real `chroma run` server for
the fault case. The browser side is tests/slow/test_browser_safety.py."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import gradio as gr
import pytest

from assistant.app.ui.app import ChatApp, upload_summary
from assistant.app.ui.login import LoginThrottle
from assistant.components.embedders import Embedder, build_embedder
from assistant.core.config import Settings
from assistant.service.feedback import FeedbackStore
from assistant.service.wiring import build_assistant

# Minutes of one small meeting, laid out like the Lejre sample; {town} names the
# municipality, {extra} adds a line to the table of contents.
MINUTES = """\


REFERAT Klima- og Mobilitetsudvalget d. 12-03-2024

Mødedato Tirsdag d. 12. marts 2024 kl. 16:00

Mødested Byrådssalen, Rådhuset, {town}

Mødedeltagere Anne Holm, Peter Skov, Mette Lund

Indholdsfortegnelse

Godkendelse af dagsorden.....\t2
Ladestandere til elcykler ved {town} Station.....\t3
{extra}
Punkt 1: Godkendelse af dagsorden

Beslutning

Godkendt

Punkt 2: Ladestandere til elcykler ved {town} Station

24-001234

Beslutning

Godkendt. Udvalget bevilger {amount} kr. til 40 ladestandere til elcykler ved {town} Station.

Sagsfremstilling

{town} Kommune ønsker at gøre det lettere at pendle på elcykel. Administrationen foreslår \
derfor, at der opsættes 40 ladestandere i cykelparkeringen ved {town} Station.
"""
QUESTION = "Hvad koster ladestanderne til elcykler ved stationen i {town}?"


def minutes(town: str, amount: str = "412.000", extra: str = "") -> str:
    return MINUTES.format(town=town, amount=amount, extra=extra)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return build_embedder(Settings().embedding)


def _app(tmp_path: Path, embedder: Embedder, **settings: object) -> ChatApp:
    configured = Settings(index_dir=tmp_path / "index", **settings)
    assistant = build_assistant(configured, embedder=embedder)
    return ChatApp(assistant, feedback=FeedbackStore(tmp_path / "feedback.sqlite3"))


def _file(folder: Path, name: str, text: str) -> str:
    """A file as Gradio hands an upload over: its own temporary folder, the browser's name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def _upload(app: ChatApp, files: list[str], session: str = "s") -> list[tuple]:
    return list(app.upload(files, gr.Request(session_hash=session), progress=_quiet))


def _quiet(*args: object, **kwargs: object) -> None:
    """A progress callback that shows nothing."""


def _answer(app: ChatApp, question: str) -> tuple[str, list[dict]]:
    chat, answers, *_ = list(app.respond(question, [], [], "Alle", "Alle", "", ""))[-1]
    return chat[-1]["content"], answers


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)


def _tags(markup: str) -> set[str]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


# --- same-name uploads --------------------------------------------------------------------


def test_two_uploads_named_alike_are_two_meetings_and_the_same_content_is_one(
    tmp_path: Path, embedder: Embedder
) -> None:
    app = _app(tmp_path, embedder)
    first = _file(tmp_path / "upload-a", "referat.txt", minutes("Roskilde"))
    second = _file(tmp_path / "upload-b", "referat.txt", minutes("Svendborg", "388.000"))
    *_, (summary, *_) = _upload(app, [first])
    assert "<td>referat.txt</td><td>1 møde, 2 punkter</td>" in summary
    *_, (summary, *_) = _upload(app, [second])
    # Stored beside the first, under a name a citation can still show.
    assert "1 møde, 2 punkter, gemt som referat (2).txt" in summary
    for town, amount in (("Roskilde", "412.000"), ("Svendborg", "388.000")):
        answer, answers = _answer(app, QUESTION.format(town=town))
        assert amount in answer, answer
        cited = answers[0]["citations"][0]
        assert cited["municipality"] == town
        assert cited["source"] == {"Roskilde": "referat.txt"}.get(town, "referat (2).txt")
    # The same content once more, under the same name: already indexed, nothing added.
    chunks = app.assistant.stored_chunks()
    for again in (first, second):
        *_, (summary, *_) = _upload(app, [again])
        assert "Allerede indlæst: samme indhold er gemt som referat" in summary
    assert app.assistant.stored_chunks() == chunks
    assert {c.source for c in app.assistant.chunks()} == {"referat.txt", "referat (2).txt"}


# --- the result is text -------------------------------------------------------------------


def test_upload_result_shows_markup_from_the_file_as_text(
    tmp_path: Path, embedder: Embedder
) -> None:
    title = "![w](http://127.0.0.1:9/x.png) og [klik](http://127.0.0.1:9/y)"
    app = _app(tmp_path, embedder)
    # The table of contents lists an item the text does not have: its title is quoted in
    # the result's warning.
    path = _file(tmp_path / "up", "greve.txt", minutes("Greve", extra=f"{title}.....\t4\n"))
    *_, (summary, *_) = _upload(app, [path])
    assert "1 møde, 2 punkter (bemærk:" in summary
    assert _tags(summary) <= {"table", "thead", "tbody", "tr", "th", "td", "p"}
    assert title in html.unescape(summary)
    # Every cell is escaped, whatever the file's name and reasons hold.
    rows = [("<b>x</b>.txt", "Ikke indlæst: ![w](http://127.0.0.1:9/x.png) <script>")]
    assert _tags(upload_summary(rows, note="<i>note</i>")) <= {
        "table", "thead", "tbody", "tr", "th", "td", "p"
    }  # fmt: skip


# --- limits, progress, stop ---------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    tmp_path: Path, embedder: Embedder
) -> None:
    app = _app(tmp_path, embedder, upload_max_mb=0.5)
    big = _file(tmp_path / "up", "stor.txt", minutes("Roskilde") + "Tekst. " * 90_000)
    small = _file(tmp_path / "up2", "lille.txt", minutes("Roskilde"))
    *_, (summary, *_) = _upload(app, [big, small])
    refused = r"<td>stor.txt</td><td>Ikke indlæst: filen fylder 0,6\d MB; højst 0,5 MB kan"
    assert re.search(refused, summary), summary
    assert "<td>lille.txt</td><td>1 møde, 2 punkter</td>" in summary
    assert {c.source for c in app.assistant.chunks()} == {"lille.txt"}


def test_stop_ends_the_upload_between_files_and_says_what_was_stored(
    tmp_path: Path, embedder: Embedder
) -> None:
    app = _app(tmp_path, embedder)
    towns = ("Roskilde", "Svendborg", "Greve")
    files = [_file(tmp_path / town, f"{town.lower()}.txt", minutes(town)) for town in towns]
    session = gr.Request(session_hash="stopper")
    steps = app.upload(files, session, progress=_quiet)
    first, *_ = next(steps)  # about to read the first file
    assert "Indlæser roskilde.txt (fil 1 af 3)" in first
    second, *_ = next(steps)  # the first is stored, the second is next
    assert "<td>roskilde.txt</td><td>1 møde, 2 punkter</td>" in second
    assert "Indlæser svendborg.txt (fil 2 af 3)" in second
    stopped, kommune, *_ = app.stop_upload(session)
    assert "Indlæsningen er stoppet. 1 af 3 filer er gemt" in stopped
    assert "<td>svendborg.txt</td><td>Ikke indlæst: stoppet før filen</td>" in stopped
    assert "<td>greve.txt</td><td>Ikke indlæst: stoppet før filen</td>" in stopped
    assert "Roskilde" in kommune["choices"]
    rest = list(steps)  # the handler goes on only to finish: no further file is read
    assert rest and "Indlæsningen er stoppet" in rest[-1][0]
    assert {c.municipality for c in app.assistant.chunks()} == {"Roskilde"}
    answer, _ = _answer(app, QUESTION.format(town="Roskilde"))
    assert "412.000" in answer
    # Another session has nothing to stop.
    assert app.stop_upload(gr.Request(session_hash="other"))[0] == "Ingen indlæsning at stoppe."


def test_a_bad_new_version_keeps_the_stored_meeting_and_names_the_reason(
    tmp_path: Path, embedder: Embedder
) -> None:
    app = _app(tmp_path, embedder)
    good = minutes("Roskilde")
    _upload(app, [_file(tmp_path / "a", "referat.txt", good)])
    # The new version stops in the middle of the first item its contents list.
    cut = good[: good.index("Punkt 2:")].rstrip().removesuffix("Godkendt") + "Godk"
    *_, (summary, *_) = _upload(app, [_file(tmp_path / "b", "referat.txt", cut)])
    assert re.search(r"<td>referat.txt</td><td>Ikke indlæst: filen ser afkortet ud", summary)
    answer, _ = _answer(app, QUESTION.format(town="Roskilde"))
    assert "412.000" in answer


# --- an index that cannot be reached --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """A real `chroma run` on 127.0.0.1; the test may stop it itself."""
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port),
               "--path", str(tmp_path / "chroma")]  # fmt: skip
    with (tmp_path / "chroma.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while True:
        try:
            opener.open(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "no chroma run"
            time.sleep(0.3)
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def test_a_chroma_server_stopped_mid_session_is_a_message_not_a_traceback(
    tmp_path: Path,
    embedder: Embedder,
    chroma_server: tuple[subprocess.Popen, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    process, port = chroma_server
    app = _app(tmp_path, embedder, chroma_host="127.0.0.1", chroma_port=port, refresh_interval_s=0)
    _upload(app, [_file(tmp_path / "a", "roskilde.txt", minutes("Roskilde"))])
    question = QUESTION.format(town="Roskilde")
    assert "412.000" in _answer(app, question)[0]
    process.terminate()
    process.wait(timeout=30)

    with caplog.at_level("WARNING"):
        chat, answers, _panel, box = list(app.respond(question, [], [], "Alle", "Alle", "", ""))[-1]
        page = app.refreshed()
        *_, (summary, *_) = _upload(app, [_file(tmp_path / "b", "greve.txt", minutes("Greve"))])
    expected = f"Chroma-serveren på 127.0.0.1:{port} svarer ikke"
    assert chat[-1]["content"].startswith("⚠️") and expected in chat[-1]["content"]
    assert box == question and answers == []  # the question stays, to ask again
    assert all(update == gr.update() for update in page)  # the page keeps what it shows
    assert f"<td>greve.txt</td><td>Ikke indlæst: {expected}" in summary
    # One line per fault for the operator, no traceback.
    lines = [r for r in caplog.records if "kan ikke nås" in r.getMessage()]
    assert len(lines) == 3 and not any(r.exc_info for r in caplog.records)


# --- login throttling ---------------------------------------------------------------------


def test_failed_logins_lock_a_client_out_for_a_while_and_a_success_clears_them() -> None:
    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, lockout_s=60, clock=lambda: now[0])
    for _ in range(2):
        throttle.failed("10.0.0.1")
    assert throttle.wait_s("10.0.0.1") == 0
    throttle.failed("10.0.0.1")
    assert throttle.wait_s("10.0.0.1") == 60
    assert throttle.wait_s("10.0.0.2") == 0  # another client is not held up
    now[0] += 59
    assert throttle.wait_s("10.0.0.1") == pytest.approx(1)
    now[0] += 1
    assert throttle.wait_s("10.0.0.1") == 0
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    throttle.succeeded("10.0.0.1")  # the count starts over
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.wait_s("10.0.0.1") == 0
