"""Positions admin: HR enters plans and staff counts through the services; refusals beside the field; notices."""
import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.models import PositionPlan, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from reconciliation.models import PositionDirectionNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, make_user):
    def login(role, region=None):
        user = make_user(role, region=region, is_staff=True)
        client.force_login(user)
        return user

    return login


@pytest.fixture
def funded(unit, fund):
    fund(unit, 10)
    return unit


def plan_form(unit, filing, **counts):
    values = plan_counts(**(counts or {"management": 1, "professional": (0, 1, 2, 6)}))
    return {"institution": unit.pk, "effective_date": "2025-01-01", "document": filing.pk,
            "main_post_type": "professional_service", "rule_set": "", "note": "",
            **{field: values[field] for field in PLAN_COUNT_FIELDS}}


def test_hr_adds_a_plan_in_the_admin(client, browser, funded, filing):
    hr_user = browser(Role.HR_BUREAU)

    response = client.post(reverse("admin:positions_positionplan_add"),
                           plan_form(funded, filing, management=4, professional=(0, 0, 1, 5)),
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302, response.context["adminform"].form.errors
    plan = PositionPlan.objects.get()
    assert (plan.version, plan.entered_by, plan.total) == (1, hr_user, 10)
    assert plan.history.first().history_user == hr_user
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any("60% of the total" in text for text in shown)


def test_a_binding_rule_is_shown_beside_its_field_and_nothing_is_saved(client, browser, funded, filing):
    browser(Role.HR_BUREAU)

    response = client.post(reverse("admin:positions_positionplan_add"),
                           plan_form(funded, filing, management=1, professional=(0, 1, 2, 8)),
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["total"] == [
        "Rule “Position total within approved quotas (binding)”: the position total is 12, above the limit of 10 "
        "set by the approved quotas."
    ]
    assert PositionPlan.objects.count() == 0


def test_grades_that_do_not_sum_are_shown_beside_the_category(client, browser, funded, filing):
    browser(Role.HR_BUREAU)
    form = plan_form(funded, filing)
    form["professional_3"] = 2

    response = client.post(reverse("admin:positions_positionplan_add"), form, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["professional"][0].startswith(
        "Grade counts must add up to their category"
    )
    assert PositionPlan.objects.count() == 0


def test_the_plan_page_lists_its_findings(client, browser, funded, filing):
    browser(Role.CITY_OFFICE)
    plan = PositionPlanFactory(institution=funded, document=filing, findings=[
        {"rule": "senior_ratio", "figure": "0.2000", "limit": "0.1200", "binding": False}
    ])

    page = client.get(reverse("admin:positions_positionplan_change", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert "senior posts are 20% of the professional-technical posts, above the limit of 12%" in page.content.decode()


def test_hr_records_a_staff_count_in_the_admin(client, browser, funded):
    hr_user = browser(Role.HR_BUREAU)

    response = client.post(reverse("admin:positions_staffcount_add"), {
        "institution": funded.pk, "as_of": "2025-06-30", "note": "",
        **staff_counts(management=2, professional=(0, 1, 2, 3), worker=1),
    })

    assert response.status_code == 302
    assert (StaffCount.objects.get().total, StaffCount.objects.get().entered_by) == (9, hr_user)


def test_a_district_office_sees_its_own_regions_plans_and_may_not_add(client, browser, funded, nangang, filing):
    mine = PositionPlanFactory(institution=funded, document=filing)
    theirs = PositionPlanFactory(institution=InstitutionFactory(region=nangang), document=filing)
    browser(Role.DISTRICT_OFFICE, region=funded.region)

    listing = client.get(reverse("admin:positions_positionplan_changelist"))

    assert [plan.pk for plan in listing.context["cl"].result_list] == [mine.pk]
    assert client.get(reverse("admin:positions_positionplan_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:positions_positionplan_add")).status_code == 403
    assert client.post(reverse("admin:positions_positionplan_add"), plan_form(funded, filing)).status_code == 403


def test_the_city_office_issues_a_department_notice_in_the_admin(client, browser, daoli, fund, document):
    bureau = AgencyFactory(region=daoli)
    unit = InstitutionFactory(region=daoli, supervisor=bureau)
    fund(unit, 5)
    StaffCountFactory(institution=unit, **staff_counts(management=1, professional=(0, 0, 1, 2), worker=0))
    browser(Role.CITY_OFFICE)

    page = client.get(reverse("admin:reconciliation_positiondirectionnotice_issue"), {"institution": unit.pk})
    response = client.post(reverse("admin:reconciliation_positiondirectionnotice_issue"), {
        "supervisor": bureau.pk, "document": document.pk, "issued_on": "2026-03-02",
    })

    assert page.status_code == 200
    batch = PositionDirectionNotice.objects.get(kind="department")
    assert response.status_code == 302 and response["Location"] == reverse("reconciliation:notice", args=[batch.pk])
    assert batch.unit_notices.get().institution == unit
    listing = client.get(reverse("admin:reconciliation_positiondirectionnotice_changelist"))
    assert reverse("reconciliation:notice-docx", args=[batch.pk]) in listing.content.decode()


def test_only_the_city_office_issues_notices(client, browser, unit, document):
    browser(Role.HR_BUREAU)

    assert client.get(reverse("admin:reconciliation_positiondirectionnotice_issue")).status_code == 403
    assert client.post(reverse("admin:reconciliation_positiondirectionnotice_issue"),
                       {"institution": unit.pk, "document": document.pk}).status_code == 403
    assert client.get(reverse("admin:reconciliation_positiondirectionnotice_add")).status_code == 403
    assert not PositionDirectionNotice.objects.exists()


def test_an_issue_refused_by_the_service_is_shown_on_the_form(client, browser, daoli, document):
    browser(Role.CITY_OFFICE)
    unit = InstitutionFactory(region=daoli)

    response = client.post(reverse("admin:reconciliation_positiondirectionnotice_issue"), {
        "institution": unit.pk, "document": document.pk, "issued_on": "2020-01-01",
    }, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "issued_on" in response.context["form"].errors
    assert not PositionDirectionNotice.objects.exists()


def test_rule_sets_are_edited_and_plans_checked_again(client, browser, funded, filing):
    browser(Role.CITY_OFFICE)
    rule_set = PositionRuleSet.objects.get(level="county")
    plan = PositionPlanFactory(institution=funded, document=filing, rule_set=rule_set,
                               effective_date=datetime.date(2025, 1, 1),
                               **plan_counts(management=4, professional=(0, 0, 1, 5)))  # stored unchecked

    page = client.get(reverse("admin:positions_positionruleset_change", args=[rule_set.pk]))
    response = client.post(reverse("admin:positions_positionruleset_changelist"),
                           {"action": "recheck_plans", "_selected_action": [rule_set.pk]})

    assert page.status_code == 200
    assert response.status_code == 302
    plan.refresh_from_db()
    assert [finding["rule"] for finding in plan.findings] == ["professional_share_min"]


def test_add_leads_the_city_office_to_the_issue_page(client, browser):
    browser(Role.CITY_OFFICE)

    response = client.get(reverse("admin:reconciliation_positiondirectionnotice_add"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reconciliation_positiondirectionnotice_issue")
