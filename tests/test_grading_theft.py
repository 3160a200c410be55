"""No job can see another job's data: a thief graded right after an honest learner, in the same worker.

The honest learner hands in the reference solution of assignment 1, with a
mark of its own in every graded function's code and in what it prints. The
thief hands in the release's stubs and, in every solution cell, code that
searches its own memory (``/proc/self/maps`` and ``/proc/self/mem``, as any
process may read itself) for someone else's ``def <graded function>(``, puts
the first such definition that compiles in place of its stub, and so would
earn the marks of code it did not write. Both are graded for real, by the
class grader's runner, in one sandbox (bubblewrap where it is installed), one
after the other.

- The thief earns nothing (the honest learner, the control, earns full marks).
- A search of the thief's whole memory finds nothing of the honest learner's:
  not its mark (in its cells' code, or printed), not a piece of an answer it
  sent back (as the grader reads it: base64 in JSON; nor its raw bytes). The
  same search finds the thief's own mark, so it is a search that can find.

A piece is found when its bytes are in memory: the search holds only the
first 8 bytes of each piece and a hash of the whole, never a piece itself.
"""
from __future__ import annotations

import hashlib
import shutil
import uuid

import nbformat
import numpy as np
import pytest

from autograder.grading import runner, wire
from autograder.course import Course
from autograder.grading.kit import load_kit
from autograder.grading.plan import make_plan
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Call, Limits, Sandbox, bubblewrap
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
LIMITS = Limits(call_seconds=10.0, submission_seconds=60.0)
PIECE = 48  # bytes of each piece searched for

# Reads every private writable region of its own process: where a heap, and what an earlier job left in
# it, would be. PR_SET_DUMPABLE first: a process that changed its user may not open its own /proc/self/mem
# until it says it may be dumped.
SEARCH = r'''
import ctypes, hashlib, json

ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)


def _regions():
    with open("/proc/self/maps") as maps:
        spans = [line.split() for line in maps]
    with open("/proc/self/mem", "rb", buffering=0) as memory:
        for fields in spans:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if not fields[1].startswith("rw") or end - start > 1 << 31 or fields[-1] in ("[vvar]", "[vsyscall]"):
                continue
            try:
                memory.seek(start)
                yield memory.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue


def found(pieces):
    """{name: how many times the piece whose (first 8 bytes in hex, length, sha256) is given is in memory}."""
    counts = {name: 0 for name in pieces}
    for region in _regions():
        for name, (head, size, digest) in pieces.items():
            head = bytes.fromhex(head)
            at = region.find(head)
            while at >= 0:
                if hashlib.sha256(region[at:at + size]).hexdigest() == digest:
                    counts[name] += 1
                at = region.find(head, at + 1)
    return counts


_CANDIDATES = None


def _definitions():
    """Every text in memory that starts like a definition of a graded function (cell code, or job JSON)."""
    global _CANDIDATES
    if _CANDIDATES is None:
        _CANDIDATES = []
        for region in _regions():
            at = region.find(b"def ")
            while at >= 0:
                _CANDIDATES.append(region[at:at + 6000])
                at = region.find(b"def ", at + 1)
    return _CANDIDATES


def steal(name, scope):
    """Someone else's ``name``, defined in ``scope``: the first one found that compiles and is no stub."""
    for text in _definitions():
        if not text.startswith(f"def {name}(".encode()):
            continue
        text = text.split(b"\x00")[0].decode("utf-8", "replace")
        if "\\n" in text[:300]:  # as JSON holds it
            try:
                text = json.JSONDecoder().raw_decode('"' + text)[0]
            except ValueError:
                continue
        lines = text.splitlines()
        for end in range(len(lines), 1, -1):
            code = "\n".join(lines[:end])
            if "NotImplementedError" in code or "steal(" in code:
                break
            try:
                candidate = dict(scope)
                exec(compile(code, "<stolen>", "exec"), candidate)
            except Exception:
                continue
            if callable(candidate.get(name)):
                scope[name] = candidate[name]
                return True
    return False
'''


def piece(data: bytes) -> tuple[str, int, str]:
    """What the search needs to find ``data``: its first 8 bytes (hex), its length, its sha256."""
    return data[:8].hex(), len(data), hashlib.sha256(data).hexdigest()


def marked_reference(mark: str) -> dict[str, str]:
    """The reference solution, each graded function's code carrying ``mark`` (a comment), printing it once."""
    cells = {}
    for name, code in STEP_BY_STEP.sources().items():
        code = course.strip_markers(code).replace(f"def {name}(", f"# {mark}\ndef {name}(", 1)
        cells[name] = f"print('printed', {mark!r})\n{code}"
    return cells


def thief_cells(own_mark: str) -> dict[str, str]:
    """The release's stub of each graded function, then: take someone else's definition if one is found."""
    release = nbformat.read(reference.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    stubs = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in release.cells
             if cell.metadata.get("nbgrader", {}).get("solution")}
    cells = {name: f"{stub}\n\nsteal({name!r}, globals())\n" for name, stub in stubs.items()}
    first = next(iter(cells))
    cells[first] = f"{SEARCH}\n# {own_mark}\n{cells[first]}"
    return cells


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    root = course.new_course(tmp_path_factory.mktemp("theft") / "course", STEP_BY_STEP)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    return make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))


def notebook(cells: dict[str, str]) -> bytes:
    release = reference.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.writes(course.fill_notebook(release, cells)).encode()


def first_array(value: dict) -> str:
    """The base64 text of the first array in a packed value, as the sandbox sends it."""
    if "array" in value:
        return value["array"]
    for inner in (value.get("tuple") or value.get("list") or []):
        found = first_array(inner)
        if found:
            return found
    return ""


def test_a_thief_graded_after_an_honest_learner_gains_nothing(plan):
    isolate = bubblewrap() is not None
    mark = f"honest-{uuid.uuid4().hex}"
    with Sandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
        honest = grade(plan, "honest", notebook(marked_reference(mark)), LIMITS, isolate, sandbox)
        thief = grade(plan, "thief", notebook(thief_cells(f"thief-{uuid.uuid4().hex}")), LIMITS, isolate, sandbox)
    assert honest.total == honest.max > 0  # the control: the marked reference is right
    assert thief.total == 0, {name: entry.score for name, entry in thief.functions.items()}


def test_a_thief_finds_nothing_of_the_learner_before_it_in_its_memory(plan):
    isolate = bubblewrap() is not None
    mark, own_mark = f"honest-{uuid.uuid4().hex}", f"thief-{uuid.uuid4().hex}"
    submission = runner.read_submission(notebook(marked_reference(mark)), plan)
    calls = runner._calls(plan, plan.functions)
    with Sandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
        honest = sandbox.run([cell.job() for cell in submission.cells], calls)
        answers = [message for message in honest.results.values() if message.get("ok")]
        assert len(answers) == len(calls) and f"printed {mark}" in honest.output  # the control
        conv = next(message for call, message in zip(calls, honest.results.values())
                    if call.function == "conv_forward" and message.get("ok"))
        text = first_array(conv["value"])
        raw = np.ascontiguousarray(wire.unpack(conv["value"])[0]).tobytes()
        pieces = {
            "mark in the code": piece(f"{mark}\n".encode()),
            "mark printed": piece(f"printed {mark}".encode()),
            "an answer as sent": piece(text[len(text) // 2:][:PIECE].encode()),
            "an answer's bytes": piece(raw[len(raw) // 2:][:PIECE]),
            "its own mark": piece(own_mark.encode()),
        }
        thief = sandbox.run([("search", f"{SEARCH}\n# {own_mark}\n")], [Call(0, "found", (pieces,), {})])
    counts = wire.unpack(thief.results[0]["value"])
    assert counts.pop("its own mark") > 0  # the control: the search finds what is there
    assert counts == {name: 0 for name in counts}
