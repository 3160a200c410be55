"""The assignments of the series, one folder each, in the order learners meet them.

Adding an assignment: make its folder here (see README.md, "Adding an assignment")
and add it to :data:`REGISTRY`.
"""
from __future__ import annotations

from ..assignment import Registry
from . import conv_application, conv_step_by_step, conv_vectorized

REGISTRY = Registry([
    conv_step_by_step.ASSIGNMENT,
    conv_vectorized.ASSIGNMENT,
    conv_application.ASSIGNMENT,
])
