"""Given pieces of the network of assignment 3 ("Train your CNN"): not graded, so they may live here.

The convolution and pooling layers are the learner's own (assignment 2); this
module gives the rest, in the same forward/backward style with a cache:

- :func:`relu_forward`, :func:`relu_backward`;
- :func:`dense_forward`, :func:`dense_backward`: a fully connected layer;
- :func:`softmax_cross_entropy`: the cost of the logits, and its gradient;
- :func:`initialize_parameters`: He-initialized filters and weights, zero biases;
- :func:`images_to_inputs`: digit images as network inputs;
- :func:`validation_split`: the rows of the training digits set aside for validation, the same for everyone.

Shapes follow the course: NHWC activations, filters ``(f, f, n_C_prev, n_C)``,
labels as integers ``0 .. n_classes - 1``.
"""
from __future__ import annotations

import numpy as np


def relu_forward(Z):
    """ReLU, element by element.

    Arguments:
    Z -- numpy array of any shape

    Returns:
    A -- max(Z, 0), of the shape of Z
    cache -- Z, for relu_backward
    """
    return np.maximum(Z, 0), Z


def relu_backward(dA, cache):
    """Gradient of ReLU: dA where the input was positive, 0 elsewhere.

    Arguments:
    dA -- numpy array: gradient of the cost with respect to the output of relu_forward
    cache -- Z, as returned by relu_forward

    Returns:
    dZ -- numpy array of the shape of dA
    """
    return dA * (cache > 0)


def dense_forward(A_prev, W, b):
    """A fully connected layer: A_prev @ W + b.

    Arguments:
    A_prev -- numpy array of shape (m, n_prev)
    W -- numpy array of shape (n_prev, n)
    b -- numpy array of shape (1, n)

    Returns:
    Z -- numpy array of shape (m, n)
    cache -- (A_prev, W, b), for dense_backward
    """
    return A_prev @ W + b, (A_prev, W, b)


def dense_backward(dZ, cache):
    """Backward pass of dense_forward.

    Arguments:
    dZ -- numpy array of shape (m, n): gradient of the cost with respect to Z
    cache -- (A_prev, W, b), as returned by dense_forward

    Returns:
    dA_prev -- numpy array of shape (m, n_prev)
    dW -- numpy array of shape (n_prev, n)
    db -- numpy array of shape (1, n)
    """
    A_prev, W, b = cache
    return dZ @ W.T, A_prev.T @ dZ, np.sum(dZ, axis=0, keepdims=True)


def softmax_cross_entropy(logits, Y):
    """Mean cross-entropy of the softmax of the logits, and its gradient with respect to the logits.

    Arguments:
    logits -- numpy array of shape (m, n_classes): the network's scores
    Y -- integer numpy array of shape (m,): the true classes

    Returns:
    cost -- float: -mean(log(softmax(logits)[i, Y[i]]))
    dlogits -- numpy array of shape (m, n_classes): (softmax(logits) - one_hot(Y)) / m
    """
    m = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)  # the same softmax, without overflow
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(m)
    cost = -float(np.mean(log_probs[rows, Y]))
    dlogits = np.exp(log_probs)
    dlogits[rows, Y] -= 1
    return cost, dlogits / m


def initialize_parameters(n_C_in=1, n_C1=8, n_C2=16, n_flat=64, n_classes=10, seed=0):
    """Parameters of conv(3x3, n_C1) -> pool -> conv(3x3, n_C2) -> pool -> dense(n_classes).

    Filters and weights are drawn from a normal distribution scaled by sqrt(2 / fan_in)
    (He initialization, suited to ReLU); biases start at 0.

    Arguments:
    n_C_in, n_C1, n_C2 -- ints: channels of the input and of the two convolutions
    n_flat -- int: length of the flattened output of the second pooling layer
    n_classes -- int
    seed -- int: the seed of the random generator

    Returns:
    parameters -- dict with "W1" (3, 3, n_C_in, n_C1), "b1" (1, 1, 1, n_C1), "W2" (3, 3, n_C1, n_C2),
                  "b2" (1, 1, 1, n_C2), "W3" (n_flat, n_classes), "b3" (1, n_classes)
    """
    generator = np.random.default_rng(seed)
    return {
        "W1": generator.standard_normal((3, 3, n_C_in, n_C1)) * np.sqrt(2 / (9 * n_C_in)),
        "b1": np.zeros((1, 1, 1, n_C1)),
        "W2": generator.standard_normal((3, 3, n_C1, n_C2)) * np.sqrt(2 / (9 * n_C1)),
        "b2": np.zeros((1, 1, 1, n_C2)),
        "W3": generator.standard_normal((n_flat, n_classes)) * np.sqrt(2 / n_flat),
        "b3": np.zeros((1, n_classes)),
    }


def images_to_inputs(images):
    """Digit images as network inputs: the grey levels 0..16 scaled to [0, 1], in one channel.

    Arguments:
    images -- integer numpy array of shape (m, 8, 8): pixels from 0 to 16

    Returns:
    X -- numpy array of shape (m, 8, 8, 1) of floats in [0, 1]
    """
    images = np.asarray(images, dtype=float)
    return (images / 16.0).reshape(*images.shape, 1)


VALIDATION_SEED = 1  # the split is drawn once, by a generator with this seed: the same for every learner


def validation_split(count, seed=VALIDATION_SEED):
    """The rows of a training set of ``count`` examples, split into training and validation rows.

    One fifth of the rows (``count // 5``), drawn at random by ``np.random.default_rng(seed)``, are for
    validation, the other rows for training.

    Arguments:
    count -- int: the number of examples of the training set
    seed -- int: the seed of the draw

    Returns:
    train_rows -- integer numpy array of shape (count - count // 5,)
    val_rows -- integer numpy array of shape (count // 5,)
    """
    order = np.random.default_rng(seed).permutation(count)
    n_val = count // 5
    return order[n_val:], order[:n_val]
