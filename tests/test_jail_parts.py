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

import ctypes
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


def test_a_user_with_no_other_process_gets_exactly_the_processes_asked():
    """The job's own process is not counted twice: a user with that one task alone gets the limit as asked."""
    if os.geteuid() != 0:
        pytest.skip("needs root: the check becomes a user that runs nothing else")
    uid = next(uid for uid in range(61000, 62000) if jail.tasks_of(uid) == 0)

    def check() -> None:
        os.setgid(uid)
        os.setuid(uid)
        jail.apply_limits({"processes": 3})
        assert jail.tasks_of(uid) == 1
        assert resource.getrlimit(resource.RLIMIT_NPROC) == (3, 3)
    assert in_child(check) == 0


def test_system_v_objects_of_every_kind_are_removed():
    libc = ctypes.CDLL(None, use_errno=True)
    IPC_PRIVATE, IPC_CREAT = 0, 0o1000

    def check() -> None:
        jail.fresh_ipc_namespace()  # as root, none of the machine's objects are in sight (else they are left)
        made = {("shm", libc.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600)),
                ("sem", libc.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600)),
                ("msg", libc.msgget(IPC_PRIVATE, IPC_CREAT | 0o600))}
        try:
            assert all(number >= 0 for _, number in made)
            assert made <= jail.ipc_objects()
            jail.remove_ipc(made)
            assert not made & jail.ipc_objects()
        finally:
            for kind, number in made & jail.ipc_objects():
                libc.semctl(number, 0, 0) if kind == "sem" else getattr(libc, jail.IPC_KINDS[kind])(number, 0, None)
    assert in_child(check) == 0


def test_orphans_handed_to_the_subreaper_are_all_reaped():
    def check() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(jail.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        middle = os.fork()
        if middle == 0:  # three children that outlive their parent, exit 0, and become this process's
            for _ in range(3):
                if os.fork() == 0:
                    time.sleep(0.2)
                    os._exit(0)
            os._exit(0)
        os.waitpid(middle, 0)
        deadline = time.monotonic() + 30
        while len(zombie_children()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(zombie_children()) == 3
        jail.reap_orphans()
        with pytest.raises(ChildProcessError):  # no child left, not even one that exited
            os.waitpid(-1, os.WNOHANG)
    assert in_child(check) == 0


def zombie_children() -> list[int]:
    """The pids of this process's children that exited and were not waited for."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            found.append(int(entry.name))
    return found


ARENA_PROBE = """
import ctypes, sys, threading
from autograder.grading import jail
if sys.argv[1] == "jail":
    jail.Jail.set_up()

def vm_kib():
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmSize:")).split()[1])

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
threading.stack_size(256 * 1024)
ready, done = threading.Barrier(5), threading.Event()

def allocate():
    libc.malloc(512)  # a thread's first malloc takes an arena: a new one (64 MiB of address space) if allowed
    ready.wait()
    done.wait()

before = vm_kib()
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
ready.wait()
print(vm_kib() - before)
done.set()
"""


def test_the_jobs_threads_share_one_malloc_arena():
    """Each thread of a keeper would otherwise reserve an arena of its own, 64 MiB of address space that counts
    against the job's memory limit."""
    def growth_mib(mode: str) -> float:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        done = subprocess.run([sys.executable, "-c", ARENA_PROBE, mode], capture_output=True, text=True,
                              env=env, cwd=Path(__file__).resolve().parent.parent, timeout=120)
        assert done.returncode == 0, done.stderr
        return int(done.stdout) / 1024

    without = growth_mib("plain")
    if without < 64:
        pytest.skip(f"this C library gives new threads no arena of their own ({without:.0f} MiB for four)")
    assert growth_mib("jail") < 32  # four threads' stacks (256 KiB each) and their first blocks, no arena


def test_the_reaped_time_is_the_user_and_the_system_time_of_the_children_waited_for():
    def check() -> None:  # a fresh child: nothing reaped yet; then one that spends system time (and user time)
        subprocess.run(["dd", "if=/dev/zero", "of=/dev/null", "bs=1M", "count=4000"], check=True,
                       capture_output=True)
        tick, spent = os.sysconf("SC_CLK_TCK"), os.times()
        system = round(spent.children_system * tick)
        assert system > 0
        assert jail._reaped(os.getpid()) == round(spent.children_user * tick) + system
    assert in_child(check) == 0


def test_without_a_user_or_a_private_tmp_the_jobs_working_folder_goes(monkeypatch):
    monkeypatch.delenv(jail.PRIVATE_TMP, raising=False)

    def check() -> None:
        job_pid = 2 ** 22 + os.getpid()  # no such process: only the folder's name holds it
        folder = Path("/tmp") / f"job-{os.getuid()}-{job_pid}"
        folder.mkdir()
        (folder / "answers.txt").write_text("the last student's")
        try:
            jail.clean_up(None, job_pid, set(os.listdir("/tmp")))
            assert not folder.exists()
        finally:
            jail._remove_tree(str(folder))
    assert in_child(check) == 0
