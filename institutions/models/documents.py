"""Approval documents (批文): the legal basis of every change, numbered like 哈编发〔2020〕12号."""
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_date, validate_year
from core.errors import ConflictError
from institutions.choices import DocumentKind
from institutions.document_numbers import format_document_number, parse_document_number

MAX_DOCUMENT_FILE_BYTES = 20 * 1024 * 1024
DOCUMENT_FILE_EXTENSIONS = ["pdf", "ofd", "jpg", "jpeg", "png", "docx"]


def validate_document_file_size(file) -> None:
    if file.size > MAX_DOCUMENT_FILE_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="file_size")


class ApprovalDocument(models.Model):
    """A document is read by every role (it is the legal basis of moves everywhere) and written by its issuing
    region's office only; once a transfer or a decision cites it, it is frozen: a correction is a new document."""

    region_path = None  # documents are visible to every role
    write_region_path = "region"  # ... and written only in their issuing region

    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="documents", verbose_name=_("issuing region"),
        null=True, blank=True,
        help_text=_("The region whose office issued the document (province documents: the city level). Empty: the "
                    "city level."),
    )
    issuer = models.CharField(_("issuing office"), max_length=100)
    office_code = models.CharField(_("office code"), max_length=20, help_text=_("For example 哈编发."))
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(
        _("document number"), max_length=60, unique=True, editable=False,
        error_messages={"unique": _("A document with this number already exists.")},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.REPLY)
    title = models.CharField(_("title"), max_length=300)
    date_issued = models.DateField(_("date issued"), validators=[validate_date])
    date_effective = models.DateField(_("date effective"), validators=[validate_date])
    file = models.FileField(
        _("file"), upload_to="documents/%Y/", blank=True,
        validators=[FileExtensionValidator(DOCUMENT_FILE_EXTENSIONS), validate_document_file_size],
        help_text=_("PDF, OFD, JPG, PNG or DOCX; at most 20 MB."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval document")
        verbose_name_plural = _("approval documents")
        ordering = ("-date_issued", "-pk")
        constraints = [
            FieldUniqueConstraint(
                fields=["office_code", "year", "serial"], name="document_number_unique", error_field="serial",
                violation_error_message=_("A document with this office code, year and serial already exists."),
            ),
            FieldCheckConstraint(
                condition=Q(serial__gte=1), name="document_serial_positive", error_field="serial",
                violation_error_message=_("The serial number must be 1 or more."),
            ),
            FieldCheckConstraint(
                condition=Q(date_effective__gte=F("date_issued")), name="document_effective_after_issued",
                error_field="date_effective",
                violation_error_message=_("A document cannot take effect before it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def citing(self) -> list[tuple[type[models.Model], models.QuerySet]]:
        """Per foreign key pointing at documents (those without a reverse name too), the rows citing this one;
        history rows and many-to-many links do not cite."""
        if self.pk is None:
            return []
        cited = []
        for relation in self._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
                continue
            model = relation.related_model
            if hasattr(model, "instance_type") or model._meta.auto_created:
                continue
            cited.append((model, model._default_manager.filter(**{relation.field.name: self.pk})))
        return cited

    def citations(self) -> list[str]:
        """What cites this document (the names of the kinds of rows), empty when nothing does."""
        return list(dict.fromkeys(str(model._meta.verbose_name_plural) for model, rows in self.citing()
                                  if rows.exists()))

    def refuse_if_frozen(self) -> None:
        """A cited document keeps its fields and its file (``ConflictError``, code ``document_frozen``)."""
        cited = self.citations()
        if cited:
            raise ConflictError(
                _("Document %(number)s is cited by %(what)s and cannot change; issue a new document to correct it.")
                % {"number": self.number, "what": "、".join(cited)}, code="document_frozen")

    def _default_region(self) -> None:
        if self.region_id is None:
            from institutions.models.regions import Region  # the registry's own module, loaded after this one

            self.region = Region.objects.filter(parent__isnull=True).order_by("pk").first()

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            self.refuse_if_frozen()
        self._default_region()
        self.number = format_document_number(self.office_code, self.year, self.serial)
        super().save(*args, **kwargs)

    def set_number_from(self, text: str) -> None:
        """Fill office code, year and serial from a typed number (``ValidationError`` if malformed)."""
        try:
            self.office_code, self.year, self.serial = parse_document_number(text)
        except ValueError as exc:
            raise ValidationError({"number": _("Malformed document number: %(reason)s") % {"reason": exc}}) from exc

    def clean(self) -> None:
        self._default_region()
        if self.office_code and self.year and self.serial:
            try:
                self.number = format_document_number(self.office_code, self.year, self.serial)
            except ValueError as exc:
                raise ValidationError({"office_code": str(exc)}) from exc
        if self.date_issued and self.year and self.date_issued.year != self.year:
            raise ValidationError({"year": _("The year in the number differs from the year the document was issued.")})

