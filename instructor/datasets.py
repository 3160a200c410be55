"""Write assignment 3's data set once: ``python -m instructor.datasets [--check]``.

Source: the 1,797 handwritten digits (8 x 8 pixels, values 0 to 16) that ship
inside scikit-learn (``sklearn.datasets.load_digits``: no download). A fixed
split, drawn with ``np.random.RandomState(SEED)``, keeps TEST_SIZE of them for
testing. Written, in the layout of the course's original HDF5 files:

- ``source/conv_application/datasets/digits.h5`` (copied into the release by
  nbgrader): ``train_set_x`` (m_train, 8, 8) uint8, ``train_set_y`` (m_train,)
  int64, ``test_set_x``, ``test_set_y``, ``list_classes`` (10,) bytes b"0" .. b"9";
- ``autograder/data/conv_application_digits.npz``: the same arrays, for the
  accuracy check of the trained model (:mod:`autograder.accuracy`).

Both files are committed; ``--check`` regenerates them in a scratch folder and
fails if the committed contents differ (tests/test_application_data.py runs it).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import zipfile
from pathlib import Path

import h5py
import numpy as np

from .reference import REPO

SEED = 0
TEST_SIZE = 360
H5 = Path("source") / "conv_application" / "datasets" / "digits.h5"
NPZ = Path("autograder") / "data" / "conv_application_digits.npz"
GENERATED_BY = "python -m instructor.datasets, from scikit-learn's bundled digits (load_digits)"
NAMES = ("train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes")


def arrays() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images.astype(np.uint8)  # integers 0 .. 16
    labels = digits.target.astype(np.int64)
    order = np.random.RandomState(SEED).permutation(len(labels))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    return {
        "train_set_x": images[train], "train_set_y": labels[train],
        "test_set_x": images[test], "test_set_y": labels[test],
        "list_classes": np.array([str(k).encode() for k in range(10)]),
    }


def write(root: Path) -> None:
    data = arrays()
    (root / H5).parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(root / H5, "w", track_order=True) as store:
        store.attrs["generated_by"] = GENERATED_BY
        for name in NAMES:
            store.create_dataset(name, data=data[name], track_times=False)
    (root / NPZ).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(root / NPZ, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in NAMES:
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, data[name], allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue(),
                             compress_type=zipfile.ZIP_DEFLATED)


def read_h5(path: Path) -> dict[str, np.ndarray]:
    with h5py.File(path, "r") as store:
        return {name: store[name][()] for name in NAMES}


def read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {name: npz[name] for name in NAMES}


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return set(a) == set(b) and all(a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed data differ")
    options = parser.parse_args(argv)
    if not options.check:
        write(REPO)
        print(f"wrote {REPO / H5}, {REPO / NPZ}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        write(Path(scratch))
        fresh = read_h5(Path(scratch) / H5)
        stale = [str(path) for path, reader in ((H5, read_h5), (NPZ, read_npz))
                 if not (REPO / path).exists() or not same(reader(REPO / path), fresh)]
    if stale:
        print(f"out of date: {', '.join(stale)}; run `python -m instructor.datasets`", file=sys.stderr)
        return 1
    print("the data sets are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
