"""Running Referat for real: one writer per embedded index, an ingest killed with SIGKILL at
any point, and the team setup where a real `chroma run` on 127.0.0.1 holds the index, one
`referat ingest` writes and several `referat serve` processes read.

Everything here is a real process: the `referat` console script, Chroma's own server binary,
the e5 embedder, and the browser chat's HTTP API through gradio_client.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from gradio_client import Client

from assistant.components.chroma_store import _to_node
from assistant.components.lock import single_writer
from assistant.core.config import PROJECT_ROOT, Settings
from assistant.core.errors import IndexBusy
from assistant.evaluation.synthetic import generate_corpus
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import LEJRE, REFERAT, SAMPLES, referat
from tests.slow.test_browser import ROSKILDE_MINUTES, _free_port, _serving, _status

pytestmark = pytest.mark.slow

LEJRE_Q = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
ROSKILDE_Q = "Hvor mange ladestandere til elcykler skal der opsættes ved Roskilde Station?"


def _clean_env(**settings: str) -> dict[str, str]:
    """The environment of a user's shell with only the given REFERAT_* settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("REFERAT_")}
    return env | {"PYTHONUNBUFFERED": "1", "COLUMNS": "200", **settings}


def _expected_chunks(path: Path, settings: Settings) -> dict[str, str]:
    """Chunk id -> text, as a complete ingest of `path` stores it."""
    meeting = parse_file(path)
    chunks = chunk_meeting(
        meeting, min_words=settings.chunk_min_words, max_words=settings.chunk_max_words
    )
    return {chunk.id: chunk.text for chunk in chunks}


# --- one writer -----------------------------------------------------------------------------


def test_a_second_writer_is_refused_and_told_who_writes(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = referat("ingest", str(SAMPLES["Lejre"]), index=index)
    assert first.returncode == 0, first.stderr
    settings = Settings(index_dir=index)
    with single_writer(settings.store, "referat ingest"):
        # The lock is the real one a running `referat ingest` or `referat serve` holds.
        second = referat("ingest", str(SAMPLES["Vejle"]), index=index)
        serve = referat("serve", "--port", str(_free_port()), index=index, timeout=120)
        with pytest.raises(IndexBusy), single_writer(settings.store, "en til"):
            pass
    for refused in (second, serve):
        assert refused.returncode == 1
        assert "skrives allerede af" in refused.stderr
        assert f"proces {os.getpid()}" in refused.stderr  # names the holder
        assert "Traceback" not in refused.stderr
    # Nothing stored was touched, and once the writer is gone the next one gets in.
    assert build_assistant(settings).store.count() == len(
        _expected_chunks(SAMPLES["Lejre"], settings)
    )
    again = referat("ingest", str(SAMPLES["Vejle"]), index=index)
    assert again.returncode == 0, again.stderr


def test_readers_need_no_lock(tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert referat("ingest", str(SAMPLES["Lejre"]), index=index).returncode == 0
    with single_writer(Settings(index_dir=index).store, "referat ingest"):
        answered = referat("ask", LEJRE_Q, index=index)
    assert answered.returncode == 0, answered.stderr
    assert "149" in answered.stdout


# --- kill -9 mid-ingest ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Killed:
    stored: list[str]  # files the killed run reported as stored before it died
    output: str


def _ingest_killed(index: Path, folder: Path, after_batches: int, delay_s: float) -> _Killed:
    """Start `referat ingest folder`, wait for its `after_batches`-th "Gemt:" line, wait
    `delay_s` more (into the next batch's embedding or write), then SIGKILL it."""
    env = _clean_env(REFERAT_INGEST_BATCH_CHUNKS="24")
    command = [str(REFERAT), "--index", str(index), "ingest", str(folder)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert process.stdout is not None
    lines, stored = [], []
    deadline = time.monotonic() + 600
    while len(stored) < after_batches:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"ingest ended before {after_batches} batches:\n{''.join(lines)}")
        lines.append(line)
        if line.startswith("Gemt:"):
            stored.extend(name.strip() for name in line.split("(", 1)[1].rstrip(")\n").split(","))
        assert time.monotonic() < deadline
    time.sleep(delay_s)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it was killed"
    return _Killed(stored=stored, output="".join(lines))


def _assert_consistent(index: Path, files: dict[str, Path], must_hold: list[str]) -> Assistant:
    """Every meeting in the index is complete (exactly its chunks, as a full ingest stores
    them), the reported ones are there, and BM25 and Chroma hold the same chunk ids."""
    # Read the folder as a new process would: Chroma caches an embedded store per path in
    # the process, and this one opened it before the last ingest wrote to it.
    SharedSystemClient.clear_system_cache()
    settings = Settings(index_dir=index)
    assistant = build_assistant(settings)
    stored = assistant.store.all_chunks()
    by_source: dict[str, dict[str, str]] = {}
    for chunk in stored:
        by_source.setdefault(chunk.source, {})[chunk.id] = chunk.text
    for source, chunks in by_source.items():
        assert chunks == _expected_chunks(files[source], settings), f"{source} is incomplete"
    assert set(must_hold) <= set(by_source)
    duplicates = Counter((c.meeting_id, c.item_number, c.position) for c in stored)
    assert max(duplicates.values(), default=1) == 1
    lexical = {chunk.id for chunk in assistant.retriever.chunks_matching(SearchFilter())}
    assert lexical == {chunk.id for chunk in stored}
    return assistant


def test_ingest_killed_at_any_point_keeps_whole_meetings_and_a_rerun_completes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    for path in SAMPLES.values():
        shutil.copy(path, folder / path.name)  # "000_…" sorts before the synthetic "syn_…"
    generate_corpus(folder, 10, seed=11)
    files = {path.name: path for path in folder.iterdir()}
    index = tmp_path / "index"

    # Killed while the second batch is being embedded, then while the third is written.
    first = _ingest_killed(index, folder, after_batches=1, delay_s=1.0)
    _assert_consistent(index, files, first.stored)
    second = _ingest_killed(index, folder, after_batches=2, delay_s=0.0)
    assistant = _assert_consistent(index, files, first.stored + second.stored)
    # The lock died with the process: a new writer gets in at once.
    with single_writer(Settings(index_dir=index).store, "test"):
        pass
    # What was stored before the kills answers correctly.
    if LEJRE in first.stored + second.stored:
        answer = assistant.ask(LEJRE_Q)
        assert answer.citations[0].source == LEJRE and "149" in answer.text

    rerun = referat("ingest", str(folder), index=index)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assistant = _assert_consistent(index, files, list(files))
    expected_total = sum(len(_expected_chunks(path, assistant.settings)) for path in files.values())
    assert assistant.store.count() == expected_total
    answer = assistant.ask(LEJRE_Q)
    assert answer.citations[0].source == LEJRE and "149" in answer.text
    # A second re-run has nothing left to do.
    idle = referat("ingest", str(folder), index=index)
    assert idle.returncode == 0 and f"uændrede filer: {len(files)}" in idle.stdout


def test_a_source_left_half_replaced_is_rewritten_on_the_next_run(tmp_path: Path) -> None:
    """The one window a kill can hit inside a replacement: the new version is written, the
    old one's extra chunks are not yet deleted. The next run must not take the file for
    unchanged."""
    folder, index = tmp_path / "minutes", tmp_path / "index"
    folder.mkdir()
    path = folder / LEJRE
    shutil.copy(SAMPLES["Lejre"], path)
    assert referat("ingest", str(folder), index=index).returncode == 0
    settings = Settings(index_dir=index)
    # Version 2 drops the last item; its new chunks go in exactly as replace_sources writes
    # them, and the process "dies" before the old chunks are deleted.
    meeting = parse_file(path)
    shortened = path.read_text(encoding="utf-8").rsplit(meeting.items[-1].title, 1)[0]
    path.write_text(shortened, encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    new = chunk_meeting(
        parse_file(path),
        min_words=settings.chunk_min_words,
        max_words=settings.chunk_max_words,
        file_sha=sha,
    )
    assistant = build_assistant(settings)
    store = assistant.store
    vectors = assistant.embedder.embed_batch([c.text for c in new], "passage")
    store._collection.delete(ids=[c.id for c in new])
    store._vector_store.add([_to_node(c, v) for c, v in zip(new, vectors, strict=True)])
    assert store.count() > len(new)  # the old version's extra chunks are still there
    assert store.file_sha(LEJRE) is None  # so the file is not taken for unchanged

    rerun = referat("ingest", str(folder), index=index)
    assert rerun.returncode == 0, rerun.stderr
    stored = build_assistant(settings).store.all_chunks()
    assert {c.id for c in stored} == {c.id for c in new}


# --- team mode: a Chroma server, one writer, several readers ---------------------------------


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A real `chroma run` on 127.0.0.1 with its data in tmp_path, stopped afterwards."""
    port = _free_port()
    chroma = Path(str(REFERAT)).with_name("chroma")
    log = (tmp_path / "chroma.log").open("wb")
    data = tmp_path / "chroma-data"
    command = [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)]
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _status(f"http://127.0.0.1:{port}/api/v2/heartbeat") != 200:
            assert process.poll() is None, (tmp_path / "chroma.log").read_text()
            assert time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _ask_chat(url: str, question: str) -> str:
    """One question through the browser chat's own endpoint; the answer as shown."""
    client = Client(url, verbose=False)
    chat, _sources, _box = client.predict(question, [], None, None, "", "", api_name="/respond")
    return str(chat[-1]["content"])


def test_team_mode_one_writer_many_readers_on_a_chroma_server(
    chroma_server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = chroma_server
    team = {"REFERAT_CHROMA_HOST": host, "REFERAT_CHROMA_PORT": str(port)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REFERAT), "--index", str(tmp_path / "local"), *args],
            capture_output=True,
            text=True,
            timeout=900,
            env=_clean_env(**team),
            cwd=PROJECT_ROOT,
        )

    ingested = run("ingest", str(PROJECT_ROOT / "eval" / "minutes"))
    assert ingested.returncode == 0, ingested.stderr
    assert "tekststykker: 66" in ingested.stdout
    # The index lives in the server, not in the local folder.
    assert not (tmp_path / "local" / "chroma.sqlite3").exists()

    readers = {**team, "REFERAT_REFRESH_INTERVAL_S": "1", "REFERAT_UPLOAD_ENABLED": "false"}
    with (
        _serving(tmp_path / "reader-a", tmp_path / "a.log", readers) as first,
        _serving(tmp_path / "reader-b", tmp_path / "b.log", readers) as second,
    ):
        for url in (first, second):
            assert "149" in _ask_chat(url, LEJRE_Q)
            assert "ladestandere" not in _ask_chat(url, ROSKILDE_Q)
        # The team's writer adds minutes while both readers serve (and hold no lock).
        new = tmp_path / "new" / "roskilde.txt"
        new.parent.mkdir()
        new.write_text(ROSKILDE_MINUTES, encoding="utf-8")
        added = run("ingest", str(new))
        assert added.returncode == 0, added.stderr
        time.sleep(1.5)  # one refresh interval
        for url in (first, second):
            answer = _ask_chat(url, ROSKILDE_Q)
            assert "40" in answer and "Roskilde" in answer, answer
    # The CLI reads the same server.
    asked = run("ask", ROSKILDE_Q)
    assert asked.returncode == 0, asked.stderr
    assert "40 ladestandere" in asked.stdout


def test_an_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there
    result = subprocess.run(
        [str(REFERAT), "--chroma-host", "127.0.0.1", "--chroma-port", str(port), "ask", LEJRE_Q],
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_env(),
    )
    assert result.returncode == 1
    assert f"Chroma-serveren på 127.0.0.1:{port} svarer ikke" in result.stderr
    assert "Traceback" not in result.stderr
