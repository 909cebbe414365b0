"""API shapes of the follow-up: tasks, milestones, unit checklists, annual reports and the progress rows.

No rules here: the services decide (``tracking.services``, the models' ``clean``). Related rows are chosen among
those the requesting user sees (another region's unit or task "does not exist")."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from institutions.models import Institution, Region
from reforms.models import ReformPlan
from tracking.models import AnnualReport, Milestone, ReformTask, RegistrationKind, UnitChecklist
from tracking.models.checklists import DONE_FIELDS


class MilestoneSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """A step of a task, due inside the task's span; ``overdue`` is set by the daily check."""

    task = serializers.PrimaryKeyRelatedField(queryset=ReformTask.objects.all())

    class Meta:
        model = Milestone
        fields = ["id", "task", "title", "due_date", "done_on", "overdue"]
        read_only_fields = ["overdue"]


class ReformTaskSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """A task of one department (an administrative agency) or one district, with its milestones (read-only here:
    change them at ``milestones``)."""

    department = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                    allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    district = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(queryset=ReformPlan.objects.all(), required=False, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = ReformTask
        fields = ["id", "title", "department", "department_name", "district", "district_name", "region",
                  "region_code", "plan", "start_date", "due_date", "description", "milestones"]


class UnitChecklistSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """One unit's checklist: the three handles written, the four in place, its registration (the deadline
    computed from its kind and the date it runs from) and whether it is complete."""

    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(queryset=ReformPlan.objects.all(), required=False, allow_null=True)
    task = serializers.PrimaryKeyRelatedField(queryset=ReformTask.objects.all(), required=False, allow_null=True)
    registration_kind = serializers.ChoiceField(choices=[("", "—"), *RegistrationKind.choices], required=False,
                                                allow_blank=True)
    done_count = serializers.IntegerField(read_only=True)
    items_count = serializers.SerializerMethodField()
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = UnitChecklist
        fields = ["id", "institution", "institution_name", "region", "region_code", "plan", "task",
                  "handles_apply", *DONE_FIELDS[:-1], "registration_kind", "registration_basis",
                  "registration_due", "registration_done_on", "overdue", "note", "done_count", "items_count",
                  "is_complete"]
        read_only_fields = ["registration_due", "overdue"]

    def get_items_count(self, checklist: UnitChecklist) -> int:
        return len(checklist.items())


class AnnualReportSerializer(serializers.ModelSerializer):
    """A unit's annual report on a year (opened by the yearly sweep): due by 31 March of the next year, submitted on
    a date from 1 January of the next year to today (empty: not submitted); ``overdue`` is set by the daily
    check."""

    institution = serializers.PrimaryKeyRelatedField(read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    submitted_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = AnnualReport
        fields = ["id", "institution", "institution_name", "region", "region_code", "year", "due_date",
                  "submitted_on", "overdue", "note"]
        read_only_fields = ["year", "due_date", "overdue"]


class ProgressSerializer(serializers.Serializer):
    """A department's or a district's follow-up on the day asked."""

    level = serializers.ChoiceField(choices=[("department", _("Department")), ("district", _("District"))])
    id = serializers.IntegerField(help_text=_("The department's institution id, or the district's region id."))
    code = serializers.CharField(help_text=_("The division code of the district, or of the department's region."))
    name = serializers.CharField()
    tasks = serializers.IntegerField()
    milestones_done = serializers.IntegerField()
    milestones = serializers.IntegerField()
    checklists_complete = serializers.IntegerField()
    checklists = serializers.IntegerField()
    reports_submitted = serializers.IntegerField(help_text=_("Annual reports submitted by the day."))
    reports = serializers.IntegerField(help_text=_("Annual reports on the years over by the day."))
    overdue = serializers.IntegerField(help_text=_("Milestones, registrations and annual reports overdue on the day."))


class ProgressQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("The day (YYYY-MM-DD); empty: today."))
    level = serializers.ChoiceField(choices=[("department", _("Department")), ("district", _("District"))],
                                    required=False)
