"""The payroll check's problems in words, in the active language (the codes come from ``finance.payroll``)."""
from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from finance import payroll
from positions.rules import CATEGORIES


def month_message(code: str) -> str:
    if code == payroll.MONTH_IN_FUTURE:
        return _("The month lies in the future: a payroll can be checked for the current month or an earlier one.")
    if code == payroll.MONTH_OUT_OF_BOUNDS:
        return _("A month cannot be before 1949-10.")
    return _("Give the month as YYYY-MM.")


def line_message(problem: payroll.LineProblem, *, line_name: Callable[[int], str]) -> str:
    """What is wrong with one line; the line itself is named by the error's key (``lines[3].paid``, ``row 5 ·
    paid``), another line by ``line_name(index)``."""
    params = dict(problem.params)
    code = problem.code
    if code == payroll.REQUIRED:
        return _("This field is required.")
    if code == payroll.UNKNOWN_UNIT:
        return _("No unit has the credit code “%(value)s”.") % params
    if code == payroll.UNKNOWN_CATEGORY:
        return _("Unknown post category “%(value)s”: use one of %(categories)s.") % {
            **params, "categories": ", ".join(CATEGORIES)}
    if code == payroll.NON_INTEGER:
        return _("A headcount is a whole number (got “%(value)s”).") % params
    if code == payroll.NEGATIVE_COUNT:
        return _("A headcount cannot be negative (got %(value)s).") % params
    if code == payroll.COUNT_TOO_LARGE:
        return _("A headcount of %(value)s is more than any unit has (at most %(limit)d).") % {
            **params, "limit": payroll.MAX_PAID}
    if code == payroll.DUPLICATE_LINE:
        return _("The same unit and category is given already (%(first)s): give each once.") % {
            "first": line_name(params["first"])}
    return _("A line is an object with credit_code, category and paid.")
