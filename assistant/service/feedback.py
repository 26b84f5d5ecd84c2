"""Staff ratings of answers, kept in SQLite and exported as evaluation questions.

The browser chat records a thumbs up or down (with an optional comment) on an answer; a
reviewer exports the rows as question-set rows (eval/README.md), so the questions staff
really ask become test cases.

Several Gradio worker threads, and possibly several processes (a second `referat serve`,
a CLI export), write at once. So every operation opens its own short-lived connection (a
sqlite3 connection must not be shared between threads), the database runs in WAL mode
(readers never block the writer, nor the writer the readers), and every write takes the
write lock up front with BEGIN IMMEDIATE: a transaction that reads first and upgrades to
writing later can fail at once with "database is locked" instead of waiting its turn.

Nothing here knows the settings: a record holds what was asked, answered and cited, and
the verdict, never a key or a configuration value.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Literal

from assistant.core.errors import FeedbackError, NoFeedbackYet
from assistant.core.types import Answer, Citation

Rating = Literal["up", "down"]
RATINGS: tuple[Rating, ...] = ("up", "down")
RatingFilter = Literal["all", "up", "down"]
MAX_COMMENT_CHARS = 2000
SCHEMA_VERSION = 1
# How long a writer waits for another writer's transaction. Each one writes a single small
# row, so waiting this long means something is stuck, not busy.
BUSY_TIMEOUT_S = 30.0
CITATION_KEYS = tuple(f.name for f in fields(Citation))

_SCHEMA = """
CREATE TABLE feedback (
    -- AUTOINCREMENT: an id is never reused, so an exported "fb0007" always means one answer.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS = "id, created, question, history, answer, citations, abstained, rating, comment"


@dataclass(frozen=True)
class Feedback:
    """One staff verdict on one answer: the question, the conversation before it, the answer
    and citations as shown, and the rating. Refuses invalid input with a FeedbackError."""

    question: str
    history: tuple[dict[str, str], ...]  # earlier turns {"role": "user"|"assistant", "content"}
    answer: str
    citations: tuple[dict, ...]  # each Citation as dataclasses.asdict(citation)
    abstained: bool
    rating: Rating
    comment: str = ""

    def __post_init__(self) -> None:
        # The UI hands over lists and Gradio's message dicts (with "metadata" and the like):
        # keep tuples of plain turns, so a record is the same after a trip through the store.
        object.__setattr__(self, "history", tuple(_turn(turn) for turn in self.history))
        object.__setattr__(self, "citations", tuple(_citation(c) for c in self.citations))
        object.__setattr__(self, "abstained", bool(self.abstained))
        if not isinstance(self.question, str) or not self.question.strip():
            raise FeedbackError("Feedback skal have det spørgsmål, svaret hørte til.")
        if not isinstance(self.answer, str):
            raise FeedbackError("Svaret i en feedback skal være tekst.")
        _check_rating(self.rating)
        _check_comment(self.comment)

    @classmethod
    def for_answer(
        cls,
        answer: Answer,
        history: Sequence[Mapping[str, str]],
        rating: Rating,
        comment: str = "",
    ) -> Feedback:
        """The record of `answer` as the user saw it, asked after the turns in `history`."""
        return cls(
            question=answer.question,
            history=tuple(dict(turn) for turn in history),
            answer=answer.text,
            citations=tuple(asdict(c) for c in answer.citations),
            abstained=answer.abstained,
            rating=rating,
            comment=comment,
        )


@dataclass(frozen=True)
class StoredFeedback:
    """A Feedback as stored: its row id and when it was recorded."""

    id: int
    created: str  # local time with its offset, to the second: "2025-03-04T10:15:02+01:00"
    feedback: Feedback


class FeedbackStore:
    """Feedback rows in one SQLite file. Safe to share between threads and processes: it
    holds only the path, never an open connection."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open the database at `path`, creating the folder, the file and the table when
        missing. With `create=False` a missing file is a NoFeedbackYet error instead (a
        command that only reads must not leave an empty database behind)."""
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise NoFeedbackYet(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._use_wal()
            with self._transaction() as db:
                self._ensure_schema(db)
        except sqlite3.DatabaseError as error:
            raise FeedbackError(
                f"{self.path} kan ikke bruges som feedback-database: {error}"
            ) from error

    def _use_wal(self) -> None:
        # The mode is kept in the file, so this switches once. Switching needs the file to
        # itself, and SQLite answers "locked" at once instead of waiting when another
        # process is creating the same file: retry until the busy timeout.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                with self._connection() as db:
                    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _ensure_schema(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version != 0:
            raise FeedbackError(
                f"{self.path} har feedback-skema version {version}, men denne udgave af "
                f"Referat kender kun version {SCHEMA_VERSION}. Opdatér Referat, eller brug "
                "en anden database."
            )
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            # Version 0 with tables: some other program's database (Chroma's, say).
            raise FeedbackError(f"{self.path} er en anden SQLite-database, ikke Referats feedback.")
        db.execute(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # isolation_level=None: no implicit transactions; writes use _transaction's own.
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def record(self, feedback: Feedback) -> int:
        """Store `feedback`; returns its new id."""
        created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, question, history, answer, citations, "
                "abstained, rating, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    feedback.question,
                    json.dumps(feedback.history, ensure_ascii=False),
                    feedback.answer,
                    json.dumps(feedback.citations, ensure_ascii=False),
                    int(feedback.abstained),
                    feedback.rating,
                    feedback.comment,
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def set_rating(self, feedback_id: int, rating: Rating) -> None:
        """Change the rating of entry `feedback_id`: a user may change their mind."""
        self._update(feedback_id, "rating", _check_rating(rating))

    def add_comment(self, feedback_id: int, comment: str) -> None:
        """Set the comment of entry `feedback_id`, replacing an earlier one (the comment box
        holds the whole text each time it is sent)."""
        self._update(feedback_id, "comment", _check_comment(comment))

    def _update(self, feedback_id: int, column: Literal["rating", "comment"], value: str) -> None:
        with self._transaction() as db:
            changed = db.execute(
                f"UPDATE feedback SET {column} = ? WHERE id = ?", (value, feedback_id)
            ).rowcount
            if not changed:
                raise FeedbackError(f"Feedback nr. {feedback_id} findes ikke i {self.path}.")

    def entries(self, rating: RatingFilter = "all") -> list[StoredFeedback]:
        """Every entry with `rating` ("all" for both), oldest first."""
        if rating not in ("all", *RATINGS):
            raise FeedbackError(f"Ugyldig vurdering {rating!r}: brug 'all', 'up' eller 'down'.")
        query = f"SELECT {_COLUMNS} FROM feedback"
        arguments: tuple[str, ...] = ()
        if rating != "all":
            query, arguments = query + " WHERE rating = ?", (rating,)
        with self._connection() as db:
            rows = db.execute(query + " ORDER BY id", arguments).fetchall()
        return [_stored(row) for row in rows]

    def export_questions(self, path: Path, rating: RatingFilter = "up") -> int:
        """Write the entries with `rating` as question-set rows (see `question_row`) to
        `path` as UTF-8 JSON Lines; returns the number of rows written."""
        rows = [question_row(entry) for entry in self.entries(rating)]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )
        return len(rows)


def question_row(entry: StoredFeedback) -> dict:
    """A stored entry as a question-set row (eval/README.md), for a reviewer to complete.

    `id` is "fb" and the row id with four digits ("fb0007"), `kind` is "feedback" and
    `must_contain` is always [] (the reviewer writes the answer key). What staff said
    decides the rest:

    - rated up, answered: `answerable` true, and `sources` is the FIRST citation's item
      (municipality, meeting date, item number): the item the approved answer leads with.
    - rated up, abstained: `answerable` false, `sources` []: staff confirmed the minutes
      do not say.
    - rated down: `answerable` true, `sources` [] and `needs_review` true: nobody knows the
      right item yet, and `referat eval` refuses the row until a reviewer fills in
      `sources` (or sets `answerable` to false). An up-rated answer without citations
      (which the assistant does not give) is treated the same way.

    The extra keys `rating`, `comment`, `answer` (what staff saw) and `created` are for the
    reviewer; the evaluation ignores them.
    """
    feedback = entry.feedback
    review = False
    if feedback.rating == "up" and feedback.abstained:
        answerable, sources = False, []
    elif feedback.rating == "up" and feedback.citations:
        first = feedback.citations[0]
        answerable = True
        sources = [
            {
                "municipality": first["municipality"],
                "meeting_date": first["meeting_date"],
                "item": first["item_number"],
            }
        ]
    else:
        answerable, sources, review = True, [], True
    row = {
        "id": f"fb{entry.id:04d}",
        "question": feedback.question,
        "history": list(feedback.history),
        "answerable": answerable,
        "sources": sources,
        "must_contain": [],
        "kind": "feedback",
    }
    if review:
        row["needs_review"] = True
    return row | {
        "rating": feedback.rating,
        "comment": feedback.comment,
        "answer": feedback.answer,
        "created": entry.created,
    }


def _stored(row: tuple) -> StoredFeedback:
    id_, created, question, history, answer, citations, abstained, rating, comment = row
    feedback = Feedback(
        question=question,
        history=tuple(json.loads(history)),
        answer=answer,
        citations=tuple(json.loads(citations)),
        abstained=bool(abstained),
        rating=rating,
        comment=comment,
    )
    return StoredFeedback(id=id_, created=created, feedback=feedback)


def _check_rating(rating: object) -> Rating:
    if rating not in RATINGS:
        raise FeedbackError(f"Ugyldig vurdering {rating!r}: brug 'up' eller 'down'.")
    return rating  # type: ignore[return-value]


def _check_comment(comment: object) -> str:
    if not isinstance(comment, str):
        raise FeedbackError("Kommentaren skal være tekst.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(
            f"Kommentaren er {len(comment)} tegn lang; den må højst være {MAX_COMMENT_CHARS} tegn."
        )
    return comment


def _turn(turn: object) -> dict[str, str]:
    if (
        not isinstance(turn, Mapping)
        or turn.get("role") not in ("user", "assistant")
        or not isinstance(turn.get("content"), str)
    ):
        raise FeedbackError(
            f"Ugyldig tur i samtalen: {turn!r:.120}. En tur er {{'role': 'user' eller "
            "'assistant', 'content': tekst}."
        )
    return {"role": turn["role"], "content": turn["content"]}


def _citation(citation: object) -> dict:
    if not isinstance(citation, Mapping):
        raise FeedbackError(f"Ugyldig kilde: {citation!r:.120}. Gem den som asdict(citation).")
    missing = [key for key in CITATION_KEYS if key not in citation]
    if missing:
        raise FeedbackError(
            f"Kilden mangler {', '.join(missing)}. Gem kilderne som asdict(citation)."
        )
    return dict(citation)
