"""The instructor's term on a real nbgrader course, beside stock ``nbgrader autograde`` on a copy of it.

One course of assignment 1 (25 points), set up as an instructor does: a due date
on the assignment in the gradebook, ``c.AssignLatePenalties.plugin_class`` and
``c.LateSubmissionPlugin.penalty_method = "zero"`` in its ``nbgrader_config.py``,
and three submissions with their ``timestamp.txt``: ``on_time`` (the correct
example, before the due date), ``late`` (the seed lesson's code, a day late)
and ``extended`` (correct, a day late but with a two-day extension granted
through nbgrader's API). The course is copied; stock ``nbgrader autograde``
grades the copy, ``autograder grade`` the original. Then:

- deadlines: ``nbgrader export`` gives the same raw score, late penalty and
  score for every student from both gradebooks, formgrader's gradebook holds the
  same penalty, and the kit's report.json, feedback and summary state the due
  date, the lateness and the penalty (in English and Chinese);
- manual grades: on both courses, through nbgrader's API as formgrader does, a
  manual score of 1.5 and extra credit of 2 on ``test_conv_forward``, a comment
  on ``conv_forward``'s solution cell and a flag; both regrade with ``--force``;
  every one of them survives in both, equal, and the cell's score is 3.5; the
  kit's feedback gives the learner the reviewed score and the comment, also
  for a review made after grading (without grading again);
- an instructor's own late-submission plugin (a module in the course
  directory, as nbgrader's documentation describes one) gives the same
  penalties under both, and a plugin that cannot be loaded stops the kit's run
  before any grading, with the reason;
- grades out to an LMS: ``autograder export --format canvas|moodle`` and
  ``nbgrader export --exporter=...`` write the same files, whose header is the
  documented one of each format (samples in ``tests/fixtures/lms/``) and whose
  scores are nbgrader export's scores after the late penalty.
"""
from __future__ import annotations

import contextlib
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.course import Course
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
EXAMPLES = {example.student: dict(example.cells) for example in STEP_BY_STEP.examples(STEP_BY_STEP)}
DUE = "2026-03-01 12:00:00 UTC"
SUBMISSIONS = {  # student: (example, timestamp.txt)
    "on_time": ("correct_vectorized", "2026-03-01 09:30:00.000000 UTC"),
    "late": ("seed_lesson_code", "2026-03-02 14:00:00.000000 UTC"),  # 1 day 2 hours late
    "extended": ("correct_vectorized", "2026-03-02 12:00:00.000000 UTC"),  # late by a day, with two days more
}
ZERO = '\nc.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"\n' \
       'c.LateSubmissionPlugin.penalty_method = "zero"\n'
PER_HOUR = '''from nbgrader.plugins import BasePlugin


class PerHour(BasePlugin):
    """One point per started hour late, as in nbgrader's documentation of late-submission plugins."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return float(-(-total_seconds_late // 3600))
'''
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lms"


def kit_grade(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root),
                           "--kit", str(reference.REPO), "--workers", "2", "--no-progress", *extra],
                          capture_output=True, text=True)


def stock_grade(root: Path) -> subprocess.CompletedProcess:
    return course.nbgrader(root, "autograde", ASSIGNMENT, "--create", "--force", check=False)


def export_rows(root: Path) -> dict[str, dict[str, str]]:
    """``nbgrader export`` of the course (the real command, in the course directory): its rows by student."""
    target = root / "grades.csv"
    course.nbgrader(root, "export", "--to", str(target))
    with open(target, newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}


@contextlib.contextmanager
def gradebook(root: Path):
    from nbgrader.api import Gradebook

    with Gradebook(Course(root).db_url) as book:
        yield book


def set_up(root: Path) -> None:
    """The instructor's settings: due date, late penalty method, submissions with times, one extension."""
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(ZERO)
    with gradebook(root) as book:
        book.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    for student, (example, stamp) in SUBMISSIONS.items():
        path = course.submit(root, student, course.fill_notebook(release, EXAMPLES[example]), STEP_BY_STEP)
        (path.parent / "timestamp.txt").write_text(stamp)
    with gradebook(root) as book:
        book.update_or_create_student("extended")
        book.update_or_create_submission(ASSIGNMENT, "extended")
        book.grant_extension(ASSIGNMENT, "extended", days=2)


def set_by_hand(root: Path) -> None:
    """What an instructor sets in formgrader (the same calls as formgrader's API handlers make)."""
    with gradebook(root) as book:
        grade = book.find_grade("test_conv_forward", ASSIGNMENT, ASSIGNMENT, "on_time")
        grade.manual_score, grade.extra_credit = 1.5, 2.0
        comment = book.find_comment("conv_forward", ASSIGNMENT, ASSIGNMENT, "on_time")
        comment.manual_comment = "Nice loop; see me about the strides."
        book.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "late").flagged = True
        book.db.commit()


def by_hand(root: Path) -> dict:
    """What was set by hand, and what nbgrader computes from it, as the gradebook holds it now."""
    with gradebook(root) as book:
        grade = book.find_grade("test_conv_forward", ASSIGNMENT, ASSIGNMENT, "on_time")
        comment = book.find_comment("conv_forward", ASSIGNMENT, ASSIGNMENT, "on_time")
        return {"manual_score": grade.manual_score, "extra_credit": grade.extra_credit, "score": grade.score,
                "auto_score": grade.auto_score, "needs_manual_grade": grade.needs_manual_grade,
                "manual_comment": comment.manual_comment,
                "flagged": book.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "late").flagged,
                "on_time_total": book.find_submission(ASSIGNMENT, "on_time").score}


def penalties(root: Path) -> dict[str, float]:
    """The late penalty of each submission in the gradebook, as formgrader's API reads it."""
    from tests.test_grading_gradebook import formgrader_api

    with formgrader_api(root) as api, api.gradebook as book:
        return {s.student.id: s.late_submission_penalty for s in book.assignment_submissions(ASSIGNMENT)}


@pytest.fixture(scope="module")
def term(tmp_path_factory, one_thread_kernels):
    """(kit course, stock course, {step: what was seen}) after grading and after the regrade with manual grades."""
    base = tmp_path_factory.mktemp("term")
    kit_root = course.new_course(base / "kit", STEP_BY_STEP)
    set_up(kit_root)
    stock_root = base / "stock"
    shutil.copytree(kit_root, stock_root)
    first = kit_grade(kit_root)
    assert first.returncode == 0, first.stderr
    stock = stock_grade(stock_root)
    assert stock.returncode == 0, stock.stderr
    seen = {"kit_export": export_rows(kit_root), "stock_export": export_rows(stock_root),
            "kit_penalties": penalties(kit_root), "stock_penalties": penalties(stock_root),
            "console": first.stderr}
    for root in (kit_root, stock_root):
        set_by_hand(root)
    again = kit_grade(kit_root, "--force")
    assert again.returncode == 0, again.stderr
    stock = stock_grade(stock_root)
    assert stock.returncode == 0, stock.stderr
    seen.update(kit_hand=by_hand(kit_root), stock_hand=by_hand(stock_root),
                kit_export_after=export_rows(kit_root), stock_export_after=export_rows(stock_root))
    return kit_root, stock_root, seen


# -- deadlines ------------------------------------------------------------------------------------------------
def test_late_penalties_are_those_of_stock_nbgrader_in_export_and_formgrader(term):
    _, _, seen = term
    columns = ("raw_score", "late_submission_penalty", "score", "max_score", "timestamp", "duedate")
    kit = {s: {c: row[c] for c in columns} for s, row in seen["kit_export"].items()}
    stock = {s: {c: row[c] for c in columns} for s, row in seen["stock_export"].items()}
    assert kit == stock
    # what the setting means: the late notebook scores 0, the extended and the on-time ones keep their score
    assert float(kit["late"]["raw_score"]) > 0 and float(kit["late"]["score"]) == 0
    assert float(kit["late"]["late_submission_penalty"]) == float(kit["late"]["raw_score"])
    assert float(kit["extended"]["score"]) == float(kit["on_time"]["score"]) == 25
    assert seen["kit_penalties"] == seen["stock_penalties"]
    assert seen["kit_penalties"]["late"] > 0 and seen["kit_penalties"]["extended"] == 0


def test_report_feedback_and_summary_state_the_lateness_and_the_penalty(term):
    kit_root, _, seen = term
    report = json.loads((kit_root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]
    late = report["late"]["late"]
    assert late["due"] == "2026-03-01 12:00:00" and late["seconds_late"] == 26 * 3600
    assert late["penalty"] == report["late"]["total"] > 0 and late["after_penalty"] == 0
    assert late["plugin"] == "nbgrader.plugins.latesubmission.LateSubmissionPlugin"
    assert report["extended"]["late"]["extension_seconds"] == 2 * 86400
    assert report["extended"]["late"]["seconds_late"] == 0 and report["extended"]["late"]["penalty"] == 0
    feedback = (kit_root / "feedback" / "late" / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    assert "Due 2026-03-01 12:00:00 (UTC): submitted 1 day 2 hours late." in feedback
    assert f"Late penalty: {late['penalty']:g} points; score after the penalty: 0 / 25." in feedback
    extended = (kit_root / "feedback" / "extended" / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    assert "Due 2026-03-03 12:00:00 (UTC), with an extension of 2 days: submitted on time." in extended
    summary = (kit_root / "reports" / ASSIGNMENT / "summary.md").read_text()
    assert "## Deadlines" in summary and "1 student of 3 submitted after their due date" in summary
    assert f"| `late` | 2026-03-01 12:00:00 |  | 1 day 2 hours | {late['penalty']:g} | 0 / 25 |" in summary


def test_the_chinese_feedback_states_the_lateness_too(term, tmp_path):
    kit_root, _, _ = term
    root = tmp_path / "course"
    shutil.copytree(kit_root, root)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root),
                           "--kit", str(reference.REPO), "--no-progress", "--language", "zh", "--force",
                           "--student", "late"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    feedback = (root / "feedback" / "late" / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    assert "截止时间 2026-03-01 12:00:00（UTC）：迟交了 1 天 2 小时。" in feedback
    assert "迟交扣分：" in feedback and "扣分后得分：0 / 25" in feedback
    assert "Due" not in feedback and "penalty" not in feedback


# -- manual grades ------------------------------------------------------------------------------------------------
def test_a_regrade_keeps_what_the_instructor_set_in_formgrader_as_stock_nbgrader_does(term):
    _, _, seen = term
    assert seen["kit_hand"] == seen["stock_hand"]
    hand = seen["kit_hand"]
    assert (hand["manual_score"], hand["extra_credit"], hand["score"]) == (1.5, 2.0, 3.5)
    assert hand["auto_score"] == 4.0 and hand["needs_manual_grade"] is True  # marked for review again
    assert hand["manual_comment"] == "Nice loop; see me about the strides." and hand["flagged"] is True
    for student in SUBMISSIONS:
        assert seen["kit_export_after"][student] == seen["stock_export_after"][student]
    assert float(seen["kit_export_after"]["on_time"]["score"]) == 25 - 4 + 3.5


def test_the_feedback_gives_the_learner_what_the_instructor_set_in_formgrader(term):
    kit_root, _, _ = term
    feedback = (kit_root / "feedback" / "on_time" / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    assert "Score: 25 / 25" in feedback and "After your instructor's review: 24.5 / 25." in feedback
    assert "| `conv_forward` | 3.5 / 4 (set by your instructor; the checks gave 4 / 4) | passed |" in feedback
    assert "## Comments from your instructor" in feedback
    assert "- `conv_forward`: Nice loop; see me about the strides." in feedback
    report = json.loads((kit_root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]
    assert report["on_time"]["review"] == {"manual": {"conv_forward": 1.5}, "extra": {"conv_forward": 2.0},
                                           "comments": {"conv_forward": "Nice loop; see me about the strides."},
                                           "total": 24.5}
    assert report["extended"]["review"] is None


def test_a_review_made_after_grading_reaches_the_feedback_without_grading_again(term, tmp_path):
    kit_root, _, _ = term
    root = tmp_path / "course"
    shutil.copytree(kit_root, root)
    with gradebook(root) as book:
        book.find_comment("pool_backward", ASSIGNMENT, ASSIGNMENT, "extended").manual_comment = "Well done."
        book.db.commit()
    results = root / ".autograder" / "results" / ASSIGNMENT
    before = {path.name: json.loads(path.read_text())["seconds"] for path in results.glob("*.json")}
    done = kit_grade(root)
    assert done.returncode == 0, done.stderr
    assert "0 to grade" in done.stderr
    assert {path.name: json.loads(path.read_text())["seconds"] for path in results.glob("*.json")} == before
    feedback = (root / "feedback" / "extended" / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    assert "- `pool_backward`: Well done." in feedback and "After your instructor's review" not in feedback


# -- an instructor's own plugin --------------------------------------------------------------------------------
def test_an_instructors_own_late_plugin_gives_the_same_penalties_as_under_nbgrader(term, tmp_path):
    kit_root, _, _ = term
    roots = []
    for name in ("kit", "stock"):
        root = tmp_path / name
        shutil.copytree(kit_root, root, ignore=shutil.ignore_patterns(".autograder", "feedback", "autograded",
                                                                       "reports"))
        (root / "late.py").write_text(PER_HOUR)
        with open(root / "nbgrader_config.py", "a") as config:
            config.write('\nc.AssignLatePenalties.plugin_class = "late.PerHour"\n')
        roots.append(root)
    done = kit_grade(roots[0], "--force", "--student", "late")
    assert done.returncode == 0, done.stderr
    stock = course.nbgrader(roots[1], "autograde", ASSIGNMENT, "--force", "--student", "late", check=False)
    assert stock.returncode == 0, stock.stderr
    kit, stock = export_rows(roots[0]), export_rows(roots[1])
    assert kit["late"] == stock["late"]
    # 26 started hours late: 26 points, clamped by nbgrader to the notebook's score
    assert float(kit["late"]["late_submission_penalty"]) == min(26.0, float(kit["late"]["raw_score"]))
    report = json.loads((roots[0] / "reports" / ASSIGNMENT / "report.json").read_text())["students"]
    assert report["late"]["late"]["plugin"] == "late.PerHour"


def test_a_late_plugin_that_cannot_be_loaded_stops_the_run_before_any_grading(term, tmp_path):
    kit_root, _, _ = term
    root = tmp_path / "course"
    shutil.copytree(kit_root, root, ignore=shutil.ignore_patterns(".autograder", "feedback", "autograded", "reports"))
    with open(root / "nbgrader_config.py", "a") as config:
        config.write('\nc.AssignLatePenalties.plugin_class = "no_such_module.Plugin"\n')
    done = kit_grade(root)
    assert done.returncode != 0
    assert "no_such_module.Plugin" in done.stderr and "c.AssignLatePenalties.plugin_class" in done.stderr
    assert not (root / ".autograder" / "results").exists() and not (root / "feedback").exists()


# -- grades out to an LMS ------------------------------------------------------------------------------------------
def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("format", ["canvas", "moodle"])
def test_the_lms_export_has_the_documented_header_and_the_scores_after_late_penalties(term, format, tmp_path):
    kit_root, _, seen = term
    ours = tmp_path / f"{format}.csv"
    done = subprocess.run([sys.executable, "-m", "autograder", "export", "--format", format, "--course",
                           str(kit_root), "--to", str(ours)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    plugin = {"canvas": "CanvasExportPlugin", "moodle": "MoodleExportPlugin"}[format]
    theirs = tmp_path / f"nbgrader-{format}.csv"
    course.nbgrader(kit_root, "export", f"--exporter=autograder.grading.export.{plugin}", "--to", str(theirs))
    assert ours.read_bytes() == theirs.read_bytes()

    rows, sample = read_csv(ours), read_csv(FIXTURES / f"{format}_import_sample.csv")
    expected = {s: float(row["score"]) for s, row in seen["kit_export_after"].items()}
    if format == "canvas":
        # the identity columns of Canvas's own export, in its order; then one column per assignment
        assert rows[0][:5] == sample[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        assert rows[0][5:] == [ASSIGNMENT]
        assert rows[1][0] == sample[1][0] == "    Points Possible" and rows[1][1:5] == ["", "", "", ""]
        assert rows[1][5] == "25"
        found = {row[3]: float(row[5]) for row in rows[2:]}  # the nbgrader id in SIS Login ID
    else:
        # Moodle maps a user from one of its user fields; the other columns as Moodle names them
        assert rows[0][0] == "Username" and set(rows[0][:4]) <= set(sample[0])
        assert rows[0][4:] == [ASSIGNMENT]
        found = {row[0]: float(row[4]) for row in rows[1:]}
    assert found == pytest.approx(expected)
    assert found["late"] == 0 and found["on_time"] == 24.5  # after the late penalty; manual grade included
