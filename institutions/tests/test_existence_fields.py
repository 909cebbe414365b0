"""An existing institution's existence fields (name, region, supervisor, category, funding form, status, dates and
documents of establishment and ending) change only through a reform operation: the API refuses them (``reform_only``),
the admin's change form shows them read-only, the import refuses the row. New units are entered with them as before.
"""
import datetime

import pytest
import tablib
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from core.xlsx_import import RowProblem, row_problems
from institutions.admin import READ_ONLY_ON_CHANGE
from institutions.choices import Category, FundingForm, InstitutionStatus
from institutions.existence import EXISTENCE_FIELDS
from institutions.models import Institution
from institutions.resources import InstitutionResource
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DocumentFactory,
    InstitutionFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MESSAGE = ("This changes only through a reform operation (merger, renaming, devolution, abolition …), which records "
           "when and by which document.")
ADMIN = "/admin/institutions/institution"
ESTABLISHED = datetime.date(2010, 1, 1)


@pytest.fixture
def city():
    return CityFactory(code="230100", name="哈尔滨市（市本级）")


@pytest.fixture
def daoli(city):
    return DistrictFactory(parent=city, code="230102", name="道里区")


@pytest.fixture
def nangang(city):
    return DistrictFactory(parent=city, code="230103", name="南岗区")


@pytest.fixture
def world(daoli, nangang):
    """道里区档案馆 (supervised by 道里区文旅局, established 2010 by a document) and what a change would bring:
    another agency, another document, another region."""
    supervisor = AgencyFactory(region=daoli, name="道里区文旅局")
    unit = InstitutionFactory(region=daoli, name="道里区档案馆", supervisor=supervisor, short_name="档案馆",
                              established_on=ESTABLISHED, established_document=DocumentFactory(year=2010))
    return {
        "unit": unit, "daoli": daoli, "nangang": nangang,
        "other_agency": AgencyFactory(region=daoli, name="道里区教育局"),
        "other_document": DocumentFactory(year=2024),
    }


def snapshot(row) -> dict:
    row.refresh_from_db()
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


# field -> (the changed value as the API takes it, as the admin form takes it, as an import cell)
CHANGES = {
    "name": (lambda w: "道里区档案史志馆",) * 3,
    "region": (lambda w: w["nangang"].pk, lambda w: w["nangang"].pk, lambda w: "230103"),
    "supervisor": (lambda w: w["other_agency"].pk, lambda w: w["other_agency"].pk,
                   lambda w: w["other_agency"].credit_code),
    "category": (lambda w: Category.PUBLIC_WELFARE_2,) * 3,
    "funding_form": (lambda w: FundingForm.PARTIAL,) * 3,
    "status": (lambda w: InstitutionStatus.ABOLISHED,) * 3,
    "established_on": (lambda w: "2011-05-01",) * 3,
    "established_document": (lambda w: w["other_document"].pk, lambda w: w["other_document"].pk,
                             lambda w: w["other_document"].number),
    "ended_on": (lambda w: "2024-06-30",) * 3,
    "ended_document": (lambda w: w["other_document"].pk, lambda w: w["other_document"].pk,
                       lambda w: w["other_document"].number),
}


def test_every_existence_field_but_the_successor_has_a_case_here():
    assert set(CHANGES) == set(EXISTENCE_FIELDS) - {"successor"} == set(READ_ONLY_ON_CHANGE)


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(CHANGES))
def test_the_api_refuses_to_change_an_existence_field(as_role, api_client, world, field):
    unit = world["unit"]
    before = snapshot(unit)
    as_role(Role.CITY_OFFICE)

    response = api_client.patch(f"/api/v1/institutions/{unit.pk}/", {field: CHANGES[field][0](world)},
                                format="json", **EN)

    assert response.status_code == 400
    assert response.json() == {"message": "The input is not valid.", "code": "invalid",
                               "errors": {field: [MESSAGE]}, "codes": {field: ["reform_only"]}}
    assert snapshot(unit) == before
    assert unit.history.count() == 1


def test_each_changed_field_gets_its_message_and_nothing_else_is_written(as_role, api_client, world):
    unit = world["unit"]
    before = snapshot(unit)
    as_role(Role.DISTRICT_OFFICE, region=world["daoli"])

    response = api_client.patch(f"/api/v1/institutions/{unit.pk}/", {
        "name": "道里区档案史志馆", "category": Category.PUBLIC_WELFARE_2, "short_name": "史志馆", "staff_in_quota": 3,
    }, format="json", **EN)

    assert response.status_code == 400
    assert response.json()["codes"] == {"name": ["reform_only"], "category": ["reform_only"]}
    assert snapshot(unit) == before


def test_a_put_of_the_row_as_read_with_other_fields_changed_is_accepted(as_role, api_client, world):
    unit = world["unit"]
    as_role(Role.CITY_OFFICE)
    row = api_client.get(f"/api/v1/institutions/{unit.pk}/").json()

    response = api_client.put(f"/api/v1/institutions/{unit.pk}/", {**row, "short_name": "区档案馆",
                                                                  "staff_in_quota": 6}, format="json")

    assert response.status_code == 200, response.json()
    unit.refresh_from_db()
    assert (unit.name, unit.supervisor, unit.established_on, unit.short_name, unit.staff_in_quota) == (
        "道里区档案馆", world["unit"].supervisor, ESTABLISHED, "区档案馆", 6)


def test_the_successor_is_not_the_apis_to_set(as_role, api_client, world):
    unit = world["unit"]
    as_role(Role.CITY_OFFICE)

    response = api_client.patch(f"/api/v1/institutions/{unit.pk}/", {"successor": world["other_agency"].pk,
                                                                     "staff_in_quota": 2}, format="json")

    assert response.status_code == 200
    assert response.json()["successor"] is None
    unit.refresh_from_db()
    assert (unit.successor, unit.staff_in_quota) == (None, 2)


def test_the_api_still_creates_a_unit_with_its_existence_fields(as_role, api_client, world):
    as_role(Role.CITY_OFFICE)
    document = world["other_document"]

    response = api_client.post("/api/v1/institutions/", {
        "name": "道里区老年大学", "region": world["daoli"].pk, "supervisor": world["other_agency"].pk,
        "category": Category.PUBLIC_WELFARE_2, "funding_form": FundingForm.PARTIAL, "status": "abolished",
        "established_on": "2001-09-01", "established_document": document.pk, "ended_on": "2024-06-30",
        "ended_document": document.pk,
    }, format="json")

    assert response.status_code == 201, response.json()
    created = Institution.objects.get(pk=response.json()["id"])
    assert (created.name, created.region, created.supervisor, created.category, created.funding_form,
            created.status, created.established_on, created.established_document, created.ended_on,
            created.ended_document) == (
        "道里区老年大学", world["daoli"], world["other_agency"], Category.PUBLIC_WELFARE_2, FundingForm.PARTIAL,
        InstitutionStatus.ABOLISHED, datetime.date(2001, 9, 1), document, datetime.date(2024, 6, 30), document)


# --- the admin ----------------------------------------------------------------------------------------------


def admin_form(unit, **changes) -> dict:
    """The POST of the institution form with ``unit``'s values, empty inlines, and ``changes``."""
    data = {
        "name": unit.name, "short_name": unit.short_name, "credit_code": unit.credit_code or "", "kind": unit.kind,
        "region": unit.region_id, "supervisor": unit.supervisor_id or "", "category": unit.category,
        "funding_form": unit.funding_form, "rank": unit.rank, "reserved_class": unit.reserved_class,
        "must_exist_reason": unit.must_exist_reason, "status": unit.status,
        "established_on": unit.established_on.isoformat() if unit.established_on else "",
        "established_document": unit.established_document_id or "",
        "ended_on": unit.ended_on.isoformat() if unit.ended_on else "", "ended_document": unit.ended_document_id or "",
        "legal_person_state": unit.legal_person_state, "leadership_principal": unit.leadership_principal,
        "leadership_deputy": unit.leadership_deputy, "staff_in_quota": unit.staff_in_quota,
    }
    for prefix in ("divisions", "plaques"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data | changes


def test_the_change_form_shows_the_existence_fields_read_only_and_the_add_form_takes_them(admin_client, world):
    change = admin_client.get(f"{ADMIN}/{world['unit'].pk}/change/")
    add = admin_client.get(f"{ADMIN}/add/")

    change_fields = set(change.context["adminform"].form.fields)
    assert set(READ_ONLY_ON_CHANGE) & change_fields == set()
    assert set(READ_ONLY_ON_CHANGE) <= set(change.context["adminform"].readonly_fields)
    assert {"short_name", "credit_code", "rank", "staff_in_quota"} <= change_fields
    assert set(READ_ONLY_ON_CHANGE) <= set(add.context["adminform"].form.fields)


@pytest.mark.parametrize("field", list(CHANGES))
def test_an_admin_post_with_a_changed_existence_field_leaves_it_unchanged(admin_client, world, field):
    unit = world["unit"]
    before = snapshot(unit)

    response = admin_client.post(f"{ADMIN}/{unit.pk}/change/",
                                 admin_form(unit, **{field: CHANGES[field][1](world), "short_name": "区档案馆"}))

    assert response.status_code == 302
    assert snapshot(unit) == {**before, "short_name": "区档案馆"}  # the post went through; the field did not


def test_reverting_to_an_old_version_keeps_the_existence_fields_as_they_are(admin_client, world):
    unit = world["unit"]
    first = unit.history.get()
    # A reform renames the unit and changes its category (reforms.services writes the registry directly).
    unit.name, unit.category, unit.short_name = "道里区档案史志馆", Category.PUBLIC_WELFARE_2, "史志馆"
    unit.save()

    response = admin_client.post(f"{ADMIN}/{unit.pk}/history/{first.history_id}/",
                                 admin_form(first.instance, short_name="档案馆"))

    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.category, unit.short_name) == ("道里区档案史志馆", Category.PUBLIC_WELFARE_2, "档案馆")


def test_a_district_office_adds_a_unit_with_its_existence_fields_in_the_admin(make_user, world):
    client = Client()
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=world["daoli"], is_staff=True))
    template = InstitutionFactory.build(region=world["daoli"], name="道里区老年大学", credit_code=None,
                                        supervisor=world["other_agency"], category=Category.PUBLIC_WELFARE_2,
                                        established_on=datetime.date(2001, 9, 1))

    response = client.post(f"{ADMIN}/add/", admin_form(template))

    assert response.status_code == 302
    created = Institution.objects.get(name="道里区老年大学")
    assert (created.region, created.supervisor, created.category, created.established_on) == (
        world["daoli"], world["other_agency"], Category.PUBLIC_WELFARE_2, datetime.date(2001, 9, 1))


# --- the import ---------------------------------------------------------------------------------------------


def _import(fields, rows, user=None):
    resource = InstitutionResource(user=user)
    dataset = tablib.Dataset(*rows, headers=[resource.column(name) for name in fields])
    return resource, resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)


@pytest.mark.parametrize("field", list(CHANGES))
def test_an_import_row_that_changes_an_existence_field_is_refused_on_that_column(world, field):
    unit = world["unit"]
    before = snapshot(unit)

    with translation.override("en"):
        resource, result = _import(("credit_code", field, "staff_in_quota"),
                                   [[unit.credit_code, CHANGES[field][2](world), 9]])
        problems = row_problems(result)

    assert problems == [RowProblem(2, resource.column(field), MESSAGE)]
    assert [row.error.error_dict[resource.column(field)][0].code for row in result.invalid_rows] == [
        "reform_only"]
    assert snapshot(unit) == before


def test_a_file_with_one_refused_update_writes_none_of_its_rows(world):
    unit = world["unit"]
    before = snapshot(unit)

    _resource, result = _import(("credit_code", "name", "region", "staff_in_quota"), [
        ["", "道里区老年大学", "230102", 4],
        [unit.credit_code, "道里区档案史志馆", "230102", 9],
    ])

    assert [(problem.row, problem.column) for problem in row_problems(result)] == [(3, "单位全称")]
    assert not Institution.objects.filter(name="道里区老年大学").exists()
    assert snapshot(unit) == before


def test_an_update_row_giving_the_current_existence_values_writes_the_other_columns(world):
    unit = world["unit"]
    fields = ("credit_code", "name", "region", "supervisor", "category", "status", "established_on",
              "established_document", "staff_in_quota")

    _resource, result = _import(fields, [[
        unit.credit_code, unit.name, "230102", unit.supervisor.credit_code, "公益一类", "存续", "2010-01-01",
        unit.established_document.number, 12]])

    assert not result.has_validation_errors(), row_problems(result)
    assert [row.import_type for row in result.rows] == ["update"]
    unit.refresh_from_db()
    assert (unit.name, unit.category, unit.staff_in_quota) == ("道里区档案馆", Category.PUBLIC_WELFARE_1, 12)


def test_an_import_still_enters_new_units_with_their_existence_fields(world, make_user):
    code = make_credit_code("230102")
    fields = ("credit_code", "name", "region", "supervisor", "category", "funding_form", "status", "established_on",
              "ended_on", "ended_document")

    _resource, result = _import(fields, [[
        code, "道里区老年大学", "230102", "道里区教育局", "公益二类", "partial", "abolished", "2001-09-01",
        "2024-06-30", world["other_document"].number]], user=make_user(Role.DISTRICT_OFFICE, region=world["daoli"]))

    assert not result.has_validation_errors(), row_problems(result)
    created = Institution.objects.get(credit_code=code)
    assert (created.supervisor, created.category, created.funding_form, created.status, created.ended_on,
            created.ended_document) == (
        world["other_agency"], Category.PUBLIC_WELFARE_2, FundingForm.PARTIAL, InstitutionStatus.ABOLISHED,
        datetime.date(2024, 6, 30), world["other_document"])
