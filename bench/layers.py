"""Benchmark of the convolution layer: loops vs vectorized vs PyTorch CPU, and the matrix-product bound.

    python bench/layers.py [--repeats 10] [--threads 1] [--clock wall|cpu] [--plot build/bench/layers.png]

The layers timed are the kit's references, run from the instructor notebooks as
the checks do: assignment 1's loops; assignment 2's graded solution cells
(``vectorized``: the lesson's one patch matrix and offset loop); assignment 2's
optional section 9 (``fast``: the same products laid out for the memory,
channels first, padded and flat, in blocks of a few examples); and PyTorch's
``conv2d`` with its backward pass on the CPU in float64 (when PyTorch is
installed). Each time is one forward plus one backward pass, the best of
``--repeats`` runs, on the same inputs for all.

1. A sweep over the image size (batch 8, 8 -> 16 channels, 3 x 3 filters, pad 1,
   stride 1): a table and a plot of time against input size. The loops are
   timed while one run stays under ``--loop-limit`` seconds.
2. The target shape: float64 batch m = 64, 28 x 28, 8 -> 16 channels, f = 3,
   pad 1, stride 1. It prints the time the three matrix products of the layer
   (Z, dW and dA, each m * 28 * 28 * 9 * 8 * 16 multiply-adds) would take at
   the machine's dgemm rate measured now (the bound), the times of both
   vectorized references and of PyTorch, and each one's ratio to the bound.
   The targets, for the kit's fastest reference (``fast``): within 3x of the
   bound, and faster than PyTorch. For comparison it also times the three
   products themselves, in numpy, on the whole batch with the layer's (tall
   and thin) shapes: moving 29 MB patch matrices through memory makes them
   slower than ``fast``, which works on blocks that stay in the cache.

numpy's BLAS and PyTorch both use ``--threads`` threads (default 1: on a
shared machine, threads waiting for busy cores make timings erratic), and the
dgemm rate is measured with the same number and the same clock. ``--clock cpu``
times this process's CPU time instead of the wall clock: with one thread, it
leaves out the time other programs hold the core (the sweep's loop column
stays on the wall clock's cap).

glibc's malloc is told to keep freed memory (``mallopt``) for numpy and
PyTorch alike: by default it may give a step's large buffers back to the
system and take the page faults of getting them again on the next step, or not,
depending on what the process did before, which made the same layer's time
differ by half from run to run.

The exit status is 0 when both targets are met. This is a benchmark, not a
test: timings depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import benchmark  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402

SIZES = (8, 12, 16, 20, 28, 40, 56, 80)
TARGET = dict(m=64, n_H_prev=28, n_C_prev=8, n_C=16, f=3)
HPARAMETERS = {"stride": 1, "pad": 1}
BOUND_FACTOR = 3.0


def layers() -> dict[str, tuple]:
    loops = REGISTRY["conv_step_by_step"].reference()
    vectorized = REGISTRY["conv_vectorized"].reference()
    return {"loops": (loops["conv_forward"], loops["conv_backward"]),
            "vectorized": (vectorized["conv_forward"], vectorized["conv_backward"]),
            "fast": (vectorized["conv_forward_fast"], vectorized["conv_backward_fast"])}


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory in the process (M_TRIM_THRESHOLD, M_MMAP_THRESHOLD); False if
    this is not glibc."""
    import ctypes

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(mallopt(M_TRIM_THRESHOLD, 2**30) and mallopt(M_MMAP_THRESHOLD, 2**25))


CLOCK = time.perf_counter


def sweep(repeats: int, loop_limit: float) -> tuple[list[int], dict[str, list]]:
    impls = layers()
    timings: dict[str, list] = {"loops": [], "vectorized": [], "fast": [], "PyTorch": []}
    loops_on = True
    for size in SIZES:
        A_prev, W, b = benchmark.conv_inputs(m=8, n_H_prev=size, n_C_prev=8, n_C=16)
        for name in ("loops", "vectorized", "fast"):
            if name == "loops" and not loops_on:
                timings[name].append(None)
                continue
            step = benchmark.conv_layer_step(*impls[name], A_prev, W, b, HPARAMETERS)
            took = benchmark.best_time(step, repeats=1 if name == "loops" else repeats,
                                       warmup=0 if name == "loops" else 1, clock=CLOCK)
            timings[name].append(took)
            loops_on = loops_on and not (name == "loops" and took > loop_limit)
        timings["PyTorch"].append(benchmark.best_time(benchmark.torch_conv_step(A_prev, W, b, HPARAMETERS),
                                                      repeats=repeats, clock=CLOCK)
                                  if benchmark.torch_available() else None)
    return list(SIZES), timings


def products_time(repeats: int) -> float:
    """Seconds of the layer's three matrix products, in numpy, with the layer's shapes (M x K, K x N)."""
    import numpy as np

    M = TARGET["m"] * TARGET["n_H_prev"] ** 2
    K, N = TARGET["f"] ** 2 * TARGET["n_C_prev"], TARGET["n_C"]
    generator = np.random.default_rng(1)
    patches, filters, dZ = (generator.standard_normal(shape) for shape in ((M, K), (K, N), (M, N)))
    return sum(benchmark.best_time(product, repeats=repeats, clock=CLOCK) for product in (
        lambda: patches @ filters, lambda: patches.T @ dZ, lambda: dZ @ filters.T))


def target(repeats: int) -> dict[str, float | None]:
    impls = layers()
    A_prev, W, b = benchmark.conv_inputs(**TARGET)
    n = TARGET["n_H_prev"]  # pad 1, stride 1, f 3: the output keeps the size
    rate = benchmark.dgemm_rate(clock=CLOCK)
    flops = benchmark.conv_flops(TARGET["m"], n, n, TARGET["f"], TARGET["n_C_prev"], TARGET["n_C"])
    products = products_time(repeats)
    times = {name: benchmark.best_time(benchmark.conv_layer_step(*impls[name], A_prev, W, b, HPARAMETERS),
                                       repeats=repeats, clock=CLOCK) for name in ("vectorized", "fast")}
    torch_time = (benchmark.best_time(benchmark.torch_conv_step(A_prev, W, b, HPARAMETERS), repeats=repeats,
                                      clock=CLOCK)
                  if benchmark.torch_available() else None)
    return {"rate": rate, "flops": flops, "bound": flops / rate, **times, "PyTorch": torch_time,
            "products": products}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="runs per measurement; the best counts")
    parser.add_argument("--loop-limit", type=float, default=3.0, help="stop timing the loops past this (seconds)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="what a time measures")
    parser.add_argument("--plot", type=Path, default=REPO / "build" / "bench" / "layers.png")
    options = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    print("glibc malloc keeps freed memory (mallopt), for numpy and PyTorch alike" if keep_freed_memory()
          else "not glibc: malloc left as it is")
    if benchmark.torch_available():
        import torch

        torch.set_num_threads(options.threads)
    with threadpool_limits(limits=options.threads):
        return run(options)


def run(options) -> int:
    global CLOCK
    CLOCK = time.process_time if options.clock == "cpu" else time.perf_counter
    print(f"{options.threads} thread(s) for numpy's BLAS and PyTorch; {options.clock} clock")

    sizes, timings = sweep(options.repeats, options.loop_limit)
    rows = [[f"{s} x {s}", timings["loops"][k], timings["vectorized"][k], timings["fast"][k], timings["PyTorch"][k],
             f"{timings['loops'][k] / timings['vectorized'][k]:.0f}x" if timings["loops"][k] else "-"]
            for k, s in enumerate(sizes)]
    print("forward + backward, batch 8, 8 -> 16 channels, f = 3, pad 1, stride 1 (best of "
          f"{options.repeats} runs; loops: one run)")
    print(benchmark.table(["input", "loops", "vectorized", "fast", "PyTorch", "loops / vectorized"], rows))
    import matplotlib

    matplotlib.use("Agg")
    from autograder.figures import conv_vectorized as figures_vectorized

    options.plot.parent.mkdir(parents=True, exist_ok=True)
    figures_vectorized.timing_figure(sizes, timings, "forward + backward, batch 8, 8 -> 16 channels").savefig(
        options.plot, dpi=100)
    print(f"plot: {options.plot}")

    result = target(options.repeats)
    bound = result["bound"]
    print(f"\ntarget shape: m = {TARGET['m']}, {TARGET['n_H_prev']} x {TARGET['n_H_prev']}, "
          f"{TARGET['n_C_prev']} -> {TARGET['n_C']} channels, f = 3, pad 1, stride 1, float64")
    print(f"  dgemm rate                        {result['rate'] / 1e9:8.1f} GFLOP/s (numpy, 1024 x 1024 product)")
    print(f"  three matrix products (bound)     {bound * 1e3:8.2f} ms  ({result['flops'] / 1e6:.0f} MFLOP at the "
          "dgemm rate)")
    print(f"  the same products, whole batch    {result['products'] * 1e3:8.2f} ms  = "
          f"{result['products'] / bound:.2f} x the bound (numpy, the layer's shapes)")
    print(f"  vectorized (graded lesson)        {result['vectorized'] * 1e3:8.2f} ms  = "
          f"{result['vectorized'] / bound:.2f} x the bound")
    ratio = result["fast"] / bound
    print(f"  fast (section 9)                  {result['fast'] * 1e3:8.2f} ms  = {ratio:.2f} x the bound "
          f"(target <= {BOUND_FACTOR:g})")
    met = ratio <= BOUND_FACTOR
    if result["PyTorch"] is None:
        print("  PyTorch                           not installed")
    else:
        print(f"  PyTorch CPU float64               {result['PyTorch'] * 1e3:8.2f} ms  = "
              f"{result['PyTorch'] / bound:.2f} x the bound")
        print(f"  fast / PyTorch = {result['fast'] / result['PyTorch']:.2f} (target < 1); "
              f"vectorized / PyTorch = {result['vectorized'] / result['PyTorch']:.2f}")
        met = met and result["fast"] < result["PyTorch"]
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
