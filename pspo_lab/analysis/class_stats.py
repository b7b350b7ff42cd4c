"""A class's results, from many learners' saved work: the statistics of the class dashboard.

Pure functions over DataFrames; reading the learners' files and writing the page is the
trainer layer's job (:mod:`pspo_lab.trainer.collect`).

* :func:`exam_responses`: one row per question of each learner's first finished practice
  exam (Moodle's "first attempt" setting: nobody counts twice), with the score (0 or 1,
  all or nothing) and the options chosen;
* :func:`item_analysis` and :func:`cronbach_alpha`: the item statistics of Moodle's quiz
  statistics report (facility index, standard deviation, discrimination index,
  discriminative efficiency) and the coefficient of internal consistency;
* :func:`topic_results` and :func:`misconceptions`: results per topic, and the wrong options
  chosen most often with the bank's reason why they are wrong;
* :func:`card_status_counts` and :func:`module_completion`: experiment cards by status and
  which module's records each learner saved.

>>> responses = pd.DataFrame({"attempt": ["a", "a", "b", "b", "c", "c"],
...                           "question": ["Q1", "Q2"] * 3, "score": [1, 1, 1, 0, 0, 0]})
>>> item_analysis(responses)[["attempts", "facility"]].to_dict("index")
{'Q1': {'attempts': 3, 'facility': 66.7}, 'Q2': {'attempts': 3, 'facility': 33.3}}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from pspo_lab.analysis.attempts import AttemptState, topic_table, weakest_topics
from pspo_lab.analysis.cards import card_name
from pspo_lab.analysis.catchup import STATUSES
from pspo_lab.analysis.mindset import score_self_checks
from pspo_lab.content.question_bank import Bank, load_references
from pspo_lab.content.syllabus import Syllabus
from pspo_lab.core import records
from pspo_lab.core.records import RecordName

RESPONSE_COLUMNS = ["learner", "attempt", "slot", "question", "topic", "score", "chosen"]

#: The records each module's notebook saves (a name of ``None``: any record of that kind).
#: The experiment card ``experiment-cards/module-NN`` is the module's assignment.
MODULE_RECORDS: dict[int, tuple[RecordName, ...]] = {
    1: (records.PRODUCT_DEFINITION, records.PRODUCT_SELF_CHECK),
    2: (records.CANVASES, records.STRATEGY_TARGETS, records.STRATEGY_TCO,
        records.STRATEGY_ASSUMPTIONS, records.STRATEGY_IMPACT_MAP),
    3: (records.METRICS_INVENTORY,),
    4: (records.COMPLEXITY_FACTORS,),
    5: (records.SCRUM_CHECK,),
    6: (records.BACKLOG_ROADMAP, records.DECISION_LOG),
    7: (),
    8: (records.ASSESSMENT_ATTEMPTS,),
    9: (records.CATCHUP_REFLECTION, records.CATCHUP_PLAN),
}


def exam_responses(attempts: Iterable[tuple[str, AttemptState]], bank: Bank) -> pd.DataFrame:
    """One row per question of each learner's first finished practice exam.

    Parameters
    ----------
    attempts
        ``(learner, attempt)`` pairs; attempts of other modes, unfinished exams and later
        exams of the same learner are left out.
    bank
        The question bank: questions no longer in it are left out; a question that moved
        topic counts under its current id.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RESPONSE_COLUMNS`: ``slot`` is the question's number in the exam,
        ``score`` 1 when exactly the key was chosen (else 0, unanswered too), ``chosen`` the
        options picked (positions in the bank's order; empty when unanswered).

    Examples
    --------
    >>> import datetime as dt
    >>> from pspo_lab.analysis.attempts import FakeClock
    >>> from pspo_lab.analysis.exam import new_attempt
    >>> from pspo_lab.content.question_bank import load_bank
    >>> bank = load_bank("tests/fixtures/questions")
    >>> exam = new_attempt(bank, ["EVT-001", "EVT-002"], "exam", seed=1, title="demo",
    ...                    clock=FakeClock(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)))
    >>> exam.answer(1, exam.answer_key(1))
    >>> _ = exam.finish()
    >>> exam_responses([("ana", exam.state)], bank)[["slot", "question", "score"]].values.tolist()
    [[1, 'EVT-001', 1], [2, 'EVT-002', 0]]
    """
    first: dict[str, AttemptState] = {}
    for learner, state in attempts:
        if state.mode == "exam" and state.finished_at is not None and (
                learner not in first or state.started_at < first[learner].started_at):
            first[learner] = state
    rows = []
    keys: dict[str, list[int]] = {}
    for learner, state in first.items():
        for slot, qid in enumerate(state.question_ids, start=1):
            question = bank.by_id.get(qid)
            if question is None:
                continue
            key = keys.get(qid) or keys.setdefault(qid, question.key)
            given = state.answers.get(qid, [])
            rows.append((learner, f"{learner}/{state.name}", slot, question.id,
                         question.topic or "", int(sorted(given) == key), tuple(given)))
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)


def item_analysis(responses: pd.DataFrame) -> pd.DataFrame:
    """Moodle's item statistics for every question, over the attempts that contained it.

    With ``x`` a question's score (0 or 1; the maximum is 1) and ``y`` the attempt's total
    minus ``x`` (the rest of the test), sample statistics (``n - 1``):

    * facility index ``100 * mean(x) / 1``: the share of attempts that got it right;
    * standard deviation ``100 * sd(x) / 1``;
    * discrimination index ``100 * cov(x, y) / sqrt(var(x) * var(y))``: how well the
      question separates learners who do well on the rest from those who do not;
    * discriminative efficiency ``100 * cov(x, y) / covmax``, where ``covmax`` pairs ``x`` and
      ``y`` each sorted on its own: the discrimination index as a share of the highest this
      question could reach.

    An index is NaN when it is undefined (fewer than two attempts, or no variation).

    Parameters
    ----------
    responses
        Columns ``attempt``, ``question``, ``score`` (as :func:`exam_responses` returns).

    Returns
    -------
    pandas.DataFrame
        Indexed by question: ``attempts``, ``facility``, ``sd``, ``discrimination``,
        ``efficiency``, rounded to 0.1.

    Examples
    --------
    >>> responses = pd.DataFrame({"attempt": list("aabbcc"), "question": ["Q1", "Q2"] * 3,
    ...                           "score": [1, 1, 1, 0, 0, 0]})
    >>> item_analysis(responses).loc["Q1", ["discrimination", "efficiency"]].tolist()
    [50.0, 100.0]
    """
    columns = ["attempts", "facility", "sd", "discrimination", "efficiency"]
    if responses.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="question"), dtype=float)
    frame = responses[["attempt", "question", "score"]].astype({"score": float})
    frame = frame.assign(rest=frame.groupby("attempt")["score"].transform("sum")
                         - frame["score"])
    groups = frame.groupby("question", sort=True)
    n = groups.size()
    x_mean, y_mean = groups["score"].mean(), groups["rest"].mean()
    x_var, y_var = groups["score"].var(ddof=1), groups["rest"].var(ddof=1)
    dx = frame["score"] - frame["question"].map(x_mean)
    dy = frame["rest"] - frame["question"].map(y_mean)
    cov = (dx * dy).groupby(frame["question"]).sum() / (n - 1)
    # covmax: x and y sorted each on its own within the question, then paired by rank
    by_x = frame.sort_values(["question", "score"], kind="stable")
    by_y = frame.sort_values(["question", "rest"], kind="stable")
    sorted_dx = by_x["score"].to_numpy() - by_x["question"].map(x_mean).to_numpy()
    sorted_dy = by_y["rest"].to_numpy() - by_y["question"].map(y_mean).to_numpy()
    cov_max = pd.Series(sorted_dx * sorted_dy).groupby(by_x["question"].to_numpy()).sum() / (
        n - 1)
    spread = np.sqrt(x_var * y_var)
    table = pd.DataFrame({
        "attempts": n,
        "facility": 100 * x_mean,
        "sd": 100 * np.sqrt(x_var),
        "discrimination": (100 * cov / spread).where(spread > 0),
        "efficiency": (100 * cov / cov_max).where(cov_max > 0),
    })
    table.index.name = "question"
    return table.round(1)


def cronbach_alpha(responses: pd.DataFrame) -> float:
    """Cronbach's alpha of the attempt set, with the exam's question numbers as items.

    ``k / (k - 1) * (1 - sum of item variances / variance of the totals)``, sample
    variances, over the question numbers (slots) every attempt has, as Moodle computes its
    coefficient of internal consistency (there in percent) for quizzes whose questions are
    drawn at random. Attempts of another length than the most common one are left out.

    Parameters
    ----------
    responses
        Columns ``attempt``, ``slot``, ``score`` (as :func:`exam_responses` returns).

    Returns
    -------
    float
        Alpha (1 is perfectly consistent), or NaN for fewer than two attempts or slots or
        totals that do not vary.

    Examples
    --------
    >>> responses = pd.DataFrame({"attempt": list("aabbcc"), "slot": [1, 2] * 3,
    ...                           "score": [1, 1, 1, 0, 0, 0]})
    >>> round(cronbach_alpha(responses), 3)
    0.667
    """
    if responses.empty:
        return float("nan")
    lengths = responses.groupby("attempt")["slot"].max()
    usual = lengths.mode().max()
    kept = responses[responses["attempt"].isin(lengths[lengths == usual].index)]
    matrix = kept.pivot_table(index="attempt", columns="slot", values="score",
                              aggfunc="sum").dropna(axis=1)
    k = matrix.shape[1]
    total_var = matrix.sum(axis=1).var(ddof=1)
    if k < 2 or len(matrix) < 2 or not total_var > 0:
        return float("nan")
    return float(k / (k - 1) * (1 - matrix.var(ddof=1).sum() / total_var))


def topic_results(responses: pd.DataFrame, pass_mark: float = 0.85) -> pd.DataFrame:
    """The class's practice-exam results per topic, weakest first.

    Parameters
    ----------
    responses
        Columns ``attempt``, ``topic``, ``score`` (as :func:`exam_responses` returns).
    pass_mark
        Share correct that passes (0.85 in the PSPO I assessment).

    Returns
    -------
    pandas.DataFrame
        Indexed by topic: ``title``, ``questions`` (answers given), ``correct``, ``percent``
        and ``below_pass_mark`` (attempts scoring under the pass mark on the topic); rows
        in the order of :func:`~pspo_lab.analysis.attempts.weakest_topics`.

    Examples
    --------
    >>> responses = pd.DataFrame({"attempt": list("aabb"), "score": [1, 0, 1, 1],
    ...                           "topic": ["events", "artifacts"] * 2})
    >>> topic_results(responses)[["percent", "below_pass_mark"]].to_dict("index")
    {'artifacts': {'percent': 50.0, 'below_pass_mark': 1}, 'events': {'percent': 100.0, \
'below_pass_mark': 0}}
    """
    per_topic = responses.groupby("topic", sort=False)["score"].agg(["sum", "count"])
    table = topic_table({t: (int(row["sum"]), int(row["count"]))
                         for t, row in per_topic.iterrows()})
    attempt_share = responses.groupby(["topic", "attempt"])["score"].mean()
    below = (attempt_share < pass_mark).groupby(level="topic").sum()
    table["below_pass_mark"] = below.reindex(table.index, fill_value=0).astype(int)
    return table.loc[weakest_topics(table, len(table))] if len(table) else table


def misconceptions(responses: pd.DataFrame, bank: Bank, items: pd.DataFrame,
                   questions: int = 8, options: int = 2) -> pd.DataFrame:
    """The wrong options chosen most often, for the hardest questions: what to debrief.

    Parameters
    ----------
    responses
        As :func:`exam_responses` returns them.
    bank
        The question bank (option texts, why an option is wrong, Guide references).
    items
        :func:`item_analysis` of ``responses`` (questions are taken lowest facility first).
    questions, options
        How many questions with wrong answers, and wrong options per question.

    Returns
    -------
    pandas.DataFrame
        One row per question and option: ``question``, ``topic``, ``stem``, ``facility``,
        ``option`` (its text), ``chosen`` (times chosen in a wrong answer), ``share``
        (percent of the question's wrong answers), ``why`` and ``references`` (citations).

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
    >>> bank = load_bank("tests/fixtures/questions")
    >>> wrong = [o for o in range(len(bank.by_id["EVT-001"].options))
    ...          if o not in bank.by_id["EVT-001"].key][0]
    >>> responses = pd.DataFrame({"attempt": ["a", "b"], "question": "EVT-001",
    ...                           "score": [0, 1], "chosen": [(wrong,), ()]})
    >>> table = misconceptions(responses, bank, item_analysis(responses))
    >>> table[["question", "chosen", "share"]].to_dict("records")
    [{'question': 'EVT-001', 'chosen': 1, 'share': 100.0}]
    """
    columns = ["question", "topic", "stem", "facility", "option", "chosen", "share", "why",
               "references"]
    wrong = responses[(responses["score"] == 0) & (responses["chosen"].map(len) > 0)]
    picks = wrong[["question", "chosen"]].explode("chosen").dropna()
    keys = {q: set(bank.by_id[q].key) for q in picks["question"].unique()}
    picks = picks[np.array([int(o) not in keys[q] for q, o in zip(
        picks["question"].tolist(), picks["chosen"].tolist(), strict=True)], dtype=bool)]
    counts = picks.groupby(["question", "chosen"]).size().rename("n").reset_index()
    answered_wrong = wrong.groupby("question").size()
    references = load_references()
    rows = []
    for qid in items.sort_values(["facility"], kind="stable").index:
        found = counts[counts["question"] == qid].sort_values(["n", "chosen"],
                                                              ascending=[False, True])
        if found.empty:
            continue
        question = bank.by_id[qid]
        for option, n in zip(found["chosen"][:options], found["n"][:options], strict=True):
            rows.append({"question": qid, "topic": question.topic, "stem": question.stem,
                         "facility": items.loc[qid, "facility"],
                         "option": question.options[int(option)].text, "chosen": int(n),
                         "share": round(100 * n / answered_wrong[qid], 1),
                         "why": question.options[int(option)].why or question.explanation,
                         "references": [references.cite(r) for r in question.refs]})
        if len({row["question"] for row in rows}) == questions:
            break
    return pd.DataFrame(rows, columns=columns)


def card_status_counts(cards: pd.DataFrame) -> pd.DataFrame:
    """Experiment cards per module and status (planned, running, done, abandoned), with totals.

    Examples
    --------
    >>> cards = pd.DataFrame({"module": [1, 1, 2], "status": ["done", "planned", "done"]})
    >>> card_status_counts(cards).loc[1].to_dict()
    {'planned': 1, 'running': 0, 'done': 1, 'abandoned': 0, 'total': 2}
    """
    counts = pd.crosstab(cards["module"], pd.Categorical(cards["status"], STATUSES),
                         dropna=False).reindex(columns=STATUSES, fill_value=0)
    counts.columns = list(STATUSES)
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "module"
    return counts.astype(int)


def _saved_by_learner(saved: pd.DataFrame, learners: Sequence[str]
                      ) -> dict[str, set[tuple[str, str]]]:
    by_learner: dict[str, set[tuple[str, str]]] = {learner: set() for learner in learners}
    for learner, kind, name in zip(*(saved[c].tolist() for c in ("learner", "kind", "name")),
                                   strict=True):
        by_learner.setdefault(learner, set()).add((kind, name))
    return by_learner


def _card(module: int) -> tuple[str, str]:
    return tuple(records.EXPERIMENT_CARDS.named(card_name(module)))  # type: ignore


def _complete(done: set[tuple[str, str]], module: int) -> bool:
    """Whether ``done`` holds the module's card and every record it saves."""
    kinds = {kind for kind, _ in done}
    return _card(module) in done and all(
        wanted.kind in kinds if wanted.name is None else tuple(wanted) in done
        for wanted in MODULE_RECORDS[module])


def modules_complete(saved: pd.DataFrame, learners: Sequence[str]) -> dict[str, int]:
    """How many modules each learner saved in full (card and :data:`MODULE_RECORDS`).

    Examples
    --------
    >>> saved = pd.DataFrame({"learner": ["a", "a"], "kind": ["experiment-cards", "metrics"],
    ...                       "name": ["module-03", "inventory"]})
    >>> modules_complete(saved, ["a", "b"])
    {'a': 1, 'b': 0}
    """
    return {learner: sum(_complete(done, module) for module in MODULE_RECORDS)
            for learner, done in _saved_by_learner(saved, learners).items()}


def module_completion(saved: pd.DataFrame, learners: Sequence[str], syllabus: Syllabus
                      ) -> pd.DataFrame:
    """Per module with an assignment: learners who saved its experiment card, and everything
    the module saves (the card and :data:`MODULE_RECORDS`).

    Parameters
    ----------
    saved
        One row per saved record: ``learner``, ``kind``, ``name``.
    learners
        Every learner of the class (those who saved nothing count too).
    syllabus
        Module titles and assignments.

    Returns
    -------
    pandas.DataFrame
        Indexed by module: ``title``, ``assignment``, ``card_saved`` and ``records_saved``
        (learners) and their percentages of the class (``card_percent``,
        ``records_percent``).

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> saved = pd.DataFrame({"learner": ["a", "a"], "kind": ["experiment-cards", "metrics"],
    ...                       "name": ["module-03", "inventory"]})
    >>> row = module_completion(saved, ["a", "b"], load_syllabus()).loc[3]
    >>> int(row["card_saved"]), int(row["records_saved"]), float(row["card_percent"])
    (1, 1, 50.0)
    """
    by_learner = _saved_by_learner(saved, learners)
    class_size = max(len(by_learner), 1)
    rows = []
    for part in syllabus.parts:
        if part.assignment is None or part.id not in MODULE_RECORDS:
            continue
        cards = sum(_card(part.id) in done for done in by_learner.values())
        complete = sum(_complete(done, part.id) for done in by_learner.values())
        rows.append({"module": part.id, "title": part.title,
                     "assignment": part.assignment.title, "card_saved": cards,
                     "card_percent": round(100 * cards / class_size, 1),
                     "records_saved": complete,
                     "records_percent": round(100 * complete / class_size, 1)})
    return pd.DataFrame(rows).set_index("module")


def self_check_scores(answers: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Self-check scores (0 to 100 per dimension), one row per learner.

    Parameters
    ----------
    answers
        Each learner's self-check answers, checked and complete (``q01`` ... ``q10``, as
        ``SelfCheck(...).model_dump()`` gives them).

    Examples
    --------
    >>> scores = self_check_scores({"ana": {f"q{n:02d}": 3 for n in range(1, 11)}})
    >>> scores.shape, float(scores.iloc[0, 0])
    ((1, 5), 50.0)
    """
    return score_self_checks(pd.DataFrame.from_dict(answers, orient="index"))


def radar_description(scores: pd.DataFrame) -> str:
    """What the cohort radar chart shows, in words (the image's alternative text).

    Examples
    --------
    >>> radar_description(pd.DataFrame({"Customer focus": [40.0, 60.0]}))
    'Self-check of 2 learners, median (lowest to highest) out of 100: Customer focus 50 (40 to 60).'
    """
    parts = [f"{name} {scores[name].median():.0f} ({scores[name].min():.0f} to "
             f"{scores[name].max():.0f})" for name in scores.columns]
    return (f"Self-check of {len(scores)} learners, median (lowest to highest) out of 100: "
            + "; ".join(parts) + ".")


def learner_summary(learners: Sequence[str], exams: pd.DataFrame, cards: pd.DataFrame,
                    completion: dict[str, int]) -> pd.DataFrame:
    """One row per learner: practice exams finished, first and best score, cards, modules.

    Parameters
    ----------
    learners
        Every learner, in the order of the rows.
    exams
        One row per finished practice exam: ``learner``, ``started_at``, ``score`` (0 to 1).
    cards
        One row per experiment card: ``learner``, ``status``.
    completion
        Modules whose records each learner saved in full.

    Examples
    --------
    >>> exams = pd.DataFrame({"learner": ["a", "a"], "started_at": [2, 1],
    ...                       "score": [0.9, 0.7]})
    >>> cards = pd.DataFrame({"learner": ["a"], "status": ["done"]})
    >>> learner_summary(["a", "b"], exams, cards, {"a": 3}).to_dict("index")["a"]
    {'exams': 2, 'first_score': 70.0, 'best_score': 90.0, 'cards': 1, 'cards_done': 1, \
'modules_complete': 3}
    """
    ordered = exams.sort_values("started_at", kind="stable").groupby("learner")["score"]
    table = pd.DataFrame(index=pd.Index(list(learners), name="learner"))
    table["exams"] = ordered.size().reindex(table.index, fill_value=0).astype(int)
    table["first_score"] = (100 * ordered.first()).round(1).reindex(table.index)
    table["best_score"] = (100 * ordered.max()).round(1).reindex(table.index)
    grouped = cards.groupby("learner")["status"]
    table["cards"] = grouped.size().reindex(table.index, fill_value=0).astype(int)
    table["cards_done"] = cards[cards["status"] == "done"].groupby("learner").size().reindex(
        table.index, fill_value=0).astype(int)
    table["modules_complete"] = [completion.get(learner, 0) for learner in table.index]
    return table
