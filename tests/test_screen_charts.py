"""Charts as learners see them (issue 13, part 4): ticks, labels and empty states."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def drawn_tick_labels(ax, axis: str) -> list[str]:
    ax.figure.canvas.draw()
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
    values = ax.get_xticks() if axis == "x" else ax.get_yticks()
    return [t.get_text() for t, v in zip(ticks, values, strict=True) if low <= v <= high]


def test_one_attempt_has_whole_number_attempt_ticks():
    from pspo_lab.analysis.progress import plot_progress

    ax = plot_progress(pd.DataFrame({"mode": ["exam"], "score": [0.6]}))
    labels = drawn_tick_labels(ax, "x")
    assert labels == ["1"], labels


def test_card_counts_are_whole_numbers():
    from pspo_lab.analysis.catchup import plot_card_status

    ax = plot_card_status(pd.DataFrame({"status": ["done"]}))
    labels = drawn_tick_labels(ax, "y")
    assert labels and all("." not in label for label in labels), labels


def test_no_saved_cards_says_so_instead_of_an_empty_chart():
    from pspo_lab.analysis.catchup import plot_card_status

    ax = plot_card_status(pd.DataFrame({"status": []}))
    assert [t.get_text() for t in ax.texts][0].startswith("Nothing saved yet")
    assert not ax.axison and not ax.patches


def test_step_change_chart_shows_no_scientific_offset():
    from pspo_lab import load_dataset
    from pspo_lab.analysis.ebm import plot_value_step, value_step

    ebm = load_dataset("ebm")
    subscribers = ebm[ebm["measure"] == "active_subscribers"].set_index("month")["value"]
    ax = plot_value_step(subscribers, value_step(subscribers))
    ax.figure.canvas.draw()
    assert ax.yaxis.get_offset_text().get_text() == ""
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("e+" in text for text in legend), legend
    assert all("e+" not in label for label in drawn_tick_labels(ax, "y"))


def test_cycle_time_scatter_dates_do_not_overlap():
    from pspo_lab import load_dataset
    from pspo_lab.analysis.flow import prepare_items
    from pspo_lab.analysis.flow_charts import plot_cycle_time_scatter

    fig, (left, _) = plt.subplots(1, 2, figsize=(13, 4))  # as notebook 07 draws it
    ax = plot_cycle_time_scatter(prepare_items(load_dataset("work_items")), ax=left)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert len(boxes) >= 3
    overlaps = [(a, b) for a, b in zip(boxes, boxes[1:], strict=False) if a.x1 > b.x0]
    assert not overlaps, [t.get_text() for t in ax.get_xticklabels()]


def test_burn_up_table_at_full_scope_growth_says_the_scope_is_not_reached():
    import numpy as np

    from pspo_lab.analysis.forecast import burn_up, finish_table

    _, finish = burn_up(
        np.array([1, 0, 1, 0, 1, 1, 1, 0]),
        2,
        10,
        "2025-10-31",
        30,
        arrivals=np.array([2, 2, 2]),
        growth_share=1.0,
        trials=50,
    )
    table = finish_table(finish, 30)
    assert table["scope reached by"].eq("not reached within 30 days").all()
    assert not table.isna().any().any()
    assert "NaN" not in table.to_html()


def test_stacey_labels_are_whole_and_inside_the_figure():
    from pspo_lab.analysis import empiricism as emp

    factors = emp.factor_table(emp.ComplexityFactors().factors)
    ax = emp.plot_stacey(factors)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    figure_box = fig.bbox
    texts = [t for t in ax.texts if t.get_text() not in emp.ZONES]
    assert [" ".join(t.get_text().split()) for t in texts] == factors["factor"].tolist()
    for text in texts:
        box = text.get_window_extent(renderer)
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1, text.get_text()
        assert figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1, text.get_text()


def test_setup_uses_a_colour_blind_safe_palette():
    from matplotlib import style

    from pspo_lab.widgets.notebook import setup

    with plt.rc_context():
        setup()
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours == style.library["tableau-colorblind10"]["axes.prop_cycle"].by_key()["color"]


def test_every_chart_is_shown_with_a_text_alternative():
    from IPython.core.interactiveshell import InteractiveShell

    from pspo_lab.analysis import empiricism as emp
    from pspo_lab.widgets.notebook import setup

    shell = InteractiveShell.instance()
    with plt.rc_context():
        setup()
    ax = emp.plot_stacey(emp.factor_table(emp.ComplexityFactors().factors))
    data, _ = shell.display_formatter.format(ax.figure)
    assert data["text/html"].startswith('<img src="data:image/png;base64,')
    assert (
        'alt="Chart: How complex is your situation?, requirements: from agreed (1) to '
        'disputed (5) against technology: from certain (1) to never done (5)."' in data["text/html"]
    )


def test_course_map_legend_covers_no_bar_and_titles_are_whole():
    from pspo_lab.content.syllabus import course_map, plot_course_map

    ax = plot_course_map()
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not legend.overlaps(ax.get_window_extent(renderer)), "legend outside the bars"
    assert fig.bbox.contains(legend.x0, legend.y0) and fig.bbox.contains(legend.x1, legend.y1)
    titles = course_map()["title"].tolist()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [label.split(". ", 1)[1] for label in labels] == titles
    for tick in ax.get_yticklabels():
        box = tick.get_window_extent(renderer)
        assert box.x0 >= fig.bbox.x0, f"cut at the left: {tick.get_text()}"


def test_lean_canvas_headings_stay_inside_their_boxes():
    from pspo_lab.analysis.canvas import LeanCanvas, plot_canvas

    ax = plot_canvas(LeanCanvas())
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    headings = [t for t in ax.texts if t.get_fontweight() == "bold"]
    assert len(headings) == len(ax.patches)
    for heading, box in zip(headings, ax.patches, strict=True):
        right = box.get_window_extent(renderer).x1
        assert heading.get_window_extent(renderer).x1 <= right, heading.get_text()
