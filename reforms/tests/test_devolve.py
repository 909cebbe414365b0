"""A devolution moves the unit and its quotas to the receiving region's books on its date, through the ledger: the
totals by level and region, and the institution counts, on any date before count it where it was, from that date
where it went."""
import datetime

import pytest

from institutions.choices import InstitutionStatus
from institutions.models import InstitutionEvent, LifeEventKind
from institutions.selectors import institution_counts_by_region
from institutions.tests.factories import AgencyFactory, DistrictFactory, DocumentFactory, InstitutionFactory
from quotas.choices import HolderKind
from quotas.models import QuotaAccount
from quotas.selectors import ledger_reconcile, totals_by_level, totals_by_region
from reforms import services
from reforms.models import OperationKind
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db
MOVE_DAY = datetime.date(2021, 7, 1)
BEFORE, AFTER = datetime.date(2021, 6, 30), datetime.date(2021, 7, 2)


@pytest.fixture
def document(db):
    """The funding document (the shared fixture's is of 2024; these quotas were approved in 2019)."""
    return DocumentFactory(office_code="哈编发", year=2019, serial=1, title="关于核定编制的批复",
                           date_issued=datetime.date(2019, 1, 2), date_effective=datetime.date(2019, 1, 2))


@pytest.fixture
def sub_centre(city, fund):
    unit = InstitutionFactory(region=city, name="哈尔滨市不动产登记中心松北分中心",
                              established_on=datetime.date(2010, 1, 1))
    fund(unit, 12, on=datetime.date(2020, 1, 2))
    InstitutionFactory(region=city, name="哈尔滨市某中心", established_on=datetime.date(2010, 1, 1))
    return unit


@pytest.fixture
def songbei(city):
    return DistrictFactory(parent=city, code="230109", name="松北区", kind="outer_suburban")


def devolve(city, clerk, unit, to_region):
    document = DocumentFactory(office_code="哈编发", year=2021, serial=5, title="关于下放不动产登记分中心的批复",
                               date_issued=MOVE_DAY, date_effective=MOVE_DAY)
    plan = services.reform_plan_create(by=clerk, region=city, title="不动产登记分中心下放", effective_date=MOVE_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.DEVOLVE, institution=unit,
                                   new_region=to_region)
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=document)
    return services.reform_plan_execute(plan=plan, by=clerk)


def test_totals_by_level_before_and_after_the_date_differ_by_exactly_the_unit(city, songbei, clerk, sub_centre):
    levels_before = totals_by_level(BEFORE)
    counts_before = institution_counts_by_region(BEFORE)

    devolve(city, clerk, sub_centre, songbei)

    assert totals_by_level(BEFORE) == levels_before  # the past is as it was
    after = totals_by_level(AFTER)
    assert after["city"] == levels_before["city"] - 12
    assert after["district"] == levels_before["district"] + 12
    assert after["county"] == levels_before["county"]
    by_region = {row.code: row.institutions for row in totals_by_region(AFTER)}
    assert by_region["230109"] == 12
    assert institution_counts_by_region(BEFORE) == counts_before
    counts_after = institution_counts_by_region(AFTER)
    assert counts_after[city.pk] == counts_before[city.pk] - 1
    assert counts_after[songbei.pk] == counts_before.get(songbei.pk, 0) + 1


def test_the_unit_stays_itself_with_its_quotas_in_its_new_region(city, songbei, clerk, sub_centre):
    devolve(city, clerk, sub_centre, songbei)

    sub_centre.refresh_from_db()
    assert (sub_centre.status, sub_centre.region) == (InstitutionStatus.ACTIVE, songbei)
    assert quota_position(sub_centre).held == 12
    assert quota_position(sub_centre, on=BEFORE).held == 12
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=sub_centre)
    assert sorted(accounts.values_list("region__code", "is_active", "balance")) == [
        ("230100", False, 0), ("230109", True, 12)]
    event = InstitutionEvent.objects.get(institution=sub_centre, kind=LifeEventKind.DEVOLVED)
    assert (event.date, event.from_region, event.region) == (MOVE_DAY, city, songbei)
    assert ledger_reconcile().ok


def test_a_devolution_to_the_same_region_is_refused_and_writes_nothing(city, clerk, sub_centre):
    plan = services.reform_plan_create(by=clerk, region=city, title="错误的下放", effective_date=MOVE_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.DEVOLVE, institution=sub_centre,
                                   new_region=city)

    problems = services.reform_plan_preview(plan)["problems"]

    assert [problem["operation"] for problem in problems] == [1]
    with pytest.raises(Exception) as refused:
        services.reform_plan_submit(plan=plan, by=clerk)
    assert "下放须将单位划至其他区县" in str(refused.value)
    assert plan.__class__.objects.get(pk=plan.pk).status == "draft"


def test_a_devolved_unit_is_taken_over_by_an_agency_of_the_receiving_region(city, songbei, clerk, sub_centre):
    """Supervised by the city's bureau, the sub-centre may not go to 松北区 alone: the plan names 松北区's bureau, on
    the devolution itself (a bureau of another region is refused)."""
    sub_centre.supervisor = AgencyFactory(region=city, name="哈尔滨市自然资源和规划局")
    sub_centre.save()
    plan = services.reform_plan_create(by=clerk, region=city, title="下放", effective_date=MOVE_DAY)
    operation = services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.DEVOLVE,
                                               institution=sub_centre, new_region=songbei)
    assert [problem["message"] for problem in services.reform_plan_preview(plan)["problems"]] == [
        "“哈尔滨市不动产登记中心松北分中心”仍将由其原属地区的部门主管：请在下放中指定接收地区的主管部门，或在同一方案中调整主管部门。"]

    services.reform_operation_save(plan=plan, by=clerk, operation=operation,
                                   new_supervisor=AgencyFactory(region=city, name="哈尔滨市住房和城乡建设局"))
    assert [problem["message"] for problem in services.reform_plan_preview(plan)["problems"]] == [
        "“哈尔滨市住房和城乡建设局”与“哈尔滨市不动产登记中心松北分中心”不属同一地区。",
        "“哈尔滨市不动产登记中心松北分中心”仍将由其原属地区的部门主管：请在下放中指定接收地区的主管部门，或在同一方案中调整主管部门。"]

    bureau = AgencyFactory(region=songbei, name="松北区自然资源局")
    services.reform_operation_save(plan=plan, by=clerk, operation=operation, new_supervisor=bureau)
    (after,) = [unit["after"] for unit in services.reform_plan_preview(plan)["units"]]
    assert services.reform_plan_preview(plan)["problems"] == []
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=DocumentFactory(
        office_code="哈编发", year=2021, serial=6, date_issued=MOVE_DAY, date_effective=MOVE_DAY))
    services.reform_plan_execute(plan=plan, by=clerk)
    sub_centre.refresh_from_db()
    assert (sub_centre.region, sub_centre.supervisor) == (songbei, bureau)
    assert InstitutionEvent.objects.filter(institution=sub_centre, kind=LifeEventKind.SUPERVISOR_CHANGED).exists()
