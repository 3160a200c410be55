"""No line of the instructor's solutions reaches any file the grader writes (issue 16, point 3).

The diagnosis of a function that fails through its helpers judges it again with
correct helpers. A learner's function can read whatever its process holds: had
the grader run the instructor's solution cells in the learner's process for that
(it once did), a function that raises an exception carrying
``inspect.getsource`` of every function it finds would have put the reference
source into its own feedback and ``report.json``. Here such a learner (helpers
wrong, so that the diagnosis judges the attackers again with correct helpers) is
graded by the real command, in the sandbox, and every file the run writes or
changes in the course directory (feedback, report.json, the class summary, the
stored results, the gradebook) is searched for every distinctive line of every
solution cell.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grading import plan as grading_plan
from autograder.course import Course
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
NOTEBOOK = f"{ASSIGNMENT}.ipynb"

# Every function the process holds, as source: raised, so that it is reported as the function's error.
STEAL = '''
def _everything():
    import gc, inspect, linecache
    found = []
    for name, entry in list(linecache.cache.items()):  # the cells this process ran, but not the learner's own
        try:
            text = "".join(entry[2])
        except (IndexError, TypeError):
            continue
        if "refer" + "ence" in str(name) or "SOLU" + "TION" in text:  # not a cell of the learner's own
            found.append(text)
    for thing in gc.get_objects():
        filename = thing.__code__.co_filename if inspect.isfunction(thing) else ""
        if filename.startswith("<cell") and filename not in linecache.cache:
            try:
                found.append(inspect.getsource(thing))
            except (OSError, TypeError):
                pass
    return "\\n".join(found)[:1900]
'''

ATTACK = {
    # wrong helpers: each fails its own checks, so the functions calling them are judged again with correct ones
    "zero_pad": "def zero_pad(X, pad):\n    return X\n",
    "conv_single_step": "def conv_single_step(a_slice_prev, W, b):\n    return 2.0 * float((a_slice_prev * W).sum())\n",
    "create_mask_from_window": "def create_mask_from_window(x):\n    return x < 0\n",
    "distribute_value": "def distribute_value(dz, shape):\n    return dz\n",
    # the functions that call them raise everything they can read
    "conv_forward": STEAL + "\ndef conv_forward(A_prev, W, b, hparameters):\n"
                    "    zero_pad(A_prev, 1)\n    conv_single_step(A_prev[0, :1, :1], W[:1, :1, :, 0], b[..., 0])\n"
                    "    raise RuntimeError(_everything())\n",
    "conv_backward": STEAL + "\ndef conv_backward(dZ, cache):\n    zero_pad(cache[0], 1)\n"
                     "    raise ValueError(_everything())\n",
    "pool_backward": STEAL + "\ndef pool_backward(dA, cache, mode='max'):\n"
                     "    create_mask_from_window(cache[0][0, :2, :2, 0])\n    distribute_value(1.0, (2, 2))\n"
                     "    raise KeyError(_everything())\n",
}

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)")


def solution_lines(release: Path) -> set[str]:
    """Every line of a solution cell that says something of the solution: not in the release, not a marker,
    not the attacker's own, and long enough to be its own (``return Z`` is in everyone's code)."""
    import nbformat

    given = {line.strip() for cell in nbformat.read(release, as_version=4).cells for line in cell.source.splitlines()}
    given |= {line.strip() for code in ATTACK.values() for line in code.splitlines()}
    found = set()
    for code in STEP_BY_STEP.sources().values():
        for line in code.splitlines():
            text = line.strip()
            if len(text) >= 16 and text not in given and "SOLUTION" not in text and not text.startswith("#"):
                found.add(text)
    return found


def written_files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*")
            if path.is_file() and "source" not in path.relative_to(root).parts[:1]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = course.new_course(tmp_path_factory.mktemp("leak") / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / NOTEBOOK
    grading_plan.course_secret(Course(root))
    course.submit(root, "thief", course.fill_notebook(release, ATTACK), STEP_BY_STEP)
    before = written_files(root)
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root), "--kit",
               str(reference.REPO), "--workers", "1", "--no-progress"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(command, cwd=reference.REPO, env=env, capture_output=True, text=True, timeout=600)
    return root, release, before, written_files(root), done


def test_the_thief_was_graded_and_its_attackers_were_judged_again(graded):
    root, _, _, after, done = graded
    assert done.returncode == 0, done.stderr[-3000:]
    report = (root / "reports" / ASSIGNMENT / "report.json").read_text()
    assert "thief" in report and (root / "feedback" / "thief" / ASSIGNMENT / f"{ASSIGNMENT}.md").exists()
    assert any(path.suffix == ".json" and ".autograder" in path.parts for path in after)


def test_no_line_of_a_solution_cell_is_in_any_file_the_grader_writes(graded):
    root, release, before, after, _ = graded
    lines = solution_lines(release)
    assert len(lines) >= 40  # the search looks for something
    leaked = {}
    for path, data in after.items():
        text = data.decode("utf-8", "replace")
        old = before.get(path, b"").decode("utf-8", "replace")
        found = sorted(line for line in lines if text.count(line) > old.count(line))
        if found:
            leaked[str(path.relative_to(root))] = found[:5]
    assert not leaked, leaked
