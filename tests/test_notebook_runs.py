"""Every instructor notebook in source/ runs clean, top to bottom, as a learner would run it.

Each notebook of the series (``instructor.assignments.REGISTRY``) is executed, solutions and hidden
tests included, in a copy of its folder (so that its data files are found and nothing is written
into source/), with the python3 kernel and one BLAS thread. It fails on:

- an error output in any cell: an exception, or a check that failed (checks raise ``CheckFailed``);
- a graded check that printed no pass line (``"<name>: ..."``, one per graded function or model);
- an alarm: a printed relative error above the threshold its line states, a relative error printed
  without a threshold or without ``PASS``, a line that says ``ATTENTION`` (how the notebooks' own cells
  warn), or a Python warning on stderr;
- for a notebook with gradient-check cells (:data:`GRADIENT_CHECKS`), a gradient they did not report.

Run time here (2 cores shared with other work, one BLAS thread), kernel start included:
conv_step_by_step about 6 s, conv_vectorized about 13 s (its hidden timing checks and benchmarks),
conv_application about 13 s (it trains the network once, about 3 s of it); about 40 s in all.
"""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import settings
from instructor.assignment import Assignment
from tests.helpers import ASSIGNMENTS

# The gradients that a notebook's gradient-check cells must report, one line each, in order.
GRADIENT_CHECKS = {"conv_step_by_step": ("dA_prev", "dW", "db", "dA_prev", "dA_prev"),
                   "conv_vectorized": ("dA_prev", "dW", "db", "dA_prev", "dA_prev"),
                   "conv_application": ("W1", "b1", "W2", "b2", "W3", "b3")}

NUMBER = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
RELATIVE_ERROR = re.compile(rf"relative error\D*?(?P<error>{NUMBER})")
THRESHOLD = re.compile(rf"threshold\D*?(?P<threshold>{NUMBER})")
GRADIENT_LINE = re.compile(r"^(?:.*, )?(?P<name>\w+): relative error ")  # "<label>, <name>: relative error ..."
PYTHON_WARNING = re.compile(r"\b\w*Warning\b")


def run(assignment: Assignment, folder) -> nbformat.NotebookNode:
    """The instructor notebook of ``assignment``, executed in a copy of its folder made in ``folder``."""
    here = folder / assignment.name
    shutil.copytree(assignment.notebook.parent, here)
    notebook = nbformat.read(here / assignment.notebook.name, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(here)}}).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode, kind: str):
    """(cell index, output) of every output of type ``kind`` ("error", or a stream name: "stdout", "stderr")."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.output_type == kind or (output.output_type == "stream" and output.name == kind):
                yield index, output


def printed_lines(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(index, line) for index, output in outputs(notebook, "stdout") for line in output.text.splitlines()]


def alarms(lines: list[tuple[int, str]], stderr: list[tuple[int, str]]) -> list[str]:
    """Every line that warns, or that shows a relative error its own threshold calls wrong."""
    found = []
    for index, line in lines:
        error = RELATIVE_ERROR.search(line)
        threshold = THRESHOLD.search(line[error.end():]) if error else None
        if error and threshold is None:
            found.append(f"cell {index}: {line.strip()}  (a relative error with no threshold to judge it by)")
        elif "ATTENTION" in line or (error and (float(error["error"]) > float(threshold["threshold"])
                                                or "PASS" not in line)):
            found.append(f"cell {index}: {line.strip()}")
    found += [f"cell {index} wrote a warning: {text.strip()}" for index, text in stderr if PYTHON_WARNING.search(text)]
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_instructor_notebook_runs_clean(assignment, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # the kernel inherits it: no threads fighting for 2 cores
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)  # the notebook's own language, English
    notebook = run(assignment, tmp_path)

    errors = [f"cell {index}: {output.ename}: {output.evalue}" for index, output in outputs(notebook, "error")]
    assert errors == []
    lines = printed_lines(notebook)
    stderr = [(index, output.text) for index, output in outputs(notebook, "stderr")]
    assert alarms(lines, stderr) == []
    passed = {name for name in assignment.graded for _, line in lines if line.startswith(f"{name}: ")}
    assert [name for name in assignment.graded if name not in passed] == []
    reported = [match["name"] for _, line in lines if (match := GRADIENT_LINE.match(line))]
    assert reported == list(GRADIENT_CHECKS.get(assignment.name, reported))


def test_an_alarm_is_recognised():
    """The parser of the gradient-check lines flags what it must, and only that."""
    clean = [(19, "W1: relative error 8.2e-10 on 10 entries (threshold 1e-05): PASS"),
             (36, "conv_backward, dA_prev: relative error 4.3e-10, within the threshold of 1e-07: PASS."),
             (9, "conv_forward: the one visible case passes.")]
    assert alarms(clean, [(24, "training: 100%|##########| 720/720 [00:03<00:00]")]) == []
    for line in ("b1: relative error 3.9e-01 on 8 entries (threshold 1e-05): ATTENTION: this gradient is wrong",
                 "b1: relative error 3.9e-01 on 8 entries (threshold 1e-05): PASS",
                 "b1: relative error on 5 entries = 3.9e-01",
                 "W2: relative error 1.0e-09 on 10 entries (threshold 1e-05)",
                 "conv_backward, dW: relative error 5.0e-01, above the threshold of 1e-07: ATTENTION, this gradient "
                 "is wrong."):
        assert len(alarms([(19, line)], [])) == 1, line
    assert alarms([], [(4, "/tmp/x.py:3: RuntimeWarning: overflow encountered in exp\n")])
