"""``autograder grade ASSIGNMENT``: grade every submission of a course directory (``python -m autograder``).

Run it in an nbgrader course directory (or pass ``--course``) after
``nbgrader generate_assignment`` and ``nbgrader collect`` (or with submissions
placed in ``submitted/<student>/<ASSIGNMENT>/``). Results land in the gradebook
nbgrader is configured with, in ``reports/<ASSIGNMENT>/report.json`` and
``summary.md``, and as feedback in ``feedback/<student>/<ASSIGNMENT>/`` for
``nbgrader release_feedback``.

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

from .. import settings
from ..messages import LANGUAGES, Words
from . import Refused
from .course import Course
from .kit import Kit, load_kit
from .plan import Plan, make_plan
from .reports import Reporting
from .reports.feedback import has_feedback, write_student_feedback
from .reports.report import write_report
from .reports.summary import write_class_summary
from .runner import grade, plan_preload
from .sandbox import Limits, Sandbox, SandboxError
from .store import GradebookWriter, ResultStore

_WORKER_STATE: dict[str, Any] = {}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # graded as an unreadable notebook, with the reason


def _timestamp(path: Path) -> str | None:
    """The submission's ``timestamp.txt``, if it holds a time nbgrader can read (a learner may write anything
    there, and the gradebook refuses what it cannot parse: such a submission is recorded without one)."""
    from nbgrader.utils import parse_utc

    stamp = path.parent / "timestamp.txt"
    try:
        with stamp.open(errors="replace") as handle:
            text = handle.read(256).strip()
        parse_utc(text)
    except Exception:  # missing, unreadable, too long or not a time
        return None
    return text


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
    return _as_completed(pool, futures)


def _as_completed(pool: concurrent.futures.Executor, futures: dict) -> Iterator[dict]:
    with pool:
        for future in concurrent.futures.as_completed(futures):
            yield _result_or_error(future, futures[future])


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
            yield _result_or_error(future, futures[future])


def _result_or_error(future, student: str) -> dict[str, Any]:
    """A worker that died is the grader's problem, never a grade: it is reported, not scored."""
    try:
        return future.result()
    except SandboxError as error:
        return {"student": student, "grader_failure": {"key": error.key, "values": error.values}}
    except Exception as error:
        return {"student": student, "grader_failure": {"text": f"{type(error).__name__}: {error}"}}


def _failure_text(words: Words, failure: dict) -> str:
    if "key" in failure:
        return words(failure["key"], **failure["values"])
    return failure["text"]


# -- the command ----------------------------------------------------------------------
def run(course: Path, assignment: str, workers: int, scheduler: str | None, force: bool,
        limits: Limits, isolate: bool, progress: bool = True, students: list[str] | None = None,
        kit: Kit | Path | None = None, language: str | None = None) -> int:
    """Grade ``assignment`` in the course directory ``course`` with the instructor side ``kit``.

    A refusal (:class:`~autograder.grading.Refused`) ends the run with its reason in the run's language."""
    course = Course(course)
    language = language or settings.language(course.root)
    words = Words(language)
    try:
        return _run(course, assignment, workers, scheduler, force, limits, isolate, progress, students, kit,
                    language, words)
    except Refused as refusal:
        raise SystemExit(words(refusal.key, **refusal.values)) from None


def _run(course: Course, assignment: str, workers: int, scheduler: str | None, force: bool, limits: Limits,
         isolate: bool, progress: bool, students: list[str] | None, kit: Kit | Path | None, language: str,
         words: Words) -> int:
    from tqdm import tqdm

    kit = kit if isinstance(kit, Kit) else load_kit(course.root, kit)
    spec = kit.assignment(assignment)
    reporting = Reporting.of(course, assignment, language, {m.id: dict(m.hints) for m in spec.catalogue})
    found = everyone = course.submissions(assignment)  # report and summary cover everyone, not only --student
    if students:
        found = {s: p for s, p in found.items() if s in students}
    store = ResultStore(course, assignment)
    if force:
        store.forget(list(found))
    gradebook = GradebookWriter(course.db_url, assignment)
    try:
        current = {s for s in store.graded() & set(found)  # a newer submission (collect --update) is graded again
                   if store.load(s).get("submitted_at") == _timestamp(found[s])}
        for student in sorted(current - gradebook.recorded()):
            gradebook.record(store.load(student), _timestamp(found[student]))  # finished before a kill
        todo = {s: p for s, p in found.items() if s not in current}
        print(words("console.kit", root=kit.root), file=sys.stderr)
        print(words("console.gradebook", url=gradebook.shown), file=sys.stderr)
        how = (words("console.on_scheduler", scheduler=scheduler) if scheduler
               else words("console.with_workers", workers=workers))
        print(words("console.plan", count=len(found), assignment=assignment, done=len(found) - len(todo),
                    todo=len(todo), how=how), file=sys.stderr)
        failures = []
        if todo:
            plan = make_plan(course, assignment, kit)
            if not scheduler:  # here, so that a sandbox that cannot start is said once, before any work
                sandbox = Sandbox(limits, isolate, plan_preload(plan))
                try:
                    print(words("console.isolation", isolation=reporting.isolation(sandbox.start().to_json())),
                          file=sys.stderr)
                except SandboxError as error:
                    print(words(error.key, **error.values), file=sys.stderr)
                    return 2
                finally:
                    sandbox.close()
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
                    write_student_feedback(reporting, result)
        everything = {s: r for s, r in store.load_all().items() if s in everyone}
        for student, result in everything.items():  # graded, but killed before its feedback was written
            if not has_feedback(reporting, student):
                write_student_feedback(reporting, result)
        report = write_report(reporting, everything)
        summary = write_class_summary(reporting, everything, similarity_line(course, assignment))
        print(words("console.written", report=report.relative_to(course.root),
                    summary=summary.relative_to(course.root)), file=sys.stderr)
        for failure in failures:
            print(words("console.not_graded", student=failure["student"],
                        reason=_failure_text(words, failure["grader_failure"])), file=sys.stderr)
        return 1 if failures else 0
    finally:
        gradebook.close()


def similarity_line(course: Course, assignment: str) -> dict | None:
    """The class summary's line on similar submissions, if a similarity report was made."""
    try:
        from .similarity.cli import summary_line_data
    except ImportError:
        return None
    return summary_line_data(course.root, assignment)


def _grade_command(commands) -> None:
    command = commands.add_parser("grade", help=__doc__.splitlines()[0], description=__doc__)
    command.add_argument("assignment")
    command.add_argument("--course", type=Path, default=Path.cwd(), help="nbgrader course directory (default: .)")
    command.add_argument("--kit", type=Path, help="the kit's checkout, which holds its instructor/ package "
                         "(default: the course directory if it holds one, else the checkout this grader was "
                         "installed from)")
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
    command.add_argument("--language", choices=LANGUAGES,
                         help="language of the feedback, report and summary (default: $AUTOGRADER_LANGUAGE, "
                              "else the course's autograder.json, else en)")
    command.add_argument("--no-progress", action="store_true", help="no progress bar")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description="Grading for the CNN-in-numpy course kit.")
    commands = parser.add_subparsers(dest="command", required=True)
    _grade_command(commands)
    similarity = None
    try:
        from .similarity import cli as similarity
    except ImportError:
        pass
    if similarity is not None:
        similarity.add_arguments(commands.add_parser("similarity", help="similar submissions, function by function"))
    options = parser.parse_args(argv)
    if options.command == "similarity":
        return similarity.run(options)
    limits = Limits(call_seconds=options.call_timeout, submission_seconds=options.submission_timeout,
                    memory_bytes=options.memory * 2**20)
    return run(options.course, options.assignment, options.workers, options.scheduler, options.force, limits,
               not options.no_sandbox, not options.no_progress, options.student, options.kit, options.language)
