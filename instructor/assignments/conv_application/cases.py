"""The test cases of assignment 3, "Train your CNN", as data.

Graded function ``model_cost_and_gradients(X, Y, parameters)``, which returns
``(cost, grads)`` for the whole network (conv -> ReLU -> pool -> conv -> ReLU ->
pool -> dense -> softmax cross-entropy), on small batches of random 8 x 8
images with a few channels, so that the checks are fast:

- visible: the cost and gradients of the reference on a batch of two;
- hidden: the same on a batch of eight, and two **gradient checks**: the
  expected gradients are central differences of the reference's cost
  (``kind="gradient"``), so a learner whose forward and backward passes are
  consistently wrong together still fails.

The trained model is checked separately, on the digits (:mod:`autograder.accuracy`):
in the notebook by its test cell, and by the class grader by training it
(``TRAINED_MODELS``, :mod:`autograder.grading.training`).
"""
from __future__ import annotations

import numpy as np

from ...assignment import TrainedModel
from ...case import Case
from ...gradcheck import numerical_gradient

FUNCTIONS = ("model_cost_and_gradients",)
PARAMETER_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")


def _case(id: str, hidden: bool, seed: int, m: int, n_C1: int, n_C2: int, kind: str = "reference") -> Case:
    return Case("model_cost_and_gradients", id, hidden, seed, dict(m=m, n_C1=n_C1, n_C2=n_C2), kind)


CASES: tuple[Case, ...] = (
    _case("batch_2", False, 1, m=2, n_C1=2, n_C2=3),
    _case("batch_8", True, 303, m=8, n_C1=4, n_C2=8),
    _case("gradient_batch_2", True, 301, m=2, n_C1=2, n_C2=3, kind="gradient"),
    _case("gradient_batch_4", True, 302, m=4, n_C1=3, n_C2=4, kind="gradient"),
)


def _inputs(rng: np.random.RandomState, p: dict, reference: dict) -> tuple[tuple, dict]:
    """Images in [0, 1) of shape (m, 8, 8, 1), labels 0..9 and random parameters of the network.

    The first biases are positive, so that no 3 x 3 region of the first pooling's output is all zeros:
    there the second convolution would give its bias alone, equal entries would tie for a window's
    maximum, and the lessons' pooling gradient (sent to every tied entry) would differ from the true one.
    """
    m, n_C1, n_C2 = p["m"], p["n_C1"], p["n_C2"]
    X = rng.rand(m, 8, 8, 1)
    Y = rng.randint(0, 10, size=m).astype(np.int64)
    parameters = {
        "W1": rng.randn(3, 3, 1, n_C1) * 0.5, "b1": 0.5 + rng.rand(1, 1, 1, n_C1) * 0.5,
        "W2": rng.randn(3, 3, n_C1, n_C2) * 0.3, "b2": rng.randn(1, 1, 1, n_C2) * 0.1,
        "W3": rng.randn(2 * 2 * n_C2, 10) * 0.3, "b3": rng.randn(1, 10) * 0.1,
    }
    return (X, Y, parameters), {}


def _gradients(reference: dict, args: tuple, kwargs: dict):
    X, Y, parameters = args
    cost_of = reference["model_cost_and_gradients"]
    loss = lambda: float(cost_of(X, Y, parameters)[0])  # noqa: E731 (reads the perturbed parameters)
    return loss(), {name: numerical_gradient(loss, parameters[name]) for name in PARAMETER_NAMES}


# How the class grader grades the test cell "test_trained_model": it calls the learner's train_model on the
# training digits from initialize_parameters(seed), with train_model's own default settings (as the locked
# training cell of the notebook does), within `seconds` of wall clock, and classifies the test digits with the
# reference network and the parameters it returned.
TRAINED_MODELS = {"trained_model": TrainedModel(train="train_model", seed=0, seconds=300)}

INPUTS = {"model_cost_and_gradients": _inputs}
GRADIENT_ORACLES = {"model_cost_and_gradients": _gradients}
OUTPUT_NAMES = {"model_cost_and_gradients": ("cost", "grads")}
