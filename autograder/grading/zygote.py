"""The process inside the sandbox: import numpy once, then start every job from a copy that never saw one.

Run by :mod:`.sandbox` as ``python -I -c "... main(modules)"``. The zygote
imports numpy and the modules the notebooks' setup cells import, sets up the
jail (:meth:`.jail.Jail.set_up`), says it is ready, and then never reads a job:
for each job it forks a *keeper* first, and the keeper reads the job from the
zygote's standard input (Chromium's zygote model). The zygote only waits for
the keeper to end, kills what the job may have left running, and forks the
next keeper. So no process that starts a job ever held a learner's code,
inputs, answers or output: what one job's keeper held ends with it, and the
next job starts from a copy of the zygote (a test, tests/test_grading_theft.py,
has a learner search its whole memory for the one before).

The keeper of a job (:func:`keep`):

- reads the job (its cells and calls, each call's inputs but a timed call's);
- forks the job's child, which jails itself (:class:`.jail.Jail`), runs the
  cells and calls (:class:`.cells.CellRunner`) and sends each answer back;
- then reads the timed calls' inputs, which the child so never holds, and
  times them (:class:`.timing.Timer`);
- passes every message of the child's on (:mod:`.wire`: JSON, arrays as
  ``.npy``), each held to the job's ``answer_bytes``, all of them together to
  its ``answers_bytes`` (beyond which a value is replaced by its size,
  ``too_large``); drains and caps the child's output; watches the memory of the
  job's processes (:func:`.jail.watch_memory`);
- when the child ends, cleans up (:func:`.jail.clean_up`, the job's IPC
  objects), says ``done`` and ends.

This module is trusted code, but it never holds expected outputs, the reference
or anything from the course directory: there is nothing in here for learner
code to find.
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import os
import sys
import threading
import traceback
from typing import BinaryIO

import numpy as np  # noqa: F401  imported once here, inherited by every job

from . import wire
from .cells import CellRunner
from .jail import PR_SET_CHILD_SUBREAPER, PR_SET_DUMPABLE, Jail, apply_limits, clean_up, cpu_spent, ipc_objects, \
    job_cpu, reap_orphans, remove_ipc, watch_memory
from .processes import kill_descendants
from .timing import Timer

OUTPUT_KEPT = 64 * 1024
ANSWER_BYTES = 16 * 2**20  # the most one message of a job's may hold, unless the job says otherwise
ANSWERS_BYTES = 64 * 2**20  # the most all values of a job's answers may hold together, unless it says otherwise
JOB_DONE, NO_MORE_JOBS = 0, 3  # a keeper's exit status


class _Exact:
    """A file descriptor read for exactly the bytes asked (a pipe may give fewer at a time), with no read-ahead:
    a keeper reads its own job from the zygote's standard input and not a byte of the next one."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, size: int) -> bytes:
        parts, missing = [], size
        while missing > 0:
            part = os.read(self.fd, min(missing, 1 << 20))
            if not part:
                break
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)


class _Results:
    """The child's messages, each at most ``each`` bytes (else WireError); once values worth ``total`` bytes have
    come, a call's value is replaced by its size (``too_large``)."""

    def __init__(self, stream: BinaryIO, each: int, total: int) -> None:
        self.stream, self.each, self.total, self.spent = stream, each, total, 0

    def receive(self, stream: BinaryIO | None = None) -> dict | None:
        message = wire.receive(self.stream, self.each)
        if message is None or message.get("type") != "call" or "value" not in message:
            return message
        size = sum(len(blob) for blob in message.get("blobs", ()) if isinstance(blob, bytes)) \
            + len(str(message["value"]))
        self.spent += size
        if self.spent > self.total:
            return {"type": "call", "id": message.get("id"), "ok": False, "too_large": size}
        return message


def _drain(fd: int, kept: list[bytes], total: list[int]) -> None:
    size = 0
    with os.fdopen(fd, "rb", buffering=0) as stream:
        while chunk := stream.read(65536):
            total[0] += len(chunk)
            if size < OUTPUT_KEPT:
                kept.append(chunk[: OUTPUT_KEPT - size])
                size += len(kept[-1])


def _child(job: dict, jail: Jail, results: BinaryIO, output_fd: int, orders: BinaryIO, go: int) -> None:
    """Runs in the job's forked child; never returns. It sets its limits once the keeper's threads for this
    job have started (a byte, or the end, on ``go``): the process limit must count them exactly."""
    try:
        jail.lock_in(job.get("uid"), output_fd)
        os.read(go, 1)
        os.close(go)
        apply_limits(job.get("limits", {}))
        runner = CellRunner(results, job.get("answer_bytes", ANSWER_BYTES))
        runner.run_cells(job["cells"])
        runner.run_calls(job["calls"], orders)
    finally:
        try:
            results.flush()
        finally:
            os._exit(0)


def run_job(job: dict, jail: Jail, inbox: _Exact, out: BinaryIO) -> None:
    """Run one job in a fresh child; the inputs of its timed calls are read from ``inbox`` after the fork,
    so that the child, a copy of this process, never holds them."""
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    orders_r, orders_w = os.pipe()
    go_r, go_w = os.pipe()
    ipc_before = ipc_objects()  # a job without an IPC namespace of its own leaves its objects here
    tmp_before = set(os.listdir("/tmp"))
    pid = os.fork()
    if pid == 0:
        for fd in (result_r, output_r, orders_w, go_w):
            os.close(fd)
        _child(job, jail, os.fdopen(result_w, "wb"), output_w, os.fdopen(orders_r, "rb"), go_r)
    for fd in (result_w, output_w, orders_r, go_r):
        os.close(fd)
    inputs = wire.receive(inbox) or {}
    timed = {call["id"]: {**call, **extra} for call in job["calls"] if "timing" in call
             for extra in inputs.get("calls", []) if extra.get("id") == call["id"]}
    del inputs
    kept: list[bytes] = []
    total = [0]
    drainer = threading.Thread(target=_drain, args=(output_r, kept, total), daemon=True)
    drainer.start()
    status: list[int] = []
    own_user = jail.user(job.get("uid"))  # else the job's processes are this keeper's descendants

    def reap() -> None:
        status.append(os.waitpid(pid, 0)[1])
        clean_up(own_user, pid, tmp_before)  # closes pipes leftovers hold open
        remove_ipc(ipc_objects() - ipc_before)  # what the job made, and only that

    reaper = threading.Thread(target=reap, daemon=True)
    reaper.start()
    watching, over_memory = threading.Event(), []
    limit = job.get("limits", {}).get("memory_bytes")
    if limit:
        threading.Thread(target=watch_memory, args=(own_user, limit, watching, over_memory), daemon=True).start()
    os.write(go_w, b"!")  # every thread of this job's is running: the child may count the tasks now
    os.close(go_w)
    functions = {call["id"]: call["function"] for call in job["calls"]}
    with os.fdopen(result_r, "rb") as stream, os.fdopen(orders_w, "wb") as orders:
        results = _Results(stream, job.get("answer_bytes", ANSWER_BYTES), job.get("answers_bytes", ANSWERS_BYTES))
        timer = Timer(timed, functions, stream, orders, out, results.receive, lambda: job_cpu(own_user), cpu_spent)
        while True:
            try:
                message = results.receive()
            except wire.WireError as error:
                wire.send(out, {"type": "garbled", "error": str(error)[:500]})
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
    # rounded up: the job held more than the limit, and its MiB must say so (1024.3 MiB is "1025", not "1024")
    memory = {"limit_mib": limit // 2**20, "used_mib": -(-over_memory[0] // 2**20)} if over_memory else None
    wire.send(out, {
        "type": "done",
        "exit": os.waitstatus_to_exitcode(code) if status else None,
        "memory": memory,
        "output": b"".join(kept).decode("utf-8", "replace"),
        "output_bytes": total[0],
    })


def keep(jail: Jail, out: BinaryIO) -> int:
    """A keeper: read one job from standard input and run it; its exit status (see JOB_DONE)."""
    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # the job's orphans come to this keeper (not inherited)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the job, which may run as this user, cannot read this process
    inbox = _Exact(0)
    try:
        job = wire.receive(inbox)
        if job is None:
            return NO_MORE_JOBS
        run_job(job, jail, inbox, out)
        return JOB_DONE
    except BaseException:
        traceback.print_exc()
        return 1


def preload(modules: list[str]) -> None:
    """Import what the notebooks' setup cells import, once, so that every job's fork starts with it."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a module that cannot be imported here fails in the learner's cell, as it would
            pass


def main(modules: list[str] = ()) -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages on the real stdout
    preload(list(modules))
    jail = Jail.set_up()
    wire.send(out, {"type": "ready", "pid": os.getpid(), "uid": os.getuid(), "own_user": jail.own_user,
                    "ipc_namespace": jail.ipc_namespace})
    gc.freeze()  # what the zygote holds is never collected: its copies need not look at it (nor copy its pages)
    while True:
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os._exit(keep(jail, out))
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if status != JOB_DONE or jail.user(0) is None:  # no user of its own: its processes are descendants
            kill_descendants(os.getpid())  # what a job left that its keeper did not end (the keeper's orphans)
        reap_orphans()
        if status != JOB_DONE:
            return  # no more jobs, or a keeper that failed: the grader sees the end and starts a new sandbox


if __name__ == "__main__":
    main(sys.argv[1:])
