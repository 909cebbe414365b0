"""An institution's timeline and lineage: its life events in date order, the units it came from and went on in (either
side of a pair of events is enough), its successor and former names in its representation, a former name found by
search, region scoping, and the admin's change page showing the same."""
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from accounts.tests.api_cases import assert_error_shape
from institutions.models import Institution, InstitutionEvent, LifeEventKind
from institutions.tests.factories import DocumentFactory, InstitutionFactory
from reforms import services
from reforms.models import OperationKind
from reforms.tests.conftest import *  # noqa: F403 -- city, daoli, nangang, clerk, staffed, reform_document ...
from reforms.tests.conftest import PLAN_DAY

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def execute(plan, clerk, document):
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=document)
    return services.reform_plan_execute(plan=plan, by=clerk)


@pytest.fixture
def merger(daoli, staffed, clerk, reform_document):
    """道里区甲中心 (10 quotas, 6 staff) and 道里区乙中心 (5 quotas, 4 staff) merged by the reform services into a new
    道里区丙中心 on PLAN_DAY: 15 quotas for 10 staff, nothing to place."""
    a = staffed(InstitutionFactory(region=daoli, name="道里区甲中心"), 10, management=2, professional=(0, 1, 2, 1))
    b = staffed(InstitutionFactory(region=daoli, name="道里区乙中心"), 5, management=1, professional=(0, 1, 1, 1))
    plan = services.reform_plan_create(by=clerk, region=daoli, title="道里区中心整合", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MERGE, new_name="道里区丙中心",
                                   sources=[a, b], reason="职能相近")
    assert services.reform_plan_preview(plan)["problems"] == []
    execute(plan, clerk, reform_document)
    return a, b, Institution.objects.get(name="道里区丙中心")


def timeline(api_client, unit):
    response = api_client.get(f"/api/v1/institutions/{unit.pk}/timeline/", **EN)
    assert response.status_code == 200, response.json()
    return response.json()


def names(units: list[dict]) -> list[str]:
    return [unit["name"] for unit in units]


# --- the timeline -------------------------------------------------------------------------------------------


def test_the_survivor_of_a_merger_shows_what_it_took_in(api_client, as_role, merger, reform_document):
    a, b, c = merger
    as_role(Role.AUDITOR)

    body = timeline(api_client, c)

    assert (body["id"], body["name"], body["successor"]) == (c.pk, "道里区丙中心", None)
    # Same date: in the order they were written, the merged units in the registry's order (乙 U+4E59 before 甲 U+7532).
    assert [(event["kind"], event["related_name"]) for event in body["events"]] == [
        ("established", None), ("absorbed", "道里区乙中心"), ("absorbed", "道里区甲中心")]
    absorbed = body["events"][2]
    assert {key: absorbed[key] for key in ("kind_display", "date", "region_code", "region_name", "related",
                                            "document_number", "detail", "from_region")} == {
        "kind_display": "Took in by merger", "date": "2026-03-01", "region_code": "230102", "region_name": "道里区",
        "related": a.pk, "document_number": reform_document.number, "detail": "职能相近", "from_region": None}
    assert names(body["predecessors"]) == ["道里区乙中心", "道里区甲中心"]
    assert {unit["status"] for unit in body["predecessors"]} == {"merged"}
    assert body["successors"] == []


def test_a_merged_unit_shows_where_it_went(api_client, as_role, merger):
    a, _b, c = merger
    as_role(Role.DISTRICT_OFFICE, region=a.region)

    body = timeline(api_client, a)
    listed = api_client.get(f"/api/v1/institutions/{a.pk}/").json()

    assert [(event["kind"], event["related"], event["date"]) for event in body["events"]] == [
        ("merged_into", c.pk, "2026-03-01")]
    assert body["successor"] == c.pk
    assert [(unit["id"], unit["status"], unit["ended_on"]) for unit in body["successors"]] == [
        (c.pk, "active", None)]
    assert body["predecessors"] == []
    assert (listed["successor"], listed["successor_name"], listed["status"]) == (c.pk, "道里区丙中心", "merged")


def test_events_come_in_date_order_and_one_side_of_a_pair_is_enough(api_client, as_role, daoli, city):
    """Events written directly: a split recorded only on the source, a split-off recorded only on the new unit."""
    unit = InstitutionFactory(region=daoli, name="道里区综合服务中心")
    parent = InstitutionFactory(region=city, name="哈尔滨市服务中心")
    offspring = InstitutionFactory(region=daoli, name="道里区政务服务中心")
    document = DocumentFactory()

    def event(institution, kind, on, **extra):
        return InstitutionEvent.objects.create(institution=institution, kind=kind, date=on, document=document,
                                               region=institution.region, **extra)

    event(unit, LifeEventKind.SPLIT_INTO, datetime.date(2022, 5, 1), related=offspring)
    event(unit, LifeEventKind.SPLIT_FROM, datetime.date(2015, 1, 1), related=parent)
    event(unit, LifeEventKind.DEVOLVED, datetime.date(2018, 7, 1), from_region=city)
    event(unit, LifeEventKind.ESTABLISHED, datetime.date(2015, 1, 1))
    as_role(Role.CITY_OFFICE)

    own = timeline(api_client, unit)
    theirs = timeline(api_client, offspring)
    above = timeline(api_client, parent)

    assert [(event["date"], event["kind"]) for event in own["events"]] == [
        ("2015-01-01", "split_from"), ("2015-01-01", "established"), ("2018-07-01", "devolved"),
        ("2022-05-01", "split_into")]
    devolved = own["events"][2]
    assert (devolved["from_region_code"], devolved["from_region_name"], devolved["region_code"]) == (
        "230100", "哈尔滨市（市本级）", "230102")
    assert (names(own["predecessors"]), names(own["successors"])) == (["哈尔滨市服务中心"], ["道里区政务服务中心"])
    assert (theirs["events"], names(theirs["predecessors"]), theirs["successors"]) == ([], ["道里区综合服务中心"], [])
    assert (names(above["predecessors"]), names(above["successors"])) == ([], ["道里区综合服务中心"])


def test_a_district_office_asking_another_regions_timeline_gets_404(api_client, as_role, merger, nangang):
    _a, _b, c = merger
    as_role(Role.DISTRICT_OFFICE, region=nangang)

    response = api_client.get(f"/api/v1/institutions/{c.pk}/timeline/")

    assert response.status_code == 404
    assert_error_shape(response)
    assert response.json()["code"] == "not_found"


def test_the_timeline_costs_the_same_queries_however_long_the_life(api_client, as_role, daoli):
    unit = InstitutionFactory(region=daoli)
    document = DocumentFactory()
    user = as_role(Role.CITY_OFFICE)
    counts = []
    for added in (1, 6):
        for _event in range(added):
            InstitutionEvent.objects.create(institution=unit, kind=LifeEventKind.ABSORBED, date=PLAN_DAY,
                                            document=document, region=daoli, related=InstitutionFactory(region=daoli))
        api_client.force_authenticate(type(user).objects.get(pk=user.pk))  # roles not cached from a prior request
        with CaptureQueriesContext(connection) as queries:
            body = timeline(api_client, unit)
        assert len(body["events"]) == len(body["predecessors"]) == {1: 1, 6: 7}[added]
        counts.append(len(queries))

    # roles, the unit, its renamings (the list's prefetch), the events, the predecessors, the successors
    assert counts == [6, 6]


# --- former names -------------------------------------------------------------------------------------------


@pytest.fixture
def renamed(daoli, clerk, reform_document):
    """道里区档案馆, renamed 道里区档案史志馆 by a reform plan on PLAN_DAY."""
    unit = InstitutionFactory(region=daoli, name="道里区档案馆")
    plan = services.reform_plan_create(by=clerk, region=daoli, title="档案馆更名", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.RENAME, institution=unit,
                                   new_name="道里区档案史志馆")
    execute(plan, clerk, reform_document)
    unit.refresh_from_db()
    return unit


def test_a_renamed_unit_carries_its_former_name(api_client, as_role, renamed):
    as_role(Role.CITY_OFFICE)

    body = api_client.get(f"/api/v1/institutions/{renamed.pk}/").json()
    events = timeline(api_client, renamed)["events"]

    assert (body["name"], body["former_names"]) == ("道里区档案史志馆", ["道里区档案馆"])
    assert [(event["kind"], event["former_name"]) for event in events] == [("renamed", "道里区档案馆")]


def test_search_and_the_name_filter_find_a_unit_by_its_former_name(api_client, as_role, renamed, daoli, nangang):
    InstitutionFactory(region=daoli, name="道里区图书馆")
    InstitutionFactory(region=nangang, name="南岗区馆藏中心")
    as_role(Role.CITY_OFFICE)

    def found(query: str) -> list[str]:
        response = api_client.get(f"/api/v1/institutions/?{query}")
        assert response.status_code == 200, response.json()
        return [item["name"] for item in response.json()["results"]]

    assert found("search=档案馆") == ["道里区档案史志馆"]  # the name now is 档案史志馆: only the former name has 档案馆
    assert found("name=档案馆") == ["道里区档案史志馆"]
    assert found("search=档案馆 230102") == ["道里区档案史志馆"]  # each term in some field or a former name
    assert found("search=档案馆 230103") == []
    assert sorted(found("search=馆")) == sorted(["道里区档案史志馆", "道里区图书馆", "南岗区馆藏中心"])
    assert found("search=史志") == ["道里区档案史志馆"]


def test_a_former_name_from_another_kind_of_event_is_not_a_former_name(api_client, as_role, daoli):
    unit = InstitutionFactory(region=daoli, name="道里区档案史志馆")
    InstitutionEvent.objects.create(institution=unit, kind=LifeEventKind.CORRECTED, date=PLAN_DAY,
                                    document=DocumentFactory(), region=daoli, former_name="道里区档按馆")
    as_role(Role.CITY_OFFICE)

    body = api_client.get(f"/api/v1/institutions/{unit.pk}/").json()
    searched = api_client.get("/api/v1/institutions/?search=档按馆").json()

    assert body["former_names"] == []
    assert searched["count"] == 0


# --- the admin ----------------------------------------------------------------------------------------------


def test_the_admin_change_page_shows_the_events_and_links_the_lineage(admin_client, merger):
    a, b, c = merger

    survivor = admin_client.get(f"/admin/institutions/institution/{c.pk}/change/")
    merged = admin_client.get(f"/admin/institutions/institution/{a.pk}/change/")

    assert survivor.status_code == merged.status_code == 200
    lineage = survivor.context["lineage"]
    assert [item["event"].kind for item in lineage["events"]] == ["established", "absorbed", "absorbed"]
    assert sorted((item["unit"].pk, item["url"]) for item in lineage["predecessors"]) == sorted([
        (a.pk, f"/admin/institutions/institution/{a.pk}/change/"),
        (b.pk, f"/admin/institutions/institution/{b.pk}/change/")])
    page = survivor.content.decode()
    assert f'<a href="/admin/institutions/institution/{a.pk}/change/">道里区甲中心</a>' in page
    assert 'id="life-events"' in page
    assert f'<a href="/admin/institutions/institution/{c.pk}/change/">道里区丙中心</a>' in merged.content.decode()
    assert [item["unit"].pk for item in merged.context["lineage"]["successors"]] == [c.pk]


def test_a_related_unit_the_user_may_not_see_is_named_without_a_link(make_user, daoli, city):
    unit = InstitutionFactory(region=daoli, name="道里区政务服务中心")
    parent = InstitutionFactory(region=city, name="哈尔滨市服务中心")
    InstitutionEvent.objects.create(institution=unit, kind=LifeEventKind.SPLIT_FROM, date=PLAN_DAY,
                                    document=DocumentFactory(), region=daoli, related=parent)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli, is_staff=True))

    response = client.get(f"/admin/institutions/institution/{unit.pk}/change/")

    assert response.status_code == 200
    assert [(item["unit"].pk, item["url"]) for item in response.context["lineage"]["predecessors"]] == [
        (parent.pk, None)]
    assert [item["related_url"] for item in response.context["lineage"]["events"]] == [None]
    page = response.content.decode()
    assert "哈尔滨市服务中心" in page
    assert f"/admin/institutions/institution/{parent.pk}/change/" not in page


def test_the_add_page_has_no_lineage_section(admin_client):
    response = admin_client.get("/admin/institutions/institution/add/")

    assert response.status_code == 200
    assert "lineage" not in response.context
    assert 'id="lineage"' not in response.content.decode()


def test_the_admin_search_finds_a_unit_by_its_former_name(admin_client, renamed, daoli):
    InstitutionFactory(region=daoli, name="道里区图书馆")

    response = admin_client.get("/admin/institutions/institution/", {"q": "道里区档案馆"})

    assert [row.pk for row in response.context["cl"].result_list] == [renamed.pk]
