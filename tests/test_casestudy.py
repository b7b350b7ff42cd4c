"""The case-study generator: reproducible, coherent, documented."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from repo_paths import REPO_ROOT

from pspo_lab import load_dataset
from pspo_lab.content.casestudy import CASE_STUDY_SEED, SCHEMAS, STAGES, TODAY, generate
from pspo_lab.content.datasets import data_dictionary, dataset_names, datasets_dir


def test_committed_csvs_regenerate_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, "-m", "pspo_lab.trainer.cli", "datasets", "write",
                    "--seed", str(CASE_STUDY_SEED), "--out", str(tmp_path)], check=True)
    for name in dataset_names():
        committed = (datasets_dir() / f"{name}.csv").read_bytes()
        assert (tmp_path / f"{name}.csv").read_bytes() == committed, name


def test_same_seed_same_tables_other_seed_other_numbers():
    first, again, other = generate(5), generate(5), generate(6)
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["work_items"]["done"].equals(other["work_items"]["done"])


@pytest.mark.parametrize("seed", [CASE_STUDY_SEED, 7, 2024])
def test_generated_data_passes_validation_for_any_seed(seed):
    for name in dataset_names():
        frame = load_dataset(name, seed=seed)
        assert list(frame.columns[: len(SCHEMAS[name].columns)]) == SCHEMAS[name].names


def test_work_items_are_coherent():
    items = load_dataset("work_items")
    dates = items[list(STAGES)]
    assert (dates.max(axis=1) <= TODAY).all()
    started = items["in_progress"].notna()
    assert items.loc[~started, "done"].isna().all(), "an item that never started is not done"
    assert 0.8 < items["done"].notna().mean() < 1.0, "most items are done, some are in flight"
    assert items["ready"].isna().any() and items["review"].isna().any(), "skipped stages exist"
    weekend = items["done"].dropna().dt.day_of_week >= 5
    assert not weekend.any(), "the team finishes work on working days"


def test_backlog_supports_every_ordering_method():
    backlog = load_dataset("backlog")
    scale = {1, 2, 3, 5, 8, 13, 20}
    for column in ["user_business_value", "time_criticality", "risk_reduction", "job_size"]:
        assert set(backlog[column]) <= scale
    assert set(backlog["impact"]) <= {3, 2, 1, 0.5, 0.25}
    assert set(backlog["confidence"]) <= {100, 80, 50}
    assert (backlog["effort"] > 0).all() and (backlog["duration_weeks"] > 0).all()
    assert set(backlog["moscow"]) == {"Must", "Should", "Could", "Won't"}
    sponsors = set(backlog["sponsor"].dropna())
    assert sponsors <= set(load_dataset("stakeholders")["id"])


def test_ebm_covers_the_four_key_value_areas_monthly():
    ebm = load_dataset("ebm")
    assert set(ebm["kva"]) == {"Current Value", "Unrealized Value", "Time to Market",
                               "Ability to Innovate"}
    per_measure = ebm.groupby("measure")["month"].agg(["count", "nunique"])
    assert (per_measure["count"] == 24).all() and (per_measure["nunique"] == 24).all()


def test_ebm_subscribers_have_one_real_level_shift():
    series = (load_dataset("ebm").query("measure == 'active_subscribers'")
              .set_index("month")["value"])
    jumps = series.diff().dropna()
    assert jumps.max() > 4 * np.median(np.abs(jumps)), "the shift stands out from the noise"


def test_experiments_are_paired_and_plausible():
    experiments = load_dataset("experiments")
    assert (experiments.groupby("experiment")["variant"].nunique() == 2).all()
    assert (experiments["conversions"] <= experiments["visitors"]).all()


def test_kano_survey_covers_backlog_items():
    survey = load_dataset("kano_survey")
    assert set(survey["feature"]) <= set(load_dataset("backlog")["id"])
    assert survey.groupby("feature")["respondent"].nunique().eq(40).all()


def test_data_dictionary_in_readme_is_current():
    readme = (REPO_ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert data_dictionary() in readme, "run: pspo-lab datasets dictionary"


@pytest.mark.parametrize("seed", [42, 7, 11])
def test_backlog_titles_are_unique_and_name_a_step_of_their_activity(seed):
    from pspo_lab.content.casestudy import STEPS, generate

    backlog = generate(seed)["backlog"]
    assert not backlog["title"].duplicated().any()
    for title, activity in zip(backlog["title"], backlog["activity"], strict=True):
        assert any(title.endswith(" " + step) for step in STEPS[activity]), (title, activity)


def test_a_backlog_larger_than_the_title_vocabulary_numbers_its_repeats():
    from pspo_lab.content.casestudy import backlog

    titles = backlog(np.random.default_rng(1), n=400)["title"]
    assert not titles.duplicated().any()
    assert titles.str.fullmatch(r".+ \(\d+\)").any()


@pytest.mark.parametrize("seed", [CASE_STUDY_SEED, 7])
def test_sprint_goals_chain_the_measure_and_end_before_the_export(seed):
    from pspo_lab.analysis.product import ProductDefinition
    from pspo_lab.content.casestudy_sprints import PRODUCT_GOAL, sprint_number

    goals = load_dataset("sprint_goals", seed=seed)
    assert goals["sprint"].diff().dropna().eq(1).all()
    assert (goals["minutes_before"].iloc[1:].to_numpy()
            == goals["minutes_after"].iloc[:-1].to_numpy()).all()
    assert goals["end"].max() < TODAY
    assert (sprint_number(goals["start"]) == goals["sprint"]).all()
    assert ProductDefinition().product_goal == PRODUCT_GOAL


def test_customer_voices_belong_to_customer_groups_and_their_element_level():
    from pspo_lab.content.casestudy_voices import VALUE_LEVELS

    voices = load_dataset("customer_voices")
    groups = load_dataset("stakeholders").set_index("id")["group"]
    assert set(groups[voices["stakeholder"]]) == {"customer"}
    for element, level in zip(voices["element"], voices["level"], strict=True):
        assert element in VALUE_LEVELS[level]
    assert set(voices["empathy"]) == {"says", "thinks", "does", "feels"}
