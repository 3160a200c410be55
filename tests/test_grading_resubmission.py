"""A student who submits again is graded again without --force; nobody else is."""
import subprocess
import sys

from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name


def grade(root):
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root),
                           "--workers", "1", "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_a_new_submission_is_graded_and_an_unchanged_one_is_not(tmp_path):
    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    sources = STEP_BY_STEP.sources()
    mistake = STEP_BY_STEP.mistake("bias_per_element")
    for student in ("ada", "bo"):
        path = course.submit(root, student, course.fill_notebook(release, mistake.cells(sources)), STEP_BY_STEP)
        (path.parent / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    assert "0 already graded, 2 to grade" in grade(root)
    results = root / ".autograder" / "results" / ASSIGNMENT
    untouched = (results / "bo.json").stat().st_mtime_ns
    assert course.scores(root, ASSIGNMENT)["ada"]["test_conv_single_step"] == 0

    path = course.submit(root, "ada", course.fill_notebook(release, sources), STEP_BY_STEP)  # ada fixes her bias
    (path.parent / "timestamp.txt").write_text("2026-11-21 09:00:00.000000 UTC")
    assert "1 already graded, 1 to grade" in grade(root)
    assert course.scores(root, ASSIGNMENT)["ada"]["test_conv_single_step"] > 0
    assert course.scores(root, ASSIGNMENT)["bo"]["test_conv_single_step"] == 0
    assert (results / "bo.json").stat().st_mtime_ns == untouched

    assert "2 already graded, 0 to grade" in grade(root)
