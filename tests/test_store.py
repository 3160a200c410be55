"""Where results go (autograder.grading.store): one file per student, written whole or not at all.

The result files are the commit point of a run: a student with a file is
graded, one without is not, and nothing half-written is ever taken for a
result. The gradebook's address is shown with its password masked; a
gradebook that is not there, or does not know the assignment, is refused
before anything is written.
"""
from __future__ import annotations

import json
import shutil

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


def test_results_equal_as_data_are_equal_as_bytes(tmp_path):
    """The file is canonical (keys sorted): the order in which the functions were graded does not reach it, so a
    result recorded again unchanged is the same file, byte for byte (tests/test_grading_resume.py)."""
    store = ResultStore(Course(tmp_path), "a")
    one, other = result("ada", zero_pad=3.0, pool_forward=1.0), result("ada", pool_forward=1.0, zero_pad=3.0)
    assert one == other and list(one.functions) != list(other.functions)
    store.save(one)
    first = store.path("ada").read_bytes()
    store.save(other)
    assert store.path("ada").read_bytes() == first


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


def test_a_gradebook_without_the_assignment_is_refused(gradebook):
    tmp_path, _ = gradebook  # it knows assignment "a" only
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(tmp_path), "conv_step_by_step")
    assert refused.value.key == "refused.not_in_gradebook"


def test_a_gradebook_with_the_assignment_is_opened(gradebook):
    tmp_path, url = gradebook
    writer = GradebookWriter(Course(tmp_path), "a")
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


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A gradebook that knows assignment "a": one notebook with two graded test cells and a solution cell (which
    takes comments), and two students (made once: a new gradebook takes nbgrader seconds)."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("template") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as book:
        book.add_assignment("a")
        book.add_notebook("a", "a")
        for name in ("test_zero_pad", "test_conv_single_step"):
            book.add_grade_cell(name, "a", "a", max_score=3.0, cell_type="code")
        book.add_solution_cell("zero_pad", "a", "a")
        book.add_student("ada")
        book.add_student("bob")
    return path


@pytest.fixture
def gradebook(tmp_path, template):
    """A course folder with its own copy of the template's gradebook, and the gradebook's address."""
    shutil.copy(template, tmp_path / "gradebook.db")
    return tmp_path, f"sqlite:///{tmp_path / 'gradebook.db'}"


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


def test_a_result_file_that_cannot_be_read_is_graded_again(tmp_path):
    store = ResultStore(Course(tmp_path), "a")
    for student in ("ada", "bob", "cy", "dan"):
        store.save(result(student))
    store.path("bob").write_text('{"student": "bob"')  # cut short
    store.path("cy").write_text('{"student": "cy"}')  # not a whole result
    store.path("dan").write_text("[1, 2]")
    assert store.load("bob") is None and store.load("cy") is None and store.load("dan") is None
    assert store.load("nobody") is None
    assert store.load_all() == {"ada": result("ada")}
    assert store.graded() == {"ada", "bob", "cy", "dan"}  # still files: load_all is what tells them apart


def test_a_gradebook_server_that_does_not_answer_is_unreachable_not_missing(tmp_path, monkeypatch):
    url = "postgresql://grader:s3cret@127.0.0.1:1/course"  # a database name, as a sqlite file's: no file test
    monkeypatch.setattr(Course, "db_url", property(lambda self: url))
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(tmp_path), "a")
    assert refused.value.key == "refused.gradebook_unreachable"
    assert refused.value.values["url"] == "postgresql://grader:***@127.0.0.1:1/course"
    kind, _, text = refused.value.values["error"].partition(": ")
    assert kind and text and "\n" not in text and "s3cret" not in text  # the type, and the first line of its text


def two_assignments(gradebook) -> None:
    """A second assignment "b" with a graded cell of the same name, graded for ada: never read for "a"."""
    from nbgrader.api import Gradebook

    course, url = gradebook
    with Gradebook(url) as book:
        book.add_assignment("b")
        book.add_notebook("b", "b")
        book.add_grade_cell("test_zero_pad", "b", "b", max_score=3.0, cell_type="code")
        book.add_solution_cell("zero_pad", "b", "b")
    other = GradebookWriter(Course(course), "b")
    try:
        other.record(result("ada", zero_pad=2.0))
    finally:
        other.close()
    with Gradebook(url) as book:
        grade = book.find_grade("test_zero_pad", "b", "b", "ada")
        grade.manual_score, grade.extra_credit = 1.0, 1.0
        book.find_comment("zero_pad", "b", "b", "ada").manual_comment = "on b"
        book.db.commit()


def test_only_this_assignments_scores_and_reviews_are_read(gradebook):
    from nbgrader.api import Gradebook

    course, url = gradebook
    two_assignments(gradebook)
    writer = GradebookWriter(Course(course), "a")
    try:
        assert writer.auto_scores() == {} and writer.reviews() == {}
        writer.record(result("ada", zero_pad=3.0, conv_single_step=1.0))
        writer.record(result("bob", zero_pad=0.0, conv_single_step=0.0))
        writer.record(result("cy", zero_pad=0.0, conv_single_step=0.0))
        assert writer.auto_scores() == {"ada": {"test_zero_pad": 3.0, "test_conv_single_step": 1.0},
                                        "bob": {"test_zero_pad": 0.0, "test_conv_single_step": 0.0},
                                        "cy": {"test_zero_pad": 0.0, "test_conv_single_step": 0.0}}
        assert writer.reviews() == {}  # nothing set by hand on "a"
        with Gradebook(url) as book:  # ada: a manual score only; bob: extra credit and a comment
            book.find_grade("test_zero_pad", "a", "a", "ada").manual_score = 2.5
            book.find_comment("zero_pad", "a", "a", "ada").manual_comment = "   "  # blank: not a comment
            book.find_grade("test_conv_single_step", "a", "a", "bob").extra_credit = 0.5
            book.find_grade("test_zero_pad", "a", "a", "bob").extra_credit = 0.0  # no credit: not a review
            book.find_comment("zero_pad", "a", "a", "bob").manual_comment = "see me"
            book.find_grade("test_zero_pad", "a", "a", "cy").extra_credit = 1.0  # cy: extra credit alone
            book.db.commit()
        writer.gradebook.db.expire_all()
        reviews = writer.reviews()
        assert set(reviews) == {"ada", "bob", "cy"}
        assert (reviews["cy"].manual, reviews["cy"].extra, reviews["cy"].comments) == ({}, {"zero_pad": 1.0}, {})
        assert (reviews["ada"].manual, reviews["ada"].extra, reviews["ada"].comments) == ({"zero_pad": 2.5}, {}, {})
        assert (reviews["bob"].manual, reviews["bob"].extra, reviews["bob"].comments) == (
            {}, {"conv_single_step": 0.5}, {"zero_pad": "see me"})
    finally:
        writer.close()


def test_a_manual_score_and_a_flag_set_by_hand_stay_when_results_are_recorded_again(gradebook):
    from nbgrader.api import Gradebook

    course, url = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        writer.record(result("ada", zero_pad=1.0, conv_single_step=0.0), timestamp="2026-01-02 03:04:05")
        with Gradebook(url) as book:
            book.find_grade("test_zero_pad", "a", "a", "ada").manual_score = 2.0
            book.find_submission_notebook("a", "a", "ada").flagged = True  # by hand
            book.db.commit()
        writer.gradebook.db.expire_all()
        writer.record(result("ada", zero_pad=3.0, conv_single_step=3.0))
        writer.gradebook.db.expire_all()
        with Gradebook(url) as book:
            zero_pad = book.find_grade("test_zero_pad", "a", "a", "ada")
            single = book.find_grade("test_conv_single_step", "a", "a", "ada")
            assert (zero_pad.auto_score, zero_pad.manual_score, zero_pad.needs_manual_grade) == (3.0, 2.0, True)
            assert (single.auto_score, single.manual_score, single.needs_manual_grade) == (3.0, None, False)
            assert book.find_submission_notebook("a", "a", "ada").flagged is True  # no unflag: it stays
            assert book.find_submission("a", "ada").timestamp.isoformat(sep=" ") == "2026-01-02 03:04:05"
        writer.record(result("ada", zero_pad=3.0, conv_single_step=3.0), unflag=True)
        with Gradebook(url) as book:
            assert book.find_submission_notebook("a", "a", "ada").flagged is False
    finally:
        writer.close()


def test_scores_are_in_sync_only_when_every_function_has_its_score(gradebook):
    course, _ = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        ada = result("ada", zero_pad=1.5, conv_single_step=3.0)
        assert not writer.in_sync(ada, None) and not writer.in_sync(ada, {})
        assert writer.in_sync(ada, {"test_zero_pad": 1.5 + 1e-12, "test_conv_single_step": 3.0})
        assert not writer.in_sync(ada, {"test_zero_pad": 1.5 + 1e-6, "test_conv_single_step": 3.0})
        assert not writer.in_sync(ada, {"test_zero_pad": 1.5 - 1e-6, "test_conv_single_step": 3.0})
        zero = result("ada", zero_pad=0.0)
        assert writer.in_sync(zero, {"test_zero_pad": 0.5e-9}) and not writer.in_sync(zero, {"test_zero_pad": 1e-9})
        assert not writer.in_sync(ada, {"test_zero_pad": 1.5, "test_conv_single_step": None})
        assert not writer.in_sync(ada, {"test_zero_pad": 1.5})
    finally:
        writer.close()


def test_the_due_date_and_the_lateness_come_from_the_gradebook(gradebook):
    from nbgrader.api import Gradebook

    course, url = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        assert writer.record(result("ada", zero_pad=3.0)) is None  # no due date
        assert writer.due_dates() == {"ada": None}
        with Gradebook(url) as book:
            book.update_or_create_assignment("a", duedate="2026-01-01 00:00:00")
        writer.gradebook.db.expire_all()
        lateness = writer.record(result("bob", zero_pad=3.0), timestamp="2025-12-31 00:00:00")
        assert (lateness.due, lateness.penalty, lateness.score) == ("2026-01-01 00:00:00", 0.0, 3.0)
        assert writer.due_dates() == {"ada": "2026-01-01 00:00:00", "bob": "2026-01-01 00:00:00"}
        with Gradebook(url) as book:  # an extension moves that student's due date, as nbgrader reckons it
            book.grant_extension("a", "bob", days=2, hours=3)
            theirs = {s.student.id: s.duedate.isoformat(sep=" ") for s in book.assignment_submissions("a")}
        writer.gradebook.db.expire_all()
        assert writer.due_dates() == theirs == {"ada": "2026-01-01 00:00:00", "bob": "2026-01-03 03:00:00"}
    finally:
        writer.close()


def test_a_late_plugin_that_cannot_be_made_is_refused_and_the_gradebook_closed(gradebook, monkeypatch):
    from nbgrader.api import Gradebook

    course, _ = gradebook
    (course / "nbgrader_config.py").write_text(
        'c = get_config()\nc.AssignLatePenalties.plugin_class = "no_such_module.Plugin"\n')
    closed, close = [], Gradebook.close
    monkeypatch.setattr(Gradebook, "close", lambda self: (closed.append(self), close(self))[1])
    with pytest.raises(Refused) as refused:
        GradebookWriter(Course(course), "a")
    assert refused.value.key == "refused.late_plugin" and len(closed) == 1  # not left open


def commits_of(writer: GradebookWriter) -> list[int]:
    """A list that grows by one at each commit of ``writer``'s gradebook connection."""
    from sqlalchemy import event

    seen: list[int] = []
    event.listen(writer.gradebook.engine, "commit", lambda connection: seen.append(1))
    return seen


def test_a_batch_writes_its_students_in_one_commit_at_its_end(gradebook):
    from nbgrader.api import Gradebook

    course, url = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        commits = commits_of(writer)
        with writer.batch(seconds=3600, most=100):
            writer.record(result("ada", zero_pad=3.0, conv_single_step=1.0))
            writer.record(result("bob", zero_pad=0.5, conv_single_step=0.0))
            assert commits == []  # nbgrader's own commits only flush, until the batch ends
            assert set(writer.auto_scores()) == {"ada", "bob"}  # the open transaction sees them
        assert len(commits) == 1
        writer.record(result("ada", zero_pad=2.0, conv_single_step=1.0))  # out of a batch: committed at once,
        assert len(commits) > 1  # as nbgrader's API commits, at each of its calls
    finally:
        writer.close()
    with Gradebook(url) as book:
        assert book.find_grade("test_zero_pad", "a", "a", "ada").auto_score == 2.0
        assert book.find_grade("test_zero_pad", "a", "a", "bob").auto_score == 0.5


def test_a_batch_commits_when_full(gradebook):
    course, _ = gradebook
    writer = GradebookWriter(Course(course), "a")
    try:
        commits = commits_of(writer)
        with writer.batch(seconds=3600, most=2):
            writer.record(result("ada", zero_pad=3.0))
            assert commits == []
            writer.record(result("bob", zero_pad=3.0))
            assert len(commits) == 1
            writer.record(result("cy", zero_pad=3.0))
            assert len(commits) == 1
        assert len(commits) == 2
    finally:
        writer.close()


def test_a_batch_cut_short_leaves_its_students_out_of_sync_for_the_next_run(gradebook):
    """A run killed (or stopped by an error) in a batch: its students' results are on disk, their scores are not
    in the gradebook, and the next run sees that (and writes them again, tests/test_grading_resume.py)."""
    from nbgrader.api import Gradebook, MissingEntry

    course, url = gradebook
    writer = GradebookWriter(Course(course), "a")
    ada = result("ada", zero_pad=3.0, conv_single_step=1.0)
    try:
        with pytest.raises(KeyboardInterrupt), writer.batch(seconds=3600, most=100):
            writer.record(ada)
            raise KeyboardInterrupt
    finally:
        writer.close()
    with Gradebook(url) as book, pytest.raises(MissingEntry):
        book.find_submission("a", "ada")
    writer = GradebookWriter(Course(course), "a")
    try:
        assert not writer.in_sync(ada, writer.auto_scores().get("ada"))
        with writer.batch():
            writer.record(ada)
        assert writer.in_sync(ada, writer.auto_scores().get("ada"))
    finally:
        writer.close()


def test_a_late_submission_in_a_batch_is_committed_before_nbgrader_assigns_its_penalty(gradebook):
    """nbgrader's late preprocessor reads the scores through a connection of its own."""
    from nbgrader.api import Gradebook

    course, url = gradebook
    (course / "nbgrader_config.py").write_text(
        'c = get_config()\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    with Gradebook(url) as book:
        book.update_or_create_assignment("a", duedate="2026-01-01 00:00:00")
    writer = GradebookWriter(Course(course), "a")
    try:
        with writer.batch(seconds=3600, most=100):
            on_time = writer.record(result("ada", zero_pad=3.0), timestamp="2025-12-31 00:00:00")
            late = writer.record(result("bob", zero_pad=3.0, conv_single_step=1.0), timestamp="2026-01-02 00:00:00")
    finally:
        writer.close()
    assert (on_time.penalty, on_time.score) == (0.0, 3.0)
    assert (late.seconds_late, late.score, late.penalty) == (86400.0, 4.0, 4.0)
    with Gradebook(url) as book:
        assert book.find_submission("a", "bob").late_submission_penalty == 4.0
