"""Admin of the mandates app: the city's template (the city office edits it, and may upload its own Word templates);
regulations, charters and party organisations written here through the services (``mandates.services``), which
check them against the registry and the ledger, scoped like the other regional admins.

A draft regulation or charter is added and changed on its page; an approved version is read-only (its frozen
articles shown). The city office approves a draft on its approval page (document and effective date); whoever may
draft makes a new draft from any version. A party organisation is set up on the add page and renamed or adjusted on
its own pages, each on its document and date. Nothing is deleted.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from core.admin_conflicts import ConflictSafeAdminMixin
from core.history import HistoryAdmin
from institutions.models import ApprovalDocument
from mandates import selectors, services
from mandates.forms import (
    ApproveForm,
    CharterAdminForm,
    MandateAdminForm,
    PartyAdjustForm,
    PartyEstablishForm,
    PartyRenameForm,
    show_errors,
)
from mandates.models import Charter, Mandate, MandateTemplate, PartyEvent, PartyOrganisation
from mandates.models.party import DIVISION_FIELDS
from workflow.transitions import may_propose

APPROVAL_FIELDS = ("document", "issued_on", "effective_date", "approved_by", "approved_at")


@admin.register(MandateTemplate)
class MandateTemplateAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ("region", "issuer", "title_format")
    fields = ("region", "issuer", "title_format", "purpose", "basis", "supplementary", "mandate_docx",
              "charter_docx")


class ServiceFormAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The form's service writes the row while the form is validated (``mandates.forms.ServiceModelForm``)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_form(self, request, form, change):
        return form.saved

    def save_model(self, request, obj, form, change):
        """Saved by the service already (in the form's validation)."""

    def save_related(self, request, form, formsets, change):
        """No related rows are edited here."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a version, an organisation keeps its history: nothing is deleted

    change_form_template = "mandates/admin_change_form.html"

    def buttons(self, request, row) -> list[tuple[str, str]]:
        """The row's own pages this user may open: (url, text)."""
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            row = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            row = None
        extra_context = {**(extra_context or {}), "row_buttons": self.buttons(request, row) if row else []}
        return super().change_view(request, object_id, form_url, extra_context)

    def _render(self, request, obj, form, *, title: str, intro: str):
        context = {**self.admin_site.each_context(request), "title": title, "intro": intro, "form": form,
                   "opts": self.model._meta, "original": obj}
        return TemplateResponse(request, "mandates/admin_action.html", context)


class VersionAdmin(ServiceFormAdmin):
    """A unit's versions (regulations, charters): drafts edited, approved versions read-only."""

    kind = ""
    content_fields: tuple[str, ...] = ()
    list_filter = ("status",)
    list_select_related = ("institution", "document")
    search_fields = ("institution__name",)
    autocomplete_fields = ("institution",)

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or not obj.is_approved) and super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("institution", *self.content_fields)}),)
        return (
            (None, {"fields": ("institution", "version", "status")}),
            (_("Content"), {"fields": self.content_fields}),
            (_("Approval"), {"fields": APPROVAL_FIELDS}),
            (_("Articles"), {"fields": ("articles_shown",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("institution", "version", "status", *APPROVAL_FIELDS, "articles_shown")

    @admin.display(description=_("articles"))
    def articles_shown(self, row) -> str:
        _title, articles = self.text(row)
        return format_html_join("", "<p><strong>{}</strong><br>{}</p>", (
            (article["heading"], "\n".join(article["paragraphs"])) for article in articles))

    def _url(self, name: str, pk: int) -> str:
        return reverse(f"admin:mandates_{self.model._meta.model_name}_{name}", args=[pk])

    def buttons(self, request, row) -> list[tuple[str, str]]:
        shown = []
        if not row.is_approved and has_role(request.user, Role.CITY_OFFICE):
            shown.append((self._url("approve", row.pk), gettext("Approve")))
        if may_propose(request.user, row.institution):
            shown.append((self._url("new_draft", row.pk), gettext("New draft from this version")))
        return shown

    def get_urls(self):
        name = self.model._meta.model_name
        return [
            path("<int:pk>/approve/", self.admin_site.admin_view(self.approve_view), name=f"mandates_{name}_approve"),
            path("<int:pk>/new-draft/", self.admin_site.admin_view(self.new_draft_view),
                 name=f"mandates_{name}_new_draft"),
            *super().get_urls(),
        ]

    def approve_view(self, request, pk: int):
        """The city office approves a draft with its document and effective date."""
        row = get_object_or_404(self.get_queryset(request), pk=pk)
        if not has_role(request.user, Role.CITY_OFFICE) or row.is_approved:
            raise PermissionDenied
        form = ApproveForm(request.POST or None)
        form.fields["document"].queryset = scope_queryset(ApprovalDocument.objects.all(), request.user)
        if request.method == "POST" and form.is_valid():
            try:
                self.approve(row, by=request.user, document=form.cleaned_data["document"],
                             effective_date=form.cleaned_data["effective_date"])
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, gettext("Approved: %(row)s.") % {"row": row})
                return redirect(self._url("change", pk))
        return self._render(request, row, form, title=gettext("Approve %(row)s") % {"row": row}, intro=gettext(
            "Approval freezes the articles as they read on the document's date of issue; the version takes effect "
            "on the effective date (empty: the document's)."))

    def new_draft_view(self, request, pk: int):
        """A new draft of the unit's text, starting as this version reads (confirmed by a POST)."""
        row = get_object_or_404(self.get_queryset(request), pk=pk)
        if not may_propose(request.user, row.institution):
            raise PermissionDenied
        form = ApproveForm(request.POST if request.method == "POST" else None)
        form.fields.clear()  # a confirmation: nothing to fill in
        if request.method == "POST" and form.is_valid():
            try:
                draft = self.draft_from(row, by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, gettext("New draft: %(row)s.") % {"row": draft})
                return redirect(self._url("change", draft.pk))
        return self._render(request, row, form, title=gettext("New draft from %(row)s") % {"row": row},
                            intro=gettext("A new draft version of the unit's text is made, starting as this version "
                                          "reads; it is edited and approved like any draft."))


@admin.register(Mandate)
class MandateAdmin(VersionAdmin):
    form = MandateAdminForm
    kind = "mandate"
    content_fields = services.MANDATE_FIELDS
    list_display = ("institution", "version", "status", "document", "issued_on", "effective_date")

    def get_fieldsets(self, request, obj=None):
        # A reader sees the divisions and their duties as text, not as the JSON the draft is typed in.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return tuple((name, {**options, "fields": tuple("divisions_shown" if field == "divisions" else field
                                                         for field in options["fields"])})
                     for name, options in fieldsets)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "divisions_shown")

    @admin.display(description=_("internal divisions and their duties"))
    def divisions_shown(self, row: Mandate):
        return format_html_join("", "<p><strong>{}</strong><br>{}</p>", (
            (division.get("name", "—"), "；".join(division.get("duties", []))) for division in row.divisions or [])
        ) or "—"

    def text(self, row):
        return selectors.mandate_text(row)

    def approve(self, row, **values):
        return services.mandate_approve(mandate=row, **values)

    def draft_from(self, row, *, by):
        return services.mandate_draft_from(mandate=row, by=by)


@admin.register(Charter)
class CharterAdmin(VersionAdmin):
    form = CharterAdminForm
    kind = "charter"
    content_fields = services.CHARTER_FIELDS
    list_display = ("institution", "version", "status", "document", "effective_date", "funding_source")
    search_fields = ("institution__name", "name")
    autocomplete_fields = ("institution", "sponsor")

    def text(self, row):
        return selectors.charter_text(row)

    def approve(self, row, **values):
        return services.charter_approve(charter=row, **values)

    def draft_from(self, row, *, by):
        return services.charter_draft_from(charter=row, by=by)


class PartyEventInline(admin.TabularInline):
    model = PartyEvent
    fields = ("date", "kind", "document", "former_name", "former_kind", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ServiceFormAdmin):
    """Set up on the add page; renamed and adjusted on their own pages (each on its document and date)."""

    form = PartyEstablishForm
    list_display = ("name", "institution", "kind", "secretary_posts", "deputy_posts", *DIVISION_FIELDS,
                    "established_on")
    list_filter = ("kind",)
    # A division shows as "unit / division": its unit too.
    list_select_related = ("institution", *DIVISION_FIELDS, *(f"{field}__institution" for field in DIVISION_FIELDS))
    search_fields = ("name", "institution__name")
    autocomplete_fields = ("institution",)
    inlines = (PartyEventInline,)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # changed by its events only: the rename and adjust pages

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("institution", "kind", "name", "secretary_posts", "deputy_posts", *DIVISION_FIELDS,
                    "document", "date", "detail")
        return ("institution", "kind", "name", "secretary_posts", "deputy_posts", *DIVISION_FIELDS,
                "established_on")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def buttons(self, request, row) -> list[tuple[str, str]]:
        if not may_propose(request.user, row.institution):
            return []
        return [(reverse("admin:mandates_partyorganisation_rename", args=[row.pk]), gettext("Rename")),
                (reverse("admin:mandates_partyorganisation_adjust", args=[row.pk]), gettext("Adjust"))]

    def get_urls(self):
        return [
            path("<int:pk>/rename/", self.admin_site.admin_view(self.rename_view),
                 name="mandates_partyorganisation_rename"),
            path("<int:pk>/adjust/", self.admin_site.admin_view(self.adjust_view),
                 name="mandates_partyorganisation_adjust"),
            *super().get_urls(),
        ]

    def _organisation(self, request, pk: int) -> PartyOrganisation:
        organisation = get_object_or_404(self.get_queryset(request), pk=pk)
        if not may_propose(request.user, organisation.institution):
            raise PermissionDenied
        return organisation

    def _event_form(self, form_class, request, organisation, initial=None):
        form = form_class(request.POST or None, initial=initial)
        form.fields["document"].queryset = scope_queryset(ApprovalDocument.objects.all(), request.user)
        return form

    def _act(self, request, organisation, form, service, done: str):
        if request.method == "POST" and form.is_valid():
            try:
                saved = service(by=request.user, organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, done % {"row": saved})
                return redirect("admin:mandates_partyorganisation_change", organisation.pk)
        return None

    def rename_view(self, request, pk: int):
        organisation = self._organisation(request, pk)
        form = self._event_form(PartyRenameForm, request, organisation)
        done = self._act(request, organisation, form, services.party_organisation_rename,
                         gettext("Renamed: %(row)s."))
        return done or self._render(request, organisation, form, title=gettext("Rename %(row)s") % {
            "row": organisation}, intro=gettext("A renaming is recorded as an event on its document and date."))

    def adjust_view(self, request, pk: int):
        organisation = self._organisation(request, pk)
        form = self._event_form(PartyAdjustForm, request, organisation, initial={
            "kind": organisation.kind, "secretary_posts": organisation.secretary_posts,
            "deputy_posts": organisation.deputy_posts,
            **{name: getattr(organisation, f"{name}_id") for name in DIVISION_FIELDS}})
        for name in DIVISION_FIELDS:
            form.fields[name].queryset = organisation.institution.divisions.all()
        done = self._act(request, organisation, form, services.party_organisation_adjust,
                         gettext("Adjusted: %(row)s."))
        return done or self._render(request, organisation, form, title=gettext("Adjust %(row)s") % {
            "row": organisation}, intro=gettext(
            "An adjustment changes the kind, the leadership posts (one secretary; deputies within the kind's limit) "
            "or the unit's party-affairs and discipline-inspection divisions, recorded as an event on its document "
            "and date."))
