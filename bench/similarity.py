"""Benchmark: ``autograder similarity`` on a synthetic class, against naive all-pairs difflib, in the same run.

    python bench/similarity.py [--submissions 1000] [--seed 0] [--pairs-sampled 300] [--keep DIR]

Builds a temporary nbgrader course: the kit's release of conv_step_by_step,
and ``--submissions`` real notebooks (the release with its solution cells
filled, written to ``submitted/``). Each independent learner takes, for each
of the eight functions, one of four correct implementations in different
styles (the instructor notebook's, and the three below) and changes it a
little (an extra check, a wrapped value: code of their own), then disguises it
(renamed, reformatted, commented, reordered, other numpy spellings). Planted
on top: copies of some learners, disguised, and clusters of three to five
learners sharing one solution. Two public solutions, made the same way, are
written as known solutions for ``--against`` (a ``.py`` and an ``.ipynb``),
and 1% of the class hands one of them in, disguised. Half the copies are also
packaged (``PACKAGINGS``: in an exec string, behind an alias, a wrapper or a
class, with dead statements, or with loops as comprehensions).

Then it times, on this machine and in this run:

1. ``python -m autograder.similarity.cli`` on the class (all cores);
2. the naive baseline: every notebook's code read, and ``difflib.SequenceMatcher``
   ratio of every pair of submissions, timed on ``--pairs-sampled`` random pairs
   and extrapolated to all N (N - 1) / 2 pairs.

It prints the wall-clock time, the throughput, the ratio to the baseline, and
how many planted copies are listed at the default threshold. Exit status 0
when every planted copy is found and, for N >= 1000, the run took under 60 s.
This is a benchmark, not a test; tests/test_similarity.py uses its
implementations and disguises.
"""
from __future__ import annotations

import argparse
import ast
import builtins
import copy
import difflib
import io
import json
import keyword
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "conv_step_by_step"
RELEASE_NOTEBOOK = REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
SOURCE_NOTEBOOK = REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
TARGET_SECONDS = 60.0

# -- three correct implementations of assignment 1, in styles other than the instructor notebook's -----------
# Written for these tests and this benchmark; tests/test_similarity.py checks them against the reference.
LOOPS_BY_POSITION = {
"zero_pad": '''def zero_pad(X, pad):
    m, height, width, channels = X.shape
    out = np.zeros((m, height + 2 * pad, width + 2 * pad, channels))
    out[:, pad:pad + height, pad:pad + width, :] = X
    X_pad = out
    return X_pad
''',
"conv_single_step": '''def conv_single_step(a_slice_prev, W, b):
    total = 0.0
    for value in (a_slice_prev * W).flat:
        total += value
    Z = total + b.reshape(-1)[0]
    return Z
''',
"conv_forward": '''def conv_forward(A_prev, W, b, hparameters):
    s = hparameters["stride"]
    p = hparameters["pad"]
    f = W.shape[0]
    batch, rows_in, cols_in, _ = A_prev.shape
    filters = W.shape[3]
    rows_out = 1 + (rows_in - f + 2 * p) // s
    cols_out = 1 + (cols_in - f + 2 * p) // s
    padded = zero_pad(A_prev, p)
    Z = np.empty((batch, rows_out, cols_out, filters))
    for r in range(rows_out):
        top = r * s
        for q in range(cols_out):
            left = q * s
            patch = padded[:, top:top + f, left:left + f, :]
            Z[:, r, q, :] = np.tensordot(patch, W, axes=3) + b.reshape(1, filters)
    cache = (A_prev, W, b, hparameters)
    return Z, cache
''',
"pool_forward": '''def pool_forward(A_prev, hparameters, mode="max"):
    if mode not in ("max", "average"):
        raise ValueError("mode is max or average")
    f = hparameters["f"]
    s = hparameters["stride"]
    batch, rows_in, cols_in, channels = A_prev.shape
    rows_out = (rows_in - f) // s + 1
    cols_out = (cols_in - f) // s + 1
    reduce = np.max if mode == "max" else np.mean
    A = np.empty((batch, rows_out, cols_out, channels))
    for r in range(rows_out):
        for q in range(cols_out):
            window = A_prev[:, r * s:r * s + f, q * s:q * s + f, :]
            A[:, r, q, :] = reduce(window, axis=(1, 2))
    cache = (A_prev, hparameters)
    return A, cache
''',
"conv_backward": '''def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    s = hparameters["stride"]
    p = hparameters["pad"]
    f = W.shape[0]
    batch, rows_out, cols_out, filters = dZ.shape
    padded = zero_pad(A_prev, p)
    d_padded = np.zeros(padded.shape)
    dW = np.zeros(W.shape)
    for r in range(rows_out):
        top = r * s
        for q in range(cols_out):
            left = q * s
            patch = padded[:, top:top + f, left:left + f, :]
            g = dZ[:, r, q, :]
            d_padded[:, top:top + f, left:left + f, :] += np.einsum("mc,ijkc->mijk", g, W)
            dW += np.einsum("mijk,mc->ijkc", patch, g)
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    dA_prev = d_padded[:, p:p + A_prev.shape[1], p:p + A_prev.shape[2], :]
    return dA_prev, dW, db
''',
"create_mask_from_window": '''def create_mask_from_window(x):
    mask = x >= x.max()
    return mask
''',
"distribute_value": '''def distribute_value(dz, shape):
    n_H, n_W = shape
    a = np.ones(shape) * (dz / (n_H * n_W))
    return a
''',
"pool_backward": '''def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    s = hparameters["stride"]
    batch, rows_out, cols_out, channels = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for r in range(rows_out):
        for q in range(cols_out):
            top, left = r * s, q * s
            if mode == "max":
                window = A_prev[:, top:top + f, left:left + f, :]
                peak = window.max(axis=(1, 2), keepdims=True)
                dA_prev[:, top:top + f, left:left + f, :] += (window == peak) * dA[:, r:r + 1, q:q + 1, :]
            elif mode == "average":
                dA_prev[:, top:top + f, left:left + f, :] += dA[:, r:r + 1, q:q + 1, :] / (f * f)
            else:
                raise ValueError(mode)
    return dA_prev
''',
}

GATHER = {
"zero_pad": '''def zero_pad(X, pad):
    widths = [(0, 0), (pad, pad), (pad, pad), (0, 0)]
    X_pad = np.pad(X, widths, mode="constant")
    return X_pad
''',
"conv_single_step": '''def conv_single_step(a_slice_prev, W, b):
    Z = np.vdot(a_slice_prev, W) + b.ravel()[0]
    return Z
''',
"conv_forward": '''def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, height, width, _ = A_prev.shape
    out_h = (height - f + 2 * pad) // stride + 1
    out_w = (width - f + 2 * pad) // stride + 1
    padded = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)])
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(f)[None, :]
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(f)[None, :]
    patches = padded[:, rows[:, None, :, None], cols[None, :, None, :], :]
    Z = patches.reshape(m * out_h * out_w, f * f * n_C_prev) @ W.reshape(f * f * n_C_prev, n_C)
    Z = Z.reshape(m, out_h, out_w, n_C) + b.reshape(1, 1, 1, n_C)
    cache = (A_prev, W, b, hparameters)
    return Z, cache
''',
"pool_forward": '''def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, height, width, channels = A_prev.shape
    out_h = (height - f) // stride + 1
    out_w = (width - f) // stride + 1
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(f)[None, :]
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(f)[None, :]
    patches = A_prev[:, rows[:, None, :, None], cols[None, :, None, :], :]
    if mode == "max":
        A = patches.max(axis=(3, 4))
    elif mode == "average":
        A = patches.mean(axis=(3, 4))
    else:
        raise ValueError(f"unknown mode {mode}")
    cache = (A_prev, hparameters)
    return A, cache
''',
"conv_backward": '''def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, out_h, out_w, _ = dZ.shape
    padded = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)])
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(f)[None, :]
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(f)[None, :]
    index = (slice(None), rows[:, None, :, None], cols[None, :, None, :], slice(None))
    patches = padded[index].reshape(-1, f * f * n_C_prev)
    flat_dZ = dZ.reshape(-1, n_C)
    dW = (patches.T @ flat_dZ).reshape(W.shape)
    db = flat_dZ.sum(axis=0).reshape(1, 1, 1, n_C)
    d_patches = (flat_dZ @ W.reshape(-1, n_C).T).reshape(m, out_h, out_w, f, f, n_C_prev)
    d_padded = np.zeros(padded.shape)
    np.add.at(d_padded, index, d_patches)
    dA_prev = d_padded[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    return dA_prev, dW, db
''',
"create_mask_from_window": '''def create_mask_from_window(x):
    mask = np.equal(x, np.amax(x))
    return mask
''',
"distribute_value": '''def distribute_value(dz, shape):
    a = np.full(shape, dz / np.prod(shape))
    return a
''',
"pool_backward": '''def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, out_h, out_w, channels = dA.shape
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(f)[None, :]
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(f)[None, :]
    index = (slice(None), rows[:, None, :, None], cols[None, :, None, :], slice(None))
    patches = A_prev[index]
    spread = dA[:, :, :, None, None, :]
    if mode == "max":
        contributions = (patches == patches.max(axis=(3, 4), keepdims=True)) * spread
    elif mode == "average":
        contributions = np.broadcast_to(spread / (f * f), patches.shape)
    else:
        raise ValueError(f"unknown mode {mode}")
    dA_prev = np.zeros(A_prev.shape)
    np.add.at(dA_prev, index, contributions)
    return dA_prev
''',
}

OFFSETS = {
"zero_pad": '''def zero_pad(X, pad):
    X_pad = np.concatenate([np.zeros_like(X[:, :pad]), X, np.zeros_like(X[:, :pad])], axis=1)
    X_pad = np.concatenate([np.zeros_like(X_pad[:, :, :pad]), X_pad, np.zeros_like(X_pad[:, :, :pad])], axis=2)
    return X_pad
''',
"conv_single_step": '''def conv_single_step(a_slice_prev, W, b):
    Z = np.einsum("ijk,ijk->", a_slice_prev, W) + np.squeeze(b)
    return Z
''',
"conv_forward": '''def conv_forward(A_prev, W, b, hparameters):
    step = hparameters["stride"]
    border = hparameters["pad"]
    size = W.shape[0]
    X = zero_pad(A_prev, border)
    n_H = (X.shape[1] - size) // step + 1
    n_W = (X.shape[2] - size) // step + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[3])) + b
    for di in range(size):
        for dj in range(size):
            shifted = X[:, di:di + step * (n_H - 1) + 1:step, dj:dj + step * (n_W - 1) + 1:step, :]
            Z += np.einsum("nhwk,kc->nhwc", shifted, W[di, dj])
    cache = (A_prev, W, b, hparameters)
    return Z, cache
''',
"pool_forward": '''def pool_forward(A_prev, hparameters, mode="max"):
    step = hparameters["stride"]
    size = hparameters["f"]
    n_H = (A_prev.shape[1] - size) // step + 1
    n_W = (A_prev.shape[2] - size) // step + 1
    views = [A_prev[:, di:di + step * (n_H - 1) + 1:step, dj:dj + step * (n_W - 1) + 1:step, :]
             for di in range(size) for dj in range(size)]
    stacked = np.stack(views)
    if mode == "max":
        A = stacked.max(axis=0)
    elif mode == "average":
        A = stacked.mean(axis=0)
    else:
        raise ValueError("pooling mode?")
    cache = (A_prev, hparameters)
    return A, cache
''',
"conv_backward": '''def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    step = hparameters["stride"]
    border = hparameters["pad"]
    size = W.shape[0]
    X = zero_pad(A_prev, border)
    n_H, n_W = dZ.shape[1], dZ.shape[2]
    dX = np.zeros(X.shape)
    dW = np.zeros(W.shape)
    for di in range(size):
        for dj in range(size):
            rows = slice(di, di + step * (n_H - 1) + 1, step)
            cols = slice(dj, dj + step * (n_W - 1) + 1, step)
            dW[di, dj] = np.einsum("nhwk,nhwc->kc", X[:, rows, cols, :], dZ)
            dX[:, rows, cols, :] += np.einsum("nhwc,kc->nhwk", dZ, W[di, dj])
    db = np.einsum("nhwc->c", dZ).reshape(1, 1, 1, -1)
    dA_prev = dX[:, border:border + A_prev.shape[1], border:border + A_prev.shape[2], :]
    return dA_prev, dW, db
''',
"create_mask_from_window": '''def create_mask_from_window(x):
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    mask = mask | (x == x[mask][0])
    return mask
''',
"distribute_value": '''def distribute_value(dz, shape):
    count = shape[0] * shape[1]
    a = dz / count + np.zeros(shape)
    return a
''',
"pool_backward": '''def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    step = hparameters["stride"]
    size = hparameters["f"]
    n_H, n_W = dA.shape[1], dA.shape[2]
    if mode == "max":
        pooled, _ = pool_forward(A_prev, hparameters, "max")
    elif mode != "average":
        raise ValueError("pooling mode?")
    dA_prev = np.zeros(A_prev.shape)
    for di in range(size):
        for dj in range(size):
            rows = slice(di, di + step * (n_H - 1) + 1, step)
            cols = slice(dj, dj + step * (n_W - 1) + 1, step)
            if mode == "max":
                dA_prev[:, rows, cols, :] += np.where(A_prev[:, rows, cols, :] == pooled, dA, 0)
            else:
                dA_prev[:, rows, cols, :] += dA / size ** 2
    return dA_prev
''',
}
IMPLEMENTATIONS = {"loops_by_position": LOOPS_BY_POSITION, "gather": GATHER, "offsets": OFFSETS}


def reference_solution() -> dict[str, str]:
    """{function: code} of the instructor notebook's solution cells, without nbgrader's markers."""
    notebook = json.loads(SOURCE_NOTEBOOK.read_text(encoding="utf-8"))
    cells = {}
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution"):
            code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cells[meta["grade_id"]] = "\n".join(line for line in code.split("\n")
                                                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return cells


# -- disguises: each takes a function's source and a random.Random, and returns the source disguised -------------
GRADED = {"zero_pad", "conv_single_step", "conv_forward", "pool_forward", "conv_backward", "create_mask_from_window",
          "distribute_value", "pool_backward"}
_KEEP = set(keyword.kwlist) | set(dir(builtins)) | {"np", "numpy"} | GRADED
_WORDS = ["alpha", "beta", "gamma", "delta", "kappa", "omega", "sigma", "theta", "zeta", "lam", "mu", "rho", "tau"]
_NOTES = ["# compute this part", "# TODO check the shapes", "# as in the lecture", "# careful with the stride",
          "# loop over everything"]


def rename(source: str, rng: random.Random) -> str:
    """Every name the learner chose (variables, parameters) renamed, layout and comments kept."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    depth, names, edits = 0, {}, []
    for i, token in enumerate(tokens):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        if token.type != tokenize.NAME or token.string in _KEEP:
            continue
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if before == "." or (depth and after == "="):  # an attribute, or a keyword argument's name
            continue
        new = names.setdefault(token.string, f"{rng.choice(_WORDS)}_{len(names)}")
        edits.append((token.start, token.end, new))
    lines = source.split("\n")
    for (row, column), (_, end), new in reversed(edits):
        lines[row - 1] = lines[row - 1][:column] + new + lines[row - 1][end:]
    return "\n".join(lines)


def reformat(source: str, rng: random.Random) -> str:
    """Another layout: parentheses, quotes and spacing as ast.unparse writes them, 2-space indents, blank lines."""
    out = []
    for line in ast.unparse(ast.parse(source)).split("\n"):
        stripped = line.lstrip(" ")
        level = (len(line) - len(stripped)) // 4
        out.append("  " * level + stripped)
        if level and rng.random() < 0.3:
            out.append("")
    return "\n".join(out) + "\n"


def comment(source: str, rng: random.Random) -> str:
    """Comment lines and end-of-line comments sprinkled in."""
    out = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        indent = line[:len(line) - len(stripped)]
        if stripped and not stripped.startswith(("def ", "#", ")", "]", "else", "elif")) and rng.random() < 0.5:
            out.append(indent + rng.choice(_NOTES))
        if stripped and not stripped.endswith(("\\", ",", "(", "[")) and rng.random() < 0.3:
            line += "  " + rng.choice(_NOTES)
        out.append(line)
    return "\n".join(out)


def _effects(statement: ast.stmt) -> tuple[set[str], set[str]]:
    reads, writes = set(), set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            (writes if isinstance(node.ctx, ast.Store) else reads).add(node.id)
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            writes |= {name.id for name in ast.walk(node.value) if isinstance(name, ast.Name)}
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        reads.add(statement.target.id)
    return reads, writes


def reorder(source: str, rng: random.Random) -> str:
    """Runs of one-line assignments shuffled, in a random order that keeps every dependency."""
    lines = source.split("\n")
    for node in ast.walk(ast.parse(source)):
        for field in ("body", "orelse"):
            block, run = getattr(node, field, None), []
            if not isinstance(block, list):
                continue
            for statement in block + [None]:
                if isinstance(statement, (ast.Assign, ast.AugAssign)) and statement.lineno == statement.end_lineno:
                    run.append(statement)
                    continue
                if len(run) > 1:
                    effects, left, order = [_effects(s) for s in run], list(range(len(run))), []
                    while left:
                        ready = [j for j in left if not any(
                            effects[i][1] & (effects[j][0] | effects[j][1]) or effects[i][0] & effects[j][1]
                            for i in left if i < j)]
                        order.append(rng.choice(ready))
                        left.remove(order[-1])
                    texts = [lines[s.lineno - 1] for s in run]
                    for statement_, k in zip(run, order):
                        lines[statement_.lineno - 1] = texts[k]
                run = []
    return "\n".join(lines)


class _OtherNumpySpellings(ast.NodeTransformer):
    """a * b -> np.multiply(a, b) (and add, subtract, divide, dot), x.sum() -> np.sum(x), x.T -> np.transpose(x)."""

    FUNCTIONS = {ast.Mult: "multiply", ast.Add: "add", ast.Sub: "subtract", ast.Div: "divide", ast.MatMult: "dot"}

    def __init__(self, rng: random.Random):
        self.rng = rng

    @staticmethod
    def _np(name: str, args: list[ast.expr]) -> ast.Call:
        return ast.Call(ast.Attribute(ast.Name("np", ast.Load()), name, ast.Load()), args, [])

    def visit_BinOp(self, node):
        self.generic_visit(node)
        name = self.FUNCTIONS.get(type(node.op))
        return self._np(name, [node.left, node.right]) if name and self.rng.random() < 0.7 else node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        name = self.FUNCTIONS.get(type(node.op))
        if name and self.rng.random() < 0.7:
            target = ast.parse(ast.unparse(node.target), mode="eval").body
            return ast.Assign([node.target], self._np(name, [target, node.value]), lineno=node.lineno)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        function = node.func
        if not isinstance(function, ast.Attribute) or self.rng.random() >= 0.7:
            return node
        if function.attr in ("sum", "max", "mean") and not (isinstance(function.value, ast.Name)
                                                           and function.value.id == "np"):
            return ast.Call(ast.Attribute(ast.Name("np", ast.Load()), function.attr, ast.Load()),
                            [function.value, *node.args], node.keywords)
        if function.attr == "reshape":
            shape = node.args[0] if len(node.args) == 1 else ast.Tuple(node.args, ast.Load())
            return self._np("reshape", [function.value, shape])
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        return self._np("transpose", [node.value]) if node.attr == "T" and self.rng.random() < 0.7 else node


def numpy_spellings(source: str, rng: random.Random) -> str:
    return ast.unparse(ast.fix_missing_locations(_OtherNumpySpellings(rng).visit(ast.parse(source)))) + "\n"


def all_at_once(source: str, rng: random.Random) -> str:
    return comment(rename(reorder(reformat(numpy_spellings(source, rng), rng), rng), rng), rng)


DISGUISES = {"renamed": rename, "reformatted": reformat, "commented": comment, "reordered": reorder,
             "numpy_spellings": numpy_spellings, "all_at_once": all_at_once}


# -- packagings: the same code, reached another way (issue 16), each on a solution cell, returning the cell -----
def _function(source: str) -> ast.FunctionDef:
    return next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef))


def _renamed_def(source: str, new: str) -> str:
    """``source`` with its function's ``def`` line naming ``new`` (nothing else changed)."""
    name = _function(source).name
    return source.replace(f"def {name}(", f"def {new}(", 1)


def _call_of(function: ast.FunctionDef) -> str:
    """How a wrapper passes its own parameters on: ``f(A_prev, W, b, hparameters)``, ``mode=mode``."""
    arguments = function.args
    parts = [a.arg for a in arguments.posonlyargs + arguments.args]
    parts += [f"*{arguments.vararg.arg}"] if arguments.vararg else []
    parts += [f"{a.arg}={a.arg}" for a in arguments.kwonlyargs]
    parts += [f"**{arguments.kwarg.arg}"] if arguments.kwarg else []
    return ", ".join(parts)


def in_exec_string(source: str, rng: random.Random) -> str:
    """The cell's code handed to ``exec`` as a string: a literal, or a constant named first, maybe dedented."""
    name = _function(source).name
    text = repr(textwrap.indent(source, "    ") if rng.random() < 0.5 else source)
    value = f"textwrap.dedent({text})" if text.startswith("'    ") or text.startswith('"    ') else text
    if rng.random() < 0.5:
        return f"import textwrap\nexec({value})\n"
    return f"import textwrap\n_{name.upper()}_CODE = {value}\nexec(_{name.upper()}_CODE)\n"


def aliased(source: str, rng: random.Random) -> str:
    """``def _impl(...)`` then ``name = _impl``."""
    name = _function(source).name
    other = f"_impl_{rng.randrange(1000)}"
    return f"{_renamed_def(source, other)}\n\n{name} = {other}\n"


def wrapped(source: str, rng: random.Random) -> str:
    """A one-line function of the graded name that calls a helper holding the body."""
    function = _function(source)
    helper = f"_{function.name}_body"
    signature = ast.unparse(function.args)
    return (f"{_renamed_def(source, helper)}\n\ndef {function.name}({signature}):\n"
            f"    return {helper}({_call_of(function)})\n")


def static_method(source: str, rng: random.Random) -> str:
    """A static method of a class, assigned to the graded name."""
    name = _function(source).name
    kind = f"_Layers{rng.randrange(1000)}"
    method = textwrap.indent("@staticmethod\n" + _renamed_def(source, "run"), "    ")
    return f"class {kind}:\n{method}\n\n{name} = {kind}.run\n"


class _DeadStatements(ast.NodeTransformer):
    """Statements whose results are never used, reading the function's live variables, and dead stores."""

    def __init__(self, rng: random.Random, parameters: list[str]):
        self.rng, self.known, self.count = rng, list(parameters), 0

    def _dead(self) -> ast.stmt:
        self.count += 1
        a, b = self.rng.choice(self.known), self.rng.choice(self.known)
        value = self.rng.choice([f"({a}, {b})", f"[{a}] * 2", f"id({a}) + id({b})",
                                 f"{a} if {b} is not None else None"])
        return ast.parse(f"unused_{self.count} = {value}").body[0]

    def _block(self, block: list[ast.stmt]) -> list[ast.stmt]:
        """The block with dead statements put in; they read only names certainly set where they stand."""
        out, outer = [], list(self.known)
        for statement in block:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            plain = [t.id for t in targets if isinstance(t, ast.Name)]
            reads_itself = any(isinstance(n, ast.Name) and n.id in plain for n in ast.walk(statement.value)) \
                if plain else True
            if plain and not reads_itself and self.rng.random() < 0.5:
                out.append(ast.parse(f"{plain[0]} = None").body[0])  # a dead store: overwritten at once
            before = list(self.known)
            if isinstance(statement, ast.For):  # its variable is set inside its body
                self.known += [n.id for n in ast.walk(statement.target) if isinstance(n, ast.Name)]
            out.append(self.visit(statement))
            self.known = before
            if isinstance(statement, (ast.Assign, ast.AugAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                self.known += [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]
            if not isinstance(statement, (ast.Return, ast.Raise)) and self.rng.random() < 0.6:
                out.append(self._dead())
        self.known = outer
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if (isinstance(block, list) and block and isinstance(block[0], ast.stmt)
                    and not isinstance(node, ast.Module)):
                setattr(node, field, self._block(block))
        return node


def dead_statements(source: str, rng: random.Random) -> str:
    """Statements that compute from live variables, whose results are never used, and dead stores."""
    tree = ast.parse(source)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    parameters = [a.arg for a in function.args.args]
    _DeadStatements(rng, parameters).generic_visit(function)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _inlined(statements: list[ast.stmt], expression: ast.expr) -> ast.expr | None:
    """``expression`` with the temporaries that ``statements`` assign (``x = ...``, in order) put in their
    place; None when a statement is anything else."""
    values: dict[str, ast.expr] = {}

    class Put(ast.NodeTransformer):
        def visit_Name(self, node):
            return values.get(node.id, node) if isinstance(node.ctx, ast.Load) else node

    for statement in statements:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return None
        values[statement.targets[0].id] = Put().visit(copy.deepcopy(statement.value))
    return Put().visit(copy.deepcopy(expression))


class _AsComprehensions(ast.NodeTransformer):
    """Innermost loops written as comprehensions, and list comprehensions written as loops (see below)."""

    def visit_For(self, node: ast.For) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.target, ast.Name) or node.orelse or not node.body:
            return node
        *temporaries, last = node.body
        variable = node.target.id
        if isinstance(last, ast.AugAssign) and isinstance(last.target, ast.Name) and isinstance(last.op, ast.Add):
            value = _inlined(temporaries, last.value)  # total += e  ->  total += sum(e for v in it)
            inner = value.generators if isinstance(value, ast.GeneratorExp) else None
            if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "sum" \
                    and isinstance(value.args[0], ast.GeneratorExp):  # an inner loop already made a sum: one sum
                generator = value.args[0]
                generator.generators.insert(0, ast.comprehension(node.target, node.iter, [], 0))
                return ast.AugAssign(last.target, ast.Add(), value)
            if value is not None and inner is None:
                generator = ast.GeneratorExp(value, [ast.comprehension(node.target, node.iter, [], 0)])
                return ast.AugAssign(last.target, ast.Add(), ast.Call(ast.Name("sum", ast.Load()), [generator], []))
        if (isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Subscript)
                and isinstance(last.targets[0].slice, ast.Tuple)):
            index = last.targets[0].slice.elts  # Z[i, h, w, c] = e  ->  Z[i, h, w, :] = [e for c in range(n)]
            value = _inlined(temporaries, last.value)
            if value is not None and isinstance(index[-1], ast.Name) and index[-1].id == variable \
                    and getattr(node.iter.func, "id", "") == "range" and len(node.iter.args) == 1:
                target = ast.Subscript(last.targets[0].value, ast.Tuple([*index[:-1], ast.Slice()], ast.Load()),
                                       ast.Store())
                comprehension = ast.ListComp(value, [ast.comprehension(node.target, node.iter, [], 0)])
                return ast.Assign([target], comprehension)
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.AST | list[ast.stmt]:
        if isinstance(node.value, ast.ListComp) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id  # x = [e for a in A for b in B]  ->  x = []; for a in A: for b in B: x.append(e)
            body: list[ast.stmt] = [ast.parse(f"{name}.append(None)").body[0]]
            body[0].value.args = [node.value.elt]
            for generator in reversed(node.value.generators):
                for condition in reversed(generator.ifs):
                    body = [ast.If(condition, body, [])]
                body = [ast.For(generator.target, generator.iter, body, [])]
            return [ast.parse(f"{name} = []").body[0], *body]
        return node


def as_comprehensions(source: str, rng: random.Random) -> str:
    """Loops turned into comprehensions where they fit (an innermost loop that fills one element per round
    from temporaries, or adds to a total), and list comprehensions into loops."""
    tree = _AsComprehensions().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


PACKAGINGS = {"exec_string": in_exec_string, "alias": aliased, "wrapper": wrapped, "static_method": static_method,
              "dead_statements": dead_statements, "comprehensions": as_comprehensions}


# -- a synthetic class ---------------------------------------------------------------------------------------
def own_touch(source: str, rng: random.Random, edits: int = 3) -> str:
    """The implementation made a learner's own: a few statements of theirs (checks, a wrapped value)."""
    tree = ast.parse(source)
    function = tree.body[0]
    for _ in range(edits):
        blocks = [node.body for node in ast.walk(function) if isinstance(getattr(node, "body", None), list)]
        block = rng.choice(blocks)
        assigned = [s for s in block if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name)]
        where = rng.randrange(len(block))
        if assigned and rng.random() < 0.5:
            statement = rng.choice(assigned)
            statement.value = ast.parse(f"np.asarray({ast.unparse(statement.value)})", mode="eval").body
            continue
        name = assigned[0].targets[0].id if assigned else "np"
        extra = rng.choice([f"assert {name} is not None", f"print('{name}', {rng.randrange(100)})",
                            f"check_{rng.randrange(1000)} = {rng.randrange(1, 9)}"])
        block.insert(where, ast.parse(extra).body[0])  # before a statement, so never after a return
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def filled(release: dict, cells: dict[str, str]) -> str:
    """The release notebook (JSON dict) with the named solution cells replaced, as notebook text."""
    notebook = json.loads(json.dumps(release))
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id in cells:
            cell["source"] = cells[grade_id]
    return json.dumps(notebook, indent=1)


def make_class(course: Path, count: int, rng: random.Random, public: list[dict[str, str]]) -> dict[str, list[str]]:
    """Write ``count`` submissions under ``course/submitted``; returns {planted group: its members}.

    About 5% of the class are disguised copies of another learner (a group of two), about 6% are in clusters
    of three to five learners sharing one solution, and 1% hand in a public solution (``public``), disguised
    (a group whose first member is ``known:<index>``).
    """
    release = json.loads(RELEASE_NOTEBOOK.read_text(encoding="utf-8"))
    styles = [reference_solution(), *IMPLEMENTATIONS.values()]
    students: dict[str, dict[str, str]] = {}
    unpackaged: dict[str, dict[str, str]] = {}  # what a copy of a packaged learner copies (and disguises again)
    groups: dict[str, list[str]] = {}
    while len(students) < count:
        student, kind = f"s{len(students):04d}", rng.random()
        if kind < 0.05 and students:  # a copy of someone
            source = rng.choice(sorted(students))
            members, own = [source, student], unpackaged[source]
        elif kind < 0.07 and count - len(students) >= 3:  # a cluster
            size = rng.randint(3, min(5, count - len(students)))
            members = [f"s{len(students) + k:04d}" for k in range(size)]
            own = {name: own_touch(rng.choice(styles)[name], rng) for name in styles[0]}
        elif kind < 0.08:  # a public solution
            which = rng.randrange(len(public))
            members, own = [f"known:{which}", student], public[which]
        else:
            members = [student]
            own = {name: own_touch(rng.choice(styles)[name], rng) for name in styles[0]}
        for member in members:
            if member not in students and not member.startswith("known:"):
                students[member] = {name: rng.choice(list(DISGUISES.values()))(code, rng) for name, code in own.items()}
                unpackaged[member] = students[member]
                if len(members) > 1 and member != members[0] and rng.random() < 0.5:  # a copy, also packaged
                    packaging = rng.choice(list(PACKAGINGS.values()))
                    students[member] = {name: packaging(code, rng) for name, code in students[member].items()}
        if len(members) > 1:
            groups[f"group of {members[0]}"] = members
    for student, cells in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(filled(release, cells), encoding="utf-8")
    return groups


def public_solutions(rng: random.Random, count: int = 2) -> list[dict[str, str]]:
    """Solutions as found in public repositories: each function one of the styles, made someone's own."""
    styles = [reference_solution(), *IMPLEMENTATIONS.values()]
    return [{name: own_touch(rng.choice(styles)[name], rng) for name in styles[0]} for _ in range(count)]


def write_known(folder: Path, solutions: list[dict[str, str]]) -> list[str]:
    """Known solutions as found in repositories: a ``.py`` file, then a notebook without nbgrader metadata, ...

    Returns their ids (file names), in the order of ``solutions``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number, cells in enumerate(solutions):
        if number % 2 == 0:
            names.append(f"public_{number}.py")
            code = "import numpy as np\n\n\n" + "\n\n".join(cells.values())
            (folder / names[-1]).write_text(code, encoding="utf-8")
        else:
            names.append(f"public_{number}.ipynb")
            sources = ["%matplotlib inline\nimport numpy as np", *cells.values()]
            notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                                   "source": text} for text in sources]}
            (folder / names[-1]).write_text(json.dumps(notebook), encoding="utf-8")
    return names


# -- the naive baseline -----------------------------------------------------------------------------------------
def naive_baseline(course: Path, sampled: int, rng: random.Random) -> tuple[float, int]:
    """Seconds that all-pairs difflib would take on the class (reading timed in full, pairs on a sample)."""
    started = time.perf_counter()
    texts = []
    for path in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts.append("\n".join(cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                                for cell in cells if cell["cell_type"] == "code"))
    reading = time.perf_counter() - started
    pairs = len(texts) * (len(texts) - 1) // 2
    sample = [tuple(rng.sample(range(len(texts)), 2)) for _ in range(sampled)]
    started = time.perf_counter()
    for i, j in sample:
        difflib.SequenceMatcher(None, texts[i], texts[j]).ratio()
    per_pair = (time.perf_counter() - started) / sampled
    return reading + per_pair * pairs, pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000, help="class size (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pairs-sampled", type=int, default=300, help="pairs timed for the baseline")
    parser.add_argument("--keep", type=Path, help="build the course here and keep it (default: a temporary folder)")
    options = parser.parse_args(argv)
    rng = random.Random(options.seed)
    root = options.keep or Path(tempfile.mkdtemp(prefix="similarity-bench-"))
    try:
        course = root / "course"
        (course / "release" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
        shutil.copy(RELEASE_NOTEBOOK, course / "release" / ASSIGNMENT)
        print(f"writing {options.submissions} submissions ...", file=sys.stderr)
        public = public_solutions(rng)
        known_ids = write_known(root / "known", public)
        groups = make_class(course, options.submissions, rng, public)
        command = [sys.executable, "-m", "autograder.similarity.cli", ASSIGNMENT, "--course", str(course),
                   "--against", str(root / "known"), "--no-progress"]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, text=True,
                              stderr=subprocess.PIPE)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"autograder similarity failed ({done.returncode}):\n{done.stderr}")
        report = json.loads((course / "reports" / ASSIGNMENT / "similarity.json").read_text(encoding="utf-8"))
        baseline, pairs = naive_baseline(course, options.pairs_sampled, rng)
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    listed = {frozenset((pair["a"], pair["b"])) for pair in report["pairs"]}
    listed |= {frozenset((match["student"], "known:" + str(known_ids.index(match["known"]))))
               for match in report["known_matches"] if match["overall"] >= report["threshold"]}
    planted = [frozenset((members[0], other)) for members in groups.values() for other in members[1:]]
    found = sum(pair in listed for pair in planted)
    load = os.getloadavg()[0]
    print(f"autograder similarity, N = {report['students']} submissions ({pairs:,} pairs, 8 functions, "
          f"{len(report['known_solutions'])} known solutions), {os.cpu_count()} cores, load average {load:.1f}:")
    print(f"  {seconds:.1f} s wall clock, {report['students'] / seconds:.0f} submissions/s "
          f"(target: 1,000 in under {TARGET_SECONDS:.0f} s)")
    print(f"  naive all-pairs difflib (extrapolated from {options.pairs_sampled} pairs): {baseline:,.0f} s; "
          f"{baseline / seconds:,.0f}x slower")
    print(f"  planted copies listed at the default threshold: {found} of {len(planted)}; pairs listed in all: "
          f"{report['pairs_total']}, clusters: {len(report['clusters'])}, known matches: "
          f"{report['known_matches_total']}")
    fast_enough = report["students"] < 1000 or seconds < TARGET_SECONDS
    return 0 if fast_enough and found == len(planted) else 1


if __name__ == "__main__":
    sys.exit(main())
