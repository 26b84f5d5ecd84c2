"""Gradio adapter: the browser chat around one shared `Assistant`.

Everything a user sees belongs to their browser session (the chat, the filters, the answers
behind the source cards); the `Assistant` holds no conversation, so one process serves many
users. Text from the minutes is always HTML-escaped before it reaches the page: minutes may
contain markup, and it must never render. The user's own question is shown as typed, never
as HTML or Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import string
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI

from assistant.answer.prompts import load_prompt
from assistant.app.ui.login import guarded
from assistant.core.chunk_format import SENTENCE_END
from assistant.core.errors import (
    Busy,
    EmbedderUnavailable,
    InvalidQuestion,
    ReferatError,
    ReversedDates,
    StoreUnavailable,
)
from assistant.core.types import Answer, Chunk, Citation
from assistant.danish.dates import danish_date, parse_danish_date
from assistant.danish.language import Language, answer_language
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.conversation import Turn
from assistant.service.feedback import Feedback, FeedbackStore

log = logging.getLogger(__name__)

ALL = "Alle"


def reference(citation: Citation) -> str:
    """'Arbejdsmarkedsudvalget, Aabenraa Kommune, 2. september 2024, punkt 71'."""
    day = danish_date(dt.date.fromisoformat(citation.meeting_date))
    number = citation.item_label or citation.item_number
    return f"{citation.committee}, {citation.municipality} Kommune, {day}, punkt {number}"


UPLOAD_TYPES = [".pdf", ".html", ".htm", ".txt", ".md"]
# Item titles that make poor example questions: procedure, not content.
ROUTINE_TITLE = re.compile(
    r"dagsorden|referat|meddelelser|underskrift|orientering fra|eventuelt|lukket", re.IGNORECASE
)
MARKER = re.compile(r"\[(\d+)\]")
SET_ASIDE = re.compile(r"\0(\d+)\0")
COMMITTEE_CODE = re.compile(r"^[A-ZÆØÅ]{2,6}\s+-\s+")
WARNING = "⚠️"  # starts a chat message that reports an error instead of an answer
# What makes Markdown of plain text, escaped with a backslash (CommonMark's escape for any
# ASCII punctuation): emphasis, code, links, strike-through, LaTeX, tables, headings, and the
# e-mail, "https://" and "www." links GitHub's dialect makes by itself. Only these, so the
# dots and commas of a question stay as they are. "&", "<" and ">" become HTML entities.
INLINE_MARKUP = re.compile(r"([\\`*_\[\]~$#|@]|:(?=//)|(?<=\b[wW]{3})\.)")
# List items, quotes and underlined headings are made by a line's first character.
LINE_MARKUP = re.compile(r"^([ \t]*)([-+=]|\d+[.)])", re.MULTILINE)
ESCAPED_PUNCTUATION = re.compile(r"\\([" + re.escape(string.punctuation) + "])")
# Indentation would make a code block of a line; as entities it is plain space.
LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)

# Clicking a [n] marker opens and scrolls to its source card; the copy button copies the
# quote with its reference. One delegated listener, because Gradio re-renders the HTML.
HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='#kilde-']");
  if (link) {
    event.preventDefault();
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (card) { card.open = true; card.scrollIntoView({behavior: "smooth", block: "start"}); }
    return;
  }
  // Gradio's own copy button copies a message's Markdown source ("\\*\\*fed\\*\\*", "&lt;b&gt;");
  // copy the text the message shows instead, so a question comes back as it was typed.
  const copyMessage = event.target.closest("#chat .message-buttons button[aria-label='Kopiér " +
    "svaret'], #chat .message-buttons button[aria-label='Copy message']");
  if (copyMessage) {
    const row = copyMessage.closest(".message-buttons").previousElementSibling;
    const shown = row && row.querySelector(".message-content");
    if (shown) {
      event.preventDefault();
      event.stopPropagation();
      navigator.clipboard.writeText(shown.innerText.trim());
    }
    return;
  }
  const copy = event.target.closest("button.kopier");
  if (copy) {
    navigator.clipboard.writeText(copy.dataset.copy).then(() => {
      copy.textContent = "Kopieret";
      setTimeout(() => { copy.textContent = "Kopiér citat med henvisning"; }, 2000);
    });
  }
}, true);
// Gradio's own buttons have English labels only (it ships no Danish translation); screen
// readers and tooltips get Danish ones.
const DANISH = {"Like": "Godt svar", "Dislike": "Dårligt svar", "Clear": "Ryd",
  "Copy message": "Kopiér svaret", "Copy": "Kopiér", "Copied message": "Kopieret",
  "common.upload": "Tilføj filer", "Remove this file": "Fjern filen",
  "Click to upload or drop files": "Klik for at vælge filer, eller træk dem hertil"};
function danishLabels(root) {
  root.querySelectorAll("button[aria-label], button[title]").forEach((button) => {
    for (const attribute of ["aria-label", "title"]) {
      const value = button.getAttribute(attribute);
      // The chat's Clear empties the conversation; the file list's Clear only the files.
      const danish = value === "Clear" && button.closest("#chat") ? "Ryd samtalen" : DANISH[value];
      if (danish) button.setAttribute(attribute, danish);
    }
  });
}
// Gradio refuses a file over the size limit in the browser with an English toast; it is
// reworded in Danish with the limit as the page states it (the meta tag launch() adds). The
// file name is set as text, never as markup.
const TOO_BIG = /^File\\(s\\) exceed the maximum allowed size of [^:]*: ([\\s\\S]*)$/;
function danishErrors(root) {
  const limit = document.querySelector("meta[name='referat-upload-max']")?.content || "";
  root.querySelectorAll("[data-testid='toast-text']").forEach((text) => {
    const found = text.textContent.trim().match(TOO_BIG);
    if (found) {
      text.textContent = `${found[1]} fylder for meget: højst ${limit} pr. fil kan indlæses.`;
    }
  });
  root.querySelectorAll(".toast-title, #upload .error").forEach((title) => {
    for (const node of title.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() === "Error") {
        node.textContent = "Fejl ";
      }
    }
  });
}
new MutationObserver(() => { danishLabels(document); danishErrors(document); }).observe(
  document.documentElement, {subtree: true, childList: true, characterData: true});
</script>
"""
CSS = """
#kilder { max-height: 75vh; overflow-y: auto !important; height: auto; }
.kilde { border: 1px solid var(--border-color-primary); border-radius: 8px;
         padding: 0.5rem 0.75rem; margin-bottom: 0.6rem; }
.kilde > summary { cursor: pointer; line-height: 1.4; }
.kilde .meta { color: var(--body-text-color); }
.kilde blockquote { border-left: 4px solid var(--color-accent); margin: 0.5rem 0;
                    padding: 0.25rem 0.75rem; color: var(--body-text-color); }
.kilde mark { background: #ffe58a; color: #000; }
.kilde h4 { margin: 0.6rem 0 0.2rem; }
.kilde p { margin: 0.2rem 0; }
button.kopier { margin: 0.25rem 0; padding: 0.2rem 0.6rem; border-radius: 6px;
                border: 1px solid var(--border-color-primary); cursor: pointer; }
.tur { font-weight: 600; margin: 0.8rem 0 0.3rem; }
"""


# --- pure helpers (tested without a browser) --------------------------------------------


def literal(text: str) -> str:
    """`text` as Markdown that shows exactly these characters: a question such as
    "<b>fed</b> **fed**" appears as typed, neither bold nor as an element. `typed` undoes it."""
    escaped = INLINE_MARKUP.sub(r"\\\1", text)
    escaped = LINE_MARKUP.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}", escaped)
    escaped = html.escape(escaped, quote=False)
    return LEADING_SPACE.sub(
        lambda m: m.group().replace(" ", "&#32;").replace("\t", "&#9;"), escaped
    )


def typed(shown: str) -> str:
    """The text `literal` was given: entities back to characters, then the backslashes go.
    One pass each, so a user's own "&lt;" or backslash comes back as they typed it."""
    return ESCAPED_PUNCTUATION.sub(r"\1", html.unescape(shown))


def history_turns(history: list[dict]) -> list[Turn]:
    """User questions and assistant answers from the chat, as the Assistant takes them. A
    question that was refused (answered with an error) is no part of the conversation: a
    follow-up must not carry it (a too long question would slip past the limit that way).
    The chat shows each question through `literal`; the conversation holds what was typed."""
    turns: list[Turn] = []
    for message in history:
        content = message.get("content")
        if isinstance(content, list):  # Gradio may hand back [{"type": "text", "text": ...}]
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
        if not isinstance(content, str) or message.get("role") not in ("user", "assistant"):
            continue
        if message["role"] == "assistant" and content.startswith(WARNING):
            if turns and turns[-1]["role"] == "user":
                turns.pop()
            continue
        if message["role"] == "user":
            content = typed(content)
        turns.append({"role": message["role"], "content": content})
    return turns


def card_id(turn: int, n: int) -> str:
    return f"kilde-{turn}-{n}"


def linked_markers(text: str, turn: int) -> str:
    """The answer as Markdown with each [n] a link to its source card. Everything else is
    shown as written: quotes from the minutes may hold markup or Markdown ("[her](http://...)",
    "*"), and an uploaded file must not put a link or an element into the chat."""
    # The markers are set aside as NUL-delimited numbers, which `literal` leaves alone, so
    # that it sees the lines whole (line starts decide what Markdown a line could become).
    marked = MARKER.sub(lambda m: f"\0{m.group(1)}\0", text.replace("\0", ""))
    return SET_ASIDE.sub(
        lambda m: f"[\\[{m.group(1)}\\]](#{card_id(turn, int(m.group(1)))})", literal(marked)
    )


def citation_header(citation: Citation) -> str:
    day = danish_date(dt.date.fromisoformat(citation.meeting_date))
    parts = [f"{citation.municipality} Kommune", citation.committee, day]
    if citation.case_number:
        parts.append(f"Sag {citation.case_number}")
    if citation.decision_status:
        parts.append(f"Status: {citation.decision_status}")
    if citation.closed:
        parts.append("Lukket punkt")
    return " · ".join(parts)


def copy_text(citation: Citation) -> str:
    """What the copy button puts on the clipboard: the quote and where it is printed."""
    return f"»{citation.quote}« ({reference(citation)})"


def highlighted(text: str, quote_sentences: list[str]) -> str:
    """`text` escaped, with every quoted sentence in it marked."""
    spans = []
    for sentence in quote_sentences:
        start = text.find(sentence)
        if sentence and start >= 0:
            spans.append((start, start + len(sentence)))
    spans.sort()
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue  # overlapping quotes: the first one marks the text
        out += [html.escape(text[position:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def source_card(citation: Citation, turn: int, sections: list[tuple[str, str]]) -> str:
    """One citation as an openable card: header, quote, copy button, the whole item with the
    quoted sentences highlighted."""
    quote_sentences = [s.strip() for s in SENTENCE_END.split(citation.quote) if s.strip()]
    title = f"Punkt {citation.item_label or citation.item_number}: {citation.item_title}"
    body, current = [], None
    for section, paragraph in sections:
        if section != current:
            body.append(f"<h4>{html.escape(section)}</h4>")
            current = section
        body.append(f"<p>{highlighted(paragraph, quote_sentences)}</p>")
    whole = "".join(body) or "<p>Punktets tekst findes ikke længere i indekset.</p>"
    return (
        f'<details class="kilde" id="{card_id(turn, citation.n)}">'
        f'<summary aria-label="Kilde {citation.n}: {html.escape(title)}">'
        f"<strong>[{citation.n}] {html.escape(title)}</strong><br>"
        f'<span class="meta">{html.escape(citation_header(citation))}</span></summary>'
        f"<blockquote>{html.escape(citation.quote)}</blockquote>"
        f'<button type="button" class="kopier" data-copy="{html.escape(copy_text(citation))}" '
        f'aria-label="Kopiér citat {citation.n} med henvisning">Kopiér citat med henvisning'
        "</button>"
        f'<details class="helt-punkt"><summary>Vis hele punktet</summary>{whole}</details>'
        "</details>"
    )


def sources_panel(cards_by_turn: list[tuple[str, str]]) -> str:
    """Every answer's cards, newest answer first, each under its question."""
    if not cards_by_turn:
        return '<p class="tom">Kilderne til svaret vises her.</p>'
    parts = []
    for question, cards in reversed(cards_by_turn):
        parts.append(f'<div class="tur">Kilder til: {html.escape(question)}</div>{cards}')
    return "".join(parts)


def example_questions(chunks: list[Chunk], count: int = 4) -> list[str]:
    """Questions about items that are actually indexed: the newest meeting of each
    municipality, an item with a decision and a plain title."""
    newest: dict[str, Chunk] = {}
    for chunk in chunks:
        if chunk.closed or ROUTINE_TITLE.search(chunk.item_title) or len(chunk.item_title) > 70:
            continue
        if "Beslutning" not in chunk.sections.split(","):
            continue
        best = newest.get(chunk.municipality)
        if best is None or (chunk.meeting_date, -chunk.item_number) > (
            best.meeting_date,
            -best.item_number,
        ):
            newest[chunk.municipality] = chunk
    picked = sorted(newest.values(), key=lambda c: c.meeting_date, reverse=True)[:count]
    return [
        f"Hvad besluttede {c.committee} i {c.municipality} om »{_plain_title(c)}«?" for c in picked
    ]


def _plain_title(chunk: Chunk) -> str:
    """The title without the committee's code or name in front ("JAI - Implementering ...")."""
    title = chunk.item_title.removeprefix(chunk.committee).strip(" -:")
    return COMMITTEE_CODE.sub("", title)


def parse_filters(kommune: str | None, udvalg: str | None, fra: str, til: str) -> SearchFilter:
    """The filter fields as a SearchFilter; a date that cannot be read is an error to show."""

    def day(text: str, label: str) -> dt.date | None:
        if not text or not text.strip():
            return None
        parsed = parse_danish_date(text)
        if parsed is None:
            raise InvalidQuestion(
                f"{label}-datoen '{text}' kan ikke læses. Skriv fx 2023-08-01 eller 1. august 2023."
            )
        return parsed

    start, end = day(fra, "Fra"), day(til, "Til")
    if start and end and start > end:
        raise ReversedDates()
    return SearchFilter(
        municipality=None if kommune in (None, "", ALL) else kommune,
        committee=None if udvalg in (None, "", ALL) else udvalg,
        date_from=start,
        date_to=end,
    )


def upload_summary(rows: list[tuple[str, str]], note: str = "") -> str:
    """The upload result as an HTML table of plain text: file names and reasons come from
    the files (a title in a refused file's table of contents is quoted in its reason), so
    every cell is escaped and nothing is read as Markdown. `note` is the line under it."""
    body = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(result)}</td></tr>"
        for name, result in rows
    )
    table = (
        '<table class="upload-tabel"><thead><tr><th>Fil</th><th>Resultat</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
        if rows
        else ""
    )
    return table + (f'<p class="upload-note">{html.escape(note)}</p>' if note else "")


def megabytes(size: int) -> str:
    """'31,46 MB', '20 MB', '0,05 MB' (10^6 bytes, Danish decimal comma)."""
    return f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


@dataclass
class UploadRun:
    """One session's upload in progress: the files done so far and a stop request. `lock`
    is held while a file is checked for the stop request and ingested, so a stop takes
    effect between files, never inside one: every meeting is stored whole or not at all."""

    names: list[str]
    rows: list[tuple[str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stopped_summary(self) -> str:
        # Files are read in order: the ones after the last row were not started.
        rest = [(name, "Ikke indlæst: stoppet før filen") for name in self.names[len(self.rows) :]]
        stored = sum(1 for _, result in self.rows if not result.startswith(NOT_STORED))
        note = (
            f"Indlæsningen er stoppet. {stored} af {len(self.names)} filer er gemt; "
            "de gemte møder er søgbare, resten er ikke gemt."
        )
        return upload_summary([*self.rows, *rest], note)


NOT_STORED = ("Ikke indlæst", "Allerede indlæst")


# --- the app ----------------------------------------------------------------------------


class ChatApp:
    """The handlers behind the page. Session data travels in Gradio state; this object only
    holds what all sessions share: the Assistant, the feedback store, the slots."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore | None = None) -> None:
        self.assistant = assistant
        self.settings = assistant.settings.ui  # the chat sees its own section only
        self.feedback = feedback or FeedbackStore(self.settings.feedback_db)
        # Answering slots shared by all sessions; a question that finds none free within
        # ui_busy_wait_s is told the assistant is busy instead of waiting without end.
        self.slots = threading.BoundedSemaphore(self.settings.ui_concurrency)
        self._examples: tuple[object, list[dict]] = (None, [])
        # One writer: a file from a second upload waits for the file being ingested instead
        # of racing it in Chroma.
        self._upload_lock = threading.Lock()
        # Each session's running upload, so that its stop button finds it.
        self._uploads: dict[str, UploadRun] = {}

    # answers -------------------------------------------------------------------------

    def respond(
        self,
        message: str,
        chat: list[dict],
        answers: list[dict],
        kommune: str | None,
        udvalg: str | None,
        fra: str,
        til: str,
    ) -> Iterator[tuple[list[dict], list[dict], str, str]]:
        """Stream the answer into the chat; the source cards follow with the full answer."""
        history = history_turns(chat)
        # A blank question gets its message without an empty bubble above it.
        asked = [{"role": "user", "content": literal(message)}] if message.strip() else []
        chat = [*chat, *asked]
        panel = self._panel(answers)

        def refused(error: ReferatError) -> tuple[list[dict], list[dict], str, str]:
            # Worded in the user's language, as the answers are; the question stays in the
            # box, to correct it.
            said = error.message(self.settings.prompts_dir, answer_language(message, history))
            chat.append({"role": "assistant", "content": f"{WARNING} {literal(said)}"})
            return chat, answers, panel, message

        try:
            # Checked and its language picked once, here; the answer path trusts both.
            question = self.assistant.prepare(message, history)
        except ReferatError as error:
            yield refused(error)
            return
        language = question.language
        searching = {"role": "assistant", "content": self._prompt("searching", language)}
        yield [*chat, searching], answers, panel, ""
        turn = len(answers)
        written = ""
        try:
            filters = parse_filters(kommune, udvalg, fra, til)
            if not self.slots.acquire(timeout=self.settings.ui_busy_wait_s):
                raise Busy()
            try:
                stream = self.assistant.ask_stream(question, filters=filters)
                for piece in stream:
                    # Sentence by sentence, so a ready-made extractive answer also appears
                    # in reading order, as a generated one does.
                    for sentence in SENTENCE_END.split(piece):
                        written = f"{written} {sentence}".strip()
                        partial = {"role": "assistant", "content": linked_markers(written, turn)}
                        yield [*chat, partial], answers, panel, ""
                answer = stream.answer()
            finally:
                self.slots.release()
        except ReferatError as error:
            # The operator's line; the user gets the message in the chat.
            if isinstance(error, StoreUnavailable):
                log.warning("Spørgsmål ikke besvaret, indekset kan ikke nås: %s", error)
            elif isinstance(error, EmbedderUnavailable):
                log.warning("Spørgsmål ikke besvaret, embeddingserveren kan ikke nås: %s", error)
            yield refused(error)
            return
        record = self._record(message, chat[:-1], answer, turn) | {"message": len(chat)}
        answers = [*answers, record]
        content = self._answer_markdown(answer, turn, language)
        chat.append({"role": "assistant", "content": content})
        yield chat, answers, self._panel(answers), ""

    def _prompt(self, name: str, language: Language) -> str:
        return load_prompt(self.settings.prompts_dir, name, language)

    def _answer_markdown(self, answer: Answer, turn: int, language: Language) -> str:
        text = linked_markers(answer.text, turn)
        if answer.scope:
            scope = self._prompt("scope", language).format(scope=literal(answer.scope))
            text = f"*{scope}*\n\n{text}"
        return text

    def _record(self, question: str, chat: list[dict], answer: Answer, turn: int) -> dict:
        """What the session keeps per answer: enough to redraw its cards and to store
        feedback on it."""
        cards = "".join(
            source_card(c, turn, self.assistant.item_sections(c)) for c in answer.citations
        )
        return {
            "question": question,
            "history": history_turns(chat),
            "answer": answer.text,
            "abstained": answer.abstained,
            "citations": [asdict(c) for c in answer.citations],
            "cards": cards,
            "feedback_id": None,
        }

    @staticmethod
    def _panel(answers: list[dict]) -> str:
        return sources_panel([(a["question"], a["cards"]) for a in answers if a["cards"]])

    def new_conversation(self) -> tuple[list, list, str, str, str]:
        return [], [], sources_panel([]), "", ""

    # feedback ------------------------------------------------------------------------

    def rate(self, answers: list[dict], data: gr.LikeData) -> tuple[list[dict], str]:
        """A thumb on an answer, found by the chat message it is shown in (error messages
        are in the chat too, but have no answer to rate)."""
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        numbers = [k for k, a in enumerate(answers) if a.get("message") == int(index)]
        if not numbers:
            return answers, "Kun svar kan vurderes."
        number = numbers[0]
        liked = data.liked if isinstance(data.liked, bool) else data.value == "Like"
        rating = "up" if liked else "down"
        record = dict(answers[number])
        try:
            if record["feedback_id"] is None:
                record["feedback_id"] = self.feedback.record(
                    Feedback(
                        question=record["question"],
                        history=tuple(record["history"]),
                        answer=record["answer"],
                        citations=tuple(record["citations"]),
                        abstained=record["abstained"],
                        rating=rating,
                    )
                )
            else:
                self.feedback.set_rating(record["feedback_id"], rating)
        except ReferatError as error:
            return answers, f"⚠️ {error}"
        answers = [*answers[:number], record, *answers[number + 1 :]]
        thanks = (
            "Tak! Svaret er markeret som godt." if liked else "Tak! Svaret er markeret som dårligt."
        )
        return answers, f"{thanks} Skriv gerne en kommentar."

    def comment(self, answers: list[dict], text: str) -> tuple[str, str]:
        rated = [a for a in answers if a["feedback_id"] is not None]
        if not rated:
            return text, "Giv først svaret en tommel op eller ned."
        if not text.strip():
            return text, "Skriv en kommentar først."
        try:
            self.feedback.add_comment(rated[-1]["feedback_id"], text.strip())
        except ReferatError as error:
            return text, f"⚠️ {error}"
        return "", "Tak for kommentaren."

    # index: filters, examples, upload --------------------------------------------------

    def choices(self) -> tuple[list[str], list[str]]:
        vocabulary = self.assistant.vocabulary()
        return [ALL, *sorted(vocabulary.municipalities)], [ALL, *sorted(vocabulary.committees)]

    def examples(self) -> list[dict]:
        """Example questions for the index as it is now. Every page load asks for them, so
        they are worked out once per index state (a refresh makes a new vocabulary object)
        instead of scanning every chunk per visitor."""
        vocabulary = self.assistant.vocabulary()
        cached_for, examples = self._examples
        if cached_for is not vocabulary:
            chunks = self.assistant.chunks()
            examples = [{"text": question} for question in example_questions(chunks)]
            self._examples = (vocabulary, examples)
        return examples

    def upload(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008  (Gradio's way to report progress)
    ) -> Iterator[tuple[str, Any, Any, Any]]:
        """Ingest the files one by one, showing which one is being read. A stop request
        (`stop_upload`) ends it between two files; each file is stored whole or not at all."""
        unchanged = gr.update()
        if not files:
            yield "Vælg en eller flere filer først.", unchanged, unchanged, unchanged
            return
        paths = [Path(name) for name in files]
        run = UploadRun(names=[path.name for path in paths])
        self._uploads[request.session_hash or ""] = run
        for number, path in enumerate(paths, start=1):
            if run.stop.is_set():  # no "Indlæser" line for a file that will not be read
                break
            doing = f"Indlæser {path.name} (fil {number} af {len(paths)}) …"
            progress((number - 1, len(paths)), desc=doing)
            yield upload_summary(run.rows, doing), unchanged, unchanged, unchanged
            # No lock is held across a yield: a generator abandoned there (the browser
            # closed) would hold it for good and stop every later upload.
            with run.lock, self._upload_lock:
                if run.stop.is_set():
                    break
                run.rows.append((path.name, self._ingest_one(path)))
        if run.stop.is_set():
            yield (run.stopped_summary(), *self.refreshed())
            return
        self._uploads.pop(request.session_hash or "", None)
        stored = any(not result.startswith(NOT_STORED) for _, result in run.rows)
        # Nothing stored, nothing new to offer (and no second word about a store that is down).
        page = self.refreshed() if stored else (unchanged, unchanged, unchanged)
        yield (upload_summary(run.rows), *page)

    def stop_upload(self, request: gr.Request) -> tuple[str, Any, Any, Any]:
        """Stop this session's upload after the file being read, and say what was stored.
        Waits for that file: until it is stored (or refused) nobody can say which it was."""
        run = self._uploads.pop(request.session_hash or "", None)
        if run is None:
            return "Ingen indlæsning at stoppe.", gr.update(), gr.update(), gr.update()
        run.stop.set()
        with run.lock:  # the file being ingested, if any, is done once this is free
            summary = run.stopped_summary()
        return (summary, *self.refreshed())

    def refreshed(self) -> tuple[Any, Any, Any]:
        """Filter choices and examples as the index is now: a page opened after an upload
        (by anyone) offers the new minutes too. An index that cannot be reached leaves the
        page as it is and says why."""
        try:
            municipalities, committees = self.choices()
            examples = self.examples()
        except StoreUnavailable as error:
            log.warning("Indekset kan ikke nås: %s", error)
            gr.Warning(error.message(self.settings.prompts_dir))
            return gr.update(), gr.update(), gr.update()
        return (
            gr.update(choices=municipalities),
            gr.update(choices=committees),
            gr.update(examples=examples),
        )

    def _ingest_one(self, path: Path) -> str:
        """What became of the file, worded for the result table."""
        size, limit = path.stat().st_size, int(self.settings.upload_max_mb * 1_000_000)
        if size > limit:  # Gradio refuses these at upload; an API caller may get this far
            return (
                f"Ikke indlæst: filen fylder {megabytes(size)}; "
                f"højst {megabytes(limit)} kan indlæses."
            )
        try:
            source, report = self.assistant.ingest_upload(path, path.name)
        except StoreUnavailable as error:
            log.warning("Upload af %s: indekset kan ikke nås: %s", path.name, error)
            return f"Ikke indlæst: {error.message(self.settings.prompts_dir)}"
        except ReferatError as error:
            return f"Ikke indlæst: {error}"
        if report.skipped:
            return "Ikke indlæst: " + "; ".join(reason for _, reason in report.skipped)
        if report.unchanged:
            return f"Allerede indlæst: samme indhold er gemt som {source}."
        result = f"{report.meetings} møde, {report.items} punkter"
        if source != path.name:
            result += f", gemt som {source} (en anden fil hedder {path.name})"
        warnings = "; ".join(warning for _, warning in report.warnings)
        return f"{result} (bemærk: {warnings})" if warnings else result


def pick_example(data: gr.SelectData) -> str:
    return data.value["text"]


def build_app(assistant: Assistant) -> gr.Blocks:
    app = ChatApp(assistant)
    municipalities, committees = app.choices()
    with gr.Blocks(title="Referat", analytics_enabled=False) as demo:
        answers = gr.State([])
        gr.Markdown(
            "# Referat\nSpørg udvalgsreferaterne. Hvert svar viser, hvilket møde og punkt det "
            "kommer fra; klik på [1], [2] … for at åbne kilden."
        )
        with gr.Accordion("Afgræns søgningen", open=False), gr.Row():
            kommune = gr.Dropdown(
                municipalities, value=ALL, label="Kommune", elem_id="filter-kommune"
            )
            udvalg = gr.Dropdown(committees, value=ALL, label="Udvalg", elem_id="filter-udvalg")
            fra = gr.Textbox(label="Fra dato", placeholder="fx 2023-08-01", elem_id="filter-fra")
            til = gr.Textbox(label="Til dato", placeholder="fx 2023-12-31", elem_id="filter-til")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(
                    label="Samtale",
                    elem_id="chat",
                    height=520,
                    sanitize_html=True,
                    examples=app.examples(),
                    placeholder="**Stil et spørgsmål om referaterne**, eller vælg et eksempel.",
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                question = gr.Textbox(
                    label="Dit spørgsmål",
                    placeholder="Skriv dit spørgsmål her og tryk Enter …",
                    elem_id="question",
                    max_lines=6,
                )
                with gr.Row():
                    ask = gr.Button("Spørg", variant="primary", elem_id="ask")
                    new_chat = gr.Button("Ny samtale", elem_id="new-chat")
                with gr.Row():
                    comment = gr.Textbox(
                        label="Kommentar til det vurderede svar (valgfri)",
                        elem_id="feedback-comment",
                        scale=4,
                    )
                    send_comment = gr.Button("Send kommentar", elem_id="feedback-send", scale=1)
                feedback_status = gr.Markdown(elem_id="feedback-status")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Kilder")
                sources = gr.HTML(sources_panel([]), elem_id="kilder")
        if app.settings.upload_enabled:
            limit = megabytes(int(app.settings.upload_max_mb * 1_000_000))
            with gr.Accordion("Tilføj referater (PDF, HTML, TXT)", open=False):
                files = gr.File(
                    label=f"Referatfiler (højst {limit} pr. fil)",
                    file_count="multiple",
                    file_types=UPLOAD_TYPES,
                    elem_id="upload",
                )
                with gr.Row():
                    load = gr.Button("Indlæs filer", elem_id="upload-button")
                    stop = gr.Button("Stop indlæsningen", elem_id="upload-stop")
                # HTML that upload_summary builds with every cell escaped: text from the
                # files never becomes Markdown or an element.
                upload_result = gr.HTML(elem_id="upload-result")
            upload_outputs = [upload_result, kommune, udvalg, chatbot]
            load.click(
                app.upload,
                inputs=[files],
                outputs=upload_outputs,
                # Not one upload at a time here: the files themselves wait for one another
                # (ChatApp._upload_lock), and an upload waiting in Gradio's queue instead
                # would have no run for its stop button to find.
                api_name="upload",
            )
            # The stop is a flag the upload reads between two files, not Gradio's cancel:
            # a cancelled upload's last progress line could reach the page after the stop's
            # summary and stay there. Both now end on the same summary, in either order.
            stop.click(app.stop_upload, None, upload_outputs, api_name="stop_upload")

        inputs = [question, chatbot, answers, kommune, udvalg, fra, til]
        outputs = [chatbot, answers, sources, question]
        # Stable endpoint names: `referat load` drives the chat through "respond", the very
        # event Enter triggers, and uploads through "upload".
        question.submit(app.respond, inputs, outputs, api_name="respond")
        ask.click(app.respond, inputs, outputs, api_name="ask")

        chatbot.example_select(pick_example, None, question, queue=False).then(
            app.respond, inputs, outputs
        )
        reset = [chatbot, answers, sources, question, feedback_status]
        new_chat.click(app.new_conversation, None, reset)
        chatbot.clear(app.new_conversation, None, reset)
        chatbot.like(app.rate, [answers], [answers, feedback_status])
        demo.load(app.refreshed, None, [kommune, udvalg, chatbot])
        send_comment.click(app.comment, [answers, comment], [comment, feedback_status])
    demo.queue(default_concurrency_limit=2 * app.settings.ui_concurrency, max_size=200)
    return demo


def launch(assistant: Assistant, host: str, port: int) -> None:
    """Serve the chat with uvicorn, behind the login gate when a login is set
    (assistant/app/ui/login.py)."""
    settings = assistant.settings.ui
    limit = megabytes(int(settings.upload_max_mb * 1_000_000))
    if settings.ui_username:
        app, sessions = guarded(settings)
        auth_dependency = sessions.user
    else:
        app, auth_dependency = FastAPI(docs_url=None, redoc_url=None, openapi_url=None), None
    gr.mount_gradio_app(
        app,
        build_app(assistant),
        path="/",
        server_name=host,
        server_port=port,
        head=HEAD + f'<meta name="referat-upload-max" content="{html.escape(limit)}">',
        css=CSS,
        # Gradio refuses a larger file while it is sent, before anything is stored.
        max_file_size=int(settings.upload_max_mb * 1_000_000),
        footer_links=[],
        auth_dependency=auth_dependency,
    )
    print(f"Referat kører på http://{host}:{port}/", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
