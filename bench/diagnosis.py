"""Diagnosis report: how often the class grader names the cause of a lost mark, on the kit's corpus.

    python bench/diagnosis.py [--assignment NAME ...] [--show unnamed|all|none] [--no-sandbox]

For each assignment, every file of tests/corpus/<assignment>/ (realistic learner
submissions, see tests/corpus/README.md) is made into that learner's notebook
(instructor/corpus.py) and graded by the class grader itself
(:func:`autograder.grading.runner.grade`, in its sandbox, with a fresh course
secret). Each graded cell's verdict is then set beside the truth about it,
decided without the kit's checks (instructor.corpus.truth): right on many
random inputs, no loop over output positions in "Vectorize it", a trained model
that reaches the accuracy needed.

It prints, per assignment: the functions that lost marks, the share whose cause
is named (a catalogued mistake or a diagnosis; "not written yet" and a missing
function count as named), by which kind of diagnosis, and every false pass
(full marks, but wrong) and false fail (no marks, but right). Exit status 0 when
every assignment names at least 90% of its lost marks and there is no false
verdict. A benchmark of the diagnosis, not a test: it runs for a few minutes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the kit's instructor/ and autograder/

import nbformat  # noqa: E402
from tqdm import tqdm  # noqa: E402

from autograder.grading.course import Course  # noqa: E402
from autograder.grading.kit import load_kit  # noqa: E402
from autograder.grading.plan import make_plan  # noqa: E402
from autograder.grading.runner import grade, plan_preload  # noqa: E402
from autograder.grading.sandbox import Limits, Sandbox  # noqa: E402
from autograder.render import Renderer  # noqa: E402
from autograder.verdict import Outcome, Verdict  # noqa: E402
from instructor import corpus, course  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402

TARGET = 0.90
NAMED_BY_THEIR_OUTCOME = (Outcome.NOT_WRITTEN, Outcome.MISSING)


def named(verdict: Verdict) -> bool:
    return verdict.diagnosis is not None or verdict.outcome in NAMED_BY_THEIR_OUTCOME


def kind_of(verdict: Verdict) -> str:
    if verdict.diagnosis:
        return verdict.diagnosis.source
    return verdict.outcome.value if verdict.outcome in NAMED_BY_THEIR_OUTCOME else "not named"


def report(assignment, isolate: bool, show: str) -> tuple[float, int]:
    """Grade the corpus of ``assignment``; print its table; return (share named, false verdicts)."""
    files = corpus.files(assignment)
    renderer = Renderer("en", {m.id: dict(m.hints) for m in assignment.catalogue})
    with tempfile.TemporaryDirectory(prefix="diagnosis-") as scratch:
        root = course.new_course(Path(scratch) / "course", assignment)
        release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
        plan = make_plan(Course(root), assignment.name, load_kit(root, REPO))
        lost, kinds, false, unnamed = 0, Counter(), [], []
        with Sandbox(Limits(), isolate, plan_preload(plan)) as sandbox:
            for learner, path in tqdm(files.items(), desc=assignment.name, unit="notebook", file=sys.stderr):
                notebook = nbformat.writes(corpus.notebook(assignment, release, path)).encode()
                result = grade(plan, learner, notebook, sandbox=sandbox)
                right = corpus.truth(assignment, path)
                for name, entry in result.functions.items():
                    verdict, full = entry.verdict, entry.full
                    if full != right[name]:
                        false.append(f"{learner} {name}: {'FALSE PASS' if full else 'FALSE FAIL'}: "
                                     f"{renderer.text(verdict).splitlines()[0] if not full else 'full marks'}")
                    if full:
                        continue
                    lost += 1
                    kinds[kind_of(verdict)] += 1
                    if not named(verdict):
                        unnamed.append(f"{learner} {name}: " + " | ".join(renderer.lines(verdict)[:2]))
                    elif show == "all":
                        print(f"  {learner} {name}: {renderer.text(verdict)}")
    share = (lost - kinds["not named"]) / lost if lost else 1.0
    print(f"\n{assignment.name}: {len(files)} notebooks, {lost} graded cells lost marks; cause named for "
          f"{lost - kinds['not named']} of them ({share:.0%}); false verdicts: {len(false)}")
    print("  by: " + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()))
    for line in false:
        print(f"  {line}")
    if show in ("unnamed", "all"):
        for line in unnamed:
            print(f"  NOT NAMED {line}")
    return share, len(false)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", choices=list(REGISTRY), help="default: all")
    parser.add_argument("--show", choices=("unnamed", "all", "none"), default="unnamed",
                        help="which lost marks to list (default: those whose cause is not named)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    options = parser.parse_args(argv)
    outcomes = [report(REGISTRY[name], not options.no_sandbox, options.show)
                for name in (options.assignment or list(REGISTRY))]
    met = all(share >= TARGET for share, _ in outcomes) and not sum(false for _, false in outcomes)
    print(f"\ntarget: at least {TARGET:.0%} named in every assignment, no false verdict: {'MET' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
