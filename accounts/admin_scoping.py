"""Admin bases: every admin page narrows its rows, its choices of related rows and its history through region
scoping; a row of another region is read-only where it may be read at all."""
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.scoping import scope_queryset
from core.admin_conflicts import ConflictSafeAdminMixin


class ScopedAdminMixin(ConflictSafeAdminMixin):
    """Rows and choices of the user's region; a save that loses a race shows the form again (core.admin_conflicts)."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete asks the related model's admin: scoping holds there too.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return scope_queryset(queryset, request.user), may_have_duplicates


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
