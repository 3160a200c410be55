"""The code each graded name reaches in a file, without running anything: what similarity compares.

A copied solution need not sit in a top-level ``def`` of the graded name. It
may be bound to it (``conv_forward = _impl``), wrapped (a one-line
``conv_forward`` that calls a helper holding the body, ``partial(_impl)``), a
class's static method assigned to the name (``conv_forward = Layers.forward``),
or code in a string handed to ``exec`` or ``eval``. So a file's top-level
statements, in order, build a namespace (:class:`Namespace`) as running them
would, as far as it can be known without running them:

- ``def`` and ``class`` bind their name (a class keeps its methods and
  attributes); ``a = b``, ``a = C.m``, ``a = C().m``, ``a, b = x, y``,
  ``globals()["a"] = b``, ``a = lambda ...`` and ``a = wrap(f)`` (any call
  that is handed a function: ``staticmethod``, ``partial``, a decorator) bind
  ``a`` to what the right side is at that moment; ``a = factory()`` reaches
  the factory (a function that defines a function or lambda inside; any
  other call's result is a value, not code);
- strings made of constants (literals, ``+``, ``textwrap.dedent``,
  ``.strip()``) are known, and ``exec(S)`` of such a string at the top level
  runs its statements into the namespace (to a depth of :data:`MAX_DEPTH`);
- ``if``, ``try``, ``with`` and ``for`` blocks at the top level are read in
  order (the last binding wins, as it would if they ran).

What a graded name reaches is its own code (a *piece*: a function, a lambda,
a method, the code of an ``exec`` string), then every piece that code names
(a helper it calls or passes on, a method reached through ``self``, ``cls``
or a class, the code of an ``exec`` or ``eval`` string inside it), and so on,
in the order first met, up to :data:`MAX_PIECES`. Another graded function is
not followed: it is compared on its own. The pieces, each as its own source
text at column 0, joined by blank lines, are the text that is fingerprinted
and shown (:func:`reached_sources`).
"""
from __future__ import annotations

import ast
import functools
import textwrap
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable

MAX_DEPTH = 4  # exec strings inside exec strings
MAX_PIECES = 16  # pieces reached from one graded name
MAX_STRING = 200_000  # characters of a string constant followed into exec


@dataclass(eq=False)
class Piece:
    """A unit of code that a name can reach: a function, a lambda, a method or an exec'd string's code."""

    node: ast.AST  # FunctionDef, AsyncFunctionDef, Lambda or Module
    text: str  # its source, at column 0, parseable alone
    owner: "ClassInfo | None" = None  # the class of a method
    namespace: "Namespace | None" = None  # where its free names resolve

    @functools.cached_property
    def makes_functions(self) -> bool:
        """Whether it defines a function or lambda inside (so that what it returns may be one: a factory)."""
        if "lambda" not in self.text and self.text.count("def ") < 2:  # most functions: no need to walk them
            return False
        return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and node is not self.node
                   for node in ast.walk(self.node))


@dataclass(eq=False)
class ClassInfo:
    members: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Instance:
    of: ClassInfo


@dataclass(eq=False)
class Reaches:
    """A value that reaches pieces without being one: a wrapper (``partial(f)``), a factory's product."""

    pieces: list[Piece]


def _source(node: ast.AST, lines: list[str]) -> str:
    """The text of ``node`` (decorators included) at column 0, or ``ast.unparse`` when that does not parse."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    text = "\n".join(lines[first - 1:node.end_lineno])
    if node.col_offset == 0 and isinstance(node, ast.stmt):
        return text  # a top-level statement's lines of a text that parsed: they parse alone
    text = textwrap.dedent(text)
    try:
        ast.parse(text)
        return text
    except Exception:
        return ast.unparse(node)


class Namespace:
    """The module-level names of one file (see the module's docstring)."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {}

    # -- values of expressions --------------------------------------------------------------------------
    def string(self, node: ast.AST) -> str | None:
        """The value of a string expression made of constants, or None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            value = self.names.get(node.id)
            return value if isinstance(value, str) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.string(node.left), self.string(node.right)
            if left is not None and right is not None and len(left) + len(right) <= MAX_STRING:
                return left + right
            return None
        if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
            return "".join(str(v.value) for v in node.values)
        if isinstance(node, ast.Call) and len(node.args) >= 1:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in ("dedent", "str", "compile"):
                return self.string(node.args[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
                and node.func.attr in ("strip", "lstrip", "rstrip"):
            return self.string(node.func.value)
        return None

    def value(self, node: ast.AST, lines: list[str], owner: ClassInfo | None = None, depth: int = 0) -> Any:
        """What an expression is, as far as this namespace knows: a Piece, ClassInfo, Instance, Reaches, str."""
        if isinstance(node, ast.Name):
            if owner is not None and node.id in owner.members:
                return owner.members[node.id]
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.value(node.value, lines, owner, depth)
            if isinstance(base, Instance):
                base = base.of
            return base.members.get(node.attr) if isinstance(base, ClassInfo) else None
        if isinstance(node, ast.Lambda):
            return Piece(node, _source(node, lines), owner, self)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call) \
                and getattr(node.value.func, "id", None) in ("globals", "locals", "vars"):
            key = self.string(node.slice)
            return self.names.get(key) if key is not None else None
        if isinstance(node, ast.Call):
            return self._call_value(node, lines, owner, depth)
        return self.string(node)

    def _call_value(self, node: ast.Call, lines: list[str], owner: ClassInfo | None, depth: int) -> Any:
        function = node.func
        if isinstance(function, ast.Name) and function.id == "eval" and node.args and depth < MAX_DEPTH:
            text = self.string(node.args[0])
            if text is not None:
                try:
                    expression = ast.parse(text.strip(), mode="eval").body
                except Exception:
                    return None
                return self.value(expression, text.strip().split("\n"), None, depth + 1)
        called = self.value(function, lines, owner, depth)
        if isinstance(called, ClassInfo):
            return Instance(called)
        if isinstance(called, Piece) and not called.makes_functions:
            return None  # a value computed by a function of the learner's (x_pad = zero_pad(x, 2)): not code
        reached = [called] if isinstance(called, Piece) else list(called.pieces) if isinstance(called, Reaches) else []
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            value = self.value(argument, lines, owner, depth)
            if isinstance(value, Piece):
                reached.append(value)
            elif isinstance(value, Reaches):
                reached += value.pieces
        if isinstance(called, str) or called is None and not reached:
            return self.string(node)
        return Reaches(reached) if reached else None

    # -- statements ---------------------------------------------------------------------------------------
    def bind(self, target: ast.AST, value: Any, lines: list[str], owner: ClassInfo | None = None) -> None:
        names = owner.members if owner is not None else self.names
        if isinstance(target, ast.Name):
            names[target.id] = value
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Call) \
                and getattr(target.value.func, "id", None) in ("globals", "locals", "vars"):
            key = self.string(target.slice)
            if key is not None:
                self.names[key] = value
        elif isinstance(target, ast.Attribute):  # C.name = f: a class attribute set from outside
            base = self.value(target.value, lines, owner)
            if isinstance(base, Instance):
                base = base.of
            if isinstance(base, ClassInfo):
                base.members[target.attr] = value

    def _assign(self, node: ast.Assign, lines: list[str], owner: ClassInfo | None, depth: int) -> None:
        for target in node.targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(node.value, (ast.Tuple, ast.List)) \
                    and len(target.elts) == len(node.value.elts):
                values = [self.value(item, lines, owner, depth) for item in node.value.elts]
                for name, value in zip(target.elts, values):
                    self.bind(name, value, lines, owner)
            else:
                self.bind(target, self.value(node.value, lines, owner, depth), lines, owner)

    def _class(self, node: ast.ClassDef, lines: list[str]) -> ClassInfo:
        info = ClassInfo()
        for base in node.bases:  # members a base class already has
            found = self.value(base, lines)
            if isinstance(found, ClassInfo):
                info.members.update(found.members)
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                info.members[statement.name] = Piece(statement, _source(statement, lines), info, self)
            elif isinstance(statement, ast.Assign):
                self._assign(statement, lines, info, 0)
            elif isinstance(statement, ast.ClassDef):
                info.members[statement.name] = self._class(statement, lines)
        return info

    def run(self, statements: Iterable[ast.stmt], lines: list[str], depth: int = 0) -> None:
        """Read top-level ``statements`` (of a text whose lines are ``lines``) into the namespace."""
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.names[node.name] = Piece(node, _source(node, lines), None, self)
            elif isinstance(node, ast.ClassDef):
                self.names[node.name] = self._class(node, lines)
            elif isinstance(node, ast.Assign):
                self._assign(node, lines, None, depth)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self.bind(node.target, self.value(node.value, lines, None, depth), lines)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._top_level_call(node.value, lines, depth)
            elif isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
                for block in ("body", "orelse", "finalbody"):
                    self.run(getattr(node, block, []), lines, depth)
                for handler in getattr(node, "handlers", []):
                    self.run(handler.body, lines, depth)

    def _top_level_call(self, call: ast.Call, lines: list[str], depth: int) -> None:
        """``exec(S)`` of a known string runs it here; ``setattr(C, "name", f)`` and ``globals().update``."""
        name = getattr(call.func, "id", None)
        if name == "exec" and call.args and depth < MAX_DEPTH:
            module = self.exec_module(call.args[0])
            if module is not None:
                tree, text_lines = module
                self.run(tree.body, text_lines, depth + 1)
        elif name == "setattr" and len(call.args) == 3:
            key = self.string(call.args[1])
            if key is not None:
                target = ast.Attribute(value=call.args[0], attr=key, ctx=ast.Store())
                self.bind(target, self.value(call.args[2], lines, None, depth), lines)
        elif isinstance(call.func, ast.Attribute) and call.func.attr == "update" \
                and getattr(getattr(call.func.value, "func", None), "id", None) in ("globals", "locals", "vars"):
            for keyword in call.keywords:
                if keyword.arg:
                    self.names[keyword.arg] = self.value(keyword.value, lines, None, depth)

    def exec_module(self, argument: ast.AST) -> tuple[ast.Module, list[str]] | None:
        """The parsed code of a string handed to exec, and its lines; None when it is not known."""
        text = self.string(argument)
        if text is None or len(text) > MAX_STRING:
            return None
        text = textwrap.dedent(text)
        try:
            return ast.parse(text), text.split("\n")
        except Exception:
            return None


# -- what a graded name reaches -------------------------------------------------------------------------------
def _parameters(node: ast.AST) -> set[str]:
    """The names of a function's (or lambda's) parameters."""
    arguments = getattr(node, "args", None)
    if not isinstance(arguments, ast.arguments):
        return set()
    found = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
    return found | {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}


def _may_name_any(piece: Piece, graded: set[int]) -> bool:
    """Whether ``piece``'s text holds the name of anything it could reach (most functions name none, and
    need not be walked): a function or class of the module but itself and graded ones, exec or eval, or,
    for a method, its class."""
    if piece.owner is not None or "exec" in piece.text or "eval" in piece.text:
        return True
    names = [name for name, value in piece.namespace.names.items()
             if isinstance(value, (Piece, ClassInfo, Instance, Reaches)) and value is not piece
             and not (isinstance(value, Piece) and id(value) in graded)]
    return any(name in piece.text for name in names)


def _named(piece: Piece, graded: set[int]) -> list[Piece]:
    """The pieces that ``piece``'s code names, in the order met (graded functions' own pieces left out)."""
    namespace = piece.namespace
    if namespace is None or not _may_name_any(piece, graded):
        return []
    arguments = getattr(piece.node, "args", None)
    self_name = None
    if piece.owner is not None and isinstance(arguments, ast.arguments) and arguments.args:
        self_name = arguments.args[0].arg
    members = piece.owner.members if piece.owner is not None else {}
    met: list[ast.AST] = []  # names, attributes and exec calls that may reach something, in the order met
    local = _parameters(piece.node)  # names the piece binds itself: not the module's
    for node in ast.walk(piece.node):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                local.add(node.id)
            elif node.id in namespace.names and node.id not in members:
                met.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not piece.node:
            local.add(node.name)
        elif isinstance(node, ast.alias):
            local.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and (base.id in namespace.names or base.id == self_name
                                               or (members and base.id in ("self", "cls", "__class__"))):
                met.append(node)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("exec", "eval") and node.args:
            met.append(node)
    if not met:
        return []
    found: list[Piece] = []

    def add(value: Any) -> None:
        pieces = [value] if isinstance(value, Piece) else value.pieces if isinstance(value, Reaches) else []
        if isinstance(value, ClassInfo):  # a class used by name: its methods
            pieces = [member for member in value.members.values() if isinstance(member, Piece)]
        found.extend(p for p in pieces if id(p) not in graded)

    lines = piece.text.split("\n")
    for node in met:
        if isinstance(node, ast.Name):
            if node.id not in local:
                add(namespace.names.get(node.id))
        elif isinstance(node, ast.Attribute):
            base = node.value.id
            if piece.owner is not None and base in (self_name, "self", "cls", "__class__"):
                add(piece.owner.members.get(node.attr))
            elif base not in local:
                add(namespace.value(node, lines))
        else:
            module = namespace.exec_module(node.args[0])
            if module is not None:
                tree, text_lines = module
                inner = Namespace()
                inner.names = dict(namespace.names)
                inner.run(tree.body, text_lines)
                found.append(Piece(tree, "\n".join(text_lines), None, inner))
    return found


def reached_pieces(namespace: Namespace, name: str, graded_names: Collection[str]) -> list[Piece]:
    """The pieces ``name`` reaches (its own first), at most :data:`MAX_PIECES`; [] when it is not bound."""
    start = namespace.names.get(name)
    if isinstance(start, Instance):
        start = start.of.members.get("__call__")
    roots = [start] if isinstance(start, Piece) else list(start.pieces) if isinstance(start, Reaches) else []
    graded = {id(value) for other, value in namespace.names.items()
              if other in graded_names and other != name and isinstance(value, Piece)}
    graded -= {id(piece) for piece in roots}
    order: list[Piece] = []
    seen: set[int] = set()
    queue = list(roots)
    while queue and len(order) < MAX_PIECES:
        piece = queue.pop(0)
        if id(piece) in seen:
            continue
        seen.add(id(piece))
        order.append(piece)
        queue += _named(piece, graded)
    return order


def reached_sources(namespace: Namespace, names: Collection[str],
                    graded_names: Collection[str] | None = None) -> dict[str, str]:
    """{name: the text of the pieces it reaches, joined by blank lines} for each of ``names`` that is bound;
    ``graded_names`` (default: ``names``) are not followed from one another."""
    out = {}
    for name in names:
        pieces = reached_pieces(namespace, name, names if graded_names is None else graded_names)
        if pieces:
            out[name] = "\n\n".join(piece.text.strip("\n") for piece in pieces) + "\n"
    return out
