"""Grade a trained model (trusted side): train in the sandbox, classify here.

The test cell ``test_trained_model`` of "Train your CNN" asks for at least 95%
of the test digits right. The class grader checks it as the notebook's locked
training cell runs it: it calls the learner's ``train_model`` in the sandbox, on
the training digits, from ``initialize_parameters(seed)``, with the function's
own default settings, under a wall-clock limit of its own. Only the parameters
come back (plain arrays); the test digits never enter the sandbox. Here, in
the trusted process, the instructor's reference network classifies the test
digits with those parameters (:func:`autograder.accuracy.accuracy_of`), so the check
is about what training produced, not about ``predict``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..accuracy import TrainedModel, accuracy_of, digits
from ..nn import images_to_inputs, initialize_parameters
from ..verdict import Diagnosis, Difference, Outcome, Place, Shown, Verdict
from . import answers
from .sandbox import Call

PLACE = Place("training", False, 1, 1, "", "training")


def training_call(call_id: int, model: TrainedModel) -> Call:
    """The sandbox call that trains: ``train_model(X_train, Y_train, initialize_parameters(seed))``."""
    images, labels = digits(hidden=False)
    start = initialize_parameters(seed=model.seed)
    return Call(call_id, model.train, (images_to_inputs(images), labels, start), {}, seconds=model.seconds)


def _parameters(value: object, model: TrainedModel) -> tuple[dict | None, dict]:
    """The trained parameters in what ``train_model`` returned, or None and what is wrong with it (as data)."""
    expected = initialize_parameters(seed=model.seed)
    found = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else value
    if not isinstance(found, dict):
        return None, {"kind": "not_dict", "type": type(value).__name__}
    for key, start in expected.items():
        got = found.get(key)
        if not isinstance(got, np.ndarray) or got.shape != start.shape or not np.issubdtype(got.dtype, np.number):
            shown = Shown.of(got)
            got = {k: v for k, v in shown.__dict__.items() if v is not None}
            return None, {"kind": "wrong", "key": key, "got": got,
                          "shape": str(start.shape)}
        if not np.all(np.isfinite(got)):
            return None, {"kind": "not_finite", "key": key}
    return {key: found[key].astype(float) for key in expected}, {}


def verdict(name: str, model: TrainedModel, message: dict | None, predict: Callable) -> Verdict:
    """The verdict of the trained-model check: the learner's training, scored by the reference's ``predict``.

    ``predict(X, parameters)`` is the reference's: it classifies the test digits with the trained parameters."""
    train = model.train
    answer = answers.read(message)
    if answer.missing:
        return Verdict(train, Outcome.MISSING)
    if answer.stop:
        return Verdict(train, Outcome.DID_NOT_FINISH, PLACE, stop=answer.stop)
    if answer.not_implemented:
        return Verdict(train, Outcome.NOT_WRITTEN)
    if answer.raised:
        raised = answer.raised
        return Verdict(name, Outcome.RAISED, PLACE, raised=raised, diagnosis=Diagnosis(
            "training_raised", "training", {"text": raised.text, "line": raised.line}))
    if not answer.ok:
        return Verdict(train, Outcome.WRONG_TYPE, PLACE, difference=Difference(
            "too_large" if answer.too_large else "unreadable", train, size=answer.too_large))
    parameters, problem = _parameters(answer.value, model)
    if parameters is None:
        return Verdict(name, Outcome.WRONG_TYPE, PLACE, diagnosis=Diagnosis(
            "bad_parameters", "training", {"keys": ", ".join(initialize_parameters()), "problem": problem}))
    images, labels = digits(hidden=True)
    predicted = np.asarray(predict(images_to_inputs(images), parameters))
    return accuracy_of(name, Place("test", True, 1, 1, f"{len(labels)} test digits", "training"),
                       float(np.mean(predicted == labels)), len(labels), "test", model.needed)
