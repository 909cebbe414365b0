"""The permission table (``accounts.permission_table``) checked against the admin: every registered model's pages.

Generated: for every model in ``admin.site._registry``, every principal (the six roles, anonymous and a superuser as
the control) and every page (the changelist, the add page, the change page, a change POST of the form's own current
data and the delete page), one request on the real URL, on a row of the user's own region and, for a district
office on a model that belongs to regions, on a row of another region (a zero-based scenario's rows belong to the
city, never to a district: every principal is asked on the city's).

The expected answer is derived, not listed per model:

* the grants come from the table: every role views every model of the apps the table's resources live in; a role
  may add / change a model when the table lets it create / update the model's resource
  (``permission_table.admin_grants``); the city office adds and changes every such model; no role deletes
  (``accounts.roles_setup`` grants no ``delete``); the superuser holds everything; other apps (users, tokens,
  login records) are the superuser's;
* where an admin overrides ``has_*_permission``, its rule is encoded once below (``RULES``), keyed by the class that
  defines it; ``test_every_override_of_a_permission_has_its_rule`` fails when an admin gains an override this
  module does not know;
* a district office sees its own region's rows only (``accounts.scoping``): another region's row is missing from
  the changelist and its pages answer Django's "does not exist" redirect to the admin index (after the permission
  check, which Django runs on ``obj=None``), as the API answers 404.

Answers: anonymous → the login page; no permission → 403; view only → the change page without a save button and
the POST refused (403); change → the POST saves (302 to the changelist); delete → the confirmation page (200).

The rows are built once for the module (``_build_world`` of the API's test, plus the rows the API does not reach)
inside a transaction rolled back at the end; each request runs in its own savepoint (the ``db`` fixture).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts import permission_table
from accounts.admin import ApiTokenAdmin
from accounts.roles import Role
from accounts.scoping import region_path_of
from accounts.tests import test_permission_table as api_table
from allocation.admin import AllocationScenarioAdmin
from conftest import rolled_back
from institutions.admin import ApprovalDocumentAdmin, RegionAdmin
from integrations.admin import CityOfficeOnly, WebhookDeliveryAdmin, WebhookSubscriptionAdmin
from mandates.admin import PartyOrganisationAdmin, ServiceFormAdmin, VersionAdmin  # --- mandates ---
from outbox.admin import ChangeEventAdmin
from positions.admin import PositionsAdmin
from quotas.admin import QuotaAccountAdmin, QuotaTransferAdmin, QuotaTypeAdmin
from reconciliation.admin import PositionDirectionNoticeAdmin
from reforms.admin import ReformOperationAdmin, ReformPlanAdmin
from standards.admin import ServiceFigureAdmin
from tracking.admin import AnnualReportAdmin
from workflow import states as workflow
from workflow.admin import LoanCaseAdmin, ReadOnlyAdmin, WorkflowPolicyAdmin, WorkflowRequestAdmin

ANONYMOUS, SUPERUSER = "anonymous", "superuser"
OWN, OTHER = api_table.OWN, api_table.OTHER
CITY = "city"  # a row of the city itself, which a district office does not see
# Models whose valid rows belong to the city, never to a district: the row of every principal is the city's.
CITY_ROWS = frozenset({"allocation.allocationscenario"})  # AllocationScenario.clean: the scope is the city
PRINCIPALS = (*Role.values, ANONYMOUS, SUPERUSER)
DECIDERS = frozenset({Role.CITY_OFFICE, SUPERUSER})  # ``has_role(user, CITY_OFFICE)`` is true for a superuser
LIST_PAGES = ("changelist", "add")
ROW_PAGES = ("change", "change_post", "delete")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

REGISTRY = {model._meta.label_lower: (model, model_admin) for model, model_admin in admin.site._registry.items()}


# --- the grants, from the table -----------------------------------------------------------------------------------

PLATFORM_APPS = frozenset(row.model.split(".")[0] for row in permission_table.TABLE.values() if row.model)
ADMIN_GRANTS = permission_table.admin_grants()


def granted(principal: str, label: str) -> frozenset[str]:
    """The model permissions the table gives ``principal`` on the model ``label`` (``"app_label.model"``)."""
    if principal == SUPERUSER:
        return frozenset({"view", "add", "change", "delete"})
    if principal == ANONYMOUS or label.split(".")[0] not in PLATFORM_APPS:
        return frozenset()
    if principal == Role.CITY_OFFICE:
        return frozenset({"view", "add", "change"})
    return frozenset({"view"} | ADMIN_GRANTS[principal].get(label, set()))


def is_regional(label: str) -> bool:
    """Rows of the model belong to regions for reading or for writing (a district office is tried on both)."""
    model = REGISTRY[label][0]
    return region_path_of(model) is not None or getattr(model, "write_region_path", None) is not None


def sees(principal: str, label: str, target: str) -> bool:
    """Region scoping: a district office sees a row of another region (or of the city) only of a model that
    belongs to no region."""
    return target == OWN or principal != Role.DISTRICT_OFFICE or region_path_of(REGISTRY[label][0]) is None


# --- the admins' own rules ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Who:
    """The principal a cell asks as, on the model of the cell."""

    principal: str
    label: str
    own_region_id: int | None  # a district office's region; None for the others

    def holds(self, permission: str, label: str | None = None) -> bool:
        """Whether the table's grants give the principal ``permission`` on the model (or on ``label``)."""
        return permission in granted(self.principal, label or self.label)


Rule = Callable[[Who, object, bool], bool]  # (who, the row or None, Django's answer from the grants) -> allowed


def never(who: Who, row, default: bool) -> bool:
    """The admin refuses it to everyone, a superuser included."""
    return False


def decider_only(who: Who, row, default: bool) -> bool:
    """``has_role(user, CITY_OFFICE) and super()...``: the city office (or a superuser) holding the grant."""
    return who.principal in DECIDERS and default


def superuser_only(who: Who, row, default: bool) -> bool:
    """``request.user.is_superuser``, whatever the grants."""
    return who.principal == SUPERUSER


def _plan_is_draft(plan) -> bool:
    """``reforms.admin._is_draft``: a plan not yet saved is a draft too."""
    return plan is None or plan.status == workflow.DRAFT


def document_writable(who: Who, row, default: bool) -> bool:
    """Another region's document, or one something cites, is read-only (``ApprovalDocumentAdmin._may_write``)."""
    if row is None:
        return default
    own = who.own_region_id is None or row.region_id == who.own_region_id
    return default and own and not row.citations()


def no_policy_yet(who: Who, row, default: bool) -> bool:
    """The one policy row is added once: with a row there, nobody adds (the world has one)."""
    from workflow.models import WorkflowPolicy

    return default and not WorkflowPolicy.objects.exists()


def scenario_not_frozen(who: Who, row, default: bool) -> bool:
    """Approved and applied scenarios are frozen (copy one to change it)."""
    return default and (row is None or not row.is_frozen)


def plan_is_draft(who: Who, row, default: bool) -> bool:
    """Only a draft plan's content changes."""
    return default and _plan_is_draft(row)


def operation_plan_is_draft(who: Who, row, default: bool) -> bool:
    """Only the operations of a draft plan change."""
    return default and _plan_is_draft(row.plan if row else None)


def operation_removable(who: Who, row, default: bool) -> bool:
    """Removing an operation is an edit of the draft: whoever may change operations (the table's
    ``reform-operation`` ``destroy`` cell names the same roles: ``test_removing_an_operation_is_the_proposers``)."""
    return _plan_is_draft(row.plan if row else None) and who.holds("change", "reforms.reformoperation")


def version_is_draft(who: Who, row, default: bool) -> bool:
    """--- mandates --- an approved regulation or charter is read-only (a new draft is made from it)."""
    return default and (row is None or not row.is_approved)


READ_ONLY = {"add": never, "change": never, "delete": never}
# Each admin's override of has_*_permission, read from its admin.py; the class that defines it is the key.
RULES: dict[type, dict[str, Rule]] = {
    # Ledger: transfers are posted and reversed on their own pages through the services, accounts open themselves,
    # quota types are fixed: nobody (a superuser neither) adds, edits or deletes here.
    QuotaTypeAdmin: READ_ONLY,
    QuotaAccountAdmin: READ_ONLY,
    QuotaTransferAdmin: READ_ONLY,
    # Workflow requests move on their decision pages; movements and return offers are records: read-only for all.
    WorkflowRequestAdmin: READ_ONLY,
    ReadOnlyAdmin: READ_ONLY,
    # Notices are issued on the issue page (the city office's), never edited nor deleted.
    PositionDirectionNoticeAdmin: {"add": decider_only, "change": never, "delete": never},
    # Loan cases are switched off, not deleted (loans refer to them); the one policy row is added once.
    LoanCaseAdmin: {"delete": never},
    WorkflowPolicyAdmin: {"add": no_policy_yet, "delete": never},
    # Plans and staff counts are corrected by a new entry, not deleted.
    PositionsAdmin: {"delete": never},
    # Regions are the city office's to keep.
    RegionAdmin: {"add": decider_only, "change": decider_only},
    ApprovalDocumentAdmin: {"change": document_writable, "delete": document_writable},
    # Approved and applied scenarios are frozen.
    AllocationScenarioAdmin: {"change": scenario_not_frozen},
    # A plan's content changes while it is a draft; a plan is withdrawn, never deleted.
    ReformPlanAdmin: {"change": plan_is_draft, "delete": never},
    ReformOperationAdmin: {"change": operation_plan_is_draft, "delete": operation_removable},
    # Service figures are corrected, not deleted (a standard read them).
    ServiceFigureAdmin: {"delete": never},
    # The change log is written by the services (its admin is the superuser's: the log's app grants no role).
    ChangeEventAdmin: READ_ONLY,
    # Webhook subscriptions hold their secrets: the city office's pages; subscriptions are switched off, not
    # deleted; the delivery log is a record.
    CityOfficeOnly: {"view": decider_only, "add": decider_only, "change": decider_only},
    WebhookSubscriptionAdmin: {"delete": never},
    WebhookDeliveryAdmin: READ_ONLY,
    # --- tracking --- annual reports are opened by the yearly sweep, never added by hand.
    AnnualReportAdmin: {"add": never},
    # --- mandates --- regulations, charters and party organisations are written through the services, never
    # deleted; only a draft version changes; a party organisation changes by its events (rename, adjust pages).
    ServiceFormAdmin: {"delete": never},
    VersionAdmin: {"change": version_is_draft},
    PartyOrganisationAdmin: {"change": never},
    # Tokens: superusers see and revoke them; they are issued by ``manage.py issue_token`` only.
    ApiTokenAdmin: {"view": superuser_only, "add": never, "change": never, "delete": superuser_only},
}
# django-axes' login records are written by logins, never added by hand.
for _label in ("axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"):
    if _label in REGISTRY:
        RULES[type(REGISTRY[_label][1])] = {"add": never}

ACTIONS = ("view", "add", "change", "delete")
# Classes whose has_*_permission only hands on to Django's (simple_history's does: ``super()`` and nothing else).
PASS_THROUGH_MODULES = ("django.", "simple_history.")


def defining_class(admin_class: type, action: str) -> type:
    """The class whose ``has_<action>_permission`` the admin runs (the first in its MRO to define one)."""
    name = f"has_{action}_permission"
    return next(cls for cls in admin_class.__mro__ if name in vars(cls))


def rule_of(admin_class: type, action: str) -> Rule | None:
    """The admin's own rule for ``action``, ``None`` where Django's (from the grants) holds."""
    cls = defining_class(admin_class, action)
    return None if cls.__module__.startswith(PASS_THROUGH_MODULES) else RULES[cls][action]


def may(who: Who, action: str, row) -> bool:
    """What the admin answers to ``has_<action>_permission(request, row)`` for ``who``, by the grants and rules."""
    default = who.holds(action) or (action == "view" and who.holds("change"))  # Django: change implies view
    rule = rule_of(type(REGISTRY[who.label][1]), action)
    return default if rule is None else rule(who, row, default)


def may_see(who: Who, row) -> bool:
    """Django's ``has_view_or_change_permission``: what opens the changelist and the change page."""
    return may(who, "view", row) or may(who, "change", row)


# The add page that leads elsewhere: a notice is issued on its issue page.
ADD_REDIRECTS = {"reconciliation.positiondirectionnotice": "admin:reconciliation_positiondirectionnotice_issue"}


# --- the cells ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One cell: a principal asking for one page of one model's admin (on one row for a row page)."""

    principal: str
    label: str
    page: str
    target: str | None  # OWN / OTHER / CITY on a row page; None on the changelist and the add page

    @property
    def id(self) -> str:
        return f"{self.principal}-{self.label}-{self.page}" + (f"-{self.target}" if self.target else "")


def row_targets(label: str, principal: str | None = None) -> tuple[str, ...]:
    """The rows a principal's row pages are tried on (every target when ``principal`` is None)."""
    if label in CITY_ROWS:
        return (CITY,)
    if is_regional(label) and principal in (None, Role.DISTRICT_OFFICE):
        return (OWN, OTHER)
    return (OWN,)


def _cases() -> list[Case]:
    """Every principal × registered model × page (× row for the row pages)."""
    cases = []
    for principal, label in itertools.product(PRINCIPALS, sorted(REGISTRY)):
        cases += [Case(principal, label, page, None) for page in LIST_PAGES]
        targets = row_targets(label, principal)
        cases += [Case(principal, label, page, target) for page in ROW_PAGES for target in targets]
    return cases


CASES = _cases()
# Worked by hand: 38 admin models (29, the standards' 5: caps, division bands, leadership bands, industry rule
# sets, service figures; the change log's events, webhook subscriptions and deliveries, payroll checks), 22 of them
# regional (read or write; the caps and the service figures of the standards, the change log's events), 8
# principals, 5 pages: 38 × 8 × 5 = 1520 cells on one row each, and 3 row pages more for the district office on
# another region's row of the 21 regional models whose rows belong to districts (not the scenarios, the city's):
# 21 × 3 = 63; 1583 in all.
REGISTERED_MODELS, REGIONAL_MODELS, ADMIN_CELLS = 38, 22, 1583
# --- tracking --- reform tasks, milestones and unit checklists: 3 models, all regional, their rows in districts:
# 3 × 8 × 5 = 120 cells, and 3 × 3 = 9 on another region's row; 129 more.
REGISTERED_MODELS, REGIONAL_MODELS, ADMIN_CELLS = REGISTERED_MODELS + 3, REGIONAL_MODELS + 3, ADMIN_CELLS + 129
# --- tracking --- annual reports: 1 model, regional, its rows in districts: 1 × 8 × 5 = 40 cells, and 1 × 3 = 3 on
# another region's row; 43 more.
REGISTERED_MODELS, REGIONAL_MODELS, ADMIN_CELLS = REGISTERED_MODELS + 1, REGIONAL_MODELS + 1, ADMIN_CELLS + 43
# --- mandates --- the city's regulation template (no region), regulations, charters, party organisations (regional,
# their rows in districts): 4 × 8 × 5 = 160 cells, and 3 × 3 = 9 on another region's row; 169 more.
REGISTERED_MODELS, REGIONAL_MODELS, ADMIN_CELLS = REGISTERED_MODELS + 4, REGIONAL_MODELS + 3, ADMIN_CELLS + 169
# --- powers --- power-list items and law-enforcement items (both regional, their rows in districts): 2 × 8 × 5 = 80
# cells, and 2 × 3 = 6 on another region's row; 86 more.
REGISTERED_MODELS, REGIONAL_MODELS, ADMIN_CELLS = REGISTERED_MODELS + 2, REGIONAL_MODELS + 2, ADMIN_CELLS + 86


def test_the_generated_test_walks_every_admin_cell():
    assert len(REGISTRY) == REGISTERED_MODELS, sorted(REGISTRY)
    assert sum(map(is_regional, REGISTRY)) == REGIONAL_MODELS, sorted(filter(is_regional, REGISTRY))
    print(f"admin cells walked: {len(CASES)}")  # noqa: T201 -- the count, shown with -rA
    assert len(CASES) == ADMIN_CELLS


def test_every_override_of_a_permission_has_its_rule():
    """An admin (or a base of it) that decides a permission itself has its rule in RULES: nothing falls back to
    the grants unread."""
    missing = []
    for label, (_model, model_admin) in sorted(REGISTRY.items()):
        for action in ACTIONS:
            cls = defining_class(type(model_admin), action)
            if not cls.__module__.startswith(PASS_THROUGH_MODULES) and action not in RULES.get(cls, {}):
                missing.append(f"{label}: {cls.__module__}.{cls.__qualname__}.has_{action}_permission")
    assert not missing, f"encode these admins' rules in RULES: {missing}"


def test_removing_an_operation_is_the_proposers():
    """The operation admin's delete rule (whoever may change operations) names the table's ``destroy`` roles."""
    changers = {role for role in Role.values if "change" in granted(role, "reforms.reformoperation")}
    assert changers == set(permission_table.allowed_roles("reform-operation", "destroy"))


def test_no_role_group_holds_a_delete_permission(db):
    """The delete pages' answers assume it: only the superuser deletes, where an admin lets anyone."""
    held = Group.objects.filter(name__in=Role.values, permissions__codename__startswith="delete_")
    assert not held.exists(), list(held.values_list("name", "permissions__codename"))


# --- the world ----------------------------------------------------------------------------------------------------

def _extra_rows(world: dict) -> dict[str, dict[str, int]]:
    """Rows of the admin's models the API's world does not make, and documents no row cites (the API's are cited
    by its transfers and plans, and so frozen for every principal)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from accounts.tokens import issue_token
    from allocation.models import AllocationScenario
    from institutions.tests.factories import DocumentFactory
    from quotas import services as ledger
    from quotas.choices import PoolSector
    from standards.models import DivisionBand, IndustryRuleSet, LeadershipBand
    from workflow import loans
    from workflow.models import LoanCase, LoanReturnOffer, StaffMovement, WorkflowPolicy

    users, rows, regions = world["users"], world["rows"], world["regions"]
    clerk = users[Role.CITY_OFFICE]
    quota_type = ledger.quota_type_get()
    case, _created = LoanCase.objects.get_or_create(code="admin-table", defaults={"name": "急需紧缺人才引进"})
    policy = WorkflowPolicy.objects.first() or WorkflowPolicy.objects.create()
    extra: dict[str, dict[str, int]] = {
        "workflow.loancase": {OWN: case.pk},
        "workflow.workflowpolicy": {OWN: policy.pk},
        "auth.user": {OWN: users[Role.AUDITOR].pk},
        "auth.group": {OWN: Group.objects.get(name=Role.AUDITOR).pk},
        "accounts.apitoken": {OWN: issue_token(users[Role.AUDITOR], client="admin-table")[0].pk},
    }
    # The standards' tables come from a data migration (a transactional test earlier in the run may have flushed
    # them): a row of each, made only where the table is empty, so that no band overlaps another on a save.
    extra["standards.divisionband"] = {OWN: (DivisionBand.objects.first() or DivisionBand.objects.create(
        low=0, high=15, max_divisions=1, min_per_division=8)).pk}
    extra["standards.leadershipband"] = {OWN: (LeadershipBand.objects.first() or LeadershipBand.objects.create(
        applies_to="unit", low=0, high=10, posts_low=1, posts_high=2)).pk}
    extra["standards.industryruleset"] = {OWN: (IndustryRuleSet.objects.first() or IndustryRuleSet.objects.create(
        name="测试定编标准", sector="school", valid_from=api_table.DAY, source="测试")).pk}
    login = {"username": "someone", "ip_address": "127.0.0.1", "user_agent": "test", "http_accept": "*/*",
             "path_info": "/admin/login/"}
    extra["axes.accessattempt"] = {OWN: AccessAttempt.objects.create(
        **login, get_data="", post_data="", failures_since_start=1).pk}
    extra["axes.accesslog"] = {OWN: AccessLog.objects.create(**login).pk}
    extra["axes.accessfailurelog"] = {OWN: AccessFailureLog.objects.create(**login).pk}
    from django.utils import timezone

    from finance.services import payroll_check_submit
    from integrations.models import WebhookDelivery
    from integrations.services import subscription_create
    from outbox.models import ChangeEvent

    for where, region in regions.items():  # the world's postings wrote them
        extra.setdefault("outbox.changeevent", {})[where] = ChangeEvent.objects.filter(region=region).first().pk
    subscription = subscription_create(client=users[Role.FINANCE_SYSTEM], name="财政", url="https://finance.test/h")
    extra["integrations.webhooksubscription"] = {OWN: subscription.pk}
    extra["integrations.webhookdelivery"] = {OWN: WebhookDelivery.objects.create(
        subscription=subscription, event_id=extra["outbox.changeevent"][OWN], attempt=1,
        attempted_at=timezone.now(), status_code=200, succeeded=True).pk}
    from mandates.models import MandateTemplate  # --- mandates: the city's template ---

    extra["mandates.mandatetemplate"] = {OWN: MandateTemplate.objects.get_or_create(region=regions[OWN].parent)[0].pk}
    extra["finance.payrollcheck"] = {OWN: payroll_check_submit(month="2026-11", by=clerk, lines=[
        {"credit_code": world["units"][OWN].credit_code, "category": "management", "paid": 1}]).pk}
    city = regions[OWN].parent
    extra["allocation.allocationscenario"] = {CITY: AllocationScenario.objects.create(
        name="零基测算", scope_region=city, quota_type=quota_type, province_total=10, indicator_year=2019,
        fiscal_years=[2019], weight_population=Decimal(40), weight_area=Decimal(20), weight_gdp=Decimal(20),
        weight_fiscal=Decimal(20), method="largest_remainder", county_controlled_share=Decimal("0.1"),
        created_by=clerk).pk}
    for where, region in regions.items():
        extra.setdefault("institutions.approvaldocument", {})[where] = DocumentFactory(region=region).pk
        # The API's world funds 5 quotas for a plan of 10 posts, which the binding rule refuses on a save.
        pool = ledger.account_for_region(region=region, quota_type=quota_type)
        account = ledger.account_for_institution(institution=world["units"][where], quota_type=quota_type)
        ledger.quota_allocate(source=pool, target=account, amount=5, document=DocumentFactory(region=region),
                              effective_date=api_table.DAY, by=clerk)
        unit = rows["institution"][where]
        pool = ledger.account_for_turnover_pool(region=region, quota_type=quota_type, sector=PoolSector.TALENT)
        loan = loans.turnover_loan_create(
            institution=world["units"][where], pool=pool, count=1, talent_category="other", case=case,
            term_months=12, return_plan=[{"date": "2026-06-30", "count": 1}], by=clerk)
        extra.setdefault("workflow.turnoverloan", {})[where] = loan.pk
        movement = StaffMovement.objects.get(pk=rows["staff-movement"][where])
        assert movement.institution_id == unit
        extra.setdefault("workflow.loanreturnoffer", {})[where] = LoanReturnOffer.objects.create(
            loan=loan, movement=movement, count=1).pk
    return extra


def _world_rows(world: dict) -> dict[str, dict[str, int]]:
    """``{model label: {OWN/OTHER/CITY: pk}}`` for every registered model (one row where it has no region)."""
    rows: dict[str, dict[str, int]] = {}
    for resource, pks in world["rows"].items():
        model = permission_table.TABLE[resource].model
        if model in REGISTRY:
            rows[model] = dict(pks)
    rows.update(_extra_rows(world))
    return {label: {target: pks[target] for target in row_targets(label)} for label, pks in rows.items()}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The API test's world (users of each role, now staff, rows in two districts), the admin's other rows, a
    superuser, and a logged-in session per principal."""
    from django.contrib.auth import get_user_model

    from institutions.models import Institution

    with rolled_back(django_db_blocker):
        failed_before = len(api_table.FAILED_ROWS)
        user_model = get_user_model()
        built = api_table._build_world(user_model)
        built["units"] = {where: Institution.objects.get(pk=pk)
                          for where, pk in built["rows"]["institution"].items()}
        users = built["users"]
        user_model.objects.filter(pk__in=[user.pk for user in users.values()]).update(is_staff=True)
        users = {role: user_model.objects.get(pk=user.pk) for role, user in users.items()}
        users[SUPERUSER] = user_model.objects.create_superuser(username="table-superuser", password="pw-12345")
        built["users"] = users
        sessions = {}
        for principal, user in users.items():
            client = Client()
            client.force_login(user, backend=MODEL_BACKEND)
            sessions[principal] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield {"rows": _world_rows(built), "sessions": sessions, "users": users,
               "cited_documents": built["rows"]["document"],
               "own_region_id": built["regions"][OWN].pk,
               "failed_rows": api_table.FAILED_ROWS[failed_before:]}


def test_the_world_has_a_row_of_every_admin_model(world):
    missing = [f"{label}/{target}" for label in sorted(REGISTRY) for target in row_targets(label)
               if target not in world["rows"].get(label, {})]
    assert not world["failed_rows"] and not missing, (world["failed_rows"], missing)


def test_the_rows_are_drafts_and_uncited_so_that_the_rules_let_the_writers_in(world, db):
    """The cells run on rows the admin's rules leave open: a rule that refused them would test nothing."""
    from allocation.models import AllocationScenario
    from institutions.models import ApprovalDocument
    from reforms.models import ReformOperation, ReformPlan

    scenario = AllocationScenario.objects.get(pk=world["rows"]["allocation.allocationscenario"][CITY])
    assert not scenario.is_frozen and scenario.scope_region.parent_id is None
    for target in (OWN, OTHER):
        assert ReformPlan.objects.get(pk=world["rows"]["reforms.reformplan"][target]).status == workflow.DRAFT
        assert ReformOperation.objects.get(pk=world["rows"]["reforms.reformoperation"][target]).plan.status == \
            workflow.DRAFT
        assert not ApprovalDocument.objects.get(pk=world["rows"]["institutions.approvaldocument"][target]).citations()


def test_a_cited_document_is_read_only_even_for_the_city_office_and_the_superuser(world, db):
    """The cells run on uncited documents; the API's world's documents are cited by its transfers and plans, so
    the admin's other branch (frozen once cited) shows on them, as ``document_writable`` says."""
    from institutions.models import ApprovalDocument

    for principal in (Role.CITY_OFFICE, SUPERUSER):
        case = Case(principal, "institutions.approvaldocument", "change", OWN)
        client = _client(case, world)
        pk = world["cited_documents"][OWN]
        document = ApprovalDocument.objects.get(pk=pk)
        url = reverse("admin:institutions_approvaldocument_change", args=[pk])
        assert document.citations()
        assert not may(Who(principal, case.label, None), "change", document)
        page = client.get(url)
        assert page.status_code == 200 and b'name="_save"' not in page.content, principal
        assert client.post(url, form_data(page, ApprovalDocument)).status_code == 403, principal
        assert client.get(reverse("admin:institutions_approvaldocument_delete", args=[pk])).status_code == 403


# --- the requests -------------------------------------------------------------------------------------------------

class FormData(HTMLParser):
    """What a browser posts from the admin's change form (``<form id="<model>_form">``), with its save button."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select: tuple[str, bool, list[str], list[str]] | None = None  # name, multiple, selected, all
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attributes or "__prefix__" in (attributes.get("name") or ""):
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.data.append((name, attributes.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes, [], [])
        elif tag == "option" and self._select is not None:
            value = attributes.get("value")
            self._option = value
            self._select[3].append(value or "")
            if "selected" in attributes:
                self._select[2].append(value or "")
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple, selected, every = self._select
            if not selected and not multiple and every:
                selected = every[:1]  # a browser posts the first option when none is marked
            self.data += [(name, value) for value in selected]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self.data.append((name, text[1:] if text.startswith("\n") else text))  # the newline after the tag
            self._textarea = None


def form_data(response, model) -> dict[str, list[str]]:
    """The change page's own current data, as a POST of its save button would send it."""
    parser = FormData(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


def _client(case: Case, world) -> Client:
    """A client on the principal's session (logged in once, in the world)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if case.principal != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][case.principal]
    return client


def _url(case: Case, world) -> str:
    """The admin URL of the cell's page (on its row)."""
    app_label, model_name = case.label.split(".")
    if case.page in LIST_PAGES:
        return reverse(f"admin:{app_label}_{model_name}_{case.page}")
    view = "change" if case.page == "change_post" else case.page
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=[world["rows"][case.label][case.target]])


def _where(case: Case, response, world) -> str:
    """The failure message: the request, the answer and what the user's groups hold on the model."""
    user = world["users"].get(case.principal)
    held = sorted(p for p in user.get_all_permissions() if p.split(".")[1].endswith(case.label.split(".")[1])) \
        if user and not user.is_superuser else []
    return (f"{case.page} {_url(case, world)} as {case.principal}: {response.status_code} "
            f"{response.get('Location', '')} (holds {held})")


def _assert_refused(response, where: str) -> None:
    """Django's PermissionDenied: 403."""
    assert response.status_code == 403, where


def _assert_not_found(response, where: str) -> None:
    """Django's answer for a row ``get_queryset`` leaves out: "does not exist", back to the admin index."""
    assert response.status_code == 404 or (
        response.status_code == 302 and response["Location"] == reverse("admin:index")), where


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_admin_cell(case: Case, world, db):
    model, _model_admin = REGISTRY[case.label]
    client = _client(case, world)
    url = _url(case, world)
    if case.page == "change_post":
        page = client.get(url)
        data = form_data(page, model) if page.status_code == 200 else {"_save": ["Save"]}
        response = client.post(url, data)
    else:
        response = client.get(url)
    where = _where(case, response, world)

    if case.principal == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), where
        return
    who = Who(case.principal, case.label,
              world["own_region_id"] if case.principal == Role.DISTRICT_OFFICE else None)
    if case.page == "changelist":
        _check_changelist(case, who, response, world, where)
    elif case.page == "add":
        _check_add(case, who, response, where)
    else:
        visible = sees(case.principal, case.label, case.target)
        row = model._default_manager.get(pk=world["rows"][case.label][case.target]) if visible else None
        {"change": _check_change, "change_post": _check_post, "delete": _check_delete}[case.page](
            case, who, row, visible, response, where)


def _check_changelist(case: Case, who: Who, response, world, where: str) -> None:
    if not may_see(who, None):
        _assert_refused(response, where)
        return
    assert response.status_code == 200, where
    listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
    for target, pk in world["rows"][case.label].items():
        shown = sees(case.principal, case.label, target)
        assert (pk in listed) == shown, f"{where}: the {target} row {'missing' if shown else 'listed'}"


def _check_add(case: Case, who: Who, response, where: str) -> None:
    if not may(who, "add", None):
        _assert_refused(response, where)
    elif case.label in ADD_REDIRECTS:
        assert response.status_code == 302 and response["Location"] == reverse(ADD_REDIRECTS[case.label]), where
    else:
        assert response.status_code == 200 and b'name="_save"' in response.content, where


def _check_change(case: Case, who: Who, row, visible: bool, response, where: str) -> None:
    if not may_see(who, row):
        _assert_refused(response, where)
    elif not visible:
        _assert_not_found(response, where)
    else:
        assert response.status_code == 200, where
        editable = may(who, "change", row)
        assert (b'name="_save"' in response.content) == editable, f"{where}: {'no' if editable else 'a'} save button"


def _check_post(case: Case, who: Who, row, visible: bool, response, where: str) -> None:
    if not may(who, "change", row):
        _assert_refused(response, where)
    elif not visible:
        _assert_not_found(response, where)
    else:
        errors = ""
        if response.status_code == 200 and response.context and "adminform" in response.context:
            errors = f" {response.context['adminform'].form.errors} {response.context.get('errors')}"
        app_label, model_name = case.label.split(".")
        assert response.status_code == 302, where + errors
        assert response["Location"].startswith(reverse(f"admin:{app_label}_{model_name}_changelist")), where


def _check_delete(case: Case, who: Who, row, visible: bool, response, where: str) -> None:
    if not may(who, "delete", row):
        _assert_refused(response, where)
    elif not visible:
        _assert_not_found(response, where)
    else:
        assert response.status_code == 200, where
