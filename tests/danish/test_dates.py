"""All date reading and writing in one module (assistant/danish/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.danish.dates import (
    danish_date,
    day_number,
    format_date,
    impossible_date,
    mentions_period,
    parse_danish_date,
)

DAY = dt.date(2024, 9, 2)


@pytest.mark.parametrize(
    "text",
    ["02-09-2024", "2.9.2024", "2024-09-02", "2. september 2024", "2 sept. 2024", "02/09/24"],
)
def test_the_forms_minutes_print_a_date_in(text: str) -> None:
    assert parse_danish_date(f"Mødedato: {text} kl. 10.05-12.30") == DAY


def test_times_and_impossible_dates_are_not_dates() -> None:
    assert parse_danish_date("kl. 10.05-12.30") is None
    assert parse_danish_date("31. februar 2024") is None
    assert parse_danish_date("04.12-2012") is None  # two separators: not one date


def test_an_impossible_date_is_named_as_written_and_other_numbers_are_not_dates() -> None:
    assert impossible_date("fra 31. februar 2024") == "31. februar 2024"
    assert impossible_date("mødet 30-02-2023 kl. 10") == "30-02-2023"
    assert impossible_date("2023-02-29") == "2023-02-29"
    assert impossible_date("29. februar 2024") is None  # a leap day exists
    assert impossible_date("kl. 10.05-12.30") is None
    assert impossible_date("konto 45-67-89") is None  # no day and month in range


def test_dates_are_written_as_staff_write_them_and_compared_as_numbers() -> None:
    assert danish_date(DAY) == "2. september 2024"
    assert format_date(DAY, "da") == "2. september 2024"
    assert format_date(DAY, "en") == "2 September 2024"
    assert day_number(DAY) == 20240902 and day_number(DAY) < day_number(dt.date(2024, 10, 1))


@pytest.mark.parametrize(
    ("text", "start", "end", "named"),
    [
        ("dialogforum den 26. oktober 2021 kl. 17", (2021, 10, 1), (2021, 10, 31), True),
        ("800.000 kr. i årene 2024, 2025 og 2026", (2025, 1, 1), (2025, 12, 31), True),
        ("Strategi for beskæftigelsesindsatsen 2024-2027", (2025, 1, 1), (2025, 12, 31), True),
        ("Strategi for beskæftigelsesindsatsen 2024-2027", (2019, 1, 1), (2019, 12, 31), False),
        # The year of a written month is that month only.
        ("På mødet i marts 2024 var der en orientering", (2024, 4, 1), (2024, 5, 31), False),
        ("På mødet i marts 2024 var der en orientering", (2024, 3, 1), (2024, 5, 31), True),
        ("senest den 28.09.2021", (2021, 10, 1), (2021, 10, 31), False),
        ("senest den 28.09.2021", (2021, 9, 1), (2021, 9, 30), True),
        ("kl. 10.05-12.30, 1.609.500 kr.", (2012, 1, 1), None, False),
        ("i 2023-05 og 2019", (2019, 1, 1), (2019, 12, 31), True),
    ],
)
def test_a_text_names_a_period_when_a_day_month_or_year_in_it_overlaps(
    text: str, start: tuple, end: tuple | None, named: bool
) -> None:
    assert mentions_period(text, dt.date(*start), dt.date(*end) if end else None) is named


def test_a_month_without_its_year_is_read_in_the_meetings_year() -> None:
    import datetime as dt

    from assistant.danish.dates import mentions_period

    february_2025 = (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    march_meeting, january_meeting = dt.date(2025, 3, 25), dt.date(2025, 1, 29)
    assert mentions_period("I februar modtog vi 12.", *february_2025, written_on=march_meeting)
    assert not mentions_period("I februar modtog vi 12.", *february_2025)  # no year to read in
    # in January minutes a coming February may be this year's or, looking back, last year's
    assert mentions_period("i februar", dt.date(2024, 2, 1), dt.date(2024, 2, 29),
                           written_on=january_meeting)  # fmt: skip
    assert not mentions_period(
        "I februar 2024 var der 9.", *february_2025, written_on=march_meeting
    )


def test_years_named_spans_and_single_years() -> None:
    from assistant.danish.dates import years_named

    assert years_named("Budget 2024-27 og regnskab 2022, jf. 2022") == [
        2022,
        2024,
        2025,
        2026,
        2027,
    ]
    assert years_named("sag 23/7010, 2023-05") == [2023]
