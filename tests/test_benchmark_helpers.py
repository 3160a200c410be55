"""autograder.benchmark times the same computation in numpy and PyTorch, and reports it plainly."""
import numpy as np
import pytest

from autograder import benchmark
from tests.helpers import VECTORIZED


@pytest.fixture(scope="module")
def vectorized():
    return VECTORIZED.reference()


@pytest.mark.parametrize("stride, pad", [(1, 1), (2, 0)])
def test_the_pytorch_step_computes_the_gradients_of_the_numpy_step(vectorized, stride, pad):
    A_prev, W, b = benchmark.conv_inputs(m=2, n_H_prev=7, n_C_prev=3, n_C=4, seed=stride)
    hparameters = {"stride": stride, "pad": pad}
    dA_prev, dW, db = benchmark.conv_layer_step(vectorized["conv_forward"], vectorized["conv_backward"],
                                                A_prev, W, b, hparameters)()
    dA_t, dW_t, db_t = benchmark.torch_conv_step(A_prev, W, b, hparameters)()
    np.testing.assert_allclose(dA_prev, dA_t.numpy().transpose(0, 2, 3, 1), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dW, dW_t.numpy().transpose(2, 3, 1, 0), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(db.reshape(-1), db_t.numpy(), rtol=1e-10, atol=1e-10)


def test_the_flop_count_is_three_products_of_the_patch_matrix():
    m, n_H, n_W, f, n_C_prev, n_C = 64, 28, 28, 3, 8, 16
    assert benchmark.conv_flops(m, n_H, n_W, f, n_C_prev, n_C) == 3 * 2 * (m * n_H * n_W) * (f * f * n_C_prev) * n_C


def test_best_time_is_the_fastest_run_and_stops_after_max_seconds():
    calls = []
    took = benchmark.best_time(lambda: calls.append(1), repeats=4, warmup=1)
    assert len(calls) == 5 and 0 <= took < 0.1
    slow = []
    benchmark.best_time(lambda: slow.append(sum(range(10 ** 5))), repeats=100, warmup=0, max_seconds=0.0)
    assert len(slow) == 1


def test_table_writes_milliseconds_and_dashes():
    text = benchmark.table(["input", "loops"], [["8 x 8", 0.0123], ["16 x 16", None]])
    lines = text.splitlines()
    assert lines[0].split() == ["input", "loops"] and set(lines[1]) <= {"-", " "}
    assert "12.30 ms" in lines[2] and lines[3].split()[-1] == "-"


def test_one_thread_pins_numpy_s_blas_and_pytorch_and_puts_them_back():
    """The benchmark of assignment 2 runs inside benchmark.one_thread(), and says so."""
    import torch
    from threadpoolctl import threadpool_info

    before = (torch.get_num_threads(), [pool["num_threads"] for pool in threadpool_info()])
    with benchmark.one_thread():
        assert torch.get_num_threads() == 1
        assert threadpool_info() and all(pool["num_threads"] == 1 for pool in threadpool_info())
    assert (torch.get_num_threads(), [pool["num_threads"] for pool in threadpool_info()]) == before
