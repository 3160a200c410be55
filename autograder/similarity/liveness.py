"""Statements whose results are never used, taken out of a function before it is compared.

Dead statements are a cheap disguise: ``unused = Z.sum() * stride`` reads
live variables, so it looks like part of the computation, and pushes a copy's
score down. A statement is dropped when what it computes can never be read:

- an assignment to plain names (``x = ...``, ``a, b = ...``, ``x += ...``)
  none of which is *strongly live* after it (read later by a statement that
  is itself kept: a variable that only feeds other dead statements is dead
  too), and whose right side has no visible effect;
- an expression statement with no visible effect (``x + 1``, ``np.sum(Z)``,
  ``print(x)``).

A visible effect is a call that can change something: with an ``out=``
argument, a method that changes its object (``append``, ``fill``,
``np.add.at``, ...), numpy's in-place functions (``np.copyto``, ...),
``exec`` and kin; an expression statement that calls a function of the
learner's own is kept too (it may change its arguments), a ``yield`` or a
``:=`` always. Stores into a subscript or an attribute (``Z[i] = ...``) are
always kept, and keep the name they store into alive.

The analysis is the textbook backward liveness over the function's blocks,
with loops iterated to a fixed point and ``try`` taken whole (nothing inside
it is dropped); it never runs anything. Module-level code (an ``exec``
string, a lambda) is left as it is.
"""
from __future__ import annotations

import ast
import copy

MUTATING_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault",
                              "sort", "reverse", "fill", "put", "itemset", "resize", "setflags", "add", "discard",
                              "at", "write", "writelines", "send", "__setitem__", "__delitem__", "popitem",
                              "partition", "seed", "shuffle"})
EFFECTFUL_FUNCTIONS = frozenset({"exec", "eval", "setattr", "delattr", "open", "globals", "locals", "vars", "next",
                                 "input", "copyto", "place", "putmask", "fill_diagonal", "put_along_axis", "seed",
                                 "shuffle", "__import__", "compile", "breakpoint", "iter"})
PURE_CALLS = frozenset({"print", "len", "abs", "sum", "min", "max", "int", "float", "str", "repr", "bool", "round",
                        "isinstance", "type", "range", "list", "tuple", "dict", "set", "zip", "enumerate", "sorted",
                        "reversed", "any", "all", "divmod", "pow", "hash", "id", "format", "slice", "map", "filter"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def _has_effect(node: ast.AST, statement: bool) -> bool:
    """Whether evaluating ``node`` may change something visible. ``statement``: ``node`` is a whole
    expression statement, where a call of a function the learner wrote counts as an effect too."""
    for child in ast.walk(node):
        if isinstance(child, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr)):
            return True
        if not isinstance(child, ast.Call):
            continue
        if any(keyword.arg in ("out", None) for keyword in child.keywords):
            return True
        function = child.func
        if isinstance(function, ast.Attribute):
            if function.attr in MUTATING_METHODS or function.attr in EFFECTFUL_FUNCTIONS:
                return True
        elif isinstance(function, ast.Name):
            if function.id in EFFECTFUL_FUNCTIONS:
                return True
            if statement and function.id not in PURE_CALLS:
                return True
        else:
            return True  # f()(), x[0](): who knows
    return False


def _plain_targets(targets: list[ast.expr]) -> set[str] | None:
    """The names assigned by targets made only of names (``x``, ``a, b``, ``*rest``); None otherwise."""
    names: set[str] = set()
    for target in targets:
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            inner = _plain_targets(list(target.elts))
            if inner is None:
                return None
            names |= inner
        elif isinstance(target, ast.Starred):
            inner = _plain_targets([target.value])
            if inner is None:
                return None
            names |= inner
        else:
            return None
    return names


def reads(node: ast.AST) -> set[str]:
    """Every name ``node`` reads, also the object of a store into a subscript or attribute, and every name
    a nested function, lambda or class mentions (a closure reads them)."""
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Store):
                found.add(child.id)
        elif isinstance(child, (ast.Subscript, ast.Attribute)) and isinstance(child.ctx, (ast.Store, ast.Del)):
            found |= {n.id for n in ast.walk(child.value) if isinstance(n, ast.Name)}
    return found


def _with_blocks(statement: ast.stmt, **blocks: list[ast.stmt]) -> ast.stmt:
    new = copy.copy(statement)
    for name, block in blocks.items():
        setattr(new, name, block or [ast.copy_location(ast.Pass(), statement)])
    return new


class _Liveness:
    """One function's backward pass; what a node reads, and whether it has an effect, are found once (a loop
    is gone over again until its live names settle)."""

    def __init__(self, pinned: set[str]) -> None:
        self.pinned = pinned
        self._reads: dict[int, frozenset[str]] = {}
        self._effects: dict[tuple[int, bool], bool] = {}

    def reads(self, node: ast.AST) -> frozenset[str]:
        found = self._reads.get(id(node))
        if found is None:
            found = self._reads[id(node)] = frozenset(reads(node))
        return found

    def effect(self, node: ast.AST, statement: bool) -> bool:
        key = (id(node), statement)
        found = self._effects.get(key)
        if found is None:
            found = self._effects[key] = _has_effect(node, statement)
        return found

    def block(self, statements: list[ast.stmt], live: frozenset[str]) -> tuple[list[ast.stmt], frozenset[str]]:
        """Backward over a block: the statements kept, and the names live before the block."""
        kept: list[ast.stmt] = []
        for statement in reversed(statements):
            statement, live = self.statement(statement, live)
            if statement is not None:
                kept.append(statement)
        kept.reverse()
        return kept, live

    def statement(self, statement: ast.stmt, live: frozenset[str]) -> tuple[ast.stmt | None, frozenset[str]]:
        if isinstance(statement, ast.Assign):
            names = _plain_targets(statement.targets)
            if names is not None and not (names & live or names & self.pinned) \
                    and not self.effect(statement.value, False):
                return None, live
            return statement, (live - (names or set())) | self.reads(statement)
        if isinstance(statement, ast.Expr):
            if not self.effect(statement.value, True):
                return None, live
            return statement, live | self.reads(statement)
        if isinstance(statement, (ast.Return, ast.Raise)):
            return statement, self.reads(statement) | self.pinned
        if isinstance(statement, ast.If):
            body, live_body = self.block(statement.body, live)
            orelse, live_else = self.block(statement.orelse, live)
            if not body and not orelse and not self.effect(statement.test, False):
                return None, live
            new = _with_blocks(statement, body=body)
            new.orelse = orelse
            return new, live_body | live_else | self.reads(statement.test)
        if isinstance(statement, _LOOPS):
            return self.loop(statement, live)
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            body, live_body = self.block(statement.body, live)
            return _with_blocks(statement, body=body), live_body.union(*(self.reads(i) for i in statement.items))
        # try, match, nested def or class, assert, del, import, global, ...: kept whole, everything it reads live
        return statement, live | self.reads(statement)

    def loop(self, loop: ast.stmt, live: frozenset[str]) -> tuple[ast.stmt | None, frozenset[str]]:
        """A loop: its body's live-out is what is live after the loop plus what the body itself needs on the
        next round, found by iterating to a fixed point (the sets only grow, and are finite)."""
        orelse, after = self.block(loop.orelse, live)
        is_for = isinstance(loop, (ast.For, ast.AsyncFor))
        header = self.reads(loop.iter) | self.reads(loop.target) if is_for else self.reads(loop.test)
        written = (_plain_targets([loop.target]) or set()) if is_for else set()
        out = after | live | header
        while True:
            body, live_body = self.block(loop.body, out)
            grown = out | (live_body - written)
            if grown == out:
                break
            out = grown
        if not body and not orelse and not self.effect(loop.iter if is_for else loop.test, False):
            return None, live  # a loop that computes nothing used
        new = _with_blocks(loop, body=body)
        new.orelse = orelse
        return new, out | header


def pruned(function: ast.FunctionDef | ast.AsyncFunctionDef,
           pinned: frozenset[str] | None = None) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """``function`` without the statements whose results are never used (a new node; the old is unchanged).
    ``pinned``: names never dropped (those declared ``global`` or ``nonlocal``; found here when not given)."""
    if pinned is None:
        pinned = frozenset(name for node in ast.walk(function) if isinstance(node, (ast.Global, ast.Nonlocal))
                           for name in node.names)
    body, _ = _Liveness(frozenset(pinned)).block(function.body, frozenset())
    new = copy.copy(function)
    new.body = body or [ast.copy_location(ast.Pass(), function)]
    return new
