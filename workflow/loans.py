"""Services of the turnover pool (周转池): loan requests, approval through the ledger, returns, 人走编收 offers,
and the overdue flag.

Rules (docs/domain.md, "Turnover pool", defaults in ``WorkflowPolicy``, editable in the admin): the borrower belongs
to the pool's region (or one of its districts); the case is an allowed one; the term is at most the longest term (36
months); a return plan is mandatory; a unit with usable vacancies of the pool's quota type may not borrow; the count may
not exceed the leavers the return plan expects within the term. The pool never lends what it does not hold: the ledger
refuses (``quotas.services.quota_loan``) and its message is passed on against ``count``.
"""
from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_date, months_before
from institutions.locks import lock_units
from institutions.models import ApprovalDocument, Institution
from quotas import services as ledger
from quotas.choices import HolderKind
from quotas.models import QuotaAccount
from workflow import states as workflow
from workflow.models import LoanCase, LoanReturn, LoanReturnOffer, StaffMovement, TurnoverLoan, WorkflowPolicy
from workflow.models.loans import OfferState
from workflow.selectors import expected_leavers_within
from workflow.transitions import (
    record_event,
    refusal_of_edit,
    refusal_of_state,
    request_transition,
    require_decider,
    require_proposer,
)
from workflow.vacancy import quota_position, recruiting_refusal


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months later (the month's last day when that month is shorter)."""
    return months_before(day, -months)


def _ledger_refusal(error: ValidationError) -> ValidationError:
    """The ledger's refusal with its ``amount`` message reported against the loan's ``count``."""
    if hasattr(error, "error_dict"):
        messages = {("count" if field == "amount" else field): texts for field, texts in error.message_dict.items()}
        return ValidationError(messages)
    return error


def clean_return_plan(value: Any) -> list[dict]:
    """The return plan as ``[{"date": "YYYY-MM-DD", "count": n}, …]`` sorted by date (``ValidationError`` if not)."""
    if not isinstance(value, list) or not value:
        raise ValidationError({"return_plan": _("A return plan is mandatory: the expected leavers by date.")})
    cleaned = []
    for index, item in enumerate(value, start=1):
        try:
            day = datetime.date.fromisoformat(str(item["date"]))
            count = item["count"]
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError({"return_plan": _(
                "Entry %(index)d of the return plan is not a date (YYYY-MM-DD) with a count of 1 or more.")
                % {"index": index}}) from exc
        cleaned.append({"date": day.isoformat(), "count": count})
    return sorted(cleaned, key=lambda item: item["date"])


def _check_shape(loan: TurnoverLoan) -> None:
    """What can be checked on the request alone (pool, case, region, return plan)."""
    loan.return_plan = clean_return_plan(loan.return_plan)
    loan.full_clean()
    pool = loan.pool
    if pool.holder_kind != HolderKind.TURNOVER_POOL:
        raise ValidationError({"pool": _("Quotas are borrowed from a turnover pool account.")})
    region = loan.institution.region
    if pool.region_id not in (region.pk, region.parent_id):
        raise ValidationError({"pool": _("“%(unit)s” cannot borrow from the pool of %(region)s: a pool lends to the "
                                         "units of its own region and its districts.")
                               % {"unit": loan.institution, "region": pool.region}})
    if not loan.case.is_active:
        raise ValidationError({"case": _("“%(case)s” is not an allowed case any more.") % {"case": loan.case}})


def turnover_loan_problems(loan: TurnoverLoan, *, on: datetime.date, policy: WorkflowPolicy | None = None
                           ) -> dict[str, list[str]]:
    """Why the unit may not borrow this (empty when it may), on ``on``: term, vacancies, expected leavers."""
    policy = policy or WorkflowPolicy.current()
    errors: dict[str, list[str]] = {}
    if loan.term_months > policy.loan_max_term_months:
        errors["term_months"] = [_("The term may be at most %(months)d months.")
                                 % {"months": policy.loan_max_term_months}]
    if refusal := recruiting_refusal(loan.institution):
        errors["institution"] = [refusal]
    elif policy.loan_refused_with_vacancy:
        vacancy = quota_position(loan.institution, quota_type=loan.pool.quota_type)
        if vacancy.usable > 0:
            errors["institution"] = [_(
                "“%(unit)s” has %(usable)d usable vacant quotas of %(type)s: a unit with vacancies may not borrow.")
                % {"unit": loan.institution, "usable": vacancy.usable, "type": loan.pool.quota_type}]
    if policy.loan_within_expected_leavers:
        end = months_after(on, loan.term_months)
        expected = expected_leavers_within(loan.return_plan, on, end)
        if loan.count > expected:
            errors["count"] = [_(
                "%(count)d quotas requested, but the return plan expects %(expected)d leavers from %(start)s to "
                "%(end)s: a unit may not borrow more than the leavers expected within the term.")
                % {"count": loan.count, "expected": expected, "start": on, "end": end}]
    return errors


@transaction.atomic
def turnover_loan_create(
    *, institution: Institution, pool: QuotaAccount, count: int, talent_category: str, case: LoanCase,
    term_months: int, return_plan: list[dict], by, justification: str = "",
) -> TurnoverLoan:
    """File a draft loan request."""
    require_proposer(by, institution)
    loan = TurnoverLoan(
        institution=institution, pool=pool, count=count, talent_category=talent_category, case=case,
        term_months=term_months, return_plan=return_plan, justification=justification,
        created_by=by if by else None,
    )
    _check_shape(loan)
    loan.save()
    record_event(request=loan, action="create", from_state="", to_state=workflow.DRAFT, by=by)
    return loan


@transaction.atomic
def turnover_loan_update(*, loan: TurnoverLoan, by, **changes: Any) -> TurnoverLoan:
    """Change a draft loan request."""
    loan = TurnoverLoan.objects.select_for_update(of=("self",)).select_related("institution__region").get(
        pk=loan.pk)
    require_proposer(by, loan.institution)
    if not workflow.is_editable(loan.status):
        raise refusal_of_edit(loan)
    for name in ("pool", "count", "talent_category", "case", "term_months", "return_plan", "justification"):
        if name in changes:
            setattr(loan, name, changes.pop(name))
    if changes:
        raise TypeError(f"unknown fields: {', '.join(sorted(changes))}")
    _check_shape(loan)
    loan.save()
    return loan


def turnover_loan_submit(*, loan: TurnoverLoan, by, on: datetime.date | None = None) -> TurnoverLoan:
    """Submit the request; refused at once when the rules refuse it today."""
    day = on or timezone.localdate()

    def check(locked: TurnoverLoan) -> None:
        problems = turnover_loan_problems(locked, on=day)
        if problems:
            raise ValidationError(problems)

    return request_transition(request=loan, action=workflow.SUBMIT, by=by, carry_out=check)


def turnover_loan_withdraw(*, loan: TurnoverLoan, by, reason: str = "") -> TurnoverLoan:
    return request_transition(request=loan, action=workflow.WITHDRAW, by=by, reason=reason)


def turnover_loan_reject(*, loan: TurnoverLoan, by, reason: str, document: ApprovalDocument | None = None
                         ) -> TurnoverLoan:
    return request_transition(request=loan, action=workflow.REJECT, by=by, reason=reason, document=document)


def turnover_loan_approve(*, loan: TurnoverLoan, by, document: ApprovalDocument, on: datetime.date | None = None,
                          note: str = "") -> TurnoverLoan:
    """Lend pool quotas to the unit through the ledger, in the approval's transaction. The rules are checked again
    on the day; the pool may not go below zero (the ledger refuses, and its message is passed on)."""
    day = on or timezone.localdate()
    check_date(day, field="date")

    def lend(locked: TurnoverLoan) -> None:
        lock_units([locked.institution_id])
        problems = turnover_loan_problems(locked, on=day)
        if problems:
            raise ValidationError(problems)
        account = ledger.account_for_institution(institution=locked.institution, quota_type=locked.pool.quota_type)
        try:
            transfer = ledger.quota_loan(
                source=locked.pool, target=account, amount=locked.count, document=document, effective_date=day,
                by=by, note=_("Turnover-pool loan #%(id)d") % {"id": locked.pk},
            )
        except ValidationError as error:
            raise _ledger_refusal(error) from error
        locked.start_date, locked.due_date = day, months_after(day, locked.term_months)
        locked.loan_transfer = transfer
        TurnoverLoan.objects.filter(pk=locked.pk).update(start_date=locked.start_date, due_date=locked.due_date,
                                                         loan_transfer=transfer)

    return request_transition(request=loan, action=workflow.APPROVE, by=by, reason=note, document=document,
                              carry_out=lend)


@transaction.atomic
def turnover_loan_return(
    *, loan: TurnoverLoan, count: int, by, document: ApprovalDocument, on: datetime.date | None = None,
    kind: str = LoanReturn.Kind.EARLY,
) -> LoanReturn:
    """Return ``count`` borrowed quotas to the pool (early, partial or the rest) through the ledger. The loan is
    executed once everything is back; pending 人走编收 offers beyond what is still owed lapse.

    Refused when the unit would be left with fewer quotas than its staff in quota and the quotas its open notices
    reserve: a borrowed quota that carries a person comes back as the person leaves (人走编收), not before.
    """
    require_decider(by)
    day = on or timezone.localdate()
    check_date(day, field="date")
    locked = TurnoverLoan.objects.select_for_update(of=("self",)).select_related("institution", "pool").get(
        pk=loan.pk)
    if locked.status != workflow.APPROVED:
        raise ValidationError({"status": _("Only an outstanding loan takes returns; this one is “%(state)s”.")
                               % {"state": locked.get_status_display()}})
    if document is None:
        raise ValidationError({"document": _("Every move of quotas needs its approval document.")})
    outstanding = locked.count - locked.returned
    if isinstance(count, bool) or not isinstance(count, int) or count < 1 or count > outstanding:
        raise ValidationError({"count": _("Between 1 and %(outstanding)d quotas are still owed to the pool.")
                               % {"outstanding": outstanding}})
    if locked.start_date and day < locked.start_date:
        raise ValidationError({"date": _("A return cannot be dated before the loan (%(date)s).")
                               % {"date": locked.start_date}})
    lock_units([locked.institution_id])
    position = quota_position(locked.institution, quota_type=locked.pool.quota_type)
    if position.held - count < position.staff_total + position.reserved:
        raise ValidationError({"count": _(
            "Returning %(count)d would leave “%(unit)s” %(left)d quotas for %(staff)d staff in quota and %(reserved)d "
            "reserved by open notices: at most %(most)d can go back now; the rest returns as staff leave (人走编收).")
            % {"count": count, "unit": locked.institution, "left": position.held - count,
               "staff": position.staff_total, "reserved": position.reserved,
               "most": position.vacant}})
    account = ledger.account_for_institution(institution=locked.institution, quota_type=locked.pool.quota_type)
    try:
        transfer = ledger.quota_return(
            source=account, target=locked.pool, amount=count, document=document, effective_date=day, by=by,
            note=_("Return on turnover-pool loan #%(id)d (%(kind)s)") % {
                "id": locked.pk, "kind": LoanReturn.Kind(kind).label},
        )
    except ValidationError as error:
        raise _ledger_refusal(error) from error
    loan_return = LoanReturn.objects.create(loan=locked, kind=kind, count=count, date=day, transfer=transfer,
                                            by=by if by else None)
    locked.returned += count
    TurnoverLoan.objects.filter(pk=locked.pk).update(returned=locked.returned)
    if locked.returned == locked.count:
        request_transition(request=locked, action=workflow.EXECUTE, by=by, as_system=True,
                           reason=_("Returned in full."), document=document)
    _lapse_excess_offers(locked)
    return loan_return


def turnover_loan_settle(*, loan: TurnoverLoan, by, document: ApprovalDocument, on: datetime.date | None = None
                         ) -> TurnoverLoan:
    """Execute the loan: return what is still owed and close it."""
    require_decider(by)
    locked = TurnoverLoan.objects.get(pk=loan.pk)
    if locked.status != workflow.APPROVED:
        raise refusal_of_state(locked, workflow.EXECUTE)
    turnover_loan_return(loan=locked, count=locked.count - locked.returned, by=by, document=document, on=on,
                         kind=LoanReturn.Kind.SETTLEMENT)
    return TurnoverLoan.objects.get(pk=loan.pk)


@transaction.atomic
def turnover_loan_hand_over(*, loan: TurnoverLoan, by, document: ApprovalDocument, on: datetime.date,
                            reason: str, to_institution: Institution | None = None) -> TurnoverLoan:
    """A reform plan ends the borrowing unit: what the loan still owes goes back to the pool and the loan is
    settled, or, when a merger's survivor takes the unit's staff, it is lent on to the survivor and the loan moves
    with them (same count, term and return plan). Both through the ledger under the plan's document.

    Unlike ``turnover_loan_return`` nothing is compared with the unit's staff: the plan places every one of them.
    """
    locked = TurnoverLoan.objects.select_for_update(of=("self",)).select_related("institution", "pool").get(
        pk=loan.pk)
    if locked.status != workflow.APPROVED:
        raise refusal_of_state(locked, workflow.EXECUTE)
    owed = locked.count - locked.returned
    quota_type = locked.pool.quota_type
    account = ledger.account_for_institution(institution=locked.institution, quota_type=quota_type)
    note = _("Turnover-pool loan #%(id)d: %(reason)s") % {"id": locked.pk, "reason": reason}
    transfer = ledger.quota_return(source=account, target=locked.pool, amount=owed, document=document,
                                   effective_date=on, by=by, note=note)
    if to_institution is None:
        LoanReturn.objects.create(loan=locked, kind=LoanReturn.Kind.SETTLEMENT, count=owed, date=on,
                                  transfer=transfer, by=by if getattr(by, "pk", None) else None)
        locked.returned = locked.count
        TurnoverLoan.objects.filter(pk=locked.pk).update(returned=locked.returned)
        request_transition(request=locked, action=workflow.EXECUTE, by=by, as_system=True, reason=reason,
                           document=document)
        _lapse_excess_offers(locked)
        return TurnoverLoan.objects.get(pk=locked.pk)
    ledger.quota_loan(source=locked.pool, target=ledger.account_for_institution(
        institution=to_institution, quota_type=quota_type), amount=owed, document=document, effective_date=on,
        by=by, note=note)
    locked.institution = to_institution
    TurnoverLoan.objects.filter(pk=locked.pk).update(institution=to_institution)
    record_event(request=locked, action=workflow.HAND_OVER, from_state=locked.status, to_state=locked.status,
                 by=by, reason=reason, document=document)
    return locked  # pending 人走编收 offers stand: the survivor's office decides them


def turnover_loans_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Flag outstanding loans past their due date (one UPDATE; idempotent). Returns how many were newly flagged."""
    today = today or timezone.localdate()
    return TurnoverLoan.objects.filter(status=workflow.APPROVED, due_date__lt=today, is_overdue=False).update(
        is_overdue=True, overdue_flagged_on=today
    )


# --- 人走编收 ---------------------------------------------------------------------------------------------------
def _pending_offered(loan: TurnoverLoan) -> int:
    return sum(loan.offers.filter(state=OfferState.PENDING).values_list("count", flat=True))


def _lapse_excess_offers(loan: TurnoverLoan) -> None:
    """Pending offers for more than the loan still owes lapse (newest first)."""
    owed = loan.count - loan.returned if loan.status == workflow.APPROVED else 0
    for offer in loan.offers.filter(state=OfferState.PENDING).order_by("created_at", "pk"):
        if offer.count <= owed:
            owed -= offer.count
            continue
        LoanReturnOffer.objects.filter(pk=offer.pk).update(
            state=OfferState.LAPSED, decided_at=timezone.now(), reason=_("The loan no longer owes this quota."))


def loan_return_offers_for_exit(*, movement: StaffMovement) -> list[LoanReturnOffer]:
    """A borrowing unit's exit offers the return of as many pool quotas (人走编收), earliest-due loans first, never
    more than is owed beyond offers already pending."""
    offers = []
    left = movement.count
    loans = TurnoverLoan.objects.select_for_update().filter(
        institution=movement.institution, status=workflow.APPROVED).order_by("due_date", "pk")
    for loan in loans:
        if left <= 0:
            break
        owed = loan.count - loan.returned - _pending_offered(loan)
        take = min(owed, left)
        if take > 0:
            offers.append(LoanReturnOffer.objects.create(loan=loan, movement=movement, count=take))
            left -= take
    return offers


@transaction.atomic
def loan_return_offer_accept(*, offer: LoanReturnOffer, by, document: ApprovalDocument,
                             on: datetime.date | None = None) -> LoanReturnOffer:
    """Accept the offer: the quota goes back to the pool as the person went (人走编收)."""
    require_decider(by)
    locked = LoanReturnOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.state != OfferState.PENDING:
        raise _offer_conflict(locked)
    loan_return = turnover_loan_return(loan=locked.loan, count=locked.count, by=by, document=document,
                                       on=on or locked.movement.date, kind=LoanReturn.Kind.ONE_FOR_ONE)
    locked.state, locked.decided_by, locked.decided_at, locked.loan_return = (
        OfferState.ACCEPTED, by if by else None, timezone.now(), loan_return)
    locked.save(update_fields=["state", "decided_by", "decided_at", "loan_return"])
    return locked


@transaction.atomic
def loan_return_offer_decline(*, offer: LoanReturnOffer, by, reason: str) -> LoanReturnOffer:
    """Decline the offer: the unit keeps the quota (its vacancy is refilled against the loan)."""
    require_decider(by)
    locked = LoanReturnOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.state != OfferState.PENDING:
        raise _offer_conflict(locked)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Declining an offer must give its reason.")})
    locked.state, locked.decided_by, locked.decided_at, locked.reason = (
        OfferState.DECLINED, by if by else None, timezone.now(), reason.strip())
    locked.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return locked


def _offer_conflict(offer: LoanReturnOffer):
    from core.errors import ConflictError

    return ConflictError({"state": _("This offer is “%(state)s” already.") % {"state": offer.get_state_display()}})
