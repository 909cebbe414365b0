"""The payroll check's one writer: check a month's payroll headcount and store the answer, whole or not at all."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import payroll, texts
from finance.models import PayrollCheck, PayrollLine, PayrollSource, PayrollUnit
from finance.selectors import CHUNK, unit_figures
from institutions.models import Institution
from positions.rules import CATEGORIES


def json_line_name(index: int) -> str:
    """A posted line as the API's error keys name it: ``lines[3]`` (counted from 0)."""
    return f"lines[{index}]"


def json_line_key(index: int, field: str) -> str:
    return f"lines[{index}].{field}"


class PayrollRefused(ValidationError):
    """A refused payroll: the month's problem (a code or None), the lines' as a whole, and every line's, with the
    errors keyed as the API's JSON answers them (``month``, ``lines``, ``lines[3].paid`` …); an xlsx upload names
    the lines by their rows instead (``with_names``)."""

    def __init__(self, *, month_code: str | None, lines_code: str | None, problems: list[payroll.LineProblem],
                 line_name: Callable[[int], str] = json_line_name,
                 line_key: Callable[[int, str], str] = json_line_key) -> None:
        self.month_code, self.lines_code, self.problems = month_code, lines_code, problems
        errors: dict[str, list[ValidationError]] = {}
        if month_code:
            errors["month"] = [ValidationError(texts.month_message(month_code), code=month_code)]
        if lines_code:
            errors["lines"] = [ValidationError(lines_message(lines_code), code=lines_code)]
        for problem in problems:
            errors.setdefault(line_key(problem.index, problem.field), []).append(
                ValidationError(texts.line_message(problem, line_name=line_name), code=problem.code))
        super().__init__(errors)

    def with_names(self, *, line_name: Callable[[int], str], line_key: Callable[[int, str], str]) -> PayrollRefused:
        return PayrollRefused(month_code=self.month_code, lines_code=self.lines_code, problems=self.problems,
                              line_name=line_name, line_key=line_key)


def lines_message(code: str) -> str:
    if code == payroll.NO_LINES:
        return _("Give at least one line.")
    if code == payroll.TOO_MANY_LINES:
        return _("At most %(limit)d lines at a time.") % {"limit": payroll.MAX_LINES}
    return _("The lines are a list of objects with credit_code, category and paid.")


def _known_codes(lines: Sequence[object]) -> dict[str, int]:
    """Credit code → institution id, for the codes the lines name that the registry has."""
    codes = sorted({code for line in lines if isinstance(line, Mapping)
                    if (code := payroll.code_text(line.get("credit_code")))})
    known: dict[str, int] = {}
    for start in range(0, len(codes), CHUNK):
        known.update(Institution.objects.filter(credit_code__in=codes[start:start + CHUNK]).values_list(
            "credit_code", "pk"))
    return known


@transaction.atomic
def payroll_check_submit(*, month: object, lines: object, by, source: str = PayrollSource.API) -> PayrollCheck:
    """Check a month's payroll headcount in quota per unit and post category (统发校验) and store the answer.

    Under the real-name system finance pays only staff within quota (docs/domain.md, "Actors"): each unit's paid
    total is compared with its quotas held (own and borrowed) and its staff in quota on the month's last day (today
    within the current month), read from the one quota position (``finance.selectors.unit_figures``), and stored
    with those figures so that the answer stays what it was. Every problem of the input is reported at once and
    nothing is written (``PayrollRefused``). A re-submission for a month is its next version; two at the same
    moment cannot take the same version (the database's unique constraint: the later answers 409).
    """
    today = timezone.localdate()
    first_day, month_code = payroll.parse_month(month, today=today)
    lines_code, problems, clean = None, [], []
    if not isinstance(lines, (list, tuple)):
        lines_code = payroll.INVALID_LINE
    elif not lines:
        lines_code = payroll.NO_LINES
    elif len(lines) > payroll.MAX_LINES:
        lines_code = payroll.TOO_MANY_LINES
    known: dict[str, int] = {}
    if lines_code is None:
        known = _known_codes(lines)
        clean, problems = payroll.check_lines(lines, known_codes=known)
    if month_code or lines_code or problems:
        raise PayrollRefused(month_code=month_code, lines_code=lines_code, problems=problems)
    return _store(month=first_day, lines=clean, unit_ids=known, by=by, source=source, today=today)


def _store(*, month, lines: list[payroll.CleanLine], unit_ids: dict[str, int], by, source: str,
           today) -> PayrollCheck:
    day = payroll.figures_day(month, today=today)
    paid: dict[int, dict[str, int]] = {}
    for line in lines:
        paid.setdefault(unit_ids[line.credit_code], {})[line.category] = line.paid
    figures = unit_figures(paid, on=day)

    version = (PayrollCheck.objects.filter(month=month).aggregate(last=Max("version"))["last"] or 0) + 1
    check = PayrollCheck(month=month, version=version, as_of=day, source=source, created_by=by)
    check.full_clean(validate_unique=False, validate_constraints=False)  # the unique version: the database's
    check.save()

    units = []
    for institution_id, by_category in paid.items():
        unit_figure = figures[institution_id]
        total = sum(by_category.values())
        unit = PayrollUnit(
            payroll_check=check, institution_id=institution_id, quotas_own=unit_figure.own,
            quotas_borrowed=unit_figure.borrowed, quotas_held=unit_figure.held, staff_total=unit_figure.staff_total,
            **{f"staff_{category}": count for category, count in (unit_figure.staff_by_category or dict.fromkeys(
                CATEGORIES)).items()},
            staff_count_as_of=unit_figure.staff_count_as_of, paid_total=total,
            is_over_quota=payroll.is_over_quota(paid=total, quotas_held=unit_figure.held),
            is_over_staff=payroll.is_over_staff(paid=total, staff=unit_figure.staff_total),
        )
        unit.full_clean(exclude=["payroll_check", "institution"], validate_unique=False,
                        validate_constraints=False)
        units.append(unit)
    PayrollUnit.objects.bulk_create(units, batch_size=CHUNK)

    PayrollLine.objects.bulk_create([
        PayrollLine(unit=unit, category=category, paid=count)
        for unit in units for category, count in sorted(paid[unit.institution_id].items())], batch_size=CHUNK)
    return check
