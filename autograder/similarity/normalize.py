"""One function's source (or what a graded name reaches) -> a normalized token stream, the same for disguised
copies of the same code.

The function is parsed with :mod:`ast` (so formatting and comments are gone),
rewritten by :class:`Canonical` (equivalent numpy spellings made one), and
written out as a stream of tokens in the manner of JPlag and MOSS:

- every identifier the learner chose (variables, parameters, helper names)
  is the one token ``V``; numpy's names (``np``, ``sum``, ``shape``, ...),
  Python's builtins, keywords and keyword-argument names are kept;
- string literals are ``S``, numbers ``N``; docstrings, bare strings and
  ``pass`` are dropped;
- each expression is written prefix (operator, then operands), and the two
  operands of ``+`` and ``*`` in a canonical order;
- within a run of simple statements (assignments, calls, imports), statements
  that do not depend on each other (by the names they read and write) are put
  in a canonical order: the dependency graph's topological order that takes,
  at each step, the smallest ready statement by its tokens. Reordering
  independent statements does not change that order.

Two more rewrites see through disguises that change the code's shape but
not what it computes: statements whose results are never used are left out
(:mod:`.liveness`), and comprehensions are read as the loops they stand for,
with what a loop collects as one statement (:mod:`.loops`). A method's
``self`` and its ``staticmethod`` decorator are left out: a function moved
into a class is the same function.

Each token remembers the lines of its statement in the function's source,
so that matched fingerprints can be shown as marked lines.
"""
from __future__ import annotations

import ast
import builtins
import heapq
from copy import copy, deepcopy
from dataclasses import dataclass, field

import numpy as np

from .liveness import pruned
from .loops import Collect, collected, loop_names, unrolled

NUMPY_ALIASES = frozenset({"np", "numpy"})
KEPT_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_")) | {"self"}
NUMPY_VOCABULARY = frozenset(
    name for module in (np, np.ndarray, np.lib.stride_tricks, np.linalg, np.random)
    for name in dir(module) if not name.startswith("_"))

# np.f(a, b) -> a <op> b, for two positional arguments and no keyword
BINARY_FUNCTIONS = {"multiply": ast.Mult, "add": ast.Add, "subtract": ast.Sub, "divide": ast.Div,
                    "true_divide": ast.Div, "floor_divide": ast.FloorDiv, "power": ast.Pow, "mod": ast.Mod,
                    "remainder": ast.Mod, "matmul": ast.MatMult, "dot": ast.MatMult}
# x.f(...) -> np.f(x, ...): reductions and the like, whose method and function forms take the same arguments
FUNCTION_FORM = frozenset({"sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin", "any", "all",
                           "cumsum", "cumprod", "clip", "round", "squeeze", "nonzero"})
# np.f(x, ...) -> x.f(...): the method form, for these
METHOD_FORM = frozenset({"reshape", "transpose", "copy", "ravel", "astype"})
LIKE_FUNCTIONS = {"zeros_like": "zeros", "ones_like": "ones", "empty_like": "empty"}
COMMUTATIVE = (ast.Add, ast.Mult)
SIMPLE_STATEMENTS = (ast.Assign, ast.Expr, ast.Import, ast.ImportFrom, Collect)
METHOD_DECORATORS = frozenset({"staticmethod", "classmethod"})  # how a function is attached, not what it does
MAX_RUN = 200  # statements ordered together at most (the dependency test is quadratic in a run)


def _is_numpy(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in NUMPY_ALIASES


def _numpy_function(node: ast.AST) -> str | None:
    """``f`` when ``node`` is ``np.f``."""
    if isinstance(node, ast.Attribute) and _is_numpy(node.value):
        return node.attr
    return None


def _np(attr: str, like: ast.AST) -> ast.Attribute:
    return ast.copy_location(ast.Attribute(value=ast.Name(id="np", ctx=ast.Load()), attr=attr, ctx=ast.Load()), like)


def _shape_argument(args: list[ast.expr]) -> list[ast.expr]:
    """``x.reshape(a, b)`` takes the shape as separate arguments: make it the one tuple ``(a, b)``."""
    return [ast.Tuple(elts=args, ctx=ast.Load())] if len(args) > 1 else args


class Canonical(ast.NodeTransformer):
    """Rewrites equivalent spellings into one (the rewritten tree is only tokenized, never run)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        function = _numpy_function(node.func)
        plain = not node.keywords and not any(isinstance(arg, ast.Starred) for arg in node.args)
        if function in BINARY_FUNCTIONS and plain and len(node.args) == 2:
            return ast.copy_location(ast.BinOp(node.args[0], BINARY_FUNCTIONS[function](), node.args[1]), node)
        if function == "negative" and plain and len(node.args) == 1:
            return ast.copy_location(ast.UnaryOp(ast.USub(), node.args[0]), node)
        if function in METHOD_FORM and node.args:
            if function == "transpose" and len(node.args) == 1 and not node.keywords:
                return ast.copy_location(ast.Attribute(value=node.args[0], attr="T", ctx=ast.Load()), node)
            method = ast.Attribute(value=node.args[0], attr=function, ctx=ast.Load())
            return ast.copy_location(ast.Call(func=method, args=_shape_argument(node.args[1:]),
                                              keywords=node.keywords), node)
        if function in LIKE_FUNCTIONS and len(node.args) == 1:
            shape = ast.Attribute(value=node.args[0], attr="shape", ctx=ast.Load())
            return ast.copy_location(ast.Call(func=_np(LIKE_FUNCTIONS[function], node), args=[shape],
                                              keywords=node.keywords), node)
        if isinstance(node.func, ast.Attribute) and not _is_numpy(node.func.value):
            method, receiver = node.func.attr, node.func.value
            if method == "dot" and plain and len(node.args) == 1:
                return ast.copy_location(ast.BinOp(receiver, ast.MatMult(), node.args[0]), node)
            if method == "transpose" and not node.args and not node.keywords:
                return ast.copy_location(ast.Attribute(value=receiver, attr="T", ctx=ast.Load()), node)
            if method in ("reshape", "transpose"):
                node.args = _shape_argument(node.args)
            if method in FUNCTION_FORM:
                return ast.copy_location(ast.Call(func=_np(method, node), args=[receiver, *node.args],
                                                  keywords=node.keywords), node)
        if (isinstance(node.func, ast.Name) and node.func.id == "range" and len(node.args) == 2 and plain
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0):
            node.args = node.args[1:]
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        value = ast.BinOp(_as_load(node.target), node.op, node.value)
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST | None:
        self.generic_visit(node)
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        flipped = {ast.Gt: ast.Lt, ast.GtE: ast.LtE}
        if len(node.ops) == 1 and type(node.ops[0]) in flipped:
            return ast.copy_location(ast.Compare(node.comparators[0], [flipped[type(node.ops[0])]()], [node.left]),
                                     node)
        return node

    def visit_comprehension_node(self, node: ast.AST) -> ast.AST:
        self.comprehensions = True
        return self.generic_visit(node)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_comprehension_node
    comprehensions = False  # whether the tree holds any (so that .loops need not look for them otherwise)

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> ast.AST:
        self.pinned = self.pinned | set(node.names)
        return node

    visit_Nonlocal = visit_Global
    pinned: frozenset[str] | set[str] = frozenset()  # names declared global or nonlocal anywhere in the tree

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.returns = None
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def _as_load(target: ast.expr) -> ast.expr:
    """The target of ``x += y`` read back as ``x``: a copy, every context Load."""
    copy = deepcopy(target)
    for node in ast.walk(copy):
        if hasattr(node, "ctx"):
            node.ctx = ast.Load()
    return copy


def _dropped(statement: ast.stmt) -> bool:
    """Docstrings, bare strings (commented-out code in quotes), ``...`` and ``pass`` carry no code."""
    return isinstance(statement, ast.Pass) or (isinstance(statement, ast.Expr)
                                               and isinstance(statement.value, ast.Constant))


# -- tokens ---------------------------------------------------------------------------------------
def _name(identifier: str) -> str:
    if identifier in NUMPY_ALIASES:
        return "np"
    return identifier if identifier in KEPT_NAMES else "V"


def _constant(value: object) -> str:
    if isinstance(value, str | bytes):
        return "S"
    if value is None or isinstance(value, bool) or value is Ellipsis:
        return repr(value)
    return "N"


def expression_tokens(node: ast.AST) -> list[str]:
    """Prefix tokens of any node (statements too, without reordering inside them)."""
    if isinstance(node, ast.Name):
        return [_name(node.id)]
    if isinstance(node, ast.Attribute):
        return ["."] + expression_tokens(node.value) + [node.attr if node.attr in NUMPY_VOCABULARY else "V"]
    if isinstance(node, ast.Constant):
        return [_constant(node.value)]
    if isinstance(node, ast.BinOp):
        left, right = expression_tokens(node.left), expression_tokens(node.right)
        if isinstance(node.op, COMMUTATIVE) and right < left:
            left, right = right, left
        return [type(node.op).__name__] + left + right
    if isinstance(node, ast.Call):
        tokens = ["Call"] + expression_tokens(node.func)
        for argument in node.args:
            tokens += expression_tokens(argument)
        for keyword in sorted(node.keywords, key=lambda k: k.arg or ""):
            tokens += ["=" + (keyword.arg or "**")] + expression_tokens(keyword.value)
        return tokens + [")"]
    if isinstance(node, ast.arg):
        return ["arg"]
    tokens = [type(node).__name__]
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.expr_context):
            tokens += expression_tokens(child)
    return tokens


@dataclass
class TokenStream:
    """``tokens[i]`` (str) came from the statement on source lines ``spans[statement_of[i]]`` = (first, last).

    A block's closing ``}`` has the empty span (0, -1): it marks no line.
    """

    tokens: list[str] = field(default_factory=list)
    statement_of: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, tokens: list[str], first: int, last: int) -> None:
        self.spans.append((first, last))
        self.tokens += tokens
        self.statement_of += [len(self.spans) - 1] * len(tokens)


def _reads_and_writes(statement: ast.stmt) -> tuple[set[str], set[str]]:
    reads, writes = set(), set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            (writes if isinstance(node.ctx, ast.Store) else reads).add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            writes.update(n.id for n in ast.walk(node.value) if isinstance(n, ast.Name))
        elif isinstance(node, ast.alias):
            writes.add((node.asname or node.name).split(".")[0])
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):  # a call may change its arguments
        writes |= reads
    if isinstance(statement, Collect):
        writes.add(statement.target)
    return reads, writes


def _ordered_run(run: list[ast.stmt]) -> list[tuple[ast.stmt, list[str]]]:
    """The run's statements with their tokens, in the canonical order (see the module's docstring)."""
    tokens = [expression_tokens(statement) for statement in run]
    if len(run) < 2:
        return list(zip(run, tokens))
    effects = [_reads_and_writes(statement) for statement in run]
    after: list[list[int]] = [[] for _ in run]
    waiting = [0] * len(run)
    for j, (reads_j, writes_j) in enumerate(effects):
        for i in range(j):
            reads_i, writes_i = effects[i]
            if writes_i & (reads_j | writes_j) or reads_i & writes_j:
                after[i].append(j)
                waiting[j] += 1
    # Two statements with the same tokens (``s = hp["stride"]``, ``p = hp["pad"]``) are told apart by the
    # statements that wait for them and that they wait for, never by where they were written.
    before: list[list[int]] = [[] for _ in run]
    for i, later in enumerate(after):
        for j in later:
            before[j].append(i)
    keys = [(tuple(tokens[i]), tuple(sorted(tuple(tokens[j]) for j in after[i])),
             tuple(sorted(tuple(tokens[j]) for j in before[i]))) for i in range(len(run))]
    ready = [(keys[i], i) for i in range(len(run)) if not waiting[i]]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, i = heapq.heappop(ready)
        ordered.append((run[i], tokens[i]))
        for j in after[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (keys[j], j))
    return ordered


def _header_end(statement: ast.stmt) -> int:
    body = getattr(statement, "body", None)
    if isinstance(body, list) and body:
        return max(statement.lineno, body[0].lineno - 1)
    return statement.lineno


def _block(statements: list[ast.stmt], stream: TokenStream, loops: frozenset[str] = frozenset(),
           unroll: bool = True) -> None:
    """Tokens of a list of statements: runs of simple ones in canonical order, compound ones in place.

    ``loops``: the variables of the loops around the block; ``unroll``: comprehensions may be in it (see
    :mod:`.loops`)."""
    run: list[ast.stmt] = []

    def flush() -> None:
        for simple, tokens in _ordered_run(run):
            stream.add(tokens, simple.lineno, simple.end_lineno or simple.lineno)
        run.clear()

    for written in statements:
        if _dropped(written):
            continue
        for statement in unrolled(written) if unroll else (written,):
            statement = collected(statement, loops)
            if isinstance(statement, SIMPLE_STATEMENTS):
                if len(run) == MAX_RUN:
                    flush()
                run.append(statement)
            else:
                flush()
                _compound(statement, stream, loops, unroll)
    flush()


def _function_head(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """``def`` and the parameters' tokens: a method's ``self`` or ``cls`` and the decorators that make a
    function a method (``staticmethod``, ``classmethod``) are left out, as a copy moved into a class has them."""
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    if positional and positional[0].arg in ("self", "cls"):
        arguments = ast.arguments(posonlyargs=[], args=positional[1:], vararg=arguments.vararg,
                                  kwonlyargs=arguments.kwonlyargs, kw_defaults=arguments.kw_defaults,
                                  kwarg=arguments.kwarg, defaults=arguments.defaults)
    decorators = [decorator for decorator in function.decorator_list
                  if not (isinstance(decorator, ast.Name) and decorator.id in METHOD_DECORATORS)]
    return ["def"] + expression_tokens(arguments) + [token for decorator in decorators
                                                     for token in expression_tokens(decorator)]


def _compound(statement: ast.stmt, stream: TokenStream, loops: frozenset[str] = frozenset(),
              unroll: bool = True) -> None:
    """A statement with a body: its header's tokens, each body as a block, then a closing ``}``."""
    first, header = statement.lineno, _header_end(statement)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        loops = frozenset()
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        loops = loops | loop_names(statement.target)
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        head = ["For"] + expression_tokens(statement.target) + expression_tokens(statement.iter)
    elif isinstance(statement, (ast.While, ast.If)):
        head = [type(statement).__name__] + expression_tokens(statement.test)
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        head = ["With"] + [token for item in statement.items for token in expression_tokens(item)]
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        head = _function_head(statement)
    elif isinstance(statement, ast.ClassDef):
        head = ["class"] + [token for base in statement.bases for token in expression_tokens(base)]
    elif isinstance(statement, ast.Try):
        head = ["Try"]
    else:  # return, raise, assert, del, global, match, ...: no block of ours inside
        stream.add(expression_tokens(statement), first, statement.end_lineno or first)
        return
    stream.add(head, first, header)
    _block(statement.body, stream, loops, unroll)
    for handler in getattr(statement, "handlers", []):
        stream.add(["except"] + (expression_tokens(handler.type) if handler.type else []), handler.lineno,
                   handler.lineno)
        _block(handler.body, stream, loops, unroll)
    for name in ("orelse", "finalbody"):
        if getattr(statement, name, None):
            stream.add([name], first, first)
            _block(getattr(statement, name), stream, loops, unroll)
    stream.add(["}"], 0, -1)  # the end of a block: no line of its own to mark


def _pruned_block(statements: list[ast.stmt], pinned: frozenset[str]) -> list[ast.stmt]:
    """Every function among ``statements``, and in their blocks, rid of the statements whose results are never
    used (:mod:`.liveness`), inner functions first. Only blocks of statements are searched: a function inside
    an expression (a lambda) has no statements."""
    out = []
    for statement in statements:
        blocks = {name: getattr(statement, name) for name in ("body", "orelse", "finalbody")
                  if isinstance(getattr(statement, name, None), list)}
        if blocks or getattr(statement, "handlers", None):
            statement = copy(statement)
            for name, block in blocks.items():
                setattr(statement, name, _pruned_block(block, pinned))
            if getattr(statement, "handlers", None):
                statement.handlers = [_with_body(handler, pinned) for handler in statement.handlers]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            statement = pruned(statement, pinned)
        out.append(statement)
    return out


def _with_body(handler: ast.ExceptHandler, pinned: frozenset[str]) -> ast.ExceptHandler:
    handler = copy(handler)
    handler.body = _pruned_block(handler.body, pinned)
    return handler


def function_tokens(source: str, prune: bool = True) -> TokenStream:
    """The normalized tokens of the code in ``source``, a function or what a graded name reaches (the pieces
    of :mod:`.reach`, each a ``def`` or top-level code, in order); lines counted from 1 in ``source``.
    ``prune``: leave out the statements whose results are never used (the release's code, subtracted as
    base code, is taken both ways).

    Raises SyntaxError (or RecursionError on absurdly nested code) for the caller to report.
    """
    canonical = Canonical()
    tree = canonical.visit(ast.parse(source))
    if prune:
        tree.body = _pruned_block(tree.body, frozenset(canonical.pinned))
    stream = TokenStream()
    _block(tree.body, stream, unroll=canonical.comprehensions)
    return stream


def statements_tokens(source: str) -> TokenStream:
    """The normalized tokens of every statement of ``source`` (a snippet, not a function)."""
    tree = Canonical().visit(ast.parse(source))
    stream = TokenStream()
    _block(tree.body, stream)
    return stream
