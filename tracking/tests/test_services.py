"""Tasks, milestones and the checklists the reform gives its units; the daily overdue flags."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from institutions.models import Institution
from institutions.tests.factories import InstitutionFactory
from reforms.models import OperationKind
from tracking import services
from tracking.models import Milestone, ReformTask, UnitChecklist
from tracking.tests.conftest import LIQUIDATION_END

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def task(clerk, agency):
    return services.reform_task_save(by=clerk, title="三定规定制定", department=agency, start_date=D(2026, 2, 1),
                                     due_date=D(2026, 6, 30))


def test_a_task_takes_its_departments_region(task, daoli):
    assert task.region == daoli


def test_a_task_names_a_department_or_a_district_not_both(clerk, agency, daoli):
    with pytest.raises(ValidationError) as error:
        services.reform_task_save(by=clerk, title="x", department=agency, district=daoli,
                                  start_date=D(2026, 2, 1), due_date=D(2026, 3, 1))
    assert error.value.error_dict["department"][0].code == "both_targets"
    assert not ReformTask.objects.exists()


def test_a_milestone_due_before_its_task_starts_is_refused_and_nothing_is_written(clerk, task):
    with pytest.raises(ValidationError) as error:
        services.milestone_save(by=clerk, task=task, title="印发", due_date=D(2026, 1, 31))
    assert list(error.value.error_dict) == ["due_date"]
    assert error.value.error_dict["due_date"][0].code == "before_task_start"
    assert not Milestone.objects.exists()


def test_a_milestone_due_after_its_task_is_refused(clerk, task):
    with pytest.raises(ValidationError) as error:
        services.milestone_save(by=clerk, task=task, title="印发", due_date=D(2026, 7, 1))
    assert error.value.error_dict["due_date"][0].code == "after_task_due"
    assert not Milestone.objects.exists()


def test_a_milestone_on_the_tasks_first_and_last_day_is_accepted(clerk, task):
    services.milestone_save(by=clerk, task=task, title="起草", due_date=D(2026, 2, 1))
    services.milestone_save(by=clerk, task=task, title="印发", due_date=D(2026, 6, 30))
    assert Milestone.objects.count() == 2


def test_a_task_cannot_shrink_past_its_milestones(clerk, task):
    services.milestone_save(by=clerk, task=task, title="印发", due_date=D(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.reform_task_save(by=clerk, task=task, due_date=D(2026, 5, 31))
    assert error.value.error_dict["due_date"][0].code == "milestone_outside_task"
    assert ReformTask.objects.get().due_date == D(2026, 6, 30)


def test_a_district_office_writes_only_its_own_regions_tasks(make_user, daoli, nangang, other_agency):
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    with pytest.raises(PermissionDenied):
        services.reform_task_save(by=district, title="x", department=other_agency, start_date=D(2026, 2, 1),
                                  due_date=D(2026, 3, 1))
    services.reform_task_save(by=district, title="x", district=daoli, start_date=D(2026, 2, 1),
                              due_date=D(2026, 3, 1))
    assert ReformTask.objects.get().region == daoli


def test_milestones_are_flagged_overdue_the_day_after_they_are_due(clerk, task):
    late = services.milestone_save(by=clerk, task=task, title="起草", due_date=D(2026, 3, 1))
    done = services.milestone_save(by=clerk, task=task, title="征求意见", due_date=D(2026, 3, 1),
                                   done_on=D(2026, 2, 20))
    services.flag_overdue(on=D(2026, 3, 1))
    assert not Milestone.objects.filter(overdue=True).exists()
    counts = services.flag_overdue(on=D(2026, 3, 2))
    assert set(Milestone.objects.filter(overdue=True)) == {late}
    assert counts["milestone_flagged"] == 1
    assert services.flag_overdue(on=D(2026, 3, 2))["milestone_flagged"] == 0  # a second run changes nothing
    services.milestone_save(by=clerk, milestone=late, done_on=D(2026, 3, 5))
    services.flag_overdue(on=D(2026, 3, 6))
    assert not Milestone.objects.filter(overdue=True).exists()
    assert done.pk


# --- from the reform ----------------------------------------------------------------------------------------------
def test_an_abolished_unit_gets_its_deregistration_due_15_days_after_its_liquidation_and_is_overdue_after(
        daoli, executed):
    unit = InstitutionFactory(region=daoli, name="道里区某培训中心")
    plan = executed(daoli, {"kind": OperationKind.ABOLISH, "institution": unit})
    unit.refresh_from_db()
    assert unit.ended_on == LIQUIDATION_END

    made = services.checklists_from_reform(plan)

    checklist = UnitChecklist.objects.get(institution=unit)
    assert [row.pk for row in made] == [checklist.pk]
    assert (checklist.registration_kind, checklist.registration_basis, checklist.registration_due) == (
        "deregister", D(2026, 1, 20), D(2026, 2, 4))
    assert not checklist.handles_apply and checklist.items() == ["registration_done_on"]
    UnitChecklist.objects.filter(pk=checklist.pk).update(overdue=False)  # as it stood before the deadline
    services.flag_overdue(on=D(2026, 2, 4))
    checklist.refresh_from_db()
    assert not checklist.overdue
    services.flag_overdue(on=D(2026, 2, 5))
    checklist.refresh_from_db()
    assert checklist.overdue


def test_a_merger_deregisters_the_merged_units_and_registers_the_new_one(daoli, executed):
    a = InstitutionFactory(region=daoli, name="道里区甲中心")
    b = InstitutionFactory(region=daoli, name="道里区乙中心")
    renamed = InstitutionFactory(region=daoli, name="道里区丁馆")
    plan = executed(daoli, {"kind": OperationKind.MERGE, "new_name": "道里区丙中心", "approved_total": 0,
                            "sources": [a, b]},
                    {"kind": OperationKind.RENAME, "institution": renamed, "new_name": "道里区丁中心"})
    services.checklists_from_reform(plan)
    formed = Institution.objects.get(name="道里区丙中心")
    found = {row.institution_id: (row.registration_kind, row.registration_due, row.handles_apply)
             for row in UnitChecklist.objects.all()}
    assert found == {
        a.pk: ("deregister", D(2026, 2, 4), False), b.pk: ("deregister", D(2026, 2, 4), False),
        formed.pk: ("establish", D(2026, 2, 19), True),  # 30 days from 20 January
        renamed.pk: ("change", D(2026, 2, 19), True),
    }


def test_the_sweep_is_idempotent_and_refuses_nothing_executed(daoli, executed, clerk):
    unit = InstitutionFactory(region=daoli, name="道里区某培训中心")
    executed(daoli, {"kind": OperationKind.ABOLISH, "institution": unit})
    from reforms import services as reform_services
    draft = reform_services.reform_plan_create(by=clerk, region=daoli, title="草案", effective_date=LIQUIDATION_END)

    assert services.checklists_sync() == 1
    rows = list(UnitChecklist.objects.values_list("pk", "institution_id", "registration_due"))
    assert services.checklists_sync() == 0
    assert list(UnitChecklist.objects.values_list("pk", "institution_id", "registration_due")) == rows
    with pytest.raises(ValidationError) as error:
        services.checklists_from_reform(draft)
    assert error.value.error_dict["plan"][0].code == "plan_not_executed"


def test_a_checklist_is_complete_when_every_item_that_applies_is_done(clerk, task, daoli):
    unit = InstitutionFactory(region=daoli)
    checklist = services.checklist_save(by=clerk, institution=unit, task=task, registration_kind="change",
                                        registration_basis=D(2026, 2, 1))
    assert checklist.registration_due == D(2026, 3, 3) and checklist.done_count == 0
    assert len(checklist.items()) == 8
    done = dict.fromkeys(("sanding_on", "power_list_on", "charter_on", "organisation_in_place_on",
                          "functions_in_place_on", "staff_in_place_on", "quotas_in_place_on"), D(2026, 3, 1))
    checklist = services.checklist_save(by=clerk, checklist=checklist, **done)
    assert not checklist.is_complete
    checklist = services.checklist_save(by=clerk, checklist=checklist, registration_done_on=D(2026, 3, 2))
    assert checklist.is_complete


def test_a_registration_done_before_its_basis_is_refused(clerk, task, daoli):
    unit = InstitutionFactory(region=daoli)
    with pytest.raises(ValidationError) as error:
        services.checklist_save(by=clerk, institution=unit, task=task, registration_kind="change",
                                registration_basis=D(2026, 2, 1), registration_done_on=D(2026, 1, 1))
    assert error.value.error_dict["registration_done_on"][0].code == "done_before_basis"
    assert not UnitChecklist.objects.exists()


def test_a_devolved_unit_gets_its_change_registration_in_its_new_region(city, daoli, executed):
    unit = InstitutionFactory(region=city, name="市不动产登记中心道里分中心", supervisor=None)
    plan = executed(city, {"kind": OperationKind.DEVOLVE, "institution": unit, "new_region": daoli},
                    title="分中心整建制下放")
    services.checklists_from_reform(plan)
    checklist = UnitChecklist.objects.get()
    assert (checklist.institution_id, checklist.region_id, checklist.registration_kind,
            checklist.registration_due) == (unit.pk, daoli.pk, "change", D(2026, 2, 19))


def test_the_beat_tasks_sweep_and_flag(daoli, executed):
    from tracking import tasks

    unit = InstitutionFactory(region=daoli, name="道里区某疗养院")
    executed(daoli, {"kind": OperationKind.ABOLISH, "institution": unit})
    # The unit ended on 2026-01-20: it was active in 2025 and, still registered, reports on 2025.
    assert tasks.sync_checklists() == {"checklists": 1, "annual_reports": 1}
    assert tasks.sync_checklists() == {"checklists": 0, "annual_reports": 0}
    UnitChecklist.objects.update(overdue=False)
    assert tasks.flag_overdue()["unitchecklist_flagged"] == 1  # today is long after 2026-02-04
