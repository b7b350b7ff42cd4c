"""Widgets for the practice assessment: they only wire calls of :mod:`pspo_lab.analysis.exam`,
:mod:`pspo_lab.analysis.sessions` and :mod:`pspo_lab.analysis.attempts`.

:class:`QuizView` shows one attempt, :func:`module_check` is the end-of-module check of
notebooks 01-07, :func:`review_view` and :func:`resume_view` review and continue attempts. The
HTML shown (question feedback, results, review) is built by the plain functions below, which
escape every piece of question text, so they are tested without a browser.

>>> from pspo_lab.analysis.exam import new_attempt
>>> from pspo_lab.content.question_bank import load_bank
>>> bank = load_bank("tests/fixtures/questions")
>>> view = QuizView(new_attempt(bank, ["ST-001", "EVT-002"], "learn", seed=2, title="demo"))
>>> view.current, len(view.grid_buttons)
(1, 2)
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import ipywidgets as widgets
import pandas as pd

from pspo_lab.analysis.attempts import AttemptStore, Clock, utc_now
from pspo_lab.analysis.exam import Attempt, Feedback, Result, Shown, TimeUp
from pspo_lab.analysis.sessions import MODULE_TOPICS, answer_all, resume, start_learn
from pspo_lab.content.question_bank import Bank, load_bank
from pspo_lab.core.errors import ParameterError, PspoLabError
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.notebook import open_workspace


def format_remaining(remaining: dt.timedelta | None) -> str:
    """``"mm:ss left"`` for a timed attempt, ``"untimed"`` otherwise.

    Examples
    --------
    >>> format_remaining(dt.timedelta(minutes=59, seconds=5))
    '59:05 left'
    >>> format_remaining(None)
    'untimed'
    """
    if remaining is None:
        return "untimed"
    seconds = int(remaining.total_seconds())
    return f"{seconds // 60:02d}:{seconds % 60:02d} left"


def error_html(error: Exception) -> str:
    """An error message in red, HTML-escaped, for the message line under a widget.

    Examples
    --------
    >>> error_html(ValueError("no <attempt>"))
    "<span style='color:#a00'>no &lt;attempt&gt;</span>"
    """
    return f"<span style='color:#a00'>{html.escape(str(error))}</span>"


def feedback_html(shown: Shown, feedback: Feedback) -> str:
    """Verdict, key, rationale of the wrong options chosen, explanation and references.

    Examples
    --------
    >>> shown = Shown(1, "ST-002", "scrum_team", "truefalse", "A committee?", ["True", "False"],
    ...               1, [0], False)
    >>> fb = Feedback(False, [0], [1], "One person.", {0: "No <committees>."}, ["SG-32 ..."])
    >>> "Not quite" in feedback_html(shown, fb), "&lt;committees&gt;" in feedback_html(shown, fb)
    (True, True)
    """
    verdict = ("<b style='color:#2e7d32'>Correct.</b>" if feedback.correct
               else "<b style='color:#a00'>Not quite.</b>")
    key = "; ".join(html.escape(shown.options[p]) for p in feedback.key)
    why = "".join(f"<li>{html.escape(shown.options[p])}: {html.escape(text)}</li>"
                  for p, text in feedback.why.items() if text)
    refs = "".join(f"<li>{html.escape(r)}</li>" for r in feedback.references)
    return (f"<div>{verdict} Answer: {key}</div>"
            + (f"<ul>{why}</ul>" if why else "")
            + f"<p>{html.escape(feedback.explanation)}</p>"
            + f"<details><summary>References</summary><ul>{refs}</ul></details>")


def result_html(result: Result) -> str:
    """The headline and the per-topic table of a result.

    Examples
    --------
    >>> from pspo_lab.analysis.attempts import topic_table
    >>> "75.0" in result_html(Result(3, 4, 0.85, topic_table({"events": (3, 4)})))
    True
    """
    rows = "".join(f"<tr><td>{html.escape(str(r.title))}</td><td>{r.correct}/{r.questions}"
                   f"</td><td>{r.percent:.1f}%</td></tr>" for r in result.topics.itertuples())
    return (f"<h4>{html.escape(result.headline())}</h4><table><tr><th>Topic</th>"
            f"<th>Correct</th><th>Percent</th></tr>{rows}</table>")


def review_html(review: pd.DataFrame) -> str:
    """Every reviewed question with the answer given, the key and the explanation.

    Examples
    --------
    >>> table = pd.DataFrame([{"number": 1, "id": "X-001", "topic": "events", "stem": "a<b?",
    ...     "your_answer": [], "key": ["yes"], "correct": False, "flagged": True,
    ...     "explanation": "Because.", "refs": ["SG-01"]}]).set_index("number")
    >>> "a&lt;b?" in review_html(table)
    True
    """
    if review.empty:
        return "<p>Nothing to review here.</p>"
    parts = []
    for row in review.itertuples():
        mark = "&#10004;" if row.correct else "&#10008;"
        given = "; ".join(map(html.escape, row.your_answer)) or "(no answer)"
        flag = " &#9873; flagged" if row.flagged else ""
        parts.append(f"<div style='margin-bottom:0.8em'><b>{mark} {row.Index}. "
                     f"[{html.escape(row.id)}]</b>{flag} {html.escape(row.stem)}<br>"
                     f"Your answer: {given}<br>Key: "
                     f"{'; '.join(map(html.escape, row.key))}<br>"
                     f"<i>{html.escape(row.explanation)}</i> "
                     f"({', '.join(map(html.escape, row.refs))})</div>")
    return "".join(parts)


class QuizView:
    """Question grid, one question at a time, flag-for-review, clock and results.

    Learn, check and practice attempts show feedback right after each answer (*Answer*); in
    an exam a complete selection is recorded and autosaved at once, and nothing is shown
    until *Finish*. Time remaining is recomputed from timestamps on every click.

    Parameters
    ----------
    attempt
        The attempt to show.
    on_finish
        Called with the :class:`Result` when the attempt is finished through the view.
    """

    def __init__(self, attempt: Attempt, on_finish: Callable[[Result], None] | None = None
                 ) -> None:
        self.attempt, self.on_finish = attempt, on_finish
        grid = attempt.grid()
        open_numbers = grid.index[~grid["answered"]]
        self.current = int(open_numbers[0]) if len(open_numbers) else 1
        self.title = widgets.HTML(f"<b>{html.escape(attempt.state.title)}</b>")
        self.clock = widgets.HTML()
        self.grid_buttons = [widgets.Button(description=str(n),
                                            layout=widgets.Layout(width="3.2em"))
                             for n in grid.index]
        for button in self.grid_buttons:
            button.on_click(lambda b: self.show(int(b.description)))
        self.stem = widgets.HTML()
        self.choices = widgets.VBox()
        self.flag = widgets.ToggleButton(description="Flag for review", icon="flag")
        self.flag.observe(self._flag_changed, names="value")
        self.answer_button = widgets.Button(description="Answer", button_style="primary")
        self.answer_button.on_click(lambda _: self._answer())
        self.previous = widgets.Button(description="Previous", icon="arrow-left")
        self.previous.on_click(lambda _: self.show(max(1, self.current - 1)))
        self.next = widgets.Button(description="Next", icon="arrow-right")
        self.next.on_click(lambda _: self.show(min(len(self.attempt), self.current + 1)))
        self.finish_button = widgets.Button(description="Finish", button_style="warning")
        self.finish_button.on_click(lambda _: self._request_finish())
        # asked before an attempt with unanswered questions is finished (it cannot be undone)
        self.confirm_text = widgets.HTML()
        self.confirm_button = widgets.Button(description="Finish now", button_style="danger")
        self.confirm_button.on_click(lambda _: self._confirmed())
        self.cancel_button = widgets.Button(description="Keep answering")
        self.cancel_button.on_click(lambda _: self._cancel_finish())
        self.confirm_bar = widgets.HBox([self.confirm_text, self.confirm_button,
                                         self.cancel_button],
                                        layout=widgets.Layout(display="none"))
        self.message = widgets.HTML()
        self.results = widgets.HTML()
        self.show(self.current)
        if attempt.finished:
            self._show_results()

    def show(self, number: int) -> None:
        """Display question ``number`` with its current answer and flag."""
        self.current = number
        shown = self.attempt.question(number)
        prompt = f"<p><i>{shown.prompt}</i></p>" if shown.prompt else ""
        self.stem.value = (f"<p><b>Question {number} of {len(self.attempt)}</b></p>"
                           f"<p>{html.escape(shown.stem)}</p>{prompt}")
        if shown.type == "multi":
            boxes = [widgets.Checkbox(value=i in shown.chosen, description=text, indent=False,
                                      layout=widgets.Layout(width="95%"))
                     for i, text in enumerate(shown.options)]
            self.choices.children = boxes
        else:
            value = shown.chosen[0] if shown.chosen else None
            radio = widgets.RadioButtons(options=[(t, i) for i, t in enumerate(shown.options)],
                                         value=value, layout=widgets.Layout(width="95%"))
            self.choices.children = [radio]
        if not self.attempt.feedback_now:
            for child in self.choices.children:
                child.observe(self._selection_changed, names="value")
        self.flag.value = shown.flagged
        locked = self.attempt.finished or (self.attempt.feedback_now and bool(shown.chosen))
        self.answer_button.disabled = locked
        self.answer_button.description = "Answer" if self.attempt.feedback_now else "Save & next"
        self.message.value = (feedback_html(shown, self.attempt.feedback(number))
                              if shown.chosen and (self.attempt.feedback_now
                                                   or self.attempt.finished) else "")
        self._refresh()

    def selection(self) -> list[int]:
        """Displayed positions currently selected in the choice widgets."""
        children = self.choices.children
        if children and isinstance(children[0], widgets.RadioButtons):
            return [] if children[0].value is None else [children[0].value]
        return [i for i, box in enumerate(children) if box.value]

    def _answer(self) -> None:
        try:
            self.attempt.answer(self.current, self.selection())
        except TimeUp as error:
            self._finish()
            self.message.value = error_html(error)
            return
        except PspoLabError as error:
            self.message.value = error_html(error)
            return
        if self.attempt.feedback_now:
            self.show(self.current)
            if self.attempt.finished:
                self._show_results()
        else:
            self.show(min(len(self.attempt), self.current + 1))

    def _selection_changed(self, change: dict) -> None:
        """In the exam an answer is recorded (and autosaved) as soon as it is complete."""
        selection = self.selection()
        if self.attempt.finished or len(selection) != self.attempt.question(self.current).picks:
            return
        try:
            self.attempt.answer(self.current, selection)
        except TimeUp as error:
            self._finish()
            self.message.value = error_html(error)
            return
        self._refresh()

    def _flag_changed(self, change: dict) -> None:
        shown = self.attempt.question(self.current)
        if change["new"] != shown.flagged and not self.attempt.finished:
            self.attempt.flag(self.current, change["new"])
        self._refresh()

    def _request_finish(self) -> None:
        """*Finish*: at once when all is answered, else after the learner confirms."""
        if self.attempt.finished:
            return
        unanswered = int((~self.attempt.grid()["answered"]).sum())
        if unanswered == 0:
            self._finish()
            return
        self.confirm_text.value = (
            f"<b>{unanswered} of {len(self.attempt)} questions are not answered yet</b> and "
            "will count as wrong. Finish the attempt now?")
        self.confirm_bar.layout.display = "flex"

    def _cancel_finish(self) -> None:
        self.confirm_bar.layout.display = "none"
        self.confirm_text.value = ""

    def _confirmed(self) -> None:
        self._cancel_finish()
        if not self.attempt.finished:
            self._finish()

    def _finish(self) -> None:
        self._cancel_finish()
        result = self.attempt.finish()
        self._show_results()
        self.show(self.current)
        if self.on_finish is not None:
            self.on_finish(result)

    def _show_results(self) -> None:
        self.results.value = result_html(self.attempt.result())

    def _refresh(self) -> None:
        grid = self.attempt.grid()
        for button, row in zip(self.grid_buttons, grid.itertuples(), strict=True):
            style = "warning" if row.flagged else ("success" if row.answered else "")
            button.button_style = "info" if row.Index == self.current else style
            button.icon = "flag" if row.flagged else ""
        answered = int(grid["answered"].sum())
        state = "finished" if self.attempt.finished else format_remaining(
            self.attempt.time_remaining())
        self.clock.value = f"{answered}/{len(grid)} answered · {state}"
        self.finish_button.disabled = self.attempt.finished

    def widget(self) -> widgets.VBox:
        """The whole view as one widget."""
        grid = widgets.GridBox(self.grid_buttons, layout=widgets.Layout(
            grid_template_columns="repeat(10, 3.4em)"))
        buttons = widgets.HBox([self.previous, self.answer_button, self.next, self.flag,
                                self.finish_button])
        return widgets.VBox([widgets.HBox([self.title, self.clock]), grid, self.stem,
                             self.choices, buttons, self.confirm_bar, self.message,
                             self.results])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def show_result(attempt: Attempt) -> Result | None:
    """Display an attempt's headline and per-topic table, and return its result.

    While an exam is still running it displays only the message to finish it first and
    returns ``None``: like the real assessment, no score before the end.

    Examples
    --------
    >>> from pspo_lab.analysis.sessions import start_exam
    >>> from pspo_lab.content.question_bank import load_bank
    >>> exam = start_exam(load_bank("tests/fixtures/questions"), seed=1,
    ...                   blueprint={"events": 2})
    >>> show_result(exam) is None  # doctest: +ELLIPSIS
    <IPython.core.display.HTML object>
    True
    >>> _ = exam.finish()
    >>> show_result(exam).correct  # doctest: +ELLIPSIS
    <IPython.core.display.HTML object>
    0
    """
    from IPython.display import HTML, display

    try:
        result = attempt.result()
    except PspoLabError as error:
        display(HTML(error_html(error)))
        return None
    display(HTML(result_html(result)))
    return result


def review_page(attempt: Attempt, only: Literal["all", "wrong", "flagged"] = "all") -> str:
    """The review as HTML, or, while an exam is still running, the message that it must be
    finished first (keys and explanations stay hidden until then).

    Examples
    --------
    >>> from pspo_lab.analysis.sessions import start_exam
    >>> from pspo_lab.content.question_bank import load_bank
    >>> bank = load_bank("tests/fixtures/questions")
    >>> exam = start_exam(bank, seed=1, blueprint={"events": 2})
    >>> "press Finish" in review_page(exam), "Key:" in review_page(exam)
    (True, False)
    >>> _ = exam.finish()
    >>> "Key:" in review_page(exam)
    True
    """
    try:
        return review_html(attempt.review(only))
    except PspoLabError as error:
        return error_html(error)


def review_view(attempt: Attempt) -> widgets.VBox:
    """Review mode: every answer of an attempt with key and explanation, filterable.

    A running exam shows only the message to finish it first; *Show review* (or a filter)
    fetches the review again once it is finished.
    """
    picker = widgets.ToggleButtons(options=[("All", "all"), ("Wrong", "wrong"),
                                            ("Flagged", "flagged")], value="all")
    page = widgets.HTML(review_page(attempt, picker.value))
    refresh = widgets.Button(description="Show review", icon="refresh")
    picker.observe(lambda change: setattr(page, "value", review_page(attempt, change["new"])),
                   names="value")
    refresh.on_click(lambda _: setattr(page, "value", review_page(attempt, picker.value)))
    return widgets.VBox([picker, page, refresh])


def resume_view(bank: Bank, workspace: Workspace, clock: Clock = utc_now) -> widgets.VBox:
    """Pick an unfinished attempt (e.g. one cut short by a kernel restart) and continue it.

    Nothing happens until *Resume* is clicked; the resumed attempt keeps its own clock.
    """
    store = AttemptStore(workspace)
    open_attempts = store.unfinished()
    options = [(f"{s.title} · started {s.started_at:%Y-%m-%d %H:%M} UTC · "
                f"{len(s.answers)}/{len(s.question_ids)} answered", s.name)
               for s in reversed(open_attempts)]
    picker = widgets.Dropdown(options=options, description="Attempt",
                              layout=widgets.Layout(width="95%"))
    button = widgets.Button(description="Resume", icon="play", disabled=not options)
    place = widgets.VBox()
    note = widgets.HTML("" if options else "No unfinished attempts in your workspace.")

    def clicked(_: widgets.Button) -> None:
        try:
            attempt = resume(bank, workspace, picker.value, clock=clock)
        except PspoLabError as error:
            note.value = error_html(error)
            return
        place.children = [QuizView(attempt).widget()]

    button.on_click(clicked)
    return widgets.VBox([note, picker, button, place])


def module_check(part_id: int, workspace: Workspace | str | Path | None = None,
                 seed: int = 42, strategy: str | None = None, *, bank: Bank | None = None,
                 n: int = 5, clock: Clock = utc_now) -> QuizView:
    """The end-of-module check: ``n`` learn-mode questions on the topics of part ``part_id``.

    Returns a widget view (display it as a cell's last expression). ``workspace`` is a
    :class:`Workspace` or the notebook's ``workspace`` parameter (``None``: the default
    folder); answers are autosaved there as a new attempt. With ``strategy`` (``"key"`` or
    ``"random"``) the questions are answered unattended, for headless runs; with ``None``
    nothing is answered and nothing is written until the learner answers.

    Examples
    --------
    >>> import tempfile
    >>> bank = load_bank("tests/fixtures/questions")
    >>> view = module_check(5, tempfile.mkdtemp(), seed=1, strategy="key", bank=bank, n=4)
    >>> view.attempt.result().headline()
    'Score 4/4 (100.0%): passed (pass mark 85%)'
    """
    if part_id not in MODULE_TOPICS:
        raise ParameterError(f"module_check: part {part_id} has no check (expected one of "
                             f"{sorted(MODULE_TOPICS)})")
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    bank = bank if bank is not None else load_bank()
    attempt = start_learn(bank, seed, MODULE_TOPICS[part_id], n, workspace=ws, clock=clock,
                          mode="check", title=f"Module {part_id} check",
                          answered_by=strategy or "learner")
    if strategy is not None:
        answer_all(attempt, strategy, seed)
    return QuizView(attempt)
