"""``python -m autograder grade ASSIGNMENT``: grade every submission of a course directory.

Run it in an nbgrader course directory (or pass ``--course``) after
``nbgrader generate_assignment`` and ``nbgrader collect`` (or with submissions
placed in ``submitted/<student>/<ASSIGNMENT>/``). Results land in nbgrader's
gradebook, in ``reports/<ASSIGNMENT>/report.json`` and ``summary.md``, and as
feedback in ``feedback/<student>/<ASSIGNMENT>/`` for ``nbgrader release_feedback``.

A student is graded once per submission: a run skips students whose stored
result belongs to the submission now in ``submitted/`` (same ``timestamp.txt``)
and grades again those who submitted anew; ``--force`` grades everyone again.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from . import reports
from .plan import Plan, make_plan
from .runner import grade
from .sandbox import FULL, PARTIAL, Limits, bubblewrap
from .store import GradebookWriter, ResultStore, write_report

_WORKER_STATE: dict[str, Any] = {}


def submissions(course: Path, assignment: str) -> dict[str, Path]:
    """{student: path of their notebook} under ``submitted/``."""
    found = {}
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        if folder.is_dir():
            found[folder.parent.name] = folder / f"{assignment}.ipynb"
    return found


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # graded as an unreadable notebook, with the reason


def _timestamp(path: Path) -> str | None:
    stamp = path.parent / "timestamp.txt"
    return stamp.read_text().strip() if stamp.exists() else None


# -- local process pool -----------------------------------------------------------
def _start_worker(plan: Plan, limits: Limits, isolate: bool) -> None:
    _WORKER_STATE.update(plan=plan, limits=limits, isolate=isolate)


def _grade_in_worker(student: str, notebook: bytes) -> dict[str, Any]:
    state = _WORKER_STATE
    return grade(state["plan"], student, notebook, state["limits"], state["isolate"])


def _local(plan: Plan, todo: dict[str, Path], workers: int, limits: Limits, isolate: bool) -> Iterator[dict]:
    """Start the pool now, then yield results as they come.

    The workers are forked, not spawned: they start with numpy, nbformat, nbgrader and the plan
    already loaded, where spawned workers spent seconds of CPU each importing them again. They are
    forked here, before the progress bar starts its thread, so no thread is running at the fork
    (the pool launches every worker at the first submit when it forks).
    """
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                                  initargs=(plan, limits, isolate))
    futures = {pool.submit(_grade_in_worker, student, _read(path)): student for student, path in todo.items()}
    return _as_completed(pool, futures, plan)


def _as_completed(pool: concurrent.futures.Executor, futures: dict, plan: Plan) -> Iterator[dict]:
    with pool:
        for future in concurrent.futures.as_completed(futures):
            yield _result_or_error(future, futures[future], plan)


# -- Dask -----------------------------------------------------------------------------
def grade_remote(plan: Plan, student: str, notebook: bytes, limits: Limits, isolate: bool) -> dict[str, Any]:
    """The task sent to Dask workers: the same as a local worker's."""
    return grade(plan, student, notebook, limits, isolate)


def _dask(plan: Plan, todo: dict[str, Path], address: str, limits: Limits, isolate: bool) -> Iterator[dict]:
    from distributed import Client, as_completed

    with Client(address) as client:
        shared = client.scatter(plan, broadcast=True)
        futures = {client.submit(grade_remote, shared, student, _read(path), limits, isolate, pure=False,
                                 key=f"grade-{plan.assignment}-{student}"): student
                   for student, path in todo.items()}
        for future in as_completed(futures):
            yield _result_or_error(future, futures[future], plan)


def _result_or_error(future, student: str, plan: Plan) -> dict[str, Any]:
    """A worker that died is the grader's problem, never a grade: it is reported, not scored."""
    try:
        return future.result()
    except Exception as error:
        return {"student": student, "grader_failure": f"{type(error).__name__}: {error}"}


# -- the command ----------------------------------------------------------------------
def run(course: Path, assignment: str, workers: int, scheduler: str | None, force: bool,
        limits: Limits, isolate: bool, progress: bool = True, students: list[str] | None = None) -> int:
    from tqdm import tqdm

    course = course.resolve()
    found = everyone = submissions(course, assignment)  # report and summary cover everyone, not only --student
    if students:
        found = {s: p for s, p in found.items() if s in students}
    store = ResultStore(course, assignment)
    if force:
        store.forget(list(found))
    gradebook = GradebookWriter(course, assignment)
    try:
        current = {s for s in store.graded() & set(found)  # a newer submission (collect --update) is graded again
                   if store.load(s).get("submitted_at") == _timestamp(found[s])}
        for student in sorted(current - gradebook.recorded()):
            gradebook.record(store.load(student), _timestamp(found[student]))  # finished before a kill
        todo = {s: p for s, p in found.items() if s not in current}
        isolation = FULL if (isolate and bubblewrap()) else PARTIAL
        print(f"isolation: {isolation}", file=sys.stderr)
        print(f"{len(found)} submissions of {assignment}: {len(found) - len(todo)} already graded, "
              f"{len(todo)} to grade" + (f" on {scheduler}" if scheduler else f" with {workers} workers"),
              file=sys.stderr)
        failures = []
        if todo:
            plan = make_plan(course, assignment)
            results = (_dask(plan, todo, scheduler, limits, isolate) if scheduler
                       else _local(plan, todo, workers, limits, isolate))
            with tqdm(total=len(todo), unit="submission", disable=not progress, file=sys.stderr) as bar:
                for result in results:
                    bar.update()
                    if "grader_failure" in result:
                        failures.append(result)
                        continue
                    result["submitted_at"] = _timestamp(found[result["student"]])
                    store.save(result)
                    gradebook.record(result, result["submitted_at"])
                    reports.write_student_feedback(course, assignment, result)
        everything = {s: r for s, r in store.load_all().items() if s in everyone}
        for student, result in everything.items():  # graded, but killed before its feedback was written
            if not reports.has_feedback(course, assignment, student):
                reports.write_student_feedback(course, assignment, result)
        report = write_report(course, assignment, everything)
        summary = reports.write_class_summary(course, assignment, everything)
        print(f"report: {report.relative_to(course)}; class summary: {summary.relative_to(course)}", file=sys.stderr)
        for failure in failures:
            print(f"NOT GRADED {failure['student']}: the grader failed ({failure['grader_failure']}); "
                  "run the command again to retry", file=sys.stderr)
        return 1 if failures else 0
    finally:
        gradebook.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description="Grading for the CNN-in-numpy course kit.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("grade", help=__doc__.splitlines()[0], description=__doc__)
    command.add_argument("assignment")
    command.add_argument("--course", type=Path, default=Path.cwd(), help="nbgrader course directory (default: .)")
    command.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                         help="local worker processes (default: the number of cores)")
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help="grade on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786")
    command.add_argument("--force", action="store_true", help="grade again students already graded")
    command.add_argument("--student", action="append", help="grade only this student (repeatable)")
    command.add_argument("--call-timeout", type=float, default=Limits.call_seconds,
                         help="seconds of wall clock per function call (default: %(default)s)")
    command.add_argument("--submission-timeout", type=float, default=Limits.submission_seconds,
                         help="seconds of wall clock per submission (default: %(default)s)")
    command.add_argument("--memory", type=int, default=Limits.memory_bytes // 2**20,
                         help="memory limit per submission, MiB (default: %(default)s)")
    command.add_argument("--no-sandbox", action="store_true",
                         help="do not use bubblewrap even if it is there (process isolation only)")
    command.add_argument("--no-progress", action="store_true", help="no progress bar")
    options = parser.parse_args(argv)
    limits = Limits(call_seconds=options.call_timeout, submission_seconds=options.submission_timeout,
                    memory_bytes=options.memory * 2**20)
    return run(options.course, options.assignment, options.workers, options.scheduler, options.force, limits,
               not options.no_sandbox, not options.no_progress, options.student)
