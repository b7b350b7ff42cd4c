"""The welcome notebook's checks on the Product Owner: a true/false self-check, and who does
the product manager's tasks today.

:class:`StatementCheck` is a short true/false self-check whose answers are shown only when
the learner asks.

Each statement is shown in full with a *true* / *false* choice under it. Nothing is marked
until **Check my answers** is pressed; then every statement shows whether the answer was
right, the key, the reason and the Scrum Guide fact it rests on
(:func:`~pspo_lab.content.product_owner.check_statements`). :class:`TaskCheck` asks who
does each product-management task today and says what the answers mean
(:func:`~pspo_lab.content.product_owner.task_summary`). Nothing is saved.

>>> view = StatementCheck()
>>> view.answers()[1] is None, view.result.value
(True, '')
>>> view.choices[0].value = True
>>> view.button.click()
>>> "right" in view.result.value and "SG-27" in view.result.value
True
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from pspo_lab.content.product_owner import (
    SELF_CHECK,
    WHO_DOES_IT,
    check_statements,
    product_manager_tasks,
    task_summary,
)
from pspo_lab.core.display import readable_table


class StatementCheck:
    """The self-check of :data:`~pspo_lab.content.product_owner.SELF_CHECK` as a widget."""

    def __init__(self) -> None:
        self.choices = [widgets.ToggleButtons(options=[("true", True), ("false", False)],
                                              value=None, style={"button_width": "6em"})
                        for _ in SELF_CHECK]
        self.button = widgets.Button(description="Check my answers", icon="check",
                                     button_style="primary",
                                     layout=widgets.Layout(width="auto"))  # label whole
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.check())

    def answers(self) -> dict[int, bool | None]:
        """The learner's answers by statement number (``None``: not answered)."""
        return {number: choice.value for number, choice in enumerate(self.choices, start=1)}

    def check(self) -> None:
        """Show the marked answers with their reasons under the button."""
        marked = check_statements(self.answers())
        right = int((marked["result"] == "right").sum())
        summary = f"<p><b>{right} of {len(marked)} right.</b></p>"
        self.result.value = summary + readable_table(marked).to_html()

    def widget(self) -> widgets.VBox:
        """Statements with their choices, the button and the marked answers."""
        rows = [widgets.VBox([widgets.HTML(f"<p>{number}. {html.escape(s.text)}</p>"), choice])
                for number, (s, choice) in enumerate(zip(SELF_CHECK, self.choices, strict=True),
                                                     start=1)]
        return widgets.VBox([*rows, self.button, self.result])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


class TaskCheck:
    """Who does each task of an agile product manager today, and what that says.

    Every task starts at "I do"; the sentence under the list follows each change.

    Examples
    --------
    >>> view = TaskCheck()
    >>> view.summary.value.startswith("<p><b>You do all 6 tasks yourself")
    True
    >>> view.choices[0].value = "nobody"
    >>> "Nobody does: say why the product exists" in view.summary.value
    True
    """

    def __init__(self) -> None:
        self.tasks = list(product_manager_tasks().index)
        self.choices = [widgets.Dropdown(options=list(WHO_DOES_IT), value=WHO_DOES_IT[0],
                                         description="Who does it",
                                         style={"description_width": "8em"})
                        for _ in self.tasks]
        self.summary = widgets.HTML()
        for choice in self.choices:
            choice.observe(lambda _: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Rewrite the sentence under the list from the current answers."""
        answers = dict(zip(self.tasks, (c.value for c in self.choices), strict=True))
        self.summary.value = f"<p><b>{html.escape(task_summary(answers))}</b></p>"

    def widget(self) -> widgets.VBox:
        """Each task with its drop-down, then the sentence."""
        rows = [widgets.VBox([widgets.HTML(f"<p>{html.escape(task)}</p>"), choice])
                for task, choice in zip(self.tasks, self.choices, strict=True)]
        return widgets.VBox([*rows, self.summary])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
