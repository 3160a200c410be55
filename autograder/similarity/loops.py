"""Loops and comprehensions in one form, so that turning one into the other does not hide a copy.

Two rewrites, on statements about to be tokenized (:func:`.normalize._block`):

- a comprehension in an assignment, an expression statement or a ``return``
  is taken out in front of it as the loop it stands for:
  ``A = np.stack([f(x) for x in xs if x])`` becomes ``acc = []``,
  ``for x in xs: if x: acc.append(f(x))``, ``A = np.stack(acc)`` (a nested
  comprehension becomes nested loops, its inner ones in turn); the sum of a
  comprehension, ``sum(e for x in xs)``, becomes ``acc = 0``,
  ``for x in xs: acc = acc + e`` (and ``total += sum(...)`` adds to ``total``
  in the loop itself);
- inside a loop, what puts one value into a collection is one statement,
  :class:`Collect` (the token ``Collect``, then the value's):
  ``acc.append(v)``, ``acc.add(v)``, and a store into one element indexed by
  the loop's variables, ``Z[i, h, w, c] = v``.

So ``[[g(i, j) for j in J] for i in I]`` and the nested loops that append
``g(i, j)`` to a row and the row to a list, or that store it in ``Z[i, j]``,
give the same tokens for the loops and what they collect.
"""
from __future__ import annotations

import ast

COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_ACCUMULATOR = "comprehension_result"  # any learner's name becomes the token V: the name is never seen


class Collect(ast.stmt):
    """One value put into a collection inside a loop (``target`` names the collection, for the ordering)."""

    _fields = ("value",)
    target = ""


def _summed(node: ast.AST) -> ast.expr | None:
    """The comprehension that ``node`` sums, when it is ``sum(...)`` or ``np.sum(...)`` of one, else None."""
    if not (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
            and isinstance(node.args[0], COMPREHENSIONS) and not isinstance(node.args[0], ast.DictComp)):
        return None
    function = node.func
    is_sum = (isinstance(function, ast.Name) and function.id == "sum") or (
        isinstance(function, ast.Attribute) and function.attr == "sum" and isinstance(function.value, ast.Name)
        and function.value.id in ("np", "numpy"))
    return node.args[0] if is_sum else None


def _comprehensions(node: ast.AST) -> list[tuple[ast.expr, ast.expr]]:
    """(what to replace, the comprehension) for the outermost comprehensions inside ``node``, in source order
    (none inside a lambda or a nested def); a sum of a comprehension is replaced whole."""
    found: list[tuple[ast.expr, ast.expr]] = []

    def visit(child: ast.AST) -> None:
        summed = _summed(child)
        if summed is not None:
            found.append((child, summed))
            return
        if isinstance(child, COMPREHENSIONS):
            found.append((child, child))
            return
        if isinstance(child, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return
        for grandchild in ast.iter_child_nodes(child):
            visit(grandchild)

    visit(node)
    return found


class _Replace(ast.NodeTransformer):
    def __init__(self, old: ast.AST, new: ast.AST) -> None:
        self.old, self.new = old, new

    def visit(self, node: ast.AST) -> ast.AST:
        return self.new if node is self.old else super().visit(node)


def _loops_of(comprehension: ast.expr, like: ast.stmt, summed: bool = False,
              into: str | None = None) -> list[ast.stmt]:
    """``acc = []`` and the loops a comprehension stands for, appending to (or storing into) ``acc``; for a
    sum, ``acc = 0`` and loops that add to it, or, ``into`` a total of the learner's, only the loops."""
    accumulator = ast.Name(id=_ACCUMULATOR, ctx=ast.Load())
    if summed:
        name = into or _ACCUMULATOR
        total = ast.BinOp(left=ast.Name(id=name, ctx=ast.Load()), op=ast.Add(), right=comprehension.elt)
        innermost = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=total)
        empty = ast.Constant(value=0)
    elif isinstance(comprehension, ast.DictComp):
        store = ast.Subscript(value=ast.Name(id=_ACCUMULATOR, ctx=ast.Load()), slice=comprehension.key,
                              ctx=ast.Store())
        innermost: ast.stmt = ast.Assign(targets=[store], value=comprehension.value)
        empty: ast.expr = ast.Dict(keys=[], values=[])
    else:
        append = ast.Attribute(value=accumulator, attr="append", ctx=ast.Load())
        innermost = ast.Expr(value=ast.Call(func=append, args=[comprehension.elt], keywords=[]))
        empty = ast.List(elts=[], ctx=ast.Load())
    body = [innermost]
    for generator in reversed(comprehension.generators):
        for condition in reversed(generator.ifs):
            body = [ast.If(test=condition, body=body, orelse=[])]
        body = [ast.For(target=generator.target, iter=generator.iter, body=body, orelse=[], type_comment=None)]
    made = ([] if into else [ast.Assign(targets=[ast.Name(id=_ACCUMULATOR, ctx=ast.Store())], value=empty)]) + body
    for statement in made:
        for node in ast.walk(statement):
            ast.copy_location(node, like)
            node.end_lineno = like.end_lineno
    return made


def _added_sum(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    """(total, comprehension) when ``statement`` is ``total = total + sum(<comprehension>)`` (``+=`` reads so)."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.BinOp)
            and isinstance(statement.value.op, ast.Add)):
        return None
    name = statement.targets[0].id
    for own, other in ((statement.value.left, statement.value.right), (statement.value.right, statement.value.left)):
        summed = _summed(other)
        if isinstance(own, ast.Name) and own.id == name and summed is not None:
            return name, summed
    return None


def unrolled(statement: ast.stmt) -> list[ast.stmt]:
    """``statement``, after the loops its comprehensions stand for (just ``[statement]`` when it has none)."""
    if not isinstance(statement, (ast.Assign, ast.Expr, ast.Return)) or getattr(statement, "value", None) is None:
        return [statement]
    added = _added_sum(statement)
    if added is not None:
        name, comprehension = added
        return _loops_of(comprehension, statement, summed=True, into=name)
    found = _comprehensions(statement.value)
    if not found:
        return [statement]
    before: list[ast.stmt] = []
    for replaced, comprehension in found:
        before += _loops_of(comprehension, statement, summed=replaced is not comprehension)
        statement = _Replace(replaced, ast.copy_location(ast.Name(id=_ACCUMULATOR, ctx=ast.Load()),
                                                         replaced)).visit(statement)
    return before + [statement]


def _element_of_loop(index: ast.expr, loop_names: frozenset[str]) -> bool:
    """An index made of names and numbers only, one of them a loop's variable: one element per iteration."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    simple = all(isinstance(part, ast.Name) or isinstance(part, ast.Constant) and isinstance(part.value, int)
                 for part in parts)
    return simple and any(isinstance(part, ast.Name) and part.id in loop_names for part in parts)


def collected(statement: ast.stmt, loop_names: frozenset[str]) -> ast.stmt:
    """``statement`` as a :class:`Collect` when, inside a loop, it puts one value into a collection."""
    if not loop_names:
        return statement
    value, target = None, None
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        if (isinstance(call.func, ast.Attribute) and call.func.attr in ("append", "add")
                and isinstance(call.func.value, ast.Name) and len(call.args) == 1 and not call.keywords):
            value, target = call.args[0], call.func.value.id
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        store = statement.targets[0]
        if (isinstance(store, ast.Subscript) and isinstance(store.value, ast.Name)
                and _element_of_loop(store.slice, loop_names)):
            value, target = statement.value, store.value.id
    if value is None:
        return statement
    found = ast.copy_location(Collect(value=value), statement)
    found.end_lineno, found.target = statement.end_lineno, target
    return found


def loop_names(target: ast.expr) -> frozenset[str]:
    """The names a ``for`` loop's target binds."""
    return frozenset(node.id for node in ast.walk(target) if isinstance(node, ast.Name))
