"""A sentence-transformers CrossEncoder read from a local folder (nothing is downloaded)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.core.errors import ConfigError


class CrossEncoderScorer:
    """Scores (question, passage) pairs by reading both together."""

    def __init__(self, model_path: Path) -> None:
        if not model_path.is_dir():
            raise ConfigError(
                f"Reranker-modellen {model_path} findes ikke. Angiv en lokal mappe med en "
                "CrossEncoder-model (REFERAT_RERANKER), 'embedding' eller 'none'."
            )
        from sentence_transformers import CrossEncoder

        self._model = CrossEncoder(str(model_path), device="cpu", local_files_only=True)

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [float(score) for score in self._model.predict(list(pairs))]
