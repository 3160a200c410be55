"""The class grader tries a += made np.add.at in a sandbox job only where that could make the function pass.

An index of slices, constants and ``for ... in range(...)`` counters names no entry twice: there
``np.add.at`` adds what the += adds, and a run that returned a wrong value (or raised at another line)
fails again with it. Such an edit is not tried (no job); a fancy index still is, and its cause named.
"""
from __future__ import annotations

import inspect

import nbformat
import pytest

from autograder.diagnosis.edits import Edit, names_each_entry_once
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Limits, Sandbox, bubblewrap
from instructor import course
from tests.helpers import STEP_BY_STEP, course_with_a_plan
from tests.test_diagnosis_sizes_and_scatter import _window_index, pool_backward_scattered_by_fancy_index

ASSIGNMENT = STEP_BY_STEP.name
LIMITS = Limits(call_seconds=10.0, submission_seconds=60.0)

LOOPS = """import numpy as np

def layer(x, v, idx, k):
    n = 3
    for i in range(n):
        for c in range(2):
            x[i, 1:3, c] += v
            x[i, idx, c] += v
            x[k, :, c] += v
            x[0, ..., None] += v
    for j in range(n):
        j = idx
        x[j, :] += v
    return x
"""


def test_an_index_of_slices_constants_and_range_counters_names_no_entry_twice():
    once = lambda line, source=LOOPS: names_each_entry_once(source, Edit("layer", line, "-"))  # noqa: E731
    assert once("x[i, 1:3, c] += v")
    assert once("x[0, ..., None] += v")
    assert not once("x[i, idx, c] += v")  # an index array may name an entry twice
    assert not once("x[k, :, c] += v")  # a parameter: it may be an array
    assert not once("x[j, :] += v")  # a counter stored again
    assert not once("x[i, 1:3, c] += v", LOOPS.replace("import numpy as np", "range = np.arange"))
    assert not once("x[i, 1:3, c] += v", LOOPS.replace("    return x", "    try:\n        pass\n"
                                                                          "    except Exception:\n        pass\n"
                                                                          "    return x"))
    assert not once("x[i, 1:3, c] += v", LOOPS + "exec('')\n")
    assert not once("x[i, 1:3, c] += v", LOOPS + LOOPS)  # defined twice: which one runs is not read here
    assert not once("x[i, 9:9, c] += v")  # no such line


class CountingSandbox(Sandbox):
    """A real sandbox that keeps the cells of every job it runs."""

    jobs: list

    def run(self, cells, calls):
        self.jobs.append(cells)
        return super().run(cells, calls)


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    plan, release = course_with_a_plan(tmp_path_factory.mktemp("edits_tried"), STEP_BY_STEP)
    isolate = bubblewrap() is not None
    with CountingSandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
        yield plan, release, isolate, sandbox


def _graded(setting, cells: dict[str, str]):
    plan, release, isolate, sandbox = setting
    sandbox.jobs = []
    notebook = course.fill_notebook(release, {**STEP_BY_STEP.sources(), **cells})
    return grade(plan, "learner", nbformat.writes(notebook).encode(), LIMITS, isolate, sandbox), sandbox.jobs


@pytest.mark.parametrize("mistake", ["conv_dW_overwritten", "conv_backward_stride_ignored"])
def test_a_range_counted_add_is_not_tried_as_np_add_at_and_the_mistake_is_named(setting, mistake):
    (spec,) = [m for m in STEP_BY_STEP.catalogue if m.id == mistake]
    result, jobs = _graded(setting, spec.cells(STEP_BY_STEP.sources()))
    verdict = result.functions[spec.function].verdict
    assert not verdict.passed and verdict.diagnosis.id == mistake
    assert len(jobs) == 1, f"{len(jobs) - 1} follow-up jobs"


def test_a_fancy_indexed_add_is_still_tried_in_a_job_and_named(setting):
    code = inspect.getsource(_window_index) + "\n\n" + inspect.getsource(pool_backward_scattered_by_fancy_index)
    code = code.replace("pool_backward_scattered_by_fancy_index", "pool_backward")
    result, jobs = _graded(setting, {"pool_backward": code})
    verdict = result.functions["pool_backward"].verdict
    assert not verdict.passed and verdict.diagnosis.id == "scatter_without_add_at", verdict
    assert verdict.diagnosis.values["tried"] == "passes"
    assert any(cells != jobs[0] for cells in jobs[1:])  # a job with the edited cell


def test_a_loop_counter_that_takes_over_a_name_is_renamed_in_a_job_and_named(setting):
    from tests.test_diagnosis_heldout import conv_forward_whose_channel_loop_reuses_the_window_size as learners

    code = inspect.getsource(learners).replace(learners.__name__, "conv_forward")
    result, jobs = _graded(setting, {"conv_forward": "import numpy as np\n\n" + code})
    verdict = result.functions["conv_forward"].verdict
    assert not verdict.passed and verdict.diagnosis.id == "loop_name_reused", verdict
    assert verdict.diagnosis.values["tried"] == "passes" and verdict.diagnosis.values["name"] == "size"
    assert any("for size_" in cell.get("code", "") for cells in jobs[1:] for cell in cells)  # the renamed cell ran


MASK_WRITTEN_INTO_ITS_WINDOW = """import numpy as np

def create_mask_from_window(x):
    biggest = np.amax(x)
    x[x != biggest] = 0
    x[x == biggest] = 1
    return x.astype(bool)
"""


def test_a_helper_that_writes_into_its_input_is_handed_a_copy_in_a_job_and_named(setting):
    from tests.test_diagnosis_heldout import pool_backward_whose_mask_writes_into_A_prev as learners

    code = inspect.getsource(learners).replace(learners.__name__, "pool_backward")
    code = code.replace("mask_written_into_its_window", "create_mask_from_window")
    result, jobs = _graded(setting, {"create_mask_from_window": MASK_WRITTEN_INTO_ITS_WINDOW,
                                     "pool_backward": "import numpy as np\n\n" + code})
    assert result.functions["create_mask_from_window"].verdict.passed  # its own cases do not show it
    verdict = result.functions["pool_backward"].verdict
    assert not verdict.passed and verdict.diagnosis.id == "helper_writes_its_input", verdict
    values = verdict.diagnosis.values
    assert values["tried"] == "passes" and values["helper"] == "create_mask_from_window"
    assert values["write"] == "x[x != biggest] = 0" and values["argument"] == "window"
    assert any("create_mask_from_window(window.copy())" in cell.get("code", "") for cells in jobs[1:]
               for cell in cells)  # the edited cell ran


def test_a_one_taken_away_in_a_helper_is_left_out_in_a_job_and_named(setting):
    from tests.test_diagnosis_heldout import conv_forward_with_short_windows as learners, window_one_short

    code = inspect.getsource(learners).replace(learners.__name__, "conv_forward")
    result, jobs = _graded(setting, {"conv_forward": "import numpy as np\n\n" + inspect.getsource(window_one_short)
                                     + "\n\n" + code})
    verdict = result.functions["conv_forward"].verdict
    assert not verdict.passed and verdict.diagnosis.id == "minus_one_extra", verdict
    values = verdict.diagnosis.values
    assert values["tried"] == "passes" and values["where"] == "window_one_short"
    assert values["new"] == "return corner, corner + size"
    assert any("return corner, corner + size\n" in cell.get("code", "") for cells in jobs[1:] for cell in cells)


def test_a_helpers_catalogued_mistake_is_not_named_where_the_learners_helper_is_right(setting):
    from tests.test_diagnosis_heldout import pool_backward_scaling_a_right_share_by_f as learners

    code = inspect.getsource(learners).replace(learners.__name__, "pool_backward")
    code = code.replace('return REFERENCE["pool_backward"](dA, cache, mode)', "return dA_prev_max(dA, cache)")
    helper = STEP_BY_STEP.sources()["pool_backward"].replace("def pool_backward(", "def dA_prev_max(")
    result, _ = _graded(setting, {"pool_backward": "import itertools\n\n" + helper + "\n\n" + code})
    assert result.functions["distribute_value"].verdict.passed
    verdict = result.functions["pool_backward"].verdict
    assert not verdict.passed and verdict.diagnosis.id == "off_by_factor", verdict
    assert "distribute_divided_by_side" not in {d.id for d in (verdict.diagnosis, *verdict.more)}


def test_a_diagnosis_that_fails_leaves_every_grade_as_the_cases_gave_it(setting, monkeypatch):
    from autograder.grading.diagnose import Diagnoser

    def broken(self, verdicts):
        verdicts.clear()  # whatever it did to what it was given is not kept
        raise RuntimeError("a defect of the kit's")

    monkeypatch.setattr(Diagnoser, "diagnose", broken)
    (spec,) = [m for m in STEP_BY_STEP.catalogue if m.id == "conv_stride_ignored"]
    result, _ = _graded(setting, spec.cells(STEP_BY_STEP.sources()))
    assert set(result.functions) == set(STEP_BY_STEP.sources())
    verdict = result.functions["conv_forward"].verdict
    assert not verdict.passed and result.functions["conv_forward"].score == 0 and verdict.diagnosis is None
    assert all(scored.verdict.passed for name, scored in result.functions.items() if name not in spec.breaks)
