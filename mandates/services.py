"""Writes of the mandates app, each in one transaction: drafting and approving regulations and charters, setting
up, renaming and adjusting party organisations.

A district office drafts its own region's texts and records its party organisations; the city office approves
(``workflow.transitions``: the same proposer / decider rule as every request). Only a draft changes (409 otherwise);
approval freezes the articles as they read on the date of issue (the document's date issued).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_date
from core.errors import ConflictError
from institutions.models import ApprovalDocument, Institution, InternalDivision
from mandates import selectors
from mandates.models import (
    Charter,
    Mandate,
    PartyEvent,
    PartyEventKind,
    PartyOrganisation,
    VersionStatus,
)
from mandates.models.charters import CHECKED_WHERE_HELD
from mandates.models.common import field_error
from workflow.transitions import require_decider, require_proposer

MANDATE_FIELDS = ("nature", "duties", "function_shift", "divisions", "affiliated_units", "other_matters")
CHARTER_FIELDS = (
    "name", "address", "unit_type", "funding_source", "opening_funds", "sponsor", "purpose", "business_scope",
    "party_role", "decision_making", "democratic_management", "asset_management", "information_disclosure",
    "amendment_procedure", "termination",
)
UNSET = object()  # an adjustment's division link not given: kept as it is
# A charter's particulars not given take the registry's (charter field → registry field).
CHARTER_FROM_REGISTRY = {"name": "name", "unit_type": "category", "funding_source": "funding_form",
                         "sponsor": "supervisor", "address": "address", "opening_funds": "opening_funds"}


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    extra = sorted(set(fields) - set(allowed))
    if extra:
        raise ValidationError({name: ValidationError(_("This field cannot be set here."), code="not_editable")
                               for name in extra})


def _lock_unit(institution: Institution) -> Institution:
    return Institution.objects.select_for_update().get(pk=institution.pk)


def _next_version(model, institution: Institution) -> int:
    return (model.objects.filter(institution=institution).aggregate(top=Max("version"))["top"] or 0) + 1


def _draft(model, row):
    """The row locked, refused (409 ``not_draft``) when it is no longer a draft."""
    locked = model.objects.select_for_update().get(pk=row.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ConflictError({"status": ValidationError(
            _("Only a draft can be changed; this version is approved. Draft a new version instead."),
            code="not_draft")})
    return locked


def _save(row) -> None:
    row.full_clean()
    row.save()


# --- regulations --------------------------------------------------------------------------------------------------
@transaction.atomic
def mandate_create(*, by, institution: Institution, **fields) -> Mandate:
    """A new draft version of the unit's regulation (the next number)."""
    _unknown(fields, MANDATE_FIELDS)
    require_proposer(by, institution)
    unit = _lock_unit(institution)
    mandate = Mandate(institution=unit, version=_next_version(Mandate, unit), **fields)
    _save(mandate)
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate, by, **fields) -> Mandate:
    _unknown(fields, MANDATE_FIELDS)
    require_proposer(by, mandate.institution)
    locked = _draft(Mandate, mandate)
    for name, value in fields.items():
        setattr(locked, name, value)
    _save(locked)
    return locked


def _approval_dates(document: ApprovalDocument | None, effective_date: datetime.date | None) -> datetime.date:
    if document is None:
        raise field_error("document", _("Approval needs its approval document."), "required")
    effective = effective_date or document.date_effective
    check_date(effective, field="effective_date")
    if effective < document.date_issued:
        raise field_error("effective_date", _(
            "The version cannot take effect on %(date)s, before its document %(number)s was issued (%(issued)s).")
            % {"date": effective, "number": document.number, "issued": document.date_issued}, "before_document")
    return effective


def _approve(row, *, by, document: ApprovalDocument, effective: datetime.date) -> None:
    row.status = VersionStatus.APPROVED
    row.document = document
    row.issued_on = document.date_issued
    row.effective_date = effective
    row.approved_by = by if getattr(by, "pk", None) else None
    row.approved_at = timezone.now()


@transaction.atomic
def mandate_approve(*, mandate: Mandate, by, document: ApprovalDocument | None,
                    effective_date: datetime.date | None = None) -> Mandate:
    """Approve the draft with its document (city office): its articles are frozen as they read on the document's
    date of issue, the staffing article with the ledger's and the registry's figures of that day."""
    require_decider(by)
    locked = _draft(Mandate, mandate)
    effective = _approval_dates(document, effective_date)
    locked.full_clean()  # the registry may have changed since the draft was saved (a division closed ...)
    _approve(locked, by=by, document=document, effective=effective)
    title, articles = selectors.mandate_text(locked, on=locked.issued_on)
    locked.articles = selectors.frozen(title, articles)
    locked.save()
    return locked


@transaction.atomic
def mandate_draft_from(*, mandate: Mandate, by) -> Mandate:
    """A new draft of the unit's regulation that starts as ``mandate`` reads (its editable fields copied)."""
    return mandate_create(by=by, institution=mandate.institution,
                          **{name: getattr(mandate, name) for name in MANDATE_FIELDS})


# --- charters -----------------------------------------------------------------------------------------------------
@transaction.atomic
def charter_create(*, by, institution: Institution, **fields) -> Charter:
    """A new draft version of the unit's charter; the registered particulars not given are the registry's."""
    _unknown(fields, CHARTER_FIELDS)
    require_proposer(by, institution)
    unit = _lock_unit(institution)
    for field, registry_field in CHARTER_FROM_REGISTRY.items():
        fields.setdefault(field, getattr(unit, registry_field))
    charter = Charter(institution=unit, version=_next_version(Charter, unit), **fields)
    _save(charter)
    return charter


@transaction.atomic
def charter_update(*, charter: Charter, by, **fields) -> Charter:
    _unknown(fields, CHARTER_FIELDS)
    require_proposer(by, charter.institution)
    locked = _draft(Charter, charter)
    for name, value in fields.items():
        setattr(locked, name, value)
    _save(locked)
    return locked


@transaction.atomic
def charter_approve(*, charter: Charter, by, document: ApprovalDocument | None,
                    effective_date: datetime.date | None = None) -> Charter:
    require_decider(by)
    locked = _draft(Charter, charter)
    effective = _approval_dates(document, effective_date)
    locked.full_clean()  # checked against the registry again
    _approve(locked, by=by, document=document, effective=effective)
    title, articles = selectors.charter_text(locked)
    locked.articles = selectors.frozen(title, articles)
    locked.save()
    return locked


@transaction.atomic
def charter_draft_from(*, charter: Charter, by) -> Charter:
    """A new draft of the unit's charter that starts as ``charter`` reads; the particulars the registry holds
    (name, type, funding source, sponsor; address and opening funds where it has them) are the registry's of
    today."""
    unit = charter.institution
    kept = [name for name in CHARTER_FIELDS if name not in CHARTER_FROM_REGISTRY
            or (name in CHECKED_WHERE_HELD and getattr(unit, CHARTER_FROM_REGISTRY[name]) in (None, ""))]
    return charter_create(by=by, institution=unit, **{name: getattr(charter, name) for name in kept})


# --- party organisations ------------------------------------------------------------------------------------------
def _event_date(date: datetime.date, document: ApprovalDocument | None, *, after: datetime.date | None) -> None:
    if document is None:
        raise field_error("document", _("The event needs its approval document."), "required")
    check_date(date, field="date")
    if date < document.date_issued:
        raise field_error("date", _("The event cannot come before its document %(number)s was issued.")
                          % {"number": document.number}, "before_document")
    if after is not None and date < after:
        raise field_error("date", _("The event cannot come before the organisation's last event (%(date)s).")
                          % {"date": after}, "before_last_event")


@transaction.atomic
def party_organisation_establish(*, by, institution: Institution, kind: str, name: str,
                                 document: ApprovalDocument | None, date: datetime.date, secretary_posts: int = 1,
                                 deputy_posts: int = 0, detail: str = "",
                                 party_affairs_division: InternalDivision | None = None,
                                 discipline_division: InternalDivision | None = None) -> PartyOrganisation:
    """Set up a unit's party organisation on its document; the party-affairs and discipline-inspection divisions,
    when named, must be the unit's own (field error ``not_units_division``)."""
    require_proposer(by, institution)
    _event_date(date, document, after=None)
    organisation = PartyOrganisation(institution=institution, kind=kind, name=name, secretary_posts=secretary_posts,
                                     deputy_posts=deputy_posts, established_on=date,
                                     party_affairs_division=party_affairs_division,
                                     discipline_division=discipline_division)
    _save(organisation)
    PartyEvent.objects.create(organisation=organisation, kind=PartyEventKind.ESTABLISHED, date=date,
                              document=document, detail=detail)
    return organisation


def _last_event_date(organisation: PartyOrganisation) -> datetime.date | None:
    return organisation.events.order_by("-date").values_list("date", flat=True).first()


@transaction.atomic
def party_organisation_rename(*, by, organisation: PartyOrganisation, document: ApprovalDocument | None,
                              date: datetime.date, name: str = "",
                              detail: str = "") -> PartyOrganisation:
    require_proposer(by, organisation.institution)
    locked = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _event_date(date, document, after=_last_event_date(locked))
    former = locked.name
    if not name or name == former:
        raise field_error("name", _("Give the new name (different from the present one)."), "same_name")
    locked.name = name
    _save(locked)
    PartyEvent.objects.create(organisation=locked, kind=PartyEventKind.RENAMED, date=date, document=document,
                              former_name=former, detail=detail)
    return locked


@transaction.atomic
def party_organisation_adjust(*, by, organisation: PartyOrganisation, document: ApprovalDocument | None,
                              date: datetime.date, kind: str | None = None, secretary_posts: int | None = None,
                              deputy_posts: int | None = None, detail: str = "", party_affairs_division=UNSET,
                              discipline_division=UNSET) -> PartyOrganisation:
    """An adjustment: the kind (a branch raised to a general branch …), the leadership posts and/or the
    party-affairs and discipline-inspection divisions (``None`` clears a link; not given keeps it)."""
    require_proposer(by, organisation.institution)
    locked = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _event_date(date, document, after=_last_event_date(locked))
    former_kind = locked.kind
    for name, value in (("kind", kind), ("secretary_posts", secretary_posts), ("deputy_posts", deputy_posts)):
        if value is not None:
            setattr(locked, name, value)
    for name, value in (("party_affairs_division", party_affairs_division),
                        ("discipline_division", discipline_division)):
        if value is not UNSET:
            setattr(locked, name, value)
    _save(locked)
    PartyEvent.objects.create(organisation=locked, kind=PartyEventKind.ADJUSTED, date=date, document=document,
                              former_kind=former_kind if former_kind != locked.kind else "", detail=detail)
    return locked
