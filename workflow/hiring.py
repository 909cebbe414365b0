"""Services of hiring against a vacancy (用编进人): hiring plans, quota-use notices, entries and exits.

Every write runs in one transaction and goes through ``workflow.transitions`` for its state. Rules (docs/domain.md,
"Hiring against a vacancy" and "Usable vacancy"): an over-quota unit may not plan or be issued a notice; a unit at quota
plans only replacements of its expected leavers (出一进一); a notice is issued only within the usable vacancy of its
quota type and, where the unit has a position plan and a staff count, within the posts of its category that lack
staff; an entry takes up an open notice, an exit frees a quota. Entries and exits write the unit's staff count as of
their date through ``positions.services`` so that staff in quota and the reconciliation follow.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_date
from institutions.locks import lock_units
from institutions.models import ApprovalDocument, Institution
from institutions.numbering import number_in_sequence
from outbox.models import ChangeKind
from outbox.services import Change, changes_record
from positions import services as staff_services
from positions.choices import PostCategory
from positions.models import StaffCount
from positions.models.staff import STAFF_COUNT_FIELDS
from quotas.models import QuotaType
from workflow import states as workflow
from workflow.models import HiringPlan, HiringPlanLine, QuotaUseNotice, StaffMovement, WorkflowPolicy
from workflow.models.hiring import ENTRY_REASONS, EXIT_REASONS, MovementKind, MovementReason
from workflow.transitions import record_event, refusal_of_edit, request_transition, require_proposer
from workflow.vacancy import quota_position, recruiting_refusal


def _category_label(category: str) -> str:
    return str(PostCategory(category).label)


def _check_editable(request) -> None:
    if not workflow.is_editable(request.status):
        raise refusal_of_edit(request)


# --- hiring plans -------------------------------------------------------------------------------------------------
def _set_lines(plan: HiringPlan, lines: Iterable[Mapping[str, Any]]) -> None:
    plan.lines.all().delete()
    seen = set()
    for line in lines:
        key = (line["quota_type"].pk, line["category"])
        if key in seen:
            raise ValidationError({"lines": _("Each quota type and category appears once in a plan.")})
        seen.add(key)
        row = HiringPlanLine(plan=plan, quota_type=line["quota_type"], category=line["category"],
                             count=line["count"])
        row.full_clean()
        row.save()


@transaction.atomic
def hiring_plan_create(
    *, institution: Institution, year: int, lines: Iterable[Mapping[str, Any]], by, expected_leavers: int = 0,
    supervisor_opinion: str = "", note: str = "",
) -> HiringPlan:
    """File a draft hiring plan (用编计划) for the unit and year, with its lines (quota type, category, count)."""
    require_proposer(by, institution)
    plan = HiringPlan(institution=institution, year=year, expected_leavers=expected_leavers,
                      supervisor_opinion=supervisor_opinion, note=note, created_by=by if by else None)
    plan.full_clean()
    plan.save()
    _set_lines(plan, lines)
    record_event(request=plan, action="create", from_state="", to_state=workflow.DRAFT, by=by)
    return plan


@transaction.atomic
def hiring_plan_update(*, plan: HiringPlan, by, lines: Iterable[Mapping[str, Any]] | None = None,
                       **changes: Any) -> HiringPlan:
    """Change a draft plan (its year, expected leavers, opinion, note or lines)."""
    plan = HiringPlan.objects.select_for_update(of=("self",)).select_related("institution").get(pk=plan.pk)
    require_proposer(by, plan.institution)
    _check_editable(plan)
    for name in ("year", "expected_leavers", "supervisor_opinion", "note"):
        if name in changes:
            setattr(plan, name, changes.pop(name))
    if changes:
        raise TypeError(f"unknown fields: {', '.join(sorted(changes))}")
    plan.full_clean()
    plan.save()
    if lines is not None:
        _set_lines(plan, lines)
    return plan


def hiring_plan_problems(plan: HiringPlan) -> dict[str, list[str]]:
    """Why the plan cannot go ahead (empty when it can): per quota type, an over-quota unit may not hire, and the
    entrants planned may not exceed the usable vacancy plus the expected leavers (at quota: 出一进一)."""
    errors: dict[str, list[str]] = {}
    lines = list(plan.lines.select_related("quota_type"))
    if not lines:
        return {"lines": [_("A hiring plan plans at least one entrant.")]}
    planned: dict[int, int] = {}
    types: dict[int, QuotaType] = {}
    for line in lines:
        planned[line.quota_type_id] = planned.get(line.quota_type_id, 0) + line.count
        types[line.quota_type_id] = line.quota_type
    if refusal := recruiting_refusal(plan.institution):
        return {"institution": [refusal]}
    for type_id, count in planned.items():
        vacancy = quota_position(plan.institution, quota_type=types[type_id])
        if vacancy.over_quota:
            errors.setdefault("lines", []).append(
                _("“%(unit)s” is over quota (%(staff)d staff in quota on %(approved)d approved %(type)s): an "
                  "over-quota unit may not hire until it is back within quota.")
                % {"unit": plan.institution, "staff": vacancy.staff_total, "approved": vacancy.held,
                   "type": types[type_id]}
            )
            continue
        room = max(vacancy.usable, 0) + plan.expected_leavers
        if count > room:
            if vacancy.usable <= 0:
                message = _("“%(unit)s” is at quota for %(type)s: it may only replace its %(leavers)d expected "
                            "leavers one for one (出一进一), not plan %(count)d entrants.")
            else:
                message = _("%(count)d entrants of %(type)s planned, but the usable vacancy is %(usable)d and "
                            "%(leavers)d leavers are expected: at most %(room)d.")
            errors.setdefault("lines", []).append(message % {
                "unit": plan.institution, "type": types[type_id], "leavers": plan.expected_leavers, "count": count,
                "usable": vacancy.usable, "room": room,
            })
    return errors


def _refuse_if_problems(plan: HiringPlan) -> None:
    problems = hiring_plan_problems(plan)
    if problems:
        raise ValidationError(problems)


def hiring_plan_submit(*, plan: HiringPlan, by) -> HiringPlan:
    """Submit the plan to the city office; refused at once when the unit may not hire so much."""
    return request_transition(request=plan, action=workflow.SUBMIT, by=by, carry_out=_refuse_if_problems)


def hiring_plan_withdraw(*, plan: HiringPlan, by, reason: str = "") -> HiringPlan:
    return request_transition(request=plan, action=workflow.WITHDRAW, by=by, reason=reason)


def hiring_plan_approve(*, plan: HiringPlan, by, document: ApprovalDocument, review: str = "") -> HiringPlan:
    """Approve the plan with the office's review, checking the rules again against today's figures."""
    return request_transition(request=plan, action=workflow.APPROVE, by=by, reason=review, document=document,
                              carry_out=_refuse_if_problems)


def hiring_plan_reject(*, plan: HiringPlan, by, reason: str, document: ApprovalDocument | None = None) -> HiringPlan:
    return request_transition(request=plan, action=workflow.REJECT, by=by, reason=reason, document=document)


def hiring_plan_execute(*, plan: HiringPlan, by, reason: str = "") -> HiringPlan:
    """Close the year's plan (executed): no more notices are issued under it."""
    return request_transition(request=plan, action=workflow.EXECUTE, by=by, reason=reason)


# --- quota-use notices --------------------------------------------------------------------------------------------
def _check_plan_link(notice: QuotaUseNotice) -> None:
    plan = notice.hiring_plan
    if plan is None:
        return
    if plan.institution_id != notice.institution_id:
        raise ValidationError({"hiring_plan": _("The hiring plan is another unit's.")})


@transaction.atomic
def quota_use_notice_create(
    *, institution: Institution, quota_type: QuotaType, category: str, count: int, by,
    hiring_plan: HiringPlan | None = None, supervisor_opinion: str = "", note: str = "",
) -> QuotaUseNotice:
    """File a draft request to use quotas for one hire batch (编制使用申请)."""
    require_proposer(by, institution)
    notice = QuotaUseNotice(
        institution=institution, quota_type=quota_type, category=category, count=count, hiring_plan=hiring_plan,
        supervisor_opinion=supervisor_opinion, note=note, created_by=by if by else None,
    )
    notice.full_clean()
    _check_plan_link(notice)
    notice.save()
    record_event(request=notice, action="create", from_state="", to_state=workflow.DRAFT, by=by)
    return notice


@transaction.atomic
def quota_use_notice_update(*, notice: QuotaUseNotice, by, **changes: Any) -> QuotaUseNotice:
    """Change a draft request (count, category, quota type, plan, opinion, note)."""
    notice = QuotaUseNotice.objects.select_for_update(of=("self",)).select_related("institution").get(
        pk=notice.pk)
    require_proposer(by, notice.institution)
    _check_editable(notice)
    for name in ("quota_type", "category", "count", "hiring_plan", "supervisor_opinion", "note"):
        if name in changes:
            setattr(notice, name, changes.pop(name))
    if changes:
        raise TypeError(f"unknown fields: {', '.join(sorted(changes))}")
    notice.full_clean()
    _check_plan_link(notice)
    notice.save()
    return notice


def quota_use_notice_problems(notice: QuotaUseNotice, *, policy: WorkflowPolicy | None = None
                              ) -> dict[str, list[str]]:
    """Why the notice cannot be issued (empty when it can): the usable vacancy of its quota type and, with a plan
    and a staff count, the open posts of its category (``workflow.vacancy``), the hiring plan's line."""
    policy = policy or WorkflowPolicy.current()
    errors: dict[str, list[str]] = {}
    if refusal := recruiting_refusal(notice.institution):
        return {"institution": [refusal]}
    vacancy = quota_position(notice.institution, quota_type=notice.quota_type, exclude_notice_id=notice.pk)
    if vacancy.over_quota:
        errors["count"] = [
            _("“%(unit)s” is over quota (%(staff)d staff in quota on %(approved)d approved): an over-quota unit may "
              "not hire until it is back within quota.")
            % {"unit": notice.institution, "staff": vacancy.staff_total, "approved": vacancy.held}
        ]
        return errors
    if notice.count > vacancy.usable:
        errors["count"] = [
            _("%(count)d quotas requested, but the usable vacancy of %(type)s is %(usable)d (approved %(approved)d − "
              "staff in quota %(staff)d − reserved by open notices %(reserved)d).")
            % {"count": notice.count, "type": notice.quota_type, "usable": vacancy.vacant,
               "approved": vacancy.held, "staff": vacancy.staff_total, "reserved": vacancy.reserved}
        ]
        return errors
    if policy.notice_checks_posts and vacancy.has_breakdown:
        room = vacancy.usable_for(notice.category)
        if notice.count > room:
            category = notice.category
            errors["category"] = [
                _("%(count)d %(category)s entrants requested, but the position plan has %(posts)d such posts, "
                  "%(staff)d staff in them and %(reserved)d reserved by open notices: at most %(room)d.")
                % {"count": notice.count, "category": _category_label(category), "posts": vacancy.posts[category],
                   "staff": vacancy.staff[category], "reserved": vacancy.reserved_by_category[category],
                   "room": room}
            ]
    plan = notice.hiring_plan
    if plan is not None:
        if plan.status not in (workflow.APPROVED,):
            errors.setdefault("hiring_plan", []).append(
                _("The hiring plan is not approved (it is “%(state)s”).") % {"state": plan.get_status_display()})
        else:
            line = plan.lines.filter(quota_type_id=notice.quota_type_id, category=notice.category).first()
            planned = line.count if line else 0
            used = QuotaUseNotice.objects.filter(
                hiring_plan=plan, quota_type_id=notice.quota_type_id, category=notice.category,
                status__in=(workflow.APPROVED, workflow.EXECUTED),
            ).exclude(pk=notice.pk).aggregate(total=Sum("count"))["total"] or 0
            if used + notice.count > planned:
                errors.setdefault("hiring_plan", []).append(
                    _("The hiring plan allows %(planned)d entrants of this quota type and category; notices for "
                      "%(used)d are issued already.") % {"planned": planned, "used": used})
    return errors


def _refuse_notice(notice: QuotaUseNotice) -> None:
    problems = quota_use_notice_problems(notice)
    if problems:
        raise ValidationError(problems)


def quota_use_notice_submit(*, notice: QuotaUseNotice, by) -> QuotaUseNotice:
    """Submit the request; refused at once when today's usable vacancy cannot carry it."""
    return request_transition(request=notice, action=workflow.SUBMIT, by=by, carry_out=_refuse_notice)


def quota_use_notice_withdraw(*, notice: QuotaUseNotice, by, reason: str = "") -> QuotaUseNotice:
    return request_transition(request=notice, action=workflow.WITHDRAW, by=by, reason=reason)


def quota_use_notice_reject(*, notice: QuotaUseNotice, by, reason: str,
                            document: ApprovalDocument | None = None) -> QuotaUseNotice:
    return request_transition(request=notice, action=workflow.REJECT, by=by, reason=reason, document=document)


def _number(notice: QuotaUseNotice, office_code: str, year: int) -> None:
    """Give the notice the next free serial of its office code and year (哈编核〔2026〕12号)."""
    def write(serial: int, number: str) -> None:
        QuotaUseNotice.objects.filter(pk=notice.pk).update(
            office_code=office_code, serial_year=year, serial=serial, number=number)

    serial, number = number_in_sequence(QuotaUseNotice, office_code=office_code, year=year, year_field="serial_year",
                                        write=write)
    notice.office_code, notice.serial_year, notice.serial, notice.number = office_code, year, serial, number


def quota_use_notice_approve(
    *, notice: QuotaUseNotice, by, document: ApprovalDocument, on: datetime.date | None = None, note: str = "",
) -> QuotaUseNotice:
    """Issue the numbered notice (核准使用编制通知单) reserving its quotas for the validity period.

    The unit is locked first (``institutions.locks.lock_units``), so that two clerks approving notices that together
    exceed the vacancy at the same moment, or an entry, an exit or a staff count of the unit, are served one after
    the other: the second reads the position after the first and is refused if it no longer fits.
    """
    policy = WorkflowPolicy.current()
    day = on or timezone.localdate()
    check_date(day, field="date")

    def issue(locked: QuotaUseNotice) -> None:
        lock_units([locked.institution_id])
        problems = quota_use_notice_problems(locked, policy=policy)
        if problems:
            raise ValidationError(problems)
        _number(locked, policy.notice_office_code, day.year)
        locked.issued_on = day
        locked.valid_until = day + datetime.timedelta(days=policy.notice_validity_days)
        QuotaUseNotice.objects.filter(pk=locked.pk).update(issued_on=locked.issued_on,
                                                            valid_until=locked.valid_until)

    return request_transition(request=notice, action=workflow.APPROVE, by=by, reason=note, document=document,
                              carry_out=issue)


def quota_use_notice_execute(*, notice: QuotaUseNotice, by, reason: str = "", as_system: bool = False,
                             on: datetime.date | None = None) -> QuotaUseNotice:
    """Close an issued notice (executed): what is not taken up is released from ``on`` (default today)."""
    closed_on = on or timezone.localdate()

    def close(locked: QuotaUseNotice) -> None:
        locked.closed_on = closed_on
        QuotaUseNotice.objects.filter(pk=locked.pk).update(closed_on=closed_on)

    return request_transition(request=notice, action=workflow.EXECUTE, by=by, reason=reason, as_system=as_system,
                              carry_out=close)


def quota_use_notices_expire(*, today: datetime.date | None = None) -> int:
    """Expire every issued notice whose validity ended before ``today``, releasing what it still reserved.
    Idempotent: an expired notice is no longer issued. Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    due = QuotaUseNotice.objects.filter(status=workflow.APPROVED, valid_until__lt=today).order_by("pk")
    for notice in due.only("pk", "valid_until"):
        def close(locked: QuotaUseNotice) -> None:
            # It reserved through its last valid day, whenever this task notices.
            locked.closed_on = locked.valid_until + datetime.timedelta(days=1)
            QuotaUseNotice.objects.filter(pk=locked.pk).update(closed_on=locked.closed_on)

        try:
            request_transition(request=notice, action=workflow.EXPIRE, by=None, carry_out=close,
                               reason=_("Valid until %(date)s.") % {"date": notice.valid_until})
        except ValidationError:  # taken up in full or closed meanwhile
            continue
        expired += 1
    return expired


# --- entries and exits --------------------------------------------------------------------------------------------
def _apply_staff_change(*, institution: Institution, category: str, band: str, delta: int, on: datetime.date, by,
                        note: str) -> StaffCount:
    """Write the unit's staff count as of ``on``: its latest count with ``delta`` people in ``category`` (and
    ``band``). A movement dated before the latest count is refused: it would rewrite counts already reported.

    The unit is locked before the latest count is read (``institutions.locks.lock_units``, the lock notices and HR's
    counts take too), so simultaneous movements of one unit each start from the count the previous one wrote."""
    check_date(on, field="date", ahead_days=0)
    lock_units([institution.pk])
    latest = StaffCount.objects.filter(institution=institution).order_by("-as_of").first()
    if latest is None:
        raise ValidationError({"institution": _(
            "“%(unit)s” has no staff count by category yet: the HR bureau enters one first.") % {"unit": institution}})
    if latest.as_of > on:
        raise ValidationError({"date": _(
            "The unit's latest staff count is as of %(date)s: a movement cannot be dated earlier.")
            % {"date": latest.as_of}})
    counts = {name: getattr(latest, name) for name in STAFF_COUNT_FIELDS}
    counts[category] += delta
    if category == PostCategory.PROFESSIONAL:
        counts[band] += delta
    if counts[category] < 0 or (band and counts[band] < 0):
        raise ValidationError({"count": _(
            "The unit has only %(staff)d %(category)s staff in quota%(band)s.") % {
            "staff": getattr(latest, band or category), "category": _category_label(category),
            "band": f" ({band})" if band else ""}})
    if latest.as_of == on:
        return staff_services.staff_count_update(staff_count=latest, by=by, **counts)
    return staff_services.staff_count_record(institution=institution, by=by, as_of=on, counts=counts, note=note)


def _record_movement(movement: StaffMovement, kind: str) -> None:
    """The change log's event of an entry or exit, with the unit's staff in quota after it."""
    count = movement.staff_count
    changes_record([Change(kind, movement.institution_id, movement.institution.region_id, {
        "movement": movement.pk, "category": movement.category, "band": movement.band, "count": movement.count,
        "date": movement.date.isoformat(), "reason": movement.reason,
        "notice": movement.notice.number if movement.notice_id else None,
        "staff_in_quota": count.total, "staff": {name: getattr(count, name) for name in STAFF_COUNT_FIELDS}})])


def _check_band(category: str, band: str) -> str:
    band = band or ""
    if category == PostCategory.PROFESSIONAL and not band:
        raise ValidationError({"band": _("Professional-technical staff are counted in a band: name it.")})
    if category != PostCategory.PROFESSIONAL:
        band = ""
    return band


@transaction.atomic
def staff_entry_record(
    *, notice: QuotaUseNotice, by, on: datetime.date | None = None, count: int = 1, band: str = "",
    reason: str = MovementReason.RECRUITMENT, person_name: str = "", note: str = "",
) -> StaffMovement:
    """Enter ``count`` people onto the quota (入编) against an issued notice, raising staff in quota.

    Refused against a notice that is not issued (or already closed, expired), whose validity ended before the date,
    or without enough left to take up; a notice taken up in full is closed (executed).
    """
    on = on or timezone.localdate()
    locked = QuotaUseNotice.objects.select_for_update(of=("self",)).select_related(
        "institution", "quota_type").get(pk=notice.pk)
    require_proposer(by, locked.institution)
    if locked.status != workflow.APPROVED:
        raise ValidationError({"notice": _("Notice %(number)s is “%(state)s”: no entry can be made against it.")
                               % {"number": locked.number or locked.pk, "state": locked.get_status_display()}})
    if on > locked.valid_until:
        raise ValidationError({"notice": _("Notice %(number)s was valid until %(date)s: it has expired.")
                               % {"number": locked.number, "date": locked.valid_until}})
    if on < locked.issued_on:
        raise ValidationError({"date": _("An entry cannot be dated before its notice was issued (%(date)s).")
                               % {"date": locked.issued_on}})
    if reason not in ENTRY_REASONS:
        raise ValidationError({"reason": _("This reason does not fit the kind of movement.")})
    left = locked.count - locked.taken_up
    if count > left:
        raise ValidationError({"count": _("Notice %(number)s has %(left)d of %(total)d quotas left to take up, not "
                                          "%(count)d.") % {"number": locked.number, "left": left,
                                                           "total": locked.count, "count": count}})
    band = _check_band(locked.category, band)
    movement = StaffMovement(
        institution=locked.institution, kind=MovementKind.ENTRY, reason=reason, category=locked.category, band=band,
        count=count, date=on, notice=locked, person_name=person_name, note=note, created_by=by if by else None,
    )
    movement.full_clean()
    movement.staff_count = _apply_staff_change(
        institution=locked.institution, category=locked.category, band=band, delta=count, on=on, by=by,
        note=_("Entry against notice %(number)s") % {"number": locked.number},
    )
    movement.save()
    _record_movement(movement, ChangeKind.STAFF_ENTERED)
    locked.taken_up += count
    QuotaUseNotice.objects.filter(pk=locked.pk).update(taken_up=locked.taken_up)
    if locked.taken_up == locked.count:
        quota_use_notice_execute(notice=locked, by=by, reason=_("Taken up in full."), as_system=True, on=on)
    return movement


@transaction.atomic
def staff_exit_record(
    *, institution: Institution, category: str, reason: str, by, on: datetime.date | None = None, count: int = 1,
    band: str = "", person_name: str = "", note: str = "",
) -> StaffMovement:
    """Take ``count`` people off the unit's quota (出编: retirement, transfer out, resignation, dismissal, death),
    lowering staff in quota. When the unit owes the turnover pool, the office is offered the return of as many pool
    quotas (人走编收)."""
    from workflow.loans import loan_return_offers_for_exit

    on = on or timezone.localdate()
    require_proposer(by, institution)
    if reason not in EXIT_REASONS:
        raise ValidationError({"reason": _("An exit gives its reason: retirement, transfer out, resignation, "
                                           "dismissal or death.")})
    band = _check_band(category, band)
    movement = StaffMovement(
        institution=institution, kind=MovementKind.EXIT, reason=reason, category=category, band=band, count=count,
        date=on, person_name=person_name, note=note, created_by=by if by else None,
    )
    movement.full_clean()
    movement.staff_count = _apply_staff_change(
        institution=institution, category=category, band=band, delta=-count, on=on, by=by,
        note=_("Exit: %(reason)s") % {"reason": MovementReason(reason).label},
    )
    movement.save()
    _record_movement(movement, ChangeKind.STAFF_LEFT)
    loan_return_offers_for_exit(movement=movement)
    return movement
