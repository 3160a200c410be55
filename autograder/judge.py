"""Judge what a function did on one stored case: a :class:`~autograder.verdict.Verdict`.

Used in the learner's kernel (:mod:`autograder.checks`) and, outside the
sandbox, by the class grader (:mod:`autograder.grading.runner`), on the same
case data: ``case`` is a stored case or probe (:class:`autograder.casefile.StoredCase`: its
inputs, expected outputs, tolerance and the fingerprints of catalogued mistakes),
``arrays`` the arrays it refers to.

A failure's diagnosis is, in order: the catalogued mistake whose fingerprint
matches (the same output, or the same error), else the exception read for its
cause, else a pattern in the wrong output (:mod:`autograder.diagnosis`).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Collection, Sequence

from .casefile import StoredCase, decode
from .compare import outputs_difference
from .diagnosis import explain_output, explain_raised
from .verdict import DIFFERENCES, Diagnosis, Outcome, Place, Raised, Verdict

NOT_WRITTEN = "NotImplementedError"


def key_of(case_id: str, hidden: bool, kind: str) -> str:
    """A case's name among its function's cases: ``visible:lesson``, ``hidden:pad0``, ``timing:layer``.

    A visible and a hidden case could share an id (the kit's do not: the diagnosis tells runs apart by id,
    instructor.assignment checks it); the key tells them apart all the same."""
    if kind == "speed":
        return f"timing:{case_id}"
    return f"{'hidden' if hidden else 'visible'}:{case_id}"


def case_key(case: StoredCase) -> str:
    """:func:`key_of` a stored case."""
    return key_of(case.id, case.hidden, case.kind)


def positions(cases: Sequence[StoredCase]) -> dict[str, tuple[int, int]]:
    """{case key: (position, count)} among the cases of the same visibility (timing cases apart), as the
    notebook counts them (keyed by :func:`case_key`: a visible and a hidden case may share an id)."""
    found = {}
    for group in ((False, False), (True, False), (True, True)):
        same = [case for case in cases if (case.hidden, case.is_speed) == group]
        for position, case in enumerate(same, start=1):
            found[case_key(case)] = (position, len(same))
    return found


def place_of(case: StoredCase, position: int, count: int) -> Place:
    """Where ``case`` is, for a learner: its position among the cases of its visibility, and its shapes."""
    return Place(case.id, case.hidden, position, count, case.description, case.kind)


def probe_place(probe: StoredCase) -> Place:
    """Where a probe is: never shown as a case (hidden, no position, no shapes)."""
    return Place(probe.id, True, 0, 0, "", probe.kind)


def matching_mistakes(case: StoredCase, names: Sequence[str], arrays: dict, got: Any = None,
                      raised: Raised | None = None) -> list[str]:
    """The ids of the catalogued mistakes whose fingerprint on ``case`` is what came back, in catalogue order
    (two mistakes may leave the same fingerprint on a case)."""
    tolerance = dataclasses.replace(case.tolerance, equal_nan=True)  # the same mistake gives the same NaN
    found = []
    for mistake in case.mistakes:
        if raised is not None:
            if mistake.raises == raised.text:
                found.append(mistake.id)
        elif mistake.output is not None:
            fingerprint = decode(mistake.output, arrays)
            if outputs_difference("", names, fingerprint, got, tolerance) is None:
                found.append(mistake.id)
    return found


def matching_mistake(case: StoredCase, names: Sequence[str], arrays: dict, got: Any = None,
                     raised: Raised | None = None) -> str | None:
    """The id of the first catalogued mistake whose fingerprint on ``case`` is what came back."""
    found = matching_mistakes(case, names, arrays, got, raised)
    return found[0] if found else None


def judge(function: str, names: Sequence[str], case: StoredCase, arrays: dict, place: Place, got: Any = None,
          raised: Raised | None = None, known: Collection[str] = ()) -> Verdict:
    """The verdict on what ``function`` returned (``got``) or raised (``raised``) on ``case``.

    ``names`` are the function's outputs by the lesson's names; ``known`` the assignment's function names
    (an undefined one is a helper the notebook did not define)."""
    if raised is not None:
        if raised.type == NOT_WRITTEN:
            helper = raised.where if raised.where not in (None, function) and raised.where in known else None
            if helper is None:  # the stub's own NotImplementedError: not finished, and nothing else to say
                return Verdict(function, Outcome.NOT_WRITTEN, place, raised=raised)
            return Verdict(function, Outcome.RAISED, place, raised=raised, diagnosis=Diagnosis(
                "helper_fails", "helper", {"helper": helper, "helpers": [helper], "causes": ["not_written"]}))
        mistake = matching_mistake(case, names, arrays, raised=raised)
        diagnosis = (Diagnosis(mistake, "mistake") if mistake
                     else explain_raised(function, raised, known))
        return Verdict(function, Outcome.RAISED, place, raised=raised, diagnosis=diagnosis)
    expected = decode(case.expected, arrays)
    difference = outputs_difference(function, names, expected, got, case.tolerance)
    if difference is None:
        return Verdict(function, Outcome.PASSED, place)
    mistake = matching_mistake(case, names, arrays, got=got)
    diagnosis = (Diagnosis(mistake, "mistake") if mistake
                 else explain_output(function, names, expected, got, difference, case.facts))
    return Verdict(function, DIFFERENCES[difference.what], place, difference=difference, diagnosis=diagnosis)


def raised_of(error: BaseException, line: str | None, where: str | None = None) -> Raised:
    """An exception caught in this process, as data (``where``: the learner's function whose ``line`` it is)."""
    return Raised(type(error).__name__, str(error), line, where)
