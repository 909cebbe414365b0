"""Reconciliation screens: direction notices (issued through the issue page, never edited)."""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from core.forms import IsoDateInput
from reconciliation import services
from reconciliation.forms import NoticeIssueForm
from reconciliation.models import PositionDirectionNotice
from reconciliation.notices import notice_context


@admin.register(PositionDirectionNotice)
class PositionDirectionNoticeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Notices are issued through the issue page (city office) and never edited."""

    list_display = ("number", "kind", "addressee_name", "issued_on", "document", "printable")
    list_filter = ("kind", "issued_on")
    list_select_related = ("institution", "supervisor", "document")
    search_fields = ("number", "institution__name", "supervisor__name")
    readonly_fields = ("number", "kind", "institution", "supervisor", "batch", "issued_on", "reconciled_on",
                       "document", "figures_shown", "issued_by")
    fields = readonly_fields

    @admin.display(description=_("figures"))
    def figures_shown(self, notice: PositionDirectionNotice):
        """The frozen figures as the notice prints them (the department's totals, or the unit's with its
        direction), not as stored."""
        context = notice_context(notice)
        pairs = context.totals or context.units[0].summary
        table = format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", pairs))
        return table if context.totals else format_html("{}<p>{}</p>", table, context.units[0].sentence)

    @admin.display(description=_("addressee"))
    def addressee_name(self, notice: PositionDirectionNotice) -> str:
        return str(notice.addressee)

    @admin.display(description=_("print"))
    def printable(self, notice: PositionDirectionNotice):
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">DOCX</a>',
            reverse("reconciliation:notice", args=[notice.pk]), reverse("reconciliation:notice-docx", args=[notice.pk]),
        )

    def has_add_permission(self, request) -> bool:
        # "Add" leads to the issue page, for the city office only.
        return has_role(request.user, Role.CITY_OFFICE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:reconciliation_positiondirectionnotice_issue")

    def get_urls(self):
        return [
            path("issue/", self.admin_site.admin_view(self.issue_view),
                 name="reconciliation_positiondirectionnotice_issue"),
            *super().get_urls(),
        ]

    def issue_view(self, request):
        """Issue a unit's notice, or a department's batch and its units' notices (city office only)."""
        if not has_role(request.user, Role.CITY_OFFICE):
            raise PermissionDenied
        form = self._searchable(NoticeIssueForm(request.POST or None, initial=request.GET.dict(), user=request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            common = {"by": request.user, "document": data["document"], "issued_on": data.get("issued_on")}
            try:
                if data.get("institution"):
                    notice = services.position_notice_issue(institution=data["institution"], **common)
                else:
                    notice = services.position_notices_issue_for_department(
                        supervisor=data["supervisor"], institutions=form.visible_institutions, **common
                    )
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for text in texts:
                        form.add_error(field if field in form.fields else None, text)
            else:
                messages.success(request, gettext("Notice %(number)s issued.") % {"number": notice.number})
                return redirect("reconciliation:notice", pk=notice.pk)
        context = {**self.admin_site.each_context(request), "title": _("Issue a quota-use direction notice"),
                   "form": form, "opts": self.model._meta, "media": self.media + form.media}
        return TemplateResponse(request, "reconciliation/admin_issue_notice.html", context)

    def _searchable(self, form: NoticeIssueForm) -> NoticeIssueForm:
        """Units, departments and documents are searched as one types (the admin's scoped autocomplete): drop-downs
        of every unit in the city made the page take seconds to render and were unusable."""
        for name in ("institution", "supervisor", "document"):
            field = form.fields[name]
            field.widget = AutocompleteSelect(self.model._meta.get_field(name), self.admin_site)
            field.widget.choices, field.widget.is_required = field.choices, field.required
        form.fields["issued_on"].widget = IsoDateInput()
        return form
