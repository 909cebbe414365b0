"""Admin for the registry: every page, choice, autocomplete and file is scoped to the user's region."""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from accounts.scoping import visible_region_ids
from institutions.choices import InstitutionKind
from institutions.forms import ApprovalDocumentForm, InlineConstraintsForm
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.resources import DivisionResource, InstitutionResource, RegionResource


class ScopedHistoryMixin:
    """The history of a row another region owns answers 404, like its change page.

    SimpleHistoryAdmin falls back to the historical records when the live row is not in ``get_queryset``,
    which would show (and let revert) another region's rows.
    """

    def _require_visible(self, request, object_id) -> None:
        if request.user.is_superuser:
            return
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


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
    list_display = ("number", "title", "issuer", "kind", "date_issued", "date_effective")
    list_filter = ("kind", "year", "office_code")
    search_fields = ("number", "title", "issuer", "office_code")
    readonly_fields = ("number",)
    fieldsets = (
        (None, {"fields": ("number", "number_text", ("office_code", "year", "serial"))}),
        (None, {"fields": ("issuer", "kind", "title", "date_issued", "date_effective", "file")}),
    )
