"""The grader's link to the instructor side of the kit, which learners never get.

The class grader needs the kit's ``instructor`` package: its registry of
assignments (cases, input builders, the mistake catalogue), the build that
turns them into a grading plan, and the one reference loader. It is not
installed with the ``autograder`` package; :func:`load_kit` finds it in the
folder given (``autograder grade --kit DIR``), else in the course directory,
else in the checkout the ``autograder`` package was installed from (a
development install), and loads it by its path, without touching ``sys.path``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from . import Refused

PACKAGE = "instructor"
INSTALLED_FROM = Path(__file__).resolve().parent.parent.parent  # the checkout of a development install


class KitNotFound(Refused):
    """No instructor side where it was looked for."""


@dataclass(frozen=True)
class Kit:
    root: Path  # the folder holding instructor/ (and the kit's source/)
    registry: Any  # instructor.assignment.Registry
    build: ModuleType  # instructor.build

    def assignment(self, name: str) -> Any:
        try:
            return self.registry[name]
        except KeyError:
            raise Refused("refused.no_such_assignment", kit=self.root, assignment=name,
                          known=", ".join(self.registry)) from None


def _has_kit(folder: Path) -> bool:
    return (folder / PACKAGE / "__init__.py").is_file()


def _import_from(root: Path) -> ModuleType:
    """The package ``instructor`` of ``root``, imported by its path (already imported: it must be the same)."""
    init = (root / PACKAGE / "__init__.py").resolve()
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve() != init:
            raise Refused("refused.other_kit_loaded", loaded=Path(loaded.__file__).parent.parent, kit=root)
        return loaded
    spec = importlib.util.spec_from_file_location(PACKAGE, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[PACKAGE]
        raise
    return module


def find_kit(course: Path, kit: Path | None = None) -> Path:
    """Where the instructor side is: ``kit`` if given, else the course directory, else the installed checkout."""
    if kit is not None:
        if not _has_kit(kit):
            raise KitNotFound("refused.no_kit_there", kit=kit, package=PACKAGE)
        return kit.resolve()
    for folder in (course, INSTALLED_FROM):
        if _has_kit(folder):
            return folder.resolve()
    raise KitNotFound("refused.no_kit", package=PACKAGE, course=course, installed_from=INSTALLED_FROM)


def load_kit(course: Path, kit: Path | None = None) -> Kit:
    """The instructor side, found by :func:`find_kit`."""
    root = find_kit(course, kit)
    _import_from(root)
    registry = importlib.import_module(f"{PACKAGE}.assignments").REGISTRY
    return Kit(root, registry, importlib.import_module(f"{PACKAGE}.build"))
