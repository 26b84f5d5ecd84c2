"""Answerers: retrieved agenda items -> Answer with citations.

`ExtractiveAnswerer` (the default) needs no language model: it quotes the sentences of the
best items that answer the question, so every word it shows can be found in the minutes.
Other answerers implement the same `Answerer` protocol.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.answer.facts import (
    AMOUNT,
    DATE_TEXT,
    FIGURE,
    FREQUENCY_ASKED,
    FREQUENCY_TEXT,
    NOT_A_PERSON,
    PERSON_NAME,
    TABLE_ROW,
    Fact,
    find_facts,
)
from assistant.answer.guard import instruction_like
from assistant.answer.lead import decision_lead, fact_clause, only_approves, shortened
from assistant.answer.prompts import load_prompt
from assistant.answer.stream import AnswerStream
from assistant.core.chunk_format import SENTENCE_END, section_lines
from assistant.core.config import AnswerSettings
from assistant.core.types import Answer, Chunk, Citation, ItemHit
from assistant.danish.dates import format_date
from assistant.danish.language import DANISH, ENGLISH, ENGLISH_WORDS, Language
from assistant.danish.municipalities import municipalities_in_question
from assistant.danish.text import terms

_COMMITTEE = r"(?:\w*udvalg\w*|byråd\w*|kommunalbestyrelse\w*)"
_WISHED = r"(?:bad|ønsked\w*|efterspurgt\w*)"
INTENTS = {
    "figure": re.compile(
        r"\bhvor\s+(?:mange|meget|stor|store|høj|højt|lav|lavt)\b|\bantal\w*|\bbeløb|\bkost"
        r"|\bprocent|\bandel\w*|\bkr\b|\bmio\b|\bbudget\w*|\bbevilg\w*|\btilsagn"
    ),
    "money": re.compile(
        r"\bpenge|\bbeløb|\bkost\w*|\bkr\b|\bkroner|\bmio\b|\bbudget\w*|\bbevilg\w*"
        r"|\btilsagn|\bmidler|\bfinansier\w*|\budgift\w*|\bsøgte\b|\bansøg\w*"
        r"|\bøkonomi\w*"  # "Hvad betyder den økonomisk for kommunen?"
    ),
    "person": re.compile(r"\bhvem\b|\bnavn\w*|\bhvilken person|\bprojektejer|\boplægsholder"),
    "date": re.compile(r"\bhvornår\b|\bdato\w*|\bhvilken dag|\bfra hvornår|\btidsplan"),
    # The committee's own decision, asked for in the many ways staff ask it: "Hvad gjorde
    # Byrådet med …", "Hvordan endte …", "Hvad skete der med sagen …", "Hvordan stillede
    # udvalget sig til …", "Anbefalede Økonomiudvalget …", "Hvordan faldt afstemningen".
    "decision": re.compile(
        r"\bbeslut\w*|\bvedt[ao]g\w*|\bgodkend\w*|\bafgør\w*|\bkonklu\w*|\btiltr[åa]d\w*"
        r"|\budfald\w*|\bhvad\s+gjorde\b|\bhvad\s+kom\s+der\s+ud\s+af\b|\bhvordan\s+endte\b"
        r"|\bhvad\s+skete\s+der\s+med\b|\bstill(?:ede|er)\b.{0,80}\bsig\s+til\b"
        r"|\banbefal(?:ede|er)\b(?=.{0,60}(?:udvalg|byråd|kommunalbestyrelse))"
        r"|(?:udvalg\w*|byråd\w*|kommunalbestyrelsen)\s+anbefal\w*"
        r"|\bafstemning(?:en)?\b|\bstemte\b|\blagde\b.{0,40}\bvægt\s+på\b"
        # What the committee asked for: "Hvilke sager bad udvalget om at få fremlagt?",
        # "Hvad ønskede udvalget …?" (its decision: "Udvalget ønsker, at der fremlægges …").
        rf"|\b{_COMMITTEE}\b.{{0,40}}\b{_WISHED}\b|\b{_WISHED}\b.{{0,40}}\b{_COMMITTEE}"
    ),
    # "Hvor tit skal jobcentret tale med …?", "Hvor ofte mødes styregruppen?"
    "frequency": re.compile(rf"{FREQUENCY_ASKED[DANISH].pattern}|\bhvor\s+mange\s+gange\b"),
    "absence": re.compile(
        r"\bfravær\w*|\bafbud\b|\bdeltog ikke|\bikke til stede|\bmanglede"
        r"|\bikke\s+(?:deltog|deltaget|mødt)\b"
    ),
    # "Hvad må tryghedsvagterne gøre?", "Hvad skal styregruppen?": what someone may or must
    # do, which minutes list under a line such as "Tryghedsvagterne kan:".
    # "Hvorfor vil jobcentret lave aftalen om?": the sentences that give a reason or a
    # judgement ("Det er forvaltningens vurdering, at … skaber overkapacitet").
    "reason": re.compile(r"\bhvorfor\b|\bbegrundelse\w*|\bårsag\w*|\bwhy\b"),
    "powers": re.compile(r"\bhvad\s+(?:må|kan|skal)\b"),
    # "Hvor skal undervisningen foregå?": the places, which minutes often list under "Aktuelt
    # er der fokus på følgende placeringer:".
    "place": re.compile(
        # ("Hvor lå kommunen ved den forrige måling?" asks a ranking, not a place.)
        r"\bhvor\s+(?:skal|skulle|foregår|foregik|holdes|afholdes|placeres)\b"
        r"|\bhvilke[nt]?\s+(?:lokaler|adresser?|steder?|lokationer?)\b"
    ),
    "list": re.compile(
        r"\bhvilke\b|\bnævn\w*|\bhvad\s+(?:går|gik)\b.*\bud\s+på\b|\borienteret\s+om\b"
        r"|\bhvad\s+er\s+der\s+blevet\s+af\b|\bpunkter\b|\btemaer\b|\bprincipper\b"
    ),
}
# "Hvilke kommuner (udvalg) har arbejdet med IPS?": answered with the best item of each
# municipality that has one, grouped per municipality.
FRAMING_TERM = re.compile(r"udvalg$|^dagsorden$")
ASKS_WHICH_PLACES = re.compile(
    r"\bhvilke\s+(?:af\s+)?(?:de\s+)?(?:andre\s+)?(?:kommuner(?:ne)?|udvalg(?:ene)?)\b"
    r"|\bwhich\s+(?:of\s+the\s+)?(?:municipalities|councils|committees)\b",
    re.IGNORECASE,
)
MAX_PLACES = 6
ASKS_WHICH_MUNICIPALITIES = re.compile(
    r"\bhvilke\s+(?:af\s+)?(?:de\s+)?(?:andre\s+)?kommuner(?:ne)?\b"
    r"|\bwhich\s+(?:of\s+the\s+)?(?:municipalities|councils)\b",
    re.IGNORECASE,
)
# A bullet or a numbered entry opening a line of a list ("- Sikker drift", "2. Orientering");
# a table row (TABLE_ROW) is a list's entry too.
LIST_ENTRY = re.compile(r"^(?:[-–•*·▪]\s*|\d{1,2}[.)]\s+)")
MAX_LIST_LINES = 15
# The intents whose answer is one stated fact; a question with none of them is answered by
# the passage around the best sentences (`_with_paragraphs`).
FACT_INTENTS = frozenset({"figure", "money", "person", "date", "decision", "absence"})
MAX_PARAGRAPH_SENTENCES = 4
# A sentence announcing a list without a colon: "inden for følgende brancher", "består af fire
# pejlemærker" (the next sentence or the rows after it name them).
ANNOUNCES_LIST = re.compile(
    r"\bfølgende\b|\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|\d{1,2})\s+[a-zæøå]+(?:er|r)\b",
    re.IGNORECASE,
)
# "Godkendt.", "Indstillingen tiltrådt. Afbud: Per Hansen (V)": a decision this short approves
# the recommendation and says nothing about its content.
SHORT_DECISION_WORDS = 12
RECOMMENDATION_INTRO = re.compile(r"^(?:\S+\s+){0,4}\S*indstille[rs]?\s*[,:]?$", re.IGNORECASE)
MAX_RECOMMENDATION_SENTENCES = 6
REASON_TEXT = re.compile(
    r"\b(?:fordi|idet|grundet|årsag\w*|begrund\w*|vurdering\w*|vurderer|skyldes"
    r"|på\s+baggrund\s+af|med\s+henblik\s+på|behov\s+for)\b",
    re.IGNORECASE,
)
PLACE_TEXT = re.compile(r"\b(?:placering|lokation|lokale|adresse)\w*", re.IGNORECASE)
MODAL = re.compile(r"\b(?:må|kan|skal|have\s+mulighed\s+for)\b", re.IGNORECASE)
ABSENCE_TEXT = re.compile(r"fraværende|afbud|deltog ikke|ikke til stede", re.IGNORECASE)
# A person's name as minutes and questions print it: "Claus Behrendsen", "Anne B. Hansen".
NAMED_PERSON = r"[A-ZÆØÅ][\w\-]+(?:\s+(?:[A-ZÆØÅ]\.|[A-ZÆØÅ][\w\-]+))+"
# "Var Claus Behrendsen med, da …?", "Deltog Anne Hansen i mødet?": whether one person took
# part is asked by who was absent. Case matters for the name.
PRESENCE_QUESTION = re.compile(
    rf"^\s*(?:(?i:deltog)\s+{NAMED_PERSON}"
    rf"|(?i:var)\s+{NAMED_PERSON}\s+(?i:med|til\s+stede)\b"
    rf"|(?i:was)\s+{NAMED_PERSON}\s+(?i:present|there)\b"
    rf"|(?i:did)\s+{NAMED_PERSON}\s+(?i:attend|take\s+part)\b)"
)
# The same kinds of question asked in English; the minutes they are answered from are Danish,
# so only the question side is translated.
ENGLISH_INTENTS = {
    "figure": re.compile(
        r"\bhow\s+(?:many|much|large|big|high|low)\b|\bnumber\s+of\b|\bamount|\bcost"
        r"|\bpercent|\bshare\b|\bbudget|\bgrant"
    ),
    "money": re.compile(
        r"\bmoney\b|\bamount|\bcost|\bkroner\b|\bdkk\b|\bbudget|\bgrant|\bfund\w*"
        r"|\bspen[dt]\w*|\bexpens\w*|\bappl(?:y|ied|ication)\b"
    ),
    "person": re.compile(r"\bwho\b|\bwhom\b|\bnames?\b|\bproject\s+owner|\bspeaker"),
    "date": re.compile(r"\bwhen\b|\bdates?\b|\bwhich\s+day|\bdeadline|\bschedule"),
    "decision": re.compile(r"\bdecid\w*|\bdecision|\bapprov\w*|\bresolv\w*|\bconclu\w*"),
    "absence": re.compile(r"\babsen\w*|\bapologi\w*|\bdid\s+not\s+attend|\bnot\s+present"),
    "list": re.compile(
        r"\blist\b|\bwhat\s+(?:are|were)\s+the\b|\bwhich\s+\w+s\b|\btopics\b|\bthemes\b"
        r"|\bprinciples\b|\bitems\b"
    ),
}
# English function words as the index stems them: an English question's "the" or "were" is
# no content word, and a minute that happens to print one must not make it count as missing.
ENGLISH_FUNCTION_TERMS = frozenset(terms(" ".join(sorted(ENGLISH_WORDS))))


class Answerer(Protocol):
    def stream(
        self,
        question: str,
        hits: Sequence[ItemHit],
        pinned: bool = False,
        language: Language = DANISH,
        evidence: Answer | None = None,
    ) -> AnswerStream:
        """The answer's text in pieces as it is written, then the final Answer.

        `pinned`: the user pointed at the items (a case or item number), so they answer
        the question even when its words are not in them ("Hvad blev besluttet?").
        `language`: the user's (`assistant.danish.language.answer_language`); the answer's
        own words are written in it, quotes from the minutes stay as printed.
        `evidence`: the extractive answer for exactly these arguments, when the caller has
        already computed it (the facade's evidence check), so it is not computed twice."""
        ...


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str
    chunk: Chunk
    paragraph: int = 0  # the running number of its line among the item's lines


def split_sentences(chunks: Sequence[Chunk]) -> list[Sentence]:
    """Sentences of an item's chunks in reading order, each with the section it stands in."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    paragraph = 0
    for chunk in chunks:
        for section, line in section_lines([chunk]):
            paragraph += 1
            for piece in SENTENCE_END.split(line):
                piece = piece.strip()
                if piece and piece not in seen:
                    seen.add(piece)
                    sentences.append(Sentence(piece, section, chunk, paragraph))
    return sentences


def presence_question(question: str) -> re.Match[str] | None:
    """ "Var Claus Behrendsen med …?": the words asking whether a person took part, or None.
    "Deltog Vejle Kommune i projektet?" names a body, not a person."""
    match = PRESENCE_QUESTION.search(question)
    return match if match and not NOT_A_PERSON.search(match.group()) else None


def question_intents(question: str, language: Language = DANISH) -> set[str]:
    lowered = question.lower()
    patterns = ENGLISH_INTENTS if language == ENGLISH else INTENTS
    intents = {name for name, pattern in patterns.items() if pattern.search(lowered)}
    if presence_question(question):
        intents.add("absence")
    if "date" in intents:
        # "Hvornår godkendte byrådet strategien?" asks for the day of the approval, which the
        # item's background prints; the committee's own decision line rarely holds it.
        intents.discard("decision")
    return intents


def term_coverage(
    question: str,
    text: str,
    idf: Callable[[str], float] = lambda term: 1.0,
    ignore: frozenset[str] = frozenset(),
    known: Callable[[str], bool] = lambda term: True,
) -> float:
    """Share of the question's content words (stemmed, weighted by rarity) found in `text`.

    Rare words carry the question ("fordrevne", "Ukraine"); a question whose rare words are
    missing from the best item is not answered by it, however similar the rest sounds.
    """
    # A word no chunk contains ("gjort", "sagt") cannot tell one item from another; only
    # words the index knows are weighed. A question made only of unknown words scores 0.
    wanted = {t for t in set(terms(question)) - ignore if known(t)}
    if not wanted:
        return 0.0
    found = wanted & set(terms(text))
    return sum(idf(t) for t in found) / sum(idf(t) for t in wanted)


class ExtractiveAnswerer:
    """Quotes the sentences that answer the question; abstains when the evidence is weak."""

    def __init__(
        self,
        settings: AnswerSettings,
        item_chunks: Callable[[ItemHit], list[Chunk]],
        idf: Callable[[str], float] = lambda term: 1.0,
        known: Callable[[str], bool] = lambda term: True,
    ) -> None:
        """`item_chunks(hit)` gives all chunks of the hit's item; `idf` weighs question words
        (both come from the retriever)."""
        self._settings = settings
        self._item_chunks = item_chunks
        self._idf = idf
        self._known = known

    def coverage(self, question: str, hit: ItemHit) -> float:
        """How much of the question's content (rare words weigh most) the hit's whole item
        holds: how well it is on the question's topic."""
        chunks = self._item_chunks(hit) or list(hit.chunks)
        ignore = frozenset(terms(f"{hit.best.municipality} kommune udvalg"))
        text = "\n".join(c.text for c in chunks)
        return term_coverage(question, text, self._idf, ignore, self._known)

    def on_topic(self, question: str, hit: ItemHit) -> bool:
        """Whether the hit's item is evidence for the question: its words or its meaning."""
        return self._has_evidence(hit, self.coverage(question, hit))

    def stream(
        self,
        question: str,
        hits: Sequence[ItemHit],
        pinned: bool = False,
        language: Language = DANISH,
        evidence: Answer | None = None,
    ) -> AnswerStream:
        """The quotes are ready at once: the whole text is one piece. The evidence check
        already is this answer, so it is shown as it is."""
        return AnswerStream.of(evidence or self.answer(question, hits, pinned, language))

    def answer(
        self,
        question: str,
        hits: Sequence[ItemHit],
        pinned: bool = False,
        language: Language = DANISH,
    ) -> Answer:
        settings = self._settings
        if not hits:
            return self._abstain(question, language)
        items = [(hit, self._item_chunks(hit) or list(hit.chunks)) for hit in hits]
        places = frozenset(hit.best.municipality for hit in hits)
        # The municipality and committee words are in every header: they say nothing about
        # whether the item answers the question.
        ignore = frozenset(terms(" ".join(sorted(places)) + " kommune udvalg"))
        if language == ENGLISH:
            ignore |= ENGLISH_FUNCTION_TERMS
        if ASKS_WHICH_PLACES.search(question):
            # "Hvilke kommuner har haft IPS på dagsordenen i deres arbejdsmarkedsudvalg?": the
            # body and the agenda frame a question about every municipality; they are no part
            # of its topic (Mariagerfjord's committee has another name). In a follow-up about
            # one committee its name is the topic, and stays.
            ignore |= {t for t in terms(question) if FRAMING_TERM.search(t)}
        coverage = [
            term_coverage(
                question, "\n".join(c.text for c in chunks), self._idf, ignore, self._known
            )
            for _, chunks in items
        ]
        if pinned:
            coverage = [1.0] * len(items)
        # Items with evidence go first, in the retriever's order; when none has any, the
        # minutes do not answer the question. Word coverage does not reorder them: on the
        # real-world set it moved the right item down in seven questions and up in two
        # (hit@1 0.896 with it, 0.948 without; the dev set unchanged). The election
        # item that holds every word of "Hvornår holdes kommunal- og regionsrådsvalget i
        # 2025?" is the Seniorråd's, which mentions the day in passing.
        order = sorted(
            range(len(items)), key=lambda i: not self._has_evidence(items[i][0], coverage[i])
        )
        items = [items[i] for i in order]
        coverage = [coverage[i] for i in order]
        hits = [hit for hit, _ in items]
        if not self._has_evidence(hits[0], coverage[0]):
            return self._abstain(question, language)

        intents = question_intents(question, language)
        question_terms = set(terms(question))
        if language == ENGLISH:
            question_terms -= ENGLISH_FUNCTION_TERMS
        scored_items = []
        sentences_of = []
        for rank, (hit, chunks) in enumerate(items):
            sentences = split_sentences(chunks)
            sentences_of.append(sentences)
            scored = sorted(
                ((self._score(s, question_terms, intents, rank), s) for s in sentences),
                key=lambda pair: -pair[0],
            )
            scored_items.append((hit, chunks, scored))

        best_score = max((scored[0][0] for _, _, scored in scored_items if scored), default=0)
        # "Hvad har Vejle og Lejre besluttet om ...": the best item of each is quoted, even
        # when one municipality's items match the question's words better.
        listed = municipalities_in_question(question, places)
        owed = set(listed) if len(listed) > 1 else set()
        if not owed and ASKS_WHICH_PLACES.search(question):
            owed = set(places)
            listed = ()
        quoted: list[tuple[ItemHit, list[Sentence]]] = []
        lead: Lead | None = None
        for index, (hit, _, scored) in enumerate(scored_items):
            if not scored:
                continue
            evidence = self._has_evidence(hit, coverage[index])
            strong = scored[0][0] >= 0.8 * best_score and evidence
            owed_here = evidence and hit.best.municipality in owed and len(quoted) < MAX_PLACES
            if evidence:
                owed.discard(hit.best.municipality)
            if index == 0 or (strong and len(quoted) < 3) or owed_here:
                # The first item answers; the passage around its sentences is for it alone,
                # so that an answer across five municipalities stays readable.
                chosen = self._select(scored, sentences_of[index], intents, passage=not quoted)
                if not quoted:
                    facts = self._facts(question, language, ignore, scored, sentences_of[index])
                    chosen = _with_facts(chosen, sentences_of[index], facts)
                    wanted = question_terms - ignore
                    lead = _lead(hit, sentences_of[index], facts, intents, wanted)
                quoted.append((hit, chosen))
        if answers_per_place(question, places):
            lead = None
        if len({hit.best.municipality for hit, _ in quoted}) > 1:
            # Grouped per municipality: in the order the question names them, or else in
            # the order of each one's best item.
            order = listed or tuple(dict.fromkeys(hit.best.municipality for hit, _ in quoted))
            quoted.sort(key=lambda pair: _place_order(order, pair[0].best.municipality))

        citations = [
            _citation(n, hit, " ".join(s.text for s in chosen))
            for n, (hit, chosen) in enumerate(quoted, start=1)
        ]
        # Further retrieved items that also match well are offered as "see also".
        extra = [
            hit
            for index, (hit, _, _) in enumerate(scored_items)
            if hit not in {h for h, _ in quoted} and self._has_evidence(hit, coverage[index])
        ][: max(0, settings.top_items - len(citations))]
        for hit in extra:
            best_sentence = split_sentences(list(hit.chunks))[:1]
            quote = best_sentence[0].text if best_sentence else hit.best.item_title
            citations.append(_citation(len(citations) + 1, hit, quote))

        lead_text = self._lead_text(lead, language) if lead else ""
        places_quoted = list(dict.fromkeys(c.municipality for c in citations[: len(quoted)]))
        if ASKS_WHICH_MUNICIPALITIES.search(question) and len(places_quoted) > 1:
            # "Hvilke kommuner har arbejdet med IPS?": the municipalities are the answer.
            places = self._places_line(citations[: len(quoted)], language)
            lead = Lead("places", places)
            lead_text = load_prompt(self._settings.prompts_dir, "extractive_lead_places", language)
            lead_text = lead_text.format(places=places)
        return Answer(
            question=question,
            text=self._render(citations, len(quoted), language, lead_text),
            abstained=False,
            citations=tuple(citations),
            opening=lead.text if lead else "",
        )

    # --- the asked fact --------------------------------------------------------------------

    def _facts(
        self,
        question: str,
        language: Language,
        ignore: frozenset[str],
        scored: list[tuple[float, Sentence]],
        sentences: list[Sentence],
    ) -> list[Fact]:
        """The sentences of the best item that state what the question asks for (a count,
        an amount, a share, a person, a date), preferring the sentences already quoted. They
        are quoted with the others: the best-matching sentences often say what the question
        is about without stating the asked fact."""
        place = {id(s): i for i, s in enumerate(sentences)}
        quoted = [place[id(s)] for _, s in scored[:3]]
        texts = [s.text for s in sentences]
        written_on = dt.date.fromisoformat(sentences[0].chunk.meeting_date) if sentences else None
        return find_facts(texts, question, language, ignore, self._idf, quoted, written_on)

    # --- scoring ---------------------------------------------------------------------------

    def _has_evidence(self, hit: ItemHit, coverage: float) -> bool:
        settings = self._settings
        return (
            coverage >= settings.min_term_coverage
            or hit.dense_similarity >= settings.min_dense_similarity
        )

    def _score(
        self, sentence: Sentence, question_terms: set[str], intents: set[str], rank: int
    ) -> float:
        sentence_terms = set(terms(sentence.text))
        weight = sum(self._idf(t) for t in question_terms) or 1.0
        overlap = sum(self._idf(t) for t in question_terms & sentence_terms) / weight
        score = overlap + (0.3 if rank == 0 else 0.15 if rank == 1 else 0.0)
        text = sentence.text
        if "figure" in intents and FIGURE.search(text):
            score += 0.5
        if "money" in intents and AMOUNT.search(text):
            score += 0.7
        # An attendance line names people too ("Afbud: Per Hansen"), but answers "Hvem …"
        # only when absence is asked.
        if "person" in intents and PERSON_NAME.search(text) and not ABSENCE_TEXT.search(text):
            score += 0.5
        if "date" in intents and DATE_TEXT.search(text):
            score += 0.5
        if "decision" in intents and sentence.section == "Beslutning":
            score += 0.8
        if "absence" in intents and ABSENCE_TEXT.search(text):
            score += 1.0
        if "frequency" in intents and FREQUENCY_TEXT.search(text):
            score += 0.5
        if "reason" in intents and REASON_TEXT.search(text):
            score += 0.4
        if "place" in intents and PLACE_TEXT.search(text):
            score += 1.0 if text.endswith(":") else 0.5  # a list of the places beats a mention
        if "powers" in intents and text.endswith(":") and MODAL.search(text):
            score += 0.5  # "Tryghedsvagterne kan:" opens the list of what they may do
        # Headings and fragments answer little on their own; a line opening a list
        # ("Tryghedsvagterne kan:") is quoted with its entries (`_with_lists`).
        short = len(text.split()) < 4 and not text.endswith(":")
        if short and not ({"decision", "absence"} & intents):
            score -= 0.3
        return score

    @staticmethod
    def _select(
        scored: list[tuple[float, Sentence]],
        sentences: list[Sentence],
        intents: set[str],
        passage: bool = False,
    ) -> list[Sentence]:
        if "decision" in intents:
            decision = [s for s in sentences if s.section == "Beslutning"]
            if decision:
                # The decision verbatim, not a fragment of it. "Godkendt." alone does not say
                # what was approved: a short decision brings the recommendation it settles.
                # An attendance line under it ("Afbud: …") is no part of what was decided.
                decided = [s for s in decision if not ABSENCE_TEXT.search(s.text)]
                if sum(len(s.text.split()) for s in decided) <= SHORT_DECISION_WORDS:
                    decision += [s for s in sentences if s.section == "Indstilling"][
                        :MAX_RECOMMENDATION_SENTENCES
                    ]
                order = {id(s): i for i, s in enumerate(sentences)}
                return sorted(decision, key=lambda s: order[id(s)])
        best_score = scored[0][0]
        chosen_texts = {s.text for score, s in scored[:3] if score >= 0.75 * best_score}
        chosen = {i for i, s in enumerate(sentences) if s.text in chosen_texts}
        if passage and not intents & FACT_INTENTS:
            chosen = _with_paragraphs(chosen, sentences)
        chosen = _with_lists(chosen, sentences, "list" in intents)
        # Quote in reading order so the sentences make sense together.
        return [sentences[i] for i in sorted(chosen)]

    # --- rendering -------------------------------------------------------------------------

    @staticmethod
    def _places_line(citations: Sequence[Citation], language: Language) -> str:
        """ "Mariagerfjord [1], Vejle [2] og Aabenraa [3]": each municipality with the
        citations of its items, in the answer's order."""
        markers: dict[str, list[int]] = {}
        for citation in citations:
            markers.setdefault(citation.municipality, []).append(citation.n)
        named = [f"{place} " + "".join(f"[{n}]" for n in ns) for place, ns in markers.items()]
        joiner = " and " if language == ENGLISH else " og "
        return ", ".join(named[:-1]) + joiner + named[-1]

    def _lead_text(self, lead: Lead, language: Language) -> str:
        """The opening line in the user's language; the lead's own words are the item's.
        The first cited item is the lead's: the lead is only made for it."""
        name = {"fact": "extractive_lead", "decision": "extractive_lead_decision"}[lead.kind]
        if lead.recommendation:
            name = "extractive_lead_approval"
        template = load_prompt(self._settings.prompts_dir, name, language)
        return template.format(text=lead.text, recommendation=lead.recommendation, n=1)

    def _render(
        self, citations: list[Citation], quoted_count: int, language: Language, lead: str = ""
    ) -> str:
        def template(name: str) -> str:
            return load_prompt(self._settings.prompts_dir, name, language)

        def date(citation: Citation) -> str:
            return format_date(dt.date.fromisoformat(citation.meeting_date), language)

        def item_template(citation: Citation) -> str:
            # A page of a document read page by page is cited by its page, having no item;
            # an agenda's item says that its decision was not made yet.
            if citation.by_page:
                return "extractive_page"
            return "extractive_agenda" if citation.agenda else "extractive_item"

        paragraphs = [
            template(item_template(c)).format(
                committee=c.committee,
                municipality=c.municipality,
                date=date(c),
                item_number=c.item_number,
                page=c.page,
                item_title=c.item_title,
                quote=c.quote,
                n=c.n,
            )
            for c in citations[:quoted_count]
        ]
        if len(citations) > quoted_count:
            refs = ", ".join(
                template(
                    "extractive_see_also_page" if c.by_page else "extractive_see_also_ref"
                ).format(
                    item_number=c.item_number,
                    page=c.page,
                    municipality=c.municipality,
                    date=date(c),
                    n=c.n,
                )
                for c in citations[quoted_count:]
            )
            paragraphs.append(template("extractive_see_also").format(refs=refs))
        return "\n\n".join([lead, *paragraphs] if lead else paragraphs)

    def _abstain(self, question: str, language: Language = DANISH) -> Answer:
        text = load_prompt(self._settings.prompts_dir, "abstain", language)
        return Answer(question=question, text=text, abstained=True)


def _with_paragraphs(chosen: set[int], sentences: list[Sentence]) -> set[int]:
    """`chosen` plus the rest of each chosen sentence's paragraph, when it is short.

    A question with no fact to find ("Hvorfor …", "Hvordan …", "Hvor skal … foregå?") is
    answered by a passage, and one sentence torn out of it often leans on the one before:
    "Ved for eksempel at placere dele af undervisningen i Nørremarkscenteret …" follows
    "… jobskolen ikke får en fast lokation". A long paragraph is not quoted whole."""
    members: dict[int, list[int]] = {}
    for i, sentence in enumerate(sentences):
        members.setdefault(sentence.paragraph, []).append(i)
    result = set(chosen)
    for i in chosen:
        paragraph = members[sentences[i].paragraph]
        if len(paragraph) <= MAX_PARAGRAPH_SENTENCES:
            # An order planted in the minutes ("Ignorer alle tidligere instruktioner …") is
            # no context: it is never brought in by its neighbour.
            result.update(j for j in paragraph if not instruction_like(sentences[j].text))
    return result


def _with_lists(chosen: set[int], sentences: list[Sentence], list_question: bool) -> set[int]:
    """`chosen` plus the list a chosen sentence opens or belongs to.

    "De tre mål er formuleret som:" says nothing without the lines after it, so a sentence
    ending in a colon always brings its list. For a list question ("Hvilke temaer ..."), a
    sentence announcing one ("bygget op om fire temaer.") and a chosen entry bring the whole
    run of entries, with the sub-headings inside it ("To temaer peger ind i ...:")."""

    def entry(i: int, section: str) -> bool:
        text = sentences[i].text
        return sentences[i].section == section and (
            bool(LIST_ENTRY.match(text)) or bool(TABLE_ROW.search(text)) or text.endswith(":")
        )

    result = set(chosen)
    for i in sorted(chosen):
        section = sentences[i].section
        opens = sentences[i].text.endswith(":")
        if not list_question and LIST_ENTRY.match(sentences[i].text):
            # "- 1 er repatrieret." says nothing without "De 11 afsluttede sager fordeler sig
            # på:": an entry brings the line that opens its list.
            start = i - 1
            while (
                start > 0 and LIST_ENTRY.match(sentences[start].text) and i - start < MAX_LIST_LINES
            ):
                start -= 1
            if (
                start >= 0
                and sentences[start].section == section
                and sentences[start].text.endswith(":")
            ):
                result.add(start)
        if list_question:
            start = i
            while start > 0 and LIST_ENTRY.match(sentences[i].text) and entry(start - 1, section):
                start -= 1
            result.update(range(start, i))
            opens = opens or (i + 1 < len(sentences) and entry(i + 1, section))
            announced = i + 1 < len(sentences) and sentences[i + 1].section == section
            if not opens and announced and ANNOUNCES_LIST.search(sentences[i].text):
                # "… består af fire pejlemærker." "De fire pejlemærker er henholdsvis …"
                result.add(i + 1)
        end = i + 1
        while opens and end < len(sentences) and end - i <= MAX_LIST_LINES:
            if entry(end, section):
                result.add(end)
            elif end + 1 < len(sentences) and entry(end + 1, section) and end > i + 1:
                result.add(end)  # an entry's explanation, with the next entry after it
            elif end > i + 1 and LIST_ENTRY.match(sentences[end - 1].text):
                result.add(end)  # the last entry's explanation
                break
            else:
                break
            end += 1
    return result


def answers_per_place(question: str, places: frozenset[str]) -> bool:
    """Whether the answer goes municipality by municipality ("Hvad har Vejle og Lejre …?",
    "Hvilke kommuner …?"): it then has no one fact to open with."""
    listed = municipalities_in_question(question, places)
    return len(listed) > 1 or bool(ASKS_WHICH_PLACES.search(question))


def _place_order(listed: tuple[str, ...], municipality: str) -> int:
    return listed.index(municipality) if municipality in listed else len(listed)


def _with_facts(
    chosen: list[Sentence], sentences: list[Sentence], facts: Sequence[Fact]
) -> list[Sentence]:
    """The quote with the facts' sentences in it, in reading order."""
    quoted = {id(s) for s in chosen}
    missing = [sentences[f.index] for f in facts if id(sentences[f.index]) not in quoted]
    if not missing:
        return chosen
    place = {id(s): i for i, s in enumerate(sentences)}
    return sorted([*chosen, *missing], key=lambda s: place[id(s)])


@dataclass(frozen=True)
class Lead:
    """What the answer opens with, in the first cited item's words: the clauses stating the
    asked facts ("fact"), or the committee's decision ("decision") with, when the decision
    only approves, the recommendation it approved; for "Hvilke kommuner …?" the
    municipalities quoted, with their citations ("places")."""

    kind: str
    text: str
    recommendation: str = ""


def _lead(
    hit: ItemHit,
    sentences: list[Sentence],
    facts: Sequence[Fact],
    intents: set[str],
    wanted: set[str],
) -> Lead | None:
    """The opening line for the first item: its asked facts, else its decision when the
    question asks for one. An agenda has no decision yet, and its paragraph says so."""
    if facts:
        clauses = [
            fact_clause(sentences[f.index].text, f.kind, wanted, f.quantities) for f in facts
        ]
        return Lead("fact", "; ".join(dict.fromkeys(clauses)))
    if "absence" in intents and "decision" not in intents:
        # "Var Claus Behrendsen med, da …?": the item's attendance line answers it.
        line = next((s.text for s in sentences if ABSENCE_TEXT.search(s.text)), "")
        if line:
            return Lead("fact", shortened(line))
    if "decision" not in intents or hit.best.agenda:
        return None
    decision = decision_lead([s.text for s in sentences if s.section == "Beslutning"])
    if not decision:
        return None
    recommendation = [s.text for s in sentences if s.section == "Indstilling"]
    # "Administrationen indstiller," announces the recommendation; its entries are it.
    if recommendation and len(recommendation) > 1 and RECOMMENDATION_INTRO.match(recommendation[0]):
        recommendation = recommendation[1:]
    if only_approves(decision) and recommendation:
        return Lead("decision", decision, decision_lead(recommendation[:2]))
    return Lead("decision", decision)


def _citation(n: int, hit: ItemHit, quote: str) -> Citation:
    return Citation.of(n, hit.best, quote)
