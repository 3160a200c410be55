"""The process inside the sandbox: import numpy once, then fork one child per submission.

Run as ``python -I -m autograder.grading.zygote``. It reads jobs from stdin and
writes messages to stdout (see :mod:`.wire`). For each job it forks a child
that, before running any learner code,

- starts a new session and points its stdout/stderr at a pipe that the zygote
  drains and caps;
- gets System V IPC objects of its own (a new IPC namespace, where the sandbox
  allows it: as root), and every IPC object it made is removed when it ends,
  so that shared memory or a message queue left by one job cannot reach the next;
- becomes an unprivileged user of its own (when the zygote runs as root), so
  that it cannot signal the zygote, read other jobs' files, or outlive its job;
- lowers its resource limits (memory, CPU time, processes, file size, files),
  and has the zygote watch the resident memory of all its processes together;
- works in a private temporary folder.

The zygote is a *child subreaper*: a process the job starts stays the zygote's
descendant even when it leaves the job's session and its parent dies, so that
the memory watchdog counts it and the clean-up after the job kills it, also
where jobs cannot have users of their own (the grader is not root). After each
job, what it left in ``/tmp`` goes: every new entry where ``/tmp`` is the
sandbox's own (bubblewrap), the job's own files where it has a user of its own,
else its working folder.

The child then runs the submission's cells (their IPython syntax, such as
magics and shell escapes, turned into plain Python first: that is work on
learner input, so it is done here, under the job's limits) and the requested
calls, and sends each result back as plain data.

A *timed* call (a call with ``timing``: the timing checks of "Vectorize it") is
timed here, by the zygote, never by the child, whose process the learner's code
controls. The child is forked before the zygote has read the call's inputs
(they come as a second message after the job); when the child is ready for
them, the zygote measures its calibration (:func:`autograder.speed.allowed_time`),
starts its clock, and writes the inputs into a pipe; the clock stops when the
answer, value included, is back. One untimed run on the case's inputs comes
first; then runs repeat by the rule of :func:`autograder.speed.fastest`, each on
a new variant of the inputs (:func:`autograder.speed.variants`), and the
fastest run's answer goes out with its time. The submission cannot start early
(it has no inputs before the clock starts), cannot reuse an earlier answer (each
run's inputs are new), and cannot stop the clock with a quick wrong answer, as
the grader checks the answer of the run that counts.

The zygote's clock also counts the trip through the pipes and the wake-ups of
two processes: about 2 ms on an idle machine, and more on a busy one, against
budgets of a few ms. So the child reports how long the call took by its own
clock, and the difference is credited, but never more than
:data:`autograder.speed.OVERHEAD_CREDIT` of the time allowed: a child that lies
gains at most that, and a loop over positions, many times over the budget,
still fails. This module is trusted code,
but it never holds expected outputs, the reference or anything from the course
directory: there is nothing in here for learner code to find.
"""
from __future__ import annotations

import importlib
import os
import re
import resource
import shutil
import signal
import sys
import threading
import time
import traceback

import numpy as np  # imported once here, inherited by every child

from .. import speed
from . import wire
from .processes import descendants, kill_descendants, processes, tasks_of

try:
    from IPython.core.inputtransformer2 import TransformerManager
except ImportError:  # then cells must be plain Python
    TransformerManager = None

ANSWER_KEYS = ("ok", "value", "error", "error_type", "error_message", "line", "not_implemented", "unreadable",
               "where", "at", "traced", "missed", "unkeyable")
OUTPUT_KEPT = 64 * 1024
_OWN_USER = False  # whether jobs run under users of their own (set by main: see reachable_python)
MEMORY_POLL = 0.1  # seconds between two looks at a job's resident memory
PR_SET_CHILD_SUBREAPER = 36
M_ARENA_MAX = -8  # mallopt's parameter, glibc's <malloc.h>


def _apply_limits(limits: dict) -> None:
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


def _job_processes(uid: int | None) -> tuple[int, list[int]]:
    """(bytes of resident memory, pids) of the running job's processes: those of its own ``uid`` when it has
    one, else every descendant of this zygote (a subreaper: see :func:`main`), which runs one job at a time.

    Pages a process shares with others (numpy's, inherited from the zygote) count in each of them."""
    table = processes()
    pids = ([pid for pid, entry in table.items() if entry["uid"] == uid] if uid is not None
            else descendants(table, os.getpid()))
    return sum(table[pid]["rss"] for pid in pids), pids


def _fresh_ipc_namespace() -> bool:
    """Give this job System V IPC objects (shared memory, semaphores, message queues) of its own, unseen by
    the jobs after it; False where the sandbox may not (no CAP_SYS_ADMIN: not root under bubblewrap)."""
    import ctypes

    CLONE_NEWIPC = 0x08000000
    try:
        return ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWIPC) == 0
    except (OSError, AttributeError):
        return False


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
    import ctypes
    import tempfile

    libc = ctypes.CDLL(None, use_errno=True)
    CLONE_NEWNS, MS_BIND, MS_REC, MS_PRIVATE = 0x00020000, 0x1000, 0x4000, 1 << 18

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


IPC_KINDS = {"shm": "shmctl", "sem": "semctl", "msg": "msgctl"}


def _ipc_objects() -> set[tuple[str, int]]:
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


def _remove_ipc(objects: set[tuple[str, int]]) -> None:
    """Remove System V IPC objects (a job's, left for the next to find)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    IPC_RMID = 0
    for kind, number in objects:
        if kind == "sem":
            libc.semctl(number, 0, IPC_RMID)
        else:
            getattr(libc, IPC_KINDS[kind])(number, IPC_RMID, None)


def _become(uid: int | None) -> None:
    if uid is not None and _OWN_USER:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _python(code: str) -> str:
    """Cell code as plain Python (IPython magics and shell escapes turned into calls of :class:`_Shell`)."""
    try:
        compile(code, "<cell>", "exec")
        return code  # already Python: IPython's syntax (%, !, ?) never is
    except (SyntaxError, ValueError):
        pass
    if TransformerManager is None:
        return code
    try:
        return TransformerManager().transform_cell(code)
    except Exception:
        return code


_TIMEIT_OPTIONS = re.compile(r"^\s*((-[nrp]\s*\d+|-[a-zA-Z]+)\s+)*")


class _Shell:
    """The little of IPython that a learner's cells call once their magics are turned into Python.

    ``%time``, ``%timeit`` and their cell forms run their code once, in the notebook's namespace (so the
    definitions of a ``%%time`` cell count); every other magic and every shell escape (``!pip ...``) does
    nothing: there is no shell, no network and nothing to install in a sandbox."""

    RUNS_CODE = ("time", "timeit", "prun", "capture")

    def __init__(self, scope: dict, filename: str) -> None:
        self.user_ns, self.filename = scope, filename

    def _exec(self, code: str) -> None:
        exec(compile(code, self.filename, "exec"), self.user_ns)

    def run_line_magic(self, name: str, line: str, _stack_depth: int = 1) -> None:
        if name in self.RUNS_CODE:
            self._exec(_TIMEIT_OPTIONS.sub("", line))

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        if name in self.RUNS_CODE:
            self._exec(cell)

    def system(self, command: str) -> None:
        return None

    def getoutput(self, command: str) -> list:
        return []

    def magic(self, line: str) -> None:
        return None


def _error_message(error: BaseException) -> dict:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")]
    return {
        "error": f"{type(error).__name__}: {error}",
        "error_type": type(error).__name__,
        "error_message": str(error),
        "not_implemented": isinstance(error, NotImplementedError),
        "line": frames[-1].line if frames and frames[-1].line else None,
        # where that line is: the learner's function, and the cell and line number (for the trusted side)
        "where": frames[-1].name if frames else None,
        "at": [frames[-1].filename[6:-1], frames[-1].lineno] if frames else None,
    }


def _run_call(function, call: dict, scope: dict) -> dict:
    """An untimed call, with the diagnosis's stand-ins if it asks for them: ``trace`` (names whose calls are
    counted) and ``answers`` (names that answer from a table: see :mod:`autograder.diagnosis.oracle`). The
    answer then says which names were called (``traced``) and the calls no table answered (``missed``)."""
    if not call.get("trace") and not call.get("answers"):
        return _run(function, call["args"], call["kwargs"])
    from ..diagnosis import oracle

    home = getattr(function, "__globals__", scope)
    answers = {name: oracle.table_from_data(data, wire.unpack) for name, data in (call.get("answers") or {}).items()}
    with oracle.standing_in(home, call.get("trace") or (), answers) as seen:
        message = _run(function, call["args"], call["kwargs"])
    message["traced"] = sorted(name for name, count in seen.counts.items() if count)
    if seen.missed_any:
        try:
            message["missed"] = {name: wire.pack(calls) for name, calls in seen.missed.items() if calls}
        except wire.WireError:
            message["missed"] = {}
            message["unkeyable"] = True
    return message


def _run(function, args, kwargs, blobs: list[bytes] = (), reply_blobs: list[bytes] | None = None) -> dict:
    """Call ``function`` on packed arguments: {"ok": True, "value": packed} or the error."""
    try:
        value = function(*wire.unpack(args, blobs), **wire.unpack(kwargs, blobs))
        return {"ok": True, "value": wire.pack(value, reply_blobs)}
    except BaseException as error:
        return {"ok": False, **_error_message(error)}


def _send_result(results, message: dict, blobs: list[bytes] = ()) -> None:
    try:
        wire.send(results, message, blobs)
    except wire.WireError as error:
        wire.send(results, {"type": "call", "id": message["id"], "ok": False, "unsendable": str(error)})


def _timed_runs(function, call_id: int, results, orders) -> None:
    """Ask the zygote for a timed call's arguments, run, answer; until the zygote says stop.

    Arguments and answers travel as blobs (see :mod:`.wire`): the clock runs meanwhile."""
    wire.send(results, {"type": "ready", "id": call_id})
    while (order := wire.receive(orders)) is not None and not order.get("stop"):
        blobs: list[bytes] = []
        start = time.perf_counter()
        message = _run(function, order["args"], order["kwargs"], order.get("blobs", []), blobs)
        message["own_seconds"] = time.perf_counter() - start  # see the module's docstring: a bounded credit
        _send_result(results, {"type": "call", "id": call_id, **message}, blobs if message["ok"] else [])


def _run_cells(cells: list[dict], scope: dict, results) -> dict:
    """Run the notebook's cells in order; at a checkpoint, take the functions the judge will call.

    Returns {name: what it was at its checkpoint}: the judge calls a graded function as the notebook's test
    cell would have seen it, before any later cell redefined it."""
    import linecache

    taken: dict = {}
    for cell in cells:
        label = cell["label"]
        if cell.get("takes"):
            taken.update({name: scope.get(name) for name in cell["takes"]})
            wire.send(results, {"type": "cell", "label": label, "error": None})
            continue
        filename = f"<cell {label}>"
        try:
            code = _python(cell["code"])
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
            scope["get_ipython"] = lambda shell=_Shell(scope, filename): shell
            exec(compile(code, filename, "exec"), scope)
            wire.send(results, {"type": "cell", "label": label, "error": None})
        except BaseException as error:  # a broken cell costs that cell, not the job
            wire.send(results, {"type": "cell", "label": label, **_error_message(error)})
    return taken


def _child(job: dict, results, output_fd: int, orders, go: int) -> None:
    """Runs in the forked child; never returns. It sets its limits once the zygote's threads for this job
    have started (a byte, or the end, on ``go``): the process limit must count them exactly."""
    try:
        os.setsid()
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        _fresh_ipc_namespace()
        _become(job.get("uid"))
        work = os.path.join("/tmp", f"job-{os.getuid()}-{os.getpid()}")
        os.makedirs(work, mode=0o700, exist_ok=True)
        os.chdir(work)
        os.environ.update(HOME=work, TMPDIR=work)
        os.read(go, 1)
        os.close(go)
        _apply_limits(job.get("limits", {}))
        scope: dict = {"__name__": "__main__", "np": np, "display": lambda *args, **kwargs: None}
        taken = _run_cells(job["cells"], scope, results)
        for call in job["calls"]:
            message = {"type": "call", "id": call["id"]}
            name = call["function"]
            function = taken[name] if name in taken else scope.get(name)
            if not callable(function):
                message.update(error=None, missing=True)
            elif "timing" in call:
                _timed_runs(function, call["id"], results, orders)
                continue
            else:
                message.update(_run_call(function, call, scope))
            _send_result(results, message)
    finally:
        try:
            results.flush()
        finally:
            os._exit(0)


def _watch_memory(uid: int | None, limit: int, stop: threading.Event, over: list[int]) -> None:
    """Kill every process of the job when together they hold more than ``limit`` bytes.

    The address-space limit holds each process; this holds the job, which may have several."""
    while not stop.wait(MEMORY_POLL):
        total, pids = _job_processes(uid)
        if total > limit:
            over.append(total)
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return


def _drain(fd: int, kept: list[bytes], total: list[int]) -> None:
    size = 0
    with os.fdopen(fd, "rb", buffering=0) as stream:
        while chunk := stream.read(65536):
            total[0] += len(chunk)
            if size < OUTPUT_KEPT:
                kept.append(chunk[: OUTPUT_KEPT - size])
                size += len(kept[-1])


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


def _reap_orphans() -> None:
    """Collect the exit of processes handed to this subreaper (after the job's own child was waited for)."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def _clean_up(uid: int | None, job_pid: int, tmp_before: set[str]) -> None:
    """Kill whatever the job left running and remove what it left in ``/tmp``.

    The next job in this sandbox (another student) must find nothing of it: every process of its own user,
    or else every descendant of this zygote, is killed; then every new entry of a private ``/tmp`` goes, or
    every file of the job's own user, or (a shared ``/tmp``, no user of its own) its working folder."""
    if uid is None:
        kill_descendants(os.getpid())  # the job's every process: this zygote is their subreaper
    else:
        pid = os.fork()
        if pid == 0:
            try:
                _become(uid)
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
    _reap_orphans()
    if os.environ.get(wire.PRIVATE_TMP):
        for name in set(os.listdir("/tmp")) - tmp_before:
            _remove_tree(os.path.join("/tmp", name))
    elif uid is None:
        _remove_tree(os.path.join("/tmp", f"job-{os.getuid()}-{job_pid}"))


class _Timer:
    """The zygote's side of a job's timed calls (see the module's docstring)."""

    def __init__(self, timed: dict[int, dict], results, orders, out) -> None:
        self.timed, self.results, self.orders, self.out = timed, results, orders, out
        self.done: set[int] = set()

    def is_timed(self, call_id: object) -> bool:
        return type(call_id) is int and call_id in self.timed  # anything may come from the child: [1], {}, ...

    def forward(self, message: dict) -> None:
        """Pass a cell's or an untimed call's message on; nothing from the child may speak for a timed call."""
        if message.get("type") == "call" and self.is_timed(message.get("id")):
            if not (message.get("missing") and message["id"] not in self.done):
                return  # only "this function is missing" may come straight from the child
        if message.get("type") in ("cell", "call"):  # learner code can write here too: it must not end its
            for key in ("timing", "blobs", "own_seconds"):  # job early ("done") and then speak for the next
                message.pop(key, None)  # one, nor time itself
            wire.send(self.out, message)

    def run(self, call_id: int) -> bool:
        """Time one call whose child said it is ready; False if the child went away meanwhile.

        The first run, untimed, is on the call's own inputs (a freshly forked child also pays for fresh
        memory on its first run); timed run k is on ``runs[k]``, a variant of them. What goes
        out: the first run's answer, and the fastest timed run's answer (``"fastest"``) with its time,
        its index (``"run"``) and the time allowed."""
        if not self.is_timed(call_id) or call_id in self.done:
            return True  # a forged or repeated "ready": nothing to do
        self.done.add(call_id)
        call = self.timed[call_id]
        inputs = [(call["args"], call["kwargs"])] + [(run["args"], run["kwargs"]) for run in call["runs"]]
        inputs = [(wire.unpack(args), wire.unpack(kwargs)) for args, kwargs in inputs]
        allowed = speed.allowed_time(call["timing"])
        answers: list[tuple[float, int, dict]] = []  # (seconds, index of the inputs, answer)
        alive = True

        def one_run(index: int) -> float | None:
            nonlocal alive
            blobs: list[bytes] = []
            args, kwargs = inputs[index]
            order = {"args": wire.pack(args, blobs), "kwargs": wire.pack(kwargs, blobs)}
            start = time.perf_counter()
            wire.send(self.orders, order, blobs)
            while (message := wire.receive(self.results)) is not None:
                if message.get("type") == "call" and type(message.get("id")) is int and message["id"] == call_id:
                    took = time.perf_counter() - start  # the first answer after the start counts, forged or not
                    took -= speed.overhead_credit(took, message.pop("own_seconds", None), allowed)
                    answers.append((took, index, _plain(message)))
                    wire.send(self.out, {"type": "tick"})  # the grader's clock per call starts again
                    return took if message.get("ok") else None
                self.forward(message)
            alive = False
            return None

        try:
            if one_run(0) is not None:
                timed_runs = iter(range(1, len(inputs)))
                speed.fastest(lambda: one_run(next(timed_runs)), allowed)
            wire.send(self.orders, {"stop": True})
        except (OSError, wire.WireError):  # the child closed its end, or sent garbage: it answers no more
            alive = False
        if answers:
            message = answers[0][2]
            if len(answers) > 1:
                took, index, fastest = min(answers[1:], key=lambda answer: answer[0])
                message = {**message, "timing": {"took": took, "allowed": allowed, "run": index - 1},
                           "fastest": {key: fastest[key] for key in ANSWER_KEYS if key in fastest}}
            wire.send(self.out, message)
        return alive


def _plain(answer: dict) -> dict:
    """An answer whose value came as blobs, with the value in plain JSON, like every other answer."""
    blobs = answer.pop("blobs", [])
    answer.pop("own_seconds", None)
    if answer.get("ok"):
        try:
            answer["value"] = wire.pack(wire.unpack(answer.get("value"), blobs))
        except wire.WireError as error:
            return {"type": "call", "id": answer.get("id"), "ok": False, "unreadable": str(error)}
    answer.pop("timing", None)
    return answer


def run_job(job: dict, out, inbox) -> None:
    """Run one job in a fresh child; the inputs of its timed calls are read from ``inbox`` after the fork,
    so that the child, a copy of this process, never holds them."""
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    orders_r, orders_w = os.pipe()
    go_r, go_w = os.pipe()
    ipc_before = _ipc_objects()  # a job without an IPC namespace of its own leaves its objects here
    tmp_before = set(os.listdir("/tmp"))
    pid = os.fork()
    if pid == 0:
        for fd in (result_r, output_r, orders_w, go_w):
            os.close(fd)
        _child(job, os.fdopen(result_w, "wb"), output_w, os.fdopen(orders_r, "rb"), go_r)
    for fd in (result_w, output_w, orders_r, go_r):
        os.close(fd)
    inputs = wire.receive(inbox) or {}
    timed = {call["id"]: {**call, **extra} for call in job["calls"] if "timing" in call
             for extra in inputs.get("calls", []) if extra.get("id") == call["id"]}
    kept: list[bytes] = []
    total = [0]
    drainer = threading.Thread(target=_drain, args=(output_r, kept, total), daemon=True)
    drainer.start()
    status: list[int] = []

    def reap() -> None:
        status.append(os.waitpid(pid, 0)[1])
        _clean_up(job.get("uid") if _OWN_USER else None, pid, tmp_before)  # closes pipes leftovers hold open
        _remove_ipc(_ipc_objects() - ipc_before)  # what the job made, and only that

    reaper = threading.Thread(target=reap, daemon=True)
    reaper.start()
    watching, over_memory = threading.Event(), []
    limit = job.get("limits", {}).get("memory_bytes")
    own_user = job.get("uid") if _OWN_USER else None  # else the job's processes are this zygote's descendants
    if limit:
        threading.Thread(target=_watch_memory, args=(own_user, limit, watching, over_memory),
                         daemon=True).start()
    os.write(go_w, b"!")  # every thread of this job's is running: the child may count the tasks now
    os.close(go_w)
    with os.fdopen(result_r, "rb") as results, os.fdopen(orders_w, "wb") as orders:
        timer = _Timer(timed, results, orders, out)
        while True:
            try:
                message = wire.receive(results)
            except wire.WireError as error:
                wire.send(out, {"type": "garbled", "error": str(error)})
                break
            if message is None:
                break
            if message.get("type") == "ready":
                if not timer.run(message.get("id")):
                    break
            else:
                timer.forward(message)
    reaper.join()
    watching.set()
    drainer.join(timeout=5)
    code = status[0] if status else -1
    memory = {"limit_mib": limit // 2**20, "used_mib": over_memory[0] // 2**20} if over_memory else None
    wire.send(out, {
        "type": "done",
        "exit": os.waitstatus_to_exitcode(code) if status else None,
        "memory": memory,
        "output": b"".join(kept).decode("utf-8", "replace"),
        "output_bytes": total[0],
    })


def preload(modules: list[str]) -> None:
    """Import what the notebooks' setup cells import, once, so that every job's fork starts with it."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a module that cannot be imported here fails in the learner's cell, as it would
            pass


def main(modules: list[str] = ()) -> None:
    inbox, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages on the real stdout
    global _OWN_USER
    import ctypes

    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # a job's orphans stay in sight: see _clean_up
    # One malloc arena: each thread of each job's (the drainer, the reaper, the watchdog) would otherwise
    # reserve one of its own, 64 MiB of address space that every later job inherits and that counts
    # against its memory limit (seen: 139 MiB for the first job, 360 MiB from the second on, and more
    # under load, when more threads contend).
    if hasattr(libc, "mallopt"):  # glibc's
        libc.mallopt(M_ARENA_MAX, 1)
    preload(list(modules))
    _OWN_USER = reachable_python()
    wire.send(out, {"type": "ready", "pid": os.getpid(), "uid": os.getuid(), "own_user": _OWN_USER,
                    "ipc_namespace": _fresh_ipc_namespace()})
    while (job := wire.receive(inbox)) is not None:
        run_job(job, out, inbox)


if __name__ == "__main__":
    main(sys.argv[1:])
