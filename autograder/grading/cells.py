"""The cell runner: what a job's child does inside the sandbox, once it is jailed (:mod:`.jail`).

It runs the submission's cells in order, in one namespace, as the notebook
would; their IPython syntax (magics, shell escapes) is turned into plain Python
first (:func:`python_of`, with the little of IPython they call: :class:`Shell`),
which is work on learner input, so it is done here, under the job's limits.
At a checkpoint (a test cell) it takes the graded functions as they are then.
Then it makes the job's calls and sends each answer back as plain data
(:mod:`.wire`): a value, or the error raised, or that the function is missing.
A timed call is the timer's (:func:`.timing.answer_timed_runs`).

An answer larger than the job's ``answer_bytes`` is not sent: the answer says
how large it was instead (``too_large``); the job's keeper holds every message
to that size in any case (:mod:`.zygote`).

:class:`CellRunner` is the one place where a graded function is called
(:meth:`CellRunner.call`): a subclass may watch those calls.
"""
from __future__ import annotations

import linecache
import re
import traceback
from typing import Any, BinaryIO, Callable

import numpy as np

from . import timing, wire

try:
    from IPython.core.inputtransformer2 import TransformerManager
except ImportError:  # then cells must be plain Python
    TransformerManager = None

ERROR_KEPT = 4000
_TIMEIT_OPTIONS = re.compile(r"^\s*((-[nrp]\s*\d+|-[a-zA-Z]+)\s+)*")


def python_of(code: str) -> str:
    """Cell code as plain Python (IPython magics and shell escapes turned into calls of :class:`Shell`)."""
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


class Shell:
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


def error_message(error: BaseException) -> dict:
    """An exception as the wire carries it (read back by :func:`.answers.raised`), its text cut to
    ``ERROR_KEPT`` characters (an exception's text is the learner's, of any size)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")]
    try:
        text = str(error)[:ERROR_KEPT]
    except Exception:  # a __str__ of the learner's that raises
        text = ""
    return {
        "error": f"{type(error).__name__}: {text}",
        "error_type": type(error).__name__,
        "error_message": text,
        "not_implemented": isinstance(error, NotImplementedError),
        "line": frames[-1].line[:ERROR_KEPT] if frames and frames[-1].line else None,
        # where that line is: the learner's function, and the cell and line number (the trusted side reads the
        # line from its own copy of the cell)
        "where": frames[-1].name[:ERROR_KEPT] if frames else None,
        "at": [frames[-1].filename[6:-1][:ERROR_KEPT], frames[-1].lineno] if frames else None,
    }


def packed_size(value: Any) -> int:
    """About how many bytes ``value`` takes on the wire (arrays at their size, as blobs or in base64)."""
    if isinstance(value, np.ndarray):
        return value.nbytes * 4 // 3 + 128
    if isinstance(value, (tuple, list)):
        return 16 + sum(packed_size(v) for v in value)
    if isinstance(value, dict):
        return 16 + sum(len(str(k)) + packed_size(v) for k, v in value.items())
    if isinstance(value, str):
        return len(value) + 16
    return 32


class CellRunner:
    """Runs one job's cells and calls in this (the child's) process."""

    def __init__(self, results: BinaryIO, answer_bytes: int) -> None:
        self.results, self.answer_bytes = results, answer_bytes
        self.scope: dict = {"__name__": "__main__", "np": np, "display": lambda *args, **kwargs: None}
        self.taken: dict = {}

    def send(self, message: dict, blobs: list[bytes] = ()) -> None:
        try:
            wire.send(self.results, message, blobs)
        except wire.WireError as error:
            wire.send(self.results, {"type": "call", "id": message.get("id"), "ok": False, "unsendable": str(error)})

    def run_cells(self, cells: list[dict]) -> None:
        """Run the notebook's cells in order; at a checkpoint, take the functions the judge will call (as the
        notebook's test cell would have seen them, before any later cell redefined them)."""
        for cell in cells:
            label = cell["label"]
            if cell.get("takes"):
                self.taken.update({name: self.scope.get(name) for name in cell["takes"]})
                self.send({"type": "cell", "label": label, "error": None})
                continue
            filename = f"<cell {label}>"
            try:
                code, compiled = cell["code"], None
                try:  # compiled once: python_of would compile it only to see that it is Python already
                    compiled = compile(code, filename, "exec")
                except (SyntaxError, ValueError):
                    code = python_of(code)
                linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
                self.scope["get_ipython"] = lambda shell=Shell(self.scope, filename): shell
                exec(compiled or compile(code, filename, "exec"), self.scope)
                self.send({"type": "cell", "label": label, "error": None})
            except BaseException as error:  # a broken cell costs that cell, not the job
                self.send({"type": "cell", "label": label, **error_message(error)})

    def function(self, name: str) -> Callable | None:
        found = self.taken[name] if name in self.taken else self.scope.get(name)
        return found if callable(found) else None

    def call(self, function: Callable, args: tuple, kwargs: dict) -> Any:
        """Call a graded function: the one place where the judge's calls happen."""
        return function(*args, **kwargs)

    def answer(self, function: Callable, args: Any, kwargs: Any, blobs: list[bytes] = (),
               reply_blobs: list[bytes] | None = None) -> dict:
        """Call ``function`` on packed arguments: {"ok": True, "value": packed}, the error, or ``too_large``."""
        try:
            value = self.call(function, wire.unpack(args, blobs), wire.unpack(kwargs, blobs))
            size = packed_size(value)
            if size > self.answer_bytes:
                return {"ok": False, "too_large": size}
            return {"ok": True, "value": wire.pack(value, reply_blobs)}
        except BaseException as error:
            return {"ok": False, **error_message(error)}

    def run_calls(self, calls: list[dict], orders: BinaryIO) -> None:
        for call in calls:
            function = self.function(call["function"])
            if function is None:
                self.send({"type": "call", "id": call["id"], "error": None, "missing": True})
            elif "timing" in call:
                timing.answer_timed_runs(self, function, call["id"], orders)
            elif call.get("trace") or call.get("answers"):
                self.send({"type": "call", "id": call["id"], **self.answer_standing_in(function, call)})
            else:
                self.send({"type": "call", "id": call["id"], **self.answer(function, call["args"], call["kwargs"])})

    def answer_standing_in(self, function: Callable, call: dict) -> dict:
        """An untimed call with the diagnosis's stand-ins (see :mod:`autograder.diagnosis.oracle`): ``trace``
        names whose calls are counted, ``answers`` names that answer from a table. The answer says which names
        were called (``traced``) and the calls no table answered (``missed``)."""
        from ..diagnosis import oracle

        home = getattr(function, "__globals__", self.scope)
        try:
            answers = {name: oracle.table_from_data(data, wire.unpack)
                       for name, data in (call.get("answers") or {}).items()}
        except (wire.WireError, KeyError, TypeError, ValueError):
            answers = {}
        with oracle.standing_in(home, call.get("trace") or (), answers) as seen:
            message = self.answer(function, call["args"], call["kwargs"])
        message["traced"] = sorted(seen.called)
        if seen.missed_any:
            try:
                missed = {name: wire.pack(calls) for name, calls in seen.missed.items() if calls}
                if packed_size(missed) <= self.answer_bytes:
                    message["missed"] = missed
                else:
                    message["unkeyable"] = True
            except wire.WireError:
                message["unkeyable"] = True
        return message
