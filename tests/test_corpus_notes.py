"""The corpus notes (tests/corpus/*/learner_*.toml) hold the truth the diagnosis bench judges by.

Each note is well formed and uses causes the bench knows; its file loses marks exactly in the functions
it lists (the truth decided without the kit's checks, as the bench decides it); and its causes are real
and needed: its fixes, applied to the file, make every function right, and leaving out the fix of any
one cause leaves exactly the functions with that cause wrong. The bench's judging of a verdict against a
note, and its checks of a claim against its evidence, are tested on verdicts made here.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

from autograder.verdict import Diagnosis, Outcome, Place, Verdict
from instructor import corpus
from instructor.assignments import REGISTRY

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("conv_step_by_step", "conv_vectorized")


def _bench(name: str):
    """bench/<name>.py (bench/ is a folder of scripts, not a package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


causes = _bench("diagnosis_causes")
NOTED = [(name, path) for name in ASSIGNMENTS for path in corpus.files(REGISTRY[name]).values()
         if corpus.note_path(path).exists()]
IDS = [f"{name}/{path.stem}" for name, path in NOTED]


def test_the_corpus_has_at_least_30_noted_wrong_submissions_in_both_assignments():
    wrong = [(name, path) for name, path in NOTED if corpus.note(path).functions]
    assert len(wrong) >= 30
    assert {name for name, _ in wrong} == set(ASSIGNMENTS)
    assert all(corpus.note_path(path).with_suffix(".py").exists()
               for name in ASSIGNMENTS for path in (corpus.CORPUS / name).glob("*.toml"))


@pytest.mark.parametrize("name, path", NOTED, ids=IDS)
def test_a_note_is_well_formed_and_its_causes_are_known_to_the_bench(name, path):
    note = corpus.note(path, REGISTRY[name])  # raises NoteError when malformed
    for function, truth in note.functions.items():
        for cause in truth.causes:
            assert cause.tag in causes.CAUSES, f"{function}: the bench does not know the cause {cause.tag!r}"
    corpus.fixed(path.read_text(), note)  # every edit is found, once


def _truth(name: str, text: str, learner: str, folder: Path) -> set[str]:
    path = folder / f"{learner}.py"
    path.write_text(text)
    return {function for function, right in corpus.truth(REGISTRY[name], path).items() if not right}


@pytest.mark.parametrize("name, path", NOTED, ids=IDS)
def test_a_file_loses_marks_exactly_where_its_note_says(name, path, tmp_path):
    note = corpus.note(path, REGISTRY[name])
    assert _truth(name, path.read_text(), path.stem, tmp_path) == set(note.functions)


@pytest.mark.parametrize("name, path", NOTED, ids=IDS)
def test_the_fixes_of_a_note_are_the_causes_of_its_lost_marks(name, path, tmp_path):
    note = corpus.note(path, REGISTRY[name])
    text = path.read_text()
    rewrite = note.rewrite  # a stub or a loop over output positions: no edit fixes it
    assert _truth(name, corpus.fixed(text, note), path.stem, tmp_path) == rewrite, "the fixes leave something wrong"
    groups = {group: members for group, members in note.groups().items() if group[0] not in corpus.REWRITE}
    if len(groups) > 1:
        for group, members in groups.items():
            still = _truth(name, corpus.fixed(text, note, leave=group), path.stem, tmp_path)
            assert still == {function for function, _ in members} | rewrite, f"without the fix of {group}"


def test_a_malformed_note_is_refused(tmp_path):
    folder = tmp_path / "conv_step_by_step"
    folder.mkdir()
    (folder / "learner_01.py").write_text("import numpy as np\n")
    note = folder / "learner_01.toml"
    note.write_text('styles = ["x"]\nexplanation = "a cause written in words, long enough to say what is wrong"\n'
                    '[functions.conv_forward]\nown_code_right = true\n'
                    'causes = [{ tag = "stride_ignored", fix = "move by the stride", edit = [["a", "b"]] }]\n')
    with pytest.raises(corpus.NoteError, match="own_code_right must be false"):
        corpus.note(folder / "learner_01.py", REGISTRY["conv_step_by_step"])
    note.write_text(note.read_text().replace("own_code_right = true", "own_code_right = false")
                    .replace("conv_forward", "conv_forwards"))
    with pytest.raises(corpus.NoteError, match="not a graded function"):
        corpus.note(folder / "learner_01.py", REGISTRY["conv_step_by_step"])


# -- the bench's judging, on verdicts made here ----------------------------------------------------------
def _verdict(*diagnoses: Diagnosis, outcome=Outcome.WRONG_VALUE, place_id="lesson", also=()) -> Verdict:
    place = Place(place_id, False, 1, 1, "...")
    return Verdict("conv_forward", outcome, place, diagnosis=diagnoses[0] if diagnoses else None, also=also)


def _truth_of(*tags, through=None, own=False, forbidden=()):
    return corpus.FunctionTruth("conv_forward", tuple(corpus.Cause(tag, "fix", through if i == 0 else None)
                                                      for i, tag in enumerate(tags)), own, tuple(forbidden))


def test_a_verdict_is_right_only_when_it_names_every_true_cause():
    truth = _truth_of("bias_per_element", "stride_ignored", through="conv_single_step")
    helper = Diagnosis("helper_fails", "helper", {"helper": "conv_single_step", "helpers": ["conv_single_step"]})
    only_helper = _verdict(helper)
    assert causes.judge(truth, only_helper).kind == causes.PARTLY
    both = _verdict(helper, also=(_verdict(Diagnosis("conv_stride_ignored", "mistake")),))
    assert causes.judge(truth, both).kind == causes.RIGHT


def test_a_helper_blamed_that_is_no_cause_and_a_forbidden_claim_are_wrong_causes():
    truth = _truth_of("bias_of_first_channel", forbidden=["bias_forgotten"])
    blamed = _verdict(Diagnosis("helper_fails", "helper", {"helper": "conv_single_step"}))
    assert causes.judge(truth, blamed).wrong == ["helper_fails:conv_single_step"]
    assert causes.judge(truth, _verdict(Diagnosis("bias_forgotten", "mistake"))).kind == causes.WRONG_CAUSE
    assert causes.judge(truth, _verdict(Diagnosis("some_channels", "pattern", {"name": "Z"}))).kind == causes.RIGHT


def test_a_claim_that_states_a_fact_without_a_cause_is_not_a_wrong_cause():
    truth = _truth_of("mode_misspelled")
    zeros = _verdict(Diagnosis("all_zeros", "pattern", {"name": "A"}))
    assert causes.judge(truth, zeros).kind == causes.NOT_NAMED
    stride = _verdict(Diagnosis("factor", "probe", {"factor": "stride", "right": 1, "wrong": 2}))
    assert causes.judge(truth, stride).wrong == ["factor:stride"]
    area = _verdict(Diagnosis("off_by_factor", "pattern", {"name": "A", "factor": 4.0, "because": "window_area"}))
    assert causes.judge(truth, area).wrong == ["off_by_factor:window_area"]


def test_a_fix_that_does_not_work_is_wrong_advice():
    truth = _truth_of("numpy_float_alias_on_array")
    builtin = Diagnosis("numpy_alias_removed", "exception", {"alias": "float", "builtin": "float",
                                                             "replacement": "float64"})
    assert causes.judge(truth, _verdict(builtin, outcome=Outcome.RAISED)).kind == causes.WRONG_ADVICE
    item = Diagnosis("numpy_alias_removed", "exception", {"alias": "float", "builtin": "b.item()",
                                                          "replacement": "float64"})
    assert causes.judge(truth, _verdict(item, outcome=Outcome.RAISED)).kind == causes.RIGHT


def test_own_code_right_must_be_said_when_it_is_and_never_when_it_is_not():
    helper = Diagnosis("helper_fails", "helper", {"helper": "conv_single_step"})
    passes = _verdict(Diagnosis("x", "y"), outcome=Outcome.PASSED)
    truth = _truth_of("bias_per_element", through="conv_single_step", own=True)
    assert causes.judge(truth, _verdict(helper)).kind == causes.PARTLY
    assert causes.judge(truth, _verdict(helper, also=(passes,))).kind == causes.RIGHT
    own_bug = _truth_of("stride_ignored")
    assert "own_code_right" in causes.judge(own_bug, _verdict(Diagnosis("conv_stride_ignored", "mistake"),
                                                              also=(passes,))).wrong


def test_an_unfinished_function_is_named_by_its_outcome_and_must_get_nothing_else():
    truth = _truth_of("not_written")
    assert causes.judge(truth, _verdict(outcome=Outcome.NOT_WRITTEN)).kind == causes.RIGHT
    guessed = _verdict(Diagnosis("simplest_case", "probe"), outcome=Outcome.NOT_WRITTEN)
    assert causes.judge(truth, guessed).kind == causes.WRONG_CAUSE


def _run(id_, passed, probe=False, ratio=None, **factors):
    sizes = {"f": factors.get("f", 2), "m": factors.get("m", 1), "positions": factors.get("positions", 9),
             "n_C": factors.get("n_C", 1), "n_C_prev": factors.get("n_C_prev", 1), "stride": factors.get("stride", 1)}
    return causes.Run(id_, probe, factors, sizes, passed, {"Z": ratio})


def test_a_factor_claim_is_contradicted_by_a_failing_case_with_its_right_value_or_a_case_shown_without_it():
    claim = Diagnosis("factor", "probe", {"factor": "stride", "right": 1, "wrong": 2})
    runs = [_run("lesson", False, stride=1, pad=2), _run("stride2", False, stride=2, pad=0),
            _run("root", True, probe=True, stride=1, pad=0)]
    assert any("shown under a failing case with stride 1" in text
               for text in causes.contradictions(_verdict(claim, place_id="lesson"), runs, {}, None))
    assert any("1 case(s) with it fail (lesson)" in text
               for text in causes.contradictions(_verdict(claim, place_id="stride2"), runs, {}, None))
    honest = [_run("lesson", True, stride=1, pad=2), _run("stride2", False, stride=2, pad=0)]
    assert causes.contradictions(_verdict(claim, place_id="stride2"), honest, {}, None) == []


def test_the_simplest_case_claim_and_claims_under_a_stub_are_contradictions():
    simplest = Diagnosis("simplest_case", "probe")
    runs = [_run("lesson", False, stride=1, pad=2, m=10, n_C=8), _run("root", False, probe=True, stride=1, pad=0)]
    assert causes.contradictions(_verdict(simplest, place_id="lesson"), runs, {}, None)
    assert causes.contradictions(_verdict(simplest, place_id="root"), runs, {}, None) == []
    stub = _verdict(simplest, outcome=Outcome.NOT_WRITTEN)
    assert any("unfinished" in text for text in causes.contradictions(stub, None, {}, None))


def test_a_named_constant_factor_must_be_told_apart_from_the_other_sizes():
    claim = Diagnosis("off_by_factor", "pattern", {"name": "Z", "factor": 8.0, "because": "positions"})
    coincide = [_run("a", False, ratio=8.0, f=2, positions=8, m=1)]  # f ** 3 == n_H * n_W == 8
    assert any("tells it apart" in text for text in causes.contradictions(_verdict(claim, place_id="a"), coincide,
                                                                          {}, None))
    other = [_run("a", False, ratio=8.0, f=2, positions=8), _run("b", False, ratio=27.0, f=3, positions=4)]
    assert any("the factor is another" in text for text in causes.contradictions(_verdict(claim), other, {}, None))
    apart = [_run("a", False, ratio=6.0, f=2, positions=6, m=2)]  # m * n_H * n_W is 12: told apart
    assert causes.contradictions(_verdict(claim, place_id="a"), apart, {}, None) == []


def test_a_helper_blamed_must_be_called_and_wrong():
    claim = Diagnosis("helper_fails", "helper", {"helper": "conv_single_step"})
    assert causes.contradictions(_verdict(claim), [], {}, called={"zero_pad"})
    passing = {"conv_single_step": [_run("lesson", True)]}
    assert causes.contradictions(_verdict(claim), [], passing, called={"conv_single_step"})
    assert causes.contradictions(_verdict(claim), [], {"conv_single_step": [_run("lesson", False)]},
                                 called={"conv_single_step"}) == []
