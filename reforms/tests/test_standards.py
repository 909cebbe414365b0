"""One standard for all, in the reform preview: the cap of a region the plan adds units to, the internal-division
standard and the leadership-post table of the units it changes; and the divisions a unit keeps as its ceiling."""
import pytest
from django.core.exceptions import ValidationError

from institutions.models import Institution, InternalDivision
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from quotas.selectors import own_approved_quotas
from reforms import services
from reforms.models import OperationKind, SurplusAction
from reforms.tests.conftest import PLAN_DAY
from standards.models import InstitutionCap, ServiceFigure
from standards.selectors import unit_standards

pytestmark = pytest.mark.django_db


def _plan(daoli, clerk, *operations):
    plan = services.reform_plan_create(by=clerk, region=daoli, title="标准检查", effective_date=PLAN_DAY)
    for operation in operations:
        services.reform_operation_save(plan=plan, by=clerk, **operation)
    return plan


def _messages(items):
    return [item["message"] for item in items]


def test_establishing_above_the_cap_is_refused_unless_the_plan_brings_the_region_back(daoli, clerk, units):
    """道里区 holds A, B and D (3) with a cap of 3: a new unit makes 4, over; abolishing none of them is refused,
    merging A and B into one in the same plan makes 3 again."""
    InstitutionCap.objects.create(region=daoli, method="fixed", cap=3)
    a, b, _d = units
    establish = {"kind": OperationKind.ESTABLISH, "new_name": "道里区新中心", "must_exist_reason": "by_law",
                 "approved_total": 0}

    over = services.reform_plan_preview(_plan(daoli, clerk, establish))
    assert [message for message in _messages(over["problems"]) if "道里区" in message and "4" in message
            and "3" in message], over["problems"]
    assert [region["cap"] for region in over["regions"]] == [3]

    merge = {"kind": OperationKind.MERGE, "institution": a, "sources": [b], "approved_total": 35,
             "surplus": SurplusAction.CANCEL}
    within = services.reform_plan_preview(_plan(daoli, clerk, establish, merge))
    assert not [message for message in _messages(within["problems"]) if "限额" in message or "cap" in message], \
        within["problems"]


def test_a_cut_that_takes_a_unit_under_8_quotas_a_division_is_refused_and_an_old_shortfall_is_a_note(
        daoli, clerk, staffed):
    """30 quotas over 3 divisions (10 each) cut to 20: 6.7 a division, refused. A unit already at 20 over 3,
    renamed, stays as it was: a note, not a problem."""
    cut = staffed(InstitutionFactory(region=daoli, name="道里区甲馆"), 30, management=2, professional=(0, 2, 4, 4))
    old = staffed(InstitutionFactory(region=daoli, name="道里区乙馆"), 20, management=2, professional=(0, 2, 4, 4))
    for unit in (cut, old):
        for name in ("一科", "二科", "三科"):
            InternalDivision.objects.create(institution=unit, name=name, quota_count=6)

    preview = services.reform_plan_preview(_plan(
        daoli, clerk,
        {"kind": OperationKind.ADJUST_QUOTAS, "institution": cut, "approved_total": 20,
         "surplus": SurplusAction.CANCEL},
        {"kind": OperationKind.RENAME, "institution": old, "new_name": "道里区丙馆"}))

    problems, notes = _messages(preview["problems"]), _messages(preview["notes"])
    assert [message for message in problems if "道里区甲馆" in message and "6.7" in message], problems
    assert not [message for message in problems if "乙馆" in message or "丙馆" in message], problems
    assert [message for message in notes if "6.7" in message and "丙馆" in message], notes


def test_a_cut_that_leaves_too_many_leaders_for_the_unit_s_size_is_refused(daoli, clerk, staffed):
    """60 quotas allow 3–4 leaders: 1 + 3 = 4 is within. Cut to 40 (2–3 allowed), 4 is over."""
    unit = staffed(InstitutionFactory(region=daoli, name="道里区丁馆", leadership_principal=1, leadership_deputy=3),
                   60, management=4, professional=(0, 2, 4, 4))

    preview = services.reform_plan_preview(_plan(daoli, clerk, {
        "kind": OperationKind.ADJUST_QUOTAS, "institution": unit, "approved_total": 40,
        "surplus": SurplusAction.CANCEL}))

    assert [message for message in _messages(preview["problems"]) if "道里区丁馆" in message and "4" in message
            and "2–3" in message], preview["problems"]


def test_after_a_merger_the_survivor_may_not_have_more_divisions_than_it_and_its_sources_had(
        plan, clerk, units, reform_document):
    """A has 2 divisions and B 1; merged into the new C (3 staff placed in D), C may have 3 divisions, no more; D,
    which only received staff, keeps its 0."""
    a, b, d = units
    for unit, names in ((a, ("一科", "二科")), (b, ("综合科",))):
        for name in names:
            InternalDivision.objects.create(institution=unit, name=name, quota_count=5)
    services.reform_operation_save(plan=plan, by=clerk, operation=plan.operations.get(),
                                   placements=[{"to_institution": d, "category": "management", "count": 3}])
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)

    c = Institution.objects.get(name="道里区丙中心")
    d.refresh_from_db()
    assert (c.reform_division_ceiling, d.reform_division_ceiling) == (3, 0)
    for name in ("办公室", "业务一科", "业务二科"):
        division = InternalDivision(institution=c, name=name, quota_count=10)
        division.full_clean()
        division.save()
    with pytest.raises(ValidationError) as refused:
        InternalDivision(institution=c, name="业务三科", quota_count=10).full_clean()
    assert "道里区丙中心" in refused.value.message_dict["institution"][0]
    assert c.divisions.count() == 3


def test_re_verification_adds_an_adjustment_to_the_standard_for_each_unit_outside_it(daoli, clerk, staffed,
                                                                                     reform_document):
    """A junior school of 1,350 students holding 110 (standard 100: 10 over) and a 420-bed hospital holding 580
    (standard 588–630: 8 under, raised to 588 from the pool) get an adjustment each; a school at its standard
    gets none; executing the plan brings both to the standard."""
    over = staffed(InstitutionFactory(region=daoli, name="道里区第一中学", reserved_class="school"), 110,
                   management=4, professional=(2, 10, 40, 40))
    right = staffed(InstitutionFactory(region=daoli, name="道里区第二中学", reserved_class="school"), 100,
                    management=4, professional=(2, 10, 40, 40))
    under = staffed(InstitutionFactory(region=daoli, name="道里区人民医院", reserved_class="public_hospital"), 580,
                    management=20, professional=(10, 50, 200, 200))
    for unit, figure, value in ((over, "students_junior", 1350), (right, "students_junior", 1350),
                                (under, "beds", 420)):
        ServiceFigure.objects.create(institution=unit, year=2025, figure=figure, value=value, source="统计（示意）")
    pool = ledger.account_for_region(region=daoli, quota_type=ledger.quota_type_get())
    ledger.quota_grant(target=pool, amount=8, document=reform_document, effective_date=PLAN_DAY, by=clerk)
    plan = services.reform_plan_create(by=clerk, region=daoli, title="按标准核定", effective_date=PLAN_DAY)

    added = services.reform_operations_to_standard(plan=plan, by=clerk)

    assert sorted((op.institution.name, op.approved_total) for op in added) == [
        ("道里区人民医院", 588), ("道里区第一中学", 100)]
    assert "1350" in next(op.reason for op in added if op.institution == over)
    assert services.reform_operations_to_standard(plan=plan, by=clerk) == []  # once per unit
    assert services.reform_plan_preview(plan)["problems"] == []
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)
    standards = unit_standards([over, under])
    assert [own_approved_quotas(unit, quota_type="institutional") for unit in (over, under, right)] == [
        standards[over.pk].low, standards[under.pk].low, 100]
