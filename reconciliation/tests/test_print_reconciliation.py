"""The reconciliation's printout: every unit the filters select (not a page of 50), the totals row read from the
selector's totals, what it is (title, quota type, filters, date), scoped like the page."""
import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from reconciliation.choices import ReconciliationFlag

pytestmark = pytest.mark.django_db

URL = "/positions/reconciliation/print/"


@pytest.fixture
def units(daoli, nangang, fund, filing):
    """道里: 图书馆 20 quotas, posts 4 m + 14 p + 2 w, staff 3 m + 10 p + 2 w; 档案馆 8 quotas, staff 2 m + 6 p + 2 w
    (2 over quota), no plan. 南岗: 少年宫 5 quotas, no plan, no staff count."""
    culture = AgencyFactory(region=daoli, name="道里区文化局")
    library = InstitutionFactory(region=daoli, name="道里区图书馆", supervisor=culture)
    archive = InstitutionFactory(region=daoli, name="道里区档案馆")
    palace = InstitutionFactory(region=nangang, name="南岗区少年宫")
    fund(library, 20)
    fund(archive, 8)
    fund(palace, 5)
    PositionPlanFactory(institution=library, document=filing,
                        **plan_counts(management=4, professional=(1, 2, 5, 6), worker=2))
    StaffCountFactory(institution=library, **staff_counts(management=3, professional=(1, 2, 3, 4), worker=2))
    StaffCountFactory(institution=archive, **staff_counts(management=2, professional=(0, 1, 2, 3), worker=2))
    return {"culture": culture, "library": library, "archive": archive, "palace": palace}


def test_the_url_is_the_reconciliations():
    assert reverse("reconciliation:reconciliation-print") == URL


def test_the_printout_holds_the_totals_worked_by_hand(client, make_user, units):
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL)

    assert response.status_code == 200
    totals = response.context["totals"]
    # approved 20 + 8 + 5; staff 15 + 10 + 0; vacant 5 + 0 + 5; over quota 0 + 2 + 0; posts only the library's.
    assert (totals["units"], totals["approved_sum"], totals["staff_sum"]) == (3, 33, 25)
    assert (totals["vacant_sum"], totals["over_quota_sum"], totals["reserved_sum"]) == (10, 2, 0)
    assert (totals["posts_sum"], totals["posts_management_sum"], totals["posts_professional_sum"],
            totals["posts_worker_sum"]) == (20, 4, 14, 2)
    assert (totals["staff_management_sum"], totals["staff_professional_sum"], totals["staff_worker_sum"]) == (5, 16, 4)
    assert (totals["no_plan_units"], totals["over_quota_units"], totals["vacant_units"]) == (2, 1, 2)
    html = response.content.decode()
    footer = html[html.index('id="printed-totals"'):html.index("</tfoot>")]
    for figure in ('<td class="num">33</td>', '<td class="num">25</td>', '<td class="num">10</td>'):
        assert figure in footer


def test_the_printout_and_the_page_show_the_same_totals(client, make_user, units):
    client.force_login(make_user(Role.CITY_OFFICE))

    page = client.get("/positions/reconciliation/").context["totals"]
    printout = client.get(URL).context["totals"]

    assert page == printout


def test_the_printout_holds_every_filtered_unit_not_one_page(client, make_user, daoli, nangang, fund):
    for number in range(53):
        unit = InstitutionFactory(region=daoli, name=f"道里区单位{number:02d}")
        if number < 3:
            fund(unit, 2)
    InstitutionFactory(region=nangang, name="南岗区少年宫")
    client.force_login(make_user(Role.CITY_OFFICE))

    page = client.get("/positions/reconciliation/", {"region": daoli.pk})
    response = client.get(URL, {"region": daoli.pk})

    assert len(page.context["rows"]) == 50
    rows = response.context["rows"]
    assert len(rows) == 53 and {row.region_name for row in rows} == {"道里区"}
    assert response.content.decode().count('class="unit-row"') == 53
    assert response.context["totals"]["units"] == 53 and response.context["totals"]["approved_sum"] == 6


def test_the_printout_says_what_it_is(client, make_user, units, daoli):
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL, {"region": daoli.pk, "flag": "over_quota", "on": "2026-06-30"})

    context = response.context
    assert context["print_title"] == "编岗人比对"
    assert context["print_quota_type"] == "事业编制"
    assert context["print_filters"] == [("行政区划", "道里区"), ("标记", str(ReconciliationFlag.OVER_QUOTA.label))]
    assert context["print_as_of"] == datetime.date(2026, 6, 30)
    assert [row.name for row in context["rows"]] == ["道里区档案馆"]
    html = response.content.decode()
    assert 'id="print-heading"' in html and "2026-06-30" in html and "css/print.css" in html


def test_a_district_office_prints_its_own_region_only(client, make_user, units, daoli, nangang):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    response = client.get(URL)
    foreign = client.get(URL, {"region": nangang.pk})

    assert {row.name for row in response.context["rows"]} == {"道里区图书馆", "道里区档案馆"}
    assert response.context["totals"]["approved_sum"] == 28
    assert "region" in foreign.context["errors"]


def test_the_page_links_to_its_printout_and_workbook_with_its_filters(client, make_user, units, daoli):
    client.force_login(make_user(Role.HR_BUREAU))

    html = client.get("/positions/reconciliation/", {"region": daoli.pk, "page": 1}).content.decode()

    assert f'href="{URL}?region={daoli.pk}"' in html
    assert f'href="/positions/reconciliation/xlsx/?region={daoli.pk}"' in html


def test_the_printout_needs_a_login_and_a_role(client, make_user, units):
    assert client.get(URL).status_code == 302
    client.force_login(make_user(None))
    assert client.get(URL).status_code == 403


def test_each_printed_row_holds_its_unit_s_figures_worked_by_hand(client, make_user, units):
    """The cells under the heading's columns: unit, approved, borrowed, posts (m, p, w, total), staff (m, p, w),
    staff in quota, reserved, vacant, over quota, staff over posts (m, p, w), flags, direction."""
    from lxml import html as lxml_html

    client.force_login(make_user(Role.CITY_OFFICE))
    page = lxml_html.document_fromstring(client.get(URL).content.decode())
    rows = {row.xpath("td[1]/text()")[0]: [cell.text_content() for cell in row.xpath("td")[1:]]
            for row in page.xpath("//tr[@class='unit-row']")}

    library, archive, palace = rows["道里区图书馆"], rows["道里区档案馆"], rows["南岗区少年宫"]
    # 图书馆: 20 quotas, posts 4 + 14 + 2 = 20, staff 3 + 10 + 2 = 15: 5 vacant, none over.
    assert library[:16] == ["20", "", "4", "14", "2", "20", "3", "10", "2", "15", "", "5", "0", "0", "0", "0"]
    # 档案馆: 8 quotas, no plan, staff 2 + 6 + 2 = 10: 2 over quota.
    assert archive[:2] == ["8", ""] and archive[2] == "无岗位设置方案" and archive[3:6] == ["2", "6", "2"]
    assert archive[6:10] == ["10", "", "0", "2"]
    # 少年宫: no plan, no staff count.
    assert palace[2:4] == ["无岗位设置方案", "无实有人员数"]
    assert "道里区文化局" in page.xpath("//tr[@class='unit-row'][td[1]/text()='道里区图书馆']/td[1]/small")[0].text
    assert all(row[-1] for row in rows.values())  # each with its direction's sentence
