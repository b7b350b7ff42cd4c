"""The prioritisation workbench: a worked example per formula, one clear line per bad file."""

import numpy as np
import pandas as pd
import pytest
from repo_paths import REPO_ROOT
from scipy import stats

from pspo_lab import DataError, ParameterError, load_dataset, read_csv
from pspo_lab.analysis.backlog import (
    NEEDS,
    export_date,
    load_backlog,
    missing_for,
    read_backlog,
    read_learner_backlog,
    ready_for,
)
from pspo_lab.analysis.backlog_health import (
    backlog_health,
    cut_text,
    cut_to_top,
    plot_age,
    sponsored_summary,
)
from pspo_lab.analysis.kano import KANO_TABLE, kano_classify, kano_summary, plot_kano
from pspo_lab.analysis.ordering import (
    available_methods,
    cd3,
    cost_of_delay,
    moscow_check,
    order_by,
    plot_value_effort,
    rank_agreement,
    ranks,
    rice,
    thirty_five,
    top_n_stability,
    value_effort_quadrants,
    worked_example,
    wsjf,
    wsjf_trials,
)
from pspo_lab.analysis.story_map import (
    Decision,
    Roadmap,
    decision_log,
    plot_roadmap,
    story_map,
    story_map_grid,
)
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.backlog_forms import decision_log_form, roadmap_form

BACKLOG = load_dataset("backlog")
HEADER = "id,title,user_business_value,time_criticality,risk_reduction,job_size\n"


# --- worked examples of every formula -------------------------------------------------------

def test_wsjf_worked_example():
    # CoD = 8 + 5 + 2 = 15, job size 3 -> 5.0; CoD = 20 + 13 + 13 = 46, job size 20 -> 2.3
    items = pd.DataFrame({"user_business_value": [8, 20], "time_criticality": [5, 13],
                          "risk_reduction": [2, 13], "job_size": [3, 20]})
    assert cost_of_delay(items).tolist() == [15, 46]
    assert wsjf(items).tolist() == [5.0, 2.3]


def test_cd3_worked_example():
    # EUR 3,000 per week of delay, 2 weeks of work -> 1,500; EUR 900 / 0.5 weeks -> 1,800
    items = pd.DataFrame({"cost_of_delay_week": [3000, 900], "duration_weeks": [2.0, 0.5]})
    assert cd3(items).tolist() == [1500.0, 1800.0]


def test_rice_worked_example():
    # 2,000 customers x impact 2 x 80% / 4 person-weeks = 800; 500 x 0.25 x 50% / 0.5 = 125
    items = pd.DataFrame({"reach": [2000, 500], "impact": [2.0, 0.25], "confidence": [80, 50],
                          "effort": [4.0, 0.5]})
    assert rice(items).tolist() == [800.0, 125.0]


def test_moscow_worked_example_flags_musts_and_coulds():
    items = pd.DataFrame({"moscow": ["Must", "Must", "Should", "Could", "Won't"],
                          "effort": [4.0, 3.0, 2.0, 1.0, 9.0]})
    table = moscow_check(items)
    assert table["share"].tolist() == [0.7, 0.2, 0.1, 0.0]
    assert table.loc["Must", "check"].startswith("too many Musts: 70%")
    assert table.loc["Could", "check"].startswith("Could is 10%")
    balanced = pd.DataFrame({"moscow": ["Must", "Should", "Could"], "effort": [6.0, 2.0, 2.0]})
    assert moscow_check(balanced).loc[["Must", "Should", "Could"], "check"].eq("ok").all()


@pytest.mark.parametrize("could", [1.5, 2.5])
def test_moscow_could_tolerance_is_symmetric(could):
    # Could at 15% and at 25% are both exactly 5 points from the 20% target: both pass
    items = pd.DataFrame({"moscow": ["Must", "Should", "Could"],
                          "effort": [5.0, 5.0 - could, could]})
    table = moscow_check(items)
    assert table.loc["Could", "share"] == could / 10
    assert table.loc["Could", "check"] == "ok"


def test_value_effort_quadrants_split_at_medians():
    items = pd.DataFrame({"value_estimate": [90, 80, 10, 20], "effort": [1, 9, 2, 8]})
    assert value_effort_quadrants(items).tolist() == ["quick win", "big bet", "fill-in",
                                                      "money pit"]


def test_kano_table_is_the_standard_one():
    assert KANO_TABLE.loc["like", "dislike"] == "O"
    assert KANO_TABLE.loc["like", "neutral"] == "A"
    assert KANO_TABLE.loc["neutral", "dislike"] == "M"
    assert KANO_TABLE.loc["neutral", "neutral"] == "I"
    assert KANO_TABLE.loc["dislike", "like"] == "R"
    assert KANO_TABLE.loc["like", "like"] == "Q"


def test_kano_better_worse_worked_example():
    # A, O, M, I once each -> Better = (1 + 1) / 4 = 0.5, Worse = -(1 + 1) / 4 = -0.5;
    # the questionable answer does not count
    pairs = pd.DataFrame({"feature": ["F"] * 5,
                          "functional": ["like", "like", "expect", "neutral", "like"],
                          "dysfunctional": ["neutral", "dislike", "dislike", "neutral", "like"]})
    assert kano_classify(pairs).tolist() == ["A", "O", "M", "I", "Q"]
    row = kano_summary(pairs).loc["F"]
    assert (row["better"], row["worse"], row["Q"]) == (0.5, -0.5, 1)


def test_kano_on_the_survey_finds_every_feature():
    summary = kano_summary(load_dataset("kano_survey"))
    assert len(summary) == 12
    assert summary[["A", "O", "M", "I", "R", "Q"]].sum(axis=1).eq(40).all()
    assert summary["better"].between(0, 1).all() and summary["worse"].between(-1, 0).all()


def test_bad_kano_answer_is_named():
    pairs = pd.DataFrame({"functional": ["like", "love"], "dysfunctional": ["neutral"] * 2})
    with pytest.raises(DataError, match="row 3, column 'functional': 'love'"):
        kano_classify(pairs)


# --- orderings and their agreement ----------------------------------------------------------

def test_order_by_sorts_highest_score_first_and_ranks():
    ordered = order_by(BACKLOG, "wsjf")
    assert ordered["score"].is_monotonic_decreasing
    assert ordered["rank"].tolist() == list(range(1, len(BACKLOG) + 1))
    with pytest.raises(ParameterError, match="method 'moscow'"):
        order_by(BACKLOG, "moscow")


def test_rank_correlations_match_scipy():
    table = ranks(BACKLOG)
    spearman = rank_agreement(table)
    kendall = rank_agreement(table, "kendall")
    assert spearman.loc["wsjf", "cd3"] == pytest.approx(
        stats.spearmanr(table["wsjf"], table["cd3"]).statistic)
    assert kendall.loc["wsjf", "rice"] == pytest.approx(
        stats.kendalltau(table["wsjf"], table["rice"]).statistic)
    assert np.allclose(np.diag(kendall), 1)


def test_kendall_agreement_is_tau_b_with_ties_and_undefined_for_a_level_ranking():
    # tau-b: (concordant - discordant) / sqrt(untied pairs in a x untied pairs in b)
    table = pd.DataFrame({"a": [1, 2, 2, 3, 5, 5], "b": [2, 1, 3, 3, 6, 4],
                          "level": [1, 1, 1, 1, 1, 1]})
    kendall = rank_agreement(table, "kendall")
    assert kendall.loc["a", "b"] == pytest.approx((11 - 1) / np.sqrt(13 * 14))
    assert kendall.loc["a", "b"] == pytest.approx(kendall.loc["b", "a"])
    assert np.isnan(kendall.loc["a", "level"])


def test_wsjf_trials_without_noise_equal_wsjf():
    scores = wsjf_trials(BACKLOG, 3, spread=0.0)
    assert np.allclose(scores, wsjf(BACKLOG).to_numpy())


def test_top_n_stability_probabilities_and_overlap():
    table = top_n_stability(BACKLOG, top=10, trials=500, seed=3)
    assert table["p_top"].between(0, 1).all()
    # ten places in every trial: the expected number of items in the top is exactly 10
    assert table["p_top"].sum() == pytest.approx(10)
    assert 0 < table.attrs["overlap"] <= 1
    assert table["in_baseline_top"].sum() == 10
    certain = top_n_stability(BACKLOG, top=10, trials=50, spread=0.0)
    assert certain.attrs["overlap"] == 1.0


def test_thirty_five_points_and_range():
    cards = order_by(BACKLOG, "wsjf").head(12)
    result = thirty_five(cards, seed=1)
    assert result["points"].between(0, 35).all()
    # every pairing hands out exactly 7 points: 6 pairs x 5 rounds
    assert result["points"].sum() == 7 * 6 * 5
    assert result["rank"].tolist() == list(range(1, 13))


def test_thirty_five_with_an_odd_cohort_scales_the_resting_cards():
    result = thirty_five(BACKLOG.head(9), seed=2)
    assert result["points"].between(0, 35).all()
    with pytest.raises(ParameterError, match="at least two"):
        thirty_five(BACKLOG.head(1))


def test_sponsored_summary_covers_every_item():
    table = sponsored_summary(BACKLOG, load_dataset("stakeholders"))
    assert table["items"].sum() == len(BACKLOG)
    assert "(no sponsor)" in table.index
    assert any(name.startswith("S0") for name in table.index)
    assert table["effort_share"].sum() == pytest.approx(1, abs=0.01)


# --- backlog health, story map, roadmap, decision log ---------------------------------------

def test_backlog_health_worked_example():
    items = pd.DataFrame({"created": pd.to_datetime(["2024-09-01", "2025-10-01"]),
                          "last_touched": pd.to_datetime(["2025-02-01", "2025-10-20"]),
                          "effort": [2.0, 3.0]})
    health = backlog_health(items, today=pd.Timestamp("2025-10-31"), stale_days=90)
    assert health == {"items": 2, "effort": 5.0, "median_age_days": (425 + 30) / 2,
                      "older_than_year": 0.5, "stale_items": 1, "stale_share": 0.5}


def test_cut_to_top_reports_what_leaves():
    cut = cut_to_top(BACKLOG, 30)
    assert (cut["kept"], cut["removed"]) == (30, 90)
    assert 0 < cut["effort_removed_share"] < 1
    with pytest.raises(ParameterError, match="keep"):
        cut_to_top(BACKLOG, 0)


def test_story_map_slices_respect_release_effort():
    smap = story_map(BACKLOG, release_effort=20, releases=3)
    assert len(smap) == len(BACKLOG)
    effort = BACKLOG.set_index("id")["effort"]
    for release in ("R1", "R2", "R3"):
        assert effort[smap.loc[smap["release"] == release, "id"]].sum() <= 20
    grid = story_map_grid(smap)
    assert grid.index.tolist() == ["R1", "R2", "R3", "later"]
    assert list(grid.columns.get_level_values(0).unique()) == list(
        smap["activity"].cat.categories)


def test_story_map_steps_belong_to_their_activity():
    from pspo_lab.content.casestudy import STEPS

    smap = story_map(BACKLOG)
    for activity, steps in smap.groupby("activity", observed=True)["step"]:
        assert set(steps.astype(str)) == set(STEPS[activity]), activity
    grid = story_map_grid(smap)
    assert grid.columns.tolist() == [(a, s) for a in STEPS for s in STEPS[a]]
    first = smap[smap["activity"] == "Order and pay"].iloc[0]
    cell = grid.loc[first["release"], ("Order and pay", first["step"])]
    assert f"{first['id']} {first['title'].removesuffix(first['step']).strip()}" in cell


def test_roadmap_and_decision_forms_save_only_on_click(tmp_path):
    ws = Workspace(tmp_path)
    roadmap, decision = roadmap_form(ws), decision_log_form(ws)
    assert not any(tmp_path.iterdir())
    roadmap.fields["later"].value = "Gift boxes\nCorporate lunches"
    roadmap.button.click()
    decision.button.click()
    assert Roadmap.model_validate(ws.load("backlog", "roadmap")).later == [
        "Gift boxes", "Corporate lunches"]
    assert Decision.model_validate(ws.load("decision-log", "latest")).reason


def test_plots_return_axes():
    assert plot_value_effort(BACKLOG).get_title() == "Value vs effort"
    assert plot_kano(kano_summary(load_dataset("kano_survey"))).get_xlim() == (0, 1)
    assert plot_age(BACKLOG).get_ylabel() == "items"
    assert plot_roadmap(Roadmap()).get_title().startswith("Product Goal")


# --- learner files --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("id,title,user_business_value,time_criticality,job_size\nA,x,5,3,2\n",
     "column 'risk_reduction' is missing"),
    (HEADER + "A,x,high,3,1,2\n", "row 2, column 'user_business_value': 'high' is not a whole"),
    (HEADER + "A,x,5,3,1,2\nB,y,5,3,1,0\n", "row 3, column 'job_size': '0' is out of range"),
    (HEADER + "A,x,5,3,4,2\n", "row 2, column 'risk_reduction': 4 is not on the scale"),
])
def test_bad_learner_csv_gets_one_clear_line(tmp_path, text, message):
    path = tmp_path / "my_backlog.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message) as error:
        read_backlog(path)
    assert str(error.value).startswith("my_backlog.csv")
    assert "\n" not in str(error.value)


def test_good_learner_csv_is_scored(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "A,Add gift cards,8,5,2,3\nB,Fix checkout,20,13,13,20\n")
    assert wsjf(read_backlog(path)).tolist() == [5.0, 2.3]


def test_full_backlog_csv_round_trip(tmp_path):
    path = tmp_path / "backlog.csv"
    BACKLOG.to_csv(path, index=False, date_format="%Y-%m-%d")
    assert len(order_by(read_csv(path, "backlog"), "rice")) == len(BACKLOG)


LEARNER_FILE = REPO_ROOT / "datasets" / "imports" / "learner_backlog.csv"


def test_learner_file_with_own_activities_and_no_true_value_is_read():
    mine = read_learner_backlog(LEARNER_FILE)
    assert "true_value" not in mine and "Keep the app healthy" in set(mine["activity"])
    assert mine["created"].dtype.kind == "M" and mine["status"].iloc[0] in ("new", "refined")
    assert available_methods(mine) == ["wsjf", "value_per_effort"]
    assert [use for use in NEEDS if missing_for(mine, use)] == [
        "cd3", "rice", "thirty_five", "item_texts", "value_check"]


@pytest.mark.parametrize(("text", "require", "message"), [
    ("title,effort\nx,2\n", (), "column 'id' is missing; expected columns: id, title$"),
    ("id,title\nA,x\n", ("created",), "column 'created' is missing"),
    ("id,title,job size\nA,x,3\n", (), "column 'job size' is not a backlog column: "
     "misspelled 'job_size'"),
    ("id,title,effort\nA,x,lots\n", (), "row 2, column 'effort': 'lots' is not a number"),
    ("id,title,job_size\nA,x,4\n", (), "row 2, column 'job_size': 4 is not on the scale"),
])
def test_learner_file_problems_get_one_line(tmp_path, text, require, message):
    path = tmp_path / "ours.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message) as error:
        read_learner_backlog(path, require=require)
    assert str(error.value).startswith("ours.csv") and "\n" not in str(error.value)
    with pytest.raises(ParameterError, match="not backlog columns"):
        read_learner_backlog(path, require=("colour",))


def test_ready_for_names_the_missing_columns(capsys):
    assert ready_for(BACKLOG, "thirty_five")
    assert not ready_for(BACKLOG.drop(columns="true_value"), "thirty_five")
    assert "needs the column(s) 'true_value'" in capsys.readouterr().out
    with pytest.raises(ParameterError, match="use 'kano' is unknown"):
        missing_for(BACKLOG, "kano")


def test_worked_example_shows_the_scores_the_file_allows():
    lines = worked_example(BACKLOG).splitlines()
    assert [line[:4] for line in lines[1:]] == ["WSJF", "CD3 ", "RICE"]
    first = BACKLOG.loc[wsjf(BACKLOG).idxmax()]
    assert lines[0] == f"{first['id']} {first['title']}"
    only_value = BACKLOG[["id", "title", "value_estimate", "effort"]]
    assert worked_example(only_value).splitlines()[0] == order_by(
        only_value, "value_per_effort").iloc[0]["id"] + " " + order_by(
        only_value, "value_per_effort").iloc[0]["title"]
    assert worked_example(BACKLOG[["id", "title"]]).startswith("No order can be computed")


def test_learner_file_through_the_workbench():
    mine = read_learner_backlog(LEARNER_FILE)
    cut = cut_to_top(mine, 20)
    assert "true_value_removed_share" not in cut and cut["sponsored_removed"] >= 0
    assert cut_text(cut).startswith("Keep 20 of 32 items")
    no_sponsor = cut_to_top(mine.drop(columns="sponsor"), 20)
    assert cut_text(no_sponsor).endswith("after.")
    grid = story_map_grid(story_map(mine))
    assert grid.columns.tolist() == list(dict.fromkeys(mine["activity"]))
    first = mine.iloc[0]
    assert any(f"{first['id']} {first['title']}" in cell for cell in grid.to_numpy().ravel())
    assert "mean_true_value" not in sponsored_summary(mine)
    assert "mean_true_value" in sponsored_summary(BACKLOG)


def test_decision_log_lists_every_saved_entry(tmp_path):
    ws = Workspace(tmp_path)
    form = decision_log_form(ws)
    form.button.click()
    form.fields["decision"].value = "Split checkout into two items"
    form.button.click()
    log = decision_log(ws)
    assert log["decision"].tolist() == ["Split checkout into two items",
                                        "Moved payment retry above gift cards"]
    assert list(log.columns[:2]) == ["saved_at", "decision"]


def test_a_learner_backlog_is_aged_at_its_own_export_date(tmp_path):
    mine = tmp_path / "later.csv"
    mine.write_text("id,title,created,last_touched,effort\nA-1,Login,2026-09-01,2026-09-20,2\n"
                    "A-2,Search,2026-03-01,2026-03-02,3\n", encoding="utf-8")
    frame, today = load_backlog(42, str(mine))
    assert str(today.date()) == "2026-09-20"
    health = backlog_health(frame, today, stale_days=90)
    assert health["median_age_days"] > 0 and health["stale_share"] == 0.5


def test_export_date_is_the_latest_date_of_the_files_given():
    table = pd.DataFrame({"created": pd.to_datetime(["2025-01-02", "2025-03-04"]),
                          "name": ["a", "b"]})
    assert export_date(table) == pd.Timestamp("2025-03-04")
    assert export_date(None, table) == pd.Timestamp("2025-03-04")  # a file not given
    with pytest.raises(DataError, match="no dates found"):
        export_date(table[["name"]])
