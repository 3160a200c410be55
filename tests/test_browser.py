"""The kit in a real JupyterLab, driven in a real browser (Debian's chromium, through Playwright).

- learner: a self-study notebook filled in correctly, run with Run > Run All Cells, shows a
  passing check for all eight functions (visible and hidden cases), in English and in Chinese;
  the Chinese notebook with the seed lesson's bias mistake shows the Chinese bias hint;
- instructor: nbgrader's formgrader, in a course built by ``nbgrader generate_assignment``,
  lists the assignment.

Screenshots land in test-artifacts/ (gitignored). JupyterLab runs from this interpreter's
environment on a free loopback port with a random token; it is always stopped.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from autograder import settings
from tests.lesson_values import conv_single_step_with_bias_mistake
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = reference.REPO / "test-artifacts"
ASSIGNMENT = STEP_BY_STEP.name
BIAS = STEP_BY_STEP.mistake("bias_per_element")
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
SERVER_START = 90  # seconds
RUN_ALL = 180_000  # ms: the whole notebook, hidden cases included, runs in about 10 s

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

if sync_playwright is None or not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("the browser tests need playwright (test extra) and chromium (.ci/run installs it)")
    pytest.skip("needs playwright and /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

expect.set_options(timeout=60_000)  # for a loaded machine; waits for the whole run are longer still

# JupyterLab's user settings for the tests: render every cell (no windowing, so that the outputs
# of all cells are in the page), and no news or update pop-ups over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyter_lab(root: Path, home: Path):
    """JupyterLab serving ``root``; yields its base URL and token, and always stops it."""
    settings_dir = home / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "MPLBACKEND": "Agg",
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop(settings.ENVIRONMENT_VARIABLE, None)  # the language comes from each notebook's folder
    log = (home / "jupyter-lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            if server.poll() is not None:
                log_text = (home / "jupyter-lab.log").read_text()
                raise RuntimeError(f"jupyter lab exited ({server.returncode}):\n{log_text}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer in {SERVER_START} s")
            time.sleep(0.5)
        yield url, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def self_study_copy(folder: Path, language: str, cells: dict[str, str], name: str = NOTEBOOK) -> None:
    """The self-study notebook of ``language`` filled in with ``cells``, with its settings file, in ``folder``."""
    edition = reference.REPO / "notebooks" / language / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(edition / settings.SETTINGS_FILE, folder / settings.SETTINGS_FILE)
    nbformat.write(course.fill_notebook(edition / NOTEBOOK, cells), folder / name)


def wait_for_kernel(url: str, token: str, path: str) -> None:
    """Until the server has an idle kernel for the notebook at ``path`` (the page may show "Idle" sooner)."""
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=5) as answer:
            sessions = json.load(answer)
        if any(s["path"] == path and (s.get("kernel") or {}).get("execution_state") == "idle" for s in sessions):
            return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel for {path} after {SERVER_START} s")


def open_and_run_all(page, url: str, token: str, path: str) -> None:
    """Open the notebook at ``path`` in JupyterLab, wait for its kernel, then Run > Run All Cells."""
    page.goto(f"{url}/lab/tree/{path}?token={token}")
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_visible()
    wait_for_kernel(url, token, path)
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']")
           ).to_have_count(1)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)  # e.g. no "Select Kernel": the run has started


def outputs(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    """JupyterLab on a folder with the self-study notebooks as a learner would have filled them in."""
    root = tmp_path_factory.mktemp("learner")
    sources = STEP_BY_STEP.sources()
    self_study_copy(root / "en", "en", sources)
    self_study_copy(root / "zh", "zh", sources)
    self_study_copy(root / "zh", "zh", BIAS.cells(sources), name="conv_step_by_step_bias.ipynb")
    with jupyter_lab(root, tmp_path_factory.mktemp("learner-home")) as server:
        yield server


@pytest.mark.parametrize("language, visible, hidden", [
    ("en", r"^{name}: all \d+ visible cases? pass\.$", r"^{name}: all \d+ hidden cases pass\.$"),
    ("zh", r"^{name}：(公开用例通过（共 1 个）|\d+ 个公开用例全部通过)。$", r"^{name}：\d+ 个隐藏用例全部通过。$"),
], ids=["en", "zh"])
def test_a_correct_notebook_run_in_jupyterlab_passes_every_check(learner_lab, page, language, visible, hidden):
    url, token = learner_lab
    open_and_run_all(page, url, token, f"{language}/{NOTEBOOK}")
    last = hidden.format(name="pool_backward")
    expect(outputs(page).filter(has_text=re.compile(last[1:-1]))).to_have_count(1, timeout=RUN_ALL)
    screenshot(page, f"selfstudy-{language}-all-pass.png")
    shown = [line for text in outputs(page).all_inner_texts() for line in text.splitlines() if line.strip()]
    for name in STEP_BY_STEP.functions:
        assert [line for line in shown if re.match(visible.format(name=name), line)], (name, shown)
        assert [line for line in shown if re.match(hidden.format(name=name), line)], (name, shown)
    assert not [line for line in shown if "CheckFailed" in line or "Error" in line]


def test_the_chinese_notebook_with_the_bias_mistake_shows_the_chinese_hint(learner_lab, page):
    url, token = learner_lab
    open_and_run_all(page, url, token, "zh/conv_step_by_step_bias.ipynb")
    hint = BIAS.hints["zh"]
    failure = outputs(page).filter(has_text=hint)
    expect(failure).to_have_count(1, timeout=RUN_ALL)
    failure.scroll_into_view_if_needed()
    screenshot(page, "selfstudy-zh-bias-hint.png")
    text = failure.inner_text()
    assert "conv_single_step 的结果还不对" in text and "提示" in text
    assert "Z 应该是 {}，但它是 {}。".format(*conv_single_step_with_bias_mistake()) in text
    assert outputs(page).filter(has_text="zero_pad：2 个隐藏用例全部通过。").count() == 1  # the checks before it ran


def test_formgrader_lists_the_assignment_of_an_nbgrader_course(tmp_path, page):
    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    exchange = tmp_path / "exchange"  # an exchange of its own, set up as nbgrader's documentation says
    exchange.mkdir()
    exchange.chmod(0o777)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    course.generate_release(root, STEP_BY_STEP)
    with jupyter_lab(root, tmp_path) as (url, token):
        page.goto(f"{url}/formgrader?token={token}")
        expect(page.get_by_role("heading", name="Manage Assignments")).to_be_visible()
        name = page.locator("td a", has_text=re.compile(f"^{ASSIGNMENT}$"))
        expect(page.locator("table tr").filter(has=name)).to_have_count(1)
        screenshot(page, "formgrader-assignments.png")
        row = page.locator("table tr").filter(has=name).inner_text()
        assert "draft" in row  # generated from source/, not yet released to the exchange
        assert "does not exist" not in page.locator("body").inner_text()  # the exchange is set up
