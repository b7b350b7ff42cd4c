"""Value estimated against value delivered (module 6) and a release's value (module 7)."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis import value_check as vc
from pspo_lab.analysis.journey import starting_values
from pspo_lab.analysis.portfolio import build_portfolio, portfolio_html
from pspo_lab.analysis.refinement import Refinement
from pspo_lab.analysis.release_plan import ReleasePlan, plan_ids
from pspo_lab.analysis.story_map import story_map
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.backlog_forms import release_plan_form

BACKLOG = load_dataset("backlog")


def small() -> pd.DataFrame:
    return pd.DataFrame({"id": ["A", "B", "C", "D"], "title": ["a", "b", "c", "d"],
                         "activity": ["Cook", "Cook", "Plan", "Plan"],
                         "value_estimate": [40, 20, 10, 50], "true_value": [20, 20, 30, 55]})


def test_estimate_error_puts_the_biggest_misses_first():
    errors = vc.estimate_error(small())
    assert errors["id"].tolist() == ["C", "A", "D", "B"]
    assert errors["off_by"].tolist() == [3.0, 2.0, 1.1, 1.0]


def test_error_summary_counts_close_and_far_estimates():
    summary = vc.error_summary(small())
    assert summary["share_close"] == 0.5 and summary["share_off_by_2"] == 0.5
    assert (summary["estimated_total"], summary["delivered_total"]) == (120, 125)
    assert vc.error_text(summary).startswith("Of 4 items, 50% delivered within 25% of their "
                                             "estimate and 50% were off by half or double")


def test_freshcrate_estimates_err_by_activity_not_at_random():
    by_activity = vc.error_by_activity(BACKLOG)
    assert by_activity.index[0] in ("Discover recipes", "Plan the week")
    assert by_activity["ratio"].max() > 1.3 and by_activity["ratio"].min() < 0.6
    summary = vc.error_summary(BACKLOG)
    assert summary["items"] == 120 and 0.2 < summary["share_off_by_2"] < 0.6


def test_a_file_without_true_value_is_one_clear_line():
    with pytest.raises(DataError, match="needs the column\\(s\\) 'true_value'"):
        vc.estimate_error(BACKLOG.drop(columns="true_value"))
    with pytest.raises(DataError, match="'activity'"):
        vc.error_by_activity(BACKLOG.drop(columns="activity"))


def test_scatter_states_its_message_as_alt_text():
    ax = vc.plot_estimate_vs_delivered(BACKLOG)
    label = ax.figure.get_label()
    assert label.startswith("Value estimate against delivered value for 120 items: ")
    assert label.endswith(".") and len(ax.collections) == 6  # one marker set per activity
    plt.close(ax.figure)


def test_release_value_of_the_first_story_map_slice():
    ids = story_map(BACKLOG).query("release == 'R1'")["id"].tolist()
    release = vc.release_value(BACKLOG, ids)
    assert release["id"].tolist() == ids
    summary = vc.release_summary(release)
    expected = int(BACKLOG.set_index("id").loc[ids, "value_estimate"].sum())
    delivered = int(BACKLOG.set_index("id").loc[ids, "true_value"].sum())
    assert (summary["expected"], summary["delivered"]) == (expected, delivered)
    text = vc.release_text(summary)
    assert f"expected to bring {expected} value points and brought {delivered}" in text
    ax = vc.plot_release_value(release)
    assert ax.figure.get_label().startswith(f"Expected against delivered value of a release "
                                            f"of {len(ids)} items")
    assert len(ax.get_yticklabels()) == len(ids)
    plt.close(ax.figure)


def test_release_with_unknown_or_no_items_is_refused():
    with pytest.raises(ParameterError, match="PB-999 not in the Product Backlog"):
        vc.release_value(BACKLOG, ["PB-001", "PB-999"])
    with pytest.raises(ParameterError, match="no items"):
        vc.release_value(BACKLOG, [])


def test_plan_ids_reads_ids_from_the_plans_lines():
    plan = ReleasePlan(items=["PB-004 Simplify box customisation", "PB-010, PB-004", "idea"])
    assert plan_ids(plan.items, BACKLOG["id"]) == ["PB-004", "PB-010"]
    assert plan_ids(ReleasePlan().items, BACKLOG["id"]) == []


def test_release_plan_starts_from_the_learners_product(tmp_path):
    ws = Workspace(tmp_path)
    assert "FreshCrate" in release_plan_form(ws).status.value
    ws.save(*records.PRODUCT_DEFINITION, {
        "name": "ClinicBook", "users": "Patients of twelve clinics",
        "inside": ["online booking page", "reminder messages", "diary view", "waiting list"],
        "value_measure": "Appointments booked without a call",
        "product_goal": "Nine in ten appointments booked without a call"})
    start = starting_values(ws, "release-plan")
    assert start.values["items"] == ["online booking page", "reminder messages", "diary view"]
    form = release_plan_form(ws)
    plan = form.value()
    assert plan.product_goal == "Nine in ten appointments booked without a call"
    assert plan.value_measure == "Appointments booked without a call"
    assert "Patients of twelve clinics" in plan.release_goal
    form.button.click()
    assert ws.load(*records.RELEASE_PLAN)["items"][0] == "online booking page"


def test_portfolio_shows_the_refinement_and_the_release_plan(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.BACKLOG_REFINEMENT, Refinement().model_dump())
    ws.save(*records.RELEASE_PLAN, ReleasePlan().model_dump())
    titles = [s.title for s in build_portfolio(ws).sections]
    assert titles == ["Roadmap and Product Backlog", "Forecast"]
    page = portfolio_html(ws)
    assert "<h3>Refinement</h3>" in page and "<h3>Release plan</h3>" in page
    assert "Backend service that recalculates the box price" in page
    assert "Calls to customer care about menu changes halve" in page
    assert "<dt>Definition of Done</dt>" in page and "<dt>Split into</dt>" in page
    assert "<dt>When, as a range with a confidence</dt>" in page


def test_choose_release_takes_the_plans_ids_else_the_first_slice():
    from pspo_lab.analysis.release_plan import choose_release

    ids, source = choose_release(["PB-010 first", "PB-004 second"], BACKLOG)
    assert ids == ["PB-010", "PB-004"] and "2 item(s) of your release plan" in source
    first = story_map(BACKLOG).query("release == 'R1'")["id"].tolist()
    ids, source = choose_release(["Swap a recipe"], BACKLOG)
    assert ids == first and f"R1) of the story map of module 6, {len(first)} items" in source


def test_scatter_alt_text_follows_the_data_when_every_estimate_was_right():
    exact = BACKLOG.assign(true_value=BACKLOG["value_estimate"])
    ax = vc.plot_estimate_vs_delivered(exact)
    label = ax.figure.get_label()
    assert "scatter widely" not in label
    assert label.endswith("0% were off by half or double or more, and 100% came within 25% "
                          "of their estimate (the dashed diagonal marks exact estimates).")
    plt.close(ax.figure)


def test_a_release_that_only_gained_names_no_shortfall():
    first = BACKLOG.iloc[[0]]
    gained = first.assign(true_value=first["value_estimate"] + 10)
    text = vc.release_text(vc.release_summary(vc.release_value(gained, [first["id"].iloc[0]])))
    assert "shortfall" not in text
    assert text.endswith(f"the biggest surprise was '{first['title'].iloc[0]}'.")
    lost = first.assign(true_value=first["value_estimate"] - 1)
    text = vc.release_text(vc.release_summary(vc.release_value(lost, [first["id"].iloc[0]])))
    assert "surprise" not in text
    assert text.endswith(f"the biggest shortfall was '{first['title'].iloc[0]}'.")
