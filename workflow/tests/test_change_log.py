"""The workflow's changes in the change log (``outbox``), in the transaction that makes them: entries and exits
with the unit's staff after them, decisions on notices and loans."""
import datetime

import pytest

from outbox.models import ChangeEvent, ChangeKind
from workflow import hiring
from workflow.tests.test_hiring import issue
from workflow.tests.test_loans import full_unit, lend  # noqa: F401 -- full_unit: a fixture

pytestmark = pytest.mark.django_db


def last(kind):
    return ChangeEvent.objects.filter(kind=kind).order_by("id").last()


def test_an_entry_and_an_exit_carry_the_staff_after_them(library, clerk, decision):
    notice = issue(library, clerk, decision, 3)  # the library: 7 staff in quota (2 management, 5 professional)
    decided = last(ChangeKind.NOTICE_DECIDED)
    assert (decided.institution, decided.data["status"], decided.data["number"], decided.data["reserved"]) == (
        library, "approved", notice.number, 3)
    assert decided.data["document"] == decision.number

    hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 4, 1), count=2, band="junior")
    entered = last(ChangeKind.STAFF_ENTERED)
    assert (entered.institution, entered.region, entered.data["count"], entered.data["notice"]) == (
        library, library.region, 2, notice.number)
    assert (entered.data["staff_in_quota"], entered.data["staff"]["professional"]) == (9, 7)

    hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk,
                             on=datetime.date(2026, 4, 2))
    left = last(ChangeKind.STAFF_LEFT)
    assert (left.data["staff_in_quota"], left.data["staff"]["management"], left.data["reason"]) == (
        8, 1, "retirement")


def test_a_refused_entry_records_nothing(library, clerk, decision):
    notice = issue(library, clerk, decision, 1)
    before = ChangeEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017,PT011 -- any refusal: the point is what it leaves
        hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 4, 1), count=2, band="junior")
    assert ChangeEvent.objects.count() == before


def test_a_loan_decision_is_recorded_with_its_due_date(full_unit, talent_pool, case, clerk, decision):  # noqa: F811
    loan = lend(full_unit, talent_pool, case, clerk, decision)
    decided = last(ChangeKind.LOAN_DECIDED)
    assert (decided.institution, decided.data["status"], decided.data["count"], decided.data["outstanding"]) == (
        full_unit, "approved", 2, 2)
    assert decided.data["due_date"] == loan.due_date.isoformat()
    moved = ChangeEvent.objects.filter(kind=ChangeKind.TRANSFER_POSTED, data__transfer=loan.loan_transfer_id,
                                       institution=full_unit).get()
    assert moved.data["target"]["balance"] == 8  # the loan's own move, with the unit's balance after it
