"""Shared fixtures: one real nbgrader course graded once for the whole session."""
import nbformat
import pytest

from instructor import course, reference
from instructor.examples import example_submissions
from instructor.mistakes import CATALOGUE

RELEASE_NOTEBOOK = reference.REPO / "release" / reference.ASSIGNMENT / f"{reference.ASSIGNMENT}.ipynb"


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    """A course directory in which real `nbgrader autograde` graded:

    - ``instructor``: the instructor notebook itself, solutions and hidden tests included;
    - ``release_stub``: the student release as handed out, nothing filled in;
    - the demo's example submissions (``correct_vectorized``, ``seed_lesson_code``, ``unfinished``);
    - ``mistake_<id>``: the reference with one catalogued mistake written into its cell.

    Returns (course path, {student: {cell: score}}, autograde's CompletedProcess).
    """
    root = course.new_course(tmp_path_factory.mktemp("nbgrader") / "course")
    release = course.generate_release(root) / f"{reference.ASSIGNMENT}.ipynb"
    course.submit(root, "instructor", nbformat.read(reference.source_notebook(), as_version=4))
    course.submit(root, "release_stub", nbformat.read(release, as_version=4))
    for student, (_, cells) in example_submissions().items():
        course.submit(root, student, course.fill_notebook(release, cells))
    sources = reference.solution_sources()
    for mistake in CATALOGUE:
        cells = {**sources, mistake.function: mistake.wrong_source(sources)}
        course.submit(root, f"mistake_{mistake.id}", course.fill_notebook(release, cells))
    done = course.autograde(root)
    return root, course.scores(root), done


@pytest.fixture(scope="module")
def one_thread_kernels():
    """BLAS on one thread in the kernels nbgrader starts (timing checks compare with a one-thread calibration)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            patch.setenv(name, "1")
        yield
