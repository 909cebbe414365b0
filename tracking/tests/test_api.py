"""The follow-up's API as each role: scoped reads, writes in the own region only, bad input 400 (never 500)."""
import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from tracking import services
from tracking.models import Milestone, ReformTask, UnitChecklist

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tasks(clerk, agency, other_agency, daoli, nangang):
    own = services.reform_task_save(by=clerk, title="道里区三定", department=agency, start_date=D(2026, 2, 1),
                                    due_date=D(2026, 6, 30))
    other = services.reform_task_save(by=clerk, title="南岗区三定", district=nangang, start_date=D(2026, 2, 1),
                                      due_date=D(2026, 6, 30))
    services.milestone_save(by=clerk, task=own, title="起草", due_date=D(2026, 3, 1), done_on=D(2026, 2, 27))
    services.milestone_save(by=clerk, task=own, title="印发", due_date=D(2026, 4, 1))
    services.milestone_save(by=clerk, task=other, title="起草", due_date=D(2026, 3, 1))
    return own, other


def test_a_district_office_reads_its_own_regions_tasks_only(api_client, as_role, daoli, tasks):
    own, other = tasks
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    listed = api_client.get(reverse("v1:reform-task-list")).json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert api_client.get(reverse("v1:reform-task-detail", args=[other.pk])).status_code == 404


def test_a_district_office_writing_another_regions_task_is_refused(api_client, as_role, daoli, tasks, nangang):
    _own, other = tasks
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    response = api_client.patch(reverse("v1:reform-task-detail", args=[other.pk]), {"title": "改"}, format="json")
    assert response.status_code == 404  # scoping hides it
    response = api_client.post(reverse("v1:reform-task-list"), {
        "title": "南岗区任务", "district": nangang.pk, "start_date": "2026-02-01", "due_date": "2026-03-01"},
        format="json")
    assert response.status_code == 400 and "district" in response.json()["errors"]
    assert ReformTask.objects.count() == 2


def test_a_district_office_creates_its_own_task_and_milestone(api_client, as_role, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    response = api_client.post(reverse("v1:reform-task-list"), {
        "title": "道里区四到位", "district": daoli.pk, "start_date": "2026-02-01", "due_date": "2026-03-31"},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == daoli.pk
    task = response.json()["id"]
    response = api_client.post(reverse("v1:milestone-list"), {"task": task, "title": "人员到位",
                                                               "due_date": "2026-03-15"}, format="json")
    assert response.status_code == 201, response.json()


def test_a_milestone_before_its_task_starts_answers_400_naming_the_field(api_client, as_role, tasks):
    own, _other = tasks
    as_role(Role.CITY_OFFICE)
    before = Milestone.objects.count()
    response = api_client.post(reverse("v1:milestone-list"), {"task": own.pk, "title": "早",
                                                               "due_date": "2026-01-15"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["due_date"]
    assert Milestone.objects.count() == before


@pytest.mark.parametrize("body", [
    {"title": "x", "start_date": "2026-02-01", "due_date": "2026-03-01"},  # no department nor district
    {"title": "x", "district": "abc", "start_date": "2026-02-01", "due_date": "2026-03-01"},
    {"title": "x", "district": 10**30, "start_date": "2026-02-01", "due_date": "2026-03-01"},
    {"title": "x", "start_date": "2026-13-01", "due_date": "2026-03-01"},
    {"title": "", "start_date": "2026-03-01", "due_date": "2026-02-01"},
])
def test_bad_task_input_answers_400(api_client, as_role, body):
    as_role(Role.CITY_OFFICE)
    response = api_client.post(reverse("v1:reform-task-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert not ReformTask.objects.exists()


def test_read_only_roles_cannot_write(api_client, as_role, daoli):
    as_role(Role.AUDITOR)
    response = api_client.post(reverse("v1:reform-task-list"), {
        "title": "x", "district": daoli.pk, "start_date": "2026-02-01", "due_date": "2026-03-01"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_checklist_is_marked_done_through_the_api(api_client, as_role, tasks, daoli):
    own, _other = tasks
    unit = InstitutionFactory(region=daoli)
    clerk = as_role(Role.CITY_OFFICE)
    checklist = services.checklist_save(by=clerk, institution=unit, task=own, registration_kind="change",
                                        registration_basis=D(2026, 2, 1))
    url = reverse("v1:unit-checklist-detail", args=[checklist.pk])
    response = api_client.patch(url, {"registration_done_on": "2026-02-20", "sanding_on": "2026-02-10"},
                                format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["registration_due"] == "2026-03-03"
    assert response.json()["done_count"] == 2 and response.json()["items_count"] == 8
    response = api_client.patch(url, {"institution": InstitutionFactory(region=daoli).pk}, format="json")
    assert response.status_code == 400 and "institution" in response.json()["errors"]
    response = api_client.patch(url, {"registration_done_on": "2099-01-01"}, format="json")
    assert response.status_code == 400
    assert UnitChecklist.objects.get().registration_done_on == D(2026, 2, 20)


def test_progress_per_department_and_district_as_each_role(api_client, as_role, tasks, daoli, agency):
    as_role(Role.CITY_OFFICE)
    rows = api_client.get(reverse("v1:reform-progress-list"), {"on": "2026-03-10"}).json()["results"]
    found = {(row["level"], row["name"]): (row["tasks"], row["milestones_done"], row["milestones"], row["overdue"])
             for row in rows}
    # 道里区教育局: 2 milestones, one done on 27 Feb, the other due 1 Apr (not yet late); 南岗区: one late.
    assert found == {("department", "道里区教育局"): (1, 1, 2, 0), ("district", "南岗区"): (1, 0, 1, 1)}
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    rows = api_client.get(reverse("v1:reform-progress-list"), {"on": "2026-04-02"}).json()["results"]
    assert [(row["name"], row["overdue"]) for row in rows] == [("道里区教育局", 1)]


@pytest.mark.parametrize("query", [{"on": "someday"}, {"on": "2999-01-01"}, {"level": "county"}])
def test_bad_progress_queries_answer_400(api_client, as_role, query):
    as_role(Role.AUDITOR)
    assert api_client.get(reverse("v1:reform-progress-list"), query).status_code == 400


def test_a_huge_id_is_not_found(api_client, as_role):
    as_role(Role.AUDITOR)
    assert api_client.get(f"/api/v1/milestones/{10**30}/").status_code == 404


@pytest.mark.parametrize(("url", "query"), [
    ("v1:milestone-list", {"task": str(10**30)}),
    ("v1:milestone-list", {"overdue": "perhaps"}),
    ("v1:reform-task-list", {"due_from": "2026-02-30"}),
    ("v1:reform-task-list", {"department": "x"}),
    ("v1:unit-checklist-list", {"registration_kind": "merge"}),
    ("v1:unit-checklist-list", {"institution": str(-10**30)}),
])
def test_bad_filters_answer_400_or_nothing_never_500(api_client, as_role, url, query):
    as_role(Role.AUDITOR)
    response = api_client.get(reverse(url), query)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json()["results"] == []
