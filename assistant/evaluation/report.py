"""An evaluation run written down: result rows, a JSON summary, a Markdown report and a
bar chart per kind, so a run can be read, shared and compared with an earlier one."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.evaluation.evaluate import (
    Question,
    contains_answer,
    rank_of_first_source,
    write_rows,
)

# The figures in the report's tables, in reading order, with their Danish column names.
FIGURES = {
    "questions": "spørgsmål",
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "mrr": "MRR",
    "answer_match": "svarnøgle",
    "fact_first": "svar i første linje",
    "wrongly_abstained": "afstået, kunne svares",
    "abstention_precision": "afstå præcision",
    "abstention_recall": "afstå genkald",
    "guard_corrected": "rettet af kildetjek",
    "guard_fallback": "citater i stedet",
    "unsupported_numbers": "tal uden kilde",
    "latency_p50_s": "p50 s",
    "latency_p95_s": "p95 s",
}
CHARTED = ("hit@1", "hit@5", "answer_match", "abstention_recall")
CHART_NAME = "per-kind.png"


@dataclass(frozen=True)
class RunInfo:
    """What produced the figures, so two summaries can be told apart."""

    questions_file: str
    mode: str
    retrieval_only: bool
    read_filters: bool
    embedder: str
    reranker: str
    answerer: str
    started: str = ""

    @staticmethod
    def now() -> str:
        return dt.datetime.now().isoformat(timespec="seconds")


def write_run(
    folder: Path,
    info: RunInfo,
    questions: list[Question],
    rows: list[dict],
    figures: dict[str, dict],
    changes: dict[str, dict] | None = None,
) -> list[Path]:
    """RESULTS.jsonl, summary.json, report.md and the chart in `folder`; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "RESULTS.jsonl"
    write_rows(rows, results)
    summary = folder / "summary.json"
    summary.write_text(
        json.dumps({"run": asdict(info), "metrics": figures}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    chart = folder / CHART_NAME
    write_chart(figures, chart, title=_chart_title(info))
    report = folder / "report.md"
    report.write_text(markdown_report(info, questions, rows, figures, changes), encoding="utf-8")
    return [results, summary, report, chart]


def _chart_title(info: RunInfo) -> str:
    what = "kun genfinding" if info.retrieval_only else f"svar: {info.answerer}"
    return f"Referat på {Path(info.questions_file).name} ({info.mode}, {what})"


def write_chart(figures: dict[str, dict], path: Path, title: str) -> None:
    """Grouped bars: one group per kind (overall first), one bar per charted figure. A figure
    a kind does not have (hit@1 of unanswerable questions) leaves a gap, not a zero bar."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server or in CI
    import matplotlib.pyplot as plt

    kinds = list(figures)
    charted = [name for name in CHARTED if any(figures[k].get(name) is not None for k in kinds)]
    width = 0.8 / max(len(charted), 1)
    figure, axes = plt.subplots(figsize=(max(8.0, 1.1 * len(kinds)), 4.5), dpi=110)
    for offset, name in enumerate(charted):
        positions = [i + (offset - (len(charted) - 1) / 2) * width for i in range(len(kinds))]
        values = [figures[k].get(name) for k in kinds]
        shown = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
        bars = axes.bar([x for x, _ in shown], [v for _, v in shown], width, label=FIGURES[name])
        axes.bar_label(bars, fmt="%.2f", fontsize=6, padding=2, rotation=90)
    axes.set_xticks(range(len(kinds)))
    axes.set_xticklabels(
        [f"{k}\n(n={figures[k]['questions']})" for k in kinds], fontsize=8, rotation=0
    )
    axes.set_ylim(0, 1.15)
    axes.set_ylabel("andel")
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=8, ncols=len(charted), loc="upper center", bbox_to_anchor=(0.5, -0.18))
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def cell(value: object) -> str:
    return "–" if value is None else str(value)


def figures_table(figures: dict[str, dict]) -> str:
    header = "| type | " + " | ".join(FIGURES.values()) + " |"
    rule = "|---|" + "---:|" * len(FIGURES)
    lines = [header, rule]
    for kind, values in figures.items():
        lines.append(f"| {kind} | " + " | ".join(cell(values.get(n)) for n in FIGURES) + " |")
    return "\n".join(lines)


def changes_table(changes: dict[str, dict]) -> str:
    names = [n for n in FIGURES if n != "questions"]
    lines = ["| type | " + " | ".join(FIGURES[n] for n in names) + " |"]
    lines.append("|---|" + "---:|" * len(names))
    for kind, values in changes.items():
        cells = [signed(values.get(n)) for n in names]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def signed(value: float | None) -> str:
    if value is None:
        return "–"
    return "0" if value == 0 else f"{value:+.3f}"


def misses(questions: list[Question], rows: list[dict]) -> list[dict]:
    """The questions the run got wrong, each with what went wrong and what it cited first."""
    by_id = {row["id"]: row for row in rows}
    found = []
    for question in questions:
        row = by_id[question.id]
        problems = []
        answered = "answer" in row
        if question.answerable:
            rank = rank_of_first_source(row, question)
            if rank != 1:
                problems.append("kilde ikke i top 5" if rank is None else f"kilde på plads {rank}")
            if answered and row.get("abstained"):
                problems.append("afstod")
            elif answered and not contains_answer(row, question):
                problems.append("svarnøgle mangler")
        elif answered and not row.get("abstained"):
            problems.append("svarede i stedet for at afstå")
        if problems:
            first = row["citations"][0] if row["citations"] else None
            found.append({
                "id": question.id,
                "kind": question.kind,
                "question": question.question,
                "problems": problems,
                "first_citation": (
                    f"{first['municipality']} {first['meeting_date']} punkt {first['item_number']}"
                    if first else "ingen"
                ),
                "expected": ", ".join(
                    f"{m or '*'} {d} punkt {i}" for m, d, i in sorted(question.sources)
                ) or "afstå",
            })  # fmt: skip
    return found


def markdown_report(
    info: RunInfo,
    questions: list[Question],
    rows: list[dict],
    figures: dict[str, dict],
    changes: dict[str, dict] | None = None,
) -> str:
    settings = (
        f"- Spørgsmål: `{info.questions_file}` ({len(questions)})\n"
        f"- Søgning: `{info.mode}`, filtre fra spørgsmålet: "
        f"{'ja' if info.read_filters else 'nej'}, reranker: `{info.reranker}`\n"
        f"- Embedder: `{info.embedder}`; svar: "
        f"{'ingen (kun genfinding)' if info.retrieval_only else f'`{info.answerer}`'}\n"
        f"- Kørt: {info.started}\n"
    )
    parts = [
        "# Evaluering af Referat\n",
        settings,
        "## Nøgletal\n",
        "hit@k og MRR: første citerede kilde blandt de første 5; svarnøgle: alle "
        "`must_contain`-grupper i svaret; afstå: spørgsmål uden svar i referaterne.\n",
        figures_table(figures) + "\n",
        f"![Nøgletal pr. type]({CHART_NAME})\n",
    ]
    if changes is not None:
        parts += ["## Ændring mod tidligere kørsel\n", changes_table(changes) + "\n"]
    wrong = misses(questions, rows)
    parts.append(f"## Fejl ({len(wrong)})\n")
    if wrong:
        parts.append("| id | type | spørgsmål | problem | første kilde | forventet |")
        parts.append("|---|---|---|---|---|---|")
        for miss in wrong:
            question = miss["question"].replace("|", "\\|")
            parts.append(
                f"| {miss['id']} | {miss['kind']} | {question} | {'; '.join(miss['problems'])} "
                f"| {miss['first_citation']} | {miss['expected']} |"
            )
    return "\n".join(parts) + "\n"


def write_benchmark(table: list[dict], folder: Path, questions_file: str) -> list[Path]:
    """The retrieval benchmark as retrieval-benchmark.json and .md in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "retrieval-benchmark.json"
    data.write_text(
        json.dumps(
            {"questions_file": questions_file, "started": RunInfo.now(), "settings": table},
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    columns = list(table[0]) if table else []
    lines = [
        "# Genfinding: indstillinger side om side\n",
        f"Spørgsmål: `{questions_file}`. hit@k/MRR er søgningens egen rækkefølge (top 5); "
        "`answer_hit@1` og `answer_match` er det citerede svar bygget på den.\n",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in table:
        lines.append("| " + " | ".join(cell(row[c]) for c in columns) + " |")
    report = folder / "retrieval-benchmark.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [data, report]


def write_modes(side_by_side: dict[str, dict], folder: Path, questions_file: str) -> list[Path]:
    """The answer modes' overall figures side by side, as modes.json and modes.md."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "modes.json"
    data.write_text(
        json.dumps(
            {"questions_file": questions_file, "started": RunInfo.now(), "modes": side_by_side},
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    lines = [
        "# Svartilstande side om side\n",
        f"Spørgsmål: `{questions_file}`; hver tilstands rapport ligger i sin undermappe.\n",
        "| nøgletal | " + " | ".join(side_by_side) + " |",
        "|---|" + "---|" * len(side_by_side),
    ]
    for figure, label in FIGURES.items():
        values = [cell(mode.get(figure)) for mode in side_by_side.values()]
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    report = folder / "modes.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [data, report]
