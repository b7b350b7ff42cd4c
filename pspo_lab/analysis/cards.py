"""Experiment cards: the small, checkable experiments every module's assignment asks for.

Each module's Assignment section offers a card with a worked example. The learner edits it
and presses *Save*; it is stored in the workspace as ``experiment-cards/module-NN`` and
reviewed in the catch-up notebook (module 9).

The form lives in the widgets layer (:func:`pspo_lab.widgets.course_forms.experiment_card_form`).

>>> card = ExperimentCard.model_validate(EXAMPLE_CARD)
>>> card.measure, card.status
('Repeat orders per active subscriber per week', 'planned')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.core import records
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.workspace import Record, Workspace

Status = Literal["planned", "running", "done", "abandoned"]


class ExperimentCard(BaseModel):
    """A hypothesis with the action, measure and expected result that would test it."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("My experiment", min_length=1, max_length=80)
    hypothesis: str = Field("We believe that ...", min_length=1, max_length=400)
    action: str = Field("We will ...", min_length=1, max_length=400)
    measure: str = Field("We will know by measuring ...", min_length=1, max_length=200)
    expected_result: str = Field("We expect ...", min_length=1, max_length=300)
    review_date: dt.date = Field(default_factory=lambda: dt.date.today()
                                 + dt.timedelta(days=14))
    status: Status = "planned"
    outcome: str = Field("", max_length=600)
    learned: str = Field("", max_length=600)


EXAMPLE_CARD = {
    "title": "One-tap reorder",
    "hypothesis": "Weekly subscribers reorder more when last week's box can be repeated in "
                  "one tap.",
    "action": "Release the reorder button to half of the subscribers for two weeks.",
    "measure": "Repeat orders per active subscriber per week",
    "expected_result": "At least 5% more repeat orders in the treated half.",
}


def card_name(part_id: int) -> str:
    """Workspace name of a module's experiment card.

    Examples
    --------
    >>> card_name(3)
    'module-03'
    """
    return f"module-{part_id:02d}"


def saved_cards(workspace: Workspace) -> list[tuple[str, ExperimentCard]]:
    """All saved experiment cards as ``(name, card)`` pairs, ordered by module.

    Parameters
    ----------
    workspace
        The learner's workspace.

    Returns
    -------
    list of (str, ExperimentCard)
        Record name (``module-NN``) and validated card for every saved card; empty when no
        card was saved yet. A saved card that no longer fits :class:`ExperimentCard` (edited
        by hand, imported from an older export) is replaced by its newest earlier version
        that fits, or left out; either way a one-line warning names it, and the file is
        left as it is.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> saved_cards(ws)
    []
    >>> _ = ws.save(*records.EXPERIMENT_CARDS.named(card_name(7)), EXAMPLE_CARD)
    >>> _ = ws.save(*records.EXPERIMENT_CARDS.named(card_name(2)), {"title": "Vision poster"})
    >>> [(name, card.title) for name, card in saved_cards(ws)]
    [('module-02', 'Vision poster'), ('module-07', 'One-tap reorder')]
    """
    cards = []
    for record in workspace.records(records.EXPERIMENT_CARDS.kind):
        card = _newest_fitting_card(workspace, record)
        if card is not None:
            cards.append((record.name, card))
    return cards


def _newest_fitting_card(workspace: Workspace, record: Record) -> ExperimentCard | None:
    """The saved card, else its newest earlier version that fits; a warning if not itself."""
    try:
        return ExperimentCard.model_validate(record.data)
    except ValidationError as error:
        problem = format_pydantic_error(f"saved card {record.kind}/{record.name}", error)
    with contextlib.suppress(DataError):
        for old in reversed(workspace.history(record.kind, record.name)):
            with contextlib.suppress(ValidationError):
                card = ExperimentCard.model_validate(old.data)
                when = f"{old.saved_at:%Y-%m-%d %H:%M}"
                warnings.warn(f"{problem}: showing your version of {when} UTC instead",
                              UserWarning, stacklevel=3)
                return card
    warnings.warn(f"{problem}: left out (the file was left as it is)", UserWarning,
                  stacklevel=3)
    return None
