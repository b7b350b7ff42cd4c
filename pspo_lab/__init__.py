"""pspo-lab: the helper package behind the Professional Scrum Product Owner course notebooks.

The package has five layers, each a subpackage of domain modules; a layer imports only the
layers below it (checked by import-linter, see ``pyproject.toml``):

* ``pspo_lab.trainer`` and ``pspo_lab.widgets`` (independent of each other);
* ``pspo_lab.analysis``: course logic and charts, no widgets;
* ``pspo_lab.content``: the case study, syllabus, cohorts and question bank;
* ``pspo_lab.core``: errors, tables and the learner's workspace.

The most used names are here, e.g. ``from pspo_lab import load_dataset``.
"""

from pspo_lab.content.datasets import load_dataset, read_csv
from pspo_lab.core.errors import DataError, ParameterError, PspoLabError

__all__ = ["DataError", "ParameterError", "PspoLabError", "load_dataset", "read_csv"]
__version__ = "0.1.0"
