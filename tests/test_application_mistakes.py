"""Assignment 3's mistake catalogue fails its gradient check with its hint; correct models pass it."""
import pytest

from autograder import CheckFailed, check
from instructor import reference
from instructor.examples_series import application_submissions
from instructor.mistakes_application import CATALOGUE

ASSIGNMENT = "conv_application"
FUNCTION = "model_cost_and_gradients"
SOURCES = reference.solution_sources(reference.source_notebook(ASSIGNMENT))


def failure(notebook: dict) -> str | None:
    for hidden in (False, True):
        try:
            check(FUNCTION, notebook[FUNCTION], hidden=hidden, assignment=ASSIGNMENT)
        except CheckFailed as error:
            return str(error)
    return None


def test_the_catalogue_has_distinct_ids_not_used_elsewhere_in_the_kit():
    from instructor.mistakes import CATALOGUE as FIRST
    from instructor.mistakes_vectorized import CATALOGUE as SECOND

    ids = [m.id for m in CATALOGUE]
    assert len(ids) >= 4 and len(set(ids)) == len(ids)
    assert not set(ids) & {m.id for m in FIRST + SECOND}


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_the_check_with_its_hint(mistake):
    assert mistake.breaks == {FUNCTION}
    found = failure(mistake.namespace(SOURCES))
    assert found is not None and mistake.hint in found


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_the_hidden_gradient_check(mistake):
    with pytest.raises(CheckFailed, match="hidden case"):
        check(FUNCTION, mistake.namespace(SOURCES)[FUNCTION], hidden=True, assignment=ASSIGNMENT)


def test_the_reference_passes():
    assert failure(reference.namespace(SOURCES)) is None


def test_the_example_submission_with_other_layers_passes():
    _, cells = application_submissions()["correct_einsum_layers"]
    assert failure(reference.namespace(SOURCES, **cells)) is None
