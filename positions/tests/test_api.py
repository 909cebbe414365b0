"""Positions API: who may write what, refusals with the rule named, scoping, filters and fixed query counts."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import Role
from accounts.tests.api_cases import ScopedResourceTests
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.models import PositionPlan, StaffCount
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from quotas import services as ledger
from quotas.models import QuotaAccount, QuotaTransfer
from reconciliation.models import PositionDirectionNotice

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def funded(unit, fund):
    fund(unit, 10)
    return unit


def plan_body(unit, filing, **change):
    body = {"institution": unit.pk, "effective_date": "2025-01-01", "document": filing.pk,
            "main_post_type": "professional_service",
            **plan_counts(management=1, professional=(0, 1, 2, 6), worker=0)}
    body.update(change)
    return body


def counts():
    return PositionPlan.objects.count(), StaffCount.objects.count(), PositionDirectionNotice.objects.count()


# --- plans ----------------------------------------------------------------------------------------------------
def test_hr_enters_a_plan_and_sees_its_warnings(api_client, as_role, funded, filing):
    hr_user = as_role(Role.HR_BUREAU)

    response = api_client.post("/api/v1/position-plans/", plan_body(
        funded, filing, **plan_counts(management=4, professional=(0, 0, 1, 5))), format="json", **EN)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["total"], body["entered_by"], body["region_code"]) == (
        1, 10, hr_user.username, "230102")
    assert body["bands"] == {"senior_full": 0, "senior_deputy": 0, "intermediate": 1, "junior": 5}
    assert [finding["rule"] for finding in body["findings"]] == ["professional_share_min"]
    assert body["findings"][0]["message"] == (
        "Rule “Minimum share of professional-technical posts”: professional-technical posts are 60% of the total, "
        "below the minimum of 70%."
    )


def test_a_plan_breaking_a_binding_rule_answers_400_naming_rule_figure_and_limit(api_client, as_role, funded, filing):
    as_role(Role.HR_BUREAU)
    before = counts()

    response = api_client.post("/api/v1/position-plans/", plan_body(
        funded, filing, **plan_counts(management=1, professional=(0, 1, 2, 8))), format="json", **EN)

    assert response.status_code == 400
    assert response.json()["errors"] == {"total": [
        "Rule “Position total within approved quotas (binding)”: the position total is 12, above the limit of 10 "
        "set by the approved quotas."
    ]}
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"management": -1, "management_8": -1, "total": 8}, "management"),
        ({"professional_12": 7}, "professional"),
        ({"total": 11}, "total"),
        ({"effective_date": "2019-12-31"}, "effective_date"),
        ({"document": None}, "document"),
        ({"institution": 999999}, "institution"),
    ],
)
def test_bad_plans_answer_400_with_the_field_and_write_nothing(api_client, as_role, daoli, fund, filing, change,
                                                               field):
    unit = InstitutionFactory(region=daoli, established_on=datetime.date(2020, 1, 1))
    fund(unit, 10)
    as_role(Role.HR_BUREAU)
    before = counts()

    response = api_client.post("/api/v1/position-plans/", plan_body(unit, filing, **change), format="json", **EN)

    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"message", "code", "errors", "codes"}
    assert field in response.json()["errors"], response.json()
    assert counts() == before


def test_a_plan_for_an_abolished_unit_is_refused(api_client, as_role, daoli, filing):
    gone = InstitutionFactory(region=daoli, status="abolished", ended_on=datetime.date(2024, 6, 30))
    as_role(Role.HR_BUREAU)

    response = api_client.post("/api/v1/position-plans/", plan_body(gone, filing), format="json", **EN)

    assert response.status_code == 400
    assert "a unit must exist on the date" in response.json()["errors"]["institution"][0]


def test_hr_corrects_a_plan_with_the_same_checks(api_client, as_role, funded, filing):
    as_role(Role.HR_BUREAU)
    plan_id = api_client.post("/api/v1/position-plans/", plan_body(funded, filing), format="json").json()["id"]

    refused = api_client.patch(f"/api/v1/position-plans/{plan_id}/",
                               plan_counts(management=2, professional=(0, 1, 2, 6)), format="json")
    fixed = api_client.patch(f"/api/v1/position-plans/{plan_id}/", {"note": "更正", "main_post_type": "support"},
                             format="json")
    moved = api_client.patch(f"/api/v1/position-plans/{plan_id}/", {"institution": InstitutionFactory().pk},
                             format="json")

    assert refused.status_code == 400 and "total" in refused.json()["errors"]
    assert fixed.status_code == 200 and fixed.json()["note"] == "更正"
    assert [finding["rule"] for finding in fixed.json()["findings"]] == ["worker_share_min"]
    assert moved.status_code == 400
    assert PositionPlan.objects.get(pk=plan_id).institution == funded


# --- staff counts ---------------------------------------------------------------------------------------------
def test_hr_records_staff_counts_and_bad_bands_are_refused(api_client, as_role, funded):
    as_role(Role.HR_BUREAU)
    body = {"institution": funded.pk, "as_of": "2025-06-30",
            **staff_counts(management=2, professional=(0, 1, 2, 3), worker=1)}

    created = api_client.post("/api/v1/staff-counts/", body, format="json")
    refused = api_client.post("/api/v1/staff-counts/", {**body, "as_of": "2025-07-31", "junior": 5},
                              format="json", **EN)
    negative = api_client.post("/api/v1/staff-counts/", {**body, "as_of": "2025-08-31", "worker": -1},
                               format="json")

    assert created.status_code == 201 and created.json()["total"] == 9
    assert refused.status_code == 400
    assert refused.json()["errors"]["professional"][0].startswith("Staff by band must add up")
    assert negative.status_code == 400 and "worker" in negative.json()["errors"]
    assert StaffCount.objects.count() == 1


# --- the ledger stays the city office's ------------------------------------------------------------------------
def test_the_hr_bureau_cannot_move_quotas(api_client, as_role, funded, document):
    as_role(Role.HR_BUREAU)
    quota_type = ledger.quota_type_get()
    pool = ledger.account_for_region(region=funded.region, quota_type=quota_type)
    account = QuotaAccount.objects.get(institution=funded)
    before = (dict(QuotaAccount.objects.values_list("pk", "balance")), QuotaTransfer.objects.count())

    response = api_client.post("/api/v1/quota-transfers/", {
        "kind": "reclaim", "source": account.pk, "target": pool.pk, "amount": 2, "document": document.pk,
        "effective_date": "2025-02-01",
    }, format="json")

    assert response.status_code == 403
    assert (dict(QuotaAccount.objects.values_list("pk", "balance")), QuotaTransfer.objects.count()) == before
    assert api_client.get("/api/v1/quota-accounts/").status_code == 200  # HR reads quotas


# --- reconciliation -------------------------------------------------------------------------------------------
@pytest.fixture
def reconciled(daoli, nangang, fund, filing):
    """道里区: 图书馆 (20 approved, 15 staff), 档案馆 (8 approved, 10 staff); 南岗区: 少年宫 (5, 5)."""
    culture = AgencyFactory(region=daoli, name="道里区文化局")
    library = InstitutionFactory(region=daoli, name="道里区图书馆", supervisor=culture, category="public_welfare_1")
    archive = InstitutionFactory(region=daoli, name="道里区档案馆", category="public_welfare_2")
    palace = InstitutionFactory(region=nangang, name="南岗区少年宫")
    for unit, approved, posts, staff in (
        (library, 20, (4, (1, 2, 5, 6), 2), (3, (1, 2, 3, 4), 2)),
        (archive, 8, (2, (0, 1, 2, 2), 1), (2, (0, 1, 2, 3), 2)),
        (palace, 5, (1, (0, 0, 2, 2), 0), (1, (0, 0, 2, 2), 0)),
    ):
        fund(unit, approved)
        PositionPlanFactory(institution=unit, document=filing,
                            **plan_counts(management=posts[0], professional=posts[1], worker=posts[2]))
        StaffCountFactory(institution=unit,
                          **staff_counts(management=staff[0], professional=staff[1], worker=staff[2]))
    return {"culture": culture, "library": library, "archive": archive, "palace": palace}


def test_reconciliation_rows_carry_every_figure_and_the_direction(api_client, as_role, reconciled):
    as_role(Role.HR_BUREAU)

    response = api_client.get("/api/v1/reconciliation/", {"region_code": "230102"}, **EN)

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    library = rows["道里区图书馆"]
    assert (library["approved"], library["staff_total"], library["vacant"], library["over_quota"]) == (20, 15, 5, 0)
    assert library["posts"]["professional"] == 14 and library["staff"]["intermediate"] == 3
    assert library["short"] == {"professional": 4, "management": 1, "worker": 0}
    assert library["direction"] == {"code": "allocate", "allocation": {"professional": 4, "management": 1},
                                    "unmatched": 0, "notes": []}
    assert library["sentence"] == "Vacant quotas (5) go to posts lacking staff: 4 professional-technical, 1 management."
    assert library["supervisor_name"] == "道里区文化局"
    assert rows["道里区档案馆"]["flags"] == ["over_quota", "over_position_professional", "over_position_worker"]
    assert set(rows) == {"道里区图书馆", "道里区档案馆"}


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"flag": "over_quota"}, {"道里区档案馆"}),
        ({"flag": "vacant"}, {"道里区图书馆"}),
        ({"flag": "at_quota"}, {"南岗区少年宫"}),
        ({"flag": "over_position_worker"}, {"道里区档案馆"}),
        ({"category": "public_welfare_2"}, {"道里区档案馆"}),
        ({"name": "少年"}, {"南岗区少年宫"}),
    ],
)
def test_reconciliation_filters(api_client, as_role, reconciled, params, names):
    as_role(Role.CITY_OFFICE)

    response = api_client.get("/api/v1/reconciliation/", params)

    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == names


def test_reconciliation_filters_by_region_and_supervisor_ids(api_client, as_role, reconciled, nangang):
    as_role(Role.CITY_OFFICE)

    by_region = api_client.get("/api/v1/reconciliation/", {"region": nangang.pk}).json()["results"]
    by_supervisor = api_client.get("/api/v1/reconciliation/", {"supervisor": reconciled["culture"].pk}).json()

    assert [row["name"] for row in by_region] == ["南岗区少年宫"]
    assert [row["name"] for row in by_supervisor["results"]] == ["道里区图书馆"]
    assert api_client.get("/api/v1/reconciliation/", {"flag": "nonsense"}).status_code == 400
    assert api_client.get("/api/v1/reconciliation/", {"on": "2026-13-01"}).status_code == 400


def test_reconciliation_orders_by_computed_figures(api_client, as_role, reconciled):
    as_role(Role.CITY_OFFICE)

    rows = api_client.get("/api/v1/reconciliation/", {"ordering": "-vacant"}).json()["results"]

    assert [row["vacant"] for row in rows] == [5, 0, 0]


def test_reconciliation_of_a_past_date_and_one_unit(api_client, as_role, reconciled):
    as_role(Role.CITY_OFFICE)
    library = reconciled["library"]

    old = api_client.get(f"/api/v1/reconciliation/{library.pk}/", {"on": "2023-12-31"}).json()
    now = api_client.get(f"/api/v1/reconciliation/{library.pk}/").json()

    assert (old["approved"], old["plan_id"], old["staff_count_id"]) == (0, None, None)
    assert (now["approved"], now["vacant"]) == (20, 5)


def test_a_district_office_reconciles_its_own_region_only(api_client, as_role, reconciled, daoli):
    as_role(Role.DISTRICT_OFFICE, region=daoli)

    names = {row["name"] for row in api_client.get("/api/v1/reconciliation/").json()["results"]}

    assert names == {"道里区图书馆", "道里区档案馆"}
    assert api_client.get(f"/api/v1/reconciliation/{reconciled['palace'].pk}/").status_code == 404


def test_a_reconciliation_page_costs_the_same_queries_whatever_its_size(api_client, as_role, daoli, fund, filing):
    for number in range(12):
        unit = InstitutionFactory(region=daoli, supervisor=AgencyFactory(region=daoli))
        fund(unit, 10 + number)
        PositionPlanFactory(institution=unit, document=filing)
        StaffCountFactory(institution=unit)
    as_role(Role.CITY_OFFICE)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get("/api/v1/reconciliation/", {"page_size": page_size})
        assert response.status_code == 200 and len(response.json()["results"]) == page_size
        return len(captured)

    api_client.get("/api/v1/reconciliation/")  # the user's roles, read once and kept on the user
    assert queries(1) == queries(12) == 2  # the count and the page


# --- notices --------------------------------------------------------------------------------------------------
def test_the_city_office_issues_notices_and_hr_may_not(api_client, as_role, reconciled, document):
    library = reconciled["library"]
    as_role(Role.HR_BUREAU)
    assert api_client.post("/api/v1/position-notices/", {"institution": library.pk, "document": document.pk},
                           format="json").status_code == 403

    as_role(Role.CITY_OFFICE)
    unit = api_client.post("/api/v1/position-notices/", {"institution": library.pk, "document": document.pk,
                                                         "issued_on": "2026-03-02"}, format="json", **EN)
    batch = api_client.post("/api/v1/position-notices/", {"supervisor": reconciled["culture"].pk,
                                                          "document": document.pk, "issued_on": "2026-03-03"},
                            format="json")
    both = api_client.post("/api/v1/position-notices/", {"supervisor": reconciled["culture"].pk,
                                                         "institution": library.pk, "document": document.pk},
                           format="json")

    assert unit.status_code == 201, unit.json()
    assert (unit.json()["number"], unit.json()["kind"]) == ("哈编岗通〔2026〕1号", "unit")
    assert unit.json()["figures"]["vacant"] == 5
    assert unit.json()["sentence"].startswith("Vacant quotas (5)")
    assert batch.status_code == 201 and batch.json()["number"] == "哈编岗通〔2026〕2号"
    assert PositionDirectionNotice.objects.filter(batch_id=batch.json()["id"]).count() == 1
    assert both.status_code == 400


def test_notices_download_as_docx_and_html(api_client, as_role, reconciled, document):
    as_role(Role.CITY_OFFICE)
    notice_id = api_client.post("/api/v1/position-notices/", {"institution": reconciled["library"].pk,
                                                              "document": document.pk}, format="json").json()["id"]
    as_role(Role.AUDITOR)

    docx = api_client.get(f"/api/v1/position-notices/{notice_id}/docx/")
    html = api_client.get(f"/api/v1/position-notices/{notice_id}/html/")

    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert html.status_code == 200 and "道里区图书馆" in html.content.decode()


def test_rule_sets_are_listed_with_their_sources(api_client, as_role):
    as_role(Role.HR_BUREAU)

    rule_sets = api_client.get("/api/v1/position-rule-sets/").json()

    assert {rule_set["ratio"] for rule_set in rule_sets} == {"1:3:6", "2:4:4", "0.5:3:6.5"}
    assert all("国人部发〔2006〕70号" in rule_set["source"] for rule_set in rule_sets)
    with translation.override("en"):
        national = next(rule_set for rule_set in rule_sets if rule_set["level"] == "national")
    binding = {rule["code"] for rule in national["rules"] if rule["is_binding"]}
    assert binding == {"total_within_quota", "leadership_within_posts"}


def test_the_schema_builds(api_client, as_role):
    as_role(Role.CITY_OFFICE)

    assert api_client.get("/api/schema/").status_code == 200


# --- generated tests of the region-scoped resources (accounts.tests.api_cases) ----------------------------------
class TestPositionPlanResource(ScopedResourceTests):
    url = "/api/v1/position-plans/"
    model = PositionPlan
    writer_roles = (Role.HR_BUREAU, Role.CITY_OFFICE)
    update_payload = {"note": "更正说明"}
    list_queries = 5  # roles, profile, the district's sub-regions (once a request), count, page

    @pytest.fixture
    def make_row(self, fund, filing):
        def make(region):
            unit = InstitutionFactory(region=region)
            fund(unit, 10)
            return PositionPlanFactory(institution=unit, document=filing)

        return make

    @pytest.fixture
    def create_payload(self, our_region, fund, filing):
        unit = InstitutionFactory(region=our_region)
        fund(unit, 10)
        return plan_body(unit, filing)


class TestStaffCountResource(ScopedResourceTests):
    url = "/api/v1/staff-counts/"
    model = StaffCount
    writer_roles = (Role.HR_BUREAU, Role.CITY_OFFICE)
    update_payload = {"worker": 2, "note": "年中更正"}
    list_queries = 5  # roles, profile, the district's sub-regions (once a request), count, page

    @pytest.fixture
    def make_row(self):
        return lambda region: StaffCountFactory(institution=InstitutionFactory(region=region))

    @pytest.fixture
    def create_payload(self, our_region):
        return {"institution": InstitutionFactory(region=our_region).pk, "as_of": "2025-06-30",
                **staff_counts(management=2, professional=(0, 1, 2, 3), worker=1)}
