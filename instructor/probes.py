"""Probe trees: tiny cases that change one factor at a time, for the differential diagnosis.

See :mod:`autograder.diagnosis.separation` for how they are read. A :class:`Probe`
holds the case parameters of the assignment's input builder for its function;
the build draws its inputs and computes its expected output with the
reference, like any case's, and stores the tree in the case file.

The root is the simplest case: one example, one channel, a square 4 x 4 input,
1 x 1 windows at stride 1, no padding (a convolution with 1 x 1 filters, a
pooling layer whose windows are single entries). Windows grow only with an
equal stride (f = stride: they touch but do not overlap) until the ``overlap``
edge, which keeps f and makes the stride smaller.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Probe:
    id: str
    parent: str | None
    factor: str | None  # what differs from the parent
    value: Any = None  # the factor's value here ...
    parent_value: Any = None  # ... and in the parent
    params: dict = field(default_factory=dict)
    depth: int = 0


def _tree(root: dict, edges: list[tuple[str, str, str, Any, Any, dict]]) -> tuple[Probe, ...]:
    """A tree from its root's params and edges (id, parent id, factor, parent's value, value, changes)."""
    probes = {"root": Probe("root", None, None, params=root)}
    for probe_id, parent, factor, parent_value, value, changes in edges:
        above = probes[parent]
        probes[probe_id] = Probe(probe_id, parent, factor, value, parent_value, {**above.params, **changes},
                                 above.depth + 1)
    return tuple(probes.values())


def conv_probes(backward: bool = False) -> tuple[Probe, ...]:
    """conv_forward and conv_backward: A_prev (m, n_H, n_W, n_C_prev), W (f, f, n_C_prev, n_C), stride, pad."""
    root = dict(A_prev=(1, 4, 4, 1), W=(1, 1, 1, 1), stride=1, pad=0)
    return _tree(root, [
        ("stride2", "root", "stride", 1, 2, dict(stride=2)),
        ("stride3", "root", "stride", 1, 3, dict(A_prev=(1, 7, 7, 1), stride=3)),
        ("pad1", "root", "pad", 0, 1, dict(pad=1)),
        ("pad2", "root", "pad", 0, 2, dict(pad=2)),
        ("m3", "root", "m", 1, 3, dict(A_prev=(3, 4, 4, 1))),
        ("n_C3", "root", "n_C", 1, 3, dict(W=(1, 1, 1, 3))),
        ("n_C_prev2", "root", "n_C_prev", 1, 2, dict(A_prev=(1, 4, 4, 2), W=(1, 1, 2, 1))),
        ("n_C3_n_C_prev2", "n_C3", "n_C_prev", 1, 2, dict(A_prev=(1, 4, 4, 2), W=(1, 1, 2, 3))),
        ("non_square", "root", "shape", "square", "non_square", dict(A_prev=(1, 4, 6, 1))),
        ("f2", "stride2", "f", 1, 2, dict(W=(2, 2, 1, 1))),
        ("f3", "stride3", "f", 1, 3, dict(W=(3, 3, 1, 1))),
        ("f2_pad1", "f2", "pad", 0, 1, dict(pad=1)),
        ("overlap", "f2", "overlap", "apart", "overlapping", dict(stride=1)),
    ])


def pool_probes() -> tuple[Probe, ...]:
    """pool_forward and pool_backward: A_prev (m, n_H, n_W, n_C), f, stride, mode."""
    root = dict(A_prev=(1, 4, 4, 1), f=1, stride=1, mode="max")
    return _tree(root, [
        ("stride2", "root", "stride", 1, 2, dict(stride=2)),
        ("stride3", "root", "stride", 1, 3, dict(A_prev=(1, 7, 7, 1), stride=3)),
        ("m3", "root", "m", 1, 3, dict(A_prev=(3, 4, 4, 1))),
        ("n_C3", "root", "n_C", 1, 3, dict(A_prev=(1, 4, 4, 3))),
        ("non_square", "root", "shape", "square", "non_square", dict(A_prev=(1, 4, 6, 1))),
        ("f2", "stride2", "f", 1, 2, dict(f=2)),
        ("f3", "stride3", "f", 1, 3, dict(f=3)),
        ("average", "f2", "mode", "max", "average", dict(mode="average")),
        ("overlap", "f2", "overlap", "apart", "overlapping", dict(A_prev=(1, 5, 5, 1), stride=1)),
        ("overlap_avg", "overlap", "mode", "max", "average", dict(mode="average")),
        ("f2_m3", "f2", "m", 1, 3, dict(A_prev=(3, 4, 4, 1))),
        ("f2_n_C3", "f2", "n_C", 1, 3, dict(A_prev=(1, 4, 4, 3))),
        ("f2_non_square", "f2", "shape", "square", "non_square", dict(A_prev=(1, 4, 6, 1))),
    ])


def zero_pad_probes() -> tuple[Probe, ...]:
    """zero_pad: X (m, n_H, n_W, n_C), pad."""
    return _tree(dict(X=(1, 3, 3, 1), pad=0), [
        ("pad1", "root", "pad", 0, 1, dict(pad=1)),
        ("pad2", "root", "pad", 0, 2, dict(pad=2)),
        ("m3", "pad1", "m", 1, 3, dict(X=(3, 3, 3, 1))),
        ("n_C3", "pad1", "n_C", 1, 3, dict(X=(1, 3, 3, 3))),
        ("non_square", "pad1", "shape", "square", "non_square", dict(X=(1, 3, 5, 1))),
    ])


def layer_probes(function: str) -> tuple[Probe, ...]:
    """The probe tree of one of the lesson's layer functions, or () if it has none."""
    trees = {
        "zero_pad": zero_pad_probes,
        "conv_forward": conv_probes,
        "conv_backward": lambda: conv_probes(backward=True),
        "pool_forward": pool_probes,
        "pool_backward": pool_probes,
    }
    return trees[function]() if function in trees else ()
