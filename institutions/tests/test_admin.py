"""Registry admin: scoped pages and choices, model errors in forms, typed document numbers, protected deletes."""
import json

import pytest
from django.test import Client

from accounts.roles import Role
from institutions.models import ApprovalDocument, Institution, InternalDivision, Region
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DivisionFactory,
    DocumentFactory,
    InstitutionFactory,
    PlaqueFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/institutions"


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
def staff_client(make_user):
    """``staff_client(role, region=None)``: a client logged in to the admin as a staff user with ``role``."""

    def login(role, region=None) -> Client:
        client = Client()
        client.force_login(make_user(role, region=region, is_staff=True))
        return client

    return login


def _institution_form(region, **extra) -> dict:
    """The POST of the institution change form, with empty inlines."""
    data = {
        "name": "道里区融媒体中心", "short_name": "", "credit_code": "", "kind": "public_institution",
        "region": region.pk, "supervisor": "", "category": "public_welfare_1", "funding_form": "full",
        "rank": "section_full", "reserved_class": "none", "must_exist_reason": "none", "status": "active",
        "established_on": "", "established_document": "", "ended_on": "", "ended_document": "",
        "legal_person_state": "registered", "leadership_principal": "1", "leadership_deputy": "0",
        "staff_in_quota": "0",
    }
    for prefix in ("divisions", "plaques"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(extra)
    return data


def _form_errors(response) -> dict:
    assert response.status_code == 200, "the form was accepted"
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


# --- pages and scoping ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["region", "institution", "internaldivision", "plaque", "approvaldocument"])
def test_changelist_add_and_history_pages_load(admin_client, model, daoli):
    row = {
        "region": lambda: daoli,
        "institution": lambda: InstitutionFactory(region=daoli),
        "internaldivision": lambda: DivisionFactory(institution__region=daoli),
        "plaque": lambda: PlaqueFactory(institution__region=daoli),
        "approvaldocument": DocumentFactory,
    }[model]()

    assert admin_client.get(f"{ADMIN}/{model}/").status_code == 200
    assert admin_client.get(f"{ADMIN}/{model}/add/").status_code == 200
    assert admin_client.get(f"{ADMIN}/{model}/{row.pk}/change/").status_code == 200
    assert admin_client.get(f"{ADMIN}/{model}/{row.pk}/history/").status_code == 200


def test_changelist_search_and_filters(admin_client, daoli, nangang):
    target = InstitutionFactory(region=daoli, name="道里区人民医院", category="public_welfare_2")
    InstitutionFactory(region=nangang, name="南岗区图书馆")

    by_code = admin_client.get(f"{ADMIN}/institution/", {"q": target.credit_code})
    by_region = admin_client.get(f"{ADMIN}/institution/", {"region__id__exact": daoli.pk})
    by_category = admin_client.get(f"{ADMIN}/institution/", {"category__exact": "public_welfare_2"})
    by_region_code = admin_client.get(f"{ADMIN}/institution/", {"q": "230103"})
    region_filter = next(spec for spec in by_code.context["cl"].filter_specs if spec.title == "行政区划")

    assert [row.pk for row in by_code.context["cl"].result_list] == [target.pk]
    assert [row.pk for row in by_region.context["cl"].result_list] == [target.pk]
    assert [row.pk for row in by_category.context["cl"].result_list] == [target.pk]
    assert [row.name for row in by_region_code.context["cl"].result_list] == ["南岗区图书馆"]
    choices = [choice["display"] for choice in region_filter.choices(by_code.context["cl"])]
    assert choices == ["全部", "道里区", "南岗区"]


def test_district_user_sees_only_its_rows_choices_and_history(staff_client, daoli, nangang):
    mine = InstitutionFactory(region=daoli)
    foreign = InstitutionFactory(region=nangang)
    client = staff_client(Role.DISTRICT_OFFICE, region=daoli)

    changelist = client.get(f"{ADMIN}/institution/")
    offered_in_filters = [choice["display"] for spec in changelist.context["cl"].filter_specs
                          for choice in spec.choices(changelist.context["cl"])]
    foreign_change = client.get(f"{ADMIN}/institution/{foreign.pk}/change/")
    foreign_history = client.get(f"{ADMIN}/institution/{foreign.pk}/history/")
    record = foreign.history.get()
    foreign_version = client.get(f"{ADMIN}/institution/{foreign.pk}/history/{record.history_id}/")

    assert [row.pk for row in changelist.context["cl"].result_list] == [mine.pk]
    assert "南岗区" not in offered_in_filters
    assert foreign_change.status_code == 302  # Django's "does not exist" redirect
    assert foreign_history.status_code == 404
    assert foreign_version.status_code == 404


def test_district_user_autocomplete_offers_only_its_rows(staff_client, daoli, nangang):
    AgencyFactory(region=daoli, name="道里区教育局")
    AgencyFactory(region=nangang, name="南岗区教育局")
    InstitutionFactory(region=daoli, name="道里区教育研究院")
    client = staff_client(Role.DISTRICT_OFFICE, region=daoli)

    def offered(field: str, term: str = "") -> list[str]:
        response = client.get("/admin/autocomplete/", {"app_label": "institutions", "model_name": "institution",
                                                        "field_name": field, "term": term})
        assert response.status_code == 200
        return sorted(item["text"] for item in json.loads(response.content)["results"])

    assert offered("region") == ["道里区"]
    assert offered("supervisor", "教育") == ["道里区教育局"]


def test_district_user_cannot_pick_another_region(staff_client, daoli, nangang):
    client = staff_client(Role.DISTRICT_OFFICE, region=daoli)

    response = client.post(f"{ADMIN}/institution/add/", _institution_form(nangang))

    assert list(_form_errors(response)) == ["region"]
    assert Institution.objects.count() == 0


def test_district_user_reads_regions_but_cannot_change_or_import_them(staff_client, daoli):
    client = staff_client(Role.DISTRICT_OFFICE, region=daoli)

    view = client.get(f"{ADMIN}/region/{daoli.pk}/change/")
    post = client.post(f"{ADMIN}/region/{daoli.pk}/change/", {"code": "230102", "name": "改名", "kind": "main_urban",
                                                              "parent": daoli.parent_id})
    imported = client.get(f"{ADMIN}/region/import/")

    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert post.status_code == 403
    assert imported.status_code == 403
    daoli.refresh_from_db()
    assert daoli.name == "道里区"


@pytest.mark.parametrize("model", ["institution", "internaldivision"])
def test_district_user_has_import_and_export(staff_client, daoli, model):
    client = staff_client(Role.DISTRICT_OFFICE, region=daoli)

    changelist = client.get(f"{ADMIN}/{model}/").content.decode()
    import_page = client.get(f"{ADMIN}/{model}/import/")

    assert f"{ADMIN}/{model}/import/" in changelist
    assert f"{ADMIN}/{model}/export/" in changelist
    assert import_page.status_code == 200
    assert import_page.context["form"].fields["format"].choices == [("0", "xlsx")]


def test_read_only_role_cannot_import(staff_client):
    client = staff_client(Role.AUDITOR)

    assert client.get(f"{ADMIN}/institution/").status_code == 200
    assert client.get(f"{ADMIN}/institution/import/").status_code == 403


# --- model errors in the forms ----------------------------------------------------------------------------


def test_add_institution_with_divisions_inline_records_the_user(admin_client, daoli, django_user_model):
    data = _institution_form(daoli, **{
        "divisions-TOTAL_FORMS": "1", "divisions-0-name": "办公室", "divisions-0-rank": "unit_full",
        "divisions-0-quota_count": "3", "divisions-0-leadership_principal": "1", "divisions-0-leadership_deputy": "0",
    })

    response = admin_client.post(f"{ADMIN}/institution/add/", data)

    assert response.status_code == 302
    institution = Institution.objects.get()
    assert list(institution.divisions.values_list("name", flat=True)) == ["办公室"]
    assert institution.history.get().history_user == django_user_model.objects.get(username="admin")


def test_bad_credit_code_shows_the_model_error(admin_client, daoli):
    good = make_credit_code(daoli.code)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = admin_client.post(f"{ADMIN}/institution/add/", _institution_form(daoli, credit_code=bad))

    expected = f"统一社会信用代码校验位错误（应为 {good[17]}，实为 {bad[17]}）。"
    assert _form_errors(response) == {"credit_code": [expected]}
    assert Institution.objects.count() == 0


def test_unknown_region_is_a_region_error(admin_client, daoli):
    data = _institution_form(daoli)
    data["region"] = "999999"

    response = admin_client.post(f"{ADMIN}/institution/add/", data)

    assert _form_errors(response) == {"region": ["选择一个有效的选项： 该选择不在可用的选项中。"]}
    assert Institution.objects.count() == 0


def test_supervisor_that_is_not_an_agency_shows_why(admin_client, daoli):
    library = InstitutionFactory(region=daoli, name="道里区图书馆")

    response = admin_client.post(f"{ADMIN}/institution/add/", _institution_form(daoli, supervisor=library.pk))

    assert _form_errors(response) == {"supervisor": ["主管部门必须是行政机关，“道里区图书馆”不是。"]}
    assert Institution.objects.count() == 1


def test_no_supervisor_cycle_can_be_posted_since_the_supervisor_is_read_only(admin_client, daoli):
    top = AgencyFactory(region=daoli, name="道里区某局")
    below = AgencyFactory(region=daoli, supervisor=top)
    data = _institution_form(daoli, name=top.name, kind="agency", credit_code=top.credit_code, supervisor=below.pk)

    response = admin_client.post(f"{ADMIN}/institution/{top.pk}/change/", data)

    assert response.status_code == 302  # the other fields saved; the supervisor is not the form's to change
    top.refresh_from_db()
    assert top.supervisor is None


def test_duplicate_active_name_shows_the_model_error(admin_client, daoli):
    InstitutionFactory(region=daoli, name="道里区融媒体中心")

    response = admin_client.post(f"{ADMIN}/institution/add/", _institution_form(daoli))

    assert _form_errors(response) == {"name": ["本区划内已有同名的存续单位。"]}
    assert Institution.objects.count() == 1


def test_inline_division_duplicate_name_is_refused(admin_client, daoli):
    institution = DivisionFactory(institution__region=daoli, name="办公室").institution
    data = _institution_form(daoli, name=institution.name, credit_code=institution.credit_code, **{
        "divisions-TOTAL_FORMS": "1", "divisions-0-name": "办公室", "divisions-0-rank": "unit_full",
        "divisions-0-quota_count": "1", "divisions-0-leadership_principal": "1", "divisions-0-leadership_deputy": "0",
    })

    response = admin_client.post(f"{ADMIN}/institution/{institution.pk}/change/", data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors == {"name": ["本单位已有同名的内设机构。"]}
    assert InternalDivision.objects.filter(institution=institution).count() == 1


# --- approval documents -----------------------------------------------------------------------------------


def _document_form(**extra) -> dict:
    data = {"number_text": "", "office_code": "", "year": "", "serial": "", "issuer": "哈尔滨市机构编制委员会",
            "kind": "reply", "title": "关于设立道里区融媒体中心的批复", "date_issued": "2020-03-01",
            "date_effective": "2020-03-01"}
    data.update(extra)
    return data


def test_document_from_typed_number(admin_client):
    response = admin_client.post(f"{ADMIN}/approvaldocument/add/", _document_form(number_text="哈编发（2020）12号"))

    assert response.status_code == 302
    document = ApprovalDocument.objects.get()
    assert (document.number, document.office_code, document.year, document.serial) == (
        "哈编发〔2020〕12号", "哈编发", 2020, 12)
    assert document.history.get().history_type == "+"


def test_document_from_parts(admin_client):
    response = admin_client.post(f"{ADMIN}/approvaldocument/add/",
                                 _document_form(office_code="哈编办函", year="2020", serial="7"))

    assert response.status_code == 302
    assert ApprovalDocument.objects.get().number == "哈编办函〔2020〕7号"


def test_malformed_typed_number_is_an_error_on_the_number(admin_client):
    response = admin_client.post(f"{ADMIN}/approvaldocument/add/", _document_form(number_text="哈编发〔2020〕012号"))

    errors = _form_errors(response)
    assert list(errors) == ["number_text"]
    assert errors["number_text"][0].startswith("文号格式错误：")
    assert ApprovalDocument.objects.count() == 0


def test_duplicate_typed_number_is_an_error_on_the_number(admin_client):
    DocumentFactory(office_code="哈编发", year=2020, serial=12)

    response = admin_client.post(f"{ADMIN}/approvaldocument/add/", _document_form(number_text="哈编发〔2020〕12号"))

    assert _form_errors(response) == {"number_text": ["已有相同机关代字、年份和序号的文件。"]}
    assert ApprovalDocument.objects.count() == 1


def test_document_needs_a_number_or_its_parts(admin_client):
    response = admin_client.post(f"{ADMIN}/approvaldocument/add/", _document_form(office_code="哈编发"))

    assert sorted(_form_errors(response)) == ["serial", "year"]
    assert ApprovalDocument.objects.count() == 0


# --- deletion of referenced rows --------------------------------------------------------------------------


def test_deleting_a_referenced_region_shows_the_protected_page(admin_client, daoli):
    InstitutionFactory(region=daoli)

    page = admin_client.get(f"{ADMIN}/region/{daoli.pk}/delete/")
    posted = admin_client.post(f"{ADMIN}/region/{daoli.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert "将要求删除以下受保护的相关对象" in page.content.decode()
    assert posted.status_code == 200
    assert Region.objects.filter(pk=daoli.pk).exists()


def test_bulk_deleting_referenced_institutions_shows_the_protected_page(admin_client, daoli):
    division = DivisionFactory(institution__region=daoli)
    institution = division.institution

    response = admin_client.post(f"{ADMIN}/institution/", {"action": "delete_selected", "_selected_action": [
        institution.pk], "post": "yes"})

    assert response.status_code == 200
    assert "受保护的相关对象" in response.content.decode()
    assert Institution.objects.filter(pk=institution.pk).exists()
    assert InternalDivision.objects.filter(pk=division.pk).exists()


def test_an_unreferenced_document_can_be_deleted_by_a_superuser(admin_client):
    document = DocumentFactory()

    response = admin_client.post(f"{ADMIN}/approvaldocument/{document.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ApprovalDocument.objects.filter(pk=document.pk).exists()
