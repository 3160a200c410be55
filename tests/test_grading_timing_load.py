"""Vectorized layers pass the class grader's timing checks on a busy machine.

The reference, the bundled einsum example and the slowest vectorized learners
of the kit's corpus (np.add.at, einsum without a plan, channels-first views) are
graded by the class grader's runner in a real sandbox (bubblewrap where it is
installed) while four processes keep both cores busy, on top of whatever else
runs. Not one of their layers may lose a mark for its time: the check times the
CPU a job spends, against a calibration in CPU time, so the wait for a busy
processor is nobody's fault. (Their other marks are the corpus's business: a
learner there may have a bug.)
"""
from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.course import Course
from autograder.grading.kit import load_kit
from autograder.grading.plan import make_plan
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Limits, Sandbox, bubblewrap
from autograder.verdict import Outcome
from instructor import corpus, course, reference
from tests.helpers import VECTORIZED, examples_of

ASSIGNMENT = VECTORIZED.name
LIMITS = Limits(call_seconds=20.0, submission_seconds=120.0)
SLOWEST = ("learner_05", "learner_07", "learner_16", "learner_17", "learner_30", "learner_33")
HOGS = 4


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    root = course.new_course(tmp_path_factory.mktemp("load") / "course", VECTORIZED)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    plan = make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebooks = {"reference": course.fill_notebook(release, VECTORIZED.sources()),
                 "correct_einsum": course.fill_notebook(release, examples_of(VECTORIZED)["correct_einsum"])}
    files = corpus.files(VECTORIZED)
    notebooks |= {name: corpus.notebook(VECTORIZED, release, files[name]) for name in SLOWEST}
    isolate = bubblewrap() is not None
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(HOGS)]
    try:
        with Sandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
            return {student: grade(plan, student, nbformat.writes(notebook).encode(), LIMITS, isolate, sandbox)
                    for student, notebook in notebooks.items()}
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


@pytest.mark.parametrize("student", ["reference", "correct_einsum", *SLOWEST])
def test_no_vectorized_layer_loses_a_mark_for_its_time_on_a_busy_machine(graded, student):
    verdicts = {name: entry.verdict for name, entry in graded[student].functions.items()}
    timed_out = {name: verdict.outcome.value for name, verdict in verdicts.items()
                 if verdict.outcome in (Outcome.TOO_SLOW, Outcome.DID_NOT_FINISH, Outcome.WRONG_WHEN_TIMED)}
    assert timed_out == {}
    if student in ("reference", "correct_einsum"):
        assert graded[student].total == graded[student].max > 0
