"""The same cohort graded by the local process pool and on a real Dask cluster gets the same grades.

One course directory holds a small cohort: the reference solution, the
vectorized example, the seed lesson's code, an unfinished notebook, the
release as handed out, and the reference with one catalogued mistake for every
other graded function (the whole catalogue is graded in-process elsewhere). It is copied before grading,
and the copy gets the first course's secret, so both draw the same hidden inputs. The first course is
graded with ``autograder grade --workers 2``; the copy with ``--scheduler``
pointing at a real ``distributed.LocalCluster`` with two worker processes,
started here.

The local run goes through a small wrapper that installs an audit hook before
the grader starts: the hook, inherited by the pool's forked workers, writes down
every import of ``dask`` or ``distributed`` in any of these processes, and
every process that starts a sandbox (so that we know it watched the workers).
``-X importtime`` on top covers workers that a future version might spawn.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from distributed import Client, LocalCluster

from instructor import course, reference
from tests.helpers import STEP_BY_STEP, examples_of

ASSIGNMENT = STEP_BY_STEP.name
FUNCTIONS = STEP_BY_STEP.functions
WORKERS = 2
# the first catalogued mistake of each function
FIRST_MISTAKE = {m.function: m for m in reversed(STEP_BY_STEP.catalogue)}
MISTAKES = {f"mistake_{m.id}": m for m in list(FIRST_MISTAKE.values())[::2]}


def cohort() -> dict[str, dict[str, str]]:
    """{student: {grade_id: cell code}}; cells not named keep the release's stubs."""
    sources = STEP_BY_STEP.sources()
    students = {"correct": sources, "release_stub": {}} | examples_of(STEP_BY_STEP)
    students |= {student: m.cells(sources) for student, m in MISTAKES.items()}
    return students


WATCHED = """
import json, os, sys

log = sys.argv.pop(1)

def note(kind, name=""):
    with open(log, "a") as handle:
        handle.write(json.dumps([os.getpid(), kind, name]) + "\\n")

def watch(event, args):
    if event == "import" and str(args[0]).split(".")[0] in ("dask", "distributed"):
        note("dask", str(args[0]))
    elif event == "subprocess.Popen" and "autograder.grading.zygote" in " ".join(map(str, args[1] or ())):
        note("sandbox")

note("grader")
sys.addaudithook(watch)
from autograder.grading.cli import main
sys.exit(main(sys.argv[1:]))
"""


def grade(root: Path, *options: str, launcher: tuple[str, ...] = ("-m", "autograder")) -> subprocess.CompletedProcess:
    command = [sys.executable, *launcher, "grade", ASSIGNMENT, "--course", str(root), "--no-progress", *options]
    env = {**os.environ, "PYTHONPATH": str(reference.REPO)}
    done = subprocess.run(command, cwd=reference.REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-5000:]}"
    return done


def report(root: Path) -> dict[str, dict]:
    return json.loads((root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]


class Runs(NamedTuple):
    local: Path  # the course graded by the local pool
    local_run: subprocess.CompletedProcess
    imports: Path  # what the local run's audit hook wrote down
    remote: Path  # its copy, graded on Dask
    remote_run: subprocess.CompletedProcess
    graded_on: dict[str, bool]  # Dask worker address -> whether it ran grading tasks


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """One cohort, one secret, graded by the local pool and on a LocalCluster."""
    tmp = tmp_path_factory.mktemp("dask")
    local = course.new_course(tmp / "local", STEP_BY_STEP)
    release = course.generate_release(local, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    for student, cells in cohort().items():
        course.submit(local, student, course.fill_notebook(release, cells), STEP_BY_STEP)
    remote = Path(shutil.copytree(local, tmp / "remote"))  # before any grading: no results, the same gradebook

    imports = tmp / "imports.jsonl"
    local_run = grade(local, "--workers", str(WORKERS), launcher=("-X", "importtime", "-c", WATCHED, str(imports)))
    secret = Path(".autograder") / "secret"
    (remote / secret.parent).mkdir(mode=0o700)
    shutil.copy2(local / secret, remote / secret)  # the same hidden inputs
    with LocalCluster(n_workers=WORKERS, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        remote_run = grade(remote, "--scheduler", cluster.scheduler_address)
        with Client(cluster) as client:
            graded_on = client.run(_has_graded)
    return Runs(local, local_run, imports, remote, remote_run, graded_on)


def _has_graded() -> bool:
    """Run on each Dask worker: has this process loaded the grader (it does so to run a grading task)?"""
    return "autograder.grading.runner" in sys.modules


def test_every_student_is_graded_on_each_engine(runs):
    assert set(report(runs.local)) == set(report(runs.remote)) == set(cohort())
    assert f"with {WORKERS} workers" in runs.local_run.stderr
    assert "on tcp://127.0.0.1:" in runs.remote_run.stderr
    assert len(runs.graded_on) == WORKERS and any(runs.graded_on.values()), runs.graded_on
    assert "NOT GRADED" not in runs.local_run.stderr + runs.remote_run.stderr


def test_dask_and_the_local_pool_give_identical_grades(runs):
    pool, dask = report(runs.local), report(runs.remote)
    for student in cohort():
        for name in FUNCTIONS:
            here, there = pool[student]["functions"][name], dask[student]["functions"][name]
            assert (here["score"], here["max"], here["message"]) == (there["score"], there["max"], there["message"]), \
                f"{student}: {name}"
            assert here.get("mistake") == there.get("mistake"), f"{student}: {name}"
        for key in ("total", "max", "flags", "errors", "isolation"):
            assert pool[student][key] == dask[student][key], f"{student}: {key}"
    assert pool == dask
    assert course.scores(runs.local, ASSIGNMENT) == course.scores(runs.remote, ASSIGNMENT)  # the gradebooks agree too


def test_the_grades_are_the_right_ones(runs):
    """So that agreeing is not agreeing on nonsense (say, every student failed the same way)."""
    graded = report(runs.local)

    def lost(student: str) -> set[str]:
        return {name for name, entry in graded[student]["functions"].items() if entry["score"] < entry["max"]}

    for student in ("correct", "correct_vectorized"):
        assert graded[student]["total"] == graded[student]["max"] > 0
        assert lost(student) == set()
    assert graded["release_stub"]["total"] == 0
    assert lost("unfinished") == set(FUNCTIONS[3:])
    assert lost("seed_lesson_code") == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    for student, mistake in MISTAKES.items():
        assert lost(student) == set(mistake.breaks), student
        assert graded[student]["functions"][mistake.function]["mistake"] == mistake.id, student


def test_without_a_scheduler_nothing_imports_dask(runs):
    events = [json.loads(line) for line in runs.imports.read_text().splitlines()]
    grader = {pid for pid, kind, _ in events if kind == "grader"}
    workers = {pid for pid, kind, _ in events if kind == "sandbox"} - grader
    timed = [line.split("|")[-1].strip() for line in runs.local_run.stderr.splitlines()
             if line.startswith("import time:") and "|" in line]
    spawned = timed.count("autograder.grading.runner") - 1  # workers that imported the grader afresh
    assert len(grader) == 1 and (workers or spawned > 0), "the pool's workers were not watched"
    dask = sorted({name for _, kind, name in events if kind == "dask"} |
                  {name for name in timed if name.split(".")[0] in ("dask", "distributed")})
    assert dask == [], f"imported without --scheduler: {dask}"
