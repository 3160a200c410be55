"""Which factors break a function, proven on every run: "right with stride 1, wrong with stride > 1".

A *condition* is one factor on one side: "stride > 1" (the factor is not at its simplest value) or, for a
mistake that shows only in the simplest setting, "f = 1" (it is); or two of them at once ("mode average
where windows overlap": a gradient overwritten in the average branch only). :func:`separate` looks for the
smallest set of conditions (one, else two) such that

- every run where none of them holds passed (so "right with stride 1" is true of every case and probe
  with stride 1), and there is such a run;
- each condition alone breaks it: some failing run has it as the only one of the set that holds.

Sets whose every condition is also shown by a one-factor change of the probe tree (a parent that passes,
a child that differs from it in that factor only and fails) are preferred; among equals, the one named
first in :data:`~.evidence.FACTOR_ORDER`. Nothing else is ever claimed: with no such set, there is no
factor claim (see :mod:`.proof` for the narrower facts said instead).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Sequence

from ..verdict import Diagnosis
from .evidence import FACTOR_ORDER, KINDS, SIMPLE, Run


@dataclass(frozen=True)
class Condition:
    factor: str
    simple: bool  # True: "the factor is at its simplest value" breaks it (e.g. f = 1); False: it is not
    also: "Condition | None" = None  # a second factor that must hold at the same time
    value: Any = None  # instead: the factor has this one of its kinds (windows that overlap, that leave gaps)

    def holds(self, run: Run) -> bool:
        found = run.factors.get(self.factor)
        if found is None:
            return False
        here = found == self.value if self.value is not None else (found == SIMPLE[self.factor]) == self.simple
        return here and (self.also is None or self.also.holds(run))

    @property
    def parts(self) -> tuple["Condition", ...]:
        return (Condition(self.factor, self.simple, None, self.value),) + ((self.also,) if self.also else ())


def _conditions(runs: Sequence[Run]) -> list[Condition]:
    found = []
    for factor in FACTOR_ORDER:
        values = {run.factors.get(factor) for run in runs} - {None}
        if len(values) > 1 and SIMPLE[factor] in values:
            found += [Condition(factor, False), Condition(factor, True)]
            if len(values) > 2:
                found += [Condition(factor, False, None, kind) for kind in KINDS.get(factor, ()) if kind in values]
    return found


def _witnessed_by_probe(condition: Condition, runs: Sequence[Run]) -> bool:
    if condition.also is not None:
        return False
    by_id = {run.id: run for run in runs if run.kind == "probe"}
    for run in by_id.values():
        parent = by_id.get(run.parent or "")
        if parent is None or run.edge != condition.factor:
            continue
        good, bad = (parent, run) if condition.holds(run) else (run, parent)
        if good.passed and not bad.passed and condition.holds(bad) and not condition.holds(good):
            return True
    return False


def _separates(conditions: tuple[Condition, ...], runs: Sequence[Run]) -> bool:
    clean = [run for run in runs if not any(c.holds(run) for c in conditions)]
    if not clean or not all(run.passed for run in clean):
        return False
    for condition in conditions:
        alone = [run for run in runs if condition.holds(run) and not any(
            other.holds(run) for other in conditions if other != condition)]
        if not any(not run.passed for run in alone):
            return False
    return True


def _exact(conditions: tuple[Condition, ...], runs: Sequence[Run]) -> bool:
    """Whether every run on which a condition holds fails (a claim "fails k of the k")."""
    return all(not run.passed for run in runs if any(c.holds(run) for c in conditions))


def _precision(conditions: tuple[Condition, ...], runs: Sequence[Run]) -> float:
    """The share of the runs a claim names (some condition holds) that fail: among claims none of which is
    exact, the narrowest true one is said ("fails 10 of 12 with mode max and stride > 1", not "10 of 19 with
    mode max")."""
    named = [run for run in runs if any(c.holds(run) for c in conditions)]
    return sum(not run.passed for run in named) / len(named) if named else 0.0


def separate(runs: Sequence[Run]) -> tuple[tuple[Condition, ...], bool] | None:
    """(the conditions that break the function, whether each is also shown by a one-factor probe change).

    Candidates: one condition, two factors at once, two conditions each of which breaks it alone. Among
    those that separate, the most precise is taken (every run it names fails; else the largest share of
    them), then the simplest, then
    the one shown by one-factor probe changes, then by :data:`~.evidence.FACTOR_ORDER`."""
    conditions = _conditions(runs)
    if not any(not run.passed for run in runs):
        return None
    together = [(Condition(a.factor, a.simple, b),) for a, b in itertools.combinations(conditions, 2)
                if a.factor != b.factor]
    either = [combo for combo in itertools.combinations(conditions, 2) if combo[0].factor != combo[1].factor]
    found = []
    for rank, candidates in enumerate(([(c,) for c in conditions], together, either)):
        found += [(combo, rank) for combo in candidates if _separates(combo, runs)]
    if not found:
        return None
    best, _ = min(found, key=lambda item: (
        not _exact(item[0], runs), -_precision(item[0], runs) if not _exact(item[0], runs) else 0, item[1],
        not all(_witnessed_by_probe(c, runs) for c in item[0]),
        [FACTOR_ORDER.index(part.factor) for c in item[0] for part in c.parts]))
    return best, all(_witnessed_by_probe(c, runs) for c in best)


def factor_diagnosis(runs: Sequence[Run]) -> Diagnosis | None:
    """The factor claim, as a diagnosis: ``{"factors": [...], "right": {factor: value}, "wrong": {factor:
    value seen failing}, "passed": runs right with the right values, "failed": runs failing, "of": runs with
    a wrong value}``. Its id is ``factor``; ``factor``/``right``/``wrong`` of the first condition are kept as
    plain values too (the summary groups by factor)."""
    found = separate(runs)
    if not found:
        return None
    conditions, _ = found
    broken_when = "all" if len(conditions) == 1 and conditions[0].also is not None else "any"
    parts = [part for c in conditions for part in c.parts]
    clean = [run for run in runs if not any(c.holds(run) for c in conditions)]
    broken = [run for run in runs if any(c.holds(run) for c in conditions)]
    right, wrong = {}, {}
    for part in parts:
        right[part.factor] = _value_where(runs, part, holds=False)
        wrong[part.factor] = _value_where([run for run in broken if not run.passed], part, holds=True)
    first = parts[0]
    return Diagnosis("factor", "probe", {
        "factor": first.factor, "right": right[first.factor], "wrong": wrong[first.factor],
        "factors": [part.factor for part in parts], "rights": right, "wrongs": wrong, "broken_when": broken_when,
        "simple_breaks": [part.factor for part in parts if part.simple and part.value is None],
        "kinds": {part.factor: part.value for part in parts if part.value is not None},
        "passed": len(clean), "failed": sum(not run.passed for run in broken), "of": len(broken)})


def _value_where(runs: Sequence[Run], condition: Condition, holds: bool):
    """The factor's value on the runs where ``condition`` holds (or not): the simplest value, or the
    smallest other one seen (e.g. stride 2), so that "wrong with stride 2" names a value that failed."""
    if condition.value is not None:
        return condition.value if holds else SIMPLE[condition.factor]
    if condition.holds(Run("", "", {condition.factor: SIMPLE[condition.factor]}, True)) == holds:
        return SIMPLE[condition.factor]
    values = sorted({run.factors[condition.factor] for run in runs if condition.factor in run.factors
                     and condition.holds(run) == holds}, key=lambda v: (isinstance(v, str), v))
    return values[0] if values else None
