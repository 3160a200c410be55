"""``check(name, fn)``: run a learner's function on the stored cases and explain failures.

Test cells call it::

    check("conv_forward", conv_forward)               # the lesson's visible example(s)
    check("conv_forward", conv_forward, hidden=True)  # the hidden cases (graded)

It raises :class:`CheckFailed`, an ``AssertionError`` whose message names the
case, says what came back and what was expected, and, when the learner's output
matches a catalogued mistake on the same inputs, gives that mistake's hint.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from . import casefile, feedback
from .compare import Tolerance, difference

DEFAULT_ASSIGNMENT = "conv_step_by_step"


class CheckFailed(AssertionError):
    """A learner's function gave a wrong result; the message says which and why."""


@lru_cache(maxsize=None)
def _load(assignment: str) -> tuple[dict, dict]:
    return casefile.read(assignment)


def cases_of(function: str, assignment: str = DEFAULT_ASSIGNMENT) -> list[dict]:
    """The stored cases of ``function`` (visible and hidden), as manifest entries."""
    manifest, _ = _load(assignment)
    try:
        return manifest["functions"][function]["cases"]
    except KeyError:
        known = ", ".join(sorted(manifest["functions"]))
        raise KeyError(feedback.unknown_function(assignment, function, known)) from None


def _outputs_difference(names: list[str], expected: Any, got: Any, tolerance: Tolerance) -> str | None:
    if len(names) == 1:
        return difference(names[0], expected, got, tolerance)
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return "wrong count"
    for name, e, g in zip(names, expected, got):
        found = difference(name, e, g, tolerance)
        if found:
            return found
    return None


def output_problem(function: str, names: list[str], expected: Any, got: Any, tolerance: Tolerance) -> str | None:
    """What is wrong with ``got``, the outputs ``names`` of ``function``, for a learner (None if it is right)."""
    problem = _outputs_difference(names, expected, got, tolerance)
    return feedback.wrong_count(function, names, got) if problem == "wrong count" else problem


@dataclass(frozen=True)
class Raised:
    """An error raised by a learner's function, as plain data (it may come from a sandbox)."""

    text: str  # "ValueError: ..."
    line: str | None = None  # the learner's line that raised it
    not_implemented: bool = False


@dataclass(frozen=True)
class Failure:
    message: str  # for the learner
    mistake: str | None = None  # id of the catalogued mistake it matched


def _matching_mistake(case: dict, names: list[str], arrays: dict, got: Any, raised: Raised | None) -> dict | None:
    tolerance = Tolerance(**case["tolerance"])
    for mistake in case["mistakes"]:
        if raised is not None:
            if mistake.get("raises") == raised.text:
                return mistake
        elif "output" in mistake:
            if _outputs_difference(names, casefile.decode(mistake["output"], arrays), got, tolerance) is None:
                return mistake
    return None


def judge(function: str, names: list[str], case: dict, arrays: dict, place: str,
          got: Any = None, raised: Raised | None = None) -> Failure | None:
    """What is wrong with what came back on ``case`` (None if it is right).

    ``got`` is what the function returned, unless it raised (``raised``).
    """
    if raised is not None and raised.not_implemented:
        return Failure(feedback.not_written(function))
    if raised is not None:
        problem = feedback.raised(raised.text, raised.line)
    else:
        problem = output_problem(function, names, casefile.decode(case["expected"], arrays), got,
                                 Tolerance(**case["tolerance"]))
        if problem is None:
            return None
    mistake = _matching_mistake(case, names, arrays, got, raised)
    hint = feedback.hint_of(mistake) if mistake else None
    return Failure(feedback.wrong_result(function, place, problem, hint), mistake["id"] if mistake else None)


def run_case(function: str, fn: Callable, case: dict, position: int, count: int,
             assignment: str = DEFAULT_ASSIGNMENT) -> str | None:
    """Run ``fn`` on one stored case; return the learner's failure message, or None if it passes."""
    manifest, arrays = _load(assignment)
    names = manifest["functions"][function]["outputs"]
    args = casefile.decode(case["args"], arrays)
    kwargs = casefile.decode(case["kwargs"], arrays)
    place = feedback.where(case, position, count)
    try:
        got = fn(*args, **kwargs)
    except Exception as error:  # the learner's code may raise anything; explain it
        raised = Raised(feedback.exception_text(error), feedback.learner_line(error),
                        isinstance(error, NotImplementedError))
        failure = judge(function, names, case, arrays, place, raised=raised)
    else:
        failure = judge(function, names, case, arrays, place, got=got)
    return failure.message if failure else None


def check(function: str, fn: Callable, hidden: bool = False, assignment: str = DEFAULT_ASSIGNMENT) -> None:
    """Check ``fn`` as the graded function ``function``; raise CheckFailed on the first failing case."""
    if not callable(fn):
        raise CheckFailed(feedback.not_callable(function, fn))
    selected = [case for case in cases_of(function, assignment) if case["hidden"] == hidden]
    for position, case in enumerate(selected, start=1):
        message = run_case(function, fn, case, position, len(selected), assignment)
        if message:
            raise CheckFailed(message)
    print(feedback.passed(function, len(selected), hidden))
