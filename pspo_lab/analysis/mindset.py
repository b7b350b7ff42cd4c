"""Module 1, product mindset: a self-check of how people think, for one learner and a cohort.

* :data:`MINDSET_STATEMENTS` and :data:`SelfCheck`: ten statements on five dimensions
  (outcomes, customers, learning, long-lived teams, product ownership), answered 1 to 5.
* :func:`score_self_check` and :func:`plot_radar`: one learner's scores, 0 (project
  thinking) to 100 (product thinking), as a radar chart.
* :func:`combine_self_checks` and :func:`plot_cohort_radar`: many learners' workspace
  exports on one chart; :func:`write_example_exports` writes a fictional cohort to try it.

>>> score_self_check({f"q{n:02d}": 3 for n in range(1, 11)}).tolist()
[50.0, 50.0, 50.0, 50.0, 50.0]
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field, ValidationError, create_model

from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.workspace import EXPORT_FORMAT, SCHEMA_VERSION, read_export, write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MINDSET_STATEMENTS: tuple[tuple[str, str, bool], ...] = (
    ("Outcomes over output", "We call a release successful when it changed something for "
     "customers or for the business, not when it shipped on time.", False),
    ("Outcomes over output", "A piece of work is finished when it was delivered on the "
     "planned date and within budget.", True),
    ("Customer focus", "The people who build the product regularly talk with the people "
     "who use it.", False),
    ("Customer focus", "Developers receive finished specifications that someone else "
     "wrote after talking to customers.", True),
    ("Learning and adapting", "When a release teaches us something, we change the plan and "
     "nobody treats that as a failure.", False),
    ("Learning and adapting", "Most of what we will build this year was fixed before the "
     "year started.", True),
    ("Long-lived teams and funding", "Teams stay together after a release and keep caring "
     "for the same product.", False),
    ("Long-lived teams and funding", "Money is approved per project, and every next step "
     "needs a new business case.", True),
    ("Product ownership", "One person decides the order of the work on our product and the "
     "organisation respects those decisions.", False),
    ("Product ownership", "A stakeholder who funds a feature can put it into the plan "
     "without convincing the Product Owner.", True),
)
"""(dimension, statement, reverse-scored) — our own statements. The two Product ownership
statements follow the Scrum Guide 2020: the organisation respects the Product Owner's
decisions (SG-31), and changes go through convincing the Product Owner (SG-34)."""

LIKERT = {1: "strongly disagree", 2: "disagree", 3: "neither", 4: "agree", 5: "strongly agree"}
Likert = Literal[1, 2, 3, 4, 5]

SelfCheck = create_model(  # type: ignore[call-overload]
    "SelfCheck", __config__=ConfigDict(extra="forbid"),
    **{f"q{number:02d}": (Likert, Field(3, title=f"Q{number:02d}. {statement}",
                                        json_schema_extra={"option_labels": LIKERT}))
       for number, (_, statement, _) in enumerate(MINDSET_STATEMENTS, start=1)})
SelfCheck.__doc__ = "Answers to the product-mindset statements, 1 (strongly disagree) to 5."


def statements_table() -> pd.DataFrame:
    """The self-check statements, numbered as the form fields ``q01`` ... ``q10``.

    Examples
    --------
    >>> statements_table().loc["q01", "dimension"]
    'Outcomes over output'
    """
    return pd.DataFrame([{"question": f"q{n:02d}", "dimension": d, "statement": s}
                         for n, (d, s, _) in enumerate(MINDSET_STATEMENTS, start=1)]
                        ).set_index("question")


def score_self_check(answers: dict[str, int]) -> pd.Series:
    """Score the answers per dimension from 0 (project thinking) to 100 (product thinking).

    Reverse-scored statements count as ``6 - answer``. A dimension's score is the mean of
    its points mapped from 1..5 to 0..100.

    Parameters
    ----------
    answers
        Answers by form field, ``q01`` to ``q10``, each 1 to 5; a missing answer counts as
        3 (neither agree nor disagree).

    Returns
    -------
    pandas.Series
        Named ``score``, indexed by dimension in the order of the statements.

    Raises
    ------
    DataError
        If an answer is not a whole number from 1 to 5 or a key is not ``q01`` to ``q10``.

    Examples
    --------
    >>> scores = score_self_check({f"q{n:02d}": 4 for n in range(1, 11)})
    >>> scores.round(1).tolist()
    [50.0, 50.0, 50.0, 50.0, 50.0]
    """
    try:
        checked = SelfCheck.model_validate(answers).model_dump()
    except ValidationError as error:
        raise DataError(format_pydantic_error("self-check answers", error)) from None
    return score_self_checks(pd.DataFrame([checked])).iloc[0].rename("score")


def score_self_checks(answers: pd.DataFrame) -> pd.DataFrame:
    """:func:`score_self_check` for many learners at once, one row each.

    Parameters
    ----------
    answers
        One row per learner, columns ``q01`` to ``q10``, already checked (whole numbers
        1 to 5, as :class:`SelfCheck` keeps them).

    Returns
    -------
    pandas.DataFrame
        The same rows, one column per dimension, scores 0 to 100.

    Examples
    --------
    >>> rows = pd.DataFrame([{f"q{n:02d}": 3 for n in range(1, 11)}], index=["ana"])
    >>> score_self_checks(rows).loc["ana"].tolist()
    [50.0, 50.0, 50.0, 50.0, 50.0]
    """
    points = answers[[f"q{n:02d}" for n in range(1, len(MINDSET_STATEMENTS) + 1)]
                     ].to_numpy(dtype=float, copy=True)
    reverse = np.array([reverse for _, _, reverse in MINDSET_STATEMENTS])
    points[:, reverse] = 6 - points[:, reverse]
    dimensions = [dimension for dimension, _, _ in MINDSET_STATEMENTS]
    scores = pd.DataFrame((points - 1) / 4 * 100, index=answers.index, columns=dimensions)
    return scores.T.groupby(level=0, sort=False).mean().T


def _polar_axes(ax: Axes | None) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6), subplot_kw={"projection": "polar"})
    if ax.name != "polar":
        raise ParameterError("ax: a radar chart needs polar axes (subplot_kw={'projection': "
                             "'polar'})")
    return ax


def _radar_frame(ax: Axes, labels: list[str]) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    ax.set_xticks(angles, [textwrap.fill(label, 14) for label in labels], fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7)
    return np.append(angles, angles[0])


def plot_radar(scores: pd.Series, ax: Axes | None = None, label: str = "you") -> Axes:
    """Radar chart of self-check scores (0 to 100 per dimension).

    Parameters
    ----------
    scores
        Scores by dimension, as :func:`score_self_check` returns them.
    ax
        Polar Axes to draw on; ``None`` creates a new figure.
    label
        Legend label of the line.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes with the chart.

    Raises
    ------
    ParameterError
        If ``ax`` is not a polar Axes.

    Examples
    --------
    >>> ax = plot_radar(score_self_check({f"q{n:02d}": 3 for n in range(1, 11)}))
    >>> ax.name
    'polar'
    """
    ax = _polar_axes(ax)
    angles = _radar_frame(ax, list(scores.index))
    values = np.append(scores.to_numpy(), scores.to_numpy()[0])
    ax.plot(angles, values, color="#749335", label=label)
    ax.fill(angles, values, color="#749335", alpha=0.25)
    ax.set_title("Product mindset self-check (100 = product thinking)", fontsize=10)
    return ax


def _self_check_answers(path: Path) -> dict[str, int]:
    bundle = read_export(path)
    for record in bundle.records:
        if (record.kind, record.name) == records.PRODUCT_SELF_CHECK:
            return record.data
    raise DataError(f"{path.name}: no saved self-check (expected a record "
                    f"{records.PRODUCT_SELF_CHECK.path}; did the learner press Save?)")


def combine_self_checks(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Scores of many learners, one row per workspace export file (named by its stem).

    Parameters
    ----------
    paths
        Workspace export files, each holding a saved self-check record.

    Returns
    -------
    pandas.DataFrame
        One row per file (index: file stem), one column per dimension, scores 0 to 100.

    Raises
    ------
    DataError
        Naming the first file that is not an export, is malformed or has no self-check, or
        when no file is given.

    Examples
    --------
    >>> import tempfile
    >>> files = write_example_exports(tempfile.mkdtemp(), learners=3, seed=1)
    >>> combine_self_checks(files).shape
    (3, 5)
    """
    rows = {}
    for path in map(Path, paths):
        try:
            rows[path.stem] = score_self_check(_self_check_answers(path))
        except DataError as error:
            message = str(error)
            if not message.startswith(path.name):
                message = f"{path.name}: {message}"
            raise DataError(message) from None
    if not rows:
        raise DataError("no self-check exports given (expected at least one file)")
    return pd.DataFrame(rows).T


def plot_cohort_radar(scores: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """A cohort on one radar chart: the median line and the range from lowest to highest.

    Parameters
    ----------
    scores
        One row per learner, one column per dimension, as :func:`combine_self_checks`
        returns them.
    ax
        Polar Axes to draw on; ``None`` creates a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes with the chart.

    Raises
    ------
    ParameterError
        If ``ax`` is not a polar Axes.

    Examples
    --------
    >>> import tempfile
    >>> files = write_example_exports(tempfile.mkdtemp(), learners=4, seed=2)
    >>> plot_cohort_radar(combine_self_checks(files)).get_title()
    'Cohort self-check: 4 learners (median and range)'
    """
    ax = _polar_axes(ax)
    angles = _radar_frame(ax, list(scores.columns))

    def closed(values: pd.Series) -> np.ndarray:
        return np.append(values.to_numpy(), values.to_numpy()[0])

    ax.fill_between(angles, closed(scores.min()), closed(scores.max()), color="#9bb7d4",
                    alpha=0.4, label="range")
    ax.plot(angles, closed(scores.median()), color="#1f4e79", label="median")
    ax.legend(loc="lower right", bbox_to_anchor=(1.25, -0.05), frameon=False, fontsize=8)
    ax.set_title(f"Cohort self-check: {len(scores)} learners (median and range)", fontsize=10)
    return ax


def write_example_exports(folder: str | Path, learners: int = 8, seed: int = 42) -> list[Path]:
    """Write workspace exports of fictional learners with seeded self-check answers.

    Stands in for the files learners send their trainer, so that the cohort chart can be
    tried before a real cohort exists. Each file is written atomically.

    Parameters
    ----------
    folder
        Where the files go; files of the same names are replaced.
    learners
        How many fictional learners (one file each).
    seed
        Seed of the random answers; the same seed writes the same files.

    Returns
    -------
    list of Path
        ``learner-01.json``, ``learner-02.json``, ... in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_example_exports(tempfile.mkdtemp(), learners=2)]
    ['learner-01.json', 'learner-02.json']
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    paths = []
    for number in range(1, learners + 1):
        leaning = rng.uniform(2.0, 4.2)
        answers = {}
        for q, (_, _, reverse) in enumerate(MINDSET_STATEMENTS, start=1):
            centre = 6 - leaning if reverse else leaning
            answers[f"q{q:02d}"] = int(np.clip(np.round(rng.normal(centre, 0.9)), 1, 5))
        bundle = {"format": EXPORT_FORMAT, "format_version": SCHEMA_VERSION,
                  "exported_at": stamp.isoformat(),
                  "records": [{"schema_version": SCHEMA_VERSION,
                               "kind": records.PRODUCT_SELF_CHECK.kind,
                               "name": records.PRODUCT_SELF_CHECK.name,
                               "saved_at": stamp.isoformat(), "data": answers}]}
        path = folder / f"learner-{number:02d}.json"
        write_atomic(path, json.dumps(bundle, indent=2) + "\n")
        paths.append(path)
    return paths
