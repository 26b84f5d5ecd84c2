"""The exceptions Referat raises on purpose; the CLI and UI turn them into clear messages."""

from __future__ import annotations

from pathlib import Path


class ReferatError(Exception):
    """Base class: anything the user can act on."""


class ParseError(ReferatError):
    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class IndexNotBuilt(ReferatError):
    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(f"Indekset i {index_dir} er tomt. Kør først: referat ingest eval/minutes/")


class InvalidQuestion(ReferatError):
    """Empty, too long or otherwise unusable question."""


class ConfigError(ReferatError):
    """A setting or optional backend that cannot be used as configured."""


class UnknownCase(ReferatError):
    def __init__(self, case_number: str) -> None:
        super().__init__(
            f"Sag {case_number} findes ikke i de indlæste referater. Tjek nummeret, eller "
            "indlæs referaterne fra de møder, der behandlede sagen."
        )
        self.case_number = case_number


class FeedbackError(ReferatError):
    """A staff rating, comment or feedback id the feedback store refuses, or a database file
    it cannot use."""


class NoFeedbackYet(ReferatError):
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"Ingen feedback endnu: {self.path} findes ikke.")


class ModelError(ReferatError):
    """A model that cannot be fetched, found or verified."""


class IndexBusy(ReferatError):
    """The embedded store is being written by another process (see assistant.lock)."""


class StoreUnavailable(ReferatError):
    """The Chroma server in `chroma_host` cannot be reached."""
