"""The zygote (autograder.grading.zygote) and the jail it puts each job in (autograder.grading.jail), seen from
a job: what the sandbox's start command does, what a job's child holds, what its clean-up leaves alone, a timed
call through a real job. Each is a real sandbox job of a second or two."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import numpy as np
import pytest

from autograder import speed
from autograder.grading import jail, wire
from autograder.grading.sandbox import PACKAGE_DIR, Call, Limits, Sandbox

LIMITS = Limits(call_seconds=20.0, submission_seconds=60.0)
ISOLATE = [pytest.param(True, id="bubblewrap", marks=pytest.mark.skipif(shutil.which("bwrap") is None,
                                                                         reason="needs bubblewrap")),
           pytest.param(False, id="no_sandbox")]


def test_importing_the_zygote_starts_nothing():
    """The start command imports the module, then calls ``main`` once: the import alone starts no zygote (which
    would start a second one when the first ends)."""
    code = f"import sys; sys.path.insert(0, {str(PACKAGE_DIR.parent)!r}); import autograder.grading.zygote"
    done = subprocess.run([sys.executable, "-I", "-c", code], stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a job a user of its own")
@pytest.mark.parametrize("isolate", ISOLATE)
def test_as_root_a_job_has_a_user_of_its_own_also_without_bubblewrap(isolate):
    """Also where this Python sits behind a folder other users cannot enter (e.g. pyenv under /root, 0700): the
    zygote covers it in a mount namespace of its own (jail.reachable_python)."""
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        assert sandbox.start().own_user is True
        outcome = sandbox.run([("uid", "import os\n\ndef uid():\n    return os.getuid()\n")], [Call(0, "uid", (), {})])
    assert wire.unpack(outcome.results[0]["value"]) != 0


HOLDS = """
import os, stat

def pipe_ends():
    ends = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            if not stat.S_ISFIFO(os.fstat(int(fd)).st_mode):
                continue
            inode = os.fstat(int(fd)).st_ino
            with open(f"/proc/self/fdinfo/{fd}") as info:
                flags = int(next(line for line in info if line.startswith("flags:")).split()[1], 8)
        except OSError:
            continue
        ends.setdefault(inode, set()).add("write" if flags & os.O_WRONLY else "read")
    return sorted(sorted(found) for found in ends.values())
"""


@pytest.mark.parametrize("isolate", ISOLATE)
def test_a_jobs_child_holds_each_of_its_pipes_by_one_end_only(isolate):
    """The child writes its results and output, and reads its orders: it holds none of its keeper's ends (it
    could read back what it sent, or keep a pipe open that its keeper waits to see closed)."""
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        outcome = sandbox.run([("holds", HOLDS)], [Call(0, "pipe_ends", (), {})])
    ends = wire.unpack(outcome.results[0]["value"])
    assert ends and all(len(found) == 1 for found in ends), ends


LEAVES_A_PROCESS = """
import os, time

def leave():
    ready_r, ready_w = os.pipe()
    if os.fork() == 0:
        os.setsid()  # a session of its own, and (below) a parent that is gone: not the job's child any more
        if os.fork() == 0:
            os.write(ready_w, str(os.getpid()).encode())
            while True:
                time.sleep(1)
        os._exit(0)
    os.close(ready_w)
    pid = int(os.read(ready_r, 32))
    os.wait()
    return pid, alive(pid)

def alive(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line for line in status)
    except OSError:
        return False
"""


@pytest.mark.parametrize("isolate", ISOLATE)
def test_a_process_a_job_left_running_is_gone_before_the_next_job(isolate):
    """A job starts a process in a session of its own whose parent has ended; the next job in the same
    sandbox finds it gone (under bubblewrap, as root, the keeper finds it in /proc; without bubblewrap a process
    of the job's user kills every process of that user)."""
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        first = sandbox.run([("leaves", LEAVES_A_PROCESS)], [Call(0, "leave", (), {})])
        pid, alive_in_its_job = wire.unpack(first.results[0]["value"])
        after = sandbox.run([("leaves", LEAVES_A_PROCESS)], [Call(0, "alive", (pid,), {})])
    assert alive_in_its_job is True
    assert first.events == []  # ended by its clean-up, not by the sandbox killed at the time limit
    assert wire.unpack(after.results[0]["value"]) is False, pid


def test_without_bubblewrap_the_clean_up_leaves_what_others_put_in_tmp():
    """Without bubblewrap /tmp is the machine's: after a job, only what the job left goes (its working folder,
    its user's files), never a file another process made there while it ran."""
    name = f"/tmp/agother-{uuid.uuid4().hex[:8]}"
    waits = f"""
import os, time

def waits():
    deadline = time.monotonic() + 15
    while not os.path.exists({name!r}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.path.exists({name!r})
"""
    with Sandbox(LIMITS, isolate=False) as sandbox:
        sandbox.start()
        import threading

        def put() -> None:
            import time
            time.sleep(1.0)  # the job has started: its /tmp was listed before this file came
            with open(name, "w") as handle:
                handle.write("not the job's")

        writer = threading.Thread(target=put)
        writer.start()
        try:
            outcome = sandbox.run([("waits", waits)], [Call(0, "waits", (), {})])
        finally:
            writer.join()
    try:
        assert wire.unpack(outcome.results[0]["value"]) is True  # the job saw it come
        assert os.path.exists(name)
    finally:
        if os.path.exists(name):
            os.unlink(name)


def test_a_timed_call_through_a_real_job_is_timed_with_its_fastest_answer():
    x = np.arange(12.0).reshape(3, 4)
    runs = [{"args": wire.pack(args), "kwargs": wire.pack(kwargs)}
            for args, kwargs in speed.variants((x,), {}, speed.ATTEMPTS, seed=0)]
    timed = Call(0, "layer", (x,), {}, timing={"calibration": [9216, 9, 4], "factor": 400, "runs": runs})
    with Sandbox(LIMITS) as sandbox:
        outcome = sandbox.run([("layer", "def layer(x):\n    return 2 * x\n")], [timed, Call(1, "layer", (x,), {})])
    answer = outcome.results[0]
    assert answer["ok"] is True and np.allclose(wire.unpack(answer["value"]), 2 * x)
    assert set(answer["timing"]) == {"took", "allowed", "run"} and 0 < answer["timing"]["took"]
    assert answer["fastest"]["ok"] is True
    assert "timing" not in outcome.results[1] and np.allclose(wire.unpack(outcome.results[1]["value"]), 2 * x)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("bwrap") is None, reason="needs root and bubblewrap")
def test_root_that_cannot_mount_gives_jobs_no_user_of_their_own_and_says_so():
    """Root without CAP_SYS_ADMIN (a container that drops it) cannot cover a Python behind a closed folder: the jobs
    then run without users of their own (jail.reachable_python is False); the zygote still starts."""
    code = ("import os, sys; sys.path.insert(0, sys.argv[1]); from autograder.grading import jail; "
            "print(os.geteuid(), jail.reachable_python())")
    done = subprocess.run(["bwrap", "--dev-bind", "/", "/", "--cap-drop", "ALL", "--", sys.executable, "-c", code,
                           str(PACKAGE_DIR.parent)], capture_output=True, text=True, timeout=60)
    blocked = any(jail._blocked(folder) for folder in jail._python_folders())  # here: a pyenv under /root
    assert (done.returncode, done.stdout.split()) == (0, ["0", "False" if blocked else "True"]), done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a job a user of its own")
def test_without_bubblewrap_what_a_job_left_in_tmp_is_gone_after_it():
    """Without bubblewrap /tmp is the machine's: a job under a user of its own leaves files and a folder it
    closed (mode 0) there; its clean-up removes every one of them (they are its user's)."""
    tag = uuid.uuid4().hex[:8]
    leaves = f"""
import os

def leaves():
    os.makedirs("/tmp/agleft-{tag}/inner")
    open("/tmp/agleft-{tag}/inner/file", "w").close()
    os.chmod("/tmp/agleft-{tag}/inner", 0)
    open("/tmp/agleft-{tag}.txt", "w").close()
    return os.getuid()
"""
    with Sandbox(LIMITS, isolate=False) as sandbox:
        outcome = sandbox.run([("leaves", leaves)], [Call(0, "leaves", (), {})])
    try:
        assert wire.unpack(outcome.results[0]["value"]) != 0
        assert [name for name in os.listdir("/tmp") if tag in name] == []
    finally:
        for name in os.listdir("/tmp"):
            if tag in name:
                subprocess.run(["rm", "-rf", f"/tmp/{name}"], check=False)


@pytest.mark.parametrize("isolate", ISOLATE)
def test_a_jobs_output_is_kept_to_its_first_64_kib_in_bytes(isolate):
    """Printed in two parts (the second in three-byte characters): what is kept is the first 64 KiB of bytes,
    whatever arrived first."""
    prints = """
import sys, time

def prints():
    sys.stdout.write("a" * 30000)
    sys.stdout.flush()
    time.sleep(0.5)
    sys.stdout.write("\\u6c49" * 100000)
    sys.stdout.flush()
    return 1
"""
    with Sandbox(LIMITS, isolate=isolate) as sandbox:
        outcome = sandbox.run([("prints", prints)], [Call(0, "prints", (), {})])
    assert outcome.output.startswith("a" * 30000) and "\u6c49" in outcome.output
    assert len(outcome.output.encode()) <= 64 * 1024 + 3  # a character cut at the end reads as one replacement
    assert outcome.output_bytes == 30000 + 3 * 100000


def test_a_keeper_reads_every_byte_of_its_job_across_short_reads():
    """A pipe may hand over a job in pieces: the keeper waits for the last byte (and reads no byte further)."""
    import threading

    from autograder.grading.zygote import _Exact

    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"abc")
        late = threading.Timer(0.1, os.write, (write_end, b"de"))
        late.start()
        assert _Exact(read_end).read(4) == b"abcd"
        late.join()
        assert os.read(read_end, 10) == b"e"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_jobs_values_together_are_capped_by_their_size_as_sent():
    """Once a job's values add up to more than its total, each further value is replaced by its size."""
    import io

    from autograder.grading.zygote import _Results

    stream = io.BytesIO()
    for number in (1, 2):
        wire.send(stream, {"type": "call", "id": number, "ok": True, "value": "x" * 60})
    stream.seek(0)
    results = _Results(stream, 1 << 20, 100)
    assert results.receive()["value"] == "x" * 60  # 60 of 100
    assert results.receive() == {"type": "call", "id": 2, "ok": False, "too_large": 60}  # 120: over
