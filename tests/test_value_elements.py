"""Module 3: the empathy map and the Elements of Value pyramid over customer notes."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pspo_lab import DataError, load_dataset
from pspo_lab.analysis.value_elements import empathy_map, plot_value_pyramid, value_pyramid
from pspo_lab.content.casestudy_voices import VALUE_LEVELS

VOICES = load_dataset("customer_voices")


def test_the_empathy_map_holds_every_note_of_the_group_in_its_quadrant():
    board = empathy_map(VOICES, "S01")
    notes = [cell for column in board for cell in board[column] if cell]
    assert len(notes) == int((VOICES["stakeholder"] == "S01").sum())
    assert board.loc[0, "Says"].startswith('"Planning dinners for the week')
    assert "Calls customer care when no delivery slot fits the week. (pain)" in set(
        board["Does"])


def test_an_unknown_group_is_named_with_the_groups_that_exist():
    with pytest.raises(DataError, match="no notes for stakeholder 'S09' "
                                        r"\(expected one of S01, S02\)"):
        empathy_map(VOICES, "S09")


def test_the_pyramid_counts_notes_and_pains_per_level_base_first():
    pyramid = value_pyramid(VOICES)
    assert pyramid.index.tolist() == list(VALUE_LEVELS)
    assert pyramid["notes"].sum() == len(VOICES)
    assert pyramid.loc["functional", "pains"] == 5
    assert pyramid.loc["functional", "elements"].split(", ")[:3] == [
        "avoids hassles", "reduces cost", "variety"]


def test_a_level_nobody_mentions_shows_as_zero_and_the_alt_text_says_so():
    notes = VOICES[VOICES["level"] == "functional"]
    pyramid = value_pyramid(notes)
    assert pyramid["notes"].tolist() == [len(notes), 0, 0, 0]
    ax = plot_value_pyramid(pyramid)
    assert ax.figure.get_label() == (f"Pyramid of {len(notes)} customer notes: most of them, "
                                     f"{len(notes)}, point to functional value, and the notes "
                                     "reach 1 of the 4 levels.")
    plt.close(ax.figure)


def test_missing_columns_are_named():
    with pytest.raises(DataError, match=r"missing column\(s\) \['level'\]"):
        value_pyramid(pd.DataFrame({"element": [], "pain": []}))
