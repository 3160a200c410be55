"""Shared fixtures, and the slow tier: the test files that `make check` leaves out (`make test` runs all)."""
import json

import pytest

from autograder import settings


@pytest.fixture(scope="module")
def one_thread_kernels():
    """BLAS on one thread in the kernels nbgrader starts (timing checks compare with a one-thread calibration)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            patch.setenv(name, "1")
        yield


@pytest.fixture
def language(monkeypatch, tmp_path):
    """Work in an empty folder with no language set; returns a function that sets one."""
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)

    def choose(name: str) -> None:
        (tmp_path / settings.SETTINGS_FILE).write_text(json.dumps({"language": name}))
    return choose


# -- the slow tier ---------------------------------------------------------------------------------------------------
# `make check` runs every test but these files (`pytest -m "not slow"`); `make test` and CI run them all. A file is
# here when it costs more than the fast tier can afford on 2 cores (measured: README, "Two tiers of tests"), with
# why. tests/test_tiers.py holds the list to files that exist. In-process tests of every module stay in the fast
# tier (verdicts, compare, judge, case file, wire, render, diagnosis, mistakes, plan, store, a sandbox job or two).
SLOW = {
    "test_adding_an_assignment.py": "nbgrader releases a tiny assignment and the class grader grades it",
    "test_application_reference.py": "trains assignment 3's network beside PyTorch's",
    "test_blas_kernels.py": "rebuilds the case files and grades everything under two other OpenBLAS kernels",
    "test_browser.py": "a real JupyterLab driven in chromium",
    "test_corpus_notes.py": "grades the whole corpus of realistic wrong submissions",
    "test_grading_added_cells.py": "class runs of the grader on real notebooks",
    "test_grading_adversarial.py": "a big sandboxed class run of hostile submissions, graded twice",
    "test_grading_dask.py": "a real Dask cluster grading a cohort",
    "test_grading_edits_tried.py": "a plan made and submissions graded in the sandbox, their follow-up jobs counted",
    "test_grading_every_case.py": "class runs of the grader, one per case a function gets wrong",
    "test_grading_exchange.py": "the whole nbgrader exchange flow, real nbgrader commands",
    "test_grading_gradebook.py": "a PostgreSQL server for the gradebook, and class runs",
    "test_grading_isolation.py": "the same class graded with and without bubblewrap, from several Pythons",
    "test_grading_items.py": "class runs of the grader on real notebooks for the item analysis",
    "test_grading_normal_user.py": "creates a user and grades the adversarial suite and the demo as that user",
    "test_grading_output.py": "a class run with huge outputs, its pages opened in chromium",
    "test_grading_paths.py": "the grader started as a command in several ways, each a class run",
    "test_grading_reference_leak.py": "class runs that try to read the instructor's solutions",
    "test_grading_regrade.py": "several class runs of the grader, before and after a fix",
    "test_grading_reports.py": "class runs of the grader on real submission notebooks",
    "test_grading_resume.py": "kill -9 in the middle of a cohort, then runs again",
    "test_grading_series.py": "class runs of assignments 2 and 3: timed checks and a trained model",
    "test_grading_term.py": "an instructor's term on a real nbgrader course, beside stock nbgrader autograde",
    "test_grading_timed.py": "waits out real call and submission timeouts in the sandbox",
    "test_grading_timing_load.py": "timing checks graded while the machine is made busy",
    "test_generated_files.py": "runs nbgrader generate_assignment and rebuilds every generated file",
    "test_nbgrader_smoke.py": "real nbgrader autograde on real notebooks, per assignment",
    "test_notebook_runs.py": "every instructor notebook run top to bottom in a kernel",
    "test_numpy_versions.py": "runs the offered fixes under another numpy, in a separate environment",
    "test_selfstudy.py": "rebuilds and runs the self-study notebooks in both languages",
    "test_speed_check.py": "times loops against vectorized layers: CPU seconds, and a busy machine can fail it",
    "test_timing_check.py": "times loops against vectorized layers: CPU seconds, and a busy machine can fail it",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW:
            item.add_marker(pytest.mark.slow)
