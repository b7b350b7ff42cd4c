"""Short classroom exercises: sort items and check, discuss scenarios, rate yourself.

* :class:`ChoiceExercise`: each item's text in full with one choice beside it; *Check* says
  which choices match the key and why (module 3: notes into levels of value; module 5:
  Sprint Goals that serve the Product Goal). Nothing is checked until the learner asks.
* :func:`sprint_goal_exercise` and :func:`value_level_exercise`: those two exercises on the
  case-study tables.
* :func:`scenario_cards`: situations with a question, the discussion folded until asked for.
* :func:`motivation_check`: module 5's self-assessment on autonomy, mastery and purpose.

>>> exercise = ChoiceExercise({"V01": "Planning took my whole Sunday"},
...                           ["functional", "emotional"], {"V01": "functional"})
>>> exercise.choices["V01"].value = "functional"
>>> exercise.check()["correct"].tolist()
[True]
>>> "1 of 1 right" in exercise.feedback.value
True
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import pandas as pd

from pspo_lab.analysis.exercises import check_choices, motivation_advice, motivation_profile
from pspo_lab.content.casestudy_voices import VALUE_LEVELS
from pspo_lab.content.team_practice import MOTIVATION_STATEMENTS
from pspo_lab.widgets.explorers import Explorer, explore, int_slider
from pspo_lab.widgets.notebook import reveal


def feedback_html(table: pd.DataFrame) -> str:
    """The feedback on a :func:`~pspo_lab.analysis.exercises.check_choices` table.

    Examples
    --------
    >>> table = check_choices({"a": "yes", "b": None}, {"a": "no", "b": "yes"},
    ...                       {"a": "Because."})
    >>> page = feedback_html(table)
    >>> "0 of 2 right, 1 not answered yet" in page, "expected no. Because." in page
    (True, True)
    """
    right, unanswered = int(table["correct"].sum()), int((~table["answered"]).sum())
    lines = [f"<p><b>{right} of {len(table)} right"
             + (f", {unanswered} not answered yet" if unanswered else "") + "</b></p><ul>"]
    for item, row in table.iterrows():
        mark = "right" if row["correct"] else ("not answered" if not row["answered"]
                                               else "not quite")
        lines.append(f"<li>{html.escape(str(item))}: {mark}, expected "
                     f"{html.escape(row['expected'])}. {html.escape(row['why'])}</li>")
    return "\n".join(lines) + "</ul>"


class ChoiceExercise:
    """Items shown whole, one choice each, and a Check button that explains the key.

    Parameters
    ----------
    items
        Item id -> the text the learner reads (shown in full, never cut).
    options
        The choices offered for every item.
    key
        Item id -> the expected choice.
    why
        Item id -> why that choice is expected (shown after Check).
    """

    def __init__(self, items: Mapping[str, str], options: Sequence[str],
                 key: Mapping[str, str], why: Mapping[str, str] | None = None) -> None:
        self.key, self.why = dict(key), dict(why or {})
        self.choices = {item: widgets.ToggleButtons(options=list(options), value=None,
                                                    style={"button_width": "auto"})
                        for item in items}
        rows = [widgets.HBox([self.choices[item], widgets.HTML(
                    f"<b>{html.escape(item)}</b> {html.escape(text)}",
                    layout=widgets.Layout(flex="1 1 auto", margin="0 0 0 1em"))],
                    layout=widgets.Layout(align_items="center"))
                for item, text in items.items()]
        self.feedback = widgets.HTML()
        self.button = widgets.Button(description="Check", button_style="primary")
        self.button.on_click(lambda _: self.check())
        self.widget = widgets.VBox([*rows, self.button, self.feedback])

    def chosen(self) -> dict[str, str | None]:
        """The learner's current choice per item (``None`` where none is made)."""
        return {item: control.value for item, control in self.choices.items()}

    def check(self) -> pd.DataFrame:
        """Compare the choices with the key, show the feedback and return the table."""
        table = check_choices(self.chosen(), self.key, self.why)
        self.feedback.value = feedback_html(table)
        return table

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


SERVES, DOES_NOT = "serves the Product Goal", "does not"


def sprint_goal_exercise(goals: pd.DataFrame) -> ChoiceExercise:
    """Module 5: for each Sprint Goal, does it serve the Product Goal?

    Parameters
    ----------
    goals
        The ``sprint_goals`` table; its ``serves_product_goal`` and ``why`` are the key.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> exercise = sprint_goal_exercise(load_dataset("sprint_goals"))
    >>> exercise.key["Sprint 29"]
    'does not'
    """
    names = [f"Sprint {number}" for number in goals["sprint"]]
    return ChoiceExercise(
        dict(zip(names, goals["sprint_goal"], strict=True)), [SERVES, DOES_NOT],
        {name: SERVES if serves == "yes" else DOES_NOT
         for name, serves in zip(names, goals["serves_product_goal"], strict=True)},
        dict(zip(names, goals["why"], strict=True)))


def value_level_exercise(voices: pd.DataFrame, notes: Sequence[str]) -> ChoiceExercise:
    """Module 3: sort some customer notes into the levels of the Elements of Value pyramid.

    Parameters
    ----------
    voices
        The ``customer_voices`` table.
    notes
        The ids of the notes to sort.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> exercise = value_level_exercise(load_dataset("customer_voices"), ["V13"])
    >>> exercise.key, exercise.why["V13"]
    ({'V13': 'social impact'}, 'It points to self-transcendence.')
    """
    chosen = voices.set_index("id").loc[list(notes)]
    return ChoiceExercise(chosen["note"].to_dict(), list(VALUE_LEVELS), chosen["level"].to_dict(),
                          {note: f"It points to {element}." for note, element
                           in chosen["element"].items()})


def scenario_cards(scenarios: pd.DataFrame) -> widgets.VBox:
    """One card per scenario: title, situation and question; the discussion folded.

    Parameters
    ----------
    scenarios
        Columns ``title``, ``situation``, ``question``, ``discussion`` and ``values``
        (:func:`~pspo_lab.content.team_practice.ethics_scenarios`).

    Examples
    --------
    >>> from pspo_lab.content.team_practice import ethics_scenarios
    >>> cards = scenario_cards(ethics_scenarios())
    >>> len(cards.children), cards.children[1].selected_index is None
    (8, True)
    """
    children: list[widgets.Widget] = []
    for _, row in scenarios.iterrows():
        children.append(widgets.HTML(
            f"<h4>{html.escape(row['title'])}</h4><p>{html.escape(row['situation'])}</p>"
            f"<p><b>{html.escape(row['question'])}</b></p>"))
        children.append(reveal("Show a discussion of it",
                               f"{row['discussion']}\nScrum values at stake: {row['values']}."))
    return widgets.VBox(children)


def motivation_check(start: int = 3) -> Explorer:
    """Sliders for the six statements; the profile and advice update as they move.

    Examples
    --------
    >>> check = motivation_check()
    >>> check.controls["meet_users"].value = 1
    >>> check.output.outputs[0]["text"].startswith("Weakest: purpose (2.0 of 5)")
    True
    """
    def profile(**ratings: int) -> pd.DataFrame:
        table = motivation_profile(ratings)
        print(textwrap.fill(motivation_advice(table), 90))
        return table.rename(columns={"score": "score (1 to 5)"})

    return explore(profile, {key: int_slider(statement, start, 1, 5)
                             for key, (_, statement) in MOTIVATION_STATEMENTS.items()})
