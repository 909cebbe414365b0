"""The demo city's workflow: hiring plans, quota-use notices and turnover-pool loans in each of their states
(illustrative, deterministic, idempotent), entered through the services like real ones.

Called by ``load_demo`` after ``demo.positions``. Units are picked from the reconciliation in credit-code order: units
with vacancies in professional-technical posts for the hiring side, units exactly at quota for the loans (a unit with
vacancies may not borrow). Dates are fixed (2023–2026), so one loan, due on 2026-09-01, is overdue; notices past their
validity are expired by the same service the daily task runs. Nothing is written when the demo's marker exists.
"""
from __future__ import annotations

import datetime
import time
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from institutions.choices import Category
from institutions.models import ApprovalDocument, Institution
from positions.models import StaffCount
from quotas import services as ledger
from quotas.choices import HolderKind, PoolSector
from quotas.models import QuotaAccount
from reconciliation.selectors import reconciliation, reconciliation_rows
from workflow import hiring, loans
from workflow.models import HiringPlan, LoanCase, TurnoverLoan

MARK = "（演示数据，仅为示意）"
DOCUMENTS = {
    "hiring": ("哈编发", 2026, 201, "关于2026年度用编计划和核准使用编制的批复（示意）", datetime.date(2026, 1, 5)),
    "loans": ("哈编发", 2023, 201, "关于借用人才编制周转池编制的批复（示意）", datetime.date(2023, 8, 25)),
    "returns": ("哈编发", 2026, 202, "关于归还人才编制周转池编制的通知（示意）", datetime.date(2026, 2, 1)),
}
ISSUER = "哈尔滨市机构编制委员会办公室"
STAFF_DAY = datetime.date(2026, 6, 30)  # demo.positions's staff counts; movements come after


def _document(key: str) -> ApprovalDocument:
    office, year, serial, title, day = DOCUMENTS[key]
    document, _created = ApprovalDocument.objects.get_or_create(
        office_code=office, year=year, serial=serial,
        defaults={"issuer": ISSUER, "title": title, "kind": "reply", "date_issued": day, "date_effective": day},
    )
    return document


def is_loaded() -> bool:
    return HiringPlan.objects.filter(note=MARK).exists() or TurnoverLoan.objects.filter(justification=MARK).exists()


def _candidates() -> tuple[list, list]:
    """(units with ≥ 4 vacant quotas all in professional posts lacking staff, units exactly at quota), each with
    a staff count as of the demo's staff day and a plan in effect; in credit-code order. Commercial-category units
    recruit no one (``workflow.vacancy.recruiting_refusal``) and are left out."""
    units = Institution.objects.filter(staff_counts__as_of=STAFF_DAY).exclude(
        category=Category.COMMERCIAL).order_by("credit_code")
    rows = reconciliation_rows(reconciliation(institutions=units).order_by("credit_code"))
    vacant = [row for row in rows if row.posts and row.staff and row.vacant >= 4 and row.short["professional"] >= 4
              and not row.over_position["professional"]]
    full = [row for row in rows if row.posts and row.staff and row.approved > 0 and row.vacant == 0
            and row.over_quota == 0 and row.staff["management"] >= 2]
    return vacant, full


def _first_band(institution_id: int) -> str:
    count = StaffCount.objects.filter(institution_id=institution_id).order_by("-as_of").first()
    for band in ("junior", "intermediate", "senior_deputy", "senior_full"):
        if getattr(count, band):
            return band
    return "junior"


def _hiring(vacant: list, by, say) -> None:
    document = _document("hiring")
    institutional = ledger.quota_type_get()
    units = Institution.objects.in_bulk([row.institution_id for row in vacant[:8]])
    plan_units = [units[row.institution_id] for row in vacant[:6]]
    line = [{"quota_type": institutional, "category": "professional", "count": 2}]
    fates = ["draft", "submitted", "approved", "rejected", "executed", "withdrawn"]
    plans = {}
    for unit, fate in zip(plan_units, fates, strict=False):
        plan = hiring.hiring_plan_create(institution=unit, year=2026, lines=line, by=by, expected_leavers=1,
                                         supervisor_opinion="同意申报", note=MARK)
        if fate != "draft" and fate != "withdrawn":
            plan = hiring.hiring_plan_submit(plan=plan, by=by)
        if fate in ("approved", "executed"):
            plan = hiring.hiring_plan_approve(plan=plan, by=by, document=document, review="经审核，同意该用编计划。")
        if fate == "executed":
            plan = hiring.hiring_plan_execute(plan=plan, by=by, reason="年度招聘已完成。")
        if fate == "rejected":
            plan = hiring.hiring_plan_reject(plan=plan, by=by, reason="请主管部门补充岗位空缺说明后重新申报。")
        if fate == "withdrawn":
            plan = hiring.hiring_plan_withdraw(plan=plan, by=by, reason="单位调整招聘计划。")
        plans[fate] = plan

    def request(unit, count=1, plan=None):
        notice = hiring.quota_use_notice_create(institution=unit, quota_type=institutional, category="professional",
                                                count=count, by=by, hiring_plan=plan, supervisor_opinion="同意",
                                                note=MARK)
        return notice

    def issue(notice, day):
        notice = hiring.quota_use_notice_submit(notice=notice, by=by)
        return hiring.quota_use_notice_approve(notice=notice, by=by, document=document, on=day)

    # approved and partly taken up, under the approved plan
    partly = issue(request(plans["approved"].institution, 2, plans["approved"]), datetime.date(2026, 10, 15))
    hiring.staff_entry_record(notice=partly, by=by, on=datetime.date(2026, 10, 20), band="junior",
                              person_name="示例人员甲")
    request(plans["draft"].institution)
    hiring.quota_use_notice_submit(notice=request(plans["submitted"].institution), by=by)
    rejected = hiring.quota_use_notice_submit(notice=request(plans["rejected"].institution), by=by)
    hiring.quota_use_notice_reject(notice=rejected, by=by, reason="该岗位已有人员在编，不予核准。")
    executed = issue(request(plans["executed"].institution, 1), datetime.date(2026, 9, 1))
    hiring.staff_entry_record(notice=executed, by=by, on=datetime.date(2026, 9, 15), band="junior",
                              person_name="示例人员乙")
    hiring.quota_use_notice_withdraw(notice=request(plans["withdrawn"].institution), by=by, reason="暂缓招聘。")
    if len(vacant) >= 8:
        issue(request(units[vacant[6].institution_id]), datetime.date(2026, 3, 1))  # expires below
        issue(request(units[vacant[7].institution_id]), datetime.date(2026, 6, 1))  # expiring soon
    expired = hiring.quota_use_notices_expire(today=timezone.localdate())
    say(f"用编计划 / hiring plans: {len(plans)}; 核准使用编制通知单 / quota-use notices: {len(plans) + 2} "
        f"({expired} expired)")


def _loans(full: list, by, say) -> None:
    city_pool = QuotaAccount.objects.filter(holder_kind=HolderKind.TURNOVER_POOL, sector=PoolSector.TALENT,
                                            region__kind="city", quota_type=ledger.quota_type_get()).first()
    if city_pool is None or len(full) < 8:
        say("周转池借用演示跳过 / turnover-loan demo skipped: no city talent pool or too few units at quota")
        return
    approve_doc, return_doc = _document("loans"), _document("returns")
    case = LoanCase.objects.filter(is_active=True).order_by("sort_order").first()
    if case is None:
        case = LoanCase.objects.create(code="urgent_talent", name="急需紧缺人才引进")
    units = Institution.objects.in_bulk([row.institution_id for row in full[:8]])
    rows = full[:8]

    def ask(row, count, lent_on, *, term=36, submit=True):
        plan = [{"date": (lent_on + datetime.timedelta(days=300 * (n + 1))).isoformat(), "count": 1}
                for n in range(count)]
        loan = loans.turnover_loan_create(
            institution=units[row.institution_id], pool=city_pool, count=count, talent_category="scarce_professional",
            case=case, term_months=term, return_plan=plan, by=by, justification=MARK)
        return loans.turnover_loan_submit(loan=loan, by=by, on=lent_on) if submit else loan

    def lend(row, count, lent_on, **extra):
        return loans.turnover_loan_approve(loan=ask(row, count, lent_on, **extra), by=by, document=approve_doc,
                                           on=lent_on, note="同意借用，到期归还。")

    ask(rows[0], 1, datetime.date(2026, 11, 1), submit=False)  # draft
    ask(rows[1], 1, datetime.date(2026, 11, 1))  # submitted
    outstanding = lend(rows[2], 2, datetime.date(2026, 2, 1))
    lend(rows[3], 1, datetime.date(2023, 9, 1))  # due 2026-09-01: overdue
    loans.turnover_loan_reject(loan=ask(rows[4], 1, datetime.date(2026, 11, 1)), by=by,
                               reason="该单位尚有自然减员空缺，不符合借用条件。")
    loans.turnover_loan_withdraw(loan=ask(rows[5], 1, datetime.date(2026, 11, 1)), by=by, reason="人才未到岗。")
    settled = lend(rows[6], 2, datetime.date(2025, 3, 1))
    partly = lend(rows[7], 2, datetime.date(2025, 6, 1))
    # 人走编收 at the settled loan's unit: accepted; then the rest settled early.
    exit_one = hiring.staff_exit_record(institution=settled.institution, category="management",
                                        reason="retirement", by=by, on=datetime.date(2026, 7, 31),
                                        person_name="示例人员丙")
    for offer in exit_one.return_offers.all():
        loans.loan_return_offer_accept(offer=offer, by=by, document=return_doc)
    loans.turnover_loan_settle(loan=settled, by=by, document=return_doc, on=datetime.date(2026, 8, 15))
    loans.turnover_loan_return(loan=partly, count=1, by=by, document=return_doc, on=datetime.date(2026, 8, 15))
    # a pending offer for the office's inbox
    hiring.staff_exit_record(institution=outstanding.institution, category="management", reason="transfer_out",
                             by=by, on=datetime.date(2026, 10, 31), person_name="示例人员丁")
    flagged = loans.turnover_loans_flag_overdue(today=timezone.localdate())
    say(f"周转池借用 / turnover-pool loans: 8 ({flagged} overdue), one 人走编收 offer pending")


def load(*, by=None, stdout: TextIO | None = None) -> None:
    """Write the workflow demo unless its marker exists (then write nothing)."""
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    if is_loaded():
        say("用编与周转池演示数据已存在 / workflow demo already loaded: nothing written")
        return
    started = time.perf_counter()
    vacant, full = _candidates()
    if len(vacant) < 6:
        say("用编演示跳过 / workflow demo skipped: the position demo is not loaded")
        return
    with transaction.atomic():
        _hiring(vacant, by, say)
        _loans(full, by, say)
    say(f"用编与周转池演示 / workflow demo: {time.perf_counter() - started:.1f} s (示意 / illustrative)")
