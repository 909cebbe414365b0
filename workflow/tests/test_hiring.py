"""Hiring against a vacancy (用编进人) through the services: plans, notices, entries, exits, expiry, the change list."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import ConflictError
from institutions.tests.factories import InstitutionFactory
from positions.models import StaffCount
from quotas import services as ledger
from reconciliation.selectors import reconciliation_of
from workflow import hiring
from workflow.models import QuotaUseNotice, StaffMovement
from workflow.selectors import monthly_staff_changes
from workflow.tasks import expire_quota_use_notices
from workflow.tests.helpers import balance, snapshot, staff_of
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.date(2026, 3, 2)


def institutional():
    return ledger.quota_type_get()


def plan_for(unit, by, count, *, leavers=0, category="professional"):
    return hiring.hiring_plan_create(institution=unit, year=2026, expected_leavers=leavers, by=by, lines=[
        {"quota_type": institutional(), "category": category, "count": count}])


def notice_for(unit, by, count, *, category="professional", plan=None):
    notice = hiring.quota_use_notice_create(institution=unit, quota_type=institutional(), category=category,
                                            count=count, by=by, hiring_plan=plan)
    return hiring.quota_use_notice_submit(notice=notice, by=by)


def issue(unit, clerk, decision, count, **extra):
    return hiring.quota_use_notice_approve(notice=notice_for(unit, clerk, count, **extra), by=clerk,
                                           document=decision, on=ISSUE_DAY)


# --- hiring plans -------------------------------------------------------------------------------------------------
def test_an_over_quota_unit_may_not_plan(daoli, staffed, clerk):
    unit = staffed(InstitutionFactory(region=daoli), 5, management=2, professional=(0, 0, 2, 2))  # 6 on 5
    plan = plan_for(unit, clerk, 1, leavers=3)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.hiring_plan_submit(plan=plan, by=clerk)

    assert refused.value.message_dict["lines"] == [
        f"“{unit.name}” is over quota (6 staff in quota on 5 approved Institutional quota (事业编制)): an over-quota "
        "unit may not hire until it is back within quota."]
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_unit_at_quota_may_only_replace_its_expected_leavers(daoli, staffed, clerk, decision):
    unit = staffed(InstitutionFactory(region=daoli), 6, management=2, professional=(0, 0, 2, 2))  # 6 on 6
    too_many = plan_for(unit, clerk, 3, leavers=2)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.hiring_plan_submit(plan=too_many, by=clerk)
    hiring.hiring_plan_update(plan=too_many, by=clerk, lines=[
        {"quota_type": institutional(), "category": "professional", "count": 2}])
    submitted = hiring.hiring_plan_submit(plan=too_many, by=clerk)
    approved = hiring.hiring_plan_approve(plan=submitted, by=clerk, document=decision, review="出一进一，同意")

    assert refused.value.message_dict["lines"] == [
        f"“{unit.name}” is at quota for Institutional quota (事业编制): it may only replace its 2 expected leavers one "
        "for one (出一进一), not plan 3 entrants."]
    assert (approved.status, approved.decision_note) == ("approved", "出一进一，同意")


def test_a_unit_with_vacancies_plans_up_to_its_vacancy_and_its_leavers(library, clerk):
    refused_plan = plan_for(library, clerk, 5, leavers=1)  # vacancy 3 + 1 leaver = 4

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.hiring_plan_submit(plan=refused_plan, by=clerk)

    assert refused.value.message_dict["lines"] == [
        "5 entrants of Institutional quota (事业编制) planned, but the usable vacancy is 3 and 1 leavers are "
        "expected: at most 4."]


def test_one_plan_per_unit_and_year_unless_withdrawn(library, clerk):
    first = plan_for(library, clerk, 1)

    with pytest.raises(ValidationError) as refused:
        plan_for(library, clerk, 1)
    hiring.hiring_plan_withdraw(plan=first, by=clerk, reason="重报")
    again = plan_for(library, clerk, 2)

    assert "year" in refused.value.message_dict
    assert again.status == "draft"


def test_a_submitted_plan_is_not_edited(library, clerk):
    plan = hiring.hiring_plan_submit(plan=plan_for(library, clerk, 1), by=clerk)

    with pytest.raises(ConflictError):
        hiring.hiring_plan_update(plan=plan, by=clerk, expected_leavers=4)


# --- notices ------------------------------------------------------------------------------------------------------
def test_approval_issues_a_numbered_notice_reserving_quotas(library, clerk, decision):
    notice = issue(library, clerk, decision, 2)

    assert (notice.status, notice.number, notice.issued_on) == ("approved", "哈编核〔2026〕1号", ISSUE_DAY)
    assert notice.valid_until == ISSUE_DAY + datetime.timedelta(days=180)
    assert notice.remaining == 2
    vacancy = quota_position(library, quota_type=institutional())
    assert (vacancy.held, vacancy.staff_total, vacancy.reserved, vacancy.usable) == (10, 7, 2, 1)
    assert issue(library, clerk, decision, 1).number == "哈编核〔2026〕2号"
    assert balance(library) == 10  # a notice reserves; the ledger does not move


def test_a_notice_beyond_the_usable_vacancy_is_refused_and_nothing_changes(library, clerk, decision):
    first, second = notice_for(library, clerk, 2), notice_for(library, clerk, 2)  # each fits the vacancy of 3
    hiring.quota_use_notice_approve(notice=first, by=clerk, document=decision, on=ISSUE_DAY)
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.quota_use_notice_approve(notice=second, by=clerk, document=decision, on=ISSUE_DAY)

    assert refused.value.message_dict == {"count": [
        "2 quotas requested, but the usable vacancy of Institutional quota (事业编制) is 1 (approved 10 − staff in "
        "quota 7 − reserved by open notices 2)."]}
    assert snapshot() == before
    assert QuotaUseNotice.objects.get(pk=second.pk).status == "submitted"


def test_a_notice_is_checked_against_the_posts_of_its_category(library, clerk, decision):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        notice_for(library, clerk, 1, category="management")  # 2 management posts, 2 staff: refused on submission

    assert refused.value.message_dict == {"category": [
        "1 management entrants requested, but the position plan has 2 such posts, 2 staff in them and 0 reserved "
        "by open notices: at most 0."]}


def test_a_notice_under_a_plan_stays_within_its_line(library, clerk, decision):
    plan = hiring.hiring_plan_submit(plan=plan_for(library, clerk, 2), by=clerk)
    plan = hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision)
    first, over = notice_for(library, clerk, 2, plan=plan), notice_for(library, clerk, 1, plan=plan)
    hiring.quota_use_notice_approve(notice=first, by=clerk, document=decision, on=ISSUE_DAY)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.quota_use_notice_approve(notice=over, by=clerk, document=decision, on=ISSUE_DAY)

    assert refused.value.message_dict == {"hiring_plan": [
        "The hiring plan allows 2 entrants of this quota type and category; notices for 2 are issued already."]}


def test_a_unit_without_an_account_has_nothing_to_use(daoli, staffed, clerk, decision):
    unit = staffed(InstitutionFactory(region=daoli), 0, management=1)

    with pytest.raises(ValidationError) as refused:
        issue(unit, clerk, decision, 1, category="management")

    assert "count" in refused.value.message_dict


# --- entries, exits, expiry ---------------------------------------------------------------------------------------
def test_a_partial_entry_raises_staff_and_takes_up_the_notice(library, clerk, decision):
    notice = issue(library, clerk, decision, 3)
    entry_day = datetime.date(2026, 4, 1)

    movement = hiring.staff_entry_record(notice=notice, by=clerk, on=entry_day, count=2, band="junior",
                                         person_name="张三、李四")

    notice.refresh_from_db()
    count = StaffCount.objects.get(institution=library, as_of=entry_day)
    assert (movement.kind, movement.reason, movement.count, movement.staff_count) == ("entry", "recruitment", 2, count)
    assert (count.professional, count.junior, count.management, count.total) == (7, 4, 2, 9)
    assert (notice.status, notice.taken_up, notice.remaining) == ("approved", 2, 1)
    assert staff_of(library) == 9
    vacancy = quota_position(library, quota_type=institutional())
    assert (vacancy.staff_total, vacancy.reserved, vacancy.usable) == (9, 1, 0)
    assert reconciliation_of(library).vacant == 0
    assert balance(library) == 10


def test_taking_up_the_whole_notice_closes_it(library, clerk, decision):
    notice = issue(library, clerk, decision, 1)

    with translation.override("en"):
        hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 4, 1), band="intermediate")

    notice.refresh_from_db()
    assert (notice.status, notice.taken_up, notice.remaining) == ("executed", 1, 0)
    assert notice.events.last().reason == "Taken up in full."


@pytest.mark.parametrize("problem", ["expired", "used_up", "too_many", "before_issue"])
def test_an_entry_the_notice_does_not_cover_is_refused_and_nothing_changes(library, clerk, decision, problem):
    notice = issue(library, clerk, decision, 2)
    day, count = datetime.date(2026, 4, 1), 1
    if problem == "expired":
        expire_quota_use_notices(today="2026-12-31")
    elif problem == "used_up":
        hiring.staff_entry_record(notice=notice, by=clerk, on=day, count=2, band="junior")
    elif problem == "too_many":
        count = 3
    else:
        day = datetime.date(2026, 3, 1)
    before = snapshot()
    movements = StaffMovement.objects.count()

    with pytest.raises(ValidationError) as refused:
        hiring.staff_entry_record(notice=notice, by=clerk, on=day, count=count, band="junior")

    field = {"expired": "notice", "used_up": "notice", "too_many": "count", "before_issue": "date"}[problem]
    assert field in refused.value.message_dict
    assert snapshot() == before
    assert StaffMovement.objects.count() == movements


def test_an_entry_past_the_validity_is_refused_even_before_the_task_runs(library, clerk, decision):
    notice = issue(library, clerk, decision, 1)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hiring.staff_entry_record(notice=notice, by=clerk, on=notice.valid_until + datetime.timedelta(days=1),
                                  band="junior")

    assert refused.value.message_dict == {"notice": [
        f"Notice 哈编核〔2026〕1号 was valid until {notice.valid_until.isoformat()}: it has expired."]}


def test_the_expiry_task_releases_the_reservation_and_is_idempotent(library, clerk, decision):
    notice = issue(library, clerk, decision, 3)
    hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 4, 1), band="junior")
    assert quota_position(library, quota_type=institutional()).usable == 0

    assert expire_quota_use_notices(today=notice.valid_until.isoformat()) == 0  # still valid on its last day
    assert expire_quota_use_notices(today=(notice.valid_until + datetime.timedelta(days=1)).isoformat()) == 1
    assert expire_quota_use_notices(today="2027-12-31") == 0

    notice.refresh_from_db()
    assert (notice.status, notice.taken_up, notice.remaining) == ("expired", 1, 0)
    vacancy = quota_position(library, quota_type=institutional())
    assert (vacancy.staff_total, vacancy.reserved, vacancy.usable) == (8, 0, 2)
    assert notice.events.last().by is None  # the system


def test_closing_a_notice_releases_the_rest(library, clerk, decision):
    notice = issue(library, clerk, decision, 3)

    hiring.quota_use_notice_execute(notice=notice, by=clerk, reason="招聘结束")

    assert quota_position(library, quota_type=institutional()).usable == 3


def test_an_exit_lowers_staff_in_quota_with_its_reason(library, clerk):
    day = datetime.date(2026, 5, 31)

    movement = hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk,
                                        on=day, person_name="王五")

    assert (movement.kind, movement.reason, movement.date) == ("exit", "retirement", day)
    assert StaffCount.objects.get(institution=library, as_of=day).management == 1
    assert staff_of(library) == 6
    assert quota_position(library, quota_type=institutional()).usable == 4


def test_an_exit_beyond_the_staff_of_a_category_is_refused(library, clerk):
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        hiring.staff_exit_record(institution=library, category="worker", reason="resignation", by=clerk,
                                 on=datetime.date(2026, 5, 31))
    with pytest.raises(ValidationError) as no_band:
        hiring.staff_exit_record(institution=library, category="professional", reason="death", by=clerk,
                                 on=datetime.date(2026, 5, 31))
    with pytest.raises(ValidationError) as wrong_reason:
        hiring.staff_exit_record(institution=library, category="management", reason="recruitment", by=clerk)

    assert "count" in refused.value.message_dict
    assert "band" in no_band.value.message_dict
    assert "reason" in wrong_reason.value.message_dict
    assert snapshot() == before


def test_a_movement_dated_before_the_latest_staff_count_is_refused(library, clerk):
    with pytest.raises(ValidationError) as refused:
        hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk,
                                 on=datetime.date(2025, 12, 30))

    assert "date" in refused.value.message_dict


def test_two_movements_on_one_day_update_that_day_s_count(library, clerk):
    day = datetime.date(2026, 5, 31)
    hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk, on=day)
    hiring.staff_exit_record(institution=library, category="professional", band="junior", reason="transfer_out",
                             by=clerk, on=day)

    count = StaffCount.objects.get(institution=library, as_of=day)
    assert (count.management, count.professional, count.junior, count.total) == (1, 4, 1, 5)


def test_the_monthly_change_list_counts_entries_and_exits_per_unit(library, clerk, decision, daoli, staffed):
    other = staffed(InstitutionFactory(region=daoli, name="道里区文化馆"), 4, worker=3)
    notice = issue(library, clerk, decision, 3)
    hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 4, 1), count=2, band="junior")
    hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk,
                             on=datetime.date(2026, 4, 30))
    hiring.staff_exit_record(institution=other, category="worker", reason="death", by=clerk,
                             on=datetime.date(2026, 4, 15), count=2)
    hiring.staff_exit_record(institution=other, category="worker", reason="dismissal", by=clerk,
                             on=datetime.date(2026, 5, 1))

    rows = {row.institution_name: row for row in monthly_staff_changes(2026, 4, daoli.institutions.all())}

    assert set(rows) == {"道里区图书馆", "道里区文化馆"}
    assert (rows["道里区图书馆"].entries, rows["道里区图书馆"].exits, rows["道里区图书馆"].net) == (2, 1, 1)
    assert rows["道里区图书馆"].exits_by_reason["retirement"] == 1
    assert (rows["道里区文化馆"].entries, rows["道里区文化馆"].exits) == (0, 2)
    assert rows["道里区文化馆"].exits_by_reason == {
        "retirement": 0, "transfer_out": 0, "resignation": 0, "dismissal": 0, "death": 2}
