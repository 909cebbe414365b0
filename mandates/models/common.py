"""What regulations and charters share: a version of a unit's text, drafted, then approved with its document."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


def field_error(field: str, message, code: str) -> ValidationError:
    """A field error whose code reaches the API's ``codes`` (a dict of plain messages would lose it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def check_text_list(value, *, field: str) -> list[str]:
    """A list of non-empty texts (duties, affiliated units): anything else is a field error."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise field_error(field, _("Give a list of non-empty texts."), "invalid")
    return [item.strip() for item in value]


class UnitVersion(models.Model):
    """A numbered version of a unit's text; an approved version is frozen (its articles as they were issued)."""

    region_path = "institution__region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    version = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT, editable=False)
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approval document"), editable=False)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True, editable=False,
                                 validators=[validate_date])
    effective_date = models.DateField(_("effective date"), null=True, blank=True, editable=False,
                                      validators=[validate_date])
    articles = models.JSONField(_("articles as issued"), default=list, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"), editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.status == VersionStatus.APPROVED
