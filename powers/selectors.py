"""The powers app's figures, read in SQL: power-list items counted per holder, region, level, holder kind, type and
disposition; law-enforcement items per district, department and type (and district × type). Every reader passes
the queryset it may see (region-scoped, filtered), so the counts are of what the reader sees."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from powers.choices import Disposition, PowerType
from powers.models import EnforcementPower, PowerItem


def _by(queryset: QuerySet, name: str) -> dict[str, int]:
    return {row[name]: row["n"] for row in queryset.order_by().values(name).annotate(n=Count("pk"))}


def _choice_counts(counts: dict[str, int], choices) -> list[dict]:
    """Every choice in its order with its count (zero where none)."""
    return [{"value": value, "label": str(label), "count": counts.get(value, 0)} for value, label in choices]


@dataclass
class PowerItemCounts:
    total: int
    by_type: list[dict]
    by_disposition: list[dict]
    by_level: dict[str, int]
    by_holder_kind: dict[str, int]
    by_region: list[dict]
    by_holder: list[dict] = field(default_factory=list)


def power_item_counts(queryset: QuerySet | None = None) -> PowerItemCounts:
    """Counts of ``queryset`` (every item by default): in total, per type and disposition (every choice, zero
    included), per level (city / district) and holder kind (agency / public institution) from the registry, per
    region and per holder (each with its counts per type and disposition)."""
    items = (PowerItem.objects.all() if queryset is None else queryset).order_by()
    type_counts, disposition_counts = _by(items, "power_type"), _by(items, "disposition")
    city = items.filter(region__parent__isnull=True).count()
    total = items.count()
    holders = []
    per_type = {(row["holder"], row["power_type"]): row["n"] for row in items.values("holder", "power_type")
                .annotate(n=Count("pk"))}
    per_disposition = {(row["holder"], row["disposition"]): row["n"] for row in items.values(
        "holder", "disposition").annotate(n=Count("pk"))}
    for row in items.values("holder", "holder__name", "holder__kind", "region", "region__code", "region__name") \
            .annotate(n=Count("pk")).order_by("region__code", "holder__name", "holder"):
        holders.append({
            "holder_id": row["holder"], "holder_name": row["holder__name"], "holder_kind": row["holder__kind"],
            "region_id": row["region"], "region_code": row["region__code"], "region_name": row["region__name"],
            "count": row["n"],
            "by_type": {value: per_type.get((row["holder"], value), 0) for value in PowerType.values},
            "by_disposition": {value: per_disposition.get((row["holder"], value), 0)
                               for value in Disposition.values},
        })
    regions = [{"region_id": row["region"], "region_code": row["region__code"], "region_name": row["region__name"],
                "count": row["n"]}
               for row in items.values("region", "region__code", "region__name").annotate(n=Count("pk"))
               .order_by("region__code")]
    kinds = _by(items, "holder__kind")
    return PowerItemCounts(
        total=total, by_type=_choice_counts(type_counts, PowerType.choices),
        by_disposition=_choice_counts(disposition_counts, Disposition.choices),
        by_level={"city": city, "district": total - city},
        by_holder_kind={"agency": kinds.get("agency", 0), "public_institution": kinds.get("public_institution", 0)},
        by_region=regions, by_holder=holders)


@dataclass
class EnforcementCounts:
    total: int
    by_type: list[dict]
    by_district: list[dict]
    by_department: list[dict]


def enforcement_counts(queryset: QuerySet | None = None) -> EnforcementCounts:
    """Counts of ``queryset`` (every item by default): in total, per type (every type, zero included), per district
    (with its count per type: the district × type table) and per department (with its district)."""
    items = (EnforcementPower.objects.all() if queryset is None else queryset).order_by()
    per_cell = {(row["district"], row["power_type"]): row["n"]
                for row in items.values("district", "power_type").annotate(n=Count("pk"))}
    districts = []
    for row in items.values("district", "district__code", "district__name").annotate(n=Count("pk")) \
            .order_by("district__code"):
        districts.append({
            "district_id": row["district"], "district_code": row["district__code"],
            "district_name": row["district__name"], "count": row["n"],
            "by_type": {value: per_cell.get((row["district"], value), 0) for value in PowerType.values},
        })
    departments = [
        {"department_id": row["department"], "department_name": row["department__name"],
         "district_id": row["district"], "district_code": row["district__code"], "count": row["n"]}
        for row in items.values("department", "department__name", "district", "district__code")
        .annotate(n=Count("pk")).order_by("district__code", "-n", "department__name", "department")]
    return EnforcementCounts(total=items.count(), by_type=_choice_counts(_by(items, "power_type"), PowerType.choices),
                             by_district=districts, by_department=departments)

