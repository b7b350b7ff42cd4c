"""Validation of case-study and learner CSV files: every bad-input case gives one clear line."""

from pathlib import Path

import pandas as pd
import pytest

from pspo_lab import DataError, load_dataset, read_csv
from pspo_lab.content.datasets import datasets_dir, schema
from pspo_lab.core.tables import read_table, to_csv_text

GOOD_ITEMS = (
    "id,title,type,backlog,ready,in_progress,review,done,size,value_estimate\n"
    "A-1,Checkout,feature,2025-01-02,2025-01-03,2025-01-06,2025-01-08,2025-01-09,3,40\n"
    "A-2,Crash fix,defect,2025-01-05,,2025-01-06,,2025-01-06,1,60\n"
    "A-3,Menu,feature,2025-01-07,,,,,5,20\n"
)


def write(tmp_path: Path, text: str, name: str = "mine.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_is_typed(tmp_path):
    items = read_csv(write(tmp_path, GOOD_ITEMS), "work_items")
    assert list(items["id"]) == ["A-1", "A-2", "A-3"]
    assert items["done"].dtype.kind == "M"
    assert items["size"].tolist() == [3, 1, 5]
    assert pd.isna(items.loc[2, "done"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "mine.csv: file is empty"),
        ("id,title,type,backlog,ready,in_progress,review,done,size,value_estimate\n",
         "mine.csv has no data rows"),
        (GOOD_ITEMS.replace(",done,", ",finished,"),
         "mine.csv column 'done' is missing"),
        (GOOD_ITEMS.replace(",review,", ",reveiw,"),
         "mine.csv column 'review' is missing (found 'reveiw': misspelled?)"),
        (GOOD_ITEMS.replace("2025-01-09", "2025-13-09"),
         "mine.csv row 2, column 'done': '2025-13-09' is not a date as YYYY-MM-DD"),
        (GOOD_ITEMS.replace("2025-01-09", "2024-12-30"),
         "mine.csv row 2, column 'done': 2024-12-30 is before 'review' 2025-01-08"),
        (GOOD_ITEMS.replace("A-2,", "A-1,"),
         "mine.csv row 3, column 'id': duplicate value 'A-1'"),
        (GOOD_ITEMS.replace(",5,20", ",-5,20"),
         "mine.csv row 4, column 'size': '-5' is out of range (expected a whole number >= 1"),
        (GOOD_ITEMS.replace(",5,20", ",five,20"),
         "mine.csv row 4, column 'size': 'five' is not a whole number"),
        (GOOD_ITEMS.replace(",feature,2025-01-07", ",wish,2025-01-07"),
         "mine.csv row 4, column 'type': 'wish' is not one of 'feature'"),
        (GOOD_ITEMS.replace("A-1,Checkout,feature,2025-01-02", "A-1,Checkout,feature,"),
         "mine.csv row 2, column 'backlog': empty cell (expected a date as YYYY-MM-DD)"),
    ],
    ids=["empty", "header-only", "missing-column", "misspelled-column", "bad-date",
         "finish-before-start", "duplicate-id", "negative-size", "non-numeric",
         "unknown-category", "required-empty"],
)
def test_bad_file_gives_one_clear_line(tmp_path, text, expected):
    with pytest.raises(DataError) as caught:
        read_csv(write(tmp_path, text), "work_items")
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(DataError, match=r"nowhere\.csv: file not found"):
        read_csv(tmp_path / "nowhere.csv", "work_items")


def test_several_problems_are_counted(tmp_path):
    text = GOOD_ITEMS.replace("2025-01-09", "someday").replace(",5,20", ",-5,20")
    with pytest.raises(DataError, match=r"\(and 1 more problem\(s\)\)$"):
        read_csv(write(tmp_path, text), "work_items")


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown dataset 'work_item' .*work_items"):
        load_dataset("work_item")


def test_not_a_csv_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b'id,title\n"unterminated,\n')
    with pytest.raises(DataError, match="binary.csv"):
        read_csv(path, "work_items")


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(GOOD_ITEMS.replace("Menu", "Men\u00fc").encode("latin-1"))
    with pytest.raises(DataError) as caught:
        read_csv(path, "work_items")
    assert str(caught.value) == ("excel.csv line 4: not UTF-8 text (byte 0xfc); save it as "
                                 "CSV UTF-8 and try again")


def test_long_bad_value_is_shortened_in_the_message():
    from pydantic import BaseModel, ValidationError, constr

    from pspo_lab.core.errors import format_pydantic_error

    class Field(BaseModel):
        text: constr(max_length=5)

    with pytest.raises(ValidationError) as caught:
        Field(text="y" * 5000)
    message = format_pydantic_error("canvas", caught.value)
    assert len(message) < 200 and message.endswith("...)")


def test_csv_text_round_trip():
    items = load_dataset("work_items")
    text = to_csv_text(items, schema("work_items").names)
    again = read_table("round.csv", schema("work_items"), text=text)
    pd.testing.assert_frame_equal(items, again)


def test_committed_files_pass_their_schema():
    for path in sorted(datasets_dir().glob("*.csv")):
        assert len(load_dataset(path.stem)) > 0


def test_line_of_a_bad_byte_after_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfid,title\nA,\xe9\n")
    with pytest.raises(DataError, match="bom.csv line 2: not UTF-8"):
        read_csv(path, "work_items")


def test_a_misspelt_key_is_one_problem_not_two():
    from pydantic import BaseModel, ConfigDict, ValidationError

    from pspo_lab.core.errors import format_pydantic_error

    class Part(BaseModel):
        model_config = ConfigDict(extra="forbid")
        duration: int

    with pytest.raises(ValidationError) as caught:
        Part.model_validate({"duraton": 3})
    assert format_pydantic_error("x.yaml", caught.value) == (
        "x.yaml field 'duraton': unknown key (did you mean 'duration'?)")
