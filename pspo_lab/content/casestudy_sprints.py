"""FreshCrate's Sprints: the Sprint calendar, the Product Goal and the last Sprint Goals.

FreshCrate's Scrum Team works in two-week Sprints that start on a Monday; Sprint 1 began on
:data:`FIRST_SPRINT_START`, the Monday of the week the work-item history starts. Its Product
Goal has one measure: the median minutes a household needs to plan a week of dinners in the
app, measured in the days before each Sprint Review. :func:`sprint_goals` makes the table of
the last twelve Sprint Goals with that measure before and after each Sprint's Increment.

>>> int(sprint_number(pd.Series(pd.to_datetime(["2024-04-29", "2024-05-13"]))).iloc[1])
2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pspo_lab.core.tables import Column, Schema

PRODUCT_GOAL = "Busy families plan a week of dinners in under five minutes"
"""FreshCrate's Product Goal (the example of module 1's product definition)."""

PLAN_MINUTES_TARGET = 5.0
"""The Product Goal's target: minutes a household needs to plan its week."""

FIRST_SPRINT_START = pd.Timestamp("2024-04-29")
"""First day of Sprint 1 (a Monday)."""

SPRINT_DAYS = 14
"""Length of FreshCrate's Sprints in days."""

YES_NO = ("yes", "no")

SCHEMA = Schema(
    name="sprint_goals",
    description="One row per Sprint of the last twelve: its Sprint Goal, whether it serves the "
                "Product Goal, and the Product Goal's measure before and after its Increment.",
    columns=(
        Column("sprint", "int", "Sprint number (Sprint 1 started on 2024-04-29)", minimum=1,
               unique=True),
        Column("start", "date", "First day of the Sprint"),
        Column("end", "date", "Last day of the Sprint"),
        Column("sprint_goal", "str", "The Sprint Goal the Scrum Team agreed at Sprint Planning"),
        Column("serves_product_goal", "category", "Whether the Sprint Goal is a step toward the "
               "Product Goal", choices=YES_NO),
        Column("why", "str", "Why it does or does not serve the Product Goal"),
        Column("minutes_before", "float", "Median minutes a household needed to plan its week "
               "before the Sprint's Increment", "minutes", minimum=0, maximum=120),
        Column("minutes_after", "float", "The same, measured in the days before the Sprint "
               "Review", "minutes", minimum=0, maximum=120),
    ),
    date_order=("start", "end"),
)

_GOALS: tuple[tuple[str, str, str, float], ...] = (
    ("Households can start the week's plan from one of their last three menus", "yes",
     "Reusing a menu that worked removes most of the choosing.", -1.4),
    ("Pass the food safety authority's audit of the new allergen labels", "no",
     "Needed to keep selling, but planning is not faster: a constraint, not a step.", 0.2),
    ("Families see five dinners suggested for their week when they open the app", "yes",
     "A ready suggestion turns planning into checking.", -1.8),
    ("Customer care can refund a damaged box in one step", "no",
     "Helps customers with a problem and the care team, not planning.", 0.2),
    ("Allergy filters keep unsuitable recipes out of the suggested week", "yes",
     "Families with allergies no longer check every recipe by hand.", -0.9),
    ("Card payments move to the new provider before the old contract ends", "no",
     "A business necessity with a deadline; it does not touch planning.", 0.3),
    ("The week's plan can be made on the phone without a connection", "yes",
     "Aimed at planning on the go; whether it shortens planning is a hypothesis.", 0.0),
    ("Landing pages for the autumn campaign are live", "no",
     "Brings new visitors; nothing changes for a family planning its week.", 0.2),
    ("Any dinner in the week's plan can be swapped with one tap", "yes",
     "Changing one dinner no longer means starting the plan again.", -1.1),
    ("Learn whether a Sunday reminder brings families back to plan their week", "yes",
     "An experiment on the Product Goal: what is learned counts even if it fails.", -0.4),
    ("Checkout defects reported after the payment move are fixed", "no",
     "Repairs ordering, a later step than planning.", 0.1),
    ("The weekly menu opens in under two seconds", "yes",
     "Waiting is part of the minutes families spend planning.", -0.6),
)


def sprint_number(dates: pd.Series, first_start: pd.Timestamp = FIRST_SPRINT_START,
                  sprint_days: int = SPRINT_DAYS) -> pd.Series:
    """The number of the Sprint each date falls in (Sprint 1 starts on ``first_start``).

    Examples
    --------
    >>> days = pd.Series(pd.to_datetime(["2024-04-29", "2024-05-12", "2024-05-13"]))
    >>> sprint_number(days).tolist()
    [1, 1, 2]
    """
    return ((dates - first_start).dt.days // sprint_days + 1).astype("Int64")


def sprint_goals(seed: int, today: pd.Timestamp) -> pd.DataFrame:
    """Generate the last twelve finished Sprints with their Sprint Goals and the measure.

    The Sprint Goals are fixed (one per entry of ``_GOALS``); the minutes move
    by each goal's expected effect plus noise drawn from ``seed``, so each cohort inspects
    other numbers with the same story: most goals that serve the Product Goal shorten
    planning, one does not, and the others let it drift.

    Parameters
    ----------
    seed
        Seed of the noise (a stream of its own, so the other case-study tables do not change).
    today
        The export date: the last Sprint in the table ended before it.

    Examples
    --------
    >>> goals = sprint_goals(42, pd.Timestamp("2025-10-31"))
    >>> int(goals["sprint"].iloc[-1]), goals["serves_product_goal"].iloc[-1]
    (39, 'yes')
    >>> bool((goals["minutes_before"].iloc[1:].to_numpy()
    ...       == goals["minutes_after"].iloc[:-1].to_numpy()).all())
    True
    """
    rng = np.random.default_rng([seed, 5])
    last = int(sprint_number(pd.Series([today])).iloc[0]) - 1  # the Sprint running is not over
    numbers = np.arange(last - len(_GOALS) + 1, last + 1)
    before = [round(float(rng.uniform(12.5, 14.5)), 1)]
    for *_, effect in _GOALS:
        after = max(before[-1] + effect + rng.normal(0, 0.3), PLAN_MINUTES_TARGET - 1)
        before.append(round(float(after), 1))
    start = FIRST_SPRINT_START + pd.to_timedelta((numbers - 1) * SPRINT_DAYS, unit="D")
    return pd.DataFrame({
        "sprint": numbers,
        "start": start,
        "end": start + pd.Timedelta(days=SPRINT_DAYS - 1),
        "sprint_goal": [g[0] for g in _GOALS],
        "serves_product_goal": [g[1] for g in _GOALS],
        "why": [g[2] for g in _GOALS],
        "minutes_before": before[:-1],
        "minutes_after": before[1:],
    })
