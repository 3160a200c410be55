"""The jail around one job inside the sandbox: its user, limits, IPC, memory watchdog and clean-up.

Used by :mod:`.zygote` (inside the sandbox). Before a job's child runs any
learner code, :meth:`Jail.lock_in` makes it

- a session of its own, whose output goes to a pipe that is drained and capped;
- the owner of System V IPC objects of its own (a new IPC namespace, where the
  sandbox allows it: as root), every one of which is removed when the job ends
  (:func:`remove_ipc`), so that shared memory or a message queue left by one job
  cannot reach the next;
- an unprivileged user of its own (when the sandbox runs as root), so that it
  cannot signal or read the processes that run it, read other jobs' files, or
  outlive its job;
- a process with lowered resource limits (memory, CPU time, processes, file
  size, files), whose processes together are held to the memory limit by
  :func:`watch_memory`;
- at work in a private temporary folder.

After the job, :func:`clean_up` kills whatever it left running and removes what
it left in ``/tmp``. :func:`Jail.set_up` runs once, when the zygote starts: it
makes the zygote a *child subreaper* (a process a job starts stays in sight,
also when it leaves the job's session and its parent dies), keeps it and its
copies from being read by another process (not dumpable), and decides whether
jobs can have users of their own (:func:`reachable_python`).

Only the standard library, :mod:`.processes` and :mod:`.wire`: this runs before any learner code.
"""
from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass

from .processes import descendants, kill_descendants, kill_every, processes, tasks_of
from .wire import PRIVATE_TMP

MEMORY_POLL = 0.1  # seconds between two looks at a job's resident memory
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8  # mallopt's parameters, glibc's <malloc.h>
HEAP_BLOCKS_UP_TO = 32 * 2**20  # allocations up to this size come from the heap, not a mapping of their own
HEAP_KEPT_UP_TO = 64 * 2**20  # freed heap memory the job keeps for its next allocations
CLONE_NEWNS, CLONE_NEWIPC = 0x00020000, 0x08000000
IPC_KINDS = {"shm": "shmctl", "sem": "semctl", "msg": "msgctl"}


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Jail:
    """What the sandbox allows for every job: a user of its own (as root), an IPC namespace of its own."""

    own_user: bool = False
    ipc_namespace: bool = False

    @staticmethod
    def set_up() -> "Jail":
        """Make this process (the zygote) fit to start jobs; the protections its jobs will have."""
        libc = _libc()
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # a job's orphans stay in sight: see clean_up
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # no process of the same user may read this one's memory
        # One malloc arena: each thread of a job's keeper (the drainer, the reaper, the watchdog) would
        # otherwise reserve one of its own, 64 MiB of address space that counts against the job's limit.
        # Freed memory is kept for the next allocation. A fresh job's malloc maps an array above 128 KiB on its
        # own and, with several freed at once, gives the memory back, so each timed run of a vectorized layer paid
        # the kernel again to fault in and zero its temporaries' pages: in this sandbox, layers of the corpus
        # took up to 3 times the share of their time allowed that they take in a notebook's kernel
        # (learner_57's conv_forward 0.63 to 0.72 of it on the positions case; 0.17 to 0.34 with these settings).
        if hasattr(libc, "mallopt"):  # glibc's
            libc.mallopt(M_ARENA_MAX, 1)
            libc.mallopt(M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO)
            libc.mallopt(M_TRIM_THRESHOLD, HEAP_KEPT_UP_TO)
        own_user = reachable_python()
        return Jail(own_user=own_user, ipc_namespace=fresh_ipc_namespace())  # the zygote's, apart from the grader's

    def user(self, uid: int | None) -> int | None:
        """The job's own user id, where jobs have one."""
        return uid if self.own_user and uid is not None else None

    def lock_in(self, uid: int | None, output_fd: int) -> None:
        """In a job's freshly forked child: its session, output, IPC, user and working folder (limits come
        later, from :func:`apply_limits`, once the keeper's threads are counted)."""
        os.setsid()
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        fresh_ipc_namespace()
        if self.user(uid) is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        work = os.path.join("/tmp", f"job-{os.getuid()}-{os.getpid()}")
        os.makedirs(work, mode=0o700, exist_ok=True)
        os.chdir(work)
        os.environ.update(HOME=work, TMPDIR=work)


def apply_limits(limits: dict) -> None:
    """Lower this process's resource limits to ``limits`` (see :meth:`autograder.grading.sandbox.Limits.for_child`)."""
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "cpu_seconds": resource.RLIMIT_CPU,
        "file_bytes": resource.RLIMIT_FSIZE,
        "processes": resource.RLIMIT_NPROC,
        "open_files": resource.RLIMIT_NOFILE,
    }
    limits = dict(limits)
    if "processes" in limits:  # the kernel counts every task of this uid: the job's own come on top
        limits["processes"] += max(tasks_of(os.getuid()) - 1, 0)
    for key, which in pairs.items():
        if key in limits:
            resource.setrlimit(which, (limits[key], limits[key]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def fresh_ipc_namespace() -> bool:
    """Give this process System V IPC objects (shared memory, semaphores, message queues) of its own, unseen
    by the jobs after it; False where the sandbox may not (no CAP_SYS_ADMIN: not root under bubblewrap)."""
    try:
        return _libc().unshare(CLONE_NEWIPC) == 0
    except (OSError, AttributeError):
        return False


# -- can a job under another user run this Python? ---------------------------------------------------------
def _blocked(path: str) -> str | None:
    """The first folder on the way to ``path`` that other users may not pass through, or None."""
    parts = os.path.realpath(path).split(os.sep)
    for depth in range(2, len(parts) + 1):
        folder = os.sep.join(parts[:depth])
        try:
            if not os.stat(folder).st_mode & 0o001:
                return folder
        except OSError:
            return None
    return None


def _python_folders() -> list[str]:
    """Where this Python and its packages live: what a job under another user must be able to read."""
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    folders |= {entry for entry in sys.path if entry and os.path.isdir(entry)}
    return sorted({os.path.realpath(folder) for folder in folders})


def reachable_python() -> bool:
    """Can a job run under a user of its own and still import anything of this Python?

    Only root can give a job its own user. When this Python (or a package folder) sits behind a folder
    other users cannot enter (e.g. pyenv under /root, mode 0700), this process moves into a mount
    namespace of its own, in which a tmpfs open to all covers each such folder and only the Python's
    folders are bound back in, at their own paths: the jobs can read Python, and nothing else of it."""
    if os.geteuid() != 0:
        return False
    folders = _python_folders()
    blocked = {folder: _blocked(folder) for folder in folders}
    tops = sorted({top for top in blocked.values() if top})
    if not tops:
        return True
    try:
        _cover(tops, [folder for folder in folders if blocked[folder]])
    except OSError:
        return False
    return not any(_blocked(folder) for folder in folders)


def _cover(tops: list[str], folders: list[str]) -> None:
    import tempfile

    libc = _libc()
    MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 1 << 18

    def call(result: int, what: str) -> None:
        if result != 0:
            raise OSError(ctypes.get_errno(), what)

    call(libc.unshare(CLONE_NEWNS), "unshare")
    call(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "private mounts")
    stage = tempfile.mkdtemp(prefix="autograder-stage-")
    kept = []
    for index, folder in enumerate(folders):
        target = os.path.join(stage, str(index))
        os.mkdir(target)
        call(libc.mount(folder.encode(), target.encode(), None, MS_BIND | MS_REC, None), f"bind {folder}")
        kept.append((target, folder))
    for top in tops:
        call(libc.mount(b"tmpfs", top.encode(), b"tmpfs", 0, b"mode=0755"), f"cover {top}")
    for target, folder in kept:
        os.makedirs(folder, mode=0o755, exist_ok=True)
        call(libc.mount(target.encode(), folder.encode(), None, MS_BIND | MS_REC, None), f"rebind {folder}")


# -- System V IPC ------------------------------------------------------------------------------------------
def ipc_objects() -> set[tuple[str, int]]:
    """(kind, id) of every System V IPC object this process can see."""
    found = set()
    for kind in IPC_KINDS:
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                next(table, None)
                found |= {(kind, int(line.split()[1])) for line in table if line.strip()}
        except (OSError, ValueError, IndexError):
            pass
    return found


def remove_ipc(objects: set[tuple[str, int]]) -> None:
    """Remove System V IPC objects (a job's, left for the next to find)."""
    libc = _libc()
    IPC_RMID = 0
    for kind, number in objects:
        if kind == "sem":
            libc.semctl(number, 0, IPC_RMID)
        else:
            getattr(libc, IPC_KINDS[kind])(number, IPC_RMID, None)


# -- while the job runs ------------------------------------------------------------------------------------
def job_processes(uid: int | None) -> tuple[int, list[int]]:
    """(bytes of resident memory, pids) of the running job's processes: those of its own ``uid`` when it has
    one, else every descendant of this process (its keeper: a subreaper), which runs one job.

    Pages a process shares with others (numpy's, inherited from the zygote) count in each of them."""
    table = processes()
    pids = ([pid for pid, entry in table.items() if entry["uid"] == uid] if uid is not None
            else descendants(table, os.getpid()))
    return sum(table[pid]["rss"] for pid in pids), pids


def watch_memory(uid: int | None, limit: int, stop: threading.Event, over: list[int]) -> None:
    """Kill every process of the job when together they hold more than ``limit`` bytes.

    The address-space limit holds each process; this holds the job, which may have several."""
    while not stop.wait(MEMORY_POLL):
        total, pids = job_processes(uid)
        if total > limit:
            over.append(total)
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return


def _cpu_clock(pid: int) -> int:
    """The clock id of the CPU time of process ``pid``, all its threads (Linux: CPUCLOCK_SCHED of a process)."""
    return ((~pid) << 3) | 2


def _reaped(pid: int) -> int | None:
    """Clock ticks of CPU time of the children ``pid`` has waited for (cutime + cstime), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return int(fields[13]) + int(fields[14])
    except (OSError, ValueError, IndexError):
        return None


def job_cpu(uid: int | None) -> dict[int, tuple[float, int]] | None:
    """{pid: (seconds of CPU it has used, ticks of CPU of the children it reaped)} of the job's processes (see
    :func:`job_processes`), or None when one cannot be read."""
    found = {}
    for pid in job_processes(uid)[1]:
        reaped = _reaped(pid)
        try:
            found[pid] = (time.clock_gettime(_cpu_clock(pid)), reaped)
        except OSError:
            return None
        if reaped is None:
            return None
    return found


def cpu_spent(before: dict[int, tuple[float, int]] | None, after: dict[int, tuple[float, int]] | None) -> float | None:
    """Seconds of CPU the job's processes used between two readings of :func:`job_cpu`; None unless the same
    processes were there both times and none of them reaped a child meanwhile (a process that came and went
    took its CPU time with it: then only the wall clock can say how long the run took)."""
    if before is None or after is None or set(before) != set(after):
        return None
    if any(after[pid][1] != before[pid][1] for pid in after):
        return None
    return sum(after[pid][0] - before[pid][0] for pid in after)


# -- after the job -----------------------------------------------------------------------------------------
def _remove_tree(path: str) -> None:
    """Remove a file or folder, also one whose folders the job closed (mode 0)."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            for folder, folders, _ in os.walk(path):
                for inner in (os.path.join(folder, f) for f in folders):
                    if not os.path.islink(inner):
                        os.chmod(inner, 0o700)
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def reap_orphans() -> None:
    """Collect the exit of processes handed to this subreaper (after the job's own child was waited for)."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def clean_up(uid: int | None, job_pid: int, tmp_before: set[str]) -> None:
    """Kill whatever the job left running and remove what it left in ``/tmp``.

    The next job in this sandbox (another student) must find nothing of it: every process of its own user
    ``uid``, or else every descendant of this process, is killed; then every new entry of a private ``/tmp``
    goes, or every file of the job's own user, or (a shared ``/tmp``, no user of its own) its working folder.

    Only a shared ``/tmp`` with a user of its own takes a process of that user's (a fork, some 3 ms: the
    keeper's page tables are copied) to find the user's files, which it then removes as that user; under
    bubblewrap the job's processes are found in ``/proc``, as that user's or this process's descendants."""
    private_tmp = bool(os.environ.get(PRIVATE_TMP))
    if uid is None:
        kill_descendants(os.getpid())  # the job's every process: this process is their subreaper
    elif private_tmp:  # its files are the new entries of /tmp, removed below
        me = os.getpid()
        kill_every(lambda table: {pid for pid, entry in table.items() if entry["uid"] == uid}
                   | set(descendants(table, me)))
    else:
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)  # every process of this uid but this one
                for name in os.listdir("/tmp"):
                    path = os.path.join("/tmp", name)
                    try:
                        if os.lstat(path).st_uid == uid:
                            _remove_tree(path)
                    except OSError:
                        pass
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    reap_orphans()
    if private_tmp:
        for name in set(os.listdir("/tmp")) - tmp_before:
            _remove_tree(os.path.join("/tmp", name))
    elif uid is None:
        _remove_tree(os.path.join("/tmp", f"job-{os.getuid()}-{job_pid}"))
