"""``pspo-lab cohort collect``: a class dashboard from the workspace exports learners hand in.

Every file of the exports folder is read with :func:`~pspo_lab.core.workspace.read_export`
(the validation a workspace import uses). A file that is damaged, foreign or holds a record
that does not fit its form is listed with one reason and skipped; the collection goes on.
Two exports of the same learner: the newer one counts.

A learner is known by the ``learner`` id of their export, or, for an export without one, by
its file name (without ``.json``). The page shows a pseudonym instead, ``Learner 3f9a``: the
start of a SHA-256 of the cohort id and the learner id, the same in every collection of the
cohort; ``show_names=True`` shows the ids.

The page, ``OUT/<cohort id>/class.html``, is rendered from ``templates/class.html.j2`` with
autoescaping, so learners' text (and ids) stays text; it is written atomically.

>>> pseudonym("ana.lima", "spring")
'Learner b88d'
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from pydantic import ValidationError

from pspo_lab.analysis import class_stats
from pspo_lab.analysis.attempts import AttemptState
from pspo_lab.analysis.cards import ExperimentCard
from pspo_lab.analysis.catchup import STATUSES
from pspo_lab.analysis.mindset import SelfCheck, plot_cohort_radar
from pspo_lab.content.cohort import Cohort
from pspo_lab.content.cohort_files import load_cohort
from pspo_lab.content.question_bank import TOPICS, Bank, load_bank
from pspo_lab.content.syllabus import Syllabus, load_syllabus
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.files import write_atomic
from pspo_lab.core.workspace import Record, read_export
from pspo_lab.trainer.runner import cohort_dir

PAGE = "class.html"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("pspo_lab.trainer", "templates"), autoescape=True,
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Skipped:
    """A file of the exports folder that was not collected, and why."""

    file: str
    reason: str


@dataclass
class LearnerWork:
    """One learner's collected export: who, from which file, and the records."""

    file: str
    learner: str
    exported_at: dt.datetime
    records: list[Record]
    attempts: list[AttemptState] = field(default_factory=list)
    cards: dict[int, ExperimentCard] = field(default_factory=dict)
    self_check: dict[str, int] | None = None


@dataclass(frozen=True)
class Collection:
    """What :func:`collect_class` did: the page written, learners collected, files skipped."""

    page: Path
    learners: int
    skipped: list[Skipped]


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: parsed exports are many small objects without cycles,
    which it would otherwise walk again and again while they are read (a third of the time
    of a large class)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pseudonym(learner: str, cohort_id: str, digits: int = 4) -> str:
    """The name a learner has on the class page: stable for the cohort, hiding the id.

    Examples
    --------
    >>> pseudonym("ana.lima", "spring") == pseudonym("ana.lima", "spring")
    True
    >>> pseudonym("ana.lima", "spring", digits=6)
    'Learner b88d52'
    """
    digest = hashlib.sha256(f"{cohort_id}\n{learner}".encode()).hexdigest()
    return f"Learner {digest[:digits]}"


def learner_labels(learners: Sequence[str], cohort_id: str, show_names: bool = False
                   ) -> dict[str, str]:
    """Each learner's label on the page: the id, or a pseudonym long enough to be unique.

    Examples
    --------
    >>> learner_labels(["ana", "ben"], "spring", show_names=True)
    {'ana': 'ana', 'ben': 'ben'}
    >>> len(set(learner_labels([f"l{n}" for n in range(500)], "spring").values()))
    500
    """
    if show_names:
        return {learner: learner for learner in learners}
    labels: dict[str, str] = {}
    digits = 4
    pending = list(dict.fromkeys(learners))
    while pending:
        names = {learner: pseudonym(learner, cohort_id, digits) for learner in pending}
        taken = pd.Series(list(names.values()) + list(labels.values())).value_counts()
        clash = [learner for learner, name in names.items() if taken[name] > 1]
        labels |= {learner: name for learner, name in names.items() if learner not in clash}
        pending, digits = clash, digits + 2
    return labels


def _checked(bundle_records: list[Record]) -> tuple[list[AttemptState], dict[int, ExperimentCard],
                                                    dict[str, int] | None]:
    """Attempts, cards and self-check of an export, each checked against its form."""
    attempts, cards, self_check = [], {}, None
    for record in bundle_records:
        where = f"record {record.kind}/{record.name}"
        try:
            if record.kind == records.ASSESSMENT_ATTEMPTS.kind:
                attempts.append(AttemptState.model_validate(record.data))
            elif record.kind == records.EXPERIMENT_CARDS.kind:
                number = record.name.removeprefix("module-")
                if not (number.isdigit() and len(number) == 2):
                    raise DataError(f"{where}: not a course module (expected module-NN)")
                cards[int(number)] = ExperimentCard.model_validate(record.data)
            elif (record.kind, record.name) == records.PRODUCT_SELF_CHECK:
                self_check = SelfCheck.model_validate(record.data).model_dump()
        except ValidationError as error:
            raise DataError(format_pydantic_error(where, error)) from None
    return attempts, cards, self_check


def read_class(folder: str | Path) -> tuple[list[LearnerWork], list[Skipped]]:
    """Every learner export in ``folder`` (hidden files aside), and the files skipped.

    Raises
    ------
    ParameterError
        If ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(f"{folder}: not a folder (expected the folder of the learners' "
                             "workspace exports)")
    found: dict[str, LearnerWork] = {}
    skipped: list[Skipped] = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if path.is_dir():
            skipped.append(Skipped(path.name, "a folder (expected a workspace export file)"))
            continue
        try:
            bundle = read_export(path)
            work = LearnerWork(path.name, bundle.learner or path.stem, bundle.exported_at,
                               bundle.records, *_checked(bundle.records))
        except DataError as error:
            skipped.append(Skipped(path.name, str(error).removeprefix(f"{path.name}: ")
                                   .removeprefix(path.name).lstrip(": ")))
            continue
        earlier = found.get(work.learner)
        if earlier is not None:
            older, work = sorted([earlier, work], key=lambda w: (w.exported_at, w.file))
            skipped.append(Skipped(older.file, f"an older export of the same learner as "
                                   f"{work.file}"))
        found[work.learner] = work
    return sorted(found.values(), key=lambda w: w.file), skipped


def _radar_png(scores: pd.DataFrame) -> str:
    """The cohort radar as a base64 PNG (drawn without pyplot's global state)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 5.6))
    figure.subplots_adjust(left=0.08, right=0.74, top=0.9, bottom=0.08)  # room for the legend
    plot_cohort_radar(scores, figure.add_subplot(projection="polar"))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)  # drawn once (a tight bounding box draws twice)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Table rows for the template, with NaN as ``None`` (shown as a dash)."""
    return [{key: (None if isinstance(value, float) and value != value else value)
             for key, value in row.items()}
            for row in table.reset_index().to_dict("records")]


def _debrief(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The misconceptions grouped by question: its stem, facility and references once."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in _rows(table):
        entry = grouped.setdefault(row["question"], {
            key: row[key] for key in ("question", "stem", "facility", "references")} | {
            "options": []})
        entry["options"].append({key: row[key] for key in ("option", "chosen", "share", "why")})
    return list(grouped.values())


def class_context(cohort: Cohort, work: list[LearnerWork], skipped: list[Skipped], bank: Bank,
                  syllabus: Syllabus, show_names: bool = False) -> dict[str, Any]:
    """Everything ``class.html.j2`` shows, computed from the collected exports."""
    labels = learner_labels([w.learner for w in work], cohort.id, show_names)
    # in label order: the order of the files (often names) would hint at who is who
    work = sorted(work, key=lambda w: labels[w.learner])
    learners = [labels[w.learner] for w in work]
    responses = class_stats.exam_responses(
        ((labels[w.learner], state) for w in work for state in w.attempts), bank)
    items = class_stats.item_analysis(responses)
    topics = class_stats.topic_results(responses, syllabus.assessment.pass_mark)
    exams = pd.DataFrame(
        [{"learner": labels[w.learner], "started_at": s.started_at, "score": s.summary.score}
         for w in work for s in w.attempts
         if s.mode == "exam" and s.finished_at is not None and s.summary is not None],
        columns=["learner", "started_at", "score"])
    cards = pd.DataFrame([{"learner": labels[w.learner], "module": module} | card.model_dump()
                          for w in work for module, card in sorted(w.cards.items())],
                         columns=["learner", "module", *ExperimentCard.model_fields])
    saved = pd.DataFrame([(labels[w.learner], r.kind, r.name) for w in work for r in w.records],
                         columns=["learner", "kind", "name"])
    alpha = class_stats.cronbach_alpha(responses)
    checks = {labels[w.learner]: w.self_check for w in work if w.self_check is not None}
    scores = class_stats.self_check_scores(checks) if checks else pd.DataFrame()
    questions = items.join(pd.DataFrame(
        {"topic": [TOPICS[bank.by_id[q].topic].title for q in items.index],
         "stem": [bank.by_id[q].stem for q in items.index]}, index=items.index))
    return {
        "cohort": cohort, "show_names": show_names, "learners": len(work),
        "skipped": skipped, "pass_mark": round(100 * syllabus.assessment.pass_mark),
        "attempts": int(responses["attempt"].nunique()),
        "alpha": None if alpha != alpha else alpha,
        "topics": _rows(topics), "weakest": [TOPICS[t].title for t in topics.index[:3]],
        "items": _rows(questions.sort_values("facility", kind="stable")),
        "debrief": _debrief(class_stats.misconceptions(responses, bank, items)),
        "radar": _radar_png(scores) if len(scores) else "",
        "radar_text": class_stats.radar_description(scores) if len(scores) else "",
        "self_checks": len(scores),
        "statuses": STATUSES,
        "card_counts": _rows(class_stats.card_status_counts(cards)) if len(cards) else [],
        "cards": {status: _rows(cards[cards["status"] == status].drop(columns="status"))
                  for status in STATUSES},
        "completion": _rows(class_stats.module_completion(saved, learners, syllabus)),
        "overview": _rows(class_stats.learner_summary(
            learners, exams, cards, class_stats.modules_complete(saved, learners))),
    }


def render_class_page(context: dict[str, Any]) -> str:
    """The HTML of the class page (every value escaped by the template)."""
    return _TEMPLATES.get_template("class.html.j2").render(**context)


def collect_class(cohort: str, exports: str | Path, out: str | Path, *,
                  show_names: bool = False, bank: Bank | None = None) -> Collection:
    """Read a class's exports and write ``out/<cohort id>/class.html``.

    Parameters
    ----------
    cohort
        The cohort file (or a bundled cohort's name, as for the notebooks' ``cohort``).
    exports
        The folder of the learners' workspace exports.
    out
        The output folder; the page goes into ``out/<cohort id>/``.
    show_names
        Show learner ids instead of pseudonyms.
    bank
        The question bank (default: the course's).

    Returns
    -------
    Collection
        The page, the number of learners collected and the files skipped.

    Raises
    ------
    DataError
        If no file of the folder is a usable export (nothing is written).

    Examples
    --------
    >>> import tempfile
    >>> from pspo_lab.trainer.class_demo import write_class_exports
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_class_exports(folder, learners=4, seed=1)
    >>> done = collect_class("apac-evening", folder, tempfile.mkdtemp())
    >>> done.page.name, done.learners, done.skipped
    ('class.html', 4, [])
    """
    chosen = load_cohort(cohort)
    page = cohort_dir(out, chosen.id) / PAGE
    with _no_cycle_collection():  # resumed once the exports read are gone again
        text, learners, skipped = _class_page(chosen, exports, bank or load_bank(), show_names)
    write_atomic(page, text)
    return Collection(page, learners, skipped)


def _class_page(cohort: Cohort, exports: str | Path, bank: Bank, show_names: bool
                ) -> tuple[str, int, list[Skipped]]:
    """The page's HTML, the number of learners and the files skipped."""
    work, skipped = read_class(exports)
    if not work:
        reasons = f" ({len(skipped)} file(s) skipped, e.g. {skipped[0].file}: " \
                  f"{skipped[0].reason})" if skipped else ""
        raise DataError(f"{exports}: no learner's workspace export found{reasons}; nothing "
                        "was written")
    context = class_context(cohort, work, skipped, bank, load_syllabus(), show_names)
    return render_class_page(context), len(work), skipped
