"""Pages of the mandates app: the units with regulations and charters, a unit's versions (the one in force now
marked), a version's text with its difference from another, and its .docx. Scoped like the API: another region's
unit or version is not found (404)."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from institutions.models import Institution
from mandates import selectors
from mandates.documents import DOCX_CONTENT_TYPE
from mandates.models import Charter, Mandate, PartyOrganisation

MAX_ID = 2**63 - 1
MODELS = {"mandate": Mandate, "charter": Charter}


def _visible(model, user):
    return scope_queryset(model.objects.select_related("institution__region", "document"), user)


@role_required
@require_GET
def index(request):
    """Every unit (that the user sees) with a regulation or a charter, and the versions in force today."""
    today = selectors.today()
    mandates = _visible(Mandate, request.user)
    charters = _visible(Charter, request.user)
    in_force = {row.institution_id: row for row in Mandate.objects.filter(
        pk__in=selectors.in_force_ids(Mandate, mandates, today)).select_related("document")}
    charter_in_force = {row.institution_id: row for row in Charter.objects.filter(
        pk__in=selectors.in_force_ids(Charter, charters, today)).select_related("document")}
    unit_ids = set(mandates.values_list("institution_id", flat=True)) | set(
        charters.values_list("institution_id", flat=True))
    units = Institution.objects.filter(pk__in=unit_ids).select_related("region").order_by("region__code", "name")
    rows = [(unit, in_force.get(unit.pk), charter_in_force.get(unit.pk)) for unit in units]
    return render(request, "mandates/index.html", {"rows": rows, "day": today})


@role_required
@require_GET
def unit_page(request, pk: int):
    if pk > MAX_ID:
        raise Http404
    unit = scope_queryset(Institution.objects.select_related("region", "supervisor"), request.user).filter(
        pk=pk).first()
    if unit is None:
        raise Http404
    today = selectors.today()
    current = {kind: selectors.in_force(model, unit, today) for kind, model in MODELS.items()}
    return render(request, "mandates/unit.html", {
        "unit": unit, "day": today, "current": current,
        "mandates": Mandate.objects.filter(institution=unit).select_related("document").order_by("-version"),
        "charters": Charter.objects.filter(institution=unit).select_related("document").order_by("-version"),
        "parties": PartyOrganisation.objects.filter(institution=unit).select_related(
            "party_affairs_division", "discipline_division").prefetch_related("events__document"),
    })


def _version(request, kind: str, pk: int):
    if kind not in MODELS or pk > MAX_ID:
        raise Http404
    row = _visible(MODELS[kind], request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _text(kind: str, row):
    return selectors.mandate_text(row) if kind == "mandate" else selectors.charter_text(row)


@role_required
@require_GET
def version_page(request, kind: str, pk: int):
    """A version's text; ``?against=<id>`` (another version of the unit) shows the difference article by article."""
    row = _version(request, kind, pk)
    title, articles = _text(kind, row)
    siblings = MODELS[kind].objects.filter(institution=row.institution).exclude(pk=row.pk).order_by("-version")
    against, diff = request.GET.get("against", ""), None
    if against.isascii() and against.isdigit() and int(against) <= MAX_ID:
        other = siblings.filter(pk=int(against)).first()
        if other is not None:
            old, new = sorted((other, row), key=lambda version: version.version)
            diff = {"old": old, "new": new, "articles": selectors.articles_diff(_text(kind, old)[1],
                                                                                 _text(kind, new)[1])}
    return render(request, "mandates/version.html", {
        "kind": kind, "row": row, "title": title, "articles": articles, "siblings": siblings, "diff": diff})


def docx_response(row, *, kind: str) -> HttpResponse:
    """The version as a Word download, named in the reader's language (``哈尔滨市…中心-章程-v2.docx``); the page and
    the API serve it alike."""
    name = f"{row.institution.name}-{row._meta.verbose_name}-v{row.version}.docx"
    return HttpResponse(selectors.docx_of(row, kind=kind), content_type=DOCX_CONTENT_TYPE,
                        headers={"Content-Disposition": content_disposition_header(True, name)})


@role_required
@require_GET
def version_docx(request, kind: str, pk: int):
    return docx_response(_version(request, kind, pk), kind=kind)
