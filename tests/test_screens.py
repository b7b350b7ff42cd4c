"""Defects seen on screen (issue 13, part 4): each test fails on the code before its fix."""

from __future__ import annotations

import pytest
from repo_paths import NOTEBOOKS_DIR

from pspo_lab import DataError
from pspo_lab.analysis import empiricism as emp
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm

MALFORMED_FACTOR = "New payment app; high; 4"


def factor_form(ws: Workspace) -> RecordForm:
    return RecordForm(ws, records.COMPLEXITY_FACTORS, emp.ComplexityFactors)


def test_factors_form_refuses_a_line_the_chart_cannot_place_and_writes_nothing(tmp_path):
    ws = Workspace(tmp_path)
    form = factor_form(ws)
    form.fields["factors"].value = f"Known API; 1; 2\n{MALFORMED_FACTOR}"
    form.button.click()
    assert form.status.value.startswith("<span style='color:#a00'>Not saved: ")
    assert (
        "line 2, requirements: &#x27;high&#x27; is not a whole number (expected 1 to 5)"
        in form.status.value
    )
    assert ws.load(*records.COMPLEXITY_FACTORS) is None


def test_saved_factors_that_no_longer_parse_fall_back_to_the_examples_with_a_note(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.COMPLEXITY_FACTORS, {"factors": [MALFORMED_FACTOR]})
    form = factor_form(ws)
    assert form.fields["factors"].value.splitlines() == emp.ComplexityFactors().factors
    assert "'high' is not a whole number" in form.problem
    assert "Showing the example values" in form.status.value
    # what the notebook's next cell does must now work: the chart gets placeable factors
    table = emp.factor_table(form.value().factors)
    assert len(table) == len(emp.ComplexityFactors().factors)
    assert ws.load(*records.COMPLEXITY_FACTORS) == {"factors": [MALFORMED_FACTOR]}


def test_factors_model_names_the_line_that_is_wrong():
    with pytest.raises(ValueError, match="line 1, requirements: 'high' is not a whole number"):
        emp.ComplexityFactors(factors=[MALFORMED_FACTOR])


def test_a_course_error_is_shown_once_not_as_html_and_print(capsys):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display  # noqa: F401  (the shell's display hook)

    from pspo_lab.widgets import notebook

    shown: list[dict] = []
    shell = InteractiveShell.instance()
    publish = shell.display_pub.publish
    shell.display_pub.publish = lambda data, *a, **k: shown.append(data)
    try:
        notebook._show_error(shell, DataError, DataError("file.csv row 2: bad"), None)
    finally:
        shell.display_pub.publish = publish
    assert capsys.readouterr().out == ""
    assert len(shown) == 1
    assert shown[0]["text/plain"] == "DataError: file.csv row 2: bad"
    assert "DataError: file.csv row 2: bad</div>" in shown[0]["text/html"]


def malformed_workspace(root) -> Workspace:
    """A workspace where every form's record is saved with content its form cannot use."""
    from pspo_lab.analysis.cards import card_name
    from pspo_lab.widgets.take_home import record_models

    ws = Workspace(root)
    for (kind, name), model in record_models().items():
        if kind == records.ASSESSMENT_ATTEMPTS.kind:
            continue  # attempts are not a form: their own recovery is tested in test_assessment
        names = (
            [name]
            if name is not None
            else (
                [card_name(part) for part in range(10)]
                if kind == records.EXPERIMENT_CARDS.kind
                else ["latest"]
            )
        )
        data = {field: {"malformed": True} for field in model.model_fields}
        if (kind, name) == records.COMPLEXITY_FACTORS:
            data = {"factors": [MALFORMED_FACTOR]}
        for one in names:
            ws.save(kind, one, data)
    return ws


def test_malformed_workspace_covers_every_form(tmp_path):
    from pspo_lab.widgets.take_home import record_models, record_problem

    saved = malformed_workspace(tmp_path).records()
    kinds = {rn.kind for rn in record_models() if rn.kind != records.ASSESSMENT_ATTEMPTS.kind}
    assert {r.kind for r in saved} == kinds
    assert all(record_problem(r) for r in saved), "every prefilled record is malformed"


def _executed(path, workspace, folder):
    """``path`` executed headless into ``folder`` with ``workspace`` as its parameter."""
    from notebook_runs import CELL_TIMEOUT, ExecutedNotebook

    from pspo_lab.trainer.kernels import execute_notebook

    output = folder / path.name
    execute_notebook(path, output, cwd=str(path.parent), request_save_on_cell_execute=False,
                     execution_timeout=CELL_TIMEOUT, parameters={"workspace": str(workspace)})
    return ExecutedNotebook(output, workspace)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_notebook_completes_with_a_malformed_record_in_every_form(path, tmp_path):
    ws = malformed_workspace(tmp_path / "ws")
    run = _executed(path, ws.root, tmp_path)
    assert not run.errors, f"{path.name}: {run.errors[0]['ename']}: {run.errors[0]['evalue']}"
    executed = [c for c in run.notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in executed), "every code cell ran"
    assert "Error" not in "\n".join(
        o.get("text", "") for c in executed for o in c.outputs if o["output_type"] == "stream"
    )


def test_finish_with_unanswered_questions_asks_first_and_cancel_keeps_the_exam_running():
    from pspo_lab.analysis.exam import new_attempt
    from pspo_lab.content.question_bank import load_bank
    from pspo_lab.widgets.quiz import QuizView

    bank = load_bank()
    ids = [q.id for q in bank.questions[:4]]
    exam = new_attempt(bank, ids, "exam", seed=1, title="Practice")
    view = QuizView(exam)
    assert view.confirm_bar.layout.display == "none"
    view.finish_button.click()
    assert not exam.finished, "Finish with 4 of 4 unanswered must not end the exam at once"
    assert view.confirm_bar.layout.display == "flex"
    assert "4 of 4 questions are not answered yet" in view.confirm_text.value
    assert view.confirm_bar in view.widget().children
    view.cancel_button.click()
    assert not exam.finished and view.confirm_bar.layout.display == "none"
    view.finish_button.click()
    view.confirm_button.click()
    assert exam.finished and "Score 0/4" in view.results.value


def test_finish_with_everything_answered_needs_no_confirmation():
    from pspo_lab.analysis.exam import new_attempt
    from pspo_lab.content.question_bank import load_bank
    from pspo_lab.widgets.quiz import QuizView

    bank = load_bank()
    question = next(q for q in bank.questions if q.type != "multi")
    exam = new_attempt(bank, [question.id], "exam", seed=1, title="Practice")
    view = QuizView(exam)
    view.choices.children[0].value = 0
    view.finish_button.click()
    assert exam.finished and view.confirm_bar.layout.display == "none"


def test_a_malformed_saved_card_is_left_out_with_a_warning_not_a_traceback(tmp_path):
    from pspo_lab.analysis.cards import EXAMPLE_CARD, card_name, saved_cards

    ws = Workspace(tmp_path)
    ws.save(*records.EXPERIMENT_CARDS.named(card_name(2)), EXAMPLE_CARD)
    ws.save(*records.EXPERIMENT_CARDS.named(card_name(2)), {"title": {"malformed": True}})
    ws.save(*records.EXPERIMENT_CARDS.named(card_name(3)), {"title": {"malformed": True}})
    with pytest.warns(UserWarning) as warned:
        cards = saved_cards(ws)
    assert [(name, card.title) for name, card in cards] == [("module-02", EXAMPLE_CARD["title"])]
    messages = sorted(str(w.message) for w in warned)
    assert messages[0].startswith("saved card experiment-cards/module-02 field 'title'")
    assert "showing your version of" in messages[0]
    assert messages[1].endswith("left out (the file was left as it is)")


def html_texts(widget) -> list[str]:
    """Every HTML value and description shown inside a widget tree."""
    texts = [
        getattr(widget, "value", "") if type(widget).__name__ == "HTML" else "",
        getattr(widget, "description", "") or "",
    ]
    for child in getattr(widget, "children", ()):
        texts += html_texts(child)
    return [t for t in texts if t]


def test_self_check_form_shows_each_full_statement_beside_its_answer(tmp_path):
    import html

    from pspo_lab.analysis.mindset import MINDSET_STATEMENTS, SelfCheck

    form = RecordForm(Workspace(tmp_path), records.PRODUCT_SELF_CHECK, SelfCheck)
    shown = html_texts(form.widget())
    for number, (_, statement, _) in enumerate(MINDSET_STATEMENTS, start=1):
        label = f"<p>Q{number:02d}. {html.escape(statement)}</p>"
        assert label in shown, f"statement {number} not shown in full"
        row = form.rows[number - 1]
        assert row.children[0].value == label and row.children[1] is form.fields[f"q{number:02d}"]
    assert not any(t in {"Q01", "Q10"} for t in shown), "bare code names as labels"


def test_process_check_boxes_read_as_practices_not_code_names(tmp_path):
    from pspo_lab.content.framework import PRACTICES, ProcessCheck

    form = RecordForm(Workspace(tmp_path), records.SCRUM_CHECK, ProcessCheck)
    labels = [form.fields[p.key].description for p in PRACTICES]
    assert labels == [p.label for p in PRACTICES]
    assert "Product decisions are taken by a committee" in labels
    assert all(not box.indent and box.layout.width == "95%" for box in form.fields.values()), (
        "a label beside the box is shown whole, not cut"
    )


def test_order_by_list_reads_method_names_while_values_stay_codes():
    import nbformat

    from pspo_lab import load_dataset
    from pspo_lab.analysis import ordering
    from pspo_lab.widgets.explorers import dropdown

    methods = ordering.available_methods(load_dataset("backlog"))
    choice = dropdown("Order by", ordering.method_options(methods), methods[0])
    assert choice.label == "WSJF (weighted shortest job first)" and choice.value == "wsjf"
    assert "CD3 (cost of delay divided by duration)" in choice.options[1][0]
    assert not any(label in {"wsjf", "cd3", "rice"} for label, _ in choice.options)
    notebook = nbformat.read(NOTEBOOKS_DIR / "06_product_backlog.ipynb", as_version=4)
    source = "\n".join(c.source for c in notebook.cells if 'dropdown("Order by"' in c.source)
    assert "ordering.method_options(methods)" in source and "(m, m)" not in source


def test_scores_read_rounded_with_separators_and_statements_whole_and_left():
    import pandas as pd

    from pspo_lab.core.display import format_number, readable_table, use_readable_defaults

    assert format_number(54414.666667) == "54,415"
    assert format_number(0.2514) == "0.25" and format_number(1.0) == "1.00"
    statement = "A stakeholder who funds a feature can put it into the plan without convincing"
    frame = pd.DataFrame({"statement": [statement], "score": [54414.666667]})
    page = readable_table(frame).to_html()
    assert statement in page and "54,415" in page and "54414.666667" not in page
    assert "text-align: left" in page
    with pd.option_context("display.float_format", None, "display.max_colwidth", 50):
        use_readable_defaults()
        shown = frame._repr_html_()
    assert statement in shown and "…" not in shown and "..." not in shown
    assert "54,415" in shown and "54414.666667" not in shown


def test_setup_makes_tables_readable_and_notes_one_line():
    import warnings

    import pandas as pd

    from pspo_lab.widgets.notebook import setup

    with pd.option_context("display.float_format", None, "display.max_colwidth", 50):
        saved = warnings.formatwarning
        try:
            setup()
            assert pd.get_option("display.max_colwidth") is None
            note = warnings.formatwarning("saved card x: left out", UserWarning, "f.py", 3)
        finally:
            warnings.formatwarning = saved
    assert note == "UserWarning: saved card x: left out\n"


def test_explorer_shows_a_table_with_readable_scores():
    import pandas as pd

    from pspo_lab.widgets.explorers import explore, int_slider

    def table(n):
        return pd.DataFrame(
            {"title": ["Export the shopping list"] * n, "score": [54414.666667] * n}
        )

    shown = explore(table, {"n": int_slider("Rows", 2, 1, 5)}).output.outputs[-1]["data"]
    assert "54,415" in shown["text/html"] and "54414.666667" not in shown["text/html"]
    assert "text-align: left" in shown["text/html"]


def test_no_code_cell_shows_an_nbval_marker_and_regression_cells_are_tagged():
    import nbformat

    tagged = 0
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            assert "NBVAL" not in cell.source, f"{path.name}: {cell.source.splitlines()[0]!r}"
            if "nbval-check-output" in cell.metadata.get("tags", []):
                tagged += 1
                assert cell.metadata.get("keep_output") and cell.outputs, path.name
    assert tagged >= 34, "the regression cells keep being checked, now through their tag"


def test_record_shows_nothing_so_cells_ending_with_it_echo_no_value():
    from pspo_lab.widgets.notebook import record

    assert record("product_name", "FreshCrate") is None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_product_vs_project", "03_value_driven_development"])
def test_cells_echo_no_stray_values(name, tmp_path):
    run = _executed(NOTEBOOKS_DIR / f"{name}.ipynb", tmp_path / "ws", tmp_path)
    echoes = [
        (cell.source.splitlines()[-1], out["data"]["text/plain"])
        for cell in run.notebook.cells
        if cell.cell_type == "code"
        and cell.source.strip()
        and cell.source.splitlines()[-1].startswith("record(")
        for out in cell.outputs
        if out["output_type"] == "execute_result"
    ]
    assert echoes == []


def test_04_worked_example_answer_is_folded_until_asked_for():
    import nbformat

    from pspo_lab.widgets.notebook import reveal

    notebook = nbformat.read(NOTEBOOKS_DIR / "04_empiricism.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and '["EV-013"]' in c.source)
    printed = "".join(o.get("text", "") for o in cell.outputs if o["output_type"] == "stream")
    assert "False" in printed and "Not quite." not in printed, "the answer is not printed"
    shown = [o["data"]["text/plain"] for o in cell.outputs if o["output_type"] == "execute_result"]
    assert shown and shown[0].startswith("Accordion(")
    folded = reveal("Show the feedback on answering False", "Not quite.")
    assert folded.selected_index is None, "closed until the learner opens it"
