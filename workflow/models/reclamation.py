"""Previews of vacant-quota reclamation over many units, computed by a worker so that their page shows progress."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreviewState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReclamationPreview(models.Model):
    """What reclaiming the vacant quotas of the units a user sees (one region, or all) would give back, as a task
    read it, chunk by chunk (``workflow.reclamation.reclamation_preview_run``). It decides nothing: the decision
    reads every figure again under the units' locks."""

    region_path = None  # seen by its requester only

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("region"),
                               help_text=_("Empty: every region the requester sees."))
    quota_type = models.ForeignKey("quotas.QuotaType", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("quota type"))
    state = models.CharField(_("state"), max_length=10, choices=PreviewState.choices, default=PreviewState.QUEUED)
    units_total = models.PositiveIntegerField(_("units"), default=0)
    units_done = models.PositiveIntegerField(_("units read"), default=0)
    lines = models.JSONField(_("lines"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reclamation preview")
        verbose_name_plural = _("reclamation previews")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in (PreviewState.DONE, PreviewState.FAILED)
