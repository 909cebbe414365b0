"""Vacant-quota reclamation (workflow.reclamation): never reserved quotas, never borrowed ones; worked by hand."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from institutions.models import Institution
from institutions.tests.factories import DocumentFactory, InstitutionFactory
from positions import services
from positions.tests.factories import plan_counts
from quotas import services as ledger
from quotas.models import QuotaTransfer
from reconciliation.selectors import reconciliation_of
from workflow import hiring, loans, reclamation
from workflow.models import QuotaUseNotice
from workflow.tests.helpers import balance, ledger_ok, snapshot, staff_of
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.date(2026, 3, 2)
RECLAIM_DAY = datetime.date(2026, 3, 10)
LENT_ON = datetime.date(2026, 1, 10)


def reclaim_document(serial=70):
    return DocumentFactory(office_code="哈编发", year=2026, serial=serial, title="关于收回空余编制的通知",
                           date_issued=datetime.date(2026, 3, 5), date_effective=datetime.date(2026, 3, 5))


def issue_notice(unit, clerk, decision, count, category="professional"):
    notice = hiring.quota_use_notice_create(institution=unit, quota_type=ledger.quota_type_get(), category=category,
                                            count=count, by=clerk)
    notice = hiring.quota_use_notice_submit(notice=notice, by=clerk)
    return hiring.quota_use_notice_approve(notice=notice, by=clerk, document=decision, on=ISSUE_DAY)


def test_a_notice_s_reservation_is_never_reclaimed_and_its_hires_still_enter(library, clerk, decision):
    # (a) 10 approved, 7 staff, a notice for 2: usable 1, so 1 is reclaimed and the notice still enters its 2.
    notice = issue_notice(library, clerk, decision, 2)
    only = Institution.objects.filter(pk=library.pk)

    [line] = reclamation.vacancy_reclaim_preview(institutions=only)
    assert (line.approved, line.borrowed, line.staff, line.reserved, line.reclaimable) == (10, 0, 7, 2, 1)

    transfers = reclamation.vacancy_reclaim_apply(institutions=only, document=reclaim_document(),
                                                  effective_date=RECLAIM_DAY, by=clerk)

    assert [(t.kind, t.amount) for t in transfers] == [("reclaim", 1)]
    assert balance(library) == 9
    position = quota_position(library)
    assert (position.held, position.staff_total, position.reserved, position.usable) == (9, 7, 2, 0)
    hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 3, 20), count=2, band="junior")
    assert (balance(library), staff_of(library), quota_position(library).over_quota) == (9, 9, 0)
    assert QuotaUseNotice.objects.get(pk=notice.pk).status == "executed"
    assert reclamation.vacancy_reclaim_apply(institutions=only, document=reclaim_document(71),
                                             effective_date=RECLAIM_DAY, by=clerk) == []
    assert ledger_ok()


@pytest.fixture
def borrower(daoli, staffed, talent_pool, case, clerk, decision):
    """31 own quotas, 31 staff, then 2 borrowed and one leaver: 31 own + 2 borrowed, 30 staff in quota."""
    unit = staffed(InstitutionFactory(region=daoli, name="道里区建筑市场服务中心"), 31, management=3,
                   professional=(0, 4, 12, 12), worker=0)
    loan = loans.turnover_loan_create(institution=unit, pool=talent_pool, count=2, talent_category="high_level",
                                      case=case, term_months=24, by=clerk,
                                      return_plan=[{"date": "2027-06-30", "count": 2}])
    loan = loans.turnover_loan_submit(loan=loan, by=clerk, on=LENT_ON)
    loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)
    hiring.staff_exit_record(institution=unit, category="management", reason="retirement", by=clerk,
                             on=datetime.date(2026, 2, 1))
    unit.loan = loan
    return unit


def test_borrowed_quotas_are_never_reclaimed_and_the_plan_follows_own_quotas(borrower, clerk, filing):
    # (b) 31 own + 2 borrowed, 30 staff: reclamation takes 1 and the 2 borrowed stay.
    position = quota_position(borrower)
    assert (position.own, position.borrowed, position.staff_total, position.usable, position.reclaimable) == (
        31, 2, 30, 3, 1)
    # The plan is checked against the 31 own quotas, not the 33 held: 31 posts fit, 33 do not.
    fits = services.position_plan_create(institution=borrower, by=clerk, effective_date=datetime.date(2026, 2, 15),
                                         document=filing, counts=plan_counts(management=3, professional=(0, 4, 12, 12),
                                                                             worker=0))
    assert fits.total == 31 and not [f for f in fits.findings if f["rule"] == "total_within_quota"]
    row = reconciliation_of(borrower)
    assert (row.approved, row.borrowed, row.held, row.stale_total) == (31, 2, 33, False)
    with pytest.raises(ValidationError) as too_many:
        services.position_plan_create(institution=borrower, by=clerk, effective_date=datetime.date(2026, 2, 16),
                                      document=filing, counts=plan_counts(management=5, professional=(0, 4, 12, 12),
                                                                          worker=0))
    assert "total" in too_many.value.message_dict

    only = Institution.objects.filter(pk=borrower.pk)
    transfers = reclamation.vacancy_reclaim_apply(institutions=only, document=reclaim_document(),
                                                  effective_date=RECLAIM_DAY, by=clerk)

    assert [t.amount for t in transfers] == [1]
    after = quota_position(borrower)
    assert (after.held, after.own, after.borrowed, after.staff_total) == (32, 30, 2, 30)
    # Settling the loan brings back the 2 borrowed and leaves the unit exactly at quota.
    loans.turnover_loan_settle(loan=borrower.loan, by=clerk, document=reclaim_document(72), on=RECLAIM_DAY)
    assert (balance(borrower), staff_of(borrower)) == (30, 30)
    assert ledger_ok()


def test_a_return_that_would_leave_staff_above_the_quotas_is_refused(borrower, clerk, decision, case):
    # 33 held, 30 staff, a notice promising 2: only 1 of the 2 borrowed can go back now.
    issue_notice(borrower, clerk, decision, 2, category="management")
    assert quota_position(borrower).usable == 1
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        loans.turnover_loan_settle(loan=borrower.loan, by=clerk, document=decision, on=ISSUE_DAY)

    assert refused.value.message_dict["count"] == [
        "Returning 2 would leave “道里区建筑市场服务中心” 31 quotas for 30 staff in quota and 2 reserved by open "
        "notices: at most 1 can go back now; the rest returns as staff leave (人走编收)."]
    assert snapshot() == before
    loans.turnover_loan_return(loan=borrower.loan, count=1, by=clerk, document=decision, on=ISSUE_DAY)
    assert quota_position(borrower).usable == 0


def test_reclamation_needs_its_document_and_a_date_in_bounds(library, clerk):
    before = snapshot()
    only = Institution.objects.filter(pk=library.pk)

    with pytest.raises(ValidationError) as no_document:
        reclamation.vacancy_reclaim_apply(institutions=only, document=None, effective_date=RECLAIM_DAY, by=clerk)
    with pytest.raises(ValidationError) as far:
        reclamation.vacancy_reclaim_apply(institutions=only, document=reclaim_document(),
                                          effective_date=datetime.date(9999, 12, 31), by=clerk)
    with translation.override("en"), pytest.raises(ValidationError) as early:
        reclamation.vacancy_reclaim_apply(institutions=only, document=reclaim_document(73),
                                          effective_date=datetime.date(2026, 3, 1), by=clerk)

    assert "document" in no_document.value.message_dict
    assert "effective_date" in far.value.message_dict
    assert early.value.message_dict["effective_date"] == [
        "A move cannot take effect before its approval document does (哈编发〔2026〕73号 takes effect on 2026-03-05)."]
    assert snapshot() == before


def test_reserved_classes_are_left_to_their_standard(daoli, staffed, clerk):
    school = staffed(InstitutionFactory(region=daoli, reserved_class="school"), 12, professional=(0, 0, 4, 4))
    office = staffed(InstitutionFactory(region=daoli), 12, professional=(0, 0, 4, 4))

    names = {line.institution_id for line in reclamation.vacancy_reclaim_preview()}

    assert office.pk in names and school.pk not in names


def test_the_page_previews_for_everyone_and_applies_for_the_city_office(client, make_user, library, daoli, clerk,
                                                                        decision):
    issue_notice(library, clerk, decision, 2)
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    client.force_login(district)
    url = reverse("workflow:reclamation")

    page = client.get(url)
    refused = client.post(url, {"document": reclaim_document().pk, "effective_date": "2026-03-10"})

    assert page.status_code == 200
    assert page.context["totals"]["reclaimable"] == 1 and page.context["totals"]["reserved"] == 2
    assert refused.status_code == 403
    assert balance(library) == 10

    client.force_login(clerk)
    bad = client.post(url, {"document": reclaim_document(74).pk, "effective_date": "2026-03-01"})
    assert bad.status_code == 200 and bad.context["apply_form"].errors and balance(library) == 10
    done = client.post(url, {"document": reclaim_document(75).pk, "effective_date": "2026-03-10"})
    assert done.status_code == 302
    assert balance(library) == 9
    assert QuotaTransfer.objects.filter(kind="reclaim").count() == 1
