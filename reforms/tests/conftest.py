"""The reform tests' fixtures: the positions fixtures (a city, users, documents, funding) and a plan maker."""
import datetime

import pytest

from institutions.tests.factories import DocumentFactory, InstitutionFactory
from positions.tests.conftest import *  # noqa: F403
from quotas import services as ledger
from reforms import services
from reforms.models import OperationKind, SurplusAction
from workflow.tests.helpers import case, decision, staffed, talent_pool  # noqa: F401

PLAN_DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def reform_document(db):
    """The city's decision approving a reform plan."""
    return DocumentFactory(office_code="哈编发", year=2026, serial=21, title="关于事业单位改革方案的批复",
                           date_issued=PLAN_DAY, date_effective=PLAN_DAY)


@pytest.fixture
def units(daoli, staffed, clerk, document):  # noqa: F811 -- staffed is the imported fixture
    """The hand-worked merger's units: A (20 quotas, 18 staff), B (15, 15) and D (10, 7) of 道里区, whose pool
    holds 4 more."""
    a = staffed(InstitutionFactory(region=daoli, name="道里区甲中心"), 20, management=8, professional=(0, 2, 4, 4))
    b = staffed(InstitutionFactory(region=daoli, name="道里区乙中心"), 15, management=5, professional=(1, 3, 3, 3))
    d = staffed(InstitutionFactory(region=daoli, name="道里区丁中心"), 10, management=2, professional=(0, 1, 2, 2))
    pool = ledger.account_for_region(region=daoli, quota_type=ledger.quota_type_get())
    ledger.quota_grant(target=pool, amount=4, document=document, effective_date=document.date_effective, by=clerk)
    return a, b, d


@pytest.fixture
def plan(daoli, clerk, units):
    """The merger of A and B into a new C approved at 30 (33 staff: one problem until 3 are placed)."""
    a, b, _d = units
    plan = services.reform_plan_create(by=clerk, region=daoli, title="道里区事业单位整合", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MERGE, new_name="道里区丙中心",
                                   approved_total=30, surplus=SurplusAction.CANCEL, sources=[a, b])
    return plan
