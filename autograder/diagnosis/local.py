"""The diagnosis in the learner's kernel: a check cell's evidence, run here, and its proof.

After a function fails one of the cases its check cell runs, :func:`diagnose` runs it on every stored
case (visible and hidden) and every probe, counting the calls it makes to the assignment's other graded
functions (its helpers, as the notebook defines them), then judges those helpers, and, when a failing
helper is called, runs the function again with stand-ins for it (:mod:`.oracle`) that answer from the
tables the build stored: the correct answers to the calls a correct function makes. No reference code
is needed here, nor any: the tables are data. :mod:`.proof` then names the causes.
"""
from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Callable, Mapping, Protocol, Sequence

import numpy as np

from ..casefile import StoredCase, Manifest, decode
from ..frames import is_learners, raised_here
from ..judge import case_key, place_of, positions, probe_place
from ..verdict import Outcome, Verdict
from .edits import edited_function, edited_scope, fixes_to_try, source_edits
from .evidence import Run, stored_run
from .oracle import standing_in, table_from_data
from .proof import Finding, called_helpers, edit_fixed, explain, tried_fix

MAX_DEPTH = 2  # helpers of helpers are judged; deeper, not


class StoredCases(Protocol):
    """What the diagnosis reads of an assignment's case file (:class:`autograder.checks.Checks` is one): its
    manifest (typed), its arrays by key, and its graded functions in order."""

    @property
    def case_file(self) -> Manifest: ...

    @property
    def arrays(self) -> dict: ...

    @property
    def functions(self) -> Sequence[str]: ...


def _call(fn: Callable, entry: StoredCase, arrays: dict, home: dict, trace: list[str],
          answers: Mapping[str, Mapping[str, Any]] | None) -> tuple[Any, Any, list[str], bool, tuple]:
    args = decode(entry.args, arrays)
    kwargs = decode(entry.kwargs, arrays)
    kept = decode(entry.args, arrays)
    got, raised = None, None
    with standing_in(home, trace, answers) as seen, warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            got = fn(*args, **kwargs)
        except Exception as error:  # the learner's code may raise anything; it is evidence
            raised = raised_here(error)
    traced = sorted(seen.called)
    return got, raised, traced, seen.missed_any, kept


def runs_of(checks: StoredCases, function: str, fn: Callable, home: dict,
            answers: Mapping[str, str] | None = None) -> list[Run]:
    """Every case (timing cases apart) and probe of ``function``, run here. ``answers``: the helpers to stand
    in for with the stored tables (None: the learner's own, each call counted)."""
    entry = checks.case_file.function(function)
    names, known = entry.outputs, checks.functions
    trace = [name for name in known if name != function]
    cases = [case for case in entry.cases if not case.is_speed]
    where = positions(entry.cases)
    runs = []
    for kind, items in (("case", cases), ("probe", entry.probes)):
        for item in items:
            tables = None
            if answers:
                stored = item.answers
                tables = {name: table_from_data(stored[name], lambda v: decode(v, checks.arrays))
                          if name in stored else {} for name in answers}
            got, raised, traced, missed, args = _call(fn, item, checks.arrays, home, trace, tables)
            place = place_of(item, *where[case_key(item)]) if kind == "case" else probe_place(item)
            runs.append(stored_run(function, names, item, checks.arrays, place, got=got, raised=raised, known=known,
                                   traced=traced, missed=missed, args=args, kind=kind))
    return runs


def _stub(runs: list[Run], hidden: bool | None) -> Verdict | None:
    """The verdict "not finished yet", if the function still raises its stub's NotImplementedError."""
    stubs = [run.verdict for run in runs if run.is_case and run.verdict.outcome is Outcome.NOT_WRITTEN]
    chosen = [v for v in stubs if hidden is None or v.place.hidden == hidden] or stubs
    return chosen[0] if chosen else None


def diagnose(checks: StoredCases, function: str, fn: Callable, scope: dict | None = None,
             hidden: bool | None = None, depth: int = 0) -> Verdict:
    """The verdict of ``fn`` as ``function`` over every stored case, with its proven causes; the case shown is
    of the visibility ``hidden`` where one of those fails (None: any). Passed if every case passes."""
    home = getattr(fn, "__globals__", None)
    home = home if isinstance(home, dict) else (scope if scope is not None else {})
    scope = scope if scope is not None else home
    entry = checks.case_file.function(function)
    runs = runs_of(checks, function, fn, home)
    if all(run.passed for run in runs if run.is_case):
        return Verdict(function, Outcome.PASSED)
    stub = _stub(runs, hidden)
    if stub is not None:
        return stub
    helpers: dict[str, Verdict] = {}
    if depth < MAX_DEPTH:
        called = {name for run in runs if not run.passed for name in run.traced}
        called |= {run.raised.where for run in runs if run.raised is not None and run.raised.where}
        for name in checks.functions:
            if name != function and name in called and callable(scope.get(name)):
                helpers[name] = diagnose(checks, name, scope[name], scope, None, depth + 1)
    blamed = called_helpers(function, runs, helpers)
    rerun = None
    if blamed and all(any(name in item.answers for item in entry.cases) for name in blamed):
        rerun = runs_of(checks, function, fn, home, answers={name: name for name in blamed})
    source = learner_source(home)
    finding = explain(function, entry.outputs, runs, helpers, rerun, checks.case_file.mistake_cells,
                      source)
    finding = _try_fix(checks, function, fn, home, finding, helpers, source)
    finding = _try_edits(checks, function, fn, home, runs, finding, source)
    shown = finding.shown(runs, hidden) or finding.shown(runs)
    verdict = shown.verdict
    causes = finding.for_shown(shown)
    return dataclasses.replace(verdict, diagnosis=causes[0] if causes else None, more=tuple(causes[1:]))


def learner_source(home: dict, limit: int = 200_000) -> str:
    """The source of the learner's own functions and classes in their notebook's namespace (the kit's and the
    libraries' left out), for what an exception alone cannot tell."""
    import inspect

    parts, size = [], 0
    for value in list(home.values()):
        if not (inspect.isfunction(value) or inspect.isclass(value)):
            continue
        try:
            filename = inspect.getsourcefile(value) or ""
            if not is_learners(filename):
                continue
            text = inspect.getsource(value)
        except (OSError, TypeError):
            continue
        parts.append(text)
        size += len(text)
        if size > limit:
            break
    return "\n".join(parts)


def _try_fix(checks: StoredCases, function: str, fn: Callable, home: dict, finding: Finding,
             helpers: Mapping[str, Verdict], source: str = "") -> Finding:
    """The first cause, if it is an exception of the function's own line with a mechanical fix, with that fix
    tried: the function recompiled with the line changed and run on every case and probe again (the edits
    that the runs it explains propose, :func:`.edits.fixes_to_try`)."""
    if not finding.causes or finding.causes[0].source != "exception":
        return finding
    first = finding.causes[0]
    partly = None
    for edit in fixes_to_try(first, finding.exhibits[0], getattr(fn, "__name__", function)):
        # the first that makes every case pass, else the first that ends it
        edited = edited_function(fn, edit)
        if edited is None:
            continue
        again = runs_of(checks, function, edited, home)
        found = tried_fix(function, checks.case_file.function(function).outputs, first, edit, finding, again,
                          helpers, checks.case_file.mistake_cells, source)
        if found is not None and found.causes[0].values.get("tried") == "passes":
            return found
        partly = partly or found
    return partly or finding



def _try_edits(checks: StoredCases, function: str, fn: Callable, home: dict, runs: list[Run], finding: Finding,
               source: str) -> Finding:
    """The learner's code with a mechanical change of :func:`source_edits` made, run on every case and probe:
    when the function then passes them all, that change is the cause, said with it."""
    if any(d.values.get("tried") == "passes" for d in finding.causes):
        return finding
    numpy = next((name for name, value in home.items() if value is np and name.isidentifier()), None)
    for cause, edit, values in source_edits(source, getattr(fn, "__name__", function), runs, numpy):
        scoped = edited_scope(fn, edit, home)
        if scoped is None:
            continue
        found = edit_fixed(cause, edit, runs_of(checks, function, scoped[0], scoped[1]), runs, **values)
        if found is not None:
            return found
    return finding
