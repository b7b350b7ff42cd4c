"""The catch-up module: card review, experiment review, reflection and plan records."""

import datetime as dt

import pytest
from repo_paths import REPO_ROOT

from pspo_lab import load_dataset
from pspo_lab.analysis.catchup import (
    cards_table,
    due_for_review,
    experiment_review,
    plot_card_status,
    saved_plan,
    saved_reflection,
    status_counts,
    strongest_experiment,
)
from pspo_lab.core import records
from pspo_lab.core.errors import DataError
from pspo_lab.core.workspace import Workspace

LEARNER = REPO_ROOT / "datasets" / "workspaces" / "catchup-learner.json"


@pytest.fixture()
def learner(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.import_(LEARNER)
    return ws


def test_prefilled_workspace_cards(learner):
    cards = cards_table(learner)
    assert cards["module"].tolist() == [1, 2, 3, 4, 6, 7]
    assert status_counts(cards).to_dict() == {"planned": 1, "running": 1, "done": 3,
                                              "abandoned": 1}
    due = due_for_review(cards, dt.date(2025, 11, 25))
    assert due["module"].tolist() == [2]
    assert len(plot_card_status(cards).patches) == 4


def test_empty_workspace_has_an_empty_table(tmp_path):
    cards = cards_table(Workspace(tmp_path))
    assert cards.empty and "module" in cards.columns
    assert status_counts(cards).sum() == 0
    assert saved_reflection(Workspace(tmp_path)) is None


def test_broken_saved_plan_is_reported_and_read_as_not_written(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.CATCHUP_PLAN, {"goal": "", "week_1": []})
    with pytest.warns(UserWarning, match="catchup/two-week-plan field 'goal'.*not written yet"):
        assert saved_plan(ws) is None
    assert ws.load(*records.CATCHUP_PLAN) == {"goal": "", "week_1": []}


def test_experiment_review_on_the_case_study():
    review = experiment_review(load_dataset("experiments"))
    assert review.index.is_unique and review["supported"].dtype == bool
    assert (review["treatment_rate"].between(0, 1)).all()
    other = experiment_review(load_dataset("experiments", seed=7))
    assert not review["z"].equals(other["z"])


@pytest.mark.parametrize("seed", [42, 104, 143])
def test_strongest_experiment_skips_broken_traffic_splits(seed):
    review = experiment_review(load_dataset("experiments", seed=seed))
    best = strongest_experiment(review)
    assert review.loc[best, "split_ok"]
    assert review.loc[best, "z"] == review.loc[review["split_ok"], "z"].max()
    if seed in (104, 143):
        assert not review.loc[review["z"].idxmax(), "split_ok"], "the trap this test is for"


def test_strongest_experiment_needs_a_sound_split():
    review = experiment_review(load_dataset("experiments"))
    with pytest.raises(DataError, match="none of the 5 experiment"):
        strongest_experiment(review.assign(split_ok=False))
