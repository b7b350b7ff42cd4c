"""Empathy maps and the Elements of Value pyramid over notes from customer research.

* :func:`empathy_map`: what one customer group says, thinks, does and feels, side by side;
* :func:`value_pyramid`: how many notes point to each level of value, and which elements;
* :func:`plot_value_pyramid`: the levels drawn as a pyramid, base (functional) at the bottom.

>>> from pspo_lab import load_dataset
>>> value_pyramid(load_dataset("customer_voices"))["notes"].tolist()
[11, 5, 3, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pspo_lab.content.casestudy_voices import EMPATHY_QUADRANTS, VALUE_LEVELS
from pspo_lab.core.errors import DataError
from pspo_lab.core.tables import require_columns

LEVEL_MEANINGS = {
    "functional": "a practical job done: time, money, effort or risk saved",
    "emotional": "how using it feels: less worry, a treat, some fun",
    "life changing": "who people become: motivation, belonging, growth",
    "social impact": "a contribution to something larger than oneself",
}
"""Each level of the pyramid in a few words (the course's own wording)."""


def empathy_map(voices: pd.DataFrame, stakeholder: str | None = None) -> pd.DataFrame:
    """The notes of one customer group as an empathy map: one column per quadrant.

    Parameters
    ----------
    voices
        The ``customer_voices`` table.
    stakeholder
        The customer group's id (e.g. ``"S01"``); ``None`` maps every note.

    Returns
    -------
    pandas.DataFrame
        Columns Says, Thinks, Does, Feels; row *n* holds the *n*-th note of each quadrant
        (empty text where a quadrant has fewer notes). Pains (values the customer misses)
        end with "(pain)".

    Raises
    ------
    DataError
        If the group has no notes.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> board = empathy_map(load_dataset("customer_voices"), "S02")
    >>> board.columns.tolist()
    ['Says', 'Thinks', 'Does', 'Feels']
    >>> board.loc[0, "Does"]
    'Cancelled after a box arrived without one of its ingredients. (pain)'
    """
    require_columns(voices, ("stakeholder", "note", "empathy", "pain"), "customer_voices")
    notes = voices if stakeholder is None else voices[voices["stakeholder"] == stakeholder]
    if notes.empty:
        raise DataError(f"customer_voices table: no notes for stakeholder {stakeholder!r} "
                        f"(expected one of {', '.join(sorted(voices['stakeholder'].unique()))})")
    text = notes["note"] + np.where(notes["pain"] == "yes", " (pain)", "")
    columns = {quadrant.capitalize(): text[notes["empathy"] == quadrant].tolist()
               for quadrant in EMPATHY_QUADRANTS}
    rows = max(len(v) for v in columns.values())
    return pd.DataFrame({k: v + [""] * (rows - len(v)) for k, v in columns.items()})


def value_pyramid(voices: pd.DataFrame) -> pd.DataFrame:
    """Per level of the pyramid, base first: notes, pains and the elements they point to.

    Returns
    -------
    pandas.DataFrame
        Indexed by level: ``notes``, ``pains`` (notes about a value the customer misses),
        ``elements`` (the elements named, most frequent first) and ``meaning``.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> value_pyramid(load_dataset("customer_voices")).loc["social impact", "elements"]
    'self-transcendence'
    """
    require_columns(voices, ("element", "level", "pain"), "customer_voices")
    rows = []
    for level in VALUE_LEVELS:
        notes = voices[voices["level"] == level]
        counts = notes["element"].value_counts()
        rows.append({"level": level, "notes": len(notes),
                     "pains": int((notes["pain"] == "yes").sum()),
                     "elements": ", ".join(counts.index), "meaning": LEVEL_MEANINGS[level]})
    return pd.DataFrame(rows).set_index("level")


def plot_value_pyramid(pyramid: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The levels as centred bars, base at the bottom, each as wide as its notes.

    Pains are drawn hatched inside each bar. The figure's text alternative says which
    level holds most notes and how many levels the notes reach.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_value_pyramid(value_pyramid(load_dataset("customer_voices")))
    >>> ax.figure.get_label()[:43]
    'Pyramid of 20 customer notes: most of them,'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    y = np.arange(len(pyramid))
    notes = pyramid["notes"].to_numpy(dtype=float)
    pains = pyramid["pains"].to_numpy(dtype=float)
    ax.barh(y, notes, left=-notes / 2, color="#9bb7d4", label="notes about value delivered")
    ax.barh(y, pains, left=-notes / 2, color="white", edgecolor="#c0392b", hatch="//",
            linewidth=np.where(pains > 0, 1.0, 0.0), label="notes about value missed (pains)")
    for row, (level, count) in enumerate(pyramid["notes"].items()):
        ax.text(notes.max() / 2 + 0.3, row, f"{level}: {count}", va="center", fontsize=9)
    ax.set_yticks([])
    ax.set_xticks([])
    ax.set_xlim(-notes.max() / 2 - 0.5, notes.max() / 2 + 4.5)
    ax.spines[:].set_visible(False)
    ax.set_title("What FreshCrate's customers value: the Elements of Value pyramid")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    top = pyramid["notes"].idxmax()
    reached = int((pyramid["notes"] > 0).sum())
    ax.figure.set_label(f"Pyramid of {int(notes.sum())} customer notes: most of them, "
                        f"{int(pyramid['notes'].max())}, point to {top} value, and the notes "
                        f"reach {reached} of the 4 levels.")
    return ax
