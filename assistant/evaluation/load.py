"""A bounded load test of the browser chat: many Gradio sessions at once against a running
`referat serve`, while minutes are uploaded through the same app.

Each session is its own `gradio_client.Client` (its own session hash, so its own `gr.State` on
the server) and holds a conversation about one sample meeting through the "respond" endpoint,
the event the browser's Enter triggers: a question naming the municipality, then follow-ups
that lean on it. Meanwhile another session uploads minutes (the embedded Chroma store has one
writer, the serve process, so ingestion goes through it). At the end a fresh session asks
about each uploaded file.

What comes back is checked for crossing: the chat holds exactly this session's questions, the
source panel (built from the session's server-side state) names no other question, the
answer's [n] links carry this session's turn number, and its first source is this
conversation's meeting.

Bounded by design: one request per turn, upload and check, no retries, a timeout per request
and a deadline for the whole run. Loopback only unless explicitly allowed.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import json
import os
import re
import socket
import time
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.app.ui.app import ALL, WARNING, typed
from assistant.core.errors import Busy, ConfigError, ReferatError
from assistant.danish.dates import parse_danish_date
from assistant.evaluation.evaluate import percentile
from assistant.ingest.parse import parse_file

if TYPE_CHECKING:
    from gradio_client import Client

BUSY_WORD = (
    "optaget"  # in the UI's message when no answering slot frees up (prompts/errors/busy.txt)
)
# The filter fields as a new page has them: every municipality and committee, no dates.
NO_FILTERS = (ALL, ALL, "", "")

# The sample meetings (eval/minutes/) and four conversations about each: the first question
# names the municipality, the follow-ups do not, so only the session's own history can lead
# them to the right meeting. Every answer's first source is its meeting on the samples alone
# and with the test's uploads ingested.
MEETINGS = {
    "Mariagerfjord": "2024-01-04",
    "Lejre": "2023-09-06",
    "Aabenraa": "2024-09-02",
    "Vejle": "2023-10-05",
    "Næstved": "2021-09-28",
}
SCRIPTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Mariagerfjord": (
        ("Hvad går IPS-projektet i Mariagerfjord ud på?", "Hvem er projektejer?",
         "Og hvad koster det?"),
        ("Hvordan indgår handicapstrategien i Mariagerfjords arbejde på beskæftigelsesområdet?",
         "Hvornår får Handicaprådet besked om det?", "Hvad blev indstillingen til udvalget?"),
        ("Hvad var den overordnede tilfredshed med jobcentret i Mariagerfjords "
         "borgerundersøgelse?",
         "Hvordan ligger det i forhold til de andre kommuner i undersøgelsen?",
         "Hvor mange borgere svarede?"),
        ("Hvilke principper arbejder IPS-indsatsen for unge i Mariagerfjord ud fra?",
         "Over hvilken periode løber projektet?", "Hvem er projektejer?"),
    ),
    "Lejre": (
        ("Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?",
         "Hvor mange af dem var i arbejde?", "Hvad besluttede udvalget om kvartalsbogen?"),
        ("Hvornår blev Lejres nye beskæftigelsespolitik vedtaget af kommunalbestyrelsen?",
         "Hvem fremlagde implementeringsplanen?",
         "Hvad besluttede udvalget om implementeringsplanen?"),
        ("Hvad gør Lejre for at få bremset overforbruget på de særligt tilrettelagte "
         "ungdomsuddannelser?",
         "Fra hvilken dato har de haft en ungevejleder ansat?", "Hvad blev udfaldet?"),
        ("Hvor mange ressourceforløb blev afsluttet i Lejre fra august 2022 til august 2023?",
         "Og hvor mange nye blev startet?", "Hvad besluttede udvalget om det nye format?"),
    ),
    "Aabenraa": (
        ("Hvad handlede sagen om CSR-mærket i Aabenraa om?",
         "Hvornår får virksomhederne så mærket overrakt?", "Hvem kan søge om CSR-mærket?"),
        ("Hvad anbefaler ekspertgruppen om fremtidens beskæftigelsesindsats, som Aabenraa "
         "drøftede i september 2024?",
         "Hvad kan det komme til at betyde for kommunens økonomi?",
         "Hvem var inviteret til at uddybe ekspertgruppens anbefalinger?"),
        ("Hvor stor en andel af de unge i Aabenraas IPS Ung-forløb er kommet ud af offentlig "
         "forsørgelse?",
         "Hvad var målsætningen?", "Hvad blev udfaldet, da udvalget behandlede evalueringen?"),
        ("Hvilke tre mål er der sat for Velfærdsaftalen i Aabenraa?",
         "Hvilken forsker har været konsulent på evalueringsdesignet til Velfærdsaftalen?",
         "Og hvad blev besluttet om repatriering?"),
    ),
    "Vejle": (
        ("Hvor mange penge har Vejle sat af til den fokuserede integrationsindsats?",
         "Og hvor mange aktive sager er der i indsatsen nu?",
         "Hvor skal undervisningen i den nye jobskole foregå?"),
        ("Hvornår skal Vejles strategi for beskæftigelsesindsatsen 2024-2027 til 2. behandling "
         "i udvalget?",
         "Hvilket medlem af Arbejdsmarkedsudvalget deltog ikke, da strategien var til "
         "behandling?",
         "Hvad gjorde udvalget med udkastet til strategien?"),
        ("Hvem holdt oplæg om IPS, da Vejles arbejdsmarkedsudvalg havde tema om udsathed?",
         "Var der nogen, der manglede under temaet?",
         "Hvilken forsker talte ved fællesmødet med Arbejdsmarkedsforum?"),
        ("Hvem skulle orientere Vejles arbejdsmarkedsudvalg om status på Ret til tidlig "
         "pension?",
         "Var Claus Behrendsen med?",
         "Hvad er der blevet af de borgere, der er gået ud af den fokuserede "
         "integrationsindsats?"),
    ),
    "Næstved": (
        ("Hvordan er det gået med projektet 'På vej til arbejde' i Næstved?",
         "Hvem har betalt for det, og med hvor meget?",
         "Hvor mange borgere måtte hver medarbejder i projektet have ansvaret for ad gangen?"),
        ("Hvad søgte administrationen i Næstved penge til fra investeringspuljen i september "
         "2021?",
         "Var der nogen i udvalget, der var uenige i beslutningen?",
         "Og hvor mange penge er der i alt i den pulje fra 2022?"),
        ("Hvilken dag mødes Næstveds Beskæftigelses- og Uddannelsesudvalg med det "
         "beskæftigelsespolitiske dialogforum?",
         "Hvad besluttede udvalget om dagsordenen?",
         "Hvem skal tale for DI Sydsjælland og for KL?"),
        ("Hvad kom der ud af drøftelsen om den digitale beskæftigelsesindsats i Næstved?",
         "Hvem deltog udefra under punktet?",
         "Hvilke medarbejdere fra Næstveds Center for Arbejdsmarked var med under "
         "drøftelsen?"),
    ),
}  # fmt: skip
MAX_TURNS = 3

# What the page sends back, read as a browser shows it (ui.py: source cards and panel).
CARD = re.compile(
    r'<details class="kilde" id="kilde-(\d+)-(\d+)">.*?<span class="meta">(.*?)</span>', re.S
)
HEADING = re.compile(r'<div class="tur">Kilder til: (.*?)</div>', re.S)
LINK = re.compile(r"\(#kilde-(\d+)-\d+\)")


@dataclass(frozen=True)
class Conversation:
    municipality: str
    meeting_date: str  # ISO date of the meeting every answer must cite first
    questions: tuple[str, ...]


def conversations() -> tuple[Conversation, ...]:
    """All scripted conversations, municipalities interleaved, so that any five consecutive
    sessions ask about five different meetings."""
    rounds = max(len(scripts) for scripts in SCRIPTS.values())
    return tuple(
        Conversation(municipality, MEETINGS[municipality], SCRIPTS[municipality][k])
        for k in range(rounds)
        for municipality in SCRIPTS
        if k < len(SCRIPTS[municipality])
    )


@dataclass(frozen=True)
class LoadPlan:
    url: str
    sessions: int = 20
    turns: int = MAX_TURNS
    uploads: tuple[Path, ...] = ()
    request_timeout_s: float = 120.0
    deadline_s: float = 600.0
    allow_remote: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.turns <= MAX_TURNS:
            raise ConfigError(f"Antal spørgsmål pr. samtale skal være 1-{MAX_TURNS}.")
        if self.sessions < 1:
            raise ConfigError("Der skal være mindst én session.")


@dataclass(frozen=True)
class Request:
    """One request as the load driver saw it."""

    kind: str  # "answer" (a chat turn), "upload" or "check" (a question about an upload)
    session: int  # -1 for uploads and checks, which run in sessions of their own
    turn: int
    text: str  # the question, or the uploaded file's name
    started_s: float  # since the load started
    seconds: float
    outcome: str  # "ok", "abstained" (answered without a source), "busy", "error", "timeout"
    detail: str = ""
    cited: tuple[str, ...] = ()  # "Lejre 2023-09-06" per source of this answer, first first
    crossed: tuple[str, ...] = ()  # what in the reply belongs to another conversation


@dataclass(frozen=True)
class LoadResult:
    plan: LoadPlan
    requests: tuple[Request, ...]
    wall_s: float  # the concurrent phase: sessions and uploads, not the final checks

    def figures(self) -> dict[str, Any]:
        answers = [r for r in self.requests if r.kind == "answer"]
        uploads = [r for r in self.requests if r.kind == "upload"]
        checks = [r for r in self.requests if r.kind == "check"]
        timings = sorted(r.seconds for r in answers if r.outcome != "timeout")
        answered = Counter(r.session for r in answers if r.outcome in ("ok", "abstained"))
        complete = sum(1 for n in answered.values() if n == self.plan.turns)

        def count(rows: Sequence[Request], outcome: str) -> int:
            return sum(1 for r in rows if r.outcome == outcome)

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "requests": len(self.requests),
            "answer_requests": len(answers),
            "not_asked": self.plan.sessions * self.plan.turns - len(answers),
            "answered": count(answers, "ok"),
            "abstained": count(answers, "abstained"),
            "busy": count(self.requests, "busy"),
            "errors": count(self.requests, "error"),
            "timeouts": count(self.requests, "timeout"),
            "latency_p50_s": rounded(percentile(timings, 0.5)),
            "latency_p95_s": rounded(percentile(timings, 0.95)),
            "latency_max_s": rounded(timings[-1] if timings else None),
            "wall_time_s": round(self.wall_s, 2),
            "answers_per_s": round(len(timings) / self.wall_s, 2) if self.wall_s else None,
            "sessions_complete": complete,
            "crossed": sum(1 for r in self.requests if r.crossed),
            # Informational: later sources outside the session's meeting are ordinary
            # retrieval (other items share the words), not a crossing.
            "cited_elsewhere": sum(
                1 for r in answers if any(c != _expected(r.session) for c in r.cited[1:])
            ),
            "answers_during_ingest": _overlapping(answers, uploads),
            "upload_seconds": [round(r.seconds, 2) for r in uploads],
            "uploads_ok": count(uploads, "ok"),
            "uploads_answerable": count(checks, "ok"),
        }

    @property
    def passed(self) -> bool:
        figures = self.figures()
        return (
            figures["sessions_complete"] == self.plan.sessions
            and figures["crossed"] == figures["errors"] == figures["timeouts"] == 0
            and figures["uploads_ok"] == figures["uploads_answerable"] == len(self.plan.uploads)
        )

    def problems(self) -> list[str]:
        """Every request that did not go as it should, as a readable line. An answer without
        a source is listed too: it cannot show a crossing, so it should not pass unseen."""
        lines = []
        for r in self.requests:
            who = f"session {r.session} tur {r.turn + 1}" if r.kind == "answer" else r.kind
            if r.outcome != "ok":
                lines.append(f"{who}: {r.outcome} {r.detail} ({r.text})")
            lines += [f"{who}: krydset: {crossing} ({r.text})" for crossing in r.crossed]
        return lines


def session_conversation(session: int) -> Conversation:
    """Session i's conversation; with more sessions than scripts they repeat."""
    scripted = conversations()
    return scripted[session % len(scripted)]


def _expected(session: int) -> str:
    conversation = session_conversation(session)
    return f"{conversation.municipality} {conversation.meeting_date}"


def _overlapping(answers: Sequence[Request], uploads: Sequence[Request]) -> int:
    """Answers whose request ran while an upload was being ingested."""
    spans = [(u.started_s, u.started_s + u.seconds) for u in uploads]
    return sum(
        1
        for a in answers
        if any(a.started_s < end and start < a.started_s + a.seconds for start, end in spans)
    )


# --- safety ----------------------------------------------------------------------------


def check_loopback(url: str, allow_remote: bool = False) -> None:
    """Refuse anything but this machine unless allowed: a load generator pointed at someone
    else's server by a typo is an attack. Every address the name resolves to must be
    loopback (a name that also resolves elsewhere could be connected to there)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{url} er ikke en http-adresse; skriv fx http://127.0.0.1:7860/")
    if allow_remote:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as error:  # ValueError: a port that is no number
        raise ConfigError(f"{url} kan ikke bruges: {error}") from error
    addresses = sorted({str(info[4][0]).split("%")[0] for info in found})
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise ConfigError(
            f"{url} peger ikke kun på denne maskine ({', '.join(addresses)}). Belastningstesten "
            "kører kun mod 127.0.0.1 eller localhost; brug --allow-remote for at teste en anden "
            "server med vilje."
        )


# --- the run ---------------------------------------------------------------------------


def run_load(plan: LoadPlan) -> LoadResult:
    """Connect every session, then run all conversations and the uploads at once; afterwards
    ask about each upload in a fresh session."""
    check_loopback(plan.url, plan.allow_remote)
    # gradio_client ORs its analytics flag with these variables, so the flag alone does not
    # stop it reporting to Hugging Face; a loopback load test talks to nobody else. Set
    # before any client thread reads the environment.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    count = plan.sessions + (1 if plan.uploads else 0)
    with ThreadPoolExecutor(max_workers=count) as pool:
        # Connecting (config and API info per session) is setup, not load: before the clock.
        connecting = [pool.submit(connect, plan) for _ in range(count)]
        clients = [f.result() for f in connecting if f.exception() is None]
        try:
            for future in connecting:
                if future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
            start = time.monotonic()
            deadline = start + plan.deadline_s
            futures = [
                pool.submit(_converse, clients[s], s, plan, start, deadline)
                for s in range(plan.sessions)
            ]
            if plan.uploads:
                futures.append(pool.submit(_upload_all, clients[-1], plan, start, deadline))
            rows = [row for future in futures for row in future.result()]
            wall = time.monotonic() - start
            rows += [_ask_about_upload(path, plan, start, deadline) for path in plan.uploads]
        finally:
            # close() waits up to a second for the client's heartbeat thread: all at once.
            list(pool.map(lambda client: client.close(), clients))
    order = {"answer": 0, "upload": 1, "check": 2}
    rows.sort(key=lambda r: (order[r.kind], r.session, r.turn, r.started_s))
    return LoadResult(plan, tuple(rows), wall)


def connect(plan: LoadPlan) -> Client:
    """A new Gradio session on the plan's server (its own session hash, so its own state)."""
    from gradio_client import Client

    check_loopback(plan.url, plan.allow_remote)  # every way in to this module checks
    try:
        return Client(
            plan.url,
            token=False,  # type: ignore[arg-type]  (False: send no stored Hugging Face token)
            verbose=False,
            download_files=False,
            analytics_enabled=False,
            max_workers=2,  # one request at a time per session
            # No proxy from the environment between us and the server under test.
            httpx_kwargs={"trust_env": False, "timeout": plan.request_timeout_s},
        )
    except Exception as error:  # httpx and gradio_client raise many kinds for "not there"
        raise ReferatError(f"Kan ikke forbinde til {plan.url}: {error}") from error


def _call(
    client: Client, api_name: str, args: tuple, timeout: float
) -> tuple[str, Any, float, str]:
    """One request, waited for at most `timeout` seconds: (outcome, value, seconds, detail)."""
    started = time.monotonic()

    def took() -> float:
        return round(time.monotonic() - started, 3)

    job = None
    try:
        job = client.submit(*args, api_name=api_name)
        value = job.result(timeout=max(timeout, 0.1))
    except TimeoutError:
        if job is not None:
            job.cancel()  # leaves Gradio's queue if it is still waiting there
        return "timeout", None, took(), f"intet svar efter {timeout:.0f} s"
    except Exception as error:  # the server's error arrives as gradio_client's AppError
        return "error", None, took(), f"{type(error).__name__}: {error}"
    return "ok", value, took(), ""


def _converse(
    client: Client, session: int, plan: LoadPlan, start: float, deadline: float
) -> list[Request]:
    conversation = session_conversation(session)
    questions = conversation.questions[: plan.turns]
    chat: list = []
    rows: list[Request] = []
    for turn, question in enumerate(questions):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break  # the rest is "not asked": the deadline bounds the run
        began = time.monotonic() - start
        args = (question, chat, *NO_FILTERS)
        outcome, value, seconds, detail = _call(
            client, "/respond", args, min(plan.request_timeout_s, remaining)
        )
        row = Request("answer", session, turn, question, round(began, 3), seconds, outcome, detail)
        if outcome == "ok":
            chat = value[0]
            row = replace(row, **asdict(judge_reply(chat, value[1], conversation, turn)))
        rows.append(row)
        if row.outcome not in ("ok", "abstained"):
            break  # no retries: a session that was refused or failed stops here
    return rows


@dataclass(frozen=True)
class Verdict:
    """What one reply says about the session it was sent to."""

    outcome: str  # "ok", "abstained", "busy" or "error"
    detail: str = ""
    cited: tuple[str, ...] = ()  # "Lejre 2023-09-06" per source card of this turn, [1] first
    crossed: tuple[str, ...] = ()  # every sign of another session's conversation


def judge_reply(chat: list[dict], panel: str, conversation: Conversation, turn: int) -> Verdict:
    """The reply to turn `turn` (from 0) checked against this session's own conversation: the
    chat the server returns, and the source panel it drew from the session's stored answers."""
    if not chat or chat[-1].get("role") != "assistant":
        return Verdict("error", "intet svar i samtalen")
    last = _text(chat[-1])
    assert BUSY_WORD in str(Busy())  # the word the verdict looks for is the UI's own
    if last.startswith(WARNING):
        return Verdict("busy" if BUSY_WORD in last else "error", last[:200])
    own = conversation.questions[: turn + 1]
    crossed = []
    # The chat shows questions escaped (assistant.ui.literal); compare what was typed.
    asked = [typed(_text(m)) for m in chat if m.get("role") == "user"]
    if asked != list(own) or len(chat) != 2 * len(own):
        crossed.append(f"samtalen indeholder {asked}")
    foreign = [h for h in (html.unescape(h) for h in HEADING.findall(panel)) if h not in own]
    if foreign:
        crossed.append(f"kildepanelet viser andres spørgsmål: {foreign}")
    # The [n] links and card ids carry the number of answers the server holds for this
    # session: a shared or swapped session state shows up here first.
    turns = {int(t) for t in LINK.findall(last)}
    if turns - {turn}:
        crossed.append(f"svarets henvisninger hører til tur {sorted(turns)}, ikke {turn}")
    cards = [(int(t), int(n), _meeting(meta)) for t, n, meta in CARD.findall(panel)]
    if any(t > turn for t, _, _ in cards):
        crossed.append("kildepanelet har kilder fra flere ture end samtalen")
    cited = tuple(meeting for t, _, meeting in sorted(cards) if t == turn)
    expected = f"{conversation.municipality} {conversation.meeting_date}"
    if cited and cited[0] != expected:
        crossed.append(f"første kilde er {cited[0]}, ikke {expected}")
    return Verdict("ok" if cited else "abstained", "", cited, tuple(crossed))


def _text(message: dict) -> str:
    """A chat message's text; Gradio sends it as a string or as a list of typed parts."""
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def _meeting(meta: str) -> str:
    """ "Lejre 2023-09-06" from a card's header line: "Lejre Kommune · udvalg · 6. september
    2023 · ..."."""
    parts = html.unescape(meta).split(" · ")
    municipality = parts[0].removesuffix(" Kommune")
    day = parse_danish_date(parts[2]) if len(parts) > 2 else None
    return f"{municipality} {day.isoformat() if day else '?'}"


def _upload_all(client: Client, plan: LoadPlan, start: float, deadline: float) -> list[Request]:
    """Each file in its own upload request, one after the other, as staff would."""
    from gradio_client import handle_file

    rows = []
    for number, path in enumerate(plan.uploads):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        began = time.monotonic() - start
        outcome, value, seconds, detail = _call(
            client, "/upload", ([handle_file(str(path))],), min(plan.request_timeout_s, remaining)
        )
        if outcome == "ok":
            results = _upload_results(value[0] if isinstance(value, list | tuple) else value)
            detail = "; ".join(results) or str(value)[:200]
            # Refused files, or no result table at all (a message instead).
            if not results or any(r.startswith("Ikke indlæst") for r in results):
                outcome = "error"
        row = Request("upload", -1, number, path.name, round(began, 3), seconds, outcome, detail)
        rows.append(row)
    return rows


def _upload_results(table: str) -> list[str]:
    """The result column of the upload table (ui.upload_summary, escaped HTML), one entry
    per file."""
    rows = re.findall(r"<tr><td>.*?</td><td>(.*?)</td></tr>", table, flags=re.DOTALL)
    return [html.unescape(result) for result in rows]


def _ask_about_upload(path: Path, plan: LoadPlan, start: float, deadline: float) -> Request:
    """A fresh session asks what the uploaded meeting decided; its first source must be it."""
    began = time.monotonic() - start
    try:
        meeting = parse_file(path)
    except ReferatError as error:
        return Request("check", -1, 0, path.name, round(began, 3), 0.0, "error", str(error))
    items = [i for i in meeting.items if not i.closed and not _routine(i.title)] or list(
        meeting.items
    )
    item = next((i for i in items if i.decisions), items[0] if items else None)
    if item is None:
        return Request("check", -1, 0, path.name, round(began, 3), 0.0, "error", "ingen punkter")
    question = f"Hvad besluttede {meeting.committee} i {meeting.municipality} om »{item.title}«?"
    row = Request("check", -1, 0, question, round(began, 3), 0.0, "timeout", "fristen er nået")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return row
    client = connect(plan)
    try:
        args = (question, [], *NO_FILTERS)
        outcome, value, seconds, detail = _call(
            client, "/respond", args, min(plan.request_timeout_s, remaining)
        )
    finally:
        client.close()
    row = replace(row, seconds=seconds, outcome=outcome, detail=detail)
    if outcome != "ok":
        return row
    own = Conversation(meeting.municipality, meeting.date.isoformat(), (question,))
    verdict = judge_reply(value[0], value[1], own, 0)
    checked = replace(row, **asdict(verdict))
    if verdict.outcome == "ok" and not verdict.crossed:
        return checked
    reason = verdict.detail or "; ".join(verdict.crossed) or "svaret har ingen kilde"
    return replace(checked, outcome="error", detail=f"ikke besvaret fra {path.name}: {reason}")


# Procedure items make poor questions about an uploaded meeting (as in ui.example_questions).
ROUTINE = re.compile(
    r"dagsorden|referat|meddelelser|underskrift|orientering fra|eventuelt|lukket", re.I
)


def _routine(title: str) -> bool:
    return bool(ROUTINE.search(title))


# --- the report ------------------------------------------------------------------------


def report_json(
    result: LoadResult, ui_concurrency: int | None, command: str = ""
) -> dict[str, Any]:
    plan = result.plan
    return {
        "settings": {
            "command": command,
            "url": plan.url,
            "sessions": plan.sessions,
            "turns": plan.turns,
            "uploads": [p.name for p in plan.uploads],
            "request_timeout_s": plan.request_timeout_s,
            "deadline_s": plan.deadline_s,
            "cores": os.cpu_count(),
            # As set where `referat load` ran (REFERAT_UI_CONCURRENCY); the server does not
            # publish its own, so run both with the same environment.
            "ui_concurrency": ui_concurrency,
            # Other work on the machine moves every timing: this says how busy it was.
            "load_average_1_5_15m": [round(x, 2) for x in os.getloadavg()],
            "finished": dt.datetime.now().isoformat(timespec="seconds"),
        },
        "passed": result.passed,
        "figures": result.figures(),
        "problems": result.problems(),
        "requests": [asdict(r) for r in result.requests],
    }


def write_report(report: dict[str, Any], path: Path) -> list[Path]:
    """The JSON report at `path` and a Markdown table beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    markdown = path.with_suffix(".md")
    markdown.write_text(report_markdown(report), encoding="utf-8")
    return [path, markdown]


def report_markdown(report: dict[str, Any]) -> str:
    settings, figures = report["settings"], report["figures"]
    lines = [
        "# Belastningstest af browserchatten",
        "",
        f"{settings['sessions']} samtidige sessioner x {settings['turns']} spørgsmål, "
        f"{len(settings['uploads'])} upload(s) undervejs; {settings['cores']} kerner, "
        f"ui_concurrency {settings['ui_concurrency']}; maskinens load average "
        f"{settings['load_average_1_5_15m']}; {settings['finished']}. "
        f"Bestået: {'ja' if report['passed'] else 'nej'}.",
        "",
        *([f"Kommando: `{settings['command']}`", ""] if settings["command"] else []),
        "| nøgletal | værdi |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in figures.items()]
    if report["problems"]:
        lines += ["", "## Problemer", ""] + [f"- {p}" for p in report["problems"]]
    return "\n".join(lines) + "\n"
