"""Widget forms over pydantic models, saved to the learner's workspace.

A form shows one input per model field, starts from what the learner saved last time (or the
model's defaults), validates with the model when *Save* is clicked, and writes only then.
Nothing is written when nobody clicks, so notebooks run unattended without touching saved work.

>>> from pydantic import BaseModel, Field
>>> class Vision(BaseModel):
...     for_whom: str = Field("home cooks", max_length=120)
...     need: str = Field("eat well on busy evenings", max_length=200)
>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> from pspo_lab.core.records import RecordName
>>> form = RecordForm(Workspace(tempfile.mkdtemp()), RecordName("vision", "statement"), Vision)
>>> form.value().for_whom
'home cooks'
>>> form.save().data["need"]
'eat well on busy evenings'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import types
import typing
from typing import Any, Literal

import ipywidgets as widgets
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.records import RecordName
from pspo_lab.core.workspace import Record, Workspace

_LONG_TEXT = 120


_SHORT_LABEL = 30
"""A field title longer than this is shown in full above its input, not cut beside it."""


def _label(name: str, title: str | None) -> str:
    """The field's human title (``Field(title=...)``), else its name made readable."""
    return title or name.replace("_", " ").capitalize()


def _option_labels(field: FieldInfo) -> dict[Any, str]:
    """Words for a choice's values, from ``Field(json_schema_extra={"option_labels": ...})``."""
    extra = field.json_schema_extra
    labels = extra.get("option_labels") if isinstance(extra, dict) else None
    return dict(labels) if isinstance(labels, dict) else {}


def _widget_for(name: str, annotation: Any, value: Any, max_length: int | None,
                label: str | None = None,
                option_labels: dict[Any, str] | None = None) -> widgets.Widget:
    label = name.replace("_", " ").capitalize() if label is None else label
    style = {"description_width": "12em"}
    layout = widgets.Layout(width="95%")
    origin = typing.get_origin(annotation)
    if origin is Literal:
        words = option_labels or {}
        options = [(f"{choice} · {words[choice]}" if choice in words else str(choice), choice)
                   for choice in typing.get_args(annotation)]
        return widgets.Dropdown(options=options, value=value, description=label, style=style)
    if annotation is bool:  # the label beside the box, in full (never cut at the left)
        return widgets.Checkbox(value=bool(value), description=label, indent=False,
                                layout=layout)
    if annotation is int:
        return widgets.IntText(value=value, description=label, style=style)
    if annotation is float:
        return widgets.FloatText(value=value, description=label, style=style)
    if annotation is dt.date:
        return widgets.DatePicker(value=value, description=label, style=style)
    if origin in (list, tuple) or annotation in (list, tuple):
        return widgets.Textarea(value="\n".join(map(str, value or [])),
                                description=label, placeholder="one per line",
                                style=style, layout=layout)
    if max_length is None or max_length > _LONG_TEXT:
        return widgets.Textarea(value=value or "", description=label, style=style,
                                layout=layout)
    return widgets.Text(value=value or "", description=label, style=style, layout=layout)


def _max_length(field: Any) -> int | None:
    for item in field.metadata:
        if getattr(item, "max_length", None) is not None:
            return item.max_length
    return None


def _plain_annotation(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


class RecordForm:
    """An ipywidgets form for a pydantic model, loading from and saving to a workspace.

    Parameters
    ----------
    workspace
        Where the record lives.
    record
        The record's address in the workspace, from :mod:`pspo_lab.core.records`
        (``records.EXPERIMENT_CARDS.named("part-02")`` for one record of a many-record kind).
    model
        A pydantic model whose fields all have defaults (the form's starting values).
    initial
        Values to start from when nothing is saved yet (overrides model defaults).
    initial_note
        What the status line says while nothing is saved yet (default: "Not saved yet:
        these are example values."), e.g. which product the starting values come from.
    """

    def __init__(self, workspace: Workspace, record: RecordName, model: type[BaseModel],
                 initial: dict[str, Any] | None = None, initial_note: str | None = None
                 ) -> None:
        if record.name is None:
            raise ParameterError(f"record {record.path}: a form edits one record (expected a "
                                 "name, e.g. records.EXPERIMENT_CARDS.named('part-02'))")
        kind, name = record.kind, record.name
        self.workspace, self.kind, self.name, self.model = workspace, kind, name, model
        saved = workspace.load(kind, name)
        self.problem: str | None = None
        self.initial_note = initial_note or "Not saved yet: these are example values."
        start, self.started_from = self._starting_values(saved, initial)
        self.loaded_from_workspace = self.started_from is not None
        self.fields: dict[str, widgets.Widget] = {}
        self.rows: list[widgets.Widget] = []
        for field_name, field in model.model_fields.items():
            annotation = _plain_annotation(field.annotation)
            label = _label(field_name, field.title)
            long = len(label) > _SHORT_LABEL and annotation is not bool
            # a statement shown above its input: the input is named "Your answer" (what a
            # screen reader announces; a nameless input is an accessibility defect)
            widget = _widget_for(field_name, annotation, start.get(field_name),
                                 _max_length(field), "Your answer" if long else label,
                                 _option_labels(field))
            self.fields[field_name] = widget
            # a long title (a statement to answer) is shown whole, above its input
            self.rows.append(widgets.VBox([widgets.HTML(f"<p>{html.escape(label)}</p>"),
                                           widget]) if long else widget)
        self.status = widgets.HTML()
        self.button = widgets.Button(description="Save", button_style="primary",
                                     icon="save")
        self.button.on_click(lambda _: self._clicked())
        self._describe_start()

    def _starting_values(self, saved: dict[str, Any] | None, initial: dict[str, Any] | None
                         ) -> tuple[dict[str, Any], str | None]:
        """The newest saved version that fits the model, else the example values.

        A saved record that no longer fits (edited by hand, imported from an older export) is
        reported in ``self.problem`` and left as it is: Save writes a new version and keeps it
        in history.
        """
        defaults = self.model().model_dump() | (initial or {})
        candidates: list[tuple[str, dict[str, Any]]] = []
        if saved is not None:
            candidates.append(("your saved version", saved))
            with contextlib.suppress(DataError):
                candidates += [(f"your version of {old.saved_at:%Y-%m-%d %H:%M} UTC", old.data)
                               for old in reversed(self.workspace.history(self.kind, self.name))]
        for label, data in candidates:
            try:  # JSON gives dates back as text: let the model turn them into widget values
                return self.model.model_validate(defaults | data).model_dump(), label
            except ValidationError as error:
                if self.problem is None:
                    self.problem = format_pydantic_error(
                        f"saved record {self.kind}/{self.name}", error)
        return self.model.model_validate(defaults).model_dump(), None

    def _describe_start(self) -> None:
        where = f"<code>{self.kind}/{self.name}</code>"
        if self.problem is not None:
            fallback = self.started_from or "the example values"
            self.status.value = (
                f"<span style='color:#a60'>{html.escape(self.problem)}. Showing {fallback}; the "
                f"file {html.escape(str(self.workspace.path(self.kind, self.name)))} was left "
                "as it is (Save keeps it in history).</span>")
        elif self.loaded_from_workspace:
            self.status.value = f"Loaded your saved version from {where}."
        else:
            self.status.value = html.escape(self.initial_note)

    def raw_values(self) -> dict[str, Any]:
        """Current widget values, lists split into lines."""
        values = {}
        for field_name, widget in self.fields.items():
            annotation = _plain_annotation(self.model.model_fields[field_name].annotation)
            value = widget.value
            if typing.get_origin(annotation) in (list, tuple) or annotation in (list, tuple):
                value = [line.strip() for line in str(value).splitlines() if line.strip()]
            values[field_name] = value
        return values

    def value(self) -> BaseModel:
        """The form's content as a validated model.

        Raises
        ------
        DataError
            Naming the field and what was expected.
        """
        try:
            return self.model.model_validate(self.raw_values())
        except ValidationError as error:
            raise DataError(format_pydantic_error(f"{self.kind}/{self.name} form", error)
                            ) from None

    def save(self) -> Record:
        """Validate and write the record (the previous version goes to history)."""
        return self.workspace.save(self.kind, self.name,
                                   self.value().model_dump(mode="json"))

    def _clicked(self) -> None:
        try:
            saved = self.save()
        except DataError as error:
            self.status.value = (f"<span style='color:#a00'>Not saved: "
                                 f"{html.escape(str(error))}</span>")
            return
        self.status.value = (f"Saved <code>{self.kind}/{self.name}</code> at "
                             f"{saved.saved_at:%H:%M:%S} UTC.")

    def widget(self) -> widgets.VBox:
        """The form as one widget: inputs, Save button and a status line."""
        return widgets.VBox([*self.rows, widgets.HBox([self.button, self.status])])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
