"""Reading untrusted files: limits, encodings, strict YAML and JSON, atomic writes."""

from __future__ import annotations

import pytest

from pspo_lab.core.errors import DataError
from pspo_lab.core.files import MAX_DEPTH, load_json, load_yaml, read_text, write_atomic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "c.yaml line 3: key 'a' appears twice (expected each key once)"),
        ("a: &x 1\nb: *x\n", "c.yaml line 1: YAML anchors and aliases (&name, *name) are not "
                             "allowed (expected every value written out)"),
        ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
         f"c.yaml line 1: nested more than {MAX_DEPTH} levels deep"),
        ("a: [1\n", "c.yaml line 2: not valid YAML"),
        ("a: !!python/object:os.system {}\n", "c.yaml line 1: not valid YAML (could not "
                                              "determine a constructor"),
    ],
    ids=["duplicate", "alias", "deep", "syntax", "python-tag"],
)
def test_yaml_problems_are_one_line(text, expected):
    with pytest.raises(DataError) as caught:
        load_yaml(text, "c.yaml")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": NaN}', "w.json: NaN is not a number JSON allows (expected a finite number)"),
        ('{"a": -Infinity}', "w.json: -Infinity is not a number JSON allows"),
        ('{"a": ' + "9" * 100_000 + "}", "w.json: an integer of 100,000 digits is too large "
                                         "(expected at most 30 digits)"),
        ("[" * 100_000 + "]" * 100_000, "w.json: nested more than 32 levels deep"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "w.json field 'a"),
        ("{", "w.json: not a JSON file (line 1:"),
    ],
    ids=["nan", "minus-infinity", "huge-int", "very-deep", "deep", "truncated"],
)
def test_json_problems_are_one_line(text, expected):
    with pytest.raises(DataError) as caught:
        load_json(text, "w.json")
    assert str(caught.value).startswith(expected)


def test_read_text_limits_and_encodings(tmp_path):
    target = tmp_path / "t.csv"
    target.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    assert read_text(target, "a CSV file") == "a,b\n1,2\n"
    target.write_bytes(b"a\n" + b"x" * 50)
    with pytest.raises(DataError, match=r"^t.csv line 2: 50 characters long \(expected lines "
                                        r"of at most 10\)$"):
        read_text(target, "a CSV file", max_line=10)
    with pytest.raises(DataError, match=r"^t.csv: 0.0 MB is too large"):
        read_text(target, "a CSV file", max_bytes=10)
    target.write_bytes(b"a\nb\x00c\n")
    with pytest.raises(DataError, match="^t.csv line 2: contains a NUL byte"):
        read_text(target, "a CSV file")
    with pytest.raises(DataError, match="is a folder"):
        read_text(tmp_path, "a CSV file")


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    write_atomic(tmp_path / "sub" / "a.txt", "hello")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.txt"]
