"""check.accuracy: passes a model that is right often enough, and says how far off one is that is not."""
import numpy as np
import pytest

import autograder
from autograder import CheckFailed
from autograder.accuracy import MIN_ACCURACY, digits
from autograder.nn import images_to_inputs
from autograder.verdict import Outcome

check_accuracy = autograder.checks("conv_application").accuracy


def oracle(hidden: bool, wrong_share: float = 0.0):
    """A 'model' that looks the digits up, and gets a given share of them wrong."""
    images, labels = digits(hidden)
    answers = {images_to_inputs(image[None]).tobytes(): label for image, label in zip(images, labels)}
    wrong = set(np.flatnonzero(np.arange(len(labels)) < wrong_share * len(labels)))

    def predict(X):
        found = np.array([answers[x[None].tobytes()] for x in X])
        return np.array([(label + 1) % 10 if k in wrong else label for k, label in enumerate(found)])
    return predict


@pytest.mark.parametrize("hidden", [False, True])
def test_a_model_right_often_enough_passes(hidden, capsys):
    _, labels = digits(hidden)
    check_accuracy("trained_model", oracle(hidden, wrong_share=0.02), hidden=hidden)
    right = len(labels) - int(np.ceil(0.02 * len(labels)))
    assert f"{right / len(labels):.1%} of the {len(labels)}" in capsys.readouterr().out


@pytest.mark.parametrize("hidden", [False, True])
def test_a_model_wrong_too_often_fails_with_its_accuracy(hidden):
    with pytest.raises(CheckFailed, match=r"classifies 9\d\.\d% of the \d+ (test|training) digits correctly") as failure:
        check_accuracy("trained_model", oracle(hidden, wrong_share=1 - MIN_ACCURACY + 0.02), hidden=hidden)
    assert failure.value.verdict.outcome is Outcome.NOT_ACCURATE


def test_a_wrong_output_shape_is_named():
    with pytest.raises(CheckFailed, match=r"predict\(X\) should be an array of shape \(360,\)"):
        check_accuracy("trained_model", lambda X: np.zeros((len(X), 10)), hidden=True)


def test_an_error_is_reported():
    with pytest.raises(CheckFailed, match="raised NameError"):
        check_accuracy("trained_model", lambda X: undefined_name, hidden=True)  # noqa: F821
