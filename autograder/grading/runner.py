"""Grade one submission: read it, run it in the sandbox, judge what came back.

:func:`grade` is the unit of work that the local pool and Dask both run; it
returns a plain dict (JSON-able) and never raises for anything a submission
does.
"""
from __future__ import annotations

import multiprocessing.util
import time
from typing import Any

from .. import casefile, feedback
from ..check import Raised, judge
from . import wire
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
    calls = []
    for function in functions:
        for case in plan.manifest["functions"][function]["cases"]:
            args = casefile.decode(case["args"], plan.arrays)
            kwargs = casefile.decode(case["kwargs"], plan.arrays)
            calls.append(Call(len(calls), function, args, kwargs))
    return calls


def _verdict(plan: Plan, function: str, calls: list[Call], outcome: Outcome,
             cell_error: str | None) -> tuple[str | None, str | None]:
    """(message, mistake id) of the first failing case of ``function``; (None, None) if all pass."""
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
            return feedback.stopped(function, place, str(message.get("error"))), None
        if message.get("ok"):
            try:
                got = wire.unpack(message.get("value"))
            except wire.WireError as error:
                return feedback.wrong_result(function, place, f"What it returned could not be read ({error}).",
                                             None), None
            failure = judge(function, entry["outputs"], case, plan.arrays, place, got=got)
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
