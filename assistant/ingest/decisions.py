"""Decision records -> data: status, dissent and absence read from a decision's own text.

Only the decision sections are read: case text describes citizens who "deltog ikke i mødet"
or proposals that were "ikke godkendt" last year, which are not this committee's record.
"""

from __future__ import annotations

import re

from assistant.core.types import Decision
from assistant.danish.dates import parse_danish_date

# Status -> the phrases that state it. Checked in DECISION_STATUSES order, so "anbefales
# godkendt" is a recommendation and "ikke godkendt" is not an approval.
STATUS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (
            "ikke godkendt",
            r"\bikke\s+(?:godkendt|godkende[rs]?|tiltrådt|vedtaget|imødekommet|bevilget)\b"
            # "Anbefales ikke.", "Godkendes ikke": the verb first, then the negation.
            r"|\b(?:godkendes|anbefales|tiltrædes|vedtages|imødekommes|bevilges)\s+ikke\b"
            r"|\b(?:forkastet|forkastes|afvist|afvises|afviste|nedstemt)\b",
        ),
        # "udsatte unge" are vulnerable young people, not a postponed case.
        (
            "udsat",
            r"(?:^|[.!?]\s+)udsat\b|\b(?:sagen|punktet|behandlingen|beslutningen)\s+"
            r"(?:blev\s+|er\s+)?udsat\b|\budsættes\b|\budskudt\b|\budskydes\b"
            r"|\btages\s+op\s+(?:igen|på\s+et\s+senere)|\bgenoptages\s+på\s+(?:næste|et\s+senere)",
        ),
        (
            "anbefalet",
            r"\banbefal(?:er|es|ede|et)\b"
            r"|\bindstilles\s+til\s+(?:byrådet|kommunalbestyrelsen|økonomiudvalget)",
        ),
        (
            "godkendt",
            r"\bgodkend(?:t|es|te|er)\b|\btiltrådt\b|\btiltrædes\b|\bvedtaget\b|\bvedtages\b"
            r"|\bbevilget\b|\bbevilges\b|\bindstillingen\s+(?:følges|blev fulgt)",
        ),
        (
            "oversendt",
            r"\boversend(?:t|es|er|te)\b|\bsend(?:er|es|t|te)\b[^.]{0,200}?\b(?:til|i)\s+høring\b"
            # Greve's Byråd: "sendte sagen til realitetsbehandling i Klima-, Teknik- og ..."
            r"|\bsend(?:er|es|t|te)\s+sagen\s+til\s+(?:videre\s+|realitets)?behandling\b",
        ),
        (
            "taget til efterretning",
            r"\btil\s+efterretning\b|\btil\s+orientering\b|\borienteringen\s+(?:blev\s+)?taget\b"
            r"|\btog\s+orienteringen\b",
        ),
        ("drøftet", r"\bdrøft(?:et|ede|es)\b|\btemadrøftelse(?:n)?\s+(?:blev\s+)?gennemført"),
    )
)

FORWARDED_TO = re.compile(
    r"\boversend(?:t|es|er|te)\s+til\s+(?:videre\s+behandling\s+i\s+)?"
    r"(?P<body>(?:[A-ZÆØÅ][\w\-]*(?:\s+(?:og|for|i)\s+|\s+)?){1,5})"
)

# "Beslutning Arbejdsmarkedsudvalget den 02-09-2024", "Beslutning i Økonomiudvalget den 4.6.2020",
# "Beslutning i Byrådet den 4. december 2012".
# Linear: the committee takes everything up to the first digit and gives nothing back (a
# lazy committee before "\s*(?:den|d\.)?\s*" tried every split of a run of spaces: cubic);
# the "den" or "d." it takes along is cut off in read_decision.
_LABEL_DATE = (
    r"(?:(?:den|d\.)\s*+)?(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
    r"|\d{1,2}\.?\s+[a-zæøå]+\s+\d{4})?\s*+:?$"
)
DECISION_LABEL = re.compile(
    r"^(?:Beslutning(?:er)?|Afgørelse)(?:\s+i)?\s+(?P<committee>[A-ZÆØÅ][^\d]*+)?" + _LABEL_DATE
)
# "Økonomiudvalgets beslutning den 04.12.2012": the committee in the genitive.
GENITIVE_LABEL = re.compile(
    r"^(?P<committee>[A-ZÆØÅ][^\d]*?)s\s+(?i:beslutning(?:er)?|afgørelse)\s*+" + _LABEL_DATE
)

DISSENT = re.compile(
    r"\bkunne\s+ikke\s+(?:støtte|tiltræde|anbefale|godkende)\b"
    r"|\bstemte\s+(?:imod|nej)\b|\bstemmer\s+imod\b"
    # Recorded votes: "Imod stemte: Liselott Blixt (UP1)", "Imod: Ø og F", "Undlod: Ø".
    r"|\bimod\s+stemte\b|^(?:imod|undlod)\s*:"
    r"|\bønsked?e\s+(?:sin|sine|deres)\s+(?:stemme|holdning|mindretalsudtalelse|synspunkt\w*)"
    r"[^.]*\bprotokol"
    r"|\bført\s+til\s+protokol\b|\bprotokoltilførsel\b"
    r"|\bmindretallet\b|\bmindretalsudtalelse\b"
    r"|\btog\s+forbehold\b|\btager\s+forbehold\b"
    r"|\bundlod\s+at\s+stemme\b|\bundlader\s+at\s+stemme\b",
    re.IGNORECASE,
)

# A person as minutes print them: capitalised names, maybe a party letter, "Per Kragelund (V)".
_NAME = r"[A-ZÆØÅ][\w\-.]+(?:\s+(?:[A-ZÆØÅ][\w\-.]+|\([A-ZÆØÅ]{1,3}\)|af|von|van|de))*"
_NAMES = rf"(?P<names>{_NAME}(?:(?:,\s*|\s+og\s+){_NAME})*)"

ABSENT_PATTERNS = (
    re.compile(
        r"^(?:Fraværende|Afbud(?:\s+fra)?|Forfald|Ikke\s+til\s+stede)\s*:\s*(?P<names>.+?)\.?$",
        re.IGNORECASE,
    ),
    # "Afbud fra Tina Rottbøll (A)" without a colon.
    re.compile(rf"^Afbud\s+fra\s+{_NAMES}"),
    re.compile(rf"^{_NAMES}\s+(?:var|er|blev)\s+fraværende\b"),
    re.compile(
        rf"^{_NAMES}\s+deltog\s+ikke\s+(?:i|under)\s+"
        r"(?:behandlingen|mødet|dette punkt|punktet|sagens behandling)"
    ),
    re.compile(rf"^{_NAMES}\s+havde\s+(?:meldt\s+)?(?:afbud|forfald)\b"),
)

# A sentence ends at . ! ? followed by a capital; good enough for short decision texts. Not
# after an initial: "Fraværende: John T. Olsen" is one sentence.
_SENTENCE_END = re.compile(r"(?<![\s(][A-ZÆØÅ]\.)(?<=[.!?])\s+(?=[A-ZÆØÅ])")


# What may happen ("igangsætningen kan risikere at blive udskudt") is a possibility, not
# the committee's verdict: a status word after one of these in its sentence does not count.
HYPOTHETICAL = re.compile(
    r"\b(?:kan|kunne|vil|ville|risiker(?:e|er|ede)|forventes|eventuelt|muligvis|hvis)\b",
    re.IGNORECASE,
)


# What a later sentence of a decision decides must be the case's: "2. Byrådet godkender
# indstillingen" is, "ID-kort er godkendt og bestilt via Politiet" is a fact of the case.
CASE_SUBJECT = re.compile(
    r"\b(?:\w*udvalg(?:et)?|byråd(?:et)?|kommunalbestyrelsen|regionsrådet|indstilling(?:en)?"
    r"|sagen|punktet|forslaget|beslutningen|orienteringen|anbefalingen)\b",
    re.IGNORECASE,
)


def decision_status(text: str) -> str:
    """The canonical status a decision text states, or "" when it states none.

    A decision opens with its verdict: the first sentence that states a status counts, and
    a later one when it is about the case, its committee or its recommendation. A member's
    dissent ("X kunne ikke godkende indstillingen") and a possibility ("kan risikere at
    blive udskudt") are not the committee's decision; "Godkendt, så projektet kan gå i
    gang" is."""
    stated: set[str] = set()
    for sentence in _sentences(text):
        if DISSENT.search(sentence) or (stated and not CASE_SUBJECT.search(sentence)):
            continue
        stated |= {
            status
            for status, pattern in STATUS_PATTERNS
            if (found := pattern.search(sentence))
            and not HYPOTHETICAL.search(sentence, 0, found.start())
        }
    return next((status for status, _ in STATUS_PATTERNS if status in stated), "")


# Inside one decision section, a line naming a committee and a date opens that committee's
# decision (Næstved: "Omsorgs- og Forebyggelsesudvalget, 20.09.2021" then "Til efterretning.").
COMMITTEE_DATE_LINE = re.compile(
    r"^(?P<committee>[A-ZÆØÅ][\w\s\-–,&]{2,100}?(?:udvalg(?:et)?|råd(?:et)?|bestyrelse(?:n)?|"
    r"forum|nævn(?:et)?)),?\s+(?:den\s+|d\.\s*)?(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\.?$"
)


def read_decisions(text: str, label: str = "") -> list[Decision]:
    """The decisions in one decision section: usually one, several when the section lists
    each committee's decision under a 'Committee, date' line."""
    blocks: list[tuple[str, list[str]]] = [(label, [])]
    for line in text.split("\n"):
        if match := COMMITTEE_DATE_LINE.match(line.strip()):
            blocks.append((f"Beslutning {match['committee']} den {match['date']}", [line]))
        else:
            blocks[-1][1].append(line)
    decisions = [
        read_decision("\n".join(lines).strip(), block_label)
        for block_label, lines in blocks
        if "\n".join(lines).strip()
    ]
    return decisions


def read_decision(text: str, label: str = "") -> Decision:
    committee, date = "", None
    if label and (match := DECISION_LABEL.match(label) or GENITIVE_LABEL.match(label)):
        committee = (match["committee"] or "").strip(" ,:-–")
        words = committee.rsplit(None, 1)
        if len(words) == 2 and words[1] in ("den", "d."):
            committee = words[0].strip(" ,:-–")
        if match["date"]:
            date = parse_danish_date(match["date"])
    forwarded = FORWARDED_TO.search(text)
    return Decision(
        text=text,
        status=decision_status(text),
        committee=committee,
        date=date,
        forwarded_to=forwarded["body"].strip() if forwarded else "",
    )


def dissent_sentences(text: str) -> tuple[str, ...]:
    """Verbatim sentences of a decision text that record a vote against or a protest."""
    found: list[str] = []
    for sentence in _sentences(text):
        if DISSENT.search(sentence) and sentence not in found:
            found.append(sentence)
    return tuple(found)


def absentee_names(text: str) -> tuple[str, ...]:
    """Who a decision text records as absent, in printed order, without repeats."""
    names: list[str] = []
    for sentence in _sentences(text):
        for pattern in ABSENT_PATTERNS:
            if match := pattern.match(sentence):
                names.extend(n for n in split_names(match["names"]) if n not in names)
                break
    return tuple(names)


def split_names(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    parts = re.split(r",\s*|(?<!\s)\s+og\s+|;\s*", text.strip().rstrip("."))
    return tuple(p.strip() for p in parts if p.strip())


def _sentences(text: str) -> list[str]:
    return [
        sentence.strip()
        for line in text.split("\n")
        for sentence in _SENTENCE_END.split(line.strip())
        if sentence.strip()
    ]
