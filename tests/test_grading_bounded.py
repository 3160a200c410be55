"""What a job sends back is bounded: no answer, timed or not, can grow the sandbox or the grader.

The zygote runs as root with no memory limit of its own, and the grader
outlives every job: a learner's answers must not make either grow. In a real
sandbox (bubblewrap where it is installed):

- a call, timed or not, that answers with 100 MB arrays is answered "too
  large" (with its size), and the zygote's memory never grew meanwhile (it
  never reads a job: each job's keeper, which holds at most a few answers of
  the capped size, ends with its job);
- a job that writes a message of 200 MB into its results pipe itself, past
  the cap, gets no answer for its call, and the grader's own memory does not
  grow by anything near that;
- the values of all of a job's answers together are capped too: past the cap,
  each answer is its size.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest

from autograder import speed
from autograder.grading import answers, wire
from autograder.grading.processes import descendants, processes
from autograder.grading.sandbox import Call, Limits, Sandbox

LIMITS = Limits(call_seconds=20.0, submission_seconds=60.0, memory_bytes=3 * 2**30)
INPUT = np.arange(12.0).reshape(3, 4)
HUGE = "import numpy as np\n\ndef layer(x):\n    return np.ones(100 * 2**20 // 8) + x.sum()\n"
MiB = 2**20


def timed_call(id: int = 0) -> Call:
    runs = [{"args": wire.pack(args), "kwargs": wire.pack(kwargs)}
            for args, kwargs in speed.variants((INPUT,), {}, speed.ATTEMPTS, seed=id)]
    return Call(id, "layer", (INPUT,), {}, timing={"calibration": [9216, 9, 4], "factor": 400, "runs": runs})


def peak_of(pid: int) -> int:
    """The most resident memory process ``pid`` has ever held (VmHWM), in bytes."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))


def _runs_zygote_code(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"autograder.grading.zygote" in cmdline.read()
    except OSError:
        return False


def zygote_of(sandbox: Sandbox) -> int:
    """The zygote's pid: in the sandbox's tree, the process of the zygote's code whose parent is not (a keeper,
    a fork of the zygote's, has the same command line)."""
    table = processes()
    for pid in [sandbox._process.pid, *descendants(table, sandbox._process.pid)]:
        if _runs_zygote_code(pid) and not _runs_zygote_code(table[pid]["ppid"]):
            return pid
    raise AssertionError("no zygote in the sandbox's tree")


class Peak:
    """The largest resident memory of this process while the block ran."""

    def __enter__(self) -> "Peak":
        self.before, self.peak, self.done = resident_self(), 0, threading.Event()
        self.peak = self.before
        self.watcher = threading.Thread(target=self._watch)
        self.watcher.start()
        return self

    def _watch(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, resident_self())

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.watcher.join()

    @property
    def growth(self) -> int:
        return self.peak - self.before


def resident_self() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as box:
        box.start()
        yield box


def test_an_answer_of_100_mb_is_too_large_and_the_zygote_does_not_grow(sandbox):
    sandbox.run([("layer", "def layer(x):\n    return x\n")], [Call(0, "layer", (INPUT,), {})])  # warm
    zygote = zygote_of(sandbox)
    before = peak_of(zygote)
    outcome = sandbox.run([("layer", HUGE)], [Call(0, "layer", (INPUT,), {}), timed_call(1)])
    untimed, timed = (answers.read(outcome.results[i]) for i in (0, 1))
    assert untimed.too_large and untimed.too_large >= 100 * MiB
    assert timed.too_large and timed.too_large >= 100 * MiB  # its first, untimed run: no timed run follows
    assert peak_of(zygote) - before < 8 * MiB
    assert zygote_of(sandbox) == zygote  # the same zygote: it was not restarted


def test_a_timed_run_that_answers_100_mb_only_when_timed_is_too_large(sandbox):
    """Right and small on the case's own inputs, 100 MB on every timed run: the run that counts is too large."""
    sneaky = "import numpy as np\n\ndef layer(x):\n    if x[0, 0] == 0:\n        return x * 2\n" \
             "    return np.ones(100 * 2**20 // 8)\n"
    zygote = zygote_of(sandbox)
    before = peak_of(zygote)
    outcome = sandbox.run([("layer", sneaky)], [timed_call()])
    message = outcome.results[0]
    assert answers.read(message).ok and message["fastest"]["too_large"] >= 100 * MiB
    assert peak_of(zygote) - before < 8 * MiB


def test_a_message_past_the_cap_written_by_the_job_itself_is_not_read(sandbox):
    """200 MB announced and written into the results pipe (found as learner code finds it): the keeper stops
    reading at the header; the call gets no answer; the grader's memory does not grow by anything near it."""
    writer = """
import gc, io, os, struct

def layer(x):
    for stream in gc.get_objects():
        if isinstance(stream, io.BufferedWriter) and not stream.closed and stream.fileno() not in (1, 2):
            if os.fstat(stream.fileno()).st_mode & 0o170000 == 0o010000:
                stream.write(struct.pack(">Q", 200 * 2**20))
                chunk = b"x" * 2**20
                for _ in range(200):
                    stream.write(chunk)
                stream.flush()
    return x
"""
    zygote = zygote_of(sandbox)
    before = peak_of(zygote)
    with Peak() as peak:
        outcome = sandbox.run([("layer", writer)], [Call(0, "layer", (INPUT,), {})])
    assert not answers.read(outcome.results.get(0)).ok
    assert peak.growth < 64 * MiB, peak.growth // MiB
    if sandbox._process is not None and zygote_of(sandbox) == zygote:  # (a garbled stream ends the sandbox)
        assert peak_of(zygote) - before < 8 * MiB


def test_the_values_of_a_jobs_answers_together_are_capped():
    """Twelve answers of 8 MB each, under the cap of one answer: past 64 MiB in all, each is its size only."""
    code = "import numpy as np\n\ndef layer(x):\n    return np.full(2**20, x.sum())\n"
    limits = Limits(call_seconds=20.0, submission_seconds=60.0, answer_bytes=16 * MiB, answers_bytes=64 * MiB)
    with Sandbox(limits) as box:
        outcome = box.run([("layer", code)], [Call(i, "layer", (INPUT,), {}) for i in range(12)])
    read = [answers.read(outcome.results[i]) for i in range(12)]
    assert read[0].ok and read[1].ok  # the first ones, under the cap of the job
    assert read[-1].too_large and not read[-1].ok
