"""Import jobs: a large position-plan or staff-count file is imported by a worker, not by the web request."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused (nothing imported)")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file waiting for, or done by, the worker; its result has the shape of a direct import's."""

    region_path = None  # seen by its requester only (the API filters on it)

    kind = models.CharField(_("kind"), max_length=20, choices=[("plans", _("position plans")),
                                                              ("staff", _("staff counts"))])
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    rows = models.PositiveIntegerField(_("rows"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"
