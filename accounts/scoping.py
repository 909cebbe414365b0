"""Region scoping: the one place that decides which rows a user may see.

Every API view, admin page, report and export narrows its queryset through ``scope_queryset``.
A model says how it reaches a region with a ``region_path`` class attribute (for example
``"institution__region"``); ``None`` means the rows belong to no region (reference data,
documents) and every user with a role sees them.
"""
from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from accounts.roles import CITYWIDE_ROLES, Role, user_roles
from institutions.choices import InstitutionKind
from institutions.models import Institution, Region


def visible_region_ids(user) -> set[int] | None:
    """Region ids ``user`` may see: ``None`` means every region, an empty set means none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    roles = user_roles(user)
    if roles & CITYWIDE_ROLES:
        return None
    if Role.DISTRICT_OFFICE in roles:
        cached = getattr(user, "_visible_region_ids", None)  # once per request: every scoped query asks
        if cached is None:
            region_id = getattr(getattr(user, "profile", None), "region_id", None)
            cached = set() if region_id is None else {
                region_id, *Region.objects.filter(parent_id=region_id).values_list("pk", flat=True)}
            user._visible_region_ids = frozenset(cached)
        return set(cached)
    return set()


def region_path_of(model: type[Model]) -> str | tuple[str, ...] | None:
    """The lookup path from ``model`` to its region (``"pk"`` for regions themselves).

    A tuple of paths means a row belongs to each region any of them reaches (a transfer
    between two regions is seen by both).
    """
    if model._meta.label_lower == "institutions.region":
        return "pk"
    return getattr(model, "region_path", None)


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """Narrow ``queryset`` to the rows ``user`` may see."""
    region_ids = visible_region_ids(user)
    if region_ids is None:
        return queryset
    if not region_ids:
        if getattr(user, "is_authenticated", False) and user_roles(user) and region_path_of(queryset.model) is None:
            return queryset  # a district user with no region still sees reference data
        return queryset.none()
    path = region_path_of(queryset.model)
    if path is None:
        return queryset
    if isinstance(path, tuple):
        condition = Q()
        for each in path:
            condition |= Q(**{f"{each}__in": region_ids})
        return queryset.filter(condition)
    return queryset.filter(**{f"{path}__in": region_ids})


def can_see_region(user, region_id: int | None) -> bool:
    """True when ``user`` may see (and, role permitting, act in) the region ``region_id``."""
    region_ids = visible_region_ids(user)
    return region_ids is None or region_id in region_ids


# Choices of related rows offered to a user (filters, serializer fields, forms): only what scoping lets them see.
def visible_regions(request):
    """Regions a filter or field may name: those the user sees (another region's id is "not a valid choice")."""
    if request is None:
        return Region.objects.none()
    return scope_queryset(Region.objects.all(), request.user)


def visible_institutions(request):
    if request is None:
        return Institution.objects.none()
    return scope_queryset(Institution.objects.all(), request.user)


def visible_agencies(request):
    return visible_institutions(request).filter(kind=InstitutionKind.AGENCY)


def home_region(user):
    """The region a user's new rows belong to by default: a district user's own, else the city level."""
    region_id = getattr(getattr(user, "profile", None), "region_id", None)
    if region_id is not None and Role.DISTRICT_OFFICE in user_roles(user):
        return Region.objects.filter(pk=region_id).first()
    return Region.objects.filter(parent__isnull=True).order_by("pk").first()


def may_write_row(user, obj) -> bool:
    """Whether ``user``'s regions own ``obj`` for writing: by the model's ``write_region_path`` (else its
    ``region_path``); a row without a region path is anyone's with the role to write it."""
    region_ids = visible_region_ids(user)
    if region_ids is None:
        return True
    path = getattr(type(obj), "write_region_path", None) or region_path_of(type(obj))
    if not path:
        return True
    paths = path if isinstance(path, tuple) else (path,)
    owners = set()
    for each in paths:
        value = obj
        for part in each.split("__"):
            value = getattr(value, part, None) if value is not None else None
        owners.add(getattr(value, "pk", value))
    return bool(owners & region_ids)
