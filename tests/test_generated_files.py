"""Generated files match their source, and no solution reaches a learner, for every assignment of the kit.

A line written between BEGIN SOLUTION and END SOLUTION in any instructor
notebook must not appear in any release, in the installed package's files, in
the self-study notebooks, or in a hint.
"""
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder import casefile
from autograder.course import Course
from instructor import build, reference, release, selfstudy
from tests import leaks
from tests.helpers import ASSIGNMENTS

PACKAGE = reference.REPO / "autograder"


def every_solution_line() -> set[str]:
    """The solution lines of every assignment, but those that one of them gives (assignment 2's skeleton gives the
    loops over the offsets that assignment 3's solution of the layers holds)."""
    given = set().union(*(leaks.given_lines(assignment.notebook) for assignment in ASSIGNMENTS))
    return set().union(*(leaks.solution_lines(assignment.notebook) for assignment in ASSIGNMENTS)) - given


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_there_are_solution_lines_to_look_for(assignment):
    assert len(leaks.solution_lines(assignment.notebook)) > 20


def test_the_committed_case_files_are_what_the_build_makes():
    assert build.main(["--check"]) == 0


def test_the_committed_release_and_self_study_notebooks_are_what_nbgrader_and_the_build_make():
    """One nbgrader generation per assignment serves both checks (instructor.release.generated_release)."""
    assert release.main(["--check"]) == 0
    assert selfstudy.main(["--check"]) == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_release_holds_one_stub_per_solution_block_and_no_hidden_tests(assignment):
    source = nbformat.read(assignment.notebook, as_version=4)
    blocks = sum(cell.source.count("### BEGIN SOLUTION") for cell in source.cells)
    place = Course(reference.REPO)
    notebook = nbformat.read(place.notebook(reference.REPO / "release" / assignment.name, assignment.name),
                             as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert text.count("raise NotImplementedError()") == blocks
    assert "HIDDEN TESTS" not in text and "hidden=True" not in text and "check.speed(" not in text
    assert "BEGIN SOLUTION" not in text
    assert "generate_assignment" in notebook.metadata["generated_by"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_no_solution_line_of_any_assignment_appears_in_a_release(assignment):
    assert leaks.leaked(leaks.texts_under(reference.REPO / "release" / assignment.name), every_solution_line()) == {}


def test_no_solution_line_of_any_assignment_appears_in_the_package():
    texts = leaks.texts_under(PACKAGE)
    assert any(name.endswith("speed.py") for name in texts)
    assert leaks.leaked(texts, every_solution_line()) == {}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The package exactly as pip installs it for a learner."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
         str(reference.REPO)],
        check=True,
    )
    (path,) = out.glob("*.whl")
    return path


def test_the_installed_package_ships_the_checks_and_their_data_but_not_the_instructor_side(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "autograder/checks.py" in names and "autograder/grading/runner.py" in names
    for assignment in ASSIGNMENTS:
        assert f"autograder/data/{assignment.name}.npz" in names
        assert f"autograder/figures/{assignment.name}.py" in names
    assert not [name for name in names if name.startswith("instructor/")]


def test_no_solution_line_appears_in_the_installed_package(wheel):
    archive = zipfile.ZipFile(wheel)
    texts = {name: archive.read(name).decode(errors="replace") for name in archive.namelist()
             if not name.endswith(".npz")}
    assert leaks.leaked(texts, every_solution_line()) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_case_file_holds_data_not_code(assignment):
    manifest, arrays = casefile.read(assignment.name, casefile.DATA_DIR)
    assert "def " not in str(manifest)
    assert all(array.dtype != object for array in arrays.values())
    assert manifest["generated_by"].startswith("python -m instructor.build")


def test_no_hint_quotes_a_solution_line():
    """A hint may name an idea or a slice, but not hand over a whole line of the solution."""
    hints = {text for assignment in ASSIGNMENTS for mistake in assignment.catalogue
             for text in mistake.hints.values()}
    from autograder.messages import CATALOGUES

    hints |= {text for words in CATALOGUES.values() for key, text in words.items() if key.startswith("diagnosis.")}
    quoted = {line for line in every_solution_line() if len(line) >= 20 for hint in hints if line in hint}
    assert quoted == set()


def test_no_solution_line_appears_in_the_self_study_notebooks():
    """notebooks/<language>/<assignment>/: no line of that assignment's solutions, in any file."""
    notebooks = reference.REPO / "notebooks"
    found, read = {}, 0
    for folder in sorted(notebooks.glob("*/*")):
        lines = leaks.solution_lines(reference.REPO / "source" / folder.name / f"{folder.name}.ipynb")
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            if path.suffix == ".ipynb":
                texts = [cell.source for cell in nbformat.read(path, as_version=4).cells]
            else:
                texts = [path.read_text(errors="replace")]
            read += len(texts)
            hits = sorted({line.strip() for text in texts for line in text.splitlines()} & lines)
            if hits:
                found[str(path.relative_to(notebooks))] = hits
    assert read > 2 * 40  # both editions of assignment 1 at least
    assert found == {}


def test_every_committed_notebook_is_stored_without_outputs():
    notebooks = [path for top in ("source", "release", "notebooks") for path in (reference.REPO / top).rglob("*.ipynb")]
    assert notebooks
    with_outputs = [
        str(path.relative_to(reference.REPO))
        for path in notebooks
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert with_outputs == []
