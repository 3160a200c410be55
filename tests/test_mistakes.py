"""Every assignment's mistake catalogue is a mutation test of its checks, and every mistake is named.

Every catalogued mistake must fail the checks of exactly the functions it
declares it breaks, fail hidden cases of its own function, and be named there
(the verdict's diagnosis is the mistake); every correct implementation (the
reference, and the example submissions meant to pass) must pass every check.
"""
import pytest

from autograder import casefile
from autograder.compare import outputs_difference
from instructor import reference
from instructor.mistake import with_mistakes
from instructor.assignments.conv_step_by_step.mistakes import SEED_MISTAKES
from tests.helpers import ASSIGNMENTS, STEP_BY_STEP, verdicts

MISTAKES = [(assignment, mistake) for assignment in ASSIGNMENTS for mistake in assignment.catalogue]
MINIMUM = {"conv_step_by_step": 56, "conv_vectorized": 31, "conv_application": 15}


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_catalogue_covers_the_assignment_with_hints_in_every_language(assignment):
    assert len(assignment.catalogue) >= MINIMUM[assignment.name]
    assert {m.function for m in assignment.catalogue} <= set(assignment.sources())
    for mistake in assignment.catalogue:
        assert set(mistake.hints) == {"en", "zh"} and all(mistake.hints.values())
        assert mistake.breaks <= set(assignment.functions)


@pytest.mark.parametrize("assignment, mistake", MISTAKES, ids=lambda x: getattr(x, "id", None) or x.name)
def test_a_mistake_fails_exactly_the_functions_it_breaks_and_is_named_there(assignment, mistake):
    found = verdicts(assignment, assignment.reference(mistake.cells(assignment.sources())))
    assert set(found) == mistake.breaks
    own = [name for name in mistake.breaks if name == mistake.function] or sorted(mistake.breaks)
    assert found[own[0]].mistake == mistake.id, found[own[0]]


@pytest.mark.parametrize("assignment, mistake", MISTAKES, ids=lambda x: getattr(x, "id", None) or x.name)
def test_a_mistake_fails_hidden_cases(assignment, mistake):
    import autograder

    notebook = assignment.reference(mistake.cells(assignment.sources()))
    check = autograder.checks(assignment.name)
    for name in mistake.breaks:
        verdict, _ = check.verdict(name, notebook[name], hidden=True, scope=notebook)
        assert not verdict.passed and verdict.place.hidden


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_reference_and_the_examples_meant_to_pass_pass_every_check(assignment):
    assert verdicts(assignment, assignment.reference()) == {}
    for example in assignment.examples(assignment):
        found = verdicts(assignment, reference.namespace(example.cells))
        assert set(found) <= set(assignment.graded) - example.full_marks, example.student


def test_the_seed_lessons_code_fails_where_its_bugs_are_and_names_the_bias_mistake():
    notebook = STEP_BY_STEP.reference(with_mistakes(SEED_MISTAKES, STEP_BY_STEP.sources()))
    found = verdicts(STEP_BY_STEP, notebook)
    assert set(found) == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    assert found["conv_single_step"].mistake == "bias_per_element"
    # conv_forward calls the seed's conv_single_step: the helper is blamed, with its cause, and the rest of
    # conv_forward (the seed's loops are right at stride 1) is said to be right
    conv_forward = found["conv_forward"]
    assert conv_forward.causes() == ["bias_per_element"]
    assert (conv_forward.diagnosis.id, conv_forward.diagnosis.values["helper"]) == ("helper_fails", "conv_single_step")
    assert [d.id for d in conv_forward.more] == ["own_code_right"]


@pytest.mark.parametrize("mistake", SEED_MISTAKES, ids=lambda m: m.id)
def test_the_seed_lessons_wrong_outputs_are_stored_only_as_fingerprints_of_its_bugs(mistake):
    """On every stored case, what the seed's buggy code returns (run now) is never the expected value; where it
    differs from it, that output (or the error it raises) is stored under this mistake's id, as the fingerprint
    that names the bug. The seed's published -23.16... of conv_single_step is one of them (DESIGN.md)."""
    manifest, arrays = casefile.read(STEP_BY_STEP.name, casefile.DATA_DIR)
    buggy = STEP_BY_STEP.reference(mistake.cells(STEP_BY_STEP.sources()))
    shown = 0
    for function in sorted(mistake.breaks):
        entry = casefile.Manifest(manifest).function(function)
        for case in entry.cases:
            tolerance = case.tolerance
            (stored,) = [m for m in case.mistakes if m.id == mistake.id] or [None]
            try:
                got = buggy[function](*casefile.decode(case.args, arrays), **casefile.decode(case.kwargs, arrays))
            except Exception as error:
                assert stored is not None and stored.raises == f"{type(error).__name__}: {error}", case.id
                shown += 1
                continue
            expected = casefile.decode(case.expected, arrays)
            if outputs_difference(function, entry.outputs, expected, got, tolerance) is None:
                assert stored is None, case.id  # this case does not show the bug
                continue
            assert stored is not None and stored.output is not None, \
                f"{function} {case.id}: the bug's output is not its fingerprint"
            fingerprint = casefile.decode(stored.output, arrays)
            assert outputs_difference(function, entry.outputs, fingerprint, got, tolerance) is None
            shown += 1
    assert shown > 0
