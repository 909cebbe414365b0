"""What a reform plan does, worked out before anything is written: the steps, the figures before and after, and
the problems.

``plan_steps(plan)`` reads the registry, the ledger and the staff counts of the units the plan touches and walks its
operations in order over an in-memory copy of them, recording each change as a step (a ledger move, a staff count,
a registry change, an event ...). The preview shows the copy before and after; execution (``reforms.services``)
carries out the same steps for real, so what the preview promised is what is done. What each kind of operation
does is described in docs/domain.md, "Reform operations".
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min
from django.utils.translation import gettext as _

from institutions.choices import Category, InstitutionKind, InstitutionStatus, MustExistReason, RegionKind
from institutions.models import Institution, InternalDivision, LifeEventKind, Plaque, Region
from positions.models import StaffCount
from positions.models.staff import STAFF_BAND_FIELDS, STAFF_CATEGORY_FIELDS, STAFF_COUNT_FIELDS
from positions.rules import PROFESSIONAL
from quotas.choices import HolderKind, QuotaTypeCode
from quotas.models import QuotaAccount, QuotaType
from quotas.selectors import borrowed_quotas_of_units
from reforms.models import MarketPath, ReformOperation, ReformPlan, SurplusAction
from standards import rules as standard_rules
from standards import selectors as standards
from workflow import states as workflow
from workflow.models import QuotaUseNotice, TurnoverLoan

PROVINCE = ("province",)


def _zero_staff() -> dict[str, int]:
    return dict.fromkeys(STAFF_COUNT_FIELDS, 0)


def staff_total(counts: dict[str, int]) -> int:
    return sum(counts[name] for name in STAFF_CATEGORY_FIELDS)


@dataclass(frozen=True)
class OpenLoan:
    """An outstanding turnover-pool loan of a unit: what it still owes, of which type, to which region's pool."""

    pk: int
    pool_region_id: int
    type_id: int
    owed: int


@dataclass
class UnitState:
    """A unit as the plan sees it: read once, then changed by the steps."""

    key: int | str  # the unit's id, or "new-<operation id>" for a unit the plan forms
    name: str
    region_id: int
    kind: str
    status: str
    category: str
    funding_form: str
    supervisor_id: int | None
    held: dict[int, int]  # quota type id → what it holds
    borrowed: dict[int, int]
    staff: dict[str, int] | None  # None: no staff count by category (only ``registry_staff``)
    registry_staff: int
    plaques: list[str]
    divisions: int
    leadership: int = 0  # leadership posts (领导职数), principal and deputy
    open_notices: list[int] = field(default_factory=list)
    open_loans: list[OpenLoan] = field(default_factory=list)
    later_staff_count: datetime.date | None = None
    touched_staff: bool = False

    @property
    def is_new(self) -> bool:
        return isinstance(self.key, str)

    @property
    def staff_total(self) -> int:
        return staff_total(self.staff) if self.staff is not None else self.registry_staff

    def own(self, type_id: int) -> int:
        return self.held.get(type_id, 0) - self.borrowed.get(type_id, 0)

    @property
    def own_total(self) -> int:
        """Its own approved quotas, all types: the size the standards read."""
        return sum(self.own(type_id) for type_id in set(self.held) | set(self.borrowed))

    def figures(self, type_names: dict[int, str]) -> dict[str, Any]:
        return {
            "name": self.name, "region_id": self.region_id, "status": self.status,
            "quotas": {type_names[type_id]: {"held": held, "borrowed": self.borrowed.get(type_id, 0)}
                       for type_id, held in sorted(self.held.items()) if held or self.borrowed.get(type_id)},
            "staff_total": self.staff_total, "staff": dict(self.staff) if self.staff is not None else None,
            "divisions": self.divisions, "plaques": list(self.plaques),
        }


@dataclass(frozen=True)
class Problem:
    operation: int  # the operation's position in the plan
    unit: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"operation": self.operation, "unit": self.unit, "message": self.message}


@dataclass
class Steps:
    plan: ReformPlan
    steps: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # what else the plan does (notices it closes ...)
    units: dict[int | str, UnitState] = field(default_factory=dict)
    before: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    pools: dict[tuple[int, int], int] = field(default_factory=dict)  # (region id, type id) → pool balance
    quota_change: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # region id → Δ held there
    count_change: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # region id → Δ institutions
    operations: list[OperationEffect] = field(default_factory=list)  # each operation's own before and after


@dataclass
class OperationEffect:
    """What one operation does, on the figures the operations before it left: its units before and after it, and
    each region's change in institutions and quotas."""

    position: int
    kind: str
    label: str
    before: dict[int | str, dict[str, Any] | None] = field(default_factory=dict)
    after: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    regions: dict[int, tuple[int, int]] = field(default_factory=dict)  # region id → (Δ institutions, Δ quotas)


class Planner:
    def __init__(self, plan: ReformPlan) -> None:
        self.plan = plan
        self.day = plan.effective_date
        self.out = Steps(plan)
        self.default_type = QuotaType.objects.filter(code=QuotaTypeCode.INSTITUTIONAL).first()
        self.type_names = dict(QuotaType.objects.values_list("pk", "code"))
        self.operation: ReformOperation | None = None
        self.effect: OperationEffect | None = None
        self.devolved: dict[int | str, int] = {}  # devolved unit → the devolution's position
        self.touched: dict[int | str, int] = {}  # unit → the position of the last operation that touched it
        self.arrived: dict[int, int] = {}  # region → the position of the last operation that added a unit to it
        self.merged_divisions: dict[int | str, int] = {}  # a merger's survivor → the sources' divisions
        self.sizes_before: dict[int, int] = {}  # unit → its own quotas before the plan
        self.city_level = plan.region.kind == RegionKind.CITY

    # --- reading ------------------------------------------------------------------------------------------------
    def unit(self, institution: Institution) -> UnitState:
        if institution.pk not in self.out.units:
            self.load([institution.pk])
        state = self.out.units[institution.pk]
        self.touch(state)
        return state

    def touch(self, state: UnitState, *, new: bool = False) -> None:
        """Note the unit's figures before the current operation changes it (the operation's own preview)."""
        effect = self.effect
        if self.operation is not None:
            self.touched[state.key] = self.operation.position
        if effect is not None and state.key not in effect.before:
            effect.before[state.key] = None if new else state.figures(self.type_names)

    def load(self, institution_ids) -> None:
        """Read the units' figures as of the plan's date, a query per kind of figure for all of them."""
        ids = sorted({pk for pk in institution_ids if pk is not None and pk not in self.out.units})
        if not ids:
            return
        held: dict[int, dict[int, int]] = defaultdict(dict)
        for unit_id, type_id, balance in QuotaAccount.objects.filter(
                holder_kind=HolderKind.INSTITUTION, institution_id__in=ids, is_active=True).values_list(
                "institution_id", "quota_type_id", "balance"):
            held[unit_id][type_id] = balance
        borrowed: dict[int, dict[int, int]] = defaultdict(dict)
        for (unit_id, type_id), amount in borrowed_quotas_of_units(ids).items():
            borrowed[unit_id][type_id] = amount
        latest: dict[int, dict[str, int]] = {}
        for row in StaffCount.objects.filter(institution_id__in=ids, as_of__lte=self.day).order_by(
                "institution_id", "-as_of").values("institution_id", *STAFF_COUNT_FIELDS):
            latest.setdefault(row.pop("institution_id"), row)
        later = dict(StaffCount.objects.filter(institution_id__in=ids, as_of__gt=self.day).order_by().values(
            "institution_id").annotate(first=Min("as_of")).values_list("institution_id", "first"))
        plaques: dict[int, list[str]] = defaultdict(list)
        for unit_id, name in Plaque.objects.filter(institution_id__in=ids, ended_on__isnull=True).order_by(
                "pk").values_list("institution_id", "name"):
            plaques[unit_id].append(name)
        divisions = dict(InternalDivision.objects.filter(institution_id__in=ids).order_by().values(
            "institution_id").annotate(count=Count("pk")).values_list("institution_id", "count"))
        notices: dict[int, list[int]] = defaultdict(list)
        for unit_id, pk in QuotaUseNotice.objects.filter(institution_id__in=ids, status=workflow.APPROVED
                                                         ).values_list("institution_id", "pk"):
            notices[unit_id].append(pk)
        loans: dict[int, list[OpenLoan]] = defaultdict(list)
        for unit_id, *loan in TurnoverLoan.objects.filter(institution_id__in=ids, status=workflow.APPROVED).order_by(
                "pk").values_list("institution_id", "pk", "pool__region_id", "pool__quota_type_id", "count",
                                  "returned"):
            loans[unit_id].append(OpenLoan(loan[0], loan[1], loan[2], loan[3] - loan[4]))
        for institution in Institution.objects.filter(pk__in=ids):
            pk = institution.pk
            state = UnitState(
                key=pk, name=institution.name, region_id=institution.region_id, kind=institution.kind,
                status=institution.status, category=institution.category, funding_form=institution.funding_form,
                supervisor_id=institution.supervisor_id, held=dict(held[pk]), borrowed=dict(borrowed[pk]),
                staff=latest.get(pk), registry_staff=institution.staff_in_quota, plaques=list(plaques[pk]),
                divisions=divisions.get(pk, 0),
                leadership=institution.leadership_principal + institution.leadership_deputy,
                open_notices=list(notices[pk]), open_loans=list(loans[pk]),
                later_staff_count=later.get(pk),
            )
            self.out.units[pk] = state
            self.out.before[pk] = state.figures(self.type_names)
            self.sizes_before[pk] = state.own_total

    def pool(self, region_id: int, type_id: int) -> int:
        if (region_id, type_id) not in self.out.pools:
            self.out.pools[(region_id, type_id)] = QuotaAccount.objects.filter(
                holder_kind=HolderKind.REGION_POOL, region_id=region_id, quota_type_id=type_id,
            ).values_list("balance", flat=True).first() or 0
        return self.out.pools[(region_id, type_id)]

    # --- recording ----------------------------------------------------------------------------------------------
    def problem(self, unit: UnitState | Institution | str | None, message: str) -> None:
        name = unit if isinstance(unit, str) else (unit.name if unit is not None else "")
        self.out.problems.append(Problem(self.operation.position if self.operation else 0, name, message))

    def step(self, *step) -> None:
        self.out.steps.append(step)

    def move(self, kind: str, source: tuple, target: tuple, type_id: int, amount: int) -> None:
        """A ledger move between ("unit", state), ("pool", region id) and the province."""
        if amount <= 0:
            return
        for side, sign in ((source, -1), (target, 1)):
            if side[0] == "unit":
                side[1].held[type_id] = side[1].held.get(type_id, 0) + sign * amount
                self.out.quota_change[side[1].region_id] += sign * amount
            elif side[0] == "pool":
                self.out.pools[(side[1], type_id)] = self.pool(side[1], type_id) + sign * amount
                self.out.quota_change[side[1]] += sign * amount
        if source[0] == "unit" and source[1].held[type_id] < 0:
            self.problem(source[1], _("“%(unit)s” would hold %(balance)d quotas: an account cannot go negative.")
                         % {"unit": source[1].name, "balance": source[1].held[type_id]})
        if source[0] == "pool" and self.out.pools[(source[1], type_id)] < 0:
            region = Region.objects.get(pk=source[1])
            self.problem(region.name, _(
                "The pool of %(region)s lacks %(missing)d quotas for this operation.")
                % {"region": region.name, "missing": -self.out.pools[(source[1], type_id)]})
        step_side = {"unit": lambda side: ("unit", side[1].key), "pool": lambda side: side, "province": lambda s: s}
        self.step("move", kind, step_side[source[0]](source), step_side[target[0]](target), type_id, amount)

    def set_staff(self, unit: UnitState, counts: dict[str, int]) -> None:
        if any(value < 0 for value in counts.values()):
            self.problem(unit, _("“%(unit)s” would have fewer staff than none in a category: the placements "
                                 "exceed its staff.") % {"unit": unit.name})
        unit.staff = counts
        unit.touched_staff = True
        self.step("staff", unit.key, dict(counts))

    def staff_of(self, unit: UnitState) -> dict[str, int]:
        """The unit's staff by category (a problem if it has staff but no count by category)."""
        if unit.staff is None:
            if unit.registry_staff:
                self.problem(unit, _("“%(unit)s” has %(staff)d staff but no staff count by category: the HR bureau "
                                     "enters one first.") % {"unit": unit.name, "staff": unit.registry_staff})
            return _zero_staff()
        if unit.later_staff_count is not None:
            self.problem(unit, _("“%(unit)s” has a staff count as of %(date)s, after the plan's date: staff are "
                                 "moved in date order.") % {"unit": unit.name, "date": unit.later_staff_count})
            unit.later_staff_count = None  # said once
        return dict(unit.staff)

    # --- checks ---------------------------------------------------------------------------------------------------
    def living(self, institution: Institution | None, role: str) -> UnitState | None:
        if institution is None:
            self.problem(None, _("Name the %(role)s.") % {"role": role})
            return None
        unit = self.unit(institution)
        if unit.kind != InstitutionKind.PUBLIC_INSTITUTION:
            self.problem(unit, _("Reform operations change public institutions; “%(unit)s” is an administrative "
                                 "agency.") % {"unit": unit.name})
            return None
        if unit.status != InstitutionStatus.ACTIVE:
            self.problem(unit, _("“%(unit)s” is no longer active (%(status)s): no operation can change it.")
                         % {"unit": unit.name, "status": InstitutionStatus(unit.status).label})
            return None
        if not self.city_level and unit.region_id != self.plan.region_id:
            self.problem(unit, _("“%(unit)s” is not in %(region)s, the plan's region.")
                         % {"unit": unit.name, "region": self.plan.region.name})
            return None
        return unit

    def name_free(self, name: str, region_id: int, *, but: UnitState | None = None) -> bool:
        taken = [unit for unit in self.out.units.values() if unit.name == name and unit.region_id == region_id
                 and unit.status == InstitutionStatus.ACTIVE and unit is not but]
        # Units the plan has read already count as they stand here, not as the registry has them.
        in_registry = any(pk not in self.out.units for pk in Institution.objects.filter(
            name=name, region_id=region_id, status=InstitutionStatus.ACTIVE).values_list("pk", flat=True))
        if taken or in_registry:
            self.problem(name, _("An active institution named “%(name)s” exists already in that region.")
                         % {"name": name})
            return False
        return True

    def note(self, unit: UnitState, message: str) -> None:
        self.out.notes.append(Problem(self.operation.position, unit.name, message))

    def close_notices(self, unit: UnitState) -> None:
        for notice_id in unit.open_notices:
            self.step("close_notice", notice_id)
        if unit.open_notices:
            self.note(unit, _("%(count)d issued quota-use notices of “%(unit)s” are closed by the plan; what they "
                              "reserved is released.") % {"count": len(unit.open_notices), "unit": unit.name})
        unit.open_notices = []

    def settle_open_business(self, unit: UnitState, successor: UnitState | None = None) -> None:
        """An ending unit's open business is settled by the plan: its issued quota-use notices are closed (what
        they reserved is released); what its turnover-pool loans still owe goes back to the pool, or, in a merger,
        is lent on to the survivor, which takes the unit's staff (the loan moves with them)."""
        self.close_notices(unit)
        for loan in unit.open_loans:
            self.settle_loan(unit, loan, successor)
        unit.open_loans = []
        for borrowed in unit.borrowed.values():
            if borrowed:
                self.problem(unit, _("“%(unit)s” holds %(count)d quotas on loan from a turnover pool with no "
                                     "outstanding loan: the city office returns them first.")
                             % {"unit": unit.name, "count": borrowed})

    def settle_loan(self, unit: UnitState, loan: OpenLoan, successor: UnitState | None) -> None:
        for state, sign in ((unit, -1), (successor, 1)):
            if state is None:
                continue
            state.held[loan.type_id] = state.held.get(loan.type_id, 0) + sign * loan.owed
            state.borrowed[loan.type_id] = state.borrowed.get(loan.type_id, 0) + sign * loan.owed
            self.out.quota_change[state.region_id] += sign * loan.owed
            self.out.quota_change[loan.pool_region_id] -= sign * loan.owed
        if successor is None:
            self.note(unit, _("The turnover-pool loan #%(loan)d of “%(unit)s” is settled by the plan: the %(owed)d "
                              "quotas it still owes go back to the pool.")
                      % {"loan": loan.pk, "unit": unit.name, "owed": loan.owed})
        else:
            successor.open_loans.append(loan)
            self.note(unit, _("The turnover-pool loan #%(loan)d of “%(unit)s” moves to “%(successor)s” with its "
                              "staff: the %(owed)d quotas it still owes are lent on to it.")
                      % {"loan": loan.pk, "unit": unit.name, "successor": successor.name, "owed": loan.owed})
        self.step("settle_loan", loan.pk, successor.key if successor else None)

    def free_quotas(self, unit: UnitState, type_id: int, amount: int, surplus: str) -> None:
        if surplus == SurplusAction.RECLAIM:
            self.move("reclaim", ("unit", unit), ("pool", unit.region_id), type_id, amount)
        else:
            self.move("cancel", ("unit", unit), PROVINCE, type_id, amount)

    def end(self, unit: UnitState, status: str, *, successor: UnitState | None = None) -> None:
        if unit.staff_total:
            self.set_staff(unit, _zero_staff())
        unit.registry_staff = 0
        for held in unit.held.values():
            if held:
                self.problem(unit, _("“%(unit)s” would end still holding %(amount)d quotas.")
                             % {"unit": unit.name, "amount": held})
        self.step("close_accounts", unit.key)
        unit.status = status
        self.out.count_change[unit.region_id] -= 1
        self.step("end", unit.key, status, successor.key if successor else None)

    def place(self, unit: UnitState, type_id: int, counts: dict[str, int]) -> dict[str, int]:
        """Carry out the operation's placements out of ``counts`` (the staff being placed); returns what is left."""
        left = dict(counts)
        sources = {source.pk for source in self.operation.sources.all()}
        for placement in self.operation.placements.all():
            category, band = placement.category, placement.band or ""
            if category == PROFESSIONAL and band not in STAFF_BAND_FIELDS:
                self.problem(unit, _("A placement of professional-technical staff names their band."))
                continue
            origin = placement.from_institution_id
            if origin is not None and origin != unit.key and origin not in sources:
                self.problem(unit, _("A placement moves staff of the units the operation ends or forms, not of "
                                     "“%(other)s”.") % {"other": placement.from_institution.name})
                continue
            if origin in sources and (self.out.units[origin].staff or {}).get(band or category, 0) < placement.count:
                self.problem(unit, _("“%(unit)s” has fewer than %(count)d such staff to place.")
                             % {"unit": self.out.units[origin].name, "count": placement.count})
                continue
            left[category] -= placement.count
            if category == PROFESSIONAL:
                left[band] -= placement.count
            receiver = placement.to_institution
            if receiver is None:
                continue
            target = self.unit(receiver)
            if target.status != InstitutionStatus.ACTIVE:
                self.problem(target, _("“%(unit)s” is no longer active: it cannot receive staff.")
                             % {"unit": target.name})
                continue
            if target is unit:
                self.problem(target, _("Staff are placed in another unit, not in the one they leave."))
                continue
            received = self.staff_of(target)
            received[category] += placement.count
            if category == PROFESSIONAL:
                received[band] += placement.count
            self.set_staff(target, received)
            target.registry_staff = staff_total(received)
            self.move("allocate", ("pool", target.region_id), ("unit", target), type_id, placement.count)
            self.step("event", target.key, LifeEventKind.STAFF_PLACED, unit.key,
                      _("%(count)d staff placed from %(unit)s") % {"count": placement.count, "unit": unit.name})
        return left

    # --- the operations -------------------------------------------------------------------------------------------
    def run(self) -> Steps:
        operations = self.plan.operations.select_related(
            "institution", "quota_type", "new_region", "new_supervisor").prefetch_related(
            "sources", "placements__to_institution", "placements__from_institution", "parts").order_by(
            "position", "pk")
        if not operations:
            self.problem(None, _("The plan has no operations."))
        self.load(units_named_by(operations))
        for operation in operations:
            self.operation = operation
            self.effect = OperationEffect(operation.position, operation.kind, str(operation))
            counts, quotas = dict(self.out.count_change), dict(self.out.quota_change)
            getattr(self, f"_{operation.kind}")(operation, operation.quota_type_id or self.default_type.pk)
            self.close_effect(counts, quotas)
        self.operation = self.effect = None
        self.check_devolved_supervisors()
        self.check_standards()
        return self.out

    def close_effect(self, counts: dict[int, int], quotas: dict[int, int]) -> None:
        effect = self.effect
        for key, before in effect.before.items():
            after = self.out.units[key].figures(self.type_names)
            if after != before:
                effect.after[key] = after
        effect.before = {key: before for key, before in effect.before.items() if key in effect.after}
        for region_id in set(self.out.count_change) | set(self.out.quota_change):
            change = (self.out.count_change.get(region_id, 0) - counts.get(region_id, 0),
                      self.out.quota_change.get(region_id, 0) - quotas.get(region_id, 0))
            if any(change):
                effect.regions[region_id] = change
        self.out.operations.append(effect)

    def _establish(self, op: ReformOperation, type_id: int) -> None:
        region_id = op.new_region_id or self.plan.region_id
        if not op.new_name:
            return self.problem(None, _("A new unit needs its name."))
        if not op.must_exist_reason or op.must_exist_reason == MustExistReason.NONE:
            return self.problem(op.new_name, _("A new unit says why it must exist (set up by law, required by a "
                                               "higher authority, or needed for basic public services)."))
        if not self.city_level and region_id != self.plan.region_id:
            return self.problem(op.new_name, _("A district's plan establishes units in its own region."))
        self.name_free(op.new_name, region_id)
        unit = self.new_unit(op, region_id)
        self.step("event", unit.key, LifeEventKind.ESTABLISHED, None, op.reason)
        self.move("allocate", ("pool", region_id), ("unit", unit), type_id, op.approved_total or 0)

    def new_unit(self, op: ReformOperation, region_id: int, *, like: UnitState | None = None, name: str = "",
                 part: int | None = None) -> UnitState:
        key = f"new-{op.pk}" if part is None else f"new-{op.pk}-{part}"
        name = name or op.new_name
        unit = UnitState(
            key=key, name=name, region_id=region_id, kind=InstitutionKind.PUBLIC_INSTITUTION,
            status=InstitutionStatus.ACTIVE, category=op.new_category or (like.category if like else
                                                                         Category.UNCLASSIFIED),
            funding_form=op.new_funding_form or (like.funding_form if like else "full"),
            supervisor_id=op.new_supervisor_id or (like.supervisor_id if like else None), held={}, borrowed={},
            staff=None, registry_staff=0, plaques=[], divisions=0)
        self.out.units[key] = unit
        self.out.before[key] = None
        self.touch(unit, new=True)
        self.out.count_change[region_id] += 1
        self.arrived[region_id] = op.position
        self.step("create", key, {
            "name": name, "region_id": region_id, "category": unit.category,
            "funding_form": unit.funding_form, "supervisor_id": unit.supervisor_id,
            "must_exist_reason": op.must_exist_reason or MustExistReason.NONE})
        return unit

    def _merge(self, op: ReformOperation, type_id: int) -> None:
        sources = [self.living(source, _("merged unit")) for source in op.sources.all()]
        if not sources:
            return self.problem(None, _("A merger names the units it merges."))
        if any(source is None for source in sources):
            return
        if op.institution_id:
            survivor = self.living(op.institution, _("surviving unit"))
            if survivor is None:
                return
            if survivor in sources:
                return self.problem(survivor, _("A unit cannot be merged into itself."))
        else:
            if not op.new_name:
                return self.problem(None, _("Name the surviving unit, or the new unit the merger forms."))
            region_id = sources[0].region_id
            self.name_free(op.new_name, region_id)
            survivor = self.new_unit(op, region_id, like=sources[0])
            self.step("event", survivor.key, LifeEventKind.ESTABLISHED, None, _("Formed by merger"))
        self.merged_divisions[survivor.key] = self.merged_divisions.get(survivor.key, 0) + sum(
            source.divisions for source in sources)
        staff = self.staff_of(survivor) if survivor.staff is not None or survivor.registry_staff else _zero_staff()
        for source in sources:
            self.settle_open_business(source, survivor)
            for name, value in self.staff_of(source).items():
                staff[name] += value
            for held_type, held in list(source.held.items()):
                self.move("transfer", ("unit", source), ("unit", survivor), held_type, held)
        left = self.place(survivor, type_id, staff)
        self.set_staff(survivor, left)
        survivor.registry_staff = staff_total(left)
        if op.approved_total is not None:
            difference = survivor.own(type_id) - op.approved_total
            if difference > 0:
                self.free_quotas(survivor, type_id, difference, op.surplus)
            elif difference < 0:
                self.move("allocate", ("pool", survivor.region_id), ("unit", survivor), type_id, -difference)
        held = survivor.held.get(type_id, 0)  # its approved quotas and any it holds on loan
        if survivor.staff_total > held:
            figures = {"unit": survivor.name, "staff": survivor.staff_total, "quotas": survivor.own(type_id),
                       "borrowed": survivor.borrowed.get(type_id, 0), "over": survivor.staff_total - held}
            self.problem(survivor, (_(
                "“%(unit)s” would have %(staff)d staff in quota for %(quotas)d approved quotas and %(borrowed)d on "
                "loan: place %(over)d elsewhere or approve more.") if figures["borrowed"] else _(
                "“%(unit)s” would have %(staff)d staff in quota for %(quotas)d approved quotas: place %(over)d "
                "elsewhere or approve more.")) % figures)
        for source in sources:
            self.end(source, InstitutionStatus.MERGED, successor=survivor)
            self.step("event", source.key, LifeEventKind.MERGED_INTO, survivor.key, op.reason)
            self.step("event", survivor.key, LifeEventKind.ABSORBED, source.key, op.reason)
            if op.keep_names_as_plaques and source.name not in survivor.plaques:
                survivor.plaques.append(source.name)
                self.step("plaque_add", survivor.key, source.name)

    def _split(self, op: ReformOperation, type_id: int) -> None:
        """1 → n: each part is a new unit of the same region taking its quotas and its staff from the unit split,
        which keeps the rest (an abolition in the same plan may end it)."""
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        parts = list(op.parts.all())
        if not parts:
            return self.problem(unit, _("A split names the units it forms."))
        staff = self.staff_of(unit)
        for index, part in enumerate(parts, start=1):
            self.name_free(part.name, unit.region_id)
            formed = self.new_unit(op, unit.region_id, like=unit, name=part.name, part=index)
            self.move("transfer", ("unit", unit), ("unit", formed), type_id, part.approved_total)
            counts = part.counts()
            for name, value in counts.items():
                staff[name] -= value
            self.set_staff(formed, {**_zero_staff(), **counts})
            formed.registry_staff = staff_total(counts)
            if formed.staff_total > part.approved_total:
                self.problem(formed, _("“%(unit)s” would have %(staff)d staff in quota for %(quotas)d approved "
                                       "quotas: place %(over)d elsewhere or approve more.") % {
                    "unit": formed.name, "staff": formed.staff_total, "quotas": part.approved_total,
                    "over": formed.staff_total - part.approved_total})
            self.step("event", formed.key, LifeEventKind.SPLIT_FROM, unit.key, op.reason)
            self.step("event", unit.key, LifeEventKind.SPLIT_INTO, formed.key, op.reason)
        self.set_staff(unit, staff)
        unit.registry_staff = staff_total(staff)

    def _abolish(self, op: ReformOperation, type_id: int, *, status: str = InstitutionStatus.ABOLISHED,
                 place_all: bool = True) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        self.settle_open_business(unit)
        staff = self.staff_of(unit)
        for held_type, held in list(unit.held.items()):
            own = held - unit.borrowed.get(held_type, 0)
            if status == InstitutionStatus.MARKETISED:
                self.move("cancel", ("unit", unit), PROVINCE, held_type, own)
            else:
                self.free_quotas(unit, held_type, own, op.surplus)
        left = self.place(unit, type_id, staff)
        unplaced = staff_total(left)
        if place_all and unplaced > 0:
            self.problem(unit, _("%(count)d staff of “%(unit)s” are not placed: place each in a receiving unit, or "
                                 "record them as leaving.") % {"count": unplaced, "unit": unit.name})
        self.end(unit, status)
        kind = LifeEventKind.MARKETISED if status == InstitutionStatus.MARKETISED else LifeEventKind.ABOLISHED
        self.step("event", unit.key, kind, None, op.reason)

    def _marketise(self, op: ReformOperation, type_id: int) -> None:
        if op.market_path == MarketPath.IMMEDIATE:
            return self._abolish(op, type_id, status=InstitutionStatus.MARKETISED, place_all=False)
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        # The gradual path (稳步推进): the unit becomes commercial and recruits no one into the quota any more (its
        # quotas are under controlled use; its issued notices close). The quotas its staff do not need are cancelled
        # now, the others as the staff leave, and the unit ends as marketised when the last one has left
        # (``reforms.services.market_paths_settle``, daily).
        self.close_notices(unit)
        spare = unit.own(type_id) - staff_total(self.staff_of(unit))
        self.move("cancel", ("unit", unit), PROVINCE, type_id, max(spare, 0))
        unit.category = Category.COMMERCIAL
        self.step("registry", unit.key, {"category": Category.COMMERCIAL})
        self.step("event", unit.key, LifeEventKind.MARKETISED, None,
                  op.reason or _("Gradual path: quotas under controlled use, cancelled as staff leave"))
        self.note(unit, _("“%(unit)s” keeps %(kept)d quotas for its %(staff)d staff in quota, under controlled use: "
                          "no one is recruited into them, each is cancelled as its holder leaves, and the unit ends "
                          "as marketised when the last one has left.")
                  % {"unit": unit.name, "kept": unit.own(type_id), "staff": unit.staff_total})

    def _devolve(self, op: ReformOperation, type_id: int) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if not self.city_level:
            return self.problem(unit, _("Units are devolved by a plan of the city level."))
        target = op.new_region
        if target is None or target.pk == unit.region_id:
            return self.problem(unit, _("A devolution moves the unit to another region."))
        if target.kind == RegionKind.CITY:
            return self.problem(unit, _("A unit is devolved to a district or county."))
        self.name_free(unit.name, target.pk, but=unit)
        held_total = sum(unit.held.values())
        self.out.quota_change[unit.region_id] -= held_total
        self.out.quota_change[target.pk] += held_total
        self.out.count_change[unit.region_id] -= 1
        self.out.count_change[target.pk] += 1
        self.arrived[target.pk] = op.position
        from_region = unit.region_id
        unit.region_id = target.pk
        self.step("relocate", unit.key, target.pk)
        self.step("registry", unit.key, {"region_id": target.pk})
        self.step("event", unit.key, LifeEventKind.DEVOLVED, None, op.reason, from_region)
        self.devolved[unit.key] = op.position
        if op.new_supervisor_id:
            self._change_supervisor(op, type_id, unit=unit)

    def check_standards(self) -> None:
        """One standard for all (docs/domain.md): a region the plan adds units to ends within its cap; a unit the
        plan changes ends with at least 8 quotas per internal division, no more divisions than its size allows and
        no more leaders than the table allows for its size, unless it was already so and the plan makes it no worse
        (a note then). Each unit that goes on keeps, as its ceiling, the divisions it had before the plan."""
        caps = standards.region_caps(self.day, regions=Region.objects.filter(pk__in=list(self.arrived)))
        for region_id, position in sorted(self.arrived.items()):
            figure = caps[region_id]
            after = figure.institutions + self.out.count_change.get(region_id, 0)
            if figure.cap is not None and after > figure.cap:
                self.out.problems.append(Problem(position, figure.region.name, _(
                    "%(region)s would have %(after)d institutions, above its cap of %(cap)d: the plan adds units "
                    "there, so it must also bring the region back within its cap.")
                    % {"region": figure.region.name, "after": after, "cap": figure.cap}))
        table = standards.tables()
        for key, position in self.touched.items():
            unit = self.out.units[key]
            if unit.status != InstitutionStatus.ACTIVE or unit.kind != InstitutionKind.PUBLIC_INSTITUTION:
                continue
            size_before = self.sizes_before.get(key)  # None: a unit the plan forms
            if isinstance(key, int) or key in self.merged_divisions:
                self.step("registry", key, {"reform_division_ceiling": unit.divisions + self.merged_divisions.get(
                    key, 0)})
            for _rule, breach, breach_before, message in self.standard_breaches(unit, size_before, table):
                if breach and (breach_before is None or breach > breach_before):
                    self.out.problems.append(Problem(position, unit.name, message))
                elif breach:
                    self.out.notes.append(Problem(position, unit.name, message))

    def standard_breaches(self, unit: UnitState, size_before: int | None, table):
        """(rule, how far the unit breaks it after the plan, how far before (None: it did not exist), message)
        for each standard it breaks after the plan."""
        size = unit.own_total
        division, leadership = standards.size_checks(size, unit.divisions, unit.leadership, table)
        before = (standards.size_checks(size_before, unit.divisions, unit.leadership, table)
                  if size_before is not None else None)
        out = []
        if division.average_too_low:
            out.append(("division_average", standard_rules.MIN_AVERAGE_PER_DIVISION - division.average,
                        None if before is None else max(standard_rules.MIN_AVERAGE_PER_DIVISION - before[0].average,
                                                        0), _(
                "“%(unit)s” would have %(quotas)d quotas over %(divisions)d internal divisions, %(average)s a "
                "division: the standard is at least 8.") % {
                "unit": unit.name, "quotas": size, "divisions": unit.divisions,
                "average": standards.shown_average(division)}))
        if division.too_many:
            limit_before = before[0].limit if before is not None else None
            out.append(("division_count", unit.divisions - division.limit.max_divisions,
                        None if before is None else max(unit.divisions - limit_before.max_divisions, 0)
                        if limit_before else 0, _(
                "“%(unit)s” would have %(divisions)d internal divisions for %(quotas)d quotas: a unit of that size "
                "may have %(most)d.") % {"unit": unit.name, "divisions": unit.divisions, "quotas": size,
                                         "most": division.limit.max_divisions}))
        if leadership.over:
            allowed_before = before[1].allowed if before is not None else None
            out.append(("leadership_unit", leadership.posts - leadership.allowed.high,
                        None if before is None else max(leadership.posts - allowed_before.high, 0)
                        if allowed_before else 0, _(
                "“%(unit)s” would have %(posts)d leadership posts for %(quotas)d quotas: the table allows "
                "%(low)d–%(high)d (超职数).") % {"unit": unit.name, "posts": leadership.posts, "quotas": size,
                                                "low": leadership.allowed.low, "high": leadership.allowed.high}))
        return out

    def check_devolved_supervisors(self) -> None:
        """A devolved unit ends the plan supervised by an agency of the region it went to (属地管理)."""
        supervisors = dict(Institution.objects.filter(
            pk__in={self.out.units[key].supervisor_id for key in self.devolved}).values_list("pk", "region_id"))
        for key, position in self.devolved.items():
            unit = self.out.units[key]
            if unit.supervisor_id and supervisors.get(unit.supervisor_id) != unit.region_id:
                self.out.problems.append(Problem(position, unit.name, _(
                    "“%(unit)s” would still be supervised by an agency of the region it leaves: name the receiving "
                    "region's agency on the devolution, or change the supervising agency in the same plan.")
                    % {"unit": unit.name}))

    def _rename(self, op: ReformOperation, type_id: int) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if not op.new_name or op.new_name == unit.name:
            return self.problem(unit, _("A renaming gives a new name."))
        if self.name_free(op.new_name, unit.region_id, but=unit):
            former, unit.name = unit.name, op.new_name
            self.step("registry", unit.key, {"name": op.new_name})
            self.step("event", unit.key, LifeEventKind.RENAMED, None, op.reason, None, former)

    def _add_plaque(self, op: ReformOperation, type_id: int) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if not op.plaque_name:
            return self.problem(unit, _("Name the plaque."))
        if op.plaque_name in unit.plaques:
            return self.problem(unit, _("“%(unit)s” carries the plaque “%(plaque)s” already.")
                                % {"unit": unit.name, "plaque": op.plaque_name})
        unit.plaques.append(op.plaque_name)
        self.step("plaque_add", unit.key, op.plaque_name)
        self.step("event", unit.key, LifeEventKind.PLAQUE_ADDED, None, op.plaque_name)

    def _remove_plaque(self, op: ReformOperation, type_id: int) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if op.plaque_name not in unit.plaques:
            return self.problem(unit, _("“%(unit)s” carries no plaque “%(plaque)s”.")
                                % {"unit": unit.name, "plaque": op.plaque_name})
        unit.plaques.remove(op.plaque_name)
        self.step("plaque_end", unit.key, op.plaque_name)
        self.step("event", unit.key, LifeEventKind.PLAQUE_REMOVED, None, op.plaque_name)

    def _change_supervisor(self, op: ReformOperation, type_id: int, *, unit: UnitState | None = None) -> None:
        unit = unit or self.living(op.institution, _("unit"))
        if unit is None:
            return
        supervisor = op.new_supervisor
        if supervisor is None or supervisor.kind != InstitutionKind.AGENCY or not supervisor.is_active:
            return self.problem(unit, _("The new supervising body is an active administrative agency."))
        if supervisor.region_id != unit.region_id:
            return self.problem(unit, _("“%(agency)s” is an agency of another region than “%(unit)s”.")
                                % {"agency": supervisor.name, "unit": unit.name})
        if supervisor.pk == unit.supervisor_id:
            return self.problem(unit, _("“%(unit)s” is supervised by “%(agency)s” already.")
                                % {"unit": unit.name, "agency": supervisor.name})
        unit.supervisor_id = supervisor.pk
        self.step("registry", unit.key, {"supervisor_id": supervisor.pk})
        self.step("event", unit.key, LifeEventKind.SUPERVISOR_CHANGED, supervisor.pk, op.reason)

    def _change_category(self, op: ReformOperation, type_id: int) -> None:
        self._change_field(op, "category", op.new_category, LifeEventKind.CATEGORY_CHANGED)

    def _change_funding(self, op: ReformOperation, type_id: int) -> None:
        self._change_field(op, "funding_form", op.new_funding_form, LifeEventKind.FUNDING_CHANGED)

    def _change_field(self, op: ReformOperation, name: str, value: str, kind: str) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if not value or value == getattr(unit, name):
            return self.problem(unit, _("The operation changes nothing: give the new value."))
        setattr(unit, name, value)
        self.step("registry", unit.key, {name: value})
        self.step("event", unit.key, kind, None, op.reason)

    def _correct(self, op: ReformOperation, type_id: int) -> None:
        """A correction of the registry's record (a wrong name, category, funding form or supervisor entered
        earlier): the city office's, with its reason; it moves no quota."""
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if self.plan.region.kind != RegionKind.CITY:
            return self.problem(unit, _("Corrections of the registry are the city office's: file them in a plan of "
                                        "the city level."))
        if not op.reason.strip():
            return self.problem(unit, _("A correction says why the record was wrong."))
        changes = {name: value for name, value in (
            ("name", op.new_name), ("category", op.new_category), ("funding_form", op.new_funding_form),
            ("supervisor_id", op.new_supervisor_id)) if value and value != getattr(unit, name)}
        if not changes:
            return self.problem(unit, _("The operation changes nothing: give the new value."))
        if "name" in changes and not self.name_free(changes["name"], unit.region_id, but=unit):
            return
        former = unit.name
        for name, value in changes.items():
            setattr(unit, name, value)
        self.step("registry", unit.key, changes)
        self.step("event", unit.key, LifeEventKind.CORRECTED, None, op.reason, None,
                  former if "name" in changes else "")

    def _adjust_quotas(self, op: ReformOperation, type_id: int) -> None:
        unit = self.living(op.institution, _("unit"))
        if unit is None:
            return
        if op.approved_total is None:
            return self.problem(unit, _("An adjustment gives the new approved total."))
        own = unit.own(type_id)
        if op.approved_total == own:
            return self.problem(unit, _("“%(unit)s” is approved %(total)d quotas already.")
                                % {"unit": unit.name, "total": own})
        if op.approved_total > own:
            self.move("allocate", ("pool", unit.region_id), ("unit", unit), type_id, op.approved_total - own)
        else:
            self.free_quotas(unit, type_id, own - op.approved_total, op.surplus)
        if unit.staff_total > op.approved_total:
            self.problem(unit, _("“%(unit)s” has %(staff)d staff in quota, more than %(total)d quotas.")
                         % {"unit": unit.name, "staff": unit.staff_total, "total": op.approved_total})
        self.step("event", unit.key, LifeEventKind.QUOTAS_ADJUSTED, None,
                  op.reason or _("%(before)d → %(after)d") % {"before": own, "after": op.approved_total})


def units_named_by(operations) -> set[int]:
    """The ids of the units the operations name: operated on, merged, receiving staff."""
    ids: set[int] = set()
    for operation in operations:
        ids.add(operation.institution_id)
        ids.update(source.pk for source in operation.sources.all())
        ids.update(placement.to_institution_id for placement in operation.placements.all())
    ids.discard(None)
    return ids


def plan_steps(plan: ReformPlan) -> Steps:
    """The plan's steps, figures and problems (reads only)."""
    return Planner(plan).run()


def region_figures(steps: Steps) -> list[dict[str, Any]]:
    """Each region the plan changes: institutions and quotas held on the plan's date, before and after."""
    from institutions.selectors import institution_counts_by_region
    from quotas.selectors import totals_by_region

    region_ids = {region_id for region_id, change in steps.count_change.items() if change} | {
        region_id for region_id, change in steps.quota_change.items() if change}
    if not region_ids:
        return []
    regions = Region.objects.filter(pk__in=region_ids)
    counts = institution_counts_by_region(steps.plan.effective_date)
    held = {row.region_id: row.total for row in totals_by_region(steps.plan.effective_date, regions=regions)}
    caps = standards.region_caps(steps.plan.effective_date, regions=regions)
    return [{
        "region_id": region.pk, "code": region.code, "name": region.name,
        "institutions_before": counts.get(region.pk, 0),
        "institutions_after": counts.get(region.pk, 0) + steps.count_change.get(region.pk, 0),
        "quotas_before": held.get(region.pk, 0),
        "quotas_after": held.get(region.pk, 0) + steps.quota_change.get(region.pk, 0),
        "cap": caps[region.pk].cap,
    } for region in regions.order_by("code")]
