"""The evidence a cause is proven on: every case and probe of a function, as it ran.

A :class:`Run` is one call of the learner's function on one stored case (visible or hidden) or probe: its
factors (stride, pad, ...; see ``instructor.build.factors``), whether it passed, what came back or what it
raised, which graded functions it called, and which catalogued mistakes show on it (their fingerprints)
and which one it matched. Made in the learner's kernel (:mod:`.local`) and in the grader's trusted process
(:mod:`autograder.grading.diagnose`), read by :mod:`.proof`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from ..casefile import StoredCase
from ..compare import Tolerance, outputs_difference
from ..verdict import Raised, Verdict

# The value of each factor in the simplest input (the root of the probe trees).
SIMPLE = {"stride": 1, "pad": 0, "m": 1, "n_C": 1, "n_C_prev": 1, "shape": "square", "f": 1, "overlap": "touching",
          "mode": "max"}
# Factors whose values are kinds, not sizes: a condition may name one of their other values (windows that
# overlap, or that leave gaps between them, where f = stride is the simplest: windows that just touch).
KINDS = {"overlap": ("overlapping", "gaps")}
# When several factors break a function, they are named in this order (the order to look at them).
FACTOR_ORDER = ("mode", "stride", "overlap", "pad", "m", "n_C", "n_C_prev", "shape", "f")


@dataclass
class Run:
    """One case or probe of a function, as it ran."""

    id: str
    kind: str  # "case" or "probe"
    factors: Mapping[str, Any]
    passed: bool
    hidden: bool = False
    facts: Mapping[str, int] = field(default_factory=dict)
    verdict: Verdict | None = None  # cases: the judged verdict (its place, difference, single-case diagnosis)
    expected: Any = None
    got: Any = None
    raised: Raised | None = None
    args: tuple = ()
    traced: frozenset[str] = frozenset()  # graded functions it called
    missed: bool = False  # run with stand-ins: it asked a helper for a call a correct function does not make
    shown_mistakes: frozenset[str] = frozenset()  # catalogued mistakes with a fingerprint here
    matched: str | None = None  # the catalogued mistake whose fingerprint it matched (the first)
    matches: tuple[str, ...] = ()  # every catalogued mistake whose fingerprint it matched, in catalogue order
    fingerprints: Mapping[str, Any] = field(default_factory=dict)  # {mistake: its output here}
    parent: str | None = None  # probes: the tree's edge
    edge: str | None = None  # probes: the factor that differs from the parent
    description: str = ""  # its inputs' shapes and hyper-parameters, as a learner reads them
    tolerance: Tolerance = field(default_factory=Tolerance)

    @property
    def is_case(self) -> bool:
        return self.kind == "case"


def first_differing(function: str, names: Sequence[str], expected: Any, got: Any,
                    tolerance: Tolerance) -> tuple[str, Any, Any] | None:
    """(name, expected, got) of the first output that differs, or None."""
    if len(names) == 1:
        return (names[0], expected, got) if outputs_difference(function, names, expected, got, tolerance) else None
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return None
    for name, e, g in zip(names, expected, got):
        if outputs_difference(function, [name], e, g, tolerance):
            return name, e, g
    return None


def differing(function: str, names: Sequence[str], expected: Any, got: Any,
              tolerance: Tolerance) -> list[tuple[str, Any, Any]]:
    """Every output that differs, as (name, expected, got); [] when the function returned another count."""
    if len(names) == 1:
        return [(names[0], expected, got)] if outputs_difference(function, names, expected, got, tolerance) else []
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return []
    return [(name, e, g) for name, e, g in zip(names, expected, got)
            if outputs_difference(function, [name], e, g, tolerance)]


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of an array or a number (``()``); None for anything else, such as a cache's tuple (whose arrays
    may differ in shape: numpy cannot give it one)."""
    if isinstance(value, np.ndarray):
        return value.shape
    return () if isinstance(value, (np.generic, int, float)) else None


def numeric(value: Any) -> np.ndarray | None:
    if isinstance(value, (np.ndarray, np.generic, int, float)) and not isinstance(value, bool):
        array = np.asarray(value)
        if np.issubdtype(array.dtype, np.number) or array.dtype == bool:
            return array.astype(float)
    return None


def stored_run(function: str, names: Sequence[str], entry: StoredCase, arrays: dict, place: Any,
               got: Any = None, raised: Raised | None = None, known: Sequence[str] = (), traced: Sequence[str] = (),
               missed: bool = False, args: tuple = (), kind: str = "case") -> Run:
    """The run of a stored case or probe (``entry``), judged: what came back (``got``) or was ``raised``.

    ``missed``: it ran with stand-ins that lacked an answer it asked for, so it proves nothing either way
    about the function's own code; it counts as failing."""
    from ..casefile import decode
    from ..judge import judge, matching_mistakes

    verdict = judge(function, names, entry, arrays, place, got=got, raised=raised, known=known)
    passed = verdict.passed and not missed
    fingerprints = {} if passed else {m.id: decode(m.output, arrays) for m in entry.mistakes if m.output is not None}
    matches = () if passed or missed or not verdict.mistake else tuple(
        matching_mistakes(entry, names, arrays, got=got, raised=raised))
    edge = entry.edge
    return Run(entry.id, kind, entry.factors, passed, hidden=entry.hidden,
               facts=entry.facts, verdict=verdict, expected=decode(entry.expected, arrays),
               got=got, raised=raised, args=args, traced=frozenset(traced), missed=missed,
               shown_mistakes=frozenset(m.id for m in entry.mistakes),
               matched=None if missed else verdict.mistake, parent=edge.parent if edge else None,
               edge=edge.factor if edge else None, description=entry.description, fingerprints=fingerprints,
               matches=matches, tolerance=entry.tolerance)
