"""The change log (transactional outbox): every change that matters outside the platform, as an event written in
the same transaction as the change, and put in its place in the feed once it has committed.

An event is written by the service that makes the change (``outbox.services.changes_record``) and rolls back with
it. Its ``position`` (the feed's cursor) is given after the commit, by the one sequencer
(``outbox.services.changes_sequence``), in the order the events are found committed: positions have no gaps and
never change, so a reader that keeps the last position it has handled misses nothing and sees nothing twice, and an
event written late (a back-dated transfer posted today) comes after every event already in the feed.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    TRANSFER_POSTED = "transfer.posted", _("Quotas moved")
    TRANSFER_REVERSED = "transfer.reversed", _("Quota move reversed")
    STAFF_ENTERED = "staff.entered", _("Staff entered the quota")
    STAFF_LEFT = "staff.left", _("Staff left the quota")
    UNIT_CHANGED = "unit.changed", _("Unit changed in the registry")
    REFORM_EXECUTED = "reform.executed", _("Reform plan executed")
    NOTICE_DECIDED = "notice.decided", _("Quota-use notice decided")
    LOAN_DECIDED = "loan.decided", _("Turnover loan decided")


class ChangeEvent(models.Model):
    """One change, with the figures after it (``data``). Never edited, never deleted."""

    region_path = "region"

    id = models.BigAutoField(primary_key=True)
    position = models.BigIntegerField(_("feed position"), null=True, blank=True, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=ChangeKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("institution"),
    )
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region"),
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, editable=False)
    data = models.JSONField(_("figures after the change"), default=dict)

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ("position", "id")
        indexes = [
            # The sequencer's work list: events not yet in the feed.
            models.Index(fields=["id"], condition=Q(position__isnull=True), name="change_unsequenced"),
            models.Index(fields=["institution", "position"], name="change_unit_position"),
        ]

    def __str__(self) -> str:
        return f"#{self.position or '-'} {self.get_kind_display()}"


class ChangeSequence(models.Model):
    """The feed's one counter: the last position given. Its row is locked by the sequencer, so two sequencers
    never give the same position or leave a gap."""

    last_position = models.BigIntegerField(default=0)
    sequenced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("change sequence")
        verbose_name_plural = _("change sequences")

    def __str__(self) -> str:
        return str(self.last_position)
