"""The class grader's diagnosis of a submission's failures: the evidence from sandbox jobs, the proof here.

The graded job already ran every case, counting each call a function makes to the assignment's other
graded functions (``trace``). For the functions that failed, follow-up jobs run, in the same sandbox, on
the learner's own cells:

1. the probes (tiny inputs that change one factor at a time), and, for a function that calls a failing
   helper, every case and probe again with *stand-ins* for that helper: they answer from tables of what
   the instructor's helper returns for the calls the instructor's function makes (made here, in the
   trusted process; see :mod:`autograder.diagnosis.oracle`). No reference code enters a sandbox.
2. the calls a stand-in could not answer (the learner's function asked for another call than a correct one
   would make) come back as plain data; the instructor's helper answers them here, and those runs go again.
3. a mechanical fix of an exception in the function's own line (``b.item()`` for numpy 2's ``float(b)``),
   tried in a job whose cell has the line changed (:mod:`autograder.diagnosis.edits`).

:func:`autograder.diagnosis.proof.explain` then names the causes, each proven on every case and probe.
What a follow-up job's learner code says (an exception's text, its values) never reaches the feedback as
it is: only the diagnoses read from it, and the learner's lines as the submission holds them.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np

from ..casefile import StoredCase, decode
from ..diagnosis import oracle
from ..diagnosis.edits import Edit, edited_cell, fixes_to_try, names_each_entry_once, source_edits
from ..diagnosis.evidence import Run, stored_run
from ..diagnosis.proof import Finding, called_helpers, edit_fixed, explain, tried_fix
from ..judge import case_key, place_of, positions, probe_place
from ..verdict import Difference, Outcome, Raised, Verdict
from . import answers as answered, wire
from .plan import Plan
from .sandbox import Call, Outcome as SandboxOutcome, Sandbox, SandboxError

DIAGNOSED = (Outcome.WRONG_VALUE, Outcome.WRONG_SHAPE, Outcome.WRONG_TYPE, Outcome.WRONG_COUNT, Outcome.RAISED)
# exceptions whose reading the cases prove by themselves: the probes would add nothing (an exception that only
# says two shapes do not fit is not one of them: the probes may show where it comes from)
SELF_EVIDENT = frozenset({"numpy2_scalar_conversion", "numpy_alias_removed", "own_assert", "own_raise",
                          "none_from_helper", "undefined_name", "undefined_helper", "numpy_not_imported",
                          "hparameter_key", "float_size", "array_where_number_needed", "recursion", "pad_width_axes",
                          "unpad_negative_slice", "broadcast_short_slice", "attribute_not_set", "key_missing"})
MISSED_ENTRIES_ANSWERED = 200_000  # array entries of one missed call that the trusted process answers, at most
# exception messages of a follow-up job that are read (the rules need them); any other text is dropped there
READABLE = re.compile(r"(only (0-dimensional|length-1|size-1) arrays|module 'numpy' has no attribute|setting an "
                      r"array element with a sequence|'float' object cannot be interpreted|slice indices must be|"
                      r"only integers, slices|index -?\d+ is out of bounds|operands could not be broadcast|could not "
                      r"broadcast|[Ss]ize of label '\w' for operand|name '\w+' is not defined|"
                      r"(not enough|too many) values to unpack|cannot unpack "
                      r"non-iterable NoneType|'NoneType' object|cannot reshape array of size|matmul: Input operand|"
                      r"not aligned|einstein sum|(tuple|list) index out of range|division by zero|"
                      r"index can't contain negative values)")


def _raised(message: dict, raised: Raised, cells: dict[str, str], follow_up: bool) -> Raised:
    """The error a sandbox reported (read by :func:`.answers.raised`), with its line as the submission holds it
    (by cell and line number); in a follow-up job, its message only when it is one the rules read."""
    line = raised.line
    at = message.get("at")
    if isinstance(at, list) and len(at) == 2 and at[0] in cells and type(at[1]) is int:
        lines = cells[at[0]].splitlines()
        line = lines[at[1] - 1] if 0 < at[1] <= len(lines) else line
    elif follow_up:
        line = None
    text = raised.message if not follow_up or READABLE.search(raised.message[:300]) else ""
    return Raised(raised.type, text, line[:500] if line else None, raised.where)


def _run(plan: Plan, function: str, entry: StoredCase, kind: str, place, message: dict | None, cells: dict[str, str],
         follow_up: bool) -> Run | None:
    """The run of one case or probe from the sandbox's answer (None: the function was not there)."""
    names = plan.case_file.function(function).outputs
    answer = answered.read(message)
    if answer.missing:
        return None
    traced = [name for name in message.get("traced", ()) if isinstance(name, str) and name in plan.functions] \
        if isinstance(message.get("traced"), list) else []
    missed = bool(message.get("missed")) or bool(message.get("unkeyable"))
    base = dict(known=plan.known_names, traced=traced, missed=missed, kind=kind)
    failing = dict(hidden=entry.hidden, facts=entry.facts, expected=decode(entry.expected, plan.arrays),
                   traced=frozenset(traced))
    if answer.stop is not None:
        return Run(entry.id, kind, entry.factors, False,
                   verdict=Verdict(function, Outcome.DID_NOT_FINISH, place, stop=answer.stop), **failing)
    if answer.unreadable or answer.too_large is not None:
        return Run(entry.id, kind, entry.factors, False,
                   verdict=Verdict(function, Outcome.WRONG_TYPE, place, difference=Difference("unreadable", function)),
                   **failing)
    args = decode(entry.args, plan.arrays)
    if answer.raised is not None:
        return stored_run(function, names, entry, plan.arrays, place,
                          raised=_raised(message, answer.raised, cells, follow_up), args=args, **base)
    return stored_run(function, names, entry, plan.arrays, place, got=answer.value, args=args, **base)


def _complete(finding: Finding, runs: list[Run]) -> bool:
    """Whether the causes found on the cases alone explain every failing case, and are of the kinds that the
    cases prove by themselves (a catalogued mistake, an exception; a helper's catalogued mistake, with the rest
    of the function right): then no follow-up job could add a cause."""
    failing = {run.id for run in runs if not run.passed}
    shown = {run.id for group in finding.exhibits for run in group}
    if not finding.causes or not failing <= shown:
        return False
    ids = [(d.id, d.source) for d in finding.causes]
    if ids[0][0] == "helper_fails":
        return ids[1:] == [("own_code_right", "helper")]
    return all(source == "mistake" or (source == "exception" and cause in SELF_EVIDENT) for cause, source in ids)


def _fails_anyway(edit: Edit, runs: list[Run]) -> bool:
    """Whether some failing run would fail again with ``edit`` made, if the edit cannot change what its += adds
    where the += runs without an error (:func:`..diagnosis.edits.names_each_entry_once`): a run that returned a
    value, or that raised at another line of the learner's (every run of the += before it ran without an error,
    so it reaches that line as it did, and raises there again)."""
    return any(not run.passed and ((run.raised is None and run.got is not None) or (
        run.raised is not None and run.raised.line is not None and run.raised.line.strip() != edit.line))
        for run in runs)


class Diagnoser:
    """The follow-up jobs of one submission, and the causes of each failing function."""

    def __init__(self, plan: Plan, sandbox: Sandbox, cells: list[dict], calls: list[Call],
                 outcome: SandboxOutcome) -> None:
        self.plan, self.sandbox, self.cells, self.calls, self.outcome = plan, sandbox, cells, calls, outcome
        self.sources = {cell["label"]: cell.get("code", "") for cell in cells if cell.get("code") is not None}
        self.source = "\n".join(self.sources.values())[:200_000]  # the learner's code, read by some rules
        self.others = {name: tuple(other for other in plan.functions if other != name and other in plan.case_file)
                       for name in plan.functions}

    # -- runs ------------------------------------------------------------------------------------------
    def case_runs(self, function: str) -> list[Run]:
        entry = self.plan.case_file.function(function)
        where = positions(entry.cases)
        mine = [call for call in self.calls if call.function == function]
        runs = []
        for case, call in zip(entry.cases, mine):
            if case.is_speed:
                continue
            run = _run(self.plan, function, case, "case", place_of(case, *where[case_key(case)]),
                       self.outcome.results.get(call.id), self.sources, False)
            if run is not None:
                runs.append(run)
        return runs

    def _job(self, cells: list[dict], wanted: list[tuple[str, str, int, dict | None]]) -> dict[tuple, dict | None]:
        """Run (function, kind, index, answers) in one job; {(function, kind, index): the sandbox's answer}."""
        calls = []
        for function, kind, index, answers in wanted:
            entry = self.plan.case_file.function(function).items(kind)[index]
            calls.append(Call(len(calls), function, decode(entry.args, self.plan.arrays),
                              decode(entry.kwargs, self.plan.arrays), trace=self.others[function],
                              answers={name: oracle.table_to_data(table, wire.pack)
                                       for name, table in answers.items()} if answers else None))
        if not calls:
            return {}
        outcome = self.sandbox.run(cells, calls)
        return {(function, kind, index): outcome.results.get(call.id)
                for (function, kind, index, _), call in zip(wanted, calls)}

    def _entries(self, function: str) -> list[tuple[str, int, StoredCase]]:
        entry = self.plan.case_file.function(function)
        found = [("case", index, case) for index, case in enumerate(entry.cases) if not case.is_speed]
        return found + [("probe", index, probe) for index, probe in enumerate(entry.probes)]

    def _runs_from(self, function: str, answers: dict[tuple, dict | None], follow_up: bool) -> list[Run]:
        entry = self.plan.case_file.function(function)
        where = positions(entry.cases)
        runs = []
        for kind, index, item in self._entries(function):
            if (function, kind, index) not in answers:
                continue
            place = place_of(item, *where[case_key(item)]) if kind == "case" else probe_place(item)
            run = _run(self.plan, function, item, kind, place, answers[(function, kind, index)], self.sources,
                       follow_up)
            if run is not None:
                runs.append(run)
        return runs

    # -- the stand-ins' answers --------------------------------------------------------------------------
    def _answer_misses(self, tables: dict[tuple, dict[str, dict]], results: dict[tuple, dict | None]) -> bool:
        """Add to ``tables`` what the instructor's helpers return for the calls the stand-ins missed."""
        added = False
        for key, message in results.items():
            missed = (message or {}).get("missed")
            if not isinstance(missed, dict) or key not in tables:
                continue
            for helper, packed in missed.items():
                if helper not in tables[key]:
                    continue
                try:
                    asked = wire.unpack(packed)
                except wire.WireError:
                    continue
                for item in asked if isinstance(asked, list) else ():
                    if not (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], (tuple, list))
                            and isinstance(item[1], dict)):
                        continue
                    args, kwargs = tuple(item[0]), item[1]
                    if sum(np.size(a) for a in (*args, *kwargs.values()) if isinstance(a, np.ndarray)) \
                            > MISSED_ENTRIES_ANSWERED:
                        continue
                    try:
                        answer = self.plan.reference_answer(helper, args, kwargs)
                        tables[key][helper][oracle.key(args, kwargs)] = answer
                        added = True
                    except Exception:  # the instructor's helper cannot take these arguments: it stays a miss
                        continue
        return added

    # -- everything --------------------------------------------------------------------------------------
    def diagnose(self, verdicts: dict[str, Verdict]) -> dict[str, Verdict]:
        plan = self.plan
        todo = [name for name in plan.functions if name in plan.case_file
                and not verdicts[name].passed and verdicts[name].outcome in DIAGNOSED]
        if not todo:
            return verdicts
        case_runs = {name: self.case_runs(name) for name in todo}
        for name in todo:  # a stub's NotImplementedError on any case: "not finished", and nothing else
            stub = [run.verdict for run in case_runs[name] if run.verdict.outcome is Outcome.NOT_WRITTEN]
            if stub:
                verdicts[name] = stub[0]
        todo = [name for name in todo if verdicts[name].outcome is not Outcome.NOT_WRITTEN and not any(
            run.verdict.outcome is Outcome.DID_NOT_FINISH for run in case_runs[name])]
        blamed = {name: called_helpers(name, case_runs[name], verdicts) for name in todo}
        # a failure that its cases alone explain completely (a catalogued mistake or an exception on every failing
        # case, or a catalogued mistake of the helper it calls) needs no probes and no stand-ins
        follow = [name for name in todo if not _complete(
            explain(name, plan.case_file.function(name).outputs, case_runs[name], verdicts, None,
                    plan.case_file.mistake_cells, self.source), case_runs[name])]
        wanted, tables = [], {}
        for name in follow:
            for kind, index, _ in self._entries(name):
                if kind == "probe":
                    wanted.append((name, kind, index, None))
            if blamed[name]:
                for kind, index, _ in self._entries(name):
                    tables[(name, kind, index)] = {helper: dict(table) for helper, table in plan.helper_answers(
                        name, kind, index, tuple(blamed[name])).items()}
        probes = self._job(self.cells, wanted)
        reruns: dict[tuple, dict | None] = {}
        if tables:
            reruns = self._job(self.cells, [(*key, answers) for key, answers in tables.items()])
            if self._answer_misses(tables, reruns):
                again = [key for key, message in reruns.items() if (message or {}).get("missed")]
                reruns.update(self._job(self.cells, [(*key, tables[key]) for key in again]))
        for name in todo:  # in notebook order: a helper's causes are known before its callers'
            runs = case_runs[name] + self._runs_from(name, probes, True)
            rerun = self._runs_from(name, reruns, True) if blamed[name] and name in follow else None
            finding = explain(name, plan.case_file.function(name).outputs, runs, verdicts, rerun,
                              plan.case_file.mistake_cells, self.source)
            finding = self._try_fix(name, finding, verdicts)
            finding = self._try_edits(name, runs, finding)
            verdicts[name] = self._verdict(verdicts[name], runs, finding)
        return verdicts

    def _try_fix(self, function: str, finding: Finding, verdicts: dict[str, Verdict]) -> Finding:
        if not finding.causes or finding.causes[0].source != "exception":
            return finding
        first = finding.causes[0]
        partly = None
        for edit in fixes_to_try(first, finding.exhibits[0], function)[:2]:
            # the first that makes every case pass, else the first that ends it (a sandbox job each: two at most)
            cells = self._edited(edit)
            if cells is None:
                continue
            answers = self._job(cells, [(function, kind, index, None) for kind, index, _ in self._entries(function)])
            again = self._runs_from(function, answers, True)
            found = tried_fix(function, self.plan.case_file.function(function).outputs, first, edit, finding,
                              again, verdicts, self.plan.case_file.mistake_cells, self.source)
            if found is not None and found.causes[0].values.get("tried") == "passes":
                return found
            partly = partly or found
        return partly or finding

    def _try_edits(self, function: str, runs: list[Run], finding: Finding) -> Finding:
        """A mechanical change of the learner's code (a fancy-indexed += made np.add.at, a mode compared with a
        word it is never given), tried in one job on every case and probe: the cause only when the function then
        passes them all (see :func:`..diagnosis.edits.source_edits`)."""
        if any(d.values.get("tried") == "passes" for d in finding.causes):
            return finding
        for cause, edit, values in source_edits(self.source, function, runs):
            if cause == "scatter_without_add_at" and _fails_anyway(edit, runs) \
                    and names_each_entry_once(self.source, edit):
                continue  # no job: it could not make every run pass
            cells = self._edited(edit)
            if cells is None:
                continue
            answers = self._job(cells, [(function, kind, index, None) for kind, index, _ in self._entries(function)])
            found = edit_fixed(cause, edit, self._runs_from(function, answers, True), runs, **values)
            if found is not None:
                return found
        return finding

    def _edited(self, edit: Edit) -> list[dict] | None:
        """The submission's cells with ``edit`` made in the cell that defines its function (None: not found)."""
        cells, done = [], False
        for cell in self.cells:
            code = cell.get("code")
            changed = edited_cell(code, edit) if code is not None and not done else None
            if changed is not None:
                cells.append({**cell, "code": changed})
                done = True
            else:
                cells.append(cell)
        return cells if done else None

    @staticmethod
    def _verdict(verdict: Verdict, runs: list[Run], finding: Finding) -> Verdict:
        shown = finding.shown(runs)
        if shown is None or shown.verdict is None:
            return verdict
        causes = finding.for_shown(shown)
        return dataclasses.replace(shown.verdict, diagnosis=causes[0] if causes else None, more=tuple(causes[1:]))


def diagnose(plan: Plan, sandbox: Sandbox, cells: list[dict], calls: list[Call], outcome: SandboxOutcome,
             verdicts: dict[str, Verdict]) -> dict[str, Verdict]:
    """``verdicts`` with the causes of every failing function, proven on its cases and probes. A diagnosis that
    fails (a defect of the kit's: the learner's code only ever runs in the sandbox) leaves ``verdicts`` as the
    cases gave them, without causes (a reading of one case is not proven on the others): a grade never depends
    on it. A sandbox that cannot start is said as ever."""
    try:
        return Diagnoser(plan, sandbox, cells, calls, outcome).diagnose(dict(verdicts))
    except SandboxError:
        raise
    except Exception:
        return {name: dataclasses.replace(verdict, diagnosis=None, more=()) if verdict.outcome in DIAGNOSED
                else verdict for name, verdict in verdicts.items()}
