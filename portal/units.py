"""A unit's page: its registry entry, with links to its accounts and statements, reconciliation row, plans, staff
counts, requests, documents, 三定 and standards.

Every figure is read where it is computed: the quota position of each of its accounts from ``workflow.vacancy``
(held, borrowed, own, staff, reserved, usable vacancy: the ledger's balances through ``quotas.selectors``), its
row and direction from ``reconciliation.selectors``. This page only assembles and links; an admin link is shown
only to those the admin lets in (``portal.nav.AdminGuard``). Another region's unit is not found (404).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from institutions.models import ApprovalDocument, Institution, InstitutionEvent
from mandates.models import Charter, Mandate
from portal.nav import AdminGuard, admin_changelist_url
from positions.models import PositionPlan, StaffCount
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from reconciliation.choices import ReconciliationFlag
from reconciliation.selectors import reconciliation_of
from workflow.models import HiringPlan, QuotaUseNotice, StaffMovement, TurnoverLoan
from workflow.vacancy import quota_position

MAX_ID = 2**63 - 1

# The unit's rows kept in the admin, each listed there filtered to the unit: (label, model, model label).
ADMIN_LISTS = (
    (_("Position plans"), PositionPlan, "positions.PositionPlan"),
    (_("Staff counts"), StaffCount, "positions.StaffCount"),
    (_("Hiring plans"), HiringPlan, "workflow.HiringPlan"),
    (_("Quota-use notices"), QuotaUseNotice, "workflow.QuotaUseNotice"),
    (_("Staff entries and exits"), StaffMovement, "workflow.StaffMovement"),
    (_("Turnover-pool loans"), TurnoverLoan, "workflow.TurnoverLoan"),
)


@dataclass(frozen=True)
class AccountRow:
    account: QuotaAccount
    position: object | None  # workflow.quota_position.QuotaPosition of an open account; None for a closed one
    statement_url: str | None


@dataclass(frozen=True)
class AdminList:
    label: str
    count: int
    url: str | None


def _admin_url(request, model_label: str, url_name: str, *args, query: dict | None = None) -> str | None:
    """The admin page's address when this user may open it, else None."""
    if not AdminGuard(model_label).allows(request):
        return None
    url = reverse(url_name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _accounts(request, unit: Institution) -> list[AccountRow]:
    """Each ledger account the unit holds, with its quota position (open accounts) and its statement."""
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=unit).select_related(
        "quota_type").order_by("-is_active", "quota_type__pk", "pk")
    return [AccountRow(
        account=account,
        position=quota_position(unit, quota_type=account.quota_type) if account.is_active else None,
        statement_url=_admin_url(request, "quotas.QuotaAccount", "admin:quotas_quotaaccount_statement", account.pk),
    ) for account in accounts]


def _admin_lists(request, unit: Institution) -> list[AdminList]:
    return [AdminList(label, model.objects.filter(institution=unit).count(),
                      _admin_url(request, model_label, admin_changelist_url(model_label),
                                 query={"institution__id__exact": unit.pk}))
            for label, model, model_label in ADMIN_LISTS]


def unit_documents(unit: Institution):
    """The approval documents that concern the unit: those establishing and ending it, and every row of the unit
    citing one (plaques, life events, transfers of its accounts, plans, requests, regulations …), newest first."""
    condition = Q(pk__in=[pk for pk in (unit.established_document_id, unit.ended_document_id) if pk])
    for relation in ApprovalDocument._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not (relation.auto_created and relation.one_to_many) or hasattr(model, "instance_type"):
            continue  # history rows cite nothing of their own
        if model is QuotaTransfer:
            cited = model.objects.filter(Q(source__institution=unit) | Q(target__institution=unit))
        elif any(getattr(f, "related_model", None) is Institution and f.name == "institution"
                 for f in model._meta.concrete_fields):
            cited = model.objects.filter(institution=unit)
        else:
            continue
        condition |= Q(pk__in=cited.values(relation.field.name))
    return ApprovalDocument.objects.filter(condition).order_by("-date_issued", "-pk")


def _reconciliation_url(unit: Institution) -> str:
    """The reconciliation page filtered to the unit (its region and its name)."""
    return f"{reverse('reconciliation:reconciliation')}?{urlencode({'region': unit.region_id, 'name': unit.name})}"


def _visible_unit(request, pk: int) -> Institution:
    if pk > MAX_ID:
        raise Http404
    unit = scope_queryset(Institution.objects.select_related(
        "region", "supervisor__region", "successor", "established_document", "ended_document"), request.user,
    ).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@role_required
@require_GET
def unit_page(request, pk: int):
    """The unit's page (see the module docstring)."""
    unit = _visible_unit(request, pk)
    visible = scope_queryset(Institution.objects.all(), request.user)
    documents = unit_documents(unit)
    row = reconciliation_of(unit)
    return render(request, "portal/unit.html", {
        "unit": unit,
        "supervisor_visible": bool(unit.supervisor_id and visible.filter(pk=unit.supervisor_id).exists()),
        "successor_visible": bool(unit.successor_id and visible.filter(pk=unit.successor_id).exists()),
        "plaques": unit.plaques.select_related("document").order_by("started_on", "name"),
        "former_names": InstitutionEvent.objects.filter(institution=unit).exclude(former_name="").select_related(
            "document").order_by("date", "pk"),
        "accounts": _accounts(request, unit),
        "row": row,
        "row_flags": [(flag, ReconciliationFlag(flag).label) for flag in row.flags] if row else [],
        "reconciliation_url": _reconciliation_url(unit),
        "admin_lists": _admin_lists(request, unit),
        "documents": documents,
        "registry_url": _admin_url(request, "institutions.Institution", "admin:institutions_institution_change",
                                   unit.pk),
        "has_mandates": Mandate.objects.filter(institution=unit).exists()
        or Charter.objects.filter(institution=unit).exists(),
    })
