"""WIP limits of module 7: the simulated team, its calibration and its charts."""

import numpy as np
import pytest
from repo_paths import REPO_ROOT

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.importers import load_flow_data
from pspo_lab.analysis.wip_limits import (
    plot_wip_experiment,
    simulate_wip_limit,
    wip_limit_table,
    wip_model,
)


def test_raising_wip_lengthens_cycle_time_but_not_throughput():
    efforts = np.array([1.0, 2.0, 3.0, 5.0, 8.0])
    table = wip_limit_table(efforts, [1, 3, 6, 12], capacity=1.0, switch_cost=0.0)
    assert table["cycle_time"].is_monotonic_increasing
    assert table["throughput"].max() - table["throughput"].min() < 0.1
    assert table["cycle_time"].iloc[-1] == pytest.approx(table["littles_law"].iloc[-1],
                                                         rel=0.2)
    with pytest.raises(ParameterError):
        simulate_wip_limit(efforts, 0, capacity=1.0)


def test_counts_only_data_explains_instead_of_simulating_wip():
    data = load_flow_data(throughput_csv=REPO_ROOT / "datasets/imports/throughput.csv")
    with pytest.raises(DataError, match="needs items with start and finish dates"):
        wip_model(data.items, data.throughput, data.today)
    ax = plot_wip_experiment(data.items, data.throughput, data.today, 4)
    assert "throughput file has only counts" in ax.texts[0].get_text()
