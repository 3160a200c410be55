"""``check_accuracy(name, predict)``: does a trained model classify enough digits correctly?

The test cell of assignment 3's trained model calls it::

    check_accuracy("trained_model", lambda X: predict(X, parameters))               # training digits
    check_accuracy("trained_model", lambda X: predict(X, parameters), hidden=True)  # test digits (graded)

``predict`` gets network inputs (``autograder.nn.images_to_inputs`` of the
stored images, the notebook's own preprocessing) and must return one class per
image. The digits and their labels are the committed copy of
``datasets/digits.h5`` (``autograder/data/conv_application_digits.npz``,
written by ``python -m instructor.datasets``), so nothing in the learner's
notebook can change what the model is scored against.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

from .check import CheckFailed
from .nn import images_to_inputs
from .casefile import DATA_DIR

MIN_ACCURACY = 0.95  # the spec: the trained model must classify at least 95% of the test digits
DIGITS = DATA_DIR / "conv_application_digits.npz"

MESSAGES = {
    "passed": "{name}: {accuracy:.1%} of the {count} {which} digits are classified correctly "
              "(at least {needed:.0%} needed).",
    "too_low": "{name} is not good enough yet: it classifies {accuracy:.1%} of the {count} {which} digits correctly, "
               "and at least {needed:.0%} is needed.\nHint: make sure the gradient check above passes, then train "
               "for more epochs or with another learning rate, and look at the loss curve: it should fall steadily.",
    "wrong_output": "{name} should return one class (an integer from 0 to 9) per image: an array of shape ({count},), "
                    "but it returned {got}.",
    "raised": "{name} raised {error} when it was asked to classify the {which} digits.",
    "training_raised": "{name}: train_model raised {error} while it trained on the training digits{where}.",
    "bad_parameters": "{name}: train_model should return (parameters, history), with parameters a dict of {keys} "
                      "of the shapes initialize_parameters gives them, but {got}.",
}


@lru_cache(maxsize=None)
def _digits() -> dict[str, np.ndarray]:
    with np.load(DIGITS, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def digits(hidden: bool) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the test set if ``hidden``, else of the training set."""
    data = _digits()
    prefix = "test" if hidden else "train"
    return data[f"{prefix}_set_x"], data[f"{prefix}_set_y"]


def score(name: str, predict: Callable, hidden: bool = False, needed: float = MIN_ACCURACY) -> tuple[bool, str]:
    """(passed, message): does ``predict`` classify at least ``needed`` of the digits correctly?"""
    images, labels = digits(hidden)
    which = "test" if hidden else "training"
    try:
        predicted = predict(images_to_inputs(images))
    except Exception as error:  # the learner's code may raise anything; say so
        return False, MESSAGES["raised"].format(name=name, error=f"{type(error).__name__}: {error}", which=which)
    predicted = np.asarray(predicted)
    if predicted.shape != labels.shape or not np.issubdtype(predicted.dtype, np.number):
        got = f"an array of shape {predicted.shape} and dtype {predicted.dtype}"
        return False, MESSAGES["wrong_output"].format(name=name, count=len(labels), got=got)
    accuracy = float(np.mean(predicted == labels))
    values = dict(name=name, accuracy=accuracy, count=len(labels), which=which, needed=needed)
    return accuracy >= needed, MESSAGES["passed" if accuracy >= needed else "too_low"].format(**values)


def check_accuracy(name: str, predict: Callable, hidden: bool = False, needed: float = MIN_ACCURACY) -> None:
    """Fail (CheckFailed) unless ``predict`` classifies at least ``needed`` of the digits correctly."""
    passed, message = score(name, predict, hidden, needed)
    if not passed:
        raise CheckFailed(message)
    print(message)
