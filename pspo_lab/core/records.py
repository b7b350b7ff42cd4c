"""The one list of what a learner's workspace holds: every record's kind and name.

A record is addressed as ``<kind>/<name>`` in the workspace. Forms, exports, imports and the
notebooks all take the address from here, so a record is never spelled two ways.

>>> STRATEGY_TCO
RecordName(kind='strategy', name='tco')
>>> EXPERIMENT_CARDS.named("part-02").name
'part-02'
"""

from __future__ import annotations

from typing import NamedTuple


class RecordName(NamedTuple):
    """Where a record lives in the workspace.

    ``name`` is ``None`` for a kind that holds many records (one experiment card per part,
    one decision-log entry per name, one assessment attempt per start): :meth:`named`
    gives the address of one of them.

    Examples
    --------
    >>> RecordName("canvas", "lean").path
    'canvas/lean'
    """

    kind: str
    name: str | None = None

    def named(self, name: str) -> RecordName:
        """The address of the record ``name`` of this kind.

        Examples
        --------
        >>> DECISION_LOG.named("latest")
        RecordName(kind='decision-log', name='latest')
        """
        return RecordName(self.kind, name)

    @property
    def path(self) -> str:
        """``kind/name`` as the learner sees it in messages (``kind/*`` for a whole kind)."""
        return f"{self.kind}/{self.name or '*'}"


PRODUCT_DEFINITION = RecordName("product", "definition")
PRODUCT_SELF_CHECK = RecordName("self-check", "product-mindset")
CANVASES = RecordName("canvas")
STRATEGY_TARGETS = RecordName("strategy", "targets")
STRATEGY_TCO = RecordName("strategy", "tco")
STRATEGY_ASSUMPTIONS = RecordName("strategy", "assumptions")
STRATEGY_IMPACT_MAP = RecordName("strategy", "impact-map")
STRATEGY_PERSONA = RecordName("strategy", "persona")
METRICS_INVENTORY = RecordName("metrics", "inventory")
COMPLEXITY_FACTORS = RecordName("complexity", "factors")
SCRUM_CHECK = RecordName("scrum-check", "process")
BACKLOG_ROADMAP = RecordName("backlog", "roadmap")
BACKLOG_REFINEMENT = RecordName("backlog", "refinement")
DECISION_LOG = RecordName("decision-log")
EXPERIMENT_CARDS = RecordName("experiment-cards")
RELEASE_PLAN = RecordName("forecast", "release-plan")
CATCHUP_REFLECTION = RecordName("catchup", "reflection")
CATCHUP_PLAN = RecordName("catchup", "two-week-plan")
ASSESSMENT_ATTEMPTS = RecordName("assessment-attempts")
