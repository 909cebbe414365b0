"""Cross-cutting data: the profile that binds a district user to a region; the API tokens (stored hashed)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

# The longest lifetime a token may be given (ten years): beyond it a date overflows and a token stops being temporary.
MAX_TOKEN_DAYS = 3650


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
    token_days = models.PositiveIntegerField(
        _("API token lifetime (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOKEN_DAYS)],
        help_text=_(
            "For an integration client: how many days its new API tokens stay valid. "
            "Empty: the site default (API_TOKEN_DAYS)."
        ),
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


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only a hash of the key and its first characters are stored; it expires.

    The key itself is shown once, by ``manage.py issue_token``. The fields of knox's base are declared again only
    to give them translatable names.
    """

    digest = models.CharField(_("digest"), max_length=CONSTANTS.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(
        _("key prefix"),
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="auth_token_set",  # knox's authentication reads this name
        verbose_name=_("user"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)
    client = models.CharField(
        _("client"), max_length=100, blank=True, help_text=_("The integration client that uses this token.")
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"
