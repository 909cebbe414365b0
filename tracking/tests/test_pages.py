"""The follow-up page, its workbook and the inbox section, scoped by region."""
import datetime
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from tracking import services, views
from tracking.models import Milestone

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def late(clerk, agency, other_agency):
    own = services.reform_task_save(by=clerk, title="道里区三定", department=agency, start_date=D(2026, 2, 1),
                                    due_date=D(2026, 6, 30))
    other = services.reform_task_save(by=clerk, title="南岗区三定", department=other_agency,
                                      start_date=D(2026, 2, 1), due_date=D(2026, 6, 30))
    services.milestone_save(by=clerk, task=own, title="道里区起草", due_date=D(2026, 3, 1))
    services.milestone_save(by=clerk, task=other, title="南岗区起草", due_date=D(2026, 3, 1))
    services.flag_overdue(on=D(2026, 3, 10))
    return own, other


def test_the_page_flags_what_is_late_and_shows_only_the_own_region(client, make_user, daoli, late):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))
    response = client.get(reverse("tracking:tracking"), {"on": "2026-03-10"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "道里区起草" in page and "南岗区起草" not in page
    assert [(row.name, row.overdue) for row in response.context["tracking"].departments] == [("道里区教育局", 1)]
    assert [(item.subject, item.days) for item in response.context["tracking"].overdue] == [("道里区三定", 9)]


def test_a_bad_day_shows_today_and_says_so(client, make_user):
    client.force_login(make_user(Role.AUDITOR))
    response = client.get(reverse("tracking:tracking"), {"on": "not-a-day"})
    assert response.status_code == 200 and response.context["errors"]


def test_the_workbook_has_the_pages_figures(client, make_user, late):
    client.force_login(make_user(Role.CITY_OFFICE))
    response = client.get(reverse("tracking:xlsx"), {"on": "2026-03-10"})
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    departments = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sorted((row[1], row[2], row[4], row[9]) for row in departments) == [
        ("南岗区教育局", 1, 1, 1), ("道里区教育局", 1, 1, 1)]
    overdue = list(workbook.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert len(overdue) == 2 and {row[5] for row in overdue} == {9}


def test_the_inbox_section_lists_the_overdue_items_and_nothing_when_none(make_user, late, daoli):
    from institutions.models import Institution

    section = views.inbox_section(None, Institution.objects.filter(region=daoli), D(2026, 3, 10))
    assert section["template"] == "tracking/_inbox_overdue.html"
    assert [item.title for item in section["items"]] == ["道里区起草"]
    html = render_to_string(section["template"], {"section": section})
    assert "道里区起草" in html and "/tracking/" in html
    Milestone.objects.update(done_on=D(2026, 3, 5))
    assert views.inbox_section(None, Institution.objects.all(), D(2026, 3, 10)) is None


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(reverse("tracking:tracking")).status_code == 302


def test_the_inboxes_show_the_section_through_the_setting(client, make_user, late, daoli):
    """settings.INBOX_SECTIONS wires the section into the workflow's inboxes: the district office sees its own
    region's overdue milestone, the city office both."""
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))
    district = client.get(reverse("workflow:inbox"))
    client.force_login(make_user(Role.CITY_OFFICE))
    city = client.get(reverse("workflow:inbox"))

    assert [item.title for item in district.context["sections"][0]["items"]] == ["道里区起草"]
    assert "南岗区起草" not in district.content.decode()
    assert {item.title for item in city.context["sections"][0]["items"]} == {"道里区起草", "南岗区起草"}
