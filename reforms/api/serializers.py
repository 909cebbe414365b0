"""API shapes of reform plans: the plan (with its operations and its request history), an operation (with its merged
units and its staff placements), the decisions' input and the preview.

No rules here: the services decide (``reforms.services``). Related rows are chosen among those the requesting user
sees (another region's unit is "does not exist"); a plan's region is any region, so that a district office naming
another region is refused by the service (403), not told the region does not exist.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import WholeItemMixin
from core.constraints import TEXT_LIMIT
from institutions.models import ApprovalDocument, Institution, Region
from positions.rules import BANDS
from quotas.models import QuotaType
from reforms.models import (
    PLACEMENT_FIELDS,
    SPLIT_PART_FIELDS,
    ReformOperation,
    ReformPlan,
    SplitPart,
    StaffPlacement,
)
from workflow.api.serializers import PostCategoryField, RequestEventSerializer, RequestStateField


@extend_schema_field(OpenApiTypes.STR)
class TextChoiceField(serializers.ChoiceField):
    """A choice typed as text in the schema: spectacular names enums by field name, and ``kind``, ``category`` and
    ``funding_form`` name the registry's choice sets already (a second set under one name is a schema warning)."""

    def __init__(self, choices, **kwargs) -> None:
        kwargs.setdefault("help_text", ", ".join(str(value) for value, _label in choices if value))
        super().__init__(choices=choices, **kwargs)


class StaffPlacementSerializer(WholeItemMixin, ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """Where staff of the unit an operation ends or forms go: a receiving unit, or off the quota (empty)."""

    from_institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                          allow_null=True)
    to_institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                        allow_null=True)
    to_institution_name = serializers.CharField(source="to_institution.name", read_only=True, allow_null=True)
    category = PostCategoryField()
    band = TextChoiceField(choices=[("", "—"), *((band, band) for band in BANDS)], required=False,
                           allow_blank=True)

    class Meta:
        model = StaffPlacement
        fields = ["id", *PLACEMENT_FIELDS, "to_institution_name"]
        read_only_fields = ["id"]


class SplitPartSerializer(WholeItemMixin, serializers.ModelSerializer):
    """A unit a split forms: its quotas and the staff who go with it, by category and band."""

    class Meta:
        model = SplitPart
        fields = ["id", *SPLIT_PART_FIELDS]
        read_only_fields = ["id"]

    def validate(self, attrs):
        bands = sum(attrs.get(name, 0) for name in ("senior_full", "senior_deputy", "intermediate", "junior"))
        if bands != attrs.get("professional", 0):
            raise serializers.ValidationError({"professional": _("The bands add up to the professional-technical "
                                                                 "staff.")})
        return attrs


class ReformOperationSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """One operation of a plan; ``sources`` (a merger's units) and ``placements`` are replaced when given."""

    plan = serializers.PrimaryKeyRelatedField(queryset=ReformPlan.objects.all())
    kind = TextChoiceField(choices=ReformOperation._meta.get_field("kind").choices)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                     allow_null=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True, allow_null=True)
    sources = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), many=True, required=False)
    quota_type = serializers.SlugRelatedField(
        slug_field="code", queryset=QuotaType.objects.all(), required=False, allow_null=True,
        help_text=_("institutional, administrative, political_legal or worker; empty: institutional"))
    new_region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)
    new_supervisor = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                        allow_null=True)
    new_category = TextChoiceField(choices=ReformOperation._meta.get_field("new_category").choices,
                                   required=False, allow_blank=True)
    new_funding_form = TextChoiceField(choices=ReformOperation._meta.get_field("new_funding_form").choices,
                                       required=False, allow_blank=True)
    placements = StaffPlacementSerializer(many=True, required=False)
    parts = SplitPartSerializer(many=True, required=False)

    class Meta:
        model = ReformOperation
        fields = ["id", "plan", "position", "kind", "institution", "institution_name", "sources", "quota_type",
                  "approved_total", "surplus", "market_path", "new_name", "new_region", "new_supervisor",
                  "new_category", "new_funding_form", "must_exist_reason", "keep_names_as_plaques", "plaque_name",
                  "reason", "placements", "parts", "created_unit", "result"]
        read_only_fields = ["created_unit", "result"]

    def validate_plan(self, plan: ReformPlan) -> ReformPlan:
        if self.instance is not None and plan.pk != self.instance.plan_id:
            raise serializers.ValidationError(_("An operation stays with its plan; add a new one to the other."))
        return plan


class ReformPlanSerializer(serializers.ModelSerializer):
    """A plan with its operations (read-only here: change them at ``reform-operations``) and its history."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status = RequestStateField(read_only=True)
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    operations = ReformOperationSerializer(many=True, read_only=True)
    events = RequestEventSerializer(many=True, read_only=True)

    class Meta:
        model = ReformPlan
        request_fields = ["status", "actions", "created_by", "created_at", "submitted_at", "decided_at",
                          "decided_by", "decision_note", "document", "document_number", "executed_at"]
        fields = ["id", "title", "region", "region_code", "region_name", "effective_date", "description",
                  "operations", *request_fields, "events"]
        read_only_fields = request_fields

    def validate_region(self, region: Region) -> Region:
        if self.instance is not None and region.pk != self.instance.region_id:
            raise serializers.ValidationError(_("A plan stays in its region; draft a new one for the other."))
        return region


class ApproveSerializer(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(),
                                                  help_text=_("The approval document of the plan."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMIT,
                                 help_text=_("The city office's review."))


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_LIMIT, help_text=_("Why the plan is rejected."))
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), required=False,
                                                  allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMIT)


class PreviewProblemSerializer(serializers.Serializer):
    operation = serializers.IntegerField(help_text=_("The operation's order in the plan (0: the plan itself)."))
    unit = serializers.CharField()
    message = serializers.CharField()


class PreviewUnitSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField(allow_null=True, help_text=_("Empty: a unit the plan forms."))
    key = serializers.CharField()
    before = serializers.JSONField(allow_null=True, help_text=_("Name, region, status, quotas held and borrowed by "
                                                                "type, staff, divisions, plaques; empty when new."))
    after = serializers.JSONField()


class _PreviewRegionFields(serializers.Serializer):
    region_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PreviewRegionSerializer(_PreviewRegionFields):
    institutions_before = serializers.IntegerField()
    institutions_after = serializers.IntegerField()
    quotas_before = serializers.IntegerField()
    quotas_after = serializers.IntegerField()
    cap = serializers.IntegerField(allow_null=True, help_text=_("The region's institution cap (机构限额); null: none."))


class PreviewRegionChangeSerializer(_PreviewRegionFields):
    institutions_change = serializers.IntegerField()
    quotas_change = serializers.IntegerField()


class PreviewOperationSerializer(serializers.Serializer):
    """One operation on the figures the operations before it leave: the units it changes, before and after it."""

    position = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    units = PreviewUnitSerializer(many=True)
    regions = PreviewRegionChangeSerializer(many=True)
    problems = PreviewProblemSerializer(many=True)
    notes = PreviewProblemSerializer(many=True)


class PreviewSerializer(serializers.Serializer):
    """What the plan would do on its date, nothing written: each unit and region before and after, the problems."""

    plan = serializers.IntegerField()
    effective_date = serializers.DateField()
    problems = PreviewProblemSerializer(many=True)
    notes = PreviewProblemSerializer(many=True, help_text=_(
        "What else the plan does, not a problem: the issued quota-use notices of ending units it closes."))
    units = PreviewUnitSerializer(many=True)
    regions = PreviewRegionSerializer(many=True)
    operations = PreviewOperationSerializer(many=True, help_text=_(
        "Each operation in order, on the figures the ones before it leave: what it changes."))
