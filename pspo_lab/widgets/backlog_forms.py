"""Forms of modules 6 and 7: roadmap, decision log, refinement and release plan.

Each form saves to the workspace only when Save is clicked; the models and what is computed
from them are in :mod:`pspo_lab.analysis.story_map` (roadmap, decision log),
:mod:`pspo_lab.analysis.refinement` and :mod:`pspo_lab.analysis.release_plan`.

Examples
--------
>>> import tempfile
>>> form = roadmap_form(Workspace(tempfile.mkdtemp()))
>>> form.value().now[0]
'Weekly menu picks itself from past favourites'
"""

from __future__ import annotations

from pspo_lab.analysis.refinement import Refinement
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


def refinement_form(workspace: Workspace) -> RecordForm:
    """Form to refine one Product Backlog item, saved as ``backlog/refinement`` on Save.

    It starts from a worked example on FreshCrate's backlog with two slips left in, for
    :func:`~pspo_lab.analysis.refinement.refinement_feedback` to find.

    Examples
    --------
    >>> import tempfile
    >>> refinement_form(Workspace(tempfile.mkdtemp())).value().item
    'PB-004 Simplify box customisation'
    """
    return RecordForm(workspace, records.BACKLOG_REFINEMENT, Refinement)


def release_plan_form(workspace: Workspace) -> RecordForm:
    """Module 7's release plan, saved as ``forecast/release-plan`` on Save.

    Until the learner saves a plan it starts from their product profile (Product Goal,
    users, value measure and the first parts inside the boundary), or from FreshCrate's.

    Examples
    --------
    >>> import tempfile
    >>> release_plan_form(Workspace(tempfile.mkdtemp())).value().value_measure
    'Active subscribers who order at least twice a month'
    """
    return product_form(workspace, "release-plan")
