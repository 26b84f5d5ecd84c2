"""Adversarial inputs against the ingest path (issue 16, "bounded work per file").

Two tables. Patterns: every regular expression that runs on file content (the readers, the
parser, closed items, decisions, chunking, the Danish text helpers), each timed with
`finditer` over adversarial inputs of 100 KB (runs of dots, spaces, digits, "Punkt "
repeats, tags, ...), the harshest use a pattern can meet. Files: adversarial files ingested
through the product's own path (a 41 KB and a 100 KB line of dots, 560 KB of nested HTML, a
3,000-page PDF, a 30 MB text, a 200 KB paragraph) beside a real sample, with time, outcome
and peak memory.

A pattern that is super-linear is not run to the end at 100 KB: it is timed at growing
sizes and, once the next size would pass `--cap` seconds, reported with the time its growth
predicts at 100 KB. Tests run this with small sizes and assert that every pattern and file
is reported, never on a time (tests/slow/test_adversarial.py).

    python -m assistant.evaluation.adversarial [--size 100000] [--budget 1.0] [--skip-files]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import re
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.core.config import Settings
from assistant.resources import resource_dir

# Every module whose patterns see file content, directly or through the parser.
CONTENT_MODULES = (
    "assistant.ingest.readers.extract",
    "assistant.ingest.readers.html",
    "assistant.ingest.readers.pdf",
    "assistant.ingest.readers.firstagenda",
    "assistant.ingest.parse",
    "assistant.ingest.closed",
    "assistant.ingest.decisions",
    "assistant.ingest.chunk",
    "assistant.core.chunk_format",
    "assistant.danish.text",
    "assistant.danish.language",
    "assistant.danish.dates",
    "assistant.danish.case_numbers",
    "assistant.danish.municipalities",
)
_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn",
                 "split"}  # fmt: skip


@dataclass(frozen=True)
class ContentPattern:
    name: str  # module:CONSTANT or module:line
    pattern: re.Pattern[str] | re.Pattern[bytes]


def content_patterns() -> list[ContentPattern]:
    """The module-level compiled patterns of CONTENT_MODULES (also inside tuples, lists and
    dicts, and the municipality names' cached patterns), and the literal patterns written
    inline in their functions (`re.sub(r"...", ...)`), found in the source."""
    found: dict[tuple[str, int], ContentPattern] = {}

    def add(name: str, pattern: re.Pattern) -> None:
        found.setdefault((pattern.pattern, pattern.flags), ContentPattern(name, pattern))

    for module_name in CONTENT_MODULES:
        module = importlib.import_module(module_name)
        short = module_name.removeprefix("assistant.")
        for attribute, value in sorted(vars(module).items()):
            for index, pattern in enumerate(_patterns_in(value)):
                add(f"{short}:{attribute}" + (f"[{index}]" if index else ""), pattern)
        if short == "danish.municipalities":
            _by_spelling, strong, plain = module._patterns()
            add(f"{short}:_patterns().strong", strong)
            add(f"{short}:_patterns().plain", plain)
        for line, pattern in _inline_patterns(inspect.getsource(module)):
            add(f"{short}:{line}", pattern)
    return sorted(found.values(), key=lambda p: p.name)


def _patterns_in(value: object) -> Iterator[re.Pattern]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _patterns_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item)


def _inline_patterns(source: str) -> Iterator[tuple[int, re.Pattern]]:
    """`re.<function>("literal", ...)` calls; an IGNORECASE anywhere in the call counts."""
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCTIONS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str | bytes)
        ):
            continue
        names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        flags = re.IGNORECASE if names & {"I", "IGNORECASE"} else 0
        yield node.lineno, re.compile(node.args[0].value, flags)


def adversarial_inputs(size: int = 100_000) -> dict[str, str]:
    """Inputs of about `size` characters that make backtracking patterns work hardest: long
    runs of one character class, and repeats of the words the patterns look for, each ending
    in a character that makes the match fail at the very end."""

    def repeat(unit: str, tail: str = "!") -> str:
        return unit * max(1, (size - len(tail)) // len(unit)) + tail

    return {
        "dots": repeat(".", ""),
        "dots then x": repeat("."),
        "ellipses": repeat("…"),
        "dots and digits": repeat("...1"),
        "dot-space": repeat(". "),
        "spaces": repeat(" "),
        "spaces then dots": " " * (size // 2) + "." * (size // 2 - 1) + "x",
        "em spaces": repeat("\u2003"),
        "tabs": repeat("\t"),
        "newlines": repeat("\n"),
        "digits": repeat("1"),
        "digit-dot": repeat("1."),
        "digit-dash": repeat("1-"),
        "digit-slash": repeat("1/"),
        "digit-colon": repeat("1:"),
        "Punkt ": repeat("Punkt "),
        "Punkt 1": repeat("Punkt 1"),
        "Punkt 1: lines": repeat("Punkt 1: Lukket\n"),
        "Beslutning ": repeat("Beslutning "),
        "Beslutning A + spaces": "Beslutning A" + repeat(" "),
        "den 1. ": repeat("den 1. "),
        "kl. 1": repeat("kl. 1"),
        "lukket ": repeat("lukket "),
        "ikke ": repeat("ikke "),
        "oversendt til A…": "oversendt til " + repeat("A"),
        "capitals": repeat("A"),
        "lower case": repeat("a"),
        "æøå": repeat("æøå"),
        "word-hyphen": repeat("Aa-"),
        "dash-comma": repeat("-,"),
        "dash-space": repeat("- "),
        "a.": repeat("a."),
        "Aa ": repeat("Aa "),
        "pipes": repeat("|"),
        "pipe-space": repeat("| "),
        "open brackets": repeat("<"),
        "open tags": repeat("<a "),
        "nested tags": repeat("<div>"),
        "parentheses": repeat("("),
        "square brackets": repeat("["),
        "colons": repeat(":"),
        "names and": repeat("Anne Hansen og "),
    }


@dataclass(frozen=True)
class PatternTiming:
    name: str
    pattern: str
    worst_input: str
    seconds: float
    size: int  # characters of the worst input
    extrapolated: bool  # True: stopped before `size`, the time is what its growth predicts


def _time_once(pattern: re.Pattern, text: str | bytes) -> float:
    start = time.perf_counter()
    for _ in pattern.finditer(text):  # type: ignore[arg-type]
        pass
    return time.perf_counter() - start


def _time_growing(pattern: re.Pattern, text: str, cap: float) -> tuple[float, bool]:
    """Time at 1/8, 1/4, 1/2 and all of `text`; stop when the next size, growing as fast
    as the last step did (at least linearly), would pass `cap` seconds."""
    sizes = [len(text) // 8, len(text) // 4, len(text) // 2, len(text)]
    previous = None
    for index, size in enumerate(sizes):
        part = text[:size]
        data: str | bytes = part.encode("utf-8") if isinstance(pattern.pattern, bytes) else part
        seconds = _time_once(pattern, data)
        # The growth of the last doubling, once times are long enough to tell (at least
        # linear, at most cubic).
        growth = min(8.0, max(2.0, seconds / previous)) if previous and previous > 0.005 else 2.0
        previous = seconds
        if index + 1 < len(sizes) and seconds * growth > cap:
            # Predicted for the full size from the growth seen so far.
            return seconds * growth ** (len(sizes) - 1 - index), True
    return seconds, False


def time_patterns(
    patterns: list[ContentPattern], inputs: dict[str, str], cap: float = 10.0
) -> list[PatternTiming]:
    """Each pattern's worst time over the inputs."""
    timings = []
    for case in patterns:
        worst = ("", 0.0, 0, False)
        for label, text in inputs.items():
            seconds, extrapolated = _time_growing(case.pattern, text, cap)
            if seconds >= worst[1]:
                worst = (label, seconds, len(text), extrapolated)
        source = case.pattern.pattern
        shown = source if isinstance(source, str) else source.decode("utf-8", "replace")
        timings.append(PatternTiming(case.name, shown, *worst))
    return timings


# --- files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileOutcome:
    name: str
    what: str
    megabytes: float
    seconds: float
    outcome: str  # "stored: N chunks" or the reason it was skipped
    peak_rss_mb: float  # the process's peak resident memory after this file


def write_adversarial_files(folder: Path, *, scale: float = 1.0) -> dict[str, str]:
    """The adversarial files of the issue, built from a real sample; `scale` shrinks them
    for tests. Returns {file name: what it is}."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = sorted(resource_dir("samples").glob("*.txt"))[0].read_text(encoding="utf-8")
    lines = sample.split("\n")
    middle = len(lines) // 2

    def with_line(line: str) -> str:
        return "\n".join([*lines[:middle], line, *lines[middle:]])

    what: dict[str, str] = {}
    (folder / "sample.txt").write_text(sample, encoding="utf-8")
    what["sample.txt"] = "a real sample, to show the rest of the folder is stored"
    for name, size in (("dots-41k.txt", 41_000), ("dots-100k.txt", 100_000)):
        (folder / name).write_text(with_line("." * int(size * scale)), encoding="utf-8")
        what[name] = f"the sample with one line of {int(size * scale):,} dots"
    sentence = "Udvalget drøftede sagen og bad om en ny redegørelse. "
    paragraph = sentence * int(200_000 * scale / len(sentence))
    (folder / "long-paragraph.txt").write_text(with_line(paragraph), encoding="utf-8")
    what["long-paragraph.txt"] = f"the sample with a {len(paragraph):,}-character paragraph"
    depth = int(112_000 * scale)
    html = "<html><body>" + "<div>" * depth + "<p>Referat</p>" + "</div>" * depth + "</body></html>"
    (folder / "nested.html").write_text(html, encoding="utf-8")
    what["nested.html"] = f"{len(html) / 1024:,.0f} KB of HTML nested {depth:,} deep"
    # A page of one table of numbered rows ("1 | Titel …"): each row could open an item, so
    # reading it must stay linear in its rows (a first version looked at every row once per
    # row: 528 s for these 20,000 rows; 11 s now, as without item rows).
    rows = max(2, int(20_000 * scale))
    row = "<tr><td>{number}</td><td>Titel nummer {index}</td></tr>"
    cells = "".join(row.format(number=i % 999 + 1, index=i) for i in range(rows))
    numbered = f"<html><body><h1>Byrådet</h1><table>{cells}</table></body></html>"
    (folder / "numbered-rows.html").write_text(numbered, encoding="utf-8")
    what["numbered-rows.html"] = f"an HTML table of {rows:,} numbered rows"
    pages = max(2, int(3000 * scale))
    _write_pdf(folder / "pages.pdf", pages)
    what["pages.pdf"] = f"a PDF of {pages:,} pages (fpdf2)"
    big = folder / "big.txt"
    target = int(30 * 1024 * 1024 * scale)
    with big.open("w", encoding="utf-8") as out:
        written = 0
        while written < target:
            written += out.write(sample)
    what["big.txt"] = f"a {target / 1024 / 1024:.1f} MB text (the sample repeated)"
    return what


def _write_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF  # dev dependency: only the benchmark and the tests make PDFs

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"Punkt {number}: Side {number} af {pages}")
    pdf.output(str(path))


def ingest_files(
    folder: Path, names: dict[str, str], settings: Settings
) -> tuple[list[FileOutcome], str]:
    """Ingest each file on its own through the product's ingest path (stand-in embedder:
    this measures reading and parsing, not e5), then the whole folder, so the table shows
    what each costs and that the rest of a folder is stored beside a refused file."""
    from assistant.evaluation.bench import HashingEmbedder
    from assistant.service.wiring import build_assistant

    outcomes = []
    with tempfile.TemporaryDirectory() as index:
        local = settings.model_copy(update={"index_dir": Path(index)})
        assistant = build_assistant(local, embedder=HashingEmbedder(), reranker=None, llm=None)
        for name, what in names.items():
            path = folder / name
            start = time.perf_counter()
            report = assistant.ingest([path])
            seconds = time.perf_counter() - start
            if report.chunks:
                outcome = f"stored: {report.chunks} chunks"
            elif report.unchanged:
                outcome = "unchanged"
            else:
                outcome = "skipped: " + "; ".join(reason for _, reason in report.skipped)
            outcomes.append(
                FileOutcome(
                    name, what, path.stat().st_size / 1024 / 1024, seconds, outcome, _peak_rss()
                )
            )
        folder_report = assistant.ingest([folder])
    summary = (
        f"whole folder again: {len(folder_report.unchanged)} unchanged, "
        f"{len(folder_report.skipped)} skipped, {folder_report.chunks} new chunks"
    )
    return outcomes, summary


def _peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# --- report ------------------------------------------------------------------------------------


def pattern_table(timings: list[PatternTiming], budget: float) -> str:
    rows = ["| pattern | worst input | seconds | verdict |", "|---|---|---|---|"]
    for t in sorted(timings, key=lambda t: -t.seconds):
        seconds = f"{'≈' if t.extrapolated else ''}{t.seconds:.3f}"
        verdict = "ok" if t.seconds <= budget else "OVER BUDGET"
        rows.append(f"| `{t.name}` | {t.worst_input} ({t.size:,} chars) | {seconds} | {verdict} |")
    return "\n".join(rows)


def file_table(outcomes: list[FileOutcome]) -> str:
    rows = [
        "| file | what | MB | seconds | peak RSS MB | outcome |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        rows.append(
            f"| {o.name} | {o.what} | {o.megabytes:.2f} | {o.seconds:.2f} | "
            f"{o.peak_rss_mb:.0f} | {o.outcome} |"
        )
    return "\n".join(rows)


def run(
    *,
    size: int = 100_000,
    budget: float = 1.0,
    cap: float = 10.0,
    files: bool = True,
    scale: float = 1.0,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> tuple[list[PatternTiming], list[FileOutcome]]:
    """Both tables, printed with `echo`; returns their rows."""
    patterns = content_patterns()
    inputs = adversarial_inputs(size)
    timings = time_patterns(patterns, inputs, cap)
    over = [t for t in timings if t.seconds > budget]
    echo(f"## {len(patterns)} patterns x {len(inputs)} adversarial inputs of {size:,} characters")
    echo(f"(budget {budget:g} s per pattern and input; {len(over)} over)\n")
    echo(pattern_table(timings, budget))
    outcomes: list[FileOutcome] = []
    if files:
        with tempfile.TemporaryDirectory() as folder:
            names = write_adversarial_files(Path(folder), scale=scale)
            outcomes, summary = ingest_files(Path(folder), names, settings or Settings())
        limits = (settings or Settings()).ingest.limits
        echo(
            f"\n## Adversarial files (limits: {limits.max_file_mb:g} MB, {limits.max_pdf_pages} "
            f"PDF pages, HTML depth {limits.max_html_depth}, lines of {limits.max_line_chars} "
            "characters)\n"
        )
        echo(file_table(outcomes))
        echo(f"\n{summary}")
    return timings, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="characters per input")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per pattern")
    parser.add_argument("--cap", type=float, default=10.0, help="stop a run predicted longer")
    parser.add_argument("--skip-files", action="store_true", help="only the patterns")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the files (tests)")
    args = parser.parse_args(argv)
    timings, _ = run(
        size=args.size, budget=args.budget, cap=args.cap, files=not args.skip_files,
        scale=args.scale,
    )  # fmt: skip
    return 1 if any(t.seconds > args.budget for t in timings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
