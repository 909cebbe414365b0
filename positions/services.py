"""Every write of the positions app: plans (checked against their rule set) and staff counts.

Each service runs in one transaction, locks the unit it writes for (so two clerks entering a plan for the same unit
get consecutive versions), calls ``full_clean()`` and records the acting user in the history. A refusal raises
``ValidationError`` (field → messages) and writes nothing. The ledger is only read (``quotas.selectors``).
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import Coalesce

from institutions.choices import RegionKind, ReservedClass
from institutions.models import ApprovalDocument, Institution
from positions import rules
from positions.choices import RuleLevel
from positions.models import PositionPlan, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.texts import finding_message
from quotas.choices import QuotaTypeCode
from quotas.selectors import own_approved_quotas

PLAN_FIELDS = ("effective_date", "document", "main_post_type", "rule_set", "note", *PLAN_COUNT_FIELDS)
STAFF_FIELDS = ("as_of", "note", *STAFF_COUNT_FIELDS)


# --- reads the rules need -----------------------------------------------------------------------------------
def unit_level(institution: Institution) -> str:
    """The level whose default rule set applies: township units, city-level units, else county (districts are
    county-level divisions)."""
    if institution.reserved_class == ReservedClass.TOWNSHIP:
        return RuleLevel.TOWNSHIP
    if institution.region.kind == RegionKind.CITY:
        return RuleLevel.CITY
    return RuleLevel.COUNTY


def default_rule_set_for(institution: Institution) -> PositionRuleSet | None:
    return PositionRuleSet.objects.filter(level=unit_level(institution), is_default=True).first()


def approved_quotas_of(institution: Institution, on: datetime.date | None = None) -> int:
    """The unit's own approved institutional quotas at the end of ``on``, or now: what its plan is checked against
    (quotas borrowed from the turnover pool are not posts of its plan)."""
    return own_approved_quotas(institution, quota_type=QuotaTypeCode.INSTITUTIONAL, on=on)


def leadership_posts_of(institution: Institution) -> int:
    """领导职数 of the unit and its internal divisions (principal and deputy)."""
    divisions = institution.divisions.aggregate(
        total=Coalesce(Sum("leadership_principal"), 0) + Coalesce(Sum("leadership_deputy"), 0)
    )["total"]
    return institution.leadership_principal + institution.leadership_deputy + divisions


# --- position plans -----------------------------------------------------------------------------------------
def position_plan_check(*, plan: PositionPlan) -> list[rules.Finding]:
    """The rules of the plan's rule set (or its level's default) that the plan breaks, against the unit's approved
    quotas on the plan's date and its leadership posts."""
    rule_set = plan.rule_set or default_rule_set_for(plan.institution)
    if rule_set is None:
        return []
    figures = plan.figures(
        approved_quotas=approved_quotas_of(plan.institution, plan.effective_date),
        leadership_posts=leadership_posts_of(plan.institution),
    )
    return rules.check_plan(figures, rule_set.as_rule_set())


def binding_refusal(findings: Iterable[rules.Finding]) -> ValidationError | None:
    """A ``ValidationError`` naming each broken binding rule against its field, or None."""
    errors: dict[str, list[str]] = {}
    for finding in rules.binding(findings):
        errors.setdefault(finding.field, []).append(finding_message(finding))
    return ValidationError(errors) if errors else None


def _lock_unit(institution: Institution) -> Institution:
    """Lock the unit's row: the lock ``institutions.locks.lock_units`` takes, so staff counts, notices, entries and
    exits of one unit are serialised."""
    return Institution.objects.select_for_update().select_related("region").get(pk=institution.pk)


def _save_plan(plan: PositionPlan, *, by) -> PositionPlan:
    if plan.rule_set_id is None and plan.institution_id:
        plan.rule_set = default_rule_set_for(plan.institution)
    plan.full_clean()
    findings = position_plan_check(plan=plan)
    refusal = binding_refusal(findings)
    if refusal is not None:
        raise refusal
    plan.findings = [finding.as_dict() for finding in findings]
    plan._history_user = by
    plan.save()
    return plan


def _set_counts(instance, fields: Iterable[str], values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(instance, name, value)


@transaction.atomic
def position_plan_save(*, plan: PositionPlan, by) -> PositionPlan:
    """Save a plan built or changed elsewhere (an admin form, an import row): a new one gets the unit's next
    version; the checks are those of ``position_plan_create``."""
    if plan.institution_id:
        institution = _lock_unit(plan.institution)
        if plan._state.adding:
            plan.version = (institution.position_plans.aggregate(last=Max("version"))["last"] or 0) + 1
            plan.entered_by = by
    return _save_plan(plan, by=by)


@transaction.atomic
def position_plan_create(
    *, institution: Institution, by, effective_date: datetime.date, document: ApprovalDocument,
    counts: Mapping[str, int], main_post_type: str = rules.PROFESSIONAL_SERVICE,
    rule_set: PositionRuleSet | None = None, note: str = "",
) -> PositionPlan:
    """File a new version of the unit's position plan, in effect from ``effective_date``.

    Refused when counts do not add up (grades to categories, categories to the total), the unit does not exist on
    the date, or a binding rule is broken (position total above the approved quotas, leadership posts above the
    leadership posts); other broken rules are saved on the plan as warnings.
    """
    institution = _lock_unit(institution)
    version = (institution.position_plans.aggregate(last=Max("version"))["last"] or 0) + 1
    plan = PositionPlan(
        institution=institution, version=version, effective_date=effective_date, document=document,
        main_post_type=main_post_type, rule_set=rule_set, note=note, entered_by=by,
    )
    _set_counts(plan, PLAN_COUNT_FIELDS, counts)
    return _save_plan(plan, by=by)


@transaction.atomic
def position_plan_update(*, plan: PositionPlan, by, **changes: Any) -> PositionPlan:
    """Correct a plan (its counts, date, document, type or rule set), with the same checks as a new one."""
    _lock_unit(plan.institution)
    plan = PositionPlan.objects.select_related("institution__region").get(pk=plan.pk)
    _set_counts(plan, PLAN_FIELDS, changes)
    return _save_plan(plan, by=by)


@transaction.atomic
def position_plan_recheck(*, plans: QuerySet | None = None) -> int:
    """Check stored plans again (after a rule set was edited or quotas moved) and store their findings.

    Nothing is refused here: a plan that now breaks a binding rule keeps it listed as a binding finding.
    Returns how many plans' findings changed.
    """
    plans = PositionPlan.objects.all() if plans is None else plans
    changed = []
    for plan in plans.select_related("institution__region", "rule_set").prefetch_related("rule_set__rules"):
        findings = [finding.as_dict() for finding in position_plan_check(plan=plan)]
        if findings != plan.findings:
            plan.findings = findings
            changed.append(plan)
    PositionPlan.objects.bulk_update(changed, ["findings"], batch_size=500)
    return len(changed)


# --- staff counts -------------------------------------------------------------------------------------------
def _save_staff_count(staff_count: StaffCount, *, by) -> StaffCount:
    staff_count.full_clean()
    staff_count._history_user = by
    staff_count.save()
    return staff_count


@transaction.atomic
def staff_count_save(*, staff_count: StaffCount, by) -> StaffCount:
    """Save a staff count built or changed elsewhere (an admin form, an import row), with the checks of
    ``staff_count_record``."""
    if staff_count.institution_id:
        _lock_unit(staff_count.institution)
        if staff_count._state.adding:
            staff_count.entered_by = by
    return _save_staff_count(staff_count, by=by)


@transaction.atomic
def staff_count_record(
    *, institution: Institution, by, as_of: datetime.date, counts: Mapping[str, int], note: str = ""
) -> StaffCount:
    """Record the unit's staff in quota as of a date, by category and professional band.

    Refused when the bands do not add up to the professional-technical staff, a count is negative, the unit does
    not exist on the date, or a count for that date exists already. The latest count is the unit's staff in quota
    from now on (``workflow.vacancy``).
    """
    institution = _lock_unit(institution)
    staff_count = StaffCount(institution=institution, as_of=as_of, note=note, entered_by=by)
    _set_counts(staff_count, STAFF_COUNT_FIELDS, counts)
    return _save_staff_count(staff_count, by=by)


@transaction.atomic
def staff_counts_record_many(*, counts_by_unit: Mapping[Institution, Mapping[str, int]], by, as_of: datetime.date,
                             note: str = "") -> list[StaffCount]:
    """Record many units' staff in quota as of one date (a reform plan's staff moves), with the checks of
    ``staff_count_record``: each count is cleaned against its unit as passed in (so a unit about to end is checked
    while it still exists), then all are written in two statements, a count already entered for that date
    corrected. The caller holds the units' locks (``institutions.locks.lock_units``)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    existing = {count.institution_id: count for count in StaffCount.objects.filter(
        institution__in=list(counts_by_unit), as_of=as_of)}
    new, changed = [], []
    for institution, counts in counts_by_unit.items():
        staff_count = existing.get(institution.pk) or StaffCount(institution=institution, as_of=as_of, note=note,
                                                                  entered_by=by if getattr(by, "pk", None) else None)
        staff_count.institution = institution
        _set_counts(staff_count, STAFF_COUNT_FIELDS, counts)
        staff_count.full_clean(validate_unique=False, validate_constraints=False)  # the database holds those
        (changed if staff_count.pk else new).append(staff_count)
    user = by if getattr(by, "pk", None) else None
    if new:
        bulk_create_with_history(new, StaffCount, default_user=user)
    if changed:
        bulk_update_with_history(changed, StaffCount, ["total", *STAFF_COUNT_FIELDS], default_user=user)
    return new + changed


@transaction.atomic
def staff_count_update(*, staff_count: StaffCount, by, **changes: Any) -> StaffCount:
    """Correct a staff count, with the same checks as a new one."""
    _lock_unit(staff_count.institution)
    staff_count = StaffCount.objects.select_related("institution").get(pk=staff_count.pk)
    _set_counts(staff_count, STAFF_FIELDS, changes)
    return _save_staff_count(staff_count, by=by)
