"""Module 1 logic: the product-mindset self-check, for one learner and a cohort."""

import json

import matplotlib.pyplot as plt
import pytest

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.mindset import (
    MINDSET_STATEMENTS,
    SelfCheck,
    combine_self_checks,
    plot_cohort_radar,
    plot_radar,
    score_self_check,
    statements_table,
    write_example_exports,
)
from pspo_lab.core.workspace import Workspace


def test_self_check_scoring_with_reverse_items():
    product_minded = {f"q{n:02d}": (1 if reverse else 5)
                      for n, (_, _, reverse) in enumerate(MINDSET_STATEMENTS, start=1)}
    assert score_self_check(product_minded).eq(100).all()
    assert score_self_check(SelfCheck().model_dump()).eq(50).all()
    assert len(statements_table()) == len(MINDSET_STATEMENTS) == 10


@pytest.mark.parametrize("answers", [{"q01": 6}, {"q01": "often"}])
def test_self_check_refuses_bad_answers(answers):
    with pytest.raises(DataError, match="self-check answers field 'q01'"):
        score_self_check(SelfCheck().model_dump() | answers)


def test_cohort_combines_learner_exports(tmp_path):
    files = write_example_exports(tmp_path, learners=5, seed=3)
    ws = Workspace(tmp_path / "mine")
    ws.save("self-check", "product-mindset", SelfCheck().model_dump())
    files.append(ws.export(tmp_path / "me.json"))
    scores = combine_self_checks(files)
    assert scores.shape == (6, 5)
    assert scores.loc["me"].eq(50).all()
    ax = plot_cohort_radar(scores)
    assert "6 learners" in ax.get_title()
    assert plot_radar(scores.loc["me"]).name == "polar"
    plt.close("all")


def test_cohort_names_the_bad_file(tmp_path):
    good = write_example_exports(tmp_path, learners=1)
    foreign = tmp_path / "notes.json"
    foreign.write_text(json.dumps({"hello": 1}))
    with pytest.raises(DataError, match="^notes.json: not a pspo-lab workspace export"):
        combine_self_checks([*good, foreign])
    empty = Workspace(tmp_path / "empty").export(tmp_path / "empty.json")
    with pytest.raises(DataError, match="empty.json: no saved self-check"):
        combine_self_checks([empty])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(DataError, match="broken.json: not a JSON file"):
        combine_self_checks([broken])


def test_radar_needs_polar_axes():
    _, ax = plt.subplots()
    with pytest.raises(ParameterError, match="polar"):
        plot_radar(score_self_check(SelfCheck().model_dump()), ax=ax)
    plt.close("all")
