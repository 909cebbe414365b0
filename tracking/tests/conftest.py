"""The tracking tests' fixtures: the reform's (a city, users, documents, staffed units) and an executed plan maker."""
import datetime

import pytest

from institutions.tests.factories import DocumentFactory, InstitutionFactory
from reforms import services as reform_services
from reforms.tests.conftest import *  # noqa: F403

LIQUIDATION_END = datetime.date(2026, 1, 20)  # the plan's date: the abolished unit's end


@pytest.fixture
def approval(db):
    return DocumentFactory(office_code="哈编发", year=2026, serial=7, title="关于撤并事业单位的批复",
                           date_issued=LIQUIDATION_END, date_effective=LIQUIDATION_END)


@pytest.fixture
def executed(clerk, approval):
    """``executed(region, *operations, day=LIQUIDATION_END)``: a plan of those operations, approved and executed."""
    def make(region, *operations, day=LIQUIDATION_END, title="道里区事业单位改革"):
        plan = reform_services.reform_plan_create(by=clerk, region=region, title=title, effective_date=day)
        for values in operations:
            reform_services.reform_operation_save(plan=plan, by=clerk, **values)
        reform_services.reform_plan_submit(plan=plan, by=clerk)
        reform_services.reform_plan_approve(plan=plan, by=clerk, document=approval)
        return reform_services.reform_plan_execute(plan=plan, by=clerk)

    return make


@pytest.fixture
def agency(daoli):
    return InstitutionFactory(region=daoli, name="道里区教育局", kind="agency")


@pytest.fixture
def other_agency(nangang):
    return InstitutionFactory(region=nangang, name="南岗区教育局", kind="agency")
