"""An executed reform in the change log: the plan, and each unit created or changed in what finance reads."""
import pytest

from institutions.models import Institution
from outbox.models import ChangeEvent, ChangeKind
from reforms import services

pytestmark = pytest.mark.django_db


def test_the_merger_tells_of_the_plan_the_new_unit_and_the_two_that_ended(plan, clerk, units, reform_document):
    a, b, d = units
    services.reform_operation_save(plan=plan, by=clerk, operation=plan.operations.get(),
                                   placements=[{"to_institution": d, "category": "management", "count": 3}])
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    before = ChangeEvent.objects.count()
    services.reform_plan_execute(plan=plan, by=clerk)

    c = Institution.objects.get(name="道里区丙中心")
    (executed,) = ChangeEvent.objects.filter(kind=ChangeKind.REFORM_EXECUTED)
    assert (executed.region, executed.data["plan"], executed.data["document"]) == (
        plan.region, plan.pk, reform_document.number)
    assert set(executed.data["units"]) == {a.pk, b.pk, c.pk, d.pk}
    changed = {event.institution_id: event.data for event in ChangeEvent.objects.filter(kind=ChangeKind.UNIT_CHANGED)}
    assert set(changed) == {a.pk, b.pk, c.pk}  # D only took staff and quotas: the ledger's events tell of it
    assert changed[c.pk]["changed"] == ["created"] and changed[c.pk]["status"] == c.status
    assert changed[a.pk]["changed"] == ["status"] and changed[a.pk]["status"] == "merged"
    assert changed[a.pk]["ended_on"] == plan.effective_date.isoformat()
    moves = ChangeEvent.objects.filter(pk__gt=0, kind=ChangeKind.TRANSFER_POSTED).order_by("-id")
    assert moves.filter(institution=d).exists() and ChangeEvent.objects.count() > before + 4
