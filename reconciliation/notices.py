"""Quota-use direction notices as documents: one context, rendered as a printable HTML page and as .docx.

Both renderings read the figures frozen in the notice when it was issued (the reconciliation's), so the printed
numbers are the reconciliation's whatever has changed since.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import officialdoc
from core.officialdoc import Letterhead, OfficialDocument
from positions.rules import MANAGEMENT, PROFESSIONAL, WORKER
from positions.texts import category_label
from reconciliation.choices import NoticeKind
from reconciliation.models import PositionDirectionNotice
from reconciliation.texts import figures_sentence

# Categories in the order forms print them (管理, 专技, 工勤); vacancies are still directed professional-first.
CATEGORIES = (MANAGEMENT, PROFESSIONAL, WORKER)
DOCX_CONTENT_TYPE = officialdoc.DOCX_CONTENT_TYPE


@dataclass
class UnitSection:
    """One unit's figures as the notice prints them."""

    name: str
    summary: list[tuple[str, int]]  # (label, figure): approved, staff, vacant, over quota
    header: list[str]  # the category table's header
    table: list[list[str | int]]  # rows: label, then a figure per category and the total
    sentence: str
    has_plan: bool
    staff_reported: bool


@dataclass
class NoticeContext:
    title: str
    number: str
    issued_on: str
    addressee: str
    opening: str
    document: str
    units: list[UnitSection] = field(default_factory=list)
    totals: list[tuple[str, int]] = field(default_factory=list)  # department notices: sums over the units
    closing: str = ""
    issuer: str = ""


def _dash(value) -> str | int:
    return "—" if value is None else value


def unit_section(figures: dict) -> UnitSection:
    posts = figures.get("posts")
    staff = figures.get("staff")
    summary = [
        (_("Approved quotas"), figures["approved"]),
        *([(_("Borrowed from the turnover pool"), figures["borrowed"])] if figures.get("borrowed") else []),
        (_("Staff in quota"), figures["staff_total"]),
        *([(_("Reserved by open notices"), figures["reserved"])] if figures.get("reserved") else []),
        (_("Vacant quotas (reserved excluded)"), figures["vacant"]),
        (_("Over quota"), figures["over_quota"]),
    ]
    header = [_("Item"), *(category_label(category) for category in CATEGORIES), _("Total")]

    def line(label: str, values: dict | None, total=None) -> list:
        if values is None:
            return [label, *("—" for _category in CATEGORIES), _dash(total)]
        figures_by_category = [values[category] for category in CATEGORIES]
        return [label, *figures_by_category, sum(figures_by_category) if total is None else total]

    table = [
        line(_("Posts (position plan)"), posts, posts["total"] if posts else None),
        line(_("Staff in quota"), staff, figures["staff_total"]),
        line(_("Posts lacking staff"), figures["short"] if posts and staff else None),
        *([line(_("Reserved by open notices"), figures["reserved_by_category"])]
          if figures.get("reserved") and figures.get("reserved_by_category") else []),
        line(_("Over position"), figures["over_position"] if posts and staff else None),
    ]
    return UnitSection(
        name=figures["name"], summary=summary, header=header, table=table, sentence=figures_sentence(figures),
        has_plan=posts is not None, staff_reported=staff is not None,
    )


def notice_context(notice: PositionDirectionNotice) -> NoticeContext:
    document = notice.document
    is_department = notice.kind == NoticeKind.DEPARTMENT
    context = NoticeContext(
        title=_("Quota-use direction notice") if not is_department else _("Quota-use direction notice (department)"),
        number=notice.number,
        issued_on=date_format(notice.issued_on),
        addressee=str(notice.addressee),
        opening=_(
            "Under “%(title)s” (%(number)s), and after comparing approved quotas, positions and staff as of "
            "%(date)s, the quota-use direction is as follows."
        ) % {"title": document.title, "number": document.number, "date": date_format(notice.reconciled_on)},
        document=document.number,
        closing=_("Staff are to be brought in only within this direction; quotas are used post by post."),
        issuer=document.issuer,
    )
    if is_department:
        context.units = [unit_section(figures) for figures in notice.figures["units"]]
        totals = notice.figures["totals"]
        context.totals = [
            (_("Units"), totals["units"]),
            (_("Approved quotas"), totals["approved"]),
            *([(_("Borrowed from the turnover pool"), totals["borrowed"])] if totals.get("borrowed") else []),
            (_("Staff in quota"), totals["staff_total"]),
            *([(_("Reserved by open notices"), totals["reserved_total"])] if totals.get("reserved_total") else []),
            (_("Vacant quotas (reserved excluded)"), totals["vacant"]),
            (_("Over quota"), totals["over_quota"]),
        ]
    else:
        context.units = [unit_section(notice.figures)]
    return context


def notice_docx(notice: PositionDirectionNotice) -> bytes:
    """The notice as a .docx in the official-document layout (``core.officialdoc``, GB/T 9704), with the same
    words and figures as the HTML page."""
    context = notice_context(notice)
    document = OfficialDocument(Letterhead(
        issuer=context.issuer, number=context.number, title=context.title, date=notice.issued_on,
        recipient=context.addressee,
    ))
    document.paragraph(context.opening)
    if context.totals:
        document.table(None, context.totals)
    for section in context.units:
        if len(context.units) > 1:
            document.heading(section.name, level=2)
        document.table(None, section.summary)
        document.table(section.header, section.table)
        document.paragraph(section.sentence)
    document.paragraph(context.closing)
    return document.finish()


def notice_filename(notice: PositionDirectionNotice, extension: str) -> str:
    return f"{notice.number}.{extension}"


def docx_response(notice: PositionDirectionNotice):
    """A download of the notice as .docx (named by its number)."""
    return officialdoc.docx_response(notice_docx(notice), notice_filename(notice, "docx"))


def html_response(request, notice: PositionDirectionNotice):
    """The printable notice page (``templates/reconciliation/notice.html``)."""
    from django.template.response import TemplateResponse

    return TemplateResponse(request, "reconciliation/notice.html", {"notice": notice, "doc": notice_context(notice)})
