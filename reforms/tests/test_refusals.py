"""Bad plans are refused with the reason, in Chinese, and nothing is written: an operation on an ended unit, a merge
into itself, an abolition with unplaced staff, a plan that would take an account negative, a district office
deciding, a second execution."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from core.errors import ConflictError
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from institutions.tests.factories import InstitutionFactory
from positions.models import StaffCount
from quotas.models import QuotaTransfer
from reforms import services
from reforms.models import OperationKind, ReformPlan, SurplusAction
from reforms.tests.conftest import PLAN_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(daoli, staffed):
    unit = InstitutionFactory(region=daoli, name="道里区某培训中心")
    return staffed(unit, 6, management=2, professional=(0, 0, 1, 1))


def draft(region, by, *operations):
    plan = services.reform_plan_create(by=by, region=region, title="道里区改革", effective_date=PLAN_DAY)
    for values in operations:
        services.reform_operation_save(plan=plan, by=by, **values)
    return plan


def refused(plan, by) -> str:
    written = (QuotaTransfer.objects.count(), StaffCount.objects.count(), Institution.objects.count())
    with pytest.raises(ValidationError) as error:
        services.reform_plan_submit(plan=plan, by=by)
    assert (QuotaTransfer.objects.count(), StaffCount.objects.count(), Institution.objects.count()) == written
    assert ReformPlan.objects.get(pk=plan.pk).status == "draft"
    return " ".join(error.value.messages)


def test_an_abolition_with_unplaced_staff_is_refused_naming_how_many(daoli, clerk, school):
    plan = draft(daoli, clerk, {"kind": OperationKind.ABOLISH, "institution": school})

    assert "“道里区某培训中心”尚有4名在编人员未安置" in refused(plan, clerk)


def test_an_abolition_whose_staff_all_leave_the_quota_executes_and_reclaims(daoli, clerk, school, reform_document):
    plan = draft(daoli, clerk, {"kind": OperationKind.ABOLISH, "institution": school,
                                "surplus": SurplusAction.RECLAIM, "placements": [
                                    {"category": "management", "count": 2},
                                    {"category": "professional", "band": "intermediate", "count": 1},
                                    {"category": "professional", "band": "junior", "count": 1}]})
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)

    school.refresh_from_db()
    assert school.status == InstitutionStatus.ABOLISHED
    assert StaffCount.objects.filter(institution=school).order_by("-as_of").first().total == 0
    reclaim = QuotaTransfer.objects.order_by("-pk").filter(kind="reclaim").first()
    assert (reclaim.amount, reclaim.target.holder_kind) == (6, "region_pool")


def test_an_operation_on_an_ended_unit_is_refused(daoli, clerk, school):
    school.status, school.ended_on = InstitutionStatus.ABOLISHED, PLAN_DAY
    school.save()
    plan = draft(daoli, clerk, {"kind": OperationKind.RENAME, "institution": school, "new_name": "新名称"})

    assert "已不存续" in refused(plan, clerk)


def test_a_merge_into_itself_is_refused(daoli, clerk, school):
    plan = draft(daoli, clerk, {"kind": OperationKind.MERGE, "institution": school, "sources": [school]})

    assert "单位不能整合并入自身" in refused(plan, clerk)


def test_a_plan_that_would_take_the_pool_negative_is_refused(daoli, clerk, school):
    plan = draft(daoli, clerk, {"kind": OperationKind.ADJUST_QUOTAS, "institution": school, "approved_total": 60})

    assert "道里区编制池尚缺54名编制" in refused(plan, clerk)


def test_a_unit_of_another_region_is_refused_in_a_districts_plan(daoli, nangang, clerk, staffed):
    other = staffed(InstitutionFactory(region=nangang, name="南岗区某中心"), 3, management=1)
    plan = draft(daoli, clerk, {"kind": OperationKind.RENAME, "institution": other, "new_name": "南岗区新中心"})

    assert "不在方案所属的道里区" in refused(plan, clerk)


def test_a_district_office_proposes_but_does_not_decide(daoli, nangang, make_user, clerk, school, reform_document):
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    plan = draft(daoli, district,
                 {"kind": OperationKind.RENAME, "institution": school, "new_name": "道里区职业培训中心"})
    services.reform_plan_submit(plan=plan, by=district)

    with pytest.raises(PermissionDenied):
        services.reform_plan_approve(plan=plan, by=district, document=reform_document)
    with pytest.raises(PermissionDenied):
        services.reform_plan_create(by=make_user(Role.DISTRICT_OFFICE, region=nangang), region=daoli, title="越界",
                                    effective_date=PLAN_DAY)

    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    with pytest.raises(PermissionDenied):
        services.reform_plan_execute(plan=plan, by=district)
    services.reform_plan_execute(plan=plan, by=clerk)
    school.refresh_from_db()
    assert school.name == "道里区职业培训中心"
    assert school.events.get().former_name == "道里区某培训中心"
    with pytest.raises(ConflictError):
        services.reform_plan_execute(plan=plan, by=clerk)


def test_an_abolished_units_issued_notices_are_listed_in_the_preview_and_closed_on_the_plans_date(
        daoli, clerk, school, reform_document, document):
    from quotas import services as ledger
    from workflow import hiring
    from workflow.models import QuotaUseNotice

    notice = hiring.quota_use_notice_create(institution=school, quota_type=ledger.quota_type_get(),
                                            category="management", count=1, by=clerk)
    hiring.quota_use_notice_submit(notice=notice, by=clerk)
    hiring.quota_use_notice_approve(notice=notice, by=clerk, document=document, on=PLAN_DAY.replace(day=1, month=2))
    plan = draft(daoli, clerk, {"kind": OperationKind.ABOLISH, "institution": school, "placements": [
        {"category": "management", "count": 2}, {"category": "professional", "band": "intermediate", "count": 1},
        {"category": "professional", "band": "junior", "count": 1}]})

    preview = services.reform_plan_preview(plan)

    assert preview["problems"] == []
    assert [(note["operation"], note["unit"]) for note in preview["notes"]] == [(1, "道里区某培训中心")]
    assert preview["notes"][0]["message"] == (
        "“道里区某培训中心”已核准的1份核准使用编制通知单由方案关闭，所预留的编制随之释放。")
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)
    notice.refresh_from_db()
    assert (notice.status, notice.closed_on) == ("executed", PLAN_DAY)
    assert QuotaUseNotice.objects.filter(institution=school, status="approved").count() == 0


def test_a_placement_names_staff_of_the_units_the_operation_ends(daoli, clerk, school, staffed):
    """The school has 2 management staff: a placement of 3 of them, or of staff of a unit the merger does not
    touch, is refused."""
    other = staffed(InstitutionFactory(region=daoli, name="道里区某服务站"), 4, management=2)
    survivor = staffed(InstitutionFactory(region=daoli, name="道里区某中心"), 12, management=2)
    plan = draft(daoli, clerk, {"kind": OperationKind.MERGE, "institution": survivor, "sources": [school],
                                "placements": [{"from_institution": other, "category": "management", "count": 1},
                                               {"from_institution": school, "category": "management", "count": 3}]})

    assert [problem["message"] for problem in services.reform_plan_preview(plan)["problems"]] == [
        "分流安置只能安置本操作终止或新设单位的人员，而非“道里区某服务站”的人员。",
        "“道里区某培训中心”的此类人员不足3人。"]
