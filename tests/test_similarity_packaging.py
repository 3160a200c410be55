"""`autograder similarity` sees through packaging: a copy reached another way still ranks above independent work.

Issue 16's disguises of a copied solution (``bench/similarity.py``'s
``PACKAGINGS``): its code inside ``exec("...")``; ``def _impl`` then
``name = _impl``; a one-line function of the graded name calling a helper that
holds the body; a class's static method assigned to the graded name; dead
statements (results never used, reading live variables, and dead stores);
loops turned into comprehensions (and comprehensions into loops). Each class
is a real course (the kit's release, notebooks under ``submitted/``), as in
``tests/test_similarity.py``: the four independent solutions and a copy of
each, packaged. Nothing a submission holds is ever run by the tool; the test
runs the packaged copies itself (trusted test data) to show they still compute
the right thing.
"""
from __future__ import annotations

import random

import numpy as np
import pytest

from autograder.similarity import extract, normalize
from autograder.similarity.compare import DEFAULT_THRESHOLD
from bench.similarity import PACKAGINGS
from tests.test_similarity import SOLUTIONS, make_course, overall, similarity

FUNCTIONS = list(SOLUTIONS["reference"])


def packaged(cells: dict[str, str], packaging: str, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {name: PACKAGINGS[packaging](code, rng) for name, code in cells.items()}


def _namespace(cells: dict[str, str]) -> dict:
    scope = {"np": np}
    for code in cells.values():
        exec(code, scope)  # trusted test data, not a submission
    return scope


@pytest.mark.parametrize("packaging", list(PACKAGINGS))
@pytest.mark.parametrize("style", list(SOLUTIONS))
def test_a_packaged_copy_still_computes_what_the_original_does(packaging, style):
    original, copy = _namespace(SOLUTIONS[style]), _namespace(packaged(SOLUTIONS[style], packaging, 7))
    rng = np.random.default_rng(3)
    A_prev, W = rng.standard_normal((2, 7, 6, 3)), rng.standard_normal((3, 3, 3, 4))
    b = rng.standard_normal((1, 1, 1, 4))
    hparameters = {"stride": 2, "pad": 1}
    Z, cache = copy["conv_forward"](A_prev, W, b, hparameters)
    np.testing.assert_allclose(Z, original["conv_forward"](A_prev, W, b, hparameters)[0], atol=1e-10)
    dZ = rng.standard_normal(Z.shape)
    for got, expected in zip(copy["conv_backward"](dZ, cache), original["conv_backward"](dZ, cache)):
        np.testing.assert_allclose(got, expected, atol=1e-10)
    for mode in ("max", "average"):
        A, pool_cache = copy["pool_forward"](A_prev, {"stride": 2, "f": 3}, mode)
        np.testing.assert_allclose(A, original["pool_forward"](A_prev, {"stride": 2, "f": 3}, mode)[0], atol=1e-10)
        dA = rng.standard_normal(A.shape)
        np.testing.assert_allclose(copy["pool_backward"](dA, pool_cache, mode),
                                   original["pool_backward"](dA, pool_cache, mode), atol=1e-10)
    assert np.isclose(copy["conv_single_step"](A_prev[0, :3, :3], W[..., 0], b[..., 0]),
                      original["conv_single_step"](A_prev[0, :3, :3], W[..., 0], b[..., 0]))


@pytest.mark.parametrize("packaging", list(PACKAGINGS))
def test_a_packaging_hides_the_function_from_a_reader_of_top_level_defs(packaging):
    """Guard against a packaging that does nothing: the copies differ from the originals as text, and for the
    four that hide the function, a plain ``def`` of the graded name is no longer the code it runs."""
    changed = 0
    for style, cells in SOLUTIONS.items():
        for name, code in packaged(cells, packaging, 7).items():
            changed += code.strip() != cells[name].strip()
            if packaging in ("exec_string", "alias", "static_method"):
                assert f"\ndef {name}(" not in "\n" + code, (packaging, style, name)
            if packaging == "wrapper":
                assert len(normalize.function_tokens(_own_def(code, name)).tokens) < 30
    assert changed >= 16, changed


def _own_def(code: str, name: str) -> str:
    """The source of the ``def`` of ``name`` alone in ``code``."""
    import ast

    tree = ast.parse(code)
    node = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    return ast.get_source_segment(code, node)


@pytest.mark.parametrize("packaging", list(PACKAGINGS))
def test_a_packaged_copy_ranks_above_every_pair_of_independent_solutions(tmp_path, packaging):
    class_ = dict(SOLUTIONS)
    class_ |= {f"{style}_copy": packaged(cells, packaging, seed)
               for seed, (style, cells) in enumerate(SOLUTIONS.items())}
    data = similarity(make_course(tmp_path, class_), "--threshold", "0")
    scores = overall(data)
    assert len(scores) == 28, sorted(scores.values())
    copies = {style: scores[frozenset((style, f"{style}_copy"))] for style in SOLUTIONS}
    independent = {pair: score for pair, score in scores.items()
                   if len({student.removesuffix("_copy") for student in pair}) == 2}
    assert min(copies.values()) > max(independent.values()), (copies, max(independent.values()))
    assert min(copies.values()) >= DEFAULT_THRESHOLD, copies
    # function by function too: no packaging pushes a function of a copy below any independent pair's
    functions = {frozenset((pair["a"], pair["b"])): pair["functions"] for pair in data["pairs"]}
    for name in FUNCTIONS:
        copied = {style: functions[frozenset((style, f"{style}_copy"))][name] for style in SOLUTIONS}
        others = [functions[pair][name] for pair in independent if functions[pair][name] is not None]
        compared = {style: score for style, score in copied.items() if score is not None}
        assert all(score > max(others, default=0) for score in compared.values()), (name, copied, max(others))
        assert all(score >= DEFAULT_THRESHOLD for score in compared.values()), (name, copied)


def test_what_a_graded_name_reaches_is_compared(tmp_path):
    """The code compared is the code the name reaches, shown in the report: the helper's body, not the
    one-line wrapper; the exec'd string's code; the class's method."""
    cells = {"conv_forward": PACKAGINGS["wrapper"](SOLUTIONS["reference"]["conv_forward"], random.Random(1)),
             "pool_forward": PACKAGINGS["static_method"](SOLUTIONS["gather"]["pool_forward"], random.Random(1)),
             "zero_pad": PACKAGINGS["exec_string"](SOLUTIONS["offsets"]["zero_pad"], random.Random(1))}
    found = extract.functions_in_cells(list(cells.values()), ["zero_pad", "conv_forward", "pool_forward"]).functions
    assert "vert_start = h * stride" in found["conv_forward"] and "return _conv_forward_body(" in found["conv_forward"]
    assert "patches.max(axis=(3, 4))" in found["pool_forward"]
    assert "np.concatenate" in found["zero_pad"]


@pytest.mark.parametrize("code", [
    "def _impl(x):\n    return x\nconv_forward = _impl\nconv_forward = 3\n",  # rebound to a number: nothing to compare
    "CODE = 'def conv_forward(:'\nexec(CODE)\n",  # an exec string that does not parse
    "s = 'a'\n" + "s = s + s\n" * 80 + "exec(s)\n",  # a string that doubles 80 times: never built
    "x = " + "(" * 200 + "1" + ")" * 200 + "\n",  # absurd nesting
    "class A(A):\n    pass\nconv_forward = A.f\n",
    "def conv_forward(a):\n    return conv_forward(a)\n",  # reaches itself
])
def test_a_hostile_packaging_costs_only_its_own_entry(code):
    found = extract.functions_in_cells([code, "def pool_forward(A_prev, hparameters):\n    return A_prev\n"],
                                       ["conv_forward", "pool_forward"])
    assert "pool_forward" in found.functions
