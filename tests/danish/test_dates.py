"""All date reading and writing in one module (assistant/danish/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.danish.dates import (
    danish_date,
    day_number,
    format_date,
    impossible_date,
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
