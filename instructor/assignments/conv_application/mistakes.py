"""Assignment 3's catalogue of mistakes, "Train your CNN": edits of its model cells.

Each is a way to get the network's forward or backward pass wrong while every
layer is right; each must fail the checks of ``model_cost_and_gradients``
(tests/test_application_mistakes.py).
"""
from __future__ import annotations

from ...mistake import Mistake, hints

BREAKS = frozenset({"model_cost_and_gradients"})

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "first_relu_forgotten", "model_forward",
        (("A1, relu1_cache = relu_forward(Z1)", "A1, relu1_cache = Z1, Z1"),),
        hints("the first convolution's output went to the pooling layer without its ReLU. Every convolution of "
              "this network is followed by relu_forward, and its cache by relu_backward in the backward pass.",
              "第一个卷积的输出没有经过 ReLU 就进了池化层。这个网络里每个卷积后面都跟着 relu_forward，"
              "反向传播时它的缓存要交给 relu_backward。"),
        BREAKS,
    ),
    Mistake(
        "relu_skipped_in_backward", "model_backward",
        (("dZ2 = relu_backward(dA2, relu2_cache)", "dZ2 = dA2"),),
        hints("the gradient went back through the second ReLU without its mask. A ReLU passes the gradient only "
              "where its input was positive: send the gradient through relu_backward, with that ReLU's cache.",
              "梯度穿过第二个 ReLU 时没有用它的掩码。ReLU 只在输入为正的地方传递梯度：把梯度连同这个 ReLU "
              "的缓存一起交给 relu_backward。"),
        BREAKS,
    ),
    Mistake(
        "pool_backward_mode_average", "model_backward",
        (('dA2 = pool_backward(dP2, pool2_cache, mode="max")',
          'dA2 = pool_backward(dP2, pool2_cache, mode="average")'),),
        hints('the backward pass of a pooling layer used mode="average" where its forward pass used "max". The '
              "two passes of a layer must agree: the gradient of a maximum goes to the maximum alone.",
              '池化层的反向传播用了 mode="average"，而它的前向传播用的是 "max"。同一层的前向和反向必须一致：'
              "最大值的梯度只传给最大值本身。"),
        BREAKS,
    ),
    Mistake(
        "flatten_not_undone", "model_backward",
        (("dP2 = dF.reshape(P2_shape)", "dP2 = dF.reshape(P2_shape[0], P2_shape[3], P2_shape[1], "
                                        "P2_shape[2]).transpose(0, 2, 3, 1)"),),
        hints("the gradient of the flattened activations was reshaped in another order than the forward pass "
              "flattened them. Undo the forward reshape exactly: reshape the gradient to the shape that P2 had, "
              "kept in the cache for this purpose.",
              "展平后激活值的梯度被按照与前向展平不同的顺序重新排列了。要原样撤销前向的 reshape："
              "把梯度 reshape 成 P2 原来的形状（缓存里专门保存了它）。"),
        BREAKS,
    ),
)
