"""Quota-use direction notices (编制使用方向通知单): issued unit by unit or department by department, numbered, with
the reconciliation's figures frozen in them.

Each service runs in one transaction and raises ``ValidationError`` (field → messages) on refusal, writing nothing.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.choices import InstitutionKind
from institutions.models import ApprovalDocument, Institution
from institutions.numbering import number_in_sequence
from reconciliation.choices import NoticeKind
from reconciliation.models import PositionDirectionNotice
from reconciliation.selectors import reconciliation, reconciliation_options, reconciliation_rows, units_on

DEFAULT_NOTICE_OFFICE_CODE = "哈编岗通"


# --- quota-use direction notices ----------------------------------------------------------------------------
def notice_office_code() -> str:
    return getattr(settings, "POSITIONS_NOTICE_OFFICE_CODE", DEFAULT_NOTICE_OFFICE_CODE)


def _numbered(notice: PositionDirectionNotice) -> PositionDirectionNotice:
    """Save ``notice`` under the next free serial of its office code and year (哈编岗通〔2026〕12号)."""
    notice.office_code = notice_office_code()
    notice.year = notice.issued_on.year

    def write(serial: int, number: str) -> None:
        notice.pk, notice.serial, notice.number = None, serial, number
        notice.save()

    number_in_sequence(PositionDirectionNotice, office_code=notice.office_code, year=notice.year, write=write,
                       field="serial")
    return notice


def _check_notice_input(document, issued_on: datetime.date) -> None:
    if document is None:
        raise ValidationError({"document": _("A notice cites its basis document.")})
    if issued_on < document.date_issued:
        raise ValidationError({"issued_on": _("A notice cannot be issued before its basis document (%(date)s).")
                               % {"date": document.date_issued}})


@transaction.atomic
def position_notice_issue(
    *, institution: Institution, by, document: ApprovalDocument, issued_on: datetime.date | None = None,
    on: datetime.date | None = None, batch: PositionDirectionNotice | None = None,
) -> PositionDirectionNotice:
    """Issue the unit its quota-use direction notice, numbered, with the reconciliation's figures frozen in it.

    ``on``: the date of the figures (default: today's figures, the accounts' stored balances).
    """
    issued_on = issued_on or timezone.localdate()
    _check_notice_input(document, issued_on)
    rows = reconciliation_rows(reconciliation(on=on, institutions=Institution.objects.filter(pk=institution.pk)))
    if not rows:
        raise ValidationError({"institution": _(
            "“%(name)s” is not a public institution existing on the date: it gets no quota-use direction."
        ) % {"name": institution.name}})
    notice = PositionDirectionNotice(
        kind=NoticeKind.UNIT, institution=institution, batch=batch, issued_on=issued_on,
        reconciled_on=on or timezone.localdate(), document=document, figures=rows[0].as_figures(), issued_by=by,
    )
    notice.full_clean(exclude=["office_code", "year", "serial", "number"])
    return _numbered(notice)


@transaction.atomic
def position_notices_issue_for_department(
    *, supervisor: Institution, by, document: ApprovalDocument, issued_on: datetime.date | None = None,
    on: datetime.date | None = None, institutions: QuerySet | None = None,
) -> PositionDirectionNotice:
    """Issue a supervising department its batch notice listing every unit it runs, and each unit its own notice
    ("issue documents department by department, unit by unit"). Returns the department notice.

    ``institutions``: the units the issuing user may see (the batch covers only those).
    """
    issued_on = issued_on or timezone.localdate()
    _check_notice_input(document, issued_on)
    if supervisor.kind != InstitutionKind.AGENCY:
        raise ValidationError({"supervisor": _("Only an administrative agency supervises units.")})
    day = on or timezone.localdate()
    units = units_on(day, institutions).filter(supervisor=supervisor)
    rows = reconciliation_rows(reconciliation(on=on, institutions=units), options=reconciliation_options())
    if not rows:
        raise ValidationError({"supervisor": _("“%(name)s” supervises no public institution existing on the date.")
                               % {"name": supervisor.name}})
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("approved", "borrowed", "reserved_total", "staff_total", "vacant", "over_quota")
    }
    totals["units"] = len(rows)
    department = PositionDirectionNotice(
        kind=NoticeKind.DEPARTMENT, supervisor=supervisor, issued_on=issued_on, reconciled_on=day,
        document=document, figures={"units": [row.as_figures() for row in rows], "totals": totals}, issued_by=by,
    )
    department.full_clean(exclude=["office_code", "year", "serial", "number"])
    _numbered(department)
    by_id = {unit.pk: unit for unit in units}
    for row in rows:
        notice = PositionDirectionNotice(
            kind=NoticeKind.UNIT, institution=by_id[row.institution_id], batch=department, issued_on=issued_on,
            reconciled_on=day, document=document, figures=row.as_figures(), issued_by=by,
        )
        _numbered(notice)
    return department
