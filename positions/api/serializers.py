"""Positions API shapes: plans and staff counts (validated like the admin), reconciliation rows, notices."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer
from institutions.models import ApprovalDocument, Institution
from positions.choices import DirectionCode, MainPostType
from positions.models import PositionDirectionNotice, PositionPlan, PositionRule, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.rules import BANDS
from positions.texts import figures_sentence, finding_message


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


class UnitFieldMixin:
    """The unit of a plan or staff count: chosen among the units the user sees, and fixed once saved."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "institution" in self.fields:
            from core.scoping import scope_queryset

            self.fields["institution"].queryset = scope_queryset(Institution.objects.all(), request.user)

    def validate_institution(self, institution: Institution) -> Institution:
        if self.instance is not None and institution.pk != self.instance.institution_id:
            raise serializers.ValidationError(_("A plan or staff count stays with its unit; enter a new one."))
        return institution


class PositionPlanSerializer(UnitFieldMixin, ValidatedModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all())
    document_number = serializers.CharField(source="document.number", read_only=True)
    rule_set_name = serializers.CharField(source="rule_set.name", read_only=True, default=None)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
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
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

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


class CategoryFiguresSerializer(serializers.Serializer):
    professional = serializers.IntegerField()
    management = serializers.IntegerField()
    worker = serializers.IntegerField()


class BandFiguresSerializer(CategoryFiguresSerializer):
    senior_full = serializers.IntegerField()
    senior_deputy = serializers.IntegerField()
    intermediate = serializers.IntegerField()
    junior = serializers.IntegerField()


class PostFiguresSerializer(BandFiguresSerializer):
    total = serializers.IntegerField()
    special = serializers.IntegerField()


class DirectionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=DirectionCode.choices)
    allocation = serializers.SerializerMethodField()
    unmatched = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_allocation(self, direction) -> dict[str, int]:
        """Vacant quotas to use per post category, in priority order."""
        return dict(direction.allocation)


class ReconciliationRowSerializer(serializers.Serializer):
    """One unit side by side (``positions.selectors.ReconciliationRow``)."""

    institution_id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    region_id = serializers.IntegerField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    supervisor_id = serializers.IntegerField(allow_null=True)
    supervisor_name = serializers.CharField()
    approved = serializers.IntegerField(help_text=_("The unit's own approved quotas (the ledger, less quotas "
                                                    "borrowed from the turnover pool)."))
    borrowed = serializers.IntegerField(help_text=_("Quotas borrowed from the turnover pool and not yet returned."))
    held = serializers.IntegerField(help_text=_("Quotas the unit holds: own and borrowed."))
    reserved = serializers.IntegerField(source="reserved_total",
                                        help_text=_("Quotas reserved by issued quota-use notices not yet taken up."))
    reserved_by_category = CategoryFiguresSerializer(source="reserved")
    plan_id = serializers.IntegerField(allow_null=True)
    plan_version = serializers.IntegerField(allow_null=True)
    plan_effective_date = serializers.DateField(allow_null=True)
    posts = PostFiguresSerializer(allow_null=True)
    staff_count_id = serializers.IntegerField(allow_null=True)
    staff_as_of = serializers.DateField(allow_null=True)
    staff_total = serializers.IntegerField()
    staff = BandFiguresSerializer(allow_null=True)
    vacant = serializers.IntegerField(help_text=_("Usable vacancy: quotas held − staff in quota − reserved (never "
                                                  "below 0)."))
    over_quota = serializers.IntegerField()
    over_position = CategoryFiguresSerializer()
    short = CategoryFiguresSerializer(help_text=_("Posts lacking staff, per category."))
    stale_age = serializers.BooleanField()
    stale_total = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())
    direction = DirectionSerializer()
    sentence = serializers.CharField()


class PositionNoticeSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True, default=None)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, default=None)
    document_number = serializers.CharField(source="document.number", read_only=True)
    batch_number = serializers.CharField(source="batch.number", read_only=True, default=None)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = PositionDirectionNotice
        fields = [
            "id", "kind", "number", "institution", "institution_name", "supervisor", "supervisor_name", "batch",
            "batch_number", "issued_on", "reconciled_on", "document", "document_number", "figures", "sentence",
            "issued_by", "created_at",
        ]
        read_only_fields = fields

    def get_sentence(self, notice: PositionDirectionNotice) -> str | None:
        """The unit's direction in the reader's language (None for a department notice)."""
        if "direction" not in notice.figures:
            return None
        return figures_sentence(notice.figures)


class NoticeIssueSerializer(serializers.Serializer):
    """Input of ``POST /position-notices/``: a unit, or a supervising department (its units get a notice each)."""

    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                     allow_null=True)
    supervisor = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                    allow_null=True)
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), error_messages={
        "required": _("A notice cites its basis document."), "null": _("A notice cites its basis document."),
    })
    issued_on = serializers.DateField(required=False, allow_null=True)
    on = serializers.DateField(required=False, allow_null=True,
                               help_text=_("Date of the figures (default: today's, with stored balances)."))

    def __init__(self, *args, institutions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["institution"].queryset = institutions
            self.fields["supervisor"].queryset = institutions

    def validate(self, attrs):
        if bool(attrs.get("institution")) == bool(attrs.get("supervisor")):
            raise serializers.ValidationError(
                {"institution": [_("Name either a unit or a supervising department.")]}
            )
        return attrs


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx file with the columns of the admin's export."))
    dry_run = serializers.BooleanField(required=False, default=False)
