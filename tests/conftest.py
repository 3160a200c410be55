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
