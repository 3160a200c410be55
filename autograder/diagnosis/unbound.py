"""An UnboundLocalError read with the learner's code: where the name it names is given a value.

Python raises UnboundLocalError when a line reads a local name that no assignment has set yet on that call.
The learner's function (its source, parsed) then tells why, when every place that sets the name is of one kind:

- ``used_before_its_loop``: the name is set only as the target of ``for`` loops that come after the line, and no
  loop holds both (so no earlier pass could have set it): the line was placed before its loop.
- ``name_from_other_branch``: the line is in one branch of an ``if`` and the name is set only in another branch
  of it: on the cases that take this branch, it never gets a value.

Otherwise nothing is said (the exception's own words stay).
"""
from __future__ import annotations

import ast
import re

from ..verdict import Diagnosis, Raised
from .edits import parsed_function

UNBOUND = re.compile(r"local variable '(\w+)' (?:where it is not associated with a value|referenced before assignment)")


def _inside(node: ast.AST, lineno: int) -> bool:
    return node.lineno <= lineno <= (node.end_lineno or node.lineno)


def _in_block(block: list[ast.stmt], lineno: int) -> bool:
    return any(_inside(stmt, lineno) for stmt in block)


def unbound_reading(raised: Raised, source: str) -> Diagnosis | None:
    """The reading of an UnboundLocalError raised in ``raised.where`` (see the module's docstring), or None."""
    if raised.type != "UnboundLocalError" or not raised.where or not raised.line or not source:
        return None
    found = UNBOUND.search(raised.message or "")
    node, lines = parsed_function(source, raised.where) if found else (None, [])
    if node is None:
        return None
    name = found.group(1)
    at = [n for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)
          if n - 1 < len(lines) and lines[n - 1].strip() == raised.line.strip()]
    stores = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    if len(at) != 1 or not stores or any(arg.arg == name for arg in node.args.args):
        return None
    # the line that reads the name: the one reported, or (a traceback taken under a tracer may name the statement
    # before it) the first line at or after it that reads the name
    loads = sorted(n.lineno for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name
                   and isinstance(n.ctx, ast.Load) and n.lineno >= at[0])
    if not loads:
        return None
    line = loads[0]
    quoted = lines[line - 1].strip()
    loops = [n for n in ast.walk(node) if isinstance(n, (ast.For, ast.While))]
    targets = [loop for loop in loops if isinstance(loop, ast.For) and any(
        store in ast.walk(loop.target) for store in stores)]
    in_targets = all(any(store in ast.walk(loop.target) for loop in targets) for store in stores)
    shared = any(_inside(loop, line) and any(_inside(loop, store.lineno) for store in stores) for loop in loops)
    if targets and in_targets and all(store.lineno > line for store in stores) and not shared:
        first = min(targets, key=lambda loop: loop.lineno)
        return Diagnosis("used_before_its_loop", "exception", {
            "name": name, "line": quoted, "loop": lines[first.lineno - 1].split("#", 1)[0].strip(),
            "where": raised.where})
    branches = [n for n in ast.walk(node) if isinstance(n, ast.If)]
    for branch in sorted(branches, key=lambda b: -b.lineno):  # the innermost first
        for here, other in ((branch.body, branch.orelse), (branch.orelse, branch.body)):
            if _in_block(here, line) and other and all(_in_block(other, store.lineno) for store in stores):
                return Diagnosis("name_from_other_branch", "exception", {
                    "name": name, "line": quoted, "test": ast.unparse(branch.test),
                    "where": raised.where})
    return None
