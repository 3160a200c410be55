"""The catalogue of mistakes of assignment 3, "Train your CNN": edits of its model cells.

Each is a way to get the network's forward or backward pass wrong while every
layer is right; each must fail the checks of ``model_cost_and_gradients``
(tests/test_application_mistakes.py).
"""
from __future__ import annotations

from .mistakes import Mistake

BREAKS = frozenset({"model_cost_and_gradients"})

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "first_relu_forgotten", "model_forward",
        (("A1, relu1_cache = relu_forward(Z1)", "A1, relu1_cache = Z1, Z1"),),
        "the first convolution's output went to the pooling layer without its ReLU. Every convolution of this "
        "network is followed by relu_forward, and its cache by relu_backward in the backward pass.",
        BREAKS,
    ),
    Mistake(
        "relu_skipped_in_backward", "model_backward",
        (("dZ2 = relu_backward(dA2, relu2_cache)", "dZ2 = dA2"),),
        "the gradient went back through the second ReLU without its mask. A ReLU passes the gradient only "
        "where its input was positive: send the gradient through relu_backward, with that ReLU's cache.",
        BREAKS,
    ),
    Mistake(
        "pool_backward_mode_average", "model_backward",
        (('dA2 = pool_backward(dP2, pool2_cache, mode="max")',
          'dA2 = pool_backward(dP2, pool2_cache, mode="average")'),),
        'the backward pass of a pooling layer used mode="average" where its forward pass used "max". The two '
        "passes of a layer must agree: the gradient of a maximum goes to the maximum alone.",
        BREAKS,
    ),
    Mistake(
        "flatten_not_undone", "model_backward",
        (("dP2 = dF.reshape(P2_shape)", "dP2 = dF.reshape(P2_shape[0], P2_shape[3], P2_shape[1], "
                                        "P2_shape[2]).transpose(0, 2, 3, 1)"),),
        "the gradient of the flattened activations was reshaped in another order than the forward pass "
        "flattened them. Undo the forward reshape exactly: reshape the gradient to the shape that P2 had, "
        "kept in the cache for this purpose.",
        BREAKS,
    ),
)

BY_ID = {mistake.id: mistake for mistake in CATALOGUE}
