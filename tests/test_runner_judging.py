"""The runner's judging, in-process: what the class grader makes of the messages a sandbox sends back.

``runner.grade`` runs a submission in the real sandbox (tests/test_grading_every_case.py and the other
tests/test_grading_*.py); here the steps around that run are fed the sandbox's messages directly, on a
small plan built by hand whose expected outputs come from its own reference (``double``), so that each
rule of the judging is held in a second or so (``make mutation`` runs these first for runner.py):

- one sandbox call per case, numbered across functions, with the inputs the plan decoded;
- every case is judged, in the plan's order: a function wrong on one case only, whichever, fails there,
  placed among the cases of its own visibility (a visible and a hidden case may share an id);
- the cases after the first failure are judged too, for the item analysis;
- each kind of answer (missing, stopped, too large, unreadable, raised, a value) gives its own verdict;
- what is a failure to diagnose; which modules a zygote imports before any job.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from autograder import casefile
from autograder.accuracy import TrainedModel
from autograder.grading import runner, wire
from autograder.grading.plan import Plan, ReleasedCell
from autograder.grading.sandbox import Outcome as SandboxOutcome
from autograder.verdict import Outcome, Raised, Stop, Verdict

REFERENCE = {"double": "def double(x):\n    return 2 * x\n", "negate": "def negate(x):\n    return -x\n"}
# (id, hidden, kind): the hidden "lesson" shares its id with the visible one
CASES = [("lesson", False, "reference"), ("big", False, "reference"), ("lesson", True, "reference"),
         ("pad0", True, "reference"), ("grad", True, "gradient")]


def make() -> Plan:
    """A plan of two functions (double: every kind of case; negate: one case), expected outputs from REFERENCE."""
    store = casefile.ArrayStore()
    scope: dict = {}
    for source in REFERENCE.values():
        exec(source, scope)
    functions = {}
    for name, cases in (("double", CASES), ("negate", [("lesson", False, "reference")])):
        entries = []
        for index, (case_id, hidden, kind) in enumerate(cases):
            x = np.arange(6.0).reshape(2, 3) + 10 * index + (100 if name == "negate" else 0)
            entries.append({"id": case_id, "hidden": hidden, "kind": kind, "description": f"x {x.shape} #{index}",
                            "args": casefile.encode((x,), store), "kwargs": casefile.encode({}, store),
                            "expected": casefile.encode(scope[name](x), store),
                            "tolerance": {"rtol": 1e-6, "atol": 1e-9}})
        functions[name] = {"outputs": ["Z"], "calls": [], "cases": entries, "probes": []}
    released = [ReleasedCell("double", "def double(x): ...", True, False, False),
                ReleasedCell("negate", "def negate(x): ...", True, False, False)]
    return Plan("tiny", {"hints": {}, "functions": functions}, dict(store.arrays), {"double": 2.0, "negate": 1.0},
                {}, released, (), {}, REFERENCE)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make()


def right(plan: Plan, function: str, index: int) -> dict:
    args, kwargs, _ = plan.case_inputs(function, index)
    return {"ok": True, "value": wire.pack(plan.reference(function)(*args, **kwargs))}


def wrong(plan: Plan, function: str, index: int) -> dict:
    args, kwargs, _ = plan.case_inputs(function, index)
    return {"ok": True, "value": wire.pack(plan.reference(function)(*args, **kwargs) + 1.0)}


def sandbox_outcome(plan: Plan, calls, spoiled: dict[int, dict] = ()) -> SandboxOutcome:
    """Every call answered right, but the calls in ``spoiled`` ({call id: message})."""
    return SandboxOutcome(results={call.id: dict(spoiled).get(call.id) or right(plan, call.function, index)
                                   for call, index in zip(calls, indexes(plan, calls))})


def indexes(plan: Plan, calls) -> list[int]:
    """Each call's case number among its function's cases."""
    seen: dict[str, int] = {}
    found = []
    for call in calls:
        found.append(seen.get(call.function, 0))
        seen[call.function] = found[-1] + 1
    return found


def test_one_call_per_case_numbered_across_functions_with_the_plans_inputs(plan):
    calls = runner._calls(plan, ["double", "negate"])
    assert [call.id for call in calls] == list(range(len(CASES) + 1))
    assert [call.function for call in calls] == ["double"] * len(CASES) + ["negate"]
    for call, index in zip(calls, indexes(plan, calls)):
        args, kwargs, wired = plan.case_inputs(call.function, index)
        np.testing.assert_array_equal(call.args[0], args[0])
        assert call.kwargs == kwargs and call.wired == wired and call.timing is None
        assert call.trace == tuple(name for name in ("double", "negate") if name != call.function)
    assert [call.function for call in runner._calls(plan, ["negate"])] == ["negate"]
    assert runner._calls(plan, []) == []


def test_every_right_answer_passes_every_case(plan):
    calls = runner._calls(plan, ["double", "negate"])
    outcome = sandbox_outcome(plan, calls)
    for function in ("double", "negate"):
        verdict = runner._first_failure(plan, function, calls, outcome)
        assert verdict == Verdict(function, Outcome.PASSED)
        cases = runner._cases_passed(plan, function, calls, outcome, verdict)
        assert list(cases.values()) == [True] * len(plan.manifest["functions"][function]["cases"])


@pytest.mark.parametrize("k", range(len(CASES)))
def test_a_function_wrong_on_one_case_only_fails_there_placed_among_its_visibility(plan, k):
    calls = runner._calls(plan, ["double", "negate"])
    outcome = sandbox_outcome(plan, calls, {k: wrong(plan, "double", k)})
    verdict = runner._first_failure(plan, "double", calls, outcome)
    assert verdict.outcome == Outcome.WRONG_VALUE
    case_id, hidden, kind = CASES[k]
    same = [c for c in CASES if c[1] == hidden]
    assert (verdict.place.id, verdict.place.hidden, verdict.place.kind) == (case_id, hidden, kind)
    assert (verdict.place.position, verdict.place.count) == (same.index(CASES[k]) + 1, len(same))
    assert verdict.place.description == f"x (2, 3) #{k}"
    assert runner._first_failure(plan, "negate", calls, outcome).passed  # the other function keeps its points
    cases = runner._cases_passed(plan, "double", calls, outcome, verdict)
    keys = [f"{'hidden' if hidden else 'visible'}:{case_id}" for case_id, hidden, _ in CASES]
    assert cases == {key: index != k for index, key in enumerate(keys)}


def test_the_first_failing_case_is_the_verdict_and_the_later_ones_are_judged_too(plan):
    calls = runner._calls(plan, ["double"])
    outcome = sandbox_outcome(plan, calls, {1: wrong(plan, "double", 1), 3: {"ok": False, "error_type": "ValueError",
                                                                            "error_message": "no"}})
    verdict = runner._first_failure(plan, "double", calls, outcome)
    assert (verdict.outcome, verdict.place.id, verdict.place.hidden) == (Outcome.WRONG_VALUE, "big", False)
    assert runner._cases_passed(plan, "double", calls, outcome, verdict) == {
        "visible:lesson": True, "visible:big": False, "hidden:lesson": True, "hidden:pad0": False,
        "hidden:grad": True}
    # the hidden "lesson" failing first is not taken for the visible one of the same id
    outcome = sandbox_outcome(plan, calls, {2: wrong(plan, "double", 2), 4: wrong(plan, "double", 4)})
    verdict = runner._first_failure(plan, "double", calls, outcome)
    assert (verdict.place.id, verdict.place.hidden) == ("lesson", True)
    assert runner._cases_passed(plan, "double", calls, outcome, verdict) == {
        "visible:lesson": True, "visible:big": True, "hidden:lesson": False, "hidden:pad0": True,
        "hidden:grad": False}


def test_no_case_ran_counts_every_case_as_failed(plan):
    calls = runner._calls(plan, ["double"])
    verdict = runner._first_failure(plan, "double", calls, SandboxOutcome())
    assert verdict.outcome == Outcome.MISSING and verdict.place is None
    assert runner._cases_passed(plan, "double", calls, SandboxOutcome(), verdict) == {
        key: False for key in ("visible:lesson", "visible:big", "hidden:lesson", "hidden:pad0", "hidden:grad")}


def verdict_of(plan: Plan, message: dict | None, cell_error: dict | None = None, kind: str = "reference"):
    (call,) = runner._calls(plan, ["negate"])
    case = dataclasses.replace(plan.case_file.function("negate").cases[0], kind=kind)
    return runner._case_verdict(plan, "negate", case, call, "here", message, cell_error)


def test_each_kind_of_answer_has_its_own_verdict(plan):
    assert verdict_of(plan, right(plan, "negate", 0)) == Verdict("negate", Outcome.PASSED, "here")
    assert verdict_of(plan, wrong(plan, "negate", 0)).outcome == Outcome.WRONG_VALUE
    missing = verdict_of(plan, None)
    assert missing == Verdict("negate", Outcome.MISSING)
    raised = verdict_of(plan, {"missing": True}, {"raised": {"type": "NameError", "message": "name 'np'"}})
    assert raised.outcome == Outcome.MISSING and raised.cell_error == Raised("NameError", "name 'np'")
    assert raised.stop is None
    stopped = verdict_of(plan, None, {"stop": {"reason": "call_timeout", "seconds": 5.0}})
    assert stopped.stop == Stop("call_timeout", 5.0) and stopped.cell_error is None
    late = verdict_of(plan, {"aborted": True, "stop": {"reason": "memory", "limit_mib": 64}})
    assert late == Verdict("negate", Outcome.DID_NOT_FINISH, "here", stop=Stop("memory", limit_mib=64))
    slow = verdict_of(plan, {"aborted": True, "stop": {"reason": "call_timeout"}}, kind="speed")
    assert slow.outcome == Outcome.DID_NOT_FINISH
    assert (slow.diagnosis.id, slow.diagnosis.source) == ("loop_over_positions", "timing")
    large = verdict_of(plan, {"too_large": 10 ** 9})
    assert (large.outcome, large.place, large.difference.what, large.difference.size) == (
        Outcome.WRONG_TYPE, "here", "too_large", 10 ** 9)
    for message in ({"ok": False, "unreadable": True}, {"ok": True, "value": {"array": "AAAA"}}):
        unreadable = verdict_of(plan, message)
        assert (unreadable.outcome, unreadable.place, unreadable.difference.what) == (
            Outcome.WRONG_TYPE, "here", "unreadable")
    error = verdict_of(plan, {"ok": False, "error_type": "ValueError", "error_message": "shapes (2,3) (3,2)"})
    assert (error.outcome, error.place, error.raised.type) == (Outcome.RAISED, "here", "ValueError")


def test_a_case_passes_only_with_a_right_value(plan):
    (call,) = runner._calls(plan, ["negate"])
    case = plan.case_file.function("negate").cases[0]
    assert runner._passes(plan, "negate", case, call, right(plan, "negate", 0))
    assert not runner._passes(plan, "negate", case, call, wrong(plan, "negate", 0))
    for message in (None, {"ok": False, "error_type": "ValueError", "error_message": "no"}, {"too_large": 9}):
        assert not runner._passes(plan, "negate", case, call, message)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_only_a_wrong_answer_or_an_exception_is_diagnosed(outcome):
    diagnosed = {Outcome.WRONG_VALUE, Outcome.WRONG_SHAPE, Outcome.WRONG_TYPE, Outcome.WRONG_COUNT, Outcome.RAISED}
    assert runner._failed_by_itself(Verdict("f", outcome)) == (outcome in diagnosed)


def test_the_zygote_imports_what_the_setup_cells_import_and_the_figures():
    cells = [ReleasedCell("double", "import csv", True, False, False),  # not a setup cell: its imports are not
             ReleasedCell("setup", "%matplotlib inline\nimport numpy as np, scipy\nfrom os import path as p, sep\n"
                                   "from . import mine\nx = 1", False, False, True),
             ReleasedCell("broken", "import json\ndef (:", False, False, True),
             ReleasedCell("late", "import numpy\nfrom math import pi", False, False, True),
             ReleasedCell("negate", "import csv", True, False, False)]
    plan = Plan("conv_step_by_step", {"functions": {}}, {}, {}, {}, cells, ("setup", "broken", "late"))
    assert runner.plan_preload(plan) == ("autograder.figures.conv_step_by_step", "numpy", "scipy", "os", "os.path",
                                         "os.sep", "math", "math.pi")
    assert runner.plan_preload(Plan("tiny", {"functions": {}}, {}, {}, {}, cells, ())) == ()


# -- whole submissions, in a real sandbox ------------------------------------------------------------------------
def notebook(cells: dict[str, str], added: tuple[str, ...] = ()) -> bytes:
    """A learner's notebook: a solution cell per entry of ``cells`` (grade id: code), then cells of their own."""
    import nbformat

    book = nbformat.v4.new_notebook()
    for grade_id, code in cells.items():
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, "grade": False, "locked": False,
                                     "schema_version": 3}
        book.cells.append(cell)
    book.cells += [nbformat.v4.new_code_cell(code) for code in added]
    return nbformat.writes(book).encode()


@pytest.fixture(scope="module")
def sandbox():
    from autograder.grading.sandbox import Limits, Sandbox, bubblewrap

    with Sandbox(Limits(call_seconds=10.0, submission_seconds=60.0), bubblewrap() is not None, ()) as running:
        yield running


def test_a_submission_is_graded_case_by_case_with_its_cells_problems(plan, sandbox):
    result = runner.grade(plan, "ada", notebook({"double": REFERENCE["double"],
                                                 "negate": "def negate(x):\n    return x\n"},
                                                added=("print('x' * 5000)", "raise ValueError('mine')")),
                          sandbox=sandbox)
    assert result.student == "ada" and result.plan is None
    assert {name: (entry.score, entry.max) for name, entry in result.functions.items()} == {
        "double": (2.0, 2.0), "negate": (0.0, 1.0)}
    assert result.functions["double"].verdict.passed
    assert result.functions["double"].cases == {key: True for key in (
        "visible:lesson", "visible:big", "hidden:lesson", "hidden:pad0", "hidden:grad")}
    assert result.functions["negate"].verdict.outcome == Outcome.WRONG_VALUE
    # diagnosed after the run: the fix the judge's pattern suggests (times -1) was tried in the sandbox
    diagnosis = result.functions["negate"].verdict.diagnosis
    assert (diagnosis.id, diagnosis.values["factor"]) == ("off_by_factor", -1.0)
    assert diagnosis.values.get("fixes_all") is True
    assert result.functions["negate"].cases == {"visible:lesson": False}
    (problem,) = result.problems
    assert problem.key == "problem.cell_failed"
    assert problem.values["cell"] == {"kind": "added", "grade_id": "added-4", "number": 4}  # the notebook's 4th cell
    assert "ValueError" in problem.values["error"] and "mine" in problem.values["error"]
    assert result.isolation is not None and 0 < result.seconds < 300  # the time it took
    assert result.seconds == round(result.seconds, 3)  # to the millisecond (with the two results below: 1 in 1000)
    assert result.output == "x" * 4096 and result.output_bytes == 5001  # what was printed: its start, its size


def test_a_worker_keeps_one_sandbox_per_setting():
    from autograder.grading.sandbox import Limits

    first = runner.worker_sandbox(Limits(), False)
    assert runner.worker_sandbox(Limits(), False) is first  # not started: a sandbox starts at its first job
    assert runner.worker_sandbox(Limits(call_seconds=3.0), False) is not first
    assert runner.worker_sandbox(Limits(), False, ("numpy",)) is not first


def test_a_missing_function_is_missing_and_the_others_are_graded(plan, sandbox):
    result = runner.grade(plan, "bo", notebook({"double": REFERENCE["double"]}), sandbox=sandbox)
    assert result.functions["negate"].verdict == Verdict("negate", Outcome.MISSING)
    assert (result.functions["negate"].score, result.functions["double"].score) == (0.0, 2.0)
    assert [problem.key for problem in result.problems] == ["problem.cell_missing"]
    assert result.seconds == round(result.seconds, 3)


def test_an_unreadable_notebook_is_not_graded_and_runs_nothing(plan):
    result = runner.grade(plan, "cy", b"{not a notebook", sandbox=None)
    assert {name: entry.verdict for name, entry in result.functions.items()} == {
        name: Verdict(name, Outcome.NOT_GRADED) for name in ("double", "negate")}
    assert all(entry.score == 0.0 and not entry.cases for entry in result.functions.values())
    assert result.isolation is None and result.output == "" and result.output_bytes == 0
    assert [problem.key for problem in result.problems] == ["problem.unreadable"]
    assert result.seconds == round(result.seconds, 3)


def test_a_call_out_of_time_is_stopped_and_said_so_and_the_others_keep_their_points(plan):
    from autograder.grading.sandbox import Limits, Sandbox, bubblewrap

    with Sandbox(Limits(call_seconds=1.0, submission_seconds=30.0), bubblewrap() is not None, ()) as quick:
        result = runner.grade(plan, "dee", notebook({"double": REFERENCE["double"],
                                                     "negate": "def negate(x):\n    while True:\n        pass\n"}),
                              sandbox=quick)
    assert result.functions["negate"].verdict.outcome == Outcome.DID_NOT_FINISH
    assert (result.functions["negate"].score, result.functions["double"].score) == (0.0, 2.0)
    (event,) = [problem for problem in result.problems if problem.key == "problem.stopped"]
    assert event.values["function"] == "negate" and event.values["stop"]["reason"] == "call_timeout"


def test_a_trained_model_has_one_training_call_and_its_verdict_from_that_call(plan):
    trained = Plan("tiny", plan.manifest, plan.arrays, {"model": 1.0, "double": 2.0}, {}, plan.released, (),
                   {"model": TrainedModel("train_model", seed=1, seconds=5.0, needed=0.9)},
                   {**REFERENCE, "predict": "def predict(X, parameters):\n    raise AssertionError('untrained')\n"})
    calls = runner._calls(trained, ["model", "double"])
    assert [call.function for call in calls] == ["train_model"] + ["double"] * len(CASES)
    assert [call.id for call in calls] == list(range(len(CASES) + 1)) and calls[0].seconds == 5.0
    outcome = SandboxOutcome(results={0: {"missing": True}})
    verdict = runner._first_failure(trained, "model", calls, outcome)
    assert verdict == Verdict("train_model", Outcome.MISSING)
    assert runner._cases_passed(trained, "model", calls, outcome, verdict) == {"training:model": False}


def test_without_a_sandbox_given_the_workers_own_runs_isolated_by_default(plan):
    from autograder.grading.sandbox import bubblewrap

    result = runner.grade(plan, "eve", notebook({"double": REFERENCE["double"], "negate": REFERENCE["negate"]}))
    assert result.total == 3.0
    assert result.isolation.bubblewrap == (bubblewrap() is not None)
