"""How numbers and tables read on screen: one rounding rule, full statements, text on the left.

* :func:`format_number` is the course's one rule for showing a number: thousands separators,
  as many decimals as the size of the number needs (``54414.666667`` reads ``54,415``).
* :func:`readable_table` shows a DataFrame with that rule, long text whole and left-aligned.
* :func:`use_readable_defaults` makes pandas follow the same rule everywhere in a notebook
  (called by :func:`pspo_lab.widgets.notebook.setup`).
* :func:`alt_text` and :func:`figure_img` give every chart a text alternative.

>>> format_number(54414.666667)
'54,415'
"""

from __future__ import annotations

import base64
import html
import math
import numbers
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler


def format_number(value: Any) -> str:
    """A number as a learner reads it: separators and sensible rounding.

    Numbers of 100 or more (and whole numbers stored as integers) show no decimals; from 10
    to 100 one decimal; below 10 two decimals. Missing values show as an empty string.

    Parameters
    ----------
    value
        Any real number (Python, numpy); anything else is returned as ``str(value)``.

    Returns
    -------
    str
        The number as text.

    Examples
    --------
    >>> [format_number(v) for v in (54414.666667, 2880.0, 42.25, 0.2514, 1.0, 3, -1234.5)]
    ['54,415', '2,880', '42.2', '0.25', '1.00', '3', '-1,234']
    >>> format_number(float("nan"))
    ''
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return ""
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if isinstance(value, numbers.Integral) or abs(number) >= 100:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:,.1f}"
    return f"{number:.2f}"


def readable_table(frame: pd.DataFrame) -> Styler:
    """A DataFrame styled for reading: numbers by :func:`format_number`, text whole and left.

    Examples
    --------
    >>> page = readable_table(pd.DataFrame({"statement": ["x" * 80], "score": [54414.67]}))
    >>> "x" * 80 in page.to_html(), "54,415" in page.to_html()
    (True, True)
    >>> "text-align: left" in page.to_html()
    True
    """
    numeric = frame.select_dtypes("number").columns
    text = [c for c in frame.columns if c not in numeric]
    styler = frame.style.format(format_number, subset=list(numeric), na_rep="")
    if text:
        styler = styler.set_properties(
            subset=text, **{"text-align": "left", "white-space": "normal"}
        )
    # the header cells of text columns line up with their text
    return styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])


def use_readable_defaults() -> None:
    """Make pandas show every table with :func:`format_number` and without cut text.

    Examples
    --------
    >>> with pd.option_context("display.max_colwidth", 50):
    ...     use_readable_defaults()
    ...     pd.get_option("display.max_colwidth") is None
    True
    """
    pd.set_option("display.float_format", format_number)
    pd.set_option("display.max_colwidth", None)


def alt_text(figure: Any) -> str:
    """The text alternative of a chart: its message in one sentence.

    A chart function may state the message itself with ``figure.set_label(sentence)`` (a
    label ending with a full stop); otherwise the sentence is built from the titles and
    axis labels of the figure's charts.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set(title="Cycle time of finished items", xlabel="finished on",
    ...            ylabel="cycle time (days)")
    >>> alt_text(fig)
    'Chart: Cycle time of finished items, cycle time (days) against finished on.'
    >>> plt.close(fig)
    """
    own = figure.get_label()
    if own and own.endswith("."):
        return own
    parts = []
    for ax in figure.get_axes():
        title = ax.get_title() or (figure._suptitle.get_text() if figure._suptitle else "")
        axes = " against ".join(label for label in (ax.get_ylabel(), ax.get_xlabel())
                                if label)
        text = ", ".join(part for part in (title, axes) if part)
        if text:
            parts.append(text)
    return "Chart: " + ("; ".join(parts) if parts else "no title") + "."


def figure_img(png: bytes, figure: Any) -> str:
    """An ``<img>`` of the chart's PNG with :func:`alt_text` as its text alternative.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Throughput")
    >>> figure_img(b"PNG", fig)
    '<img src="data:image/png;base64,UE5H" alt="Chart: Throughput.">'
    >>> plt.close(fig)
    """
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt_text(figure))}">'


class WideTable:
    """A table wider than the page, in a box of its own that scrolls sideways.

    The box can take the keyboard focus (arrow keys scroll it) and is named for screen
    readers; without it the notebook's output area scrolls, and keyboard users cannot reach
    the hidden columns.

    Parameters
    ----------
    table
        A DataFrame (shown with :func:`readable_table`) or an already styled table.
    label
        What the table is, e.g. ``"Story map"``.

    Examples
    --------
    >>> box = WideTable(pd.DataFrame({"a": [1]}), "Story map")._repr_html_()
    >>> box.startswith('<div role="region" aria-label="Story map" tabindex="0"')
    True
    """

    def __init__(self, table: pd.DataFrame | Styler, label: str) -> None:
        self.table = readable_table(table) if isinstance(table, pd.DataFrame) else table
        self.label = label

    def _repr_html_(self) -> str:
        return (f'<div role="region" aria-label="{html.escape(self.label)}" tabindex="0" '
                f'style="overflow-x:auto;max-width:100%">{self.table.to_html()}</div>')
