"""The assistant as one object: ingest minutes, answer a question in a conversation.

The CLI, the browser UI and the evaluation all call this; none of them holds pipeline logic.
Conversation state (history) is passed in by the caller and never stored here, so one
`Assistant` serves many users at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.answer.extractive import Answerer, ExtractiveAnswerer
from assistant.answer.prompts import load_prompt
from assistant.answer.stream import AnswerStream
from assistant.answer.timeline import timeline_answer
from assistant.components.chroma_store import ChunkStore
from assistant.components.embedders import Embedder
from assistant.components.llms import ChatModel
from assistant.core.chunk_format import SECTION_HEADINGS, section_lines
from assistant.core.config import Settings
from assistant.core.errors import (
    EmptyQuestion,
    IndexNotBuilt,
    QuestionTooLong,
    UnknownCase,
    UnknownName,
)
from assistant.core.types import (
    Answer,
    Chunk,
    Citation,
    IngestReport,
    ItemHit,
    Treatment,
)
from assistant.danish.case_numbers import normalise_case_number
from assistant.danish.language import DANISH, Language, answer_language
from assistant.danish.municipalities import municipality_in_question
from assistant.danish.text import terms
from assistant.ingest.pipeline import ingest_paths
from assistant.search.filters import (
    IndexVocabulary,
    SearchFilter,
    committee_in_question,
    filters_in_question,
)
from assistant.search.hybrid import HybridRetriever, Mode
from assistant.search.timeline import STATUS_QUESTION, case_timeline
from assistant.service.conversation import (
    MAX_HISTORY_TURNS,
    Turn,
    leans,
    standalone_question,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retrieval:
    """What the search found for one question: the query it ran (a follow-up carries the
    previous question), the filters that held, the items best first, and a note when the
    question's own filters had to be relaxed."""

    query: str
    where: SearchFilter
    hits: tuple[ItemHit, ...]
    note: str = ""
    # The extractive answer for these hits when the search already checked the evidence
    # with it (the conversation's municipality), so the answerer does not compute it again.
    evidence: Answer | None = None


@dataclass(frozen=True)
class PreparedQuestion:
    """A question as the answer path takes it: checked once (stripped, not empty, not too
    long) and with its answer language picked once, from the user's own words and the
    conversation. The steps after `Assistant.prepare` trust it instead of checking again."""

    text: str
    history: tuple[Turn, ...]
    language: Language


def _known_name(
    name: str | None,
    known: frozenset[str],
    find: Callable[[str, frozenset[str]], str | None],
    kind: str,
) -> str | None:
    """`name` as the index spells it, or UnknownName listing the names it holds."""
    if name is None:
        return None
    found = find(name, known)
    if found is None:
        raise UnknownName(kind, name, sorted(known))
    return found


class Assistant:
    """The use cases over the built components (see `wiring.build_assistant`, which is how
    an assistant is made): ingest, search, answer, follow a case, and what the adapters
    show about the index."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder,
        store: ChunkStore,
        retriever: HybridRetriever,
        extractive: ExtractiveAnswerer,
        answerer: Answerer,
        llm: ChatModel | None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.retriever = retriever
        self.extractive = extractive
        self.answerer = answerer
        self.llm = llm

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        municipality: str | None = None,
        on_file: Callable[[Path], None] | None = None,
        on_written: Callable[[list[str]], None] | None = None,
    ) -> IngestReport:
        report = ingest_paths(
            paths,
            self.store,
            self.settings.ingest,
            municipality=municipality,
            on_file=on_file,
            on_written=on_written,
        )
        self.retriever.refresh()
        return report

    def upload_source(self, path: Path, name: str) -> str:
        """The source name an uploaded file is stored under: its own `name`, unless a
        different file already holds that name, then "referat (2).txt", "referat (3).txt" ...
        Two uploads called referat.txt with different content are two sources (the second
        must not replace the first, which is another meeting as far as anyone can tell); the
        same content under the same name gets the name it already has, so ingest sees it as
        unchanged. The name stays readable, since citations and reports show it."""
        # The fingerprint ingest stores with a file read without a municipality override
        # (ingest/pipeline.py): equal means "already indexed".
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        stem, suffix = Path(name).stem, Path(name).suffix
        for number in range(1, 10_000):
            candidate = name if number == 1 else f"{stem} ({number}){suffix}"
            stored = self.store.file_sha(candidate)
            if stored is None and not self.store.holds_source(candidate):
                return candidate
            if stored == sha:
                return candidate
        raise ValueError(f"no free source name for {name}")  # 10,000 uploads of one name

    def ingest_upload(self, path: Path, name: str) -> tuple[str, IngestReport]:
        """Ingest one uploaded file as the source `upload_source` names (the browser's
        upload); returns that name with the report."""
        source = self.upload_source(path, name)
        # Ingest names a file given on its own by its file name; the upload's temporary
        # path has the browser's name, so it is linked (or copied) under the source name.
        with tempfile.TemporaryDirectory(prefix="referat-upload-") as folder:
            named = Path(folder) / source
            try:
                named.hardlink_to(path)
            except OSError:
                shutil.copyfile(path, named)
            return source, self.ingest([named])

    def check_question(self, question: str) -> str:
        question = question.strip()
        if not question:
            raise EmptyQuestion()
        if len(question) > self.settings.max_question_chars:
            raise QuestionTooLong(len(question), self.settings.max_question_chars)
        return question

    def case_timeline(
        self, case_number: str, filters: SearchFilter | None = None
    ) -> list[Treatment]:
        """Every treatment of a case in the index, newest first; the number may be written
        in any of the usual ways ("23/7010", "23-007010"). `filters` narrow it, e.g. to one
        municipality when two systems use the same number."""
        key = normalise_case_number(case_number)
        where = replace(self.resolve_filters(filters or SearchFilter()), case_key=key)
        treatments = case_timeline(self.retriever.chunks_matching(where))
        if not treatments:
            raise UnknownCase(case_number)
        return treatments

    def resolve_filters(self, filters: SearchFilter) -> SearchFilter:
        """Explicit names as the index spells them ("vejle" -> "Vejle", "naestved" ->
        "Næstved"); a name the index does not hold is an error, not an empty result."""
        vocabulary = self.retriever.vocabulary
        municipality = _known_name(
            filters.municipality,
            vocabulary.municipalities,
            municipality_in_question,
            "municipality",
        )
        committee = _known_name(
            filters.committee, vocabulary.committees, committee_in_question, "committee"
        )
        section = filters.section
        if section is not None:
            section = SECTION_HEADINGS.get(section.strip().lower().rstrip(":"))
            if section is None:
                known = sorted(set(SECTION_HEADINGS.values()))
                raise UnknownName("section", filters.section, known)
        case_key = normalise_case_number(filters.case_key) if filters.case_key else None
        return replace(
            filters,
            municipality=municipality,
            committee=committee,
            section=section,
            case_key=case_key,
        )

    def filters_in_question(self, question: str) -> SearchFilter:
        """Filters the question itself sets: municipality, committee, dates, case, item."""
        return filters_in_question(question, self.retriever.vocabulary)

    def retrieve(
        self,
        question: str,
        history: Sequence[Turn] = (),
        mode: Mode = "hybrid",
        filters: SearchFilter | None = None,
        *,
        read_filters: bool = True,
    ) -> Retrieval:
        """The agenda items for `question`, best first, before any answer is written.

        `filters` are the user's explicit choices (CLI flags, the UI's filter fields) and
        always hold. Filters read from the question (`read_filters`) narrow the search too;
        if they leave nothing, the search runs without them and `note` says so. The
        evaluation's retrieval-only mode and benchmark call this directly."""
        question = self.check_question(question)
        query, explicit, where = self._plan(question, history, filters, read_filters)
        return self._search_in_conversation(query, history, mode, explicit, where, read_filters)

    def _plan(
        self,
        question: str,
        history: Sequence[Turn],
        filters: SearchFilter | None,
        read_filters: bool = True,
    ) -> tuple[str, SearchFilter, SearchFilter]:
        """The query to search with, the user's explicit filters, and the filters that hold.
        `question` is already checked (`check_question`)."""
        if self.retriever.chunk_count == 0:
            raise IndexNotBuilt(self.settings.chroma_host or self.settings.index_dir)
        query = standalone_question(question, history)
        explicit = self.resolve_filters(filters or SearchFilter())
        if not read_filters:
            return query, explicit, explicit
        return query, explicit, explicit.merged_over(self.filters_in_question(query))

    def _conversation_municipality(
        self, history: Sequence[Turn], where: SearchFilter
    ) -> str | None:
        """The municipality the conversation is about, for a question that names none: the
        newest user turn naming one. "Fortæl om IPS-projektet i Mariagerfjord" followed by
        "Hvornår godkendte byrådet strategien?" means Mariagerfjord's council, although the
        second question does not point back. A case number identifies its matter better than
        the conversation does, so it is not narrowed."""
        if where.municipality is not None or where.case_key is not None:
            return None
        for turn in reversed(history[-MAX_HISTORY_TURNS:]):
            if turn["role"] == "user":
                named = self.filters_in_question(turn["content"]).municipality
                if named is not None:
                    return named
        return None

    def _search_in_conversation(
        self,
        query: str,
        history: Sequence[Turn],
        mode: Mode,
        explicit: SearchFilter,
        where: SearchFilter,
        read_filters: bool,
        language: Language = DANISH,
    ) -> Retrieval:
        """`_search`, first within the conversation's municipality when the question names
        none (and filters are read from questions at all). The user did not ask for that
        municipality, so when nothing there answers the question the search runs as the
        question alone would."""
        carried = self._conversation_municipality(history, where) if read_filters else None
        if carried is not None:
            # No relaxing here: a search that leaves the municipality is the plain one below.
            within = replace(where, municipality=carried)
            hits = self.retriever.search(
                query, mode=mode, top_items=self.settings.answer_candidates, where=within
            )
            if hits:
                evidence = self.extractive.answer(query, hits, where.names_item, language)
                if not evidence.abstained:
                    return Retrieval(query=query, where=within, hits=tuple(hits), evidence=evidence)
        return self._search(query, mode, explicit, where, language)

    def _search(
        self,
        query: str,
        mode: Mode,
        explicit: SearchFilter,
        where: SearchFilter,
        language: Language = DANISH,
    ) -> Retrieval:
        candidates = self.settings.answer_candidates
        hits = self.retriever.search(query, mode=mode, top_items=candidates, where=where)
        note = ""
        # Relax what the question implied, dates first (they are the likeliest misreading),
        # then every implied filter; the user's explicit filters always stay.
        for relaxed in (explicit.merged_over(where.without_dates()), explicit):
            if hits or relaxed == where:
                continue
            hits = self.retriever.search(query, mode=mode, top_items=candidates, where=relaxed)
            if hits:
                note = self._relaxed_note(where, relaxed, language) + "\n\n"
        return Retrieval(query=query, where=where, hits=tuple(hits), note=note)

    def _relaxed_note(self, where: SearchFilter, relaxed: SearchFilter, language: Language) -> str:
        """What the answer says when the question's own filters had to be relaxed."""
        name = "relaxed" if relaxed.describe() else "relaxed_everywhere"
        return load_prompt(self.settings.prompts_dir, name, language).format(
            where=where.describe(language), relaxed=relaxed.describe(language)
        )

    def prepare(self, question: str, history: Sequence[Turn] = ()) -> PreparedQuestion:
        """`question` checked (InvalidQuestion if it is empty or too long) and with the
        language its answer is written in, for `ask_stream`. The UI prepares first because
        it words its own messages ("Søger i referaterne …") in that language too."""
        text = self.check_question(question)
        # The user's own words decide the answer's language, not the search query (which
        # may carry earlier questions or an LLM's rewrite).
        return PreparedQuestion(text, tuple(history), answer_language(text, history))

    def ask(
        self,
        question: str | PreparedQuestion,
        history: Sequence[Turn] = (),
        mode: Mode = "hybrid",
        filters: SearchFilter | None = None,
        *,
        read_filters: bool = True,
    ) -> Answer:
        """Answer `question` in the conversation `history` (filters as in `retrieve`): the
        answer stream, drained, so there is one answer path."""
        return self.ask_stream(question, history, mode, filters, read_filters=read_filters).answer()

    def ask_stream(
        self,
        question: str | PreparedQuestion,
        history: Sequence[Turn] = (),
        mode: Mode = "hybrid",
        filters: SearchFilter | None = None,
        *,
        read_filters: bool = True,
    ) -> AnswerStream:
        """The answer's text in pieces as it is written (checked sentences from an LLM, the
        whole text from the extractive answerer), then the final Answer.

        The question is checked at once (InvalidQuestion before any stream exists); the
        search and the writing happen as the stream is read. A `PreparedQuestion` brings
        its conversation with it, so `history` is then left out."""
        if isinstance(question, PreparedQuestion):
            if history:
                raise ValueError("a prepared question carries its own history")
            prepared = question
        else:
            prepared = self.prepare(question, history)
        return AnswerStream(self._answer_pieces(prepared, mode, filters, read_filters))

    def _answer_pieces(
        self,
        prepared: PreparedQuestion,
        mode: Mode,
        filters: SearchFilter | None,
        read_filters: bool,
    ) -> Generator[str, None, Answer]:
        """The producer behind `ask_stream`: yields the text, returns the final Answer."""
        question, history, language = prepared.text, prepared.history, prepared.language
        question_for_search, notes = question, ()
        if self.llm is not None and history and leans(question):
            question_for_search, fault = self.condense(question, history)
            notes = (fault,) if fault else ()
        query, explicit, where = self._plan(question_for_search, history, filters, read_filters)
        if where.case_key and STATUS_QUESTION.search(question):
            # A case's course: every treatment within the user's filters (case numbers are
            # only unique within one municipality's system), whatever the dates.
            treatments = self.case_timeline(where.case_key, where.without_dates())
            answer = timeline_answer(question, treatments, self.settings.prompts_dir)
            return replace(
                answer,
                scope=where.without_dates().describe(),
                corrections=(*notes, *answer.corrections),
            )
        retrieval = self._search_in_conversation(
            query, history, mode, explicit, where, read_filters, language
        )
        pinned = bool(retrieval.hits) and where.names_item
        if retrieval.note:
            yield retrieval.note
        stream = self.answerer.stream(
            query, retrieval.hits, pinned=pinned, language=language, evidence=retrieval.evidence
        )
        yield from stream
        answer = stream.answer()
        return replace(
            answer,
            question=question,
            text=retrieval.note + answer.text,
            scope=retrieval.where.describe(language),
            corrections=(*notes, *answer.corrections),
        )

    def condense(self, question: str, history: Sequence[Turn]) -> tuple[str, str]:
        """A follow-up rewritten by the LLM into a question that stands alone, and why the
        question was searched as it is instead ("" unless the model failed). If the model
        gives nothing usable, the question is used as it is (the carried-over earlier
        questions still steer the search, see `standalone_question`)."""
        assert self.llm is not None
        turns = "\n".join(
            f"{'Bruger' if t['role'] == 'user' else 'Assistent'}: {t['content'][:500]}"
            for t in history[-MAX_HISTORY_TURNS:]
        )
        prompt = load_prompt(self.settings.prompts_dir, "condense").format(
            history=turns, question=question
        )
        try:
            rewritten = self.llm.complete(prompt).strip().splitlines()
        except Exception as error:  # server down, timeout, bad model file
            # The search goes on without the rewrite; the fault is logged (one line, the
            # operator's) and travels with the answer as the reason (the user's).
            log.warning("LLM could not condense the follow-up, searching it as asked: %r", error)
            return question, (
                f"sprogmodellen kunne ikke omskrive opfølgningen ({type(error).__name__}); "
                "der søges med spørgsmålet og de forrige spørgsmål"
            )
        first = rewritten[0].strip() if rewritten else ""
        # Small models echo the transcript ("Bruger: ..."); the label is not the question.
        first = re.sub(r"^(?:Bruger|Assistent|Omskrevet spørgsmål)\s*:\s*", "", first)
        if not first or len(first) > 3 * len(question) + 200:
            return question, ""
        if not set(terms(question)) & set(terms(first)):
            first = f"{question} {first}"  # the rewrite lost the new question: keep both
        # The rewrite is new text, so it is checked (once) like a question typed in.
        return self.check_question(first), ""

    def item_sections(self, citation: Citation) -> list[tuple[str, str]]:
        """The cited item's whole text as (section, paragraph) in reading order, for the
        source card's "whole item" view. Chunk windows may repeat a line; it is shown once."""
        day = dt.date.fromisoformat(citation.meeting_date)
        where = SearchFilter(
            municipality=citation.municipality,
            date_from=day,
            date_to=day,
            item_number=citation.item_number,
        )
        chunks = [c for c in self.retriever.chunks_matching(where) if c.source == citation.source]
        chunks.sort(key=lambda chunk: chunk.position)
        seen: set[str] = set()
        paragraphs = []
        for section, line in section_lines(chunks):
            if line not in seen:
                seen.add(line)
                paragraphs.append((section, line))
        return paragraphs

    # --- what the adapters show about the index -------------------------------------------

    def vocabulary(self) -> IndexVocabulary:
        """The municipalities, committees, cases and months ingested (a new object after
        every refresh, so callers can cache per index state)."""
        return self.retriever.vocabulary

    def chunks(self, where: SearchFilter | None = None) -> list[Chunk]:
        """The indexed chunks `where` admits (all of them by default)."""
        return self.retriever.chunks_matching(where or SearchFilter())

    def stored_chunks(self) -> int:
        """Chunks in the store itself (what an ingest has written, before any refresh)."""
        return self.store.count()

    def searchable_chunks(self) -> int:
        """Chunks search sees now."""
        return self.retriever.chunk_count
