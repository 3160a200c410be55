"""Assignment 3's reference network agrees with the same network in PyTorch, and trains like it.

- The layers cell of the instructor notebook is assignment 2's solution, cell for cell.
- On random tie-free inputs, the reference's cost and gradients equal PyTorch autograd's
  for the same architecture (conv 3x3 pad 1 -> ReLU -> maxpool 2 -> conv -> ReLU -> maxpool
  -> flatten (NHWC order) -> dense -> softmax cross-entropy).
- Trained on the digits with the same initial parameters, mini-batches and Adam settings,
  the reference and PyTorch reach test accuracies within a few points of each other, both
  at least 95%. (The training is shortened to keep the suite fast: bench/training.py
  measures the full one.)
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from autograder.nn import images_to_inputs, initialize_parameters
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


def test_the_layers_cell_is_assignment_2s_solution():
    layers = APPLICATION.sources()["layers"]
    vectorized = VECTORIZED.sources()
    for name in ("conv_forward", "pool_forward", "conv_backward", "pool_backward"):
        assert vectorized[name] in layers, name


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
