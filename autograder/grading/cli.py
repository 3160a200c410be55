"""``autograder grade ASSIGNMENT``: grade every submission of a course directory (``python -m autograder``).

Run it in an nbgrader course directory (or pass ``--course``) after
``nbgrader generate_assignment`` and ``nbgrader collect`` (or with submissions
placed in ``submitted/<student>/<ASSIGNMENT>/``). Results land in the gradebook
nbgrader is configured with, in ``reports/<ASSIGNMENT>/report.json`` and
``summary.md``, and as feedback in ``feedback/<student>/<ASSIGNMENT>/`` for
``nbgrader release_feedback``.

A student is graded once per submission and plan: a run skips students whose
stored result belongs to the submission now in ``submitted/`` (same
``timestamp.txt``) and was graded against the plan of now (same
:mod:`.fingerprint`); it grades again those who submitted anew and those whose
result an instructor's change made stale (a case fixed or added, a hint
reworded: then the report and the feedback show the grade before and after);
``--force`` grades everyone again. The gradebook is brought in line with the
results on every run: scores a killed run did not write, and late penalties
whose due date or extension changed since.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import gc
import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import lean  # noqa: F401  first: before nbformat is imported (see the module)
from ..arguments import parser as catalogued_parser, subcommand
from ..settings import language as configured_language
from ..messages import LANGUAGES, Words
from . import Refused
from ..course import Course
from .fingerprint import Change, Fingerprint, take as take_fingerprint, words_only
from .kit import Kit, load_kit
from .late import PluginFailed
from .plan import Plan, existing_secret, make_plan, needed_notebooks
from .regrade import compare, now, reworded
from .reports import Reporting
from .reports.feedback import has_feedback, write_student_feedback
from .reports.items import item_analysis, items_blocks
from .reports.report import write_report
from .reports.summary import write_class_summary
from .result import Failure, Result
from .runner import grade
from .sandbox import Isolation, Limits, Sandbox, SandboxError
from .store import GradebookWriter, ResultStore

_WORKER_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class GradeOptions:
    """Everything ``autograder grade`` is asked to do (its command line, or a caller's choice)."""

    course: Path
    assignment: str
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    scheduler: str | None = None  # a Dask scheduler's address; None: a local process pool
    force: bool = False  # grade again students already graded
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True  # bubblewrap where it is there
    progress: bool = True
    students: tuple[str, ...] = ()  # only these (default: everyone)
    kit: Kit | Path | None = None  # the instructor side, or where it is (default: see load_kit)
    language: str | None = None  # of the feedback, report and summary (default: the course's)


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
    gc.freeze()  # the plan and the modules stay for the worker's life: its collections need not look at them again


def _grade_in_worker(student: str, notebook: bytes) -> Result:
    state = _WORKER_STATE
    return grade(state["plan"], student, notebook, state["limits"], state["isolate"])


def _local(plan: Plan, todo: dict[str, Path], workers: int, limits: Limits,
           isolate: bool) -> Iterator[Result | Failure]:
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


def _as_completed(pool: concurrent.futures.Executor, futures: dict) -> Iterator[Result | Failure]:
    with pool:
        for future in concurrent.futures.as_completed(futures):
            yield _result_or_error(future, futures[future])


# -- Dask -----------------------------------------------------------------------------
def grade_remote(plan: Plan, student: str, notebook: bytes, limits: Limits, isolate: bool) -> Result:
    """The task sent to Dask workers: the same as a local worker's."""
    return grade(plan, student, notebook, limits, isolate)


def _dask(plan: Plan, todo: dict[str, Path], address: str, limits: Limits,
          isolate: bool) -> Iterator[Result | Failure]:
    from distributed import Client, as_completed

    with Client(address) as client:
        shared = client.scatter(plan, broadcast=True)
        futures = {client.submit(grade_remote, shared, student, _read(path), limits, isolate, pure=False,
                                 key=f"grade-{plan.assignment}-{student}"): student
                   for student, path in todo.items()}
        for future in as_completed(futures):
            yield _result_or_error(future, futures[future])


def _result_or_error(future, student: str) -> Result | Failure:
    """A worker that died is the grader's problem, never a grade: it is reported, not scored."""
    try:
        return future.result()
    except SandboxError as error:
        return Failure(student, error.key, error.values)
    except Exception as error:
        return Failure(student, text=f"{type(error).__name__}: {error}")


def _failure_text(words: Words, failure: Failure) -> str:
    return words(failure.key, **failure.values) if failure.key else failure.text


# -- the command ----------------------------------------------------------------------
def run(options: GradeOptions) -> int:
    """Grade ``options.assignment`` in the course directory ``options.course`` with the instructor side ``kit``.

    A refusal (:class:`~autograder.grading.Refused`) ends the run with its reason in the run's language."""
    course = Course(options.course)
    language = options.language or configured_language(course.root)
    words = Words(language)
    try:
        return _Run(options, course, language, words).run()
    except Refused as refusal:
        raise SystemExit(words(refusal.key, **refusal.values)) from None


@dataclass
class _Sorted:
    """The students of one run, by what is to be done with them."""

    todo: dict[str, Path] = field(default_factory=dict)  # to grade
    why: dict[str, tuple[Change, ...]] = field(default_factory=dict)  # graded again because the plan changed
    reword: dict[str, tuple[Change, ...]] = field(default_factory=dict)  # only hints changed: no grading
    before: dict[str, Result] = field(default_factory=dict)  # the results graded again replace these


class _Run:
    def __init__(self, options: GradeOptions, course: Course, language: str, words: Words) -> None:
        self.options, self.course, self.language, self.words = options, course, language, words
        self.assignment = options.assignment

    def say(self, key: str, **values: Any) -> None:
        print(self.words(key, **values), file=sys.stderr)

    def run(self) -> int:
        options, course, assignment = self.options, self.course, self.assignment
        kit = options.kit if isinstance(options.kit, Kit) else load_kit(course.root, options.kit)
        self.kit, spec = kit, kit.assignment(assignment)
        self.reporting = Reporting.of(course, assignment, self.language, {m.id: dict(m.hints) for m in spec.catalogue})
        found = everyone = course.submissions(assignment)  # report and summary cover everyone, not only --student
        if options.students:
            found = {s: p for s, p in found.items() if s in options.students}
        self.stamps = {student: _timestamp(path) for student, path in found.items()}
        self.store = ResultStore(course, assignment)
        self.gradebook = GradebookWriter(course, assignment)
        try:
            needed_notebooks(course, assignment)
            plan_now = take_fingerprint(course, assignment, spec, kit.root, existing_secret(course))
            work = self._sort(found, plan_now)
            self.say("console.kit", root=kit.root)
            self.say("console.gradebook", url=self.gradebook.shown)
            how = (self.words("console.on_scheduler", scheduler=options.scheduler) if options.scheduler
                   else self.words("console.with_workers", workers=options.workers))
            self.say("console.plan", count=len(found), assignment=assignment, done=len(found) - len(work.todo),
                     todo=len(work.todo), how=how)
            self._say_stale(work)
            failures: list[Failure] = []
            graded: list[Result] = []
            if work.todo:
                status = self._grade(kit, work, failures, graded)
                if status:
                    return status
            graded += self._reword(work, plan_now)
            self._bring_in_line(found, {r.student for r in graded} | {f.student for f in failures}, failures)
            everything = {s: r for s, r in self.results.items() if s in everyone}
            for student, result in everything.items():  # graded, but killed before its feedback was written
                if not has_feedback(self.reporting, student):
                    write_student_feedback(self.reporting, result)
            items = item_analysis(everything, spec, self.reporting.order)
            report = write_report(self.reporting, everything, items.to_json())
            summary = write_class_summary(self.reporting, everything, similarity_line(course, assignment),
                                          (items_blocks(self.reporting, items, chart=False),
                                           items_blocks(self.reporting, items, chart=True)))
            self.say("console.written", report=report.relative_to(course.root),
                     summary=summary.relative_to(course.root))
            self._say_regraded(graded, report)
            for failure in failures:
                self.say("console.not_graded", student=failure.student, reason=_failure_text(self.words, failure))
            return 1 if failures else 0
        finally:
            self.gradebook.close()

    # -- who is to be graded ------------------------------------------------------------------------------
    def _sort(self, found: dict[str, Path], plan_now: Fingerprint) -> _Sorted:
        work = _Sorted()
        self.results = self.store.load_all()  # every stored result, kept up to date by _save
        self.reviews = self.gradebook.reviews()  # what the instructor set in formgrader, for the feedback
        stored = {s: r for s, r in self.results.items() if s in found}
        if self.options.force:
            self.store.forget(list(found))  # a killed --force run goes on with the rest at the next run
            for student in found:
                self.results.pop(student, None)
        for student, path in found.items():
            old = stored.get(student)
            if old is None or old.submitted_at != self.stamps[student]:  # none yet, or submitted anew
                work.todo[student] = path
                continue
            changes = plan_now.changes(old.plan)
            if self.options.force:
                work.todo[student], work.why[student], work.before[student] = path, (Change("forced"), *changes), old
            elif words_only(changes):
                work.reword[student], work.before[student] = changes, old
            elif changes:
                work.todo[student], work.why[student], work.before[student] = path, changes, old
        return work

    def _say_stale(self, work: _Sorted) -> None:
        stale = [changes for changes in work.why.values() if Change("forced") not in changes]
        if stale:
            self.say("console.stale", count=len(stale), why=self.reporting.why(_union(stale)))
        if work.reword:
            self.say("console.reworded_plan", count=len(work.reword),
                     why=self.reporting.why(_union(work.reword.values())))

    # -- grading --------------------------------------------------------------------------------------------
    def _grade(self, kit: Kit, work: _Sorted, failures: list[Failure], graded: list[Result]) -> int:
        from tqdm import tqdm

        options = self.options
        plan, isolation = self._plan_while_a_sandbox_starts(kit)
        if isinstance(isolation, SandboxError):
            self.say(isolation.key, **isolation.values)
            return 2
        if isolation is not None:
            self.say("console.isolation", isolation=self.reporting.isolation(isolation))
        gc.freeze()  # what is loaded by now stays to the end: collections (here and in the workers) skip it
        results = (_dask(plan, work.todo, options.scheduler, options.limits, options.isolate) if options.scheduler
                   else _local(plan, work.todo, options.workers, options.limits, options.isolate))
        with tqdm(total=len(work.todo), unit="submission", disable=not options.progress, file=sys.stderr) as bar, \
                self.gradebook.batch():  # the result files are the commit points (see .store)
            for result in results:
                bar.update()
                if isinstance(result, Failure):
                    failures.append(result)
                    continue
                student = result.student
                result = result.replace(submitted_at=self.stamps[student])
                if student in work.before:
                    result = result.replace(regrade=compare(work.before[student], result, work.why[student]))
                stored = self._record(result, unflag=bool(work.before.get(student) and work.before[student].flags))
                if isinstance(stored, Failure):
                    failures.append(stored)
                else:
                    graded.append(stored)
        return 0

    def _plan_while_a_sandbox_starts(self, kit: Kit) -> tuple[Plan, Isolation | SandboxError | None]:
        """The grading plan, and meanwhile one sandbox started and closed, so that a sandbox that cannot start is
        said once, before any work: the protections it gives, or why it cannot start (None on a Dask scheduler,
        whose workers start their own). Side by side, as each takes about a second of a fresh course's start;
        the check imports none of the notebooks' modules (the workers' sandboxes do)."""
        if self.options.scheduler:
            return make_plan(self.course, self.assignment, kit), None
        sandbox = Sandbox(self.options.limits, self.options.isolate)
        with concurrent.futures.ThreadPoolExecutor(1) as starter:
            starting = starter.submit(sandbox.start)
            try:
                plan = make_plan(self.course, self.assignment, kit)
            finally:
                try:
                    isolation: Isolation | SandboxError = starting.result()
                except SandboxError as error:
                    isolation = error
                finally:
                    sandbox.close()
        return plan, isolation

    def _record(self, result: Result, unflag: bool = False) -> Result | Failure:
        """Into the gradebook (its late penalty then assigned), the store, and the student's feedback. A stored
        result recorded again (its scores were not committed) is written again only if that changed it."""
        try:
            late = self.gradebook.record(result, result.submitted_at, unflag=unflag)
        except PluginFailed as error:
            return Failure(result.student, "console.late_plugin_failed", {"error": str(error)})
        recorded = result.replace(late=late, review=self.reviews.get(result.student))
        if recorded != self.results.get(result.student):
            self._save(recorded)
        elif has_feedback(self.reporting, result.student):
            return recorded  # the file holds it already, feedback too
        write_student_feedback(self.reporting, recorded)  # a run killed between the file and its feedback
        return recorded

    def _save(self, result: Result) -> None:
        self.store.save(result)
        self.results[result.student] = result

    def _reword(self, work: _Sorted, plan_now: Fingerprint) -> list[Result]:
        """Results whose plan changed in hints only: no grading; the feedback that shows a reworded hint is written
        again (and says so); the others only record the new plan. Returns the results whose feedback changed."""
        done = []
        at = now()
        for student, changes in work.reword.items():
            result, regrade = work.before[student], reworded(work.before[student], changes, at)
            if not regrade.anything_changed:  # none of its hints changed: only the plan it was graded against
                self._save(result.replace(plan=plan_now))
                continue
            result = result.replace(plan=plan_now, regrade=regrade, review=self.reviews.get(student))
            self._save(result)
            write_student_feedback(self.reporting, result)
            done.append(result)
        return done

    def _bring_in_line(self, found: dict[str, Path], done: set[str], failures: list[Failure]) -> None:
        """The gradebook as the results say, for the results not graded in this run: scores a killed run did not
        write, and the late penalty of a student whose due date or extension changed since it was assigned; and
        the feedback of a student the instructor reviewed in formgrader since (manual scores, comments)."""
        others = sorted(student for student in set(found) - done if student in self.results)
        if not others:  # everyone was graded in this run: nothing to read back (a class's worth of queries)
            return
        recorded, due = self.gradebook.auto_scores(), self.gradebook.due_dates()
        with self.gradebook.batch():
            self._bring_each_in_line(others, failures, recorded, due)

    def _bring_each_in_line(self, others: list[str], failures: list[Failure],
                            recorded: dict[str, dict[str, float | None]], due: dict[str, str | None]) -> None:
        for student in others:
            result = self.results.get(student)
            if result is None or result.submitted_at != self.stamps[student]:
                continue
            if self.gradebook.in_sync(result, recorded.get(student)) and \
                    (result.late.due if result.late else None) == due.get(student):
                if result.review != self.reviews.get(student):  # reviewed in formgrader since: new feedback
                    result = result.replace(review=self.reviews.get(student))
                    self._save(result)
                    write_student_feedback(self.reporting, result)
                continue
            stored = self._record(result)
            if isinstance(stored, Failure):
                failures.append(stored)

    def _say_regraded(self, graded: list[Result], report: Path) -> None:
        regraded = [r for r in graded if r.regrade and not words_only(r.regrade.why)]
        if regraded:
            changed = sum(r.regrade.grade_changed for r in regraded)
            if changed:
                self.say("console.regrade_changed", changed=changed, count=len(regraded),
                         report=report.relative_to(self.course.root))
            else:
                self.say("console.regrade_same", count=len(regraded))
        feedback = [r for r in graded if r.regrade and r.regrade.functions and not r.regrade.grade_changed]
        if feedback:
            self.say("console.feedback_changed", count=len(feedback))


def _union(changes: Any) -> tuple[Change, ...]:
    return tuple(dict.fromkeys(change for group in changes for change in group))


def similarity_line(course: Course, assignment: str) -> dict | None:
    """The class summary's line on similar submissions, if a similarity report was made."""
    try:
        from ..similarity.cli import summary_line_data
    except ImportError:
        return None
    return summary_line_data(course.root, assignment)


def _grade_command(commands, words: Words) -> None:
    help = lambda key, **values: words(f"grade.help_{key}", **values)  # noqa: E731
    shown = lambda key: words(f"cli.metavar_{key}")  # noqa: E731
    command = subcommand(commands, "grade", words, help=words("grade.help"),
                                   description=words("grade.description"))
    command.add_argument("assignment", metavar=shown("assignment"), help=help("assignment"))
    command.add_argument("--course", type=Path, default=Path.cwd(), metavar=shown("dir"), help=help("course"))
    command.add_argument("--kit", type=Path, metavar=shown("dir"), help=help("kit"))
    command.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar=shown("n"), help=help("workers"))
    command.add_argument("--scheduler", metavar=shown("address"), help=help("scheduler"))
    command.add_argument("--force", action="store_true", help=help("force"))
    command.add_argument("--student", action="append", metavar=shown("student"), help=help("student"))
    command.add_argument("--call-timeout", type=float, default=Limits.call_seconds, metavar=shown("seconds"),
                         help=help("call_timeout"))
    command.add_argument("--submission-timeout", type=float, default=Limits.submission_seconds,
                         metavar=shown("seconds"), help=help("submission_timeout"))
    command.add_argument("--memory", type=int, default=Limits.memory_bytes // 2**20, metavar=shown("mib"),
                         help=help("memory"))
    command.add_argument("--no-sandbox", action="store_true", help=help("no_sandbox"))
    command.add_argument("--language", choices=LANGUAGES, help=help("language"))
    command.add_argument("--no-progress", action="store_true", help=help("no_progress"))


def grade_options(parsed: argparse.Namespace) -> GradeOptions:
    limits = Limits(call_seconds=parsed.call_timeout, submission_seconds=parsed.submission_timeout,
                    memory_bytes=parsed.memory * 2**20)
    return GradeOptions(parsed.course, parsed.assignment, parsed.workers, parsed.scheduler, parsed.force, limits,
                        not parsed.no_sandbox, not parsed.no_progress, tuple(parsed.student or ()), parsed.kit,
                        parsed.language)


def main(argv: list[str] | None = None) -> int:
    words = Words(configured_language())  # the help's language: $AUTOGRADER_LANGUAGE, else ./autograder.json
    parser = catalogued_parser(words, prog="autograder", description=words("grade.program"))
    commands = parser.add_subparsers(dest="command", required=True)
    _grade_command(commands, words)
    from . import export

    export.add_command(commands, words)
    similarity = None
    try:
        from ..similarity import cli as similarity
    except ImportError:
        pass
    if similarity is not None:
        similarity.add_arguments(subcommand(commands, "similarity", words, help=words("similarity.help"),
                                                      description=words("similarity.help")))
    options = parser.parse_args(argv)
    if options.command == "similarity":
        return similarity.run(options)
    if options.command == "export":
        return export.run(options)
    return run(grade_options(options))
