"""How a call that does not answer ends, as the sandbox reports it (autograder.grading.sandbox), for real.

A process that exits is "exited" with its own exit status; the other calls
of the job still run, in a fresh child.
"""
from __future__ import annotations

import pytest

from autograder.grading import wire
from autograder.grading.sandbox import Call, Limits, Sandbox, bubblewrap

CODE = """
import os

def leaves(status):
    os._exit(status)

def double(x):
    return 2 * x
"""


@pytest.mark.parametrize("isolate", [True, False], ids=["bubblewrap", "no_sandbox"])
@pytest.mark.parametrize("status", [3, 0])
def test_a_call_that_ends_its_process_is_exited_with_its_status(isolate, status):
    if isolate and bubblewrap() is None:
        pytest.skip("needs bubblewrap")
    with Sandbox(Limits(call_seconds=30, submission_seconds=60), isolate=isolate) as sandbox:
        outcome = sandbox.run([("cell", CODE)], [Call(0, "double", (2,), {}), Call(1, "leaves", (status,), {}),
                                                 Call(2, "double", (5,), {})])
    assert wire.unpack(outcome.results[0]["value"]) == 4 and wire.unpack(outcome.results[2]["value"]) == 10
    assert outcome.results[1]["stop"] == {"reason": "exited", "status": status}
    assert outcome.events == [{"key": "problem.stopped", "stop": {"reason": "exited", "status": status},
                               "function": "leaves"}]


def test_an_answer_within_its_cap_comes_back_whole_though_larger_than_the_messages_margin():
    """The sandbox reads a job's messages up to two answers' cap (a timed call holds two) plus a margin: a 4 MiB
    array, far under the 16 MiB cap and over the 1 MiB margin, is an answer like any other."""
    import numpy as np

    with Sandbox(Limits(call_seconds=30, submission_seconds=60), isolate=False) as sandbox:
        outcome = sandbox.run([("cell", CODE)], [Call(0, "double", (np.ones(512 * 1024),), {})])
    value = wire.unpack(outcome.results[0]["value"])
    assert value.shape == (512 * 1024,) and bool((value == 2).all())


def test_a_call_that_never_answers_is_stopped_at_the_call_limit_and_says_that_limit():
    code = "def hang():\n    while True:\n        pass\n"
    with Sandbox(Limits(call_seconds=0.5, submission_seconds=30), isolate=False) as sandbox:
        outcome = sandbox.run([("cell", code)], [Call(0, "hang", (), {})])
    assert outcome.results[0]["stop"] == {"reason": "call_timeout", "seconds": 0.5}


def test_a_reader_that_meets_a_garbled_stream_says_so_and_ends_it():
    """Whatever stops the reading of the zygote's messages is said as a garbled message, then the end: a reader
    that died silently would leave the call waiting for its timeout."""
    import io
    import queue

    messages: queue.Queue = queue.Queue()
    Sandbox._read(io.BytesIO(b"\xff" * 64), messages, 1 << 20)
    said = messages.get_nowait()
    assert said["type"] == "garbled" and said["error"]
    assert messages.get_nowait() is None
