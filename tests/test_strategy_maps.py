"""Module 2 logic: assumption maps and impact maps."""

import matplotlib.pyplot as plt
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.strategy_maps import (
    AssumptionList,
    ImpactMapDraft,
    cards_table,
    experiment_cards_for,
    link_backlog,
    parse_assumptions,
    parse_impact_map,
    plot_assumption_map,
    plot_tree,
    risk_cutoff,
    riskiest_assumptions,
)


def test_assumptions_riskiest_and_cards():
    table = parse_assumptions(AssumptionList().lines)
    top = riskiest_assumptions(table, 2)
    assert top["risk"].tolist() == [20, 16]
    cards = experiment_cards_for(top)
    from pspo_lab.analysis.cards import ExperimentCard

    assert all(ExperimentCard.model_validate(card) for card in cards)
    ax = plot_assumption_map(table)
    assert len(ax.collections) == len(table)
    plt.close("all")


def _map_points(ax):
    """(label, highlighted, x, y) of each numbered point on an assumption map."""
    from matplotlib.colors import to_hex

    labels = [t for t in ax.texts if t.get_text().isdigit()]
    points = []
    for dots, label in zip(ax.collections, labels, strict=True):
        x, y = dots.get_offsets()[0]
        points.append((int(label.get_text()), to_hex(dots.get_facecolor()[0]) == "#b5651d",
                       x, y))
    return points


def test_table_and_map_number_assumptions_by_their_form_line():
    table = parse_assumptions(AssumptionList().lines)
    assert table.index.tolist() == [1, 2, 3, 4, 5, 6]
    top = riskiest_assumptions(table, 2)
    assert top.index.tolist() == [4, 6]
    ax = plot_assumption_map(table)
    points = _map_points(ax)
    assert [p[0] for p in points] == [1, 2, 3, 4, 5, 6]
    assert {p[0] for p in points if p[1]} == set(top.index)
    legend = " ".join(t.get_text() for t in ax.texts)
    assert "4. The farm co-operative" in legend and "6. Customers will choose" in legend
    plt.close("all")


def test_map_highlights_every_assumption_at_the_cutoff_risk_and_shades_the_same_cells():
    table = parse_assumptions(["Tie one | 4 | 2", "Top | 5 | 1", "Tie two | 4 | 2",
                               "Also 16 | 4 | 2", "Low | 3 | 1", "Safe | 5 | 5"])
    assert riskiest_assumptions(table, 2).index.tolist() == [2, 1]
    assert risk_cutoff(table, 2) == 16
    ax = plot_assumption_map(table, highlight=2)
    points = _map_points(ax)
    assert {p[0] for p in points if p[1]} == {1, 2, 3, 4}
    assert "risk 16 or more" in ax.get_title()
    shaded = [(b.get_x(), b.get_x() + b.get_width(), b.get_y(), b.get_y() + b.get_height())
              for b in ax.patches]
    for number, highlighted, x, y in points:
        inside = any(x0 <= x <= x1 and y0 <= y <= y1 for x0, x1, y0, y1 in shaded)
        assert inside == highlighted, number
    plt.close("all")
    with pytest.raises(ParameterError, match="n=0"):
        risk_cutoff(table, 0)
    assert risk_cutoff(table, 99) == table["risk"].min()


def test_cards_table_shows_full_text_without_changing_pandas_options():
    import pandas as pd

    long = "Households in small towns will order boxes every week " * 3
    cards = experiment_cards_for(parse_assumptions([f"{long.strip()} | 5 | 1"]))
    width = pd.get_option("display.max_colwidth")
    html = cards_table(cards).to_html()
    assert cards[0]["hypothesis"] in html and cards[0]["action"] in html
    assert "white-space: normal" in html
    assert pd.get_option("display.max_colwidth") == width


@pytest.mark.parametrize("line, message", [
    ("Only a statement", "does not have three parts"),
    ("Users want it | 7 | 1", "importance '7' is not a whole number"),
    ("Users want it | 3 | none", "evidence 'none'"),
])
def test_bad_assumption_lines(line, message):
    with pytest.raises(DataError, match=f"assumption line 2: .*{message}"):
        parse_assumptions(["Fine | 1 | 1", line])


def test_impact_map_links_backlog_and_renders():
    draft = ImpactMapDraft()
    impacts = parse_impact_map(draft.goal, draft.lines)
    assert impacts["actor"].nunique() == 3
    backlog = load_dataset("backlog")
    linked = link_backlog(impacts, backlog)
    expected = backlog["title"].str.lower().str.contains("pause subscription").sum()
    assert linked.loc[linked["deliverable"] == "pause subscription", "items"].item() == expected
    for row in linked.itertuples():
        shown = row.item_ids.split(" (+")[0].split(", ") if row.items else []
        assert len(shown) == min(row.items, 3)
        assert row.item_ids.endswith(f"(+{row.items - 3} more)") == (row.items > 3)
    assert (linked["items"] > 3).any()
    ax = plot_tree(linked)
    assert "backlog items" in " ".join(t.get_text() for t in ax.texts)
    plt.close("all")


def test_bad_impact_map_line():
    with pytest.raises(DataError, match="impact map line 1"):
        parse_impact_map("Goal", ["actor | | thing"])
    with pytest.raises(DataError, match="a goal and at least one line"):
        parse_impact_map(" ", ["a | b | c"])
