"""The issued quota-use notice (核准使用编制通知单) as a printable A4 page and as a .docx in the official-document
layout (``core.officialdoc``): one context, two renderings.

Only a notice the city office has issued (it has a number: open, closed or expired) is a document; a draft, a
submitted, a rejected or a withdrawn request answers 404, as does another region's notice for a district office.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from core.officialdoc import Letterhead, OfficialDocument, docx_response, official_date
from workflow import states as workflow
from workflow.models import QuotaUseNotice
from workflow.models.hiring import MovementKind

ISSUED_STATES = (workflow.APPROVED, workflow.EXECUTED, workflow.EXPIRED)


@dataclass
class NoticePrintout:
    """What the notice says, in the order it says it."""

    issuer: str
    number: str
    title: str
    recipient: str
    opening: str
    figures: list[tuple[str, str]]  # (label, value): unit, quota type, category, quotas, validity, …
    entries: list[list[str]] = field(default_factory=list)  # the people entered against it: name, date, count
    entries_header: list[str] = field(default_factory=list)
    closing: str = ""
    signature: str = ""
    issued_on: str = ""


def issued_notices(user):
    """The issued notices ``user`` may see (scoped to a district office's own region)."""
    notices = QuotaUseNotice.objects.filter(number__isnull=False, status__in=ISSUED_STATES).select_related(
        "institution__region", "institution__supervisor", "quota_type", "document", "hiring_plan",
    )
    return scope_queryset(notices, user)


def notice_title() -> str:
    """核准使用编制通知单: the model's name, in the reader's language."""
    return capfirst(str(QuotaUseNotice._meta.verbose_name))


def _validity(notice: QuotaUseNotice) -> str:
    validity = _("from %(start)s to %(end)s") % {
        "start": official_date(notice.issued_on), "end": official_date(notice.valid_until)}
    if notice.status == workflow.APPROVED:
        return validity
    return _("%(validity)s (%(state)s on %(day)s)") % {
        "validity": validity, "state": notice.get_status_display(),
        "day": official_date(notice.closed_on) if notice.closed_on else "—"}


def notice_printout(notice: QuotaUseNotice) -> NoticePrintout:
    """The notice's words and figures: read from the notice, its unit, its decision document and its entries."""
    document = notice.document
    unit = notice.institution
    figures = [
        (_("Unit"), unit.name),
        (_("Region"), unit.region.name),
        *([(str(_("supervising department")), unit.supervisor.name)] if unit.supervisor_id else []),
        (_("Quota type"), str(notice.quota_type)),
        (_("Post category"), notice.get_category_display()),
        (_("Quotas approved for use"), str(notice.count)),
        (_("Taken up"), str(notice.taken_up)),
        (_("Still reserved"), str(notice.remaining)),
        (_("Validity"), _validity(notice)),
        *([(_("Hiring plan"), _("%(year)s hiring plan") % {"year": notice.hiring_plan.year})]
          if notice.hiring_plan_id else []),
        *([(str(_("supervising agency's opinion")), notice.supervisor_opinion)] if notice.supervisor_opinion
          else []),
        *([(str(_("note")), notice.note)] if notice.note else []),
        (_("Approval document"), f"{document.title} ({document.number})" if document else "—"),
    ]
    entries = notice.entries.filter(kind=MovementKind.ENTRY).order_by("date", "pk")
    return NoticePrintout(
        issuer=document.issuer if document else "",
        number=notice.number,
        title=notice_title(),
        recipient=unit.name,
        opening=_(
            "%(unit)s may use %(count)s %(type)s quotas for %(category)s posts, within the validity below; staff "
            "are brought in only within this notice and enter onto the quota against its number."
        ) % {"unit": unit.name, "count": notice.count, "type": notice.quota_type,
             "category": notice.get_category_display()},
        figures=figures,
        entries_header=[str(_("name")), str(_("date")), str(_("people"))],
        entries=[[entry.person_name or "—", official_date(entry.date), str(entry.count)] for entry in entries],
        closing=_("Quotas not taken up by the end of the validity are released."),
        signature=document.issuer if document else "",
        issued_on=official_date(notice.issued_on),
    )


def notice_docx(notice: QuotaUseNotice) -> bytes:
    """The notice as a .docx in the official-document layout, with the words and figures of the page."""
    printout = notice_printout(notice)
    document = OfficialDocument(Letterhead(
        issuer=printout.issuer, number=printout.number, title=printout.title, date=notice.issued_on,
        recipient=printout.recipient, signature=printout.signature,
    ))
    document.paragraph(printout.opening)
    document.table(None, printout.figures)
    if printout.entries:
        document.heading(_("Entered against this notice"), level=2)
        document.table(printout.entries_header, printout.entries)
    document.paragraph(printout.closing)
    return document.finish()


def notice_filename(notice: QuotaUseNotice) -> str:
    """核准使用编制通知单-哈编核〔2026〕3号.docx"""
    return f"{notice_title()}-{notice.number}.docx"


@role_required
@require_GET
def notice_page(request, pk: int):
    """The issued notice as an A4 page to print."""
    notice = get_object_or_404(issued_notices(request.user), pk=pk)
    printout = notice_printout(notice)
    return render(request, "workflow/print_quota_use_notice.html", {
        "notice": notice, "doc": printout, "print_title": f"{printout.number} {printout.title}",
    })


@role_required
@require_GET
def notice_docx_download(request, pk: int):
    """The issued notice as .docx."""
    notice = get_object_or_404(issued_notices(request.user), pk=pk)
    return docx_response(notice_docx(notice), notice_filename(notice))
