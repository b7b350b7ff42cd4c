"""Facilitator notes per notebook: minute timings, debrief questions, model answers, mistakes.

The notes are data in ``content/data/facilitator/NN_topic.yaml``, one file per notebook, and
only trainers see them (``pspo-lab cohort run ... --facilitator``). The timings name the
notebook's ``##`` sections; for a syllabus part they add up to the part's duration.

>>> notes = load_facilitator_notes("01_product_vs_project")
>>> sum(t.minutes for t in notes.timings), len(notes.debrief) > 0
(120, True)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.content.packaged import data_file
from pspo_lab.content.syllabus import Syllabus, load_syllabus
from pspo_lab.core.errors import DataError, format_pydantic_error


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timing(_Strict):
    """Minutes a trainer plans for one ``##`` section of the notebook."""

    section: str = Field(min_length=1)
    minutes: int = Field(gt=0)


class FacilitatorNotes(_Strict):
    """What a trainer needs beside a hand-out to run one session part."""

    part: int = Field(ge=0, description="syllabus part id; 0 is the welcome notebook")
    timings: list[Timing] = Field(min_length=1)
    debrief: list[str] = Field(min_length=1, description="questions for the class")
    model_answer: str | None = Field(default=None, description="for the assignment")
    mistakes: list[str] = Field(min_length=1, description="common learner mistakes")

    @property
    def minutes(self) -> int:
        """The planned minutes of all sections together."""
        return sum(t.minutes for t in self.timings)


def load_facilitator_notes(notebook: str, syllabus: Syllabus | None = None,
                           folder: str | Path | None = None) -> FacilitatorNotes:
    """The facilitator notes of ``notebook`` (e.g. ``"07_releases_and_forecasting"``).

    Parameters
    ----------
    notebook
        The notebook's name without ``.ipynb``.
    syllabus
        The syllabus the timings must fit (default: the packaged one).
    folder
        Where the YAML files are (default: the packaged ``data/facilitator``).

    Returns
    -------
    FacilitatorNotes
        The validated notes.

    Raises
    ------
    DataError
        If the file is missing or invalid, or its timings do not add up to the duration of
        its syllabus part, or a part with an assignment has no model answer.

    Examples
    --------
    >>> load_facilitator_notes("07_releases_and_forecasting").timings[0].section
    '1. Forecasting in a complex environment'
    >>> load_facilitator_notes("99_nothing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: .../99_nothing.yaml: no facilitator notes (expected a YAML file ...)
    """
    path = Path(folder or data_file("facilitator")) / f"{notebook}.yaml"
    if not path.is_file():
        raise DataError(f"{path}: no facilitator notes (expected a YAML file with timings, "
                        "debrief, model_answer and mistakes)")
    try:
        notes = FacilitatorNotes.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as error:
        raise DataError(format_pydantic_error(str(path), error)) from None
    except yaml.YAMLError as error:
        raise DataError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    parts = {p.id: p for p in (syllabus or load_syllabus()).parts}
    part = parts.get(notes.part)
    if part is not None and notes.minutes != part.duration:
        raise DataError(f"{path}: timings: add up to {notes.minutes} min (expected the "
                        f"{part.duration} min of syllabus part {part.id})")
    if part is not None and part.assignment is not None and not notes.model_answer:
        raise DataError(f"{path}: model_answer: missing (expected a model answer for the "
                        f"assignment {part.assignment.title!r})")
    return notes
