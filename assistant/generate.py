"""Generative answers from an LLM (llama-index), kept honest by the citation guard.

The extractive answerer runs first: it orders the retrieved items by evidence and decides
whether the minutes answer the question at all. Only then is the model asked, with the items
the extractive answer cites as numbered passages, so `[n]` means the same in both. The
model's text is shown sentence by sentence as far as `assistant.guard` lets it; if nothing
cited survives, the extractive answer is shown instead, and the answer records why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant.answer import ExtractiveAnswerer
from assistant.chunk import section_lines
from assistant.config import Settings
from assistant.guard import complete_sentences, guard
from assistant.prompts import load_prompt
from assistant.types import Answer, Chunk, Citation, ItemHit, danish_date

NOT_IN_MINUTES = re.compile(r"fremgår ikke af referaterne", re.IGNORECASE)
PASSAGE_WORDS = 350  # per cited item: small local models read slowly on 2 cores


class GenerativeAnswerer:
    """Answerer protocol over a llama-index `LLM` (local GGUF or an OpenAI-compatible server)."""

    def __init__(
        self,
        settings: Settings,
        llm: LLM,
        extractive: ExtractiveAnswerer,
        item_chunks: Callable[[ItemHit], list[Chunk]],
    ) -> None:
        self._settings = settings
        self._llm = llm
        self._extractive = extractive
        self._item_chunks = item_chunks

    def answer(self, question: str, hits: Sequence[ItemHit], pinned: bool = False) -> Answer:
        answer = None
        for event in self.stream(question, hits, pinned):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # stream always ends with the Answer
        return answer

    def stream(
        self, question: str, hits: Sequence[ItemHit], pinned: bool = False
    ) -> Iterator[str | Answer]:
        """Checked sentences as they are generated, then the final Answer."""
        base = self._extractive.answer(question, hits, pinned)
        if base.abstained or not base.citations:
            yield base  # retrieval found nothing relevant: the model is not asked at all
            return
        by_item = {(hit.best.source, hit.best.item_number): hit for hit in hits}
        passages = {
            c.n: self._passage(c, by_item.get((c.source, c.item_number))) for c in base.citations
        }
        messages = [
            ChatMessage(
                role=MessageRole.SYSTEM,
                content=load_prompt(self._settings.prompts_dir, "answer_system"),
            ),
            ChatMessage(
                role=MessageRole.USER,
                content=load_prompt(self._settings.prompts_dir, "answer_user").format(
                    passages="\n\n".join(passages.values()), question=question
                ),
            ),
        ]
        buffer, shown, removed = "", [], []
        try:
            for response in self._llm.stream_chat(messages):
                buffer += response.delta or ""
                finished, buffer = complete_sentences(buffer)
                for sentence in finished:
                    result = guard(sentence, passages)
                    removed += result.removed
                    if result.text:
                        shown.append(result.text)
                        yield result.text + " "
        except Exception as error:  # server down, timeout, bad model file
            # The user still gets the quotes; the reason goes with the answer, not a trace.
            reason = f"sprogmodellen svarede ikke ({type(error).__name__}); citaterne vises"
            yield replace(base, corrections=(*removed, reason), fallback=True)
            return
        if buffer.strip():
            result = guard(buffer, passages)
            removed += result.removed
            if result.text:
                shown.append(result.text)
                yield result.text
        text = " ".join(shown).strip()
        yield self._final(question, base, text, tuple(removed))

    def _final(self, question: str, base: Answer, text: str, removed: tuple[str, ...]) -> Answer:
        if NOT_IN_MINUTES.search(text) and "[" not in text:
            # Retrieval found items with the question's words, so the quotes are worth more
            # than the model's "not in the minutes" (small models say it too readily).
            reason = "sprogmodellen fandt intet svar i uddragene; citaterne vises"
            return replace(base, corrections=(*removed, reason), fallback=True)
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        if not cited:
            # Nothing the passages support survived: the quotes themselves are the answer.
            reason = "intet understøttet svar fra sprogmodellen; citaterne vises i stedet"
            return replace(base, corrections=(*removed, reason), fallback=True)
        return Answer(
            question=question,
            text=text,
            abstained=False,
            citations=base.citations,
            corrections=removed,
        )

    def _passage(self, citation: Citation, hit: ItemHit | None) -> str:
        """The cited item for the model: header, the extractive quote first (it holds the
        question's words), then the rest of the item up to PASSAGE_WORDS words."""
        chunks = self._item_chunks(hit) if hit else []
        lines = [line for _, line in section_lines(chunks)]
        words = citation.quote.split()
        for line in lines:
            if len(words) >= PASSAGE_WORDS:
                break
            if line not in citation.quote:
                words += line.split()
        return load_prompt(self._settings.prompts_dir, "answer_passage").format(
            n=citation.n,
            municipality=citation.municipality,
            committee=citation.committee,
            date=danish_date(dt.date.fromisoformat(citation.meeting_date)),
            item_number=citation.item_number,
            item_title=citation.item_title,
            text=" ".join(words[:PASSAGE_WORDS]),
        )
