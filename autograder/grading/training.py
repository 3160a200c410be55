"""Grade a trained model (trusted side): train in the sandbox, classify here.

The test cell ``test_trained_model`` of "Train your CNN" asks for at least 95%
of the test digits right. The class grader checks it as the notebook's locked
training cell runs it: it calls the learner's ``train_model`` in the sandbox, on
the training digits, from ``initialize_parameters(seed)``, with the function's
own default settings, under a wall-clock limit of its own. Only the parameters
come back (plain arrays); the test digits never enter the sandbox. Here, in
the trusted process, the instructor's reference network classifies the test
digits with those parameters (:func:`autograder.accuracy.score`), so the check
is about what training produced, not about ``predict``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import feedback, nn
from ..accuracy import MESSAGES, MIN_ACCURACY, digits, score
from . import wire
from .sandbox import Call

PLACE = "the training digits"


def training_call(call_id: int, how: dict) -> Call:
    """The sandbox call that trains: ``train_model(X_train, Y_train, initialize_parameters(seed))``."""
    images, labels = digits(hidden=False)
    start = nn.initialize_parameters(seed=how["seed"])
    return Call(call_id, how["train"], (nn.images_to_inputs(images), labels, start), {}, seconds=how["seconds"])


def _parameters(value: object, how: dict) -> tuple[dict | None, str]:
    """The trained parameters in what ``train_model`` returned, or None and what is wrong with it."""
    expected = nn.initialize_parameters(seed=how["seed"])
    found = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else value
    if not isinstance(found, dict):
        return None, f"it returned {type(value).__name__}"
    for key, start in expected.items():
        got = found.get(key)
        if not isinstance(got, np.ndarray) or got.shape != start.shape or not np.issubdtype(got.dtype, np.number):
            what = f"an array of shape {got.shape}" if isinstance(got, np.ndarray) else type(got).__name__
            return None, f"{key} is {what}, where {start.shape} was expected"
        if not np.all(np.isfinite(got)):
            return None, f"{key} holds NaN or infinite values (did the training diverge?)"
    return {key: found[key].astype(float) for key in expected}, ""


def verdict(name: str, how: dict, message: dict | None, predict: Callable) -> str | None:
    """The failure message of the trained-model check, or None when the model is good enough.

    ``predict(X, parameters)`` is the reference's: it classifies the test digits with the trained parameters."""
    train = how["train"]
    if message is None or message.get("missing"):
        return feedback.missing_function(train)
    if message.get("aborted"):
        return feedback.stopped(train, PLACE, str(message.get("error")))
    if not message.get("ok"):
        if message.get("not_implemented"):
            return feedback.not_written(train)
        line = message.get("line")
        return MESSAGES["training_raised"].format(name=name, error=message.get("error"),
                                                  where=f" (in your line `{line.strip()}`)" if line else "")
    try:
        value = wire.unpack(message.get("value"))
    except wire.WireError as error:
        return feedback.wrong_result(train, PLACE, f"What it returned could not be read ({error}).", None)
    parameters, problem = _parameters(value, how)
    if parameters is None:
        return MESSAGES["bad_parameters"].format(name=name, keys=", ".join(nn.initialize_parameters()),
                                                 got=problem)
    passed, text = score(name, lambda X: predict(X, parameters), hidden=True,
                         needed=how.get("needed", MIN_ACCURACY))
    return None if passed else text
