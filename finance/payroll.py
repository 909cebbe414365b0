"""The payroll check's rules (统发校验), pure: the month, each posted line, and the two flags of a unit.

No Django here: ``finance.services`` reads the registry and the quota positions, these functions decide on plain
values, and ``finance.texts`` turns the problems' codes into words (docs/finance-integration.md, "The payroll
check").
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from core.dates import month_end
from positions.rules import CATEGORIES

MONTH_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
EARLIEST_MONTH = datetime.date(1949, 10, 1)  # core.dates.EARLIEST: nothing of this administration is older
MAX_PAID = 1_000_000  # more people than any unit has: a typing mistake (and far within the database's integer)
MAX_LINES = 100_000  # a city of 40,000 units posts at most three lines each

# The stable codes of a refused input (the API's ``codes``; docs/finance-integration.md lists them).
INVALID_MONTH = "invalid_month"
MONTH_OUT_OF_BOUNDS = "month_out_of_bounds"
MONTH_IN_FUTURE = "month_in_future"
NO_LINES = "no_lines"
TOO_MANY_LINES = "too_many_lines"
INVALID_LINE = "invalid_line"
REQUIRED = "required"
UNKNOWN_UNIT = "unknown_unit"
UNKNOWN_CATEGORY = "unknown_category"
NON_INTEGER = "non_integer"
NEGATIVE_COUNT = "negative_count"
COUNT_TOO_LARGE = "count_too_large"
DUPLICATE_LINE = "duplicate_line"

LINE_FIELDS = ("credit_code", "category", "paid")


@dataclass(frozen=True)
class LineProblem:
    """Why one posted line is refused: ``index`` counts the lines from 0, ``field`` is the line's field."""

    index: int
    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanLine:
    """A line that passed: the unit's credit code, the post category and the headcount paid in quota."""

    credit_code: str
    category: str
    paid: int


def parse_month(value: object, *, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """``"YYYY-MM"`` as the month's first day, or the code of why not. The current month is allowed (a payroll is
    paid within its month); a later one is not (``month_in_future``)."""
    match = MONTH_PATTERN.match(value) if isinstance(value, str) else None
    if match is None:
        return None, INVALID_MONTH
    month = datetime.date(int(match["year"]), int(match["month"]), 1)
    if month < EARLIEST_MONTH:
        return None, MONTH_OUT_OF_BOUNDS
    if month > today.replace(day=1):
        return None, MONTH_IN_FUTURE
    return month, None


def figures_day(month: datetime.date, *, today: datetime.date) -> datetime.date:
    """The day whose figures the check is answered with: the month's last day, or today within the current month
    (a staff count cannot be dated after today)."""
    return min(month_end(month), today)


def paid_count(value: object) -> tuple[int | None, str | None]:
    """A headcount: a whole number (``12`` or ``12.0``; not ``true``, ``"12"`` nor ``12.5``), 0 to ``MAX_PAID``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, NON_INTEGER
    if isinstance(value, float):
        if not value.is_integer():
            return None, NON_INTEGER
        value = int(value)
    if value < 0:
        return None, NEGATIVE_COUNT
    if value > MAX_PAID:
        return None, COUNT_TOO_LARGE
    return value, None


def code_text(value: object) -> str | None:
    """A code as text (stripped), ``None`` for nothing; a number is read as its digits (a spreadsheet's)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def check_lines(lines: Sequence[object], *, known_codes: Collection[str],
                categories: Collection[str] = CATEGORIES) -> tuple[list[CleanLine], list[LineProblem]]:
    """Every line checked: the clean lines, and every problem of every line (all of them, not the first only).

    A line names a unit by its unified social credit code (``known_codes``: the registry's), one of the three post
    categories, and a headcount; a unit and category may appear once in a month's payroll (``duplicate_line``, on
    the later line, naming the first).
    """
    clean: list[CleanLine] = []
    problems: list[LineProblem] = []
    first_of: dict[tuple[str, str], int] = {}
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping):
            problems.append(LineProblem(index, "non_field_errors", INVALID_LINE))
            continue
        found: list[LineProblem] = []
        code = code_text(line.get("credit_code"))
        if code is None:
            found.append(LineProblem(index, "credit_code", REQUIRED))
        elif code not in known_codes:
            found.append(LineProblem(index, "credit_code", UNKNOWN_UNIT, {"value": code}))
        category = code_text(line.get("category"))
        if category is None:
            found.append(LineProblem(index, "category", REQUIRED))
        elif category not in categories:
            found.append(LineProblem(index, "category", UNKNOWN_CATEGORY, {"value": category}))
        paid, problem = (None, REQUIRED) if line.get("paid") is None else paid_count(line.get("paid"))
        if problem:
            found.append(LineProblem(index, "paid", problem, {"value": line.get("paid")}))
        if code is not None and category is not None:
            first = first_of.setdefault((code, category), index)
            if first != index:
                found.append(LineProblem(index, "category", DUPLICATE_LINE, {"first": first}))
        if found:
            problems += found
        else:
            clean.append(CleanLine(code, category, paid))
    return clean, problems


def is_over_quota(*, paid: int, quotas_held: int) -> bool:
    """More people paid in quota than the unit holds quotas (own and borrowed: a borrowed pool quota carries its
    holder within quota, docs/domain.md "Usable vacancy")."""
    return paid > quotas_held


def is_over_staff(*, paid: int, staff: int) -> bool:
    """More people paid in quota than the unit has staff in quota (the latest staff count by the day)."""
    return paid > staff
