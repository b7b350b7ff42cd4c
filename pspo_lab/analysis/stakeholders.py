"""Module 2, who to work with: the stakeholder map and personas drawn from it.

The case study's ``stakeholders.csv`` rates every stakeholder's **interest** in FreshCrate and
**influence** over it from 1 to 5. The interest/influence grid (often credited to Aubrey
Mendelow) sorts them into four quadrants, each with a way of working with them.
The people who use or buy the product (the ``customer`` and ``user`` groups) are the
starting points for personas: short portraits of a kind of user, checked against evidence.

>>> from pspo_lab import load_dataset
>>> grid = stakeholder_grid(load_dataset("stakeholders"))
>>> grid.loc["S03", "quadrant"]
'manage closely'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.core.errors import ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

QUADRANTS: dict[str, str] = {
    "manage closely": "Involve them in decisions: Sprint Reviews, goal setting, trade-offs.",
    "keep satisfied": "Meet their needs and check in before decisions that touch them; do "
                      "not flood them with detail.",
    "keep informed": "Show them progress and listen: they often know the product best.",
    "monitor": "Watch for changes in their interest or influence; a short update is enough.",
}
"""The four quadrants of the grid and how to work with the stakeholders in each."""


def stakeholder_grid(stakeholders: pd.DataFrame, high: int = 4) -> pd.DataFrame:
    """Place every stakeholder in a quadrant of the interest/influence grid.

    Parameters
    ----------
    stakeholders
        The ``stakeholders`` table (``id``, ``name``, ``role``, ``group``, ``interest``,
        ``influence``, both 1-5).
    high
        The rating from which interest or influence counts as high (2 to 5).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``: ``name``, ``group``, ``interest``, ``influence``, ``quadrant`` and
        ``strategy`` (how to work with them), the most influential and interested first.

    Raises
    ------
    ParameterError
        If ``high`` is not between 2 and 5.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["A", "B"], "name": ["CFO", "Packers"], "role": ["", ""],
    ...     "group": ["internal", "user"], "interest": [2, 5], "influence": [5, 1]})
    >>> stakeholder_grid(table)["quadrant"].to_dict()
    {'A': 'keep satisfied', 'B': 'keep informed'}
    """
    if not 2 <= high <= 5:
        problem = ("would count every rating as high" if high == 1
                   else "is outside the 1-5 ratings")
        raise ParameterError(f"high: {high!r} {problem} (expected 2 to 5)")
    grid = stakeholders.set_index("id")[["name", "group", "interest", "influence"]].copy()
    strong = grid["influence"] >= high
    keen = grid["interest"] >= high
    grid["quadrant"] = "monitor"
    grid.loc[keen & ~strong, "quadrant"] = "keep informed"
    grid.loc[strong & ~keen, "quadrant"] = "keep satisfied"
    grid.loc[strong & keen, "quadrant"] = "manage closely"
    grid["strategy"] = grid["quadrant"].map(QUADRANTS)
    return grid.sort_values(["influence", "interest"], ascending=False, kind="stable")


def quadrant_counts(grid: pd.DataFrame) -> pd.Series:
    """How many stakeholders fall in each quadrant, in the order of :data:`QUADRANTS`.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> quadrant_counts(stakeholder_grid(load_dataset("stakeholders"))).to_dict()
    {'manage closely': 2, 'keep satisfied': 2, 'keep informed': 3, 'monitor': 5}
    """
    return grid["quadrant"].value_counts().reindex(list(QUADRANTS), fill_value=0)


def plot_stakeholder_map(grid: pd.DataFrame, high: int = 4, ax: Axes | None = None) -> Axes:
    """The interest/influence grid with every stakeholder as a labelled point.

    Stakeholders with the same ratings are spread a little so that every label can be read.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_stakeholder_map(stakeholder_grid(load_dataset("stakeholders")))
    >>> ax.get_xlabel(), len(ax.texts)
    ('interest in the product (1-5)', 16)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7), layout="constrained")
    line = high - 0.5
    ax.axvline(line, color="#888", linewidth=0.8)
    ax.axhline(line, color="#888", linewidth=0.8)
    corners = {"manage closely": (6.0, 5.55, "right"), "keep satisfied": (0.6, 5.55, "left"),
               "keep informed": (6.0, 0.45, "right"), "monitor": (0.6, 0.45, "left")}
    for name, (x, y, align) in corners.items():
        ax.text(x, y, name.upper(), ha=align, va="center", fontsize=9, color="#555",
                fontweight="bold")
    seen: dict[tuple[int, int], int] = {}
    for sid, row in grid.iterrows():
        spot = (int(row["interest"]), int(row["influence"]))
        nth = seen.get(spot, 0)
        seen[spot] = nth + 1
        y = spot[1] - 0.3 * nth
        ax.scatter(spot[0], y, s=40, color="#749335", zorder=3)
        # wrapped, so that a long name stops before the next column of points
        ax.annotate(textwrap.fill(f"{sid} {row['name']}", 18), (spot[0], y), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set(xlim=(0.5, 6.1), ylim=(0.3, 5.7), xlabel="interest in the product (1-5)",
           ylabel="influence over the product (1-5)", title="FreshCrate's stakeholder map",
           xticks=range(1, 6), yticks=range(1, 6))
    counts = quadrant_counts(grid)
    ax.figure.set_label(
        "Stakeholder map: " + ", ".join(f"{n} {q}" for q, n in counts.items()) + ".")
    return ax


def persona_candidates(grid: pd.DataFrame, stakeholders: pd.DataFrame) -> pd.DataFrame:
    """The stakeholders a persona can start from: those who use or buy the product.

    Parameters
    ----------
    grid
        The result of :func:`stakeholder_grid`.
    stakeholders
        The ``stakeholders`` table, for the ``role`` of each one.

    Returns
    -------
    pandas.DataFrame
        One row per ``customer`` or ``user`` stakeholder, most interested first: ``name``,
        ``what they do``, ``group``, ``interest``, ``influence``, ``quadrant`` and
        ``ask them`` (a first interview question for the persona).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> people = load_dataset("stakeholders")
    >>> persona_candidates(stakeholder_grid(people), people).index.tolist()
    ['S01', 'S10', 'S02', 'S11']
    """
    roles = stakeholders.set_index("id")["role"]
    people = grid[grid["group"].isin(["customer", "user"])].copy()
    people.insert(1, "what they do", roles.reindex(people.index))
    people["ask them"] = [f"Walk me through the last time you {_activity(g)}."
                          for g in people["group"]]
    people = people.sort_values(["interest", "influence"], ascending=False, kind="stable")
    return people.drop(columns="strategy")


def _activity(group: str) -> str:
    return "decided what to cook" if group == "customer" else "worked with FreshCrate's tools"


class Persona(BaseModel):
    """A persona: a short portrait of one kind of user, and the evidence behind it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("Sam, weekly subscriber", min_length=1, max_length=60,
                      title="Name and kind of user")
    based_on: str = Field("S01 Weekly subscribers", min_length=1, max_length=80,
                          title="Stakeholder group it stands for")
    context: str = Field("Works full time, two children; cooks four evenings a week, plans "
                         "on the phone on the train", min_length=1, max_length=200,
                         title="Life and context")
    goal: str = Field("A healthy dinner on the table by 7 without thinking about it at 5",
                      min_length=1, max_length=200, title="What they try to get done")
    frustration: str = Field("Choosing recipes takes longer than cooking them; food goes "
                             "off in the fridge", min_length=1, max_length=200,
                             title="What gets in the way")
    evidence: str = Field("", max_length=200,
                          title="Evidence (interviews, analytics, support data)")


def persona_gaps(persona: Persona) -> list[str]:
    """What a persona still lacks before the team should trust it.

    Examples
    --------
    >>> persona_gaps(Persona())
    ['No evidence yet: this persona is an assumption to check in interviews or data.']
    >>> persona_gaps(Persona(evidence="12 interviews in May"))
    []
    """
    gaps = []
    if not persona.evidence.strip():
        gaps.append("No evidence yet: this persona is an assumption to check in interviews "
                    "or data.")
    if persona.goal.strip().lower() == persona.frustration.strip().lower():
        gaps.append("The goal and the frustration say the same; a persona needs both.")
    return gaps
