"""The notebook transformations that make the self-study edition (see :mod:`instructor.selfstudy`).

Each is an nbconvert preprocessor that reads the instructor notebook's cell of the same
index from ``resources["source_cells"]`` (nbgrader's release keeps one cell per source
cell), so that they do not depend on one another's order.
"""
from .selfstudy_metadata import SelfStudyMetadata
from .translate import TranslateMarkdown
from .translate_code import TranslateCode
from .unhide_checks import UnhideChecks

__all__ = ["SelfStudyMetadata", "TranslateCode", "TranslateMarkdown", "UnhideChecks"]
