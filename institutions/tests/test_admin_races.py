"""Two clerks save the same document number through the admin at once: the second gets the form back with the taken
number named, not a server error, and nothing of the second save is kept (core.admin_conflicts)."""
import pytest
from django.db.models import Model

from institutions.models import ApprovalDocument
from institutions.tests.factories import CityFactory, DocumentFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/institutions/approvaldocument/add/"


@pytest.fixture
def lost_race(monkeypatch):
    """The form's uniqueness check runs before the other clerk's save commits: the first check sees nothing."""
    original = Model.validate_constraints
    calls = {"n": 0}

    def validate_constraints(instance, exclude=None):
        calls["n"] += 1
        if calls["n"] > 1:
            original(instance, exclude=exclude)

    monkeypatch.setattr(Model, "validate_constraints", validate_constraints)
    return calls


def form_data(city, **changes):
    data = {"region": city.pk, "issuer": "市委编办", "office_code": "哈编发", "year": 2024, "serial": 7,
            "kind": "reply", "title": "关于调整编制的批复", "date_issued": "2024-03-01", "date_effective": "2024-03-01"}
    return data | changes


def test_the_second_of_two_simultaneous_adds_gets_the_form_with_the_number_named(admin_client, lost_race):
    city = CityFactory()
    DocumentFactory(region=city, office_code="哈编发", year=2024, serial=7, title="先保存的文件")
    before = ApprovalDocument.objects.count()

    response = admin_client.post(ADD, form_data(city))

    assert response.status_code == 200  # the form again, not a 500
    assert lost_race["n"] == 2, response.context["adminform"].form.errors
    page = response.content.decode()
    assert "未保存：他人在同一时刻保存了相同的" in page
    assert response.context["adminform"].form.errors  # the second check names the taken number
    assert ApprovalDocument.objects.count() == before
    assert not ApprovalDocument.objects.filter(title="关于调整编制的批复").exists()


def test_without_a_race_the_form_saves_once(admin_client):
    city = CityFactory()

    response = admin_client.post(ADD, form_data(city, serial=8))

    assert response.status_code == 302
    assert ApprovalDocument.objects.filter(serial=8).count() == 1
