"""The standards' API: institution caps with their figures, the findings with their filters, service figures; region
scoping for a district office and 400s in the error shape for bad filters (the city of ``conftest.py``)."""
import pytest

from accounts.roles import Role
from standards import selectors

pytestmark = pytest.mark.django_db

CAPS, FINDINGS, FIGURES = "/api/v1/institution-caps/", "/api/v1/standard-findings/", "/api/v1/service-figures/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def refused(response, field: str) -> dict:
    body = response.json()
    assert response.status_code == 400, body
    assert {"message", "code", "errors", "codes"} <= set(body) and body["code"] == "invalid", body
    assert field in body["errors"], body
    return body


@pytest.fixture
def city_office(api_client, clerk):
    api_client.force_authenticate(clerk)
    return api_client


@pytest.fixture
def district(api_client, make_user, standards_city):
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"]))
    return api_client


# --- institution caps ---------------------------------------------------------------------------------------------

def test_a_derived_cap_is_worked_out_from_the_registry(city_office, standards_city):
    rows = {row["region_code"]: row for row in results(city_office.get(CAPS, **EN))}

    nangang = rows["230103"]
    assert (nangang["method"], nangang["cap"], nangang["institutions"], nangang["over_by"]) == ("derived", 68, 30, 0)
    assert nangang["derivation"] == {"must_exist": 30, "coefficient": "1.2", "agencies": 40,
                                     "city_reduction": "0.193", "factor": "1", "derived_part": "38.736", "cap": 68}
    assert nangang["derivation_text"] == (
        "30 must-exist units + ⌊1.2 × 40 agencies × (1 − 0.193) × 1⌋ = 30 + ⌊38.736⌋ = 68")
    assert nangang["document"] is None and nangang["document_number"] is None


def test_a_region_over_its_fixed_cap_shows_by_how_much(city_office, standards_city, document):
    cap = standards_city["caps"][standards_city["daoli"].pk]

    row = city_office.get(f"{CAPS}{cap.pk}/").json()

    assert (row["region_code"], row["method"], row["cap"], row["derivation"]) == ("230102", "fixed", 1, None)
    assert (row["institutions"], row["over_by"]) == (2, 1)
    assert (row["document"], row["document_number"]) == (document.pk, document.number)


def test_a_district_office_sees_only_its_own_regions_caps(district, standards_city):
    other = standards_city["caps"][standards_city["nangang"].pk]

    assert [row["region_code"] for row in results(district.get(CAPS))] == ["230102"]
    assert district.get(f"{CAPS}{other.pk}/").status_code == 404
    # Another region's id is no choice of the filter (not "nothing found": the region is not the user's to name).
    refused(district.get(CAPS, {"region": standards_city["nangang"].pk}), "region")


def test_the_caps_filter_by_region_and_method(city_office, standards_city):
    assert [row["region_code"] for row in results(city_office.get(CAPS, {"method": "derived"}))] == ["230103"]
    assert [row["region_code"] for row in results(city_office.get(CAPS, {"region_code": "230102"}))] == ["230102"]
    assert [row["region_code"] for row in results(city_office.get(
        CAPS, {"region": standards_city["nangang"].pk}))] == ["230103"]


# --- findings -----------------------------------------------------------------------------------------------------

def test_a_region_over_its_fixed_cap_is_a_finding_with_its_figure(city_office, standards_city):
    rows = results(city_office.get(FINDINGS, {"rule": "cap"}, **EN))

    assert len(rows) == 1
    row = rows[0]
    assert (row["rule"], row["region_code"], row["region_name"], row["figure"], row["limit"]) == (
        "cap", "230102", "道里区", "2", "1")
    assert row["rule_label"] == "Over the institution cap"
    assert row["region_id"] == standards_city["daoli"].pk
    assert (row["institution_id"], row["institution_name"], row["division_id"], row["division_name"]) == (
        None, None, None, None)
    assert row["detail"] == {"over_by": 1, "method": "fixed"}


def test_a_unit_of_twenty_quotas_in_three_divisions_is_under_the_division_average(city_office, standards_city):
    rows = results(city_office.get(FINDINGS, {"rule": selectors.DIVISION_AVERAGE}, **EN))

    assert len(rows) == 1
    row = rows[0]
    assert (row["institution_id"], row["institution_name"]) == (standards_city["a"].pk, "道里区甲中心")
    assert (row["figure"], row["limit"]) == ("6.7", "≥ 8")
    assert row["detail"] == {"quotas": 20, "divisions": 3}
    assert row["rule_label"] == "Too few quotas per internal division"


def test_the_findings_filter_by_region_id_or_code(city_office, standards_city):
    everyone = results(city_office.get(FINDINGS))
    by_code = results(city_office.get(FINDINGS, {"region": "230102"}))
    by_id = results(city_office.get(FINDINGS, {"region": standards_city["nangang"].pk}))

    assert {row["region_code"] for row in everyone} == {"230102", "230103"}
    assert by_code and {row["region_code"] for row in by_code} == {"230102"}
    assert by_id and {row["region_code"] for row in by_id} == {"230103"}
    order = [selectors.RULES.index(row["rule"]) for row in everyone]
    assert order == sorted(order)  # grouped in the order of the rules


def test_a_district_office_gets_only_its_own_regions_findings(district, standards_city):
    rows = results(district.get(FINDINGS))

    assert rows and {row["region_code"] for row in rows} == {"230102"}
    refused(district.get(FINDINGS, {"region": "230103"}), "region")
    refused(district.get(FINDINGS, {"region": standards_city["nangang"].pk}), "region")


@pytest.mark.parametrize("params, field", [
    ({"rule": "nonsense"}, "rule"),
    ({"region": "nowhere"}, "region"),
    ({"region": "999999"}, "region"),
    ({"region": "9" * 20}, "region"),
    ({"region": "9" * 30}, "region"),
    ({"region": "-1"}, "region"),
    ({"region": "١٢"}, "region"),
    ({"region": "230102\x00"}, "region"),
])
def test_bad_findings_filters_answer_400_with_field_errors(city_office, standards_city, params, field):
    city_office.raise_request_exception = False
    refused(city_office.get(FINDINGS, params), field)


@pytest.mark.parametrize("url, params, field", [
    (CAPS, {"region": "abc"}, "region"),
    (CAPS, {"region": "9" * 30}, "region"),
    (CAPS, {"method": "guessed"}, "method"),
    (FIGURES, {"year": "twenty"}, "year"),
    (FIGURES, {"institution": "x"}, "institution"),
    (FIGURES, {"figure": "goats"}, "figure"),
])
def test_bad_filters_of_the_lists_answer_400(city_office, standards_city, url, params, field):
    city_office.raise_request_exception = False
    refused(city_office.get(url, params), field)


def test_an_empty_filter_is_no_filter_as_in_the_other_lists(city_office, standards_city):
    assert len(results(city_office.get(FINDINGS, {"rule": "", "region": ""}))) == len(
        results(city_office.get(FINDINGS)))


def test_the_findings_need_a_role(api_client, make_user, standards_city):
    assert api_client.get(FINDINGS).status_code == 401
    api_client.force_authenticate(make_user(None))
    assert api_client.get(FINDINGS).json()["code"] == "permission_denied"


# --- service figures ----------------------------------------------------------------------------------------------

def test_service_figures_are_scoped_by_the_units_region_and_read_only(district, standards_city):
    own, other = standards_city["figures"]["daoli"], standards_city["figures"]["nangang"]

    rows = results(district.get(FIGURES, **EN))

    assert [(row["id"], row["region_code"], row["figure"], row["value"]) for row in rows] == [
        (own.pk, "230102", "students_primary", 190)]
    assert rows[0]["institution_name"] == "道里区第一小学" and rows[0]["figure_display"] == "Students, primary"
    assert district.get(f"{FIGURES}{other.pk}/").status_code == 404
    assert district.post(FIGURES, {"institution": standards_city["b"].pk, "year": 2025, "figure": "beds",
                                   "value": 1, "source": "x"}, format="json").status_code == 405
    assert district.patch(f"{FIGURES}{own.pk}/", {"value": 2}, format="json").status_code == 405


def test_the_city_office_reads_every_regions_figures_and_filters_them(city_office, standards_city):
    assert {row["region_code"] for row in results(city_office.get(FIGURES))} == {"230102", "230103"}
    beds = results(city_office.get(FIGURES, {"figure": "beds"}))
    assert [row["institution_name"] for row in beds] == ["南岗区人民医院"]
    assert results(city_office.get(FIGURES, {"year": 2023})) == []
