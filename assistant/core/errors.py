"""The exceptions Referat raises on purpose, as data; the CLI and UI word them.

An error the user can meet while asking carries a `key` and the `fields` of its message.
The adapters word it in the user's language from the template `prompts/errors/<key>.txt`
(`prompts/en/errors/<key>.txt` in English), as answers are worded. `str(error)` is the
Danish wording, for logs and for callers that have no language to choose. Errors only an
operator meets (a file that cannot be read, a model that cannot be fetched) are worded in
Danish where they are raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from assistant.resources import resource_dir


def worded(key: str, fields: dict[str, object], prompts_dir: Path, language: str = "da") -> str:
    """The message `key` with `fields`, from the templates in `prompts_dir`; "da" is the
    templates' own language, any other their subfolder of that name."""
    folder = prompts_dir if language == "da" else prompts_dir / language
    template = (folder / "errors" / f"{key}.txt").read_text(encoding="utf-8").strip()
    return template.format(**fields)


class ReferatError(Exception):
    """Base class: anything the user can act on. Subclasses with a `key` are worded from
    templates; the others carry their (Danish) message as given."""

    key: ClassVar[str] = ""

    def __init__(self, message: str = "", **fields: object) -> None:
        self.fields = fields
        super().__init__(message)

    def __str__(self) -> str:
        if self.key:
            return self.message(resource_dir("prompts"))
        return super().__str__()

    def message(self, prompts_dir: Path, language: str = "da") -> str:
        """The message in `language`, from the templates in `prompts_dir`."""
        if not self.key:
            return str(self)
        return worded(self.key, self.fields, prompts_dir, language)


class ParseError(ReferatError):
    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class IndexNotBuilt(ReferatError):
    key = "index_not_built"

    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(index_dir=index_dir)


class InvalidQuestion(ReferatError):
    """Empty, too long or otherwise unusable question (or filter)."""


class EmptyQuestion(InvalidQuestion):
    key = "empty_question"


class QuestionTooLong(InvalidQuestion):
    key = "question_too_long"

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(length=length, limit=limit)


class UnknownName(InvalidQuestion):
    """A municipality, committee or section the index does not hold."""

    key = "unknown_name"

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        super().__init__(kind=kind, name=name, known=", ".join(known))

    def message(self, prompts_dir: Path, language: str = "da") -> str:
        # The kind is a word of the message too ("Kommunen" / "The municipality").
        kind = worded(f"kind_{self.fields['kind']}", {}, prompts_dir, language)
        return worded(self.key, {**self.fields, "kind": kind}, prompts_dir, language)


class ReversedDates(InvalidQuestion):
    key = "reversed_dates"


class ConfigError(ReferatError):
    """A setting or optional backend that cannot be used as configured."""


class UnknownCase(ReferatError):
    key = "unknown_case"

    def __init__(self, case_number: str) -> None:
        super().__init__(case_number=case_number)
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

    key = "store_unavailable"

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(host=host, port=port, reason=reason)


class EmbedderUnavailable(ReferatError):
    """The embedding server in `embed_server_url` cannot be reached or refuses the request."""

    key = "embedder_unavailable"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url=url, reason=reason)


class Busy(ReferatError):
    """Every answering slot stayed taken for as long as a question may wait."""

    key = "busy"


class InvalidDate(InvalidQuestion):
    """A date as a user typed it that names no day in the calendar ("31. februar 2024"):
    an error naming it, rather than a filter silently dropped."""

    key = "invalid_date"

    def __init__(self, text: str) -> None:
        super().__init__(text=text)


class EmptyCaseNumber(InvalidQuestion):
    """`referat sag ""`: no case number, which would otherwise list every item."""

    key = "empty_case_number"


class UnknownSource(ReferatError):
    """A source to remove that the index does not hold; nothing is removed."""

    key = "unknown_source"

    def __init__(self, source: str) -> None:
        super().__init__(source=source)


class UnknownMeeting(ReferatError):
    """A meeting to remove that the index does not hold; nothing is removed."""

    key = "unknown_meeting"

    def __init__(self, meeting: str) -> None:
        super().__init__(meeting=meeting)


class AmbiguousMeeting(ReferatError):
    """A meeting selector that fits several meetings; nothing is removed."""

    key = "ambiguous_meeting"

    def __init__(self, meeting: str, candidates: list[str]) -> None:
        super().__init__(meeting=meeting, candidates="; ".join(candidates))


class SyncWouldEmpty(ReferatError):
    """`ingest --sync` of a folder that is missing or holds no minutes while the index holds
    sources from it: an unmounted share or a typo, not a folder whose files were all
    deleted. Nothing is removed."""

    key = "sync_would_empty"

    def __init__(self, folder: Path | str, count: int) -> None:
        super().__init__(folder=folder, count=count)


class IndexDirUnusable(ReferatError):
    """The index folder (`--index`) is a file, or a folder this user cannot write."""

    key = "index_dir_unusable"

    def __init__(self, index_dir: Path | str, reason: str) -> None:
        super().__init__(index_dir=index_dir, reason=reason)
