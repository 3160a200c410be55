"""Every case of the plan is judged: a function wrong on one case only, whichever, loses its points.

The class grader (``runner.grade``, in a real sandbox) must judge what came
back for every case it planned, visible, hidden, gradient checks included: a
function that is wrong only where nobody looks would otherwise keep its marks.
Each learner here is the reference solution, except that each function gives
a wrong answer on exactly one case of the plan, found by the digest of its
inputs (submission ``k`` spoils the ``k``-th case of every function that has
one; the others stay right and must keep their points).
"""
from __future__ import annotations


import nbformat
import pytest

from autograder import casefile
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Limits, Sandbox, bubblewrap
from instructor import course
from tests.helpers import STEP_BY_STEP, course_with_a_plan

ASSIGNMENT = STEP_BY_STEP.name
LIMITS = Limits(call_seconds=10.0, submission_seconds=60.0)

# Runs in the learner's notebook and here alike: a digest of the inputs of one call.
DIGEST = '''
import hashlib as _hashlib
import numpy as _np

def _digest(value):
    def walk(value, into):
        if isinstance(value, _np.ndarray):
            into.update(repr((str(value.dtype), value.shape)).encode() + _np.ascontiguousarray(value).tobytes())
        elif isinstance(value, (tuple, list)):
            into.update(b"(")
            for item in value:
                walk(item, into)
            into.update(b")")
        elif isinstance(value, dict):
            into.update(b"{")
            for key in sorted(value):
                into.update(repr(key).encode())
                walk(value[key], into)
            into.update(b"}")
        else:
            into.update(repr(value).encode())
    found = _hashlib.sha256()
    walk(value, found)
    return found.hexdigest()


def _spoiled(value):
    if isinstance(value, tuple):
        return (_spoiled(value[0]),) + value[1:]
    if isinstance(value, _np.ndarray) and value.dtype == bool:
        return ~value
    return value + 1.0
'''
_scope: dict = {}
exec(DIGEST, _scope)
digest = _scope["_digest"]


def spoiled_cell(function: str, inputs_digest: str) -> str:
    """The reference ``function``, wrong (see ``_spoiled``) on the call whose inputs have ``inputs_digest``."""
    code = course.strip_markers(STEP_BY_STEP.sources()[function])
    honest = code.replace(f"def {function}(", f"def _honest_{function}(", 1)
    return f"""{honest}
{DIGEST}

def {function}(*args, **kwargs):
    value = _honest_{function}(*args, **kwargs)
    return _spoiled(value) if _digest((args, kwargs)) == {inputs_digest!r} else value
"""


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    plan, release = course_with_a_plan(tmp_path_factory.mktemp("every_case"), STEP_BY_STEP)
    isolate = bubblewrap() is not None
    with Sandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
        yield plan, release, isolate, sandbox


def case_count(plan) -> dict[str, int]:
    return {name: len(plan.case_file.function(name).cases) for name in plan.case_file.functions}


# the plan has the shipped case file's cases, in its order (tests/test_plan.py), with other hidden inputs
SHIPPED = casefile.Manifest(casefile.read(ASSIGNMENT, casefile.DATA_DIR)[0])
MOST_CASES = max(len(SHIPPED.function(name).cases) for name in SHIPPED.functions)


def test_the_submissions_below_reach_every_case(setting):
    plan, *_ = setting
    assert max(case_count(plan).values()) == MOST_CASES
    kinds = {(case.hidden, case.kind) for name in plan.case_file.functions
             for case in plan.case_file.function(name).cases}
    assert {(False, "reference"), (True, "reference"), (True, "gradient")} <= kinds


@pytest.mark.parametrize("k", range(MOST_CASES), ids=lambda k: f"case_{k}")
def test_a_function_wrong_on_one_case_only_loses_its_points(setting, k):
    plan, release, isolate, sandbox = setting
    spoiled = {name: spoiled_cell(name, digest(plan.case_inputs(name, k)[:2]))
               for name, count in case_count(plan).items() if k < count}
    notebook = course.fill_notebook(release, {**STEP_BY_STEP.sources(), **spoiled})
    result = grade(plan, f"wrong_on_case_{k}", nbformat.writes(notebook).encode(), LIMITS, isolate, sandbox)
    scores = {name: (entry.score, entry.max) for name, entry in result.functions.items()}
    assert spoiled
    for name, (score, most) in scores.items():
        assert most > 0
        if name in spoiled:
            case = plan.case_file.function(name).cases[k]
            assert score == 0, f"{name} kept its points though wrong on case {case.id} ({case.kind}, " \
                               f"hidden={case.hidden})"
        else:
            assert score == most, (name, result.functions[name].verdict)
