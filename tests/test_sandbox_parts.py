"""The sandbox (autograder.grading.sandbox) around its zygote: one zygote for many submissions, a start that
fails said as such, the layout a job sees, what a submission that runs out of time or loses a cell gets back."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from autograder.grading import wire
from autograder.grading.bounds import MAX_CELL_ERRORS
from autograder.grading.sandbox import PACKAGE_DIR, Call, Limits, Outcome, Sandbox, SandboxError

LIMITS = Limits(call_seconds=20.0, submission_seconds=60.0)
NEEDS_BWRAP = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")
ONE = ("one", "def one():\n    return 1\n")


@pytest.mark.parametrize("isolate", [pytest.param(True, marks=NEEDS_BWRAP, id="bubblewrap"),
                                     pytest.param(False, id="no_sandbox")])
def test_one_zygote_serves_one_submission_after_another(isolate):
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        first = sandbox.run([ONE], [Call(0, "one", (), {})])
        zygote = sandbox._process.pid
        second = sandbox.run([ONE], [Call(0, "one", (), {})])
        assert sandbox._process.pid == zygote
    assert wire.unpack(first.results[0]["value"]) == wire.unpack(second.results[0]["value"]) == 1


def test_a_zygote_that_ends_before_it_is_ready_is_said_so_with_its_status():
    sandbox = Sandbox(LIMITS, isolate=False, preload=("tests.fixtures.zygote.ends_on_import",))
    with pytest.raises(SandboxError) as failed:
        sandbox.start()
    sandbox.close()
    assert (failed.value.key, failed.value.values["status"]) == ("sandbox.ended", 7)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("bwrap") is None, reason="needs root and bubblewrap")
def test_bubblewrap_that_cannot_make_its_namespaces_is_said_so_with_its_own_words():
    """Root without the capabilities (a container that drops them): bubblewrap fails, and says why."""
    code = ("import shutil, sys; sys.path.insert(0, sys.argv[1]); "
            "from autograder.grading.sandbox import Sandbox, SandboxError; "
            "sandbox = Sandbox(); sandbox.bwrap = shutil.which('bwrap')\n"
            "try:\n    sandbox.start()\nexcept SandboxError as error:\n"
            "    print(error.key); print(error.values['stderr'])")
    done = subprocess.run(["bwrap", "--dev-bind", "/", "/", "--cap-drop", "ALL", "--", sys.executable, "-c", code,
                           str(PACKAGE_DIR.parent)], capture_output=True, text=True, timeout=120)
    key, stderr = done.stdout.split("\n", 1)
    assert key == "sandbox.bwrap_failed" and "bwrap: " in stderr and "namespace" in stderr, done


@NEEDS_BWRAP
def test_a_job_sees_the_machines_links_as_links():
    """/bin, /lib, ... are links on a merged-/usr system: the sandbox makes the same links, not copies of them."""
    links = {name: os.readlink(f"/{name}") for name in ("bin", "lib", "lib64", "sbin") if os.path.islink(f"/{name}")}
    reads = ("import os\n\ndef links():\n"
             f"    return {{n: os.readlink('/' + n) for n in {sorted(links)!r} if os.path.islink('/' + n)}}\n")
    with Sandbox(LIMITS) as sandbox:
        outcome = sandbox.run([("links", reads)], [Call(0, "links", (), {})])
    assert wire.unpack(outcome.results[0]["value"]) == links


def test_calls_left_when_the_submission_runs_out_of_time_are_aborted_with_why():
    sleeps = "import time\n\ndef sleeps():\n    time.sleep(30)\n"
    with Sandbox(Limits(call_seconds=20.0, submission_seconds=2.0), isolate=False) as sandbox:
        outcome = sandbox.run([("sleeps", sleeps)], [Call(0, "sleeps", (), {}), Call(1, "sleeps", (), {})])
    for id in (0, 1):
        assert outcome.results[id] == {"type": "call", "id": id, "ok": False, "aborted": True,
                                       "stop": {"reason": "submission_timeout", "seconds": 2.0}}


def test_a_cell_that_ends_its_process_is_left_out_and_the_calls_run_without_it():
    exits = "import os\nos._exit(3)\n"
    with Sandbox(LIMITS, isolate=False) as sandbox:
        outcome = sandbox.run([("exits", exits), ONE], [Call(0, "one", (), {})])
    assert outcome.cell_errors == {"exits": {"stop": {"reason": "exited", "status": 3}}}
    assert outcome.results[0]["ok"] is True and wire.unpack(outcome.results[0]["value"]) == 1


def test_the_errors_of_the_releases_cells_are_all_kept_and_do_not_count_against_added_cells():
    outcome = Outcome()
    for index in range(MAX_CELL_ERRORS + 2):
        outcome.cell_error(f"release-{index}", {"stop": {"reason": "exited"}}, keep=True)
    for index in range(MAX_CELL_ERRORS + 3):
        outcome.cell_error(f"added-{index}", {"stop": {"reason": "exited"}}, keep=False)
    outcome.cell_error("added-0", {"stop": {"reason": "again"}}, keep=False)  # the same cell again: kept
    assert len(outcome.cell_errors) == 2 * MAX_CELL_ERRORS + 2 and outcome.cell_errors_left_out == 3
    assert outcome.cell_errors["added-0"] == {"stop": {"reason": "again"}}


@pytest.mark.parametrize("isolate", [pytest.param(True, marks=NEEDS_BWRAP, id="bubblewrap"),
                                     pytest.param(False, id="no_sandbox")])
def test_the_sandbox_says_whether_bubblewrap_is_around_its_jobs(isolate):
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        assert sandbox.start().bubblewrap is isolate


def test_the_first_cell_has_three_times_a_calls_time():
    """The first cell's time also covers the job's start (a fork, its limits, the first imports)."""
    slow = "import time\ntime.sleep(1.5)\n"
    with Sandbox(Limits(call_seconds=1.0, submission_seconds=60.0), isolate=False) as sandbox:
        outcome = sandbox.run([("slow", slow), ONE], [Call(0, "one", (), {})])
    assert outcome.cell_errors == {} and wire.unpack(outcome.results[0]["value"]) == 1


def test_a_cell_or_a_call_out_of_time_is_stopped_and_the_rest_runs_in_a_fresh_job():
    """Its process is killed (a job left hanging would hold the zygote); the calls left run again without it."""
    hangs = "import time\n\ndef hangs():\n    time.sleep(60)\n"
    with Sandbox(Limits(call_seconds=1.0, submission_seconds=60.0), isolate=False) as sandbox:
        outcome = sandbox.run([("hangs", hangs), ONE], [Call(0, "hangs", (), {}), Call(1, "one", (), {})])
        cell = sandbox.run([("hangs", "import time\ntime.sleep(60)\n"), ONE], [Call(0, "one", (), {})])
    assert outcome.results[0]["stop"] == {"reason": "call_timeout", "seconds": 1.0}
    assert wire.unpack(outcome.results[1]["value"]) == 1
    assert cell.cell_errors == {"hangs": {"stop": {"reason": "call_timeout", "seconds": 1.0}}}
    assert wire.unpack(cell.results[0]["value"]) == 1


def test_a_call_that_ends_its_process_costs_its_function_and_the_zygote_goes_on():
    ends = "import os\n\ndef ends():\n    os._exit(3)\n"
    with Sandbox(LIMITS, isolate=False) as sandbox:
        sandbox.start()
        zygote = sandbox._process.pid
        outcome = sandbox.run([("ends", ends), ONE], [Call(0, "ends", (), {}), Call(1, "one", (), {})])
        assert sandbox._process is not None and sandbox._process.pid == zygote  # the job ended, not the zygote
    assert outcome.results[0]["stop"] == {"reason": "exited", "status": 3}
    assert wire.unpack(outcome.results[1]["value"]) == 1
