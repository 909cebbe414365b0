"""Admin for the registry: every page, choice, autocomplete and file is scoped to the user's region."""
from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from accounts.roles import Role, has_role
from accounts.scoping import home_region, may_write_row, visible_region_ids
from institutions.choices import InstitutionKind
from institutions.forms import ApprovalDocumentForm, InlineConstraintsForm
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.resources import DivisionResource, InstitutionResource, RegionResource


class RegistryImportExportMixin(ImportExportMixin):
    """Excel (xlsx) import with import-export's preview step, and export of the rows the user sees."""

    formats = [base_formats.XLSX]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def process_result(self, result, request):
        # The preview refuses a bad file; this guards a confirm posted for a file that has gone bad since.
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, gettext("The file has rows with errors; nothing was imported."))
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import", current_app=self.admin_site.name))
        return super().process_result(result, request)


class RegistryAdmin(ScopedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    """Scoped rows and choices, history per object (with the acting user)."""


@admin.register(Region)
class RegionAdmin(RegistryImportExportMixin, RegistryAdmin):
    list_display = ("code", "name", "kind", "parent", "institution_cap")
    list_filter = ("kind", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    resource_classes = [RegionResource]

    # Regions are the city office's to keep: district offices read them.
    def has_add_permission(self, request) -> bool:
        return has_role(request.user, Role.CITY_OFFICE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return has_role(request.user, Role.CITY_OFFICE) and super().has_change_permission(request, obj)


class InternalDivisionInline(ScopedAdminMixin, admin.TabularInline):
    model = InternalDivision
    form = InlineConstraintsForm
    extra = 0
    fields = ("name", "rank", "quota_count", "leadership_principal", "leadership_deputy")


class PlaqueInline(ScopedAdminMixin, admin.TabularInline):
    model = Plaque
    form = InlineConstraintsForm
    extra = 0
    fields = ("name", "started_on", "ended_on", "document")
    autocomplete_fields = ("document",)


@admin.register(Institution)
class InstitutionAdmin(RegistryImportExportMixin, RegistryAdmin):
    list_display = ("name", "credit_code", "region", "kind", "category", "funding_form", "rank", "status")
    list_filter = (
        ("region", admin.RelatedOnlyFieldListFilter),
        "kind",
        "category",
        "funding_form",
        "status",
        "rank",
        "reserved_class",
    )
    list_select_related = ("region",)
    search_fields = ("name", "short_name", "credit_code", "region__code", "region__name")
    autocomplete_fields = ("region", "supervisor", "established_document", "ended_document")
    inlines = (InternalDivisionInline, PlaqueInline)
    resource_classes = [InstitutionResource]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "credit_code", "kind", "region", "supervisor")}),
        (_("Classification"), {"fields": ("category", "funding_form", "rank", "reserved_class", "must_exist_reason")}),
        (
            _("Establishment and status"),
            {
                "fields": (
                    "status", "established_on", "established_document", "ended_on", "ended_document",
                    "legal_person_state",
                )
            },
        ),
        (_("Leadership posts and staff"), {"fields": ("leadership_principal", "leadership_deputy", "staff_in_quota")}),
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The supervisor autocomplete offers agencies only; a posted non-agency still reaches the model,
        # which says why it is refused.
        match = request.resolver_match
        if match and match.url_name == "autocomplete" and request.GET.get("field_name") == "supervisor":
            queryset = queryset.filter(kind=InstitutionKind.AGENCY)
        return queryset, may_have_duplicates

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        region_ids = visible_region_ids(request.user)
        if region_ids is not None and len(region_ids) == 1 and "region" not in initial:
            initial["region"] = next(iter(region_ids))
        return initial


@admin.register(InternalDivision)
class InternalDivisionAdmin(RegistryImportExportMixin, RegistryAdmin):
    list_display = ("name", "institution", "institution_region", "rank", "quota_count")
    list_filter = (("institution__region", admin.RelatedOnlyFieldListFilter), "rank")
    list_select_related = ("institution__region",)
    search_fields = ("name", "institution__name", "institution__credit_code", "institution__region__code")
    autocomplete_fields = ("institution",)
    resource_classes = [DivisionResource]

    @admin.display(description=_("region"), ordering="institution__region__code")
    def institution_region(self, division: InternalDivision) -> Region:
        return division.institution.region


@admin.register(Plaque)
class PlaqueAdmin(RegistryAdmin):
    list_display = ("name", "institution", "started_on", "ended_on", "document")
    list_filter = (("institution__region", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("institution", "document")
    search_fields = ("name", "institution__name", "institution__credit_code")
    autocomplete_fields = ("institution", "document")


@admin.register(ApprovalDocument)
class ApprovalDocumentAdmin(RegistryAdmin):
    form = ApprovalDocumentForm
    list_display = ("number", "title", "region", "issuer", "kind", "date_issued", "date_effective")
    list_filter = ("kind", "year", "office_code")
    list_select_related = ("region",)
    search_fields = ("number", "title", "issuer", "office_code")
    readonly_fields = ("number", "cited_by")
    fieldsets = (
        (None, {"fields": ("number", "number_text", ("office_code", "year", "serial"))}),
        (None, {"fields": ("region", "issuer", "kind", "title", "date_issued", "date_effective", "file", "cited_by")}),
    )

    @admin.display(description=_("cited by"))
    def cited_by(self, document: ApprovalDocument) -> str:
        return "、".join(document.citations()) or "—"

    def _may_write(self, request, document) -> bool:
        """Another region's document, or one that a transfer or decision cites, is read-only here."""
        return document is None or (may_write_row(request.user, document) and not document.citations())

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.get_object(request, object_id)
        if document is not None and super().has_change_permission(request, document):
            if document.citations():
                messages.info(request, _("This document is cited and frozen: a correction is a new document."))
            elif not may_write_row(request.user, document):
                messages.info(request, _("This document belongs to another region: your office may only read it."))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        region = home_region(request.user)
        if region is not None:
            initial.setdefault("region", region.pk)
        return initial
