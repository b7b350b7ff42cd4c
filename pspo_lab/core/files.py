"""Reading files people give us, and writing files so nobody sees them half-written.

Every file a learner or trainer supplies (CSV tables, cohort YAML, workspace exports) is read
through :func:`read_text`, :func:`load_yaml` or :func:`load_json`. They bound what a file may
cost before any parser sees it, and turn every problem into one
:class:`~pspo_lab.DataError` line naming the file, the line or field, and what was expected:

* size and line length are limited (a 50 MB single-line CSV is refused at once);
* text must be UTF-8 (the message names the line and the byte), except where
  :func:`read_text_detecting` detects the encoding of a spreadsheet export;
* YAML may not use anchors or aliases (no "billion laughs"), repeat a key, or nest deeply;
* JSON may not hold ``NaN``/``Infinity``, integers of more than 30 digits, or deep nesting.

>>> load_yaml("a: 1\\na: 2\\n", "demo.yaml")
Traceback (most recent call last):
...
pspo_lab.DataError: demo.yaml line 2: key 'a' appears twice (expected each key once)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import charset_normalizer
import yaml

from pspo_lab.core.errors import DataError

#: Largest file read as text (bytes); course files are far smaller.
MAX_FILE_BYTES = 20_000_000
#: Longest line (characters) a text file may have.
MAX_LINE_CHARS = 200_000
#: Deepest nesting of YAML or JSON collections.
MAX_DEPTH = 32
#: Most digits a JSON integer may have.
MAX_INT_DIGITS = 30


class NotUtf8Error(DataError):
    """A text file is in another encoding than UTF-8 (the message names line and byte)."""


NotUtf8Error.__module__ = "pspo_lab"


def _checked_bytes(path: Path, expected: str, max_bytes: int) -> bytes:
    if path.is_dir():
        raise DataError(f"{path}: is a folder (expected {expected})")
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected {expected})")
    size = path.stat().st_size
    if size > max_bytes:
        raise DataError(f"{path.name}: {size / 1e6:.1f} MB is too large (expected {expected} "
                        f"of at most {max_bytes / 1e6:.0f} MB)")
    return path.read_bytes()


def _checked_text(text: str, path: Path, expected: str, max_line: int) -> str:
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise DataError(f"{path.name} line {line}: contains a NUL byte (expected {expected} "
                        "as plain text, not a binary file)")
    check_lines(text, path.name, max_line)
    return text


def read_text(path: str | Path, expected: str, *, max_bytes: int = MAX_FILE_BYTES,
              max_line: int = MAX_LINE_CHARS) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark removed), within size limits.

    Parameters
    ----------
    path
        The file.
    expected
        What the file should be, for messages, e.g. ``"a CSV file"``.
    max_bytes, max_line
        Largest size in bytes and longest line in characters.

    Raises
    ------
    DataError
        Missing, a folder, too large, a line too long, or not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = target.write_bytes(b"a,b\\n\\xe9,1\\n")
    >>> read_text(target, "a CSV file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.NotUtf8Error: x.csv line 2: not UTF-8 text (byte 0xe9); save it as CSV UTF-8 and ...
    """
    path = Path(path)
    data = _checked_bytes(path, expected, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        save_as = "CSV UTF-8" if "CSV" in expected else "UTF-8"
        raise NotUtf8Error(f"{path.name} line {line}: not UTF-8 text (byte "
                           f"{error.object[error.start]:#x}); save it as {save_as} and try "
                           "again") from None
    return _checked_text(text, path, expected, max_line)


class DecodedText(NamedTuple):
    """Text read by :func:`read_text_detecting` and the encoding it was read as."""

    text: str
    encoding: str


#: The encoding preferred when it reads a file as cleanly as the best guess does: the one
#: Excel for Windows writes in Western European and American locales.
PREFERRED_LEGACY_ENCODING = "cp1252"


def detect_encoding(data: bytes) -> str | None:
    """The encoding bytes that are not UTF-8 were most likely written in, or ``None``.

    charset-normalizer ranks the candidates; among those that read the bytes equally
    cleanly, :data:`PREFERRED_LEGACY_ENCODING` wins (short files rarely tell Windows-1250
    from Windows-1252, and a spreadsheet re-saved by Excel is far more often the latter).

    Examples
    --------
    >>> detect_encoding("Summary\\nCrème brûlée, “weekly”\\n".encode("cp1252"))
    'cp1252'
    """
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    equally_clean = [m for m in matches if m.percent_chaos <= best.percent_chaos]
    if any(PREFERRED_LEGACY_ENCODING in m.could_be_from_charset for m in equally_clean):
        return PREFERRED_LEGACY_ENCODING
    return str(best.encoding)


def read_text_detecting(path: str | Path, expected: str, *, max_bytes: int = MAX_FILE_BYTES,
                        max_line: int = MAX_LINE_CHARS) -> DecodedText:
    """Like :func:`read_text`, but text in another encoding than UTF-8 is detected and read.

    For exports people re-save in a spreadsheet (Excel writes Windows-1252 in many locales).
    The encoding is returned so that messages can say how the file was read.

    Raises
    ------
    DataError
        Missing, a folder, too large, a line too long, or no encoding reads it as text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = target.write_bytes("id;title\\nA;Café\\n".encode("cp1252"))
    >>> read_text_detecting(target, "a CSV file")
    DecodedText(text='id;title\\nA;Café\\n', encoding='cp1252')
    """
    path = Path(path)
    data = _checked_bytes(path, expected, max_bytes)
    try:
        return DecodedText(_checked_text(data.decode("utf-8-sig"), path, expected, max_line),
                           "utf-8")
    except UnicodeDecodeError:
        encoding = detect_encoding(data)
    if encoding is None:
        raise DataError(f"{path.name}: not text in any encoding I recognise (expected "
                        f"{expected}; save it as CSV UTF-8 and try again)")
    text = data.decode(encoding, errors="replace")
    return DecodedText(_checked_text(text, path, expected, max_line), encoding)


def check_lines(text: str, source: str, max_line: int = MAX_LINE_CHARS) -> None:
    """Refuse text with a line longer than ``max_line`` characters.

    Examples
    --------
    >>> check_lines("ab\\n" + "x" * 10, "t.csv", max_line=5)
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: t.csv line 2: 10 characters long (expected lines of at most 5)
    """
    if len(text) <= max_line:
        return
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > max_line:
            raise DataError(f"{source} line {number}: {len(line):,} characters long "
                            f"(expected lines of at most {max_line:,})")


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader without anchors/aliases, repeated keys or deep nesting."""

    def __init__(self, stream: str, source: str) -> None:
        super().__init__(stream)
        self.source = source
        self.depth = 0

    def _fail(self, mark: Any, text: str) -> None:
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{self.source}{where}: {text}")

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self._fail(event.start_mark, "YAML anchors and aliases (&name, *name) are not "
                       "allowed (expected every value written out)")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._fail(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # noqa: D102
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:
                self._fail(key_node.start_mark, "a key is a list or mapping (expected text)")
            if repeated:
                self._fail(key_node.start_mark, f"key {key!r} appears twice (expected each "
                           "key once)")
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, source: str) -> Any:
    """Parse untrusted YAML text; every problem is one line naming ``source`` and the line.

    Examples
    --------
    >>> load_yaml("a: &x [1]\\nb: *x\\n", "bomb.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: bomb.yaml line 1: YAML anchors and aliases ... are not allowed ...
    >>> load_yaml("seed: 7", "c.yaml")
    {'seed': 7}
    """
    check_lines(text, source)
    loader = None
    try:
        loader = _StrictLoader(text, source)
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or " ".join(str(error).split())
        raise DataError(f"{source}{where}: not valid YAML ({problem})") from None
    except (RecursionError, OverflowError, ValueError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(f"{source}: not usable YAML ({type(error).__name__}: "
                        f"{str(error).splitlines()[0] if str(error) else ''})") from None
    finally:
        if loader is not None:
            loader.dispose()


def _constant(name: str) -> Any:
    raise DataError(f"{name} is not a number JSON allows (expected a finite number)")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise DataError(f"an integer of {len(text.lstrip('-')):,} digits is too large "
                        f"(expected at most {MAX_INT_DIGITS} digits)")
    return int(text)


_COLLECTIONS = {dict, list}  # what json.loads makes (never subclasses)


def _depth_problem(value: Any) -> str | None:
    """The first field nested deeper than :data:`MAX_DEPTH`, or ``None``, for a value that
    :func:`json.loads` made.

    Collections are counted level by level (no paths are built); only a value too deep is
    walked again to name its field.
    """
    level = [value] if type(value) in _COLLECTIONS else []
    for _ in range(MAX_DEPTH - 1):
        values = itertools.chain.from_iterable(
            item.values() if type(item) is dict else item for item in level)
        level = [v for v in values if type(v) in _COLLECTIONS]
    return _deep_field(value) if any(level) else None


def _deep_field(value: Any) -> str | None:
    """The message naming a field nested deeper than :data:`MAX_DEPTH` (depth first)."""
    stack = [(value, 1, "")]
    while stack:
        item, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            return f"field '{where.lstrip('.')}': nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, dict):
            stack.extend((v, depth + 1, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, depth + 1, f"{where}.{i}") for i, v in enumerate(item))
    return None


def load_json(text: str, source: str) -> Any:
    """Parse untrusted JSON text strictly; every problem is one line naming ``source``.

    Examples
    --------
    >>> load_json('{"score": NaN}', "w.json")
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: w.json: NaN is not a number JSON allows (expected a finite number)
    >>> load_json('{"a": [1, 2.5]}', "w.json")
    {'a': [1, 2.5]}
    """
    try:
        value = json.loads(text, parse_constant=_constant, parse_int=_integer)
    except DataError as error:
        raise DataError(f"{source}: {error}") from None
    except json.JSONDecodeError as error:
        raise DataError(f"{source}: not a JSON file (line {error.lineno}: {error.msg})"
                        ) from None
    except RecursionError:
        raise DataError(f"{source}: nested more than {MAX_DEPTH} levels deep") from None
    problem = _depth_problem(value)
    if problem:
        raise DataError(f"{source} {problem}")
    return value


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) so readers see either the old or new file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> write_atomic(target, "hello")
    >>> target.read_text()
    'hello'
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
