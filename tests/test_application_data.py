"""Assignment 3's data: datasets/digits.h5 is what instructor/datasets.py makes from scikit-learn's digits."""
import h5py
import nbformat
import numpy as np

from autograder import accuracy
from instructor import datasets, reference
from tests.helpers import APPLICATION

H5 = reference.REPO / datasets.H5


def test_the_script_reproduces_the_committed_files():
    assert datasets.main(["--check"]) == 0


def test_the_file_has_the_course_layout_and_a_fixed_split():
    with h5py.File(H5, "r") as store:
        assert set(store) == set(datasets.NAMES)
        x_train, y_train = store["train_set_x"][()], store["train_set_y"][()]
        x_test, y_test = store["test_set_x"][()], store["test_set_y"][()]
        assert [name.decode() for name in store["list_classes"][()]] == [str(k) for k in range(10)]
        assert "scikit-learn" in store.attrs["generated_by"]
    assert x_train.shape == (1797 - datasets.TEST_SIZE, 8, 8) and x_test.shape == (datasets.TEST_SIZE, 8, 8)
    assert x_train.dtype == np.uint8 and 0 <= x_train.min() and x_train.max() == 16
    assert y_train.shape == (len(x_train),) and y_test.shape == (len(x_test),)
    assert set(np.unique(y_train)) == set(range(10)) == set(np.unique(y_test))
    assert np.bincount(y_test).min() >= 20  # every class is tested


def test_the_splits_are_disjoint_and_together_are_scikit_learns_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    data = datasets.read_h5(H5)
    together = np.concatenate([data["train_set_x"], data["test_set_x"]]).reshape(1797, -1)
    original = digits.images.astype(np.uint8).reshape(1797, -1)
    assert sorted(map(bytes, together)) == sorted(map(bytes, original))
    labels = np.concatenate([data["train_set_y"], data["test_set_y"]])
    assert np.array_equal(np.sort(labels), np.sort(digits.target))


def test_the_accuracy_check_scores_against_the_same_digits():
    data = datasets.read_h5(H5)
    for hidden, prefix in ((False, "train"), (True, "test")):
        images, labels = accuracy.digits(hidden)
        assert np.array_equal(images, data[f"{prefix}_set_x"]) and np.array_equal(labels, data[f"{prefix}_set_y"])


def test_the_notebook_reads_the_digits_with_h5py_only():
    for notebook in (APPLICATION.notebook,
                     reference.REPO / "release" / "conv_application" / "conv_application.ipynb"):
        text = "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells)
        assert 'h5py.File("datasets/digits.h5", "r")' in text
        assert "sklearn" not in text and "load_digits" not in text
    assert (reference.REPO / "release" / "conv_application" / "datasets" / "digits.h5").read_bytes() == H5.read_bytes()
