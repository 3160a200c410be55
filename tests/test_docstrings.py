"""Text that keeps itself true: every module, file and object a docstring or comment names exists.

Docstrings name other modules (``:mod:`autograder.grading.wire```, ``:func:`autograder.speed.fastest```)
and files (``tests/test_grading_timed.py``); when code moves, such a name goes
stale without failing anything. This test resolves each one.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from instructor.reference import REPO

TREES = ("autograder", "instructor", "bench", "tests")
# a path may be a glob (tests/test_sandbox_*.py): it must match a file
FILE = re.compile(r"(?<![\w/.])((?:autograder|instructor|bench|tests|source|release|notebooks|docs)/[\w./*-]*\w)")
ROLE = re.compile(r":(?:mod|func|class|meth|data|attr|exc):`~?([.\w]+)`")


def python_files() -> list[Path]:
    return sorted(path for tree in TREES for path in (REPO / tree).rglob("*.py")
                  if "corpus" not in path.parts and "fixtures" not in path.parts and path.name != "__main__.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def texts(path: Path) -> list[str]:
    """The docstrings and comments of a file."""
    source = path.read_text()
    found = [node.body[0].value.value for node in ast.walk(ast.parse(source))
             if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
             and node.body and isinstance(node.body[0], ast.Expr)
             and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str)]
    found += [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]
    return found


def resolves(name: str, here: str) -> bool:
    """Whether a dotted name (absolute, or relative to the package of module ``here``) is a module or an
    attribute of one."""
    if name.startswith("."):
        dots = len(name) - len(name.lstrip("."))
        base = here.split(".")[:-dots]
        name = ".".join(base + [name.lstrip(".")]) if name.lstrip(".") else ".".join(base)
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if hasattr(thing, attribute):
                thing = getattr(thing, attribute)
            elif inspect.isclass(thing) and attribute == parts[-1] and has_member(thing, attribute):
                return True
            else:
                return False
        return True
    return False


def has_member(cls: type, attribute: str) -> bool:
    """Whether instances of ``cls`` have ``attribute`` though the class does not: a field (annotated in the
    class or a base) or an attribute its methods set (``self.attribute = ...``)."""
    for klass in cls.__mro__:
        if attribute in getattr(klass, "__annotations__", {}):
            return True
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        if re.search(rf"\bself\.{re.escape(attribute)}\s*(?::[^=\n]+)?=(?!=)", source):
            return True
    return False


def classes_of(module: str) -> list[str]:
    """The classes a module defines (a name in a class's or a method's docstring may be one of its members)."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return []
    return [name for name, value in vars(found).items()
            if inspect.isclass(value) and value.__module__ == found.__name__]


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def defines(path: Path, name: str) -> bool:
    """Whether a script (not importable, e.g. under bench/) defines ``name`` at its top level."""
    tree = ast.parse(path.read_text())
    return any(getattr(node, "name", None) == name or
               any(getattr(target, "id", None) == name for target in getattr(node, "targets", ())) or
               getattr(getattr(node, "target", None), "id", None) == name  # NAME: type = value
               for node in tree.body)


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_path_and_module_named_in_a_docstring_or_comment_exists(path):
    here = module_name(path) + (".__init__" if is_package(path) else "")
    stale = []
    for text in texts(path):
        for match in FILE.findall(text):
            if "<" in match:
                continue
            if not any(REPO.glob(match)) and not any(REPO.glob(match.rstrip("."))):
                stale.append(match)
        for name in ROLE.findall(text):
            if name.split(".")[0] in ("nbgrader", "numpy", "np", "IPython"):
                continue
            if path.parts[len(REPO.parts)] == "bench" and not name.startswith("."):  # a script, not a module
                if not defines(path, name.split(".")[0]) and not resolves(name, here):
                    stale.append(name)
                continue
            # as Sphinx reads it: a name of this module first, else an absolute or relative one
            if not name.startswith(".") and resolves(f"{module_name(path)}.{name}", here):
                continue
            if not name.startswith(".") and any(resolves(f"{module_name(path)}.{cls}.{name}", here)
                                                for cls in classes_of(module_name(path))):
                continue  # a member of a class of this module, named in that class's docstrings
            if not resolves(name, here):
                stale.append(name)
    assert stale == []
