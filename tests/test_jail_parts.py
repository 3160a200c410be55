"""The jail's parts, each on its own, in this process or a forked child (the whole jail in the real sandbox:
tests/test_grading_adversarial.py, tests/test_sandbox_*.py, minutes): ``make mutation`` runs these first.

- the CPU accounting of a timed run: the job's processes' CPU between two readings, and no figure at all
  when a process came, went or reaped a child meanwhile;
- limits lowered as asked, the job's own processes on top of what its user already runs;
- a folder other users cannot pass is found on the way to a path;
- what a job leaves in /tmp is removed, also folders it closed, never through a link;
- a job's processes are killed when together they hold more memory than the limit.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.grading import jail


def test_the_cpu_spent_is_the_sum_over_the_same_processes():
    before = {1: (1.0, 5), 2: (2.0, 0)}
    after = {1: (1.5, 5), 2: (2.25, 0)}
    assert jail.cpu_spent(before, after) == pytest.approx(0.75)
    assert jail.cpu_spent(before, before) == 0.0


@pytest.mark.parametrize("before, after", [
    (None, {1: (1.0, 0)}), ({1: (1.0, 0)}, None), (None, None),
    ({1: (1.0, 0)}, {1: (1.0, 0), 2: (0.0, 0)}),  # a process came
    ({1: (1.0, 0), 2: (0.0, 0)}, {1: (2.0, 0)}),  # a process went
    ({1: (1.0, 0), 2: (1.0, 3)}, {1: (2.0, 0), 2: (2.0, 4)}),  # one reaped a child: its CPU time came with it
])
def test_no_cpu_figure_when_the_processes_changed(before, after):
    assert jail.cpu_spent(before, after) is None


def test_a_processes_cpu_clock_and_reaped_time_are_read_from_the_kernel():
    own = time.clock_gettime(jail._cpu_clock(os.getpid()))
    assert abs(own - time.process_time()) < 0.5
    assert jail._cpu_clock(5) == ((~5) << 3) | 2
    reaped = jail._reaped(os.getpid())
    assert isinstance(reaped, int) and reaped >= 0
    subprocess.run([sys.executable, "-c", "x = sum(range(3_000_000))"], check=True)
    assert jail._reaped(os.getpid()) >= reaped  # a child waited for: its ticks, from field 14 and 15 of stat
    assert jail._reaped(2 ** 22 + 12345) is None  # no such process


def test_job_cpu_reads_every_process_of_the_job():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.2)
        found = jail.job_cpu(None)  # every descendant of this process
        assert child.pid in found
        seconds, reaped = found[child.pid]
        assert seconds >= 0 and reaped == 0
        assert jail.job_cpu(2 ** 31 - 7) == {}  # a user with no process: nothing, not "cannot be read"
    finally:
        child.kill()
        child.wait()


def in_child(function) -> int:
    """Run ``function`` in a forked child; its exit status (0: it returned)."""
    pid = os.fork()
    if pid == 0:
        try:
            function()
            os._exit(0)
        except BaseException:
            os._exit(1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_limits_are_lowered_as_asked_the_processes_on_top_of_the_users_own():
    UNSTEADY = 3  # the user's tasks changed while the limits were set: other processes came or went, try again

    def check() -> None:
        tasks = jail.tasks_of(os.getuid())
        jail.apply_limits({"memory_bytes": 2 ** 33, "cpu_seconds": 50, "file_bytes": 2 ** 20, "processes": 7,
                           "open_files": 64})
        if jail.tasks_of(os.getuid()) != tasks:
            os._exit(UNSTEADY)
        assert resource.getrlimit(resource.RLIMIT_AS) == (2 ** 33, 2 ** 33)
        assert resource.getrlimit(resource.RLIMIT_CPU) == (50, 50)
        assert resource.getrlimit(resource.RLIMIT_FSIZE) == (2 ** 20, 2 ** 20)
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (64, 64)
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
        # the tasks already counted (this one excepted, as the limit counts the job's own)
        assert resource.getrlimit(resource.RLIMIT_NPROC)[0] == 7 + tasks - 1
        assert tasks > 5  # so that "on top" is seen: more than the limit itself

    # a steady reading is needed (the suite runs other tests beside this one, under the same user); six
    # processes of this user's own make sure there are tasks to count, for root and for a normal user alike
    others = [subprocess.Popen(["sleep", "60"]) for _ in range(6)]
    try:
        outcomes = [in_child(check) for _ in range(40)]
    finally:
        for process in others:
            process.kill()
            process.wait()
    steady = [outcome for outcome in outcomes if outcome != UNSTEADY]
    # Other processes of this user (on a shared machine, every one of root's) may also come and go between
    # the two countings and the one apply_limits makes, leaving the same number either side: then one
    # reading is off, now and then. A wrong count is off every time: most steady readings must be right.
    assert steady and steady.count(0) > len(steady) / 2, outcomes

    def only_some() -> None:
        before = resource.getrlimit(resource.RLIMIT_NOFILE)
        jail.apply_limits({"cpu_seconds": 60})
        assert resource.getrlimit(resource.RLIMIT_CPU) == (60, 60)
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == before
    assert in_child(only_some) == 0


def test_the_first_folder_other_users_cannot_pass_is_found():
    import tempfile

    with tempfile.TemporaryDirectory(dir="/tmp") as top:  # not under pytest's folder of mode 0700
        base = Path(top)
        base.chmod(0o755)
        closed = base / "open" / "closed"
        inner = closed / "inner"
        inner.mkdir(parents=True)
        closed.chmod(0o750)
        try:
            assert jail._blocked(str(inner)) == str(closed)
            assert jail._blocked(str(closed)) == str(closed)
            assert jail._blocked(str(base / "open")) is None
            (base / "open").chmod(0o700)
            assert jail._blocked(str(inner)) == str(base / "open")  # the first on the way
            (base / "open").chmod(0o755)
            closed.chmod(0o751)  # others may pass through, not list
            assert jail._blocked(str(inner)) is None
            assert jail._blocked(str(base / "not" / "there")) is None
        finally:
            closed.chmod(0o755)
    assert jail._blocked("/usr/bin") is None and jail._blocked("/") is None


def test_what_a_job_left_is_removed_also_closed_folders_and_never_through_a_link(tmp_path):
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "file").write_text("keep me")
    left = tmp_path / "left"
    (left / "a" / "b").mkdir(parents=True)
    (left / "a" / "b" / "file").write_text("x")
    os.symlink(kept, left / "a" / "link")
    (left / "a").chmod(0)
    jail._remove_tree(str(left))
    assert not left.exists() and (kept / "file").read_text() == "keep me"
    lone = tmp_path / "lone"
    lone.write_text("x")
    jail._remove_tree(str(lone))
    assert not lone.exists()
    link = tmp_path / "link"
    os.symlink(kept, link)
    jail._remove_tree(str(link))
    assert not link.exists() and (kept / "file").exists()
    jail._remove_tree(str(tmp_path / "nothing"))  # gone already: nothing to do


def test_a_job_over_its_memory_is_killed_and_one_under_it_is_not():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.2)
        total, pids = jail.job_processes(None)
        assert child.pid in pids and total > 0
        stop, over = threading.Event(), []
        watcher = threading.Thread(target=jail.watch_memory, args=(None, total * 100, stop, over))
        watcher.start()
        time.sleep(3 * jail.MEMORY_POLL)
        assert child.poll() is None and over == []
        stop.set()
        watcher.join()
        stop, over = threading.Event(), []
        watcher = threading.Thread(target=jail.watch_memory, args=(None, total // 2, stop, over))
        watcher.start()
        assert child.wait(10) == -signal.SIGKILL and over and over[0] > total // 2
        stop.set()
        watcher.join()
    finally:
        child.kill()
        child.wait()
