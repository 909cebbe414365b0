"""三定 regulations: the city's template (the framework and common text) and each unit's versions."""
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mandates.models.common import UnitVersion, check_text_list, field_error

LONG_TEXT = 20000


def default_purpose() -> str:
    return ("根据《中共中央办公厅 国务院办公厅关于印发〈“三定”规定制定和实施办法〉的通知》"
            "和{region}机构改革的有关要求，制定本规定。")


def default_basis() -> str:
    return "本规定是{unit}履行职责、配备人员、规范权力和核定经费的基本依据。"


def default_supplementary() -> str:
    return "本规定由{issuer}负责解释，其调整由{issuer}按规定程序办理。本规定自{effective_date}起施行。"


class MandateTemplate(models.Model):
    """The one city template: the framework every regulation follows and the texts they all share.

    Placeholders: ``{unit}`` (the unit's name), ``{region}`` (its region), ``{issuer}`` (the issuing office),
    ``{effective_date}`` (the version's effective date, in words: 2024年1月2日).
    """

    region_path = None  # the city's, read by every role

    region = models.OneToOneField(
        "institutions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    issuer = models.CharField(_("issuing office"), max_length=100, default="中共哈尔滨市委机构编制委员会")
    title_format = models.CharField(
        _("title"), max_length=200, default="{unit}职能配置、内设机构和人员编制规定",
        help_text=_("The title of every regulation; {unit} is the unit's name."))
    purpose = models.TextField(_("purpose and basis (article 1)"), max_length=LONG_TEXT, default=default_purpose)
    basis = models.TextField(_("basis for duties, staffing, powers and funding (article 3)"), max_length=LONG_TEXT,
                             default=default_basis)
    supplementary = models.TextField(_("supplementary provisions (article 8)"), max_length=LONG_TEXT,
                                     default=default_supplementary)
    mandate_docx = models.FileField(
        _("Word template of regulations"), upload_to="mandates/templates/", blank=True,
        validators=[FileExtensionValidator(["docx"])],
        help_text=_("A .docx (docxtpl) replacing the default layout; empty: the default."))
    charter_docx = models.FileField(
        _("Word template of charters"), upload_to="mandates/templates/", blank=True,
        validators=[FileExtensionValidator(["docx"])],
        help_text=_("A .docx (docxtpl) replacing the default layout; empty: the default."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regulation template")
        verbose_name_plural = _("regulation templates")

    def __str__(self) -> str:
        return f"{self.region} {self._meta.verbose_name}"

    def clean(self) -> None:
        from mandates.texts import check_placeholders

        errors = {}
        if self.region_id is not None and self.region.parent_id is not None:
            errors["region"] = ValidationError(_("The template is the city's: choose the city level."),
                                               code="not_city")
        for field in ("title_format", "purpose", "basis", "supplementary"):
            problem = check_placeholders(getattr(self, field))
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)


class Mandate(UnitVersion):
    """One version of a unit's 三定 regulation. A draft reads its staffing figures from the registry and the ledger
    live; approval freezes every article as it stands on the date of issue (``articles``)."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="mandates", verbose_name=_("institution"))
    nature = models.CharField(_("nature"), max_length=300, blank=True,
                              help_text=_("For example: 市人力资源和社会保障局所属公益一类事业单位."))
    duties = models.JSONField(_("main duties"), default=list, blank=True,
                              help_text=_("The main duties, in order (numbered in the text)."))
    function_shift = models.TextField(_("shift of functions"), max_length=LONG_TEXT, blank=True)
    divisions = models.JSONField(
        _("internal divisions and their duties"), default=list, blank=True,
        help_text=_("A list of {\"name\": division, \"duties\": [...]}; each name must be a division of the unit."))
    affiliated_units = models.JSONField(_("affiliated units"), default=list, blank=True)
    other_matters = models.TextField(_("other matters"), max_length=LONG_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("三定 regulation")
        verbose_name_plural = _("三定 regulations")
        ordering = ("institution", "-version")
        constraints = [
            models.UniqueConstraint(fields=["institution", "version"], name="mandate_version_unique"),
        ]
        indexes = [models.Index(fields=["institution", "status", "effective_date"], name="mandate_in_force")]

    def __str__(self) -> str:
        return f"{self.institution} 三定 v{self.version}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for field in ("duties", "affiliated_units"):
            try:
                setattr(self, field, check_text_list(getattr(self, field), field=field))
            except ValidationError as error:
                errors.update(error.error_dict)
        try:
            self.divisions = self._clean_divisions()
        except ValidationError as error:
            errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)

    def _clean_divisions(self) -> list[dict]:
        entries = self.divisions
        shape = _("Give a list of divisions, each {\"name\": …, \"duties\": [texts]}.")
        if not isinstance(entries, list) or not all(
                isinstance(entry, dict) and set(entry) <= {"name", "duties"} and isinstance(entry.get("name"), str)
                and entry["name"].strip() for entry in entries):
            raise field_error("divisions", shape, "invalid")
        cleaned = []
        for entry in entries:
            duties = check_text_list(entry.get("duties", []), field="divisions")
            cleaned.append({"name": entry["name"].strip(), "duties": duties})
        names = [entry["name"] for entry in cleaned]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise field_error("divisions", _("Division “%(name)s” is named twice.") % {
                "name": "”、“".join(duplicates)}, "duplicate_division")
        if self.institution_id is not None:
            known = set(self.institution.divisions.values_list("name", flat=True))
            missing = [name for name in names if name not in known]
            if missing:
                raise field_error("divisions", _(
                    "“%(unit)s” has no internal division named “%(name)s”: add the division to the registry first.")
                    % {"unit": self.institution, "name": "”、“".join(missing)}, "unknown_division")
        return cleaned
