"""Load: 20 chat sessions at once against a real `referat serve` on 127.0.0.1, with minutes
uploaded through the app meanwhile, driven by `referat load` as an operator runs it.

The checks that decide whether answers crossed sessions are tested twice: on replies drawn by
ui.py's own functions (fast), and on a real server where two clients share one session, which
they must catch. Latency is recorded, never asserted: timings on two shared cores are noise.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app.ui.app import linked_markers, source_card, sources_panel
from assistant.core.errors import ConfigError
from assistant.core.types import Citation
from assistant.evaluation.load import (
    NO_FILTERS,
    Conversation,
    LoadPlan,
    check_loopback,
    connect,
    conversations,
    judge_reply,
    session_conversation,
)
from tests.conftest import referat

SESSIONS, TURNS = 20, 3
UI_CONCURRENCY = "4"

# Two meetings the samples do not have, in the Lejre sample's layout, on topics no sample
# question touches: uploaded during the load, asked about afterwards (Roskilde's is the
# browser tests' upload).
SVENDBORG = """\


REFERAT Kultur- og Fritidsudvalget d. 07-05-2024

Mødedato Tirsdag d. 07. maj 2024 kl. 15:00

Mødested Mødelokale 1, Rådhuset, Svendborg

Mødedeltagere Birgitte Bach, Jonas Winther, Ulla Dahl

Indholdsfortegnelse

Godkendelse af dagsorden.....\t2
Vinterbadeanlæg og sauna på havnen i Svendborg.....\t3

Punkt 1: Godkendelse af dagsorden

Beslutning

Godkendt

Punkt 2: Vinterbadeanlæg og sauna på havnen i Svendborg

24-004567

Beslutning

Godkendt. Udvalget giver tilskud på 275.000 kr. til en flydende sauna og en badebro til \
vinterbadere ved Frederiksø.

Sagsfremstilling

Foreningen Svendborg Vinterbadere har søgt om tilskud til en flydende sauna og en badebro på \
havnen ved Frederiksø. Foreningen har 640 medlemmer og en venteliste på over 200.
"""


# --- the checks, on replies drawn as the page draws them ------------------------------------


def _lejre() -> Conversation:
    return next(c for c in conversations() if c.municipality == "Lejre")


def _citation(n: int, municipality: str, meeting_date: str) -> Citation:
    return Citation(n, municipality, "Udvalget", meeting_date, 3, "Kvartalsbog <b>2023</b>",
                    "23-005451", "referat.txt", "Der var 149 fordrevne.")  # fmt: skip


def _reply(questions: list[str], cited: list[Citation], turn: int) -> tuple[list[dict], str]:
    """A chat and source panel as the server draws them when its state for the session holds
    `turn` earlier answers (ui.py's rendering)."""
    chat = []
    for k, question in enumerate(questions):
        number = turn if k == len(questions) - 1 else k
        answer = linked_markers("Der var 149 fordrevne [1].", number) if cited else "Intet svar."
        chat += [{"role": "user", "content": [{"type": "text", "text": question}]},
                 {"role": "assistant", "content": [{"type": "text", "text": answer}]}]  # fmt: skip
    cards = "".join(source_card(c, turn, []) for c in cited)
    return chat, sources_panel([(questions[-1], cards)] if cards else [])


def test_an_own_reply_passes_and_names_its_sources() -> None:
    lejre = _lejre()
    chat, panel = _reply(list(lejre.questions[:2]), [_citation(1, "Lejre", "2023-09-06")], 1)
    verdict = judge_reply(chat, panel, lejre, 1)
    assert verdict.outcome == "ok" and not verdict.crossed, verdict
    assert verdict.cited == ("Lejre 2023-09-06",)


@pytest.mark.parametrize(
    ("questions", "municipality", "turn", "sign"),
    [
        (["Hvem var fraværende i Vejle?"], "Lejre", 0, "samtalen indeholder"),
        (None, "Vejle", 0, "første kilde er Vejle 2023-10-05"),
        (None, "Lejre", 1, "tur [1], ikke 0"),
    ],
    ids=["another-question", "another-meeting", "another-turn"],
)
def test_replies_from_another_conversation_are_caught(
    questions: list[str] | None, municipality: str, turn: int, sign: str
) -> None:
    lejre = _lejre()
    asked = questions or [lejre.questions[0]]
    dates = {"Lejre": "2023-09-06", "Vejle": "2023-10-05"}
    chat, panel = _reply(asked, [_citation(1, municipality, dates[municipality])], turn)
    verdict = judge_reply(chat, panel, lejre, 0)
    assert any(sign in crossing for crossing in verdict.crossed), verdict


def test_busy_and_error_messages_are_told_apart() -> None:
    lejre = _lejre()
    question = {"role": "user", "content": lejre.questions[0]}
    busy = "⚠️ Assistenten er optaget af mange spørgsmål lige nu. Prøv igen om et øjeblik."
    assert judge_reply(
        [question, {"role": "assistant", "content": busy}], "", lejre, 0
    ).outcome == ("busy")
    refused = "⚠️ Spørgsmålet er for langt."
    verdict = judge_reply([question, {"role": "assistant", "content": refused}], "", lejre, 0)
    assert verdict.outcome == "error"


def test_only_loopback_urls_unless_allowed() -> None:
    for url in ("http://127.0.0.1:7860/", "http://localhost:7860", "http://[::1]:7860/"):
        check_loopback(url)
    for url in ("http://10.0.0.7:7860/", "http://192.168.1.20/", "ftp://127.0.0.1/"):
        with pytest.raises(ConfigError):
            check_loopback(url)
    check_loopback("http://10.0.0.7:7860/", allow_remote=True)


def test_every_default_session_has_a_conversation_of_its_own() -> None:
    scripted = {session_conversation(s).questions for s in range(SESSIONS)}
    assert len(scripted) == SESSIONS
    assert all(len(questions) == TURNS for questions in scripted)


# --- a real server under load ---------------------------------------------------------------


@pytest.fixture(scope="module")
def load_server(cli_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`referat serve` on a copy of the sample index (two processes must not share one
    embedded store), upload on."""
    from tests.slow.test_browser import _serving  # starts and stops the server; waits for HTTP 200

    root = tmp_path_factory.mktemp("load_server")
    shutil.copytree(cli_index, root / "index")
    settings = {
        "REFERAT_FEEDBACK_DB": str(root / "feedback.sqlite3"),
        "REFERAT_UPLOAD_ENABLED": "true",
        "REFERAT_UI_CONCURRENCY": UI_CONCURRENCY,
    }
    with _serving(root / "index", root / "server.log", settings) as url:
        yield url


@pytest.mark.slow
def test_twenty_sessions_with_uploads_keep_apart_and_uploads_are_answerable(
    load_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploads = [tmp_path / "roskilde.txt", tmp_path / "svendborg.txt"]
    from tests.slow.test_browser import ROSKILDE_MINUTES

    for path, text in zip(uploads, (ROSKILDE_MINUTES, SVENDBORG), strict=True):
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "load.json"
    monkeypatch.setenv("REFERAT_UI_CONCURRENCY", UI_CONCURRENCY)  # recorded in the report
    result = referat(
        "load", load_server, "--sessions", str(SESSIONS), "--turns", str(TURNS),
        "--upload", str(uploads[0]), "--upload", str(uploads[1]), "--out", str(out),
        "--timeout", "120", "--deadline", "300", timeout=420,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    figures = report["figures"]
    assert report["passed"] and report["problems"] == [], report["problems"]
    assert report["settings"].items() >= {
        "sessions": SESSIONS, "turns": TURNS, "ui_concurrency": int(UI_CONCURRENCY),
        "uploads": ["roskilde.txt", "svendborg.txt"], "cores": os.cpu_count(),
    }.items()  # fmt: skip
    assert figures["errors"] == figures["timeouts"] == figures["busy"] == 0
    assert figures["crossed"] == 0
    assert figures["requests"] == SESSIONS * TURNS + 2 * len(uploads)  # fixed, no retries
    assert figures["sessions_complete"] == SESSIONS
    assert figures["answered"] == SESSIONS * TURNS  # every answer has a source to check
    assert figures["answers_during_ingest"] > 0  # the uploads ran while sessions were asking
    assert figures["uploads_ok"] == figures["uploads_answerable"] == len(uploads)
    assert figures["latency_p50_s"] is not None and figures["latency_p95_s"] is not None
    assert figures["wall_time_s"] > 0

    # Per answer: this session's own meeting first, every follow-up included.
    for row in (r for r in report["requests"] if r["kind"] == "answer"):
        own = session_conversation(row["session"])
        assert row["text"] == own.questions[row["turn"]]
        assert row["cited"][0] == f"{own.municipality} {own.meeting_date}", row
    asked = [r for r in report["requests"] if r["kind"] == "check"]
    assert [r["cited"][0] for r in asked] == ["Roskilde 2024-03-12", "Svendborg 2024-05-07"]
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# Belastningstest")


@pytest.mark.slow
def test_a_shared_session_is_caught_as_crossing(load_server: str) -> None:
    """The crossing checks can fail: a second client on the first one's session hash (what a
    leak of one user's state to another would look like) is caught at its first reply."""
    lejre = _lejre()
    vejle = next(c for c in conversations() if c.municipality == "Vejle")
    plan = LoadPlan(load_server, sessions=1, turns=1)
    first, second = connect(plan), connect(plan)
    second.session_hash = first.session_hash
    try:
        chat, panel, _ = first.predict(lejre.questions[0], [], *NO_FILTERS, api_name="/respond")
        own = judge_reply(chat, panel, lejre, 0)
        chat, panel, _ = second.predict(vejle.questions[0], [], *NO_FILTERS, api_name="/respond")
        shared = judge_reply(chat, panel, vejle, 0)
    finally:
        first.close()
        second.close()
    assert own.outcome == "ok" and not own.crossed, own
    assert any("andres spørgsmål" in crossing for crossing in shared.crossed), shared
    assert any("tur [1], ikke 0" in crossing for crossing in shared.crossed), shared
