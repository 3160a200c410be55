"""An exception read for its cause (autograder.diagnosis.explain_raised), on exceptions raised for real.

Each row runs a learner's typical bad line and reads what it raised; the cause
must be the one named, with its details. The same message under another
exception type (or a near message) must not be read as that cause: a cause is
named only when the exception proves it.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder.diagnosis import explain_raised
from autograder.diagnosis.exceptions import sizes_differ
from autograder.judge import raised_of
from autograder.verdict import Raised

KNOWN = ("zero_pad", "conv_single_step", "conv_forward")


def raised_by(code: str, line: str | None = None) -> Raised:
    scope = {"np": np, "hparameters": {"stride": 1}}
    try:
        exec(code, scope)
    except BaseException as error:  # noqa: B902 - the point is to catch what a learner's line raises
        return raised_of(error, line if line is not None else code)
    raise AssertionError(f"{code!r} raised nothing")


CASES = [
    ("b = np.ones((1, 1, 1)); Z = float(b)", "numpy2_scalar_conversion", {"call": "float(b)"}),
    ("b = np.ones((1, 1)); Z = int(b[0])", "numpy2_scalar_conversion", {"call": "int(b[0])"}),
    # the fix said when it was not tried on the function (issue 17: a Python number or .item() of an array)
    ("x = np.float(3)", "numpy_alias_removed", {"alias": "float", "builtin": "float", "untried": "alias_fix"}),
    ("x = np.int(3)", "numpy_alias_removed", {"alias": "int", "builtin": "int", "untried": "alias_fix"}),
    ("a = np.zeros(3); a[0] = np.ones(2)", "array_where_number_needed", {"line": "a = np.zeros(3); a[0] = np.ones(2)"}),
    ("range(2.0)", "float_size", {}),
    ("[1, 2, 3][0:1.5]", "float_size", {}),
    ("np.zeros((2, 2))[1.0]", "float_size", {}),
    ("np.zeros((2, 3))[0, 5]", "index_out_of_bounds", {"axis": 1, "size": 3}),
    # a slice cut short is said to be [pad:-pad] only when the learner's line has one (issue 17)
    ("np.zeros((2, 3, 4)) + np.zeros((2, 2, 4))", "slice_too_short",
     {"shapes": ["(2,3,4)", "(2,2,4)"], "line": "np.zeros((2, 3, 4)) + np.zeros((2, 2, 4))"}),
    ("np.zeros((2, 0, 4)) + np.zeros((2, 3, 4))", "slice_too_short",
     {"shapes": ["(2,0,4)", "(2,3,4)"], "line": "np.zeros((2, 0, 4)) + np.zeros((2, 3, 4))"}),
    ("pad = 0; a = np.zeros((2, 5, 4)); a[:, pad:-pad] + a", "broadcast_short_slice",
     {"shapes": ["(2,0,4)", "(2,5,4)"], "line": "pad = 0; a = np.zeros((2, 5, 4)); a[:, pad:-pad] + a"}),
    ("np.zeros((2, 3, 4)) + np.zeros((3, 2, 4))", "broadcast_mismatch",
     {"shapes": ["(2,3,4)", "(3,2,4)"], "line": "np.zeros((2, 3, 4)) + np.zeros((3, 2, 4))"}),
    ("np.zeros((2, 3)) + np.zeros((2, 3, 4))", "broadcast_mismatch",
     {"shapes": ["(2,3)", "(2,3,4)"], "line": "np.zeros((2, 3)) + np.zeros((2, 3, 4))"}),
    ("np.zeros((3, 4)) + np.zeros((3, 1, 5))", "broadcast_mismatch",
     {"shapes": ["(3,4)", "(3,1,5)"], "line": "np.zeros((3, 4)) + np.zeros((3, 1, 5))"}),
    ("np.zeros((3, 3)) + np.zeros((2, 2))", "broadcast_mismatch",  # no axis out of place or missing: other sizes
     {"shapes": ["(3,3)", "(2,2)"], "line": "np.zeros((3, 3)) + np.zeros((2, 2))", "sizes_differ": 2}),
    ("np.zeros((2, 3, 4)) + np.zeros((2, 2, 5))", "broadcast_mismatch",
     {"shapes": ["(2,3,4)", "(2,2,5)"], "line": "np.zeros((2, 3, 4)) + np.zeros((2, 2, 5))", "sizes_differ": 2}),
    ("np.where(np.zeros((2, 3), bool), np.zeros((3, 2)), np.zeros(4))", "broadcast_mismatch",  # two shapes shown
     {"shapes": ["(2,3)", "(3,2)"], "line": "np.where(np.zeros((2, 3), bool), np.zeros((3, 2)), np.zeros(4))"}),
    ("numpy.zeros(3)", "numpy_not_imported", {"name": "numpy"}),
    ("zero_pad(1, 2)", "undefined_helper", {"name": "zero_pad"}),
    ("A_prev_pad + 1", "undefined_name", {"name": "A_prev_pad"}),
    ("a, b = (1, 2, 3)", "unpack_mismatch", {"detail": "too many values to unpack (expected 2)"}),
    ("f = hparameters['f']", "hparameter_key", {"key": "'f'"}),
    ("None + 1", "none_used", {"line": "None + 1"}),
    ("None.shape", "none_used", {"line": "None.shape"}),
    ("np.zeros(6).reshape(4, 2)", "reshape_size", {"detail": "cannot reshape array of size 6 into shape (4,2)"}),
    ("np.zeros((2, 3)) @ np.zeros((2, 3))", "matmul_mismatch", {"detail": "matmul: Input operand 1 has a mismatch in "
                                                                        "its core dimension 0"}),
    ("np.dot(np.zeros((2, 3)), np.zeros((2, 3)))", "matmul_mismatch",
     {"detail": "shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)"}),
    # operands that do not fit the letters: a fact, not a guess at which of the two is wrong (issue 17)
    ("np.einsum('ij,jk->ik', np.zeros((2, 3)), np.zeros((2, 3)))", "einsum_shapes",
     {"line": "np.einsum('ij,jk->ik', np.zeros((2, 3)), np.zeros((2, 3)))", "shapes": ["(2,3)", "(2,3)"]}),
    ("np.einsum('ij,jk->ikl', np.zeros((2, 3)), np.zeros((3, 2)))", "einsum_subscripts", {}),
    ("(1, 2).shape", "tuple_for_array", {}),
    ("[1, 2]['a']", "tuple_for_array", {}),
    ("def f(): return f()\nf()", "recursion", {}),
    ("1 / 0", "division_by_zero", {}),
]


@pytest.mark.parametrize("code, cause, values", CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_a_real_exception_is_read_for_its_cause(code, cause, values):
    raised = raised_by(code)
    found = explain_raised("conv_forward", raised, KNOWN)
    assert found is not None, raised
    assert (found.id, found.source, dict(found.values)) == (cause, "exception", values), raised


def test_a_line_the_sandbox_did_not_send_is_shown_as_dots():
    raised = raised_by("None + 1", line=None)
    found = explain_raised("f", Raised(raised.type, raised.message, None))
    assert found.values == {"line": "..."}
    found = explain_raised("f", Raised("ValueError",
                                       "operands could not be broadcast together with shapes (2,3) (3,2) "))
    assert found.values["line"] == "..."


@pytest.mark.parametrize("raised", [
    Raised("ValueError", "only 0-dimensional arrays can be converted to Python scalars"),
    Raised("TypeError", "module 'numpy' has no attribute 'float'"),
    Raised("AttributeError", "module 'numpy' has no attribute 'floatt'"),
    Raised("TypeError", "setting an array element with a sequence."),
    Raised("ValueError", "'float' object cannot be interpreted as an integer"),
    Raised("ValueError", "index 5 is out of bounds for axis 1 with size 3"),
    Raised("TypeError", "operands could not be broadcast together with shapes (2,3) (3,2)"),
    Raised("ValueError", "operands could not be broadcast together"),
    Raised("AttributeError", "name 'zero_pad' is not defined"),
    Raised("TypeError", "not enough values to unpack (expected 3, got 2)"),
    Raised("IndexError", "'f'"),
    Raised("KeyError", "'W'"),
    Raised("ValueError", "'NoneType' object is not subscriptable"),
    Raised("TypeError", "cannot reshape array of size 6 into shape (4,2)"),
    Raised("TypeError", "matmul: Input operand 1 has a mismatch in its core dimension 0"),
    Raised("TypeError", "einstein sum subscripts string contains too many subscripts for operand 0"),
    Raised("TypeError", "'tuple' object has no attribute 'shape'"),
    Raised("AttributeError", "list indices must be integers or slices, not str"),
    Raised("ZeroDivisionErrorX", "division by zero"),
    Raised("RuntimeError", "maximum recursion depth exceeded"),
], ids=lambda r: f"{r.type}: {r.message[:30]}")
def test_the_same_words_under_another_exception_prove_nothing(raised):
    assert explain_raised("conv_forward", raised, KNOWN) is None


@pytest.mark.parametrize("shapes, count", [
    (["(3,3)", "(2,2)"], 2), (["(2,3,4)", "(2,5,6)"], 2), (["(3,4,5)", "(2,5,6)"], 3),
    (["(2,3,4)", "(3,2,4)"], None),  # a reordering: an axis out of place
    (["(2,3)", "(2,3,4)"], None),  # a dimension missing
    (["(3,3)", "(1,2)"], None), (["(2,3)", "(2,4)"], None),  # an axis numpy stretches; one axis only (a short slice)
])
def test_other_sizes_are_read_only_where_no_axis_is_out_of_place_missing_or_stretched(shapes, count):
    assert sizes_differ(shapes) == count


def test_an_array_written_into_is_never_stretched_so_its_axes_of_1_are_other_sizes():
    assert sizes_differ(["(1,1,3)", "(2,2,3)"], into=True) == 2
    assert sizes_differ(["(1,1,3)", "(2,2,3)"]) is None  # numpy would stretch them, had they not been written into
    assert sizes_differ(["(2,1,3)", "(1,2,3)"], into=True) is None  # written into, and longer on one of them


@pytest.mark.parametrize("shapes, short", [
    (["(2,3,4)", "(2,2,4)"], True), (["(4,3)", "(2,3)"], True), (["(2,0)", "(2,3)"], True),
    (["(2,3,4)", "(3,2,4)"], False), (["(2,3)", "(2,3,4)"], False), (["(2,3)", "(2,1)"], False),
    (["(1,3)", "(2,3)"], False), (["(2,3)"], False), (["(2,3)", "(2,4,5)"], False),
])
def test_a_slice_cut_short_is_one_axis_shorter(shapes, short):
    message = "operands could not be broadcast together with shapes " + " ".join(shapes)
    found = explain_raised("f", Raised("ValueError", message, "x = a + b"))
    assert found.id == ("slice_too_short" if short else "broadcast_mismatch")  # no [pad:-pad] in the line


@pytest.mark.parametrize("line, short", [
    ("a = np.zeros((2, 1, 2)); a += np.ones((2, 2, 2))", True),  # a slice one column short, written into
    ("a = np.zeros((2, 3, 2)); a += np.ones((2, 1, 2, 5))", False),  # another rank: not a slice cut short
    ("a = np.zeros((1, 1, 3)); a += np.ones((2, 2, 3))", False),  # short along two axes: other sizes, below
])
def test_an_axis_of_1_written_into_is_a_slice_cut_short(line, short):
    """numpy never stretches the array a += writes into: (2, 1, 2) against (2, 2, 2) there is a slice cut short."""
    try:
        exec(line, {"np": np})
    except ValueError as error:
        found = explain_raised("f", Raised("ValueError", str(error), line))
    assert found.id == ("slice_too_short" if short else "broadcast_mismatch"), found
