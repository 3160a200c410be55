"""Grade one submission: read it, run it in the sandbox, judge what came back, diagnose what failed.

:func:`grade` is the unit of work that the local pool and Dask both run; it
returns a :class:`~autograder.grading.result.Result` and never raises for
anything a submission does. The learner's code runs only in the sandbox; the
judging, against the plan's expected outputs and the reference, happens here.

A failure is diagnosed as in the notebook (:mod:`autograder.diagnosis`): every
cause proven on every case and probe, by :mod:`.diagnose`, which may run a few
more jobs on the learner's cells after a failure (the probes, the function with
stand-ins for the failing helpers it calls, a mechanical fix tried). The
untimed calls of the graded job count the calls each function makes to the
other graded functions: which helpers it really calls.
"""
from __future__ import annotations

import multiprocessing.util
import os
import time

from ..casefile import StoredCase, decode
from ..compare import outputs_difference
from ..judge import case_key, judge, place_of, positions
from ..verdict import Diagnosis, Difference, Note, Outcome, Raised, Stop, Verdict
from . import answers, timing, training
from .bounds import bounded_notes
from .notebook import Submission, read_submission
from .plan import Plan
from .result import Result, Scored
from .sandbox import Call, Limits, Outcome as SandboxOutcome, Sandbox

_SANDBOXES: dict[tuple, Sandbox] = {}  # one per worker process, reused across submissions
os.register_at_fork(after_in_child=_SANDBOXES.clear)  # a forked worker makes its own (see Sandbox)


def worker_sandbox(limits: Limits, isolate: bool, preload: tuple[str, ...] = ()) -> Sandbox:
    key = (limits, isolate, preload)
    if key not in _SANDBOXES:
        _SANDBOXES[key] = Sandbox(limits, isolate, preload)
        # its zygote and scratch folder go when the worker ends (forked pool workers skip atexit)
        multiprocessing.util.Finalize(None, _SANDBOXES[key].close, exitpriority=10)
    return _SANDBOXES[key]


# -- the calls --------------------------------------------------------------------------------------------
def _calls(plan: Plan, functions: list[str]) -> list[Call]:
    """The sandbox calls of the graded ``functions``: one per case (a speed case is timed), one per training."""
    calls: list[Call] = []
    for function in functions:
        if function in plan.trained_models:
            calls.append(training.training_call(len(calls), plan.trained_models[function]))
            continue
        for index, case in enumerate(plan.case_file.function(function).cases):
            args, kwargs, wired = plan.case_inputs(function, index)
            # untimed calls count the calls made to the other graded functions: which helpers it really calls
            trace = tuple(name for name in plan.case_file.functions if name != function)
            calls.append(timing.timed_call(len(calls), function, case, args, kwargs) if case.is_speed
                         else Call(len(calls), function, args, kwargs, wired=wired, trace=trace))
    return calls


# -- what came back, judged ---------------------------------------------------------------------------------
def _case_verdict(plan: Plan, function: str, case: StoredCase, call: Call, place, message: dict | None,
                  cell_error: dict | None) -> Verdict:
    """The verdict on one case's call, from the message the sandbox sent back for it."""
    names = plan.case_file.function(function).outputs
    answer = answers.read(message)
    if answer.missing:
        raised = cell_error.get("raised") if cell_error else None
        stopped = cell_error.get("stop") if cell_error else None
        return Verdict(function, Outcome.MISSING, cell_error=Raised(**raised) if raised else None,
                       stop=Stop(**stopped) if stopped else None)
    if answer.stop:
        return Verdict(function, Outcome.DID_NOT_FINISH, place, stop=answer.stop,
                       diagnosis=Diagnosis("loop_over_positions", "timing") if case.is_speed else None)
    if answer.too_large is not None:
        return Verdict(function, Outcome.WRONG_TYPE, place,
                       difference=Difference("too_large", function, size=answer.too_large))
    if answer.unreadable:
        return Verdict(function, Outcome.WRONG_TYPE, place, difference=Difference("unreadable", function))
    if answer.raised:
        return judge(function, names, case, plan.arrays, place, raised=answer.raised, known=plan.known_names)
    verdict = judge(function, names, case, plan.arrays, place, got=answer.value, known=plan.known_names)
    if case.is_speed:
        return timing.verdict(function, names, case, call, place, message, plan.reference(function), verdict)
    return verdict


def _first_failure(plan: Plan, function: str, calls: list[Call], outcome: SandboxOutcome) -> Verdict:
    """The verdict of ``function``: its first failing case (in the order of the cases), else passed."""
    if function in plan.trained_models:
        model = plan.trained_models[function]
        (call,) = [call for call in calls if call.function == model.train]
        return training.verdict(function, model, outcome.results.get(call.id), plan.reference("predict"))
    cases = plan.case_file.function(function).cases
    mine = [call for call in calls if call.function == function]
    where = positions(cases)
    for case, call in zip(cases, mine):
        verdict = _case_verdict(plan, function, case, call, place_of(case, *where[case_key(case)]),
                                outcome.results.get(call.id), outcome.cell_errors.get(function))
        if not verdict.passed:
            return verdict
    return Verdict(function, Outcome.PASSED)


# -- which cases passed, for the class's item analysis -------------------------------------------------------
def _passes(plan: Plan, function: str, case: StoredCase, call: Call, message: dict | None) -> bool:
    """Whether one case's call passed, judged as :func:`_case_verdict` judges it (no diagnosis: a case after
    the function's first failure only counts as passed or not)."""
    answer = answers.read(message)
    if not answer.ok:
        return False
    expected = decode(case.expected, plan.arrays)
    names = plan.case_file.function(function).outputs
    if outputs_difference(function, names, expected, answer.value, case.tolerance) is not None:
        return False
    return not case.is_speed or timing.verdict(function, names, case, call, None, message,
                                               plan.reference(function), Verdict(function, Outcome.PASSED)).passed


def _cases_passed(plan: Plan, function: str, calls: list[Call], outcome: SandboxOutcome,
                  verdict: Verdict) -> dict[str, bool]:
    """{case key: passed} of every case of ``function``; ``verdict`` is its first failure (or passed), so the
    cases before that one passed and only those after it are judged here."""
    if function in plan.trained_models:
        return {f"training:{function}": verdict.passed}
    cases = plan.case_file.function(function).cases
    if verdict.passed or verdict.place is None:  # every case passed, or none ran (missing, ...)
        return {case_key(case): verdict.passed for case in cases}
    first = f"{'timing' if verdict.place.kind == 'speed' else 'hidden' if verdict.place.hidden else 'visible'}:" \
            f"{verdict.place.id}"
    mine = [call for call in calls if call.function == function]
    found: dict[str, bool] = {}
    failed = False
    for case, call in zip(cases, mine):
        key = case_key(case)
        if not failed and key == first:
            failed, found[key] = True, False
        else:
            found[key] = True if not failed else _passes(plan, function, case, call, outcome.results.get(call.id))
    return found


# -- diagnosing what failed, in follow-up jobs (see .diagnose) ----------------------------------------------
def _failed_by_itself(verdict: Verdict) -> bool:
    """A failure to diagnose: a wrong answer or an exception (not a timeout, a missing function, ...); a
    catalogued mistake too (it may be a helper's, or one of two causes)."""
    return not verdict.passed and verdict.outcome in (
        Outcome.WRONG_VALUE, Outcome.WRONG_SHAPE, Outcome.WRONG_TYPE, Outcome.WRONG_COUNT, Outcome.RAISED)


# -- one submission ---------------------------------------------------------------------------------------
def _cell_note(submission: Submission, label: str, error: dict) -> Note:
    cell = submission.cell(label)
    described = cell.describe() if cell else {"kind": "added", "grade_id": label, "number": "?"}
    if "stop" in error:
        return Note("problem.cell_stopped", {"cell": described, "stop": error["stop"]})
    return Note("problem.cell_failed", {"cell": described, "error": Raised(**error["raised"]).text})


def grade(plan: Plan, student: str, notebook: bytes, limits: Limits = Limits(), isolate: bool = True,
          sandbox: Sandbox | None = None) -> Result:
    """The result of one student's submission: per graded cell its score, verdict and cases, flags, problems."""
    started = time.monotonic()
    submission = read_submission(notebook, plan)
    verdicts: dict[str, Verdict] = {}
    cases: dict[str, dict[str, bool]] = {}
    problems, left_out = list(submission.problems), 0
    isolation, output, output_bytes = None, "", 0
    if submission.readable:
        sandbox = sandbox or worker_sandbox(limits, isolate, plan_preload(plan))
        isolation = sandbox.start()
        runnable = [name for name in plan.functions if name not in submission.missing]
        calls = _calls(plan, runnable)
        cells = [cell.job() for cell in submission.cells]
        outcome = sandbox.run(cells, calls)
        problems += [_cell_note(submission, label, error) for label, error in outcome.cell_errors.items()]
        left_out = outcome.cell_errors_left_out
        for name in plan.functions:
            verdicts[name] = (Verdict(name, Outcome.MISSING) if name in submission.missing
                              else _first_failure(plan, name, calls, outcome))
            cases[name] = _cases_passed(plan, name, calls, outcome, verdicts[name])
        if any(_failed_by_itself(verdict) for verdict in verdicts.values()):
            from .diagnose import diagnose

            verdicts = diagnose(plan, sandbox, outcome.cells, calls, outcome, verdicts)
        problems += [Note(event["key"], {k: v for k, v in event.items() if k != "key"}) for event in outcome.events]
        output, output_bytes = outcome.output[:4096], outcome.output_bytes
    else:
        verdicts = {name: Verdict(name, Outcome.NOT_GRADED) for name in plan.functions}
    functions = {name: Scored(plan.points[name] if verdicts[name].passed else 0.0, plan.points[name], verdicts[name],
                              cases.get(name, {}))
                 for name in plan.functions}
    return Result(student, functions, tuple(bounded_notes(submission.flags)), tuple(bounded_notes(problems, left_out)),
                  isolation, output, output_bytes, round(time.monotonic() - started, 3), plan=plan.fingerprint)


def plan_preload(plan: Plan) -> tuple[str, ...]:
    """Modules the assignment's setup cells import, and the assignment's figures (a setup cell takes
    ``check.figures``, which imports them): the zygote imports them once, before any job."""
    import ast
    import importlib.util

    figures = f"autograder.figures.{plan.assignment}"
    modules: list[str] = [figures] if importlib.util.find_spec(figures) else []
    for cell in plan.released:
        if cell.grade_id not in plan.setup_cells:
            continue
        code = "\n".join(line for line in cell.code.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
                modules += [f"{node.module}.{alias.name}" for alias in node.names]
    return tuple(dict.fromkeys(modules))
