"""Ledger API shapes: accounts (read), transfers (read), a move to post (write)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.constraints import TEXT_LIMIT
from institutions.models import ApprovalDocument
from quotas.choices import TransferKind
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType


class QuotaTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_code_display", read_only=True)

    class Meta:
        model = QuotaType
        fields = ["id", "code", "name"]


class QuotaAccountSerializer(serializers.ModelSerializer):
    holder_kind_display = serializers.CharField(source="get_holder_kind_display", read_only=True)
    holder_name = serializers.CharField(read_only=True)
    quota_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    institution_credit_code = serializers.CharField(source="institution.credit_code", read_only=True, allow_null=True)
    balance_on = serializers.IntegerField(read_only=True, allow_null=True, default=None,
                                          help_text=_("Balance at the end of ?on="))

    class Meta:
        model = QuotaAccount
        fields = [
            "id", "holder_kind", "holder_kind_display", "holder_name", "region", "region_code", "institution",
            "institution_credit_code", "sector", "quota_type", "balance", "balance_on", "is_active",
        ]


class QuotaTransferSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    source_name = serializers.CharField(source="source.holder_name", read_only=True)
    target_name = serializers.CharField(source="target.holder_name", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = QuotaTransfer
        fields = [
            "id", "kind", "kind_display", "source", "source_name", "target", "target_name", "amount", "document",
            "document_number", "effective_date", "note", "created_by", "created_at", "reverses",
        ]
        read_only_fields = fields


# More quotas than a province holds: a typing error, refused before it reaches the ledger's integer columns.
MAX_MOVE = 1_000_000


class QuotaMoveSerializer(serializers.Serializer):
    """Input of ``POST /quota-transfers/``; the service decides whether the move is allowed."""

    kind = serializers.ChoiceField(choices=[c for c in TransferKind.choices if c[0] != TransferKind.REVERSAL])
    source = serializers.PrimaryKeyRelatedField(queryset=QuotaAccount.objects.all(), required=False, allow_null=True,
                                                default=None)
    target = serializers.PrimaryKeyRelatedField(queryset=QuotaAccount.objects.all(), required=False, allow_null=True,
                                                default=None)
    amount = serializers.IntegerField(min_value=1, max_value=MAX_MOVE, error_messages={
        "min_value": _("The amount must be a positive whole number."),
        "invalid": _("The amount must be a positive whole number."),
        "max_value": _("No move of quotas exceeds %(limit)d.") % {"limit": MAX_MOVE},
    })
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), error_messages={
        "required": _("Every move of quotas needs its approval document."),
        "null": _("Every move of quotas needs its approval document."),
    })
    effective_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMIT)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:  # only accounts the user may see can be named
            self.fields["source"].queryset = accounts
            self.fields["target"].queryset = accounts


class ReversalSerializer(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all())
    effective_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMIT)
