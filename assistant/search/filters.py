"""Search filters: one typed object for the CLI flags, the chat and the question itself.

A question often says where to look: "i Vejle", "Arbejdsmarkedsudvalget", "i 2023", "den 4.
januar 2024", "sag 23/7010", "punkt 71". Names are matched against what the index actually
holds (its municipalities and committees), so an unknown name never filters everything away.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from assistant.core.errors import InvalidDate
from assistant.core.types import Chunk
from assistant.danish.case_numbers import case_numbers_in, normalise_case_number
from assistant.danish.dates import DANISH_MONTHS, ENGLISH_MONTHS, day_number, format_date
from assistant.danish.language import DANISH, ENGLISH, Language
from assistant.danish.municipalities import (
    ascii_fold,
    municipalities_in_question,
    unindexed_municipality,
)
from assistant.danish.text import terms


@dataclass(frozen=True)
class SearchFilter:
    municipality: str | None = None
    # The municipalities listed with `municipality` ("Hvad har Vejle og Lejre besluttet om
    # ..."): the search covers every one of them. Empty without `municipality`.
    other_municipalities: tuple[str, ...] = ()
    committee: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    case_key: str | None = None  # normalised, see assistant.casenumbers
    item_number: int | None = None
    closed: bool | None = None  # True: closed items only; False: open items only
    section: str | None = None  # canonical section name, e.g. "Beslutning"

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, ()) for f in fields(self))

    @property
    def municipalities(self) -> tuple[str, ...]:
        """Every municipality searched, in the order the question names them."""
        if self.municipality is None:
            return ()
        return (self.municipality, *self.other_municipalities)

    def merged_over(self, other: SearchFilter) -> SearchFilter:
        """This filter's values, with `other`'s where this one has none (explicit over implied)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in values.items():
            if value is None:
                values[name] = getattr(other, name)
        if self.municipality is None:  # the municipalities are one value: all or none
            values["other_municipalities"] = other.other_municipalities
        return SearchFilter(**values)

    def within(self, municipalities: tuple[str, ...]) -> SearchFilter:
        """This filter, searching these municipalities instead (none: every one)."""
        return replace(
            self,
            municipality=municipalities[0] if municipalities else None,
            other_municipalities=tuple(municipalities[1:]),
        )

    @property
    def names_item(self) -> bool:
        """Whether the filter points at particular items (a case or an item number), whose
        text then answers whatever its words."""
        return self.case_key is not None or self.item_number is not None

    def without_dates(self) -> SearchFilter:
        return replace(self, date_from=None, date_to=None)

    def describe(self, language: Language = DANISH) -> str:
        """For notes to the user: 'Vejle Kommune, Arbejdsmarkedsudvalget, september 2023', or
        the same in English. Names stay as the minutes print them."""
        words = DESCRIPTION_WORDS[language]
        parts: list[str] = []
        if self.municipalities:
            named = [words["municipality"].format(name) for name in self.municipalities]
            parts.append(
                named[0]
                if len(named) == 1
                else f"{', '.join(named[:-1])} {words['and']} {named[-1]}"
            )
        if self.committee:
            parts.append(self.committee)
        if self.date_from or self.date_to:
            parts.append(_describe_dates(self.date_from, self.date_to, language))
        if self.case_key:
            parts.append(words["case"].format(self.case_key))
        if self.item_number is not None:
            parts.append(words["item"].format(self.item_number))
        if self.closed is not None:
            parts.append(words["closed"] if self.closed else words["open"])
        if self.section:
            parts.append(words["section"].format(self.section))
        return ", ".join(parts)

    def matches(self, chunk: Chunk) -> bool:
        return (
            (self.municipality is None or chunk.municipality in self.municipalities)
            and (self.committee is None or chunk.committee == self.committee)
            and (self.date_from is None or chunk.meeting_day >= day_number(self.date_from))
            and (self.date_to is None or chunk.meeting_day <= day_number(self.date_to))
            and (self.case_key is None or chunk.case_key == self.case_key)
            and (self.item_number is None or chunk.item_number == self.item_number)
            and (self.closed is None or chunk.closed == self.closed)
            and (self.section is None or self.section in chunk.sections.split(","))
        )

    def conditions(self) -> list[tuple[str, str, Any]]:
        """(field, operator, value) comparisons on chunk fields, which the retriever applies
        as vectorised column tests. The section is not among them: a chunk lists its sections
        in one string, tested on its own."""
        conditions: list[tuple[str, str, Any]] = []
        if len(self.municipalities) > 1:
            conditions.append(("municipality", "in", self.municipalities))
        elif self.municipality is not None:
            conditions.append(("municipality", "==", self.municipality))
        for name in ("committee", "case_key", "item_number"):
            if (value := getattr(self, name)) is not None:
                conditions.append((name, "==", value))
        if self.closed is not None:
            conditions.append(("closed", "==", self.closed))
        if self.date_from:
            conditions.append(("meeting_day", ">=", day_number(self.date_from)))
        if self.date_to:
            conditions.append(("meeting_day", "<=", day_number(self.date_to)))
        return conditions


DESCRIPTION_WORDS: dict[Language, dict[str, str]] = {
    DANISH: {
        "municipality": "{} Kommune", "case": "sag {}", "item": "punkt {}",
        "closed": "lukkede punkter", "open": "åbne punkter", "section": "afsnittet {}",
        "from": "fra {}", "to": "til {}", "span": "{} til {}", "and": "og",
    },
    ENGLISH: {
        "municipality": "{} Municipality", "case": "case {}", "item": "item {}",
        "closed": "closed items", "open": "open items", "section": "the section {}",
        "from": "from {}", "to": "until {}", "span": "{} to {}", "and": "and",
    },
}  # fmt: skip
MONTH_NAMES: dict[Language, tuple[str, ...]] = {DANISH: DANISH_MONTHS, ENGLISH: ENGLISH_MONTHS}


def _describe_dates(start: dt.date | None, end: dt.date | None, language: Language) -> str:
    """A day, a month, a span of months, a year, or from/until a day."""
    words, months = DESCRIPTION_WORDS[language], MONTH_NAMES[language]
    if start and end:
        if start == end:
            return format_date(start, language)
        whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
        if whole_months and (start.month, end.month) == (1, 12):
            return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
        if whole_months:
            last = f"{months[end.month - 1]} {end.year}"
            if (start.year, start.month) == (end.year, end.month):
                return last
            first = months[start.month - 1]
            return words["span"].format(
                f"{first}{'' if start.year == end.year else f' {start.year}'}", last
            )
        return words["span"].format(format_date(start, language), format_date(end, language))
    if start:
        return words["from"].format(format_date(start, language))
    assert end is not None
    return words["to"].format(format_date(end, language))


# --- reading filters out of a question ----------------------------------------------------------

_MONTHS = "|".join(DANISH_MONTHS)
EXACT_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})\.?\s*(?P<month>{_MONTHS})\s+(?P<year>(?:19|20)\d{{2}})\b"
    r"|\b(?P<d>\d{1,2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d{2})\b"
    r"|\b(?P<iso_y>(?:19|20)\d{2})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})\b",
    re.IGNORECASE,
)
MONTH = re.compile(rf"\b(?:i|fra|for|pr\.?|per|ultimo|primo|medio)\s+(?P<month>{_MONTHS})"
                   rf"(?:\s+(?P<year>(?:19|20)\d{{2}}))?\b", re.IGNORECASE)  # fmt: skip
# "i 2023", but not the period "2022-2025" or "2024/25".
# "fra august 2022 til august 2023": the whole span, not its first month.
MONTH_RANGE = re.compile(
    rf"\bfra\s+(?P<first>{_MONTHS})\s+(?P<first_year>(?:19|20)\d{{2}})\s+(?:til|og\s+til|-|–)\s+"
    rf"(?P<last>{_MONTHS})\s+(?P<last_year>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
# "fra 2022 til 2025", "mellem 2021 og 2023": every year of the span, not its first.
YEAR_RANGE = re.compile(
    r"\b(?:fra|mellem|from|between)\s+(?P<first>(?:19|20)\d{2})\s+(?:til|og|to|and)\s+"
    r"(?P<last>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
YEAR = re.compile(
    r"\b(?:i|fra|for|år|året|in)\s+(?P<year>(?:19|20)\d{2})\b(?![-–/]\d)", re.IGNORECASE
)
# "restancen ultimo 2024", "antallet pr. 2023": the time a figure counts, reported at a later
# meeting, so it is no meeting filter; only the period the question asks about.
POINT_IN_YEAR = re.compile(
    r"\b(?:ultimo|primo|medio|pr\.|udgangen\s+af|starten\s+af|slutningen\s+af"
    r"|begyndelsen\s+af|end\s+of|start\s+of|beginning\s+of)\s+(?P<year>(?:19|20)\d{2})\b(?![-–/]\d)",
    re.IGNORECASE,
)
ITEM_NUMBER = re.compile(
    r"\b(?:punkt|pkt\.?|sag|sak|dagsordenspunkt)\s+(?:nr\.?\s*)?(\d{1,4})\b(?![/\-.]\d)", re.I
)
# Figures are reported up to a quarter after the month they count: "hvor mange var der i
# august 2023" is answered by the September minutes, December 2024's by a status item of March
# 2025 (real Greve minutes: with a two-month lag that item was filtered out).
FIGURE_QUESTION = re.compile(
    r"\b(?:hvor\s+mange|hvor\s+meget|antal(?:let)?|hvor\s+stor|hvor\s+høj|status\s+pr)\b",
    re.IGNORECASE,
)
REPORTING_LAG_MONTHS = 3
# A year's figures come in the annual reports and status items of the next spring ("Ukrainske
# flygtninge i Greve Kommune, status", March 2025, counts those who came in 2024).
YEAR_REPORTING_LAG_MONTHS = 6


@dataclass(frozen=True)
class IndexVocabulary:
    """What the index holds, so a question is only read for names and dates that exist."""

    municipalities: frozenset[str] = frozenset()
    committees: frozenset[str] = frozenset()
    case_keys: frozenset[str] = frozenset()
    meeting_months: frozenset[tuple[int, int]] = frozenset()  # (year, month)


def filters_in_question(
    question: str, vocabulary: IndexVocabulary, today: dt.date | None = None
) -> SearchFilter:
    """The filters a question states; only names and cases the index holds count."""
    case_key = next(
        (key for written in case_numbers_in(question)
         if (key := normalise_case_number(written)) in vocabulary.case_keys),
        None,
    )  # fmt: skip
    date_from, date_to = dates_in_question(
        question, today or dt.date.today(), vocabulary.meeting_months
    )
    item = ITEM_NUMBER.search(question)
    return SearchFilter(
        # "Hvad valgte Børne- og Skoleudvalget …" with none of its meetings indexed: a scope
        # without meetings, as for a municipality the index does not hold.
        committee=committee_in_question(question, vocabulary.committees)
        or unindexed_committee(question, vocabulary.committees),
        date_from=date_from,
        date_to=date_to,
        case_key=case_key,
        item_number=int(item.group(1)) if item and not case_key else None,
    ).within(
        municipalities_in_question(question, vocabulary.municipalities)
        # "Hvad har Kolding Kommune besluttet …" with no Kolding minutes indexed: a scope
        # without meetings (the service still answers when the minutes talk about Kolding).
        or tuple(filter(None, [unindexed_municipality(question, vocabulary.municipalities)]))
    )


GENERIC_OWNER = re.compile(r"\b(?:deres|sine|kommunernes|alle|hvert|hver|begge)\s+$")


def committee_in_question(question: str, committees: frozenset[str]) -> str | None:
    """The indexed committee a question names, in any common inflection: 'Arbejdsmarkeds-
    udvalget', 'arbejdsmarkedsudvalgets', 'Arbejdsmarkedsudvalg'. The longest name wins, so
    'Udvalget for Job og Arbejdsmarked' is not read as some shorter committee."""
    folded = ascii_fold(question.lower())
    for name in sorted(committees, key=len, reverse=True):
        stem = re.sub(r"(?:et|en)$", "", ascii_fold(name.lower()))
        # A bare "udvalget" names no committee in particular, and "byrådet" most often
        # the council's decision as a committee's minutes retell it ("som byrådet vedtog den
        # 12. november 2018"): a filter to the council's own meetings would hide those.
        # (Folded: "byråd" is "byraad".)
        if len(stem) < 6 or stem in ("udvalg", "byraad", "raad", "kommunalbestyrels"):
            continue
        for match in re.finditer(rf"\b{re.escape(stem)}(?:et|en|ets|ens|s|e|ene)?\b", folded):
            # "i deres arbejdsmarkedsudvalg", "kommunernes arbejdsmarkedsudvalg": each
            # municipality's own, whatever it is called, not the committee of that name.
            if not GENERIC_OWNER.search(folded[: match.start()]):
                return name
    return None


# A committee named as the minutes name one: capitalised, ending in "udvalget" ("Børne- og
# Skoleudvalget", "Skole-, Børne- og Ungeudvalget"), or "Udvalget for Børn og Unge". A lower-
# case "arbejdsmarkedsudvalget" is how staff speak of whichever committee it is.
COMMITTEE_NAME = re.compile(
    r"\b(?:[A-ZÆØÅ][a-zæøå]*-,?\s+(?:[A-Za-zÆØÅæøå][a-zæøå]*-,?\s+)*og\s+)?"
    r"[A-ZÆØÅ][a-zæøå]*udvalg(?:et|ets)\b"
    r"|\bUdvalget\s+for\s+[A-ZÆØÅ][a-zæøå]*(?:,?\s+(?:og\s+)?[A-ZÆØÅ][a-zæøå]*)*"
)


def unindexed_committee(question: str, committees: frozenset[str]) -> str | None:
    """A committee the question names that shares no word with any committee the index
    holds ("Børne- og Skoleudvalget" among labour-market committees), as written; None when
    it names an indexed one, or one whose words an indexed committee has (it may be that
    one, loosely named: "Arbejdsmarkedsudvalget" for "Udvalget for Arbejdsmarked og
    Uddannelse")."""
    # An indexed committee, however it is inflected, shares its own words: no call to
    # `committee_in_question` is needed to tell it apart.
    if not committees:
        return None
    known = set().union(*(_committee_words(name) for name in committees))
    for match in COMMITTEE_NAME.finditer(question):
        words = _committee_words(match[0])
        if words and not words & known:
            return re.sub(r"udvalgets$", "udvalget", match[0])
    return None


def _committee_words(name: str) -> set[str]:
    """The stemmed words naming what a committee is for ("børn", "skol")."""
    return set(terms(re.sub(r"udvalg\w*", " ", name, flags=re.IGNORECASE)))


def dates_in_question(
    question: str,
    today: dt.date,
    meeting_months: frozenset[tuple[int, int]] = frozenset(),
    with_lag: bool = True,
) -> tuple[dt.date | None, dt.date | None]:
    """A date range the question names: a day, a month (of a year), or a year. A day that
    does not exist ("31. februar 2024") raises InvalidDate naming it. `with_lag`: a month's
    figures are searched in the meetings of the months after it too (REPORTING_LAG_MONTHS);
    without it, the range is the period the question asks about and no more."""
    lag = _lag(question) if with_lag else 0
    if match := EXACT_DATE.search(question):
        if match["day"]:
            day, month, year = int(match["day"]), _month(match["month"]), int(match["year"])
        elif match["iso_y"]:
            day, month, year = int(match["iso_d"]), int(match["iso_m"]), int(match["iso_y"])
        else:
            day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
            year += 2000 if year < 100 else 0
        try:
            date = dt.date(year, month, day)
        except ValueError:
            # "31. februar 2024": dropping it would search every date and answer as if the
            # question had named none.
            raise InvalidDate(match[0]) from None
        return date, date
    if match := MONTH_RANGE.search(question):
        first, last = _month(match["first"]), _month(match["last"])
        start = dt.date(int(match["first_year"]), first, 1)
        end_year, end_month = _plus_months(int(match["last_year"]), last, lag)
        return start, dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    if match := MONTH.search(question):
        month = _month(match["month"])
        year = int(match["year"]) if match["year"] else _latest_year(month, today, meeting_months)
        start = dt.date(year, month, 1)
        end_year, end_month = _plus_months(year, month, lag)
        end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        return start, end
    if match := YEAR_RANGE.search(question):
        first, last = sorted((int(match["first"]), int(match["last"])))
        end_year, end_month = _plus_months(last, 12, YEAR_REPORTING_LAG_MONTHS if lag else 0)
        end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        return dt.date(first, 1, 1), end
    if match := YEAR.search(question):
        year = int(match["year"])
        # "handlingsplanen for 2025", "byggesagsgebyrerne for 2024": a plan or a budget for a
        # year is decided in the year before it too. (Not so for the period asked about.)
        first = year - 1 if with_lag and match[0].lower().startswith("for") else year
        if lag:
            end_year, end_month = _plus_months(year, 12, YEAR_REPORTING_LAG_MONTHS)
            end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
            return dt.date(first, 1, 1), end
        return dt.date(first, 1, 1), dt.date(year, 12, 31)
    return None, None


def asked_period(
    question: str, today: dt.date, meeting_months: frozenset[tuple[int, int]] = frozenset()
) -> tuple[dt.date, dt.date] | None:
    """The period a question asks about, as opposed to the meetings it searches: without the
    reporting lag, and with the years figures are counted at ("ultimo 2018"). None when it
    names none, or names a day that does not exist (the search has said so already)."""
    try:
        start, end = dates_in_question(question, today, meeting_months, with_lag=False)
    except InvalidDate:
        return None
    if start is None and (match := POINT_IN_YEAR.search(question)):
        year = int(match["year"])
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (start, end) if start and end else None


def without_period(question: str) -> str:
    """`question` with the days, months and years it names taken out: what it asks about,
    for judging which item is on its topic apart from the period."""
    for phrase in (EXACT_DATE, MONTH_RANGE, MONTH, YEAR, POINT_IN_YEAR):
        question = phrase.sub(" ", question)
    return " ".join(question.split())


def _lag(question: str) -> int:
    return REPORTING_LAG_MONTHS if FIGURE_QUESTION.search(question) else 0


def _plus_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = month - 1 + months
    return year + total // 12, total % 12 + 1


def _month(word: str) -> int:
    return DANISH_MONTHS.index(word.lower()) + 1


def _latest_year(month: int, today: dt.date, meeting_months: frozenset[tuple[int, int]]) -> int:
    """'i september' without a year: the latest September the index has meetings in, or else
    the latest September that has begun."""
    years = [year for year, m in meeting_months if m == month]
    if years:
        return max(years)
    return today.year if month <= today.month else today.year - 1
