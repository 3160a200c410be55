"""The mistake catalogue is a mutation test of the checks.

Every catalogued mistake must fail the checks of exactly the functions it
declares it breaks, and show its own hint there; every correct implementation
must pass every check.
"""
import pytest

from autograder import CheckFailed, casefile, check, feedback
from autograder.check import _outputs_difference
from autograder.compare import Tolerance
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


@pytest.mark.parametrize("mistake", SEED_MISTAKES, ids=lambda m: m.id)
def test_the_seed_lessons_wrong_outputs_are_stored_only_as_fingerprints_of_its_bugs(mistake):
    """On every stored case, what the seed's buggy code returns (run now) is never the expected value; where it
    differs from it, that output (or the error it raises) is stored under this mistake's id, as the fingerprint
    that names the bug. The seed's published -23.16... of conv_single_step is one of them (DESIGN.md)."""
    manifest, arrays = casefile.read(reference.ASSIGNMENT)
    buggy = mistake.namespace()
    shown = 0
    for function in sorted(mistake.breaks):
        entry = manifest["functions"][function]
        for case in entry["cases"]:
            tolerance = Tolerance(**case["tolerance"])
            stored = {key: value for m in case["mistakes"] if m["id"] == mistake.id for key, value in m.items()}
            try:
                got = buggy[function](*casefile.decode(case["args"], arrays), **casefile.decode(case["kwargs"], arrays))
            except Exception as error:
                assert stored.get("raises") == feedback.exception_text(error), case["id"]
                shown += 1
                continue
            expected = casefile.decode(case["expected"], arrays)
            if _outputs_difference(entry["outputs"], expected, got, tolerance) is None:
                assert not stored, case["id"]  # this case does not show the bug
                continue
            assert "output" in stored, f"{function} {case['id']}: the bug's output is not its fingerprint"
            assert _outputs_difference(entry["outputs"], casefile.decode(stored["output"], arrays), got,
                                       tolerance) is None
            shown += 1
    assert shown > 0
