"""The mistake catalogue is a mutation test of the checks.

Every catalogued mistake must fail the checks of exactly the functions it
declares it breaks, and show its own hint there; every correct implementation
must pass every check.
"""
import pytest

from autograder import CheckFailed, check
from instructor import reference
from instructor.examples import VECTORIZED, function_sources
from instructor.mistakes import CATALOGUE, SEED_MISTAKES, with_mistakes

FUNCTIONS = reference.GRADED_FUNCTIONS


def failures(notebook: dict) -> dict[str, str]:
    """{function: failure message} over the visible and hidden checks of a namespace."""
    found = {}
    for name in FUNCTIONS:
        for hidden in (False, True):
            try:
                check(name, notebook[name], hidden=hidden)
            except CheckFailed as failure:
                found[name] = str(failure)
                break
    return found


def test_the_catalogue_has_at_least_15_mistakes_with_distinct_ids():
    assert len(CATALOGUE) >= 15
    assert len({m.id for m in CATALOGUE}) == len(CATALOGUE)
    assert {m.function for m in CATALOGUE} == set(FUNCTIONS)


def test_the_catalogue_holds_the_seed_lessons_three_bugs():
    assert {m.id for m in SEED_MISTAKES} == {"bias_per_element", "unpad_with_negative_index", "dA_read_at_window_corner"}


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_exactly_the_functions_it_breaks_and_shows_its_hint(mistake):
    found = failures(mistake.namespace())
    assert set(found) == mistake.breaks
    assert mistake.hint in found[mistake.function]


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_hidden_cases_of_its_own_function(mistake):
    with pytest.raises(CheckFailed, match="hidden case"):
        check(mistake.function, mistake.namespace()[mistake.function], hidden=True)


def test_the_reference_passes_every_check(capsys):
    assert failures(reference.namespace()) == {}
    assert "all" in capsys.readouterr().out


def test_a_vectorized_implementation_passes_every_check():
    cells = function_sources(VECTORIZED)
    assert failures(reference.namespace(**cells)) == {}


def test_the_seed_lessons_code_fails_where_its_bugs_are_and_gives_the_bias_hint():
    found = failures(reference.namespace(with_mistakes(SEED_MISTAKES)))
    assert set(found) == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    assert "bias was added to every element" in found["conv_single_step"]
    assert "bias was added to every element" in found["conv_forward"]
