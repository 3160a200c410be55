"""Assignment 3's reference network agrees with the same network in PyTorch, and trains like it.

- The layers cell of the instructor notebook is assignment 2's solution, cell for cell.
- On random tie-free inputs, the reference's cost and gradients equal PyTorch autograd's
  for the same architecture (conv 3x3 pad 1 -> ReLU -> maxpool 2 -> conv -> ReLU -> maxpool
  -> flatten (NHWC order) -> dense -> softmax cross-entropy).
- Trained on the digits with the same initial parameters, mini-batches and Adam settings,
  the reference and PyTorch reach test accuracies within a few points of each other, both
  at least 95%. (The training is shortened to keep the suite fast: bench/training.py
  measures the full one.)
- The notebook's gradient-check cell, run on the reference over ten draws of its noise and
  entries, passes every parameter, with relative errors a hundred times under its threshold,
  and none of its steps crosses a kink (a ReLU input changing sign, a pooling window's
  maximum changing place, or a tie above 0); on catalogued mistakes it calls for attention.
  Its pooling windows tie only at 0, as many as the lesson says.
- ``train_model`` follows the validation accuracy when given ``X_val``, ``Y_val`` (the
  notebook's fixed split of the training digits), and trains without them as the grader calls it.
"""
from __future__ import annotations

import contextlib
import io
import inspect

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import autograder
from autograder import gradcheck
from autograder.nn import images_to_inputs, initialize_parameters, validation_split
from instructor import datasets, reference
from instructor.assignments.conv_application import cases as cases_application
from tests.helpers import APPLICATION, VECTORIZED

ASSIGNMENT = "conv_application"
EPOCHS, BATCH, LEARNING_RATE = 6, 32, 0.005


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One BLAS thread for numpy and PyTorch: on a busy machine, threads that wait for each other make small
    matrix products many times slower (the suite runs two test processes on two cores)."""
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model() -> dict:
    return APPLICATION.reference()


@pytest.fixture(scope="module")
def digits():
    data = datasets.read_h5(reference.REPO / datasets.H5)
    return (images_to_inputs(data["train_set_x"]), data["train_set_y"],
            images_to_inputs(data["test_set_x"]), data["test_set_y"])


def torch_logits(X: np.ndarray, p: dict[str, torch.Tensor]) -> torch.Tensor:
    def conv(a, W, b):
        return F.conv2d(a, W.permute(3, 2, 0, 1).contiguous(), b.reshape(-1), padding=1)

    a = torch.as_tensor(np.ascontiguousarray(X.transpose(0, 3, 1, 2)))
    a = F.max_pool2d(F.relu(conv(a, p["W1"], p["b1"])), 2)
    a = F.max_pool2d(F.relu(conv(a, p["W2"], p["b2"])), 2)
    flat = a.permute(0, 2, 3, 1).reshape(a.shape[0], -1)  # NHWC order, as the numpy network flattens
    return flat @ p["W3"] + p["b3"]


def _code(text: str) -> str:
    """``text`` without its comment lines (nbgrader's markers and a skeleton's comments) and blank lines."""
    return "\n".join(line for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def test_the_layers_cell_is_assignment_2s_solution():
    """Line for line, once comments are set aside: assignment 2's cells are skeletons with comments, assignment 3's
    layers cell one stub a function, to paste the layers into."""
    layers = _code(APPLICATION.sources()["layers"])
    vectorized = VECTORIZED.sources()
    for name in ("conv_forward", "pool_forward", "conv_backward", "pool_backward"):
        assert _code(vectorized[name]) in layers, name


@pytest.mark.parametrize("case", cases_application.CASES, ids=lambda c: c.id)
def test_cost_and_gradients_equal_pytorch_autograd(model, case):
    (X, Y, parameters), _ = cases_application.INPUTS[case.function](np.random.RandomState(case.seed + 1000),
                                                                   case.params, model)
    cost, grads = model["model_cost_and_gradients"](X, Y, parameters)
    p = {name: torch.tensor(value, requires_grad=True) for name, value in parameters.items()}
    loss = F.cross_entropy(torch_logits(X, p), torch.as_tensor(Y))
    loss.backward()
    assert cost == pytest.approx(loss.item(), rel=1e-12)
    assert set(grads) == set(parameters)
    for name in parameters:
        np.testing.assert_allclose(grads[name], p[name].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def torch_train(X, Y, parameters, seed):
    p = {name: torch.tensor(value, requires_grad=True) for name, value in parameters.items()}
    optimizer = torch.optim.Adam(p.values(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    rng = np.random.default_rng(seed)
    for _ in range(EPOCHS):
        order = rng.permutation(len(Y))
        for start in range(0, len(Y), BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad()
            F.cross_entropy(torch_logits(X[batch], p), torch.as_tensor(Y[batch])).backward()
            optimizer.step()
    return p


def test_training_reaches_the_accuracy_of_pytorch_on_the_same_data(model, digits):
    X_train, Y_train, X_test, Y_test = digits
    initial = initialize_parameters(seed=0)
    trained, history = model["train_model"](X_train, Y_train, initial, num_epochs=EPOCHS, batch_size=BATCH,
                                            learning_rate=LEARNING_RATE, seed=0)
    ours = float(np.mean(model["predict"](X_test, trained) == Y_test))
    torch_parameters = torch_train(X_train, Y_train, initial, seed=0)
    with torch.no_grad():
        theirs = float(np.mean(torch_logits(X_test, torch_parameters).argmax(1).numpy() == Y_test))
    assert len(history["loss"]) == EPOCHS and history["loss"][-1] < history["loss"][0]
    assert ours >= 0.95 and theirs >= 0.95, (ours, theirs)
    assert abs(ours - theirs) <= 0.03, (ours, theirs)


# ---- the notebook's gradient-check cell and validation split, run on the reference ---------------------------

def notebook_cell(containing: str) -> str:
    """The source of the one code cell of the instructor notebook that contains ``containing``."""
    cells = [cell.source for cell in nbformat.read(APPLICATION.notebook, as_version=4).cells
             if cell.cell_type == "code" and containing in cell.source]
    assert len(cells) == 1, containing
    return cells[0]


@pytest.fixture(scope="module")
def notebook_data(model):
    """The notebook's X_train, Y_train, X_val, Y_val: its own split cell, run on the stored digits."""
    data = datasets.read_h5(reference.REPO / datasets.H5)
    scope = {"np": np, "images_to_inputs": images_to_inputs, "validation_split": validation_split, **data}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(notebook_cell("validation_split(len(train_set_y))"), scope)
    return {name: scope[name] for name in ("X_train", "Y_train", "X_val", "Y_val")}


def pooling_windows(model, X, parameters):
    """For each of the network's two blocks: its convolution's output Z, and the entries of each 2 x 2 window of its
    max pooling (after the ReLU), one row a window."""
    A = X
    for layer in ("1", "2"):
        Z, _ = model["conv_forward"](A, parameters["W" + layer], parameters["b" + layer], model["CONV_HPARAMETERS"])
        A = np.maximum(Z, 0)
        m, n_H, n_W, n_C = A.shape
        windows = A.reshape(m, n_H // 2, 2, n_W // 2, 2, n_C).transpose(0, 1, 3, 5, 2, 4).reshape(-1, 4)
        yield Z, windows
        A = windows.max(axis=1).reshape(m, n_H // 2, n_W // 2, n_C)


def kinks(model, X, parameters) -> tuple[np.ndarray, ...]:
    """Where the network stands with respect to its kinks: the signs of both ReLUs' inputs and the place of each
    2 x 2 pooling window's maximum; asserts that no window with a positive maximum has a tie."""
    found = []
    for Z, windows in pooling_windows(model, X, parameters):
        top = np.sort(windows, axis=1)
        assert not np.any((top[:, 3] > 0) & (top[:, 3] == top[:, 2])), "a pooling window with a tie"
        found += [Z > 0, np.argmax(windows, axis=1)]
    return tuple(found)


class RecordedCheck:
    """The notebook's ``check``, which also keeps what each ``check.gradients`` compared, as data."""

    def __init__(self) -> None:
        self.check = autograder.checks(ASSIGNMENT)
        self.comparisons: list[gradcheck.Comparison] = []

    def gradients(self, label, threshold=gradcheck.LAYER_THRESHOLD, **pairs):
        self.comparisons += gradcheck.compare(pairs, threshold)
        return self.check.gradients(label, threshold, **pairs)


def run_gradient_check(model, data, seed: int):
    """Run the notebook's gradient-check cell with ``np.random.default_rng(seed)`` on ``model``'s network.

    Returns {parameter: (its comparison, its printed line)}, the threshold, and the kink patterns of every call
    of model_cost_and_gradients that the cell made (the first at the unperturbed parameters)."""
    cell = notebook_cell("check.gradients(")
    assert cell.count("np.random.default_rng(0)") == 1
    patterns = []

    def recording(X, Y, parameters):
        patterns.append(kinks(model, X, parameters))
        return model["model_cost_and_gradients"](X, Y, parameters)

    recorder = RecordedCheck()
    scope = {**model, **data, "np": np, "gradcheck": gradcheck, "check": recorder,
             "parameters": initialize_parameters(seed=0), "model_cost_and_gradients": recording}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(cell.replace("np.random.default_rng(0)", f"np.random.default_rng({seed})"), scope)
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(recorder.comparisons)
    found = {comparison.name: (comparison, line) for comparison, line in zip(recorder.comparisons, lines)}
    return found, scope["THRESHOLD"], patterns


@pytest.mark.parametrize("seed", range(10))
def test_the_gradient_check_cell_passes_the_reference_far_under_its_threshold(model, notebook_data, seed):
    found, threshold, _ = run_gradient_check(model, notebook_data, seed)
    assert list(found) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for name, (comparison, line) in found.items():
        assert comparison.passed and comparison.threshold == threshold, line
        assert comparison.error < threshold / 100, line
        assert line.startswith(f"model_cost_and_gradients, {name}: ") and line.endswith("PASS."), line


@pytest.mark.parametrize("seed", range(10))
def test_no_step_of_the_gradient_check_crosses_a_kink(model, notebook_data, seed):
    _, _, patterns = run_gradient_check(model, notebook_data, seed)
    unperturbed, steps = patterns[0], patterns[1:]
    assert len(steps) == 2 * (10 + 8 + 10 + 10 + 10 + 10)
    for step in steps:
        for before, after in zip(unperturbed, step):
            np.testing.assert_array_equal(after, before)


def test_pooling_windows_tie_only_at_zero_and_as_often_as_the_lesson_says(model, notebook_data):
    """The lesson's count of tied windows in the gradient check (seed 0, the initial parameters), measured."""
    rng = np.random.default_rng(0)
    X = notebook_data["X_train"][:3] + 0.2 * rng.random(notebook_data["X_train"][:3].shape)
    counts = []
    for _, windows in pooling_windows(model, X, initialize_parameters(seed=0)):
        top = np.sort(windows, axis=1)
        tied = top[:, 3] == top[:, 2]
        assert np.all(top[tied, 3] == 0)  # a tie is a window of zeros...
        assert np.all(tied == (top[:, 3] == 0))  # ...and every window of zeros is one
        counts.append((int(tied.sum()), len(windows)))
    text = next(cell.source for cell in nbformat.read(APPLICATION.notebook, as_version=4).cells
                if cell.source.startswith("### 4.3"))
    (first, of_first), (second, of_second) = counts
    assert f"{first} of the {of_first} windows of the first pooling layer, and {second} of the {of_second}" \
        in " ".join(text.split()), counts


@pytest.mark.parametrize("mistake", ["first_relu_forgotten", "relu_skipped_in_backward", "pool_backward_mode_average",
                                     "flatten_not_undone"])
def test_the_gradient_check_cell_calls_a_wrong_gradient_to_attention(notebook_data, mistake):
    model = APPLICATION.reference(APPLICATION.mistake(mistake).cells(APPLICATION.sources()))
    found, threshold, _ = run_gradient_check(model, notebook_data, seed=0)
    wrong = [name for name, (comparison, line) in found.items() if not comparison.passed]
    assert wrong and all(found[name][0].error > 1000 * threshold for name in wrong), found
    assert all("ATTENTION" in found[name][1] for name in wrong)


def test_the_validation_split_is_a_fifth_of_the_training_digits(notebook_data):
    data = datasets.read_h5(reference.REPO / datasets.H5)
    X_train, Y_train, X_val, Y_val = (notebook_data[name] for name in ("X_train", "Y_train", "X_val", "Y_val"))
    assert (len(Y_train), len(Y_val)) == (1150, 287)

    def pairs(X, Y):  # every (image, label) of a set, as a sorted list: the split must lose or add none
        return sorted((x.tobytes(), int(y)) for x, y in zip(X, Y))
    both = sorted(pairs(X_train, Y_train) + pairs(X_val, Y_val))
    assert both == pairs(images_to_inputs(data["train_set_x"]), data["train_set_y"])


def test_train_model_follows_the_validation_accuracy_and_trains_without_it_as_the_grader_calls_it(model,
                                                                                                  notebook_data):
    signature = inspect.signature(model["train_model"])
    assert list(signature.parameters)[:3] == ["X_train", "Y_train", "parameters"]
    assert signature.parameters["X_val"].default is None and signature.parameters["Y_val"].default is None
    X, Y = notebook_data["X_train"][:256], notebook_data["Y_train"][:256]
    X_val, Y_val = notebook_data["X_val"], notebook_data["Y_val"]
    trained, history = model["train_model"](X, Y, initialize_parameters(seed=0), num_epochs=2, X_val=X_val,
                                            Y_val=Y_val)
    assert [len(history[key]) for key in ("loss", "train_accuracy", "val_accuracy")] == [2, 2, 2]
    assert history["val_accuracy"][-1] == pytest.approx(np.mean(model["predict"](X_val, trained) == Y_val))
    again, without = model["train_model"](X, Y, initialize_parameters(seed=0), num_epochs=2)
    assert without["val_accuracy"] == [] and without["loss"] == history["loss"]
    for name in trained:
        np.testing.assert_array_equal(again[name], trained[name])  # following validation changes nothing
