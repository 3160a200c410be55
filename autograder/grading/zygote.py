"""The process inside the sandbox: import numpy once, then fork one child per submission.

Run as ``python -I -m autograder.grading.zygote``. It reads jobs from stdin and
writes messages to stdout (see :mod:`.wire`). For each job it forks a child
that, before running any learner code,

- starts a new session and points its stdout/stderr at a pipe that the zygote
  drains and caps;
- becomes an unprivileged user of its own (when the zygote runs as root), so
  that it cannot signal the zygote, read other jobs' files, or outlive its job;
- lowers its resource limits (memory, CPU time, processes, file size, files);
- works in a private temporary folder.

The child then runs the submission's cells (their IPython syntax, such as
magics and shell escapes, turned into plain Python first: that is work on
learner input, so it is done here, under the job's limits) and the requested
calls, and sends each result back as plain data. This module is trusted code,
but it never holds expected outputs, the reference or anything from the course
directory: there is nothing in here for learner code to find.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sys
import threading
import traceback

import numpy as np  # imported once here, inherited by every child

from . import wire

try:
    from IPython.core.inputtransformer2 import TransformerManager
except ImportError:  # then cells must be plain Python
    TransformerManager = None

OUTPUT_KEPT = 64 * 1024


def _apply_limits(limits: dict) -> None:
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "cpu_seconds": resource.RLIMIT_CPU,
        "file_bytes": resource.RLIMIT_FSIZE,
        "processes": resource.RLIMIT_NPROC,
        "open_files": resource.RLIMIT_NOFILE,
    }
    for key, which in pairs.items():
        if key in limits:
            resource.setrlimit(which, (limits[key], limits[key]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _become(uid: int | None) -> None:
    if uid is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _python(code: str) -> str:
    """Cell code as plain Python (IPython magics and shell escapes turned into calls)."""
    if TransformerManager is None:
        return code
    try:
        return TransformerManager().transform_cell(code)
    except Exception:
        return code


def _error_message(error: BaseException) -> dict:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")]
    return {
        "error": f"{type(error).__name__}: {error}",
        "not_implemented": isinstance(error, NotImplementedError),
        "line": frames[-1].line if frames and frames[-1].line else None,
    }


def _child(job: dict, results, output_fd: int) -> None:
    """Runs in the forked child; never returns."""
    try:
        os.setsid()
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        _become(job.get("uid"))
        work = os.path.join("/tmp", f"job-{os.getuid()}-{os.getpid()}")
        os.makedirs(work, mode=0o700, exist_ok=True)
        os.chdir(work)
        os.environ.update(HOME=work, TMPDIR=work)
        _apply_limits(job.get("limits", {}))
        import linecache

        scope: dict = {"__name__": "__main__", "np": np}
        for grade_id, code in job["cells"]:
            filename = f"<cell {grade_id}>"
            try:
                code = _python(code)
                linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
                exec(compile(code, filename, "exec"), scope)
                wire.send(results, {"type": "cell", "grade_id": grade_id, "error": None})
            except BaseException as error:  # a broken cell costs that cell, not the job
                wire.send(results, {"type": "cell", "grade_id": grade_id, **_error_message(error)})
        for call in job["calls"]:
            message = {"type": "call", "id": call["id"]}
            function = scope.get(call["function"])
            if not callable(function):
                message.update(error=None, missing=True)
            else:
                try:
                    args = wire.unpack(call["args"])
                    kwargs = wire.unpack(call["kwargs"])
                    message.update(ok=True, value=wire.pack(function(*args, **kwargs)))
                except BaseException as error:
                    message.update(ok=False, **_error_message(error))
            try:
                wire.send(results, message)
            except wire.WireError as error:
                wire.send(results, {"type": "call", "id": call["id"], "ok": False,
                                    "error": f"the result could not be sent back: {error}"})
    finally:
        try:
            results.flush()
        finally:
            os._exit(0)


def _drain(fd: int, kept: list[bytes], total: list[int]) -> None:
    size = 0
    with os.fdopen(fd, "rb", buffering=0) as stream:
        while chunk := stream.read(65536):
            total[0] += len(chunk)
            if size < OUTPUT_KEPT:
                kept.append(chunk[: OUTPUT_KEPT - size])
                size += len(kept[-1])


def _clean_up(uid: int | None) -> None:
    """Kill whatever the job left running and remove its files, as that job's own user.

    Every file the job made in ``/tmp`` goes, not only its working folder: the
    next job in this sandbox (another student) must find nothing of it there.
    """
    if uid is None or os.geteuid() != 0:
        return
    pid = os.fork()
    if pid == 0:
        try:
            _become(uid)
            os.kill(-1, signal.SIGKILL)  # every process of this uid but this one
            for name in os.listdir("/tmp"):
                path = os.path.join("/tmp", name)
                try:
                    if os.lstat(path).st_uid != uid:
                        continue
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.chmod(path, 0o700)  # the job may have closed its own folders
                        for folder, folders, _ in os.walk(path):
                            for inner in (os.path.join(folder, f) for f in folders):
                                if not os.path.islink(inner):
                                    os.chmod(inner, 0o700)
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        os.unlink(path)
                except OSError:
                    pass
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def run_job(job: dict, out) -> None:
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(result_r)
        os.close(output_r)
        _child(job, os.fdopen(result_w, "wb"), output_w)
    os.close(result_w)
    os.close(output_w)
    kept: list[bytes] = []
    total = [0]
    drainer = threading.Thread(target=_drain, args=(output_r, kept, total), daemon=True)
    drainer.start()
    status: list[int] = []

    def reap() -> None:
        status.append(os.waitpid(pid, 0)[1])
        _clean_up(job.get("uid"))  # closes pipes held open by leftover processes

    reaper = threading.Thread(target=reap, daemon=True)
    reaper.start()
    with os.fdopen(result_r, "rb") as results:
        while True:
            try:
                message = wire.receive(results)
            except wire.WireError as error:
                wire.send(out, {"type": "garbled", "error": str(error)})
                break
            if message is None:
                break
            if message.get("type") in ("cell", "call"):  # learner code can write here too: it must not
                wire.send(out, message)  # end its job early ("done") and then speak for the next one
    reaper.join()
    drainer.join(timeout=5)
    code = status[0] if status else -1
    wire.send(out, {
        "type": "done",
        "exit": os.waitstatus_to_exitcode(code) if status else None,
        "output": b"".join(kept).decode("utf-8", "replace"),
        "output_bytes": total[0],
    })


def main() -> None:
    inbox, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages on the real stdout
    wire.send(out, {"type": "ready", "pid": os.getpid(), "uid": os.getuid()})
    while (job := wire.receive(inbox)) is not None:
        run_job(job, out)


if __name__ == "__main__":
    main()
