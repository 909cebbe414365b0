"""Reform admin: the pages render, the plan's page shows the preview of the hand-worked merger (test_merge.py), drafts
and operations are saved through the services, and the plan is moved on its decision page (execute included)."""
import re

import pytest
from django.utils import translation

from accounts.roles import Role
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from quotas.choices import QuotaTypeCode
from quotas.models import QuotaTransfer
from reforms import services
from reforms.models import ReformOperation, ReformPlan, StaffPlacement
from reforms.tests.conftest import PLAN_DAY
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OVER_QUOTA = "“道里区丙中心” would have 33 staff in quota for 30 approved quotas: place 3 elsewhere or approve more."






@pytest.fixture
def district_staff(make_user, daoli):
    return make_user(Role.DISTRICT_OFFICE, region=daoli, is_staff=True)


def place_three(plan, clerk, d) -> None:
    services.reform_operation_save(plan=plan, by=clerk, operation=plan.operations.get(),
                                   placements=[{"to_institution": d, "category": "management", "count": 3}])


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def inline_prefixes(response) -> list[str]:
    return [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]


@pytest.mark.parametrize("url", ["/admin/reforms/reformplan/", "/admin/reforms/reformoperation/",
                                 "/admin/reforms/reformplan/add/", "/admin/reforms/reformoperation/add/"])
def test_the_pages_render(admin_client, plan, url):
    assert admin_client.get(url).status_code == 200


def test_the_plans_page_shows_the_preview(admin_client, plan):
    response = admin_client.get(f"/admin/reforms/reformplan/{plan.pk}/change/", **EN)

    page = re.sub(r">\s+<", "><", response.content.decode())
    with translation.override("en"):
        quotas = str(QuotaTypeCode.INSTITUTIONAL.label)
    assert response.status_code == 200
    assert f"Operation 1 (道里区丙中心): {OVER_QUOTA}" in page
    for row in (f"<tr><td>道里区甲中心</td><td>Active</td><td>Merged</td><td>{quotas} 20</td><td>0</td><td>18</td>"
                "<td>0</td></tr>",
                f"<tr><td>道里区乙中心</td><td>Active</td><td>Merged</td><td>{quotas} 15</td><td>0</td><td>15</td>"
                "<td>0</td></tr>",
                f"<tr><td>道里区丙中心</td><td>new</td><td>Active</td><td>—</td><td>{quotas} 30</td><td>—</td>"
                "<td>33</td></tr>",
                "<tr><td>230102 道里区</td><td>3</td><td>2</td><td>49</td><td>44</td><td>—</td></tr>"):
        assert row in page, row
    assert f"/admin/reforms/reformplan/{plan.pk}/decide/" in page


def test_the_execute_action_runs_the_service(admin_client, plan, clerk, units, reform_document):
    a, b, d = units
    place_three(plan, clerk, d)
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)

    response = admin_client.post(f"/admin/reforms/reformplan/{plan.pk}/decide/", {"action": "execute"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.executed_at is not None) == ("executed", True)
    c = Institution.objects.get(name="道里区丙中心", status=InstitutionStatus.ACTIVE)
    assert quota_position(c).staff_total == 30
    assert Institution.objects.get(pk=a.pk).successor == c
    page = admin_client.get(f"/admin/reforms/reformplan/{plan.pk}/change/", **EN).content.decode()
    assert "The plan is “Executed”: the registry and the ledger show what it did." in page


def test_the_decision_page_refuses_a_plan_with_a_problem_and_an_approval_without_document(admin_client, plan, clerk,
                                                                                           units):
    url = f"/admin/reforms/reformplan/{plan.pk}/decide/"
    transfers = QuotaTransfer.objects.count()

    refused = admin_client.post(url, {"action": "submit"}, **EN)
    place_three(plan, clerk, units[2])
    submitted = admin_client.post(url, {"action": "submit"}, **EN)
    unapproved = admin_client.post(url, {"action": "approve"}, **EN)

    assert refused.status_code == 200
    assert OVER_QUOTA in refused.content.decode()
    assert submitted.status_code == 302
    assert "An approval needs its approval document." in unapproved.content.decode()
    assert ReformPlan.objects.get(pk=plan.pk).status == "submitted"
    assert QuotaTransfer.objects.count() == transfers


def test_a_district_office_is_offered_no_decision(client, district_staff, plan, clerk, units, reform_document):
    place_three(plan, clerk, units[2])
    services.reform_plan_submit(plan=plan, by=clerk)
    client.force_login(district_staff)

    response = client.post(f"/admin/reforms/reformplan/{plan.pk}/decide/",
                           {"action": "approve", "document": reform_document.pk})

    assert response.status_code == 200  # the form again: approving is not among a district office's choices
    assert [value for value, _label in response.context["form"].fields["action"].choices] == ["withdraw"]
    assert ReformPlan.objects.get(pk=plan.pk).status == "submitted"


def test_a_district_office_drafts_a_plan_with_its_operation_in_the_admin(client, district_staff, daoli, units):
    a, b, _d = units
    client.force_login(district_staff)
    prefixes = inline_prefixes(client.get("/admin/reforms/reformplan/add/"))
    assert prefixes[0] == "operations"
    data = {"title": "道里区事业单位整合", "region": daoli.pk, "effective_date": PLAN_DAY.isoformat(),
            "description": "", **management("operations", total=1), **management(prefixes[1]),
            "operations-0-position": "1", "operations-0-kind": "merge", "operations-0-sources": [a.pk, b.pk],
            "operations-0-new_name": "道里区丙中心", "operations-0-approved_total": "30",
            "operations-0-surplus": "cancel", "operations-0-market_path": "immediate", "operations-0-reason": "整合"}

    response = client.post("/admin/reforms/reformplan/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    plan = ReformPlan.objects.get()
    assert (plan.region, plan.created_by, plan.status) == (daoli, district_staff, "draft")
    operation = plan.operations.get()
    assert (operation.kind, operation.position, operation.approved_total, set(operation.sources.all())) == (
        "merge", 1, 30, {a, b})


def test_placements_are_saved_with_the_operation_on_its_page(client, district_staff, plan, units):
    d = units[2]
    operation = plan.operations.get()
    client.force_login(district_staff)
    url = f"/admin/reforms/reformoperation/{operation.pk}/change/"
    prefix, parts = inline_prefixes(client.get(url))[:2]
    data = {"position": "1", "kind": "merge", "sources": [source.pk for source in operation.sources.all()],
            "new_name": "道里区丙中心", "approved_total": "30", "surplus": "cancel", "market_path": "immediate",
            **management(prefix, total=1), **management(parts), f"{prefix}-0-to_institution": d.pk,
            f"{prefix}-0-category": "management", f"{prefix}-0-count": "3"}

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert list(StaffPlacement.objects.filter(operation=operation).values_list("to_institution", "category",
                                                                               "count")) == [(d.pk, "management", 3)]
    assert services.reform_plan_preview(plan)["problems"] == []


def test_a_submitted_plans_operations_are_read_only(client, district_staff, plan, clerk, units):
    place_three(plan, clerk, units[2])
    services.reform_plan_submit(plan=plan, by=clerk)
    operation = plan.operations.get()
    client.force_login(district_staff)

    response = client.post(f"/admin/reforms/reformoperation/{operation.pk}/change/",
                           {"kind": "merge", "approved_total": "35"})

    assert response.status_code == 403
    assert ReformOperation.objects.get(pk=operation.pk).approved_total == 30
