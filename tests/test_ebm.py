"""Evidence-Based Management: KVA dashboard, metrics inventory, innovation rate, value steps."""

import numpy as np
import pandas as pd
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.ebm import (
    EXAMPLE_MEASURES,
    example_measures,
    innovation_rate,
    kva_trends,
    linear_trend,
    measure_directions,
    plot_innovation_rate,
    plot_kva,
    plot_kva_dashboard,
    read_measures,
    trend_summary,
    value_step,
    value_steps,
)
from pspo_lab.analysis.metrics_inventory import (
    MetricsInventory,
    blind_spots,
    inventory_summary,
    metrics_table,
)
from pspo_lab.content.casestudy import KVAS
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm


def test_example_measures_cover_every_kva_and_cite_the_guide():
    table = example_measures()
    assert set(table["kva"]) == set(KVAS) == set(EXAMPLE_MEASURES)
    assert table["source"].str.contains("EBM-14").all()
    assert "Innovation Rate" in set(table["measure"]) and "On-Product Index" in set(
        table["measure"])


def test_trends_read_direction_per_measure():
    trends = kva_trends(load_dataset("ebm"))
    assert len(trends) == 12 and list(trends["kva"].unique()) == list(KVAS)
    assert trends.loc["open_defects", "trend_per_month"] < 0
    assert trends.loc["open_defects", "improving"]
    with pytest.raises(DataError, match="missing column"):
        kva_trends(pd.DataFrame({"month": [], "value": []}))


def _learner_file(tmp_path, churn_direction="lower_is_better"):
    """Three months of a learner's measures: churn rises, subscribers rise, visits rise."""
    rows = ["month,kva,measure,value,unit,direction"]
    for i, month in enumerate(["2025-01-01", "2025-02-01", "2025-03-01"]):
        rows += [f"{month},Current Value,churn_rate,{3 + i},percent,{churn_direction}",
                 f"{month},Current Value,active_subscribers,{100 + i},subscribers,",
                 f"{month},Unrealized Value,visits,{50 + i},visits,"]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_learner_direction_column_decides_improving(tmp_path):
    trends = kva_trends(read_measures(_learner_file(tmp_path)))
    assert trends.loc["churn_rate", "direction"] == "lower_is_better"
    churn_improving = trends.loc["churn_rate", "improving"]
    assert not pd.isna(churn_improving) and not churn_improving  # rising churn is worse
    assert bool(trends.loc["active_subscribers", "improving"])  # known case-study name
    assert trends.loc["visits", "direction"] == "unknown"
    assert pd.isna(trends.loc["visits", "improving"])
    summary = trend_summary(trends)
    assert "Current Value: 1 of 2 measures improving" in summary
    assert "Unrealized Value: 0 of 0 measures improving, 1 more without a known direction" \
        in summary
    assert summary.splitlines()[-1].startswith("No known direction for: visits (")


def test_unknown_measure_without_direction_is_not_counted_as_improving(tmp_path):
    table = read_measures(_learner_file(tmp_path, churn_direction=""))
    trends = kva_trends(table)
    assert pd.isna(trends.loc["churn_rate", "improving"])  # rising churn is not "improving"
    assert int(trends["improving"].sum()) == 1
    assert "churn_rate, visits" in trend_summary(trends)


def test_case_study_trends_have_known_directions_and_a_plain_summary():
    trends = kva_trends(load_dataset("ebm", seed=7))
    assert set(trends["direction"]) == {"higher_is_better", "lower_is_better"}
    assert trends["improving"].notna().all()
    assert "direction" not in trend_summary(trends)
    assert len(trend_summary(trends).splitlines()) == 4


@pytest.mark.parametrize(("cells", "message"), [
    (["up", "", ""], "mine.csv row 2, column 'direction': 'up' is not one of "
                     "'higher_is_better', 'lower_is_better'"),
    (["lower_is_better", "", "higher_is_better"],
     "mine.csv row 4, column 'direction': 'higher_is_better' contradicts 'lower_is_better' "
     "in row 2 for measure 'churn_rate'"),
])
def test_bad_direction_cells_name_file_row_and_column(cells, message):
    table = pd.DataFrame({"measure": ["churn_rate", "visits", "churn_rate"], "direction": cells})
    with pytest.raises(DataError, match="^" + message.replace("(", r"\(")):
        measure_directions(table, "mine.csv")


def test_read_measures_reports_a_bad_direction_with_its_row(tmp_path):
    path = _learner_file(tmp_path)
    path.write_text(path.read_text().replace("4,percent,lower_is_better", "4,percent,Lower"))
    with pytest.raises(DataError, match=r"^mine\.csv row 5, column 'direction': 'Lower'"):
        read_measures(path)
    with pytest.raises(DataError, match="file not found"):
        read_measures(tmp_path / "missing.csv")


def test_plot_marks_lower_is_better_and_unknown_directions(tmp_path):
    import matplotlib.pyplot as plt

    ax = plot_kva(read_measures(_learner_file(tmp_path)), "Current Value")
    labels = [line.get_label() for line in ax.lines]
    assert "churn_rate (lower is better)" in labels and "active_subscribers" in labels
    ax = plot_kva(read_measures(_learner_file(tmp_path)), "Unrealized Value")
    assert ax.lines[0].get_label() == "visits (direction unknown)"
    plt.close("all")


def test_trend_per_month_counts_calendar_months_when_a_month_is_missing():
    # January 1, February 2, (no row for March), April 4: one more per month
    ebm = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-04-01"]),
                        "kva": "Current Value", "measure": "m", "value": [1.0, 2.0, 4.0],
                        "unit": "x"})
    assert kva_trends(ebm).loc["m", "trend_per_month"] == pytest.approx(1.0)


def test_linear_trend_matches_polyfit():
    rng = np.random.default_rng(1)
    y = rng.normal(size=30).cumsum()
    assert linear_trend(y) == pytest.approx(np.polyfit(np.arange(30), y, 1)[0])


def test_linear_trend_keeps_the_month_of_each_value_when_some_are_missing():
    # 1, (missing), 3: one point per month, so the slope is 1 per month, not 2
    assert linear_trend([1.0, np.nan, 3.0]) == pytest.approx(1.0)
    assert linear_trend([np.nan, 2.0, 4.0, np.nan, 8.0]) == pytest.approx(2.0)


def test_dashboard_has_one_chart_per_kva_and_no_score():
    import matplotlib.pyplot as plt

    axes = plot_kva_dashboard(load_dataset("ebm", seed=7))
    assert [ax.get_title().split(" (")[0] for ax in axes.flat] == list(KVAS)
    plt.close("all")
    with pytest.raises(ParameterError, match="not a Key Value Area"):
        plot_kva(load_dataset("ebm"), "Happiness")


def test_inventory_defaults_parse_and_show_blind_spots(tmp_path):
    form = RecordForm(Workspace(tmp_path), records.METRICS_INVENTORY, MetricsInventory)
    table = metrics_table(form.value().metrics)
    assert set(table["category"]) <= {"resources", "activities", "output", "outcome", "impact"}
    assert blind_spots(table["kva"]) == ["Unrealized Value", "Ability to Innovate"]
    assert table["about_value"].sum() == 2
    summary = inventory_summary(table)
    assert list(summary.index) == ["resources", "activities", "output", "outcome", "impact"]
    assert int(summary.to_numpy().sum()) == len(table)
    assert not any(tmp_path.iterdir()), "building the form writes nothing"


def test_inventory_accepts_aliases_and_names_bad_lines():
    table = metrics_table(["Cost; inputs; leading; a2i", "", "Share; Outcomes; Lagging; uv"])
    assert table["category"].tolist() == ["resources", "outcome"]
    assert table["kva"].tolist() == ["Ability to Innovate", "Unrealized Value"]
    with pytest.raises(DataError, match="line 2: 'x; y' has 2 field"):
        metrics_table(["a; output; leading; CV", "x; y"])
    with pytest.raises(DataError, match="line 1, indicator: 'soon'"):
        metrics_table(["a; output; soon; CV"])
    with pytest.raises(DataError, match="line 1, KVA: 'Profit'"):
        metrics_table(["a; output; leading; Profit"])
    with pytest.raises(DataError, match="no metrics listed"):
        metrics_table(["   "])


def test_innovation_rate_sums_sizes_by_type():
    items = pd.DataFrame({
        "type": ["feature", "defect", "experiment", "maintenance", "feature"],
        "done": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-01", "2025-02-03", None]),
        "size": [3, 1, 2, 2, 8]})
    rates = innovation_rate(items)
    assert rates["new_value"].tolist() == [3, 2]
    assert rates["innovation_rate"].tolist() == [75.0, 50.0]
    bad = items.assign(type=["feature", "chore", "feature", "defect", "feature"])
    with pytest.raises(DataError, match="'chore'"):
        innovation_rate(bad)


@pytest.mark.parametrize("seed", [42, 7])
def test_innovation_rate_on_case_study(seed):
    import matplotlib.pyplot as plt

    rates = innovation_rate(load_dataset("work_items", seed=seed))
    assert len(rates) >= 17 and rates["innovation_rate"].between(0, 100).all()
    plot_innovation_rate(rates)
    plt.close("all")


@pytest.mark.parametrize("seed", range(8))
def test_value_step_finds_a_known_step_under_a_trend(seed):
    rng = np.random.default_rng(seed)
    n, true_k = 24, int(rng.integers(12, 20))
    t = np.arange(n)
    y = 100 + 3 * t + 40 * (t >= true_k) + rng.normal(0, 5, n)
    months = pd.date_range("2023-11-01", periods=n, freq="MS")
    found = value_step(pd.Series(y, index=months))
    assert found["month"] == f"{months[true_k]:%Y-%m}"
    assert found["step"] == pytest.approx(40, abs=12)
    assert found["strength"] > 10


def test_no_step_gives_low_strength():
    rng = np.random.default_rng(3)
    y = pd.Series(50 + rng.normal(0, 1, 24), index=pd.date_range("2024-01-01", periods=24,
                                                                    freq="MS"))
    assert value_step(y)["strength"] < 10
    with pytest.raises(DataError, match="too short"):
        value_step(y.head(5))


@pytest.mark.parametrize("seed", [42, 7, 2024])
def test_case_study_value_measures_agree_on_one_month(seed):
    steps = value_steps(load_dataset("ebm", seed=seed))
    assert steps.index[0] == "active_subscribers"
    assert steps.loc["net_promoter_score", "month"] == steps.loc["active_subscribers", "month"]
    assert steps.loc["active_subscribers", "step"] > 1000


def test_a_measure_with_one_month_has_no_known_trend(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("month,kva,measure,value,unit,direction\n"
                    "2025-01-01,Current Value,churn_rate,0.05,share,lower_is_better\n"
                    "2025-01-01,Current Value,visits,100,count,higher_is_better\n"
                    "2025-02-01,Current Value,visits,120,count,higher_is_better\n",
                    encoding="utf-8")
    trends = kva_trends(read_measures(path))
    assert pd.isna(trends.loc["churn_rate", "improving"])
    assert bool(trends.loc["visits", "improving"]) is True
