"""The legal deadlines and the overdue rule, on cases worked by hand."""
import datetime

import pytest

from tracking import deadlines

D = datetime.date


@pytest.mark.parametrize(("kind", "basis", "due"), [
    (deadlines.DEREGISTER, D(2026, 1, 20), D(2026, 2, 4)),  # 20 Jan + 15 days: 11 days of January, 4 of February
    (deadlines.DEREGISTER, D(2025, 12, 25), D(2026, 1, 9)),  # across the year's end
    (deadlines.CHANGE, D(2026, 1, 20), D(2026, 2, 19)),  # + 30: 11 days of January, 19 of February
    (deadlines.CHANGE, D(2024, 2, 1), D(2024, 3, 2)),  # a leap February has 29 days
    (deadlines.ESTABLISH, D(2025, 3, 1), D(2025, 3, 31)),
])
def test_registration_deadlines(kind, basis, due):
    assert deadlines.registration_due(kind, basis) == due


def test_the_establishment_deadline_is_a_setting():
    assert deadlines.registration_due(deadlines.ESTABLISH, D(2025, 3, 1), establish_days=60) == D(2025, 4, 30)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        deadlines.registration_due("merge", D(2025, 3, 1))


def test_the_annual_report_for_2025_is_due_on_31_march_2026():
    assert deadlines.annual_report_due(2025) == D(2026, 3, 31)
    assert deadlines.annual_report_due(2023) == D(2024, 3, 31)


def test_overdue_the_day_after_the_deadline_not_on_it():
    due = D(2026, 2, 4)
    assert not deadlines.is_overdue(due, None, D(2026, 2, 4))
    assert deadlines.is_overdue(due, None, D(2026, 2, 5))
    assert deadlines.days_overdue(due, None, D(2026, 2, 10)) == 6
    assert not deadlines.is_overdue(due, D(2026, 2, 7), D(2026, 2, 8))  # done late, but done by then
    assert deadlines.is_overdue(due, D(2026, 2, 7), D(2026, 2, 6))  # on the 6th it was not done yet
    assert not deadlines.is_overdue(None, None, D(2026, 2, 6))
