"""Positions API shapes: plans and staff counts (validated like the admin), reconciliation rows, notices."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import ValidatedModelSerializer
from institutions.models import ApprovalDocument, Institution
from positions.choices import MainPostType
from positions.models import ImportJob, PositionPlan, PositionRule, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.rules import BANDS
from positions.texts import finding_message


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    figure = serializers.CharField()
    limit = serializers.CharField()
    binding = serializers.BooleanField()
    comparison = serializers.CharField()
    kind = serializers.CharField()
    field = serializers.CharField()
    message = serializers.SerializerMethodField()

    def get_message(self, finding: dict) -> str:
        return finding_message(finding)


class UnitFieldMixin(ScopedRelatedFieldsMixin):
    """The unit of a plan or staff count: chosen among the units the user sees, and fixed once saved."""

    scoped_fields = ("institution",)

    def validate_institution(self, institution: Institution) -> Institution:
        if self.instance is not None and institution.pk != self.instance.institution_id:
            raise serializers.ValidationError(_("A plan or staff count stays with its unit; enter a new one."))
        return institution


class PositionPlanSerializer(UnitFieldMixin, ValidatedModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all())
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    rule_set_name = serializers.CharField(source="rule_set.name", read_only=True, allow_null=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    findings = FindingSerializer(many=True, read_only=True)
    bands = serializers.SerializerMethodField()

    class Meta:
        model = PositionPlan
        fields = [
            "id", "institution", "institution_name", "region_code", "version", "effective_date", "document",
            "document_number", "main_post_type", "rule_set", "rule_set_name", *PLAN_COUNT_FIELDS, "bands",
            "findings", "note", "entered_by", "created_at", "updated_at",
        ]
        read_only_fields = ["version", "entered_by", "created_at", "updated_at"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_bands(self, plan: PositionPlan) -> dict[str, int]:
        """Professional-technical posts by band: 正高 1–4, 副高 5–7, 中级 8–10, 初级 11–13."""
        return {band: plan.band(band) for band in BANDS}


class StaffCountSerializer(UnitFieldMixin, ValidatedModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = StaffCount
        fields = [
            "id", "institution", "institution_name", "region_code", "as_of", *STAFF_COUNT_FIELDS, "total", "note",
            "entered_by", "created_at", "updated_at",
        ]
        read_only_fields = ["total", "entered_by", "created_at", "updated_at"]


@extend_schema_field(OpenApiTypes.STR)
class AppliesToField(serializers.ChoiceField):
    """A main post type or "" (every plan); typed as text in the schema, so that the choices keep the one enum
    name ``MainPostTypeEnum`` (two names for one choice set is a schema warning)."""


class PositionRuleSerializer(serializers.ModelSerializer):
    code_display = serializers.CharField(source="get_code_display", read_only=True)
    applies_to = AppliesToField(choices=[("", "—"), *MainPostType.choices], read_only=True,
                                help_text=_("professional_service, administrative, support, or empty: every plan."))

    class Meta:
        model = PositionRule
        fields = ["id", "code", "code_display", "applies_to", "threshold", "is_binding", "note"]


class PositionRuleSetSerializer(serializers.ModelSerializer):
    rules = PositionRuleSerializer(many=True, read_only=True)
    ratio = serializers.CharField(source="ratio_text", read_only=True)

    class Meta:
        model = PositionRuleSet
        fields = [
            "id", "name", "level", "source", "ratio", "ratio_senior", "ratio_intermediate", "ratio_junior",
            "ratio_tolerance", "is_default", "note", "rules",
        ]
















class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx file with the columns of the admin's export."))
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportJobSerializer(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "rows", "status", "result", "created_at", "finished_at", "status_url"]
        read_only_fields = fields

    def get_status_url(self, job: ImportJob) -> str:
        return f"/api/v1/import-jobs/{job.pk}/"
