"""The global search of units: by name, former name, plaque and credit code, within the user's regions.

One query answers both the search page and the unit picker's JSON (core.widgets.UnitAutocompleteWidget): the
user's regions first (``accounts.scoping``: a district office finds its own region's units only), then the text.
Former names and plaques are matched by correlated ``EXISTS`` subqueries on their foreign-key indexes rather than by
joins (no duplicates, no DISTINCT over the registry); a text shaped like a credit code is matched by prefix on the
code's unique index; a page or an answer reads at most its slice.
"""
from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from institutions.choices import InstitutionKind, InstitutionStatus
from institutions.models import Institution, InstitutionEvent, Plaque
from institutions.validators import CREDIT_CODE_ALPHABET

MAX_TEXT = 200  # the longest name the registry holds: a longer text matches nothing
PAGE_SIZE = 50
JSON_LIMIT = 20
MAX_ID = 2**63 - 1
# Four or more characters of the code's alphabet (a shorter run would match digits inside a name's number).
CREDIT_CODE_PREFIX = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{4,18}}$")


def clean_text(raw: str | None) -> str:
    """The search text: trimmed, without NUL characters (PostgreSQL refuses them in a query)."""
    return (raw or "").replace("\x00", "").strip()


def matching_units(user, text: str, *, region_id: int | None = None) -> QuerySet:
    """Units ``user`` may see whose name, short name, former name, plaque or credit code matches ``text``, active
    units first; each annotated with ``matched_plaque`` / ``matched_former`` (booleans) to say why it matched."""
    if not text or len(text) > MAX_TEXT:
        return Institution.objects.none()
    units = scope_queryset(Institution.objects.all(), user)
    if region_id is not None:
        units = units.filter(Q(region_id=region_id) | Q(region__parent_id=region_id))
    plaque = Exists(Plaque.objects.filter(institution=OuterRef("pk"), name__icontains=text))
    former = Exists(InstitutionEvent.objects.filter(institution=OuterRef("pk"), former_name__icontains=text)
                    .exclude(former_name=""))
    condition = Q(name__icontains=text) | Q(short_name__icontains=text) | Q(matched_plaque=True) | Q(
        matched_former=True)
    code = text.upper()
    if CREDIT_CODE_PREFIX.match(code):
        condition |= Q(credit_code__startswith=code)
    return (
        units.annotate(matched_plaque=plaque, matched_former=former).filter(condition)
        .select_related("region")
        .annotate(inactive=Case(When(status=InstitutionStatus.ACTIVE, then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
        .order_by("inactive", "region__code", "name", "pk")
    )


def unit_label(unit: Institution) -> str:
    """How a unit is named in a list of matches: its name and its region (two units of two regions may share a
    name)."""
    return f"{unit.name}（{unit.region.name}）"


def _region_param(value: str | None) -> tuple[int | None, str | None]:
    """The ``region`` parameter: (id, None), (None, None) when absent, or (None, error)."""
    if not value:
        return None, None
    if not value.isdigit() or int(value) > MAX_ID:
        return None, _("Choose a region by its number.")
    return int(value), None


@role_required
@require_GET
def search_page(request):
    """The search page: the matches of ``?q=``, 50 a page, each linked to the unit's page."""
    text = clean_text(request.GET.get("q"))
    page = Paginator(matching_units(request.user, text), PAGE_SIZE).get_page(request.GET.get("page")) \
        if text else None
    return render(request, "portal/search.html", {
        "q": text, "page": page, "too_long": len(text) > MAX_TEXT})


@role_required
@require_GET
def units_json(request):
    """Up to 20 matches of ``?q=`` (optionally in ``?region=`` and its sub-regions, and of one ``?kind=``: agency or
    public institution) as ``[{"id": …, "label": "name（region）"}]``, for the unit picker."""
    region_id, error = _region_param(request.GET.get("region"))
    kind = request.GET.get("kind") or None
    if not error and kind is not None and kind not in InstitutionKind.values:
        error, field = _("Unknown kind of unit."), "kind"
    else:
        field = "region"
    if error:
        return JsonResponse({"message": error, "errors": {field: [error]}}, status=400)
    units = matching_units(request.user, clean_text(request.GET.get("q")), region_id=region_id)
    if kind is not None:
        units = units.filter(kind=kind)
    units = units[:JSON_LIMIT]
    return JsonResponse([{"id": unit.pk, "label": unit_label(unit)} for unit in units], safe=False)
