"""Admin for the registry: every page, choice, autocomplete and file is scoped to the user's region.

An existing institution's existence fields are read-only (only a reform operation changes them); its change page
shows its life events and links to the units it came from and went on in.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from accounts.roles import Role, has_role
from accounts.scoping import home_region, may_write_row, scope_queryset, visible_region_ids
from core.history import HistoryAdmin
from core.xlsx import attachment, dated_filename
from institutions.api.filters import had_former_name
from institutions.api.serializers import life_events, lineage_predecessors, lineage_successors
from institutions.choices import InstitutionKind
from institutions.existence import EXISTENCE_FIELDS
from institutions.forms import ApprovalDocumentForm, InlineConstraintsForm
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.resources import DivisionResource, InstitutionResource, RegionResource

# The existence fields the change form shows read-only (the successor is not on the form: it shows as a link).
READ_ONLY_ON_CHANGE = tuple(name for name in EXISTENCE_FIELDS if name != "successor")


class RegistryImportExportMixin(ImportExportMixin):
    """Excel (xlsx) import with import-export's preview step, and export of the rows the user sees: the sheet and
    the file named in the reader's language, with the day (实有人员数-2026-12-03.xlsx)."""

    formats = [base_formats.XLSX]

    def get_export_filename(self, request, queryset, file_format) -> str:
        return dated_filename(str(self.model._meta.verbose_name_plural), file_format.get_extension())

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # import-export writes the name as a plain filename="…", which mangles a Chinese one.
        response = super()._do_file_export(file_format, request, queryset, export_form)
        return attachment(response, self.get_export_filename(request, queryset, file_format))

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


class RegistryAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    """Scoped rows and choices, history per object (with the acting user)."""


@admin.register(Region)
class RegionAdmin(RegistryImportExportMixin, RegistryAdmin):
    list_display = ("code", "name", "kind", "parent")
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
                    "legal_person_state", "address", "opening_funds",
                )
            },
        ),
        (_("Leadership posts and staff"), {"fields": ("leadership_principal", "leadership_deputy", "staff_in_quota")}),
    )

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:  # a unit is also found by a name it had before a renaming
            found = found | scope_queryset(queryset.filter(had_former_name(term)), request.user)
        # The supervisor autocomplete offers agencies only; a posted non-agency still reaches the model,
        # which says why it is refused.
        match = request.resolver_match
        if match and match.url_name == "autocomplete" and request.GET.get("field_name") == "supervisor":
            found = found.filter(kind=InstitutionKind.AGENCY)
        if match and match.url_name == "autocomplete" and request.GET.get("model_name") == "positiondirectionnotice" \
                and request.GET.get("field_name") == "institution":  # a unit's notice: public institutions only
            found = found.filter(kind=InstitutionKind.PUBLIC_INSTITUTION)
        return found, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        """The add form takes every field (units are first entered by the registry load); on an existing unit the
        existence fields are read-only: they change only through a reform operation."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return readonly + tuple(name for name in READ_ONLY_ON_CHANGE if name not in readonly)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            # The change form leaves these out, but a reverted history version brings its old values along: an
            # admin save keeps the existence fields as stored, whatever the path.
            attnames = [Institution._meta.get_field(name).attname for name in EXISTENCE_FIELDS]
            stored = Institution.objects.filter(pk=obj.pk).values(*attnames).first() or {}
            for attname, value in stored.items():
                setattr(obj, attname, value)
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        institution = self.get_object(request, unquote(object_id))
        if institution is not None:
            extra_context = {**(extra_context or {}), **self._lineage_context(request, institution)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _lineage_context(self, request, institution: Institution) -> dict:
        """The unit's events and lineage for its change page; a related unit the user may see is a link."""
        events = list(life_events(institution))
        predecessors = list(lineage_predecessors(institution))
        successors = list(lineage_successors(institution))
        related_ids = {unit.pk for unit in (*predecessors, *successors)} | {
            event.related_id for event in events if event.related_id}
        visible = set(scope_queryset(Institution.objects.filter(pk__in=related_ids), request.user)
                      .values_list("pk", flat=True))

        def link(unit_id: int | None) -> str | None:
            if unit_id not in visible:
                return None
            return reverse("admin:institutions_institution_change", args=[unit_id], current_app=self.admin_site.name)

        return {"lineage": {
            "events": [{"event": event, "related_url": link(event.related_id)} for event in events],
            "predecessors": [{"unit": unit, "url": link(unit.pk)} for unit in predecessors],
            "successors": [{"unit": unit, "url": link(unit.pk)} for unit in successors],
        }}

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

    def get_fieldsets(self, request, obj=None):
        # "number_text" is the form's way to type a number; a reader sees the number itself.
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        return tuple((name, {**options, "fields": tuple(f for f in options["fields"] if f != "number_text")})
                     for name, options in self.fieldsets)

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
