"""A closed item's content never leaves the file it was printed in (issue 8): not into the
index, an answer, a quote, a source card with its "Vis hele punktet", `referat inspect` or
`referat sag`, however the item is asked for, with or without the LLM.

A Køge meeting holds four closed items, each closed in another wording, each with a phrase,
a name and an amount found nowhere else. Their titles are public and may be shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer.guard import guard, numbers_in
from assistant.app.ui.app import source_card
from assistant.core.chunk_format import CLOSED_BODY
from assistant.core.config import Settings
from assistant.core.types import Answer
from assistant.ingest.parse import parse_minutes
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import referat
from tests.llm_support import served_assistant

# (item number, case number, the closed body); the body's first line or the title closes it.
CLOSED = {
    2: (
        "24/012345",
        "Fortroligt: Borger X har fået 123.456 kr. i erstatning efter faldulykken på Strandvejen.",
    ),
    3: (
        "24/013579",
        "Sagen behandles for lukkede døre.\n\nSagsfremstilling\n\nKøber Karsten Kragelund "
        "har budt 987.654 kr. for grunden ved Lystbådehavnen.",
    ),
    4: (
        "24/014680",
        "Sagsfremstilling\n\nMedarbejderen Yvonne Ylvisaker afskediges med 246.802 kr. i "
        "fratrædelsesgodtgørelse.",
    ),
    5: (
        "24/015791",
        "Punktet behandles på lukket møde.\n\nSagsfremstilling\n\nDirektør Zacharias Zeuthen "
        "fik 13.579 kr. i bod for brud på tavshedspligten.",
    ),
}
TITLES = {
    2: "Lukket punkt: Erstatningssag",
    3: "Salg af grund ved havnen",
    4: "Personalesag - Lukket punkt",
    5: "Sag om tavshedspligt",
}
# Words, names and amounts that only the closed bodies print.
SECRETS = (
    "Borger X",
    "faldulykken",
    "Strandvejen",
    "Karsten Kragelund",
    "Lystbådehavnen",
    "Yvonne Ylvisaker",
    "fratrædelsesgodtgørelse",
    "Zacharias Zeuthen",
    "bod for brud",
)
SECRET_AMOUNTS = {"123456", "987654", "246802", "13579"}


def _item(number: int) -> str:
    case, body = CLOSED[number]
    return f"Punkt {number}: {TITLES[number]}\n\n{case}\n\n{body}\n\nBeslutning\n\nGodkendt."


CLOSED_MINUTES = "\n\n".join(
    [
        "REFERAT Økonomiudvalget d. 05-06-2024",
        "Mødedato Onsdag d. 5. juni 2024 kl. 15:00",
        "Mødested Rådhuset, Torvet 1, 4600 Køge",
        "Punkt 1: Budgetopfølgning for Køge Kommune",
        "24/010001",
        "Sagsfremstilling",
        "Budgetopfølgningen viser et mindreforbrug på 2,3 mio. kr. på erstatninger og "
        "forsikringer.",
        "Beslutning",
        "Taget til efterretning.",
        *(_item(number) for number in CLOSED),
    ]
)


def leaks(text: str, asked: str = "") -> list[str]:
    """The closed bodies' words, names and amounts (however written) found in `text`, except
    words the user wrote in the question `asked` (a model may repeat those)."""
    found = [
        secret
        for secret in SECRETS
        if secret.lower() in text.lower() and secret.lower() not in asked.lower()
    ]
    return found + sorted(SECRET_AMOUNTS & numbers_in(text))


def test_every_closed_wording_is_read_as_closed() -> None:
    meeting = parse_minutes(CLOSED_MINUTES, source="koege.txt")
    assert [(item.number, item.closed) for item in meeting.items] == [
        (1, False),
        (2, True),
        (3, True),
        (4, True),
        (5, True),
    ]
    for item in meeting.items[1:]:
        assert item.case_number == CLOSED[item.number][0]
        assert item.sections == () and item.decisions == () and item.absentees == ()


@pytest.fixture(scope="module")
def minutes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("closed-minutes") / "koege-oku-2024-06-05.txt"
    path.write_text(CLOSED_MINUTES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def index_dir(minutes_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("closed-index")
    report = build_assistant(Settings(index_dir=folder)).ingest([minutes_file])
    assert report.meetings == 1 and report.items == 5, report
    return folder


@pytest.fixture(scope="module")
def extractive(index_dir: Path) -> Assistant:
    return build_assistant(Settings(index_dir=index_dir))


def test_no_stored_chunk_holds_closed_content(extractive: Assistant) -> None:
    chunks = extractive.store.all_chunks()
    closed = [c for c in chunks if c.closed]
    assert sorted({c.item_number for c in closed}) == [2, 3, 4, 5]
    for chunk in chunks:
        # Every field the store keeps with words in it, not only the text.
        fields = (chunk.text, chunk.item_title, chunk.absentees, chunk.dissent, chunk.sections)
        assert leaks("\n".join(fields)) == [], chunk
    for chunk in closed:
        assert chunk.body == CLOSED_BODY and not chunk.absentees and not chunk.decision_status


def assert_nothing_closed_shown(assistant: Assistant, answer: Answer, asked: str = "") -> None:
    """Nothing of a closed body in the answer, its quotes, or the source cards the chat
    builds from them (the whole item, "Vis hele punktet", included)."""
    assert leaks(answer.text, asked) == [], answer.text
    for citation in answer.citations:
        sections = assistant.item_sections(citation)
        card = source_card(citation, 0, sections)
        assert leaks(citation.quote) == [] and leaks(card) == [], card
        if citation.closed:
            assert citation.quote == CLOSED_BODY, citation
            assert sections == [("Tekst", CLOSED_BODY)], sections


# Ways to ask for a closed item: its words, its title, its number, its case, explicit filters.
ASKED = [
    ("Hvor meget har Borger X fået i erstatning efter faldulykken på Strandvejen?", None),
    ("Hvad står der om erstatningssagen?", None),
    ("Hvad handler punkt 2 om i Økonomiudvalget i Køge den 5. juni 2024?", None),
    ("Hvad er status på sag 24/012345?", None),
    ("Hvem har budt på grunden ved havnen, og hvor meget?", None),
    ("Hvad handler sag 24/013579 om?", None),
    ("Hvad fik Yvonne Ylvisaker i fratrædelsesgodtgørelse?", SearchFilter(item_number=4)),
    ("Hvorfor fik direktøren en bod?", SearchFilter(case_key="24/015791")),
    ("Hvad står der i de lukkede punkter?", SearchFilter(closed=True)),
]


@pytest.mark.parametrize(("question", "filters"), ASKED)
def test_asking_for_a_closed_item_shows_nothing_of_it(
    extractive: Assistant, question: str, filters: SearchFilter | None
) -> None:
    answer = extractive.ask(question, filters=filters)
    assert_nothing_closed_shown(extractive, answer)


def test_a_closed_item_asked_for_by_case_is_cited_by_its_public_title(
    extractive: Assistant,
) -> None:
    """The record is there and says it is closed: title, case, "Lukket punkt"."""
    answer = extractive.ask("Hvad handler sag 24/012345 om?")
    first = answer.citations[0]
    assert (first.item_number, first.item_title, first.closed) == (2, TITLES[2], True)
    assert CLOSED_BODY in answer.text
    assert "Lukket punkt" in source_card(first, 0, extractive.item_sections(first))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("Hvad fik Yvonne Ylvisaker i fratrædelsesgodtgørelse?", SearchFilter(item_number=4)),
        ("Hvor meget har Borger X fået i erstatning efter faldulykken på Strandvejen?", None),
    ],
)
def test_the_llm_never_sees_or_says_closed_content(
    index_dir: Path, llama_server: str, question: str, filters: SearchFilter | None
) -> None:
    served = served_assistant(index_dir, llama_server)
    stream = served.ask_stream(question, filters=filters)
    pieces = list(stream)
    answer = stream.answer()
    assert isinstance(answer, Answer)
    streamed = "".join(pieces)
    assert leaks(streamed, question) == [], streamed
    assert_nothing_closed_shown(served, answer, question)
    # Nor does it state the question as a fact of an open item (see the test below).
    assert not re.search(r"Borger X.*\[\d+\]", streamed + answer.text), answer.text


def test_the_question_restated_as_a_cited_fact_is_dropped() -> None:
    """What the served model wrote (ten times over) when asked about Borger X: the words of
    the question, an amount from the open item [1] and its marker. The amount is printed in
    [1]; the names and most of the words are not."""
    meeting = parse_minutes(CLOSED_MINUTES, source="koege.txt")
    budget = " ".join(section.text for section in meeting.items[0].sections)
    written = (
        "1. Borger X har fået 2,3 mio. kr. i erstatning efter faldulykken på Strandvejen [1]. "
        "2. Borger X har fået 2,3 mio. kr. i erstatning [1]. "
        "3. Borgeren fik 2,3 mio. kr. i erstatning efter faldulykken på vejen [1]."
    )
    result = guard(written, {1: budget})
    assert result.text == "" and not result.usable
    # Names first (Danish capitalises only names inside a sentence), then the other words.
    assert result.removed[0].startswith("X, Strandvejen står ikke i [1]")
    assert result.removed[1].startswith("X står ikke i [1]")
    assert result.removed[2].startswith("Borgeren, fik, faldulykken, vejen står ikke i [1]")


@pytest.mark.slow
def test_inspect_shows_closed_items_by_title_only(minutes_file: Path) -> None:
    shown = referat("inspect", str(minutes_file))
    assert shown.returncode == 0, shown.stderr
    assert leaks(shown.stdout) == [], shown.stdout
    assert "Punkt 4: Personalesag - Lukket punkt · Sag 24/014680 [LUKKET]" in shown.stdout
    as_json = referat("inspect", "--json", str(minutes_file))
    assert as_json.returncode == 0, as_json.stderr
    assert leaks(as_json.stdout) == [], as_json.stdout
    items = json.loads(as_json.stdout)["items"]
    assert [i["closed"] for i in items] == [False, True, True, True, True]


@pytest.mark.slow
def test_sag_and_ask_json_show_closed_items_by_title_only(
    minutes_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cli-index"  # its own store: two processes must not share one
    ingested = referat("ingest", str(minutes_file), index=folder)
    assert ingested.returncode == 0, ingested.stderr
    case = referat("sag", "24/013579", index=folder)
    assert case.returncode == 0, case.stderr
    assert leaks(case.stdout) == [], case.stdout
    assert "Punkt 3: Salg af grund ved havnen" in case.stdout and "(lukket punkt)" in case.stdout
    as_json = referat("sag", "--json", "24/012345", index=folder)
    assert leaks(as_json.stdout) == [], as_json.stdout
    assert json.loads(as_json.stdout)[0]["closed"] is True
    asked = referat(
        "ask", "--json", "--punkt", "5", "Hvorfor fik Zacharias Zeuthen en bod?", index=folder
    )
    assert asked.returncode == 0, asked.stderr
    assert leaks(asked.stdout.replace("Zacharias Zeuthen en bod", "")) == [], asked.stdout
