"""Forms of the workflow's pages: vacancy reclamation, and the requests, movements and loans (``workflow.pages``).

The request forms only collect and parse input; the services of ``workflow.hiring`` / ``workflow.loans`` check every
rule and their ``ValidationError`` is put back on the form by the page.
"""
from __future__ import annotations

from django import forms
from django.db.models import BLANK_CHOICE_DASH, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset, visible_region_ids
from core.constraints import TEXT_LIMIT
from core.dates import validate_date, validate_past_date
from core.forms import IsoDateInput
from core.widgets import UnitAutocompleteWidget
from institutions.choices import InstitutionStatus
from institutions.models import ApprovalDocument, Institution, Region
from positions.choices import PostCategory, ProfessionalBand
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaType
from workflow import states as workflow
from workflow.models import HiringPlan, LoanCase, QuotaUseNotice
from workflow.models.hiring import ENTRY_REASONS, EXIT_REASONS
from workflow.models.loans import TalentCategory
from workflow.models.requests import RequestAction, RequestState


class ReclamationFilterForm(forms.Form):
    """Which units the reclamation preview covers (GET): a region of the user's, the quota type."""

    region = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("region"),
                                    help_text=_("Empty: every region you see."))
    quota_type = forms.ModelChoiceField(QuotaType.objects.all(), required=False, label=_("quota type"),
                                        help_text=_("Empty: institutional quotas."))

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_queryset(Region.objects.all(), user)


class ReclamationApplyForm(forms.Form):
    """The decision: its approval document and effective date."""

    document = forms.ModelChoiceField(ApprovalDocument.objects.all(), label=_("approval document"))
    effective_date = forms.DateField(label=_("effective date"), widget=IsoDateInput(),
                                     validators=[validate_date])


# --- the request pages (workflow.pages) ---------------------------------------------------------------------------
def date_field(label, *, required: bool = True, past: bool = False) -> forms.DateField:
    """A date field defaulting to today, rendered as a date picker."""
    return forms.DateField(label=label, required=required, initial=timezone.localdate, widget=IsoDateInput(),
                           validators=[validate_past_date if past else validate_date])


def recent_documents():
    """Approval documents newest first (documents are every role's reference data)."""
    return ApprovalDocument.objects.order_by("-date_issued", "-pk")


def visible_units(user):
    """The active units the user may file for (another region's unit is not a valid choice)."""
    return scope_queryset(Institution.objects.filter(status=InstitutionStatus.ACTIVE), user).select_related(
        "region").order_by("region__code", "name")


def visible_pools(user):
    """Turnover-pool accounts the user's units may borrow from: their regions' pools and the city's."""
    pools = QuotaAccount.objects.filter(holder_kind=HolderKind.TURNOVER_POOL).select_related("region", "quota_type")
    region_ids = visible_region_ids(user)
    if region_ids is not None:
        pools = pools.filter(Q(region_id__in=region_ids) | Q(region__children__in=region_ids)).distinct()
    return pools.order_by("region__code", "pk")


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, searched as the user types (``core.widgets``); the scoped queryset decides what is valid."""

    widget = UnitAutocompleteWidget

    def label_from_instance(self, obj) -> str:
        return f"{obj.region.name} · {obj.name}"


class PoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.holder_name} · {obj.quota_type}"


class StateFilterForm(forms.Form):
    """The lists' filter (GET): a state."""

    status = forms.ChoiceField(choices=[("", _("Every state")), *RequestState.choices], required=False,
                               label=_("state"))


class HiringPlanForm(forms.Form):
    institution = UnitChoiceField(Institution.objects.none(), label=_("institution"))
    year = forms.IntegerField(label=_("year"), min_value=2000, initial=lambda: timezone.localdate().year)
    expected_leavers = forms.IntegerField(label=_("expected leavers"), min_value=0, initial=0,
                                          help_text=HiringPlan._meta.get_field("expected_leavers").help_text)
    supervisor_opinion = forms.CharField(label=_("supervising agency's opinion"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=TEXT_LIMIT)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visible_units(user)
        if editing:  # a request stays with its unit
            self.fields["institution"].disabled = True


class HiringPlanLineForm(forms.Form):
    """One line of a plan; a row left blank (no choice made) is not a line."""

    quota_type = forms.ModelChoiceField(QuotaType.objects.all(), label=_("quota type"))
    category = forms.ChoiceField(choices=BLANK_CHOICE_DASH + PostCategory.choices, label=_("post category"))
    count = forms.IntegerField(label=_("planned entrants"), min_value=1)


HiringPlanLineFormSet = forms.formset_factory(HiringPlanLineForm, extra=0, can_delete=True, min_num=1,
                                              validate_min=True)


class QuotaUseNoticeForm(forms.Form):
    institution = UnitChoiceField(Institution.objects.none(), label=_("institution"))
    hiring_plan = forms.ModelChoiceField(HiringPlan.objects.none(), required=False, label=_("hiring plan"),
                                         help_text=_("The unit's approved plan the batch belongs to, if any."))
    quota_type = forms.ModelChoiceField(QuotaType.objects.all(), label=_("quota type"))
    category = forms.ChoiceField(choices=PostCategory.choices, label=_("post category"))
    count = forms.IntegerField(label=_("quotas requested"), min_value=1)
    supervisor_opinion = forms.CharField(label=_("supervising agency's opinion"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=TEXT_LIMIT)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visible_units(user)
        self.fields["hiring_plan"].queryset = scope_queryset(
            HiringPlan.objects.filter(status=workflow.APPROVED), user).select_related("institution")
        if editing:
            self.fields["institution"].disabled = True


class TurnoverLoanForm(forms.Form):
    institution = UnitChoiceField(Institution.objects.none(), label=_("borrowing unit"))
    pool = PoolChoiceField(QuotaAccount.objects.none(), label=_("turnover pool"))
    count = forms.IntegerField(label=_("quotas borrowed"), min_value=1)
    talent_category = forms.ChoiceField(choices=TalentCategory.choices, label=_("talent category"))
    case = forms.ModelChoiceField(LoanCase.objects.filter(is_active=True), label=_("case"))
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1)
    justification = forms.CharField(label=_("justification"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visible_units(user)
        self.fields["pool"].queryset = visible_pools(user)
        if editing:
            self.fields["institution"].disabled = True


class ReturnPlanItemForm(forms.Form):
    """One line of a loan's return plan: a date and the leavers expected on it (years ahead: the loan's term)."""

    date = forms.DateField(label=_("date"), widget=IsoDateInput())
    count = forms.IntegerField(label=_("expected leavers"), min_value=1)


ReturnPlanFormSet = forms.formset_factory(ReturnPlanItemForm, extra=1, can_delete=True)


class DecisionForm(forms.Form):
    """One action on a request: the action, its approval document, a reason or review, a date."""

    action = forms.ChoiceField(choices=RequestAction.choices, widget=forms.HiddenInput)
    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), required=False,
                                      label=_("approval document"))
    reason = forms.CharField(label=_("reason or review"), required=False, max_length=TEXT_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 2}))
    date = date_field(_("date"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = recent_documents()


class LoanReturnForm(forms.Form):
    """An early or partial return of borrowed quotas (city office)."""

    count = forms.IntegerField(label=_("quotas returned"), min_value=1)
    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), label=_("approval document"))
    date = date_field(_("date"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = recent_documents()


class OfferDecisionForm(forms.Form):
    """Accept a 人走编收 offer (with its document) or decline it (with a reason)."""

    offer = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))],
                                 widget=forms.HiddenInput)
    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), required=False,
                                      label=_("approval document"))
    reason = forms.CharField(label=_("reason"), required=False, max_length=TEXT_LIMIT)
    date = date_field(_("date"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = recent_documents()


BAND_CHOICES = [("", "—"), *ProfessionalBand.choices]


class EntryForm(forms.Form):
    """An entry onto the quota (入编) against an issued notice."""

    notice = forms.ModelChoiceField(QuotaUseNotice.objects.none(), label=_("quota-use notice"))
    date = date_field(_("date"), past=True)
    count = forms.IntegerField(label=_("people"), min_value=1, initial=1)
    reason = forms.ChoiceField(choices=[(r.value, r.label) for r in ENTRY_REASONS], label=_("reason"))
    band = forms.ChoiceField(choices=BAND_CHOICES, required=False, label=_("professional band"),
                             help_text=_("For professional-technical staff: the band the person is counted in."))
    person_name = forms.CharField(label=_("name"), required=False, max_length=100)
    note = forms.CharField(label=_("note"), required=False, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = scope_queryset(
            QuotaUseNotice.objects.filter(status=workflow.APPROVED), user).select_related("institution")


class ExitForm(forms.Form):
    """An exit from the quota (出编) of a unit."""

    institution = UnitChoiceField(Institution.objects.none(), label=_("institution"))
    category = forms.ChoiceField(choices=PostCategory.choices, label=_("post category"))
    band = forms.ChoiceField(choices=BAND_CHOICES, required=False, label=_("professional band"),
                             help_text=_("For professional-technical staff: the band the person is counted in."))
    reason = forms.ChoiceField(choices=[(r.value, r.label) for r in EXIT_REASONS], label=_("reason"))
    date = date_field(_("date"), past=True)
    count = forms.IntegerField(label=_("people"), min_value=1, initial=1)
    person_name = forms.CharField(label=_("name"), required=False, max_length=100)
    note = forms.CharField(label=_("note"), required=False, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visible_units(user)
