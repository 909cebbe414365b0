"""Zero-based allocation services: scenario inputs from the database, computing, staleness, approval, application.

The arithmetic is pure (``allocation.zero_based``, ``allocation.apportionment``); this module gathers the inputs in a
few grouped queries, stores results, keeps each scenario's status honest (a change to any input marks it stale
and enqueues a recompute after commit) and posts the approved result to the ledger through ``quotas.services``.
"""
from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from allocation.apportionment import METHODS
from allocation.models import (
    FROZEN_STATUSES,
    AllocationScenario,
    Indicator,
    LedgerReading,
    RegionIndicator,
    ReservesFrom,
    ScenarioArea,
    ScenarioResult,
    ScenarioStatus,
)
from allocation.zero_based import AreaInput, ControlledUse, PlanError, PlanResult, explain, zero_based_plan
from core.errors import ConflictError
from institutions.choices import InstitutionStatus, ReservedClass
from institutions.models import Institution, Region
from quotas import services
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import institution_balances, ledger_feed, totals_by_region
from standards.selectors import unit_standards

INDICATOR_KEYS = ("population", "area", "gdp", "fiscal_revenue")


# --- inputs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioInputs:
    areas: list[AreaInput]
    regions: list[Region]
    overridden: set[int]
    weights: dict[str, Decimal]
    total: int
    method: str
    county_rule: ControlledUse | None
    reserves_from: str = ReservesFrom.HOLDINGS

    def payload(self, *, with_current: bool = True) -> dict:
        """Everything the result depends on, as plain JSON values (``with_current``: also each area's current
        holding, which only the explanation uses)."""
        areas = {}
        for a in self.areas:
            areas[a.key] = {
                "name": a.name, "is_county": a.is_county, "fixed_reserve": a.fixed_reserve,
                "indicators": {k: str(v) for k, v in sorted(a.indicators.items())}, "floor": a.floor, "cap": a.cap,
                "controlled_rule": None if a.controlled_rule is None else [
                    None if a.controlled_rule.share is None else str(a.controlled_rule.share),
                    a.controlled_rule.count],
            }
            if with_current:
                areas[a.key]["current"] = a.current
        out = {
            "areas": areas, "weights": {k: str(v) for k, v in sorted(self.weights.items())},
            "total": self.total, "method": self.method,
            "county_rule": None if self.county_rule is None else str(self.county_rule.share),
        }
        if self.reserves_from != ReservesFrom.HOLDINGS:  # absent for holdings: earlier scenarios keep their digest
            out["reserves_from"] = self.reserves_from
        return out

    def digest(self) -> str:
        """A hash of everything the result depends on: the same inputs give the same results."""
        return hashlib.sha256(json.dumps(self.payload(), sort_keys=True).encode()).hexdigest()


INPUT_LABELS = {
    "total": _lazy("province-approved total"), "method": _lazy("method"),
    "county_rule": _lazy("counties' controlled-use share"), "fixed_reserve": _lazy("fixed reserve"),
    "floor": _lazy("floor"), "cap": _lazy("cap"), "controlled_rule": _lazy("controlled-use rule"),
    "is_county": _lazy("county"), "population": _lazy("population"), "area": _lazy("area"), "gdp": _lazy("GDP"),
    "fiscal_revenue": _lazy("fiscal revenue"), "reserves_from": _lazy("fixed reserves from"),
}


def changed_inputs(before: dict, after: dict) -> list[str]:
    """What differs between two ``ScenarioInputs.payload(with_current=False)``, one sentence per change."""
    def text(value) -> str:
        return "—" if value is None else str(value)

    def change(label, old, new) -> str:
        return _("%(input)s: %(old)s → %(new)s") % {"input": label, "old": text(old), "new": text(new)}

    changes = []
    for key in ("total", "method", "county_rule"):
        if before.get(key) != after.get(key):
            changes.append(change(INPUT_LABELS[key], before.get(key), after.get(key)))
    reserves = [ReservesFrom(payload.get("reserves_from", ReservesFrom.HOLDINGS)).label for payload in (before, after)]
    if reserves[0] != reserves[1]:
        changes.append(change(INPUT_LABELS["reserves_from"], *reserves))
    for key in sorted(set(before.get("weights", {})) | set(after.get("weights", {}))):
        old, new = before.get("weights", {}).get(key), after.get("weights", {}).get(key)
        if old != new:
            changes.append(change(_("weight of %(indicator)s") % {"indicator": INPUT_LABELS.get(key, key)}, old, new))
    old_areas, new_areas = before.get("areas", {}), after.get("areas", {})
    for key in sorted(set(old_areas) | set(new_areas)):
        old, new = old_areas.get(key), new_areas.get(key)
        if old is None or new is None:
            name = (old or new)["name"]
            changes.append(_("%(area)s: added") % {"area": name} if old is None else _("%(area)s: removed")
                           % {"area": name})
            continue
        for name in ("fixed_reserve", "floor", "cap", "controlled_rule", "is_county"):
            if old.get(name) != new.get(name):
                changes.append(_("%(area)s, %(input)s: %(old)s → %(new)s") % {
                    "area": new["name"], "input": INPUT_LABELS[name], "old": text(old.get(name)),
                    "new": text(new.get(name))})
        for indicator in sorted(set(old["indicators"]) | set(new["indicators"])):
            if old["indicators"].get(indicator) != new["indicators"].get(indicator):
                changes.append(_("%(area)s, %(input)s: %(old)s → %(new)s") % {
                    "area": new["name"], "input": INPUT_LABELS.get(indicator, indicator),
                    "old": text(old["indicators"].get(indicator)), "new": text(new["indicators"].get(indicator))})
    return changes


def fixed_reserves(scenario: AllocationScenario, region_ids: list[int]) -> dict[int, int]:
    """Per area: what its active institutions in reserved classes count for: their ledger balances (one grouped
    query), or, with ``reserves_from`` standards, the upper end of each one's industry standard where it has one
    (``standards.selectors.unit_standards``) and its balance where it has none."""
    if scenario.reserves_from == ReservesFrom.STANDARDS:
        return _reserves_from_standards(scenario, region_ids)
    rows = (
        QuotaAccount.objects.filter(
            holder_kind=HolderKind.INSTITUTION, quota_type=scenario.quota_type, region_id__in=region_ids,
            institution__status=InstitutionStatus.ACTIVE,
        )
        .exclude(institution__reserved_class=ReservedClass.NONE)
        .values("region_id").annotate(total=Sum("balance")).values_list("region_id", "total")
    )
    return dict(rows)


def _reserves_from_standards(scenario: AllocationScenario, region_ids: list[int]) -> dict[int, int]:
    units = list(Institution.objects.filter(region_id__in=region_ids, status=InstitutionStatus.ACTIVE).exclude(
        reserved_class=ReservedClass.NONE).select_related("region"))
    balances = institution_balances([unit.pk for unit in units], quota_type=scenario.quota_type)
    standards = unit_standards(units)
    out: dict[int, int] = {}
    for unit in units:
        standard = standards.get(unit.pk)
        counted = standard.high if standard is not None and standard.parts else balances.get(unit.pk, (0, 0))[1]
        out[unit.region_id] = out.get(unit.region_id, 0) + counted
    return out


def current_holdings(scenario: AllocationScenario, region_ids: list[int]) -> dict[int, int]:
    """Per area: what it holds now in its pool, its controlled-use hold and its institutions."""
    rows = (
        QuotaAccount.objects.filter(
            quota_type=scenario.quota_type, region_id__in=region_ids,
            holder_kind__in=[HolderKind.REGION_POOL, HolderKind.REGION_CONTROLLED, HolderKind.INSTITUTION],
        )
        .values("region_id").annotate(total=Sum("balance")).values_list("region_id", "total")
    )
    return dict(rows)


def indicator_values(scenario: AllocationScenario, region_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Per area: population (resident + temporary), area and GDP of the indicator year, and the mean fiscal revenue
    of the fiscal years. A missing figure is a clear error naming the area, the indicator and the year."""
    years = {scenario.indicator_year, *scenario.fiscal_years}
    raw: dict[tuple[int, str, int], Decimal] = {
        (region_id, indicator, year): value
        for region_id, indicator, year, value in RegionIndicator.objects.filter(
            region_id__in=region_ids, year__in=years
        ).values_list("region_id", "indicator", "year", "value")
    }
    names = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name"))

    def need(region_id: int, indicator: str, year: int) -> Decimal:
        try:
            return raw[(region_id, indicator, year)]
        except KeyError:
            raise PlanError(
                _("%(region)s has no %(indicator)s for %(year)d.")
                % {"region": names[region_id], "indicator": Indicator(indicator).label, "year": year}
            ) from None

    year = scenario.indicator_year
    out = {}
    for region_id in region_ids:
        fiscal = [need(region_id, Indicator.FISCAL_REVENUE, y) for y in scenario.fiscal_years]
        out[region_id] = {
            "population": need(region_id, Indicator.RESIDENT_POPULATION, year)
            + raw.get((region_id, Indicator.TEMPORARY_POPULATION, year), Decimal(0)),
            "area": need(region_id, Indicator.AREA, year),
            "gdp": need(region_id, Indicator.GDP, year),
            "fiscal_revenue": sum(fiscal, Decimal(0)) / len(fiscal),
        }
    return out


def scenario_inputs(scenario: AllocationScenario) -> ScenarioInputs:
    """Everything ``zero_based_plan`` needs, read from the registry, the indicators and the ledger."""
    regions = list(Region.objects.filter(parent=scenario.scope_region).order_by("code"))
    if not regions:
        raise PlanError(_("%(city)s has no districts or counties.") % {"city": scenario.scope_region})
    region_ids = [region.pk for region in regions]
    settings = {area.region_id: area for area in ScenarioArea.objects.filter(scenario=scenario)}
    reserves = fixed_reserves(scenario, region_ids)
    holdings = current_holdings(scenario, region_ids)
    values = indicator_values(scenario, region_ids)
    areas, overridden = [], set()
    for region in regions:
        setting = settings.get(region.pk)
        reserve = reserves.get(region.pk, 0)
        rule = None
        if setting is not None:
            if setting.reserve_override is not None:
                reserve = setting.reserve_override
                overridden.add(region.pk)
            if setting.controlled_share is not None:
                rule = ControlledUse(share=setting.controlled_share)
            elif setting.controlled_count is not None:
                rule = ControlledUse(count=setting.controlled_count)
        areas.append(AreaInput(
            key=region.code, name=region.name, is_county=region.level == "county", fixed_reserve=reserve,
            indicators=values[region.pk], current=holdings.get(region.pk, 0),
            floor=setting.floor if setting else None, cap=setting.cap if setting else None, controlled_rule=rule,
        ))
    share = scenario.county_controlled_share
    return ScenarioInputs(
        areas=areas, regions=regions, overridden=overridden, weights=scenario.weights,
        total=scenario.province_total, method=scenario.method,
        county_rule=ControlledUse(share=share) if share else None, reserves_from=scenario.reserves_from,
    )


# --- computing ----------------------------------------------------------------------------------
def scenario_compute(*, scenario_id: int) -> str:
    """Recompute one scenario; what the Celery task runs. Idempotent by the input hash.

    Returns "frozen", "unchanged", "computed" or "failed". A failure keeps the previous results and records
    the message. A change that arrives while computing leaves the scenario stale (its own recompute follows).
    """
    scenario = AllocationScenario.objects.select_related("scope_region", "quota_type").get(pk=scenario_id)
    if scenario.is_frozen:
        return "frozen"
    started = AllocationScenario.objects.filter(pk=scenario.pk).exclude(status__in=FROZEN_STATUSES)
    try:
        inputs = scenario_inputs(scenario)
        digest = inputs.digest()
        if digest == scenario.input_hash and scenario.results.exists() and scenario.status != ScenarioStatus.FAILED:
            started.filter(status__in=[ScenarioStatus.STALE, ScenarioStatus.DRAFT]).update(
                status=ScenarioStatus.COMPUTED)
            return "unchanged"
        started.update(status=ScenarioStatus.COMPUTING)
        plan = zero_based_plan(inputs.areas, total=inputs.total, weights=inputs.weights, method=inputs.method,
                               county_rule=inputs.county_rule)
    except (PlanError, ValueError) as error:
        started.update(status=ScenarioStatus.FAILED,
                       last_error=_("The computation failed: %(reason)s") % {"reason": error})
        return "failed"
    with transaction.atomic():
        ScenarioResult.objects.filter(scenario=scenario).delete()
        ScenarioResult.objects.bulk_create(_result_rows(scenario, inputs, plan))
        # Only a scenario still "computing" becomes "computed": one marked stale meanwhile stays stale.
        AllocationScenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.COMPUTING).update(
            status=ScenarioStatus.COMPUTED, input_hash=digest, last_error="", computed_at=timezone.now())
        AllocationScenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.STALE).update(input_hash=digest)
    return "computed"


def _result_rows(scenario, inputs: ScenarioInputs, plan: PlanResult) -> list[ScenarioResult]:
    by_code = {region.code: region for region in inputs.regions}
    return [
        ScenarioResult(
            scenario=scenario, region=by_code[area.key], fixed_reserve=area.fixed_reserve,
            reserve_overridden=by_code[area.key].pk in inputs.overridden,
            shares={k: str(v) for k, v in area.shares.items()}, score=area.score, ideal=area.ideal,
            allocated=area.allocated, result=area.result, bound=area.bound, controlled=area.controlled,
            usable=area.usable, current=area.current, difference=area.difference, explanation=explain(area),
        )
        for area in plan.areas
    ]


RECOMPUTE_TASK = "allocation.recompute_scenario"


def enqueue(scenario_ids) -> None:
    """Recompute these scenarios in the background once the current transaction commits.

    The task is named, not imported: the tasks module calls this one, not the other way round (it is loaded
    with the app, ``AllocationConfig.ready``).
    """
    task = current_app.tasks[RECOMPUTE_TASK]
    for scenario_id in sorted(set(scenario_ids)):
        transaction.on_commit(partial(task.delay, scenario_id))


def scenarios_mark_stale(queryset) -> list[int]:
    """Mark the scenarios stale and enqueue one recompute each, after commit.

    A scenario already stale (its recompute queued) is left alone, so a burst of changes causes a handful
    of recomputes, not one each. Approved and applied scenarios are frozen: nothing happens to them.
    """
    ids = list(
        queryset.exclude(status__in=[*FROZEN_STATUSES, ScenarioStatus.STALE]).values_list("pk", flat=True)
    )
    if ids:
        AllocationScenario.objects.filter(pk__in=ids).exclude(
            status__in=[*FROZEN_STATUSES, ScenarioStatus.STALE]).update(status=ScenarioStatus.STALE)
        enqueue(ids)
    return ids


def scenarios_touching_regions(region_ids) -> list[int]:
    """Scenarios whose areas include ``region_ids`` (a district's scenarios are those of its city): mark stale."""
    parents = set(Region.objects.filter(pk__in=list(region_ids)).values_list("parent_id", flat=True))
    return scenarios_mark_stale(AllocationScenario.objects.filter(scope_region_id__in=parents | set(region_ids)))


LEDGER_READER = "allocation"


def ledger_read(*, limit: int = 5000) -> int:
    """Read the ledger's transfer log past this app's watermark: a move of a reserved institution's quotas (an
    input of zero-based allocation) marks the scenarios of its region stale, and they are recomputed.

    Run after each commit that posted (``settings.LEDGER_POSTING_HOOKS``) and every minute by the beat (a
    posting whose wake-up was lost, or a gap the young-gap rule held back). Returns the transfers handled. Two
    readers at once are serialised on the watermark row.
    """
    handled = 0
    while True:
        with transaction.atomic():
            LedgerReading.objects.get_or_create(reader=LEDGER_READER)
            mark = LedgerReading.objects.select_for_update().get(reader=LEDGER_READER)
            rows, watermark = ledger_feed(mark.last_transfer_id, limit=limit)
            institution_ids = {
                row[f"{side}__institution_id"] for row in rows for side in ("source", "target")
                if row[f"{side}__holder_kind"] == HolderKind.INSTITUTION
            }
            regions = set(Institution.objects.filter(pk__in=institution_ids).exclude(
                reserved_class=ReservedClass.NONE).values_list("region_id", flat=True)) if institution_ids else set()
            if regions:
                scenarios_touching_regions(regions)
            if watermark != mark.last_transfer_id:
                mark.last_transfer_id, mark.read_at = watermark, timezone.now()
                mark.save(update_fields=["last_transfer_id", "read_at"])
        handled += len(rows)
        if len(rows) < limit:
            return handled


# --- writes through the API and the admin --------------------------------------------------------
SCENARIO_FIELDS = ("name", "scope_region", "quota_type", "province_total", "indicator_year", "fiscal_years",
                   "weight_population", "weight_area", "weight_gdp", "weight_fiscal", "method",
                   "county_controlled_share", "reserves_from")


@transaction.atomic
def scenario_create(*, by, **fields) -> AllocationScenario:
    """A new draft; its first computation is enqueued at once."""
    scenario = AllocationScenario(created_by=by if getattr(by, "pk", None) else None, status=ScenarioStatus.DRAFT,
                                  **{k: v for k, v in fields.items() if k in SCENARIO_FIELDS})
    scenario.full_clean()
    scenario.save()
    enqueue([scenario.pk])
    return scenario


def _refuse_if_frozen(scenario: AllocationScenario) -> None:
    if scenario.is_frozen:
        raise ValidationError({"status": _("An approved or applied scenario is frozen; copy it to a new draft to "
                                           "change it.")})


@transaction.atomic
def scenario_update(*, scenario: AllocationScenario, by, **fields) -> AllocationScenario:
    scenario = AllocationScenario.objects.select_for_update().get(pk=scenario.pk)
    _refuse_if_frozen(scenario)
    for name, value in fields.items():
        if name in SCENARIO_FIELDS:
            setattr(scenario, name, value)
    scenario.full_clean()
    scenario.save()
    scenarios_mark_stale(AllocationScenario.objects.filter(pk=scenario.pk))
    return scenario


@transaction.atomic
def scenario_area_save(*, scenario: AllocationScenario, region: Region, by, **fields) -> ScenarioArea:
    """Set an area's floor, cap, reserve override (with its reason) or controlled-use rule."""
    _refuse_if_frozen(AllocationScenario.objects.select_for_update().get(pk=scenario.pk))
    area = ScenarioArea.objects.filter(scenario=scenario, region=region).first() or ScenarioArea(
        scenario=scenario, region=region)
    for name in ("floor", "cap", "reserve_override", "reserve_reason", "controlled_share", "controlled_count"):
        if name in fields:
            setattr(area, name, fields[name])
    area.full_clean()
    area.save()
    scenarios_mark_stale(AllocationScenario.objects.filter(pk=scenario.pk))
    return area


@transaction.atomic
def scenario_copy(*, scenario: AllocationScenario, by) -> AllocationScenario:
    """A new draft with the same inputs and area settings (how a frozen scenario is changed)."""
    copy = AllocationScenario(
        created_by=by if getattr(by, "pk", None) else None, status=ScenarioStatus.DRAFT, copied_from=scenario,
        **{name: getattr(scenario, name) for name in SCENARIO_FIELDS},
    )
    copy.name = _("Copy of %(name)s") % {"name": scenario.name}
    copy.full_clean()
    copy.save()
    ScenarioArea.objects.bulk_create([
        ScenarioArea(scenario=copy, region_id=area.region_id, floor=area.floor, cap=area.cap,
                     reserve_override=area.reserve_override, reserve_reason=area.reserve_reason,
                     controlled_share=area.controlled_share, controlled_count=area.controlled_count)
        for area in scenario.areas.all()
    ])
    enqueue([copy.pk])
    return copy


@transaction.atomic
def region_indicator_save(*, indicator: RegionIndicator, by) -> RegionIndicator:
    """Create or update one indicator value; the scenarios of its city go stale."""
    indicator.full_clean()
    indicator.save()
    scenarios_touching_regions([indicator.region_id])
    return indicator


# --- approval and application ---------------------------------------------------------------------
def scenario_approve(*, scenario: AllocationScenario, by) -> AllocationScenario:
    """Approve a computed, fresh scenario (its inputs have not changed since it was computed).

    A scenario found out of date is marked stale (and recomputed) before the refusal is raised.
    """
    with transaction.atomic():
        scenario = AllocationScenario.objects.select_for_update().get(pk=scenario.pk)
        if scenario.status != ScenarioStatus.COMPUTED:
            raise ValidationError({"status": _("Only a computed, up-to-date scenario can be approved (this one is "
                                               "%(status)s).") % {"status": scenario.get_status_display()}})
        try:
            fresh = scenario_inputs(scenario).digest() == scenario.input_hash
        except PlanError:
            fresh = False
        if fresh:
            scenario.status = ScenarioStatus.APPROVED
            scenario.approved_by = by if getattr(by, "pk", None) else None
            scenario.approved_at = timezone.now()
            scenario.approved_inputs = scenario_inputs(scenario).payload(with_current=False)
            scenario.save(update_fields=["status", "approved_by", "approved_at", "approved_inputs"])
            return scenario
        scenarios_mark_stale(AllocationScenario.objects.filter(pk=scenario.pk))
    raise ValidationError({"status": _("The inputs changed since this scenario was computed; it is being "
                                       "recomputed.")})


def scenario_apply(*, scenario: AllocationScenario, document, effective_date: datetime.date, by) -> list:
    """Bring each area's pool and controlled-use hold to the approved result, under one document.

    Per area: the province grants what is missing or takes back what is too much (from the pool), and the
    controlled-use hold is set to the controlled part. Institutions are not touched: if they hold more than the
    usable result, the area is refused (reclaim first). Applying an applied scenario again posts nothing.

    The result is applied only as approved: if an input moved since the approval (a fixed reserve, an indicator, an
    area's setting), nothing is posted, the approval is withdrawn, the scenario is recomputed, and the refusal (409)
    names every changed input; approve it again to apply it.
    """
    with transaction.atomic():  # committed also when inputs changed: the approval is withdrawn, nothing posted
        transfers, changes = _scenario_apply(scenario=scenario, document=document, effective_date=effective_date,
                                             by=by)
    if changes:
        raise ConflictError({"status": [
            _("The inputs changed since this scenario was approved: nothing was applied, and it is being "
              "recomputed. Approve it again to apply it."), *changes]})
    return transfers


def _scenario_apply(*, scenario: AllocationScenario, document, effective_date: datetime.date, by
                    ) -> tuple[list[QuotaTransfer], list[str]]:
    """``scenario_apply`` inside its transaction: (the transfers posted, the inputs that changed)."""
    scenario = AllocationScenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.status == ScenarioStatus.APPLIED:
        return [], []
    if scenario.status != ScenarioStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved scenario can be applied (this one is %(status)s).")
                               % {"status": scenario.get_status_display()}})
    if document is None:
        raise ValidationError({"document": _("Every move of quotas needs its approval document.")})
    # The result is applied only as approved: had an input moved since (a fixed reserve, an indicator, a setting),
    # the approved figures would no longer be the result of today's inputs.
    try:
        now = scenario_inputs(scenario).payload(with_current=False)
    except PlanError as error:
        raise ConflictError({"status": _("The inputs of this scenario can no longer be read: %(reason)s")
                             % {"reason": error}}) from error
    changes = changed_inputs(scenario.approved_inputs or {}, now)
    if changes:
        scenario.status, scenario.approved_by, scenario.approved_at, scenario.approved_inputs = (
            ScenarioStatus.STALE, None, None, None)
        scenario.save(update_fields=["status", "approved_by", "approved_at", "approved_inputs"])
        enqueue([scenario.pk])
        return [], changes
    quota_type = scenario.quota_type
    transfers = []
    for row in scenario.results.select_related("region").order_by("region__code"):
        region = row.region
        pool = services.account_for_region(region=region, quota_type=quota_type)
        hold = services.account_for_region(region=region, quota_type=quota_type, controlled=True)
        held_by_units = QuotaAccount.objects.filter(
            holder_kind=HolderKind.INSTITUTION, region=region, quota_type=quota_type
        ).aggregate(total=Sum("balance"))["total"] or 0
        pool_after = row.result - row.controlled - held_by_units
        if pool_after < 0:
            raise ValidationError({"status": _("%(region)s: its institutions hold %(held)d quotas, more than the "
                                               "usable result %(usable)d; reclaim first.")
                                   % {"region": region, "held": held_by_units, "usable": row.usable}})
        delta = row.result - (held_by_units + pool.balance + hold.balance)
        common = {"document": document, "effective_date": effective_date, "by": by,
                  "note": _("Zero-based allocation: %(name)s") % {"name": scenario.name}}
        # Increases first, then decreases: the pool never dips below zero on the way.
        if delta > 0:
            transfers.append(services.quota_grant(target=pool, amount=delta, **common))
        if row.controlled < hold.balance:
            transfers.append(services.quota_release(region=region, quota_type=quota_type,
                                                    amount=hold.balance - row.controlled, **common))
        if delta < 0:
            transfers.append(services.quota_cancel(source=pool, amount=-delta, **common))
        if row.controlled > hold.balance:
            transfers.append(services.quota_control(region=region, quota_type=quota_type,
                                                    amount=row.controlled - hold.balance, **common))
    scenario.status = ScenarioStatus.APPLIED
    scenario.applied_document = document
    scenario.applied_at = timezone.now()
    scenario.save(update_fields=["status", "applied_document", "applied_at"])
    return transfers, []


# --- compare and stress-test ----------------------------------------------------------------------
def scenarios_compare(scenarios: list[AllocationScenario], *, on: datetime.date | None = None) -> list[dict]:
    """Per area, each scenario's result side by side (from stored results), beside what the area holds on ``on``
    (default today) read from the ledger, the same figure for every scenario: its pool, its controlled-use hold
    and its institutions, of the first scenario's quota type. Scenarios of different cities or quota types are
    not compared (``ValidationError``)."""
    if len({(s.scope_region_id, s.quota_type_id) for s in scenarios}) > 1:
        raise ValidationError({"ids": _("Only scenarios of the same city and quota type can be compared.")})
    day = on or timezone.localdate()
    holdings = {}
    if scenarios:
        regions = Region.objects.filter(parent_id=scenarios[0].scope_region_id)
        holdings = {row.code: row.pool + row.controlled + row.institutions
                    for row in totals_by_region(day, quota_type=scenarios[0].quota_type, regions=regions)}
    table: dict[str, dict] = {}
    for scenario in scenarios:
        for row in scenario.results.select_related("region").order_by("region__code"):
            entry = table.setdefault(row.region.code, {"code": row.region.code, "name": row.region.name,
                                                       "current": holdings.get(row.region.code, 0), "results": {}})
            entry["results"][str(scenario.pk)] = {
                "result": row.result, "controlled": row.controlled,
                "difference": row.result - entry["current"], "computed_against": row.current,
            }
    return list(table.values())


def _moved_weights(weights: dict[str, Decimal], key: str, points: Decimal) -> dict[str, Decimal] | None:
    """``key``'s weight moved by ``points`` (clipped to 0–100), the others rescaled to keep the sum at 100."""
    moved = min(max(weights[key] + points, Decimal(0)), Decimal(100))
    if moved == weights[key]:
        return None
    rest = Decimal(100) - weights[key]
    others = [k for k in weights if k != key]
    out = {key: moved}
    for other in others:
        share = weights[other] / rest if rest else Decimal(1) / len(others)
        out[other] = ((Decimal(100) - moved) * share).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    # Rounding residue goes to the largest other weight so the sum is exactly 100.
    largest = max(others, key=lambda k: (out[k], k))
    out[largest] += Decimal(100) - sum(out.values())
    return out


def scenario_stress_test(*, scenario: AllocationScenario, points: Decimal = Decimal(5)) -> dict:
    """Each area's minimum and maximum result when every weight moves up and down by ``points`` percentage
    points (the rest renormalised) and when the method is switched; with the variant that gave each extreme."""
    inputs = scenario_inputs(scenario)
    variants: list[tuple[str, dict[str, Decimal], str]] = [("base", inputs.weights, inputs.method)]
    for key in INDICATOR_KEYS:
        for sign in (1, -1):
            moved = _moved_weights(inputs.weights, key, sign * points)
            if moved is not None:
                variants.append((f"{key}{'+' if sign > 0 else '-'}{points}", moved, inputs.method))
    for method in METHODS:
        if method != inputs.method:
            variants.append((f"method={method}", inputs.weights, method))
    extremes: dict[str, dict] = {}
    for label, weights, method in variants:
        plan = zero_based_plan(inputs.areas, total=inputs.total, weights=weights, method=method,
                               county_rule=inputs.county_rule)
        for area in plan.areas:
            entry = extremes.setdefault(area.key, {"code": area.key, "name": area.name, "base": None,
                                                   "min": None, "max": None, "min_variant": "", "max_variant": ""})
            if label == "base":
                entry["base"] = area.result
            if entry["min"] is None or area.result < entry["min"]:
                entry["min"], entry["min_variant"] = area.result, label
            if entry["max"] is None or area.result > entry["max"]:
                entry["max"], entry["max_variant"] = area.result, label
    return {"points": str(points), "variants": [label for label, _w, _m in variants],
            "areas": list(extremes.values())}


def indicator_regions_changed(region_ids) -> None:
    """After a bulk change of indicators (an import): the scenarios of those regions go stale."""
    scenarios_touching_regions(region_ids)

