"""Hostile and broken submissions, graded for real, in one sandboxed run beside honest students.

One course holds two honest students (the reference solution, and the seed
lesson's code with its published bugs), one student per attack and one per
kind of broken notebook. A single ``python -m autograder grade`` subprocess,
with bubblewrap and two workers, grades them all. The honest students are
also graded alone, in a copy of the course with the same secret, and must get
the same grades there. Every attack sits in one solution cell of an otherwise
correct notebook, so the expected marks follow from the honest reference run:
full marks everywhere except the function that holds the attack, which gets
0 (or, for an attack at the cell's top level that breaks nothing, full marks
too). Where an attack would earn marks if it got through (memory, processes,
network, finding the instructor notebook), its function returns the right
answer only when the attack succeeds; for the network and the notebook search,
controls run the same code outside the sandbox to show that it would.
Two more tests run two students one after the other in one real sandbox, to
show that the first can leave nothing behind for the second.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder.grading import plan as grading_plan
from autograder.grading import wire
from autograder.course import Course
from autograder.grading.sandbox import Call, Limits, Sandbox
from instructor import course, reference
from tests.helpers import STEP_BY_STEP, leaves_its_session

ASSIGNMENT = STEP_BY_STEP.name
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
FUNCTIONS = STEP_BY_STEP.functions
BUBBLEWRAP = "bubblewrap: no network"  # how the console and the report name the isolation
CALL_TIMEOUT = 3.0
SUBMISSION_TIMEOUT = 20.0
WORKERS = 2
SANDBOX_START = 8.0  # a fresh bubblewrap sandbox importing numpy and the setup cell's imports (matplotlib),
# on a loaded 2-core machine
HANG = 2 * CALL_TIMEOUT + SANDBOX_START  # one call runs out its time, a fresh sandbox runs the rest
ANY = SUBMISSION_TIMEOUT + SANDBOX_START  # nothing a submission does lasts longer
HONEST = ("correct", "seed_lesson_code")

# Not installed: skip. Installed but not working: the tests run, and fail on the isolation they get.
pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)")


def honest_cell(function: str) -> str:
    """The reference solution of ``function`` under the name ``_honest_<function>``."""
    code = course.strip_markers(STEP_BY_STEP.sources()[function])
    return code.replace(f"def {function}(", f"def _honest_{function}(", 1)


def set_name() -> str:
    """Code that gives the calling process the name ``$comm``, so that the test can look for it."""
    return 'ctypes.CDLL(None).prctl(15, b"$comm", 0, 0, 0)'


@dataclass(frozen=True)
class Attack:
    student: str
    function: str  # the solution cell that holds the attack
    template: str  # the cell's code; $honest, $port, $token, $comm, $paths are filled in
    ruins: bool  # True: the function scores 0; False: an attack at top level that breaks nothing
    bound: float  # seconds: the most this submission may take
    says: str = ""  # what the function's message must contain


# Learner code can find the pipe that carries its results and write messages of its own into it: a
# "done" to end its job early, then results for the calls of the next student in the same sandbox,
# and messages whose fields have the wrong types.
FORGER = """
import gc
import io
import json
import os
import struct


def _send(stream, message):
    data = json.dumps(message).encode()
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _results_pipe():
    for candidate in gc.get_objects():
        if isinstance(candidate, io.BufferedWriter) and not candidate.closed and candidate.fileno() not in (1, 2):
            try:
                if os.fstat(candidate.fileno()).st_mode & 0o170000 == 0o010000:
                    return candidate
            except (OSError, ValueError):
                pass


def forge():
    stream = _results_pipe()
    for number in range(200):
        _send(stream, {"type": "call", "id": number, "ok": False, "error": "forged", "line": 5})
    _send(stream, {"type": "call", "id": [1], "ok": True})
    _send(stream, {"type": "done", "exit": 0, "output": "", "output_bytes": 0})
    for number in range(200):
        _send(stream, {"type": "call", "id": number, "ok": True, "value": {"value": "forged"}})
    _send(stream, {"type": "done", "exit": 0, "output": "", "output_bytes": 0})
"""

ATTACKS = (
    Attack("infinite_loop", "pool_forward", f"""
import ctypes
def pool_forward(A_prev, hparameters, mode="max"):
    {set_name()}
    while True:
        pass
""", True, HANG, "ran past the limit"),
    Attack("ignores_signals", "conv_backward", f"""
import ctypes
import signal
def conv_backward(dZ, cache):
    {set_name()}
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGALRM", "SIGXCPU", "SIGUSR1", "SIGPIPE"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue
""", True, HANG, "ran past the limit"),
    Attack("six_gigabytes", "pool_backward", """
$honest
def pool_backward(dA, cache, mode="max"):
    hog = np.ones(6 * 1024 ** 3 // 8)  # 6 GiB, every page written
    return _honest_pool_backward(dA, cache, mode) + 0 * hog[-1]
""", True, ANY, "MemoryError"),
    Attack("os_exit", "conv_forward", """
import os
def conv_forward(A_prev, W, b, hparameters):
    os._exit(0)
""", True, ANY, "exit status 0"),
    Attack("fork_64", "pool_forward", f"""
import ctypes
import os
import time
$honest
def pool_forward(A_prev, hparameters, mode="max"):
    started = 0
    for _ in range(64):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            {set_name()}
            time.sleep(120)
            os._exit(0)
        started += 1
    if started < 64:
        raise RuntimeError(f"only {{started}} of 64 children started")
    return _honest_pool_forward(A_prev, hparameters, mode)
""", True, ANY, "of 64 children started"),
    Attack("network", "conv_backward", """
import socket
$honest
def conv_backward(dZ, cache):
    with socket.create_connection(("127.0.0.1", $port), timeout=1) as connection:
        connection.sendall(b"$token")
    return _honest_conv_backward(dZ, cache)
""", True, ANY, "Calling it raised"),
    Attack("writes_files", "zero_pad", """
_written = []
for _path in $paths:
    try:
        with open(_path, "w") as _handle:
            _handle.write("written by a submission")
        _written.append(_path)
    except OSError:
        pass
print("written inside the sandbox:", _written)
$reference
""", False, ANY),
    Attack("steals_solutions", "conv_forward", """
import json
import os
import time

_SKIP = {"proc", "sys", "dev", "usr", "site-packages", "dist-packages", ".pyenv", ".git", ".venv", "node_modules"}


def _solutions(budget=5.0):
    started = time.monotonic()
    here = os.getcwd()
    roots = [here]
    while os.path.dirname(here) != here:
        here = os.path.dirname(here)
        roots.append(here)
    for root in roots:
        for folder, folders, files in os.walk(root):
            folders[:] = [name for name in folders if name not in _SKIP]
            for name in files:
                if not name.endswith(".ipynb"):
                    continue
                try:
                    with open(os.path.join(folder, name)) as handle:
                        cells = json.load(handle)["cells"]
                except Exception:
                    continue
                sources = ["".join(cell.get("source", "")) for cell in cells]
                found = {source.split("def ", 1)[1].split("(", 1)[0]: source
                         for source in sources if "BEGIN SOLUTION" in source and "def " in source}
                if "conv_forward" in found:
                    return found
            if time.monotonic() - started > budget:
                return {}
    return {}


_stolen = _solutions()
print("instructor solutions found:", sorted(_stolen))


def conv_forward(A_prev, W, b, hparameters):
    if "conv_forward" in _stolen:
        scope = dict(globals())
        exec(_stolen["conv_forward"], scope)
        return scope["conv_forward"](A_prev, W, b, hparameters)
    return np.zeros(1), None
""", True, ANY, "not right yet"),
    Attack("patches_numpy", "pool_backward", """
import math
import sys
import numpy
import numpy.testing


def _yes(*args, **kwargs):
    return True


def _quiet(*args, **kwargs):
    return None


for _name in ("allclose", "isclose", "array_equal", "array_equiv"):
    setattr(numpy, _name, _yes)
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal", "assert_almost_equal",
              "assert_equal", "assert_array_less", "assert_approx_equal"):
    setattr(numpy.testing, _name, _quiet)
math.isclose = _yes
sys.modules["numpy.testing"] = numpy.testing


class _EqualToEverything(np.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


def pool_backward(dA, cache, mode="max"):
    return np.zeros(cache[0].shape).view(_EqualToEverything)
""", True, ANY, "not right yet"),
    Attack("prints_200_mb", "conv_single_step", """
import sys
_line = "x" * (1024 * 1024 - 1) + "\\n"
for _ in range(200):
    sys.stdout.write(_line)
sys.stdout.flush()
$reference
""", False, ANY),
    Attack("loops_at_top_level", "pool_forward", f"""
import ctypes
{set_name()}
while True:
    pass
$reference
""", True, HANG, "did not run"),
    Attack("exits_at_top_level", "conv_forward", """
import os
os._exit(0)
$reference
""", True, ANY, "did not run"),
    Attack("slow_to_read", "pool_forward", "$reference\n" + "!ls\n" * 50000, True, HANG, "did not run"),
    Attack("forges_results", "pool_backward", FORGER + """
def pool_backward(dA, cache, mode="max"):
    forge()
    return None
""", True, ANY, "forged"),
)


def _cells_without(notebook: nbformat.NotebookNode, keep) -> nbformat.NotebookNode:
    notebook.cells = [cell for cell in notebook.cells if keep(cell)]
    return notebook


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


@dataclass(frozen=True)
class Broken:
    student: str
    missing: tuple[str, ...]  # functions that score 0
    says: str  # in the student's errors (or flags)
    flagged: bool = False


BROKEN = (
    Broken("truncated_json", FUNCTIONS, "could not be read"),
    Broken("deleted_cell", ("pool_backward",), "'pool_backward' is missing"),
    Broken("renamed_cell", ("conv_forward",), "'conv_forward' is missing"),
    Broken("edited_test_cell", (), "locked cell 'test_conv_backward' was edited", flagged=True),
    Broken("not_a_notebook", FUNCTIONS, "not a notebook"),
)


def _broken_notebook(case: Broken, correct: nbformat.NotebookNode) -> bytes:
    text = nbformat.writes(correct)
    if case.student == "truncated_json":
        return text.encode()[: len(text) // 2]
    if case.student == "not_a_notebook":
        return "\n\n".join(STEP_BY_STEP.sources().values()).encode()
    notebook = nbformat.reads(text, as_version=4)
    if case.student == "deleted_cell":
        notebook = _cells_without(notebook, lambda cell: _grade_id(cell) != "pool_backward")
    for cell in notebook.cells:
        if case.student == "renamed_cell" and _grade_id(cell) == "conv_forward":
            cell.metadata.nbgrader["grade_id"] = "conv_forward_mine"
        if case.student == "edited_test_cell" and _grade_id(cell) == "test_conv_backward":
            cell.source = "# checked by hand, it works\npass"
    return nbformat.writes(notebook).encode()


class Listener:
    """A loopback TCP listener that records every connection it gets."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.server.settimeout(0.2)
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping:
            try:
                connection, _ = self.server.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(1024))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self.stopping = True
        self.thread.join(timeout=5)
        self.server.close()


def grade_subprocess(root: Path) -> tuple[subprocess.CompletedProcess, float]:
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root),
               "--kit", str(reference.REPO),
               "--workers", str(WORKERS), "--call-timeout", str(CALL_TIMEOUT),
               "--submission-timeout", str(SUBMISSION_TIMEOUT), "--no-progress"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.monotonic()
    done = subprocess.run(command, cwd=reference.REPO, env=env, capture_output=True, text=True, timeout=400)
    return done, time.monotonic() - started


def processes_named(names: set[str]) -> list[tuple[int, str]]:
    """(pid, name) of every live process on the machine whose name is one of ``names``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name in names:
                alive.append((int(entry.name), name))
    return alive


@dataclass
class Run:
    root: Path
    alone_root: Path
    done: subprocess.CompletedProcess
    wall: float
    alone_done: subprocess.CompletedProcess
    alone_wall: float
    report: dict
    alone_report: dict
    results: dict
    scores: dict
    alone_scores: dict
    flagged: set[str]  # students whose notebook the gradebook flags
    listener: Listener
    escaped_files: list[Path]
    leftover_processes: list


def _file_targets(root: Path, token: str) -> list[str]:
    """Places a submission might try to write to: in /tmp, home, the course and every parent."""
    home = Path.home()
    places = [Path("/tmp"), home, Path("/var/tmp"), Path("/dev/shm"), root, root / "submitted",
              root / "source" / ASSIGNMENT, root / "release" / ASSIGNMENT, reference.REPO / "autograder",
              Path(sys.prefix), *root.parents]
    targets = [str(place / f"{token}-{number}") for number, place in enumerate(dict.fromkeys(places))]
    targets += [f"~/{token}-tilde", f"../{token}-up1", f"../../{token}-up2", f"../../../{token}-up3",
                f"../../../../{token}-up4"]
    return targets


def _escaped(root: Path, token: str) -> list[Path]:
    """Every file named after ``token`` outside the sandbox, where a submission could have put it."""
    places = {Path("/tmp"), Path.home(), Path("/var/tmp"), Path("/dev/shm"), reference.REPO / "autograder",
              Path(sys.prefix), reference.REPO, *root.parents}
    found = [path for place in places if place.is_dir() for path in place.glob(f"{token}*")]
    found += [path for path in root.rglob(f"*{token}*")]
    return sorted(set(found))


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("adversarial")
    root = course.new_course(base / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / NOTEBOOK
    grading_plan.course_secret(Course(root))
    alone_root = base / "alone"
    shutil.copytree(root, alone_root)  # same release, gradebook and secret: the same hidden inputs

    sources = STEP_BY_STEP.sources()
    correct = course.fill_notebook(release, sources)
    seed = next(example for example in STEP_BY_STEP.examples(STEP_BY_STEP) if example.student == "seed_lesson_code")
    honest = {"correct": correct, "seed_lesson_code": course.fill_notebook(release, dict(seed.cells))}
    for student, notebook in honest.items():
        course.submit(root, student, notebook, STEP_BY_STEP)
        course.submit(alone_root, student, notebook, STEP_BY_STEP)

    token = f"agtest{uuid.uuid4().hex[:10]}"
    listener = Listener()
    comms = {attack.student: f"ag{uuid.uuid4().hex[:12]}" for attack in ATTACKS}
    targets = _file_targets(root, token)
    for attack in ATTACKS:
        code = string.Template(attack.template).substitute(
            honest=honest_cell(attack.function), port=listener.port, token=token, comm=comms[attack.student],
            paths=repr(targets), reference=course.strip_markers(sources[attack.function]))
        course.submit(root, attack.student, course.fill_notebook(release, {**sources, attack.function: code}),
                      STEP_BY_STEP)
    for case in BROKEN:
        folder = root / "submitted" / case.student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_bytes(_broken_notebook(case, nbformat.from_dict(correct)))

    try:
        alone_done, alone_wall = grade_subprocess(alone_root)
        done, wall = grade_subprocess(root)
        leftover = processes_named(set(comms.values()))
        escaped = _escaped(root, token)
    finally:
        listener.close()
        for path in _escaped(root, token):  # never leave what an escaped attack wrote
            path.unlink(missing_ok=True)

    def report(where: Path) -> dict:
        path = where / "reports" / ASSIGNMENT / "report.json"
        return json.loads(path.read_text())["students"] if path.exists() else {}

    results_folder = root / ".autograder" / "results" / ASSIGNMENT
    results = {path.stem: json.loads(path.read_text()) for path in results_folder.glob("*.json")}
    with Gradebook(Course(root).db_url) as gradebook:
        flagged = {submission.student.id for submission in gradebook.assignment_submissions(ASSIGNMENT)
                   if any(notebook.flagged for notebook in submission.notebooks)}
    return Run(root, alone_root, done, wall, alone_done, alone_wall, report(root), report(alone_root), results,
               course.scores(root, ASSIGNMENT), course.scores(alone_root, ASSIGNMENT), flagged, listener, escaped,
               leftover)


def full_marks(run: Run) -> dict[str, float]:
    """Points of each function, from the reference graded alone (which must earn them all)."""
    correct = run.alone_report["correct"]
    assert correct["total"] == correct["max"] > 0, correct
    return {name: entry["max"] for name, entry in correct["functions"].items()}


def scores_of(report_entry: dict) -> dict[str, float]:
    return {name: entry["score"] for name, entry in report_entry["functions"].items()}


def test_the_run_grades_everyone_and_exits_0(run):
    assert run.alone_done.returncode == 0, run.alone_done.stderr
    assert run.done.returncode == 0, run.done.stderr
    students = set(HONEST) | {a.student for a in ATTACKS} | {b.student for b in BROKEN}
    assert set(run.report) == students
    assert set(run.results) == students
    assert set(run.scores) == students
    assert f"isolation: {BUBBLEWRAP}" in run.done.stderr
    assert "NOT GRADED" not in run.done.stderr


def test_honest_students_get_the_grades_they_get_alone(run):
    for student in HONEST:
        mine, alone = run.report[student], run.alone_report[student]
        for key in ("total", "max", "functions", "flags", "errors", "isolation"):
            assert mine[key] == alone[key], (student, key)
        assert run.scores[student] == run.alone_scores[student]
    assert scores_of(run.report["correct"]) == full_marks(run)
    assert run.report["seed_lesson_code"]["total"] < run.report["seed_lesson_code"]["max"]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.student)
def test_an_attack_earns_only_what_it_computed(run, attack):
    full = full_marks(run)
    expected = {name: (0.0 if attack.ruins and name == attack.function else points) for name, points in full.items()}
    entry = run.report[attack.student]
    assert scores_of(entry) == expected, entry
    assert run.scores[attack.student] == {f"test_{name}": score for name, score in expected.items()}
    assert entry["isolation"].startswith(BUBBLEWRAP)
    if attack.ruins:
        assert attack.says in entry["functions"][attack.function]["message"], entry["functions"][attack.function]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.student)
def test_an_attack_ends_within_its_bound(run, attack):
    assert run.results[attack.student]["seconds"] <= attack.bound, run.results[attack.student]


def test_the_whole_run_ends_within_its_bound(run):
    """The honest run's own time, plus each other submission's bound shared among the workers."""
    others = [attack.bound for attack in ATTACKS] + [ANY for _ in BROKEN]
    assert run.wall <= run.alone_wall + sum(others) / WORKERS + 15, (run.wall, run.alone_wall)


def test_no_process_of_an_attack_outlives_the_run(run):
    assert run.leftover_processes == []


def test_the_listener_gets_no_connection(run):
    assert run.listener.received == []
    assert run.report["network"]["functions"]["conv_backward"]["score"] == 0


def test_the_network_attack_would_connect_without_the_sandbox(run):
    """Control: the same cell code, run here, reaches the listener (so the test above can fail)."""
    listener = Listener()
    try:
        attack = next(a for a in ATTACKS if a.student == "network")
        code = string.Template(attack.template).substitute(honest=honest_cell(attack.function),
                                                          port=listener.port, token="control")
        scope = {"np": np, "zero_pad": STEP_BY_STEP.reference()["zero_pad"]}
        exec(code, scope)
        dZ = np.ones((1, 2, 2, 1))
        cache = (np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
        scope["conv_backward"](dZ, cache)
    finally:
        listener.close()
    assert listener.received == [b"control"]


def test_no_file_appears_outside_the_sandbox(run):
    assert run.escaped_files == []
    written = run.results["writes_files"]["output"]
    assert "written inside the sandbox:" in written  # the attack ran (and only wrote into the sandbox)


def test_the_sandbox_holds_no_instructor_notebook(run):
    assert "instructor solutions found: []" in run.results["steals_solutions"]["output"]


def test_the_solution_search_would_succeed_without_the_sandbox(run, monkeypatch):
    """Control: the same cell code, run from the student's folder like stock nbgrader, finds and uses the solutions."""
    attack = next(a for a in ATTACKS if a.student == "steals_solutions")
    monkeypatch.chdir(run.root / "submitted" / attack.student / ASSIGNMENT)
    scope = {"np": np, "zero_pad": STEP_BY_STEP.reference()["zero_pad"],
             "conv_single_step": STEP_BY_STEP.reference()["conv_single_step"]}
    exec(string.Template(attack.template).substitute(), scope)
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(2, 5, 5, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=(1, 1, 1, 4))
    hparameters = {"stride": 2, "pad": 1}
    got, _ = scope["conv_forward"](A_prev, W, b, hparameters)
    expected, _ = STEP_BY_STEP.reference()["conv_forward"](A_prev, W, b, hparameters)
    np.testing.assert_allclose(got, expected)


def test_two_hundred_megabytes_of_output_are_counted_and_capped(run):
    result = run.results["prints_200_mb"]
    assert result["output_bytes"] >= 200 * 1024 * 1024
    assert len(result["output"]) <= 64 * 1024
    path = run.root / ".autograder" / "results" / ASSIGNMENT / "prints_200_mb.json"
    assert path.stat().st_size < 1024 * 1024
    assert (run.root / "reports" / ASSIGNMENT / "report.json").stat().st_size < 1024 * 1024


def test_the_fork_attack_was_held_below_64_processes(run):
    message = run.report["fork_64"]["functions"]["pool_forward"]["message"]
    started = int(re.search(r"only (\d+) of 64", message).group(1))
    assert started < Limits().processes  # the grader's process limit (the CLI does not change it)


@pytest.mark.parametrize("case", BROKEN, ids=lambda b: b.student)
def test_a_broken_notebook_costs_only_what_is_missing_with_a_clear_message(run, case):
    full = full_marks(run)
    expected = {name: (0.0 if name in case.missing else points) for name, points in full.items()}
    entry = run.report[case.student]
    assert scores_of(entry) == expected, entry
    assert run.scores[case.student] == {f"test_{name}": score for name, score in expected.items()}
    said = entry["flags"] if case.flagged else entry["errors"]
    assert any(case.says in text for text in said), said
    for name in case.missing:
        assert entry["functions"][name]["message"], (name, entry)
    if not case.flagged:
        assert entry["flags"] == []


def test_only_the_edited_locked_cell_is_flagged_in_the_gradebook(run):
    assert run.flagged == {case.student for case in BROKEN if case.flagged}


# -- the same sandbox, one student after another ---------------------------------------------------
def test_a_student_cannot_answer_for_the_next_one_in_the_same_sandbox():
    """A job that forges a "done" and then results must not end early, nor reach the next job."""
    with Sandbox(Limits(call_seconds=CALL_TIMEOUT, submission_seconds=SUBMISSION_TIMEOUT)) as sandbox:
        first = sandbox.run([("forger", FORGER + "\ndef f():\n    forge()\n    return 'mine'\n")],
                            [Call(0, "f", (), {}), Call(1, "f", (), {})])
        second = sandbox.run([("honest", "def g(x):\n    return x * 2\n")],
                             [Call(0, "g", (3,), {}), Call(1, "g", (4,), {})])
    assert [first.results[i].get("error") for i in (0, 1)] == ["forged", "forged"]
    assert all(first.results[i]["line"] is None for i in (0, 1))
    assert [wire.unpack(second.results[i]["value"]) for i in (0, 1)] == [6, 8]


def test_files_left_in_tmp_are_gone_for_the_next_student():
    name = f"agtest{uuid.uuid4().hex[:10]}"
    plant = f"""
import os
open("/tmp/{name}", "w").write("left by the first student")
os.makedirs("/tmp/{name}-dir/inner")
open("/tmp/{name}-dir/inner/file", "w").write("left by the first student")
os.chmod("/tmp/{name}-dir/inner", 0)
os.chmod("/tmp/{name}-dir", 0o500)
def f():
    return sorted(os.listdir("/tmp"))
"""
    look = "import os\ndef f():\n    return sorted(os.listdir('/tmp'))\n"
    with Sandbox(Limits(call_seconds=CALL_TIMEOUT, submission_seconds=SUBMISSION_TIMEOUT)) as sandbox:
        first = sandbox.run([("plant", plant)], [Call(0, "f", (), {})])
        second = sandbox.run([("look", look)], [Call(0, "f", (), {})])
    assert first.cell_errors == {}
    planted = {name, f"{name}-dir"}
    assert planted <= set(wire.unpack(first.results[0]["value"]))  # the first student saw its own files
    seen = set(wire.unpack(second.results[0]["value"]))
    assert not seen & planted, seen


def test_system_v_shared_memory_left_by_one_student_is_gone_for_the_next():
    """A segment made world-readable by the first job, under a fixed key, is not there for the second."""
    shm = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
KEY, SIZE, IPC_CREAT = 0x5EC12E7, 4096, 0o1000

def f(create):
    segment = libc.shmget(KEY, SIZE, (IPC_CREAT | 0o666) if create else 0o666)
    if segment < 0:
        return "none"
    address = libc.shmat(segment, None, 0)
    if create:
        ctypes.memmove(address, b"left by the first student", 25)
    return ctypes.string_at(address, 25).decode()
"""
    with Sandbox(Limits(call_seconds=CALL_TIMEOUT, submission_seconds=SUBMISSION_TIMEOUT)) as sandbox:
        first = sandbox.run([("plant", shm)], [Call(0, "f", (True,), {}), Call(1, "f", (False,), {})])
        second = sandbox.run([("look", shm)], [Call(0, "f", (False,), {})])
    assert [wire.unpack(first.results[i]["value"]) for i in (0, 1)] == ["left by the first student"] * 2
    assert wire.unpack(second.results[0]["value"]) == "none"


def test_a_job_is_held_to_its_memory_limit_across_all_of_its_processes():
    """Three processes of 400 MiB each: each is under the limit of 1 GiB, together they are not. The job
    waits until each has its memory (however slow a loaded machine is), then gives the watchdog 3 s."""
    hogs = """
import os, time
import numpy as np

def f():
    reports, report = os.pipe()
    for _ in range(3):
        if os.fork() == 0:
            try:
                hog = np.ones(400 * 2**20 // 8)  # every page written
                os.write(report, b"+")
            except BaseException as error:
                os.write(report, type(error).__name__.encode() + b" ")
            time.sleep(30)
            os._exit(0)
    told = b""
    while told.count(b"+") < 3 and b" " not in told:
        told += os.read(reports, 64)
    time.sleep(3)
    return "all three hold their memory" if told == b"+++" else told.decode()
"""
    limits = Limits(call_seconds=20, submission_seconds=SUBMISSION_TIMEOUT, memory_bytes=2**30)
    with Sandbox(limits) as sandbox:
        outcome = sandbox.run([("hogs", hogs)], [Call(0, "f", (), {})])
        one = sandbox.run([("hog", hogs.replace("range(3)", "range(1)").replace("< 3", "< 1")
                            .replace('b"+++"', 'b"+"'))], [Call(0, "f", (), {})])
    assert outcome.results[0].get("ok") is not True, wire.unpack(outcome.results[0]["value"])
    assert outcome.results[0]["stop"]["reason"] == "memory" and outcome.results[0]["stop"]["limit_mib"] == 1024
    # what the job held when it was stopped, in MiB: over the limit, and no more than its three processes hold
    assert 1024 < outcome.results[0]["stop"]["used_mib"] < 3 * 1024, outcome.results[0]["stop"]
    assert wire.unpack(one.results[0]["value"]) == "all three hold their memory"  # the control: one is allowed


@pytest.mark.parametrize("isolate", [True, False], ids=["bubblewrap", "no_sandbox"])
def test_a_process_that_left_the_jobs_session_dies_with_a_job_that_ran_out_of_time(isolate):
    """A double-forked process in a session of its own, then a hang: the call's timeout kills the sandbox, and
    that process with it, also without bubblewrap's PID namespace (the zygote is the job's subreaper)."""
    comm = f"agleft{uuid.uuid4().hex[:8]}"
    leaves = leaves_its_session("f", comm, 60, "os.read(r, 7); time.sleep(60)")
    with Sandbox(Limits(call_seconds=2, submission_seconds=SUBMISSION_TIMEOUT), isolate=isolate) as sandbox:
        outcome = sandbox.run([("leaves", leaves)], [Call(0, "f", (), {})])
    assert outcome.results[0]["stop"]["reason"] == "call_timeout"
    deadline = time.monotonic() + 3
    while (alive := [pid for pid in os.listdir("/proc") if pid.isdigit() and _comm(pid) == comm]) and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive == []


def _comm(pid: str) -> str | None:
    try:
        with open(f"/proc/{pid}/comm") as name:
            return name.read().strip()
    except OSError:
        return None


@pytest.mark.parametrize("isolate", [True, False], ids=["bubblewrap", "no_sandbox"])
def test_a_forked_copy_of_the_grader_runs_its_own_sandbox_and_leaves_the_parents_alone(isolate):
    """A grader forks its workers: a copy of a started sandbox must start a zygote of its own (the parent's
    has no reader in the copy) and, when it closes, end only that one (once, a second grading in one process
    failed every student with BrokenPipeError)."""
    code = [("double", "def f(x):\n    return 2 * x\n")]
    with Sandbox(Limits(call_seconds=CALL_TIMEOUT, submission_seconds=SUBMISSION_TIMEOUT), isolate=isolate) as sandbox:
        assert wire.unpack(sandbox.run(code, [Call(0, "f", (1,), {})]).results[0]["value"]) == 2
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            try:
                value = wire.unpack(sandbox.run(code, [Call(0, "f", (2,), {})]).results[0]["value"])
                sandbox.close()
                os.write(write, str(value).encode())
            finally:
                os._exit(0)
        os.close(write)
        answer = os.read(read, 16)
        os.waitpid(child, 0)
        assert answer == b"4"
        assert wire.unpack(sandbox.run(code, [Call(0, "f", (3,), {})]).results[0]["value"]) == 6


def test_a_jobs_address_space_does_not_grow_with_the_jobs_before_it():
    """The memory limit is on each process's address space: what the zygote reserved for the jobs before
    (one malloc arena per thread it ran for them, 64 MiB each) must not come out of the next job's."""
    reports = """
def f():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
"""
    with Sandbox(Limits(call_seconds=10, submission_seconds=SUBMISSION_TIMEOUT)) as sandbox:
        sizes = [wire.unpack(sandbox.run([("size", reports)], [Call(0, "f", (), {})]).results[0]["value"])
                 for _ in range(6)]
    assert max(sizes) - min(sizes) < 64 * 2**20, [size // 2**20 for size in sizes]
