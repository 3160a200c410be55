"""Real `nbgrader autograde` grades assignment 2 ("Vectorize it") as the spec says.

One course directory, graded once per session (by the pytest-xdist worker that
runs this file): the instructor notebook, the release as handed out, the
example submissions of instructor/examples_series.py, and a catalogued mistake.
Autograding executes each notebook top to bottom with nbclient (nbconvert's
ExecutePreprocessor is an nbclient NotebookClient), so the instructor notebook's
run is checked here too: no cell raised, every check passed, the benchmark ran.

The kernels get one BLAS thread: the suite runs two test processes on two cores,
and threads waiting for each other would make the timings of the notebooks erratic.
"""

import nbformat
import pytest

from instructor import cases_vectorized, course, reference
from instructor.examples_series import vectorized_submissions
from instructor.mistakes_vectorized import BY_ID

ASSIGNMENT = "conv_vectorized"
FUNCTIONS = cases_vectorized.FUNCTIONS
# Every mistake is run through the checks in tests/test_vectorized_mistakes.py; one goes through nbgrader here.
SAMPLED_MISTAKES = ("window_axes_order",)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, one_thread_kernels):
    root = course.new_course(tmp_path_factory.mktemp("nbgrader") / "course", ASSIGNMENT)
    release = course.generate_release(root, ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"
    source = reference.source_notebook(ASSIGNMENT)
    course.submit(root, "instructor", nbformat.read(source, as_version=4), ASSIGNMENT)
    course.submit(root, "release_stub", nbformat.read(release, as_version=4), ASSIGNMENT)
    for student, (_, cells) in vectorized_submissions().items():
        course.submit(root, student, course.fill_notebook(release, cells), ASSIGNMENT)
    sources = reference.solution_sources(source)
    for mistake_id in SAMPLED_MISTAKES:
        mistake = BY_ID[mistake_id]
        cells = {**sources, mistake.function: mistake.wrong_source(sources)}
        course.submit(root, f"mistake_{mistake_id}", course.fill_notebook(release, cells), ASSIGNMENT)
    done = course.autograde(root, ASSIGNMENT)
    return root, course.scores(root, ASSIGNMENT), done


def lost(scores: dict[str, float]) -> set[str]:
    return {name for name in FUNCTIONS if scores[f"test_{name}"] == 0}


def test_autograde_grades_every_submission(graded):
    _, scores, done = graded
    assert done.returncode == 0, done.stderr
    assert set(scores) == ({"instructor", "release_stub", *vectorized_submissions()}
                           | {f"mistake_{m}" for m in SAMPLED_MISTAKES})
    assert set(scores["instructor"]) == {f"test_{name}" for name in FUNCTIONS}


def test_the_instructor_notebook_scores_full_marks(graded):
    _, scores, _ = graded
    assert lost(scores["instructor"]) == set() and sum(scores["instructor"].values()) > 0


def test_the_release_as_handed_out_scores_zero(graded):
    root, scores, _ = graded
    assert sum(scores["release_stub"].values()) == 0
    messages = course.failure_messages(root, "release_stub", ASSIGNMENT)
    assert set(messages) == {f"test_{name}" for name in FUNCTIONS}
    assert all("is not written yet" in text for text in messages.values())


def test_a_second_vectorized_hand_scores_full_marks(graded):
    _, scores, _ = graded
    assert lost(scores["correct_einsum"]) == set()


def test_assignment_1s_loops_lose_every_layer_to_the_timing_check_with_the_hint(graded):
    root, scores, _ = graded
    assert lost(scores["loops_from_assignment_1"]) == set(FUNCTIONS)
    for text in course.failure_messages(root, "loops_from_assignment_1", ASSIGNMENT).values():
        assert "is too slow" in text and "Python loop over the output positions" in text


@pytest.mark.parametrize("mistake_id", SAMPLED_MISTAKES)
def test_a_catalogued_mistake_loses_its_layer_with_its_hint(graded, mistake_id):
    root, scores, _ = graded
    mistake = BY_ID[mistake_id]
    assert lost(scores[f"mistake_{mistake_id}"]) == mistake.breaks
    assert mistake.hint in course.failure_messages(root, f"mistake_{mistake_id}", ASSIGNMENT)[
        f"test_{mistake.function}"]


def test_the_instructor_notebook_ran_top_to_bottom_with_every_check_and_the_benchmark(graded):
    root, _, _ = graded
    notebook = nbformat.read(root / "autograded" / "instructor" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert [out for out in outputs if out.output_type == "error"] == []
    printed = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    for name in FUNCTIONS:
        assert f"{name}: all" in printed
    assert printed.count("fast enough") == len(FUNCTIONS)
    assert "loops / vectorized" in printed
    assert sum("image/png" in out.get("data", {}) for out in outputs) >= 4  # three figures and the timing plot
