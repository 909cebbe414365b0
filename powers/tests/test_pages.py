"""The pages: the power list with its counts and filters, the law-enforcement page with its counts, its import
(per-row errors, nothing written; or the items written) and its workbooks."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from accounts.roles import Role
from powers import services
from powers.models import EnforcementPower
from powers.tests.helpers import workbook_bytes

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def listed(units):
    services.power_item_create(holder=units["city_medical"], code="A1", name="医保基金监督检查",
                               power_type="inspection")
    services.power_item_create(holder=units["city_medical"], code="A2", name="医保违法处罚", power_type="penalty",
                               disposition="devolved", receiver=units["daoli_medical"])
    services.power_item_create(holder=units["daoli_bureau"], code="B1", name="定点医药机构确认",
                               power_type="confirmation")


def test_the_power_list_shows_counts_and_filters(listed, make_user, daoli):
    client = client_for(make_user(Role.AUDITOR))
    page = client.get("/powers/")
    assert page.status_code == 200
    assert page.context["counts"].total == 3 and len(page.context["items"]) == 3
    assert page.context["counts"].by_level == {"city": 2, "district": 1}
    filtered = client.get("/powers/", {"disposition": "devolved"})
    assert [item.code for item in filtered.context["items"]] == ["A2"]
    bad = client.get("/powers/", {"type": "bogus"})
    assert bad.status_code == 200 and bad.context["errors"] and bad.context["counts"].total == 3
    district = client_for(make_user(Role.DISTRICT_OFFICE, region=daoli)).get("/powers/")
    assert [item.code for item in district.context["items"]] == ["B1"]


def test_the_enforcement_page_imports_or_names_each_bad_row(units, make_user, daoli):
    clerk = client_for(make_user(Role.DISTRICT_OFFICE, region=daoli))
    market = units["daoli_market"]
    rows = [{"district_code": "230102", "department": market.name, "executing_body": market.name,
             "name": f"事项{n}", "power_type": "处罚", "code": f"Z-{n}"} for n in range(3)]
    bad = [*rows[:2], {**rows[2], "district_code": "230103"}]
    page = clerk.post("/powers/enforcement/", {"file": SimpleUploadedFile("a.xlsx", workbook_bytes(bad))})
    assert page.status_code == 400
    assert [(p.row, p.field, p.code) for p in page.context["problems"]] == [(4, "district_code", "unknown_district")]
    assert EnforcementPower.objects.count() == 0
    page = clerk.post("/powers/enforcement/", {"file": SimpleUploadedFile("a.xlsx", workbook_bytes(rows))})
    assert page.status_code == 200 and page.context["created"] == 3
    assert page.context["counts"].total == 3
    assert page.context["counts"].by_district[0]["by_type"]["penalty"] == 3
    assert clerk.post("/powers/enforcement/", {}).context["file_error"]
    reader = client_for(make_user(Role.HR_BUREAU))
    assert reader.get("/powers/enforcement/").context["may_import"] is False
    assert reader.post("/powers/enforcement/", {}).status_code == 403
    workbook = load_workbook(BytesIO(reader.get("/powers/enforcement/xlsx/").content))
    sheet = workbook.worksheets[0]
    assert sheet.cell(2, 1).value == "230102" and sheet.cell(2, 13).value == 3
    template = load_workbook(BytesIO(reader.get("/powers/enforcement/template/").content)).worksheets[0]
    assert [cell.value for cell in template[1]] == ["区县代码", "部门", "执法主体", "事项名称", "类型", "依据", "条款",
                                                    "编码"]


def test_pages_need_a_role(make_user):
    client = client_for(make_user(None))
    assert client.get("/powers/").status_code == 403
    assert Client().get("/powers/enforcement/").status_code == 302
