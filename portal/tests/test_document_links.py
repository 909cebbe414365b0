"""``{% document_link %}``: a document number links to the document's page for every user with a role, and is plain
text for a login without one, without a request, and on printouts; the request page and the unit page use it."""
import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from institutions.models import Plaque
from institutions.tests.factories import DocumentFactory, InstitutionFactory
from quotas import services as ledger
from workflow import hiring
from workflow.tests.conftest import *  # noqa: F403  (the workflow's fixtures: a unit with a vacancy, a decision)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 5)


@pytest.fixture
def paper():
    """哈编发〔2026〕12号, whose title has markup in it (it must come out escaped)."""
    return DocumentFactory(office_code="哈编发", year=2026, serial=12, title="关于<设立>的批复",
                           date_issued=DAY, date_effective=DAY)


def render(source: str, user=None, **context) -> str:
    """``source`` after ``{% load documents %}``, with a request of ``user`` (none when ``user`` is None)."""
    if user is not None:
        request = RequestFactory().get("/")
        request.user = user
        context["request"] = request
    return Template("{% load documents %}" + source).render(Context(context)).strip()


def href(document) -> str:
    return f'href="{reverse("portal:document", args=[document.pk])}"'


@pytest.mark.parametrize("role", [Role.CITY_OFFICE, Role.DISTRICT_OFFICE, Role.HR_BUREAU, Role.AUDITOR])
def test_a_user_with_a_role_gets_a_link_to_the_document(make_user, paper, role):
    html = render("{% document_link doc %}", make_user(role), doc=paper)
    assert html == (f'<a class="document-link" {href(paper)} title="关于&lt;设立&gt;的批复">'
                    "哈编发〔2026〕12号</a>")


def test_a_login_without_a_role_gets_plain_text(make_user, paper):
    assert render("{% document_link doc %}", make_user(None, is_staff=True), doc=paper) == "哈编发〔2026〕12号"


def test_plain_mode_without_a_request_and_no_document(make_user, paper):
    staff = make_user(Role.CITY_OFFICE, is_staff=True)
    assert render("{% document_link doc plain=True %}", staff, doc=paper) == "哈编发〔2026〕12号"
    assert render("{% document_link doc %}", doc=paper) == "哈编发〔2026〕12号"  # e.g. a file rendered offline
    assert render("[{% document_link doc %}]", staff, doc=None) == "[]"


def test_the_request_page_links_its_decision_document(client, make_user, library, clerk, decision):
    plan = hiring.hiring_plan_create(institution=library, year=2026, by=clerk, lines=[
        {"quota_type": ledger.quota_type_get(), "category": "professional", "count": 2}])
    plan = hiring.hiring_plan_submit(plan=plan, by=clerk)
    plan = hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision)
    url = f"/positions/plans/{plan.pk}/"
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=library.region))
    html = client.get(url).content.decode()
    assert html.count(href(decision)) == 2  # the decision line and the approval in the history


def test_the_unit_page_links_the_documents_of_the_unit(client, make_user, paper):
    unit = InstitutionFactory(name="道里区博物馆")
    Plaque.objects.create(institution=unit, name="道里区文物保护中心", document=paper)
    client.force_login(make_user(Role.CITY_OFFICE, is_staff=True))
    response = client.get(reverse("portal:unit", args=[unit.pk]))
    assert response.status_code == 200 and href(paper) in response.content.decode()
