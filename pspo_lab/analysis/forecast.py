"""Monte Carlo forecasts from daily throughput: "when", "how many", likelihoods and backtests.

Forecasting practices such as burn-ups and cumulative flow are useful but do not replace
empiricism, and only what has already happened may be used for forward-looking decisions
(SG-52). These forecasts follow that rule literally: they resample the team's own past.

Definitions used throughout:

* **Samples**: the daily throughput of the ``window_days`` calendar days ending *today* (not
  at the last completion), days without completions included as 0
  (:func:`throughput_samples`). With fewer than :data:`MIN_THROUGHPUT_DAYS` days that had
  any throughput in the window the module refuses to forecast.
* **Trial**: one possible future, drawing one sample per calendar day after today,
  independently and with replacement. :data:`TRIALS` (10,000) seeded trials by default.
* **"When will N items be done"** = the p-th percentile (nearest rank) of the days each
  trial needed; day 1 is the day after today.
* **"How many by date D"** = the largest n reached in at least p% of trials, i.e. the k-th
  largest trial total with k = ceil(p * trials / 100) (for 85%: the 15th percentile of the
  totals, counting ranks from the top).
* Ranks are computed with integers (``(p * trials + 99) // 100``), never with floats.

What WIP limits do to cycle time is simulated in :mod:`pspo_lab.analysis.wip_limits`.

>>> samples = np.array([0, 1, 2, 1, 0, 3, 1])
>>> when = monte_carlo_when(samples, 10, trials=2000, seed=1)
>>> bool(when[50] <= when[85] <= when[95])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.flow import DEFAULT_PERCENTILES
from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

TRIALS = 10_000
"""Number of simulated futures per forecast."""

MIN_THROUGHPUT_DAYS = 5
"""Fewest days with at least one finished item in the window needed to forecast."""

WINDOW_DAYS = 90
"""Default length of the sampling window in calendar days (ending today)."""


def _rank(p: int, trials: int) -> int:
    """Nearest rank k = ceil(p * trials / 100) in integer arithmetic."""
    if isinstance(p, bool) or not isinstance(p, int | np.integer) or not 0 < p <= 100:
        raise ParameterError(f"percentile {p!r} is not a whole number from 1 to 100")
    return (int(p) * trials + 99) // 100


def throughput_samples(daily: pd.Series, today: pd.Timestamp | str,
                       window_days: int = WINDOW_DAYS) -> np.ndarray:
    """Daily throughput of the ``window_days`` calendar days ending ``today`` (inclusive).

    Days missing from ``daily`` (for example after the last completion) count as 0, so
    ``today`` must be the real date of the forecast: for a learner's file, the ``as_of``
    date of :func:`pspo_lab.analysis.importers.load_flow_data`, not the file's last completion.

    Raises
    ------
    DataError
        If fewer than :data:`MIN_THROUGHPUT_DAYS` days in the window had throughput.

    Examples
    --------
    >>> days = pd.date_range("2025-03-01", periods=6)
    >>> throughput_samples(pd.Series([1, 2, 0, 1, 1, 3], index=days), "2025-03-08", 8)
    array([1, 2, 0, 1, 1, 3, 0, 0])
    >>> throughput_samples(pd.Series([1, 2], index=days[:2]), "2025-03-08", 8)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: cannot forecast: only 2 day(s) with finished items in the ...
    """
    if window_days < 1:
        raise ParameterError(f"window_days {window_days!r} must be at least 1")
    today = pd.Timestamp(today).normalize()
    days = pd.date_range(end=today, periods=window_days, freq="D")
    samples = daily.reindex(days, fill_value=0).to_numpy().astype("int64")
    busy = int(np.count_nonzero(samples))
    if busy < MIN_THROUGHPUT_DAYS:
        raise DataError(f"cannot forecast: only {busy} day(s) with finished items in the "
                        f"{window_days} days ending {today:%Y-%m-%d} (need at least "
                        f"{MIN_THROUGHPUT_DAYS}); use a longer window or more history")
    return samples


def _check_samples(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples, dtype="int64")
    busy = int(np.count_nonzero(samples))
    if samples.ndim != 1 or busy < MIN_THROUGHPUT_DAYS or (samples < 0).any():
        raise DataError(f"cannot forecast: {busy} day(s) with finished items among the "
                        f"samples (need at least {MIN_THROUGHPUT_DAYS} and no negative counts)")
    return samples


def _check_trials(trials: int) -> int:
    """Refuse a number of trials that is not a whole number of at least 1."""
    if isinstance(trials, bool) or not isinstance(trials, int | np.integer) or trials < 1:
        raise ParameterError(f"trials parameter: {trials!r} is not a whole number of at least "
                             f"1 (expected e.g. trials = {TRIALS})")
    return int(trials)


def _draws(rng: np.random.Generator, samples: np.ndarray, days: int, trials: int
           ) -> np.ndarray:
    """Throughput of ``days`` future days for every trial, shaped (days, trials).

    Day d of trial t is always the (d * trials + t)-th draw of the seeded stream, so
    trials share their futures across forecasts (common random numbers): with the same
    seed, a longer horizon extends each trial instead of replacing it.
    """
    return samples[rng.integers(0, samples.size, size=(days, trials))]


def days_needed(samples: np.ndarray, remaining: int, *, trials: int = TRIALS,
                seed: int = 0) -> np.ndarray:
    """Calendar days each simulated future needs to finish ``remaining`` items.

    Vectorised: all trials draw a block of days at once (first as many days as the mean
    throughput needs, then a quarter of that at a time) until every trial has reached the
    target. Since a trial's running total never decreases, the days it needs are one more
    than the days on which its running total was still below ``remaining``. Every block is
    drawn for all trials, so day d of trial t is the same draw whatever ``remaining`` is
    (see :func:`_draws`). ``remaining <= 0`` (target already met) needs 0 days.

    Examples
    --------
    >>> days_needed(np.array([1, 1, 1, 1, 1]), 3, trials=4).tolist()
    [3, 3, 3, 3]
    >>> days_needed(np.array([1, 1, 1, 1, 1]), 0, trials=2).tolist()
    [0, 0]
    """
    samples = _check_samples(samples)
    trials = _check_trials(trials)
    if remaining <= 0:
        return np.zeros(trials, dtype="int64")
    rng = np.random.default_rng(seed)
    below = np.zeros(trials, dtype="int64")
    totals = np.zeros(trials, dtype="int64")
    block = max(8, int(np.ceil(remaining / samples.mean())))
    while totals.min() < remaining:
        running = np.cumsum(_draws(rng, samples, block, trials), axis=0)
        running += totals
        below += np.count_nonzero(running < remaining, axis=0)
        totals = running[-1]
        block = max(8, block // 4)
    return below + 1


def totals_by(samples: np.ndarray, horizon_days: int, *, trials: int = TRIALS,
              seed: int = 0) -> np.ndarray:
    """Items each simulated future finishes in the next ``horizon_days`` calendar days.

    Examples
    --------
    >>> totals_by(np.array([2, 2, 2, 2, 2]), 3, trials=3).tolist()
    [6, 6, 6]
    """
    samples = _check_samples(samples)
    trials = _check_trials(trials)
    if horizon_days < 0:
        raise ParameterError(f"horizon of {horizon_days} days is in the past (expected a "
                             "date on or after today)")
    rng = np.random.default_rng(seed)
    return _draws(rng, samples, horizon_days, trials).sum(axis=0)


def when_percentiles(needed: np.ndarray, ps: Sequence[int] = DEFAULT_PERCENTILES) -> pd.Series:
    """The p-th percentile (nearest rank) of simulated days needed, for each p.

    Examples
    --------
    >>> when_percentiles(np.arange(1, 101), (50, 85)).to_dict()
    {50: 50, 85: 85}
    """
    ordered = np.sort(needed)
    return pd.Series([int(ordered[_rank(p, ordered.size) - 1]) for p in ps], index=list(ps),
                     name="days")


def how_many_percentiles(totals: np.ndarray, ps: Sequence[int] = DEFAULT_PERCENTILES
                         ) -> pd.Series:
    """Largest n reached in at least p% of trials (the k-th largest total), for each p.

    Examples
    --------
    >>> how_many_percentiles(np.arange(1, 101), (50, 85)).to_dict()
    {50: 51, 85: 16}
    """
    ordered = np.sort(totals)
    return pd.Series([int(ordered[ordered.size - _rank(p, ordered.size)]) for p in ps],
                     index=list(ps), name="items")


def monte_carlo_when(samples: np.ndarray, remaining: int, *,
                     ps: Sequence[int] = DEFAULT_PERCENTILES, trials: int = TRIALS,
                     seed: int = 0) -> pd.Series:
    """Days needed to finish ``remaining`` items at each confidence p (percent).

    Examples
    --------
    >>> monte_carlo_when(np.array([1, 1, 1, 1, 1]), 4, trials=100).tolist()
    [4, 4, 4, 4]
    """
    return when_percentiles(days_needed(samples, remaining, trials=trials, seed=seed), ps)


def monte_carlo_how_many(samples: np.ndarray, horizon_days: int, *,
                         ps: Sequence[int] = DEFAULT_PERCENTILES, trials: int = TRIALS,
                         seed: int = 0) -> pd.Series:
    """Items finished within ``horizon_days`` at each confidence p (percent).

    Examples
    --------
    >>> monte_carlo_how_many(np.array([1, 1, 1, 1, 1]), 7, trials=100).tolist()
    [7, 7, 7, 7]
    """
    return how_many_percentiles(totals_by(samples, horizon_days, trials=trials, seed=seed), ps)


def horizon(today: pd.Timestamp | str, date: pd.Timestamp | str) -> int:
    """Calendar days after ``today`` up to and including ``date``.

    Examples
    --------
    >>> horizon("2025-10-31", "2025-11-07")
    7
    """
    return int((pd.Timestamp(date).normalize() - pd.Timestamp(today).normalize()).days)


def forecast_dates(today: pd.Timestamp | str, days: pd.Series) -> pd.Series:
    """Turn "days needed" into calendar dates (day 1 = the day after ``today``).

    Examples
    --------
    >>> forecast_dates("2025-10-31", pd.Series({85: 3})).dt.strftime("%Y-%m-%d").to_dict()
    {85: '2025-11-03'}
    """
    return pd.Timestamp(today).normalize() + pd.to_timedelta(days, unit="D")


def likelihood(samples: np.ndarray, remaining: int, horizon_days: int, *,
               trials: int = TRIALS, seed: int = 0) -> float:
    """Share of simulated futures that finish ``remaining`` items within ``horizon_days``.

    Answers both "how likely is this date?" (``remaining`` fixed) and "how likely is this
    target by that date?"; a target already met is certain (1.0).

    Examples
    --------
    >>> likelihood(np.array([0, 1, 1, 1, 1, 1, 2]), 0, 0)
    1.0
    >>> likelihood(np.array([1, 1, 1, 1, 1]), 6, 5)
    0.0
    """
    if remaining <= 0:
        return 1.0
    totals = totals_by(samples, horizon_days, trials=trials, seed=seed)
    return int(np.count_nonzero(totals >= remaining)) / trials


def range_statement(today: pd.Timestamp | str, remaining: int, when: pd.Series) -> str:
    """Say a "when" forecast as a range of dates, each with its confidence.

    Examples
    --------
    >>> when = pd.Series({50: 10, 70: 13, 85: 16, 95: 21})
    >>> print(range_statement("2025-10-31", 30, when))  # doctest: +NORMALIZE_WHITESPACE
    30 items between 10 Nov and 21 Nov 2025: 50% likely by 10 Nov, 70% by 13 Nov,
    85% by 16 Nov, 95% by 21 Nov.
    """
    dates = forecast_dates(today, when.sort_index())
    steps = [f"{p}% by {date:%d %b}" for p, date in dates.items()]
    steps[0] = steps[0].replace("% by", "% likely by", 1)
    return (f"{remaining} items between {dates.iloc[0]:%d %b} and {dates.iloc[-1]:%d %b %Y}: "
            + ", ".join(steps) + ".")


def backtest(daily: pd.Series, *, horizon_days: int = 14, window_days: int = WINDOW_DAYS,
             every_days: int = 14, p: int = 85, trials: int = 2_000, seed: int = 0
             ) -> pd.DataFrame:
    """Compare past "how many in the next ``horizon_days``" forecasts with what happened.

    A forecast is made every ``every_days`` days, as soon as a full window of history is
    available, using only the window ending that day. It is a hit when at least the
    forecast number of items actually finished in the following ``horizon_days`` days.

    Returns
    -------
    pandas.DataFrame
        One row per forecast: ``made_on``, ``forecast``, ``actual``, ``hit``. Dates whose
        window had too little throughput are skipped.

    Examples
    --------
    >>> days = pd.date_range("2025-01-01", periods=120)
    >>> result = backtest(pd.Series(1, index=days), window_days=30, trials=200)
    >>> bool(result["hit"].all()), int(result["forecast"].iloc[0])
    (True, 14)
    """
    daily = daily.sort_index()
    first = daily.index[0] + pd.Timedelta(days=window_days - 1)
    last = daily.index[-1] - pd.Timedelta(days=horizon_days)
    rows = []
    for made_on in pd.date_range(first, last, freq=f"{every_days}D"):
        try:
            samples = throughput_samples(daily, made_on, window_days)
        except DataError:
            continue
        forecast = int(monte_carlo_how_many(samples, horizon_days, ps=(p,), trials=trials,
                                            seed=seed).iloc[0])
        after = daily.loc[made_on + pd.Timedelta(days=1): made_on + pd.Timedelta(
            days=horizon_days)]
        actual = int(after.sum())
        rows.append({"made_on": made_on, "forecast": forecast, "actual": actual,
                     "hit": actual >= forecast})
    return pd.DataFrame(rows, columns=["made_on", "forecast", "actual", "hit"])


def backtest_sentence(result: pd.DataFrame, p: int = 85) -> str:
    """Summarise a :func:`backtest` in one sentence: how many forecasts came true.

    Examples
    --------
    >>> result = pd.DataFrame({"hit": [True, True, False, True]})
    >>> backtest_sentence(result)
    '3 of 4 past 85% forecasts came true (75%); a calibrated one is right 85% of the time.'
    >>> backtest_sentence(result.iloc[0:0])
    'Not enough history for a backtest: it needs a full window plus the horizon.'
    """
    if result.empty:
        return "Not enough history for a backtest: it needs a full window plus the horizon."
    hits = int(result["hit"].sum())
    return (f"{hits} of {len(result)} past {p}% forecasts came true ({hits / len(result):.0%}); "
            f"a calibrated one is right {p}% of the time.")


def release_slices(samples: np.ndarray, sizes: Sequence[int], today: pd.Timestamp | str, *,
                   trials: int = TRIALS, seed: int = 0) -> pd.DataFrame:
    """"When" forecasts for releases of different sizes: how soon could feedback arrive?

    Returns
    -------
    pandas.DataFrame
        One row per size: the 50% and 85% finish dates and the 85% days needed.

    Examples
    --------
    >>> table = release_slices(np.array([1, 1, 1, 1, 1]), [2, 5], "2025-10-31", trials=20)
    >>> table["days_85"].tolist()
    [2, 5]
    """
    rows = []
    for size in sizes:
        when = monte_carlo_when(samples, size, ps=(50, 85), trials=trials, seed=seed)
        dates = forecast_dates(today, when)
        rows.append({"items": size, "likely_by_50": dates[50], "likely_by_85": dates[85],
                     "days_85": int(when[85])})
    return pd.DataFrame(rows).set_index("items")


def burn_up(samples: np.ndarray, done: int, scope: int, today: pd.Timestamp | str,
            horizon_days: int, *, arrivals: np.ndarray | None = None, growth_share: float = 1.0,
            ps: Sequence[int] = DEFAULT_PERCENTILES, trials: int = TRIALS, seed: int = 0
            ) -> tuple[pd.DataFrame, pd.Series]:
    """Percentile fan of items done per future day against the scope, and completion dates.

    Parameters
    ----------
    samples
        Daily throughput samples (:func:`throughput_samples`).
    done, scope
        Items of the release already done, and the release scope today.
    today
        Day the forecast is made; the fan starts the day after.
    horizon_days
        How many days ahead to simulate.
    arrivals
        Optional daily arrival counts from history: when given, the scope of each trial
        grows by one sampled arrival count per day (scope growth).
    growth_share
        Share of those arrivals that join this release (each arriving item joins with
        this probability).
    ps
        Confidence levels of the fan; at p% the band is the number of items done in at
        least p% of trials on that day.

    Returns
    -------
    (pandas.DataFrame, pandas.Series)
        The fan (one column per p plus ``scope``, the median simulated scope) indexed by
        date, and for each p the date by which p% of trials reached their scope (missing
        if not within the horizon).

    Examples
    --------
    >>> fan, finish = burn_up(np.array([1, 1, 1, 1, 1]), 2, 5, "2025-10-31", 5, trials=50)
    >>> fan[85].tolist(), f"{finish[85]:%Y-%m-%d}"
    ([3, 4, 5, 6, 7], '2025-11-03')
    """
    samples = _check_samples(samples)
    rng = np.random.default_rng(seed)
    completed = done + np.cumsum(_draws(rng, samples, horizon_days, trials), axis=0).T
    scopes = np.full_like(completed, scope)
    if arrivals is not None and len(arrivals):
        growth = _draws(rng, np.asarray(arrivals, dtype="int64"), horizon_days, trials)
        if growth_share < 1:
            growth = rng.binomial(growth, growth_share)
        scopes = scope + np.cumsum(growth, axis=0).T
    dates = pd.date_range(pd.Timestamp(today).normalize() + pd.Timedelta(days=1),
                          periods=horizon_days, freq="D", name="date")
    ordered = np.sort(completed, axis=0)
    fan = pd.DataFrame({p: ordered[trials - _rank(p, trials)] for p in ps}, index=dates)
    fan["scope"] = np.sort(scopes, axis=0)[_rank(50, trials) - 1]
    crossed = completed >= scopes
    reached = crossed.any(axis=1)
    needed = np.where(reached, np.argmax(crossed, axis=1) + 1, horizon_days + 1)
    if done >= scope:
        needed[:] = 0
    days = when_percentiles(needed, ps)
    finish = pd.Series({p: (forecast_dates(today, pd.Series([d])).iloc[0]
                            if d <= horizon_days else pd.NaT) for p, d in days.items()})
    return fan, finish


def finish_table(finish: pd.Series, horizon_days: int) -> pd.DataFrame:
    """The completion dates of :func:`burn_up` as a learner reads them, one row per %.

    A confidence level whose trials do not reach the scope within the horizon (scope growing
    as fast as the team finishes) says so instead of showing an empty date.

    Examples
    --------
    >>> finish = pd.Series({50: pd.Timestamp("2025-11-03"), 85: pd.NaT})
    >>> finish_table(finish, 150)["scope reached by"].tolist()
    ['03 Nov 2025', 'not reached within 150 days']
    """
    shown = [f"{date:%d %b %Y}" if pd.notna(date) else f"not reached within {horizon_days} days"
             for date in finish]
    return pd.DataFrame({"scope reached by": shown},
                        index=pd.Index(finish.index, name="%"))


def plot_burn_up(history: pd.Series, fan: pd.DataFrame, finish: pd.Series,
                 ax: Axes | None = None) -> Axes:
    """Burn-up: items done so far, the forecast fan, the scope line and completion dates.

    Parameters
    ----------
    history
        Cumulative items done per day up to today.
    fan, finish
        The two results of :func:`burn_up`.

    Examples
    --------
    >>> fan, finish = burn_up(np.array([1, 1, 1, 1, 1]), 2, 5, "2025-10-31", 5, trials=50)
    >>> hist = pd.Series([1, 2], index=pd.date_range("2025-10-30", periods=2))
    >>> ax = plot_burn_up(hist, fan, finish)
    >>> ax.get_title()
    'Burn-up with forecast'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    ax.step(history.index, history.to_numpy(), where="post", color="black", label="done")
    levels = [c for c in fan.columns if c != "scope"]
    for i, (low, high) in enumerate(zip(levels, levels[1:], strict=False)):
        ax.fill_between(fan.index, fan[low], fan[high], alpha=0.5 - 0.12 * i,
                        color="#4c72b0", label=f"{low}%-{high}% band", linewidth=0)
    scope_line = pd.concat([pd.Series(fan["scope"].iloc[0], index=history.index[-1:]),
                            fan["scope"]])
    ax.plot(scope_line.index, scope_line.to_numpy(), color="#b03a2e", label="scope")
    for p, date in finish.items():
        if pd.notna(date):
            ax.axvline(date, color="grey", linestyle=":", linewidth=1)
            ax.annotate(f"{p}%", (date, ax.get_ylim()[0]), fontsize="small", rotation=90,
                        va="bottom", ha="right")
    _concise_dates(ax)
    ax.set(title="Burn-up with forecast", xlabel="date", ylabel="items")
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    return ax


def _concise_dates(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def plot_days_needed(needed: np.ndarray, today: pd.Timestamp | str,
                     ps: Sequence[int] = DEFAULT_PERCENTILES, ax: Axes | None = None) -> Axes:
    """Histogram of the finish dates of all trials, with the percentile dates marked.

    Examples
    --------
    >>> ax = plot_days_needed(np.array([3, 4, 4, 5, 9]), "2025-10-31")
    >>> ax.get_ylabel()
    'simulated futures'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    counts = pd.Series(needed).value_counts().sort_index()
    dates = forecast_dates(today, pd.Series(counts.index))
    ax.bar(dates, counts.to_numpy(), width=1.0, color="#9bb7d4")
    for p, date in forecast_dates(today, when_percentiles(needed, ps)).items():
        ax.axvline(date, color="#b03a2e", linestyle="--", linewidth=1)
        ax.annotate(f"{p}%: {date:%d %b}", (date, counts.max()), rotation=90, va="top",
                    ha="right", fontsize="small")
    _concise_dates(ax)
    ax.set(title="When could the items be done? One bar per finish date",
           xlabel="finish date", ylabel="simulated futures")
    return ax


def plot_backtest(result: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Past 85% "how many" forecasts against what actually happened; misses in red.

    Examples
    --------
    >>> days = pd.date_range("2025-01-01", periods=120)
    >>> ax = plot_backtest(backtest(pd.Series(1, index=days), window_days=30, trials=200))
    >>> ax.get_ylabel()
    'items finished in the next 14 days'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    ax.plot(result["made_on"], result["forecast"], marker="_", linestyle="none",
            markersize=14, color="black", label="forecast (85%)")
    colours = np.where(result["hit"], "#749335", "#b03a2e")
    ax.scatter(result["made_on"], result["actual"], color=colours, s=20,
               label="actual (green: at least the forecast)")
    ax.set(title="Backtest: past forecasts against what happened", xlabel="forecast made on",
           ylabel="items finished in the next 14 days")
    ax.legend(frameon=False, fontsize="small")
    return ax
