"""``{% printed_rows rows %}``: the body rows of the reconciliation's printout.

Written here rather than in the template language because the printout holds every unit the filters select: the
demo city's 3,000 rows of 20 cells took 0.4–0.9 s through the template engine and take a tenth of that this way
(``bench/bench_pages.py``). The cells are those of ``reconciliation/reconciliation_head.html``; every text is
escaped, every figure is an integer.
"""
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reconciliation.choices import ReconciliationFlag

register = template.Library()


def _num(value) -> str:
    return f'<td class="num">{value}</td>'


@register.simple_tag
def printed_rows(rows) -> str:
    labels = {flag: str(escape(label)) for flag, label in ReconciliationFlag.choices}
    no_plan = f'<td colspan="4">{escape(gettext("No position plan"))}</td>'
    no_staff = f'<td colspan="3">{escape(gettext("No staff count"))}</td>'
    out = []
    for row in rows:
        where = escape(row.region_name) + (f" · {escape(row.supervisor_name)}" if row.supervisor_name else "")
        posts, staff, over = row.posts, row.staff, row.over_position
        out.append("".join((
            f'<tr class="unit-row"><td class="unit">{escape(row.name)}<br><small>{where}</small></td>',
            _num(row.approved), _num(row.borrowed or ""),
            "".join(_num(posts[name]) for name in ("management", "professional", "worker", "total"))
            if posts else no_plan,
            "".join(_num(staff[name]) for name in ("management", "professional", "worker")) if staff else no_staff,
            _num(row.staff_total), _num(row.reserved_total or ""), _num(row.vacant), _num(row.over_quota),
            "".join(_num(over[name]) for name in ("management", "professional", "worker")),
            f'<td class="flags">{" · ".join(labels[flag] for flag in row.flags)}</td>',
            f'<td class="sentence">{escape(row.sentence)}</td></tr>',
        )))
    if not out:
        out.append(f'<tr><td colspan="20">{escape(gettext("No unit matches."))}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 -- every text above is escaped
