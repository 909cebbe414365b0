"""Serializers of the finance API: each unit's finance view (computed, read-only) and the payroll checks.

The payroll's input serializers describe the request for the schema; the service checks every line itself, so
that a bad line is reported with its stable code whatever is wrong with it (``finance.payroll``).
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import WholeItemMixin
from finance.models import PayrollCheck, PayrollUnit
from finance.selectors import FinanceUnitRow, paid_by_category
from positions.choices import PostCategory
from quotas.choices import QuotaTypeCode
from workflow.vacancy import recruiting_refusal


class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


# --- the finance view of each unit --------------------------------------------------------------------------------
class QuotaFiguresSerializer(serializers.Serializer):
    """One quota type's figures of a unit (``workflow.quota_position.QuotaPosition``)."""

    own = serializers.IntegerField(help_text=_("Own approved quotas (核定编制): held less borrowed."))
    borrowed = serializers.IntegerField(help_text=_("On loan from a turnover pool, not yet returned."))
    held = serializers.IntegerField(help_text=_("The balance of the unit's ledger account: own and borrowed."))
    reserved = serializers.IntegerField(
        help_text=_("Reserved by issued quota-use notices not yet taken up (已核准未入编)."))
    usable_vacancy = serializers.IntegerField(
        source="usable", help_text=_("可用空编: held − staff in quota − reserved; negative when over quota."))
    over_quota = serializers.IntegerField(help_text=_("超编: staff in quota − held, when positive."))


QuotasByTypeSerializer = type("QuotasByTypeSerializer", (serializers.Serializer,), {
    code: QuotaFiguresSerializer(source=f"positions.{code}", label=label) for code, label in QuotaTypeCode.choices
})


class QuotaTotalsSerializer(serializers.Serializer):
    own = serializers.IntegerField()
    borrowed = serializers.IntegerField()
    held = serializers.IntegerField()


class StaffSerializer(serializers.Serializer):
    """Staff in quota on the day: the latest staff count by then, or the registry's figure without one."""

    total = serializers.IntegerField(source="staff_total")
    professional = serializers.SerializerMethodField()
    management = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="staff_count_as_of", allow_null=True,
                                  help_text=_("The staff count's date; null: no staff count, the registry's figure."))

    def _category(self, figures, category: str) -> int | None:
        by_category = figures.staff_by_category
        return None if by_category is None else by_category[category]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_professional(self, figures) -> int | None:
        return self._category(figures, "professional")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_management(self, figures) -> int | None:
        return self._category(figures, "management")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_worker(self, figures) -> int | None:
        return self._category(figures, "worker")


class FinanceUnitSerializer(serializers.Serializer):
    """One unit as the finance bureau sees it on ``date``."""

    id = serializers.IntegerField(source="institution.pk")
    credit_code = serializers.CharField(source="institution.credit_code", allow_null=True)
    name = serializers.CharField(source="institution.name")
    kind = serializers.CharField(source="institution.kind")
    region = RegionRefSerializer(source="institution.region")
    funding_form = serializers.CharField(source="institution.funding_form")
    funding_form_display = serializers.CharField(source="institution.get_funding_form_display")
    status = serializers.CharField(source="institution.status")
    status_display = serializers.CharField(source="institution.get_status_display")
    category = serializers.CharField(source="institution.category")
    category_display = serializers.CharField(source="institution.get_category_display")
    date = serializers.DateField(source="day", help_text=_("The day the figures are for."))
    quotas = QuotasByTypeSerializer(source="figures", help_text=_("Each quota type's figures."))
    quota_totals = QuotaTotalsSerializer(source="figures", help_text=_("Every quota type together."))
    staff_in_quota = StaffSerializer(source="figures")
    is_quota_frozen = serializers.SerializerMethodField(
        help_text=_("A commercial-category unit: its quotas are under controlled use and cancelled as its staff "
                    "leave; it recruits no one into the quota."))

    def get_is_quota_frozen(self, row: FinanceUnitRow) -> bool:
        return recruiting_refusal(row.institution) is not None


# --- the payroll check ----------------------------------------------------------------------------------------
class PayrollLineInputSerializer(WholeItemMixin, serializers.Serializer):
    credit_code = serializers.CharField(help_text=_("The unit's unified social credit code."))
    category = serializers.ChoiceField(choices=PostCategory.choices)
    paid = serializers.IntegerField(min_value=0, help_text=_("People paid in quota in the month."))


class PayrollCheckInputSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM: the current month or an earlier one."))
    lines = PayrollLineInputSerializer(many=True)


class PayrollImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx file: columns credit_code, category, paid."))
    month = serializers.CharField(help_text=_("YYYY-MM"))


class CategoryCountsSerializer(serializers.Serializer):
    professional = serializers.IntegerField()
    management = serializers.IntegerField()
    worker = serializers.IntegerField()


class PayrollCheckSerializer(serializers.ModelSerializer):
    """A check and the sums of the units the reader sees."""

    month = serializers.DateField(format="%Y-%m")
    created_by = serializers.CharField(source="created_by.get_username")
    is_latest = serializers.SerializerMethodField(help_text=_("The month's latest version."))
    unit_count = serializers.IntegerField()
    flagged_count = serializers.IntegerField()
    over_quota_count = serializers.IntegerField()
    over_staff_count = serializers.IntegerField()
    paid_total = serializers.IntegerField(source="paid_sum")

    class Meta:
        model = PayrollCheck
        fields = ["id", "month", "version", "is_latest", "as_of", "source", "created_by", "created_at", "unit_count",
                  "flagged_count", "over_quota_count", "over_staff_count", "paid_total"]
        read_only_fields = fields

    def get_is_latest(self, check: PayrollCheck) -> bool:
        return check.version == check.latest_version


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    credit_code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    region = RegionRefSerializer()


class PayrollStaffSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="staff_total")
    professional = serializers.IntegerField(source="staff_professional", allow_null=True)
    management = serializers.IntegerField(source="staff_management", allow_null=True)
    worker = serializers.IntegerField(source="staff_worker", allow_null=True)
    as_of = serializers.DateField(source="staff_count_as_of", allow_null=True)


class PayrollQuotasSerializer(serializers.Serializer):
    own = serializers.IntegerField(source="quotas_own")
    borrowed = serializers.IntegerField(source="quotas_borrowed")
    held = serializers.IntegerField(source="quotas_held")


class PayrollUnitSerializer(serializers.ModelSerializer):
    """One unit's stored answer."""

    institution = InstitutionRefSerializer()
    paid = serializers.SerializerMethodField()
    staff_in_quota = PayrollStaffSerializer(source="*")
    quotas = PayrollQuotasSerializer(source="*")

    class Meta:
        model = PayrollUnit
        fields = ["institution", "paid", "paid_total", "staff_in_quota", "quotas", "is_over_quota", "is_over_staff",
                  "over_quota_by", "over_staff_by"]
        read_only_fields = fields

    @extend_schema_field(CategoryCountsSerializer)
    def get_paid(self, unit: PayrollUnit) -> dict[str, int]:
        return paid_by_category(unit)


class PayrollTotalsSerializer(serializers.Serializer):
    units = serializers.IntegerField()
    paid = CategoryCountsSerializer()
    paid_total = serializers.IntegerField()
    staff_total = serializers.IntegerField()
    quotas_own = serializers.IntegerField()
    quotas_borrowed = serializers.IntegerField()
    quotas_held = serializers.IntegerField()
    over_quota = serializers.IntegerField()
    over_staff = serializers.IntegerField()


class PayrollCheckDetailSerializer(PayrollCheckSerializer):
    """A check's stored answer: the check, each unit the reader sees (flagged first) and their totals. The view
    sets ``answer`` (``finance.selectors.payroll_answer``) on the check."""

    units = PayrollUnitSerializer(many=True, source="answer.units")
    totals = PayrollTotalsSerializer(source="answer.totals")

    class Meta(PayrollCheckSerializer.Meta):
        fields = [*PayrollCheckSerializer.Meta.fields, "units", "totals"]
        read_only_fields = fields
