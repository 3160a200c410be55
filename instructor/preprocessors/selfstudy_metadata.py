"""Metadata for a notebook that no grader reads: what it is, what made it, and no run.

nbgrader's cell metadata (grade ids, points, checksums) gives way to a small
``selfstudy`` entry naming the exercise of each solution and check cell: nbgrader's
checksums would not match the fuller check cells, and its "Validate" button would
call them changed. The translations of the instructor notebook are not copied. Locked
cells stay read-only (``editable``/``deletable`` as nbgrader set them). Outputs are cleared.
"""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode


class SelfStudyMetadata(Preprocessor):
    """Replace nbgrader's metadata by the ``selfstudy`` entries; say what generated the notebook."""

    assignment = Unicode().tag(config=True)
    language = Unicode("en").tag(config=True)
    generated_by = Unicode().tag(config=True)

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        nb.metadata.pop("nbgrader", None)
        nb.metadata["generated_by"] = self.generated_by
        nb.metadata["selfstudy"] = {"assignment": self.assignment, "language": self.language}
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        grading = resources["source_cells"][index].metadata.get("nbgrader", {})
        cell.metadata.pop("nbgrader", None)
        cell.metadata.pop("translations", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if grading.get("solution"):
                cell.metadata["selfstudy"] = {"grade_id": grading["grade_id"], "solution": True}
            elif grading.get("grade"):
                cell.metadata["selfstudy"] = {"grade_id": grading["grade_id"], "check": True}
        return cell, resources
