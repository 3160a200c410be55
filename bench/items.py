"""Item analysis of the kit's corpus: what the class summary shows an instructor about what a class got wrong.

    python bench/items.py [--assignment NAME ...] [--language en|zh] [--no-sandbox]

For each assignment, every file of tests/corpus/<assignment>/ (realistic learner
submissions, see tests/corpus/README.md) is made into that learner's notebook
(instructor/corpus.py) and graded by the class grader
(:func:`autograder.grading.runner.grade`, in its sandbox, with a fresh course
secret), as if the corpus were one class. It prints the class summary's item
analysis section (:mod:`autograder.grading.reports.items`) in Markdown: per
function and per family of hidden cases the share that passed and the
discrimination index, and the cases nearly everyone fails. Not a test: the
corpus is a collection of mistakes, not a class, so its shares say what the
corpus holds, not how a class does.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the kit's instructor/ and autograder/

import nbformat  # noqa: E402
from tqdm import tqdm  # noqa: E402

from autograder.course import Course  # noqa: E402
from autograder.grading.kit import load_kit  # noqa: E402
from autograder.grading.plan import make_plan  # noqa: E402
from autograder.grading.reports import Reporting  # noqa: E402
from autograder.grading.reports.document import to_markdown  # noqa: E402
from autograder.grading.reports.items import item_analysis, items_blocks  # noqa: E402
from autograder.grading.runner import grade, plan_preload  # noqa: E402
from autograder.grading.sandbox import Limits, Sandbox  # noqa: E402
from instructor import corpus, course  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402


def analyse(assignment, isolate: bool, language: str) -> str:
    """The item analysis of the corpus of ``assignment``, as the summary's Markdown."""
    files = corpus.files(assignment)
    with tempfile.TemporaryDirectory(prefix="items-") as scratch:
        root = course.new_course(Path(scratch) / "course", assignment)
        release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
        plan = make_plan(Course(root), assignment.name, load_kit(root, REPO))
        results = {}
        with Sandbox(Limits(), isolate, plan_preload(plan)) as sandbox:
            for learner, path in tqdm(files.items(), desc=assignment.name, unit="notebook", file=sys.stderr):
                notebook = nbformat.writes(corpus.notebook(assignment, release, path)).encode()
                results[learner] = grade(plan, learner, notebook, sandbox=sandbox)
        reporting = Reporting.of(Course(root), assignment.name, language,
                                 {m.id: dict(m.hints) for m in assignment.catalogue})
        analysis = item_analysis(results, assignment, reporting.order)
        return f"# {assignment.name}: {len(results)} corpus notebooks\n\n" + \
            to_markdown(items_blocks(reporting, analysis))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", choices=list(REGISTRY), help="default: all")
    parser.add_argument("--language", choices=("en", "zh"), default="en")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    options = parser.parse_args(argv)
    for name in options.assignment or list(REGISTRY):
        print(analyse(REGISTRY[name], not options.no_sandbox, options.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
