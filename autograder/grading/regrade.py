"""A result graded again, beside the one it replaces: the grade before and after, and what changed.

When the plan a stored result was graded against (its :mod:`.fingerprint`)
differs from the plan now, ``autograder grade`` grades that submission again
without ``--force`` (a hint reworded alone needs no grading: the feedback is
written again). :func:`compare` and :func:`reworded` make the
:class:`~.result.Regrade` that the feedback, report.json, the class summary
and the console show: per function the score before and after, and whether
what the learner is told changed (another outcome, case or cause, or the
reworded hint of the mistake they made); numbers that differ between two runs
of the same case (times measured, values on new hidden inputs) do not count.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from ..verdict import Verdict
from .fingerprint import Change
from .result import SAME, FunctionChange, Regrade, Result


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _mistakes(verdict: Verdict) -> set[str]:
    found = {verdict.mistake} if verdict.mistake else set()
    for other in verdict.also:
        found |= _mistakes(other)
    return found


def _told(verdict: Verdict) -> tuple:
    """What a learner is told about a function, without the numbers: outcome, failing case and cause."""
    place = (verdict.place.id, verdict.place.hidden, verdict.place.kind) if verdict.place else None
    return verdict.outcome, place, verdict.cause(), tuple(_told(other) for other in verdict.also)


def _reworded(changes: Iterable[Change]) -> dict[str, set[str]]:
    """{function: mistake ids whose hints were reworded}."""
    found: dict[str, set[str]] = {}
    for change in changes:
        if change.part == "hints" and change.function:
            found.setdefault(change.function, set()).update(change.mistakes)
    return found


def compare(before: Result, after: Result, why: tuple[Change, ...], at: str | None = None) -> Regrade:
    """``after`` (the new result of the same submission) against ``before``, regraded because of ``why``."""
    reworded = _reworded(why)
    functions = []
    for name, new in after.functions.items():
        old = before.functions.get(name)
        if old is None:
            functions.append(FunctionChange(name, 0.0, new.score, new.max, True))
            continue
        told = _told(old.verdict) != _told(new.verdict) or bool(_mistakes(new.verdict) & reworded.get(name, set()))
        if abs(old.score - new.score) > SAME or told:
            functions.append(FunctionChange(name, old.score, new.score, new.max, told))
    functions += [FunctionChange(name, old.score, 0.0, old.max, True)
                  for name, old in before.functions.items() if name not in after.functions]
    return Regrade(at or now(), before.total, after.total, after.max, tuple(why), tuple(functions))


def reworded(before: Result, why: tuple[Change, ...], at: str | None = None) -> Regrade:
    """A result whose plan changed in its hints only: the same grade, the feedback of the functions whose
    catalogued mistake was reworded changed."""
    changed = _reworded(why)
    functions = tuple(FunctionChange(name, entry.score, entry.score, entry.max, True)
                      for name, entry in before.functions.items()
                      if _mistakes(entry.verdict) & changed.get(name, set()))
    return Regrade(at or now(), before.total, before.total, before.max, tuple(why), functions)
