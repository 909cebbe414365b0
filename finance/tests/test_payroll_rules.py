"""The payroll check's pure rules (``finance.payroll``): the month, each line, the flags."""
from __future__ import annotations

import datetime

import pytest

from finance import payroll

TODAY = datetime.date(2026, 12, 2)
KNOWN = {"A", "B"}


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11", (datetime.date(2026, 11, 1), None)),
    ("2026-12", (datetime.date(2026, 12, 1), None)),  # the current month
    ("2027-01", (None, payroll.MONTH_IN_FUTURE)),
    ("1949-09", (None, payroll.MONTH_OUT_OF_BOUNDS)),
    ("2026-13", (None, payroll.INVALID_MONTH)),
    ("2026-11-01", (None, payroll.INVALID_MONTH)),
    (202611, (None, payroll.INVALID_MONTH)),
    (None, (None, payroll.INVALID_MONTH)),
])
def test_parse_month(value, expected):
    assert payroll.parse_month(value, today=TODAY) == expected


def test_the_figures_are_of_the_months_last_day_or_today():
    assert payroll.figures_day(datetime.date(2026, 2, 1), today=TODAY) == datetime.date(2026, 2, 28)
    assert payroll.figures_day(datetime.date(2024, 2, 1), today=TODAY) == datetime.date(2024, 2, 29)
    assert payroll.figures_day(datetime.date(2026, 12, 1), today=TODAY) == TODAY


@pytest.mark.parametrize(("value", "expected"), [
    (12, (12, None)), (0, (0, None)), (12.0, (12, None)), (12.5, (None, payroll.NON_INTEGER)),
    ("12", (None, payroll.NON_INTEGER)), (True, (None, payroll.NON_INTEGER)), (-1, (None, payroll.NEGATIVE_COUNT)),
    (payroll.MAX_PAID + 1, (None, payroll.COUNT_TOO_LARGE)),
])
def test_paid_count(value, expected):
    assert payroll.paid_count(value) == expected


def test_every_problem_of_every_line_is_reported():
    lines = [
        {"credit_code": "A", "category": "management", "paid": 3},       # 0: fine
        {"credit_code": "Z", "category": "managers", "paid": -2},        # 1: three problems
        {"credit_code": "A", "category": "management", "paid": 1},       # 2: the same unit and category as 0
        {"category": "worker", "paid": 1.5},                             # 3: no code, not whole
        "B,worker,1",                                                    # 4: not an object
        {"credit_code": " B ", "category": "worker", "paid": None},      # 5: no headcount
    ]
    clean, problems = payroll.check_lines(lines, known_codes=KNOWN)
    assert clean == [payroll.CleanLine("A", "management", 3)]
    assert [(p.index, p.field, p.code) for p in problems] == [
        (1, "credit_code", payroll.UNKNOWN_UNIT), (1, "category", payroll.UNKNOWN_CATEGORY),
        (1, "paid", payroll.NEGATIVE_COUNT),
        (2, "category", payroll.DUPLICATE_LINE),
        (3, "credit_code", payroll.REQUIRED), (3, "paid", payroll.NON_INTEGER),
        (4, "non_field_errors", payroll.INVALID_LINE),
        (5, "paid", payroll.REQUIRED),
    ]
    assert problems[3].params == {"first": 0}


def test_the_two_flags():
    # 10 own + 2 borrowed = 12 held, 9 staff, 11 paid: over the staff, not over the quotas.
    assert payroll.is_over_staff(paid=11, staff=9) and not payroll.is_over_quota(paid=11, quotas_held=12)
    assert payroll.is_over_quota(paid=13, quotas_held=12)
    assert not payroll.is_over_quota(paid=12, quotas_held=12) and not payroll.is_over_staff(paid=9, staff=9)
