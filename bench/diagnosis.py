"""Diagnosis report: are the class grader's explanations of lost marks true, complete and consistent?

    python bench/diagnosis.py [--assignment NAME ...] [--learner learner_NN ...] [--show problems|all|none]
                              [--no-sandbox] [--fresh-secret] [--save-grades FILE] [--grades FILE]

For each assignment, every file of tests/corpus/<assignment>/ (realistic learner submissions, see
tests/corpus/README.md) is made into that learner's notebook (instructor/corpus.py) and graded by the
class grader itself (:func:`autograder.grading.runner.grade`, in its sandbox). Each graded cell's verdict
is then set beside the truth about it, decided without the kit's checks (instructor.corpus.truth): right
on many random inputs, no loop over output positions in "Vectorize it", a trained model that reaches the
accuracy needed. It prints, per assignment:

(a) against the notes: for the files that have a note of their true causes (``learner_NN.toml``), the
    share of lost marks whose verdict names every true cause with advice that works, says that the
    function's own code is right when it is, and makes no wrong claim (bench/diagnosis_causes.py judges
    the verdict's data, never its sentences); the others by kind (partly named, wrong advice, wrong
    cause, not named), and how many come from the learner's numpy (environment causes);
(b) the messages that contradict their own evidence, over every file: the learner's function is run
    again here on every case and probe of the plan, and each claim checked against those runs (a factor
    claim "right with X" under a failing case with X, a case shown that does not exhibit the cause, a
    constant factor named that the runs do not establish, a helper blamed that is never called, a claim
    under an unfinished function);
(c) the grades: as the truth says, false passes (full marks but wrong) and false fails (no marks but
    right); with --grades, the grades that changed from a run saved with --save-grades;
and the old figure, over every file: the share of lost marks whose cause is named at all (a catalogued
mistake or a diagnosis; "not written yet" and a missing function count as named).

The hidden cases' seeds come from a fixed course secret, so two runs grade the same inputs (--fresh-secret
draws a new one). Exit status 0 when every target is met: (a) at least 95% with no wrong advice, (b) none,
(c) no false verdict, and at least 90% named. A benchmark of the diagnosis, not a test: it runs for
minutes (run it with nice on a shared machine).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the kit's instructor/ and autograder/
sys.path.insert(0, str(REPO / "bench"))

import nbformat  # noqa: E402
from tqdm import tqdm  # noqa: E402

import diagnosis_causes as causes  # noqa: E402
from autograder import casefile  # noqa: E402
from autograder.course import Course  # noqa: E402
from autograder.grading.kit import load_kit  # noqa: E402
from autograder.grading.plan import make_plan  # noqa: E402
from autograder.grading.result import Scored  # noqa: E402
from autograder.grading.runner import grade, plan_preload  # noqa: E402
from autograder.grading.sandbox import Limits, Sandbox  # noqa: E402
from autograder.render import Renderer  # noqa: E402
from autograder.verdict import Outcome, Verdict  # noqa: E402
from instructor import corpus, course  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402

TARGET_NAMED = 0.90  # the share of lost marks with a cause named at all
TARGET_RIGHT = 0.95  # issue 17: the share of lost marks with every true cause named and the advice right
NAMED_BY_THEIR_OUTCOME = (Outcome.NOT_WRITTEN, Outcome.MISSING)
FIXED_SECRET = "diagnosis-bench-fixed-secret"


def named(verdict: Verdict) -> bool:
    return verdict.diagnosis is not None or verdict.outcome in NAMED_BY_THEIR_OUTCOME


def kind_of(verdict: Verdict) -> str:
    if verdict.diagnosis:
        return verdict.diagnosis.source
    return verdict.outcome.value if verdict.outcome in NAMED_BY_THEIR_OUTCOME else "not named"


@dataclass
class Figures:
    """What one assignment's run found."""

    assignment: str
    notebooks: int = 0
    noted: int = 0  # notebooks with a note
    lost: int = 0
    kinds: Counter = field(default_factory=Counter)  # old figure: lost marks by kind of diagnosis
    judged: Counter = field(default_factory=Counter)  # (a): lost marks of noted files by judgement
    environment: int = 0  # (a): lost marks with a cause of the learner's numpy
    contradicting: int = 0  # (b): lost marks whose message contradicts its evidence
    cells: int = 0  # (c): graded cells
    false: list[str] = field(default_factory=list)
    grades: dict[str, dict[str, float]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # details to show

    @property
    def named_share(self) -> float:
        return (self.lost - self.kinds["not named"]) / self.lost if self.lost else 1.0

    @property
    def right_share(self) -> float:
        total = sum(self.judged.values())
        return self.judged[causes.RIGHT] / total if total else 1.0


def _fix_secret(root: Path) -> None:
    secret = Course(root).secret
    secret.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret.write_text(FIXED_SECRET)
    secret.chmod(0o600)


def _fresh(path: Path):
    def scope() -> dict:
        with contextlib.redirect_stdout(io.StringIO()):
            return vars(corpus.load(path))
    return scope


def _case_calls(plan, function: str) -> list[tuple[tuple, dict]]:
    """(args, kwargs) of every case of ``function`` but the timed ones."""
    return [(casefile.decode(case.args, plan.arrays), casefile.decode(case.kwargs, plan.arrays))
            for case in (plan.case_file.function(function).cases if function in plan.case_file else ())
            if not case.is_speed]


def check_message(plan, function: str, verdict: Verdict, path: Path) -> list[str]:
    """(b): what ``verdict``'s claims say that the learner's function, run again here, contradicts."""
    if function not in plan.case_file or not plan.case_file.function(function).cases:
        return causes.contradictions(verdict, None, {}, None)
    fresh = _fresh(path)
    runs = causes.evidence(plan, function, fresh)
    blamed = {helper for claim in causes.claims(verdict.to_json()) if claim.id == "helper_fails"
              for helper in {claim.values.get("helper"), *(claim.values.get("helpers") or ())} - {None}}
    helper_runs = {helper: causes.evidence(plan, helper, fresh) for helper in blamed
                   if helper in plan.case_file}
    called = None
    fn = fresh().get(function)
    if blamed and callable(fn):
        called = causes.calls_of(fn, _case_calls(plan, function), str(path))
    return causes.contradictions(verdict, runs, helper_runs, called)


def report(assignment, isolate: bool, show: str, fresh_secret: bool, learners: list[str] | None = None) -> Figures:
    """Grade the corpus of ``assignment`` (or only ``learners`` of it) and judge every verdict."""
    files = {learner: path for learner, path in corpus.files(assignment).items() if not learners or learner in learners}
    renderer = Renderer("en", {m.id: dict(m.hints) for m in assignment.catalogue})
    figures = Figures(assignment.name, notebooks=len(files))
    with tempfile.TemporaryDirectory(prefix="diagnosis-") as scratch:
        root = course.new_course(Path(scratch) / "course", assignment)
        if not fresh_secret:
            _fix_secret(root)
        release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
        plan = make_plan(Course(root), assignment.name, load_kit(root, REPO))
        with Sandbox(Limits(), isolate, plan_preload(plan)) as sandbox:
            for learner, path in tqdm(files.items(), desc=assignment.name, unit="notebook", file=sys.stderr):
                notebook = nbformat.writes(corpus.notebook(assignment, release, path)).encode()
                result = grade(plan, learner, notebook, sandbox=sandbox)
                right = corpus.truth(assignment, path)
                note = corpus.note(path, assignment)
                figures.noted += note is not None
                figures.grades[learner] = {name: entry.score for name, entry in result.functions.items()}
                for name, entry in result.functions.items():
                    _judge_cell(figures, plan, renderer, learner, path, name, entry, right[name], note, show)
    return figures


def _judge_cell(figures: Figures, plan, renderer: Renderer, learner: str, path: Path, name: str, entry: Scored,
                right: bool, note, show: str) -> None:
    verdict, full = entry.verdict, entry.full
    figures.cells += 1
    if full != right:
        timed = verdict.outcome in (Outcome.TOO_SLOW, Outcome.DID_NOT_FINISH) and verdict.place is not None \
            and verdict.place.kind == "speed"
        figures.false.append(f"{learner} {name}: {'FALSE PASS' if full else 'FALSE FAIL'}"
                             f"{' (timed)' if timed else ''}: "
                             f"{renderer.text(verdict).splitlines()[0] if not full else 'full marks'}")
    if full:
        return
    figures.lost += 1
    figures.kinds[kind_of(verdict)] += 1
    message = " | ".join(line.replace("\n", " ") for line in renderer.lines(verdict))
    problems = []
    found = check_message(plan, name, verdict, path)
    if found:
        figures.contradicting += 1
        problems.append("CONTRADICTS ITS EVIDENCE: " + "; ".join(found))
    truth = note.functions.get(name) if note is not None else None
    if truth is not None:
        judgement = causes.judge(truth, verdict)
        figures.judged[judgement.kind] += 1
        figures.environment += any(causes.CAUSES[cause.tag].environment for cause in truth.causes)
        if judgement.kind != causes.RIGHT:
            detail = [judgement.kind.upper()]
            if judgement.missing:
                detail.append("not named: " + ", ".join(judgement.missing))
            if judgement.wrong_advice:
                detail.append("advice that does not work for: " + ", ".join(judgement.wrong_advice))
            if judgement.wrong:
                detail.append("wrong claims: " + ", ".join(judgement.wrong))
            if truth.own_code_right and not causes.own_code_said_right(verdict):
                detail.append("its own code is right, and the message does not say so")
            problems.append("; ".join(detail))
    elif not named(verdict):
        problems.append("NOT NAMED")
    if show == "all" or (show == "problems" and problems):
        figures.lines.append(f"  {learner} {name}: {' / '.join(problems) or 'ok'}\n      {message}")


def print_figures(figures: Figures, baseline: dict | None) -> None:
    judged = sum(figures.judged.values())
    print(f"\n{figures.assignment}: {figures.notebooks} notebooks, {figures.lost} graded cells lost marks")
    line = (f"  (c) grades: {figures.cells - len(figures.false)} of {figures.cells} as the truth says; "
            f"false pass {sum('FALSE PASS' in f for f in figures.false)}, "
            f"false fail {sum('FALSE FAIL' in f for f in figures.false)} "
            f"(of which timed: {sum('FALSE FAIL (timed)' in f for f in figures.false)})")
    if baseline is not None:
        before = baseline.get(figures.assignment, {})
        changed = [f"{learner} {name}: {before[learner][name]} -> {score}"
                   for learner, scores in figures.grades.items() for name, score in scores.items()
                   if learner in before and name in before[learner] and before[learner][name] != score]
        line += f"; changed from the saved grades: {len(changed)}"
        figures.false += [f"GRADE CHANGED {change}" for change in changed]
    print(line)
    if judged:
        print(f"  (a) against the notes ({figures.noted} notebooks, {judged} lost marks): every true cause named "
              f"with advice that works: {figures.judged[causes.RIGHT]} ({figures.right_share:.0%}); "
              + ", ".join(f"{kind} {figures.judged[kind]}" for kind in causes.JUDGEMENTS[1:])
              + f"; of all of them, {figures.environment} from the learner's numpy (environment)")
    print(f"  (b) messages that contradict their own evidence: {figures.contradicting} (of {figures.lost} lost marks)")
    print(f"  cause named at all (the old figure): {figures.lost - figures.kinds['not named']} of {figures.lost} "
          f"({figures.named_share:.0%}); by: " + ", ".join(f"{kind} {n}" for kind, n in figures.kinds.most_common()))
    for line in figures.false:
        print(f"  {line}")
    for line in figures.lines:
        print(line)


def met(figures: Figures) -> bool:
    return (figures.named_share >= TARGET_NAMED and not figures.false and not figures.contradicting
            and figures.right_share >= TARGET_RIGHT and not figures.judged[causes.WRONG_ADVICE])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", choices=list(REGISTRY), help="default: all")
    parser.add_argument("--show", choices=("problems", "all", "none"), default="problems",
                        help="which lost marks to list (default: those not judged right, and every contradiction)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    parser.add_argument("--fresh-secret", action="store_true", help="hidden cases from a new course secret")
    parser.add_argument("--save-grades", type=Path, help="write every graded cell's score to this JSON file")
    parser.add_argument("--grades", type=Path, help="report the scores that changed from this JSON file")
    parser.add_argument("--learner", action="append", help="grade only this corpus file (e.g. learner_75)")
    options = parser.parse_args(argv)
    baseline = json.loads(options.grades.read_text()) if options.grades else None
    results = []
    print(f"machine load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    for name in options.assignment or list(REGISTRY):
        figures = report(REGISTRY[name], not options.no_sandbox, options.show, options.fresh_secret, options.learner)
        print_figures(figures, baseline)
        results.append(figures)
    print(f"\nmachine load average at the end: {os.getloadavg()[0]:.1f} (timed checks can fail under load)")
    if options.save_grades:
        options.save_grades.write_text(json.dumps({f.assignment: f.grades for f in results}, indent=1, sort_keys=True))
    ok = all(met(figures) for figures in results)
    print(f"\ntargets: (a) at least {TARGET_RIGHT:.0%} with no wrong advice, (b) no contradiction, (c) no false "
          f"verdict, at least {TARGET_NAMED:.0%} named: {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
