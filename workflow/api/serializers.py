"""API shapes of the city/district workflow: requests (with their lines and events), movements, loans, offers."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from accounts.scoping import scope_queryset
from core.api.serializers import WholeItemMixin
from core.constraints import TEXT_LIMIT
from institutions.models import ApprovalDocument, Institution
from positions.choices import PostCategory
from positions.rules import BANDS, CATEGORIES
from quotas.choices import HolderKind, QuotaTypeCode
from quotas.models import QuotaAccount, QuotaType
from workflow.models import (
    HiringPlan,
    HiringPlanLine,
    LoanCase,
    LoanReturn,
    LoanReturnOffer,
    QuotaUseNotice,
    RequestEvent,
    StaffMovement,
    TurnoverLoan,
)
from workflow.models.hiring import ENTRY_REASONS, EXIT_REASONS
from workflow.models.requests import RequestState


# Typed as text in the schema: spectacular names enums by field name, and ``status`` and ``category`` name the
# registry's choice sets already (a second set under one name is a schema warning, and the settings' overrides are
# not this module's to change).
@extend_schema_field(OpenApiTypes.STR)
class RequestStateField(serializers.CharField):
    """A request's state: draft, submitted, approved, rejected, executed, withdrawn or expired."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", ", ".join(RequestState.values))
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PostCategoryField(serializers.ChoiceField):
    """A post category: professional, management or worker."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", ", ".join(PostCategory.values))
        super().__init__(choices=[(value, value) for value in CATEGORIES], **kwargs)


class RequestEventSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    from_state = RequestStateField(read_only=True)
    to_state = RequestStateField(read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)

    class Meta:
        model = RequestEvent
        fields = ["id", "action", "from_state", "to_state", "by", "at", "reason", "document", "document_number"]
        read_only_fields = fields


class ScopedUnitMixin(ScopedRelatedFieldsMixin):
    """The unit is chosen among the units the requesting user sees (another region's unit: "not a valid choice")."""

    scoped_fields = ("institution",)


REQUEST_FIELDS = ["status", "actions", "created_by", "created_at", "submitted_at", "decided_at", "decided_by",
                  "decision_note", "document", "document_number", "events"]


class RequestFieldsMixin(serializers.Serializer):
    status = RequestStateField(read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    events = RequestEventSerializer(many=True, read_only=True)


class QuotaTypeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=QuotaType.objects.all(), **kwargs)


class HiringPlanLineSerializer(WholeItemMixin, serializers.ModelSerializer):
    quota_type = QuotaTypeField(help_text=_("institutional, administrative, political_legal or worker"))
    category = PostCategoryField()

    class Meta:
        model = HiringPlanLine
        fields = ["quota_type", "category", "count"]


class HiringPlanSerializer(ScopedUnitMixin, RequestFieldsMixin, serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    lines = HiringPlanLineSerializer(many=True)
    planned_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = HiringPlan
        fields = ["id", "institution", "institution_name", "region_code", "year", "expected_leavers", "lines",
                  "planned_total", "supervisor_opinion", "note", *REQUEST_FIELDS]
        read_only_fields = REQUEST_FIELDS

    def validate_institution(self, institution: Institution) -> Institution:
        if self.instance is not None and institution.pk != self.instance.institution_id:
            raise serializers.ValidationError(_("A request stays with its unit; file a new one."))
        return institution


class QuotaUseNoticeSerializer(ScopedUnitMixin, RequestFieldsMixin, serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    quota_type = QuotaTypeField()
    category = PostCategoryField()
    hiring_plan = serializers.PrimaryKeyRelatedField(queryset=HiringPlan.objects.all(), required=False,
                                                     allow_null=True)
    remaining = serializers.IntegerField(read_only=True, help_text=_("Quotas the notice still reserves."))

    class Meta:
        model = QuotaUseNotice
        fields = ["id", "institution", "institution_name", "region_code", "hiring_plan", "quota_type", "category",
                  "count", "taken_up", "remaining", "number", "issued_on", "valid_until", "supervisor_opinion",
                  "note", *REQUEST_FIELDS]
        read_only_fields = ["taken_up", "number", "issued_on", "valid_until", *REQUEST_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["hiring_plan"].queryset = scope_queryset(HiringPlan.objects.all(), request.user)

    def validate_institution(self, institution: Institution) -> Institution:
        if self.instance is not None and institution.pk != self.instance.institution_id:
            raise serializers.ValidationError(_("A request stays with its unit; file a new one."))
        return institution


class ReturnPlanItemSerializer(WholeItemMixin, serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField(min_value=1)


class LoanReturnSerializer(serializers.ModelSerializer):
    transfer_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = LoanReturn
        fields = ["id", "kind", "count", "date", "transfer_id"]
        read_only_fields = fields


class TurnoverLoanSerializer(ScopedUnitMixin, RequestFieldsMixin, serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    pool = serializers.PrimaryKeyRelatedField(
        queryset=QuotaAccount.objects.filter(holder_kind=HolderKind.TURNOVER_POOL),
        help_text=_("A turnover-pool account of the unit's region or of the city."),
    )
    pool_name = serializers.CharField(source="pool.holder_name", read_only=True)
    quota_type = serializers.CharField(source="pool.quota_type.code", read_only=True)
    case = serializers.SlugRelatedField(slug_field="code", queryset=LoanCase.objects.filter(is_active=True))
    return_plan = ReturnPlanItemSerializer(many=True)
    outstanding = serializers.IntegerField(read_only=True)
    return_state = serializers.CharField(read_only=True)
    returns = LoanReturnSerializer(many=True, read_only=True)

    class Meta:
        model = TurnoverLoan
        fields = ["id", "institution", "institution_name", "region_code", "pool", "pool_name", "quota_type",
                  "count", "talent_category", "case", "term_months", "return_plan", "justification", "start_date",
                  "due_date", "returned", "outstanding", "return_state", "is_overdue", "overdue_flagged_on",
                  "returns", *REQUEST_FIELDS]
        read_only_fields = ["start_date", "due_date", "returned", "is_overdue", "overdue_flagged_on",
                            *REQUEST_FIELDS]

    def validate_institution(self, institution: Institution) -> Institution:
        if self.instance is not None and institution.pk != self.instance.institution_id:
            raise serializers.ValidationError(_("A request stays with its unit; file a new one."))
        return institution

    def validate_return_plan(self, items):
        return [{"date": item["date"].isoformat(), "count": item["count"]} for item in items]


class DecisionSerializer(serializers.Serializer):
    """Input of the workflow actions: the decision's document, a reason or review, a date."""

    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), required=False,
                                                  allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMIT)
    date = serializers.DateField(required=False, allow_null=True,
                                 help_text=_("Date of the decision or move (default: today)."))


class ReturnSerializer(DecisionSerializer):
    count = serializers.IntegerField(min_value=1)


class StaffMovementSerializer(ScopedUnitMixin, serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    notice = serializers.PrimaryKeyRelatedField(queryset=QuotaUseNotice.objects.all(), required=False,
                                                allow_null=True)
    notice_number = serializers.CharField(source="notice.number", read_only=True, allow_null=True)
    category = PostCategoryField(required=False)
    band = serializers.ChoiceField(choices=[("", "—"), *((b, b) for b in BANDS)], required=False, allow_blank=True)
    reason = serializers.ChoiceField(choices=[(r.value, r.label) for r in (*ENTRY_REASONS, *EXIT_REASONS)])
    date = serializers.DateField(required=False)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = StaffMovement
        fields = ["id", "kind", "institution", "institution_name", "region_code", "notice", "notice_number",
                  "reason", "category", "band", "count", "date", "person_name", "note", "staff_count",
                  "created_by", "created_at"]
        read_only_fields = ["staff_count", "created_by", "created_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["notice"].queryset = scope_queryset(QuotaUseNotice.objects.all(), request.user)

    def validate(self, attrs):
        if attrs.get("kind") == "entry":
            if not attrs.get("notice"):
                raise serializers.ValidationError({"notice": [_("An entry onto the quota needs its quota-use "
                                                                "notice.")]})
        else:
            missing = {name: [_("This field is required.")] for name in ("institution", "category")
                       if not attrs.get(name)}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class LoanReturnOfferSerializer(serializers.ModelSerializer):
    institution = serializers.IntegerField(source="loan.institution_id", read_only=True)
    institution_name = serializers.CharField(source="loan.institution.name", read_only=True)
    exit_reason = serializers.CharField(source="movement.reason", read_only=True)
    exit_date = serializers.DateField(source="movement.date", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = LoanReturnOffer
        fields = ["id", "loan", "institution", "institution_name", "movement", "exit_reason", "exit_date", "count",
                  "state", "decided_by", "decided_at", "reason", "loan_return", "created_at"]
        read_only_fields = fields


class HoldingSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    institution_name = serializers.CharField()
    region_code = serializers.CharField()
    quota_type = serializers.ChoiceField(choices=QuotaTypeCode.choices)
    balance = serializers.IntegerField(help_text=_("Quotas the unit holds (its ledger balance)."))
    borrowed = serializers.IntegerField(help_text=_("Of which borrowed from a turnover pool and not yet returned."))
    own = serializers.IntegerField(help_text=_("Of which its own: balance less borrowed."))


class MonthlyChangeSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    institution_name = serializers.CharField()
    credit_code = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    funding_form = serializers.CharField()
    entries = serializers.IntegerField()
    exits = serializers.IntegerField()
    exits_by_reason = serializers.DictField(child=serializers.IntegerField())
    net = serializers.IntegerField()
