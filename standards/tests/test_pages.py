"""The standards page and its workbook (the city of ``conftest.py``): the caps against the counts with the derivation,
the findings per rule, the region filter, scoping for a district office, the language."""
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from standards import selectors

pytestmark = pytest.mark.django_db

PAGE, XLSX = "/standards/", "/standards/xlsx/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
DERIVATION = "30 must-exist units + ⌊1.2 × 40 agencies × (1 − 0.193) × 1⌋ = 30 + ⌊38.736⌋ = 68"


def groups(response) -> dict[str, list]:
    return {code: rows for code, _label, rows in response.context["groups"]}


def sheets(response) -> dict[str, list[list]]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def test_the_page_shows_each_regions_cap_against_its_count_with_the_derivation(client, clerk, standards_city):
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get(PAGE, **EN)

    assert response.status_code == 200
    caps = {figure.region.code: (figure, text) for figure, text in response.context["caps"]}
    assert {"230100", "230102", "230103"} <= set(caps)
    daoli, _text = caps["230102"]
    assert (daoli.cap, daoli.institutions, daoli.over_by) == (1, 2, 1)
    nangang, text = caps["230103"]
    assert (nangang.cap, nangang.institutions, nangang.over_by) == (68, 30, 0) and text == DERIVATION
    assert caps["230100"][0].method is None  # the city level has no cap row: shown as such
    content = response.content.decode()
    assert DERIVATION in content and "No cap is set for this region." in content
    assert 'href="/standards/xlsx/"' in content and "data-print" in content


def test_the_findings_are_grouped_per_rule_with_the_unit_the_figure_and_the_limit(client, clerk, standards_city):
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get(PAGE, **EN)

    found = groups(response)
    codes = list(found)
    assert codes == [code for code in selectors.RULES if code in found]  # in the order of the rules
    [(cap, unit, _detail)] = found[selectors.CAP]
    assert (unit, cap.figure, cap.limit) == ("道里区", 2, "1")
    [(average, unit, detail)] = found[selectors.DIVISION_AVERAGE]
    assert (unit, str(average.figure), average.limit) == ("道里区甲中心", "6.7", "≥ 8")
    assert detail == "20 quotas over 3 internal divisions: 6.7 a division."
    content = response.content.decode()
    assert "Too few quotas per internal division" in content and "道里区甲中心" in content and "6.7" in content


def test_the_page_renders_in_chinese_for_a_district_office_with_its_own_region_only(client, make_user,
                                                                                     standards_city):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"]))

    response = client.get(PAGE, **ZH)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "机构编制管理平台" in content and "下载 xlsx" in content and "打印" in content  # the site's Chinese
    assert [figure.region.code for figure, _text in response.context["caps"]] == ["230102"]
    assert all(finding.region.code == "230102" for rows in groups(response).values() for finding, *_ in rows)
    assert "道里区甲中心" in content and "南岗区" not in content
    assert 'name="region"' not in content  # the region filter is the city office's


def test_the_city_office_filters_by_region_and_an_unknown_region_says_so(client, clerk, standards_city):
    client.force_login(clerk)

    by_code = client.get(PAGE, {"region": "230103"})
    by_id = client.get(PAGE, {"region": standards_city["daoli"].pk})
    unknown = client.get(PAGE, {"region": "9" * 30})

    assert 'name="region"' in by_code.content.decode()
    assert [figure.region.code for figure, _text in by_code.context["caps"]] == ["230103"]
    assert {finding.region.code for rows in groups(by_code).values() for finding, *_ in rows} == {"230103"}
    assert [figure.region.code for figure, _text in by_id.context["caps"]] == ["230102"]
    assert unknown.status_code == 200 and unknown.context["errors"]
    assert {"230102", "230103"} <= {figure.region.code for figure, _text in unknown.context["caps"]}


def test_a_district_office_cannot_name_another_region(client, make_user, standards_city):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"]))

    response = client.get(PAGE, {"region": "230103"})

    assert response.context["errors"]
    assert [figure.region.code for figure, _text in response.context["caps"]] == ["230102"]


def test_the_page_needs_a_role(client, make_user):
    assert client.get(PAGE).status_code == 302  # to the login
    client.force_login(make_user(None))

    assert client.get(PAGE).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_the_home_page_links_to_the_page(client, clerk):
    client.force_login(clerk)

    assert 'href="/standards/"' in client.get("/").content.decode()


# --- the workbook -------------------------------------------------------------------------------------------------

def test_the_workbook_holds_the_caps_and_the_findings(client, clerk, standards_city):
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get(XLSX, **EN)

    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''standards-")
    book = sheets(response)
    assert list(book) == ["Institution caps", "Findings"]
    header, *rows = book["Institution caps"]
    assert header[:6] == ["Division code", "Region", "How the cap is set", "Cap", "Public institutions", "Over by"]
    caps = {row[0]: row for row in rows}
    assert caps["230102"][2:6] == ["Fixed by a document", 1, 2, 1]
    assert caps["230103"][2:12] == ["Derived from the formula", 68, 30, 0, 30, 1.2, 40, 0.193, 1, 38.736]
    assert caps["230103"][13] == DERIVATION
    header, *rows = book["Findings"]
    assert header == ["Rule", "Division code", "Region", "Institution", "Internal division", "Figure", "Limit",
                      "Detail"]
    findings = {(row[0], row[1]): row for row in rows}
    assert findings[("Over the institution cap", "230102")][5:7] == [2, "1"]
    assert findings[("Too few quotas per internal division", "230102")][3:7] == ["道里区甲中心", None, 6.7, "≥ 8"]


def test_a_district_offices_workbook_holds_its_own_region_only(client, make_user, standards_city):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"]))

    book = sheets(client.get(XLSX, {"region": "230103"}))  # in Chinese, the default language

    assert list(book) == ["机构限额", "问题清单"]
    assert [row[0] for row in book["机构限额"][1:]] == ["230102"]
    assert {row[1] for row in book["问题清单"][1:]} == {"230102"}
