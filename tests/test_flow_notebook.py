"""Notebook 07 on a learner's throughput-counts file: consistent figures, no NaN, no errors."""

import json
import math
import re

import pytest
import scrapbook
from repo_paths import REPO_ROOT

from pspo_lab.analysis.importers import load_flow_data
from pspo_lab.trainer.kernels import execute_notebook

NOTEBOOK = REPO_ROOT / "notebooks" / "07_releases_and_forecasting.ipynb"
COUNTS = REPO_ROOT / "datasets" / "imports" / "throughput.csv"
ITEM_LEVEL = ("cycle_time_p85", "items_in_progress", "littles_law_cycle_time")


def run(tmp_path, **parameters):
    output = tmp_path / "07-counts.ipynb"
    notebook = execute_notebook(NOTEBOOK, output, parameters={
        "throughput_csv": str(COUNTS), "workspace": str(tmp_path / "ws"), **parameters},
        cwd=str(NOTEBOOK.parent), request_save_on_cell_execute=False, execution_timeout=180)
    scraps = {name: s.data for name, s in scrapbook.read_notebook(str(output)).scraps.items()}
    outputs = [o for cell in notebook.cells if cell.cell_type == "code"
               for o in cell.get("outputs", [])]
    text = "\n".join(o.get("text", "") if o["output_type"] == "stream"
                     else str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    return scraps, outputs, text


def has_nan(value):
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, dict):
        return any(has_nan(v) for v in value.values())
    if isinstance(value, list):
        return any(has_nan(v) for v in value)
    return False


@pytest.mark.slow
def test_counts_file_gives_consistent_output_without_nan(tmp_path):
    scraps, outputs, text = run(tmp_path, as_of="2025-11-21")
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not any(has_nan(v) for v in scraps.values()), scraps
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), "no NaN printed"
    assert "0.0 items/day" not in text
    counted = int(load_flow_data(throughput_csv=COUNTS).throughput.sum())
    assert f"throughput.csv: {counted} finished items counted" in text
    assert "today is Fri 21 Nov 2025 (as_of)" in text
    assert "Sampling 90 days ending 21 Nov 2025" in text
    for section in ("Little's Law needs item-level data", "Aging work in progress needs",
                    "Scope growth needs", "the WIP chart needs item-level data"):
        assert section in text, section
    assert scraps["data_source"] == "throughput.csv" and scraps["forecast_from"] == "2025-11-21"
    assert not set(ITEM_LEVEL) & set(scraps), "item-level results are not recorded from counts"
    assert scraps["when_p85_days"] > 0 and scraps["how_many_p85"] > 0
    json.dumps(scraps, allow_nan=False)


@pytest.mark.slow
def test_bad_as_of_stops_with_one_clear_line(tmp_path):
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError):
        run(tmp_path, as_of="21/11/2025")
    executed = nbformat.read(tmp_path / "07-counts.ipynb", as_version=4)
    # setup() shows a pspo-lab error as one output: HTML for JupyterLab, text for the rest
    shown = [o["data"]["text/plain"] for cell in executed.cells for o in cell.get("outputs", [])
             if o.get("output_type") == "display_data" and "pspo-lab-error" in
             o["data"].get("text/html", "")]
    assert shown == ["ParameterError: as_of parameter: '21/11/2025' is not a date (expected "
                     'YYYY-MM-DD, e.g. as_of = "2025-11-21", or None)']
    assert not [o for cell in executed.cells for o in cell.get("outputs", [])
                if o.get("output_type") == "stream" and "Traceback" in o.get("text", "")]


@pytest.mark.slow
def test_export_parameters_reach_the_importer_and_notes_are_shown(tmp_path):
    jira = REPO_ROOT / "datasets" / "imports" / "jira_export.csv"
    scraps, outputs, text = run(tmp_path, throughput_csv=None, items_csv=str(jira),
                                start_column="Start date", done_statuses=["Done"],
                                date_order="day-first", as_of="2025-11-21")
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert ("Note: jira_export.csv: 1 item has a Resolved date but a status that is not done "
            "('Reopened' 1): counted as not finished") in text
    data = load_flow_data(jira, start_column="Start date", done_statuses=["Done"],
                          as_of="2025-11-21")
    assert scraps["work_items"] == len(data.items) == 90


@pytest.mark.slow
def test_misspelt_timezone_stops_with_one_line_suggesting_names(tmp_path):
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError):
        run(tmp_path, timezone="Europe/Berln")
    executed = nbformat.read(tmp_path / "07-counts.ipynb", as_version=4)
    shown = [o.get("text") or o.get("data", {}).get("text/plain", "")
             for cell in executed.cells for o in cell.get("outputs", [])]
    errors = [line for line in shown if "Error" in line]
    assert errors == ["ParameterError: timezone parameter: 'Europe/Berln' is not a known "
                      "timezone (did you mean 'Europe/Berlin' or 'Europe/Dublin' or "
                      "'Europe/Belfast'?)"]
