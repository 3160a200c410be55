"""Shared fixtures."""
import pytest


@pytest.fixture(scope="module")
def one_thread_kernels():
    """BLAS on one thread in the kernels nbgrader starts (timing checks compare with a one-thread calibration)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            patch.setenv(name, "1")
        yield
