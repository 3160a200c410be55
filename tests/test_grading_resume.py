"""kill -9 in the middle of a cohort, then run again: every student graded exactly once.

A cohort of 10 submissions (correct, with one catalogued mistake each, the seed
lesson's code, unfinished, untouched) is graded by ``python -m autograder
grade``; the whole process group is killed with SIGKILL as soon as some, but
not all, result files exist. The second run must grade only the rest and leave
the first run's results as they were (same file, same bytes); the gradebook
must then hold every student once, with the scores that the catalogue says
they earn; and ``--force --student A --student B`` must grade those two again,
with the same grades, and nobody else.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grading.sandbox import bubblewrap
from instructor import course, reference
from tests.helpers import STEP_BY_STEP, examples_of
from instructor.assignments.conv_step_by_step.mistakes import SEED_MISTAKES

ASSIGNMENT = STEP_BY_STEP.name
FUNCTIONS = STEP_BY_STEP.functions
KILL_WHEN = 3  # result files on disk when the grader is killed
FORCED = ("correct_1", "seed_lesson_code")  # graded again with --force
COMMAND = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--workers", "2", "--call-timeout", "5",
           "--submission-timeout", "30", "--no-progress"]

pytestmark = pytest.mark.skipif(bubblewrap() is None, reason="needs bubblewrap (apt-get install bubblewrap)")


def cohort() -> dict[str, tuple[dict[str, str], set[str]]]:
    """{student: (solution cells, the functions that must score 0)}: 10 students."""
    sources = STEP_BY_STEP.sources()
    examples = examples_of(STEP_BY_STEP)
    students = {f"correct_{n}": (sources, set()) for n in range(1, 3)}
    students["correct_vectorized"] = (examples["correct_vectorized"], set())
    students["seed_lesson_code"] = (examples["seed_lesson_code"], set().union(*(m.breaks for m in SEED_MISTAKES)))
    unfinished = examples["unfinished"]
    students["unfinished"] = (unfinished, set(FUNCTIONS) - set(unfinished))
    students["release_stub"] = ({}, set(FUNCTIONS))
    mistakes = STEP_BY_STEP.catalogue
    for mistake in mistakes[::-(-len(mistakes) // 4)]:  # four, spread over the catalogue
        students[f"mistake_{mistake.id}"] = (mistake.cells(sources), set(mistake.breaks))
    return students


def environment() -> dict[str, str]:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of ``pid`` and of every process below it."""
    stats = {int(entry.name): _stat(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit()}
    stats = {number: fields for number, fields in stats.items() if fields}
    found, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, fields in stats.items() if fields[1] == str(parent) and child not in found]
        found.update(children)
        frontier += children
    return {(number, stats[number][19]) for number in found if number in stats}


def alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those of ``processes`` still running (the same process: same pid and start time, not a zombie)."""
    living = set()
    for pid, started in processes:
        fields = _stat(pid)
        if fields and fields[19] == started and fields[0] != "Z":
            living.add((pid, started))
    return living


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """{student: (inode, mtime, bytes)} of every result file."""
    return {path.stem: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
            for path in folder.glob("*.json")}


def grade(root: Path, *extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*COMMAND, "--course", str(root), *extra], cwd=reference.REPO, env=environment(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    root = course.new_course(tmp_path_factory.mktemp("resume") / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    students = cohort()
    for student, (cells, _) in students.items():
        course.submit(root, student, course.fill_notebook(release, cells), STEP_BY_STEP)
    results = root / ".autograder" / "results" / ASSIGNMENT

    log = root.parent / "killed-run.log"  # a file, not a pipe: a full pipe would stall the grader
    tree: set[tuple[int, str]] = set()
    with open(log, "wb") as stderr:
        process = subprocess.Popen([*COMMAND, "--course", str(root)], cwd=reference.REPO, env=environment(),
                                   stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        try:
            started = time.monotonic()
            while process.poll() is None and time.monotonic() - started < 240:
                tree |= descendants(process.pid)
                if len(list(results.glob("*.json"))) >= KILL_WHEN:
                    break
                time.sleep(0.01)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the whole process group, as kill -9 -PGID
            process.wait(timeout=30)
    killed_stderr = log.read_text()
    deadline = time.monotonic() + 15
    while alive(tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = alive(tree)
    first = snapshot(results)

    second = grade(root)
    after = snapshot(results)
    gradebook = course.scores(root, ASSIGNMENT)
    report = json.loads((root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]

    forced = grade(root, "--force", *(option for student in FORCED for option in ("--student", student)))
    return {"root": root, "students": students, "killed_rc": process.returncode, "killed_stderr": killed_stderr,
            "tree": tree, "survivors": survivors, "first": first, "second": second, "after": after,
            "gradebook": gradebook, "report": report, "forced": forced, "after_force": snapshot(results),
            "gradebook_after_force": course.scores(root, ASSIGNMENT)}


def test_the_grader_was_killed_with_some_but_not_all_students_graded(resumed):
    assert resumed["killed_rc"] == -signal.SIGKILL, resumed["killed_stderr"]
    assert 0 < len(resumed["first"]) < len(resumed["students"])


def test_nothing_of_the_killed_grader_keeps_running(resumed):
    """Its workers, their sandboxes and whatever runs in them all end with it."""
    assert len(resumed["tree"]) >= 4  # the grader, two workers, at least one sandbox
    assert resumed["survivors"] == set()


def test_the_second_run_grades_only_the_rest(resumed):
    students, first = resumed["students"], resumed["first"]
    assert (f"{len(students)} submissions of {ASSIGNMENT}: {len(first)} already graded, "
            f"{len(students) - len(first)} to grade") in resumed["second"].stderr


def test_every_student_is_graded_exactly_once(resumed):
    first, after = resumed["first"], resumed["after"]
    assert set(after) == set(resumed["students"])
    assert {student: after[student] for student in first} == first  # same file, same time, same bytes
    for student in set(after) - set(first):
        assert json.loads(after[student][2])["student"] == student


def test_the_gradebook_has_every_student_with_the_right_scores(resumed):
    report, gradebook = resumed["report"], resumed["gradebook"]
    assert set(gradebook) == set(report) == set(resumed["students"])
    for student, (_, lost) in resumed["students"].items():
        points = {name: entry["max"] for name, entry in report[student]["functions"].items()}
        expected = {f"test_{name}": (0.0 if name in lost else points[name]) for name in FUNCTIONS}
        assert gradebook[student] == expected, student
        result = json.loads(resumed["after"][student][2])
        assert {f"test_{name}": entry["score"] for name, entry in result["functions"].items()} == expected
        assert report[student]["total"] == sum(expected.values())


def test_every_student_has_feedback(resumed):
    root = resumed["root"]
    for student in resumed["students"]:
        assert (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file(), student


def test_force_grades_the_students_named_again_with_the_same_grades_and_nobody_else(resumed):
    students, after, forced = resumed["students"], resumed["after"], resumed["after_force"]
    assert f"{len(FORCED)} submissions of {ASSIGNMENT}: 0 already graded, {len(FORCED)} to grade" \
        in resumed["forced"].stderr
    assert set(forced) == set(students)
    for student in students:
        if student not in FORCED:
            assert forced[student] == after[student], student  # untouched
            continue
        assert forced[student][:2] != after[student][:2], student  # a new file
        old, new = json.loads(after[student][2]), json.loads(forced[student][2])
        for key in ("total", "max", "functions", "flags", "problems"):
            assert new[key] == old[key], (student, key)
    assert resumed["gradebook_after_force"] == resumed["gradebook"]


def test_a_result_whose_scores_and_feedback_were_lost_is_recorded_again_without_rewriting_its_file(resumed):
    """A run killed after a student's result file but before the gradebook's commit and the feedback (both come
    later): the next run writes the scores and the feedback, and leaves the file (the commit point) as it was.
    Runs last: it changes the course the tests above read."""
    from nbgrader.api import Gradebook

    from autograder.course import Course

    root, student = resumed["root"], "correct_2"
    results = root / ".autograder" / "results" / ASSIGNMENT
    before = snapshot(results)
    feedback = root / "feedback" / student / ASSIGNMENT
    for page in feedback.iterdir():
        page.unlink()
    with Gradebook(Course(root).db_url) as gradebook:
        gradebook.remove_submission(ASSIGNMENT, student)

    again = grade(root)
    assert "0 to grade" in again.stderr
    assert snapshot(results) == before  # same file, same time, same bytes
    assert (feedback / f"{ASSIGNMENT}.html").is_file()
    assert course.scores(root, ASSIGNMENT)[student] == resumed["gradebook"][student]
