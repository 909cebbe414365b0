"""The direction sentence of a unit (用编方向), in the active language: ``direction`` decides, this says it."""
from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext

from positions.texts import CachedTranslations, category_label, join_list
from reconciliation import direction as d


# --- the direction sentence ---------------------------------------------------------------------------------
def _date(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_format(value, "DATE_FORMAT") if value else ""


def direction_sentence(
    result: d.Direction, *, approved: int, staff_total: int, plan_total: int | None = None,
    plan_date: datetime.date | str | None = None, stale_months: int | None = None,
    translations: CachedTranslations | None = None,
) -> str:
    """One plain sentence saying what the unit may do with its quotas and why.

    ``translations``: a ``CachedTranslations`` shared by many calls (the same texts, looked up once).
    """
    _ = translations.gettext if translations else gettext
    code = result.code
    held = approved + result.borrowed  # the quotas the unit holds, its own and borrowed
    if code == d.FROZEN:
        text = _(
            "Frozen (只出不进): staff in quota (%(staff)d) exceed the approved quotas (%(approved)d) by %(over)d, so "
            "no new entrants until the unit is back within quota"
        ) % {"staff": staff_total, "approved": held, "over": result.over_quota}
    elif code == d.NO_QUOTA:
        text = _("The unit holds no approved quotas and no staff in quota")
    elif code == d.ONE_FOR_ONE:
        text = _(
            "Exactly at quota (%(approved)d approved, %(staff)d staff in quota): each leaver may be replaced one "
            "for one (出一进一)"
        ) % {"approved": held, "staff": staff_total}
    elif code == d.ALLOCATE:
        parts = [
            _("%(count)d %(category)s") % {"count": count, "category": category_label(cat, translations)}
            for cat, count in result.allocation
        ]
        text = _("Vacant quotas (%(vacant)d) go to posts lacking staff: %(parts)s") % {
            "vacant": result.vacant, "parts": join_list(parts, translations),
        }
        if result.unmatched:
            text = _("%(text)s; %(clause)s") % {
                "text": text,
                "clause": _("%(count)d held back, as no other post lacks staff, until the position plan is "
                            "revised") % {"count": result.unmatched},
            }
    elif code == d.HOLD_NO_POST:
        text = _(
            "Vacant quotas (%(vacant)d) are held: no post lacks staff, so they wait until the position plan is "
            "revised"
        ) % {"vacant": result.vacant}
    elif code == d.HOLD_NO_PLAN:
        text = _("Vacant quotas (%(vacant)d) are held until the HR bureau files a position plan for the unit") % {
            "vacant": result.vacant
        }
    elif code == d.HOLD_NO_STAFF_COUNT:
        text = _(
            "Vacant quotas (%(vacant)d) are held until the unit's staff in quota are reported by category"
        ) % {"vacant": result.vacant}
    else:
        raise ValueError(code)

    clauses = [
        _("staff in %(category)s posts exceed those posts by %(count)d, so no appointments to them until back "
          "within posts")
        % {"category": category_label(category, translations), "count": count}
        for category, count in result.over_position
    ]
    for note in result.notes:
        if note == d.NOTE_NO_PLAN:
            clauses.append(_("no position plan has been filed"))
        elif note == d.NOTE_STALE_AGE:
            clauses.append(
                _("the position plan of %(date)s is more than %(months)d months old and should be revised")
                % {"date": _date(plan_date), "months": stale_months or 0}
            )
        elif note == d.NOTE_STALE_TOTAL:
            clauses.append(
                _("the position total (%(total)d) differs from the approved quotas (%(approved)d) and the plan "
                  "should be revised") % {"total": plan_total or 0, "approved": approved}
            )
        elif note == d.NOTE_NO_STAFF_COUNT:
            clauses.append(_("no staff count by category has been reported (the registry's staff figure is used)"))
        elif note == d.NOTE_RESERVED:
            if result.reserved_by_category:
                parts = [
                    _("%(count)d for %(category)s posts") % {
                        "count": count, "category": category_label(category, translations)}
                    for category, count in result.reserved_by_category
                ]
                clauses.append(_("%(count)d more quotas (%(parts)s) are reserved by quota-use notices not yet "
                                 "taken up") % {"count": result.reserved, "parts": join_list(parts, translations)})
            else:
                clauses.append(_("%(count)d more quotas are reserved by quota-use notices not yet taken up")
                               % {"count": result.reserved})
    if result.borrowed:
        clauses.append(_("the quotas held include %(count)d borrowed from the turnover pool, which return to it as "
                         "their holders leave (人走编收)") % {"count": result.borrowed})
    for clause in clauses:
        text = _("%(text)s; %(clause)s") % {"text": text, "clause": clause}
    return _("%(text)s.") % {"text": text}


def figures_sentence(figures: dict) -> str:
    """The direction sentence of figures frozen in a notice, in the active language."""
    posts = figures.get("posts") or {}
    return direction_sentence(
        d.from_figures(figures), approved=figures["approved"], staff_total=figures["staff_total"],
        plan_total=posts.get("total"), plan_date=figures.get("plan_effective_date"),
        stale_months=figures.get("stale_months"),
    )
