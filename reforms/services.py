"""Reform plans: drafting, deciding and executing, the only writers of the reform's changes to the registry.

Execution runs the steps ``reforms.planner`` worked out, in one transaction: every quota moves through
``quotas.services`` under the plan's approval document on its effective date, staff counts through
``positions.services``, registry changes and life events here. A plan with problems is refused, naming each; a
failure part-way leaves nothing written; a plan executes once (the request state machine refuses a second time).
"""
from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_date
from institutions.choices import InstitutionKind, InstitutionStatus, RegionKind
from institutions.locks import lock_units
from institutions.models import ApprovalDocument, Institution, InstitutionEvent, LifeEventKind, Plaque, Region
from outbox.models import ChangeKind
from outbox.services import Change, changes_record
from positions import services as staff_services
from positions.models import StaffCount
from quotas import services as ledger
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaType
from quotas.selectors import own_approved_quotas, own_approved_quotas_of_units
from reforms.models import (
    MarketPath,
    OperationKind,
    ReformOperation,
    ReformPlan,
    SplitPart,
    StaffPlacement,
    SurplusAction,
)
from reforms.planner import Steps, plan_steps, region_figures, units_named_by
from standards.models import SECTOR_OF_CLASS, FigureKind
from standards.selectors import unit_standards
from workflow import states as workflow
from workflow.hiring import quota_use_notice_execute
from workflow.loans import turnover_loan_hand_over
from workflow.models import QuotaUseNotice, TurnoverLoan
from workflow.transitions import (
    record_event,
    refusal_of_edit,
    request_transition,
    require_decider,
    require_proposer,
)
from workflow.vacancy import quota_position

logger = logging.getLogger(__name__)

OPERATION_FIELDS = (
    "kind", "position", "institution", "quota_type", "approved_total", "surplus", "market_path", "new_name",
    "new_region", "new_supervisor", "new_category", "new_funding_form", "must_exist_reason",
    "keep_names_as_plaques", "plaque_name", "reason",
)


# --- drafting -----------------------------------------------------------------------------------------------------
@transaction.atomic
def reform_plan_create(*, by, region: Region, title: str, effective_date: datetime.date,
                       description: str = "") -> ReformPlan:
    require_proposer(by, region_id=region.pk)
    check_date(effective_date, field="effective_date")
    plan = ReformPlan(region=region, title=title, effective_date=effective_date, description=description,
                      created_by=by if getattr(by, "pk", None) else None)
    plan.full_clean()
    plan.save()
    record_event(request=plan, action="create", from_state="", to_state=workflow.DRAFT, by=by)
    return plan


def _editable(plan: ReformPlan, by) -> ReformPlan:
    locked = ReformPlan.objects.select_for_update().get(pk=plan.pk)
    require_proposer(by, region_id=locked.region_id)
    if not workflow.is_editable(locked.status):
        raise refusal_of_edit(locked)
    return locked


@transaction.atomic
def reform_plan_update(*, plan: ReformPlan, by, **changes: Any) -> ReformPlan:
    locked = _editable(plan, by)
    for name in ("title", "effective_date", "description"):
        if name in changes:
            setattr(locked, name, changes[name])
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def reform_operation_save(*, plan: ReformPlan, by, operation: ReformOperation | None = None,
                          sources: Iterable[Institution] | None = None,
                          placements: Iterable[Mapping[str, Any]] | None = None,
                          parts: Iterable[Mapping[str, Any]] | None = None, **values: Any) -> ReformOperation:
    """Add an operation to a draft plan, or change one of its operations (with its merged units, placements and
    the parts of a split)."""
    locked = _editable(plan, by)
    if operation is None:
        operation = ReformOperation(plan=locked)
        if "position" not in values:
            values["position"] = (locked.operations.order_by("-position").values_list("position", flat=True)
                                  .first() or 0) + 1
    elif operation.plan_id != locked.pk:
        raise ValidationError({"operation": _("This operation belongs to another plan.")})
    for name, value in values.items():
        if name not in OPERATION_FIELDS:
            raise ValidationError({name: _("Unknown field.")})
        setattr(operation, name, value)
    operation.full_clean(exclude=["plan"])
    operation.save()
    if sources is not None:
        operation.sources.set(list(sources))
    if placements is not None:
        operation.placements.all().delete()
        for values_of_one in placements:
            placement = StaffPlacement(operation=operation, **values_of_one)
            placement.full_clean(exclude=["operation"])
            placement.save()
    if parts is not None:
        operation.parts.all().delete()
        for values_of_one in parts:
            part = SplitPart(operation=operation, **values_of_one)
            part.full_clean(exclude=["operation"])
            part.save()
    return operation


@transaction.atomic
def reform_operation_remove(*, operation: ReformOperation, by) -> None:
    _editable(operation.plan, by)
    operation.delete()


@transaction.atomic
def reform_operations_to_standard(*, plan: ReformPlan, by) -> list[ReformOperation]:
    """核定 against the industry standards: for each active unit of the plan's region (every region for a plan of
    the city level) whose own quotas lie outside its industry standard, add to the draft plan an adjustment of its
    institutional quotas to the standard's nearer end (the surplus cancelled), its reason the standard worked out.
    A unit the plan already adjusts is left to that operation. Returns the operations added."""
    locked = _editable(plan, by)
    quota_type = ledger.quota_type_get()
    units = Institution.objects.filter(status=InstitutionStatus.ACTIVE, kind=InstitutionKind.PUBLIC_INSTITUTION,
                                       reserved_class__in=list(SECTOR_OF_CLASS)).select_related("region")
    if locked.region.kind != RegionKind.CITY:
        units = units.filter(region=locked.region)
    adjusted = set(locked.operations.filter(kind=OperationKind.ADJUST_QUOTAS).values_list("institution_id",
                                                                                       flat=True))
    units = [unit for unit in units if unit.pk not in adjusted]
    sizes = own_approved_quotas_of_units([unit.pk for unit in units])
    standards, added = unit_standards(units, on=locked.effective_date), []
    for unit in units:
        standard = standards.get(unit.pk)
        size = sizes.get(unit.pk, 0)
        if standard is None or not standard.parts or standard.low <= size <= standard.high:
            continue
        target = standard.high if size > standard.high else standard.low
        own_type = own_approved_quotas(unit, quota_type=quota_type)
        reason = _("To the industry standard: %(parts)s → %(low)d–%(high)d; holds %(size)d.") % {
            "parts": "; ".join(f"{FigureKind(part.figure).label} {part.value} ({part.year}, {part.rule_set})"
                               for part in standard.parts),
            "low": standard.low, "high": standard.high, "size": size}
        added.append(reform_operation_save(
            plan=locked, by=by, kind=OperationKind.ADJUST_QUOTAS, institution=unit, quota_type=quota_type,
            approved_total=own_type + target - size, surplus=SurplusAction.CANCEL, reason=reason[:500]))
    return added


# --- previewing ---------------------------------------------------------------------------------------------------
def reform_plan_preview(plan: ReformPlan) -> dict[str, Any]:
    """Per unit and per region, before and after, and the problems; nothing is written."""
    steps = plan_steps(plan)
    return _preview(steps)


def _preview(steps: Steps) -> dict[str, Any]:
    type_names = dict(QuotaType.objects.values_list("pk", "code"))
    def unit_row(key: int | str, before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
        return {"institution_id": key if isinstance(key, int) else None, "key": str(key), "before": before,
                "after": after}

    units = [unit_row(key, steps.before.get(key), unit.figures(type_names)) for key, unit in steps.units.items()]
    regions = Region.objects.in_bulk({region_id for effect in steps.operations for region_id in effect.regions})
    operations = [{
        "position": effect.position, "kind": effect.kind, "label": effect.label,
        "units": [unit_row(key, effect.before[key], after) for key, after in effect.after.items()],
        "regions": [{"region_id": region_id, "code": regions[region_id].code, "name": regions[region_id].name,
                     "institutions_change": change[0], "quotas_change": change[1]}
                    for region_id, change in sorted(effect.regions.items(), key=lambda item: regions[item[0]].code)],
        "problems": [problem.as_dict() for problem in steps.problems if problem.operation == effect.position],
        "notes": [note.as_dict() for note in steps.notes if note.operation == effect.position],
    } for effect in steps.operations]
    return {
        "plan": steps.plan.pk, "effective_date": steps.plan.effective_date.isoformat(),
        "problems": [problem.as_dict() for problem in steps.problems],
        "notes": [note.as_dict() for note in steps.notes],
        "units": units, "regions": region_figures(steps), "operations": operations,
    }


def _refuse_problems(steps: Steps) -> None:
    if steps.problems:
        raise ValidationError({"operations": [
            _("Operation %(position)d (%(unit)s): %(message)s") % {
                "position": problem.operation, "unit": problem.unit or "—", "message": problem.message}
            if problem.operation else problem.message
            for problem in steps.problems]})


# --- deciding -----------------------------------------------------------------------------------------------------
def reform_plan_submit(*, plan: ReformPlan, by) -> ReformPlan:
    def check(locked: ReformPlan) -> None:
        _refuse_problems(plan_steps(locked))

    return request_transition(request=plan, action=workflow.SUBMIT, by=by, carry_out=check)


def reform_plan_withdraw(*, plan: ReformPlan, by, reason: str = "") -> ReformPlan:
    return request_transition(request=plan, action=workflow.WITHDRAW, by=by, reason=reason)


def reform_plan_approve(*, plan: ReformPlan, by, document: ApprovalDocument, note: str = "") -> ReformPlan:
    def check(locked: ReformPlan) -> None:
        _refuse_problems(plan_steps(locked))
        if document is not None and document.date_effective > locked.effective_date:
            raise ValidationError({"document": _(
                "The plan takes effect on %(date)s, before its document %(number)s does.")
                % {"date": locked.effective_date, "number": document.number}})

    return request_transition(request=plan, action=workflow.APPROVE, by=by, document=document, reason=note,
                              carry_out=check)


def reform_plan_reject(*, plan: ReformPlan, by, reason: str, document: ApprovalDocument | None = None
                       ) -> ReformPlan:
    return request_transition(request=plan, action=workflow.REJECT, by=by, reason=reason, document=document)


def reform_plan_execute(*, plan: ReformPlan, by, reason: str = "") -> ReformPlan:
    """Carry out every operation, in one transaction, under the plan's approval document."""
    require_decider(by)

    def carry_out(locked: ReformPlan) -> None:
        lock_units(units_named_by(locked.operations.prefetch_related("sources", "placements")))
        steps = plan_steps(locked)  # after the lock: what is executed is what the figures are now
        _refuse_problems(steps)
        executor = _Executor(locked, by)
        executor.run(steps)
        changes_record([Change(ChangeKind.REFORM_EXECUTED, None, locked.region_id, {
            "plan": locked.pk, "title": locked.title, "document": locked.document.number if locked.document else None,
            "effective_date": locked.effective_date.isoformat(), "operations": locked.operations.count(),
            "units": sorted(unit.pk for unit in executor.units.values())})])
        locked.executed_at = timezone.now()
        ReformPlan.objects.filter(pk=locked.pk).update(executed_at=locked.executed_at)

    return request_transition(request=plan, action=workflow.EXECUTE, by=by, reason=reason, carry_out=carry_out)


# --- the gradual market path, carried on --------------------------------------------------------------------------
def gradual_market_paths():
    """The operations that put a unit on the gradual market path, executed, whose unit has not yet ended."""
    return ReformOperation.objects.filter(
        kind=OperationKind.MARKETISE, market_path=MarketPath.GRADUAL, plan__status=workflow.EXECUTED,
        institution__status=InstitutionStatus.ACTIVE).select_related("plan__document", "institution")


def market_paths_settle(*, on: datetime.date | None = None, by=None) -> list[Institution]:
    """稳步推进: every unit on the gradual market path gives up, through the ledger, the quotas its leavers have
    freed (cancelled under its plan's document), and ends as marketised once its last staff member in quota has
    left. Each unit in its own transaction, after its lock; a unit the ledger refuses is logged and left for the next
    run, the others go on; running twice changes nothing. Returns the units that ended."""
    day = on or timezone.localdate()
    ended = []
    for operation in gradual_market_paths():
        try:
            with transaction.atomic():
                if _market_path_settle(operation, day, by):
                    ended.append(operation.institution)
        except ValidationError as refused:  # this unit waits for the next run; the others go on
            logger.warning("The gradual market path of %s (plan %s) was not settled on %s: %s",
                           operation.institution, operation.plan_id, day, "; ".join(refused.messages))
    return ended


def _market_path_settle(operation: ReformOperation, day: datetime.date, by) -> bool:
    unit, document = operation.institution, operation.plan.document
    lock_units([unit.pk])
    unit.refresh_from_db()
    if unit.status != InstitutionStatus.ACTIVE:
        return False
    note = _("Gradual market path of the plan “%(plan)s”: quotas freed by leavers") % {"plan": operation.plan}
    remaining, staff = 0, quota_position(unit).staff_total
    for account in QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=unit,
                                               is_active=True).select_related("quota_type"):
        position = quota_position(unit, quota_type=account.quota_type)
        if position.reclaimable:
            ledger.quota_cancel(source=account, amount=position.reclaimable, document=document, effective_date=day,
                                by=by, note=note)
        remaining += position.held - position.reclaimable
    if remaining or staff:
        return False
    ledger.quota_accounts_close(institutions=[unit])
    unit.status, unit.ended_on, unit.ended_document, unit.staff_in_quota = (
        InstitutionStatus.MARKETISED, day, document, 0)
    unit.clean()
    unit._history_user = by
    unit.save(update_fields=["status", "ended_on", "ended_document", "staff_in_quota"])
    InstitutionEvent.objects.create(
        institution=unit, kind=LifeEventKind.MARKETISED, date=day, region_id=unit.region_id, document=document,
        detail=_("Gradual market path completed: the last staff member in quota has left"))
    return True


# --- executing ----------------------------------------------------------------------------------------------------
# The registry fields whose change goes to the change log (what the finance system reads of a unit).
TOLD_FIELDS = frozenset({"name", "status", "region", "supervisor", "funding_form", "category"})


class _Executor:
    """Carries out the planner's steps. Ledger work and registry changes are queued and written together
    (``_flush``): the moves in one posting, the devolved units' accounts in one relocation, the ended units' accounts
    in one close, the registry's rows in one update with their history. A step that reads what the queue holds
    (a loan's or a notice's settlement, a move of a unit whose accounts are moving) writes the queue first."""

    def __init__(self, plan: ReformPlan, by) -> None:
        self.plan, self.by, self.day, self.document = plan, by, plan.effective_date, plan.document
        self.units: dict[int | str, Institution] = {}
        self.types = {quota_type.pk: quota_type for quota_type in QuotaType.objects.all()}
        self.accounts: dict[tuple, object] = {}
        self.events: list[InstitutionEvent] = []
        self.staff: dict[int | str, tuple[Institution, dict[str, int]]] = {}
        self.moves: list[ledger.Move] = []
        self.relocations: dict[int, tuple[Institution, int]] = {}
        self.closing: dict[int, Institution] = {}
        self.changed: dict[int, tuple[Institution, set[str]]] = {}
        self.ending: set[int] = set()
        self.told: dict[int, set[str]] = {}  # unit → the fields the change log tells of (created units: all)

    def unit(self, key: int | str) -> Institution:
        if key not in self.units:
            self.units[key] = Institution.objects.get(pk=key)
        return self.units[key]

    def run(self, steps: Steps) -> None:
        units = [key for key in steps.units if isinstance(key, int)]
        self.units.update(Institution.objects.in_bulk(units))
        for account in QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution__in=units,
                                                   is_active=True):
            self.accounts[("unit", account.institution_id, account.quota_type_id)] = account
        for step in steps.steps:
            getattr(self, f"_{step[0]}")(*step[1:])
        self._write_staff()
        self._flush()
        InstitutionEvent.objects.bulk_create(self.events)
        changes_record(self._unit_changes())

    def _unit_changes(self) -> list[Change]:
        """The change log's events of the units created or changed in what the finance system reads."""
        changes = []
        for pk, names in sorted(self.told.items()):
            unit = next(unit for unit in self.units.values() if unit.pk == pk)
            changes.append(Change(ChangeKind.UNIT_CHANGED, unit.pk, unit.region_id, {
                "plan": self.plan.pk, "changed": sorted(names), "name": unit.name, "credit_code": unit.credit_code,
                "status": unit.status, "region": unit.region_id, "supervisor": unit.supervisor_id,
                "funding_form": unit.funding_form, "category": unit.category,
                "ended_on": unit.ended_on.isoformat() if unit.ended_on else None}))
        return changes

    def _flush(self) -> None:
        self._post_moves()
        self._relocate_now()
        if self.closing:
            ledger.quota_accounts_close(institutions=list(self.closing.values()))
            self.closing = {}
        self._write_registry()
        if self.ending:
            Plaque.objects.filter(institution__in=self.ending, ended_on__isnull=True).update(ended_on=self.day)
            self.ending = set()

    def _create(self, key: str, fields: dict[str, Any]) -> None:
        institution = Institution(kind=InstitutionKind.PUBLIC_INSTITUTION, established_on=self.day,
                                  established_document=self.document, **fields)
        institution.full_clean()
        institution._history_user = self.by
        institution.save()
        self.units[key] = institution
        self.told[institution.pk] = {"created"}
        operation_id, _dash, part = key.removeprefix("new-").partition("-")
        if not part:  # a split's parts are named by their operation's parts
            ReformOperation.objects.filter(pk=int(operation_id)).update(created_unit=institution)

    def _account(self, side: tuple, type_id: int):
        """The side's open account (kept for the plan: a unit's account changes only when it moves or ends)."""
        if side[0] == "unit" and self.unit(side[1]).pk in self.relocations:
            self._relocate_now()
        key = (*(("unit", self.unit(side[1]).pk) if side[0] == "unit" else side), type_id)
        if key not in self.accounts:
            quota_type = self.types[type_id]
            if side[0] == "unit":
                account = ledger.account_for_institution(institution=self.unit(side[1]), quota_type=quota_type)
            elif side[0] == "pool":
                account = ledger.account_for_region(region=Region(pk=side[1]), quota_type=quota_type)
            else:
                account = ledger.account_for_province(quota_type=quota_type)
            self.accounts[key] = account
        return self.accounts[key]

    def _move(self, kind: str, source: tuple, target: tuple, type_id: int, amount: int) -> None:
        self.moves.append(ledger.Move(kind, self._account(source, type_id), self._account(target, type_id), amount,
                                      str(self.plan)))

    def _post_moves(self) -> None:
        if self.moves:
            ledger.quota_moves(moves=self.moves, document=self.document, effective_date=self.day, by=self.by)
            self.moves = []

    def _relocate(self, key: int, region_id: int) -> None:
        self._post_moves()  # what the unit's accounts received before, they take with them
        institution = self.unit(key)
        self.relocations[institution.pk] = (institution, region_id)

    def _relocate_now(self) -> None:
        if not self.relocations:
            return
        regions = Region.objects.in_bulk(list({region_id for _unit, region_id in self.relocations.values()}))
        ledger.quota_accounts_relocate(
            moves=[(unit, regions[region_id]) for unit, region_id in self.relocations.values()],
            document=self.document, effective_date=self.day, by=self.by, note=str(self.plan))
        self.accounts = {side: account for side, account in self.accounts.items()
                         if not (side[0] == "unit" and side[1] in self.relocations)}
        self.relocations = {}

    def _close_accounts(self, key: int) -> None:
        institution = self.unit(key)
        self.accounts = {side: account for side, account in self.accounts.items()
                         if side[:2] != ("unit", institution.pk)}
        self.closing[institution.pk] = institution

    def _staff(self, key: int | str, counts: dict[str, int]) -> None:
        """Queue the unit's staff count as of the plan's date (its last state in the plan wins); checked while the
        unit is still as the step finds it, written with the others at the end (``_write_staff``)."""
        institution = self.unit(key)
        check = StaffCount(institution=institution, as_of=self.day, **counts)
        check.full_clean(exclude=["institution"], validate_unique=False, validate_constraints=False)
        self.staff[key] = (Institution(**{field.attname: getattr(institution, field.attname)
                                          for field in Institution._meta.concrete_fields}), dict(counts))

    def _write_staff(self) -> None:
        if not self.staff:
            return
        staff_services.staff_counts_record_many(
            counts_by_unit=dict(self.staff.values()), by=self.by, as_of=self.day,
            note=str(self.plan))
        for key, (_unit, counts) in self.staff.items():
            institution = self.unit(key)
            institution.staff_in_quota = counts["management"] + counts["professional"] + counts["worker"]
            self._changed(institution, ["staff_in_quota"])

    def _registry(self, key: int | str, changes: dict[str, Any]) -> None:
        """Change the unit's record (written with the others by ``_flush``). The planner checked the names and the
        database holds the constraints; the model's own rules (an ended unit has its end date ...) are checked
        here."""
        institution = self.unit(key)
        for name, value in changes.items():
            setattr(institution, name, value)
        institution.clean()
        self._changed(institution, changes)

    def _changed(self, institution: Institution, names: Iterable[str]) -> None:
        attnames = {Institution._meta.get_field(name).attname for name in names}
        self.changed.setdefault(institution.pk, (institution, set()))[1].update(attnames)
        told = {name.removesuffix("_id") for name in attnames} & TOLD_FIELDS
        if told:
            self.told.setdefault(institution.pk, set()).update(told)

    def _write_registry(self) -> None:
        """The changed units' rows, with their history. Units changed in the same fields are written together; a
        field with one value for all of them (an end's date and document) by one UPDATE, the others by one
        ``bulk_update``."""
        if not self.changed:
            return
        groups: dict[frozenset[str], list[Institution]] = {}
        for unit, names in self.changed.values():
            groups.setdefault(frozenset(names), []).append(unit)
        for names, units in groups.items():
            values = {name: {getattr(unit, name) for unit in units} for name in names}
            same = {name: next(iter(found)) for name, found in values.items() if len(found) == 1}
            if same:
                Institution.objects.filter(pk__in=[unit.pk for unit in units]).update(**same)
            if names - same.keys():
                Institution.objects.bulk_update(units, sorted(names - same.keys()))
        Institution.history.bulk_history_create(
            [unit for unit, _names in self.changed.values()], update=True,
            default_user=self.by if getattr(self.by, "pk", None) else None,
            default_change_reason=str(self.plan)[:100])
        self.changed = {}

    def _end(self, key: int, status: str, successor_key: int | str | None) -> None:
        changes = {"status": status, "ended_on": self.day, "ended_document": self.document, "staff_in_quota": 0}
        if successor_key is not None:
            changes["successor"] = self.unit(successor_key)
        self._registry(key, changes)
        self.ending.add(self.unit(key).pk)

    def _event(self, key: int | str, kind: str, related_key: int | str | None, detail: str = "",
               from_region_id: int | None = None, former_name: str = "") -> None:
        institution = self.unit(key)
        self.events.append(InstitutionEvent(
            institution=institution, kind=kind, date=self.day, region_id=institution.region_id,
            from_region_id=from_region_id, former_name=former_name, document=self.document, detail=detail or "",
            related_id=self.unit(related_key).pk if related_key is not None else None))

    def _plaque_add(self, key: int | str, name: str) -> None:
        plaque = Plaque(institution=self.unit(key), name=name, started_on=self.day, document=self.document)
        plaque.full_clean()
        plaque.save()

    def _plaque_end(self, key: int, name: str) -> None:
        Plaque.objects.filter(institution=self.unit(key), name=name, ended_on__isnull=True).update(ended_on=self.day)

    def _settle_loan(self, loan_id: int, successor_key: int | str | None) -> None:
        self._flush()
        successor = self.unit(successor_key) if successor_key is not None else None
        turnover_loan_hand_over(
            loan=TurnoverLoan.objects.get(pk=loan_id), by=self.by, document=self.document, on=self.day,
            to_institution=successor, reason=_("Reform plan “%(plan)s”") % {"plan": self.plan})

    def _close_notice(self, notice_id: int) -> None:
        self._flush()
        notice = QuotaUseNotice.objects.get(pk=notice_id)
        quota_use_notice_execute(notice=notice, by=self.by, as_system=True, on=self.day, reason=_(
            "Closed by the reform plan “%(plan)s”: the unit ends.") % {"plan": self.plan})
