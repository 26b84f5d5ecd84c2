"""One answer as it is written: text pieces first, then the final `Answer`.

Modelled on simonw/llm's `Response`: iterating an `AnswerStream` yields the text as it comes
(checked sentences from an LLM, the whole quote text from the extractive answerer), and
`answer()` gives the final, frozen `Answer` with its citations. A caller that only wants the
answer drains the stream; one that shows text as it arrives iterates first and asks after.
Every answer, streamed or not, goes this one way, so there is no "the last item is the Answer"
convention to unpack.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from assistant.core.types import Answer


class AnswerStream:
    """Text pieces (each yielded once), then the final `Answer`.

    The producer is a generator that yields the pieces and *returns* the Answer, so the
    Answer cannot be mistaken for a piece and cannot be missing: a producer that ends
    without one is a bug, reported as such.
    """

    def __init__(self, pieces: Generator[str, None, Answer]) -> None:
        self._pieces = pieces
        self._shown: list[str] = []
        self._answer: Answer | None = None
        self._error: BaseException | None = None

    @classmethod
    def of(cls, answer: Answer) -> AnswerStream:
        """The stream of an answer that is ready at once: its whole text as one piece."""

        def ready() -> Generator[str, None, Answer]:
            yield answer.text
            return answer

        return cls(ready())

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        """The next piece of text. Pieces already yielded are not repeated: a second loop
        goes on where the first stopped, so text shown once is never shown twice."""
        if self._answer is not None:
            raise StopIteration
        if self._error is not None:
            raise self._error
        try:
            piece = next(self._pieces)
        except StopIteration as end:
            if not isinstance(end.value, Answer):
                raise TypeError("an answer stream's producer must return its Answer") from None
            self._answer = end.value
            raise StopIteration from None
        except Exception as error:
            # Asking again (answer(), another loop) raises the same error instead of
            # pretending the stream ended normally.
            self._error = error
            raise
        self._shown.append(piece)
        return piece

    def answer(self) -> Answer:
        """The final Answer: whatever text is left is drained (not lost: `text()` has it)."""
        for _ in self:
            pass
        assert self._answer is not None  # __next__ only stops once it holds the Answer
        return self._answer

    final = answer

    def text(self) -> str:
        """All text the stream yields, joined: what a reader of the stream was shown. When a
        generated answer falls back to the quotes midway, `answer().text` is what replaced
        it."""
        self.answer()
        return "".join(self._shown)

    @property
    def done(self) -> bool:
        """Whether the final Answer has arrived."""
        return self._answer is not None
