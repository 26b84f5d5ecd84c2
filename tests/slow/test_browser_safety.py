"""Data safety in a real browser (issue 16): `referat serve` as a subprocess, headless
Chromium, the server and page helpers of test_browser.py. Uploads (size limit, progress,
stop, same names, a bad new version), markup from a file that must never make the browser
fetch anything, a Chroma server stopped mid-session, and the login (nothing about the index
before it, a Danish page, throttled guesses)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import MINUTES_DIR, REFERAT
from tests.slow import test_browser
from tests.slow.test_browser import (
    ANSWER_TIMEOUT_MS,
    ROSKILDE_MINUTES,
    Server,
    Session,
    _free_port,
    _serving,
    _status,
)

# test_browser.py's fixtures, used here by name: its module-scoped server starts once more
# for this module, with a fresh index the first start fills with the sample minutes.
server = test_browser.server
chromium = test_browser.chromium
artifacts = test_browser.artifacts
open_session = test_browser.open_session

pytestmark = pytest.mark.slow

UPLOAD = "Tilføj referater (PDF, HTML, TXT)"
ROSKILDE_Q = "Hvad koster ladestanderne til elcykler ved stationen i {town}?"
USER, PASSWORD = "sagsbehandler", "kaffe-og-referater-2026"


def _minutes(town: str, amount: str = "412.000", padding: int = 0) -> str:
    """The Roskilde minutes for another town; `padding` repeats a paragraph so the file
    takes longer to embed (the stop test needs time between files)."""
    text = ROSKILDE_MINUTES.replace("Roskilde", town).replace("412.000", amount)
    extra = (
        f"{town} Kommune har undersøgt behovet for ladestandere ved stationen nøje, og "
        "administrationen har talt med pendlere, cykelhandlere og DSB om placeringen. "
    )
    return text + "\n" + "\n\n".join(extra * 3 for _ in range(padding)) + "\n"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def _upload(chat: Session, files: list[Path]) -> None:
    chat.open_accordion(UPLOAD, "#upload")
    chat.page.locator("#upload input[type='file']").set_input_files(files)
    expect(chat.page.locator("#upload tbody tr")).to_have_count(len(files))
    chat.page.locator("#upload-button").click()


def _uploaded(open_session, files: list[Path]) -> Session:
    chat = open_session()
    _upload(chat, files)
    return chat


def _result_row(chat: Session, name: str, text: str) -> None:
    row = chat.page.locator("#upload-result tbody tr", has_text=name)
    expect(row.last).to_contain_text(text, timeout=ANSWER_TIMEOUT_MS)


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def listener() -> Iterator[_Listener]:
    found = _Listener()
    yield found
    found.close()


# --- uploads ----------------------------------------------------------------------------------


def test_markup_from_an_uploaded_file_is_text_and_fetches_nothing(
    open_session, listener: _Listener, tmp_path: Path, artifacts: Path
) -> None:
    image = f"![w](http://127.0.0.1:{listener.port}/toc.png)"
    title = f"Ladestandere ved Køge Station ![w](http://127.0.0.1:{listener.port}/titel.png)"
    text = (
        _minutes("Køge")
        .replace("Ladestandere til elcykler ved Køge Station", title)
        # A table-of-contents entry the text lacks: its title is quoted in the result.
        .replace("Indholdsfortegnelse\n\n", f"Indholdsfortegnelse\n\n{image}.....\t9\n")
    )
    chat = open_session()
    _upload(chat, [_write(tmp_path, "koege.txt", text)])
    _result_row(chat, "koege.txt", "1 møde, 2 punkter (bemærk:")
    expect(chat.page.locator("#upload-result")).to_contain_text(image)
    expect(chat.page.locator("#upload-result img")).to_have_count(0)

    # The title shows as text wherever the page shows it: examples, the answer, the card.
    later = open_session()
    expect(later.examples().filter(has_text="Køge")).to_contain_text(title)
    answer = later.ask("Hvad koster ladestanderne ved Køge Station?")
    expect(answer).to_contain_text("412.000")
    expect(later.card(0, 1).locator(":scope > summary")).to_contain_text(title)
    later.expect_offered("filter-kommune", "Køge")
    chat.shot(artifacts / "upload-markup.png")
    assert later.page.locator("img[src*='127.0.0.1']").count() == 0
    assert chat.page.locator("img[src*='127.0.0.1']").count() == 0
    assert listener.requests == [], listener.requests
    chat.assert_no_page_errors()
    later.assert_no_page_errors()


def test_same_name_uploads_are_two_meetings_and_a_repeat_is_already_indexed(
    open_session, tmp_path: Path
) -> None:
    first = _write(tmp_path / "a", "referat.txt", _minutes("Hillerød"))
    second = _write(tmp_path / "b", "referat.txt", _minutes("Holbæk", "388.000"))
    # Each upload from a page of its own, as two colleagues would send them.
    for path, shown in ((first, "1 møde, 2 punkter"), (second, "gemt som referat (2).txt")):
        _result_row(_uploaded(open_session, [path]), "referat.txt", shown)
    chat = open_session()
    for town, amount in (("Hillerød", "412.000"), ("Holbæk", "388.000")):
        expect(chat.ask(ROSKILDE_Q.format(town=town))).to_contain_text(amount)
        expect(chat.card(chat.answered - 1, 1).locator(".meta")).to_contain_text(town)
    _result_row(_uploaded(open_session, [first]), "referat.txt", "Allerede indlæst")
    chat.assert_no_page_errors()


def test_a_bad_new_version_keeps_the_old_meeting_and_names_the_reason(
    open_session, tmp_path: Path
) -> None:
    good = _minutes("Frederikssund")
    first = _uploaded(open_session, [_write(tmp_path / "a", "frederikssund.txt", good)])
    _result_row(first, "frederikssund.txt", "1 møde, 2 punkter")
    # The new version stops in the middle of the first of the two items its contents list.
    cut = good[: good.index("Punkt 2:")].rstrip().removesuffix("Godkendt") + "Godk"
    chat = _uploaded(open_session, [_write(tmp_path / "b", "frederikssund.txt", cut)])
    _result_row(chat, "frederikssund.txt", "Ikke indlæst: filen ser afkortet ud")
    expect(chat.ask(ROSKILDE_Q.format(town="Frederikssund"))).to_contain_text("412.000")
    chat.assert_no_page_errors()


def test_upload_shows_progress_and_stops_between_files(
    open_session, server: Server, tmp_path: Path, artifacts: Path
) -> None:
    towns = ("Odsherred", "Kalundborg", "Sorø", "Ringsted")
    files = [_write(tmp_path, f"{t.lower()}.txt", _minutes(t, padding=12)) for t in towns]
    chat = open_session()
    _upload(chat, files)
    result = chat.page.locator("#upload-result")
    expect(result).to_contain_text("Indlæser odsherred.txt (fil 1 af 4)", timeout=ANSWER_TIMEOUT_MS)
    chat.shot(artifacts / "upload-progress.png")
    expect(result).to_contain_text("(fil 2 af 4)", timeout=ANSWER_TIMEOUT_MS)
    chat.page.locator("#upload-stop").click()
    expect(result).to_contain_text("Indlæsningen er stoppet.", timeout=ANSWER_TIMEOUT_MS)
    chat.shot(artifacts / "upload-stopped.png")
    rows = {
        row.locator("td").first.inner_text(): row.locator("td").last.inner_text()
        for row in result.locator("tbody tr").all()
    }
    assert list(rows) == [f.name for f in files], rows
    stored = [t for t, f in zip(towns, files, strict=True) if rows[f.name] == "1 møde, 2 punkter"]
    skipped = [t for t, f in zip(towns, files, strict=True) if "stoppet før filen" in rows[f.name]]
    assert stored and skipped and len(stored) + len(skipped) == len(towns), rows
    assert stored == list(towns[: len(stored)])  # in order: the stop came between files
    expect(result).to_contain_text(f"{len(stored)} af 4 filer er gemt")
    # Every stored meeting is whole and answerable; no skipped one is in the index.
    for town in stored:
        expect(chat.ask(ROSKILDE_Q.format(town=town))).to_contain_text("412.000")
    options = chat.options("filter-kommune")
    assert not set(skipped) & set(options), options
    chat.assert_no_page_errors()


def test_a_file_over_the_limit_is_refused_with_a_danish_message(
    chromium: Browser, server: Server, tmp_path: Path, artifacts: Path
) -> None:
    index = tmp_path / "index"
    shutil.copytree(server.snapshot, index)
    settings = {
        "REFERAT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        "REFERAT_UPLOAD_MAX_MB": "0.05",
    }
    big = _write(tmp_path, "stor.txt", _minutes("Faxe", padding=200))
    assert big.stat().st_size > 50_000
    with _serving(index, tmp_path / "server.log", settings) as url:
        chat = Session(chromium, url)
        try:
            chat.open_accordion(UPLOAD, "#upload")
            expect(chat.page.locator("#upload")).to_contain_text("højst 0,05 MB pr. fil")
            chat.page.locator("#upload input[type='file']").set_input_files([big])
            toast = chat.page.locator("[data-testid='toast-body']")
            expect(toast).to_contain_text('"stor.txt" fylder for meget: højst 0,05 MB pr. fil')
            expect(toast).to_contain_text("Fejl")
            expect(toast).not_to_contain_text("exceed")
            chat.shot(artifacts / "upload-too-big.png")
            chat.page.locator("#upload-button").click()
            expect(chat.page.locator("#upload-result")).to_contain_text("Vælg en eller flere filer")
            assert "Faxe" not in chat.options("filter-kommune")
        finally:
            chat.close()


# --- team mode: the Chroma server stops --------------------------------------------------------


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    port = _free_port()
    chroma = Path(str(REFERAT)).with_name("chroma")
    command = [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port),
               "--path", str(tmp_path / "chroma-data")]  # fmt: skip
    with (tmp_path / "chroma.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while _status(f"http://127.0.0.1:{port}/api/v2/heartbeat") != 200:
            assert process.poll() is None, (tmp_path / "chroma.log").read_text()
            assert time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.3)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def test_a_chroma_server_stopped_mid_session_is_a_danish_message(
    chromium: Browser, chroma_server: tuple[subprocess.Popen, int], tmp_path: Path, artifacts: Path
) -> None:
    process, port = chroma_server
    team = {"REFERAT_CHROMA_HOST": "127.0.0.1", "REFERAT_CHROMA_PORT": str(port)}
    town = MINUTES_DIR / "001_93fee63c342961f4.txt"  # Lejre: one file keeps the embedding short
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERAT_")}
    ingested = subprocess.run(
        [str(REFERAT), "--index", str(tmp_path / "local"), "ingest", str(town)],
        capture_output=True, text=True, timeout=900, env={**env, **team},
    )  # fmt: skip
    assert ingested.returncode == 0, ingested.stderr
    settings = {**team, "REFERAT_REFRESH_INTERVAL_S": "0", "REFERAT_UPLOAD_ENABLED": "false",
                "REFERAT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3")}  # fmt: skip
    log = tmp_path / "server.log"
    question = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
    with _serving(tmp_path / "reader", log, settings) as url:
        chat = Session(chromium, url)
        try:
            expect(chat.ask(question)).to_contain_text("149")
            process.terminate()
            process.wait(timeout=30)
            chat.submit(question)
            error = chat.error()
            expect(error).to_contain_text(f"Chroma-serveren på 127.0.0.1:{port} svarer ikke")
            expect(chat.question_box).to_have_value(question)  # kept, to ask again
            # No panel shows Gradio's bare error badge.
            expect(chat.page.locator(".error, [data-testid='error']")).to_have_count(0)
            chat.shot(artifacts / "chroma-stopped.png")
            # A page opened now still loads, and says what is wrong.
            later = Session(chromium, url)
            expect(later.page.get_by_text("svarer ikke", exact=False).first).to_be_visible()
            later.close()
            chat.assert_no_page_errors()
        finally:
            chat.close()
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in written and "ConnectError(" not in written, written[-3000:]
    assert written.count("Spørgsmål ikke besvaret, indekset kan ikke nås") == 1, written[-3000:]


# --- login ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a login and a short lockout, on a copy of the first start's index."""
    root = tmp_path_factory.mktemp("guarded")
    shutil.copytree(server.snapshot, root / "index")
    settings = {
        "REFERAT_FEEDBACK_DB": str(root / "feedback.sqlite3"),
        "REFERAT_UI_USERNAME": USER,
        "REFERAT_UI_PASSWORD": PASSWORD,
        "REFERAT_LOGIN_MAX_FAILURES": "3",
        "REFERAT_LOGIN_LOCKOUT_S": "4",
    }
    with _serving(root / "index", root / "server.log", settings) as url:
        yield url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _request(url: str, data: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    """(status, body, headers) of one request, redirects not followed, no proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), dict(error.headers)


INDEX_WORDS = ("Mariagerfjord", "Lejre", "Aabenraa", "Næstved", "Arbejdsmarkedsudvalget")


def test_nothing_about_the_index_is_served_before_login(guarded: str) -> None:
    status, body, headers = _request(guarded)
    assert status == 303 and headers["location"] == "login"
    for path in ("login", "config", "gradio_api/info", "gradio_api/openapi.json", "info",
                 "gradio_api/upload", "gradio_api/queue/data", "theme.css", "manifest.json",
                 "docs", "openapi.json", "gradio_api/startup-events"):  # fmt: skip
        status, body, _ = _request(guarded + path)
        assert status in (200, 401, 404, 405), (path, status)
        assert not [w for w in INDEX_WORDS if w in body], (path, body[:300])
        if path != "login":
            assert status != 200, (path, body[:300])
    status, body, _ = _request(guarded + "login")
    assert status == 200 and "Adgangskode" in body and "Log ind" in body


def test_failed_logins_are_throttled_per_client(guarded: str) -> None:
    for _ in range(3):
        status, body, _ = _request(guarded + "login", {"username": USER, "password": "forkert"})
        assert status == 401 and json.loads(body)["detail"] == (
            "Forkert brugernavn eller adgangskode."
        )
    # Locked out: even the right password is not checked now.
    status, body, headers = _request(guarded + "login", {"username": USER, "password": PASSWORD})
    assert status == 429 and "For mange forkerte forsøg. Prøv igen om" in json.loads(body)["detail"]
    time.sleep(int(headers["retry-after"]) + 0.5)  # the lockout ends (a wait, not a timing assert)
    status, body, headers = _request(guarded + "login", {"username": USER, "password": PASSWORD})
    assert status == 200 and "referat-session" in headers.get("set-cookie", "")


def test_the_login_page_is_danish_and_leads_to_the_chat(
    chromium: Browser, guarded: str, artifacts: Path
) -> None:
    context = chromium.new_context(locale="da-DK")
    page = context.new_page()
    try:
        page.goto(guarded)
        expect(page.get_by_label("Brugernavn")).to_be_visible()
        assert page.locator("#question").count() == 0
        assert not [w for w in INDEX_WORDS if w in page.content()]
        page.get_by_label("Brugernavn").fill(USER)
        page.get_by_label("Adgangskode").fill("forkert")
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("alert")).to_have_text("Forkert brugernavn eller adgangskode.")
        page.screenshot(path=str(artifacts / "login-danish.png"))
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.locator("#question textarea").fill("Hvor mange fordrevne fra Ukraine var der i Lejre?")
        page.locator("#question textarea").press("Enter")
        expect(page.locator("#chat [data-testid='bot']").last).to_contain_text(
            "149", timeout=ANSWER_TIMEOUT_MS
        )
    finally:
        context.close()
