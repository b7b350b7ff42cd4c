"""A/B test statistics: our numpy numbers against scipy and statsmodels on many cases."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.abtest import (
    SRM_THRESHOLD,
    analyse_experiments,
    difference_interval,
    peeking_simulation,
    power,
    sample_ratio_mismatch,
    sample_size_per_variant,
    simulate_conversions,
    two_proportion_test,
)


@st.composite
def two_groups(draw):
    na = draw(st.integers(20, 50_000))
    nb = draw(st.integers(20, 50_000))
    ca = draw(st.integers(1, na - 1))
    cb = draw(st.integers(1, nb - 1))
    return ca, na, cb, nb


@settings(max_examples=150, deadline=None)
@given(two_groups())
def test_z_test_matches_statsmodels(groups):
    ca, na, cb, nb = groups
    z_ref, p_ref = proportions_ztest([cb, ca], [nb, na])
    result = two_proportion_test(ca, na, cb, nb)
    assert result.z == pytest.approx(z_ref, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(p_ref, rel=1e-7, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(two_groups(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_matches_statsmodels(groups, confidence):
    ca, na, cb, nb = groups
    low_ref, high_ref = confint_proportions_2indep(cb, nb, ca, na, method="newcomb",
                                                   compare="diff", alpha=1 - confidence)
    low, high = difference_interval(ca, na, cb, nb, confidence=confidence)
    assert float(low) == pytest.approx(low_ref, abs=1e-9)
    assert float(high) == pytest.approx(high_ref, abs=1e-9)


@pytest.mark.parametrize(("ca", "na", "cb", "nb"), [(0, 40, 0, 45), (40, 40, 45, 45),
                                                   (0, 12, 3, 20), (20, 20, 17, 20)])
def test_interval_at_0_or_100_percent_has_width_and_matches_statsmodels(ca, na, cb, nb):
    low, high = difference_interval(ca, na, cb, nb)
    low_ref, high_ref = confint_proportions_2indep(cb, nb, ca, na, method="newcomb",
                                                   compare="diff")
    assert (float(low), float(high)) == (pytest.approx(low_ref, abs=1e-9),
                                         pytest.approx(high_ref, abs=1e-9))
    assert high - low > 0.05 and low < cb / nb - ca / na < high or ca / na == cb / nb


def test_issue_example_significant_test_and_interval_now_agree():
    # 789/856 vs 336/379: p = 0.045, but the Wald interval (-7.2 to +0.1 points) held 0
    test = two_proportion_test(789, 856, 336, 379)
    wald = confint_proportions_2indep(336, 379, 789, 856, method="wald", compare="diff")
    low, high = difference_interval(789, 856, 336, 379)
    assert round(test.p_value, 3) == 0.045
    assert [round(100 * x, 1) for x in wald] == [-7.2, 0.1]
    assert [round(100 * float(x), 1) for x in (low, high)] == [-7.5, -0.1]


def disagreements(low, high, p_value, alpha=0.05):
    """Cases where the test says 'significant' and the interval holds 0, or the reverse."""
    return int(np.sum((p_value < alpha) != ((low > 0) | (high < 0))))


def test_interval_agrees_with_the_test_far_more_often_than_wald(capsys):
    rng = np.random.default_rng(0)
    cases = 420
    na, nb = rng.integers(20, 1000, cases), rng.integers(20, 1000, cases)
    rate_a = rng.uniform(0.01, 0.99, cases)
    rate_b = np.clip(rate_a + rng.normal(0, 0.05, cases), 0, 1)
    ca, cb = rng.binomial(na, rate_a), rng.binomial(nb, rate_b)
    p_value = two_proportion_test(ca, na, cb, nb).p_value
    wald = confint_proportions_2indep(cb, nb, ca, na, method="wald", compare="diff")
    before = disagreements(*wald, p_value)
    after = disagreements(*difference_interval(ca, na, cb, nb), p_value)
    with capsys.disabled():
        print(f"\ninterval and z-test disagree in {before} of {cases} cases with the Wald "
              f"interval, {after} with Newcombe's")
    assert after * 3 <= before and after <= 0.01 * cases


def test_functions_are_vectorised():
    rng = np.random.default_rng(3)
    na, nb = rng.integers(100, 5000, 50), rng.integers(100, 5000, 50)
    ca, cb = rng.binomial(na, 0.3), rng.binomial(nb, 0.32)
    vector = two_proportion_test(ca, na, cb, nb).p_value
    one_by_one = [two_proportion_test(*args).p_value for args in zip(ca, na, cb, nb,
                                                                       strict=True)]
    np.testing.assert_allclose(vector, one_by_one)
    p_ref = [proportions_ztest([b, a], [m, n])[1] for a, n, b, m in zip(ca, na, cb, nb,
                                                                         strict=True)]
    np.testing.assert_allclose(vector, p_ref, rtol=1e-7)


@pytest.mark.parametrize("baseline", [0.05, 0.12, 0.3, 0.5, 0.8])
@pytest.mark.parametrize("lift", [0.005, 0.02, -0.03])
@pytest.mark.parametrize(("alpha", "target"), [(0.05, 0.8), (0.01, 0.9), (0.1, 0.5)])
def test_sample_size_and_power_match_statsmodels(baseline, lift, alpha, target):
    h = abs(proportion_effectsize(baseline + lift, baseline))
    n_ref = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=target, ratio=1)
    n = float(sample_size_per_variant(baseline, lift, alpha=alpha, target_power=target))
    assert n == np.ceil(n_ref) or abs(n - n_ref) < 1.0 + 1e-5 * n_ref
    power_ref = NormalIndPower().power(effect_size=h, nobs1=1234, alpha=alpha, ratio=1)
    assert float(power(baseline, lift, 1234, alpha=alpha)) == pytest.approx(power_ref,
                                                                             rel=1e-9)
    assert float(power(baseline, lift, n, alpha=alpha)) >= target - 1e-9


@settings(max_examples=150, deadline=None)
@given(st.integers(10, 100_000), st.integers(10, 100_000), st.sampled_from([0.5, 0.1, 0.7]))
def test_srm_matches_scipy_chisquare(na, nb, share):
    expected = np.array([1 - share, share]) * (na + nb)
    p_ref = stats.chisquare([na, nb], expected).pvalue
    assert float(sample_ratio_mismatch(na, nb, share)) == pytest.approx(p_ref, rel=1e-7,
                                                                          abs=1e-300)


def test_case_study_has_exactly_one_srm_and_it_is_flagged():
    for seed in (42, 7, 2024):
        table = analyse_experiments(load_dataset("experiments", seed=seed))
        assert list(table.index[table["srm_p_value"] < SRM_THRESHOLD]) == ["EXP-04"]
        assert table.loc["EXP-04", "verdict"].startswith("do not trust")
        assert (table["lift_low"] <= table["lift"]).all()


def test_bad_experiment_tables_and_parameters_are_reported():
    table = load_dataset("experiments")
    with pytest.raises(DataError, match="exactly one 'control' and one 'treatment'"):
        analyse_experiments(table[table["variant"] == "control"])
    with pytest.raises(DataError, match="missing column"):
        analyse_experiments(table.drop(columns="visitors"))
    with pytest.raises(DataError, match="conversions must be between"):
        two_proportion_test(50, 40, 1, 10)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        sample_size_per_variant(0.95, 0.1)
    with pytest.raises(ParameterError, match="lift parameter: 0 cannot be detected"):
        sample_size_per_variant(0.12, 0.0)
    with pytest.raises(ParameterError, match="at least 1"):
        peeking_simulation(experiments=0)


def test_peeking_inflates_false_positives_and_looking_once_does_not():
    table = peeking_simulation(experiments=4000, looks=10, seed=5)
    assert isinstance(table, pd.DataFrame) and list(table.index) == list(range(1, 11))
    assert table["significant_at_this_look"].between(0.035, 0.065).all()
    assert table["stopped_so_far"].is_monotonic_increasing
    assert table["stopped_so_far"].iloc[-1] > 2.5 * 0.05


def test_peeking_simulation_is_deterministic_and_uses_the_floor_numbers():
    a = peeking_simulation(experiments=300, looks=4, seed=9)
    pd.testing.assert_frame_equal(a, peeking_simulation(experiments=300, looks=4, seed=9))
    counts = simulate_conversions(np.random.default_rng(9), 300, 4, 500, 0.1)
    final = counts.sum(axis=1)
    p = two_proportion_test(final[:, 0], 2000, final[:, 1], 2000).p_value
    assert a["significant_at_this_look"].iloc[-1] == pytest.approx(np.mean(p < 0.05))
