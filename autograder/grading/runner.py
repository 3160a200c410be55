"""Grade one submission: read it, run it in the sandbox, judge what came back.

:func:`grade` is the unit of work that the local pool and Dask both run; it
returns a plain dict (JSON-able) and never raises for anything a submission
does.
"""
from __future__ import annotations

import multiprocessing.util
import secrets
import time
from typing import Any

from .. import casefile, feedback, speed
from ..check import Raised, judge, output_problem
from ..compare import Tolerance
from . import training, wire
from .notebook import read_submission
from .plan import Plan
from .sandbox import Call, Limits, Outcome, Sandbox

_SANDBOXES: dict[tuple, Sandbox] = {}  # one per worker process, reused across submissions


def worker_sandbox(limits: Limits, isolate: bool) -> Sandbox:
    key = (limits, isolate)
    if key not in _SANDBOXES:
        _SANDBOXES[key] = Sandbox(limits, isolate)
        # its zygote and scratch folder go when the worker ends (forked pool workers skip atexit)
        multiprocessing.util.Finalize(None, _SANDBOXES[key].close, exitpriority=10)
    return _SANDBOXES[key]


def _calls(plan: Plan, functions: list[str]) -> list[Call]:
    """The sandbox calls of the graded ``functions``: one per case (a speed case is timed), one per training."""
    calls = []
    for function in functions:
        if function in plan.trained_models:
            calls.append(training.training_call(len(calls), plan.trained_models[function]))
            continue
        for case in plan.manifest["functions"][function]["cases"]:
            args = casefile.decode(case["args"], plan.arrays)
            kwargs = casefile.decode(case["kwargs"], plan.arrays)
            timing = _timing(case, args, kwargs) if case["kind"] == "speed" else None
            calls.append(Call(len(calls), function, args, kwargs, timing=timing))
    return calls


def _timing(case: dict, args: tuple, kwargs: dict) -> dict:
    """How the sandbox times a speed case (see zygote.py): the calibration, and the inputs of each timed run,
    new ones for every submission (so that nothing left in memory by one student's job helps the next)."""
    runs = [{"args": wire.pack(a), "kwargs": wire.pack(k)}
            for a, k in speed.variants(args, kwargs, speed.ATTEMPTS, seed=secrets.randbits(64))]
    return {"calibration": case["budget"]["calibration"], "factor": case["budget"]["factor"], "runs": runs}


def _timed_verdict(plan: Plan, function: str, case: dict, call: Call, place: str, message: dict) -> str | None:
    """The verdict of a speed case whose first answer is right: None if its fastest timed run was right in time.

    The answer of the run that counts is checked against the reference on the same inputs, here."""
    try:
        timing, fastest = message["timing"], message["fastest"]
        took, allowed, run = float(timing["took"]), float(timing["allowed"]), int(timing["run"])
        inputs = call.timing["runs"][run]
        args, kwargs = wire.unpack(inputs["args"]), wire.unpack(inputs["kwargs"])
    except (TypeError, KeyError, ValueError, IndexError, wire.WireError):
        return feedback.stopped(function, place, "it was not timed")
    if fastest.get("ok"):
        names = plan.manifest["functions"][function]["outputs"]
        try:
            problem = output_problem(function, names, plan.reference(function)(*args, **kwargs),
                                     wire.unpack(fastest.get("value")), Tolerance(**case["tolerance"]))
        except wire.WireError as error:
            problem = f"What it returned could not be read ({error})."
    else:
        problem = f"It raised {fastest.get('error')}."
    if problem:
        return speed.MESSAGES["wrong_when_timed"].format(function=function, place=place, problem=problem)
    return speed.too_slow(function, place, took, allowed, case["budget"]) if took > allowed else None


def _verdict(plan: Plan, function: str, calls: list[Call], outcome: Outcome,
             cell_error: str | None) -> tuple[str | None, str | None]:
    """(message, mistake id) of the first failing case of ``function``; (None, None) if all pass."""
    if function in plan.trained_models:
        (call,) = [call for call in calls if call.function == plan.trained_models[function]["train"]]
        return training.verdict(function, plan.trained_models[function], outcome.results.get(call.id),
                                plan.reference("predict")), None
    entry = plan.manifest["functions"][function]
    cases = entry["cases"]
    mine = [call for call in calls if call.function == function]
    for position, (case, call) in enumerate(zip(cases, mine), start=1):
        place = feedback.where(case, position, len(cases))
        message = outcome.results.get(call.id)
        if message is None or message.get("missing"):
            text = feedback.missing_function(function)
            return (feedback.cell_failed(function, cell_error) + " " + text if cell_error else text), None
        if message.get("aborted"):
            text = feedback.stopped(function, place, str(message.get("error")))
            return (text + "\n" + feedback.say("hint", hint=case["budget"]["hint"]) if case["kind"] == "speed"
                    else text), None
        if message.get("ok"):
            try:
                got = wire.unpack(message.get("value"))
            except wire.WireError as error:
                return feedback.wrong_result(function, place, f"What it returned could not be read ({error}).",
                                             None), None
            failure = judge(function, entry["outputs"], case, plan.arrays, place, got=got)
            if failure is None and case["kind"] == "speed":
                slow = _timed_verdict(plan, function, case, call, place, message)
                if slow:
                    return slow, None
        else:
            raised = Raised(str(message.get("error")), message.get("line"), bool(message.get("not_implemented")))
            failure = judge(function, entry["outputs"], case, plan.arrays, place, raised=raised)
        if failure:
            return failure.message, failure.mistake
    return None, None


def grade(plan: Plan, student: str, notebook: bytes, limits: Limits = Limits(), isolate: bool = True,
          sandbox: Sandbox | None = None) -> dict[str, Any]:
    """The result of one student's submission: total, per-function scores and messages, flags, errors."""
    started = time.monotonic()
    submission = read_submission(notebook, plan)
    functions = {name: {"score": 0.0, "max": points, "message": None, "mistake": None}
                 for name, points in plan.points.items()}
    result: dict[str, Any] = {"student": student, "functions": functions, "flags": submission.flags,
                              "errors": list(submission.errors), "output": "", "isolation": None}
    if submission.readable:
        sandbox = sandbox or worker_sandbox(limits, isolate)
        result["isolation"] = sandbox.isolation
        runnable = [name for name in plan.functions if name not in submission.missing]
        calls = _calls(plan, runnable)
        outcome = sandbox.run(submission.cells, calls)
        for grade_id, error in outcome.cell_errors.items():
            result["errors"].append(f"the cell {grade_id!r} did not run to the end: {error}")
        for name in plan.functions:
            if name in submission.missing:
                functions[name]["message"] = feedback.missing_function(name)
                continue
            message, mistake = _verdict(plan, name, calls, outcome, outcome.cell_errors.get(name))
            functions[name].update(message=message, mistake=mistake,
                                   score=functions[name]["max"] if message is None else 0.0)
        result["errors"] += outcome.events
        result["output"] = outcome.output[:4096]
        result["output_bytes"] = outcome.output_bytes
    else:
        for name in plan.functions:
            functions[name]["message"] = "The notebook could not be read, so this function was not graded."
    result["total"] = sum(f["score"] for f in functions.values())
    result["max"] = sum(f["max"] for f in functions.values())
    result["seconds"] = round(time.monotonic() - started, 3)
    return result
