"""Cross-cutting data: the profile that binds a district user to a region."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserProfile(models.Model):
    """Which region a user works for. District/county office users must have one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        "institutions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user_profiles",
        verbose_name=_("region"),
        help_text=_("District/county office users see and edit only this region."),
    )

    class Meta:
        db_table = "core_userprofile"  # kept when the model moved here
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} @ {self.region or '-'}"

    def clean(self) -> None:
        from accounts.roles import Role, user_roles

        if self.user_id and Role.DISTRICT_OFFICE in user_roles(self.user) and not self.region_id:
            raise ValidationError({"region": _("A district/county office user must be bound to a region.")})
