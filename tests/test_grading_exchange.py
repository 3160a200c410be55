"""The whole nbgrader exchange flow, with this kit's grader in the middle, on real nbgrader 0.9.6 commands.

Instructor (course directory, its own ``nbgrader_config.py`` naming a temporary
exchange): ``generate_assignment`` -> ``release_assignment``. Two students, each
with their own HOME (their ``~/.jupyter/nbgrader_config.py`` names the exchange,
the course and their student id) and working directory: ``fetch_assignment``,
fill in the notebook, ``submit``. Instructor: ``collect`` -> ``python -m
autograder grade`` -> ``release_feedback``. Students: ``fetch_feedback``, and
read their score and hints. ``alice`` submits the reference solutions, ``bob``
the seed lesson's published code with its three bugs. Then bob fixes them and
submits again: ``collect --update`` -> ``autograder grade`` (no ``--force``:
his new submission is graded again, alice's unchanged one is not) ->
``release_feedback`` -> his ``fetch_feedback``; and ``nbgrader export`` and
formgrader's API must give the grader's grades.
"""
from __future__ import annotations

import csv
import html
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import casefile
from autograder.course import Course
from instructor import course
from tests.helpers import STEP_BY_STEP, examples_of

ASSIGNMENT = STEP_BY_STEP.name
COURSE_ID = "cnn-in-numpy"
SEED_LOSES = {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
SEED_MISTAKES = {"conv_single_step": "bias_per_element", "conv_forward": "bias_per_element",
                 "conv_backward": "unpad_with_negative_index", "pool_backward": "dA_read_at_window_corner"}


def environment(home: Path) -> dict[str, str]:
    """The environment of one user: their own HOME, no inherited Jupyter paths, this venv's bin/ on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env["HOME"] = str(home)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")  # nbgrader runs `alembic`
    env["MPLBACKEND"] = "Agg"
    return env


def run_all(jobs: list[tuple[list[str], Path, dict]], timeout: float = 240) -> list[subprocess.CompletedProcess]:
    """Run commands side by side (each nbgrader command spends seconds starting up); fail with their logs."""
    started = [(command, subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True)) for command, cwd, env in jobs]
    done = []
    for command, process in started:
        out, err = process.communicate(timeout=timeout)
        result = subprocess.CompletedProcess(command, process.returncode, out, err)
        assert result.returncode == 0, f"{' '.join(command[2:])} failed ({result.returncode}):\n{out}\n{err}"
        done.append(result)
    return done


def nbgrader(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", *args]


class Instructor:
    """The instructor's nbgrader commands, through nbgrader's own API in this process (the same apps as the
    commands, without their seconds of start-up each), in the course directory ``place``."""

    def __init__(self, place: Path) -> None:
        from nbgrader.apps import NbGraderAPI

        directory = Course(place).nbgrader
        self.api = NbGraderAPI(coursedir=directory, config=directory.config)

    def __getattr__(self, command: str):
        def run(*args, **kwargs):
            done = getattr(self.api, command)(*args, **kwargs)
            assert done["success"], f"{command} failed:\n{done.get('log')}\n{done.get('error')}"
            return done
        return run


class Student:
    def __init__(self, root: Path, name: str, cells: dict[str, str]) -> None:
        self.name, self.cells = name, cells
        self.home = root / "home" / name
        self.work = self.home / "work"
        self.work.mkdir(parents=True)

    def configure(self, exchange: Path) -> None:
        config = self.home / ".jupyter" / "nbgrader_config.py"
        config.parent.mkdir(parents=True)
        config.write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
                          f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
                          f"c.CourseDirectory.student_id = {self.name!r}\n")

    def job(self, *args: str) -> tuple[list[str], Path, dict]:
        return nbgrader(*args), self.work, environment(self.home)

    @property
    def notebook(self) -> Path:
        return self.work / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    def fetched_feedback(self) -> list[Path]:
        return sorted((self.work / ASSIGNMENT / "feedback").glob("*/*.html"))


def _snapshot(place: Path, students: list[Student]) -> dict:
    """What each side holds after a round: the report, each submission's stamp and secret, the feedback fetched."""
    submitted = {s.name: place / "submitted" / s.name / ASSIGNMENT for s in students}
    return {
        "report": json.loads((place / "reports" / ASSIGNMENT / "report.json").read_text())["students"],
        "summary": (place / "reports" / ASSIGNMENT / "summary.md").read_text(),
        "result_files": {s.name: (lambda stat: (stat.st_ino, stat.st_mtime_ns))(
            (place / ".autograder" / "results" / ASSIGNMENT / f"{s.name}.json").stat()) for s in students},
        "timestamp": {name: (folder / "timestamp.txt").read_text() for name, folder in submitted.items()},
        "secret": {name: (folder / "submission_secret.txt").read_text() for name, folder in submitted.items()},
        "fetched": {s.name: {p.parent.name: p.read_text() for p in s.fetched_feedback()} for s in students},
        "written": {s.name: {kind: (place / "feedback" / s.name / ASSIGNMENT / f"{ASSIGNMENT}.{kind}").read_text()
                             for kind in ("html", "md")} for s in students},
    }


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """Round 1: alice (correct) and bob (the seed's bugs) go through the whole flow.
    Round 2: bob fixes his code and submits again; the instructor collects with --update, grades again
    (without --force: only the new submission is graded), releases feedback and exports."""
    root = tmp_path_factory.mktemp("exchange-flow")
    exchange = root / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    instructor_home = root / "home" / "instructor"
    instructor_home.mkdir(parents=True)
    teacher = environment(instructor_home)
    place = course.new_course(root / "course", STEP_BY_STEP)
    with open(place / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    sources = STEP_BY_STEP.sources()
    alice = Student(root, "alice", sources)
    bob = Student(root, "bob", examples_of(STEP_BY_STEP)["seed_lesson_code"])
    students = [alice, bob]
    for student in students:
        student.configure(exchange)
    grade = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--no-progress"]

    instructor = Instructor(place)
    instructor.generate_assignment(ASSIGNMENT)
    instructor.release_assignment(ASSIGNMENT)
    released = exchange / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    run_all([student.job("fetch_assignment", ASSIGNMENT) for student in students])
    fetched = {student.name: student.notebook.read_bytes() for student in students}
    for student in students:
        nbformat.write(course.fill_notebook(student.notebook, student.cells), student.notebook)
    run_all([student.job("submit", ASSIGNMENT) for student in students])
    instructor.collect(ASSIGNMENT, update=False)
    graded = run_all([(grade, place, teacher)])
    instructor.release_feedback(ASSIGNMENT)
    outbound = {p.name for p in (exchange / COURSE_ID / "feedback").iterdir()}
    run_all([student.job("fetch_feedback", ASSIGNMENT) for student in students])
    first = _snapshot(place, students)

    nbformat.write(course.fill_notebook(bob.notebook, sources), bob.notebook)  # bob fixes his three bugs
    run_all([bob.job("submit", ASSIGNMENT)])
    instructor.collect(ASSIGNMENT, update=True)
    regraded = run_all([(grade, place, teacher)])
    instructor.release_feedback(ASSIGNMENT)
    # export reads only the gradebook and fetch_feedback only the exchange: they can run side by side
    run_all([(nbgrader("export"), place, teacher), bob.job("fetch_feedback", ASSIGNMENT)])
    return {"course": place, "exchange": exchange, "students": {s.name: s for s in students},
            "released": released, "fetched": fetched, "grade_log": graded[0].stderr, "outbound": outbound,
            "regrade_log": regraded[0].stderr,
            "first": first, "second": _snapshot(place, students)}


def test_the_student_fetches_the_release_that_the_instructor_released(flow):
    released = flow["released"].read_bytes()
    assert set(flow["fetched"]) == {"alice", "bob"}
    for name, fetched in flow["fetched"].items():
        assert fetched == released, name
        assert b"BEGIN SOLUTION" not in fetched and b"hidden=True" not in fetched


def test_collect_brings_each_submission_with_its_timestamp_and_secret(flow):
    first = flow["first"]
    for name in ("alice", "bob"):
        caches = sorted((flow["students"][name].home / ".local/share/jupyter/nbgrader_cache" / COURSE_ID)
                        .glob(f"{name}+{ASSIGNMENT}+*"))
        assert len(caches) == {"alice": 1, "bob": 2}[name]  # submit keeps a copy in the learner's own cache
        assert (caches[0] / "submission_secret.txt").read_text() == first["secret"][name]
        assert (caches[0] / "timestamp.txt").read_text() == first["timestamp"][name]
    # bob's second submission replaced his first in submitted/
    assert flow["second"]["timestamp"]["bob"] > first["timestamp"]["bob"]
    assert flow["second"]["secret"]["bob"] != first["secret"]["bob"]
    assert flow["second"]["timestamp"]["alice"] == first["timestamp"]["alice"]


def test_the_grader_grades_the_collected_submissions(flow):
    report = flow["first"]["report"]
    assert set(report) == {"alice", "bob"}
    assert "isolation:" in flow["grade_log"]
    alice, bob = report["alice"], report["bob"]
    assert alice["total"] == alice["max"] > 0
    assert not alice["flags"] and not bob["flags"]  # filled in as a learner would: no locked cell touched
    lost = {name for name, entry in bob["functions"].items() if entry["score"] < entry["max"]}
    assert lost == SEED_LOSES
    # each loss under its cause: conv_forward's is its helper's (its own code is right)
    assert {name: bob["functions"][name]["causes"][0] for name in lost} == SEED_MISTAKES
    assert bob["total"] == bob["max"] - sum(bob["functions"][name]["max"] for name in SEED_LOSES)


def test_a_resubmission_is_graded_again_without_force_and_only_that_student(flow):
    assert f"2 submissions of {ASSIGNMENT}: 1 already graded, 1 to grade" in flow["regrade_log"]
    first, second = flow["first"]["result_files"], flow["second"]["result_files"]
    assert first["alice"] == second["alice"] and first["bob"] != second["bob"]  # only bob's result was rewritten
    second = flow["second"]["report"]
    assert second["bob"]["total"] == second["bob"]["max"]
    assert second["alice"] == flow["first"]["report"]["alice"]


def test_nbgrader_export_gives_the_graders_grades(flow):
    report, stamps = flow["second"]["report"], flow["second"]["timestamp"]
    with open(flow["course"] / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"alice", "bob"}
    for name, row in rows.items():
        assert row["assignment"] == ASSIGNMENT
        assert float(row["raw_score"]) == pytest.approx(report[name]["total"])
        assert float(row["score"]) == pytest.approx(report[name]["total"])
        assert float(row["max_score"]) == pytest.approx(report[name]["max"])
        assert row["timestamp"] == stamps[name].strip().removesuffix(" UTC")  # bob's: his second submission
    cells = course.scores(flow["course"], ASSIGNMENT)  # the gradebook, cell by cell, as formgrader shows it
    for name in ("alice", "bob"):
        assert cells[name] == {f"test_{f}": e["score"] for f, e in report[name]["functions"].items()}


def test_formgrader_sees_the_submissions_as_autograded_with_the_graders_scores(flow):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config()
    config.Exchange.root = str(flow["exchange"])
    api = NbGraderAPI(coursedir=CourseDirectory(root=str(flow["course"])), config=config)
    assert api.get_autograded_students(ASSIGNMENT) == {"alice", "bob"}  # bob: his resubmission's timestamp
    listed = {s["student"]: s for s in api.get_submissions(ASSIGNMENT)}
    for name in ("alice", "bob"):
        assert listed[name]["autograded"] and listed[name]["submitted"]
        assert listed[name]["score"] == pytest.approx(flow["second"]["report"][name]["total"])
        assert listed[name]["max_score"] == pytest.approx(flow["second"]["report"][name]["max"])
        assert (flow["course"] / "autograded" / name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == (
            flow["course"] / "submitted" / name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()


def test_release_feedback_puts_one_file_per_submission_in_the_exchange(flow):
    from nbgrader.utils import notebook_hash

    def released(secrets: dict[str, str]) -> set[str]:
        return {f"{notebook_hash(secret=secret, notebook_id=ASSIGNMENT)}.html" for secret in secrets.values()}

    assert flow["outbound"] == released(flow["first"]["secret"])
    everything = {p.name for p in (flow["exchange"] / COURSE_ID / "feedback").iterdir()}
    assert everything == released(flow["first"]["secret"]) | released(flow["second"]["secret"])  # 3 files


def test_each_student_fetches_their_own_feedback_with_score_and_hints(flow):
    first = flow["first"]
    for name in ("alice", "bob"):
        report = first["report"][name]
        assert list(first["fetched"][name]) == [first["timestamp"][name]]  # one file, in its submission's folder
        page = first["fetched"][name][first["timestamp"][name]]
        assert page == first["written"][name]["html"]
        text = html.unescape(page)
        other = "bob" if name == "alice" else "alice"
        assert f"feedback for {name}" in text and other not in text
        assert f"Score: {report['total']:g} / {report['max']:g}" in text
        for function, entry in report["functions"].items():
            assert f"<td><code>{function}</code></td><td>{entry['score']:g} / {entry['max']:g}</td>" in page
    alice = html.unescape(first["fetched"]["alice"][first["timestamp"]["alice"]])
    assert "Hint" not in alice and "not right yet" not in alice
    bob = html.unescape(first["fetched"]["bob"][first["timestamp"]["bob"]])
    assert "the bias was added to every element" in bob
    assert "[pad:-pad], which is empty when pad is 0" in bob
    assert "dA was read at the window's corner" in bob
    assert bob.count("Hint:") == len(SEED_LOSES)
    for function in SEED_LOSES:
        message, hint = first["report"]["bob"]["functions"][function]["message"].split("\nHint: ")
        assert message in bob and hint in bob


def test_after_resubmitting_the_student_fetches_the_new_feedback_beside_the_old(flow):
    first, second = flow["first"], flow["second"]
    fetched = second["fetched"]["bob"]
    assert set(fetched) == {first["timestamp"]["bob"], second["timestamp"]["bob"]}
    assert fetched[first["timestamp"]["bob"]] == first["fetched"]["bob"][first["timestamp"]["bob"]]
    new = html.unescape(fetched[second["timestamp"]["bob"]])
    assert f"Score: {second['report']['bob']['max']:g} / {second['report']['bob']['max']:g}" in new
    assert "Hint" not in new and f"Submitted at {second['timestamp']['bob']}" in new


def _hidden_test_lines() -> set[str]:
    """Every line of the source notebook's hidden test blocks."""
    lines, inside = set(), False
    for cell in nbformat.read(STEP_BY_STEP.notebook, as_version=4).cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.add(line.strip())
    assert lines, "the source notebook has no hidden tests"
    return lines


def _numbers(value) -> list[float]:
    if isinstance(value, np.ndarray):
        return [float(x) for x in value.ravel() if np.issubdtype(value.dtype, np.floating)]
    if isinstance(value, (tuple, list)):
        return [x for item in value for x in _numbers(item)]
    if isinstance(value, dict):
        return [x for item in value.values() for x in _numbers(item)]
    return [float(value)] if isinstance(value, float) else []


def test_feedback_never_shows_the_hidden_tests_nor_their_values(flow):
    from autograder.course import Course
    from autograder.grading.kit import load_kit
    from autograder.grading.plan import make_plan

    # the course's secret: the very hidden cases that were graded
    plan = make_plan(Course(flow["course"]), ASSIGNMENT, load_kit(flow["course"]))
    hidden_values = set()
    for name in plan.case_file.functions:
        for case in plan.case_file.function(name).cases:
            if case.hidden:
                for part in (case.expected, case.args, case.kwargs):
                    hidden_values |= {f"{x:.10g}" for x in _numbers(casefile.decode(part, plan.arrays))}
    hidden_values = {v for v in hidden_values if len(v.lstrip("-")) >= 6}  # "0.5" or "2" say nothing
    assert len(hidden_values) > 1000
    code = _hidden_test_lines()
    for snapshot in (flow["first"], flow["second"]):
        for name in ("alice", "bob"):
            messages = [e["message"] for e in snapshot["report"][name]["functions"].values() if e["message"]]
            for page in [*snapshot["fetched"][name].values(), *snapshot["written"][name].values()]:
                text = html.unescape(page)
                assert "hidden=True" not in text and "BEGIN HIDDEN TESTS" not in text, name
                assert not [line for line in code if line in text], name
                shown = {v for v in hidden_values if v in text}
                stated = {v for v in hidden_values if any(v in message for message in messages)}
                assert shown <= stated, (name, shown - stated)
            for message in messages:  # a failure names at most one expected entry (beside the learner's own)
                assert len({v for v in hidden_values if v in message}) <= 1, message


def test_the_class_summary_counts_the_seed_mistakes_then_follows_the_regrade(flow):
    def bias_row(summary: str) -> list[str]:
        row = next(line for line in summary.splitlines() if line.startswith("| `bias_per_element` |"))
        return [cell.strip() for cell in row.strip("|").split(" | ")]

    first, second = flow["first"]["summary"], flow["second"]["summary"]
    assert "2 students graded" in first and "2 students graded" in second
    assert bias_row(first)[1:4] == ["1", "conv_single_step (1), conv_forward (1)", "bob"]
    assert "`bias_per_element`" not in second and "every function got full marks" in second  # bob fixed it
    assert second == (flow["course"] / "reports" / ASSIGNMENT / "summary.md").read_text()
    page = (flow["course"] / "reports" / ASSIGNMENT / "summary.html").read_text()
    assert page.count("data:image/png;base64,") == 2  # full marks per function, and the item analysis
