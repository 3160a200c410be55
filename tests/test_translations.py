"""Check messages, hints and figure titles in the learner's language (English by default, or Chinese)."""
import io
import string
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import autograder  # noqa: E402
from autograder import CheckFailed, casefile, settings  # noqa: E402
from autograder.figures import cjk_family  # noqa: E402
from autograder.figures import conv_step_by_step as figures  # noqa: E402
from autograder.judge import place_of  # noqa: E402
from autograder.messages import CATALOGUES  # noqa: E402
from autograder.render import Renderer  # noqa: E402
from tests.helpers import ASSIGNMENTS, STEP_BY_STEP  # noqa: E402

check = autograder.checks(STEP_BY_STEP.name)


class _Blank(dict):
    """Fills every placeholder with nothing: what is left of a text is its words."""

    def __missing__(self, key):
        return ""


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# Entries whose words are all symbols or names, the same in every language.
LANGUAGE_NEUTRAL = {"place", "raised", "cell.solution", "problem.stopped", "diagnosis.factor", "shown_array",
                    "factor.overlap", "summary.isolation_item", "shown_number", "factor.f", "factor.mode",
                    "cli.metavar_n", "cli.metavar_mib"}  # symbols: a count, a unit


@pytest.mark.parametrize("catalogue", [CATALOGUES, figures.TEXTS], ids=["messages", "figures"])
def test_every_english_text_has_a_chinese_counterpart_with_the_same_placeholders(catalogue):
    assert set(catalogue) == set(settings.LANGUAGES)
    english, chinese = catalogue["en"], catalogue["zh"]
    assert set(chinese) == set(english)
    assert {key: fields(text) for key, text in chinese.items()} == {key: fields(text) for key, text in english.items()}
    words = {key for key in english if key not in LANGUAGE_NEUTRAL and any(ch.isalpha() for ch in
                                                                          string.Formatter().vformat(
                                                                              english[key], (), _Blank()))}
    assert [key for key in words if not has_cjk(chinese[key])] == []


def test_every_mistake_has_a_chinese_hint_and_the_case_file_stores_both():
    for assignment in ASSIGNMENTS:
        manifest, _ = casefile.read(assignment.name, casefile.DATA_DIR)
        for mistake in assignment.catalogue:
            assert has_cjk(mistake.hints["zh"]), mistake.id
            assert manifest["hints"][mistake.id] == dict(mistake.hints)


def test_the_language_comes_from_the_environment_then_the_settings_file_then_english(language, monkeypatch,
                                                                                     tmp_path):
    assert settings.language() == "en"
    language("zh")
    assert settings.language() == "zh"
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, "en")
    assert settings.language() == "en"
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, "tlh")  # unknown: English
    assert settings.language() == "en"
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE)
    (tmp_path / settings.SETTINGS_FILE).write_text("{not json")
    assert settings.language() == "en"


def test_a_check_speaks_the_language_of_its_folder(language):
    ref = STEP_BY_STEP.reference()
    bias = STEP_BY_STEP.mistake("bias_per_element")
    mistake = STEP_BY_STEP.reference(bias.cells(STEP_BY_STEP.sources()))["conv_single_step"]
    language("zh")
    with pytest.raises(CheckFailed) as failure:
        check("conv_single_step", mistake)
    text = str(failure.value)
    assert text.startswith("conv_single_step 的结果还不对，出错的是课程中的示例（a_slice_prev (4, 4, 3)")
    assert "\n提示：" + bias.hints["zh"] in text
    with pytest.raises(CheckFailed, match=r"X_pad 的形状是 \(4, 3, 3, 2\)，但应该是 \(4, 7, 7, 2\)。"):
        check("zero_pad", lambda X, pad: X)
    with pytest.raises(CheckFailed, match="空值 None"):
        check("distribute_value", lambda dz, shape: None)
    language("en")
    with pytest.raises(CheckFailed, match="Hint: the bias was added to every element"):
        check("conv_single_step", mistake)
    language("zh")
    check("pool_backward", ref["pool_backward"], hidden=True)


def test_a_gradient_case_is_described_in_the_learners_language():
    case = next(case for case in check.cases_of("conv_backward") if case.kind == "gradient")
    place = place_of(case, 1, 4)
    assert Renderer("en").place(place).endswith(", compared with a numerical gradient)")
    assert Renderer("zh").place(place).startswith("4 个隐藏用例中的第 1 个（")
    assert Renderer("zh").place(place).endswith("，与数值梯度比较）")


def draw_all():
    return [
        figures.padding_figure(np.arange(9.0).reshape(3, 3), 1),
        figures.conv_window_figure(5, 5, f=3, stride=2, pad=1),
        figures.channel_stack_figure((4, 4, 3), f=2, n_C=3, stride=1, pad=1),
        figures.pooling_figure(np.arange(16.0).reshape(4, 4), f=2),
        figures.max_mask_figure(np.array([[1.0, 3.0], [4.0, 2.0]]), grad=1.5),
        figures.distribute_figure(1.8, (3, 3)),
    ]


def texts_of(fig) -> list[Text]:
    return [text for text in fig.findobj(Text) if text.get_text()]


def test_chinese_figures_have_chinese_titles_in_a_cjk_font_or_else_english(language):
    language("zh")
    family = cjk_family()
    for fig in draw_all():
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
        assert titles
        if family is None:  # no CJK font installed: the English titles, not boxes
            assert not any(has_cjk(title) for title in titles)
            continue
        assert all(has_cjk(title) for title in titles)
        assert all(family in text.get_fontfamily() for text in texts_of(fig))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a glyph missing from every font would warn
            fig.savefig(io.BytesIO(), format="png")


def test_figures_stay_english_by_default(language):
    for fig in draw_all():
        assert not any(has_cjk(text.get_text()) for text in texts_of(fig))


def test_no_cjk_font_means_none_found():
    assert cjk_family(families=("No Such Font CJK",), files=()) is None
