"""Serializers of the registry API: model validation runs on every write; related choices are region-scoped."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import ValidatedModelSerializer
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region

NUMBER_PARTS = ("office_code", "year", "serial")


def _display(field_name: str) -> serializers.CharField:
    """The translated label of a choice field, e.g. ``category_display``."""
    return serializers.CharField(source=f"get_{field_name}_display", read_only=True)




class RegistrySerializer(ScopedRelatedFieldsMixin, ValidatedModelSerializer):
    class Meta:
        # Uniqueness is the model's to check (full_clean), with the model's messages against the right field.
        validators: list = []


class RegionSerializer(RegistrySerializer):
    kind_display = _display("kind")
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    level = serializers.CharField(read_only=True)

    class Meta(RegistrySerializer.Meta):
        model = Region
        fields = ("id", "code", "name", "kind", "kind_display", "level", "parent", "parent_code", "institution_cap")


class InstitutionSerializer(RegistrySerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    # Any institution the user sees: the model says why a non-agency cannot supervise (not "does not exist").
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True
    )
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, allow_null=True)
    kind_display = _display("kind")
    category_display = _display("category")
    funding_form_display = _display("funding_form")
    rank_display = _display("rank")
    reserved_class_display = _display("reserved_class")
    must_exist_reason_display = _display("must_exist_reason")
    status_display = _display("status")
    legal_person_state_display = _display("legal_person_state")

    class Meta(RegistrySerializer.Meta):
        model = Institution
        fields = (
            "id", "name", "short_name", "credit_code", "kind", "kind_display", "region", "region_code",
            "region_name", "supervisor", "supervisor_name", "category", "category_display", "funding_form",
            "funding_form_display", "rank", "rank_display", "reserved_class", "reserved_class_display",
            "must_exist_reason", "must_exist_reason_display", "status", "status_display", "established_on",
            "established_document", "ended_on", "ended_document", "legal_person_state",
            "legal_person_state_display", "leadership_principal", "leadership_deputy", "staff_in_quota",
        )

    def validate_credit_code(self, value: str | None) -> str | None:
        # Stored as NULL when absent, so that "no code" never collides with another "no code".
        value = (value or "").strip()
        return value or None


class InternalDivisionSerializer(RegistrySerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    rank_display = _display("rank")

    class Meta(RegistrySerializer.Meta):
        model = InternalDivision
        fields = (
            "id", "institution", "institution_name", "region_code", "name", "rank", "rank_display", "quota_count",
            "leadership_principal", "leadership_deputy",
        )


class PlaqueSerializer(RegistrySerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)

    class Meta(RegistrySerializer.Meta):
        model = Plaque
        fields = (
            "id", "institution", "institution_name", "region_code", "name", "started_on", "ended_on", "document",
            "document_number",
        )


class ApprovalDocumentSerializer(RegistrySerializer):
    """``number`` may be written as text (哈编发〔2020〕12号) instead of office code, year and serial; it wins."""

    number = serializers.CharField(max_length=60, required=False)
    kind_display = _display("kind")
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True)

    class Meta(RegistrySerializer.Meta):
        model = ApprovalDocument
        fields = (
            "id", "number", "office_code", "year", "serial", "region", "region_code", "issuer", "kind", "kind_display",
            "title", "date_issued", "date_effective", "file",
        )
        extra_kwargs = {name: {"required": False} for name in (*NUMBER_PARTS, "region")}

    def validate_number(self, value: str) -> tuple[str, int, int]:
        """The typed number as (office code, year, serial); checked with the other fields, not after them."""
        parsed = ApprovalDocument()
        try:
            parsed.set_number_from(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["number"]) from exc
        return parsed.office_code, parsed.year, parsed.serial

    def validate(self, attrs):
        typed = attrs.pop("number", None)
        if typed is not None:
            attrs.update(zip(NUMBER_PARTS, typed, strict=True))
        elif self.instance is None:
            missing = [name for name in NUMBER_PARTS if attrs.get(name) in (None, "")]
            if missing:
                required = serializers.Field.default_error_messages["required"]
                raise serializers.ValidationError({name: [required] for name in missing})
        try:
            return super().validate(attrs)
        except serializers.ValidationError as exc:
            if typed is None or not isinstance(exc.detail, dict):
                raise
            # A duplicate number, or a year unlike the issue date, is about the number the client sent.
            detail = dict(exc.detail)
            moved = [message for name in NUMBER_PARTS for message in detail.pop(name, [])]
            if moved:
                detail["number"] = moved
            raise serializers.ValidationError(detail) from exc
