"""Gradio adapter: the browser chat around one shared `Assistant`.

Conversation state lives in each browser session (ChatInterface history), never here.
The answer and its sources are separate messages: the sources message carries a title so it
is shown as its own collapsible block and is never parsed back out of the answer text.
"""

from __future__ import annotations

import datetime as dt
import html
import os

from assistant.chat import Assistant, Turn
from assistant.errors import ReferatError
from assistant.types import Answer, Citation, danish_date

SOURCES_TITLE = "Kilder"
EXAMPLES = [
    "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?",
    "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?",
    "Hvad besluttede Arbejdsmarkedsudvalget i Aabenraa om indsatsen for udsatte unge?",
]


def history_turns(history: list[dict]) -> list[Turn]:
    """User questions and assistant answers from the chat, without the sources messages."""
    turns: list[Turn] = []
    for message in history:
        metadata = message.get("metadata") or {}
        content = message.get("content")
        if metadata.get("title") or not isinstance(content, str):
            continue
        turns.append({"role": message["role"], "content": content})
    return turns


def format_citation(citation: Citation) -> str:
    day = danish_date(dt.date.fromisoformat(citation.meeting_date))
    parts = [
        f"{citation.municipality} Kommune",
        citation.committee,
        day,
        f"Punkt {citation.item_number}: {citation.item_title}",
    ]
    if citation.case_number:
        parts.append(f"Sag {citation.case_number}")
    if citation.decision_status:
        parts.append(f"Status: {citation.decision_status}")
    if citation.closed:
        parts.append("Lukket punkt")
    # Document text is escaped: minutes may contain markup that must never render as HTML.
    header = html.escape(" · ".join(parts))
    quote = html.escape(citation.quote)
    return f"**[{citation.n}]** {header}\n\n> {quote}"


def answer_messages(answer: Answer) -> list[dict]:
    messages = [{"role": "assistant", "content": html.escape(answer.text, quote=False)}]
    if answer.citations:
        messages.append({
            "role": "assistant",
            "content": "\n\n".join(format_citation(c) for c in answer.citations),
            "metadata": {"title": SOURCES_TITLE},
        })  # fmt: skip
    return messages


def make_respond(assistant: Assistant):
    def respond(message: str, history: list[dict]) -> list[dict]:
        try:
            answer = assistant.ask(message, history_turns(history))
        except ReferatError as error:
            return [{"role": "assistant", "content": f"⚠️ {html.escape(str(error))}"}]
        return answer_messages(answer)

    return respond


def build_app(assistant: Assistant):
    # No analytics: set before importing gradio, which reads it at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    return gr.ChatInterface(
        make_respond(assistant),
        title="Referat",
        description="Spørg udvalgsreferaterne. Hvert svar viser, hvilket møde og punkt det "
        "kommer fra.",
        examples=EXAMPLES,
        examples_label="Eksempler",
        run_examples_on_click=True,
        chatbot=gr.Chatbot(label="Samtale", height=560, sanitize_html=True),
        textbox=gr.Textbox(
            placeholder="Skriv dit spørgsmål her ...", label="Spørgsmål", submit_btn="Spørg"
        ),
        analytics_enabled=False,
        api_name="ask",
    )
