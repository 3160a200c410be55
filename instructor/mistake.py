"""A catalogued mistake: a small wrong implementation, written as edits of the reference.

A mistake is the reference solution of one graded function with a few lines
changed, written as ``(correct code, wrong code)`` edits of that solution cell.
Run in a namespace where the other functions are correct (as in a learner's
notebook), it gives the wrong outputs whose fingerprints the build stores, so
that a learner who returns the same output is shown the mistake's hint, in
their language.

Every mistake must fail the hidden checks of the functions listed in
``breaks`` and pass all others, and be named where it fails
(tests/test_mistakes.py holds every assignment's catalogue to that).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

LANGUAGES = ("en", "zh")  # every hint is written in each of them


@dataclass(frozen=True)
class Mistake:
    id: str  # unique across the kit
    function: str  # grade id of the solution cell in which the mistake is made
    edits: tuple[tuple[str, str], ...]  # (correct code, wrong code)
    hints: Mapping[str, str]  # {language: what went wrong and what to do}
    breaks: frozenset[str]  # graded functions whose checks it fails
    from_seed: bool = False  # one of the published seed lesson's bugs (DESIGN.md)

    def __post_init__(self) -> None:
        missing = [language for language in LANGUAGES if not self.hints.get(language)]
        if missing:
            raise ValueError(f"mistake {self.id!r} has no hint in {missing}")

    def wrong_source(self, sources: Mapping[str, str]) -> str:
        """The solution cell of ``function`` in ``sources`` with this mistake written into it."""
        code = sources[self.function]
        for correct, wrong in self.edits:
            if correct not in code:
                raise ValueError(f"mistake {self.id!r}: {correct!r} is not in the solution of {self.function}")
            code = code.replace(correct, wrong)
        return code

    def cells(self, sources: Mapping[str, str]) -> dict[str, str]:
        """``sources`` (solution cells by grade id) with this one mistake written in."""
        return {**sources, self.function: self.wrong_source(sources)}


def with_mistakes(mistakes: tuple[Mistake, ...], sources: Mapping[str, str]) -> dict[str, str]:
    """Solution sources with several mistakes written in (each in its own cell)."""
    cells = dict(sources)
    for mistake in mistakes:
        cells[mistake.function] = mistake.wrong_source(cells)
    return cells


def hints(en: str, zh: str) -> dict[str, str]:
    """A hint in every language of :data:`LANGUAGES`."""
    return {"en": en, "zh": zh}
