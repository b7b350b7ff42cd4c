"""The learner's progress on the practice assessment: charts and one-line summaries.

The charts draw on a Matplotlib ``Axes`` (a new figure when none is given); the sentences
say what a table of :mod:`pspo_lab.analysis.attempts` shows, or why it is still empty.

>>> from pspo_lab.analysis.attempts import topic_table
>>> weakest_topics_sentence(topic_table({"events": (9, 10), "artifacts": (2, 5)}), 1)
'Your weakest topic: Artifacts and commitments'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.attempts import weakest_topics
from pspo_lab.analysis.exam import Result

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def weakest_topics_sentence(history: pd.DataFrame, n: int = 2) -> str:
    """One line naming the ``n`` weakest topics of a
    :func:`~pspo_lab.analysis.attempts.topic_history` table, or saying that there is no
    history yet (then no topic is weaker than another).

    Examples
    --------
    >>> from pspo_lab.analysis.attempts import topic_table
    >>> weakest_topics_sentence(topic_table({"events": (9, 10), "artifacts": (2, 5)}), 1)
    'Your weakest topic: Artifacts and commitments'
    >>> weakest_topics_sentence(topic_table({"events": (0, 0), "artifacts": (0, 0)}))
    'No practice history yet: answer some questions first.'
    """
    if not history["questions"].sum():
        return "No practice history yet: answer some questions first."
    titles = [str(history.loc[t, "title"]) for t in weakest_topics(history, n)]
    return f"Your weakest topic{'s' if len(titles) > 1 else ''}: " + ", ".join(titles)


def attempts_sentence(history: pd.DataFrame) -> str:
    """Empty string when an :func:`~pspo_lab.analysis.attempts.attempt_history` table has
    rows, else one line saying why not.

    Examples
    --------
    >>> attempts_sentence(pd.DataFrame({"mode": ["exam"], "score": [0.9]}))
    ''
    >>> attempts_sentence(pd.DataFrame(columns=["mode", "score"]))
    'No finished attempts yet: finish a learn session or a practice exam first.'
    """
    if len(history):
        return ""
    return "No finished attempts yet: finish a learn session or a practice exam first."


def plot_progress(history: pd.DataFrame, pass_mark: float = 0.85, ax: Axes | None = None
                  ) -> Axes:
    """Score of each finished attempt in order, one marker per mode, with the pass mark.

    Examples
    --------
    >>> table = pd.DataFrame({"mode": ["exam", "learn"], "score": [0.6, 0.9]})
    >>> len(plot_progress(table).lines)
    3
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    numbers = np.arange(1, len(history) + 1)
    markers = {"exam": "o", "learn": "s", "practice": "^", "check": "D"}
    for mode, marker in markers.items():
        mask = (history["mode"] == mode).to_numpy()
        if mask.any():
            ax.plot(numbers[mask], 100 * history["score"].to_numpy()[mask], marker=marker,
                    linestyle="-" if mode == "exam" else "none", label=mode)
    ax.axhline(100 * pass_mark, color="#a00", linestyle="--", linewidth=1,
               label=f"pass mark {pass_mark:.0%}")
    ax.set_ylim(0, 105)
    # attempts are counted: whole-number ticks only (never 0.96 ... 1.04 for one attempt)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_xlim(0.5, max(len(history), 1) + 0.5)
    ax.set_xlabel("attempt")
    ax.set_ylabel("score (%)")
    ax.set_title("Your progress across attempts")
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_topic_scores(result: Result, ax: Axes | None = None) -> Axes:
    """Horizontal bars of the per-topic percentages of one result, with the pass mark."""
    import matplotlib.pyplot as plt

    table = result.topics
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(table) + 1))
    colours = ["#749335" if p >= 100 * result.pass_mark else "#c77c2e"
               for p in table["percent"]]
    ax.barh(table["title"], table["percent"], color=colours)
    ax.axvline(100 * result.pass_mark, color="#a00", linestyle="--", linewidth=1)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("correct (%)")
    ax.set_title(result.headline())
    return ax
