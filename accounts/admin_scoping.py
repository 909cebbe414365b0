"""Admin base: every admin page narrows its rows, and its choices of related rows, through region scoping."""
from accounts.scoping import scope_queryset


class ScopedAdminMixin:
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
