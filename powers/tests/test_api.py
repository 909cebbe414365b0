"""The powers API as each role: the city office writes every region's items, a district office its own region's
(another region's row: 404 on a read, 403 ``another_region`` on a write), the read-only roles read; filters; counts."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from powers import services
from powers.models import EnforcementPower, PowerItem

pytestmark = pytest.mark.django_db
READERS = (Role.HR_BUREAU, Role.AUDITOR, Role.FINANCE_SYSTEM, Role.ORGANISATION_DEPARTMENT)


@pytest.fixture
def items(units):
    return {
        "city": services.power_item_create(holder=units["city_medical"], code="SJ-1", name="医保基金监督检查",
                                           power_type="inspection"),
        "daoli": services.power_item_create(holder=units["daoli_bureau"], code="DL-1", name="医保违法行为处罚",
                                            power_type="penalty"),
        "nangang": services.power_item_create(holder=units["nangang_market"], code="NG-1", name="食品经营许可",
                                              power_type="licensing"),
    }


@pytest.fixture
def enforcement(units, daoli, nangang):
    return {
        "daoli": services.enforcement_power_create(
            district=daoli, department=units["daoli_market"], executing_body=units["daoli_market"], code="Z-1",
            name="对无证经营的处罚", power_type="penalty"),
        "nangang": services.enforcement_power_create(
            district=nangang, department=units["nangang_market"], executing_body=units["nangang_market"], code="Z-1",
            name="对无证经营的处罚", power_type="penalty"),
    }


def detail(pk):
    return reverse("v1:power-item-detail", kwargs={"pk": pk})


LIST = "/api/v1/power-items/"


def test_the_city_office_lists_creates_and_updates_every_regions_items(as_role, api_client, items, units):
    as_role(Role.CITY_OFFICE)
    listed = api_client.get(LIST).json()
    assert listed["count"] == 3
    response = api_client.post(LIST, {"holder": units["city_social"].pk, "code": "SB-1", "name": "社会保险费征收",
                                      "power_type": "levy"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["holder_kind"], body["region_code"]) == ("city", "public_institution", "230100")
    response = api_client.patch(detail(items["nangang"].pk), {"disposition": "cleaned_up",
                                                              "cleanup_reason": "已取消"}, format="json")
    assert response.status_code == 200 and response.json()["disposition"] == "cleaned_up"
    penalty = api_client.post(LIST, {"holder": units["city_bureau"].pk, "code": "P-1", "name": "处罚",
                                     "power_type": "penalty"}, format="json").json()
    assert penalty["responsibility_steps"] == ["filing", "investigation", "review", "notification", "decision",
                                               "service", "execution"]


def test_refusals_answer_400_with_the_field_and_its_code_and_write_nothing(as_role, api_client, items, units):
    as_role(Role.CITY_OFFICE)
    cases = [
        ({"disposition": "devolved"}, {"receiver": ["receiver_required"]}),
        ({"disposition": "devolved", "receiver": units["city_social"].pk}, {"receiver": ["receiver_not_below"]}),
        ({"disposition": "cleaned_up"}, {"cleanup_reason": ["reason_required"]}),
        ({"code": "SJ-1"}, {"code": ["duplicate_code"]}),
        ({"power_type": "bribery"}, {"power_type": ["invalid_choice"]}),
        ({"responsibility_steps": ["decision", "filing"]}, {"responsibility_steps": ["step_order"]}),
    ]
    for extra, codes in cases:
        data = {"holder": units["city_medical"].pk, "code": "SJ-2", "name": "医保稽核", "power_type": "inspection",
                **extra}
        response = api_client.post(LIST, data, format="json")
        assert response.status_code == 400, (extra, response.json())
        assert response.json()["codes"] == codes, extra
    assert PowerItem.objects.count() == 3


def test_a_district_office_reads_and_writes_its_own_region_only(as_role, api_client, items, units, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    assert [row["code"] for row in api_client.get(LIST).json()["results"]] == ["DL-1"]
    assert api_client.get(detail(items["daoli"].pk)).status_code == 200
    assert api_client.get(detail(items["nangang"].pk)).status_code == 404
    assert api_client.get(detail(items["city"].pk)).status_code == 404
    for other in ("nangang", "city"):
        response = api_client.patch(detail(items[other].pk), {"name": "改"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "another_region", other
    response = api_client.patch(detail(items["daoli"].pk), {"name": "医保违法行为行政处罚"}, format="json")
    assert response.status_code == 200
    created = api_client.post(LIST, {"holder": units["daoli_medical"].pk, "code": "DL-2", "name": "医保待遇给付",
                                     "power_type": "benefit"}, format="json")
    assert created.status_code == 201
    foreign = api_client.post(LIST, {"holder": units["nangang_market"].pk, "code": "DL-3", "name": "许可",
                                     "power_type": "licensing"}, format="json")
    assert foreign.status_code == 400 and foreign.json()["codes"] == {"holder": ["does_not_exist"]}
    moved = api_client.patch(detail(items["daoli"].pk), {"holder": units["nangang_market"].pk}, format="json")
    assert moved.status_code == 400
    assert PowerItem.objects.get(pk=items["daoli"].pk).holder == units["daoli_bureau"]
    assert PowerItem.objects.count() == 4


@pytest.mark.parametrize("role", READERS)
def test_read_only_roles_read_and_may_not_write(role, as_role, api_client, items, units):
    as_role(role)
    assert api_client.get(LIST).json()["count"] == 3
    assert api_client.get(detail(items["nangang"].pk)).status_code == 200
    response = api_client.post(LIST, {"holder": units["city_medical"].pk, "code": "X", "name": "X",
                                      "power_type": "other"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = api_client.patch(detail(items["city"].pk), {"name": "改"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert api_client.get("/api/v1/enforcement-powers/").status_code == 200
    assert api_client.post("/api/v1/enforcement-powers/import/", {}, format="multipart").status_code == 403


def test_no_delete(as_role, api_client, items):
    as_role(Role.CITY_OFFICE)
    assert api_client.delete(detail(items["city"].pk)).status_code == 405
    assert PowerItem.objects.count() == 3


def test_filters_and_bad_filters(as_role, api_client, items, units, daoli):
    as_role(Role.CITY_OFFICE)

    def codes(**params):
        response = api_client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return sorted(row["code"] for row in response.json()["results"])

    assert codes(type="penalty") == ["DL-1"]
    assert codes(holder=units["city_medical"].pk) == ["SJ-1"]
    assert codes(region=daoli.pk) == ["DL-1"]
    assert codes(level="district") == ["DL-1", "NG-1"]
    assert codes(holder_kind="agency") == ["DL-1", "NG-1"]
    assert codes(disposition="kept") == ["DL-1", "NG-1", "SJ-1"]
    assert codes(q="许可") == ["NG-1"]
    for params in ({"type": "bogus"}, {"holder": "abc"}, {"region": "999999"}, {"disposition": "x"},
                   {"level": "province"}, {"holder": "99999999999999999999999"}):
        response = api_client.get(LIST, params)
        assert response.status_code == 400, params
    assert api_client.get(detail(10**20)).status_code == 404


def test_counts_endpoints_count_what_the_user_sees(as_role, api_client, items, enforcement, daoli):
    as_role(Role.CITY_OFFICE)
    counts = api_client.get("/api/v1/power-items/counts/").json()
    assert counts["total"] == 3 and counts["by_level"] == {"city": 1, "district": 2}
    assert {row["value"]: row["count"] for row in counts["by_type"]}["penalty"] == 1
    assert api_client.get("/api/v1/power-items/counts/", {"type": "bogus"}).status_code == 400
    assert api_client.get("/api/v1/enforcement-powers/counts/").json()["total"] == 2
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    counts = api_client.get("/api/v1/power-items/counts/").json()
    assert counts["total"] == 1 and counts["by_holder"][0]["holder_name"] == "道里区医疗保障局"
    enforcement_counts = api_client.get("/api/v1/enforcement-powers/counts/").json()
    assert enforcement_counts["total"] == 1 and enforcement_counts["by_department"][0]["count"] == 1


def test_enforcement_items_as_a_district_office(as_role, api_client, enforcement, units, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    url = "/api/v1/enforcement-powers/"
    assert [row["district_code"] for row in api_client.get(url).json()["results"]] == ["230102"]
    other = reverse("v1:enforcement-power-detail", kwargs={"pk": enforcement["nangang"].pk})
    assert api_client.get(other).status_code == 404
    response = api_client.patch(other, {"name": "改"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "another_region"
    data = {"district": daoli.pk, "department": units["daoli_market"].pk, "executing_body": units["daoli_market"].pk,
            "code": "Z-1", "name": "重复", "power_type": "penalty"}
    response = api_client.post(url, data, format="json")
    assert response.status_code == 400 and response.json()["codes"] == {"code": ["duplicate_code"]}
    response = api_client.post(url, {**data, "code": "Z-2", "department": units["daoli_medical"].pk}, format="json")
    assert response.status_code == 400 and response.json()["codes"] == {"department": ["not_an_agency"]}
    response = api_client.post(url, {**data, "code": "Z-2"}, format="json")
    assert response.status_code == 201
    assert EnforcementPower.objects.count() == 3
    assert api_client.get(url, {"type": "nope"}).status_code == 400
