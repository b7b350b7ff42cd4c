"""Facilitator notes per notebook: debrief questions, model answers, common mistakes.

The notes are data in ``content/data/facilitator/NN_topic.yaml``, one file per notebook, and
only trainers see them (``pspo-lab cohort run ... --facilitator``), together with the minute
budget of each section, which the notebook itself carries (:mod:`pspo_lab.content.section_plan`).

>>> notes = load_facilitator_notes("01_product_vs_project")
>>> notes.part, len(notes.debrief) > 0
(1, True)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.content.packaged import data_file
from pspo_lab.content.syllabus import Syllabus, load_syllabus
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.files import load_yaml, read_text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FacilitatorNotes(_Strict):
    """What a trainer needs beside a hand-out to run one session part."""

    part: int = Field(ge=0, description="syllabus part id; 0 is the welcome notebook")
    debrief: list[str] = Field(min_length=1, description="questions for the class")
    model_answer: str | None = Field(default=None, description="for the assignment")
    mistakes: list[str] = Field(min_length=1, description="common learner mistakes")


def load_facilitator_notes(notebook: str, syllabus: Syllabus | None = None,
                           folder: str | Path | None = None) -> FacilitatorNotes:
    """The facilitator notes of ``notebook`` (e.g. ``"07_releases_and_forecasting"``).

    Parameters
    ----------
    notebook
        The notebook's name without ``.ipynb``.
    syllabus
        The syllabus whose part the notes belong to (default: the packaged one).
    folder
        Where the YAML files are (default: the packaged ``data/facilitator``).

    Returns
    -------
    FacilitatorNotes
        The validated notes.

    Raises
    ------
    DataError
        If the file is missing or invalid, or a part with an assignment has no model answer.

    Examples
    --------
    >>> load_facilitator_notes("07_releases_and_forecasting").mistakes[0]
    'Quoting the 50% forecast as "the date".'
    >>> load_facilitator_notes("99_nothing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: .../99_nothing.yaml: no facilitator notes (expected a YAML file ...)
    """
    path = Path(folder or data_file("facilitator")) / f"{notebook}.yaml"
    if not path.is_file():
        raise DataError(f"{path}: no facilitator notes (expected a YAML file with "
                        "debrief, model_answer and mistakes)")
    try:
        data = load_yaml(read_text(path, "facilitator notes"), str(path))
        notes = FacilitatorNotes.model_validate(data)
    except ValidationError as error:
        raise DataError(format_pydantic_error(str(path), error)) from None
    except yaml.YAMLError as error:
        raise DataError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    parts = {p.id: p for p in (syllabus or load_syllabus()).parts}
    part = parts.get(notes.part)
    if part is not None and part.assignment is not None and not notes.model_answer:
        raise DataError(f"{path}: model_answer: missing (expected a model answer for the "
                        f"assignment {part.assignment.title!r})")
    return notes
