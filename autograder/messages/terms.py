"""The Chinese terms of the kit, in one table: the lessons, the checks' messages, the hints and the figures use them.

Each :class:`Term` names the English term, the Chinese that the kit writes for it, and the words it must not
write instead (``avoid``: regular expressions). tests/test_terms.py reads every Chinese text of the kit (the
instructor notebooks' translations of text and code, :mod:`autograder.messages.zh`, the mistakes' hints, the
figures' texts) and fails on a word that this table replaces. A translator who meets a term that is not here
adds it here first.

``cache`` is the one term kept in English: it is what the code calls the tuple a forward function keeps for its
backward partner (``cache``), so the Chinese text writes it as the code does. 缓存 alone would be the processor's
cache, which the kit calls 高速缓存.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str  # what the kit writes
    avoid: tuple[str, ...] = ()  # regular expressions of what it must not write for this term
    note: str = ""


TERMS: tuple[Term, ...] = (
    # -- words the review found drifting ---------------------------------------------------------------------------
    Term("cache (what a forward function keeps for its backward partner)", "cache", (r"(?<!高速)缓存",),
         "kept in English, as the code names it"),
    Term("the processor's cache", "高速缓存", note="the only cache written in Chinese"),
    Term("visible (check, case)", "公开（检查、用例）", (r"可见的?(检查|用例)",)),
    Term("hidden (check, case)", "隐藏（检查、用例）"),
    Term("packages (a notebook's first section)", "软件包", ("导入包",)),
    Term("bookkeeping, overhead", "额外开销", ("簿记",)),
    Term("to flatter (a measure that overstates)", "高估", ("美化",)),
    Term("patch matrix", "图像块矩阵", ("补丁",)),
    # -- the vocabulary of the course ------------------------------------------------------------------------------
    Term("filter", "滤波器", ("过滤器", "卷积核")),
    Term("stride", "步幅", note="步长 is the step of a slice, a[::step]"),
    Term("padding, to pad", "填充"),
    Term("pooling", "池化", ("汇聚",)),
    Term("batch", "批量", ("批次",)),
    Term("mini-batch", "小批量"),
    Term("example (of a batch)", "样本"),
    Term("the lesson's example", "示例"),
    Term("epoch", "轮次", ("周期", "时期")),
    Term("cost", "代价", ("成本",)),
    Term("loss", "损失"),
    Term("accuracy", "准确率", ("精确度", "正确率")),
    Term("bias (of a filter)", "偏置", note="偏差 is the statistical bias that Adam corrects"),
    Term("weights", "权重"),
    Term("forward pass", "前向传播", ("正向传播", "前向传递")),
    Term("backward pass, backpropagation", "反向传播", ("后向传播", "反向传递")),
    Term("gradient check", "梯度检查"),
    Term("numerical gradient", "数值梯度"),
    Term("relative error", "相对误差"),
    Term("central difference", "中心差分"),
    Term("chain rule", "链式法则"),
    Term("cross-correlation", "互相关"),
    Term("full convolution", "全卷积"),
    Term("window", "窗口"),
    Term("offset (inside a window)", "偏移"),
    Term("mask", "掩码"),
    Term("tie (entries sharing a window's maximum)", "并列"),
    Term("kink (where a function has no derivative)", "折点"),
    Term("feature map", "特征图"),
    Term("validation set", "验证集"),
    Term("test set", "测试集"),
    Term("learning rate", "学习率"),
    Term("to overfit", "过拟合"),
    Term("vectorized", "向量化"),
    Term("window view", "窗口视图"),
    Term("timing check", "计时检查"),
    Term("hint", "提示"),
    Term("self-study edition", "自学版"),
)
