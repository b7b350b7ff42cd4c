"""Feedback on the learner's own vision: a text box, a button and the criteria met.

The checks are :func:`~pspo_lab.analysis.vision.vision_feedback`'s heuristics; the users and
the problem of the learner's saved product (module 1) help them recognise the learner's own
words. The feedback for the starting text is shown at once, so a notebook run with nobody
clicking shows it too. Nothing is saved.

>>> view = VisionCheck("A meal-kit app")
>>> "2 of 5" in view.result.value
True
>>> view.text.value = "Every family eats well without the planning"
>>> view.button.click()
>>> "5 of 5" in view.result.value
True
"""

from __future__ import annotations

import ipywidgets as widgets

from pspo_lab.analysis.journey import saved_profile
from pspo_lab.analysis.product import ProductDefinition
from pspo_lab.analysis.vision import MAX_WORDS, vision_feedback, vision_score
from pspo_lab.core.display import readable_table
from pspo_lab.core.workspace import Workspace


class VisionCheck:
    """A vision in a text box with its feedback table under it.

    Parameters
    ----------
    text
        The vision to start with.
    users, problem
        Who the product is for and what problem it solves, to recognise the learner's words.
    """

    def __init__(self, text: str, users: str = "", problem: str = "") -> None:
        self.users, self.problem = users, problem
        self.text = widgets.Textarea(value=text, description="Your vision",
                                     style={"description_width": "8em"},
                                     layout=widgets.Layout(width="95%", height="4.5em"))
        self.button = widgets.Button(description="Give feedback", icon="comment",
                                     button_style="primary",
                                     layout=widgets.Layout(width="auto"))  # label whole
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.check())
        self.check()

    def check(self) -> None:
        """Show the feedback for the text in the box."""
        feedback = vision_feedback(self.text.value, self.users, self.problem)
        met, checked = vision_score(feedback)
        self.result.value = (
            f"<p><b>{met} of {checked} checks met.</b> The checks read the words only (at "
            f"most {MAX_WORDS} words, no features, no dates...); whether the vision inspires "
            "is for people to judge.</p>" + readable_table(feedback).to_html())

    def widget(self) -> widgets.VBox:
        """The text box, the button and the feedback."""
        return widgets.VBox([self.text, self.button, self.result])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def vision_check(workspace: Workspace, vision: str) -> VisionCheck:
    """:class:`VisionCheck` for ``vision``, knowing the learner's product if one is saved.

    Parameters
    ----------
    workspace
        The learner's workspace (only read): the product saved in module 1 gives the users
        and the problem; without one, FreshCrate's.
    vision
        The vision to start with, e.g. the vision line of the learner's Product Vision Board.

    Examples
    --------
    >>> import tempfile
    >>> view = vision_check(Workspace(tempfile.mkdtemp()), "Households cook without stress")
    >>> view.users.startswith("Households who cook")
    True
    """
    profile = saved_profile(workspace)[0] or ProductDefinition()
    return VisionCheck(vision, profile.users, profile.problem)
