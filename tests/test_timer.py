"""The timer of timed calls (``timing.py``), in-process: the keeper's clock and the child's answers over real
pipes, a thread standing for the jailed child (the real sandbox: tests/test_grading_timed.py, minutes).

- a fast function is timed under its allowance, and both its first answer and its fastest one go out;
- a slow one is over, and the function's later timed calls are skipped, their verdict decided;
- nothing the child sends may speak for a timed call, nor carry the keeper's own keys;
- a forged or repeated "ready" does nothing;
- the verdict: the fastest run's answer checked on that run's inputs, then its time.
"""
from __future__ import annotations

import dataclasses
import io
import os
import threading
import time

import numpy as np
import pytest

from autograder import casefile
from autograder.grading import cells, timing, wire
from autograder.grading.sandbox import Call
from autograder.verdict import Outcome, Place, Stop, Verdict

INPUT = np.arange(12.0).reshape(3, 4)
BUDGET = {"calibration": [96, 9, 4], "factor": 400}  # a small product: a few microseconds, times 400: ~1.5 ms
ROOMY = {"calibration": [96, 9, 4], "factor": 40000}  # ~150 ms: room for a thread's trip on a busy machine


def layer_call(call_id: int, runs: int = 3, budget: dict = BUDGET) -> dict:
    """A timed call as the keeper holds it (the job's listing with its inputs): its own inputs and ``runs``."""
    return {"id": call_id, "function": "layer", "timing": budget, "args": wire.pack((INPUT,)), "kwargs": wire.pack({}),
            "runs": [{"args": wire.pack((INPUT + k,)), "kwargs": wire.pack({}), "calibration": None}
                     for k in range(1, runs + 1)]}


def messages(data: bytes) -> list[dict]:
    stream, found = io.BytesIO(data), []
    while (message := wire.receive(stream)) is not None:
        found.append(message)
    return found


def timed(function, calls: list[dict], functions: dict[int, str] | None = None, ready: list[object] = ()):
    """Run the timed ``calls`` of one job: a thread as the child answers them with ``function``; the keeper's
    timer times each one the child says it is ready for. What went out (messages), and the timer."""
    result_r, result_w = os.pipe()
    orders_r, orders_w = os.pipe()
    out = io.BytesIO()
    with os.fdopen(result_r, "rb") as results, os.fdopen(orders_w, "wb") as orders:
        def child() -> None:
            with os.fdopen(result_w, "wb") as stream, os.fdopen(orders_r, "rb") as inbox:
                runner = cells.CellRunner(stream, 10 ** 6)
                for call in calls:
                    timing.answer_timed_runs(runner, function, call["id"], inbox)
        thread = threading.Thread(target=child, daemon=True)
        thread.start()
        timer = timing.Timer({call["id"]: call for call in calls},
                             functions or {call["id"]: call["function"] for call in calls},
                             results, orders, out, wire.receive)
        for forged in ready:
            assert timer.run(forged) is True
        while (message := wire.receive(results)) is not None:
            if message.get("type") == "ready":
                assert timer.run(message.get("id"))
            else:
                timer.forward(message)
        thread.join(10)
    return messages(out.getvalue()), timer


def test_a_fast_function_is_timed_under_its_allowance_and_both_answers_go_out():
    sent, timer = timed(lambda x: x * 2, [layer_call(0, budget=ROOMY)])
    final = [m for m in sent if m.get("type") == "call"]
    assert len(final) == 1 and {m.get("type") for m in sent} == {"call", "tick"}
    (message,) = final
    assert message["id"] == 0 and message["ok"] is True
    np.testing.assert_array_equal(wire.unpack(message["value"]), INPUT * 2)  # the first run: the case's inputs
    took, allowed, run = message["timing"]["took"], message["timing"]["allowed"], message["timing"]["run"]
    assert 0 <= took <= allowed and run == 0  # the first timed run is under its allowance: the only one
    np.testing.assert_array_equal(wire.unpack(message["fastest"]["value"]), (INPUT + 1) * 2)
    assert sum(1 for m in sent if m.get("type") == "tick") == 2  # the untimed run, then one timed run
    assert timer.failed == set() and timer.done == {0}


def test_a_slow_function_is_over_and_its_later_timed_calls_are_skipped():
    def slow(x):
        time.sleep(0.05)
        return x * 2
    sent, timer = timed(slow, [layer_call(0), layer_call(1)], {0: "layer", 1: "layer"})
    first, second = [m for m in sent if m.get("type") == "call"]
    assert first["timing"]["took"] > first["timing"]["allowed"] and first["ok"] is True
    assert timer.failed == {"layer"}
    assert second == {"type": "call", "id": 1, "ok": False, "skipped": True}
    # up to two hopeless runs (the rule of speed.fastest), each a tick, after the untimed one
    assert sum(1 for m in sent if m.get("type") == "tick") == 3


def test_an_error_on_the_first_run_ends_the_call_with_that_error_and_no_timed_run():
    def broken(x):
        raise ValueError("no")
    sent, timer = timed(broken, [layer_call(0)])
    (message,) = [m for m in sent if m.get("type") == "call"]
    assert message["ok"] is False and message["error_type"] == "ValueError"
    assert "timing" not in message and "fastest" not in message
    assert timer.failed == set()  # decided by its wrong answer, not by its time


def test_a_timed_run_that_fails_is_its_verdict_and_the_function_is_done():
    seen = []

    def fails_when_timed(x):
        seen.append(x)
        if len(seen) > 1:
            raise ValueError("only on new inputs")
        return x * 2
    sent, timer = timed(fails_when_timed, [layer_call(0), layer_call(1)])
    first, second = [m for m in sent if m.get("type") == "call"]
    assert first["ok"] is True and first["fastest"]["ok"] is False
    assert first["fastest"]["error_type"] == "ValueError" and first["timing"]["run"] == 0
    assert timer.failed == {"layer"} and second["skipped"] is True and len(seen) == 2


def test_a_forged_or_repeated_ready_does_nothing():
    sent, timer = timed(lambda x: x * 2, [layer_call(0, budget=ROOMY)], ready=[7, "0", [0], None, 1.0])
    assert len([m for m in sent if m.get("type") == "call"]) == 1 and timer.done == {0}
    assert timer.run(0) is True  # again: already done
    assert not timer.is_timed(True) and not timer.is_timed(0.0) and timer.is_timed(0)


def test_nothing_from_the_child_speaks_for_a_timed_call_or_carries_the_keepers_keys():
    out = io.BytesIO()
    timer = timing.Timer({3: layer_call(3)}, {3: "layer", 4: "g"}, io.BytesIO(), io.BytesIO(), out, wire.receive)
    timer.forward({"type": "call", "id": 3, "ok": True, "value": wire.pack(1)})  # forged: dropped
    timer.forward({"type": "call", "id": 4, "ok": True, "value": wire.pack(1),
                   **{key: 1 for key in timing.TRUSTED_KEYS}})
    timer.forward({"type": "cell", "label": "c", "error": None, "timing": {"took": 0}})
    timer.forward({"type": "ready", "id": 3})  # not passed on: the keeper's to answer
    timer.forward({"type": "call", "id": 3, "missing": True})  # the function is missing: that may come through
    timer.done.add(3)
    timer.forward({"type": "call", "id": 3, "missing": True})  # but not once the call is timed
    assert messages(out.getvalue()) == [
        {"type": "call", "id": 4, "ok": True, "value": wire.pack(1)},
        {"type": "cell", "label": "c", "error": None},
        {"type": "call", "id": 3, "missing": True}]


def test_an_answer_sent_as_blobs_is_made_plain_and_an_unreadable_one_is_said_so():
    blobs: list[bytes] = []
    value = wire.pack(INPUT, blobs)
    plain = timing._plain({"type": "call", "id": 1, "ok": True, "value": value, "blobs": blobs, "own_seconds": 1,
                           "timing": 1, "skipped": True})
    assert plain == {"type": "call", "id": 1, "ok": True, "value": wire.pack(INPUT)}
    assert timing._plain({"type": "call", "id": 1, "ok": True, "value": {"blob": 3}}) == {
        "type": "call", "id": 1, "ok": False, "unreadable": "malformed value"}
    assert timing._plain({"type": "call", "id": 1, "ok": False, "error": "E: e", "aborted": 1}) == {
        "type": "call", "id": 1, "ok": False, "error": "E: e"}


# -- the verdict ----------------------------------------------------------------------------------------------
PLACE = Place("layer", False, 1, 1, "x (3, 4)", "speed")
CASE = casefile.StoredCase("layer", kind="speed", tolerance=casefile.Tolerance(rtol=1e-6, atol=1e-9),
                     budget=casefile.Budget(tuple(BUDGET["calibration"]), BUDGET["factor"]))


def speed_verdict(message: dict, judged: Verdict = Verdict("layer", Outcome.PASSED, PLACE)) -> Verdict:
    call = Call(0, "layer", (INPUT,), {}, timing={**BUDGET, "runs": layer_call(0)["runs"]})
    return timing.verdict("layer", ["Z"], CASE, call, PLACE, message, lambda x: x * 2, judged)


def fastest(value, run: int = 1, took: float = 0.001, allowed: float = 0.01) -> dict:
    return {"timing": {"took": took, "allowed": allowed, "run": run},
            "fastest": {"ok": True, "value": wire.pack(value)}}


def test_the_fastest_answer_is_checked_on_its_own_runs_inputs_then_its_time():
    passed = Verdict("layer", Outcome.PASSED, PLACE)
    assert speed_verdict(fastest((INPUT + 2) * 2, run=1), passed) is passed
    wrong = speed_verdict(fastest((INPUT + 1) * 2, run=1))  # the answer of another run's inputs
    assert wrong.outcome == Outcome.WRONG_WHEN_TIMED and wrong.difference is not None
    slow = speed_verdict(fastest((INPUT + 1) * 2, run=0, took=0.02, allowed=0.01))
    assert slow.outcome == Outcome.TOO_SLOW and (slow.timing.took, slow.timing.allowed) == (0.02, 0.01)
    at = speed_verdict(fastest((INPUT + 1) * 2, run=0, took=0.01, allowed=0.01), passed)
    assert at is passed
    failed = Verdict("layer", Outcome.WRONG_VALUE, PLACE)
    assert speed_verdict({}, failed) is failed  # the untimed answer decided it


def test_the_fastest_answer_is_dropped_once_judged():
    message = fastest((INPUT + 2) * 2, run=1)
    speed_verdict(message)
    assert "fastest" not in message and "timing" in message


@pytest.mark.parametrize("message", [
    {}, {"timing": {"took": 1, "allowed": 1, "run": 9}, "fastest": {}},
    {"timing": {"took": "x", "allowed": 1, "run": 0}, "fastest": {}},
    {"timing": {"took": 1, "allowed": 1}, "fastest": {}}, {"timing": None, "fastest": {}},
    {"timing": {"took": 1, "allowed": 1, "run": 0}},
])
def test_a_timed_call_without_its_timing_was_not_timed(message):
    assert speed_verdict(message) == Verdict("layer", Outcome.DID_NOT_FINISH, PLACE, stop=Stop("not_timed"))


def test_a_fastest_answer_that_raised_is_too_large_or_unreadable_is_wrong_when_timed():
    base = {"timing": {"took": 0.001, "allowed": 0.01, "run": 0}}
    raised = speed_verdict({**base, "fastest": {"ok": False, "error_type": "ValueError", "error_message": "v"}})
    assert raised.outcome == Outcome.WRONG_WHEN_TIMED and raised.raised.type == "ValueError"
    large = speed_verdict({**base, "fastest": {"ok": False, "too_large": 900}})
    assert (large.outcome, large.difference.what, large.difference.size) == (Outcome.WRONG_WHEN_TIMED, "too_large", 900)
    for fastest_message in ({"ok": False, "unreadable": True}, "not a dict"):
        unreadable = speed_verdict({**base, "fastest": fastest_message})
        assert (unreadable.outcome, unreadable.difference.what) == (Outcome.WRONG_WHEN_TIMED, "unreadable")


# -- the call, made in the grader ------------------------------------------------------------------------------
def test_a_case_without_timed_runs_is_timed_on_new_nudged_copies_of_its_own_inputs():
    from autograder import speed

    call = timing.timed_call(4, "layer", CASE, (INPUT,), {"scale": 2.0})
    assert (call.id, call.function, call.args[0] is INPUT, call.kwargs) == (4, "layer", True, {"scale": 2.0})
    assert (call.timing["calibration"], call.timing["factor"]) == (BUDGET["calibration"], BUDGET["factor"])
    runs = call.timing["runs"]
    assert len(runs) == speed.ATTEMPTS and all(run["calibration"] == BUDGET["calibration"] for run in runs)
    inputs = [wire.unpack(run["args"])[0] for run in runs]
    assert all(wire.unpack(run["kwargs"]) == {"scale": 2.0} for run in runs)
    for index, value in enumerate(inputs):
        assert value.shape == INPUT.shape and np.allclose(value, INPUT, atol=0.1) and not np.array_equal(value, INPUT)
        assert not any(np.array_equal(value, other) for other in inputs[index + 1:])  # each run its own


def test_a_case_with_timed_runs_draws_each_of_its_shapes_with_its_own_calibration():
    from autograder import speed

    big = np.zeros((5, 6))
    case = dataclasses.replace(CASE, runs=(
        casefile.TimedRun(speed.template_of((big,)), speed.template_of({"n": 3}), (50, 5, 5)),
        casefile.TimedRun(speed.template_of((INPUT,)), speed.template_of({}), None)))
    first, second = timing.timed_call(0, "layer", case, (INPUT,), {}), timing.timed_call(0, "layer", case, (INPUT,), {})
    runs = first.timing["runs"]
    assert [run["calibration"] for run in runs] == [[50, 5, 5], BUDGET["calibration"]]
    assert wire.unpack(runs[0]["args"])[0].shape == (5, 6) and wire.unpack(runs[0]["kwargs"]) == {"n": 3}
    assert wire.unpack(runs[1]["args"])[0].shape == INPUT.shape
    drawn = [wire.unpack(run["args"])[0] for run in runs]
    assert not np.array_equal(drawn[1], INPUT) and abs(np.std(drawn[0]) - 1) < 0.6  # standard normal, not the case's
    again = [wire.unpack(run["args"])[0] for run in second.timing["runs"]]
    assert not np.array_equal(drawn[0], again[0])  # new values for every submission


def test_the_child_reports_how_long_each_run_took_by_its_own_clock():
    results, orders, blobs = io.BytesIO(), io.BytesIO(), []
    order = {"args": wire.pack((INPUT,), blobs), "kwargs": wire.pack({}, blobs)}
    wire.send(orders, order, blobs)
    wire.send(orders, {"stop": True})
    orders.seek(0)

    def layer(x):
        time.sleep(0.01)
        return x * 2
    timing.answer_timed_runs(cells.CellRunner(results, 10 ** 6), layer, 3, orders)
    ready, answer = messages(results.getvalue())
    assert ready == {"type": "ready", "id": 3}
    assert answer["id"] == 3 and answer["ok"] is True and 0.01 <= answer["own_seconds"] < 5


def test_a_skipped_call_tells_the_child_to_stop():
    out, orders = io.BytesIO(), io.BytesIO()
    timer = timing.Timer({0: layer_call(0)}, {0: "layer"}, io.BytesIO(), orders, out, wire.receive)
    timer.failed.add("layer")
    assert timer.run(0) is True
    assert messages(orders.getvalue()) == [{"stop": True}]
    assert messages(out.getvalue()) == [{"type": "call", "id": 0, "ok": False, "skipped": True}]


def test_a_child_gone_during_its_timed_call_ends_the_call():
    result_r, result_w = os.pipe()
    orders_r, orders_w = os.pipe()
    os.close(orders_r)  # the child is gone: both of its ends closed
    os.close(result_w)
    # unbuffered: nothing left to flush into the closed pipe when the test closes its end
    with os.fdopen(result_r, "rb") as results, os.fdopen(orders_w, "wb", buffering=0) as orders:
        timer = timing.Timer({0: layer_call(0)}, {0: "layer"}, results, orders, io.BytesIO(), wire.receive)
        assert timer.run(0) is False


def test_a_child_gone_after_taking_its_inputs_ends_the_call():
    result_r, result_w = os.pipe()
    orders_r, orders_w = os.pipe()
    os.close(result_w)  # it read nothing yet, and will never answer
    with os.fdopen(result_r, "rb") as results, os.fdopen(orders_w, "wb", buffering=0) as orders:
        timer = timing.Timer({0: layer_call(0)}, {0: "layer"}, results, orders, io.BytesIO(), wire.receive)
        assert timer.run(0) is False
    os.close(orders_r)


def test_a_skipped_call_whose_child_is_gone_ends_the_call():
    orders_r, orders_w = os.pipe()
    os.close(orders_r)
    with os.fdopen(orders_w, "wb", buffering=0) as orders:
        timer = timing.Timer({0: layer_call(0)}, {0: "layer"}, io.BytesIO(), orders, io.BytesIO(), wire.receive)
        timer.failed.add("layer")
        assert timer.run(0) is False


def test_the_fastest_timed_run_is_the_one_that_counts():
    took = iter([0.0, 0.1, 0.05])  # the untimed run, then two hopeless timed runs: the second is faster

    def layer(x):
        time.sleep(next(took))
        return x * 2
    sent, _ = timed(layer, [layer_call(0)])
    (message,) = [m for m in sent if m.get("type") == "call"]
    assert message["timing"]["run"] == 1 and message["timing"]["took"] < 0.09
    np.testing.assert_array_equal(wire.unpack(message["fastest"]["value"]), (INPUT + 2) * 2)


def test_a_forged_answer_for_another_call_is_not_taken_for_the_timed_one():
    held = {}

    def layer(x):
        held["runner"].send({"type": "call", "id": 99, "ok": True, "value": wire.pack(0)})  # learner code forging
        return x * 2

    class Runner(cells.CellRunner):
        def __init__(self, *args):
            super().__init__(*args)
            held["runner"] = self
    real = cells.CellRunner
    cells.CellRunner = Runner
    try:
        sent, _ = timed(layer, [layer_call(0, budget=ROOMY)])
    finally:
        cells.CellRunner = real
    calls = [m for m in sent if m.get("type") == "call"]
    assert [m["id"] for m in calls].count(99) >= 1  # passed on as the untimed message it claims to be
    (answer,) = [m for m in calls if m["id"] == 0]
    np.testing.assert_array_equal(wire.unpack(answer["value"]), INPUT * 2)
