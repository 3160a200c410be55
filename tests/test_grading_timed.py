"""Timed and long calls in the real sandbox: the zygote holds the clock, and the submission cannot reach it.

A timed call (the timing checks of "Vectorize it") is timed by the zygote, a
process the learner's code does not run in: the child gets each run's inputs
only when the clock starts, and must hand back its answer to stop it; every
timed run has new inputs. These tests run real submissions in a real sandbox
(bubblewrap where it is installed) and try what a learner could: a stopped
clock in their own process, forged answers with a time of their own choosing,
an answer remembered from an earlier run, looking for the inputs before the
clock starts. The time allowed is the one of assignment 2's conv_forward speed
case (400 times a calibration measured on the spot: tens of milliseconds), and
the slow function works 0.3 s of CPU, far over it. What counts is the CPU time
the job spent (a busy machine's wait for the processor is not the learner's),
or the wall clock when a process of the job came or went during the run. The
child's own clock may take the pipes' share off a run, never more than
``speed.OVERHEAD_CREDIT`` of the allowance. (That the grader then checks the
answer of the run that counts is tested with whole submissions, in
tests/test_grading_series.py.)
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from autograder import speed
from autograder.grading import wire
from autograder.grading.sandbox import Call, Limits, Sandbox

LIMITS = Limits(call_seconds=5.0, submission_seconds=30.0)
BUSY = ("import time\n\ndef _busy(seconds):\n    end = time.process_time() + seconds\n"
        "    while time.process_time() < end:\n        pass\n")
SLOW = BUSY + "\ndef layer(x):\n    _busy(0.3)\n    return x * 2\n"
FAST = "def layer(x):\n    return x * 2\n"
INPUT = np.arange(12.0).reshape(3, 4)

FORGER = """
import gc, io, json, os, struct

def _send(message):
    for candidate in gc.get_objects():
        if isinstance(candidate, io.BufferedWriter) and not candidate.closed and candidate.name not in (1, 2):
            data = json.dumps(message).encode()
            candidate.write(struct.pack(">Q", len(data)) + data)
            candidate.flush()

def forge_fast_answer():
    value = {"array": None}
    for id in range(4):
        _send({"type": "ready", "id": id})
        _send({"type": "call", "id": id, "ok": True, "value": {"value": 0},
               "timing": {"took": 1e-9, "allowed": 10.0}})
"""


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as box:
        yield box


def timed_call(id: int = 0) -> Call:
    runs = [{"args": wire.pack(args), "kwargs": wire.pack(kwargs)}
            for args, kwargs in speed.variants((INPUT,), {}, speed.ATTEMPTS, seed=id)]
    return Call(id, "layer", (INPUT,), {}, timing={"calibration": [9216, 9, 4], "factor": 400, "runs": runs})


def answer(outcome, id: int = 0):
    message = outcome.results[id]
    return wire.unpack(message["value"]) if message.get("ok") else message.get("error")


def test_a_fast_function_is_timed_under_its_allowance_on_new_inputs_and_both_answers_come_back(sandbox):
    outcome = sandbox.run([("layer", FAST)], [timed_call()])
    timing = outcome.results[0]["timing"]
    assert 0 < timing["took"] < timing["allowed"]
    np.testing.assert_array_equal(answer(outcome), INPUT * 2)  # the untimed first run: the case's own inputs
    (variant,), _ = speed.variants((INPUT,), {}, speed.ATTEMPTS, seed=0)[timing["run"]]
    fastest = wire.unpack(outcome.results[0]["fastest"]["value"])
    assert not np.array_equal(variant, INPUT)
    np.testing.assert_array_equal(fastest, variant * 2)


def test_a_slow_function_is_timed_over_its_allowance(sandbox):
    outcome = sandbox.run([("layer", SLOW)], [timed_call()])
    timing = outcome.results[0]["timing"]
    assert timing["took"] >= 0.3 > timing["allowed"]


def test_stopping_the_clock_in_the_submissions_own_process_gains_at_most_the_overhead_credit(sandbox):
    """The child's own clock says how much of a run was the pipes' (see zygote.py); a stopped clock claims
    that all of it was, and gains the most that is ever credited: the run is still far over its allowance."""
    frozen = SLOW + "\ntime.perf_counter = time.monotonic = time.time = lambda: 0.0\n"
    timing = sandbox.run([("layer", frozen)], [timed_call()]).results[0]["timing"]
    assert timing["took"] >= 0.3 - speed.OVERHEAD_CREDIT * timing["allowed"]
    assert timing["took"] > 3 * timing["allowed"]


@pytest.mark.parametrize("own, credited", [
    (0.004, 0.001),   # an honest child: 1 ms of the 5 went to pipes and wake-ups
    (0.0, 0.002),     # a lie (or a stopped clock): at most half of the 4 ms allowed
    (0.006, 0.0),     # longer than the zygote measured: nothing
    (-1.0, 0.0), (float("nan"), 0.0), ("0", 0.0), (True, 0.0), (None, 0.0),  # not a time: nothing
])
def test_the_overhead_credit_is_what_the_child_did_not_spend_in_the_call_and_bounded(own, credited):
    assert speed.overhead_credit(0.005, own, allowed=0.004) == pytest.approx(credited)


def test_forged_answers_give_no_quick_right_answer(sandbox):
    """Forged while the cells run and during the call, with a time of their own: the time they carry is
    dropped, and a forged answer counts only as a wrong one (the value the grader checks is the forger's)."""
    cell = FORGER + "\nforge_fast_answer()\n" + SLOW.replace("_busy(0.3)\n    return",
                                                              "forge_fast_answer()\n    _busy(0.3)\n    return")
    outcome = sandbox.run([("layer", cell)], [timed_call()])
    assert outcome.cell_errors == {}
    result = outcome.results[0]
    assert result["timing"]["took"] < 0.3 and result["timing"]["took"] != 1e-9  # the forged answer came first,
    assert wire.unpack(result["fastest"]["value"]) == 0  # timed by the zygote, and it is the forged value


def test_an_answer_remembered_from_an_earlier_run_does_not_help(sandbox):
    memo = BUSY + """
remembered = {}

def layer(x):
    key = x.tobytes()
    if key not in remembered:
        _busy(0.3)
        remembered[key] = x * 2
    return remembered[key]
"""
    outcome = sandbox.run([("layer", memo)], [timed_call()])
    assert outcome.results[0]["timing"]["took"] >= 0.3


def test_the_inputs_are_not_in_the_submissions_process_before_the_clock_starts(sandbox):
    """A cell that looks through all of its process's objects for the call's input finds nothing."""
    snoop = """
import base64, gc, io
import numpy as np

def _arrays_in(thing):
    if isinstance(thing, np.ndarray):
        yield thing.copy()
    elif isinstance(thing, list):  # as the grader sends arrays: [{"array": base64 of .npy}, ...]
        for item in thing:  # (the small dicts themselves are not tracked by gc: their lists are)
            if isinstance(item, dict) and isinstance(item.get("array"), str):
                yield np.load(io.BytesIO(base64.b64decode(item["array"])))

seen_at_cell_time = [array for thing in gc.get_objects() for array in _arrays_in(thing)]

def layer(x):
    return any(np.array_equal(x, early) for early in seen_at_cell_time)
"""
    timed = sandbox.run([("layer", snoop)], [timed_call()])
    assert answer(timed) is False
    untimed = sandbox.run([("layer", snoop)], [Call(0, "layer", (INPUT,), {})])
    assert answer(untimed) is True  # the control: an untimed call's inputs are there from the start


def test_an_error_in_a_timed_call_is_reported_as_an_error(sandbox):
    broken = "def layer(x):\n    raise ValueError('shapes do not match')\n"
    outcome = sandbox.run([("layer", broken)], [timed_call()])
    assert "ValueError: shapes do not match" in outcome.results[0]["error"]


def test_a_missing_timed_function_is_reported_missing(sandbox):
    outcome = sandbox.run([("layer", "x = 1\n")], [timed_call()])
    assert outcome.results[0].get("missing")


def test_a_timed_call_among_untimed_ones_keeps_the_order_and_every_answer(sandbox):
    calls = [Call(0, "layer", (INPUT,), {}), timed_call(1), Call(2, "layer", (INPUT + 1,), {})]
    outcome = sandbox.run([("layer", FAST)], calls)
    assert [set(outcome.results[i]) >= {"ok", "value"} for i in range(3)] == [True] * 3
    assert "timing" in outcome.results[1] and "timing" not in outcome.results[0] | outcome.results[2]
    np.testing.assert_array_equal(answer(outcome, 2), (INPUT + 1) * 2)


def test_a_call_with_its_own_limit_may_run_past_the_usual_one():
    """Training a network takes longer than a layer: such a call carries its own wall-clock limit."""
    nap = "import time\n\ndef train():\n    time.sleep(1.5)\n    return 'trained'\n"
    with Sandbox(Limits(call_seconds=0.5, submission_seconds=10.0)) as box:
        long = box.run([("train", nap)], [Call(0, "train", (), {}, seconds=4.0)])
        usual = box.run([("train", nap)], [Call(0, "train", (), {})])
    assert answer(long) == "trained"
    assert usual.results[0].get("aborted") and usual.results[0]["stop"] == {"reason": "call_timeout", "seconds": 0.5}


def test_an_answer_forged_under_a_look_alike_id_is_not_taken_for_the_timed_call(sandbox):
    """1.0 and True compare equal to 1 in Python: they must not pass for call 1 and skip its timing."""
    look_alikes = FORGER + """
def forge_look_alikes():
    for id in (1.0, True):
        _send({"type": "call", "id": id, "ok": True, "value": {"value": "forged"}})
""" + SLOW.replace("_busy(0.3)\n    return", "forge_look_alikes()\n    _busy(0.3)\n    return")
    outcome = sandbox.run([("layer", look_alikes)], [Call(0, "layer", (INPUT,), {}), timed_call(1)])
    assert "timing" in outcome.results[1] and outcome.results[1]["timing"]["took"] >= 0.3


def test_a_busy_machine_does_not_count_against_a_timed_call(sandbox):
    """Six processes that keep the processor busy outside the sandbox: a run that needs 0.05 s of CPU waits
    for it several times as long, and is still charged about 0.05 s (the job's CPU time), not the wait."""
    work = BUSY + "\ndef layer(x):\n    _busy(0.05)\n    return x * 2\n"
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(6)]
    try:
        timing = sandbox.run([("layer", work)], [timed_call()]).results[0]["timing"]
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert 0.05 - speed.OVERHEAD_CREDIT * timing["allowed"] <= timing["took"] < 0.1


@pytest.mark.parametrize("helper", ["forked_during_the_run", "started_before_the_clock"])
def test_work_handed_to_another_process_is_timed_too(sandbox, helper):
    """The job's CPU time counts every process of the job; one that came (and went) during a run takes its
    time with it, so then the wall clock counts."""
    during = BUSY + """
import os

def layer(x):
    pid = os.fork()
    if pid == 0:
        _busy(0.3)
        os._exit(0)
    os.waitpid(pid, 0)
    return x * 2
"""
    before = BUSY + """
import os
ask, asked = os.pipe()
told, tell = os.pipe()
if os.fork() == 0:
    while os.read(ask, 1):
        _busy(0.3)
        os.write(tell, b"!")
    os._exit(0)

def layer(x):
    os.write(asked, b"?")
    os.read(told, 1)
    return x * 2
"""
    code = during if helper == "forked_during_the_run" else before
    timing = sandbox.run([("layer", code)], [timed_call()]).results[0]["timing"]
    assert timing["took"] >= 0.3 - speed.OVERHEAD_CREDIT * timing["allowed"]


FAULTS = """
import resource
import numpy as np

def temporaries():
    return [np.ones(2**20 // 8) for _ in range(4)]  # four arrays of 1 MiB at once, every page written


def faults_of_temporaries():
    temporaries()  # the first ones may fault their pages in
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(50):
        temporaries()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
"""


def test_a_job_reuses_the_memory_it_frees_so_a_timed_run_does_not_pay_for_its_temporaries_pages(sandbox):
    """A vectorized layer's temporaries are arrays of a few MiB; mapped anew for each, every timed run would fault
    in and zero their pages again (on the positions cases, up to 3 times the share of its time allowed that the
    same layer takes in a notebook's kernel)."""
    outcome = sandbox.run([("faults", FAULTS)], [Call(0, "faults_of_temporaries", (), {})])
    assert answer(outcome) < 256  # 256 pages a MiB: mapped again each time, 51,200 faults
