"""The adversarial benchmark (issue 16, part 4) runs at a small size and reports every
content pattern and every hostile file, each file stored or refused by its limit. Times are
reported by the benchmark, never asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.evaluation.adversarial import adversarial_inputs, content_patterns, run

# Slow: every pattern times 42 inputs and the files are ingested (about 25 s).
pytestmark = pytest.mark.slow


def test_the_benchmark_reports_every_pattern_and_each_hostile_file_within_its_limit(
    tmp_path: Path,
) -> None:
    settings = Settings(index_dir=tmp_path / "index", max_pdf_pages=10, max_file_mb=0.1)
    shown: list[str] = []
    timings, outcomes = run(size=2_000, scale=0.01, settings=settings, echo=shown.append)
    names = {t.name for t in timings}
    assert len(timings) == len(content_patterns())
    assert {
        "ingest.parse:DOT_LEADER",
        "ingest.decisions:DECISION_LABEL",
        "ingest.parse:NUMERIC_DATE_TAIL",
        "ingest.readers.extract:_SENTENCE_END",
    } <= names
    assert {t.worst_input for t in timings} <= set(adversarial_inputs(2_000))
    outcome = {o.name: o.outcome for o in outcomes}
    assert set(outcome) == {"sample.txt", "dots-41k.txt", "dots-100k.txt", "long-paragraph.txt",
                            "nested.html", "numbered-rows.html", "pages.pdf",
                            "big.txt"}  # fmt: skip
    # A table of numbered rows is a page with no item headings: read, not stuck on.
    assert outcome["numbered-rows.html"].startswith(("stored:", "skipped:")), outcome
    for stored in ("sample.txt", "dots-41k.txt", "dots-100k.txt", "long-paragraph.txt"):
        assert outcome[stored].startswith(("stored:", "skipped: samme indhold")), outcome
    assert "REFERAT_MAX_HTML_DEPTH" in outcome["nested.html"]
    assert "REFERAT_MAX_PDF_PAGES" in outcome["pages.pdf"]
    assert "REFERAT_MAX_FILE_MB" in outcome["big.txt"]
    report = "\n".join(shown)
    assert "| pattern | worst input | seconds | verdict |" in report
    assert "limits: 0.1 MB, 10 PDF pages" in report
