"""The grading plan's hidden cases come from the course secret (autograder.grading.plan).

Learners install the case file (``autograder/data/``), hidden cases included,
for the notebook's own checks. So the class grader must draw its hidden
inputs from seeds that only the course knows: every hidden case's inputs
differ from the shipped ones and change with the secret, while the visible
cases stay the lesson's; the same secret gives the same seeds again (a
resumed or repeated run grades alike). A plan is made here for real, from a
course directory holding this kit's ``source/`` and ``release/``.
"""
from __future__ import annotations

import os
import shutil
import stat

import numpy as np
import pytest

from autograder import casefile
from autograder.accuracy import TrainedModel
from autograder.grading import plan as grading_plan
from autograder.course import Course
from autograder.grading.kit import load_kit
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
SECRETS = {"one": b"a" * 64, "two": b"b" * 64}


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, grading_plan.Plan]:
    """Plans of one course under the secrets "one" and "two"."""
    root = course.new_course(tmp_path_factory.mktemp("plan") / "course", STEP_BY_STEP)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    kit = load_kit(root, reference.REPO)
    made = {}
    for name, secret in SECRETS.items():
        Course(root).secret.parent.mkdir(exist_ok=True)
        Course(root).secret.write_bytes(secret + b"\n")
        made[name] = grading_plan.make_plan(Course(root), ASSIGNMENT, kit)
    return made


@pytest.fixture(scope="module")
def shipped():
    return casefile.read(ASSIGNMENT, casefile.DATA_DIR)


def leaves(value) -> list:
    """The arrays and numbers a value holds, in order (dicts by key, keys included)."""
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in leaves(item)]
    if isinstance(value, dict):
        return [leaf for key, item in sorted(value.items()) for leaf in (key, *leaves(item))]
    return [value]


def shipped_inputs(shipped, function: str, index: int) -> tuple:
    manifest, arrays = shipped
    case = manifest["functions"][function]["cases"][index]
    return casefile.decode(case["args"], arrays), casefile.decode(case["kwargs"], arrays)


def plan_inputs(plan, function: str, index: int) -> tuple:
    args, kwargs, _ = plan.case_inputs(function, index)
    return args, kwargs


def same(left, right) -> bool:
    """The same values: the same arrays (shape and values, exactly) and the same other values."""
    a, b = leaves(left), leaves(right)
    return len(a) == len(b) and all(
        np.shape(x) == np.shape(y) and np.array_equal(x, y) for x, y in zip(a, b))


def cases(shipped, hidden: bool) -> list[tuple[str, int]]:
    manifest, _ = shipped
    return [(function, index) for function, entry in manifest["functions"].items()
            for index, case in enumerate(entry["cases"]) if case["hidden"] is hidden]


def test_the_plan_holds_the_shipped_cases_in_the_same_order(plans, shipped):
    manifest, _ = shipped
    for plan in plans.values():
        assert {name: [(c["id"], c["hidden"], c["kind"]) for c in entry["cases"]]
                for name, entry in plan.manifest["functions"].items()} == \
               {name: [(c["id"], c["hidden"], c["kind"]) for c in entry["cases"]]
                for name, entry in manifest["functions"].items()}
    assert cases(shipped, True) and cases(shipped, False)


def test_visible_cases_are_the_lessons(plans, shipped):
    for function, index in cases(shipped, False):
        for plan in plans.values():
            assert same(plan_inputs(plan, function, index), shipped_inputs(shipped, function, index))


def test_hidden_inputs_are_not_the_shipped_ones(plans, shipped):
    for function, index in cases(shipped, True):
        for plan in plans.values():
            inputs = plan_inputs(plan, function, index)
            assert leaves(inputs), (function, index)
            assert not same(inputs, shipped_inputs(shipped, function, index)), (function, index)


def test_hidden_inputs_change_with_the_secret(plans, shipped):
    for function, index in cases(shipped, True):
        assert not same(plan_inputs(plans["one"], function, index), plan_inputs(plans["two"], function, index))


def test_hidden_expected_outputs_are_the_references_on_the_secret_inputs(plans, shipped):
    """What a hidden case expects is computed on its own inputs, not carried over from the shipped file."""
    plan = plans["two"]
    for function, index in cases(shipped, True):
        case = plan.manifest["functions"][function]["cases"][index]
        if case["kind"] != "reference":
            continue
        args, kwargs = plan_inputs(plan, function, index)
        expected = casefile.decode(case["expected"], plan.arrays)
        got = plan.reference(function)(*args, **kwargs)
        assert same(got, expected), (function, index)


def test_a_course_gets_a_secret_of_its_own_that_only_the_instructor_reads(tmp_path):
    made = []
    for name in ("first", "second"):
        place = Course(tmp_path / name)
        secret = grading_plan.course_secret(place)
        assert len(secret) >= 32 and grading_plan.course_secret(place) == secret  # made once, then kept
        assert stat.S_IMODE(os.stat(place.secret).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(place.secret.parent).st_mode) == 0o700
        made.append(secret)
    assert made[0] != made[1]


def test_every_part_of_a_seed_matters():
    seed = grading_plan.secret_seed(b"s", "a", "f", "c")
    others = {grading_plan.secret_seed(*parts) for parts in
              ((b"t", "a", "f", "c"), (b"s", "b", "f", "c"), (b"s", "a", "g", "c"), (b"s", "a", "f", "d"))}
    assert seed not in others and len(others) == 4
    assert grading_plan.secret_seed(b"s", "a", "f", "c") == seed
    assert 0 <= seed < 2**32


def test_a_plans_cache_of_decoded_inputs_changes_nothing_it_equals(plans):
    import dataclasses

    plan = plans["one"]
    copy = dataclasses.replace(plan, _inputs={})
    assert copy == plan
    copy.case_inputs("zero_pad", 0)
    assert copy == plan


def test_the_released_cells_are_the_release_notebooks_code_cells(plans):
    import nbformat

    release = nbformat.read(reference.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    code = [cell for cell in release.cells if cell.cell_type == "code"]
    plan = plans["one"]
    assert [cell.code for cell in plan.released] == [cell.source for cell in code]
    tests = {cell.grade_id for cell in plan.released if cell.test}
    assert tests == {f"test_{name}" for name in plan.points}
    assert all(cell.grade_id.startswith("test_") and not cell.solution for cell in plan.released if cell.test)
    assert set(plan.solution_ids) == {cell.grade_id for cell in plan.released if cell.solution}
    assert all(cell.locked for cell in plan.released if cell.test)


def test_a_course_without_its_release_is_refused(tmp_path):
    from autograder.grading import Refused

    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    with pytest.raises(Refused) as refused:
        grading_plan.make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))
    assert refused.value.key == "refused.no_notebook"


def test_a_secret_is_made_where_the_grader_already_keeps_files(tmp_path):
    place = Course(tmp_path)
    place.secret.parent.mkdir(mode=0o700)  # e.g. results saved before
    assert len(grading_plan.course_secret(place)) >= 32


def tiny_plan(trained: dict | None = None) -> grading_plan.Plan:
    manifest = {"hints": {"bias_per_element": {"en": "add b once"}},
                "functions": {"f": {"outputs": ["Z"], "calls": ["g"], "cases": [], "probes": []},
                              "g": {"outputs": ["A"], "calls": [], "cases": [], "probes": []}}}
    released = [grading_plan.ReleasedCell("f", "def f(): ...", True, False, False),
                grading_plan.ReleasedCell("helper", "def helper(): ...", True, False, False),
                grading_plan.ReleasedCell("test_f", "check(f)", False, True, True),
                grading_plan.ReleasedCell(None, "import numpy as np", False, False, False)]
    return grading_plan.Plan("tiny", manifest, {}, {"f": 2.0, "g": 1.0}, {}, released, (), trained or {},
                             {"f": "def f():\n    return 1\n", "g": "def g():\n    return 2\n"})


def test_what_a_plan_knows_of_its_functions():
    plan = tiny_plan()
    assert plan.functions == ["f", "g"] and plan.hints == {"bias_per_element": {"en": "add b once"}}
    assert plan.calls("f") == ["g"] and plan.calls("nothing") == []
    assert plan.solution_ids == ["f", "helper"]
    assert plan.known_names == ["f", "g", "helper"]
    trained = {"model": TrainedModel("train_model", seed=1, seconds=60.0)}
    assert tiny_plan(trained).known_names == ["f", "g", "helper", "train_model"]
    assert plan.reference("g")() == 2
    assert not hasattr(plan, "reference_cells")  # no solution cell is ever handed to a sandbox job (issue 16)
    with pytest.raises(AttributeError):  # a released cell is as released: nothing changes it
        plan.released[0].code = "def f(): return 2"


def test_a_course_without_a_secret_yet_has_none_and_one_once_made(tmp_path):
    place = Course(tmp_path)
    assert grading_plan.existing_secret(place) is None  # read before any is made: not made by reading
    assert not place.secret.exists()
    made = grading_plan.course_secret(place)
    assert grading_plan.existing_secret(place) == made


def test_a_helpers_answers_are_those_the_instructors_function_got_and_are_made_once(plans):
    plan = plans["one"]
    answers = plan.helper_answers("conv_forward", "case", 0, ("conv_single_step",))
    table = answers["conv_single_step"]
    assert table  # the reference conv_forward calls its step once per output entry
    assert plan.helper_answers("conv_forward", "case", 0, ("conv_single_step",)) is answers  # kept, not remade
    assert plan.helper_answers("conv_forward", "case", 1, ("conv_single_step",)) != answers
