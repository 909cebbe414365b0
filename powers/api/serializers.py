"""Serializers of the powers API: model validation runs on every write (``ValidatedModelSerializer``), related
rows are chosen among those the requesting user sees; the counts and the import's answers."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import ValidatedModelSerializer
from powers.choices import Disposition, PowerType, ResponsibilityStep
from powers.models import EnforcementPower, PowerItem


def _display(field_name: str) -> serializers.CharField:
    return serializers.CharField(source=f"get_{field_name}_display", read_only=True)


class PowerItemSerializer(ScopedRelatedFieldsMixin, ValidatedModelSerializer):
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    holder_kind = serializers.CharField(source="holder.kind", read_only=True,
                                        help_text=_("From the registry: agency or public_institution."))
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    level = serializers.CharField(read_only=True, help_text=_("city or district, from the holder's region."))
    power_type_display = _display("power_type")
    disposition_display = _display("disposition")
    responsibility_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=ResponsibilityStep.choices), required=False, max_length=7,
        help_text=_("Step codes in order; a penalty item without steps gets the full chain."))
    receiver_name = serializers.CharField(source="receiver.name", read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)

    class Meta:
        model = PowerItem
        fields = ("id", "name", "power_type", "power_type_display", "code", "holder", "holder_name", "holder_kind",
                  "region", "region_code", "region_name", "level", "legal_basis", "article", "responsibility_steps",
                  "accountability", "remarks", "disposition", "disposition_display", "receiver", "receiver_name",
                  "cleanup_reason", "document", "document_number")
        read_only_fields = ("region",)
        validators: list = []  # uniqueness is the model's (full_clean), against the code


class EnforcementPowerSerializer(ScopedRelatedFieldsMixin, ValidatedModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    executing_body_name = serializers.CharField(source="executing_body.name", read_only=True)
    power_type_display = _display("power_type")

    class Meta:
        model = EnforcementPower
        fields = ("id", "name", "power_type", "power_type_display", "district", "district_code", "district_name",
                  "department", "department_name", "executing_body", "executing_body_name", "legal_basis",
                  "article", "code")
        validators: list = []


# --- counts -------------------------------------------------------------------------------------------------------
class ChoiceCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


TypeCountsSerializer = type("PowerTypeCountsSerializer", (serializers.Serializer,), {
    **{value: serializers.IntegerField() for value in PowerType.values}, "__doc__": "Items per type."})
DispositionCountsSerializer = type("DispositionCountsSerializer", (serializers.Serializer,), {
    **{value: serializers.IntegerField() for value in Disposition.values}, "__doc__": "Items per disposition."})


class LevelCountsSerializer(serializers.Serializer):
    city = serializers.IntegerField()
    district = serializers.IntegerField()


class HolderKindCountsSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    public_institution = serializers.IntegerField()


class RegionCountSerializer(serializers.Serializer):
    region_id = serializers.IntegerField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    count = serializers.IntegerField()


class HolderCountSerializer(RegionCountSerializer):
    holder_id = serializers.IntegerField()
    holder_name = serializers.CharField()
    holder_kind = serializers.CharField()
    by_type = TypeCountsSerializer()
    by_disposition = DispositionCountsSerializer()


class PowerItemCountsSerializer(serializers.Serializer):
    """Counts of the items the filters select (and the user sees)."""

    total = serializers.IntegerField()
    by_type = ChoiceCountSerializer(many=True)
    by_disposition = ChoiceCountSerializer(many=True)
    by_level = LevelCountsSerializer()
    by_holder_kind = HolderKindCountsSerializer()
    by_region = RegionCountSerializer(many=True)
    by_holder = HolderCountSerializer(many=True)


class DistrictCountSerializer(serializers.Serializer):
    district_id = serializers.IntegerField()
    district_code = serializers.CharField()
    district_name = serializers.CharField()
    count = serializers.IntegerField()
    by_type = TypeCountsSerializer()


class DepartmentCountSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department_name = serializers.CharField()
    district_id = serializers.IntegerField()
    district_code = serializers.CharField()
    count = serializers.IntegerField()


class EnforcementCountsSerializer(serializers.Serializer):
    """Counts of the items the filters select (and the user sees): per type, per district (× type), per
    department."""

    total = serializers.IntegerField()
    by_type = ChoiceCountSerializer(many=True)
    by_district = DistrictCountSerializer(many=True)
    by_department = DepartmentCountSerializer(many=True)


class EnforcementImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx file with the columns 区县代码, 部门, 执法主体, 事项名称, 类型, "
                                             "依据, 条款, 编码 (the header is row 1)."))


class EnforcementImportedSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    counts = EnforcementCountsSerializer(help_text=_("The counts of the districts the file named, after it."))
