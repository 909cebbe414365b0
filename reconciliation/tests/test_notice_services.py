"""Direction notices: numbered in sequence, batches by department, refusals that change nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions import services as position_services
from positions.models import PositionPlan, StaffCount
from positions.tests.factories import plan_counts
from reconciliation import services
from reconciliation.choices import NoticeKind
from reconciliation.models import PositionDirectionNotice

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 1, 1)


@pytest.fixture
def funded(unit, fund):
    """道里区图书馆 with 10 approved quotas and 1 principal leadership post."""
    fund(unit, 10)
    return unit


def create(unit, by, filing, day=DAY, **counts):
    values = {"management": 1, "professional": (0, 1, 2, 6), "worker": 0}
    values.update(counts)
    return position_services.position_plan_create(institution=unit, by=by, effective_date=day, document=filing,
                                         counts=plan_counts(**values))


def snapshot():
    return (PositionPlan.objects.count(), StaffCount.objects.count(), PositionDirectionNotice.objects.count())



def test_notices_are_numbered_in_sequence_per_year(funded, clerk, document, hr_user, filing):
    create(funded, hr_user, filing)
    first = services.position_notice_issue(institution=funded, by=clerk, document=document,
                                           issued_on=datetime.date(2026, 3, 1))
    second = services.position_notice_issue(institution=funded, by=clerk, document=document,
                                            issued_on=datetime.date(2026, 3, 2))
    next_year = services.position_notice_issue(institution=funded, by=clerk, document=document,
                                               issued_on=datetime.date(2027, 1, 5))

    assert [first.number, second.number, next_year.number] == ["哈编岗通〔2026〕1号", "哈编岗通〔2026〕2号",
                                                               "哈编岗通〔2027〕1号"]
    assert (first.figures["approved"], first.figures["posts"]["total"], first.figures["staff_total"]) == (10, 10, 0)
    assert first.figures["direction"]["code"] == "hold_no_staff_count"
    assert (first.institution, first.document, first.issued_by, first.kind) == (funded, document, clerk, "unit")


def test_a_department_gets_a_batch_and_each_unit_its_own_notice(daoli, fund, clerk, document):
    bureau = AgencyFactory(region=daoli)
    units = [InstitutionFactory(region=daoli, supervisor=bureau, staff_in_quota=n) for n in (3, 5)]
    for each in units:
        fund(each, 4)
    InstitutionFactory(region=daoli, staff_in_quota=1)  # another department's

    batch = services.position_notices_issue_for_department(supervisor=bureau, by=clerk, document=document,
                                                           issued_on=datetime.date(2026, 3, 1))

    assert batch.kind == NoticeKind.DEPARTMENT and batch.number == "哈编岗通〔2026〕1号"
    assert batch.figures["totals"] == {"approved": 8, "borrowed": 0, "reserved_total": 0, "staff_total": 8,
                                       "vacant": 1, "over_quota": 1, "units": 2}
    unit_notices = list(batch.unit_notices.order_by("serial"))
    assert [notice.number for notice in unit_notices] == ["哈编岗通〔2026〕2号", "哈编岗通〔2026〕3号"]
    assert {notice.institution for notice in unit_notices} == set(units)


def test_notices_refuse_what_gets_no_direction(daoli, clerk, document):
    agency = AgencyFactory(region=daoli)
    lone = AgencyFactory(region=daoli)
    before = snapshot()

    with pytest.raises(ValidationError) as as_unit:
        services.position_notice_issue(institution=agency, by=clerk, document=document)
    with pytest.raises(ValidationError) as empty:
        services.position_notices_issue_for_department(supervisor=lone, by=clerk, document=document)
    with pytest.raises(ValidationError) as not_agency:
        services.position_notices_issue_for_department(supervisor=InstitutionFactory(region=daoli), by=clerk,
                                                       document=document)
    with pytest.raises(ValidationError) as early:
        services.position_notice_issue(institution=InstitutionFactory(region=daoli), by=clerk, document=document,
                                       issued_on=datetime.date(2020, 1, 1))

    assert "institution" in as_unit.value.message_dict
    assert "supervisor" in empty.value.message_dict and "supervisor" in not_agency.value.message_dict
    assert "issued_on" in early.value.message_dict
    assert snapshot()[2] == before[2]


def test_a_notice_number_taken_meanwhile_moves_to_the_next(funded, clerk, document, monkeypatch):
    """Two clerks at once: the second's serial clashes in the database and it takes the next one."""
    from django.db.models import QuerySet

    taken = services.position_notice_issue(institution=funded, by=clerk, document=document,
                                           issued_on=datetime.date(2026, 3, 1))
    real_aggregate = QuerySet.aggregate
    calls = {"n": 0}

    def stale_aggregate(self, *args, **kwargs):
        calls["n"] += 1
        result = real_aggregate(self, *args, **kwargs)
        if self.model is PositionDirectionNotice and calls["n"] == 1:
            return {"last": 0}  # as if the other clerk's notice were not committed yet
        return result

    monkeypatch.setattr(QuerySet, "aggregate", stale_aggregate)
    second = services.position_notice_issue(institution=funded, by=clerk, document=document,
                                            issued_on=datetime.date(2026, 3, 1))

    assert (taken.serial, second.serial) == (1, 2)
