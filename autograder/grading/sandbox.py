"""Start the sandbox and run a submission's code in it (trusted side).

:class:`Sandbox` keeps one :mod:`.zygote` process alive per grading worker and
sends it jobs; each job runs from a copy of the zygote that never saw a job, so
nothing of one student reaches the next. With bubblewrap (``bwrap``) the zygote
runs in its own network, PID, IPC and UTS namespaces and sees a file system
holding only the Python installation, this package and a private ``/tmp``: no course directory, no
gradebook, no other students, no home directory. Without bubblewrap, jobs
still run in a separate process with resource limits, but network and file
system are not isolated. Which protections hold is in :attr:`Sandbox.isolation`
(:class:`Isolation`): a job runs under a user of its own only when the grader
runs as root, and gets its own System V IPC namespace only then; everywhere,
the IPC objects a job made are removed when it ends, and the memory watchdog
holds all of a job's processes together. What a job sends back is capped
(:attr:`Limits.answer_bytes` each, :attr:`Limits.answers_bytes` all its values
together): a larger answer comes back as its size, and no message larger than
two answers is ever read here.

Wall-clock limits are enforced here, outside: a call that runs too long gets
the whole sandbox killed (SIGKILL to its process group, which ends the PID
namespace), and a fresh one carries on with the remaining calls. A cell that
hangs or ends the process at its top level is blamed on that cell: the fresh
sandbox runs the other cells without it. Everything that comes back is data
(:class:`Outcome`); nothing here makes a sentence.
"""
from __future__ import annotations

import collections
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import answers, wire
from .bounds import MAX_CELL_ERRORS
from .processes import kill_descendants

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the ``autograder`` package this grader runs
STDERR_KEPT = 4096
OUTPUT_MARGIN = 1024 * 1024  # a message's room beyond its answers (the output kept of a job: 64 KiB)


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0  # wall clock, per function call
    submission_seconds: float = 60.0  # wall clock, all calls of one submission
    memory_bytes: int = 1536 * 1024 * 1024  # address space of each process, and resident memory of the job
    cpu_seconds: int = 60
    file_bytes: int = 16 * 1024 * 1024
    processes: int = 8
    open_files: int = 64
    answer_bytes: int = 16 * 1024 * 1024  # one answer (or any message) a job sends back
    answers_bytes: int = 64 * 1024 * 1024  # the values of all of a job's answers together

    def for_child(self) -> dict:
        return {"memory_bytes": self.memory_bytes, "cpu_seconds": self.cpu_seconds, "file_bytes": self.file_bytes,
                "processes": self.processes, "open_files": self.open_files}


@dataclass(frozen=True)
class Isolation:
    """Which protections a sandbox gives its jobs (limits on time, memory, processes and files always hold)."""

    bubblewrap: bool = False  # no network, a private file system view, own PID and UTS namespaces
    own_user: bool = False  # each job under a throw-away user id (the grader runs as root)
    ipc_namespace: bool = False  # each job gets a System V IPC namespace of its own (its objects are removed anyway)
    memory_watchdog: bool = True  # all of a job's processes together held to the memory limit

    def to_json(self) -> dict:
        return {"bubblewrap": self.bubblewrap, "own_user": self.own_user, "ipc_namespace": self.ipc_namespace,
                "memory_watchdog": self.memory_watchdog}


class SandboxError(RuntimeError):
    """The sandbox could not start: ``key`` names the reason in the catalogue, ``values`` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key}: {values}")
        self.key, self.values = key, values


@dataclass
class Call:
    id: int
    function: str
    args: tuple
    kwargs: dict
    timing: dict | None = None  # a timed call: {"calibration": [M, K, N], "factor", "runs"}, see timing.py
    seconds: float | None = None  # its own wall-clock limit, when it needs more than Limits.call_seconds
    wired: tuple | None = None  # (args, kwargs) already packed, when the same inputs go to many jobs
    # the diagnosis's stand-ins (untimed calls only; see autograder.diagnosis.oracle): names whose calls are
    # counted, and names that answer from a table ({name: table as wire data})
    trace: tuple[str, ...] = ()
    answers: dict | None = None

    def packed(self) -> dict:
        """The call as the job lists it: a timed call without any of its inputs (see :meth:`timed_inputs`)."""
        if self.timing:
            return {"id": self.id, "function": self.function,
                    "timing": {key: self.timing[key] for key in ("calibration", "factor")}}
        args, kwargs = self.wired or (wire.pack(self.args), wire.pack(self.kwargs))
        stand_ins = {"trace": list(self.trace)} if self.trace else {}
        if self.answers:
            stand_ins["answers"] = self.answers
        return {"id": self.id, "function": self.function, "args": args, "kwargs": kwargs, **stand_ins}

    def timed_inputs(self) -> dict:
        """A timed call's inputs: its own, and those of each timed run (``timing["runs"]``, already packed, each
        with its calibration, or the call's)."""
        return {"id": self.id, "args": wire.pack(self.args), "kwargs": wire.pack(self.kwargs),
                "runs": [{"calibration": None, **run} for run in self.timing["runs"]]}


@dataclass
class Outcome:
    """What came back from one submission: nothing in here is trusted beyond its type."""

    # cell label -> {"raised": {"type", "message", "line"}} or {"stop": {"reason", "seconds", ...}}
    cell_errors: dict[str, dict] = field(default_factory=dict)
    results: dict[int, dict] = field(default_factory=dict)  # call id -> message from the sandbox
    output: str = ""
    output_bytes: int = 0
    events: list[dict] = field(default_factory=list)  # {"stop": {...}}: timeouts and crashes, for the report
    cells: list[dict] = field(default_factory=list)  # the cells that ran to the end or raised (not those skipped)
    cell_errors_left_out: int = 0  # errors of added cells over the bound, counted only (see .bounds)

    def cell_error(self, label: str, error: dict, keep: bool) -> None:
        """Record a cell's error: always for a cell of the release's (``keep``), else only the first few."""
        if keep or label in self.cell_errors or self._others < MAX_CELL_ERRORS:
            self._others += 0 if keep or label in self.cell_errors else 1
            self.cell_errors[label] = error
        else:
            self.cell_errors_left_out += 1

    _others: int = field(default=0, repr=False, compare=False)  # errors kept of cells that are not the release's


def stop(reason: str, **values: object) -> dict:
    """Why something did not finish, as data (see :class:`autograder.verdict.Stop`)."""
    return {"reason": reason, **{key: value for key, value in values.items() if value is not None}}


def bubblewrap() -> str | None:
    """Path of a working ``bwrap``, or None."""
    found = shutil.which("bwrap")
    if not found:
        return None
    probe = subprocess.run([found, "--unshare-net", "--ro-bind", "/", "/", "true"], capture_output=True)
    return found if probe.returncode == 0 else None


def _python_roots() -> list[str]:
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    return sorted(roots)


def _child_environment() -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # needed by some processors' OpenBLAS
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _bwrap_command(bwrap: str) -> list[str]:
    command = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
               "--die-with-parent", "--new-session"]
    if os.geteuid() == 0:  # for a new IPC namespace and a user of its own per job; a job drops every capability
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SYS_ADMIN"]
    for top in ("/usr", "/etc/ld.so.cache", "/etc/alternatives"):
        if os.path.exists(top):
            command += ["--ro-bind", top, top]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        if target:
            command += ["--symlink", target, f"/{link}"]
        elif os.path.isdir(f"/{link}"):
            command += ["--ro-bind", f"/{link}", f"/{link}"]
    # /tmp first: Python or the kit may live under /tmp, and a later tmpfs would hide them
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(512 * 1024 * 1024),
                "--tmpfs", "/tmp"]
    roots = [*_python_roots(), str(PACKAGE_DIR)]
    parents = sorted({str(parent) for root in roots for parent in Path(root).parents if str(parent) != "/"})
    for parent in parents:  # bwrap would make them 0700, closed to the job's own user
        command += ["--perms", "0755", "--dir", parent]
    for root in roots:
        command += ["--ro-bind", root, root]
    command += ["--chdir", "/tmp", "--clearenv"]
    for name, value in {**_child_environment(), wire.PRIVATE_TMP: "1"}.items():  # a job's keeper empties /tmp after it
        command += ["--setenv", name, value]
    return command


def zygote_command(preload: tuple[str, ...] = ()) -> list[str]:
    """The zygote's command line: this Python, isolated (-I), importing this very ``autograder`` package by
    its path (not whatever ``autograder`` the Python would find, e.g. in a course that holds a copy of the
    kit), then the modules to ``preload``."""
    start = (f"import sys; sys.path.insert(0, {str(PACKAGE_DIR.parent)!r}); "
             "from autograder.grading.zygote import main; main(sys.argv[1:])")
    # abspath: no ".." through folders that the sandbox does not have
    return [os.path.abspath(sys.executable), "-I", "-c", start, *preload]


class Sandbox:
    """One long-lived zygote; :meth:`run` grades one submission's calls in a fresh child."""

    def __init__(self, limits: Limits = Limits(), isolate: bool = True, preload: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.preload = tuple(preload)
        self.bwrap = bubblewrap() if isolate else None
        self.isolation = Isolation(bubblewrap=bool(self.bwrap))  # completed when the zygote has started
        self._process: subprocess.Popen | None = None
        self._owner = os.getpid()  # the process whose zygote and scratch folder these are
        self._messages: queue.Queue = queue.Queue()
        self._stderr: collections.deque = collections.deque(maxlen=64)
        # without bubblewrap the zygote needs a home and working folder on the real file system
        self._scratch = None if self.bwrap else self._new_scratch()

    @staticmethod
    def _new_scratch() -> str:
        scratch = tempfile.mkdtemp(prefix="autograder-sandbox-")
        os.chmod(scratch, 0o755)
        return scratch

    # -- the zygote's life --------------------------------------------------------
    def _start(self) -> None:
        if self.bwrap:
            command, env, cwd = _bwrap_command(self.bwrap) + zygote_command(self.preload), None, "/"
        else:
            command, env, cwd = zygote_command(self.preload), {**_child_environment(), "HOME": self._scratch}, \
                self._scratch
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True)
        except OSError as error:
            raise SandboxError("sandbox.cannot_run", command=command[0], error=str(error)) from None
        self._messages = queue.Queue()
        self._stderr.clear()
        # a timed call's message holds two answers; anything larger is garbled, and never read whole
        limit = 2 * self.limits.answer_bytes + OUTPUT_MARGIN
        threading.Thread(target=self._read, args=(self._process.stdout, self._messages, limit), daemon=True).start()
        threading.Thread(target=self._keep_stderr, args=(self._process.stderr,), daemon=True).start()
        ready = self._next(60.0)
        if not ready or ready.get("type") != "ready":
            self._explain_failed_start(ready)
        self.isolation = Isolation(bubblewrap=bool(self.bwrap), own_user=ready.get("own_user") is True,
                                   ipc_namespace=ready.get("ipc_namespace") is True)

    def _explain_failed_start(self, ready: dict | None) -> None:
        """Raise SandboxError with why the zygote did not say it was ready, from its and bwrap's stderr."""
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        time.sleep(0.1)  # let the stderr reader take the last lines
        stderr = "".join(self._stderr)[-STDERR_KEPT:].strip()
        status = self._process.returncode if self._process is not None else None
        self._kill()
        timed_out = bool(ready) and ready.get("type") == "timeout"
        if self.bwrap and ("namespace" in stderr or "Operation not permitted" in stderr or "bwrap:" in stderr):
            raise SandboxError("sandbox.bwrap_failed", stderr=stderr or "-")
        if "No module named" in stderr or "ModuleNotFoundError" in stderr or "ImportError" in stderr:
            raise SandboxError("sandbox.cannot_import", python=sys.executable, package=str(PACKAGE_DIR),
                               stderr=stderr)
        if timed_out:
            raise SandboxError("sandbox.no_answer", seconds=60, stderr=stderr or "-")
        raise SandboxError("sandbox.ended", status=status, stderr=stderr or "-")

    def _keep_stderr(self, stream) -> None:
        try:
            for line in iter(lambda: stream.readline(4096), b""):
                self._stderr.append(line.decode("utf-8", "replace"))
        except (OSError, ValueError):
            pass

    @staticmethod
    def _read(stream, messages: queue.Queue, limit: int) -> None:
        """Pass the zygote's messages on; whatever stops the reading, the reader says so and ends the stream
        (a reader that died silently would leave the call waiting for its timeout)."""
        try:
            while (message := wire.receive(stream, limit)) is not None:
                messages.put(message)
        except Exception as error:  # WireError above all; OSError, ValueError of a closed stream
            messages.put({"type": "garbled", "error": f"{type(error).__name__}: {error}"})
        messages.put(None)

    def _next(self, timeout: float) -> dict | None:
        try:
            return self._messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return {"type": "timeout"}

    def _forget_if_forked(self) -> None:
        """In a forked copy of the process that made this sandbox, its zygote and scratch folder are not the
        copy's to use (the zygote's reader thread did not come along) nor to remove: the copy makes its own."""
        if os.getpid() != self._owner:
            self._owner, self._process = os.getpid(), None
            if self._scratch:
                self._scratch = self._new_scratch()

    def _kill(self) -> None:
        self._forget_if_forked()
        if self._process is not None:
            if not self.bwrap:  # no PID namespace to end them with it: the job's processes, even those that
                kill_descendants(self._process.pid)  # left its session, stay the zygote's (a subreaper)
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait()
            self._process = None

    def start(self) -> Isolation:
        """Start the zygote now (it starts on first use otherwise); the protections it gives."""
        self._forget_if_forked()
        if self._process is None:
            self._start()
        return self.isolation

    def close(self) -> None:
        self._kill()  # forgets first what a forked copy does not own
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- grading ------------------------------------------------------------------
    def run(self, cells: list[dict] | list[tuple[str, str]], calls: list[Call]) -> Outcome:
        """Run ``cells`` then ``calls`` in a fresh child; never raises for learner code (a sandbox that cannot
        start raises SandboxError). A cell is ``{"label", "code", "takes"}`` (see :mod:`.notebook`), or just
        ``(label, code)``."""
        self._forget_if_forked()
        outcome = Outcome()
        cells = [cell if isinstance(cell, dict) else {"label": cell[0], "code": cell[1], "takes": []}
                 for cell in cells]
        remaining = list(calls)
        # calls with a limit of their own (training a network) add it to the submission's
        deadline = time.monotonic() + self.limits.submission_seconds + sum(c.seconds or 0 for c in calls)
        try:
            while True:
                if self._process is None:
                    self._start()
                limits = self.limits.for_child()
                limits["cpu_seconds"] += int(sum(c.seconds or 0 for c in remaining))
                job = {"cells": cells, "uid": 100000 + secrets.randbelow(2**30), "limits": limits,
                       "calls": [c.packed() for c in remaining], "answer_bytes": self.limits.answer_bytes,
                       "answers_bytes": self.limits.answers_bytes}
                wire.send(self._process.stdin, job)
                # read by the job's keeper once the job's child is forked: the child never holds them
                wire.send(self._process.stdin, {"calls": [c.timed_inputs() for c in remaining if c.timing]})
                remaining, again = self._collect(outcome, cells, remaining, deadline)
                if not again:
                    break
        except SandboxError:
            raise
        except BaseException:
            self._kill()  # whatever went wrong, the next submission must not meet this job's sandbox
            raise
        outcome.cells = cells
        return outcome

    def _collect(self, outcome: Outcome, cells: list[dict], calls: list[Call],
                 deadline: float) -> tuple[list[Call], bool]:
        """Read one job's messages; return the calls still to run, and whether to run the job again.

        A timeout or crash before every cell has run is the fault of the cell that
        was running: it is removed from ``cells``, and every call runs again.
        """
        pending = list(calls)
        kept = {cell["label"] for cell in cells if cell.get("keep_error")}
        ran = 0  # cells that have run (they report in order)
        call_deadline = time.monotonic() + self.limits.call_seconds * 3  # the cells run first

        def next_call_deadline() -> float:
            seconds = pending[0].seconds if pending and pending[0].seconds else 0.0
            return time.monotonic() + max(self.limits.call_seconds, seconds)

        while True:
            now = time.monotonic()
            message = self._next(min(call_deadline, deadline) - now)
            kind = message.get("type") if message else "ended"
            if kind == "cell":
                ran += 1
                if message.get("error"):
                    label, raised = str(message.get("label")), answers.raised(message)
                    outcome.cell_error(label, {"raised": {"type": raised.type, "message": raised.message,
                                                          "line": raised.line}}, label in kept)
                call_deadline = next_call_deadline()
            elif kind == "tick":  # one run of a timed call is over; the next has the whole limit
                call_deadline = next_call_deadline()
            elif kind == "call":
                if type(message.get("id")) is not int or not any(call.id == message["id"] for call in pending):
                    continue  # not a call of this job that is still waiting (1.0 and True are not 1): forged
                if not isinstance(message.get("line"), str):
                    message["line"] = None
                outcome.results[message["id"]] = message
                pending = [c for c in pending if c.id != message["id"]]
                call_deadline = next_call_deadline()
            elif kind == "done":
                outcome.output += str(message.get("output", ""))[: 64 * 1024]
                output_bytes = message.get("output_bytes")
                outcome.output_bytes += output_bytes if type(output_bytes) is int else 0
                if not pending and ran >= len(cells):
                    return [], False
                memory = message.get("memory") if isinstance(message.get("memory"), dict) else None
                ended = (stop("memory", limit_mib=_int(memory.get("limit_mib")), used_mib=_int(memory.get("used_mib")))
                         if memory else stop("exited", status=_int(message.get("exit"))))
                if ran < len(cells):
                    return self._skip_cell(outcome, cells, ran, pending, ended, restart=False)
                return self._give_up(outcome, pending, ended, restart=False)
            else:  # timeout, garbled stream, or the sandbox itself died
                if not pending and ran >= len(cells):  # every answer is in: whatever happened after, nothing is lost
                    outcome.events.append({"key": "problem.no_answer_after_last"})
                    self._kill()
                    return [], False
                over_all = time.monotonic() >= deadline
                if kind == "timeout" and over_all:
                    reason = stop("submission_timeout", seconds=self.limits.submission_seconds)
                    for call in pending:
                        outcome.results[call.id] = {"type": "call", "id": call.id, "ok": False, "aborted": True,
                                                    "stop": reason}
                    outcome.events.append({"key": "problem.stopped", "stop": reason})
                    self._kill()
                    return [], False
                if ran < len(cells):
                    reason = (stop("call_timeout", seconds=self.limits.call_seconds) if kind == "timeout"
                              else _no_answer(kind))
                    return self._skip_cell(outcome, cells, ran, pending, reason, restart=True)
                reason = (stop("call_timeout", seconds=max(self.limits.call_seconds, pending[0].seconds or 0))
                          if kind == "timeout" else _no_answer(kind))
                return self._give_up(outcome, pending, reason, restart=True)

    def _skip_cell(self, outcome: Outcome, cells: list[dict], index: int, pending: list[Call],
                   reason: dict, restart: bool) -> tuple[list[Call], bool]:
        """The cell at ``index`` never finished: record why, drop it, and run every pending call again."""
        cell = cells.pop(index)
        outcome.cell_error(cell["label"], {"stop": reason}, bool(cell.get("keep_error")))
        if restart:
            self._kill()
        return pending, True

    def _give_up(self, outcome: Outcome, pending: list[Call], reason: dict,
                 restart: bool) -> tuple[list[Call], bool]:
        """Fail the call in flight and every other call of its function; the rest run again."""
        if not pending:
            return [], False
        failed = pending[0].function
        for call in pending:
            if call.function == failed:
                outcome.results[call.id] = {"type": "call", "id": call.id, "ok": False, "aborted": True,
                                            "stop": reason}
        outcome.events.append({"key": "problem.stopped", "stop": reason, "function": failed})
        if restart:
            self._kill()
        remaining = [c for c in pending if c.function != failed]
        return remaining, bool(remaining)


def _no_answer(kind: str) -> dict:
    """Why the answers stopped, other than time: a message that could not be read, or none at all."""
    return stop("garbled") if kind == "garbled" else stop("no_answer")


def _int(value: object) -> int | None:
    return value if type(value) is int else None

