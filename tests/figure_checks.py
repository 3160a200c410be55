"""Shared by the figure tests: Agg, render to PNG, find patches by gid, close figures after each test."""
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Autouse in every test module that imports it."""
    yield
    plt.close("all")


def render(fig) -> None:
    """Render to PNG; fail unless a PNG comes out."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


def patches(ax, gid: str) -> list:
    """The patches of ``ax`` tagged with ``gid``."""
    return [p for p in ax.patches if p.get_gid() == gid]
