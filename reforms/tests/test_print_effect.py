"""The reform's effect printed and exported: the printout says what it is (title, quota type, the dates asked for,
as of, printed on) and prints on A4; the workbook is named by the report and its dates."""
from urllib.parse import quote

import pytest
from django.utils.translation import gettext

from reforms.tests.test_effect import DATES, _toy_city, city, clerk, daoli, toy, yilan  # noqa: F401 -- its toy city

pytestmark = pytest.mark.django_db


def test_the_printout_says_what_it_is(client, clerk, toy):  # noqa: F811
    client.force_login(clerk)

    response = client.get("/reforms/effect/", {**DATES, "quota_type": "institutional"})

    context = response.context
    assert context["print_title"] == "改革成效" and context["print_quota_type"] == "事业编制"
    assert [value for _label, value in context["print_filters"]] == [DATES["previous"], DATES["before"],
                                                                     DATES["after"]]
    assert context["print_as_of"].isoformat() == DATES["after"]
    html = response.content.decode()
    assert 'class="print-only"' in html and 'id="print-heading"' in html and "css/print.css" in html
    assert "data-print" in html and 'href="/reforms/effect/xlsx/?' in html


def test_the_workbook_is_named_by_the_report_and_its_dates(client, clerk, toy):  # noqa: F811
    client.force_login(clerk)

    response = client.get("/reforms/effect/xlsx/", DATES)

    name = f"{gettext('reform-effect')}-{DATES['before']}-{DATES['after']}.xlsx"  # 改革成效-2024-12-31-2025-12-31
    assert response.status_code == 200
    assert response["Content-Disposition"].lower() == f"attachment; filename*=utf-8''{quote(name)}".lower()
