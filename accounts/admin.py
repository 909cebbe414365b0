"""Admin for users: the profile (region binding) edited inline with the user."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import UserProfile


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    autocomplete_fields = ("region",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    inlines = (UserProfileInline,)

admin.site.site_header = _("Staffing-quota platform")
admin.site.site_title = _("Staffing-quota platform")
admin.site.index_title = _("Registry, ledger, allocation and positions")
