"""The gradual market path (稳步推进), worked by hand: 道里区印刷厂, 10 approved quotas and 6 staff, is put on it on
2026-03-01. The plan cancels the 4 its staff do not need and makes it commercial; it may recruit no one; as 2 staff
retire the daily settlement cancels their 2 quotas; when the last 4 have left it ends as marketised, holding
nothing."""
import datetime
import logging

import pytest
from django.core.exceptions import ValidationError

from institutions.choices import InstitutionStatus
from institutions.models import InstitutionEvent
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from quotas.models import QuotaTransfer
from quotas.selectors import ledger_reconcile
from reforms import services
from reforms.models import MarketPath, OperationKind
from reforms.tests.conftest import PLAN_DAY
from workflow import hiring
from workflow.tests.helpers import balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def printing_house(daoli, staffed, clerk, reform_document):
    unit = staffed(InstitutionFactory(region=daoli, name="道里区印刷厂", category="public_welfare_2"), 10,
                   management=2, professional=(0, 0, 2, 2))
    plan = services.reform_plan_create(by=clerk, region=daoli, title="经营类单位转企", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MARKETISE, institution=unit,
                                   market_path=MarketPath.GRADUAL)
    notes = services.reform_plan_preview(plan)["notes"]
    assert any("控制使用" in note["message"] for note in notes), notes
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)
    return unit


def leave(unit, clerk, day, **by_category):
    for band, count in by_category.items():
        category = "management" if band == "management" else "professional"
        hiring.staff_exit_record(institution=unit, category=category, band="" if band == "management" else band,
                                 reason="retirement", by=clerk, on=day, count=count)


def test_the_gradual_path_keeps_quotas_for_the_staff_and_cancels_them_as_they_leave(printing_house, clerk):
    unit = printing_house
    unit.refresh_from_db()
    assert (unit.status, unit.category, balance(unit)) == (InstitutionStatus.ACTIVE, "commercial", 6)

    # No one is recruited into the quota any more.
    notice = hiring.quota_use_notice_create(institution=unit, quota_type=ledger.quota_type_get(),
                                            category="professional", count=1, by=clerk)
    with pytest.raises(ValidationError) as refused:
        hiring.quota_use_notice_submit(notice=notice, by=clerk)
    assert "经营类" in " ".join(refused.value.messages)

    # Two retire: their quotas go at the next settlement, once.
    leave(unit, clerk, datetime.date(2026, 6, 30), management=2)
    assert services.market_paths_settle(on=datetime.date(2026, 7, 1)) == []
    assert balance(unit) == 4
    transfers = QuotaTransfer.objects.count()
    services.market_paths_settle(on=datetime.date(2026, 7, 2))
    assert QuotaTransfer.objects.count() == transfers

    # The last four leave: the unit ends as marketised, holding nothing.
    leave(unit, clerk, datetime.date(2026, 9, 30), intermediate=2, junior=2)
    assert services.market_paths_settle(on=datetime.date(2026, 10, 1)) == [unit]
    unit.refresh_from_db()
    assert (unit.status, unit.ended_on, balance(unit)) == (InstitutionStatus.MARKETISED, datetime.date(2026, 10, 1), 0)
    assert list(InstitutionEvent.objects.filter(institution=unit).values_list("kind", flat=True)) == [
        "marketised", "marketised"]
    assert services.market_paths_settle(on=datetime.date(2026, 10, 2)) == []
    assert ledger_reconcile().ok


def test_a_unit_the_ledger_refuses_waits_for_the_next_run_and_the_others_settle(
        printing_house, daoli, staffed, clerk, reform_document, monkeypatch, caplog):
    """Two units on the path, both with leavers; the ledger refuses the first's cancellation: the second is settled
    all the same, the first is logged and keeps its quotas until a run the ledger accepts."""
    caplog.set_level(logging.WARNING)  # the tests' settings log errors only
    second = staffed(InstitutionFactory(region=daoli, name="道里区招待所", category="public_welfare_2"), 5,
                     management=1, professional=(0, 0, 2, 2))
    plan = services.reform_plan_create(by=clerk, region=daoli, title="招待所转企", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MARKETISE, institution=second,
                                   market_path=MarketPath.GRADUAL)
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)
    leave(printing_house, clerk, datetime.date(2026, 6, 30), management=2)
    leave(second, clerk, datetime.date(2026, 6, 30), management=1)
    cancel = ledger.quota_cancel

    def refuse_the_printing_house(*, source, **values):
        if source.institution_id == printing_house.pk:
            raise ValidationError({"source": "账户已停用"})
        return cancel(source=source, **values)

    monkeypatch.setattr(ledger, "quota_cancel", refuse_the_printing_house)
    services.market_paths_settle(on=datetime.date(2026, 7, 1))

    assert (balance(printing_house), balance(second)) == (6, 4)
    assert "道里区印刷厂" in caplog.text and "账户已停用" in caplog.text
    monkeypatch.setattr(ledger, "quota_cancel", cancel)
    services.market_paths_settle(on=datetime.date(2026, 7, 2))
    assert (balance(printing_house), balance(second)) == (4, 4)
    assert ledger_reconcile().ok
