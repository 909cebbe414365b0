"""The permission table (``accounts.permission_table``) checked against the real API.

1. Every route registered under ``/api/v1/`` has its action in the table (the table fails closed: an action it
   does not list is refused), and the table lists nothing the API does not serve.
2. Generated: for every cell (each role and anonymous × resource × action), one request on the real URL built from
   the route, as a user of that role (the district office bound to a district, asking on a row of its region and
   on one of another region where the action is on a row). Allowed: neither 401 nor 403 (400, 404, 409 are fine:
   the body is empty); refused: 403 ``permission_denied`` (anonymous: 401). A district office writing another
   region's row gets 403 ``another_region`` (or 404 when scoping hides the row).

The data is built once for the module inside a transaction rolled back at its end; each request runs in its own
savepoint (the ``db`` fixture), so a request that changes something changes nothing for the next.
"""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts import permission_table
from accounts.permissions import view_action
from accounts.roles import Role
from conftest import rolled_back

MISSING_PK = 987654321  # a row that does not exist: the permission check comes before the lookup


# --- the routes -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    basename: str
    action: str
    method: str
    url_name: str  # in the "v1" namespace
    lookup: str | None  # the URL's keyword naming a row (``pk``, ``institution_id`` …); None: a list route

    @property
    def detail(self) -> bool:
        return self.lookup is not None


def _patterns(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def api_routes() -> list[Route]:
    """Every (resource, action, method) the API serves under ``/api/v1/``, from the URL conf."""
    v1 = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "v1")
    routes = set()
    for pattern in _patterns(v1):
        view = getattr(pattern.callback, "cls", None)
        if view is None:
            continue
        lookup = next((name for name in pattern.pattern.regex.groupindex if name != "format"), None)
        detail = lookup is not None
        actions = getattr(pattern.callback, "actions", None)
        if actions is None:  # a plain APIView: its methods stand for actions (GET on /me/ is "retrieve")
            actions = {method: None for method in view.http_method_names
                       if method not in ("head", "options") and hasattr(view, method)}
        for method, action in actions.items():
            if method in ("head", "options") or method not in view.http_method_names or (
                    action and not hasattr(view, action)):
                continue
            fake_view = type("V", (), {"action": action, "detail": detail})() if action else view
            fake_request = type("R", (), {"method": method.upper()})()
            basename = pattern.callback.initkwargs.get("basename") or getattr(view, "basename", None)
            routes.add(Route(basename, view_action(fake_request, fake_view), method, pattern.name, lookup))
    return sorted(routes, key=lambda r: (r.basename, r.action, r.method))


ROUTES = api_routes()


def test_every_route_of_the_api_is_in_the_table():
    missing = sorted({(r.basename, r.action) for r in ROUTES if not permission_table.listed(r.basename, r.action)})
    assert not missing, f"add these (resource, action) cells to accounts/permission_table.py: {missing}"


def test_the_table_lists_only_what_the_api_serves():
    served = {(r.basename, r.action) for r in ROUTES}
    stale = sorted((resource, action) for resource, row in permission_table.TABLE.items() for action in row.actions
                   if (resource, action) not in served)
    assert not stale, f"the table lists actions no route serves: {stale}"


def test_every_cell_names_known_roles_and_models():
    for resource, row in permission_table.TABLE.items():
        if row.model:
            apps.get_model(row.model)  # raises LookupError on a typo
        for action, roles in row.actions.items():
            assert set(roles) <= set(Role.values), (resource, action)
            assert set(roles.values()) <= {permission_table.CITYWIDE, permission_table.OWN_REGION}
            assert roles.get(Role.DISTRICT_OFFICE) in (None, permission_table.OWN_REGION), (resource, action)


# What the finance system sends: its webhook subscriptions and the month's payroll for the check. A subscription is
# its client's own, read by its client and the city office only.
FINANCE_WRITES = frozenset({"webhook-subscription", "payroll-check"})
CLIENTS_OWN = frozenset({"webhook-subscription"})


def test_read_only_roles_write_nothing_and_hr_writes_positions_only():
    for resource, row in permission_table.TABLE.items():
        for action, roles in row.actions.items():
            if action in permission_table.READ_ACTIONS:
                expected = {Role.CITY_OFFICE, Role.FINANCE_SYSTEM} if resource in CLIENTS_OWN else set(Role.values)
                assert set(roles) == expected, (resource, action)  # every role reads (scoped)
                continue
            assert not set(roles) & {Role.ORGANISATION_DEPARTMENT, Role.AUDITOR}, (resource, action)
            assert Role.FINANCE_SYSTEM not in roles or resource in FINANCE_WRITES, (resource, action)
            if Role.HR_BUREAU in roles:
                assert resource in ("position-plan", "staff-count"), (resource, action)


DECISIONS = {"approve", "reject", "execute", "return_quotas", "apply", "accept", "decline", "compute", "areas",
             "reverse", "copy"}


def test_a_district_office_never_decides():
    for resource, row in permission_table.TABLE.items():
        for action in DECISIONS & set(row.actions):
            assert Role.DISTRICT_OFFICE not in row.actions[action], (resource, action)


def test_admin_grants_derive_from_the_table():
    from accounts.roles_setup import ROLE_ACTIONS

    assert ROLE_ACTIONS[Role.DISTRICT_OFFICE]["institutions"]["institution"] == {"view", "add", "change"}
    assert ROLE_ACTIONS[Role.DISTRICT_OFFICE]["institutions"]["*"] == {"view"}  # regions are the city's
    assert ROLE_ACTIONS[Role.HR_BUREAU]["positions"]["positionplan"] == {"view", "add", "change"}
    assert ROLE_ACTIONS[Role.HR_BUREAU]["positions"]["*"] == {"view"}  # rule sets are the city's
    assert all(models == {"*": {"view"}} for models in ROLE_ACTIONS[Role.AUDITOR].values())
    assert ROLE_ACTIONS[Role.CITY_OFFICE]["workflow"] == {"*": {"view", "add", "change"}}


# --- the cells ----------------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
OWN, OTHER = "own", "other"


@dataclass(frozen=True)
class Case:
    role: str
    route: Route
    target: str | None  # OWN / OTHER for a row, None for a list route

    @property
    def id(self) -> str:
        return f"{self.role}-{self.route.basename}-{self.route.action}" + (f"-{self.target}" if self.target else "")


def _cases() -> list[Case]:
    cases = []
    for role, route in itertools.product([*Role.values, ANONYMOUS], ROUTES):
        if not route.detail:
            cases.append(Case(role, route, None))
        elif role == Role.DISTRICT_OFFICE:
            cases += [Case(role, route, OWN), Case(role, route, OTHER)]
        else:
            cases.append(Case(role, route, OWN))
    return cases


CASES = _cases()
CELLS = {(case.role, case.route.basename, case.route.action) for case in CASES}


def test_the_generated_test_covers_every_cell():
    table_cells = sum(len(row.actions) for row in permission_table.TABLE.values())
    assert len(CELLS) == table_cells * (len(Role.values) + 1)
    assert len(CASES) > 400, len(CASES)


DAY = datetime.date(2024, 1, 2)


def _build_world(django_user_model) -> dict:
    """Two districts of a city, a row of each resource in each where it is simple to make, one user per role."""
    from accounts.models import UserProfile
    from institutions.tests.factories import (
        CityFactory,
        DistrictFactory,
        DivisionFactory,
        DocumentFactory,
        InstitutionFactory,
        PlaqueFactory,
    )
    from positions.tests.factories import PositionPlanFactory, StaffCountFactory
    from quotas import services as ledger

    city = CityFactory()
    regions = {OWN: DistrictFactory(parent=city), OTHER: DistrictFactory(parent=city)}
    users = {}
    for role in Role.values:
        user = django_user_model.objects.create_user(username=f"table-{role}", password="pw-12345")
        user.groups.add(Group.objects.get(name=role))
        UserProfile.objects.create(user=user, region=regions[OWN] if role == Role.DISTRICT_OFFICE else None)
        users[role] = user
    clerk = users[Role.CITY_OFFICE]
    quota_type = ledger.quota_type_get()
    rows: dict[str, dict[str, int]] = {}

    def put(resource, where, make):
        """Make a row in its own savepoint; a row that cannot be made leaves the resource on a missing pk."""
        try:
            with transaction.atomic():
                rows.setdefault(resource, {})[where] = make().pk
        except Exception as error:  # noqa: BLE001 -- reported below, the cells still run on a missing pk
            FAILED_ROWS.append(f"{resource}/{where}: {type(error).__name__}: {error}")

    for where, region in regions.items():
        unit = InstitutionFactory(region=region)
        document = DocumentFactory(region=region)
        rows.setdefault("region", {})[where] = region.pk
        rows.setdefault("institution", {})[where] = unit.pk
        rows.setdefault("reconciliation", {})[where] = unit.pk
        rows.setdefault("institution-standard", {})[where] = unit.pk
        rows.setdefault("document", {})[where] = document.pk
        put("internal-division", where, lambda unit=unit: DivisionFactory(institution=unit))
        put("plaque", where, lambda unit=unit: PlaqueFactory(institution=unit))

        def funded(unit=unit, document=document, region=region):
            pool = ledger.account_for_region(region=region, quota_type=quota_type)
            account = ledger.account_for_institution(institution=unit, quota_type=quota_type)
            ledger.quota_grant(target=pool, amount=10, document=document, effective_date=DAY, by=clerk)
            return ledger.quota_allocate(source=pool, target=account, amount=5, document=document,
                                         effective_date=DAY, by=clerk)

        put("quota-transfer", where, funded)
        rows.setdefault("quota-account", {})[where] = ledger.account_for_institution(
            institution=unit, quota_type=quota_type).pk
        put("region-indicator", where, lambda region=region: apps.get_model("allocation.RegionIndicator").objects
            .create(region=region, year=2019, indicator="area", value=Decimal(10)))
        put("position-plan", where, lambda unit=unit, document=document: PositionPlanFactory(
            institution=unit, document=document))
        put("staff-count", where, lambda unit=unit: StaffCountFactory(institution=unit, as_of=DAY))
        put("hiring-plan", where, lambda unit=unit: _hiring().hiring_plan_create(
            institution=unit, year=2026, by=clerk, lines=[
                {"quota_type": quota_type, "category": "management", "count": 1}]))
        put("quota-use-notice", where, lambda unit=unit: _hiring().quota_use_notice_create(
            institution=unit, quota_type=quota_type, category="management", count=1, by=clerk))
        put("staff-movement", where, lambda unit=unit: _hiring().staff_exit_record(
            institution=unit, category="management", reason="retirement", by=clerk, on=DAY))
        put("allocation-scenario", where, lambda region=region: apps.get_model("allocation.AllocationScenario")
            .objects.create(name="零基测算", scope_region=region, quota_type=quota_type, province_total=10,
                            indicator_year=2019, fiscal_years=[2019], weight_population=Decimal(40),
                            weight_area=Decimal(20), weight_gdp=Decimal(20), weight_fiscal=Decimal(20),
                            method="largest_remainder", county_controlled_share=Decimal("0.1"), created_by=clerk))
        put("position-notice", where, lambda unit=unit, document=document: _notices().position_notice_issue(
            institution=unit, by=clerk, document=document))
        put("reform-plan", where, lambda region=region: _reforms().reform_plan_create(
            by=clerk, region=region, title="改革方案", effective_date=DAY))
        put("reform-operation", where, lambda unit=unit, where=where: _reforms().reform_operation_save(
            plan=apps.get_model("reforms.ReformPlan").objects.get(pk=rows["reform-plan"][where]), by=clerk,
            kind="rename", institution=unit, new_name=f"{unit.name}（新）"))
        # --- tracking ---
        put("reform-task", where, lambda region=region: _tracking().reform_task_save(
            by=clerk, title="改革任务", district=region, start_date=DAY, due_date=DAY))
        put("milestone", where, lambda where=where: _tracking().milestone_save(
            by=clerk, task=apps.get_model("tracking.ReformTask").objects.get(pk=rows["reform-task"][where]),
            title="节点", due_date=DAY))
        put("unit-checklist", where, lambda unit=unit, where=where: _tracking().checklist_save(
            by=clerk, institution=unit, task=apps.get_model("tracking.ReformTask").objects.get(
                pk=rows["reform-task"][where]), registration_kind="change", registration_basis=DAY))
        put("annual-report", where, lambda unit=unit: _tracking().annual_reports_open(
            2023, institutions=apps.get_model("institutions.Institution").objects.filter(pk=unit.pk))[0])
        # --- mandates --- drafts (a draft's approval without its document answers 400), a party branch
        put("mandate", where, lambda unit=unit: _mandates().mandate_create(by=clerk, institution=unit,
                                                                          duties=["职责"]))
        put("charter", where, lambda unit=unit: _mandates().charter_create(
            by=clerk, institution=unit, address="住所", opening_funds=10, purpose="宗旨", business_scope="业务范围",
            party_role="党组织", decision_making="决策", democratic_management="民主管理", asset_management="资产",
            information_disclosure="信息公开", amendment_procedure="修改", termination="终止"))
        put("party-organisation", where, lambda unit=unit, document=document: _mandates()
            .party_organisation_establish(by=clerk, institution=unit, kind="branch", name=f"{unit.name}党支部",
                                          document=document, date=document.date_issued))
        # --- end mandates ---
        # --- powers --- a power-list item of the region's unit, a law-enforcement item of one of its agencies
        put("power-item", where, lambda unit=unit: _powers().power_item_create(
            holder=unit, code="QL-1", name="权责事项", power_type="inspection"))
        put("enforcement-power", where, lambda region=region: _enforcement_power(region))
        # --- end powers ---
        put("institution-cap", where, lambda region=region, document=document: apps.get_model(
            "standards.InstitutionCap").objects.create(region=region, method="fixed", cap=10, document=document))
        # A service figure is a school's (or a hospital's ...): the world's unit has no reserved class.
        put("service-figure", where, lambda region=region: apps.get_model("standards.ServiceFigure").objects.create(
            institution=InstitutionFactory(region=region, reserved_class="school"), year=2024,
            figure="students_primary", value=190, source="区教育局统计"))

    quota_type_pk = quota_type.pk
    rows["quota-type"] = {OWN: quota_type_pk, OTHER: quota_type_pk}
    # The default rule sets come from a data migration; a transactional test earlier in the run may have flushed them.
    put("position-rule-set", OWN, lambda: apps.get_model("positions.PositionRuleSet").objects.first()
        or apps.get_model("positions.PositionRuleSet").objects.create(
            name="测试规则集", level="county", source="测试", ratio_senior=1, ratio_intermediate=3, ratio_junior=6))
    return {"users": users, "rows": rows, "regions": regions}


FAILED_ROWS: list[str] = []


def _missing(why):
    raise LookupError(why)


def _hiring():
    from workflow import hiring

    return hiring


def _reforms():
    from reforms import services

    return services


def _tracking():
    from tracking import services

    return services


def _mandates():
    from mandates import services

    return services


def _powers():  # --- powers ---
    from powers import services

    return services


def _enforcement_power(region):  # --- powers ---
    from institutions.tests.factories import AgencyFactory

    agency = AgencyFactory(region=region)
    return _powers().enforcement_power_create(district=region, department=agency, executing_body=agency,
                                              code="ZF-1", name="执法事项", power_type="penalty")


def _notices():
    from reconciliation import services

    return services


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    with rolled_back(django_db_blocker):
        yield _build_world(get_user_model())


def _url(case: Case, world) -> str:
    if not case.route.detail:
        return reverse(f"v1:{case.route.url_name}")
    pk = world["rows"].get(case.route.basename, {}).get(case.target) or MISSING_PK
    return reverse(f"v1:{case.route.url_name}", kwargs={case.route.lookup: pk})


def _request(case: Case, world):
    cache.clear()  # the throttles count in the cache
    client = APIClient()
    if case.role != ANONYMOUS:
        client.force_authenticate(world["users"][case.role])
    method = getattr(client, case.route.method)
    url = _url(case, world)
    if case.route.method in ("get", "delete"):
        return method(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if case.route.action == "import_xlsx":
        return method(url, {}, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    return method(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_cell(case: Case, world, db):
    response = _request(case, world)
    body = response.json() if response.get("Content-Type", "").startswith("application/json") else None
    code = body.get("code") if isinstance(body, dict) else None
    where = f"{case.route.method.upper()} {_url(case, world)} as {case.role}: {response.status_code} {code}"
    if case.role == ANONYMOUS:
        assert response.status_code == 401, where
        return
    if not permission_table.allows({case.role}, case.route.basename, case.route.action):
        assert response.status_code == 403 and code == "permission_denied", where
        assert response.json()["message"] == "您的角色无权执行此操作。", where
        return
    writes = case.route.action not in permission_table.READ_ACTIONS
    if case.target == OTHER and writes:
        assert response.status_code == 404 or (response.status_code == 403 and code == "another_region"), where
        return
    assert response.status_code not in (401, 403), where


def test_a_district_office_writing_another_regions_document_gets_another_region(world, db):
    """Documents are visible to every role (no 404) but written only in their issuing region."""
    client = APIClient()
    client.force_authenticate(world["users"][Role.DISTRICT_OFFICE])
    url = reverse("v1:document-detail", kwargs={"pk": world["rows"]["document"][OTHER]})
    assert client.get(url).status_code == 200
    response = client.patch(url, {"title": "改"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "another_region", response.json()
    own = reverse("v1:document-detail", kwargs={"pk": world["rows"]["document"][OWN]})
    assert client.patch(own, {"title": "改"}, format="json").status_code not in (401, 403)


def test_the_world_has_a_row_for_the_resources_on_rows(world):
    """Rows the builder could not make run on a missing pk (404); list which, so a change to a factory shows."""
    assert not FAILED_ROWS, FAILED_ROWS
