"""Monte Carlo forecasts of module 7: definitions, edge cases and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.forecast import (
    MIN_THROUGHPUT_DAYS,
    backtest,
    burn_up,
    days_needed,
    forecast_dates,
    horizon,
    how_many_percentiles,
    likelihood,
    monte_carlo_how_many,
    monte_carlo_when,
    plot_burn_up,
    range_statement,
    release_slices,
    throughput_samples,
    totals_by,
    when_percentiles,
)
from pspo_lab.analysis.importers import load_flow_data

SAMPLES = np.array([0, 0, 1, 2, 0, 3, 1, 0, 1, 2])
samples_strategy = st.lists(st.integers(0, 4), min_size=5, max_size=20).filter(
    lambda xs: sum(x > 0 for x in xs) >= MIN_THROUGHPUT_DAYS)


def test_window_ends_today_not_at_the_last_completion():
    days = pd.date_range("2025-03-01", periods=10)
    daily = pd.Series([1] * 10, index=days)
    samples = throughput_samples(daily, "2025-03-15", 10)
    assert samples.tolist() == [1] * 5 + [0] * 5


def test_refuses_with_fewer_than_five_busy_days():
    daily = pd.Series([1, 0, 1, 0, 1, 0, 1], index=pd.date_range("2025-03-01", periods=7))
    with pytest.raises(DataError, match=r"only 4 day\(s\) with finished items"):
        throughput_samples(daily, "2025-03-07", 7)
    with pytest.raises(DataError, match="cannot forecast"):
        monte_carlo_when(np.zeros(30, dtype=int), 5)


def test_window_with_no_completions_refuses():
    daily = pd.Series([2] * 10, index=pd.date_range("2025-01-01", periods=10))
    with pytest.raises(DataError, match="only 0 day"):
        throughput_samples(daily, "2025-06-01", 30)


def test_when_is_the_percentile_of_days_needed_with_integer_ranks():
    needed = np.arange(1, 10_001)
    assert when_percentiles(needed, (85, 95)).tolist() == [8500, 9500]
    assert when_percentiles(np.array([5, 1, 3]), (50,)).tolist() == [3]


def test_how_many_is_the_largest_n_reached_in_at_least_p_percent():
    rng = np.random.default_rng(3)
    totals = rng.integers(0, 40, 1000)
    for p in (50, 70, 85, 95):
        n = how_many_percentiles(totals, (p,)).iloc[0]
        assert np.count_nonzero(totals >= n) >= p * 10
        assert np.count_nonzero(totals >= n + 1) < p * 10


def test_one_item_remaining_needs_the_first_day_with_throughput():
    needed = days_needed(np.array([0, 0, 0, 0, 1, 1, 1, 1, 1]), 1, trials=2000, seed=1)
    assert needed.min() == 1
    assert monte_carlo_when(np.ones(5, dtype=int), 1, trials=10).tolist() == [1, 1, 1, 1]


def test_target_already_met():
    assert monte_carlo_when(SAMPLES, 0, trials=100).tolist() == [0, 0, 0, 0]
    assert likelihood(SAMPLES, -3, 0) == 1.0
    fan, finish = burn_up(SAMPLES, 10, 10, "2025-10-31", 5, trials=100)
    assert (finish == pd.Timestamp("2025-10-31")).all()


def test_forecasts_are_reproducible_with_a_seed():
    first = monte_carlo_when(SAMPLES, 20, trials=500, seed=9)
    assert first.equals(monte_carlo_when(SAMPLES, 20, trials=500, seed=9))


def test_how_many_with_zero_horizon_is_zero_and_past_dates_are_refused():
    assert monte_carlo_how_many(SAMPLES, 0, trials=50).tolist() == [0, 0, 0, 0]
    with pytest.raises(ParameterError, match="in the past"):
        totals_by(SAMPLES, -1)


@pytest.mark.parametrize("trials", [0, -5, 2.5, True])
def test_trials_must_be_a_whole_number_of_at_least_one(trials):
    for forecast in (monte_carlo_when, monte_carlo_how_many):
        with pytest.raises(ParameterError) as caught:
            forecast(SAMPLES, 3, trials=trials)
        assert str(caught.value) == (f"trials parameter: {trials!r} is not a whole number of "
                                     "at least 1 (expected e.g. trials = 10000)")


def test_percentile_must_be_a_whole_number():
    with pytest.raises(ParameterError, match="percentile 85.5"):
        monte_carlo_when(SAMPLES, 3, ps=(85.5,), trials=10)


def test_dates_and_horizon_are_calendar_days_after_today():
    assert horizon("2025-10-31", "2025-11-30") == 30
    days = pd.Series({85: 30})
    assert forecast_dates("2025-10-31", days)[85] == pd.Timestamp("2025-11-30")


def test_likelihood_agrees_with_when_and_how_many():
    when = monte_carlo_when(SAMPLES, 15, trials=4000, seed=2)
    assert likelihood(SAMPLES, 15, int(when[85]), trials=4000, seed=2) >= 0.80
    many = monte_carlo_how_many(SAMPLES, 20, trials=4000, seed=2)
    assert likelihood(SAMPLES, int(many[85]), 20, trials=4000, seed=2) >= 0.85


def test_range_statement_mentions_both_ends_and_the_confidence():
    text = range_statement("2025-10-31", 12, pd.Series({50: 5, 70: 7, 85: 9, 95: 12}))
    assert text.startswith("12 items between 05 Nov and 12 Nov 2025:")
    assert "50% likely by 05 Nov" in text and "85% by 09 Nov" in text


def test_backtest_hit_rate_of_85_percent_forecasts_on_the_case_study():
    data = load_flow_data(seed=42)
    result = backtest(data.throughput, trials=500)
    assert len(result) > 10
    assert 0.7 <= result["hit"].mean() <= 1.0
    assert (result["made_on"].diff().dropna() == pd.Timedelta(days=14)).all()


def test_burn_up_fan_is_ordered_and_scope_growth_delays_completion():
    fan, finish = burn_up(SAMPLES, 5, 30, "2025-10-31", 120, trials=1000, seed=4)
    assert (fan[50] >= fan[95]).all()
    assert finish.is_monotonic_increasing
    grown_fan, grown = burn_up(SAMPLES, 5, 30, "2025-10-31", 120,
                               arrivals=np.array([0, 0, 0, 1]), trials=1000, seed=4)
    assert grown_fan["scope"].iloc[-1] > 30
    assert grown[85] >= finish[85]
    history = pd.Series([1, 5], index=pd.date_range("2025-10-30", periods=2))
    assert plot_burn_up(history, fan, finish).get_title() == "Burn-up with forecast"


def test_burn_up_completion_beyond_horizon_is_missing():
    _, finish = burn_up(SAMPLES, 0, 1000, "2025-10-31", 10, trials=100)
    assert finish.isna().all()


@settings(max_examples=50, deadline=None)
@given(samples_strategy, st.integers(1, 30), st.integers(1, 30))
def test_when_is_monotone_in_n(samples, n, extra):
    data = np.array(samples)
    fewer = monte_carlo_when(data, n, trials=200, seed=5)
    more = monte_carlo_when(data, n + extra, trials=200, seed=5)
    assert (fewer <= more).all()


@settings(max_examples=50, deadline=None)
@given(samples_strategy, st.integers(0, 30), st.integers(1, 30))
def test_how_many_is_monotone_in_the_horizon(samples, days, extra):
    data = np.array(samples)
    shorter = monte_carlo_how_many(data, days, trials=200, seed=5)
    longer = monte_carlo_how_many(data, days + extra, trials=200, seed=5)
    assert (shorter <= longer).all()


@settings(max_examples=50, deadline=None)
@given(samples_strategy, st.integers(1, 40))
def test_forecast_percentiles_are_ordered(samples, n):
    data = np.array(samples)
    assert monte_carlo_when(data, n, trials=200, seed=1).is_monotonic_increasing
    assert monte_carlo_how_many(data, n, trials=200, seed=1).is_monotonic_decreasing


def test_release_slices_smaller_releases_come_sooner():
    table = release_slices(SAMPLES, [2, 8, 20], "2025-10-31", trials=500, seed=3)
    assert table["days_85"].is_monotonic_increasing
    assert (table["likely_by_50"] <= table["likely_by_85"]).all()
