"""Assignments 2 and 3: their releases are stubs, and no solution line of any assignment reaches a learner.

The same rules as tests/test_generated_files.py (which also checks, for every
registered assignment, that the committed case files and release/ are what the
build and nbgrader make), applied across the series: a line written between
BEGIN SOLUTION and END SOLUTION in any instructor notebook must not appear in
any release, in the installed package's files, or in the data sets learners get.
"""
import nbformat
import pytest

from autograder import casefile
from instructor import assignments, reference
from tests import leaks
from tests.leaks import texts_under

SERIES = [name for name in ("conv_vectorized", "conv_application") if name in assignments.ASSIGNMENTS]
PACKAGE = reference.REPO / "autograder"


def solution_lines(assignment: str) -> set[str]:
    return leaks.solution_lines(reference.source_notebook(assignment))


def every_solution_line() -> set[str]:
    return set().union(*(solution_lines(name) for name in assignments.ASSIGNMENTS))


def leaked(texts: dict[str, str]) -> dict[str, list[str]]:
    return leaks.leaked(texts, every_solution_line())


@pytest.mark.parametrize("assignment", SERIES)
def test_there_are_solution_lines_to_look_for(assignment):
    assert len(solution_lines(assignment)) > 20


@pytest.mark.parametrize("assignment", SERIES)
def test_the_release_holds_one_stub_per_solution_block_and_no_hidden_tests(assignment):
    source = nbformat.read(reference.source_notebook(assignment), as_version=4)
    blocks = sum(cell.source.count("### BEGIN SOLUTION") for cell in source.cells)
    notebook = nbformat.read(reference.REPO / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert text.count("raise NotImplementedError()") == blocks
    assert "HIDDEN TESTS" not in text and "hidden=True" not in text and "check_speed(" not in text
    assert "BEGIN SOLUTION" not in text
    assert "generate_assignment" in notebook.metadata["generated_by"]


@pytest.mark.parametrize("assignment", ["conv_step_by_step", *SERIES])
def test_no_solution_line_of_any_assignment_appears_in_a_release(assignment):
    assert leaked(texts_under(reference.REPO / "release" / assignment)) == {}


def test_no_solution_line_of_any_assignment_appears_in_the_package():
    texts = texts_under(PACKAGE)
    assert any(name.endswith("speed.py") for name in texts)
    assert leaked(texts) == {}


@pytest.mark.parametrize("assignment", SERIES)
def test_the_case_file_holds_data_not_code(assignment):
    manifest, arrays = casefile.read(assignment)
    assert "def " not in str(manifest)
    assert all(array.dtype != object for array in arrays.values())
    assert manifest["generated_by"].startswith("python -m instructor.build")


@pytest.mark.parametrize("assignment", SERIES)
def test_no_hint_quotes_a_solution_line(assignment):
    """A hint may name an idea or a slice, but not hand over a whole line of the solution."""
    manifest, _ = casefile.read(assignment)
    hints = {mistake["hint"] for entry in manifest["functions"].values() for case in entry["cases"]
             for mistake in case["mistakes"]}
    hints |= {case["budget"]["hint"] for entry in manifest["functions"].values() for case in entry["cases"]
              if "budget" in case}
    assert hints
    quoted = {line for line in every_solution_line() if len(line) >= 20 for hint in hints if line in hint}
    assert quoted == set()
