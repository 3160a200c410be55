"""Generated files match their source, and no solution reaches a learner."""
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder import casefile
from instructor import build, reference, release
from tests.leaks import leaked, solution_lines

RELEASE_DIR = reference.REPO / "release" / reference.ASSIGNMENT


def test_there_are_solution_lines_to_look_for():
    assert len(solution_lines()) > 40


def test_the_committed_case_file_is_what_the_build_makes():
    assert build.main(["--check"]) == 0


def test_the_committed_release_is_what_nbgrader_generates():
    assert release.main(["--check"]) == 0


def test_the_release_holds_stubs_and_no_hidden_tests():
    notebook = nbformat.read(RELEASE_DIR / f"{reference.ASSIGNMENT}.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert text.count("raise NotImplementedError()") == len(reference.GRADED_FUNCTIONS)
    assert "HIDDEN TESTS" not in text and "hidden=True" not in text
    assert "BEGIN SOLUTION" not in text
    assert "generate_assignment" in notebook.metadata["generated_by"]


def test_no_solution_line_appears_in_the_release():
    texts = {}
    for path in RELEASE_DIR.rglob("*"):
        if path.suffix == ".ipynb":
            cells = nbformat.read(path, as_version=4).cells
            texts.update({f"{path.name} cell {i}": cell.source for i, cell in enumerate(cells)})
        elif path.is_file():
            texts[path.name] = path.read_text(errors="replace")
    assert leaked(texts, solution_lines()) == {}


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


def test_the_installed_package_ships_the_checks_and_their_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "autograder/check.py" in names
    assert "autograder/data/conv_step_by_step.npz" in names
    assert not [name for name in names if name.startswith("instructor/")]


def test_no_solution_line_appears_in_the_installed_package(wheel):
    archive = zipfile.ZipFile(wheel)
    texts = {
        name: archive.read(name).decode(errors="replace")
        for name in archive.namelist()
        if not name.endswith(".npz")
    }
    assert leaked(texts, solution_lines()) == {}


def test_the_case_file_holds_data_not_code():
    manifest, arrays = casefile.read(reference.ASSIGNMENT)
    assert "def " not in str(manifest)
    assert all(array.dtype != object for array in arrays.values())


def test_no_solution_line_appears_in_the_self_study_notebooks():
    """notebooks/<language>/<assignment>/: no line of that assignment's solutions, in any file."""
    notebooks = reference.REPO / "notebooks"
    found, read = {}, 0
    for folder in sorted(notebooks.glob("*/*")):
        lines = solution_lines(reference.source_notebook(folder.name))
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
