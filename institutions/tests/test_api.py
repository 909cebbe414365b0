"""Registry API: CRUD without delete, region scoping, write roles, model validation, filters, query counts."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.api_cases import ScopedResourceTests
from institutions.choices import Category, InstitutionKind, InstitutionStatus
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
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

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def city():
    return CityFactory(code="230100", name="哈尔滨市（市本级）")


@pytest.fixture
def daoli(city):
    return DistrictFactory(parent=city, code="230102", name="道里区")


@pytest.fixture
def nangang(city):
    return DistrictFactory(parent=city, code="230103", name="南岗区")


def _snapshot(instance) -> dict:
    instance.refresh_from_db()
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _institution_payload(region, **extra) -> dict:
    payload = {"name": "道里区融媒体中心", "region": region.pk, "category": Category.PUBLIC_WELFARE_1}
    payload.update(extra)
    return payload


# --- routes and permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["regions", "documents"])
def test_unscoped_endpoints_list_for_a_read_only_role_and_refuse_delete(api_client, make_user, path, daoli):
    row = {"regions": lambda: daoli, "documents": DocumentFactory}[path]()
    api_client.force_authenticate(make_user(Role.AUDITOR))

    listed = api_client.get(f"/api/v1/{path}/")
    detail = api_client.get(f"/api/v1/{path}/{row.pk}/")
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    deleted = api_client.delete(f"/api/v1/{path}/{row.pk}/")

    assert listed.status_code == 200
    assert row.pk in [item["id"] for item in listed.json()["results"]]
    assert detail.status_code == 200
    assert deleted.status_code == 405
    assert type(row).objects.filter(pk=row.pk).exists()


def test_only_the_city_office_writes_regions(as_role, api_client, city, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    refused = api_client.patch(f"/api/v1/regions/{daoli.pk}/", {"name": "改名"}, format="json", **ZH)
    refused_create = api_client.post(
        "/api/v1/regions/", {"code": "230104", "name": "道外区", "kind": "main_urban", "parent": city.pk}, format="json"
    )
    assert (refused.status_code, refused_create.status_code) == (403, 403)
    assert refused.json() == {"message": "您的角色无权执行此操作。", "code": "permission_denied", "errors": {},
                              "codes": {}}
    daoli.refresh_from_db()
    assert daoli.name == "道里区"
    assert not Region.objects.filter(code="230104").exists()

    as_role(Role.CITY_OFFICE)
    created = api_client.post(
        "/api/v1/regions/", {"code": "230104", "name": "道外区", "kind": "main_urban", "parent": city.pk}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["parent_code"] == "230100"
    assert Region.objects.get(code="230104").parent == city


def test_region_rules_come_from_the_model(as_role, api_client, city):
    as_role(Role.CITY_OFFICE)

    response = api_client.post(
        "/api/v1/regions/", {"code": "030104", "name": "坏区", "kind": "main_urban", "parent": city.pk}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["code"]
    assert not Region.objects.filter(name="坏区").exists()


# --- region scoping ---------------------------------------------------------------------------------------


def test_district_office_sees_only_its_region_in_the_region_list(as_role, api_client, daoli, nangang):
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    regions = api_client.get("/api/v1/regions/")

    assert [item["code"] for item in regions.json()["results"]] == ["230102"]


def test_district_office_cannot_create_in_another_region(as_role, api_client, daoli, nangang):
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    response = api_client.post("/api/v1/institutions/", _institution_payload(nangang), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]
    assert Institution.objects.count() == 0


def test_district_office_cannot_update_or_move_to_another_region(as_role, api_client, daoli, nangang):
    mine = InstitutionFactory(region=daoli)
    foreign = InstitutionFactory(region=nangang)
    mine_before, foreign_before = _snapshot(mine), _snapshot(foreign)
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    foreign_update = api_client.patch(f"/api/v1/institutions/{foreign.pk}/", {"name": "改名"}, format="json")
    moved = api_client.patch(f"/api/v1/institutions/{mine.pk}/", {"region": nangang.pk}, format="json")

    assert foreign_update.status_code == 404
    assert moved.status_code == 400
    assert list(moved.json()["errors"]) == ["region"]
    assert (_snapshot(mine), _snapshot(foreign)) == (mine_before, foreign_before)


def test_district_office_cannot_pick_a_foreign_supervisor_or_institution(as_role, api_client, daoli, nangang):
    foreign_agency = AgencyFactory(region=nangang)
    foreign_institution = InstitutionFactory(region=nangang)
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    supervised = api_client.post(
        "/api/v1/institutions/", _institution_payload(daoli, supervisor=foreign_agency.pk), format="json"
    )
    division = api_client.post(
        "/api/v1/internal-divisions/", {"institution": foreign_institution.pk, "name": "办公室"}, format="json"
    )

    assert supervised.status_code == 400
    assert list(supervised.json()["errors"]) == ["supervisor"]
    assert division.status_code == 400
    assert list(division.json()["errors"]) == ["institution"]
    assert Institution.objects.filter(region=daoli).count() == 0
    assert InternalDivision.objects.count() == 0


# --- create, update and model validation ------------------------------------------------------------------


def test_create_and_update_an_institution_with_display_labels(as_role, api_client, daoli):
    agency = AgencyFactory(region=daoli, name="道里区文体广电和旅游局")
    user = as_role(Role.DISTRICT_OFFICE, region=daoli)
    code = make_credit_code(daoli.code)

    created = api_client.post(
        "/api/v1/institutions/", _institution_payload(daoli, supervisor=agency.pk, credit_code=code), format="json",
        **ZH,
    )
    body = created.json()
    updated = api_client.patch(f"/api/v1/institutions/{body['id']}/", {"staff_in_quota": 12}, format="json", **ZH)

    assert created.status_code == 201
    assert {key: body[key] for key in ("region", "region_code", "region_name", "supervisor", "supervisor_name")} == {
        "region": daoli.pk, "region_code": "230102", "region_name": "道里区", "supervisor": agency.pk,
        "supervisor_name": "道里区文体广电和旅游局",
    }
    assert (body["category"], body["category_display"]) == ("public_welfare_1", "公益一类")
    assert (body["kind_display"], body["status_display"]) == ("事业单位", "存续")
    assert updated.status_code == 200
    institution = Institution.objects.get(pk=body["id"])
    assert (institution.credit_code, institution.staff_in_quota) == (code, 12)
    assert [record.history_user for record in institution.history.all()] == [user, user]


def test_token_writes_record_the_acting_user_in_history(api_client, make_user, daoli):
    user = make_user(Role.CITY_OFFICE)
    _token, key = ApiToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api_client.post("/api/v1/institutions/", _institution_payload(daoli), format="json")

    assert response.status_code == 201
    assert Institution.objects.get(pk=response.json()["id"]).history.get().history_user == user


def test_bad_credit_code_is_a_field_error(as_role, api_client, daoli):
    as_role(Role.CITY_OFFICE)
    good = make_credit_code(daoli.code)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = api_client.post("/api/v1/institutions/", _institution_payload(daoli, credit_code=bad), format="json",
                               **ZH)

    assert response.status_code == 400
    body = response.json()
    assert (body["message"], body["code"], body["errors"]) == (
        "输入有误。", "invalid", {"credit_code": [f"统一社会信用代码校验位错误（应为 {good[17]}，实为 {bad[17]}）。"]})
    assert body["codes"]["credit_code"] == [body["codes"]["credit_code"][0]] and body["codes"]["credit_code"][0]
    assert Institution.objects.count() == 0


def test_blank_credit_codes_do_not_collide(as_role, api_client, daoli):
    as_role(Role.CITY_OFFICE)

    first = api_client.post("/api/v1/institutions/", _institution_payload(daoli, name="甲", credit_code=""),
                            format="json")
    second = api_client.post("/api/v1/institutions/", _institution_payload(daoli, name="乙", credit_code=""),
                             format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert list(Institution.objects.values_list("credit_code", flat=True)) == [None, None]


def test_unknown_region_is_a_field_error(as_role, api_client, daoli):
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/institutions/", {"name": "某中心", "region": 999999}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]
    assert Institution.objects.count() == 0


def test_supervisor_must_be_an_agency(as_role, api_client, daoli):
    not_agency = InstitutionFactory(region=daoli, name="道里区图书馆")
    as_role(Role.CITY_OFFICE)

    response = api_client.post(
        "/api/v1/institutions/", _institution_payload(daoli, supervisor=not_agency.pk), format="json", **ZH
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"supervisor": ["主管部门必须是行政机关，“道里区图书馆”不是。"]}
    assert Institution.objects.count() == 1


def test_a_supervisor_cycle_cannot_be_made_since_the_supervisor_changes_only_by_reform(as_role, api_client, daoli):
    top = AgencyFactory(region=daoli)
    below = AgencyFactory(region=daoli, supervisor=top)
    as_role(Role.CITY_OFFICE)

    response = api_client.patch(f"/api/v1/institutions/{top.pk}/", {"supervisor": below.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["codes"] == {"supervisor": ["reform_only"]}
    top.refresh_from_db()
    assert top.supervisor is None


def test_duplicate_active_name_is_refused(as_role, api_client, daoli):
    InstitutionFactory(region=daoli, name="道里区融媒体中心")
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/institutions/", _institution_payload(daoli), format="json", **ZH)

    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["本区划内已有同名的存续单位。"]}
    assert Institution.objects.count() == 1


def test_an_ended_institution_is_entered_with_its_end_date(as_role, api_client, daoli):
    as_role(Role.CITY_OFFICE)

    refused = api_client.post("/api/v1/institutions/", _institution_payload(daoli, status="abolished"),
                              format="json")
    accepted = api_client.post("/api/v1/institutions/",
                               _institution_payload(daoli, status="abolished", ended_on="2024-06-30"), format="json")

    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["ended_on"]
    assert accepted.status_code == 201
    institution = Institution.objects.get()
    assert (institution.status, institution.ended_on) == (InstitutionStatus.ABOLISHED, datetime.date(2024, 6, 30))


def test_an_existing_institution_is_not_ended_through_the_api(as_role, api_client, daoli):
    institution = InstitutionFactory(region=daoli)
    before = _snapshot(institution)
    as_role(Role.CITY_OFFICE)

    response = api_client.patch(
        f"/api/v1/institutions/{institution.pk}/", {"status": "abolished", "ended_on": "2024-06-30"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["codes"] == {"status": ["reform_only"], "ended_on": ["reform_only"]}
    assert _snapshot(institution) == before


# --- documents --------------------------------------------------------------------------------------------


def _document_payload(**extra) -> dict:
    payload = {"issuer": "哈尔滨市机构编制委员会", "title": "关于设立道里区融媒体中心的批复",
               "date_issued": "2020-03-01", "date_effective": "2020-03-01"}
    payload.update(extra)
    return payload


def test_document_created_from_typed_number(as_role, api_client, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    response = api_client.post("/api/v1/documents/", _document_payload(number="哈编发[2020]12号"), format="json")

    assert response.status_code == 201
    body = response.json()
    parts = (body["number"], body["office_code"], body["year"], body["serial"])
    assert parts == ("哈编发〔2020〕12号", "哈编发", 2020, 12)
    assert ApprovalDocument.objects.get().number == "哈编发〔2020〕12号"


def test_document_number_can_be_changed_by_typing_it(as_role, api_client):
    document = DocumentFactory(office_code="哈编发", year=2020, serial=5)
    as_role(Role.CITY_OFFICE)

    response = api_client.patch(f"/api/v1/documents/{document.pk}/", {"number": "哈编办函〔2020〕6号"}, format="json")

    assert response.status_code == 200
    document.refresh_from_db()
    assert (document.number, document.office_code, document.serial) == ("哈编办函〔2020〕6号", "哈编办函", 6)


def test_document_created_from_parts(as_role, api_client):
    as_role(Role.CITY_OFFICE)

    response = api_client.post(
        "/api/v1/documents/", _document_payload(office_code="哈编办函", year=2020, serial=3), format="json"
    )

    assert response.status_code == 201
    assert response.json()["number"] == "哈编办函〔2020〕3号"


def test_malformed_document_number_is_a_number_error(as_role, api_client):
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/documents/", _document_payload(number="哈编发〔2020〕第12号"), format="json",
                               **ZH)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["number"]
    assert response.json()["errors"]["number"][0].startswith("文号格式错误：")
    assert ApprovalDocument.objects.count() == 0


def test_duplicate_document_number_is_a_number_error(as_role, api_client):
    DocumentFactory(office_code="哈编发", year=2020, serial=12)
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/documents/", _document_payload(number="哈编发〔2020〕12号"), format="json",
                               **ZH)

    assert response.status_code == 400
    assert response.json()["errors"] == {"number": ["已有相同机关代字、年份和序号的文件。"]}
    assert ApprovalDocument.objects.count() == 1


def test_malformed_number_is_reported_together_with_other_missing_fields(as_role, api_client):
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/documents/", {"number": "哈编发2020-12", "issuer": "哈尔滨市机构编制委员会"},
                               format="json")

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["date_effective", "date_issued", "number", "title"]
    assert ApprovalDocument.objects.count() == 0


def test_document_without_number_or_parts_names_the_missing_parts(as_role, api_client):
    as_role(Role.CITY_OFFICE)

    response = api_client.post("/api/v1/documents/", _document_payload(office_code="哈编发"), format="json")

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["serial", "year"]
    assert ApprovalDocument.objects.count() == 0


def test_document_year_must_match_issue_date(as_role, api_client):
    as_role(Role.CITY_OFFICE)

    response = api_client.post(
        "/api/v1/documents/", _document_payload(number="哈编发〔2021〕1号"), format="json", **ZH
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"number": ["文号中的年份与成文日期的年份不一致。"]}


# --- divisions and plaques --------------------------------------------------------------------------------


def test_division_and_plaque_create_and_update(as_role, api_client, daoli):
    institution = InstitutionFactory(region=daoli)
    document = DocumentFactory()
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    division = api_client.post(
        "/api/v1/internal-divisions/", {"institution": institution.pk, "name": "办公室", "quota_count": 4},
        format="json",
    )
    duplicate = api_client.post(
        "/api/v1/internal-divisions/", {"institution": institution.pk, "name": "办公室"}, format="json", **ZH
    )
    plaque = api_client.post(
        "/api/v1/plaques/", {"institution": institution.pk, "name": "道里区新闻中心", "document": document.pk},
        format="json",
    )
    renamed = api_client.patch(f"/api/v1/plaques/{plaque.json()['id']}/", {"name": "道里区广播电视台"}, format="json")

    assert division.status_code == 201
    assert division.json()["region_code"] == "230102"
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"] == {"name": ["本单位已有同名的内设机构。"]}
    assert InternalDivision.objects.filter(institution=institution).count() == 1
    assert plaque.status_code == 201
    assert plaque.json()["document_number"] == document.number
    assert renamed.status_code == 200
    assert Plaque.objects.get().name == "道里区广播电视台"


# --- filters, search, ordering, query counts --------------------------------------------------------------


def test_institution_filters(as_role, api_client, daoli, nangang):
    agency = AgencyFactory(region=daoli)
    hospital = InstitutionFactory(region=daoli, category=Category.PUBLIC_WELFARE_2, supervisor=agency,
                                  reserved_class="public_hospital", name="道里区人民医院")
    InstitutionFactory(region=nangang, category=Category.PUBLIC_WELFARE_2)
    as_role(Role.CITY_OFFICE)

    def ids(query: str) -> list[int]:
        response = api_client.get(f"/api/v1/institutions/?{query}")
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["results"]]

    assert ids("region_code=230102&category=public_welfare_2") == [hospital.pk]
    assert ids(f"region={daoli.pk}&kind=agency") == [agency.pk]
    assert ids(f"supervisor={agency.pk}") == [hospital.pk]
    assert ids("reserved_class=public_hospital") == [hospital.pk]
    assert ids("search=人民医院") == [hospital.pk]
    assert ids(f"credit_code={hospital.credit_code}") == [hospital.pk]
    assert len(ids("region_code=230103")) == 1
    assert api_client.get("/api/v1/institutions/?category=nonsense").status_code == 400


def test_institution_ordering(as_role, api_client, daoli):
    InstitutionFactory(region=daoli, name="乙")
    InstitutionFactory(region=daoli, name="甲")
    as_role(Role.CITY_OFFICE)

    names = [item["name"] for item in api_client.get("/api/v1/institutions/?ordering=-name").json()["results"]]

    assert names == sorted(names, reverse=True)


def test_district_user_cannot_filter_by_a_foreign_region(as_role, api_client, daoli, nangang):
    InstitutionFactory(region=nangang)
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    response = api_client.get(f"/api/v1/institutions/?region={nangang.pk}")
    by_code = api_client.get("/api/v1/institutions/?region_code=230103")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]
    assert by_code.json()["count"] == 0


def test_an_institution_page_costs_the_same_queries_whatever_its_size(as_role, api_client, daoli):
    agency = AgencyFactory(region=daoli)
    InstitutionFactory.create_batch(60, region=daoli, supervisor=agency)
    user = as_role(Role.CITY_OFFICE)

    counts = []
    for size in (5, 50):
        api_client.force_authenticate(type(user).objects.get(pk=user.pk))  # roles not cached from a prior request
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(f"/api/v1/institutions/?page_size={size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts.append(len(queries))

    assert counts[0] == counts[1]
    # the user's roles, the count, the page (regions, supervisors and successors joined in), the renamings
    assert counts[1] == 4


@pytest.mark.parametrize(
    ("path", "factory"),
    [
        ("regions", lambda region: DistrictFactory(parent=region.parent)),
        ("documents", lambda region: DocumentFactory()),
    ],
)
def test_unscoped_lists_cost_a_fixed_number_of_queries(as_role, api_client, daoli, path, factory):
    user = as_role(Role.CITY_OFFICE)
    counts = []
    for _round in range(2):
        for _row in range(6):
            factory(daoli)
        api_client.force_authenticate(type(user).objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(f"/api/v1/{path}/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_kinds_of_institution_are_filterable_by_display_free_values(as_role, api_client, daoli):
    AgencyFactory(region=daoli)
    as_role(Role.CITY_OFFICE)

    body = api_client.get(f"/api/v1/institutions/?kind={InstitutionKind.AGENCY}", **ZH).json()

    assert [item["kind_display"] for item in body["results"]] == ["行政机关"]


# --- generated tests of the region-scoped resources (accounts.tests.api_cases) ----------------------------


class TestInstitutionResource(ScopedResourceTests):
    url = "/api/v1/institutions/"
    model = Institution
    writer_roles = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)
    # The name changes only through a reform operation (test_existence_fields.py): the update changes other fields.
    update_payload = {"short_name": "改名后的中心", "staff_in_quota": 7}
    list_queries = 6  # roles, profile, the district's sub-regions (once a request), count, page, renamings

    @pytest.fixture
    def make_row(self):
        return lambda region: InstitutionFactory(region=region)

    @pytest.fixture
    def create_payload(self, our_region):
        return _institution_payload(our_region, credit_code=make_credit_code(our_region.code))


class TestInternalDivisionResource(ScopedResourceTests):
    url = "/api/v1/internal-divisions/"
    model = InternalDivision
    writer_roles = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)
    update_payload = {"name": "综合办公室", "quota_count": 5}
    list_queries = 5  # roles, profile, the district's sub-regions (once a request), count, page

    @pytest.fixture
    def make_row(self):
        return lambda region: DivisionFactory(institution__region=region)

    @pytest.fixture
    def create_payload(self, our_region):
        return {"institution": InstitutionFactory(region=our_region).pk, "name": "办公室", "quota_count": 4}


class TestPlaqueResource(ScopedResourceTests):
    url = "/api/v1/plaques/"
    model = Plaque
    writer_roles = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)
    update_payload = {"name": "道里区广播电视台", "started_on": "2021-05-01"}
    list_queries = 5  # roles, profile, the district's sub-regions (once a request), count, page

    @pytest.fixture
    def make_row(self):
        return lambda region: PlaqueFactory(institution__region=region, document=DocumentFactory())

    @pytest.fixture
    def create_payload(self, our_region):
        return {"institution": InstitutionFactory(region=our_region).pk, "name": "道里区新闻中心",
                "document": DocumentFactory().pk}
