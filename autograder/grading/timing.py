"""The class grader's timing check ("Vectorize it"): the timed call, its clock, its verdict.

A *speed case* of a layer (``kind="speed"``, see ``instructor/assignments/conv_vectorized/cases.py``)
has its own inputs and a list of *timed runs*: input templates (shapes and
settings, :func:`autograder.speed.template_of`) of other shapes than the case's,
each with its calibration, all drawn from the course secret, so that nothing in
the release says what the timed inputs look like.

In the grader (:func:`timed_call`): every submission's timed runs get new values
(:func:`autograder.speed.draw`, from a fresh random seed), so nothing left by
an earlier job, and no answer remembered from an earlier run, helps.

In the sandbox: the call is timed by the job's keeper (:class:`Timer`, see
:mod:`.zygote`), never by the child that runs learner code
(:func:`answer_timed_runs`). The child is forked before the keeper has read the
call's inputs (they come after the job); when the child says it is ready, the
keeper measures the calibration (:func:`autograder.speed.allowed_time`), starts
its clock and writes one run's inputs into a pipe; the clock stops when the
answer, value included, is back. One untimed run on the case's own inputs comes
first; then timed runs, each of another shape (a cache per shape buys nothing),
by the rule of :func:`autograder.speed.fastest`, each held to the time allowed
for its own size (:func:`autograder.speed.scaled`). What goes out: the first
run's answer, and the answer of the run that came closest to its allowance
(``"fastest"``), with its time, its allowance and its index. Only the best
answer so far is kept: every other timed run's value is dropped as soon as it is
judged slower. Once a function has a timed call over its allowance (or one
that failed), its later timed calls are not run (``skipped``): its verdict is
already decided.

What counts is the CPU time the job's processes spent meanwhile, read by the
keeper from the kernel (:func:`.jail.job_cpu`), as the calibration is measured
in CPU time: on a busy machine a run waits for the processor as long as it
runs, or ten times as long, and that wait is not the learner's. When a process
of the job came or went during the run (its CPU time would leave with it), the
wall clock counts instead. Either also counts the trip through the pipes (and
the wall clock the wake-ups of two processes): about 2 ms on an idle machine,
more on a busy one, against budgets of a few ms. So the child reports how long
the call took by its own clock, and the difference is credited, never more than
:data:`autograder.speed.OVERHEAD_CREDIT` of the time allowed
(:func:`autograder.speed.overhead_credit`): a child that lies gains at most
that, and a loop over positions, many times over the budget, still fails.

Back in the grader (:func:`verdict`): the answer of the run that counts is
checked against the reference on that run's inputs, then its time.
"""
from __future__ import annotations

import itertools
import secrets
import time
from typing import Any, BinaryIO, Callable, Sequence

import autograder.speed as speed
from ..casefile import StoredCase
from ..compare import outputs_difference
from ..verdict import Difference, Outcome, Place, Stop, Verdict
from . import answers, wire
from .sandbox import Call

ANSWER_KEYS = ("ok", "value", "error", "error_type", "error_message", "line", "not_implemented", "unreadable",
               "too_large")
TRUSTED_KEYS = ("timing", "fastest", "blobs", "own_seconds", "aborted", "stop", "skipped")  # never the child's


# -- in the grader: the call -------------------------------------------------------------------------------
def timed_call(call_id: int, function: str, case: StoredCase, args: tuple, kwargs: dict) -> Call:
    """The sandbox call of a speed case: its own inputs, and the inputs of its timed runs, new values for every
    submission (drawn here, from a seed no one else sees), each run's own calibration beside them."""
    noise = secrets.randbits(64)
    budget = case.budget
    runs = []
    for index, run in enumerate(case.runs or [None]):
        if run is None:  # a case without timed runs of its own shapes: its own inputs, nudged
            ((run_args, run_kwargs),) = speed.variants(args, kwargs, 1, seed=noise + index)
        else:
            run_args, run_kwargs = speed.draw(run.args, noise + index), speed.draw(run.kwargs, noise + index)
        own = run.calibration if run is not None else None
        runs.append({"args": wire.pack(run_args), "kwargs": wire.pack(run_kwargs),
                     "calibration": list(own or budget.calibration)})
    if not case.runs:
        runs += [{**runs[0], **dict(zip(("args", "kwargs"), map(wire.pack, pair)))}
                 for pair in speed.variants(args, kwargs, speed.ATTEMPTS - 1, seed=noise + 1)]
    timing = {"calibration": list(budget.calibration), "factor": budget.factor, "runs": runs}
    return Call(call_id, function, args, kwargs, timing=timing)


# -- in the sandbox: the child's side ----------------------------------------------------------------------
def answer_timed_runs(runner: Any, function: Callable, call_id: int, orders: BinaryIO) -> None:
    """In the child (``runner``: its :class:`.cells.CellRunner`): say ready, then answer each run's inputs as
    they come, until the keeper says stop. Inputs and answers travel as blobs (:mod:`.wire`): the clock runs."""
    runner.send({"type": "ready", "id": call_id})
    while (order := wire.receive(orders)) is not None and not order.get("stop"):
        blobs: list[bytes] = []
        start = time.perf_counter()
        message = runner.answer(function, order["args"], order["kwargs"], order.get("blobs", []), blobs)
        message["own_seconds"] = time.perf_counter() - start  # see the module's docstring: a bounded credit
        runner.send({"type": "call", "id": call_id, **message}, blobs if message["ok"] else [])


# -- in the sandbox: the keeper's clock --------------------------------------------------------------------
class Timer:
    """The keeper's side of a job's timed calls (see the module's docstring).

    ``timed``: {call id: the call as the job lists it, with its inputs}; ``functions``: {call id: function}
    of every call of the job; ``results``/``orders``: the child's pipes; ``out``: where messages go on."""

    def __init__(self, timed: dict[int, dict], functions: dict[int, str], results: BinaryIO, orders: BinaryIO,
                 out: BinaryIO, receive: Callable[[BinaryIO], dict | None],
                 clock: Callable[[], Any] = lambda: None, spent: Callable[[Any, Any], float | None] = lambda a, b: None
                 ) -> None:
        self.timed, self.functions = timed, functions
        self.results, self.orders, self.out, self.receive = results, orders, out, receive
        self.clock, self.spent = clock, spent
        self.done: set[int] = set()
        self.failed: set[str] = set()  # functions with a timed call over its allowance, or failed

    def is_timed(self, call_id: object) -> bool:
        return type(call_id) is int and call_id in self.timed  # anything may come from the child: [1], {}, ...

    def forward(self, message: dict) -> None:
        """Pass a cell's or an untimed call's message on; nothing from the child may speak for a timed call."""
        if message.get("type") == "call" and self.is_timed(message.get("id")):
            if not (message.get("missing") and message["id"] not in self.done):
                return  # only "this function is missing" may come straight from the child
        if message.get("type") in ("cell", "call"):  # learner code can write here too: it must not end its
            for key in TRUSTED_KEYS:  # job early ("done") and then speak for the next one, nor time itself
                message.pop(key, None)
            wire.send(self.out, message)

    def run(self, call_id: object) -> bool:
        """Time one call whose child said it is ready; False if the child went away meanwhile."""
        if not self.is_timed(call_id) or call_id in self.done:
            return True  # a forged or repeated "ready": nothing to do
        self.done.add(call_id)
        call = self.timed[call_id]
        if self.functions.get(call_id) in self.failed:
            wire.send(self.out, {"type": "call", "id": call_id, "ok": False, "skipped": True})
            return self._stop()
        runs = [{"args": call["args"], "kwargs": call["kwargs"], "calibration": call["timing"]["calibration"]},
                *call["runs"]]
        allowed = speed.allowed_time(call["timing"]["factor"], call["timing"]["calibration"])
        first: dict | None = None
        best: tuple[float, float, float, int, dict] | None = None  # (share, took, allowed, run, answer)
        alive = True

        def one_run(index: int) -> float | None:
            """The share of its allowance that run ``index`` took (None: it failed, or the child is gone)."""
            nonlocal alive, first, best
            if not runs:
                return None
            run = runs.pop(0)  # its inputs are not kept once sent
            run_allowed = speed.scaled(allowed, call["timing"]["calibration"], run.get("calibration"))
            blobs: list[bytes] = []
            order = {"args": wire.pack(wire.unpack(run["args"]), blobs),
                     "kwargs": wire.pack(wire.unpack(run["kwargs"]), blobs)}
            del run
            before = self.clock()
            start = time.perf_counter()
            wire.send(self.orders, order, blobs)
            del order, blobs
            while (message := self.receive(self.results)) is not None:
                if message.get("type") == "call" and type(message.get("id")) is int and message["id"] == call_id:
                    took = time.perf_counter() - start  # the first answer after the start counts, forged or not
                    cpu = self.spent(before, self.clock())
                    took = took if cpu is None else min(cpu, took)
                    took -= speed.overhead_credit(took, message.pop("own_seconds", None), run_allowed)
                    answer = _plain(message)
                    wire.send(self.out, {"type": "tick"})  # the grader's clock per call starts again
                    if index == 0:
                        first = answer
                        return 0.0 if answer.get("ok") else None
                    share = took / run_allowed
                    if best is None or share < best[0]:
                        best = (share, took, run_allowed, index - 1, answer)  # a slower run's value goes here
                    return share if answer.get("ok") else None
                self.forward(message)
            alive = False
            return None

        try:
            if one_run(0) is not None:
                timed_runs = itertools.count(1)
                share = speed.fastest(lambda: one_run(next(timed_runs)), 1.0)
                if share > 1.0:
                    self.failed.add(self.functions.get(call_id, ""))
            wire.send(self.orders, {"stop": True})
        except (OSError, wire.WireError):  # the child closed its end, or sent garbage
            alive = False
        if best is not None and not best[4].get("ok"):
            self.failed.add(self.functions.get(call_id, ""))
        if first is not None:
            message = first
            if best is not None:
                share, took, run_allowed, index, answer = best
                message = {**first, "timing": {"took": took, "allowed": run_allowed, "run": index},
                           "fastest": {key: answer[key] for key in ANSWER_KEYS if key in answer}}
            wire.send(self.out, message)
        return alive

    def _stop(self) -> bool:
        try:
            wire.send(self.orders, {"stop": True})
            return True
        except OSError:
            return False


def _plain(answer: dict) -> dict:
    """An answer whose value came as blobs, with the value in plain JSON, like every other answer."""
    blobs = answer.pop("blobs", [])
    answer.pop("own_seconds", None)
    if answer.get("ok"):
        try:
            answer["value"] = wire.pack(wire.unpack(answer.get("value"), blobs))
        except wire.WireError as error:
            return {"type": "call", "id": answer.get("id"), "ok": False, "unreadable": str(error)}
    for key in TRUSTED_KEYS:
        answer.pop(key, None)
    return answer


# -- in the grader: the verdict ----------------------------------------------------------------------------
def verdict(function: str, names: Sequence[str], case: StoredCase, call: Call, place: Place, message: dict,
            reference: Callable, judged: Verdict) -> Verdict:
    """The verdict of a speed case whose first, untimed, answer was judged ``judged``: that one if it failed;
    else the fastest timed run's, checked against ``reference`` on that run's inputs, then for its time."""
    if not judged.passed:
        return judged
    try:
        timing, fastest = message["timing"], message["fastest"]
        took, allowed, run = float(timing["took"]), float(timing["allowed"]), int(timing["run"])
        inputs = call.timing["runs"][run]
        args, kwargs = wire.unpack(inputs["args"]), wire.unpack(inputs["kwargs"])
    except (TypeError, KeyError, ValueError, IndexError, wire.WireError):
        return Verdict(function, Outcome.DID_NOT_FINISH, place, stop=Stop("not_timed"))
    answer = answers.read(fastest if isinstance(fastest, dict) else None)
    message.pop("fastest", None)  # no timed run's value is kept once it is judged
    if answer.raised is not None:
        return Verdict(function, Outcome.WRONG_WHEN_TIMED, place, raised=answer.raised)
    if not answer.ok:
        return Verdict(function, Outcome.WRONG_WHEN_TIMED, place,
                       difference=Difference("too_large" if answer.too_large else "unreadable", function,
                                             size=answer.too_large))
    difference = outputs_difference(function, names, reference(*args, **kwargs), answer.value, case.tolerance)
    if difference:
        return Verdict(function, Outcome.WRONG_WHEN_TIMED, place, difference=difference)
    timed = speed.timing_verdict(function, place, took, allowed, case.budget)
    return judged if timed.passed else timed
