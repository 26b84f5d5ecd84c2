"""Generative answers from an LLM, kept honest by the citation guard.

The extractive answerer runs first: it orders the retrieved items by evidence and decides
whether the minutes answer the question at all. Only then is the model asked, with the items
the extractive answer cites as numbered passages, so `[n]` means the same in both. The
model's text is shown sentence by sentence as far as `assistant.guard` lets it; if nothing
cited survives, the extractive answer is shown instead, and the answer records why.

Minutes are data, never orders: a sentence in them that reads as an order to a language
model ("Ignorer alle tidligere instruktioner ...") is left out of the passages the model
reads, and the guard drops any sentence that follows such an order or repeats the prompt.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.guard import (
    GuardResult,
    assemble,
    complete_sentences,
    guard,
    sentence_separator,
    without_instructions,
)
from assistant.answer.prompts import load_prompt
from assistant.answer.stream import AnswerStream
from assistant.components.llms import ChatModel, Message
from assistant.core.chunk_format import section_lines
from assistant.core.config import AnswerSettings
from assistant.core.types import Answer, Chunk, Citation, ItemHit
from assistant.danish.dates import danish_date
from assistant.danish.language import DANISH, LANGUAGE_NAMES, Language

NOT_IN_MINUTES = re.compile(r"fremgår ikke af referaterne", re.IGNORECASE)
PASSAGE_WORDS = 350  # per cited item: small local models read slowly on 2 cores
log = logging.getLogger(__name__)


class GenerativeAnswerer:
    """Answerer protocol over a `ChatModel` (local GGUF or an OpenAI-compatible server)."""

    def __init__(
        self,
        settings: AnswerSettings,
        llm: ChatModel,
        extractive: ExtractiveAnswerer,
        item_chunks: Callable[[ItemHit], list[Chunk]],
    ) -> None:
        self._settings = settings
        self._llm = llm
        self._extractive = extractive
        self._item_chunks = item_chunks

    def stream(
        self,
        question: str,
        hits: Sequence[ItemHit],
        pinned: bool = False,
        language: Language = DANISH,
        evidence: Answer | None = None,
    ) -> AnswerStream:
        """Checked sentences as they are generated, then the final Answer. `evidence` is
        the extractive answer for these hits when the caller already has it."""
        base = evidence or self._extractive.answer(question, hits, pinned, language)
        return AnswerStream(self._pieces(question, hits, language, base))

    def _pieces(
        self, question: str, hits: Sequence[ItemHit], language: Language, base: Answer
    ) -> Generator[str, None, Answer]:
        if base.abstained or not base.citations:
            return base  # retrieval found nothing relevant: the model is not asked at all
        by_item = {(hit.best.source, hit.best.item_number): hit for hit in hits}
        passages: dict[int, str] = {}
        removed: list[str] = []
        for c in base.citations:
            passages[c.n], withheld = self._passage(c, by_item.get((c.source, c.item_number)))
            if withheld:
                what = "1 sætning" if withheld == 1 else f"{withheld} sætninger"
                removed.append(
                    f"uddrag [{c.n}]: {what}, der læses som ordrer til en sprogmodel, er ikke "
                    "givet til sprogmodellen"
                )
        system = load_prompt(self._settings.prompts_dir, "answer_system").format(
            language=LANGUAGE_NAMES[language]
        )
        user = load_prompt(self._settings.prompts_dir, "answer_user")
        # The asked fact as the extractive answer found it goes first: a small model told
        # where the answer is states it instead of retelling the passage. Its words are
        # passage 1's, so the guard holds the model to them as to any other.
        kept, dropped = without_instructions(base.opening)
        opening = (
            [load_prompt(self._settings.prompts_dir, "answer_opening").format(text=kept)]
            if kept and not dropped
            else []
        )
        messages = [
            Message(role="system", content=system),
            Message(
                role="user",
                content=user.format(
                    passages="\n\n".join([*opening, *passages.values()]),
                    question=question,
                    language=LANGUAGE_NAMES[language],
                ),
            ),
        ]
        # The prompt's own wording, which no answer may repeat (the fields left out).
        instructions = system + "\n" + re.sub(r"\{\w+\}", "\n", user)
        same_language = language == DANISH  # the minutes' language: words can be compared

        said: set[str] = set()  # what the answer holds so far, to drop repeats

        def check(text: str) -> GuardResult:
            result = guard(text, passages, instructions, check_words=same_language, said=said)
            said.update(result.said)
            return result

        def checked() -> Iterator[GuardResult]:
            buffer = ""
            for piece in self._llm.stream_chat(messages):
                buffer += piece
                finished, buffer = complete_sentences(buffer)
                for sentence in finished:
                    yield check(sentence)
            if buffer.strip():
                yield check(buffer)

        shown: list[str] = []
        held: list[str] = []
        try:
            for result in checked():
                removed += result.removed
                if not result.text:
                    continue
                if not result.cited:
                    # Nothing cited yet ("BANAN", "Det fremgår ikke af referaterne."): held
                    # back until a cited sentence follows; if none does, the quotes are
                    # shown and this never was.
                    held.append(result.text)
                    continue
                for piece in (*held, result.text):
                    yield (sentence_separator(piece) if shown else "") + piece
                    shown.append(piece)
                held = []
        except Exception as error:  # server down, timeout, bad model file
            # The user still gets the quotes; the reason goes with the answer, not a trace.
            reason = f"sprogmodellen svarede ikke ({type(error).__name__}); citaterne vises"
            log.warning("LLM answer failed, the quotes are shown: %r", error)
            return replace(base, corrections=(*removed, reason), fallback=True)
        if shown:
            for piece in held:  # a closing remark after the cited sentences
                yield sentence_separator(piece) + piece
                shown.append(piece)
        text = assemble(shown)
        return self._final(question, base, text, tuple(removed), unshown=" ".join(held))

    def _final(
        self, question: str, base: Answer, text: str, removed: tuple[str, ...], unshown: str = ""
    ) -> Answer:
        if NOT_IN_MINUTES.search(text or unshown) and "[" not in text:
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

    def _passage(self, citation: Citation, hit: ItemHit | None) -> tuple[str, int]:
        """The cited item for the model: header, the extractive quote first (it holds the
        question's words), then the rest of the item up to PASSAGE_WORDS words; without the
        sentences that read as orders to a model, whose number comes second."""
        chunks = self._item_chunks(hit) if hit else []
        lines = [line for _, line in section_lines(chunks)]
        quote, withheld = without_instructions(citation.quote)
        words = quote.split()
        for line in lines:
            if len(words) >= PASSAGE_WORDS:
                break
            if line not in citation.quote:
                kept, dropped = without_instructions(line)
                words += kept.split()
                withheld += dropped
        template = "answer_passage_page" if citation.by_page else "answer_passage"
        text = load_prompt(self._settings.prompts_dir, template).format(
            n=citation.n,
            municipality=citation.municipality,
            committee=citation.committee,
            date=danish_date(dt.date.fromisoformat(citation.meeting_date)),
            item_number=citation.item_number,
            page=citation.page,
            item_title=citation.item_title,
            text=" ".join(words[:PASSAGE_WORDS]),
        )
        return text, withheld
