"""Translated texts of the positions app: rule findings, structure problems and the direction sentence.

The pure modules (``rules``, ``direction``) return codes and figures; this is where they become words, in the
active language (Chinese by default; tests switch to English with ``translation.override("en")``).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from positions import rules
from positions.choices import PostCategory, RuleCode
from reconciliation import direction as d


def percent(value: Decimal | str | float) -> str:
    """0.7 → "70%", 0.6667 → "66.67%"."""
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.01")).normalize()
    text = format(number, "f")
    return f"{text}%"


def figure_text(kind: str, value) -> str:
    if kind == rules.SHARE:
        return percent(value)
    return str(value)


class CachedTranslations:
    """``gettext`` with a memo, for writing thousands of sentences in one language (a whole city's directions).

    Make one per batch of rows, while the language stays the same.
    """

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], str] = {}

    def gettext(self, message: str) -> str:
        try:
            return self._texts["", message]
        except KeyError:
            text = self._texts["", message] = gettext(message)
            return text

    def pgettext(self, context: str, message: str) -> str:
        try:
            return self._texts[context, message]
        except KeyError:
            text = self._texts[context, message] = pgettext(context, message)
            return text


def category_label(category: str, translations: CachedTranslations | None = None) -> str:
    """The category's name as it reads inside a sentence (the msgids of ``PostCategory``'s labels)."""
    _ = translations.gettext if translations else gettext
    if category == rules.PROFESSIONAL:
        return _("professional-technical")
    if category == rules.MANAGEMENT:
        return _("management")
    if category == rules.WORKER:
        return _("worker-skill")
    return str(PostCategory(category).label)


def join_list(items: list[str], translations: CachedTranslations | None = None) -> str:
    separator = translations.pgettext("list separator", ", ") if translations else pgettext("list separator", ", ")
    return separator.join(items)


# --- structure problems -----------------------------------------------------------------------------------------
def structure_message(problem: rules.StructureProblem) -> str:
    params = problem.params
    if problem.code == "negative":
        return _("Counts of posts are whole numbers: a count cannot be negative (got %(value)d).") % params
    if problem.code == "grades_sum":
        labels = {
            "management": _("the management levels 3–10"),
            "professional": _("the professional-technical levels 1–13"),
            "worker": _("the worker-skill levels 1–5 and ordinary workers"),
        }
        return _(
            "Grade counts must add up to their category: %(grades)s add up to %(sum)d, but the category has "
            "%(declared)d."
        ) % {"grades": labels[problem.field], **params}
    if problem.code == "categories_sum":
        return _(
            "Categories must add up to the total: management, professional-technical and worker-skill posts add "
            "up to %(sum)d, but the position total is %(declared)d."
        ) % params
    if problem.code == "leadership_over_management":
        return _("Leadership posts (%(declared)d) are management posts: they cannot exceed the %(management)d "
                 "management posts.") % params
    if problem.code == "bands_sum":
        return _(
            "Staff by band must add up to the professional-technical staff: the bands add up to %(sum)d, but "
            "professional-technical staff are %(declared)d."
        ) % params
    raise ValueError(problem.code)


# --- rule findings ----------------------------------------------------------------------------------------------
def finding_message(finding: rules.Finding | dict) -> str:
    """One sentence naming the rule, the plan's figure and the limit."""
    if isinstance(finding, dict):
        finding = rules.Finding.from_dict(finding)
    rule = str(RuleCode(finding.rule).label)
    if finding.binding:
        rule = _("%(rule)s (binding)") % {"rule": rule}
    params = {
        "rule": rule,
        "figure": figure_text(finding.kind, finding.figure),
        "limit": figure_text(finding.kind, finding.limit),
    }
    templates = {
        rules.TOTAL_WITHIN_QUOTA: _(
            "Rule “%(rule)s”: the position total is %(figure)s, above the limit of %(limit)s set by the approved "
            "quotas."
        ),
        rules.PROFESSIONAL_SHARE_MIN: _(
            "Rule “%(rule)s”: professional-technical posts are %(figure)s of the total, below the minimum of "
            "%(limit)s."
        ),
        rules.MANAGEMENT_SHARE_MIN: _(
            "Rule “%(rule)s”: management posts are %(figure)s of the total; they must be more than %(limit)s."
        ),
        rules.WORKER_SHARE_MIN: _(
            "Rule “%(rule)s”: worker-skill posts are %(figure)s of the total; they must be more than %(limit)s."
        ),
        rules.SENIOR_RATIO: _(
            "Rule “%(rule)s”: senior posts are %(figure)s of the professional-technical posts, above the limit of "
            "%(limit)s."
        ),
        rules.INTERMEDIATE_RATIO: _(
            "Rule “%(rule)s”: intermediate posts are %(figure)s of the professional-technical posts, above the "
            "limit of %(limit)s."
        ),
        rules.TOP_GRADE: _(
            "Rule “%(rule)s”: the plan has professional-technical posts at level %(figure)s; the highest level "
            "allowed is %(limit)s."
        ),
        rules.LEADERSHIP_WITHIN_POSTS: _(
            "Rule “%(rule)s”: %(figure)s leadership posts, above the unit's %(limit)s leadership posts."
        ),
    }
    return templates[finding.rule] % params


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
