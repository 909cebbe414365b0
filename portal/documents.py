"""An approval document's page (文号): what it is, its file, and what was done under it: the ledger's transfers, the
units it established or ended, the requests and plans it decided, and how many rows of each other kind cite it.

Documents are every role's reference data; what cites them is shown as far as the user's regions reach (a district
office sees its own region's transfers and requests, and no count of rows it could not open). The file is served
here, to logged-in users with a role, as a download named by the document's number and title: uploaded files are
not published under a public address.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import region_path_of, scope_queryset, visible_region_ids
from institutions.models import ApprovalDocument, Institution
from portal.templatetags.documents import may_view_documents
from quotas.models import QuotaTransfer
from reforms.models import ReformPlan
from workflow.models import HiringPlan, QuotaUseNotice, TurnoverLoan

MAX_ID = 2**63 - 1
SHOWN = 100  # transfers and decisions listed on the page; the totals count them all
# The kinds of rows that have a page of their own, listed with links: model → (URL name, what its name reads).
PAGES = {Institution: ("portal:unit", ()), HiringPlan: ("workflow:plan_detail", ("institution",)),
         QuotaUseNotice: ("workflow:notice_detail", ("institution",)),
         TurnoverLoan: ("workflow:loan_detail", ("institution",)), ReformPlan: ("reforms:plan_detail", ())}


@dataclass(frozen=True)
class CitingKind:
    label: str
    count: int
    rows: list  # (text, url) of the first SHOWN, for the kinds with pages


def _document(pk: int) -> ApprovalDocument:
    document = ApprovalDocument.objects.select_related("region").filter(pk=pk).first() if pk <= MAX_ID else None
    if document is None:
        raise Http404
    return document


def _citing_kinds(document: ApprovalDocument, user) -> list[CitingKind]:
    """Per kind of row (transfers apart), how many the user may see cite the document, with links where a kind has
    a page. A kind without a region reaches every region: a district office is not told of those."""
    restricted = visible_region_ids(user) is not None
    counts: dict[type, list] = {}
    for model, rows in document.citing():
        if model is QuotaTransfer or (restricted and region_path_of(model) is None):
            continue
        counts.setdefault(model, []).append(scope_queryset(rows, user))
    kinds = []
    for model, querysets in counts.items():
        rows = querysets[0]
        for more in querysets[1:]:
            rows = rows | more
        count = rows.count()
        if not count:
            continue
        links = []
        if model in PAGES:
            url_name, related = PAGES[model]
            links = [(str(row), reverse(url_name, args=[row.pk]))
                     for row in rows.select_related(*related).order_by("pk")[:SHOWN]]
        kinds.append(CitingKind(str(model._meta.verbose_name_plural), count, links))
    return kinds


@role_required
@require_GET
def document_page(request, pk: int):
    """The document's page (see the module docstring)."""
    document = _document(pk)
    transfers = scope_queryset(QuotaTransfer.objects.filter(document=document), request.user)
    totals = transfers.aggregate(amount=Sum("amount"))
    return render(request, "portal/document.html", {
        "document": document,
        "file_name": os.path.basename(document.file.name) if document.file else "",
        "transfers": transfers.select_related("source__quota_type", "source__institution", "source__region",
                                              "target__institution", "target__region")
        .order_by("effective_date", "pk")[:SHOWN],
        "transfer_count": transfers.count(), "transfer_amount": totals["amount"] or 0, "shown": SHOWN,
        "citing": _citing_kinds(document, request.user),
        "admin_url": reverse("admin:institutions_approvaldocument_change", args=[document.pk])
        if may_view_documents(request) else None,
    })


@role_required
@require_GET
def document_file(request, pk: int):
    """The document's file, as a download named ``<number> <title>.<ext>``; 404 when it has none."""
    document = _document(pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = os.path.splitext(document.file.name)[1].lower()
    return FileResponse(handle, as_attachment=True, filename=f"{document.number} {document.title}{extension}")



