"""README.md's "Adding an assignment", step by step, on a tiny extra assignment kept in a fixture folder.

tests/fixtures/tiny_assignment/ holds what a new assignment needs: its instructor
notebook (tests/fixtures/tiny_assignment/source/tiny_double/tiny_double.ipynb) and the module that defines its
Assignment (cases, input builder, one catalogued mistake with its hints,
examples). Added to the registry, it goes through the build (its case file),
nbgrader's release, the notebook's checks and the class grader, like the
assignments of the series, with no change to the kit's code.
"""
import dataclasses

import nbformat
import pytest

from autograder.checks import Checks
from autograder.grading import cli
from autograder.grading.kit import Kit
from autograder.grading.sandbox import Limits
from autograder import casefile
from instructor import build, course, reference
from instructor.assignments import REGISTRY
from tests.helpers import TINY as FIXTURE, tiny


@pytest.fixture(scope="module")
def assignment():
    return tiny()


def test_step_1_the_registry_takes_the_new_assignment(assignment):
    registry = REGISTRY.with_assignment(assignment)
    assert list(registry) == [*REGISTRY, "tiny_double"]
    assert registry["tiny_double"].notebook == FIXTURE / "source" / "tiny_double" / "tiny_double.ipynb"
    with pytest.raises(ValueError, match="unique"):  # another assignment may not reuse its mistake ids
        registry.with_assignment(dataclasses.replace(assignment, name="tiny_other"))


def test_step_2_the_build_writes_its_case_file_and_the_notebooks_checks_read_it(assignment, tmp_path):
    build.write(assignment, tmp_path)
    check = Checks("tiny_double", data=tmp_path)
    manifest, _ = casefile.read("tiny_double", tmp_path)
    assert manifest["hints"] == {"tiny_squared": dict(assignment.catalogue[0].hints)}
    right = assignment.reference()["double"]
    squared = assignment.reference(assignment.catalogue[0].cells(assignment.sources()))["double"]
    for hidden in (False, True):
        assert check.verdict("double", right, hidden)[0].passed
        assert check.verdict("double", squared, hidden)[0].mistake == "tiny_squared"


def test_step_3_nbgrader_releases_it_and_step_4_the_class_grader_grades_it(assignment, tmp_path):
    root = course.new_course(tmp_path / "course", assignment)
    release = course.generate_release(root, assignment) / "tiny_double.ipynb"
    assert nbformat.read(release, as_version=4).cells[2].source.count("raise NotImplementedError()") == 1
    course.submit(root, "stub", nbformat.read(release, as_version=4), assignment)
    for example in assignment.examples(assignment):
        course.submit(root, example.student, course.fill_notebook(release, dict(example.cells)), assignment)
    kit = Kit(reference.REPO, REGISTRY.with_assignment(assignment), build)
    status = cli.run(cli.GradeOptions(root, "tiny_double", workers=1, limits=Limits(), progress=False, kit=kit))
    assert status == 0
    scores = course.scores(root, "tiny_double")
    assert scores == {"right": {"test_double": 1.0}, "squares": {"test_double": 0.0}, "stub": {"test_double": 0.0}}
    report = (root / "reports" / "tiny_double" / "report.json").read_text()
    assert "x was squared" in report and "is not finished yet" in report
