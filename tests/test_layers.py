"""The import graph of ``autograder/`` and ``instructor/`` has no circle, and every import goes down the
declared layers (ARCHITECTURE.md draws them).

The graph is read from the source (``ast``), with every import: at the top of a module, inside a function,
under ``TYPE_CHECKING``. ``from package import name`` counts as importing ``package`` itself (its
``__init__``) as well as ``package.name``: Python runs the package's ``__init__`` for it, so a module must not
reach its own package's ``__init__`` when that ``__init__`` imports something above the module (as
``autograder/__init__.py``, the notebooks' ``autograder.checks(...)``, imports the checks).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("autograder", "instructor")

# Bottom to top. A module belongs to the layer of its longest matching pattern ("pkg" covers pkg and
# pkg.*; "=pkg" is that module alone). A module may import its own layer and the layers of lower rank.
# Layers of the same rank are peers: neither imports the other.
LAYERS: list[tuple[int, str, tuple[str, ...]]] = [
    (0, "values", ("autograder.verdict", "autograder.casefile", "autograder.messages", "autograder.grading.wire",
                   "autograder.nn", "autograder.gradcheck", "autograder.benchmark", "autograder.files",
                   "autograder.arguments")),
    (1, "words and comparison", ("autograder.compare", "autograder.render", "autograder.settings")),
    (2, "judging one case, and its diagnosis", ("autograder.judge", "autograder.frames", "autograder.diagnosis",
                                                "autograder.speed", "autograder.timing", "autograder.accuracy")),
    (3, "services shared by the build, the checks, grading and similarity",
     ("autograder.course", "autograder.reference", "autograder.figures")),
    (4, "the checks in the learner's kernel", ("autograder.checks", "=autograder")),
    (4, "the class grader", ("autograder.grading",)),
    (4, "similarity", ("autograder.similarity",)),
    (5, "the command line", ("autograder.grading.cli", "autograder.__main__")),
    (6, "the instructor's side: assignments, reference, build", ("instructor",)),
]


def modules(root: Path) -> dict[str, Path]:
    """{dotted name: file} of every module of the two top packages under ``root``."""
    found = {}
    for top in TOP:
        for path in sorted((root / top).rglob("*.py")):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if node.level:
        base = base[:len(base) - (node.level - 1)]
    else:
        base = []
    package = ".".join(base + ([node.module] if node.module else []))
    return [package] + [f"{package}.{alias.name}" for alias in node.names]


def import_graph(root: Path) -> dict[str, set[str]]:
    """{module: the modules of the two top packages it imports}, every import statement counted."""
    known = modules(root)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _targets(name, path, node):
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_of(module: str) -> int | None:
    """The index in LAYERS of the layer ``module`` belongs to (longest pattern), None if none names it."""
    best, length = None, -1
    for position, (_, _, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            exact = pattern.startswith("=")
            pattern = pattern.lstrip("=")
            matches = module == pattern or (not exact and module.startswith(pattern + "."))
            if matches and len(pattern) > length:
                best, length = position, len(pattern)
    return best


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import that goes up the layers or across to a peer, as 'a -> b (layer -> layer)'."""
    wrong = []
    for module, targets in sorted(graph.items()):
        mine = layer_of(module)
        for target in sorted(targets):
            theirs = layer_of(target)
            if mine is None or theirs is None or mine == theirs:
                continue
            if LAYERS[theirs][0] >= LAYERS[mine][0]:
                wrong.append(f"{module} -> {target} ({LAYERS[mine][1]} -> {LAYERS[theirs][1]})")
    return wrong


def test_every_module_has_a_layer():
    assert [name for name in modules(ROOT) if layer_of(name) is None] == []


def test_the_import_graph_has_no_circle():
    assert circles(import_graph(ROOT)) == []


def test_imports_go_down_the_layers():
    assert upward(import_graph(ROOT)) == []


def test_the_graph_sees_imports_inside_functions_and_type_checking(tmp_path):
    """The reader is not blind where circles used to hide: in a function, under TYPE_CHECKING, and through a
    package's ``__init__``."""
    package = tmp_path / "autograder"
    (package / "sub").mkdir(parents=True)
    (tmp_path / "instructor").mkdir()
    (package / "__init__.py").write_text("from .top import run\n")
    (package / "top.py").write_text("from .sub import low\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "low.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..top import run\n")
    (package / "sub" / "other.py").write_text("def f():\n    from .. import casefile\n")
    graph = import_graph(tmp_path)
    assert graph["autograder.sub.low"] == {"autograder.top"}
    assert graph["autograder.sub.other"] == {"autograder"}
    assert circles(graph) == [["autograder.sub.low", "autograder.top"]]


@pytest.mark.parametrize("module, layer", [
    ("autograder.verdict", "values"), ("autograder.grading.wire", "values"),
    ("autograder.diagnosis.local", "judging one case, and its diagnosis"),
    ("autograder", "the checks in the learner's kernel"), ("autograder.grading.runner", "the class grader"),
    ("autograder.grading.cli", "the command line"), ("instructor.build", "the instructor's side: assignments, "
                                                                         "reference, build")])
def test_a_module_belongs_to_its_longest_pattern(module, layer):
    assert LAYERS[layer_of(module)][1] == layer


def _members(protocol: type) -> set[str]:
    return {name for name, value in vars(protocol).items() if isinstance(value, property) or
            (callable(value) and not name.startswith("_")) or name in ("__getitem__", "__iter__")}


def test_the_instructor_side_fits_the_grader_seam():
    """The grader reads the instructor side (loaded by path, never imported) only through the Protocols of
    :mod:`autograder.grading.kit`; every assignment, case and mistake of the kit has what they name."""
    from autograder.grading import kit
    from instructor import build
    from instructor.assignments import REGISTRY

    assert _members(kit.AssignmentSpec) and _members(kit.CaseSpec) and _members(kit.MistakeSpec)
    for name in REGISTRY:
        assignment = REGISTRY[name]
        assert {m for m in _members(kit.AssignmentSpec) if not hasattr(assignment, m)} == set(), name
        for case in assignment.cases:
            assert {m for m in _members(kit.CaseSpec) if not hasattr(case, m)} == set(), case
        for mistake in assignment.catalogue:
            assert {m for m in _members(kit.MistakeSpec) if not hasattr(mistake, m)} == set(), mistake.id
        assert all(isinstance(model, kit.TrainedModel) for model in assignment.trained_models.values())
    assert set(_members(kit.Registry)) <= set(dir(REGISTRY))
    import inspect

    assert list(inspect.signature(build.build).parameters) == list(
        inspect.signature(kit.Build.build).parameters)[1:]
