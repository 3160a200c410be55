"""``autograder similarity ASSIGNMENT``: similar submissions, function by function, for an instructor to read.

Run it in an nbgrader course directory (or pass ``--course``). It reads
``release/<ASSIGNMENT>/<ASSIGNMENT>.ipynb`` (the functions to compare: every
top-level ``def`` of a solution cell; and the code given to every learner,
which does not count), every ``submitted/<student>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb``
and, with ``--against DIR``, every ``.ipynb`` and ``.py`` under DIR (known
solutions, e.g. public ones). Nothing is run. It writes
``reports/<ASSIGNMENT>/similarity.json`` and ``similarity.html``.

Until the subcommand is registered in ``autograder.grading.cli``:
``python -m autograder.similarity.cli ASSIGNMENT [options]``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..arguments import parser as catalogued_parser
from ..messages import Words
from ..settings import language as configured_language
from ..course import Course
from .compare import DEFAULT_THRESHOLD, Comparison, compare
from .entries import known_sources, read_entries, release_bases, split, student_sources
from .extract import Unreadable, read_functions, solution_function_names
from .report import summary_line_data, write_report
from .words import LANGUAGES, percent, say

__all__ = ["add_arguments", "run", "find_similar", "summary_line_data", "main"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand's arguments, with help in the language of ``$AUTOGRADER_LANGUAGE``, else ./autograder.json
    (``--language`` is not known yet when help is printed)."""
    language = configured_language()
    words = lambda key: say(language, key)  # noqa: E731
    shown = lambda key: Words(language)(f"cli.metavar_{key}")  # noqa: E731
    parser.add_argument("assignment", metavar=shown("assignment"), help=words("help_assignment"))
    parser.add_argument("--course", type=Path, default=Path.cwd(), metavar=shown("dir"), help=words("help_course"))
    parser.add_argument("--against", type=Path, metavar=shown("dir"), help=words("help_against"))
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, metavar=shown("score"),
                        help=words("help_threshold"))
    parser.add_argument("--language", choices=LANGUAGES, help=words("help_language"))
    parser.add_argument("--function", action="append", metavar=shown("function"), help=words("help_function"))
    parser.add_argument("--workers", type=int, default=None, metavar=shown("n"), help=words("help_workers"))
    parser.add_argument("--no-progress", action="store_true", help=words("help_no_progress"))


def find_similar(course: Path, assignment: str, functions: list[str], against: Path | None = None,
                 threshold: float = DEFAULT_THRESHOLD, language: str = "en", progress: bool = False,
                 workers: int | None = None) -> tuple[Comparison, Path, Path]:
    """Compare the submissions of ``assignment`` on ``functions`` (names); write the report.

    Returns (the comparison, the JSON's path, the HTML's path). Raises :class:`~.extract.Unreadable` when the
    release notebook cannot be read; a bad submission or known file is only skipped.
    """
    course = Path(course).resolve()
    release = Course(course).release_notebook(assignment)
    release_functions = read_functions(release, functions).functions
    bases = release_bases(release_functions)
    sources = student_sources(course, assignment) + (known_sources(Path(against)) if against else [])
    entries, skipped = split(read_entries(sources, functions, bases, workers, progress))
    comparison = compare(entries, functions, threshold)
    json_path, html_path = write_report(course, assignment, comparison, entries, skipped, bases, language)
    return comparison, json_path, html_path


def run(options: argparse.Namespace) -> int:
    """The command: 0 when the report was written, 2 when it could not be (the reason on stderr)."""
    course = Path(options.course).resolve()
    language = options.language or configured_language(course)
    release = Course(course).release_notebook(options.assignment)

    def fail(key: str, **values: object) -> int:
        print(say(language, key, **values), file=sys.stderr)
        return 2

    if not 0.0 <= options.threshold <= 1.0:
        return fail("bad_threshold", value=options.threshold)
    if not release.is_file():
        return fail("no_release", path=release, assignment=options.assignment)
    if options.against is not None and not Path(options.against).is_dir():
        return fail("no_folder", path=options.against)
    try:
        functions = options.function or solution_function_names(release)
    except Exception as error:
        return fail("release_unreadable", path=release, reason=f"{type(error).__name__}: {error}")
    if not functions:
        return fail("no_functions")
    students = len(student_sources(course, options.assignment))
    known = len(known_sources(Path(options.against))) if options.against else 0
    print(say(language, "started", students=students, assignment=options.assignment, known=known,
              functions=len(functions)), file=sys.stderr)
    try:
        comparison, json_path, html_path = find_similar(course, options.assignment, functions, options.against,
                                                        options.threshold, language, not options.no_progress,
                                                        options.workers)
    except Unreadable as problem:
        return fail("release_unreadable", path=release, reason=say(language, f"reason_{problem.reason}",
                                                                   **{"error": "", **problem.detail}))
    print(say(language, "done", pairs=comparison.pairs_total, threshold=percent(comparison.threshold),
              clusters=len(comparison.clusters), known=comparison.known_matches_total,
              json=json_path.relative_to(course), html=html_path.relative_to(course)), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    words = Words(configured_language())
    parser = catalogued_parser(words, prog="autograder similarity", description=words("similarity.help"))
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
