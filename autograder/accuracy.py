"""Is a trained model good enough? The accuracy check of assignment 3's trained model.

The test cell of the trained model calls ``check.accuracy(name, predict)``
(:meth:`autograder.checks.Checks.accuracy`)::

    check.accuracy("trained_model", lambda X: predict(X, parameters))               # validation digits
    check.accuracy("trained_model", lambda X: predict(X, parameters), hidden=True)  # test digits (graded)

The visible check scores the validation digits, the fifth of the training digits that
the notebook sets aside (:func:`autograder.nn.validation_split`) and trains without; the
hidden one, graded, the test digits. ``predict`` gets network inputs (``autograder.nn.images_to_inputs`` of the
stored images, the notebook's own preprocessing) and must return one class per
image. The digits and their labels are the committed copy of
``datasets/digits.h5`` (``autograder/data/conv_application_digits.npz``,
written by ``python -m instructor.datasets``), so nothing in the learner's
notebook can change what the model is scored against. The class grader scores
a model it trained itself the same way (:mod:`autograder.grading.training`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from .casefile import DATA_DIR
from .nn import images_to_inputs, validation_split
from .verdict import Accuracy, Diagnosis, Difference, Outcome, Place, Raised, Shown, Verdict

MIN_ACCURACY = 0.95  # the spec: the trained model must classify at least 95% of the test digits


@dataclass(frozen=True)
class TrainedModel:
    """A graded cell checked by training: the grader calls ``train(X_train, Y_train, initial parameters)``
    (:mod:`autograder.grading.training`). An assignment declares it; the grading plan carries it."""

    train: str  # the learner's function that trains, e.g. "train_model"
    seed: int  # of initialize_parameters
    seconds: float  # wall clock allowed for the training call
    needed: float = MIN_ACCURACY  # share of the test digits that must be classified right
DIGITS = DATA_DIR / "conv_application_digits.npz"


@lru_cache(maxsize=None)
def _digits() -> dict[str, np.ndarray]:
    with np.load(DIGITS, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def digits(hidden: bool) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the test set if ``hidden``, else of the training set."""
    data = _digits()
    prefix = "test" if hidden else "train"
    return data[f"{prefix}_set_x"], data[f"{prefix}_set_y"]


def scored_digits(hidden: bool) -> tuple[np.ndarray, np.ndarray, str]:
    """(images, labels, which) that a check scores: the test digits if ``hidden``, else the validation digits."""
    images, labels = digits(hidden)
    if hidden:
        return images, labels, "test"
    _, val_rows = validation_split(len(labels))
    return images[val_rows], labels[val_rows], "validation"


def accuracy_verdict(name: str, predict: Callable, hidden: bool, needed: float = MIN_ACCURACY,
                     line_of: Callable[[BaseException], str | None] = lambda error: None) -> Verdict:
    """Does ``predict`` classify at least ``needed`` of the (test if ``hidden``, else validation) digits right?"""
    images, labels, which = scored_digits(hidden)
    place = Place(which, hidden, 1, 1, f"{len(labels)} {which} digits", "training")
    try:
        predicted = predict(images_to_inputs(images))
    except Exception as error:  # the learner's code may raise anything; say so
        raised = Raised(type(error).__name__, str(error), line_of(error))
        if isinstance(error, NotImplementedError):  # a function it needs is still the stub
            return Verdict(name, Outcome.NOT_WRITTEN, place, raised=raised)
        return Verdict(name, Outcome.RAISED, place, raised=raised)
    predicted = np.asarray(predicted)
    if predicted.shape != labels.shape or not np.issubdtype(predicted.dtype, np.number):
        return Verdict(name, Outcome.WRONG_TYPE, place, difference=Difference(
            "not_array", "predict(X)", Shown.of(labels), Shown.of(predicted)))
    return accuracy_of(name, place, float(np.mean(predicted == labels)), len(labels), which, needed)


def accuracy_of(name: str, place: Place, accuracy: float, count: int, which: str, needed: float) -> Verdict:
    score = Accuracy(accuracy, count, needed, which)
    if accuracy >= needed:
        return Verdict(name, Outcome.PASSED, place, accuracy=score)
    return Verdict(name, Outcome.NOT_ACCURATE, place, accuracy=score, diagnosis=Diagnosis("train_harder", "training"))
