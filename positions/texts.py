"""Translated texts of the positions app: rule findings, structure problems, figures and category names.

The pure module ``rules`` returns codes and figures; this is where they become words, in the
active language (Chinese by default; tests switch to English with ``translation.override("en")``).
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from positions import rules
from positions.choices import PostCategory, RuleCode


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
