"""check.accuracy: passes a model that is right often enough, and says how far off one is that is not.

The visible check scores the validation digits (the notebook's split of the training digits), the hidden one
the test digits."""
import numpy as np
import pytest

import autograder
from autograder import CheckFailed
from autograder.accuracy import MIN_ACCURACY, digits, scored_digits
from autograder.nn import images_to_inputs, validation_split
from autograder.verdict import Outcome

check_accuracy = autograder.checks("conv_application").accuracy


def oracle(hidden: bool, wrong_share: float = 0.0):
    """A 'model' that looks the digits up, and gets a given share of them wrong."""
    images, labels, _ = scored_digits(hidden)
    answers = {images_to_inputs(image[None]).tobytes(): label for image, label in zip(images, labels)}
    wrong = set(np.flatnonzero(np.arange(len(labels)) < wrong_share * len(labels)))

    def predict(X):
        found = np.array([answers[x[None].tobytes()] for x in X])
        return np.array([(label + 1) % 10 if k in wrong else label for k, label in enumerate(found)])
    return predict


@pytest.mark.parametrize("hidden", [False, True])
def test_a_model_right_often_enough_passes(hidden, capsys):
    _, labels, _ = scored_digits(hidden)
    check_accuracy("trained_model", oracle(hidden, wrong_share=0.02), hidden=hidden)
    right = len(labels) - int(np.ceil(0.02 * len(labels)))
    assert f"{right / len(labels):.1%} of the {len(labels)}" in capsys.readouterr().out


@pytest.mark.parametrize("hidden", [False, True])
def test_a_model_wrong_too_often_fails_with_its_accuracy(hidden):
    said = r"classifies 9\d\.\d% of the \d+ (test|validation) digits correctly"
    with pytest.raises(CheckFailed, match=said) as failure:
        check_accuracy("trained_model", oracle(hidden, wrong_share=1 - MIN_ACCURACY + 0.02), hidden=hidden)
    assert failure.value.verdict.outcome is Outcome.NOT_ACCURATE


def test_a_wrong_output_shape_is_named():
    with pytest.raises(CheckFailed, match=r"predict\(X\) should be an array of shape \(360,\)"):
        check_accuracy("trained_model", lambda X: np.zeros((len(X), 10)), hidden=True)


def test_an_error_is_reported():
    with pytest.raises(CheckFailed, match="raised NameError"):
        check_accuracy("trained_model", lambda X: undefined_name, hidden=True)  # noqa: F821


def test_the_visible_check_scores_the_validation_digits_that_the_notebook_sets_aside():
    """The 287 validation digits: the notebook's split (autograder.nn.validation_split) of the training digits."""
    images, labels = digits(hidden=False)
    _, val_rows = validation_split(len(labels))
    scored, scored_labels, which = scored_digits(hidden=False)
    assert which == "validation" and len(scored_labels) == len(labels) // 5 == 287
    np.testing.assert_array_equal(scored, images[val_rows])
    np.testing.assert_array_equal(scored_labels, labels[val_rows])
    test_images, test_labels = digits(hidden=True)
    assert scored_digits(hidden=True)[2] == "test" and len(scored_digits(hidden=True)[1]) == len(test_labels) == 360
