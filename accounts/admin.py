"""Admin for users: the profile (region binding) edited inline with the user; API tokens (superusers only)."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ApiToken, UserProfile
from accounts.tokens import revoke
from core.admin_conflicts import ConflictSafeAdminMixin


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    autocomplete_fields = ("region",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PlatformUserAdmin(ConflictSafeAdminMixin, UserAdmin):
    inlines = (UserProfileInline,)



@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers see the tokens and revoke them; a token is issued only by ``manage.py issue_token``.

    Nothing here shows a key: the database has only its hash and first characters (the key prefix).
    """

    list_display = ("user", "client", "created", "expiry", "last_used", "token_key")
    list_filter = ("client",)
    search_fields = ("user__username", "client", "token_key")
    list_select_related = ("user",)
    fields = ("user", "client", "token_key", "created", "expiry", "last_used")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "revoke" does the same, and logs it
        return actions

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["delete"])
    def revoke_tokens(self, request, queryset) -> None:
        count = revoke(queryset, by=f"admin ({request.user.get_username()})")
        self.message_user(request, ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", count)
                          % {"count": count}, messages.SUCCESS)

    def delete_model(self, request, obj) -> None:
        revoke(ApiToken.objects.filter(pk=obj.pk), by=f"admin ({request.user.get_username()})")

    def delete_queryset(self, request, queryset) -> None:
        revoke(queryset, by=f"admin ({request.user.get_username()})")


admin.site.site_header = _("Staffing-quota platform")
admin.site.site_title = _("Staffing-quota platform")
admin.site.index_title = _("Registry, ledger, allocation and positions")
