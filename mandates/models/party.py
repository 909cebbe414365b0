"""Party organisations (党组织) of units and their events: established, renamed, adjusted, each on its document."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT
from core.dates import validate_date


class PartyKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("General party branch (党总支)")
    BRANCH = "branch", _("Party branch (党支部)")


# The leadership-post rule (docs/domain.md, "Party organisations"): one secretary each, and at most this many
# deputy secretaries.
MAX_DEPUTIES = {PartyKind.COMMITTEE: 2, PartyKind.GENERAL_BRANCH: 1, PartyKind.BRANCH: 1}
SECRETARIES = 1


class PartyEventKind(models.TextChoices):
    ESTABLISHED = "established", _("Established")
    RENAMED = "renamed", _("Renamed")
    ADJUSTED = "adjusted", _("Adjusted")


def check_posts(kind: str, secretaries: int, deputies: int) -> None:
    """Refuse leadership posts beyond the rule for the kind (field errors, code ``party_posts``)."""
    errors = {}
    if secretaries != SECRETARIES:
        errors["secretary_posts"] = ValidationError(
            _("A party organisation has exactly one secretary."), code="party_posts")
    limit = MAX_DEPUTIES.get(kind)
    if limit is not None and deputies > limit:
        errors["deputy_posts"] = ValidationError(
            _("A %(kind)s has at most %(limit)d deputy secretaries, not %(count)d.")
            % {"kind": PartyKind(kind).label, "limit": limit, "count": deputies}, code="party_posts")
    if errors:
        raise ValidationError(errors)


# The links to the unit's internal divisions (party-affairs office, discipline-inspection office).
DIVISION_FIELDS = ("party_affairs_division", "discipline_division")


class PartyOrganisation(models.Model):
    """A unit's party organisation as it stands now; its events (``events``) tell how it came to be."""

    region_path = "institution__region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="party_organisations",
        verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    secretary_posts = models.PositiveSmallIntegerField(_("secretary posts"), default=1)
    deputy_posts = models.PositiveSmallIntegerField(_("deputy secretary posts"), default=0)
    established_on = models.DateField(_("established on"), validators=[validate_date], editable=False)
    # The unit's internal divisions that serve as its party-affairs office (党务工作机构) and its discipline-inspection
    # office (纪检机构); the registry's divisions say neither, so the party organisation names them.
    party_affairs_division = models.ForeignKey(
        "institutions.InternalDivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("party-affairs division"),
        help_text=_("The unit's internal division that does the party-affairs work (党务工作机构)."))
    discipline_division = models.ForeignKey(
        "institutions.InternalDivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("discipline-inspection division"),
        help_text=_("The unit's internal division that does the discipline-inspection work (纪检机构)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ("institution", "name")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="party_organisation_name_unique",
                                    violation_error_message=_("This unit already has a party organisation of this "
                                                              "name.")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        for field in DIVISION_FIELDS:
            division = getattr(self, field)
            if division is not None and self.institution_id is not None \
                    and division.institution_id != self.institution_id:
                errors[field] = ValidationError(
                    _("“%(division)s” is not an internal division of “%(unit)s”.")
                    % {"division": division.name, "unit": self.institution}, code="not_units_division")
        if self.kind in PartyKind.values and self.secretary_posts is not None and self.deputy_posts is not None:
            try:
                check_posts(self.kind, self.secretary_posts, self.deputy_posts)
            except ValidationError as error:
                errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)


class PartyEvent(models.Model):
    region_path = "organisation__institution__region"

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.PROTECT, related_name="events",
                                     verbose_name=_("party organisation"))
    kind = models.CharField(_("event"), max_length=20, choices=PartyEventKind.choices)
    date = models.DateField(_("date"), validators=[validate_date])
    document = models.ForeignKey("institutions.ApprovalDocument", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("document"))
    former_name = models.CharField(_("former name"), max_length=200, blank=True)
    former_kind = models.CharField(_("former kind"), max_length=20, choices=PartyKind.choices, blank=True)
    detail = models.TextField(_("detail"), max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party organisation event")
        verbose_name_plural = _("party organisation events")
        ordering = ("organisation", "date", "pk")

    def __str__(self) -> str:
        return f"{self.date} {self.organisation}: {self.get_kind_display()}"
