"""Real ``nbgrader autograde`` on real notebooks, once per assignment of the registry.

For each assignment: the instructor notebook scores full marks, the release as
handed out scores 0 (every check says what to write), and one catalogued
mistake loses exactly the functions it breaks, with its hint in the failing
test cell. (The whole mistake matrix runs in-process in tests/test_mistakes.py;
the class grader grades the bundled examples in tests/test_grading_isolation.py.)
"""
import nbformat
import pytest

from instructor import course
from tests.helpers import ASSIGNMENTS


def lost(scores: dict[str, float], assignment) -> set[str]:
    """The graded cells whose test cell scored 0."""
    return {name for name in assignment.graded if scores[f"test_{name}"] == 0}


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_nbgrader_grades_the_instructor_notebook_the_release_and_a_mistake(assignment, tmp_path, one_thread_kernels):
    root = course.new_course(tmp_path / "course", assignment)
    release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
    mistake = assignment.catalogue[0]
    course.submit(root, "instructor", nbformat.read(assignment.notebook, as_version=4), assignment)
    course.submit(root, "release_stub", nbformat.read(release, as_version=4), assignment)
    course.submit(root, "mistake", course.fill_notebook(release, mistake.cells(assignment.sources())), assignment)
    done = course.autograde(root, assignment)
    assert done.returncode == 0, done.stderr
    scores = course.scores(root, assignment.name)
    assert set(scores) == {"instructor", "release_stub", "mistake"}
    assert set(scores["instructor"]) == {f"test_{name}" for name in assignment.graded}

    assert lost(scores["instructor"], assignment) == set() and sum(scores["instructor"].values()) > 0

    assert sum(scores["release_stub"].values()) == 0
    messages = course.failure_messages(root, "release_stub", assignment.name)
    assert set(messages) == {f"test_{name}" for name in assignment.graded}
    assert all("is not finished yet" in text or "not defined" in text for text in messages.values()), messages

    assert lost(scores["mistake"], assignment) >= set(mistake.breaks)
    assert lost(scores["mistake"], assignment) - set(mistake.breaks) <= set(assignment.trained_models)
    failing = course.failure_messages(root, "mistake", assignment.name)
    own = mistake.function if mistake.function in mistake.breaks else sorted(mistake.breaks)[0]
    assert mistake.hints["en"] in failing[f"test_{own}"]  # where the mistake is (others fail through it)
