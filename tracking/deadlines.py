"""The legal deadlines of the follow-up, in one place (pure: no Django, no database).

* 注销 (deregistration): a closing unit is deregistered within 15 days of its liquidation (清算) ending;
* 变更 (change): within 30 days of the change's approval;
* 设立 (establishment): a new unit registers within 30 days of its approval: the platform's setting, illustrative,
  configurable (``settings.TRACKING_ESTABLISH_DAYS``, read by ``tracking.services``);
* 年度报告 (annual report): the report on a year is due by 31 March of the next year, and is submitted once the
  year is over (on 1 January of the next year at the earliest).

"Overdue on D" is one rule for milestones, checklist items and annual reports: a deadline passed before D (the
deadline day itself is still in time) and the item not done by D. See docs/domain.md, "Reform tracking".
"""
from __future__ import annotations

import datetime

ESTABLISH = "establish"
CHANGE = "change"
DEREGISTER = "deregister"

DEREGISTRATION_DAYS = 15
CHANGE_DAYS = 30
ESTABLISH_DAYS = 30  # the platform's setting (illustrative): settings.TRACKING_ESTABLISH_DAYS overrides it
ANNUAL_REPORT_MONTH_DAY = (3, 31)
EARLIEST_YEAR = 1949  # the first year a report can be on (the platform's dates start on 1949-10-01)


def registration_days(kind: str, *, establish_days: int = ESTABLISH_DAYS) -> int:
    """The days a registration of ``kind`` may take after the date it runs from."""
    days = {ESTABLISH: establish_days, CHANGE: CHANGE_DAYS, DEREGISTER: DEREGISTRATION_DAYS}
    if kind not in days:
        raise ValueError(f"unknown registration kind: {kind!r}")
    return days[kind]


def registration_due(kind: str, basis: datetime.date, *, establish_days: int = ESTABLISH_DAYS) -> datetime.date:
    """The last day of the registration: ``basis`` (the liquidation's end for 注销, the approval for 变更 and 设立)
    plus the kind's days."""
    return basis + datetime.timedelta(days=registration_days(kind, establish_days=establish_days))


def annual_report_due(year: int) -> datetime.date:
    """The annual report on ``year`` is due by 31 March of the next year."""
    month, day = ANNUAL_REPORT_MONTH_DAY
    return datetime.date(year + 1, month, day)


def is_overdue(due: datetime.date | None, done_on: datetime.date | None, on: datetime.date) -> bool:
    """Overdue on ``on``: the deadline lies before ``on`` and the item was not done by ``on``. An item without a
    deadline is never overdue; on the deadline day itself it is still in time."""
    if due is None or due >= on:
        return False
    return done_on is None or done_on > on


def days_overdue(due: datetime.date | None, done_on: datetime.date | None, on: datetime.date) -> int:
    """How many days past its deadline the item is on ``on`` (0 when it is not overdue)."""
    return (on - due).days if is_overdue(due, done_on, on) else 0
