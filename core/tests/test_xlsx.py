"""Workbook cells: formulas neutralised, control characters a workbook cannot hold left out (the fuzzer found a
scenario name with one, which made its results export answer 500)."""
from io import BytesIO

from openpyxl import Workbook, load_workbook

from core.xlsx import append_row, safe_cell


def test_a_formula_is_written_as_text():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("-3") == "'-3"
    assert safe_cell(-3) == -3 and safe_cell("道里区") == "道里区"


def test_control_characters_are_left_out_and_the_workbook_saves():
    book = Workbook()
    append_row(book.active, ["零基\x00测算\x1f", "\x0b=1+1", 5])
    buffer = BytesIO()
    book.save(buffer)
    row = next(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
    assert row == ("零基测算", "'=1+1", 5)
