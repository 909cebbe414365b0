"""Serializers of the reconciliation API: rows with their figures and direction, direction notices."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from institutions.models import ApprovalDocument, Institution
from reconciliation.choices import DirectionCode
from reconciliation.models import PositionDirectionNotice
from reconciliation.texts import figures_sentence


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
    """One unit side by side (``reconciliation.selectors.ReconciliationRow``)."""

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
    institution_name = serializers.CharField(source="institution.name", read_only=True, allow_null=True)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    batch_number = serializers.CharField(source="batch.number", read_only=True, allow_null=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
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
