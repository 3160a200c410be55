"""Benchmark of assignment 3's reference: training time and test accuracy on the digits.

    python bench/training.py [--epochs 20] [--batch-size 32] [--learning-rate 0.005] [--seeds 0 1 2]

Trains the instructor notebook's own network and training loop (its solution
cells, on assignment 2's vectorized layers) on ``datasets/digits.h5`` with the
notebook's settings, once per seed of the initial parameters and of the
shuffling, and prints for each run the training time (the call of
``train_model`` alone, without following the test accuracy) and the accuracy on
the test digits. The target: at least 97% test accuracy in at most 30 s of
training on a 2-core machine, for every seed. The exit status is 0 when it is met.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from autograder.nn import images_to_inputs, initialize_parameters  # noqa: E402
from instructor import datasets  # noqa: E402
from instructor.assignments import REGISTRY  # noqa: E402

MIN_ACCURACY = 0.97
MAX_SECONDS = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=0.005)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    options = parser.parse_args(argv)

    os.environ.setdefault("TQDM_DISABLE", "1")  # the progress bar is for the notebook
    model = REGISTRY["conv_application"].reference()
    data = datasets.read_h5(REPO / datasets.H5)
    X_train, Y_train = images_to_inputs(data["train_set_x"]), data["train_set_y"]
    X_test, Y_test = images_to_inputs(data["test_set_x"]), data["test_set_y"]
    print(f"{len(Y_train)} training and {len(Y_test)} test digits; {options.epochs} epochs, batch "
          f"{options.batch_size}, Adam learning rate {options.learning_rate}; {os.cpu_count()} CPUs")
    met = True
    for seed in options.seeds:
        start = time.perf_counter()
        trained, history = model["train_model"](X_train, Y_train, initialize_parameters(seed=seed),
                                                num_epochs=options.epochs, batch_size=options.batch_size,
                                                learning_rate=options.learning_rate, seed=seed)
        seconds = time.perf_counter() - start
        accuracy = float(np.mean(model["predict"](X_test, trained) == Y_test))
        ok = accuracy >= MIN_ACCURACY and seconds <= MAX_SECONDS
        met = met and ok
        print(f"seed {seed}: trained in {seconds:5.1f} s, final cost {history['loss'][-1]:.4f}, "
              f"test accuracy {accuracy:.2%} ({'ok' if ok else 'MISSED'})")
    print(f"target: test accuracy >= {MIN_ACCURACY:.0%} in <= {MAX_SECONDS:g} s: "
          + ("met" if met else "NOT met"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
