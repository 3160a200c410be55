"""The kit in a real JupyterLab, driven in a real browser (Debian's chromium, through Playwright).

- learner: a self-study notebook filled in correctly, run with Run > Run All Cells, shows a
  passing check for all eight functions (visible and hidden cases), and a passing numerical gradient
  check after each backward pass, in English and in Chinese; with a backward pass that overwrites
  where it must add, the gradient check calls that one gradient to attention, in both languages
  (screenshots gradient-check-{en,zh}.png);
  with the seed lesson's bias mistake, in English and in Chinese, the failing check shows its
  message and hint in an HTML box and one line in place of a traceback (no frame of the kit),
  Run All stops there, and the passing check before it shows one line a check (screenshots
  test-artifacts/failing-check-{en,zh}.png, copied by hand to docs/; that nbgrader autograde
  counts such a cell as failed is tests/test_nbgrader_smoke.py's business); the Chinese edition
  of assignment 2 (conv_vectorized), filled in with the reference solutions, passes every check,
  its visible and hidden timing checks and its gradient checks included, in English and in Chinese;
  with assignment 1's loops for one layer, its visible timing check fails in a box with the hint that
  names the loop (screenshots timing-check-{en,zh}.png); in assignment 3 (conv_application), the
  visible accuracy check measures the validation digits and passes the reference, and fails a
  training that steps up its gradient instead of down, in both languages (screenshots
  accuracy-check-{en,zh}.png);
- instructor: nbgrader's formgrader, in a course built by ``nbgrader generate_assignment``,
  lists the assignment.

Screenshots land in test-artifacts/ (gitignored); nothing compares them. JupyterLab runs from
this interpreter's environment on a free loopback port with a random token, one server and one
page for all the learner tests (the app loads once); it is always stopped. Each learner test
closes the notebook of the test before and opens its own, as a learner would open it from the
file browser.
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
from autograder.messages import Words
from tests.lesson_values import conv_single_step_with_bias_mistake
from instructor import course, reference
from instructor.assignments.conv_vectorized.examples import loops_from_assignment_1
from tests.helpers import APPLICATION, STEP_BY_STEP, VECTORIZED

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = reference.REPO / "test-artifacts"
ASSIGNMENT = STEP_BY_STEP.name
BIAS = STEP_BY_STEP.mistake("bias_per_element")
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
BIAS_NOTEBOOK = f"{ASSIGNMENT}_bias.ipynb"
OVERWRITTEN_NOTEBOOK = f"{ASSIGNMENT}_overwritten.ipynb"  # conv_backward overwrites dA_prev where it must add
LOOPING_NOTEBOOK = f"{VECTORIZED.name}_loops.ipynb"  # assignment 2 with assignment 1's conv_forward
APPLICATION_NOTEBOOK = f"{APPLICATION.name}.ipynb"
UPHILL_NOTEBOOK = f"{APPLICATION.name}_uphill.ipynb"  # a training that steps up the gradient
UPHILL = ("parameters[key] -= learning_rate", "parameters[key] += learning_rate")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
SERVER_START = 90  # seconds
RUN_ALL = 240_000  # ms: a whole notebook, hidden cases (and assignment 2's timing checks) included, runs in 10 s

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show
ERROR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"  # an error (or stderr) output
BOX = ".jp-OutputArea-output[data-mime-type='text/html'] .autograder-check-failed"  # autograder/render.py
NOT_A_TRACEBACK = ("Traceback (most recent call last)", 'File "', "autograder/", "site-packages", "Cell In[",
                   "----------")  # what a traceback through the kit (or any IPython traceback) shows

# What a passing check prints, by language: (visible cases, hidden cases, hidden timing cases, visible timing case).
PASSED = {
    "en": (r"^{name}: (the one visible case passes|all \d+ visible cases pass)\.$",
           r"^{name}: all \d+ hidden cases pass\.$",
           r"^{name}: fast enough \(.+, \d+% of the .+ allowed here\)\.$",
           r"^{name}: fast enough on the visible timing case \(.+, \d+% of the .+ allowed here\)\.$"),
    "zh": (r"^{name}：(公开用例通过（共 1 个）|\d+ 个公开用例全部通过)。$", r"^{name}：\d+ 个隐藏用例全部通过。$",
           r"^{name}：速度足够（用时 .+，占本机允许时间 .+ 的 \d+%）。$",
           r"^{name}：在公开的计时用例上速度足够，用时 .+，占本机允许时间 .+ 的 \d+%。$"),
}
# A gradient-check line, by language: passing, and calling for attention ({label}, {name}: the gradient's).
GRADIENT = {
    "en": (r"^{label}, {name}: relative error \S+, within the threshold of \S+: PASS\.$",
           r"^{label}, {name}: relative error \S+, above the threshold of \S+: ATTENTION, this gradient is wrong\.$"),
    "zh": (r"^{label}，{name}：相对误差 \S+，在阈值 \S+ 以内：通过。$",
           r"^{label}，{name}：相对误差 \S+，超过了阈值 \S+：注意，这个梯度不对。$"),
}
# The gradients that the gradient-check cells of assignments 1 and 2 report, (label, name), in order.
GRADIENTS = [("conv_backward", "dA_prev"), ("conv_backward", "dW"), ("conv_backward", "db"),
             ('pool_backward, mode="max"', "dA_prev"), ('pool_backward, mode="average"', "dA_prev")]
# The visible timing check that a loop fails, and the visible accuracy check, by language.
TOO_SLOW = {"en": ("conv_forward is too slow, on the visible timing case (", "Hint"),
            "zh": ("conv_forward 太慢了，出错的是公开的计时用例（", "提示")}
VALIDATION = {"en": (r"^trained_model: \d+\.\d% of the 287 validation digits are classified correctly "
                     r"\(at least 95% needed\)\.$", "trained_model is not good enough yet: it classifies ",
                     "of the 287 validation digits correctly"),
              "zh": (r"^trained_model：287 个验证集数字中有 \d+\.\d% 分类正确（至少需要 95%）。$",
                     "trained_model 还不够好：287 个验证集数字中只有 ", "分类正确")}
# The failing check of the bias mistake, by language: headline, what differs ({expected}, {got}), hint label, and
# the one line shown in place of a traceback.
FAILED = {
    "en": ("conv_single_step is not right yet, on the lesson's example (", "Z should be {}, but it is {}.", "Hint",
           "CheckFailed: conv_single_step did not pass its check: see the message above."),
    "zh": ("conv_single_step 的结果还不对，出错的是课程中的示例（", "Z 应该是 {}，但它是 {}。", "提示",
           "CheckFailed: conv_single_step 没有通过检查：请看上面的说明。"),
}

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
         "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: open notebooks without reloading the app
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


def screenshot(page, name: str, element=None) -> None:
    """The page (one pixel a CSS pixel), or one ``element`` of it (at the page's device scale: sharp in docs/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    if element is None:
        page.screenshot(path=str(ARTIFACTS / name), scale="css")
    else:
        element.screenshot(path=str(ARTIFACTS / name), animations="disabled", scale="device")


def edition(language: str, assignment=STEP_BY_STEP) -> Path:
    """The self-study notebook of ``assignment`` in ``language`` (instructor/selfstudy.py)."""
    return reference.REPO / "notebooks" / language / assignment.name / f"{assignment.name}.ipynb"


def self_study_copy(folder: Path, language: str, cells: dict[str, str], name: str = NOTEBOOK,
                    assignment=STEP_BY_STEP, up_to_the_last_check: bool = False) -> None:
    """The self-study notebook of ``language`` filled in with ``cells``, with its settings file, in ``folder``;
    with ``up_to_the_last_check``, without the cells after its last check cell."""
    notebook = edition(language, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook.parent / settings.SETTINGS_FILE, folder / settings.SETTINGS_FILE)
    for data in notebook.parent.iterdir():  # e.g. assignment 3's datasets/
        if data.is_dir() and not (folder / data.name).exists():
            shutil.copytree(data, folder / data.name)
    filled = course.fill_notebook(notebook, cells)
    if up_to_the_last_check:
        last = max(index for index, _ in check_cells(language, assignment).values())
        filled.cells = filled.cells[:last + 1]
    nbformat.write(filled, folder / name)


def check_cells(language: str, assignment=STEP_BY_STEP) -> dict[str, tuple[int, list[str]]]:
    """{grade id: (its index among the cells, the check calls it makes, one a line)} of every check cell."""
    found = {}
    for index, cell in enumerate(nbformat.read(edition(language, assignment), as_version=4).cells):
        meta = cell.metadata.get("selfstudy", {})
        if meta.get("check"):
            found[meta["grade_id"]] = (index, [line for line in cell.source.splitlines()
                                               if line.startswith("check")])
    return found


def pass_pattern(language: str, call: str) -> str:
    """The line that the check ``call`` (a line of a check cell) prints when it passes."""
    visible, hidden, timing, visible_timing = PASSED[language]
    name = re.match(r'check(\.\w+)?\("(\w+)"', call)[2]
    pattern = (timing if call.startswith("check.speed(") else visible_timing if call.startswith("check.timing(")
               else hidden if "hidden=True" in call else visible)
    return pattern.format(name=name)


def gradient_cells(language: str, assignment=STEP_BY_STEP) -> list[int]:
    """The indices of the gradient-check cells of ``assignment``'s self-study notebook."""
    return [index for index, cell in enumerate(nbformat.read(edition(language, assignment), as_version=4).cells)
            if "check.gradients(" in cell.source]


def gradient_lines(page, language: str, assignment=STEP_BY_STEP) -> list[str]:
    """The lines that the gradient-check cells printed, in order."""
    return [line for index in gradient_cells(language, assignment)
            for line in lines_of(cell_at(page, index).locator(".jp-OutputArea-output"))]


def gradient_pattern(language: str, label: str, name: str, passed: bool = True) -> str:
    return GRADIENT[language][0 if passed else 1].format(label=re.escape(label), name=name)


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
    """In the JupyterLab of ``page`` (:func:`lab_page`), close what the test before left open (unsaved; its kernel
    stays), open the notebook at ``path`` as the file browser does, wait for its kernel, then Run > Run All Cells."""
    page.evaluate("""async path => {
        const app = window.jupyterapp;
        const before = Array.from(app.shell.widgets('main'));
        await app.commands.execute('docmanager:open', {path});
        for (const widget of before) widget.dispose();  // after: an empty main area would get a launcher
    }""", path)
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1)
    expect(page.locator(f"{PANEL} .jp-Cell").first).to_be_visible()
    wait_for_kernel(url, token, path)
    expect(page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)  # e.g. no "Select Kernel": the run has started


def outputs(page):
    return page.locator(f"{PANEL} .jp-OutputArea-output")


def cell_at(page, index: int):
    """The cell at ``index`` of the notebook on show (every cell is rendered: no windowing)."""
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index)


def lines_of(locator) -> list[str]:
    return [line.strip() for line in locator.inner_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    """JupyterLab on a folder with the self-study notebooks as a learner would have filled them in."""
    root = tmp_path_factory.mktemp("learner")
    sources = STEP_BY_STEP.sources()
    self_study_copy(root / "en", "en", sources)
    self_study_copy(root / "zh", "zh", sources)
    self_study_copy(root / "en", "en", BIAS.cells(sources), name=BIAS_NOTEBOOK)
    self_study_copy(root / "zh", "zh", BIAS.cells(sources), name=BIAS_NOTEBOOK)
    self_study_copy(root / "en", "en", STEP_BY_STEP.mistake("conv_dA_overwritten").cells(sources),
                    name=OVERWRITTEN_NOTEBOOK)
    self_study_copy(root / "zh", "zh", STEP_BY_STEP.mistake("conv_dA_overwritten").cells(sources),
                    name=OVERWRITTEN_NOTEBOOK)
    # Assignments 2 and 3 up to their last check: the optional benchmark section of assignment 2 has no check, and
    # would take 20 s more of a loaded machine (timing loops and PyTorch); the figures after assignment 3's last
    # check show nothing new. tests/test_notebook_runs.py runs the same cells in the instructor notebooks.
    loops = {**VECTORIZED.sources(), "conv_forward": loops_from_assignment_1()["conv_forward"]}
    application = APPLICATION.sources()
    uphill = {**application, "train_model": application["train_model"].replace(*UPHILL)}
    assert uphill != application
    for language in ("en", "zh"):
        self_study_copy(root / language / VECTORIZED.name, language, VECTORIZED.sources(),
                        name=f"{VECTORIZED.name}.ipynb", assignment=VECTORIZED, up_to_the_last_check=True)
        self_study_copy(root / language / VECTORIZED.name, language, loops, name=LOOPING_NOTEBOOK,
                        assignment=VECTORIZED, up_to_the_last_check=True)
        self_study_copy(root / language / APPLICATION.name, language, application, name=APPLICATION_NOTEBOOK,
                        assignment=APPLICATION, up_to_the_last_check=True)
        self_study_copy(root / language / APPLICATION.name, language, uphill, name=UPHILL_NOTEBOOK,
                        assignment=APPLICATION, up_to_the_last_check=True)
    with jupyter_lab(root, tmp_path_factory.mktemp("learner-home")) as server:
        yield server


@pytest.fixture(scope="module")
def lab_page(browser, learner_lab):
    """The JupyterLab of :func:`learner_lab` in one page for all the learner tests: the app loads once (on a loaded
    machine, about 5 s less a test), and each test opens its notebook in it (:func:`open_and_run_all`)."""
    url, token = learner_lab
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=2)  # for docs/
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(f"{url}/lab?token={token}")
        page.wait_for_function("() => window.jupyterapp !== undefined")
        page.evaluate("() => window.jupyterapp.restored.then(() => null)")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_correct_notebook_run_in_jupyterlab_passes_every_check(learner_lab, lab_page, language):
    url, token = learner_lab
    visible, hidden, _, _ = PASSED[language]
    open_and_run_all(lab_page, url, token, f"{language}/{NOTEBOOK}")
    last = hidden.format(name="pool_backward")
    expect(outputs(lab_page).filter(has_text=re.compile(last[1:-1]))).to_have_count(1, timeout=RUN_ALL)
    screenshot(lab_page, f"selfstudy-{language}-all-pass.png")
    shown = [line for text in outputs(lab_page).all_inner_texts() for line in text.splitlines() if line.strip()]
    for name in STEP_BY_STEP.functions:
        assert [line for line in shown if re.match(visible.format(name=name), line)], (name, shown)
        assert [line for line in shown if re.match(hidden.format(name=name), line)], (name, shown)
    assert not [line for line in shown if "CheckFailed" in line or "Error" in line]
    found = gradient_lines(lab_page, language)
    assert len(found) == len(GRADIENTS), found
    assert all(re.match(gradient_pattern(language, label, name), line)
               for (label, name), line in zip(GRADIENTS, found)), found


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_failing_check_shows_a_box_with_its_message_and_hint_and_no_traceback_through_the_kit(
        learner_lab, lab_page, language):
    """The notebook with the bias mistake: the check of conv_single_step fails in a box, the one of zero_pad before
    it passed in one line a check; the failure is an error to Jupyter (Run All stops there)."""
    url, token = learner_lab
    headline, differs, label, instead_of_a_traceback = FAILED[language]
    checks = check_cells(language)
    open_and_run_all(lab_page, url, token, f"{language}/{BIAS_NOTEBOOK}")
    errors = lab_page.locator(f"{PANEL} {ERROR}")
    expect(errors.first).to_be_visible(timeout=RUN_ALL)  # where Run All stops
    failing = cell_at(lab_page, checks["test_conv_single_step"][0])
    assert errors.count() == failing.locator(ERROR).count() == 1  # the only error (or stderr) output

    # Above that error (its display came first), the box, rendered as HTML: the headline, what differs, and the
    # catalogued mistake's hint set apart.
    box = failing.locator(BOX)
    expect(box).to_have_count(1, timeout=10_000)
    shown = lines_of(box)
    assert len(shown) == 3 and shown[0].startswith(headline), shown
    assert shown[1] == differs.format(*conv_single_step_with_bias_mistake()), shown
    # the hint, and (the mistake explains every failing case, so its fix was tried on them) that fixing it is enough
    hint = Words(language)("diagnosis.fixes_all", text=BIAS.hints[language])
    assert re.fullmatch(rf"{label}\s*[:：]\s*{re.escape(hint)}", shown[2]), shown
    assert box.locator("p", has_text=BIAS.hints[language]).evaluate("p => getComputedStyle(p).borderLeftStyle") \
        == "solid"  # the hint is set apart (render.py)

    # Under it, one line in place of a traceback, and no frame of the kit (nor any other frame).
    expect(failing.locator(".jp-OutputArea-output")).to_have_count(2)  # the box and that line, nothing else
    assert lines_of(failing.locator(ERROR)) == [instead_of_a_traceback]
    text = failing.locator(".jp-Cell-outputArea").inner_text()
    assert [sign for sign in NOT_A_TRACEBACK if sign in text] == [], text

    # The check before it passed, one line a check; the check after it never ran: to JupyterLab the failure is an
    # error, which stops Run All (and the cells it had queued are unqueued, "[ ]").
    index, calls = checks["test_zero_pad"]
    passing = cell_at(lab_page, index)
    expect(passing.locator(".jp-OutputArea-output")).to_have_count(1)
    shown = lines_of(passing.locator(".jp-OutputArea-output"))
    assert len(shown) == len(calls) == 2, shown
    assert all(re.match(pass_pattern(language, call), line) for call, line in zip(calls, shown)), shown
    after = cell_at(lab_page, checks["test_conv_forward"][0])
    expect(after.locator(".jp-InputArea-prompt")).to_have_text(re.compile(r"^\[ \]:$"))
    expect(after.locator(".jp-OutputArea-output")).to_have_count(0)

    failing.scroll_into_view_if_needed()
    screenshot(lab_page, f"failing-check-{language}.png", element=failing)  # docs/ has a copy of each


@pytest.mark.parametrize("language", ["en", "zh"])
def test_assignment_2_with_the_reference_solutions_passes_every_check(learner_lab, lab_page, language):
    """conv_vectorized, Run All: every check cell shows one pass line a check (the visible and the hidden timing
    checks included: they time with one BLAS thread against a calibration measured on the spot, so a loaded machine
    passes too), every gradient check passes, and no cell shows an error."""
    url, token = learner_lab
    checks = check_cells(language, VECTORIZED)
    last, calls = max(checks.values())  # the notebook's last cell (see learner_lab)
    open_and_run_all(lab_page, url, token, f"{language}/{VECTORIZED.name}/{VECTORIZED.name}.ipynb")
    expect(lab_page.locator(f"{PANEL} .jp-Notebook .jp-Cell")).to_have_count(last + 1)
    errors = lab_page.locator(f"{PANEL} {ERROR}")
    the_end = cell_at(lab_page, last).locator(".jp-OutputArea-output",
                                              has_text=re.compile(pass_pattern(language, calls[-1])[1:-1]))
    expect(the_end.or_(errors).first).to_be_visible(timeout=RUN_ALL)  # the last line printed, or an error
    assert errors.count() == 0, errors.all_inner_texts()
    assert set(checks) == {f"test_{name}" for name in VECTORIZED.graded}
    for grade_id, (index, calls) in checks.items():
        shown = lines_of(cell_at(lab_page, index).locator(".jp-OutputArea-output"))
        assert len(shown) == len(calls) == 4, (grade_id, shown)  # visible cases and timing, hidden cases and timing
        assert all(re.match(pass_pattern(language, call), line) for call, line in zip(calls, shown)), (grade_id, shown)
    found = gradient_lines(lab_page, language, VECTORIZED)
    assert all(re.match(gradient_pattern(language, label, name), line)
               for (label, name), line in zip(GRADIENTS, found)) and len(found) == len(GRADIENTS), found
    cell_at(lab_page, checks["test_conv_backward"][0]).scroll_into_view_if_needed()
    screenshot(lab_page, f"selfstudy-{language}-vectorized-all-pass.png")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_backward_pass_that_overwrites_gets_attention_for_that_gradient_alone(learner_lab, lab_page, language):
    """Assignment 1 with conv_backward's dA_prev overwritten (=) where windows overlap: the gradient-check cell
    passes dW and db, and calls dA_prev to attention, in the notebook's language; the check cell after it fails."""
    url, token = learner_lab
    open_and_run_all(lab_page, url, token, f"{language}/{OVERWRITTEN_NOTEBOOK}")
    errors = lab_page.locator(f"{PANEL} {ERROR}")
    expect(errors.first).to_be_visible(timeout=RUN_ALL)  # where Run All stops: the check of conv_backward
    index = gradient_cells(language)[0]
    assert index < check_cells(language)["test_conv_backward"][0]
    found = lines_of(cell_at(lab_page, index).locator(".jp-OutputArea-output"))
    assert len(found) == 3, found
    assert re.match(gradient_pattern(language, "conv_backward", "dA_prev", passed=False), found[0]), found
    assert all(re.match(gradient_pattern(language, "conv_backward", name), line)
               for name, line in zip(("dW", "db"), found[1:])), found
    assert cell_at(lab_page, index).locator(ERROR).count() == 0  # it tells, the graded check fails
    cell = cell_at(lab_page, index)
    cell.scroll_into_view_if_needed()
    screenshot(lab_page, f"gradient-check-{language}.png", element=cell)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_layer_that_loops_fails_the_visible_timing_check_in_a_box(learner_lab, lab_page, language):
    """Assignment 2 with assignment 1's conv_forward (right, but a loop over positions): its check cell passes the
    visible cases, then the visible timing check fails in a box with the hint that names the loop."""
    url, token = learner_lab
    headline, label = TOO_SLOW[language]
    open_and_run_all(lab_page, url, token, f"{language}/{VECTORIZED.name}/{LOOPING_NOTEBOOK}")
    errors = lab_page.locator(f"{PANEL} {ERROR}")
    expect(errors.first).to_be_visible(timeout=RUN_ALL)
    index, calls = check_cells(language, VECTORIZED)["test_conv_forward"]
    failing = cell_at(lab_page, index)
    assert failing.locator(ERROR).count() == errors.count() == 1
    first = lines_of(failing.locator(".jp-OutputArea-output").first)
    assert len(first) == 1 and re.match(pass_pattern(language, calls[0]), first[0]), first
    box = failing.locator(BOX)
    expect(box).to_have_count(1, timeout=10_000)
    shown = lines_of(box)
    assert shown[0].startswith(headline), shown
    assert re.match(rf"{label}\s*[:：]", shown[-1]) and "sliding_window_view" in shown[-1], shown
    failing.scroll_into_view_if_needed()
    screenshot(lab_page, f"timing-check-{language}.png", element=failing)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_assignment_3_s_visible_accuracy_check_measures_the_validation_digits(learner_lab, lab_page, language):
    """Assignment 3 with the reference: the check cell of the trained model shows its accuracy on the 287
    validation digits (and, in the self-study edition, on the test digits); with a training that steps up the
    gradient instead of down, the visible check fails in a box that says how many validation digits it got."""
    url, token = learner_lab
    passed, headline, middle = VALIDATION[language]
    index, calls = check_cells(language, APPLICATION)["test_trained_model"]
    open_and_run_all(lab_page, url, token, f"{language}/{APPLICATION.name}/{APPLICATION_NOTEBOOK}")
    cell = cell_at(lab_page, index)
    expect(cell.locator(".jp-OutputArea-output")).to_have_count(1, timeout=RUN_ALL)  # after the training
    assert cell.locator(ERROR).count() == 0  # (the training's progress bar may write to stderr: not an error)
    shown = lines_of(cell.locator(".jp-OutputArea-output"))
    assert len(shown) == 2 and re.match(passed, shown[0]), shown  # the validation digits, then the test digits

    open_and_run_all(lab_page, url, token, f"{language}/{APPLICATION.name}/{UPHILL_NOTEBOOK}")
    failing = cell_at(lab_page, index)
    expect(failing.locator(BOX)).to_have_count(1, timeout=RUN_ALL)
    shown = lines_of(failing.locator(BOX))
    assert shown[0].startswith(headline) and middle in shown[0], shown
    failing.scroll_into_view_if_needed()
    screenshot(lab_page, f"accuracy-check-{language}.png", element=failing)


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
