"""Forms of module 6: the goal-oriented roadmap and the decision log.

Each form saves to the workspace only when Save is clicked; the models and the read-back
(:func:`~pspo_lab.analysis.story_map.decision_log`) are in
:mod:`pspo_lab.analysis.story_map`.

Examples
--------
>>> import tempfile
>>> form = roadmap_form(Workspace(tempfile.mkdtemp()))
>>> form.value().now[0]
'Weekly menu picks itself from past favourites'
"""

from __future__ import annotations

from pspo_lab.analysis.story_map import Decision
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.course_forms import product_form
from pspo_lab.widgets.forms import RecordForm


def roadmap_form(workspace: Workspace) -> RecordForm:
    """Form to edit the roadmap; saved as ``backlog/roadmap`` only when Save is clicked.

    Until the learner saves a roadmap it starts from their product profile (the Product
    Goal and the parts inside the boundary), or from FreshCrate's when none is saved.

    Examples
    --------
    >>> import tempfile
    >>> roadmap_form(Workspace(tempfile.mkdtemp())).value().later
    ['Shopping list export for what is not in the box']
    """
    return product_form(workspace, "roadmap")


def decision_log_form(workspace: Workspace, name: str = "latest") -> RecordForm:
    """Form for one decision-log entry, saved as ``decision-log/<name>`` on Save.

    Each Save keeps the entry before it in the workspace's history, so the whole log can be
    read back with :func:`~pspo_lab.analysis.story_map.decision_log`.

    Examples
    --------
    >>> import tempfile
    >>> decision_log_form(Workspace(tempfile.mkdtemp())).value().revisit_after
    'next Sprint Review'
    """
    return RecordForm(workspace, records.DECISION_LOG.named(name), Decision)
