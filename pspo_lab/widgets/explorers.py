"""Explorers: labelled controls over a chart or a sentence, redrawn when a control moves.

Every slider-to-chart view of the course is built with :func:`explore`: a pure function of
named values draws (with the ``plot_*`` functions of :mod:`pspo_lab.analysis`), prints or
returns a table, and a mapping of labelled controls gives those values. The explorer draws
once at once with the starting values, so a notebook run with nobody clicking still shows
the chart, and again whenever a control moves. Control labels are words a learner reads.

>>> def chance(items: int) -> None:
...     print(f"{items} items to go")
>>> explorer = explore(chance, {"items": int_slider("Items still to finish", 30, 1, 150)})
>>> explorer.output.outputs[0]["text"]
'30 items to go\\n'
>>> explorer.controls["items"].value = 12
>>> explorer.output.outputs[0]["text"]
'12 items to go\\n'
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import inspect
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pspo_lab.analysis.product import DeliveryChart, compare_delivery
from pspo_lab.analysis.sprint import plot_sprints, simulate_sprints, sprint_outcome
from pspo_lab.core.display import figure_img, readable_table
from pspo_lab.core.errors import ParameterError, PspoLabError

_TRACK_EM = 18.0
"""Width of a control's input part (a slider's track and readout), in em."""


def int_slider(label: str, value: int, low: int, high: int, step: int = 1) -> widgets.IntSlider:
    """A whole-number slider labelled with words a learner reads.

    Examples
    --------
    >>> int_slider("Sprints to simulate", 12, 2, 26).description
    'Sprints to simulate'
    """
    return widgets.IntSlider(value=value, min=low, max=high, step=step, description=label,
                             continuous_update=False)


def float_slider(label: str, value: float, low: float, high: float, step: float,
                 readout: str = ".2f", disabled: bool = False) -> widgets.FloatSlider:
    """A slider of decimal numbers; ``readout`` formats its value (``".0%"`` for a share).

    Examples
    --------
    >>> float_slider("Learning from releases", 0.5, 0, 1, 0.1).value
    0.5
    """
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=label,
                               readout_format=readout, disabled=disabled,
                               continuous_update=False)


def date_picker(label: str, value: dt.date) -> widgets.DatePicker:
    """A date input.

    Examples
    --------
    >>> date_picker("Finish by", dt.date(2026, 3, 1)).value
    datetime.date(2026, 3, 1)
    """
    return widgets.DatePicker(value=value, description=label)


def dropdown(label: str, options: Sequence[tuple[str, Any]], value: Any) -> widgets.Dropdown:
    """A choice among ``(text shown, value)`` options.

    Examples
    --------
    >>> dropdown("Course part", [("1. Product", 1), ("2. Strategy", 2)], 2).label
    '2. Strategy'
    """
    return widgets.Dropdown(options=list(options), value=value, description=label)


def figure_png(figure: Figure) -> bytes:
    """A figure as PNG bytes at its own size and resolution (what showing a chart costs).

    Examples
    --------
    >>> figure, _ = plt.subplots()
    >>> figure_png(figure)[:4]
    b'\\x89PNG'
    >>> plt.close(figure)
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _figure_output(figure: Figure) -> dict[str, Any]:
    """The chart as JupyterLab shows it: an image with its text alternative."""
    png = figure_png(figure)
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"),
                     "text/html": figure_img(png, figure), "text/plain": repr(figure)}}


def _object_output(shown: object) -> dict[str, Any]:
    data = {"text/plain": repr(shown)}
    html = getattr(shown, "_repr_html_", None)
    if isinstance(shown, pd.DataFrame):  # scores rounded, statements whole and left-aligned
        html = readable_table(shown).to_html
    rendered = html() if callable(html) else None
    if rendered:
        data["text/html"] = rendered
    return {"output_type": "display_data", "metadata": {}, "data": data}


class Explorer:
    """Controls above an output that :func:`explore` keeps in step with them.

    Attributes
    ----------
    controls
        The controls by the name of the drawing function's parameter they give.
    output
        What the last drawing printed, drew and returned, in that order.
    result
        What the drawing function returned the last time (``None`` after an error).
    """

    def __init__(self, draw: Callable[..., object],
                 controls: Mapping[str, widgets.ValueWidget]) -> None:
        self.draw = draw
        self.controls = dict(controls)
        self.output = widgets.Output()
        self.result: object = None
        self._check()
        label_em = max(len(c.description) for c in self.controls.values()) * 0.5 + 1
        for control in self.controls.values():
            control.style.description_width = f"{label_em:g}em"
            control.layout.width = f"{label_em + _TRACK_EM:g}em"
            control.observe(self.redraw, names="value")
        self.redraw()

    def _check(self) -> None:
        name = getattr(self.draw, "__name__", "draw")
        if not self.controls:
            raise ParameterError(f"explore {name}: no controls (expected at least one)")
        for key, control in self.controls.items():
            label = getattr(control, "description", "")
            if not label or label == key:
                raise ParameterError(f"explore {name}: control {key!r} needs a label a learner "
                                     "reads (expected e.g. description='Sprints to simulate')")
        try:
            inspect.signature(self.draw).bind(**self.values())
        except TypeError as error:
            raise ParameterError(f"explore {name}: controls {sorted(self.controls)} do not fit "
                                 f"its parameters ({error})") from None

    def values(self) -> dict[str, Any]:
        """The controls' current values, by parameter name."""
        return {key: control.value for key, control in self.controls.items()}

    def redraw(self, change: object = None) -> None:
        """Call the drawing function with the current values and show what it made.

        New figures are rendered into the output and closed, so the drawing function never
        calls ``plt.show()``; a returned figure is rendered and kept open (a chart updated
        in place), returned axes are not shown twice, and any other returned object (a
        table) is shown below. A pspo-lab error (e.g. a combination of values that is out of
        range) is shown as one line.
        """
        before = set(plt.get_fignums())
        printed = io.StringIO()
        outputs: list[dict[str, Any]] = []
        try:
            with contextlib.redirect_stdout(printed):
                self.result = self.draw(**self.values())
        except PspoLabError as error:
            self.result = None
            outputs.append({"output_type": "stream", "name": "stderr",
                            "text": f"{type(error).__name__}: {error}\n"})
        if printed.getvalue():
            outputs.insert(0, {"output_type": "stream", "name": "stdout",
                               "text": printed.getvalue()})
        for number in sorted(set(plt.get_fignums()) - before):
            figure = plt.figure(number)
            outputs.append(_figure_output(figure))
            plt.close(figure)
        if self.result is not None and not isinstance(self.result, Axes):  # shown as a figure
            outputs.append(_figure_output(self.result) if isinstance(self.result, Figure)
                           else _object_output(self.result))
        self.output.outputs = tuple(outputs)

    def widget(self) -> widgets.VBox:
        """The controls, one per line, above the output, as one widget."""
        return widgets.VBox([*self.controls.values(), self.output])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def explore(draw: Callable[..., object], controls: Mapping[str, widgets.ValueWidget]
            ) -> Explorer:
    """Wire labelled controls to a drawing function; draw now and on every change.

    Parameters
    ----------
    draw
        A function of named values that draws with matplotlib (no ``plt.show()`` needed),
        prints, and/or returns a figure or a table to show.
    controls
        One control per parameter of ``draw``, keyed by the parameter's name. Each carries
        the label a learner reads as its ``description`` (see :func:`int_slider`,
        :func:`float_slider`, :func:`date_picker`, :func:`dropdown`).

    Returns
    -------
    Explorer
        Shown as the controls above the output when it is a cell's last expression.

    Raises
    ------
    ParameterError
        If a control has no label, or the controls do not fit the parameters of ``draw``.

    Examples
    --------
    >>> def bars(share: float) -> pd.DataFrame:
    ...     plt.subplots()[1].bar(["done", "open"], [share, 1 - share])
    ...     return pd.DataFrame({"share": [share]})
    >>> explorer = explore(bars, {"share": float_slider("Share done", 0.5, 0, 1, 0.1)})
    >>> [sorted(out["data"]) for out in explorer.output.outputs]
    [['image/png', 'text/html', 'text/plain'], ['text/html', 'text/plain']]
    >>> explore(bars, {"share": float_slider("share", 0.5, 0, 1, 0.1)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: explore bars: control 'share' needs a label a learner reads ...
    """
    return Explorer(draw, controls)


# ---------------------------------------------------------------- the course's explorers


def delivery_explorer(backlog: pd.DataFrame, *, sprints: int = 12, capacity: int = 30,
                      learning: float = 0.5) -> Explorer:
    """Module 1: Sprints, capacity and learning over the project-vs-product delivery chart.

    Moving a control recomputes :func:`~pspo_lab.analysis.product.compare_delivery` and
    updates one :class:`~pspo_lab.analysis.product.DeliveryChart` in place (quick to redraw,
    see ``benchmarks/widget_interaction.py``); nothing is written anywhere.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> explorer = delivery_explorer(load_dataset("backlog"), sprints=6)
    >>> explorer.controls["sprints"].value = 8
    >>> [len(line.get_xdata()) for line in explorer.result.axes[0].lines]
    [8, 8]
    """
    chart = DeliveryChart(compare_delivery(backlog, sprints=sprints, capacity=capacity,
                                           learning=learning))
    plt.close(chart.figure)  # shown through the explorer only

    def draw(sprints: int, capacity: int, learning: float) -> Figure:
        chart.update(compare_delivery(backlog, sprints=sprints, capacity=capacity,
                                      learning=learning))
        return chart.figure

    return explore(draw, {
        "sprints": int_slider("Sprints to simulate", sprints, 2, 26),
        "capacity": int_slider("Points finished per Sprint", capacity, 20, 80, 5),
        "learning": float_slider("Learning from each release", learning, 0, 1, 0.1, ".1f"),
    })


def sprint_simulator(backlog: pd.DataFrame, *, seed: int = 0, sprints: int = 6,
                     sprint_weeks: int = 2) -> Explorer:
    """Module 5: Sprint length, Definition of Done strength and Sprint Goals over the Sprints.

    Starts from Sprints of ``sprint_weeks`` weeks (1 to 4), one Sprint Goal and a full
    Definition of Done; prints the outcome of ``sprints`` Sprints above the chart of
    :func:`~pspo_lab.analysis.sprint.plot_sprints`.

    Raises
    ------
    ParameterError
        If ``sprint_weeks`` is not a whole number from 1 to 4.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> simulator = sprint_simulator(load_dataset("backlog").head(30), sprints=3)
    >>> simulator.output.outputs[0]["text"][:16]
    'after 3 Sprints:'
    """
    if isinstance(sprint_weeks, bool) or not isinstance(sprint_weeks, int) \
            or not 1 <= sprint_weeks <= 4:
        raise ParameterError(f"sprint_weeks: {sprint_weeks!r} is out of range (expected a "
                             "whole number from 1 to 4)")

    def draw(sprint_weeks: int, dod_strength: float, sprint_goals: int) -> None:
        run = simulate_sprints(backlog, sprints=sprints, sprint_weeks=sprint_weeks,
                               dod_strength=dod_strength, sprint_goals=sprint_goals, seed=seed)
        print(sprint_outcome(run))
        plot_sprints(run)

    return explore(draw, {
        "sprint_weeks": int_slider("Sprint length (weeks)", sprint_weeks, 1, 4),
        "dod_strength": float_slider("Quality work the Definition of Done demands", 1.0, 0, 1,
                                     0.1, ".0%"),
        "sprint_goals": int_slider("Sprint Goals at once", 1, 1, 3),
    })
