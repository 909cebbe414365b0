"""The staffing office's payroll pages: the checks by month, and one check's answer per unit (flagged units first)
with its totals and workbook. A district office sees its own region's units of a check."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from finance import selectors, workbooks
from finance.models import PayrollUnit
from positions.choices import PostCategory
from positions.rules import CATEGORIES

MAX_ID = 2**63 - 1


def _units(request):
    return scope_queryset(PayrollUnit.objects.all(), request.user)


def _answer(request, pk: int) -> selectors.PayrollAnswer:
    if pk > MAX_ID:
        raise Http404
    check = scope_queryset(selectors.payroll_checks(_units(request)), request.user).filter(pk=pk).first()
    if check is None:
        raise Http404
    return selectors.payroll_answer(check, _units(request))


@role_required
@require_GET
def payroll_list(request):
    """Every payroll check, newest month first, with its flagged units."""
    checks = scope_queryset(selectors.payroll_checks(_units(request)), request.user)
    return render(request, "finance/payroll_list.html", {"checks": checks})


@role_required
@require_GET
def payroll_detail(request, pk: int):
    """One check: each unit's paid headcount by category against its staff in quota and quotas held."""
    answer = _answer(request, pk)
    rows = [(unit, list(selectors.paid_by_category(unit).values())) for unit in answer.units]
    return render(request, "finance/payroll_check.html", {
        "answer": answer, "check": answer.check, "rows": rows, "totals": answer.totals,
        "total_paid": [answer.totals.paid[category] for category in CATEGORIES],
        "categories": [PostCategory(category).label for category in CATEGORIES],
    })


@role_required
@require_GET
def payroll_xlsx(request, pk: int):
    """The check's answer as a workbook."""
    return workbooks.answer_xlsx(_answer(request, pk))
