"""pspo-lab: the helper package behind the Professional Scrum Product Owner course notebooks.

Modules are named after the course's domains; notebooks import what they need, e.g.
``from pspo_lab import load_dataset``.
"""

from .datasets import load_dataset, read_csv
from .errors import DataError, ParameterError, PspoLabError

__all__ = ["DataError", "ParameterError", "PspoLabError", "load_dataset", "read_csv"]
__version__ = "0.1.0"
