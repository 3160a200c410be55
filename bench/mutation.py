"""Mutation testing of the trusted core, as a bench (not a test): ``make mutation``.

    python bench/mutation.py [--modules compare.py,wire.py] [--sample 20 | --all] [--lanes 2] [--out build/mutation]

Every mutant is a small realistic bug planted in one module (a comparison
turned, a constant changed by one, a condition negated, an exception handler
that no longer catches, a loop that never runs, ...); the module's tests must
fail with it in place. The tool is Cosmic Ray (``cosmic-ray``, in the test
extras): it writes each mutant into the module's file *on disk* and runs the
tests as a separate command, so that every process the tests start runs the
mutant too, the sandbox's zygote included (it imports ``autograder`` from the
source tree, with a cleared environment: a mutant switched on by an
environment variable or an import hook would never reach it). So the run
happens in scratch copies of the repository (one per lane, ``--lanes``, 2 by
default), never in this one; each test command first removes the copy's
``__pycache__`` folders, as a mutant and the next may share a file's size and
modification second.

:data:`MODULES` says which tests each module's mutants run: chosen to be
fast and to exercise that module, the fastest first (the run stops at the
first failure, so a killed mutant costs little and a survivor the whole
selection). Before its mutants, each module's tests run once unmutated: they
must pass (else the module is reported as not measured), and their time sets
the mutants' timeout (a mutant that hangs the tests is killed).

The default is a sample: the sandbox's three modules alone have 569 mutants
to run (jail 170, zygote 130, sandbox 269), the diagnosis's over a thousand
(patterns 229, proof 297, ratios 239, ...), and on a shared 2-core machine
(load 6-11) each of theirs took 25-45 s, so every mutant (``--all``) takes a
day, not an hour. By default each module runs a seeded random sample of :data:`SAMPLE`
mutants (a module with fewer runs them all): the same sample on every run of
the same code, so that a survivor recorded or killed stays so. Each sampled
module's score comes with its 95% interval (Wilson's: it says what the sample
shows of the whole module; the mutants outside it are not measured). At the
times measured, the default run takes about an hour where the machine is
otherwise idle, two on a loaded one (not measured whole: an estimate from the
per-module times the run prints).

It prints, per module, the mutants killed, the survivors, and the share
killed, with every survivor listed (file, line, the line before and after)
unless ``bench/mutation_equivalent.md`` records it as equivalent, with why.
The score counts a recorded equivalent mutant neither as killed nor as a
survivor; the raw share is printed beside it. Target: at least 90% killed in
every module (of its sample, where sampled); the exit status is 0 when every
module measured meets it.
Other work on the machine slows the run: the load average is printed.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().parent / "mutation_equivalent.md"
TARGET = 0.90
SAMPLE = 20  # mutants run per module by default: see the docstring

# What each module's mutants run: pytest arguments (files, or test ids), the fastest tests that exercise it
# first (the run stops at the first failure). A folder stands for each module in it. Keep up to date as
# modules move: the baseline run fails loudly on a test that is gone. Timing tests (tests/test_grading_timed.py)
# fail on a loaded machine without any mutant, and the whole sandbox selection took about 2 min a mutant: the
# sandbox's modules run their parts in-process first (jail.py: tests/test_jail_parts.py; sandbox.py: the keeper's
# side of a call, tests/test_timer.py; cells.py, answers.py: tests/test_answers_cells.py), then real jobs that take
# seconds: jobs that end every way, what a job's child holds and its clean-up leaves (tests/test_zygote_parts.py),
# whole submissions graded (tests/test_runner_judging.py), a garbled answer, one student after another.
SANDBOX_JOBS = [
    "tests/test_sandbox_outcomes.py",
    "tests/test_zygote_parts.py",
    "tests/test_runner_judging.py",
    "tests/test_wire.py::test_a_message_nested_100000_deep_from_learner_code_ends_its_call_as_garbled_not_a_timeout",
    "tests/test_grading_adversarial.py::test_a_student_cannot_answer_for_the_next_one_in_the_same_sandbox",
    "tests/test_grading_adversarial.py::test_files_left_in_tmp_are_gone_for_the_next_student",
    "tests/test_grading_adversarial.py::test_system_v_shared_memory_left_by_one_student_is_gone_for_the_next",
    "tests/test_grading_adversarial.py::test_a_job_is_held_to_its_memory_limit_across_all_of_its_processes",
    "tests/test_sandbox_defaults.py",
]
# The diagnosis runs in-process (in the learner's kernel): its fastest direct tests first, then the learners of
# tests/test_diagnosis.py checked for real, without their renderings in each language (the same diagnoses, said
# twice more: the renderer is not the diagnosis).
DIAGNOSIS_TESTS = ["tests/test_diagnosis_units.py", "tests/test_diagnosis_sizes_and_scatter.py",
                   "tests/test_patterns_offset.py", "tests/test_exception_causes.py",
                   "tests/test_diagnosis.py", "-k", "not in_each_language"]
MODULES: dict[str, list[str]] = {
    "autograder/compare.py": ["tests/test_compare.py", "tests/test_patterns_offset.py"],
    "autograder/verdict.py": ["tests/test_verdict.py", "tests/test_compare.py"],
    # a case's place and key are read by the diagnosis's runs: its tests come after the judge's own
    "autograder/judge.py": ["tests/test_judge.py", "tests/test_compare.py", *DIAGNOSIS_TESTS],
    "autograder/casefile.py": ["tests/test_casefile.py", "tests/test_compare.py"],
    "autograder/speed.py": ["tests/test_speed_rules.py", "tests/test_speed_check.py", "tests/test_timing_check.py"],
    "autograder/grading/wire.py": ["tests/test_wire.py"],
    # the sandbox's keeper's side in-process first (a call's timing, tests/test_timer.py), then real jobs
    "autograder/grading/sandbox.py": ["tests/test_timer.py", "tests/test_sandbox_parts.py", *SANDBOX_JOBS],
    "autograder/grading/zygote.py": SANDBOX_JOBS,
    "autograder/grading/jail.py": [  # its parts in-process, then real jobs that clean up after each other
        "tests/test_jail_parts.py", "tests/test_sandbox_outcomes.py", "tests/test_zygote_parts.py",
        "tests/test_grading_adversarial.py::test_a_student_cannot_answer_for_the_next_one_in_the_same_sandbox",
        "tests/test_grading_adversarial.py::test_files_left_in_tmp_are_gone_for_the_next_student",
        "tests/test_grading_adversarial.py::test_system_v_shared_memory_left_by_one_student_is_gone_for_the_next",
        "tests/test_grading_adversarial.py::test_a_job_is_held_to_its_memory_limit_across_all_of_its_processes",
    ],
    # in-process first (the child's side run without a jail, the reading of its messages), then real jobs
    "autograder/grading/cells.py": ["tests/test_answers_cells.py", "tests/test_sandbox_outcomes.py",
                                    "tests/test_runner_judging.py"],
    "autograder/grading/timing.py": ["tests/test_timer.py"],  # the keeper's clock over real pipes, in-process
    "autograder/grading/answers.py": ["tests/test_answers_cells.py", "tests/test_runner_judging.py"],
    "autograder/grading/plan.py": ["tests/test_plan.py"],
    "autograder/grading/runner.py": ["tests/test_runner_judging.py"],
    "autograder/grading/store.py": ["tests/test_store.py"],
    "autograder/diagnosis/exceptions.py": ["tests/test_exception_causes.py", "tests/test_patterns_offset.py",
                                           "tests/test_diagnosis.py"],
    "autograder/diagnosis/oracle.py": ["tests/test_answers_cells.py", *DIAGNOSIS_TESTS],  # stand-ins in the child
    # which edits the class grader may skip (no job): read in-process first, then graded in the sandbox
    "autograder/diagnosis/edits.py": ["tests/test_grading_edits_tried.py::"
                                      "test_an_index_of_slices_constants_and_range_counters_names_no_entry_twice",
                                      *DIAGNOSIS_TESTS[:-2], "tests/test_grading_edits_tried.py",
                                      *DIAGNOSIS_TESTS[-2:]],
    "autograder/diagnosis/": DIAGNOSIS_TESTS,  # each of its other modules
}

# Cosmic Ray's operators that make bugs a person writes (not every operator into every other one).
OPERATORS = [
    "ReplaceBinaryOperator_Add_Sub", "ReplaceBinaryOperator_Sub_Add", "ReplaceBinaryOperator_Mul_Div",
    "ReplaceBinaryOperator_Div_Mul", "ReplaceBinaryOperator_FloorDiv_Div", "ReplaceBinaryOperator_Mod_FloorDiv",
    "ReplaceBinaryOperator_Pow_Mul", "ReplaceBinaryOperator_BitOr_BitAnd", "ReplaceBinaryOperator_BitAnd_BitOr",
    "ReplaceBinaryOperator_LShift_RShift", "ReplaceBinaryOperator_RShift_LShift",
    "ReplaceComparisonOperator_Eq_NotEq", "ReplaceComparisonOperator_NotEq_Eq",
    "ReplaceComparisonOperator_Lt_LtE", "ReplaceComparisonOperator_Lt_GtE",
    "ReplaceComparisonOperator_LtE_Lt", "ReplaceComparisonOperator_LtE_Gt",
    "ReplaceComparisonOperator_Gt_GtE", "ReplaceComparisonOperator_Gt_LtE",
    "ReplaceComparisonOperator_GtE_Gt", "ReplaceComparisonOperator_GtE_Lt",
    "ReplaceComparisonOperator_Is_IsNot", "ReplaceComparisonOperator_IsNot_Is",
    "ReplaceUnaryOperator_USub_UAdd", "ReplaceUnaryOperator_Delete_Not", "ReplaceUnaryOperator_Delete_USub",
    "AddNot", "ReplaceTrueWithFalse", "ReplaceFalseWithTrue", "ReplaceAndWithOr", "ReplaceOrWithAnd",
    "ReplaceBreakWithContinue", "ReplaceContinueWithBreak", "ExceptionReplacer", "NumberReplacer",
    "ZeroIterationForLoop",
]


@dataclass
class Mutant:
    module: str
    line: int
    operator: str
    where: str  # the function or class it is in
    before: str  # the line, unmutated and mutated (stripped)
    after: str
    outcome: str  # "killed", "survived", "incompetent"
    context: str = ""  # the line above the changed one (stripped), to tell apart mutants of a repeated line
    repeated: bool = False  # whether the changed line comes more than once in its module

    def key(self) -> tuple[str, str, str, str]:
        return Path(self.module).name, self.where, self.before, self.after


@dataclass
class Measured:
    module: str
    seconds: float = 0.0
    baseline_seconds: float = 0.0
    mutants: list[Mutant] = field(default_factory=list)
    annotations: int = 0  # mutants in annotations, not run (never evaluated: ``from __future__ import annotations``)
    population: int = 0  # the module's mutants to measure (none in annotations, numbers + 1 only)
    sampled: int = 0  # how many of them were run (all of them with --all, or when there are fewer than the sample)
    problem: str | None = None  # why it was not measured


# -- the test command (run by Cosmic Ray in a scratch copy, once per mutant) -------------------------------
def run_tests(module: str) -> int:
    """Run ``module``'s tests in the current folder (a scratch copy), with nothing cached from another mutant."""
    here = Path.cwd()
    for cache in (here / "autograder").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(here), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # no xdist, no anyio: a second saved per mutant
    command = [sys.executable, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:cacheprovider",
               *tests_of(module)]
    return subprocess.call(command, env=env, stdout=subprocess.DEVNULL if os.environ.get("MUTATION_QUIET") else None)


def tests_of(module: str) -> list[str]:
    if module in MODULES:
        return MODULES[module]
    folder = next((key for key in MODULES if key.endswith("/") and module.startswith(key)), None)
    if folder is None:
        raise SystemExit(f"no tests are chosen for {module} in MODULES")
    return MODULES[folder]


def modules_to_run(chosen: list[str] | None) -> list[str]:
    """Every module of :data:`MODULES` (a folder: each .py file in it but ``__init__.py``), or those named."""
    found = []
    for key in MODULES:
        if key.endswith("/"):
            found += sorted(str(path.relative_to(REPO)) for path in (REPO / key).glob("*.py")
                            if path.name != "__init__.py")
        else:
            found.append(key)
    found = list(dict.fromkeys(found))  # a module named on its own and within its folder: once
    if chosen:
        unknown = [name for name in chosen if not any(module.endswith(name) for module in found)]
        if unknown:
            raise SystemExit(f"not in MODULES: {', '.join(unknown)}")
        found = [module for name in chosen for module in found if module.endswith(name)]  # in the order named
        found = list(dict.fromkeys(found))
    return found


# -- scratch copies ---------------------------------------------------------------------------------------------
def scratch_copy(into: Path) -> Path:
    """A copy (never links: a mutant is written in place) of the repository's files, tracked or not ignored."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def end_processes_in(folder: Path) -> None:
    """Kill every process working in ``folder`` (the tool and the tests it started in sessions of their own)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(str(folder)) and int(pid) != os.getpid():
                os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass


# -- one module ------------------------------------------------------------------------------------------------
def _config(module: str, timeout: float, work: Path) -> str:
    keep = "|".join(OPERATORS)
    return "\n".join([
        "[cosmic-ray]",
        f'module-path = "{module}"',
        f"timeout = {timeout:.0f}",
        "excluded-modules = []",
        f'test-command = "{sys.executable} {work / "bench" / "mutation.py"} --run-tests {module}"',
        "",
        "[cosmic-ray.distributor]",
        'name = "local"',
        "",
        "[cosmic-ray.filters.operators-filter]",
        f'exclude-operators = ["core/(?!({keep})$).*"]',
        "",
    ])


def measure(module: str, work: Path, out: Path, progress, sample: int | None = None) -> Measured:
    """Baseline, then the mutants of ``module`` (every one, or a seeded sample of ``sample``), in the scratch
    copy ``work``."""
    measured = Measured(module)
    started = time.monotonic()
    env = {**os.environ, "MUTATION_QUIET": "1"}
    begun = time.monotonic()
    if subprocess.call([sys.executable, str(work / "bench" / "mutation.py"), "--run-tests", module], cwd=work,
                       env=env) != 0:
        measured.problem = "its tests fail without any mutant (run them: " + " ".join(tests_of(module)) + ")"
        return measured
    measured.baseline_seconds = time.monotonic() - begun
    name = module.replace("/", "_").removesuffix(".py")
    config, session = out / f"{name}.toml", out / f"{name}.sqlite"
    config.write_text(_config(module, 3 * measured.baseline_seconds + 60, work))
    session.unlink(missing_ok=True)
    for command in (["cosmic-ray", "init", str(config), str(session)],
                    ["cr-filter-operators", str(session), str(config)]):
        subprocess.run([str(Path(sys.executable).parent / command[0]), *command[1:]], cwd=work, env=env,
                       check=True, capture_output=True)
    measured.annotations = _skip_annotations(session, work / module)
    measured.population, measured.sampled = _keep_sample(session, module, sample)
    _skip_recorded(session, work / module, equivalents())
    total = _count(session)
    progress(module, 0, total)
    runner = subprocess.Popen([str(Path(sys.executable).parent / "cosmic-ray"), "exec", str(config), str(session)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while runner.poll() is None:
        time.sleep(5)
        progress(module, _done(session), total)
    measured.mutants = _results(session, work)
    measured.seconds = time.monotonic() - started
    progress(module, total, total)
    return measured


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) as (line, column) of every annotation in ``path``, if the module never evaluates them."""
    tree = ast.parse(path.read_text())
    if not any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names) for node in tree.body):
        return []
    spans = []
    for node in ast.walk(tree):
        found = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            found += [node.returns] + [argument.annotation for argument in (
                *arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg)
                if argument is not None]
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in found if a is not None]
    return spans


def _skip_annotations(session: Path, path: Path) -> int:
    """Mark as skipped the mutants inside annotations, and the second mutant of each number (Cosmic Ray makes
    n + 1 and n - 1: one is run); how many were inside annotations."""
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = annotation_spans(path)
    db = _open(session)
    try:
        items = list(db.pending_work_items)
        skipped = [item.job_id for item in items
                   if any(start <= tuple(item.mutations[0].start_pos) < end for start, end in spans)]
        seconds = [item.job_id for item in items if item.mutations[0].operator_name == "core/NumberReplacer"
                   and item.mutations[0].occurrence % 2 == 1 and item.job_id not in skipped]
        for job in seconds:
            db.set_result(job, WorkResult(output="n - 1 of a number", worker_outcome=WorkerOutcome.SKIPPED))
        for job in skipped:
            db.set_result(job, WorkResult(output="in an annotation", worker_outcome=WorkerOutcome.SKIPPED))
        return len(skipped)
    finally:
        db.close()


EQUIVALENT = "recorded equivalent"
NOT_SAMPLED = "not in the sample"


def _keep_sample(session: Path, module: str, size: int | None) -> tuple[int, int]:
    """Mark as skipped every mutant of ``session`` outside a seeded random sample of ``size`` (None: keep all).

    The sample depends only on the module's path and its mutants (taken in the order of their place in the
    file, operator and occurrence), so the same code gives the same sample on every run and machine. Returns
    (mutants to measure, mutants kept)."""
    import random

    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    db = _open(session)
    try:
        items = sorted(db.pending_work_items, key=lambda item: (
            tuple(item.mutations[0].start_pos), item.mutations[0].operator_name, item.mutations[0].occurrence))
        if size is None or len(items) <= size:
            return len(items), len(items)
        kept = {item.job_id for item in random.Random(f"mutation sample of {module}").sample(items, size)}
        for item in items:
            if item.job_id not in kept:
                db.set_result(item.job_id, WorkResult(output=NOT_SAMPLED, worker_outcome=WorkerOutcome.SKIPPED))
        return len(items), size
    finally:
        db.close()


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """95% confidence interval (Wilson's) of a share seen as ``successes`` out of ``trials`` drawn at random.

    Drawn without replacement from a finite module, the true interval is narrower: this one is on the safe
    side."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * (share * (1 - share) / trials + z * z / (4 * trials * trials)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def _change(code: str, mutation) -> tuple[str, str]:
    """The first line a mutation changes, before and after (stripped)."""
    return _changed(code, mutation)[:2]


def _changed(code: str, mutation) -> tuple[str, str, str]:
    """The first line a mutation changes, before and after, and the line above it that is not blank (stripped)."""
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    operator = cosmic_ray.plugins.get_operator(mutation.operator_name)(**(mutation.operator_args or {}))
    try:
        mutated = mutate_code(code, operator, mutation.occurrence) or code
    # Cosmic Ray's ExceptionReplacer fails on a dotted name in a tuple, `except (wire.WireError, ...)`:
    except AttributeError:
        return "", "", ""  # the tool cannot make that mutant (its run ends as an error, not counted): nothing to match
    lines = code.splitlines()
    for index, (before, after) in enumerate(zip(lines, mutated.splitlines())):
        if before != after:
            above = next((line.strip() for line in reversed(lines[:index]) if line.strip()), "")
            return before.strip(), after.strip(), above
    return "", "", ""


def is_recorded(known: dict, key: tuple[str, str, str, str], context: str) -> bool:
    """Whether a row of the equivalents records this mutant: a row without a context matches the change
    wherever it is in its function, a row with one only under that line."""
    contexts = known.get(key)
    return contexts is not None and (None in contexts or context in contexts)


def _skip_recorded(session: Path, path: Path, known: dict) -> None:
    """Mark the mutants recorded as equivalent (bench/mutation_equivalent.md) as such: they are not run."""
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    code = path.read_text()
    db = _open(session)
    try:
        for item in list(db.pending_work_items):
            (mutation,) = item.mutations
            before, after, above = _changed(code, mutation)
            if is_recorded(known, (path.name, mutation.definition_name or "", before, after), above):
                db.set_result(item.job_id, WorkResult(output=EQUIVALENT, worker_outcome=WorkerOutcome.SKIPPED,
                                                      diff=f"-{before}\n+{after}"))
    finally:
        db.close()


def _open(session: Path):
    from cosmic_ray.work_db import WorkDB

    return WorkDB(str(session), WorkDB.Mode.open)


def _count(session: Path) -> int:
    from cosmic_ray.work_item import WorkerOutcome

    db = _open(session)
    try:
        skipped = {job for job, result in db.results
                   if result.worker_outcome == WorkerOutcome.SKIPPED and result.output != EQUIVALENT}
        return sum(1 for item in db.work_items if item.job_id not in skipped)
    finally:
        db.close()


def _done(session: Path) -> int:
    from cosmic_ray.work_item import WorkerOutcome

    try:
        db = _open(session)
    except Exception:  # busy: Cosmic Ray is writing
        return 0
    try:
        return sum(1 for _, result in db.results
                   if result.worker_outcome != WorkerOutcome.SKIPPED or result.output == EQUIVALENT)
    except Exception:
        return 0
    finally:
        db.close()


def _results(session: Path, work: Path) -> list[Mutant]:
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    db = _open(session)
    codes: dict[str, str] = {}
    try:
        found = []
        for item, result in db.completed_work_items:
            recorded = result.worker_outcome == WorkerOutcome.SKIPPED and result.output == EQUIVALENT
            if result.worker_outcome in (WorkerOutcome.SKIPPED, WorkerOutcome.NO_TEST) and not recorded:
                continue
            (mutation,) = item.mutations
            removed = [line[1:].strip() for line in (result.diff or "").splitlines()
                       if line.startswith("-") and not line.startswith("---")]
            added = [line[1:].strip() for line in (result.diff or "").splitlines()
                     if line.startswith("+") and not line.startswith("+++")]
            outcome = ("equivalent" if recorded
                       else "incompetent" if result.test_outcome in (None, TestOutcome.INCOMPETENT)
                       else "killed" if result.test_outcome == TestOutcome.KILLED else "survived")
            module = str(Path(mutation.module_path))
            code = codes.setdefault(module, (work / module).read_text())
            before, _, above = _changed(code, mutation)
            found.append(Mutant(module, mutation.start_pos[0], mutation.operator_name.removeprefix("core/"),
                                mutation.definition_name or "", removed[0] if removed else "",
                                added[0] if added else "", outcome, above,
                                [line.strip() for line in code.splitlines()].count(before) > 1))
        return sorted(found, key=lambda m: (m.line, m.operator, m.after))
    finally:
        db.close()


# -- equivalent mutants ------------------------------------------------------------------------------------
def equivalents(path: Path = EQUIVALENT_FILE) -> dict[tuple[str, str, str, str], dict[str | None, str]]:
    """{(module file name, function, line before, line after): {the line above it, or None: why}} from the table
    rows of ``path``. A change is written `before` → `after`, or, for a line that comes more than once in its
    function, after `the line above`: `before` → `after`."""
    found: dict[tuple[str, str, str, str], dict[str | None, str]] = {}
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) != 4 or not cells[2].startswith(("`", "after `")):
            continue
        change = re.fullmatch(r"(?:after `(.*?)`: )?`(.*)` → `(.*)`", cells[2])
        if change:
            found.setdefault((cells[0], cells[1].strip("`"), change.group(2), change.group(3)), {})[
                change.group(1)] = cells[3]
    return found


def row(mutant: Mutant) -> str:
    """A survivor as a row of bench/mutation_equivalent.md (the reason left to write)."""
    change = f"`{mutant.before}` → `{mutant.after}`"
    if mutant.repeated:  # the same line elsewhere in the module: this one is told by the line above it
        change = f"after `{mutant.context}`: {change}"
    cells = [Path(mutant.module).name, f"`{mutant.where}`", change, "WHY"]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


# -- the run ---------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma-separated module paths or file names (default: all of MODULES)")
    parser.add_argument("--lanes", type=int, default=2, help="modules measured at once, each in its own copy")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "mutation")
    parser.add_argument("--sample", type=int, default=SAMPLE, metavar="N",
                        help=f"mutants run per module, a seeded random sample (default {SAMPLE})")
    parser.add_argument("--all", action="store_true", help="run every mutant of each module (many hours)")
    parser.add_argument("--run-tests", metavar="MODULE", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.run_tests:
        return run_tests(options.run_tests)
    from tqdm import tqdm

    modules = modules_to_run(options.modules.split(",") if options.modules else None)
    options.out = options.out.resolve()  # the tool runs in the scratch copies
    options.out.mkdir(parents=True, exist_ok=True)
    todo: queue.Queue = queue.Queue()
    for module in modules:
        todo.put(module)
    results: dict[str, Measured] = {}
    bars = [tqdm(total=0, position=lane, desc=f"lane {lane + 1}", unit="mutant", leave=True, file=sys.stderr)
            for lane in range(options.lanes)]
    lock = threading.Lock()
    load_before = os.getloadavg()
    started = time.monotonic()

    stopping = threading.Event()

    def lane(index: int, scratch: Path) -> None:
        work = scratch_copy(scratch / "repo")
        while not stopping.is_set():
            try:
                module = todo.get_nowait()
            except queue.Empty:
                return

            def progress(name: str, done: int, total: int) -> None:
                with lock:
                    bar = bars[index]
                    bar.set_description(f"{Path(name).name:>14}")
                    bar.total, bar.n = total, done
                    bar.refresh()

            try:
                results[module] = measure(module, work, options.out, progress,
                                          None if options.all else options.sample)
            except Exception as error:  # one module's trouble is reported, the others go on
                results[module] = Measured(module, problem=f"{type(error).__name__}: {error}")

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # killed: end the tool and its tests too
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        threads = []
        for index in range(options.lanes):
            folder = Path(scratch) / f"lane{index + 1}"
            folder.mkdir()
            threads.append(threading.Thread(target=lane, args=(index, folder), daemon=True))
            threads[-1].start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(1.0)
        except KeyboardInterrupt:
            stopping.set()
            end_processes_in(Path(scratch))
            raise
    for bar in bars:
        bar.close()
    return report([results[m] for m in modules if m in results], equivalents(), time.monotonic() - started,
                  load_before, options.out)


def report(measured: list[Measured], known: dict, seconds: float, load_before: tuple, out: Path) -> int:
    print(f"\nMutation testing of the trusted core (Cosmic Ray, {len(OPERATORS)} operators; numbers + 1 only; "
          "none in annotations), "
          f"{seconds / 60:.1f} min; load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"(a shared machine slows the run, not its result)\n")
    header = (f"{'module':<34} {'run':>9} {'killed':>6} {'equiv.':>6} {'survived':>8} {'score':>6} "
              f"{'95% interval':>13} {'raw':>6} {'min':>5} {'s/mutant':>8}")
    print(header)
    print("-" * len(header))
    met, unexplained, summary = True, [], []
    for entry in measured:
        if entry.problem:
            print(f"{entry.module:<34} not measured: {entry.problem}")
            met = False
            continue
        tested = [m for m in entry.mutants if m.outcome != "incompetent"]
        killed = [m for m in tested if m.outcome == "killed"]
        equivalent = [m for m in tested if m.outcome == "equivalent"
                      or (m.outcome == "survived" and is_recorded(known, m.key(), m.context))]
        survived = [m for m in tested if m.outcome == "survived" and not is_recorded(known, m.key(), m.context)]
        counted = len(tested) - len(equivalent)
        score = len(killed) / counted if counted else 1.0
        raw = len(killed) / len(tested) if tested else 1.0
        whole = entry.sampled >= entry.population
        low, high = (score, score) if whole else wilson(len(killed), counted)
        met &= score >= TARGET
        ran = [m for m in tested if m.outcome != "equivalent"]  # the recorded equivalents are not run
        per_mutant = entry.seconds / len(ran) if ran else 0.0
        run = "all" if whole else f"{entry.sampled}"
        print(f"{entry.module:<34} {run + '/' + str(entry.population):>9} {len(killed):>6} {len(equivalent):>6} "
              f"{len(survived):>8} {score:>6.1%} {'(whole)' if whole else f'{low:.0%}-{high:.0%}':>13} "
              f"{raw:>6.1%} {entry.seconds / 60:>5.1f} {per_mutant:>8.1f}")
        unexplained += survived
        summary.append({"module": entry.module, "population": entry.population, "sampled": entry.sampled,
                        "mutants": len(tested), "killed": len(killed),
                        "equivalent": len(equivalent), "survived": len(survived), "score": score,
                        "interval_95": [low, high], "raw": raw,
                        "incompetent": len(entry.mutants) - len(tested), "in_annotations": entry.annotations,
                        "seconds": round(entry.seconds, 1),
                        "baseline_seconds": round(entry.baseline_seconds, 1),
                        "survivors": [m.__dict__ for m in survived]})
    if any(entry.sampled < entry.population for entry in measured if not entry.problem):
        print("\nA module run as a sample (run N/M: N of its M mutants, the same seeded sample every run of the "
              "same code) has its score's 95% interval beside it (Wilson's; the mutants not in the sample are "
              "not measured). --all runs every mutant.")
    if unexplained:
        print(f"\nSurvivors ({len(unexplained)}): kill each with a test, or record it in {EQUIVALENT_FILE.name} "
              "with why it is equivalent:")
        for mutant in unexplained:
            print(f"  {mutant.module}:{mutant.line} [{mutant.operator}] in {mutant.where}\n"
                  f"      {mutant.before}\n    → {mutant.after}")
        print("\nAs rows of the equivalents table (fill in why):")
        for mutant in unexplained:
            print(row(mutant))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"\nTarget: at least {TARGET:.0%} killed in every module (of the sample, where sampled): "
          f"{'met' if met else 'NOT met'}. Sessions and configs: {out}")
    return 0 if met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("stopped: the scratch copies and every process in them are gone; this repository was never touched")
