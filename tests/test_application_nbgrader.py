"""Real `nbgrader autograde` grades assignment 3 ("Train your CNN") as the spec says.

The instructor notebook (which trains the network during grading) scores full
marks, the release as handed out scores 0, and the example submissions of
instructor/examples_series.py score as they should: correct layers of another
hand score full marks; a backward pass that skips a ReLU loses the gradient check
with its hint, whatever its network's accuracy. Autograding executes each
notebook with nbclient (nbconvert's ExecutePreprocessor), so the instructor
notebook's run is checked here too: no cell raised, it trained, it drew its plots.
Kernels get one BLAS thread (see tests/test_series_nbgrader.py).
"""
import shutil

import nbformat
import pytest

from instructor import course, reference
from instructor.examples_series import application_submissions
from instructor.mistakes_application import BY_ID

ASSIGNMENT = "conv_application"
GRADED = {"test_model_cost_and_gradients", "test_trained_model"}


def submit_with_data(root, student, notebook, release_folder):
    folder = course.submit(root, student, notebook, ASSIGNMENT).parent
    shutil.copytree(release_folder / "datasets", folder / "datasets")


@pytest.fixture(scope="module")
def graded(tmp_path_factory, one_thread_kernels):
    root = course.new_course(tmp_path_factory.mktemp("nbgrader") / "course", ASSIGNMENT)
    release_folder = course.generate_release(root, ASSIGNMENT)
    release = release_folder / f"{ASSIGNMENT}.ipynb"
    submit_with_data(root, "instructor", nbformat.read(reference.source_notebook(ASSIGNMENT), as_version=4),
                     release_folder)
    submit_with_data(root, "release_stub", nbformat.read(release, as_version=4), release_folder)
    for student, (_, cells) in application_submissions().items():
        submit_with_data(root, student, course.fill_notebook(release, cells), release_folder)
    done = course.autograde(root, ASSIGNMENT)
    return root, course.scores(root, ASSIGNMENT), done


def test_autograde_grades_every_submission(graded):
    _, scores, done = graded
    assert done.returncode == 0, done.stderr
    assert set(scores) == {"instructor", "release_stub", *application_submissions()}
    assert set(scores["instructor"]) == GRADED


def test_the_instructor_notebook_scores_full_marks(graded):
    root, scores, _ = graded
    assert all(score > 0 for score in scores["instructor"].values()), course.failure_messages(
        root, "instructor", ASSIGNMENT)


def test_the_release_as_handed_out_scores_zero(graded):
    root, scores, _ = graded
    assert sum(scores["release_stub"].values()) == 0
    messages = course.failure_messages(root, "release_stub", ASSIGNMENT)
    assert set(messages) == GRADED
    assert "is not written yet" in messages["test_model_cost_and_gradients"]


def test_a_correct_submission_on_its_own_layers_scores_full_marks(graded):
    root, scores, _ = graded
    assert all(score > 0 for score in scores["correct_einsum_layers"].values()), course.failure_messages(
        root, "correct_einsum_layers", ASSIGNMENT)


def test_a_wrong_backward_pass_loses_the_gradient_check_with_its_hint(graded):
    root, scores, _ = graded
    assert scores["relu_skipped_in_backward"]["test_model_cost_and_gradients"] == 0
    message = course.failure_messages(root, "relu_skipped_in_backward", ASSIGNMENT)["test_model_cost_and_gradients"]
    assert BY_ID["relu_skipped_in_backward"].hint in message


def test_the_instructor_notebook_ran_top_to_bottom_trained_and_drew_its_plots(graded):
    root, _, _ = graded
    notebook = nbformat.read(root / "autograded" / "instructor" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert [out for out in outputs if out.output_type == "error"] == []
    printed = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert "model_cost_and_gradients: all" in printed and "trained in" in printed and "test accuracy" in printed
    # the digits, the curves, the confusion matrix, the filters, two feature maps, the misclassified digits
    assert sum("image/png" in out.get("data", {}) for out in outputs) >= 7
