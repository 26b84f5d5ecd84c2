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

from assistant.answer.development import (
    development_answer,
    development_question,
    development_topic,
)
from assistant.answer.extractive import (
    Answerer,
    ExtractiveAnswerer,
    answers_per_place,
    question_intents,
)
from assistant.answer.facts import (
    FIGURE_KINDS,
    PERSON_NAME,
    asked_fact,
    asked_kind,
    asked_quantities,
    measured,
    without_asking,
)
from assistant.answer.meeting import (
    MeetingItems,
    absence_answer,
    absent_person,
    item_attendance,
    meeting_question,
    overview_answer,
    person_absence_answer,
    recorded_absentees,
)
from assistant.answer.near_miss import (
    GROUP_KINDS,
    asked_groups,
    asked_roles,
    item_years,
    names_period,
    names_role_holder,
    near_miss_answer,
    pending_outcome,
    period_near_miss,
    planned_dates,
    prints_kind,
    unprinted_group,
)
from assistant.answer.prompts import load_prompt
from assistant.answer.stream import AnswerStream
from assistant.answer.timeline import timeline_answer
from assistant.components.chroma_store import ChunkStore
from assistant.components.embedders import Embedder
from assistant.components.llms import ChatModel
from assistant.core.chunk_format import SECTION_HEADINGS, section_lines
from assistant.core.config import Settings
from assistant.core.errors import (
    AmbiguousMeeting,
    EmptyCaseNumber,
    EmptyQuestion,
    IndexNotBuilt,
    InvalidDate,
    QuestionTooLong,
    ReversedDates,
    UnknownCase,
    UnknownMeeting,
    UnknownName,
    UnknownSource,
)
from assistant.core.types import (
    Answer,
    Chunk,
    Citation,
    IngestReport,
    ItemHit,
    MeetingSelector,
    StoredSource,
    Treatment,
)
from assistant.danish.case_numbers import normalise_case_number
from assistant.danish.dates import danish_date, format_date, mentions_period
from assistant.danish.language import DANISH, Language, answer_language
from assistant.danish.municipalities import municipality_in_question
from assistant.danish.text import terms
from assistant.ingest.pipeline import gone_sources, ingest_paths
from assistant.search.filters import (
    IndexVocabulary,
    SearchFilter,
    asked_period,
    committee_in_question,
    filters_in_question,
    without_period,
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
# How many of the best items may answer a question about a period they name, before the
# answer says that none of them prints the period (a near miss).
NEAR_MISS_DEPTH = 3
# A question about closed items as such: their titles answer it.
ASKS_ABOUT_CLOSED = re.compile(r"\blukke(?:de|t)?\b|\bclosed\b", re.IGNORECASE)
# The facts whose absence from the best item's sentences makes a near miss: a figure. A
# person or a date the sentences do not state is often in a participant list or the header.
STATED_KINDS = FIGURE_KINDS
TOPICAL_SHARE = 0.8


@dataclass(frozen=True)
class Retrieval:
    """What the search found for one question: the query it ran (a follow-up carries the
    previous question), the filters that held, and the items best first (the nearest ones
    outside the question's scope when that scope holds no meeting)."""

    query: str
    where: SearchFilter
    hits: tuple[ItemHit, ...]
    # The question's own scope (its municipality, committee or period) holds no meeting at
    # all; `hits` are then the nearest items outside it, which answer nothing.
    empty_scope: bool = False
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


def _sources_named(name: str, stored: Sequence[StoredSource]) -> list[StoredSource]:
    """The stored sources a user means by `name`: the source as listed, or the file's path
    (absolute or relative to the working folder) as it was ingested."""
    exact = [s for s in stored if s.source == name]
    if exact:
        return exact
    path = str(Path(name).expanduser().absolute())
    resolved = str(Path(name).expanduser().resolve())
    return [s for s in stored if s.path and s.path in (path, resolved)]


def _meeting_line(source: StoredSource) -> str:
    day = dt.date.fromisoformat(source.meeting_date) if source.meeting_date else None
    return (
        f"{source.meeting_id}: {source.municipality}, {source.committee}, "
        f"{danish_date(day) if day else '?'} ({source.source})"
    )


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
        sync: bool = False,
    ) -> IngestReport:
        """Ingest files and folders. With `sync`, sources whose file is gone from a folder
        given are removed too, after the folder's files are stored (`report.removed`); a
        folder that is missing or holds no minutes is refused first (SyncWouldEmpty), before
        anything is written or removed."""
        paths = list(paths)
        folders = [path for path in paths if path.is_dir() or not path.exists()] if sync else []
        # Found (and a missing or empty folder refused) before anything is written.
        gone = {s.source for s in gone_sources(folders, self.store.stored_sources())}
        report = ingest_paths(
            paths,
            self.store,
            self.settings.ingest,
            municipality=municipality,
            on_file=on_file,
            on_written=on_written,
            leaving=gone,
        )
        if gone:
            # Removed only after the folder's files are stored: a file moved within the
            # folder has taken its meeting's chunks over by now, and is not lost.
            self.store.remove_sources(sorted(gone))
            report = replace(report, removed=tuple(sorted(gone)))
        self.retriever.refresh()
        return report

    def stored_sources(self) -> list[StoredSource]:
        """The sources in the index, each with its meeting (`referat sources`)."""
        return self.store.stored_sources()

    def remove_sources(self, names: Sequence[str]) -> list[StoredSource]:
        """Remove these sources from the store and the lexical index, so their meetings are
        no longer answerable. A name is a source as `stored_sources` lists it
        ("odense/referat.txt") or the file's path; one the index does not hold raises
        UnknownSource, before anything is removed."""
        stored = self.store.stored_sources()
        chosen: list[StoredSource] = []
        for name in names:
            found = _sources_named(name, stored)
            if not found:
                raise UnknownSource(name)
            chosen.extend(s for s in found if s not in chosen)
        self.store.remove_sources(sorted({s.source for s in chosen}))
        self.retriever.refresh()
        return chosen

    def remove_meeting(self, selector: MeetingSelector) -> list[StoredSource]:
        """Remove one meeting (every source holding it). The selector must fit exactly one
        meeting: none raises UnknownMeeting, several AmbiguousMeeting listing them, and
        then nothing is removed."""
        if not selector.meeting_id and not (selector.municipality and selector.date):
            raise ValueError("a meeting is its id, or its municipality and date")
        stored = self.store.stored_sources()
        if selector.meeting_id:
            wanted = selector.meeting_id.strip().lower()
            found = [s for s in stored if s.meeting_id == wanted]
            described = f"møde-id {selector.meeting_id}"
        else:
            where = self.resolve_filters(
                SearchFilter(
                    municipality=selector.municipality,
                    committee=selector.committee,
                    date_from=selector.date,
                    date_to=selector.date,
                )
            )
            day = where.date_from.isoformat() if where.date_from else None
            found = [
                s
                for s in stored
                if (where.municipality is None or s.municipality == where.municipality)
                and (where.committee is None or s.committee == where.committee)
                and (day is None or s.meeting_date == day)
            ]
            described = where.describe()
        if not found:
            raise UnknownMeeting(described)
        meetings = sorted({s.meeting_id for s in found})
        if len(meetings) > 1:
            raise AmbiguousMeeting(described, [_meeting_line(s) for s in found])
        self.store.remove_meetings(meetings)
        self.retriever.refresh()
        return found

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
        if not key:
            raise EmptyCaseNumber()
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
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            # Nothing can match: say so instead of abstaining as if the minutes said nothing.
            raise ReversedDates()
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
        try:
            implied = self.filters_in_question(query)
        except InvalidDate:
            if query == question:
                raise
            # The impossible date is an earlier turn's (refused when it was asked), which
            # the follow-up's query carries along: read this question's own filters.
            implied = self.filters_in_question(question)
        return query, explicit, explicit.merged_over(implied)

    def _conversation_municipalities(
        self, history: Sequence[Turn], where: SearchFilter
    ) -> tuple[str, ...]:
        """The municipalities the conversation is about, for a question that names none: those
        of the newest user turn naming one ("Vejle og Lejre" stays both). "Fortæl om
        IPS-projektet i Mariagerfjord" followed by "Hvornår godkendte byrådet strategien?"
        means Mariagerfjord's council, although the second question does not point back. A
        case number identifies its matter better than the conversation does, so it is not
        narrowed."""
        if where.municipality is not None or where.case_key is not None:
            return ()
        for turn in reversed(history[-MAX_HISTORY_TURNS:]):
            if turn["role"] == "user":
                try:
                    named = self.filters_in_question(turn["content"]).municipalities
                except InvalidDate:
                    continue  # refused when it was asked; it names nothing to carry over
                if named:
                    return named
        return ()

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
        carried = self._conversation_municipalities(history, where) if read_filters else ()
        if carried:
            # No relaxing here: a search that leaves the municipality is the plain one below.
            within = where.within(carried)
            hits = self.retriever.search(
                query, mode=mode, top_items=self.settings.answer_candidates, where=within
            )
            if hits:
                evidence = self.extractive.answer(query, hits, where.names_item, language)
                if not evidence.abstained:
                    return Retrieval(query=query, where=within, hits=tuple(hits), evidence=evidence)
        return self._search(query, mode, explicit, where)

    def _search(
        self,
        query: str,
        mode: Mode,
        explicit: SearchFilter,
        where: SearchFilter,
    ) -> Retrieval:
        candidates = self.settings.answer_candidates
        hits = self.retriever.search(query, mode=mode, top_items=candidates, where=where)
        # A scope the question implies may hold no meeting at all ("Vejle i 2019"). The
        # answer then abstains and says so; the search still relaxes what the question
        # implied, dates first (the likeliest misreading), then every implied filter (the
        # user's explicit filters always stay), for the nearest meetings it suggests and
        # for retrieval-only evaluation.
        empty_scope = not hits and not self.retriever.chunks_matching(where)
        undated = explicit.merged_over(where.without_dates())
        if empty_scope and undated != where:
            # The period may be what the minutes talk about, not when the meeting was ("who
            # speaks at the forum in October 2021" is on September's agenda). The best item
            # on the topic answers when it names the period, with the others that do; an
            # item found only because it names the year is off the topic, so the topic is
            # searched without the period, and the scope stays empty when that item is not
            # the best.
            named, topical = self._named_by_best(
                query,
                mode,
                undated,
                lambda c: mentions_period(c.text, where.date_from, where.date_to),
                searched=without_period(query),
            )
            if named is not None:
                return named
            hits = topical  # still the nearest meetings to suggest
        unindexed = [
            m for m in where.municipalities if m not in self.retriever.vocabulary.municipalities
        ]
        if empty_scope and unindexed and not explicit.municipality:
            # A municipality with no minutes here may still be what the minutes talk about
            # (Rebild as the lead partner of Mariagerfjord's IPS project): the best item on
            # the topic answers when it names that municipality.
            elsewhere = explicit.merged_over(where.within(()))
            named, _ = self._named_by_best(
                query, mode, elsewhere, lambda c: _names(c.text, unindexed)
            )
            if named is not None:
                return named
        committee = where.committee
        if (
            empty_scope
            and committee
            and committee not in self.retriever.vocabulary.committees
            and not explicit.committee
        ):
            # A committee with no meetings here may be retold by one that has them ("Økonomi-
            # udvalget har den 23. august 2021 besluttet …"): the best item on the topic
            # answers when it names that committee.
            elsewhere = explicit.merged_over(replace(where, committee=None))
            stem = re.sub(r"(?:et|en)$", "", committee).lower()
            named, _ = self._named_by_best(query, mode, elsewhere, lambda c: stem in c.text.lower())
            if named is not None:
                return named
        for relaxed in (undated, explicit):
            if hits or relaxed == where:
                continue
            hits = self.retriever.search(query, mode=mode, top_items=candidates, where=relaxed)
        return Retrieval(query=query, where=where, hits=tuple(hits), empty_scope=empty_scope)

    def _named_by_best(
        self,
        query: str,
        mode: Mode,
        where: SearchFilter,
        names: Callable[[Chunk], bool],
        searched: str | None = None,
    ) -> tuple[Retrieval | None, list[ItemHit]]:
        """The items on the topic within the relaxed `where` whose chunks name what the empty
        scope asked for (a period, a municipality, a committee), when the best item on the
        topic is one of them; else None. Also the items on the topic, searched with
        `searched` (the query by default)."""
        topical = self.retriever.search(
            searched or query, mode=mode, top_items=self.settings.answer_candidates, where=where
        )
        naming = [hit for hit in topical if any(names(c) for c in hit.chunks)]
        if naming and naming[0] is topical[0]:
            return Retrieval(query=query, where=where, hits=tuple(naming)), topical
        return None, topical

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
        whole = self._meeting_answer(question, retrieval, language)
        if whole is None:
            retrieval = self._with_evidence(query, retrieval, language)
            whole = self._closed_item(question, retrieval, language)
        if whole is None:
            checked = self._near_miss(question, retrieval, language)
            if isinstance(checked, Answer):
                whole = checked
            else:
                retrieval = checked
        if whole is None:
            retrieval = self._with_evidence(query, retrieval, language)
            whole = self._outcome_to_come(question, retrieval, language)
        if whole is None and development_question(question):
            whole = self._development_answer(question, retrieval, language)
        if whole is None:
            checked = self._unstated_fact(question, query, retrieval, language)
            if isinstance(checked, Answer):
                whole = checked
            else:
                retrieval = checked
        if whole is not None:
            # Paragraph by paragraph: a meeting's items, then the next meeting's.
            for number, paragraph in enumerate(whole.text.split("\n\n")):
                yield f"\n\n{paragraph}" if number else paragraph
            return replace(
                whole,
                scope=retrieval.where.describe(language),
                corrections=(*notes, *whole.corrections),
            )
        pinned = bool(retrieval.hits) and where.names_item
        stream = self.answerer.stream(
            query, retrieval.hits, pinned=pinned, language=language, evidence=retrieval.evidence
        )
        yield from stream
        answer = stream.answer()
        return replace(
            answer,
            question=question,
            text=answer.text,
            scope=retrieval.where.describe(language),
            corrections=(*notes, *answer.corrections),
        )

    def _meeting_answer(
        self, question: str, retrieval: Retrieval, language: Language
    ) -> Answer | None:
        """The answer when the question's scope is empty, or when it asks about a meeting as
        a whole (who was absent, what it decided); None when the item answerer answers.

        An empty scope ("Vejle i 2019") is an abstention that says so; the nearest meetings
        are offered apart from it, as a suggestion, not as the answer."""
        prompts = self.settings.prompts_dir
        if retrieval.empty_scope:
            text = load_prompt(prompts, "empty_scope", language).format(
                where=retrieval.where.describe(language)
            )
            nearest = _distinct_meetings(hit.best for hit in retrieval.hits)[:3]
            if nearest:
                listed = "; ".join(
                    f"{c.municipality}, {c.committee}, "
                    + format_date(dt.date.fromisoformat(c.meeting_date), language)
                    for c in nearest
                )
                text += "\n\n" + load_prompt(prompts, "empty_scope_suggest", language).format(
                    meetings=listed
                )
            return Answer(question=question, text=text, abstained=True)
        if not retrieval.hits:
            return None
        vocabulary = self.retriever.vocabulary
        kind = meeting_question(question, [*vocabulary.municipalities, *vocabulary.committees])
        if kind is None:
            return None
        top = retrieval.hits[0].best
        if kind == "absence":
            if named := self._absence_of_person(question, retrieval.where, language):
                return named
            only_item = top if item_attendance(question) or retrieval.where.names_item else None
            return absence_answer(
                question, self._meeting_of(top), prompts, language, only_item, focus=top
            )
        own = self.filters_in_question(question)
        if own.names_item:
            return None  # one item's decision: the item answerer quotes it whole
        if own.date_from or own.committee:
            # "Hvilke sager behandlede Arbejdsmarkedsudvalget i september?": every meeting
            # the question's scope holds, not only the one the best item belongs to.
            chunks = self.retriever.chunks_matching(retrieval.where)
            meetings = _group_meetings(chunks)
        else:
            meetings = [self._meeting_of(top)]
        return overview_answer(question, meetings, prompts, language)

    def _absence_of_person(
        self, question: str, where: SearchFilter, language: Language
    ) -> Answer | None:
        """ "Hvilke udvalgsmøder har Brigitte Klintskov Jerkel ikke deltaget i?": every meeting
        in the scope whose minutes record that person absent. None when the question names
        no one the minutes record as absent (it asks about a meeting's attendance)."""
        if not PERSON_NAME.search(question):
            return None
        chunks = [c for c in self.retriever.chunks_matching(where) if c.absentees]
        names = {name for c in chunks for name in recorded_absentees(c)}
        person = absent_person(question, sorted(names))
        if person is None:
            return None
        absent = [c for c in chunks if person in recorded_absentees(c)]
        meetings = [self._meeting_of(chunk) for chunk in _distinct_meetings(absent)]
        prompts = self.settings.prompts_dir
        return person_absence_answer(question, person, meetings, prompts, language)

    def _near_miss(
        self, question: str, retrieval: Retrieval, language: Language
    ) -> Answer | Retrieval:
        """A fact asked for must come from an item that prints it: a figure for a period
        ("restancen ultimo 2018", "flygtninge i februar 2025") from an item about that
        period, an amount ("Hvor mange penge …") from an item that prints one, a number
        ("Hvor mange borgere …") from an item that prints a figure. The first of the best
        items that does answers (moved first); when none does, and the best item is on the
        topic, the answer is a near miss that says what the item lacks."""
        if not retrieval.hits:
            return retrieval
        asked = None
        kind = asked_kind(question, language)
        # "Hvad var ledigheden i marts 2023?" asks a figure too, in other words.
        if {"figure", "money"} & question_intents(question, language) or kind is not None:
            asked = asked_period(
                question, dt.date.today(), self.retriever.vocabulary.meeting_months
            )
        # A figure for a group ("kvinder", "unge under 30 år") must be given for that group.
        fact_kind = asked_fact(question, language)
        group_kind = fact_kind if fact_kind in GROUP_KINDS and asked_groups(question) else None
        # "Hvem er de tre IPS-teamledere?": the holder of the role is named beside it.
        roles = asked_roles(question) if fact_kind == "person" and language == DANISH else []
        if asked is None and kind is None and group_kind is None and not roles:
            return retrieval

        # Another of the best items answers only when it is as much on the topic as the best
        # one ("restancen ultimo 2018" is not answered by the election item that names 2018),
        # and its figure stands with the topic's words, not elsewhere in the item.
        topic = without_asking(without_period(question) if asked else question)
        # The item the answer would quote first: the first with evidence, as the answerer
        # orders them. The retriever's first may hold none (two embedders of one model can
        # swap near-ties), and judging it would make the answer depend on that swap.
        best = next(
            (hit for hit in retrieval.hits if self.extractive.on_topic(question, hit)),
            retrieval.hits[0],
        )
        least = TOPICAL_SHARE * self.extractive.coverage(topic, best)
        about = frozenset(terms(topic)) - frozenset(terms(f"{best.best.municipality} kommune"))

        # What the figure is of ("ledighed", "fordrevne"): printed with the figure and the
        # period, or the item answers about something else.
        measure = measured(question, language)

        def fits(hit: ItemHit) -> bool:
            chunks = self.retriever.item_chunks(hit)
            scope = frozenset() if hit is best else about
            return (
                (asked is None or names_period(chunks, asked, measure))
                and (kind is None or prints_kind(chunks, kind, scope, measure))
                and (group_kind is None or unprinted_group(question, chunks, group_kind) is None)
                and (not roles or names_role_holder(chunks, roles))
            )

        # The best items, and the one the answer quotes first wherever the retriever put it.
        candidates = [*retrieval.hits[:NEAR_MISS_DEPTH]]
        if all(hit is not best for hit in candidates):
            candidates.append(best)
        fitting = [
            hit
            for hit in candidates
            if (hit is best or self.extractive.coverage(topic, hit) >= least) and fits(hit)
        ]
        if fitting:
            if fitting[0] is best:
                return retrieval
            rest = [hit for hit in retrieval.hits if all(hit is not f for f in fitting)]
            return replace(retrieval, hits=(*fitting, *rest), evidence=None)
        nearest = self.extractive.answer(question, [best], language=language)
        if nearest.abstained or not nearest.citations:
            return retrieval  # not even on the topic: the answerer abstains as it always has
        chunks = self.retriever.item_chunks(best)
        if asked is not None and not names_period(chunks, asked, measure):
            return period_near_miss(
                question,
                nearest.citations[0],
                asked,
                item_years(chunks),
                self.settings.prompts_dir,
                language,
            )
        # No figure of the asked kind at all says more than none for the group.
        if kind is not None and not prints_kind(chunks, kind, measure=measure):
            return near_miss_answer(
                question, nearest.citations[0], kind, self.settings.prompts_dir, language
            )
        group = unprinted_group(question, chunks, group_kind) if group_kind else None
        if group is not None:
            return near_miss_answer(
                question,
                nearest.citations[0],
                "group",
                self.settings.prompts_dir,
                language,
                group=group,
            )
        # The period, the kind and the group fit the best item, which does not fit: nobody
        # is named as the role asked about.
        if roles:
            return near_miss_answer(
                question,
                nearest.citations[0],
                "role",
                self.settings.prompts_dir,
                language,
                role=roles[0],
            )
        return retrieval  # nothing the best item lacks can be named: it answers as it is

    def _with_evidence(self, query: str, retrieval: Retrieval, language: Language) -> Retrieval:
        """The retrieval with the extractive answer to its hits (what the answer quotes, and
        in which order), computed once for the checks and the answerer."""
        if retrieval.evidence is not None or not retrieval.hits:
            return retrieval
        pinned = retrieval.where.names_item
        evidence = self.extractive.answer(query, retrieval.hits, pinned, language)
        return replace(retrieval, evidence=evidence)

    def _closed_item(
        self, question: str, retrieval: Retrieval, language: Language
    ) -> Answer | None:
        """ "Hvilken leverandør valgte udvalget …?" is answered by a closed item, whose title
        alone is public: quoting the title note would pass for an answer. The answer says
        the item is closed and is marked abstained. A question about the closed items
        themselves ("Hvilke lukkede punkter …?") is answered by their titles, as before."""
        evidence = retrieval.evidence
        if evidence is None or evidence.abstained or not evidence.citations:
            return None
        first = evidence.citations[0]
        if not first.closed or retrieval.where.closed or ASKS_ABOUT_CLOSED.search(question):
            return None
        if retrieval.where.names_item:
            return None  # "Hvad handler sag 24/012345 om?": the public title is the answer
        prompts = self.settings.prompts_dir
        return near_miss_answer(question, first, "closed", prompts, language)

    def _outcome_to_come(
        self, question: str, retrieval: Retrieval, language: Language
    ) -> Answer | None:
        """ "Hvad viste den endelige evaluering?" found in an item that says the evaluation is
        awaited, or "Hvornår godkendte byrådet strategien?" in one that names only the meeting
        to come: the outcome is not in the minutes yet. The answer says so, is marked
        abstained, and quotes what the item says of it."""
        evidence = retrieval.evidence
        if evidence is None or evidence.abstained or not evidence.citations:
            return None
        nearest = evidence.citations[0]
        prompts = self.settings.prompts_dir
        day = dt.date.fromisoformat(nearest.meeting_date)
        if planned := planned_dates(question, evidence.opening, day):
            # The opening is cut word for word from the item; its "…" marks are Referat's.
            return near_miss_answer(
                question,
                replace(nearest, quote=evidence.opening.strip(" …")),
                "planned",
                prompts,
                language,
                planned=", ".join(format_date(d, language) for d in planned),
            )
        hit = next((h for h in retrieval.hits if _cites(nearest, h.best)), None)
        if hit is None:
            return None
        ignore = frozenset(terms(f"{nearest.municipality} kommune udvalg"))
        chunks = self.retriever.item_chunks(hit)
        awaited = pending_outcome(question, chunks, self.retriever.idf, ignore)
        if awaited is None:
            return None
        return near_miss_answer(
            question, replace(nearest, quote=awaited), "pending", prompts, language
        )

    def _unstated_fact(
        self, question: str, query: str, retrieval: Retrieval, language: Language
    ) -> Answer | Retrieval:
        """A figure asked for must be stated by a sentence of the item quoted first, with
        what it is asked for. "Hvor mange stemmeberettigede var der på Mosedeskolen …?" finds
        the election item, and "… efter 24 måneder?" the evaluation that gives the share
        after 52 weeks: both print figures, but no sentence states the asked one, so the
        quotes would pass for an answer they are not. The answer says so, is marked
        abstained, and shows the item as the nearest information. The retrieval comes back
        with the answerer's evidence when the answer stands."""
        kind = asked_fact(question, language)
        if kind not in STATED_KINDS or not retrieval.hits:
            return retrieval
        if answers_per_place(question, frozenset(hit.best.municipality for hit in retrieval.hits)):
            return retrieval  # a figure per municipality: no one sentence states them all
        evidence = self._with_evidence(query, retrieval, language).evidence
        if evidence is None or evidence.abstained or evidence.opening or not evidence.citations:
            return replace(retrieval, evidence=evidence)
        prompts = self.settings.prompts_dir
        nearest = evidence.citations[0]
        if quantities := asked_quantities(question):
            group = quantities[0].text
            return near_miss_answer(question, nearest, "group", prompts, language, group=group)
        lacking = "unstated_amount" if kind == "amount" else "unstated_count"
        return near_miss_answer(question, nearest, lacking, prompts, language)

    def _development_answer(
        self, question: str, retrieval: Retrieval, language: Language
    ) -> Answer | None:
        """The dated figures of the items on the topic, oldest meeting first; None when
        none prints one (the item answerer answers instead)."""
        topic = development_topic(question)
        items = [
            self.retriever.item_chunks(hit)
            for hit in retrieval.hits
            if self.extractive.on_topic(topic, hit)
        ]
        places = {hit.best.municipality for hit in retrieval.hits}
        ignore = frozenset(terms(" ".join(sorted(places)) + " kommune udvalg"))
        return development_answer(
            question, items, self.settings.prompts_dir, language, self.retriever.idf, ignore
        )

    def _meeting_of(self, chunk: Chunk) -> MeetingItems:
        """All items of the meeting `chunk` belongs to, closed ones included (by title)."""
        day = dt.date.fromisoformat(chunk.meeting_date)
        where = SearchFilter(municipality=chunk.municipality, date_from=day, date_to=day)
        same = [
            c for c in self.retriever.chunks_matching(where) if c.meeting_id == chunk.meeting_id
        ]
        return MeetingItems.of(same)

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
        chunks = [
            c
            for c in self.retriever.chunks_matching(where)
            if c.source == citation.source
            # A document read page by page: the cited page, not every page (all are item 0).
            and (not citation.by_page or c.page == citation.page)
        ]
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


def _names(text: str, municipalities: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in municipalities)


def _group_meetings(chunks: Iterable[Chunk]) -> list[MeetingItems]:
    by_meeting: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_meeting.setdefault(chunk.meeting_id, []).append(chunk)
    return [MeetingItems.of(group) for group in by_meeting.values()]


def _cites(citation: Citation, chunk: Chunk) -> bool:
    """Whether `citation` points at the item `chunk` belongs to."""
    return (citation.municipality, citation.meeting_date, citation.item_number) == (
        chunk.municipality,
        chunk.meeting_date,
        chunk.item_number,
    )


def _distinct_meetings(chunks: Iterable[Chunk]) -> list[Chunk]:
    """The first chunk of each meeting, in the order given."""
    seen: dict[str, Chunk] = {}
    for chunk in chunks:
        seen.setdefault(chunk.meeting_id, chunk)
    return list(seen.values())
