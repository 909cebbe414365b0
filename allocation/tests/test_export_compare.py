"""The scenario comparison: its totals row on the page, its printout heading and its workbook (Chinese sheet name,
headers and file name with the date; a row per area and the totals)."""
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = pytest.mark.django_db

URL = "/quotas/scenarios/compare/xlsx/"


@pytest.fixture
def pair(setting):
    """Two computed scenarios of the three-area city: 方案 by largest remainder (79, 26, 46) and 方案乙 by D'Hondt."""
    one = make_scenario(setting)
    two = make_scenario(setting, name="方案乙", method="dhondt")
    for scenario in (one, two):
        recompute_scenario(scenario.pk)
    return one, two


def test_the_page_totals_each_scenario_and_the_holding(client, make_user, pair):
    one, two = pair
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get("/quotas/scenarios/compare/", {"ids": [one.pk, two.pk]})

    totals = response.context["totals"]
    assert totals["cells"][0]["result"] == 79 + 26 + 46
    for column, cell in enumerate(totals["cells"]):
        assert cell["result"] == sum(area["cells"][column]["result"] for area in response.context["areas"])
        assert cell["difference"] == cell["result"] - totals["current"]
    html = response.content.decode()
    assert 'id="compare-totals"' in html and "css/print.css" in html
    assert f'href="{URL}?ids={one.pk}&amp;ids={two.pk}"' in html
    assert response.context["print_filters"] == [("方案", one.name), ("方案", "方案乙")]


def test_the_workbook(client, make_user, pair):
    one, two = pair
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL, {"ids": [one.pk, two.pk]})

    assert response.status_code == 200
    name = f"方案比较-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"].lower() == f"attachment; filename*=utf-8''{quote(name)}".lower()
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "方案比较"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[3]
    assert header[:2] == ["区划代码", "行政区划"] and header[3] == f"{one.name} 核定总量" and header[6] == "方案乙 增减"
    areas, totals = rows[4:-1], rows[-1]
    assert [row[0] for row in areas] == ["230102", "230103", "230123"]
    assert [row[3] for row in areas] == [79, 26, 46]
    assert totals[0] == "合计" and totals[3] == 151
    assert totals[5] == sum(row[5] for row in areas)


def test_a_comparison_that_cannot_be_made_answers_400(client, make_user, pair):
    one, _two = pair
    client.force_login(make_user(Role.CITY_OFFICE))

    assert client.get(URL, {"ids": [one.pk]}).status_code == 400
    assert client.get(URL, {"ids": [one.pk, "x"]}).status_code == 400
