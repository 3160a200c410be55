"""Where results go (autograder.grading.store): one file per student, written whole or not at all.

The result files are the commit point of a run: a student with a file is
graded, one without is not, and nothing half-written is ever taken for a
result. The gradebook's address is shown with its password masked; a
gradebook that is not there, or does not know the assignment, is refused
before anything is written.
"""
from __future__ import annotations

import json

import pytest

from autograder.grading import Refused
from autograder.course import Course
from autograder.grading.result import Result, Scored
from autograder.grading.store import GradebookWriter, ResultStore, shown_url
from autograder.verdict import Note, Outcome, Verdict


def result(student: str, total: float = 3.0, flags: tuple[Note, ...] = (), **scores: float) -> Result:
    """A result scoring ``total`` of 3 on zero_pad, or ``scores`` (function -> score of 3)."""
    scores = scores or {"zero_pad": total}
    functions = {name: Scored(score, 3.0, Verdict(name, Outcome.PASSED if score >= 3.0 else Outcome.WRONG_VALUE))
                 for name, score in scores.items()}
    return Result(student, functions, flags, (), None, "", 0, 0.1)


def test_a_saved_result_is_read_back_and_counts_as_graded(tmp_path):
    store = ResultStore(Course(tmp_path), "conv_step_by_step")
    assert store.graded() == set() and not store.folder.exists()  # nothing made before the first save
    store.save(result("ada"))
    store.save(result("bob", 1.0))
    assert store.graded() == {"ada", "bob"}
    assert store.load("bob") == result("bob", 1.0)
    assert store.load_all() == {"ada": result("ada"), "bob": result("bob", 1.0)}
    assert list(store.load_all()) == ["ada", "bob"]
    assert store.path("ada") == tmp_path / ".autograder" / "results" / "conv_step_by_step" / "ada.json"
    assert Result.from_json(json.loads(store.path("ada").read_text())) == result("ada")


def test_saving_again_replaces_and_leaves_no_partial_file(tmp_path):
    store = ResultStore(Course(tmp_path), "a")
    store.save(result("ada", 1.0))
    store.save(result("ada", 2.0))
    assert store.load("ada").total == 2.0
    assert sorted(path.name for path in store.folder.iterdir()) == ["ada.json"]


def test_a_partial_file_is_not_a_result(tmp_path):
    store = ResultStore(Course(tmp_path), "a")
    store.save(result("ada"))
    (store.folder / ".partial-xyz").write_text('{"student": "eve"')  # a grader killed while writing
    assert store.graded() == {"ada"}


def test_forgetting_students_makes_them_ungraded(tmp_path):
    store = ResultStore(Course(tmp_path), "a")
    for student in ("ada", "bob", "cy"):
        store.save(result(student))
    store.forget(["ada", "cy", "nobody"])
    assert store.graded() == {"bob"}


@pytest.mark.parametrize("url, shown", [
    ("postgresql://grader:s3cret@db.example:5432/course", "postgresql://grader:***@db.example:5432/course"),
    ("sqlite:////courses/gradebook.db", "sqlite:////courses/gradebook.db"),
    ("not an address", "not an address"),
])
def test_a_gradebook_address_is_shown_without_its_password(url, shown):
    assert shown_url(url) == shown


def test_a_missing_sqlite_gradebook_is_refused_and_not_made(tmp_path):
    path = tmp_path / "gradebook.db"  # where nbgrader keeps it by default
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(tmp_path), "conv_step_by_step")
    assert refused.value.key == "refused.no_gradebook" and not path.exists()


def test_a_gradebook_without_the_assignment_is_refused(tmp_path):
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("another_one")
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(tmp_path), "conv_step_by_step")
    assert refused.value.key == "refused.not_in_gradebook"


def test_a_gradebook_with_the_assignment_is_opened(tmp_path):
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("conv_step_by_step")
    writer = GradebookWriter(Course(tmp_path), "conv_step_by_step")
    try:
        assert writer.auto_scores() == {} and writer.shown == url
    finally:
        writer.close()


def test_a_file_that_is_not_a_gradebook_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "gradebook.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(tmp_path), "conv_step_by_step")
    assert refused.value.key == "refused.gradebook_unreachable" and refused.value.values["error"]


@pytest.fixture
def gradebook(tmp_path):
    """A gradebook that knows assignment "a": one notebook with two graded test cells, and a student."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        book.add_assignment("a")
        book.add_notebook("a", "a")
        for name in ("test_zero_pad", "test_conv_single_step"):
            book.add_grade_cell(name, "a", "a", max_score=3.0, cell_type="code")
        book.add_student("ada")
        book.add_student("bob")
    return tmp_path, url


def test_results_land_in_the_gradebook_and_count_as_recorded(gradebook):
    from nbgrader.api import Gradebook

    course, gradebook = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        ada = result("ada", flags=(Note("flag.locked_edited"),), zero_pad=3.0, conv_single_step=0.0)
        bob = result("bob", zero_pad=1.5)
        writer.record(ada)
        writer.record(bob)
        scores = writer.auto_scores()
        assert writer.in_sync(ada, scores["ada"]) and writer.in_sync(bob, scores["bob"])
        # a result whose cells are not all in the gradebook (a run killed in between) is not in sync
        assert not writer.in_sync(result("bob", zero_pad=1.5, conv_single_step=0.0), scores["bob"])
    finally:
        writer.close()
    with Gradebook(gradebook) as book:
        scores = {(s, c): book.find_grade(c, "a", "a", s).auto_score
                  for s in ("ada", "bob") for c in ("test_zero_pad", "test_conv_single_step")}
        assert scores == {("ada", "test_zero_pad"): 3.0, ("ada", "test_conv_single_step"): 0.0,
                          ("bob", "test_zero_pad"): 1.5, ("bob", "test_conv_single_step"): None}
        assert book.find_submission_notebook("a", "a", "ada").flagged is True
        assert book.find_submission_notebook("a", "a", "bob").flagged is False
