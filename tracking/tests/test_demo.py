"""The demo loader on a small city: tasks per district and for the city's departments, the reform's checklists with
their progress, some overdue; deterministic and idempotent."""
import datetime
from io import StringIO
from types import SimpleNamespace

import pytest

from demo import tracking as demo
from institutions.tests.factories import InstitutionFactory
from reforms.models import OperationKind
from tracking.models import AnnualReport, Milestone, ReformTask, UnitChecklist

pytestmark = pytest.mark.django_db


def snapshot():
    return (list(ReformTask.objects.values_list("pk", "title", "region_id", "plan_id")),
            list(Milestone.objects.values_list("pk", "due_date", "done_on", "overdue")),
            list(UnitChecklist.objects.values_list("pk", "institution_id", "registration_due",
                                                   "registration_done_on", "overdue")),
            list(AnnualReport.objects.values_list("pk", "institution_id", "year", "submitted_on", "overdue")))


def test_the_demo_follow_up_is_written_once(city, daoli, nangang, executed):
    InstitutionFactory(region=city, name="市教育局", kind="agency")
    units = [InstitutionFactory(region=daoli, name=f"道里区第{n}培训中心") for n in range(3)]
    for n in range(20):
        InstitutionFactory(region=nangang, name=f"南岗区第{n}卫生院", established_on=datetime.date(2000, 1, 1))
    InstitutionFactory(region=nangang, name="南岗区未登记中心", legal_person_state="unregistered")
    plan = executed(daoli, *({"kind": OperationKind.ABOLISH, "institution": unit} for unit in units))
    small = SimpleNamespace(regions=[SimpleNamespace(code=region.code) for region in (city, daoli, nangang)])
    out = StringIO()

    demo.load(city=small, stdout=out)

    assert ReformTask.objects.filter(district__isnull=False).count() == 2  # 道里区, 南岗区
    assert ReformTask.objects.get(district=daoli).plan_id == plan.pk
    assert ReformTask.objects.filter(department__isnull=False).count() == 1
    assert Milestone.objects.count() == 2 * 3 + 2
    # 道里区 (first by code): every milestone done; 南岗区: the last one pending, overdue since 2021-12-01.
    assert list(Milestone.objects.filter(overdue=True).values_list("task__district__name", "due_date")) == [
        ("南岗区", datetime.date(2021, 11, 30))]
    checklists = list(UnitChecklist.objects.order_by("institution__name"))
    assert [(row.registration_kind, row.registration_due) for row in checklists] == [
        ("deregister", datetime.date(2026, 2, 4))] * 3
    # The first three of the ten slots: registered three days before the deadline.
    assert {row.registration_done_on for row in checklists} == {datetime.date(2026, 2, 1)}
    assert "3 checklists" in out.getvalue()
    # The 2025 reports: the 3 training centres (ended in 2026, active in 2025) and the 20 clinics; not the agency nor
    # the unregistered centre. Of 23 in order, slots 0-16 and 0-2 in March (20), 17 and 18 late, 19 missing.
    reports = AnnualReport.objects.filter(year=2025)
    assert reports.count() == 23 and "23 annual reports" in out.getvalue()
    assert reports.filter(submitted_on__lte=datetime.date(2026, 3, 31)).count() == 20
    assert sorted(reports.filter(submitted_on__gt=datetime.date(2026, 3, 31)).values_list(
        "submitted_on", flat=True)) == [datetime.date(2026, 4, 20), datetime.date(2026, 5, 15)]
    assert list(reports.filter(overdue=True).values_list("submitted_on", flat=True)) == [None]
    assert reports.filter(submitted_on__isnull=True).count() == 1
    before = snapshot()

    demo.load(city=small, stdout=out)

    assert snapshot() == before
    assert "already loaded" in out.getvalue()
