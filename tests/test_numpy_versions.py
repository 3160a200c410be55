"""Every mechanical fix an exception rule offers works on numpy 2 and on numpy 1.26 (pyproject allows both).

A learner's function that numpy 2 refuses (``float(b)`` of the bias of shape (1, 1, 1)) or that uses an
alias numpy removed (``np.float``) is diagnosed here, on this machine's numpy 2; the check offers a line
to write instead, tried first. That line is then written into the learner's source, and the function so
fixed is checked again on every case, visible and hidden: here, and in a Python with numpy 1.26.4 (a
virtual environment made once, in ``~/.cache/convkit-tests/``, with pip; the tests skip, saying why,
where pip cannot install it, e.g. offline). The same learner's original code is run there too: numpy
1.26 accepts ``float(b)`` (the cause is the environment's), and refuses ``np.float`` (removed in 1.24).
"""
from __future__ import annotations

import os
import subprocess
import textwrap
import venv
from pathlib import Path

import numpy as np
import pytest

import autograder
from autograder.diagnosis import local
from autograder.render import Renderer
from instructor.reference import REPO

NUMPY_1 = "1.26.4"
CACHE = Path(os.environ.get("CONVKIT_TEST_CACHE", Path.home() / ".cache" / "convkit-tests")) / f"numpy-{NUMPY_1}"
CHECK = autograder.checks("conv_step_by_step")

# (function, the learner's source, whether numpy 1.26 accepts it as it is)
LEARNERS = {
    "float_of_b": ("conv_single_step", """
def conv_single_step(a_slice_prev, W, b):
    s = np.multiply(a_slice_prev, W)
    Z = np.sum(s)
    Z = Z + float(b)
    return Z
""", True),
    "float_of_the_sum": ("conv_single_step", """
def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + b)
""", True),
    "np_float_of_b": ("conv_single_step", """
def conv_single_step(a_slice_prev, W, b):
    Z = np.sum(a_slice_prev * W)
    Z = Z + np.float(b)
    return Z
""", False),
    "np_float_of_the_sum": ("conv_single_step", """
def conv_single_step(a_slice_prev, W, b):
    Z = np.float(np.sum(a_slice_prev * W)) + b.item()
    return Z
""", False),
    "int_of_a_size": ("distribute_value", """
def distribute_value(dz, shape):
    n_H, n_W = shape
    average = dz / int(np.array([[n_H * n_W]]))
    return np.ones(shape) * average
""", True),
}


def _learner(source: str, name: str):
    """The learner's cell, run as a notebook runs it: its source kept where tracebacks find it (linecache)."""
    import linecache

    code, filename = textwrap.dedent(source), f"<learner {name} {abs(hash(source))}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    scope = {"np": np}
    exec(compile(code, filename, "exec"), scope)
    return scope


def _fixed(key: str) -> tuple[str, str]:
    """(the fixed source, the line offered), from the check's own verdict on this numpy."""
    function, source, _ = LEARNERS[key]
    scope = _learner(source, key)
    verdict = local.diagnose(CHECK, function, scope[function], scope, hidden=False)
    diagnosis = verdict.diagnosis
    assert diagnosis is not None and diagnosis.id in ("numpy2_scalar_conversion", "numpy_alias_removed"), verdict
    assert diagnosis.values.get("tried") == "passes", diagnosis
    line = verdict.raised.line.strip()
    new = diagnosis.values["new"]
    assert line in source
    indent = next(text[:len(text) - len(text.lstrip())] for text in source.splitlines() if text.strip() == line)
    return source.replace(indent + line, indent + new, 1), new


@pytest.fixture(scope="module")
def numpy_1() -> Path:
    """A Python with numpy 1.26.4 (made once, with pip)."""
    python = CACHE / "bin" / "python"
    if not python.exists():
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(CACHE)
            done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"numpy=={NUMPY_1}"],
                                  capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            pytest.skip(f"cannot make a Python with numpy {NUMPY_1}: {error}")
        if done.returncode != 0:
            python.unlink(missing_ok=True)
            pytest.skip(f"pip cannot install numpy {NUMPY_1} here (offline?): {done.stderr[-500:]}")
    version = subprocess.run([str(python), "-c", "import numpy; print(numpy.__version__)"], capture_output=True,
                             text=True).stdout.strip()
    if version != NUMPY_1:
        pytest.skip(f"{python} has numpy {version!r}, not {NUMPY_1}")
    return python


RUN_CHECKS = """
import sys, warnings
sys.path.insert(0, {repo!r})
import numpy as np
import autograder
warnings.simplefilter("ignore")
check = autograder.checks("conv_step_by_step")
scope = {{"np": np}}
exec({source!r}, scope)
try:
    check({function!r}, scope[{function!r}])
    check({function!r}, scope[{function!r}], hidden=True)
except AssertionError as failed:
    print("FAILED", str(failed).splitlines()[0])
else:
    print("PASSED", np.__version__)
"""


def _checked_on(python: Path, function: str, source: str) -> str:
    done = subprocess.run([str(python), "-c", RUN_CHECKS.format(repo=str(REPO), source=textwrap.dedent(source),
                                                                 function=function)],
                          capture_output=True, text=True, timeout=300, cwd=str(REPO))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("key", LEARNERS)
def test_the_fix_offered_passes_every_case_on_numpy_2(key):
    function, _, _ = LEARNERS[key]
    source, new = _fixed(key)
    assert ".item()" in new or "float(" in new or "int(" in new
    scope = _learner(source, key)
    for hidden in (False, True):
        verdict, _ = CHECK.verdict(function, scope[function], hidden, scope)
        assert verdict.passed, Renderer("en").text(verdict)
    assert np.__version__.startswith("2.")


@pytest.mark.parametrize("key", LEARNERS)
def test_the_fix_offered_passes_every_case_on_numpy_1_26(key, numpy_1):
    function, original, accepted = LEARNERS[key]
    source, _ = _fixed(key)
    assert _checked_on(numpy_1, function, source) == f"PASSED {NUMPY_1}"
    before = _checked_on(numpy_1, function, original)  # the environment's cause, or not
    assert before.startswith("PASSED") == accepted, before


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_fix_is_said_to_pass_every_case_because_it_was_tried(language):
    function, source, _ = LEARNERS["float_of_b"]
    scope = _learner(source, "float_of_b")
    verdict = local.diagnose(CHECK, function, scope[function], scope, hidden=False)
    words = {"en": "Write `Z = Z + b.item()` there (it works on numpy 1 and 2): with that change, your function "
                   "passes every case.",
             "zh": "把那里改成 `Z = Z + b.item()`（在 numpy 1 和 2 上都能用）：这样改之后，你的函数通过所有用例。"}
    assert words[language] in Renderer(language).text(verdict)
