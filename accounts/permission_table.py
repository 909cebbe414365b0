"""The one permission table: which roles may do which action on which API resource.

Rows are resources, named by their router basename (``"institution"``, ``"quota-transfer"``, ``"hiring-plan"`` …);
columns are the viewset's actions (``list``, ``retrieve``, ``create``, ``update``, ``partial_update``, ``destroy``
and each custom action by its method name, as DRF puts it in ``view.action``: ``submit``, ``return_quotas``,
``import_xlsx`` …). A cell maps each allowed role to its reach:

* ``CITYWIDE``: every row the role sees;
* ``OWN_REGION``: a district office's cell, its own region's rows only. Reading is narrowed by region scoping
  (``accounts.scoping.scope_queryset``: another region's row answers 404); writing a row another region owns is
  refused by ``TablePermission.has_object_permission`` (403, code ``another_region``).

What derives from it:

* the API: ``accounts.permissions.TablePermission`` (the DRF default permission class) looks up
  ``view.basename`` × ``view.action``; a role missing from the cell is refused (403 ``permission_denied``) and an
  action missing from the table is refused for everyone (fail closed);
* the admin: ``accounts.roles_setup`` gives each role group ``add`` / ``change`` on a resource's model when the
  role may ``create`` / ``update`` it here (``admin_grants``); models no API resource writes stay the city office's.

The services keep their own checks (a decision still needs the city office in ``workflow.actions``): the table is
the first gate, not the only one. ``accounts/tests/test_permission_table.py`` checks that every registered route's
action is listed and walks every cell on the real URLs.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from accounts.roles import Role

CITYWIDE = "citywide"
OWN_REGION = "own_region"

Cell = Mapping[str, str]  # role -> CITYWIDE | OWN_REGION

# --- the cells used below ---------------------------------------------------------------------------------------
EVERY_ROLE: Cell = MappingProxyType(
    {role.value: OWN_REGION if role == Role.DISTRICT_OFFICE else CITYWIDE for role in Role})
CITY_OFFICE: Cell = MappingProxyType({Role.CITY_OFFICE: CITYWIDE})
PROPOSERS: Cell = MappingProxyType({Role.CITY_OFFICE: CITYWIDE, Role.DISTRICT_OFFICE: OWN_REGION})
HR_WRITERS: Cell = MappingProxyType({Role.CITY_OFFICE: CITYWIDE, Role.HR_BUREAU: CITYWIDE})
INTEGRATORS: Cell = MappingProxyType({Role.CITY_OFFICE: CITYWIDE, Role.FINANCE_SYSTEM: CITYWIDE})

READ = ("list", "retrieve")
EDIT = ("create", "update", "partial_update")


@dataclass(frozen=True)
class Resource:
    """One row of the table: the model the resource writes (``"app_label.model"``, for the admin grants; ``None``
    when the resource is a computed view) and each action's cell."""

    model: str | None
    actions: Mapping[str, Cell] = field(default_factory=dict)


def cells(cell: Cell, *actions: str) -> dict[str, Cell]:
    return dict.fromkeys(actions, cell)


# fmt: off
TABLE: Mapping[str, Resource] = MappingProxyType({
    # --- registry (institutions) ---
    # Regions decide every region's figures: the city office's.
    "region": Resource("institutions.region", {**cells(EVERY_ROLE, *READ), **cells(CITY_OFFICE, *EDIT)}),
    "institution": Resource("institutions.institution",
                            {**cells(EVERY_ROLE, *READ, "timeline"), **cells(PROPOSERS, *EDIT)}),
    "internal-division": Resource("institutions.internaldivision",
                                  {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),
    "plaque": Resource("institutions.plaque", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),
    # Every role reads every document; a district office writes only the ones its region issued.
    "document": Resource("institutions.approvaldocument", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),

    # --- ledger (quotas) ---
    "quota-type": Resource("quotas.quotatype", cells(EVERY_ROLE, *READ)),
    "quota-account": Resource("quotas.quotaaccount",
                              cells(EVERY_ROLE, *READ, "statement", "region_ledger", "totals")),
    "quota-transfer": Resource("quotas.quotatransfer",
                               {**cells(EVERY_ROLE, *READ), **cells(CITY_OFFICE, "create", "reverse")}),

    # --- zero-based allocation: reference data deciding other regions' figures, the city office's ---
    "region-indicator": Resource("allocation.regionindicator",
                                 {**cells(EVERY_ROLE, *READ), **cells(CITY_OFFICE, *EDIT)}),
    "allocation-scenario": Resource("allocation.allocationscenario", {
        **cells(EVERY_ROLE, *READ, "compare", "results", "stress_test"),
        **cells(CITY_OFFICE, *EDIT, "compute", "areas", "approve", "apply", "copy"),
    }),

    # --- positions: HR (and the city office) write plans, staff counts and their imports ---
    "position-plan": Resource("positions.positionplan",
                              {**cells(EVERY_ROLE, *READ), **cells(HR_WRITERS, *EDIT, "import_xlsx")}),
    "staff-count": Resource("positions.staffcount",
                            {**cells(EVERY_ROLE, *READ), **cells(HR_WRITERS, *EDIT, "import_xlsx")}),
    "position-rule-set": Resource("positions.positionruleset", cells(EVERY_ROLE, *READ)),  # written in the admin
    "import-job": Resource("positions.importjob", cells(EVERY_ROLE, *READ)),  # each user sees their own jobs

    # --- reconciliation ---
    "reconciliation": Resource(None, cells(EVERY_ROLE, *READ)),
    "position-notice": Resource("reconciliation.positiondirectionnotice",
                                {**cells(EVERY_ROLE, *READ, "docx", "html"), **cells(CITY_OFFICE, "create")}),

    # --- workflow: a district office proposes, the city office decides ---
    "hiring-plan": Resource("workflow.hiringplan", {
        **cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT, "submit", "withdraw"),
        **cells(CITY_OFFICE, "approve", "reject", "execute"),
    }),
    "quota-use-notice": Resource("workflow.quotausenotice", {
        **cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT, "submit", "withdraw"),
        **cells(CITY_OFFICE, "approve", "reject", "execute"),
    }),
    "turnover-loan": Resource("workflow.turnoverloan", {
        **cells(EVERY_ROLE, *READ, "holdings"), **cells(PROPOSERS, *EDIT, "submit", "withdraw"),
        **cells(CITY_OFFICE, "approve", "reject", "execute", "return_quotas"),
    }),
    "staff-movement": Resource("workflow.staffmovement", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, "create")}),
    "loan-return-offer": Resource("workflow.loanreturnoffer",
                                  {**cells(EVERY_ROLE, *READ), **cells(CITY_OFFICE, "accept", "decline")}),
    "staff-change": Resource(None, cells(EVERY_ROLE, "list")),

    # --- reforms: a district office proposes plans for its region, the city office decides and executes ---
    "reform-plan": Resource("reforms.reformplan", {
        **cells(EVERY_ROLE, *READ, "preview"), **cells(PROPOSERS, *EDIT, "submit", "withdraw", "to_standard"),
        **cells(CITY_OFFICE, "approve", "reject", "execute"),
    }),
    "reform-operation": Resource("reforms.reformoperation",
                                 {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT, "destroy")}),
    "reform-effect": Resource(None, cells(EVERY_ROLE, "list")),

    # --- tracking: the reform's follow-up; a district office writes its own region's rows ---
    "reform-task": Resource("tracking.reformtask", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),
    "milestone": Resource("tracking.milestone", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),
    "unit-checklist": Resource("tracking.unitchecklist", {**cells(EVERY_ROLE, *READ), **cells(PROPOSERS, *EDIT)}),
    # annual reports are opened by the yearly sweep (no create); a district office submits its own region's
    "annual-report": Resource("tracking.annualreport", {
        **cells(EVERY_ROLE, *READ), **cells(PROPOSERS, "update", "partial_update")}),
    "reform-progress": Resource(None, cells(EVERY_ROLE, "list")),

    # --- standards: reference data written in the admin (the city office's); every role reads, scoped ---
    "institution-cap": Resource("standards.institutioncap", cells(EVERY_ROLE, *READ)),
    "standard-finding": Resource(None, cells(EVERY_ROLE, "list")),
    "service-figure": Resource("standards.servicefigure", cells(EVERY_ROLE, *READ)),
    "institution-standard": Resource(None, cells(EVERY_ROLE, "retrieve")),  # one unit against every standard

    # --- integrations: the change feed (every role reads, scoped); a client's webhooks (its own) ---
    "change": Resource(None, cells(EVERY_ROLE, "list")),
    "webhook-subscription": Resource("integrations.webhooksubscription", {
        **cells(INTEGRATORS, *READ, *EDIT, "resume")}),

    # --- finance ---
    # The finance view of each unit is computed (no model); the payroll check is posted by the finance system (or
    # the city office) and read by every role, a district office its own region's units of it.
    "finance-unit": Resource(None, cells(EVERY_ROLE, *READ)),
    "payroll-check": Resource("finance.payrollcheck", {
        **cells(EVERY_ROLE, *READ),
        **cells(MappingProxyType({Role.CITY_OFFICE: CITYWIDE, Role.FINANCE_SYSTEM: CITYWIDE}),
                "create", "import_xlsx"),
    }),

    # --- powers ---
    # Power lists and the law-enforcement list: a district office writes (and imports) its own region's items.
    "power-item": Resource("powers.poweritem", {**cells(EVERY_ROLE, *READ, "counts"), **cells(PROPOSERS, *EDIT)}),
    "enforcement-power": Resource("powers.enforcementpower", {
        **cells(EVERY_ROLE, *READ, "counts"), **cells(PROPOSERS, *EDIT, "import_xlsx")}),
    # --- end powers ---

    # --- mandates ---
    # 三定 regulations and charters: a district office drafts its own region's versions (a new draft from one too),
    # the city office approves; party organisations: a district office sets up, renames and adjusts its own
    # region's.
    "mandate": Resource("mandates.mandate", {
        **cells(EVERY_ROLE, *READ, "docx", "diff"), **cells(PROPOSERS, *EDIT, "new_draft"),
        **cells(CITY_OFFICE, "approve")}),
    "charter": Resource("mandates.charter", {
        **cells(EVERY_ROLE, *READ, "docx", "diff"), **cells(PROPOSERS, *EDIT, "new_draft"),
        **cells(CITY_OFFICE, "approve")}),
    "party-organisation": Resource("mandates.partyorganisation", {
        **cells(EVERY_ROLE, *READ), **cells(PROPOSERS, "create", "rename", "adjust")}),
    # --- end mandates ---

    # --- accounts ---
    "me": Resource(None, cells(EVERY_ROLE, "retrieve")),
})
# fmt: on

# Actions that change nothing (for the admin's ``view`` grant and the generated test).
READ_ACTIONS = frozenset({"list", "retrieve", "statement", "region_ledger", "totals", "compare", "results",
                          "stress_test", "docx", "html", "holdings", "preview", "timeline",
                          "counts",  # counts: powers
                          "diff"})  # diff: mandates


# --- reading the table --------------------------------------------------------------------------------------------

def cell(resource: str, action: str) -> Cell | None:
    """The roles allowed ``action`` on ``resource`` with their reach; ``None`` when the table does not list it."""
    row = TABLE.get(resource)
    return None if row is None else row.actions.get(action)


def allowed_roles(resource: str, action: str) -> frozenset[str]:
    """The roles allowed ``action`` on ``resource`` (empty when not listed: refused)."""
    return frozenset(cell(resource, action) or ())


def reach(resource: str, action: str, role: str) -> str | None:
    """``CITYWIDE``, ``OWN_REGION``, or ``None`` when ``role`` may not do it."""
    return (cell(resource, action) or {}).get(role)


def allows(roles, resource: str, action: str) -> bool:
    """True when one of ``roles`` may do ``action`` on ``resource``."""
    return bool(set(roles) & allowed_roles(resource, action))


def listed(resource: str, action: str) -> bool:
    return cell(resource, action) is not None


def actions_of(resource: str) -> tuple[str, ...]:
    row = TABLE.get(resource)
    return tuple(row.actions) if row else ()


def admin_grants() -> dict[str, dict[str, set[str]]]:
    """``{role: {"app_label.model": {"add", "change"}}}``: admin write grants derived from the API cells.

    ``add`` when the role may ``create`` the resource, ``change`` when it may ``update`` it. Only resources with a
    model contribute; the city office's grants on every other model are kept by ``accounts.roles_setup``.
    """
    grants: dict[str, dict[str, set[str]]] = {role.value: {} for role in Role}
    for resource in TABLE.values():
        if resource.model is None:
            continue
        for action, permission in (("create", "add"), ("update", "change"), ("partial_update", "change")):
            for role in resource.actions.get(action, {}):
                grants[role].setdefault(resource.model, set()).add(permission)
    return grants
