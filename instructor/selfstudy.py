"""Build the self-study edition: ``python -m instructor.selfstudy [--check]`` (``make notebooks``).

``notebooks/<language>/<assignment>/`` holds, for every assignment, in English and in
every language its instructor notebook is translated into, the student notebook that
``nbgrader generate_assignment`` makes from ``source/`` (stubs, no solutions), changed
for a learner who works alone, with no instructor and no grader, by the preprocessors
of :mod:`instructor.preprocessors`:

- :class:`~instructor.preprocessors.TranslateMarkdown`: markdown cells in the edition's
  language, from the instructor notebook's ``cell.metadata["translations"]``;
- :class:`~instructor.preprocessors.UnhideChecks`: each check cell also runs the hidden
  cases (their inputs and expected outputs are data in ``autograder/data/``, not code);
- :class:`~instructor.preprocessors.TranslateCode`: the comments, docstrings and printed
  words of code cells in the edition's language, from the same metadata; the code stays;
- :class:`~instructor.preprocessors.SelfStudyMetadata`: a small ``selfstudy`` entry in
  place of nbgrader's metadata, a ``generated_by`` line, no outputs.

The code of the code cells is the same in every language: ``autograder.json`` beside each
notebook tells the checks and figures the language (:mod:`autograder.settings`).
``--check`` regenerates into a scratch folder and fails if ``notebooks/`` differs.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat

from autograder.settings import LANGUAGES, SETTINGS_FILE

from . import generated
from .assignment import Assignment
from .assignments import REGISTRY
from .release import generated_release
from .preprocessors import SelfStudyMetadata, TranslateCode, TranslateMarkdown, UnhideChecks
from .preprocessors.translate import translations
from .reference import REPO

NOTEBOOKS = REPO / "notebooks"
GENERATED_BY = ("python -m instructor.selfstudy (`make notebooks`), from source/{0}/{0}.ipynb through nbgrader "
                "generate_assignment; language {1}: do not edit by hand")


def languages(assignment: Assignment) -> list[str]:
    """English, then every language that the instructor notebook of ``assignment`` has translations in."""
    notebook = nbformat.read(assignment.notebook, as_version=4)
    found = {language for cell in notebook.cells for language in translations(cell)}
    unknown = found - set(LANGUAGES)
    if unknown:
        raise ValueError(f"source/{assignment.name}: translations into {sorted(unknown)}, which autograder "
                         "cannot speak")
    return ["en"] + sorted(found - {"en"})


def edition(release: nbformat.NotebookNode, source: nbformat.NotebookNode, assignment: str,
            language: str) -> nbformat.NotebookNode:
    """The self-study notebook in ``language``, from nbgrader's ``release`` of the instructor notebook ``source``."""
    if [cell.cell_type for cell in release.cells] != [cell.cell_type for cell in source.cells]:
        raise ValueError(f"{assignment}: the release's cells do not line up with the instructor notebook's")
    notebook = nbformat.from_dict(json.loads(nbformat.writes(release)))
    resources = {"source_cells": source.cells, "where": f"source/{assignment}"}
    pipeline = (
        TranslateMarkdown(language=language),
        UnhideChecks(),
        TranslateCode(language=language),
        SelfStudyMetadata(assignment=assignment, language=language,
                          generated_by=GENERATED_BY.format(assignment, language)),
    )
    for preprocessor in pipeline:
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def write(assignment: Assignment, root: Path) -> None:
    """Write every language edition of ``assignment`` under ``root/<language>/<assignment>/``."""
    released = generated_release(assignment)
    for language in languages(assignment):
        target = root / language / assignment.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(released, target)
        for path in sorted(target.glob("*.ipynb")):
            source = nbformat.read(assignment.notebook.parent / path.name, as_version=4)
            release = nbformat.read(path, as_version=4)
            nbformat.write(edition(release, source, assignment.name, language), path)
        settings = {"language": language, "generated_by": GENERATED_BY.format(assignment.name, language)}
        (target / SETTINGS_FILE).write_text(json.dumps(settings, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, __doc__.splitlines()[0], "make notebooks", REGISTRY.values(), NOTEBOOKS,
                          lambda assignment: [f"{language}/{assignment.name}" for language in languages(assignment)],
                          write)


if __name__ == "__main__":
    sys.exit(main())
