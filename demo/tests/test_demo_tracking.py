"""The follow-up demo on the full demo city (``load_demo`` loads it): the reform's checklists as its executed plans
imply, the tasks, the 2025 annual reports and the overdue items as worked by hand; a second load changes nothing.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from demo import tracking as demo
from demo.institutions import DEFAULT_SEED, generate
from institutions.choices import InstitutionKind, InstitutionStatus, LegalPersonState
from institutions.models import Institution
from reforms.models import ReformOperation, ReformPlan
from tracking.models import AnnualReport, Milestone, ReformTask, UnitChecklist
from workflow import states as workflow

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_tracking_the_demo_follow_up_on_the_demo_city"]


def test_tracking_the_demo_follow_up_on_the_demo_city(db):
    city = generate(DEFAULT_SEED)

    executed = ReformPlan.objects.filter(status=workflow.EXECUTED)
    documents = executed.values("document_id")
    ended = Institution.objects.exclude(status=InstitutionStatus.ACTIVE).filter(ended_document__in=documents)
    created = ReformOperation.objects.filter(plan__in=executed, created_unit__isnull=False)
    assert UnitChecklist.objects.filter(registration_kind="deregister").count() == ended.count() > 0
    assert set(UnitChecklist.objects.filter(registration_kind="deregister").values_list("institution", flat=True)) \
        == set(ended.values_list("pk", flat=True))
    assert UnitChecklist.objects.filter(registration_kind="establish").count() == created.count()
    # 18 districts and counties and 3 city departments.
    assert ReformTask.objects.filter(district__isnull=False).count() == 18
    assert ReformTask.objects.filter(department__isnull=False).count() == 3
    # Overdue milestones: of the districts in code order, every third has its last milestone pending (6) and every
    # third its last two (12); the departments 0, 1 and 2 pending: 6 + 12 + 3 = 21.
    assert Milestone.objects.filter(overdue=True).count() == 21
    # Registrations: of each ten checklists, the ninth and the tenth are pending, long past their 2021 deadlines.
    total = UnitChecklist.objects.count()
    pending = sum(1 for index in range(total) if index % 10 in (8, 9))
    assert UnitChecklist.objects.filter(overdue=True).count() == pending
    # Annual reports on 2025: every registered public institution (the units the 2021 reform ended ended long before
    # 2025); of each twenty in order 17 submitted in March, the 18th and 19th late, the 20th missing (overdue).
    registered = Institution.objects.filter(kind=InstitutionKind.PUBLIC_INSTITUTION, status=InstitutionStatus.ACTIVE,
                                            legal_person_state=LegalPersonState.REGISTERED)
    reports = AnnualReport.objects.filter(year=2025)
    assert set(reports.values_list("institution", flat=True)) == set(registered.values_list("pk", flat=True))
    total = reports.count()
    missing = sum(1 for index in range(total) if index % 20 == 19)
    late = sum(1 for index in range(total) if index % 20 in (17, 18))
    assert total > 1000 and missing > 0
    assert reports.filter(submitted_on__isnull=True).count() == missing
    assert reports.filter(overdue=True).count() == missing  # as of today, long after 31 March 2026
    assert reports.filter(submitted_on__gt="2026-03-31").count() == late
    assert reports.filter(submitted_on__lte="2026-03-31").count() == total - late - missing
    before = (list(UnitChecklist.objects.values_list("pk", "registration_done_on", "overdue")),
              list(Milestone.objects.values_list("pk", "done_on", "overdue")),
              list(AnnualReport.objects.values_list("pk", "submitted_on", "overdue")))

    demo.load(city=city)

    assert (list(UnitChecklist.objects.values_list("pk", "registration_done_on", "overdue")),
            list(Milestone.objects.values_list("pk", "done_on", "overdue")),
            list(AnnualReport.objects.values_list("pk", "submitted_on", "overdue"))) == before
