"""Every date the product reads or writes: Danish and English month names, dates as
minutes print them, and dates as numbers Chroma can compare."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

from assistant.danish.language import ENGLISH, Language

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_number(day: dt.date) -> int:
    """2024-09-02 -> 20240902: dates as ints, which Chroma and numpy compare as numbers."""
    return day.year * 10000 + day.month * 100 + day.day


def danish_date(day: dt.date) -> str:
    """2 september 2024 -> '2. september 2024', the way minutes and staff write dates."""
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


def format_date(day: dt.date, language: Language) -> str:
    """'2. september 2024' in Danish, '2 September 2024' in English."""
    if language == ENGLISH:
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return danish_date(day)


# "4. januar 2024", "4 jan. 2024"
WRITTEN_DATE = re.compile(
    r"\b(\d{1,2})\.?\s+("
    + "|".join(m[:3] + r"[a-z]*\.?" for m in DANISH_MONTHS)
    + r")\s+(\d{4})\b",
    re.IGNORECASE,
)


def parse_danish_date(text: str) -> dt.date | None:
    """First valid date in `text`: 04-01-2024, 28.09.2021, 2024-01-04 or '4. januar 2024'.

    Numeric dates need one separator throughout, so the times in 'kl. 10.05-12.30' are not
    read as 10 May 2012."""
    return next(_valid_dates(text), None)


def dates_in(text: str) -> list[dt.date]:
    """Every valid date `text` writes, in the order `parse_danish_date` tries them."""
    return list(_valid_dates(text))


def _valid_dates(text: str) -> Iterator[dt.date]:
    for _written, year, month, day, _where in _date_shapes(text):
        if date := _safe_date(year, month, day):
            yield date


def impossible_date(text: str) -> str | None:
    """The first date in `text` as written when it names no day of the calendar ("31.
    februar 2024", "30-02-2023"), else None: a day and month in range (1-31, 1-12) that
    the month does not have, so other numbers are never taken for dates."""
    for written, year, month, day, _where in _date_shapes(text):
        if 1 <= month <= 12 and 1 <= day <= 31 and _safe_date(year, month, day) is None:
            return written
    return None


def _date_shapes(text: str) -> Iterator[tuple[str, int, int, int, tuple[int, int]]]:
    """(as written, year, month, day, where in `text`) for everything in `text` written like
    a date, in the order parse_danish_date tries them; the numbers may name no real day."""
    for match in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        year, month, day = map(int, match.groups())
        yield match[0], year, month, day, match.span()
    for match in re.finditer(r"\b(\d{1,2})([-./])(\d{1,2})\2(\d{4}|\d{2})\b", text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        yield match[0], year + 2000 if year < 100 else year, month, day, match.span()
    for match in WRITTEN_DATE.finditer(text):
        day, month_word, year = match.groups()
        yield match[0], int(year), _month_number(month_word), int(day), match.span()


def _month_number(word: str) -> int:
    """1-12 for a Danish month name or its abbreviation ("okt.", "oktober")."""
    return next(i for i, m in enumerate(DANISH_MONTHS, 1) if word.lower()[:3] == m[:3])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# "oktober 2021", "okt. 2021" without a day; the day-month-year forms are _date_shapes'.
_WRITTEN_MONTH = re.compile(
    r"\b(" + "|".join(m[:3] + r"[a-z]*\.?" for m in DANISH_MONTHS) + r")\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# A year, or a span of years as plans and budgets print them: "2024-2027", "2024–27".
_YEARS = re.compile(r"\b((?:19|20)\d{2})(?:\s*[-–/]\s*((?:19|20)?\d{2}))?\b")


# A month named without its year ("i februar", "februar måned"): read in `written_on`'s year.
_BARE_MONTH = re.compile(
    r"\b(" + "|".join(DANISH_MONTHS) + r")\b(?!\s*(?:19|20)\d{2})", re.IGNORECASE
)


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_span(match: re.Match[str]) -> tuple[int, int]:
    """First and last year of a `_YEARS` match: "2024" is one year, "2024-27" four."""
    first = last = int(match[1])
    if match[2]:
        last = int(match[2]) if len(match[2]) == 4 else first // 100 * 100 + int(match[2])
        if not first <= last <= first + 20:  # "2023-05" and the like are no year spans
            last = first
    return first, last


def years_named(text: str) -> list[int]:
    """The years `text` names, each once, in order: what a table or a background covers."""
    found: set[int] = set()
    for match in _YEARS.finditer(text):
        first, last = _year_span(match)
        found.update(range(first, last + 1))
    return sorted(found)


def mentions_period(
    text: str, start: dt.date | None, end: dt.date | None, written_on: dt.date | None = None
) -> bool:
    """Whether `text` names a day, month or year that overlaps start..end (None: open).

    A question's period may be the time the minutes talk about rather than the meeting's
    date ("who speaks at the dialogue forum in October 2021" is on a September agenda; a
    budget for 2025 is set in 2024). Such an item answers only when it names the period.
    The year of a written day or month counts as that day or month only: "marts 2024"
    does not name April 2024. With `written_on` (the meeting's date), a month named without
    a year is that month in the meeting's year, or the year before when the month is still
    to come ("i februar" in March 2025 minutes is February 2025, in January 2025 minutes
    February 2024 or 2025)."""
    low, high = start or dt.date.min, end or dt.date.max
    spans: list[tuple[dt.date, dt.date]] = []
    taken: list[tuple[int, int]] = []  # where days and months are written, in characters
    if written_on is not None:
        for match in _BARE_MONTH.finditer(text):
            month = _month_number(match[1])
            years = [written_on.year] + ([written_on.year - 1] if month > written_on.month else [])
            spans.extend(month_span(year, month) for year in years)
    for _written, year, month, day, where in _date_shapes(text):
        taken.append(where)
        if date := _safe_date(year, month, day):
            spans.append((date, date))
    for match in _WRITTEN_MONTH.finditer(text):
        taken.append(match.span())
        spans.append(month_span(int(match[2]), _month_number(match[1])))
    for match in _YEARS.finditer(text):
        if any(begin <= match.start() < finish for begin, finish in taken):
            continue
        first, last = _year_span(match)
        spans.append((dt.date(first, 1, 1), dt.date(last, 12, 31)))
    return any(begin <= high and finish >= low for begin, finish in spans)
