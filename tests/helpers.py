"""What many tests share: the registry, and an assignment's checks run in-process as data."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import autograder
from autograder.verdict import Outcome, Verdict
from instructor.assignment import Assignment
from instructor.assignments import REGISTRY

ASSIGNMENTS = list(REGISTRY.values())
STEP_BY_STEP, VECTORIZED, APPLICATION = (REGISTRY[name] for name in
                                         ("conv_step_by_step", "conv_vectorized", "conv_application"))


TINY = Path(__file__).resolve().parent / "fixtures" / "tiny_assignment"


def tiny() -> Assignment:
    """The tiny extra assignment of ``tests/fixtures/tiny_assignment/`` (README's "Adding an assignment")."""
    spec = importlib.util.spec_from_file_location("tiny_assignment", TINY / "assignment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ASSIGNMENT


def verdicts(assignment: Assignment, notebook: dict) -> dict[str, Verdict]:
    """{function: its first failing verdict} over the visible, then the hidden checks of ``notebook``
    (a namespace of the assignment's functions); functions that pass every check are left out."""
    check = autograder.checks(assignment.name)
    found = {}
    for name in assignment.functions:
        if not callable(notebook.get(name)):
            found[name] = Verdict(name, Outcome.MISSING)
            continue
        for hidden in (False, True):
            verdict, _ = check.verdict(name, notebook[name], hidden, scope=notebook)
            if not verdict.passed:
                found[name] = verdict
                break
    return found


def pool_by_hand(A_prev, f: int, stride: int, n_H: int, n_W: int, mode: str, columns: int | None = None):
    """A learner's pooling loop over the n_H x n_W windows they computed, each at (h * stride, w * stride), f rows
    by ``columns`` (f unless given) columns: (m, n_H, n_W, n_C). A window cut empty raises, as numpy's max does."""
    import numpy as np

    m, _, _, n_C = A_prev.shape
    width = f if columns is None else columns
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + width, :]
            A[:, h, w, :] = window.max(axis=(1, 2)) if mode == "max" else window.mean(axis=(1, 2))
    return A


def ids(assignment: Assignment) -> str:
    return assignment.name


def examples_of(assignment: Assignment) -> dict[str, dict[str, str]]:
    """{student: {grade id: cell code}} of the assignment's bundled example submissions."""
    return {example.student: dict(example.cells) for example in assignment.examples(assignment)}


def link_or_copy(source: str, target: str) -> str:
    """A hard link of ``source`` at ``target`` (no time, no space), or a copy where the kernel refuses the
    link (another file system, or a file of another user under ``fs.protected_hardlinks``, as for a normal
    user and a system Python): a ``copy_function`` for ``shutil.copytree``."""
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def leaves_its_session(function: str, comm: str, seconds: int, then: str) -> str:
    """The code of a learner's ``function`` that starts a process in a session of its own (a double fork,
    named ``comm``, holding no pipe of the sandbox's, alive for ``seconds``) and, once it runs, does ``then``
    (one line, which may use ``r``, the pipe on which the process said "started")."""
    return f"""
import ctypes, os, time
def {function}():
    r, w = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, b"{comm}", 0, 0, 0)
            os.write(w, b"started")
            os.closerange(0, 1024)  # holds no pipe of the sandbox's
            time.sleep({seconds})
        os._exit(0)
    {then}
"""


def course_with_a_plan(folder: Path, assignment: Assignment):
    """(the grading plan, the release notebook) of a new course of ``assignment`` made in ``folder``, its release
    copied from the repository's: what a test needs to grade submissions with the class grader's own parts."""
    import shutil

    from autograder.course import Course
    from autograder.grading.kit import load_kit
    from autograder.grading.plan import make_plan
    from instructor import course, reference

    root = course.new_course(folder / "course", assignment)
    shutil.copytree(reference.REPO / "release" / assignment.name, root / "release" / assignment.name)
    plan = make_plan(Course(root), assignment.name, load_kit(root, reference.REPO))
    return plan, root / "release" / assignment.name / f"{assignment.name}.ipynb"
