"""What `referat inspect` prints of a parsed Meeting: plain lines, so that a user can see why
a file answers badly (read as what, which items, which decisions, tables, page by page).

Pure rendering, no Rich: the CLI prints the lines as text, never as markup, and the tests
read them as the user does. Warnings are the CLI's to print (labelled, after the items).
"""

from __future__ import annotations

from collections import Counter

from assistant.core.types import AgendaItem, Meeting
from assistant.danish.dates import danish_date

# Enough table rows to see that a table was read and how its cells were joined; the rest
# are in the item's text.
SHOWN_TABLE_ROWS = 2
QUOTE_CHARS = 300


def meeting_lines(meeting: Meeting) -> list[str]:
    """The meeting's header, a summary of what was found, and each item, as lines."""
    lines = [
        f"Fil:          {meeting.source}",
        f"Format:       {meeting.format or '-'}",
        f"Art:          {'dagsorden, ikke behandlet endnu' if meeting.agenda else 'referat'}",
        f"Kommune:      {meeting.municipality}",
        f"Udvalg:       {meeting.committee}" + (f" ({meeting.period})" if meeting.period else ""),
        f"Dato:         {danish_date(meeting.date)}",
        f"Møde-id:      {meeting.meeting_id}" + _sitting(meeting),
    ]
    times = meeting.start_time + (f"-{meeting.end_time}" if meeting.end_time else "")
    lines += [
        f"Tidspunkt:    {times or '-'}",
        f"Sted:         {meeting.location or '-'}",
        # As recorded: a substitute is named as the source names them ("Conni Bergendorff
        # (Stedfortræder for Torben Hoffmann)").
        f"Deltagere:    {_people(meeting.participants)}",
        f"Fraværende:   {_people(meeting.absentees)}",
        _summary(meeting),
    ]
    for item in meeting.items:
        lines.append("")
        lines += _item_lines(item, by_page=meeting.by_pages)
    return lines


def _people(names: tuple[str, ...]) -> str:
    return f"{len(names)} ({', '.join(names)})" if names else "-"


def _sitting(meeting: Meeting) -> str:
    """What tells this meeting apart from another of its committee on the same day."""
    parts = [
        f"kl. {meeting.sitting}" if meeting.sitting else "",
        f"variant {meeting.variant}" if meeting.variant else "",
    ]
    return f" ({', '.join(p for p in parts if p)})" if any(parts) else ""


def _summary(meeting: Meeting) -> str:
    if meeting.by_pages:
        return (
            "Ingen dagsordenspunkter fundet: læst side for side "
            f"({len(meeting.items)} side{'r' if len(meeting.items) != 1 else ''}), "
            "svar henviser til mødet og siden"
        )
    closed = sum(item.closed for item in meeting.items)
    statuses = Counter(
        item.decision_status or "ingen status" for item in meeting.items if item.decisions
    )
    decided = ", ".join(f"{status} {n}" for status, n in statuses.most_common())
    rows = sum(len(item.table_rows) for item in meeting.items)
    return (
        f"Fundet:       {len(meeting.items)} punkter ({closed} lukkede), "
        f"{sum(statuses.values())} med beslutning{f' ({decided})' if decided else ''}, "
        f"{rows} tabelrækker"
    )


def _item_lines(item: AgendaItem, *, by_page: bool) -> list[str]:
    case = f" · Sag {item.case_number}" if item.case_number else ""
    where = f"Side {item.page}" if by_page else f"Punkt {item.printed_number}"
    if item.closed:
        # Security boundary: a closed item is shown by its public title only, whatever a
        # reader may have kept of it.
        return [f"{where}: {item.title}{case} [LUKKET]", "    Lukket: kun titlen er læst"]
    lines = [f"{where}: {item.title}{case}"]
    for section in item.sections:
        label = f" ({section.label})" if section.label and section.label != section.heading else ""
        lines.append(f"    {section.heading}{label}: {len(section.text.split())} ord")
    if item.table_rows:
        count = len(item.table_rows)
        lines.append(f"    Tabel: {count} række{'r' if count != 1 else ''}, fx:")
        lines += [f"      «{_row(row)}»" for row in item.table_rows[:SHOWN_TABLE_ROWS]]
    for decision in item.decisions:
        who = ", ".join(
            part
            for part in (decision.committee, decision.date and danish_date(decision.date))
            if part
        )
        status = decision.status or "ingen status"
        lines.append(f"    Beslutning{f' ({who})' if who else ''}: {status}")
        lines.append(f"      «{' '.join(decision.text.split())[:QUOTE_CHARS]}»")
    if item.absentees:
        lines.append(f"    Fraværende: {', '.join(item.absentees)}")
    lines += [f"    Mindretal/protokol: {sentence}" for sentence in item.dissent]
    return lines


def _row(row: str) -> str:
    """One table row on one line: a row of several cells is a line per cell."""
    return " | ".join(line.strip() for line in row.split("\n") if line.strip())[:QUOTE_CHARS]
