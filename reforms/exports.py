"""The reform's effect as an xlsx workbook, and the report's sentences the workbook and the page share."""
from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from reforms.models import OperationKind
from reforms.selectors import LEVEL_LABELS, Change, Comparison, Consistency, ReformEffect, Round

NONE = "—"


def shown(percent: Decimal | None) -> str:
    """A percentage as the report prints it: one decimal, a dash when there is no base."""
    return NONE if percent is None else str(percent)


def signed(percent: Decimal | None) -> str:
    """A change as a percentage with its sign (+ for growth, − for a fall)."""
    return NONE if percent is None else f"{percent:+}"


def consistency_sentence(consistency: Consistency) -> str:
    """Whether the three levels cut their quotas by about as much (the tolerance in percentage points)."""
    values = {"spread": shown(consistency.spread), "tolerance": str(consistency.tolerance)}
    if consistency.is_consistent is None:
        return _("Fewer than two levels held quotas on the first date: their reductions cannot be compared.")
    if consistency.is_consistent:
        return _("The three levels' quota reductions are broadly consistent: they differ by %(spread)s percentage "
                 "points, within the tolerance of %(tolerance)s.") % values
    return _("The three levels' quota reductions are not broadly consistent: they differ by %(spread)s percentage "
             "points, more than the tolerance of %(tolerance)s.") % values


def comparison_sentence(comparison: Comparison) -> str:
    """The second round on top of the first, each round against the figures it started from."""
    if comparison.is_further_reduction:
        return _("A further %(institutions)s%% fewer institutions and %(quotas)s%% fewer quotas, on top of the first "
                 "round's %(first_institutions)s%% and %(first_quotas)s%%.") % {
            "institutions": shown(comparison.second_institutions.reduction_percent),
            "quotas": shown(comparison.second_quotas.reduction_percent),
            "first_institutions": shown(comparison.first_institutions.reduction_percent),
            "first_quotas": shown(comparison.first_quotas.reduction_percent)}
    return _("Second round: institutions %(institutions)s%%, quotas %(quotas)s%%; first round: institutions "
             "%(first_institutions)s%%, quotas %(first_quotas)s%%.") % {
        "institutions": signed(comparison.second_institutions.percent),
        "quotas": signed(comparison.second_quotas.percent),
        "first_institutions": signed(comparison.first_institutions.percent),
        "first_quotas": signed(comparison.first_quotas.percent)}


def comparison_label(comparison: Comparison) -> str:
    if comparison.key == "citywide":
        return str(_("Citywide total"))
    if comparison.key in LEVEL_LABELS:
        return str(LEVEL_LABELS[comparison.key])
    return f"{comparison.key} {comparison.name}"


def _change_cells(change: Change | None) -> list:
    if change is None:
        return ["", "", "", ""]
    return [change.before, change.after, change.change, change.percent]


def _change_headers(what: str, round_: Round) -> list[str]:
    return [f"{what} {round_.start.isoformat()}", f"{what} {round_.end.isoformat()}", f"{what} {_('Change')}",
            f"{what} %"]


def _level_sheet(workbook: Workbook, round_: Round, title: str) -> None:
    sheet = workbook.create_sheet(title)
    append_row(sheet, [_("Level"), *_change_headers(_("Institutions"), round_), *_change_headers(_("Quotas"), round_),
                       _("of which controlled use"), _("Reduced or put under controlled use"), "%"], bold=True)
    for level in round_.levels:
        append_row(sheet, [str(LEVEL_LABELS[level.level]), *_change_cells(level.institutions),
                           *_change_cells(level.quotas), level.controlled.after,
                           "" if level.reduced_or_controlled is None else level.reduced_or_controlled,
                           level.reduced_or_controlled_percent])
    append_row(sheet, [_("Turnover pools"), *_change_cells(None), *_change_cells(round_.turnover_pools),
                       "", "", ""])
    append_row(sheet, [_("Citywide total"), *_change_cells(round_.citywide_institutions),
                       *_change_cells(round_.citywide_quotas), "", "", ""], bold=True)
    append_row(sheet, [])
    append_row(sheet, [consistency_sentence(round_.consistency)])


def _region_sheet(workbook: Workbook, round_: Round, title: str) -> None:
    sheet = workbook.create_sheet(title)
    append_row(sheet, [_("Division code"), _("Region"), _("Level"), *_change_headers(_("Institutions"), round_),
                       *_change_headers(_("Quotas"), round_), _("of which controlled use"), _("Turnover pool"),
                       _("Reduced or put under controlled use"), "%"], bold=True)
    for region in round_.regions:
        append_row(sheet, [region.code, region.name, str(LEVEL_LABELS[region.level]),
                           *_change_cells(region.institutions), *_change_cells(region.quotas),
                           region.controlled.after, region.turnover_pool.after,
                           "" if region.reduced_or_controlled is None else region.reduced_or_controlled,
                           region.reduced_or_controlled_percent])


def _operation_sheet(workbook: Workbook, effect: ReformEffect) -> None:
    sheet = workbook.create_sheet(_("Operations"))
    rounds = [effect.first_round, effect.round] if effect.first_round else [effect.round]
    append_row(sheet, [_("Operation"), *[f"{r.start.isoformat()} – {r.end.isoformat()}" for r in rounds]],
                       bold=True)
    for kind, label in OperationKind.choices:
        append_row(sheet, [str(label), *[r.operations[kind] for r in rounds]])
    append_row(sheet, [_("Total"), *[r.operations_total for r in rounds]], bold=True)


def _comparison_sheet(workbook: Workbook, comparisons: tuple[Comparison, ...]) -> None:
    sheet = workbook.create_sheet(_("Two rounds"))
    append_row(sheet, [_("Level or region"), _("First round: institutions %"), _("First round: quotas %"),
                       _("Second round: institutions %"), _("Second round: quotas %"), _("Summary")], bold=True)
    for comparison in comparisons:
        append_row(sheet, [comparison_label(comparison), comparison.first_institutions.percent,
                           comparison.first_quotas.percent, comparison.second_institutions.percent,
                           comparison.second_quotas.percent, comparison_sentence(comparison)])


def reform_effect_xlsx(effect: ReformEffect, *, citywide: bool) -> HttpResponse:
    """The workbook of the effect report: what the page shows (levels and the citywide total only when
    ``citywide``), the first round's sheets too when there is one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")
    append_row(sheet, [_("The reform's effect")], bold=True)
    if effect.previous:
        append_row(sheet, [_("First round"), effect.previous, effect.before])
    append_row(sheet, [_("Before"), effect.before])
    append_row(sheet, [_("After"), effect.after])
    append_row(sheet, [_("Quota type"), str(effect.quota_type) if effect.quota_type else _("All quota types")])
    rounds = [(effect.first_round, _("First round")), (effect.round, "")] if effect.first_round else [
        (effect.round, "")]
    for round_, prefix in rounds:
        if citywide:
            _level_sheet(workbook, round_, f"{prefix} {_('By level')}".strip())
        _region_sheet(workbook, round_, f"{prefix} {_('By region')}".strip())
    _operation_sheet(workbook, effect)
    if effect.first_round:
        _comparison_sheet(workbook, (*effect.level_comparisons, *effect.region_comparisons) if citywide
                          else effect.region_comparisons)
    stem = _("reform-effect")  # 改革成效-…; outside the f-string, where makemessages finds it
    name = f"{stem}-{effect.before.isoformat()}-{effect.after.isoformat()}.xlsx"
    return workbook_response(workbook, name)
