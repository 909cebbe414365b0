"""Admin of the mandates app: the city's template (the city office edits it, and may upload its own Word templates);
regulations, charters and party organisations are read here (with their history) and written through the API's
services, which check them against the registry and the ledger."""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_conflicts import ConflictSafeAdminMixin
from mandates import selectors
from mandates.models import Charter, Mandate, MandateTemplate, PartyEvent, PartyOrganisation
from workflow.admin import ReadOnlyAdmin


@admin.register(MandateTemplate)
class MandateTemplateAdmin(ConflictSafeAdminMixin, SimpleHistoryAdmin):
    list_display = ("region", "issuer", "title_format")
    fields = ("region", "issuer", "title_format", "purpose", "basis", "supplementary", "mandate_docx",
              "charter_docx")


class ArticlesMixin:
    @admin.display(description=_("articles"))
    def articles_shown(self, row) -> str:
        _title, articles = self.text(row)
        return format_html_join("", "<p><strong>{}</strong><br>{}</p>", (
            (article["heading"], "\n".join(article["paragraphs"])) for article in articles))


@admin.register(Mandate)
class MandateAdmin(ArticlesMixin, ReadOnlyAdmin):
    list_display = ("institution", "version", "status", "document", "issued_on", "effective_date")
    list_filter = ("status",)
    list_select_related = ("institution", "document")
    search_fields = ("institution__name",)
    fields = ("institution", "version", "status", "document", "issued_on", "effective_date", "nature",
              "articles_shown", "approved_by", "approved_at")
    readonly_fields = fields

    def text(self, row):
        return selectors.mandate_text(row)


@admin.register(Charter)
class CharterAdmin(ArticlesMixin, ReadOnlyAdmin):
    list_display = ("institution", "version", "status", "document", "effective_date", "funding_source")
    list_filter = ("status",)
    list_select_related = ("institution", "document")
    search_fields = ("institution__name", "name")
    fields = ("institution", "version", "status", "document", "issued_on", "effective_date", "name", "address",
              "unit_type", "funding_source", "opening_funds", "sponsor", "articles_shown")
    readonly_fields = fields

    def text(self, row):
        return selectors.charter_text(row)


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
class PartyOrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "institution", "kind", "secretary_posts", "deputy_posts", "established_on")
    list_filter = ("kind",)
    list_select_related = ("institution",)
    search_fields = ("name", "institution__name")
    inlines = (PartyEventInline,)
