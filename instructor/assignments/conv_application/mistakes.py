"""Assignment 3's catalogue of mistakes, "Train your CNN": edits of its model cells.

Each is a way to get the network's forward or backward pass wrong while every
layer is right; each must fail the checks of ``model_cost_and_gradients``
(tests/test_mistakes.py).
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
              "反向传播时它的 cache 要交给 relu_backward。"),
        BREAKS,
    ),
    Mistake(
        "relu_skipped_in_backward", "model_backward",
        (("dZ2 = relu_backward(dA2, relu2_cache)", "dZ2 = dA2"),),
        hints("the gradient went back through the second ReLU without its mask. A ReLU passes the gradient only "
              "where its input was positive: send the gradient through relu_backward, with that ReLU's cache.",
              "梯度穿过第二个 ReLU 时没有用它的掩码。ReLU 只在输入为正的地方传递梯度：把梯度连同这个 ReLU "
              "的 cache 一起交给 relu_backward。"),
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
              "把梯度 reshape 成 P2 原来的形状（cache 里专门保存了它）。"),
        BREAKS,
    ),
    # -- issue #10: more of the mistakes learners make when they put the network together --------------------
    Mistake(
        "first_relu_skipped_in_backward", "model_backward",
        (("dZ1 = relu_backward(dA1, relu1_cache)", "dZ1 = dA1"),),
        hints("the gradient went back through the first ReLU without its mask. A ReLU passes the gradient only "
              "where its input was positive: send the gradient through relu_backward, with that ReLU's cache, "
              "before the first convolution's backward pass.",
              "梯度穿过第一个 ReLU 时没有用它的掩码。ReLU 只在输入为正的地方传递梯度：在第一个卷积的反向传播之前，"
              "把梯度连同这个 ReLU 的 cache 一起交给 relu_backward。"),
        BREAKS,
    ),
    Mistake(
        "pool_caches_swapped", "model_backward",
        (("pool_backward(dP2, pool2_cache", "pool_backward(dP2, pool1_cache"),
         ("pool_backward(dP1, pool1_cache", "pool_backward(dP1, pool2_cache")),
        hints("the backward pass of a pooling layer was given the other pooling layer's cache. Each layer's "
              "backward pass needs the cache its own forward pass returned: the second pooling's gradient goes "
              "with pool2_cache, the first's with pool1_cache.",
              "池化层的反向传播拿到的是另一个池化层的 cache。每一层的反向传播都要用它自己的前向传播返回的 cache："
              "第二个池化层的梯度配 pool2_cache，第一个配 pool1_cache。"),
        BREAKS,
    ),
    Mistake(
        "conv_caches_swapped", "model_backward",
        (("conv_backward(dZ2, conv2_cache)", "conv_backward(dZ2, conv1_cache)"),
         ("conv_backward(dZ1, conv1_cache)", "conv_backward(dZ1, conv2_cache)")),
        hints("the backward pass of a convolution was given the other convolution's cache. Each layer's backward "
              "pass needs the input and filters of its own forward pass: dZ2 goes with conv2_cache, dZ1 with "
              "conv1_cache.",
              "卷积层的反向传播拿到的是另一个卷积层的 cache。每一层的反向传播都要用它自己前向传播时的输入和滤波器："
              "dZ2 配 conv2_cache，dZ1 配 conv1_cache。"),
        BREAKS,
    ),
    Mistake(
        "conv_gradients_swapped", "model_backward",
        (('_, grads["W1"], grads["b1"] = conv_backward', '_, grads["W2"], grads["b2"] = conv_backward'),
         ('dP1, grads["W2"], grads["b2"] = conv_backward', 'dP1, grads["W1"], grads["b1"] = conv_backward')),
        hints("the gradients of the two convolutions were stored under each other's names: the backward pass "
              "meets the second convolution first, and its dW and db belong to W2 and b2; the last "
              "conv_backward, of the first convolution, gives those of W1 and b1.",
              "两个卷积层的梯度存到了对方的名字下：反向传播先遇到的是第二个卷积，它的 dW 和 db 属于 W2 和 b2；"
              "最后一次 conv_backward 处理的是第一个卷积，给出的是 W1 和 b1 的梯度。"),
        BREAKS,
    ),
    Mistake(
        "cost_summed_over_batch", "model_cost_and_gradients",
        (("cost, dlogits = softmax_cross_entropy(logits, Y)",
          "m = X.shape[0]\n"
          "    probs = np.exp(logits - np.max(logits, axis=1, keepdims=True))\n"
          "    probs = probs / np.sum(probs, axis=1, keepdims=True)\n"
          "    cost = -np.sum(np.log(probs[np.arange(m), Y]))\n"
          "    dlogits = probs.copy()\n"
          "    dlogits[np.arange(m), Y] -= 1\n"
          "    dlogits = dlogits / m"),),
        hints("the cost is the sum of the examples' cross-entropies, not their mean, while its gradient is "
              "divided by m: the cost is m times too large and does not match its own gradient. Average the "
              "cost over the batch (or use the given softmax_cross_entropy, which does both).",
              "代价是各个样本交叉熵之和，而不是平均值，梯度却除以了 m：代价大了 m 倍，也和它自己的梯度对不上。"
              "代价要在批量上取平均（或者直接用给出的 softmax_cross_entropy，它两样都做好了）。"),
        BREAKS,
    ),
    Mistake(
        "gradient_not_averaged_over_batch", "model_cost_and_gradients",
        (("cost, dlogits = softmax_cross_entropy(logits, Y)",
          "m = X.shape[0]\n"
          "    probs = np.exp(logits - np.max(logits, axis=1, keepdims=True))\n"
          "    probs = probs / np.sum(probs, axis=1, keepdims=True)\n"
          "    cost = -np.mean(np.log(probs[np.arange(m), Y]))\n"
          "    dlogits = probs.copy()\n"
          "    dlogits[np.arange(m), Y] -= 1"),),
        hints("the cost is the mean over the batch, but its gradient with respect to the logits was not divided "
              "by m, so every gradient is m times too large. The mean's gradient is (softmax - one_hot) / m (the "
              "given softmax_cross_entropy returns it).",
              "代价是在批量上取的平均，但它对 logits 的梯度没有除以 m，所以每个梯度都大了 m 倍。平均值的梯度是 "
              "(softmax - one_hot) / m（给出的 softmax_cross_entropy 返回的就是它）。"),
        BREAKS,
    ),
    Mistake(
        "dense_gradient_transposed", "model_backward",
        (('dF, grads["W3"], grads["b3"] = dense_backward(dlogits, dense_cache)',
          "flat, W3, b3 = dense_cache\n"
          "    dF = dlogits @ W3.T\n"
          '    grads["W3"] = dlogits.T @ flat\n'
          '    grads["b3"] = np.sum(dlogits, axis=0, keepdims=True)'),),
        hints("the gradient of the dense weights is transposed: dlogits.T @ flat has shape (n_classes, n_flat), "
              "the layout of the earlier courses, where examples are columns. Here examples are rows and W3 has "
              "shape (n_flat, n_classes), so its gradient is flat.T @ dlogits (dense_backward computes it).",
              "全连接层权重的梯度被转置了：dlogits.T @ flat 的形状是 (n_classes, n_flat)，那是以前课程里样本按列排列时的写法。"
              "这里样本按行排列，W3 的形状是 (n_flat, n_classes)，所以它的梯度是 flat.T @ dlogits（dense_backward 算的就是它）。"),
        BREAKS,
    ),
    Mistake(
        "flatten_channels_first", "model_forward",
        (("flat = P2.reshape(P2.shape[0], -1)", "flat = P2.transpose(0, 3, 1, 2).reshape(P2.shape[0], -1)"),),
        hints("P2 was flattened channels first (transposed to (m, n_C, n_H, n_W), as in PyTorch), while the "
              "backward pass reshapes the gradient straight back to P2's shape: the two orders differ, so each "
              "gradient lands on the wrong activation. Flatten P2 as it is, with a plain reshape.",
              "P2 是按通道在前的顺序展平的（先转置成 PyTorch 那样的 (m, n_C, n_H, n_W)），而反向传播直接把梯度 reshape "
              "回 P2 的形状：两种顺序不一致，每个梯度都落到了错误的激活值上。应直接对 P2 做 reshape 展平，不要转置。"),
        BREAKS,
    ),
    Mistake(
        "flatten_size_hard_coded", "model_forward",
        (("P2.reshape(P2.shape[0], -1)", "P2.reshape(P2.shape[0], 64)"),),
        hints("the flattened length was written in as a number, that of the full network (2 x 2 x 16 = 64). "
              "The same code must work for any number of filters (the checks use a smaller network): let "
              "numpy work the length out, P2.reshape(P2.shape[0], -1).",
              "展平后的长度被写成了一个固定的数，即完整网络的 2 x 2 x 16 = 64。同一段代码要适用于任意数量的滤波器"
              "（检查用的是更小的网络）：让 numpy 自己算出长度，写成 P2.reshape(P2.shape[0], -1)。"),
        BREAKS,
    ),
    Mistake(
        "both_pool_backwards_average", "model_backward",
        (('pool_backward(dP2, pool2_cache, mode="max")', 'pool_backward(dP2, pool2_cache, mode="average")'),
         ('pool_backward(dP1, pool1_cache, mode="max")', 'pool_backward(dP1, pool1_cache, mode="average")')),
        hints('the backward passes of both pooling layers used mode="average", while their forward passes used '
              '"max". The two passes of a layer must agree: the gradient of a maximum goes to the maximum alone, '
              'so call pool_backward with mode="max" for both.',
              '两个池化层的反向传播都用了 mode="average"，而它们的前向传播用的是 "max"。同一层的前向和反向必须一致：'
              '最大值的梯度只传给最大值本身，所以两次调用 pool_backward 都要用 mode="max"。'),
        BREAKS,
    ),
    Mistake(
        "gradient_keys_with_d_prefix", "model_backward",
        (('grads["W', 'grads["dW'), ('grads["b', 'grads["db')),
        hints('the gradients were stored under the names "dW1", "db1", ... of the earlier courses. Here grads '
              'uses the names of the parameters themselves, "W1", "b1", ..., "b3", so that the gradient check '
              'and the Adam update find each gradient under its parameter\'s key.',
              '梯度存在了以前课程里的名字 "dW1"、"db1" …… 之下。这里 grads 用的是参数本身的名字 "W1"、"b1" …… "b3"，'
              '这样梯度检验和 Adam 更新才能按参数的键找到各自的梯度。'),
        BREAKS,
    ),
)
