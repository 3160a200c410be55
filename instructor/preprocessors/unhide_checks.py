"""Check cells that also run the hidden cases, for a learner who has no grader.

An instructor notebook's test cell holds the visible check and, between nbgrader's
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, the hidden one::

    check("zero_pad", zero_pad)
    ### BEGIN HIDDEN TESTS
    check("zero_pad", zero_pad, hidden=True)
    ### END HIDDEN TESTS

(``check.speed(...)`` and ``check.accuracy(...)`` are checks too.)

The self-study edition shows both calls. The hidden cases are data in the installed
``autograder`` package; so that nothing else is shown, every hidden line must be a plain
call of a function that the notebook's given cells import or define, whose arguments
only wire names together (names, calls, lambdas, str/int/bool constants: no float, no
arithmetic or comparison that could hold an expected value), or the build stops.
"""
from __future__ import annotations

import ast

from nbconvert.preprocessors import Preprocessor

HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def released_names(cells) -> set[str]:
    """Names that the notebook's given code cells (not solutions, not tests) import or define at top level."""
    names: set[str] = set()
    for cell in cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or grading.get("solution") or grading.get("grade"):
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            elif isinstance(node, ast.Assign):
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names


# What the arguments of a hidden check may be made of: the learner's functions and data wired
# into a check (names, attributes, calls, lambdas), and constants that cannot be an expected
# value; no arithmetic, comparison, indexing or float.
_PLAIN_NODES = (ast.Name, ast.Attribute, ast.Call, ast.keyword, ast.Lambda, ast.arguments, ast.arg,
                ast.Tuple, ast.List, ast.Load, ast.Constant)


def _plain(node: ast.AST) -> bool:
    return all(isinstance(part, _PLAIN_NODES)
               and not (isinstance(part, ast.Constant) and not isinstance(part.value, (str, int, bool, type(None))))
               for part in ast.walk(node))


def is_plain_check(line: str, checks: set[str]) -> bool:
    """Is ``line`` one call of a function in ``checks`` with plain arguments only?"""
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    call = tree.body[0].value
    return (isinstance(call, ast.Call) and _a_check(call.func, checks)
            and all(_plain(arg) for arg in call.args) and all(_plain(keyword.value) for keyword in call.keywords))


def _a_check(function: ast.AST, checks: set[str]) -> bool:
    """``check`` itself, or one of its methods (``check.speed``), where ``check`` is a name the notebook gives."""
    if isinstance(function, ast.Attribute):
        function = function.value
    return isinstance(function, ast.Name) and function.id in checks


def full_check_cell(source: str, checks: set[str], where: str) -> str:
    """The test cell ``source`` with its hidden tests shown (markers removed); ValueError if one is not plain."""
    lines, hidden = [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_MARKERS[0]:
            hidden = True
        elif line.strip() == HIDDEN_MARKERS[1]:
            hidden = False
        else:
            if hidden and line.strip() and not is_plain_check(line, checks):
                raise ValueError(f"{where}: to be shown to a learner, a hidden test may only call a check that "
                                 f"the notebook imports, on names, calls and str/int constants; "
                                 f"not {line.strip()!r}")
            lines.append(line)
    return "\n".join(lines)


class UnhideChecks(Preprocessor):
    """Give each test cell the instructor notebook's test code, hidden tests included."""

    def preprocess(self, nb, resources):
        self._checks = released_names(resources["source_cells"])
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        original = resources["source_cells"][index]
        grading = original.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("grade") and not grading.get("solution"):
            cell.source = full_check_cell(original.source, self._checks, f"{resources['where']} cell {index}")
        return cell, resources
