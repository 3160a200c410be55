"""Timing helpers for the benchmark of "Vectorize it" (its notebook cell and bench/layers.py).

They time functions they are given (a learner's layers, the loop versions,
PyTorch's) on the same inputs; nothing here computes a layer in numpy.

- :func:`one_thread`: numpy's BLAS and PyTorch on one thread, while the benchmark runs;
- :func:`best_time`: the fastest of several runs;
- :func:`conv_layer_step`: forward + backward of a convolution layer, as one call;
- :func:`torch_conv_step`: the same in PyTorch (CPU, float64), if PyTorch is installed;
- :func:`dgemm_rate`: floating-point operations per second of a large numpy matrix product;
- :func:`conv_flops`: the operations of the three matrix products of a convolution layer;
- :func:`table`: a plain-text table.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import time
from typing import Callable, Iterator, Sequence

import numpy as np


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Within it, numpy's BLAS (and every OpenMP pool: threadpoolctl) and PyTorch, if installed, use one thread.

    On a machine that others use too, a library that starts a thread per core waits for the cores that others
    hold, and its times then say more about the load than about its code: one thread each makes the columns
    of a benchmark comparable. The previous settings come back at the end."""
    from threadpoolctl import threadpool_limits

    torch = importlib.import_module("torch") if torch_available() else None  # before the limits: its pools too
    before = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=1):
        if torch is not None:
            torch.set_num_threads(1)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(before)


def best_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1, max_seconds: float = 10.0,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds of the fastest of ``repeats`` calls of ``fn()`` (after ``warmup`` untimed calls).

    Stops repeating once ``max_seconds`` have been spent, so a slow function is timed fewer times.
    ``clock`` is wall-clock time by default; ``time.process_time`` (this process's CPU time) is
    steadier on a shared machine when the work runs on one thread."""
    for _ in range(warmup):
        fn()
    best, spent = float("inf"), 0.0
    for _ in range(repeats):
        start = clock()
        fn()
        took = clock() - start
        best, spent = min(best, took), spent + took
        if spent > max_seconds:
            break
    return best


def conv_inputs(m: int, n_H_prev: int, n_C_prev: int, n_C: int, f: int = 3, seed: int = 0):
    """Random float64 A_prev (m, n_H_prev, n_H_prev, n_C_prev), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C)."""
    generator = np.random.default_rng(seed)
    return (generator.standard_normal((m, n_H_prev, n_H_prev, n_C_prev)),
            generator.standard_normal((f, f, n_C_prev, n_C)),
            generator.standard_normal((1, 1, 1, n_C)))


def conv_layer_step(conv_forward: Callable, conv_backward: Callable, A_prev, W, b, hparameters) -> Callable:
    """A call that runs ``conv_forward`` then ``conv_backward`` (with dZ = Z) on the given inputs."""
    def step():
        Z, cache = conv_forward(A_prev, W, b, hparameters)
        return conv_backward(Z, cache)
    return step


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def torch_conv_step(A_prev, W, b, hparameters) -> Callable:
    """The same forward + backward in PyTorch on the CPU, float64 (NCHW inside), as one call."""
    import torch

    A_t = torch.tensor(np.ascontiguousarray(A_prev.transpose(0, 3, 1, 2)), dtype=torch.float64, requires_grad=True)
    W_t = torch.tensor(np.ascontiguousarray(W.transpose(3, 2, 0, 1)), dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b.reshape(-1), dtype=torch.float64, requires_grad=True)

    def step():
        for tensor in (A_t, W_t, b_t):
            tensor.grad = None
        Z = torch.nn.functional.conv2d(A_t, W_t, b_t, stride=hparameters["stride"], padding=hparameters["pad"])
        Z.backward(Z.detach())
        return A_t.grad, W_t.grad, b_t.grad
    return step


def dgemm_rate(n: int = 1024, repeats: int = 5, clock: Callable[[], float] = time.perf_counter) -> float:
    """Floating-point operations per second of numpy's (n, n) @ (n, n) float64 product, at best."""
    generator = np.random.default_rng(0)
    a, c = generator.standard_normal((n, n)), generator.standard_normal((n, n))
    return 2 * n ** 3 / best_time(lambda: a @ c, repeats=repeats, clock=clock)


def conv_flops(m: int, n_H: int, n_W: int, f: int, n_C_prev: int, n_C: int) -> int:
    """Operations of the three matrix products of a convolution layer's forward and backward pass.

    Each of Z, dW and dA is a product with m * n_H * n_W * f * f * n_C_prev * n_C multiply-adds."""
    return 3 * 2 * m * n_H * n_W * f * f * n_C_prev * n_C


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table; floats are written as milliseconds, None as '-'."""
    def text(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value * 1e3:.2f} ms"
        return str(value)
    cells = [list(header)] + [[text(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
