"""The instructor notebook runs top to bottom, as a learner would run it."""
import nbformat
from nbclient import NotebookClient

from tests.helpers import STEP_BY_STEP


def test_the_instructor_notebook_executes_top_to_bottom(tmp_path):
    notebook = nbformat.read(STEP_BY_STEP.notebook, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [out for cell in notebook.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert errors == []
    printed = "".join(out.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                      for out in cell.outputs if out.output_type == "stream")
    for name in STEP_BY_STEP.functions:
        assert f"{name}: all" in printed
