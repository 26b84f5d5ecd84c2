"""Case numbers (sagsnumre): recognised in the formats Danish ESDH systems print, kept verbatim
for display, and normalised so that the same case written two ways is one key.

Systems differ in separators and zero padding: Acadre/KLE journal numbers `15.20.00-P20-1-23`,
SBSYS-like `23-005451` or `23/5451`, `24/18490`, and `SAG-2024-12345`. A user types the number
the way they remember it, so `23/5451`, `23-005451` and `23 - 5451` must find the same case.
"""

from __future__ import annotations

import re

CASE_NUMBER = re.compile(
    r"^(?:"
    r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}"  # KLE journal number 15.20.00-P20-1-23
    # 23-005451, 24/18490, 2024/18490, Greve's 20-072352K; not the period 2023-2026
    r"|(?!(?:19|20)\d{2}\s?[-/]\s?(?:19|20)\d{2}$)\d{2,4}\s?[-/]\s?\d{3,7}[A-ZÆØÅ]?"
    r"|SAG-\d{4}-\d+"  # SAG-2024-12345
    r"|[A-ZÆØÅ]{2,6}[-/]\d{2,4}[-/]\d+"  # other systems' prefixed numbers
    r")$",
    re.IGNORECASE,
)

# The same shapes anywhere in running text ("sag 23/7010", "j.nr. 15.20.00-P20-1-23").
CASE_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w./-])(?:"
    r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}"
    r"|\d{2}[-/]\d{3,7}[A-ZÆØÅ]?"  # two-digit year only: "2023-2025" is a period, not a case
    r"|SAG-\d{4}-\d+"
    r"|[A-ZÆØÅ]{2,6}[-/]\d{2,4}[-/]\d+"
    r")(?![\w/-])",
    re.IGNORECASE,
)

CASE_LABEL = re.compile(
    r"^(?:Sagsnr\.?|Sags?nummer|Sag nr\.?|J\.?\s?nr\.?|Journalnr\.?|Dok\.?\s?nr\.?)\s*:?\s*",
    re.IGNORECASE,
)


def is_case_number(text: str) -> bool:
    return bool(CASE_NUMBER.match(text.strip()))


def normalise_case_number(text: str) -> str:
    """One key per case: upper case, '-' between parts, numeric parts without zero padding.

    '23/005451' -> '23-5451'; 'sag-2024-012345' -> 'SAG-2024-12345'; the dotted KLE part
    '15.20.00' is a classification code and stays as printed.
    """
    parts = [p for p in re.split(r"(?<!\s)\s*+[-/]\s*", text.strip().upper()) if p]
    return "-".join(p.lstrip("0") or "0" if p.isdigit() else p for p in parts)


def case_numbers_in(text: str) -> list[str]:
    """Case numbers written in a question or a text, as written."""
    return [match.group(0).rstrip(".") for match in CASE_NUMBER_IN_TEXT.finditer(text)]
