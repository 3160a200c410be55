"""Timing checks: is a learner's layer still a Python loop over output positions?

Test cells of the "Vectorize it" assignment call ``check.speed(name, fn)``
(:meth:`autograder.checks.Checks.speed`) after the hidden checks. It runs ``fn``
on the stored ``kind="speed"`` cases: inputs sized so that a loop over the output
positions does tens of thousands of iterations. The time allowed is not a fixed
number of seconds: it is measured on the spot, on the same machine, as a multiple
(``factor``) of the time numpy needs to copy a matrix of the size of the layer's
patch matrix and multiply it once (``calibration``: ``M x K`` times ``K x N``,
stored with the case). So a slow or busy machine gets more time, a fast one less,
and only the ratio matters.

Both the calibration and the learner's function run with one BLAS thread
(``threadpoolctl``), so that threads fighting over a busy machine cannot make a
matrix product look hundreds of times slower than it is. Both are timed in CPU
time, not by the wall clock: on a busy machine a run of a few milliseconds
waits for the processor as long again, or ten times as long, and the wait would
count against the learner. Each is timed several times and the fastest run
counts; a function far over the budget twice is not run again (:func:`fastest`,
which the class grader's sandbox uses too).

The factor is chosen with the assignment's cases (instructor/assignments/conv_vectorized/cases.py)
so that a layer without loops over positions needs a few percent of the budget, and one with a
Python loop over positions needs many times the budget (tests/test_speed_check.py
holds both sides to a margin). Nothing in here computes a layer.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Sequence

import numpy as np

from .casefile import Budget, StoredCase, Manifest, decode
from .verdict import Diagnosis, Outcome, Place, Timing, Verdict

CALIBRATION_RUNS = 15
ATTEMPTS = 5  # runs of the learner's function, at most; the fastest counts
HOPELESS = 3.0  # a run this many times over the budget is not repeated
OVERHEAD_CREDIT = 0.5  # at most this share of the time allowed is credited for the sandbox's pipes (see below)

def _one_thread():
    """A context in which BLAS uses one thread (a no-op if threadpoolctl is missing)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the check still works, with the machine's default threads
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def calibration_time(M: int, K: int, N: int, runs: int = CALIBRATION_RUNS) -> float:
    """Seconds of CPU numpy needs, at best, to copy an (M, K) matrix and multiply it by a (K, N) one (in this
    thread: the calibration uses no other)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((M, K))
    w = rng.standard_normal((K, N))
    best = float("inf")
    for _ in range(runs):
        start = time.thread_time()
        np.ascontiguousarray(a.T).T @ w
        best = min(best, time.thread_time() - start)
    return best


def fastest(run: Callable[[], float | None], budget: float) -> float:
    """The fastest of up to ATTEMPTS runs; ``run()`` times one run (None: it failed, stop).

    Stops early once a run is under budget, or once two runs are both over HOPELESS
    times the budget (one slow run alone may be a hiccup of a busy machine). Both
    this module and the class grader's sandbox (:mod:`autograder.grading.timing`)
    time runs by this rule."""
    best, hopeless = float("inf"), 0
    for _ in range(ATTEMPTS):
        took = run()
        if took is None:
            break
        best = min(best, took)
        hopeless += took > HOPELESS * budget
        if best <= budget or hopeless >= 2:
            break
    return best


def overhead_credit(measured: float, own: object, allowed: float) -> float:
    """Seconds to take off a run that the class grader's sandbox timed across two processes (``measured``):
    the part its child, by its own clock (``own``), did not spend in the call (pipes, wake-ups), at most
    ``OVERHEAD_CREDIT`` of the time ``allowed``. The child runs learner code, so ``own`` may be a lie or
    not a number: a lie gains at most the cap, and anything but a number in ``[0, measured]`` gains nothing."""
    if type(own) not in (int, float) or not 0 <= own <= measured:
        return 0.0
    return min(measured - own, OVERHEAD_CREDIT * allowed)


def timed(fn: Callable, args: tuple, kwargs: dict, budget: float) -> float:
    """The fastest run of ``fn`` on fresh copies of its arguments, in seconds of this process's CPU (all its
    threads), by the rule of :func:`fastest`."""
    def run() -> float:
        fresh_args = fresh_copy(args)
        start = time.process_time()
        fn(*fresh_args, **kwargs)
        return time.process_time() - start
    return fastest(run, budget)


def allowed_time(factor: float, calibration: Sequence[int]) -> float:
    """Seconds allowed for a speed case whose budget is ``factor`` times ``calibration`` (M, K, N), from a
    calibration measured now."""
    return factor * calibration_time(*calibration)


def variants(args: tuple, kwargs: dict, count: int, seed: int) -> list[tuple[tuple, dict]]:
    """``count`` copies of a case's inputs, each float array nudged by a different small random amount.

    For a timed call whose case has no timed runs of other shapes (:func:`draw` makes those), the class grader
    times each run on a new variant (and checks the answer of the run that counts against the reference on the
    same variant), so that a layer that remembers its last answer gains nothing."""
    noise = np.random.default_rng(seed)

    def nudged(value: Any) -> Any:
        if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
            return value + 1e-3 * (np.std(value) or 1.0) * noise.standard_normal(value.shape)
        if isinstance(value, (tuple, list)):
            return type(value)(nudged(v) for v in value)
        if isinstance(value, dict):
            return {k: nudged(v) for k, v in value.items()}
        return value
    return [(nudged(args), nudged(kwargs)) for _ in range(count)]


def template_of(value: Any) -> Any:
    """The shape of ``value`` without its numbers, as JSON: each float array as ``{"normal": shape}``, the rest
    as it is (numbers, strings, None), in tuples, lists and dicts. :func:`draw` makes inputs of it again."""
    if isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.floating):
            raise ValueError(f"only float arrays are drawn afresh, not {value.dtype}")
        return {"normal": [int(n) for n in value.shape]}
    if isinstance(value, tuple):
        return {"tuple": [template_of(v) for v in value]}
    if isinstance(value, list):
        return {"list": [template_of(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): template_of(v) for k, v in value.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise ValueError(f"a value of type {type(value).__name__} has no template")


def draw(template: Any, seed: int) -> Any:
    """Inputs of the shapes of ``template`` (see :func:`template_of`), every array standard normal, from ``seed``."""
    values = np.random.default_rng(seed)

    def made(node: dict) -> Any:
        (kind, payload), = node.items()
        if kind == "normal":
            return values.standard_normal(tuple(payload))
        if kind in ("tuple", "list"):
            items = [made(v) for v in payload]
            return tuple(items) if kind == "tuple" else items
        if kind == "dict":
            return {k: made(v) for k, v in payload.items()}
        return payload
    return made(template)


def work(calibration: Sequence[int]) -> int:
    """How much a calibration of (M, K, N) copies and multiplies: M K (the copy) and M K N (the product)."""
    M, K, N = (int(n) for n in calibration)
    return M * K * (1 + N)


def scaled(allowed: float, calibration: Sequence[int], other: Sequence[int] | None) -> float:
    """The time allowed for a run whose calibration is ``other``, from ``allowed`` for ``calibration``
    (the same, for None): in proportion to :func:`work`."""
    return allowed if other is None else allowed * work(other) / work(calibration)


def fresh_copy(value: Any) -> Any:
    """A deep copy of arrays in tuples/dicts, so that a run cannot change the next run's inputs."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(fresh_copy(v) for v in value)
    if isinstance(value, list):
        return [fresh_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: fresh_copy(v) for k, v in value.items()}
    return value


def measure(fn: Callable, case: StoredCase, arrays: dict) -> tuple[float, float]:
    """(seconds taken by ``fn`` on a speed case, seconds allowed), both measured now, here."""
    args = decode(case.args, arrays)
    kwargs = decode(case.kwargs, arrays)
    with _one_thread():
        allowed = allowed_time(case.budget.factor, case.budget.calibration)
        took = timed(fn, args, kwargs, allowed)
    return took, allowed


def speed_cases(manifest: Manifest, function: str) -> list[StoredCase]:
    """The timing cases of ``function`` in a case file's manifest."""
    return [case for case in manifest.function(function).cases if case.is_speed]


def timing_verdict(function: str, place: Place, took: float, allowed: float, budget: Budget) -> Verdict:
    """The verdict of a timed run that computed the right answer: passed, or too slow (with the loop hint)."""
    timing = Timing(took, allowed, float(budget.factor), tuple(int(n) for n in budget.calibration))
    if took <= allowed:
        return Verdict(function, Outcome.PASSED, place, timing=timing)
    return Verdict(function, Outcome.TOO_SLOW, place, timing=timing,
                   diagnosis=Diagnosis("loop_over_positions", "timing"))
