"""The one reader of import days (core.dates.read_day): ISO, slashes, dots and 2026年11月28日; nothing else."""
import datetime

import pytest

from core.dates import read_day

DAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize("text", ["2026-11-28", "2026/11/28", "2026.11.28", "2026年11月28日", "2026 年 11 月 28 日",
                                  " 2026-11-28 "])
def test_a_day_written_any_usual_way_reads_the_same(text):
    assert read_day(text) == DAY


def test_leading_zeros_are_optional_and_cells_keep_their_day():
    assert read_day("2026年1月8日") == read_day("2026-01-08") == read_day("2026/1/8") == datetime.date(2026, 1, 8)
    assert read_day(datetime.datetime(2026, 11, 28, 0, 0)) == DAY  # a spreadsheet's date cell
    assert type(read_day(datetime.datetime(2026, 11, 28, 13, 5))) is datetime.date
    assert read_day(DAY) == DAY
    assert read_day(None) is None and read_day("  ") is None


@pytest.mark.parametrize("text", ["2026-02-30", "2026-11/28", "20261128", "28.11.2026", "2026年11月", "2026-11-28x",
                                  "明天", "2026年13月1日"])
def test_anything_else_is_a_value_error(text):
    with pytest.raises(ValueError):
        read_day(text)
