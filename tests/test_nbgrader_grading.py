"""Real `nbgrader autograde` on real notebooks grades the kit as the spec says."""
import pytest

from instructor import course, reference
from instructor.mistakes import CATALOGUE

FUNCTIONS = reference.GRADED_FUNCTIONS


def lost(scores: dict[str, float]) -> set[str]:
    """The functions whose test cell scored 0."""
    return {name for name in FUNCTIONS if scores[f"test_{name}"] == 0}


def test_autograde_completes_for_every_submission(graded_course):
    root, scores, done = graded_course
    assert done.returncode == 0, done.stderr
    expected = {"instructor", "release_stub", "correct_vectorized", "seed_lesson_code", "unfinished"}
    expected |= {f"mistake_{m.id}" for m in CATALOGUE}
    assert set(scores) == expected


def test_every_function_has_one_graded_test_cell(graded_course):
    _, scores, _ = graded_course
    assert set(scores["instructor"]) == {f"test_{name}" for name in FUNCTIONS}


def test_the_instructor_notebook_scores_full_marks(graded_course):
    _, scores, _ = graded_course
    assert lost(scores["instructor"]) == set()
    assert sum(scores["instructor"].values()) > 0


def test_the_release_as_handed_out_scores_zero(graded_course):
    root, scores, _ = graded_course
    assert sum(scores["release_stub"].values()) == 0
    messages = course.failure_messages(root, "release_stub")
    assert set(messages) == {f"test_{name}" for name in FUNCTIONS}
    assert all("is not written yet" in text for text in messages.values())


def test_a_vectorized_correct_submission_scores_full_marks(graded_course):
    _, scores, _ = graded_course
    assert lost(scores["correct_vectorized"]) == set()


def test_the_seed_lessons_code_loses_marks_where_its_bugs_are(graded_course):
    root, scores, _ = graded_course
    assert lost(scores["seed_lesson_code"]) == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    feedback = course.failure_messages(root, "seed_lesson_code")
    assert "the bias was added to every element" in feedback["test_conv_single_step"]


def test_an_unfinished_submission_keeps_the_marks_of_what_it_finished(graded_course):
    _, scores, _ = graded_course
    assert lost(scores["unfinished"]) == set(FUNCTIONS[3:])


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_catalogued_mistake_loses_exactly_the_functions_it_breaks_with_its_hint(graded_course, mistake):
    root, scores, _ = graded_course
    student = f"mistake_{mistake.id}"
    assert lost(scores[student]) == mistake.breaks
    assert mistake.hint in course.failure_messages(root, student)[f"test_{mistake.function}"]
