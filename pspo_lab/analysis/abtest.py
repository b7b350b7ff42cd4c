"""Online experiments (A/B tests): is the difference real, how many visitors, can we trust it?

Every statement about a feature is a hypothesis about value (EBM-08); an A/B test is one way
to inspect it. This module holds the few statistics a Product Owner needs to read one:

* :func:`two_proportion_test`: pooled two-proportion z-test of control against treatment
  (two-sided);
* :func:`difference_interval`: Newcombe's hybrid score interval for the difference in
  conversion rates, built from the Wilson score interval of each rate
  (:func:`wilson_interval`). It agrees with the z-test far more often than the textbook
  (Wald) interval does, and never has zero width when a group converts 0% or 100%;
* :func:`sample_size_per_variant` and :func:`power`: planning before the experiment starts;
* :func:`sample_ratio_mismatch`: chi-square check that traffic was split as planned;
* :func:`analyse_experiments`: all of the above for the case-study ``experiments`` table;
* :func:`peeking_simulation`: why looking at the results every day and stopping at the first
  "significant" result inflates false positives.

All functions accept numpy arrays and work element-wise, so many experiments are computed at
once. The normal and chi-square distributions come from :mod:`scipy.stats`; the tests
compare every number with statsmodels. Each function imports :mod:`scipy.stats` when it is
first called, not this module: scipy.stats takes longer to import than the rest of the
package, and every notebook imports this module (through the catch-up checks).

>>> round(two_proportion_test(120, 1000, 150, 1000).p_value, 4)
0.0496
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import require_columns

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SRM_THRESHOLD = 0.001
"""p-value below which a traffic split is treated as broken (a common, strict convention)."""


def _z_quantile(p: float) -> float:
    from scipy import stats  # on first use (see the module's docstring)
    if not 0 < p < 1:
        raise ParameterError(f"probability {p!r} is out of range (expected a number between "
                             "0 and 1, e.g. alpha = 0.05)")
    return float(stats.norm.ppf(p))


def _counts(conversions: np.ndarray | int, visitors: np.ndarray | int, label: str
            ) -> tuple[np.ndarray, np.ndarray]:
    conv = np.asarray(conversions, dtype=float)
    nobs = np.asarray(visitors, dtype=float)
    if np.any(nobs < 1):
        raise DataError(f"{label}: visitors must be at least 1 (got {nobs.min():g})")
    if np.any(conv < 0) or np.any(conv > nobs):
        raise DataError(f"{label}: conversions must be between 0 and the number of visitors")
    return conv, nobs


class ProportionTest(NamedTuple):
    """Result of :func:`two_proportion_test` (arrays when arrays were given)."""

    control_rate: np.ndarray | float
    treatment_rate: np.ndarray | float
    difference: np.ndarray | float
    z: np.ndarray | float
    p_value: np.ndarray | float


def two_proportion_test(conversions_a: np.ndarray | int, visitors_a: np.ndarray | int,
                        conversions_b: np.ndarray | int, visitors_b: np.ndarray | int
                        ) -> ProportionTest:
    """Two-sided z-test for a difference between two conversion rates (pooled variance).

    ``a`` is the control, ``b`` the treatment; the difference is ``rate_b - rate_a``.
    Under "no real difference" both groups share one rate, estimated from both groups
    together (the pooled rate); ``z`` is the observed difference in units of its standard
    error under that assumption.

    Parameters
    ----------
    conversions_a, visitors_a
        Converted visitors and all visitors of the control.
    conversions_b, visitors_b
        The same for the treatment.

    Returns
    -------
    ProportionTest
        Rates, difference, z statistic and two-sided p-value.

    Examples
    --------
    >>> result = two_proportion_test(1211, 9679, 1348, 9535)
    >>> round(result.difference, 4), round(result.z, 2), round(result.p_value, 4)
    (0.0163, 3.32, 0.0009)
    """
    from scipy import stats  # on first use (see the module's docstring)
    ca, na = _counts(conversions_a, visitors_a, "control")
    cb, nb = _counts(conversions_b, visitors_b, "treatment")
    rate_a, rate_b = ca / na, cb / nb
    pooled = (ca + cb) / (na + nb)
    se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    diff = rate_b - rate_a
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / np.where(se > 0, se, 1), 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    scalar = np.ndim(z) == 0
    pack = (lambda v: float(v)) if scalar else (lambda v: v)
    return ProportionTest(pack(rate_a), pack(rate_b), pack(diff), pack(z), pack(p))


def wilson_interval(conversions: np.ndarray | int, visitors: np.ndarray | int,
                    confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for one conversion rate.

    The rates that the score test at level ``1 - confidence`` would not reject. Unlike
    ``rate +- z * standard error`` it stays inside 0 to 1 and has a width even when no
    visitor (or every visitor) converted.

    Examples
    --------
    >>> low, high = wilson_interval(3, 50)
    >>> round(float(low), 4), round(float(high), 4)
    (0.0206, 0.1622)
    """
    conv, nobs = _counts(conversions, visitors, "group")
    z = _z_quantile(0.5 + confidence / 2)
    rate = conv / nobs
    center = (conv + z * z / 2) / (nobs + z * z)
    half = z * np.sqrt(nobs) / (nobs + z * z) * np.sqrt(rate * (1 - rate) + z * z / (4 * nobs))
    return np.clip(center - half, 0, 1), np.clip(center + half, 0, 1)


def difference_interval(conversions_a: np.ndarray | int, visitors_a: np.ndarray | int,
                        conversions_b: np.ndarray | int, visitors_b: np.ndarray | int,
                        confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for ``rate_b - rate_a``.

    Each rate gets its Wilson score interval (:func:`wilson_interval`); the distances from
    each rate to its limits are combined as in Newcombe (1998, method 10), the interval
    statsmodels calls ``"newcomb"``. It shows how large or small the true lift could
    plausibly be, which is more useful for a decision than the p-value alone. It and the
    pooled z-test are two different calculations, so in rare borderline cases one says
    "significant" and the other includes 0; the ``rate +- z * standard error`` (Wald)
    interval disagrees with the test far more often, and has zero width, presented as
    certainty, when both groups convert 0% or 100%.

    Examples
    --------
    >>> low, high = difference_interval(1211, 9679, 1348, 9535)
    >>> round(float(low), 4), round(float(high), 4)
    (0.0066, 0.0259)
    >>> low, high = difference_interval(0, 40, 0, 45)  # nobody converted: still a range
    >>> round(float(low), 3), round(float(high), 3)
    (-0.088, 0.079)
    """
    ca, na = _counts(conversions_a, visitors_a, "control")
    cb, nb = _counts(conversions_b, visitors_b, "treatment")
    low_a, high_a = wilson_interval(ca, na, confidence)
    low_b, high_b = wilson_interval(cb, nb, confidence)
    rate_a, rate_b = ca / na, cb / nb
    diff = rate_b - rate_a
    low = diff - np.sqrt((rate_b - low_b) ** 2 + (high_a - rate_a) ** 2)
    high = diff + np.sqrt((high_b - rate_b) ** 2 + (rate_a - low_a) ** 2)
    return low, high


def _effect_size(baseline: np.ndarray | float, lift: np.ndarray | float) -> np.ndarray:
    base = np.asarray(baseline, dtype=float)
    target = base + np.asarray(lift, dtype=float)
    if np.any((base <= 0) | (base >= 1) | (target <= 0) | (target >= 1)):
        raise ParameterError("baseline and baseline + lift must be rates between 0 and 1 "
                             "(e.g. baseline = 0.12, lift = 0.01)")
    return np.abs(2 * np.arcsin(np.sqrt(target)) - 2 * np.arcsin(np.sqrt(base)))


def power(baseline: np.ndarray | float, lift: np.ndarray | float,
          visitors_per_variant: np.ndarray | float, alpha: float = 0.05) -> np.ndarray:
    """Chance that a two-sided test at level ``alpha`` detects a real ``lift``.

    Uses Cohen's effect size ``h`` for proportions (the arcsine transformation) and
    counts both tails, as statsmodels' ``NormalIndPower`` does.

    Examples
    --------
    >>> round(float(power(0.12, 0.02, 4433)), 3)
    0.8
    """
    from scipy import stats  # on first use (see the module's docstring)
    h = _effect_size(baseline, lift)
    z_crit = _z_quantile(1 - alpha / 2)
    shift = h * np.sqrt(np.asarray(visitors_per_variant, dtype=float) / 2)
    return stats.norm.sf(z_crit - shift) + stats.norm.sf(z_crit + shift)


def sample_size_per_variant(baseline: np.ndarray | float, lift: np.ndarray | float,
                            alpha: float = 0.05, target_power: float = 0.8) -> np.ndarray:
    """Visitors each variant needs to detect ``lift`` with probability ``target_power``.

    Parameters
    ----------
    baseline
        Today's conversion rate, e.g. ``0.12``.
    lift
        Smallest absolute change worth detecting, e.g. ``0.01`` (one percentage point).
    alpha
        Accepted false-positive rate of the two-sided test.
    target_power
        Wanted chance of detecting a real lift of that size.

    Returns
    -------
    numpy.ndarray
        Visitors per variant, rounded up.

    Raises
    ------
    ParameterError
        If a rate is outside 0 to 1 or ``lift`` is 0 (no number of visitors detects it).

    Examples
    --------
    >>> int(sample_size_per_variant(0.12, 0.02))
    4433
    >>> int(sample_size_per_variant(0.12, 0.01))  # half the lift: about four times the visitors
    17164
    """
    from scipy import stats  # on first use (see the module's docstring)
    h = _effect_size(baseline, lift)
    if np.any(h == 0):
        raise ParameterError("lift parameter: 0 cannot be detected with any number of "
                             "visitors (expected the smallest change worth detecting, e.g. "
                             "lift = 0.01 for one percentage point)")
    z_crit = _z_quantile(1 - alpha / 2)
    n = 2 * ((z_crit + _z_quantile(target_power)) / h) ** 2  # ignores the opposite tail
    for _ in range(4):  # Newton steps on the exact two-tailed power
        shift = h * np.sqrt(n / 2)
        gap = stats.norm.sf(z_crit - shift) + stats.norm.sf(z_crit + shift) - target_power
        density = stats.norm.pdf(z_crit - shift) - stats.norm.pdf(z_crit + shift)
        slope = density * h / np.sqrt(8 * n)
        n = n - gap / slope
    return np.ceil(n - 1e-9)


def sample_ratio_mismatch(visitors_a: np.ndarray | int, visitors_b: np.ndarray | int,
                          planned_share_b: np.ndarray | float = 0.5) -> np.ndarray:
    """p-value of a chi-square test that the traffic split matches the plan.

    A very small p-value (below :data:`SRM_THRESHOLD`) means visitors were not assigned as
    planned, for example because of a bug in the assignment: the groups are then not
    comparable and the experiment's result should not be trusted, however good it looks.

    Examples
    --------
    >>> float(sample_ratio_mismatch(6859, 5958)) < SRM_THRESHOLD
    True
    >>> round(float(sample_ratio_mismatch(9679, 9535)), 3)
    0.299
    """
    from scipy import stats  # on first use (see the module's docstring)
    na = np.asarray(visitors_a, dtype=float)
    nb = np.asarray(visitors_b, dtype=float)
    share = np.asarray(planned_share_b, dtype=float)
    if np.any((share <= 0) | (share >= 1)):
        raise ParameterError("planned_share_b must be between 0 and 1 (e.g. 0.5)")
    total = na + nb
    expected_a, expected_b = total * (1 - share), total * share
    chi2 = (na - expected_a) ** 2 / expected_a + (nb - expected_b) ** 2 / expected_b
    return stats.chi2.sf(chi2, df=1)


def verdict(p_value: float, srm_p_value: float, alpha: float = 0.05) -> str:
    """Plain-language reading of one experiment.

    Examples
    --------
    >>> verdict(0.001, 0.4)
    'real difference'
    >>> verdict(0.001, 0.0001)
    'do not trust: traffic split broken'
    """
    if srm_p_value < SRM_THRESHOLD:
        return "do not trust: traffic split broken"
    return "real difference" if p_value < alpha else "no evidence of a difference"


def analyse_experiments(experiments: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """One row per experiment: rates, lift with its interval, p-value, SRM check, verdict.

    Parameters
    ----------
    experiments
        Rows as in the case-study ``experiments`` table: one ``control`` and one
        ``treatment`` row per experiment.
    alpha
        Significance level; the interval has confidence ``1 - alpha``.

    Raises
    ------
    DataError
        If an experiment does not have exactly one control and one treatment row.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> table = analyse_experiments(load_dataset("experiments"))
    >>> table.loc["EXP-04", "verdict"]
    'do not trust: traffic split broken'
    """
    needed = {"experiment", "variant", "visitors", "conversions", "planned_share"}
    require_columns(experiments, needed, "experiments")
    wide = experiments.pivot_table(index="experiment", columns="variant",
                                   values=["visitors", "conversions", "planned_share"],
                                   aggfunc="sum")
    counts = experiments.groupby(["experiment", "variant"], observed=True).size()
    if (counts != 1).any() or wide["visitors"].isna().any(axis=None) \
            or set(wide["visitors"].columns) != {"control", "treatment"}:
        raise DataError("experiments table: each experiment needs exactly one 'control' and "
                        "one 'treatment' row")
    ca, na = wide["conversions"]["control"], wide["visitors"]["control"]
    cb, nb = wide["conversions"]["treatment"], wide["visitors"]["treatment"]
    test = two_proportion_test(ca.to_numpy(), na.to_numpy(), cb.to_numpy(), nb.to_numpy())
    low, high = difference_interval(ca.to_numpy(), na.to_numpy(), cb.to_numpy(),
                                    nb.to_numpy(), confidence=1 - alpha)
    srm = sample_ratio_mismatch(na.to_numpy(), nb.to_numpy(),
                                wide["planned_share"]["treatment"].to_numpy())
    table = pd.DataFrame({
        "control_rate": test.control_rate, "treatment_rate": test.treatment_rate,
        "lift": test.difference, "lift_low": low, "lift_high": high,
        "p_value": test.p_value, "srm_p_value": srm}, index=wide.index)
    table["verdict"] = [verdict(p, s, alpha) for p, s in zip(table["p_value"],
                                                             table["srm_p_value"], strict=True)]
    return table


def simulate_conversions(rng: np.random.Generator, experiments: int, looks: int,
                         visitors_per_look: int, rate: float) -> np.ndarray:
    """Conversions of A/A experiments, shape ``(experiments, looks, 2)``, per batch of visitors.

    Both variants share the same ``rate``: every "significant" result is a false positive.

    Examples
    --------
    >>> simulate_conversions(np.random.default_rng(1), 3, 4, 100, 0.1).shape
    (3, 4, 2)
    """
    return rng.binomial(visitors_per_look, rate, size=(experiments, looks, 2))


def peeking_simulation(experiments: int = 10_000, looks: int = 20,
                       visitors_per_look: int = 500, rate: float = 0.1,
                       alpha: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """How often an A/A test "wins" if you stop at the first significant look.

    Each simulated experiment has no real difference. After every batch of visitors the
    team looks at the cumulative result with a two-sided z-test at level ``alpha``.
    Looking once, at the end, gives about ``alpha`` false positives; stopping at the first
    look that shows p < alpha gives many more, and more with every extra look.

    Parameters
    ----------
    experiments
        Number of simulated experiments.
    looks
        How many times the team looks at the data during one experiment.
    visitors_per_look
        New visitors per variant between two looks.
    rate
        The conversion rate of both variants.
    alpha
        Significance level of each look.
    seed
        Seed of the random numbers.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``look`` (1..looks): ``visitors_per_variant`` so far,
        ``significant_at_this_look`` (share of experiments showing p < alpha at that look
        alone, about ``alpha`` everywhere) and ``stopped_so_far`` (share that would have been
        declared a winner at some look up to this one: the false-positive rate of peeking).

    Examples
    --------
    >>> table = peeking_simulation(experiments=2000, looks=10, seed=1)
    >>> bool(table["significant_at_this_look"].iloc[-1] < 0.07)
    True
    >>> bool(table["stopped_so_far"].iloc[-1] > 0.12)
    True
    """
    if experiments < 1 or looks < 1 or visitors_per_look < 1:
        raise ParameterError("experiments, looks and visitors_per_look must be at least 1")
    counts = simulate_conversions(np.random.default_rng(seed), experiments, looks,
                                  visitors_per_look, rate)
    cumulative = counts.cumsum(axis=1, dtype=np.int64)
    n = visitors_per_look * np.arange(1, looks + 1, dtype=float)
    control, treatment = cumulative[..., 0], cumulative[..., 1]
    pooled = (control + treatment) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * (2 / n))
    diff = np.abs(treatment - control) / n
    z_crit = _z_quantile(1 - alpha / 2)
    significant = diff > z_crit * se
    return pd.DataFrame({
        "visitors_per_variant": n.astype(int),
        "significant_at_this_look": significant.mean(axis=0),
        "stopped_so_far": np.logical_or.accumulate(significant, axis=1).mean(axis=0),
    }, index=pd.RangeIndex(1, looks + 1, name="look"))


def plot_peeking(table: pd.DataFrame, alpha: float = 0.05, ax: Axes | None = None) -> Axes:
    """Chart of :func:`peeking_simulation`: false positives when stopping early vs looking once.

    Examples
    --------
    >>> ax = plot_peeking(peeking_simulation(experiments=200, looks=5))
    >>> len(ax.lines)
    3
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots()
    ax.plot(table.index, table["stopped_so_far"] * 100, marker="o", color="#c0392b",
            label="stop at the first significant look")
    ax.plot(table.index, table["significant_at_this_look"] * 100, marker=".",
            color="#749335", label="look only once, at this point")
    ax.axhline(alpha * 100, color="grey", linestyle="--", label=f"promised rate ({alpha:.0%})")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of looks at the data")
    ax.set_ylabel("A/A experiments declared a winner (%)")
    ax.set_title("Peeking turns noise into 'winners'")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return ax
