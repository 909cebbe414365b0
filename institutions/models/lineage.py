"""An institution's life: the events that establish, rename, move, merge and end it (its timeline and lineage).

Written only by the reform operations (``reforms.services``), each on its plan's document and effective date. The
events answer "which region was the unit in on a date" (``region`` is where it sits from ``date`` on) and "where did
it come from, where did it go" (``related``: the survivor of a merger, the unit a split gave rise to, ...).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT
from core.dates import validate_date


class LifeEventKind(models.TextChoices):
    ESTABLISHED = "established", _("Established")
    RENAMED = "renamed", _("Renamed")
    MERGED_INTO = "merged_into", _("Merged into")
    ABSORBED = "absorbed", _("Took in by merger")
    SPLIT_INTO = "split_into", _("Split, giving rise to")
    SPLIT_FROM = "split_from", _("Split off from")
    DEVOLVED = "devolved", _("Devolved")
    ABOLISHED = "abolished", _("Abolished")
    MARKETISED = "marketised", _("Marketised")
    PLAQUE_ADDED = "plaque_added", _("Plaque added")
    PLAQUE_REMOVED = "plaque_removed", _("Plaque removed")
    SUPERVISOR_CHANGED = "supervisor_changed", _("Supervising agency changed")
    CATEGORY_CHANGED = "category_changed", _("Category changed")
    FUNDING_CHANGED = "funding_changed", _("Funding form changed")
    QUOTAS_ADJUSTED = "quotas_adjusted", _("Approved quotas adjusted")
    STAFF_PLACED = "staff_placed", _("Staff placed")
    CORRECTED = "corrected", _("Registry corrected")


# The kinds that give the unit a successor (its lineage goes on in ``related``).
SUCCESSION_KINDS = (LifeEventKind.MERGED_INTO, LifeEventKind.SPLIT_INTO)
# ... and those that give it a predecessor.
DESCENT_KINDS = (LifeEventKind.ABSORBED, LifeEventKind.SPLIT_FROM)


class InstitutionEvent(models.Model):
    region_path = "region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="events", verbose_name=_("institution")
    )
    kind = models.CharField(_("event"), max_length=20, choices=LifeEventKind.choices)
    date = models.DateField(_("date"), validators=[validate_date])
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"),
        help_text=_("Where the unit sits from this date on."),
    )
    from_region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from region"),
    )
    related = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("related institution"),
    )
    former_name = models.CharField(_("former name"), max_length=200, blank=True)
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    detail = models.TextField(_("detail"), max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("institution event")
        verbose_name_plural = _("institution events")
        ordering = ("institution", "date", "pk")
        indexes = [
            models.Index(fields=["institution", "date"], name="life_event_unit_date"),
            models.Index(fields=["kind", "date"], name="life_event_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.institution}: {self.get_kind_display()}"
