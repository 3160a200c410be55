"""Start the sandbox and run a submission's code in it (trusted side).

:class:`Sandbox` keeps one :mod:`.zygote` process alive per grading worker and
sends it jobs. With bubblewrap (``bwrap``) the zygote runs in its own network,
PID, IPC and UTS namespaces and sees a file system holding only the Python
installation, this package and a private ``/tmp``: no course directory, no
gradebook, no other students, no home directory. Without bubblewrap, jobs
still run in a separate process under their own user (when the grader runs as
root), with resource limits, but network and file system are not isolated;
:attr:`Sandbox.isolation` says which is in force.

Wall-clock limits are enforced here, outside: a call that runs too long gets
the whole sandbox killed (SIGKILL to its process group, which ends the PID
namespace), and a fresh one carries on with the remaining calls. A cell that
hangs or ends the process at its top level is blamed on that cell: the fresh
sandbox runs the other cells without it.
"""
from __future__ import annotations

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

from . import wire

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the installed ``autograder`` package
FULL = "bubblewrap: no network, private file system view, own user, resource limits"
PARTIAL = ("process only: own process and user (when run as root) and resource limits; "
           "network and file system NOT isolated (install bubblewrap)")


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0  # wall clock, per function call
    submission_seconds: float = 60.0  # wall clock, all calls of one submission
    memory_bytes: int = 1536 * 1024 * 1024  # address space of each process, and resident memory of the job
    cpu_seconds: int = 60
    file_bytes: int = 16 * 1024 * 1024
    processes: int = 8
    open_files: int = 64

    def for_child(self) -> dict:
        return {"memory_bytes": self.memory_bytes, "cpu_seconds": self.cpu_seconds, "file_bytes": self.file_bytes,
                "processes": self.processes, "open_files": self.open_files}


@dataclass
class Call:
    id: int
    function: str
    args: tuple
    kwargs: dict
    timing: dict | None = None  # a timed call: {"calibration": [M, K, N], "factor": ...}, see zygote.py
    seconds: float | None = None  # its own wall-clock limit, when it needs more than Limits.call_seconds

    def packed(self) -> dict:
        """The call as the job lists it: a timed call without any of its inputs (see :meth:`timed_inputs`)."""
        if self.timing:
            return {"id": self.id, "function": self.function,
                    "timing": {key: self.timing[key] for key in ("calibration", "factor")}}
        return {"id": self.id, "function": self.function, "args": wire.pack(self.args),
                "kwargs": wire.pack(self.kwargs)}

    def timed_inputs(self) -> dict:
        """A timed call's inputs: its own, and those of each timed run (``timing["runs"]``, already packed)."""
        return {"id": self.id, "args": wire.pack(self.args), "kwargs": wire.pack(self.kwargs),
                "runs": self.timing["runs"]}


@dataclass
class Outcome:
    """What came back from one submission: nothing in here is trusted beyond its type."""

    cell_errors: dict[str, str] = field(default_factory=dict)  # grade_id -> error text
    results: dict[int, dict] = field(default_factory=dict)  # call id -> message from the sandbox
    output: str = ""
    output_bytes: int = 0
    events: list[str] = field(default_factory=list)  # timeouts, crashes: for the report


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
               "--die-with-parent", "--new-session", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
               "--cap-add", "CAP_SYS_ADMIN"]  # for a new IPC namespace per job; a job drops every capability
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
    for name, value in _child_environment().items():
        command += ["--setenv", name, value]
    return command


class Sandbox:
    """One long-lived zygote; :meth:`run` grades one submission's calls in a fresh child."""

    def __init__(self, limits: Limits = Limits(), isolate: bool = True) -> None:
        self.limits = limits
        self.bwrap = bubblewrap() if isolate else None
        self.isolation = FULL if self.bwrap else PARTIAL
        self._process: subprocess.Popen | None = None
        self._messages: queue.Queue = queue.Queue()
        # without bubblewrap the zygote needs a home and working folder on the real file system
        self._scratch = None if self.bwrap else tempfile.mkdtemp(prefix="autograder-sandbox-")

    # -- the zygote's life --------------------------------------------------------
    def _start(self) -> None:
        # abspath: no ".." through folders that the sandbox does not have
        python = [os.path.abspath(sys.executable), "-I", "-m", "autograder.grading.zygote"]
        if self.bwrap:
            command, env, cwd = _bwrap_command(self.bwrap) + python, None, "/"
        else:
            command, env, cwd = python, {**_child_environment(), "HOME": self._scratch}, self._scratch
            env["PYTHONPATH"] = str(PACKAGE_DIR.parent)
            command = [sys.executable, "-m", "autograder.grading.zygote"]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True)
        self._messages = queue.Queue()
        threading.Thread(target=self._read, args=(self._process.stdout, self._messages), daemon=True).start()
        ready = self._next(30.0)
        if not ready or ready.get("type") != "ready":
            self.close()
            raise RuntimeError(f"the sandbox did not start: {ready}")

    @staticmethod
    def _read(stream, messages: queue.Queue) -> None:
        try:
            while (message := wire.receive(stream)) is not None:
                messages.put(message)
        except (wire.WireError, OSError, ValueError) as error:
            messages.put({"type": "garbled", "error": str(error)})
        messages.put(None)

    def _next(self, timeout: float) -> dict | None:
        try:
            return self._messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return {"type": "timeout"}

    def _kill(self) -> None:
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait()
            self._process = None

    def close(self) -> None:
        self._kill()
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- grading ------------------------------------------------------------------
    def run(self, cells: list[tuple[str, str]], calls: list[Call]) -> Outcome:
        """Run ``cells`` (grade_id, code) then ``calls`` in a fresh child; never raises for learner code."""
        outcome = Outcome()
        cells, remaining = list(cells), list(calls)
        # calls with a limit of their own (training a network) add it to the submission's
        deadline = time.monotonic() + self.limits.submission_seconds + sum(c.seconds or 0 for c in calls)
        try:
            while remaining:
                if self._process is None:
                    self._start()
                limits = self.limits.for_child()
                limits["cpu_seconds"] += int(sum(c.seconds or 0 for c in remaining))
                job = {"cells": cells, "uid": 100000 + secrets.randbelow(2**30), "limits": limits,
                       "calls": [c.packed() for c in remaining]}
                wire.send(self._process.stdin, job)
                # read by the zygote once the job's child is forked: a copy of the zygote never holds them
                wire.send(self._process.stdin, {"calls": [c.timed_inputs() for c in remaining if c.timing]})
                remaining = self._collect(outcome, cells, remaining, deadline)
        except BaseException:
            self._kill()  # whatever went wrong, the next submission must not meet this job's sandbox
            raise
        return outcome

    def _collect(self, outcome: Outcome, cells: list[tuple[str, str]], calls: list[Call],
                 deadline: float) -> list[Call]:
        """Read one job's messages; return the calls still to run after a timeout or crash.

        A timeout or crash before every cell has run is the fault of the cell that
        was running: it is removed from ``cells``, and every call runs again.
        """
        pending = list(calls)
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
                    outcome.cell_errors[str(message.get("grade_id"))] = str(message["error"])
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
                outcome.output_bytes += int(message.get("output_bytes") or 0)
                if not pending:
                    return []
                ended = str(message.get("reason") or f"the process ended (exit status {message.get('exit')})")
                if ran < len(cells):
                    return self._skip_cell(outcome, cells, ran, pending, ended, restart=False)
                return self._give_up(outcome, pending, f"{ended} while running {pending[0].function}",
                                     restart=False)
            else:  # timeout, garbled stream, or the sandbox itself died
                if not pending:  # every call has its answer: whatever happened after, nothing is lost
                    outcome.events.append(f"the sandbox stopped answering after the last answer ({kind})")
                    self._kill()
                    return []
                over_all = time.monotonic() >= deadline
                if kind == "timeout" and over_all:
                    reason = f"the submission ran past its limit of {self.limits.submission_seconds:g} s"
                    for call in pending:
                        outcome.results[call.id] = {"type": "call", "id": call.id, "ok": False, "aborted": True,
                                                    "error": reason}
                    outcome.events.append(reason)
                    self._kill()
                    return []
                if ran < len(cells):
                    return self._skip_cell(outcome, cells, ran, pending,
                                           f"it ran past the limit of {self.limits.call_seconds:g} s" if
                                           kind == "timeout" else f"the sandbox stopped answering ({kind})",
                                           restart=True)
                reason = (f"{pending[0].function} ran past the limit of "
                          f"{max(self.limits.call_seconds, pending[0].seconds or 0):g} s per call"
                          if kind == "timeout" else f"the sandbox stopped answering ({kind})")
                return self._give_up(outcome, pending, reason, restart=True)

    def _skip_cell(self, outcome: Outcome, cells: list[tuple[str, str]], index: int, pending: list[Call],
                   reason: str, restart: bool) -> list[Call]:
        """The cell at ``index`` never finished: record why, drop it, and run every pending call again."""
        grade_id = cells.pop(index)[0]
        outcome.cell_errors[grade_id] = reason
        if restart:
            self._kill()
        return pending

    def _give_up(self, outcome: Outcome, pending: list[Call], reason: str, restart: bool) -> list[Call]:
        """Fail the call in flight and every other call of its function; the rest run again."""
        failed = pending[0].function
        for call in pending:
            if call.function == failed:
                outcome.results[call.id] = {"type": "call", "id": call.id, "ok": False, "aborted": True,
                                            "error": reason}
        outcome.events.append(reason)
        if restart:
            self._kill()
        return [c for c in pending if c.function != failed]
