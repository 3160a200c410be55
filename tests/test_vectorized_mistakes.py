"""Assignment 2's mistake catalogue is a mutation test of its checks; correct layers pass them all.

As tests/test_mistakes.py does for assignment 1: every catalogued mistake (an
edit of the vectorized solution cells) fails the checks of exactly the
functions it declares, with its own hint, and fails hidden cases; the
reference and a second vectorized hand pass every check, the timing check too.
"""
import pytest

from autograder import CheckFailed, check
from autograder.speed import check_speed
from instructor import cases_vectorized, reference
from instructor.examples_series import vectorized_submissions
from instructor.mistakes_vectorized import CATALOGUE

ASSIGNMENT = "conv_vectorized"
FUNCTIONS = cases_vectorized.FUNCTIONS
SOURCES = reference.solution_sources(reference.source_notebook(ASSIGNMENT))


def failures(notebook: dict) -> dict[str, str]:
    found = {}
    for name in FUNCTIONS:
        for hidden in (False, True):
            try:
                check(name, notebook[name], hidden=hidden, assignment=ASSIGNMENT)
            except CheckFailed as failure:
                found[name] = str(failure)
                break
    return found


def test_the_catalogue_covers_every_layer_with_distinct_ids():
    assert len(CATALOGUE) >= 12
    assert len({m.id for m in CATALOGUE}) == len(CATALOGUE)
    assert {m.function for m in CATALOGUE} == set(FUNCTIONS)


def test_mistake_ids_are_unique_across_the_kit():
    from instructor.mistakes import CATALOGUE as FIRST

    assert not {m.id for m in FIRST} & {m.id for m in CATALOGUE}


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_exactly_the_functions_it_breaks_and_shows_its_hint(mistake):
    found = failures(mistake.namespace(SOURCES))
    assert set(found) == mistake.breaks
    assert mistake.hint in found[mistake.function]


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.id)
def test_a_mistake_fails_hidden_cases_of_its_own_function(mistake):
    with pytest.raises(CheckFailed, match="hidden case"):
        check(mistake.function, mistake.namespace(SOURCES)[mistake.function], hidden=True, assignment=ASSIGNMENT)


def test_the_reference_passes_every_check_and_the_timing_check(capsys):
    notebook = reference.namespace(SOURCES)
    assert failures(notebook) == {}
    for name in FUNCTIONS:
        check_speed(name, notebook[name])
    assert capsys.readouterr().out.count("fast enough") == len(FUNCTIONS)


def test_an_einsum_submission_passes_every_check():
    _, cells = vectorized_submissions()["correct_einsum"]
    notebook = reference.namespace(SOURCES, **cells)
    assert failures(notebook) == {}
    for name in FUNCTIONS:
        check_speed(name, notebook[name])


def test_assignment_1s_loops_pass_every_value_check():
    _, cells = vectorized_submissions()["loops_from_assignment_1"]
    assert failures(reference.namespace(SOURCES, **cells)) == {}
