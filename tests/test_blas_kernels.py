"""Nothing the kit decides depends on the processor: the case files, the grades and the named mistakes.

Matrix products sum in an order that depends on the BLAS kernel OpenBLAS picks
for the processor, so results differ in their last bits from one machine to
another. Each test here runs the same checks in a process pinned to another
OpenBLAS kernel (``OPENBLAS_CORETYPE``), so it fails on the developer's own
machine when a result depends on the processor; and the drift check must
still catch a real change of a case file.
"""
from __future__ import annotations

import copy
import json
import os
import platform
import shutil
import subprocess
import sys

import numpy as np
import pytest

from autograder import casefile
from instructor import drift, reference

# Kernels every processor of its kind can run (older instruction sets than the machine's own, usually).
KERNELS = {"x86_64": ("Prescott", "Sandybridge"), "aarch64": ("ARMV8", "CORTEXA57")}.get(platform.machine(), ())

pytestmark = pytest.mark.skipif(not KERNELS, reason=f"no OpenBLAS kernels listed for {platform.machine()}")


def run_pinned(kernel: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("OPENBLAS_CORETYPE")}
    environment["OPENBLAS_CORETYPE"] = kernel
    done = subprocess.run([sys.executable, "-m", "tests.blas_kernel_check"], cwd=reference.REPO, env=environment,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {kernel: run_pinned(kernel) for kernel in KERNELS}


def test_each_run_really_used_another_kernel(reports):
    architectures = [report["architecture"] for report in reports.values()]
    assert None not in architectures, "numpy does not run on OpenBLAS here"
    assert len(set(architectures)) == len(KERNELS), architectures


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_committed_case_files_are_what_the_build_makes_with_another_kernel(reports, kernel):
    assert reports[kernel]["stale"] == []


@pytest.mark.parametrize("kernel", KERNELS)
def test_correct_code_computed_with_another_kernel_passes_every_check(reports, kernel):
    assert reports[kernel]["correct_code_failing"] == []


@pytest.mark.parametrize("kernel", KERNELS)
def test_every_mistake_computed_with_another_kernel_is_still_named(reports, kernel):
    assert reports[kernel]["mistakes_not_named"] == []


# The drift check still sees a real change.

ASSIGNMENT = "conv_vectorized"


@pytest.fixture
def copies(tmp_path):
    """Two copies of a committed case file: the committed one, and one to change as a build could."""
    for side in ("committed", "rebuilt"):
        (tmp_path / side).mkdir()
        for path in casefile.paths(ASSIGNMENT):
            shutil.copy(path, tmp_path / side / path.name)
    manifest, arrays = casefile.read(ASSIGNMENT, tmp_path / "rebuilt")
    return tmp_path, manifest, arrays


def rewrite(folder, manifest: dict, arrays: dict) -> None:
    manifest_path, arrays_path = casefile.paths(ASSIGNMENT, folder)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    np.savez(arrays_path, **arrays)


def found(tmp_path) -> list[str]:
    return drift.differences(*(casefile.paths(ASSIGNMENT, tmp_path / side)[0] for side in ("committed", "rebuilt")))


def first_case(manifest: dict, kind: str = "reference") -> dict:
    return next(case for case in manifest["functions"]["conv_forward"]["cases"] if case["kind"] == kind)


def nudge(arrays: dict, key: str, share: float) -> None:
    """Move the largest entry of an array by ``share`` of what the checks allow for rounding."""
    array = arrays[key].copy()
    worst = np.unravel_index(np.argmax(np.abs(array)), array.shape)
    array[worst] += share * drift.allowance(drift.DEFAULT_TOLERANCE, float(np.abs(array).max()))
    arrays[key] = array


def test_an_unchanged_case_file_is_the_same(copies):
    tmp_path, manifest, arrays = copies
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert found(tmp_path) == []


def test_rounding_of_another_processor_is_not_a_change(copies):
    tmp_path, manifest, arrays = copies
    case = first_case(manifest)
    nudge(arrays, case["expected"]["tuple"][0]["array"], share=0.5)
    nudge(arrays, case["args"]["tuple"][0]["array"], share=0.5)
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert found(tmp_path) == []


def test_a_changed_expected_value_is_a_change(copies):
    tmp_path, manifest, arrays = copies
    key = first_case(manifest)["expected"]["tuple"][0]["array"]
    nudge(arrays, key, share=2)
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert [line for line in found(tmp_path) if "/expected" in line and key in line]


def test_a_changed_input_is_a_change(copies):
    tmp_path, manifest, arrays = copies
    key = first_case(manifest)["args"]["tuple"][0]["array"]
    nudge(arrays, key, share=2)
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert [line for line in found(tmp_path) if "/args" in line and key in line]


def test_an_added_case_is_a_change(copies):
    tmp_path, manifest, arrays = copies
    cases = manifest["functions"]["conv_forward"]["cases"]
    cases.append(dict(copy.deepcopy(cases[0]), id="one_more"))
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert [line for line in found(tmp_path) if "conv_forward/cases" in line]


def test_a_changed_hint_is_a_change(copies):
    tmp_path, manifest, arrays = copies
    mistake = sorted(manifest["hints"])[0]
    manifest["hints"][mistake]["en"] += " Look again."
    rewrite(tmp_path / "rebuilt", manifest, arrays)
    assert [line for line in found(tmp_path) if f"hints/{mistake}/en" in line]


def test_a_stored_number_moved_beyond_rounding_is_a_change_and_its_last_bit_is_not():
    committed = {"functions": {"f": {"cases": [{"id": "c", "tolerance": {"rtol": 1e-6, "atol": 1e-9},
                                                "expected": {"value": 1.8101535332878944}}]}}}
    last_bit = copy.deepcopy(committed)
    last_bit["functions"]["f"]["cases"][0]["expected"]["value"] = 1.8101535332878942
    moved = copy.deepcopy(committed)
    moved["functions"]["f"]["cases"][0]["expected"]["value"] = 1.8101535332878944 * (1 + 1e-7)
    assert drift.manifest_differences(committed, last_bit)[0] == []
    (change,) = drift.manifest_differences(committed, moved)[0]
    assert change.startswith("/functions/f/cases[0 c]/expected/value: 1.8101535332878944 became")
