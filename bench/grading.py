"""Benchmark: this kit's grader against stock ``nbgrader autograde``, in the same run.

    python bench/grading.py [--submissions 1000] [--nbgrader-submissions 20] [--workers N]

Makes a temporary nbgrader course (the release built by ``nbgrader
generate_assignment``) and a cohort that cycles through correct submissions
(the reference, the vectorized example), one submission per catalogued mistake,
the seed lesson's code, an unfinished one and the release as handed out. Then:

1. stock ``nbgrader autograde`` on the first ``--nbgrader-submissions`` of the
   cohort (it is serial and slow), and on the first one alone: the difference
   is its cost per submission with its start-up (~6 s a command) taken out;
2. ``python -m autograder grade`` (sandbox on: the report must say bubblewrap
   isolation) on the same subset, then on the whole cohort (``--submissions``).

It prints one table and whether the targets are met: at least 60x faster per
submission than stock nbgrader, and 1,000 submissions in at most 60 s. The
exit status is 0 when both are met (the second counts only when
``--submissions`` is 1000 or more) and both graders pass and fail the same
functions of the shared subset. Other work on the machine slows both graders:
the load average is printed beside the table. This is a benchmark, not a test:
``make bench`` runs it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the kit's instructor/ and autograder/

import nbformat  # noqa: E402
from tqdm import tqdm  # noqa: E402

from instructor import course  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402

STEP_BY_STEP = REGISTRY["conv_step_by_step"]
ASSIGNMENT = STEP_BY_STEP.name
SPEEDUP_TARGET = 60.0  # issue 20, point 6
THOUSAND_SECONDS_TARGET = 60.0


def cohort_kinds(release: Path) -> dict[str, str]:
    """{kind of submission: notebook text}, correct ones and stubs first so any subset is mixed."""
    release_notebook = release / f"{ASSIGNMENT}.ipynb"
    sources = STEP_BY_STEP.sources()
    examples = {example.student: dict(example.cells) for example in STEP_BY_STEP.examples(STEP_BY_STEP)}
    cells = {"correct": sources, "release_stub": {}} | examples
    cells |= {f"mistake_{m.id}": m.cells(sources) for m in STEP_BY_STEP.catalogue}
    return {kind: nbformat.writes(course.fill_notebook(release_notebook, code)) for kind, code in cells.items()}


def write_cohort(root: Path, kinds: dict[str, str], count: int) -> dict[str, str]:
    """``count`` submissions cycling through ``kinds``; returns {student: kind}."""
    names = list(kinds)
    students = {f"s{i:04d}": names[i % len(names)] for i in range(count)}
    for student, kind in tqdm(students.items(), desc=f"writing {count} submissions", unit="notebook",
                              leave=False):
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(kinds[kind])
    return students


def copy_course(base: Path, to: Path) -> Path:
    """A copy of the released course (gradebook included), with no submissions."""
    shutil.copytree(base, to, ignore=shutil.ignore_patterns("submitted"))
    return to


def _watch(folder: Path, pattern: str, total: int, desc: str, stop: threading.Event) -> None:
    """A progress bar for a command that prints none: count the folders it makes."""
    with tqdm(total=total, desc=desc, unit="submission", leave=False) as bar:
        while not stop.wait(0.5):
            bar.update(len(list(folder.glob(pattern))) - bar.n)


def stock_nbgrader(root: Path, count: int) -> tuple[float, dict[str, dict[str, float]]]:
    """Seconds of ``nbgrader autograde`` on every submission of ``root``, and its scores."""
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(root / "autograded", f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", count,
                                                    "nbgrader autograde", stop), daemon=True)
    watcher.start()
    started = time.perf_counter()
    done = course.autograde(root, STEP_BY_STEP)
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    if done.returncode != 0:
        raise SystemExit(f"nbgrader autograde failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, course.scores(root, ASSIGNMENT)


def this_grader(root: Path, workers: int, progress: bool) -> tuple[float, dict[str, dict]]:
    """Seconds of ``python -m autograder grade`` (sandbox on) on ``root``, and its report."""
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root),
               "--workers", str(workers)] + ([] if progress else ["--no-progress"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=None if progress else
                          subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"autograder grade failed ({done.returncode}):\n{done.stderr or ''}")
    report = json.loads((root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]
    not_isolated = {student: r["isolation"] for student, r in report.items()
                    if not r["isolation"].startswith("bubblewrap")}
    if not_isolated:
        raise SystemExit(f"the benchmark needs the bubblewrap sandbox on; got {not_isolated}")
    return seconds, report


def check_cohort(report: dict[str, dict], students: dict[str, str]) -> None:
    """Every student graded; correct ones full marks, the release stub zero, every mistake loses marks."""
    if set(report) != set(students):
        raise SystemExit(f"graded {len(report)} of {len(students)} submissions")
    for student, kind in students.items():
        total, most = report[student]["total"], report[student]["max"]
        right = {"correct": total == most, "correct_vectorized": total == most, "release_stub": total == 0}
        if not right.get(kind, total < most):
            raise SystemExit(f"{student} ({kind}) scored {total:g}/{most:g}: the grader is wrong")


def disagreements(stock: dict[str, dict[str, float]], report: dict[str, dict]) -> list[str]:
    """Students whose functions pass and fail differently under stock nbgrader and this grader."""
    differ = []
    for student, cells in stock.items():
        ours = {name for name, entry in report[student]["functions"].items() if entry["score"] < entry["max"]}
        theirs = {name.removeprefix("test_") for name, score in cells.items() if not score}
        if ours != theirs:
            differ.append(f"{student}: nbgrader fails {sorted(theirs)}, this grader fails {sorted(ours)}")
    return differ


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000, help="cohort for this grader (default: %(default)s)")
    parser.add_argument("--nbgrader-submissions", type=int, default=20,
                        help="subset graded by both stock nbgrader and this grader (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="this grader's --workers (default: the number of cores, %(default)s)")
    parser.add_argument("--keep", type=Path, help="build the courses here and keep them (default: a temp dir)")
    options = parser.parse_args(argv)
    subset = min(options.nbgrader_submissions, options.submissions)
    if subset < 2:
        parser.error("--nbgrader-submissions must be at least 2 (its cost per submission is a difference)")
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="grading-bench-") as temporary:
        work = options.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        print(f"building the course in {work} (nbgrader generate_assignment) ...", file=sys.stderr)
        base = course.new_course(work / "released", STEP_BY_STEP)
        kinds = cohort_kinds(course.generate_release(base, STEP_BY_STEP))

        one_root = copy_course(base, work / "stock-nbgrader-one")
        write_cohort(one_root, kinds, 1)
        nb_one_seconds, _ = stock_nbgrader(one_root, 1)
        stock_root = copy_course(base, work / "stock-nbgrader")
        stock_students = write_cohort(stock_root, kinds, subset)
        nb_seconds, nb_scores = stock_nbgrader(stock_root, subset)

        small_root = copy_course(base, work / "autograder-subset")
        write_cohort(small_root, kinds, subset)
        small_seconds, small_report = this_grader(small_root, options.workers, progress=False)
        check_cohort(small_report, stock_students)
        differ = disagreements(nb_scores, small_report)

        big_root = copy_course(base, work / "autograder-cohort")
        big_students = write_cohort(big_root, kinds, options.submissions)
        print(f"grading {options.submissions} submissions with {options.workers} workers ...", file=sys.stderr)
        big_seconds, big_report = this_grader(big_root, options.workers, progress=True)
        check_cohort(big_report, big_students)

    load_after = os.getloadavg()
    n = options.submissions
    nb_per = nb_seconds / subset
    nb_marginal = max(nb_seconds - nb_one_seconds, 1e-3) / (subset - 1)  # each further submission
    nb_startup = nb_one_seconds - nb_marginal
    small_per = small_seconds / subset
    big_per = big_seconds / n
    speedup = nb_marginal / big_per
    rows = [("grader", "submissions", "total s", "s / submission", "submissions / s"),
            ("stock nbgrader autograde", str(subset), f"{nb_seconds:.1f}", f"{nb_per:.3f}", f"{1 / nb_per:.2f}"),
            ("stock nbgrader autograde", "1", f"{nb_one_seconds:.1f}", f"{nb_one_seconds:.3f}",
             f"{1 / nb_one_seconds:.2f}"),
            (f"  so: start-up {nb_startup:.1f} s, then per submission", "", "", f"{nb_marginal:.3f}",
             f"{1 / nb_marginal:.2f}"),
            (f"autograder grade, bubblewrap, {options.workers} workers", str(subset), f"{small_seconds:.1f}",
             f"{small_per:.3f}", f"{1 / small_per:.2f}"),
            (f"autograder grade, bubblewrap, {options.workers} workers", str(n), f"{big_seconds:.1f}",
             f"{big_per:.4f}", f"{n / big_seconds:.1f}")]
    print()
    print(f"{ASSIGNMENT}: {len(kinds)} kinds of submission (correct, {len(STEP_BY_STEP.catalogue)} catalogued "
          f"mistakes, seed code, unfinished, release stub); {os.cpu_count()} cores; isolation: bubblewrap")
    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (1 min): "
          "anything else running slows both graders")
    print()
    print(table(rows))
    print()
    print(f"same {subset} submissions, start-up included in both: nbgrader {nb_per:.3f} s, this grader "
          f"{small_per:.3f} s per submission ({nb_per / small_per:.1f}x)")
    print(f"per submission at scale: nbgrader's marginal {nb_marginal:.3f} s vs this grader's "
          f"{big_per:.4f} s over {n}, start-up included ({speedup:.1f}x)")
    print(f"grades agree with stock nbgrader (functions passed/failed) on {subset - len(differ)}/{subset} students")
    for line in differ:
        print(f"  DIFFERENT {line}")
    fast = speedup >= SPEEDUP_TARGET
    print(f"target >= {SPEEDUP_TARGET:g}x faster per submission than stock nbgrader: "
          f"{'MET' if fast else 'MISSED'} ({speedup:.1f}x)")
    if n >= 1000:
        projected = big_seconds * 1000 / n
        thousand = projected <= THOUSAND_SECONDS_TARGET
        print(f"target 1,000 submissions <= {THOUSAND_SECONDS_TARGET:g} s on {os.cpu_count()} cores: "
              f"{'MET' if thousand else 'MISSED'} ({projected:.1f} s for 1,000)")
    else:
        thousand = True
        print(f"target 1,000 submissions <= {THOUSAND_SECONDS_TARGET:g} s: not measured (--submissions {n})")
    return 0 if fast and thousand and not differ else 1


if __name__ == "__main__":
    sys.exit(main())
