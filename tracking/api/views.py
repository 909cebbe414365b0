"""The follow-up's API: tasks, milestones, unit checklists and annual reports (written through
``tracking.services``), and the progress per department and per district. Rows of another region answer 404; a
district office writing another region's row gets 403 ``another_region``; bad input 400 with field messages."""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet
from accounts.scoping import scope_queryset
from core.dates import check_date
from tracking import selectors, services
from tracking.api.serializers import (
    AnnualReportSerializer,
    MilestoneSerializer,
    ProgressQuerySerializer,
    ProgressSerializer,
    ReformTaskSerializer,
    UnitChecklistSerializer,
)
from tracking.models import AnnualReport, Milestone, ReformTask, RegistrationKind, UnitChecklist

ID = "[0-9]{1,18}"  # a row id the database can hold (a longer one is no row: 404)
MAX_ID = 2**63 - 1


def id_filter(field_name: str) -> django_filters.NumberFilter:
    """A row id as a filter: a number the database can hold, else 400."""
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID)


class ReformTaskFilterSet(django_filters.FilterSet):
    region_code = django_filters.CharFilter(field_name="region__code")
    department = id_filter("department_id")
    district = id_filter("district_id")
    plan = id_filter("plan_id")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ReformTask
        fields = ["region_code", "department", "district", "plan", "due_from", "due_to"]


class MilestoneFilterSet(django_filters.FilterSet):
    task = id_filter("task_id")
    overdue = django_filters.BooleanFilter()
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Milestone
        fields = ["task", "overdue", "done"]


class UnitChecklistFilterSet(django_filters.FilterSet):
    region_code = django_filters.CharFilter(field_name="region__code")
    institution = id_filter("institution_id")
    plan = id_filter("plan_id")
    task = id_filter("task_id")
    registration_kind = django_filters.ChoiceFilter(choices=RegistrationKind.choices)
    overdue = django_filters.BooleanFilter()

    class Meta:
        model = UnitChecklist
        fields = ["region_code", "institution", "plan", "task", "registration_kind", "overdue"]


class YearFilter(django_filters.NumberFilter):
    """A year: a whole number (``2025.5`` is no year: 400)."""

    field_class = forms.IntegerField


class AnnualReportFilterSet(django_filters.FilterSet):
    region_code = django_filters.CharFilter(field_name="region__code")
    institution = id_filter("institution_id")
    year = YearFilter(min_value=1949, max_value=9999)
    overdue = django_filters.BooleanFilter()
    submitted = django_filters.BooleanFilter(field_name="submitted_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = AnnualReport
        fields = ["region_code", "institution", "year", "overdue", "submitted"]


def _values(serializer) -> dict:
    return dict(serializer.validated_data)


class ReformTaskViewSet(ScopedModelViewSet):
    """Reform tasks (改革任务) of a department or a district, with their milestones."""

    queryset = ReformTask.objects.select_related("department", "district", "region").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")))
    serializer_class = ReformTaskSerializer
    filterset_class = ReformTaskFilterSet
    lookup_value_regex = ID
    ordering = ("due_date", "id")
    ordering_fields = ("id", "start_date", "due_date", "title")
    search_fields = ("title",)

    def perform_create(self, serializer):
        serializer.instance = services.reform_task_save(by=self.request.user, **_values(serializer))

    def perform_update(self, serializer):
        serializer.instance = services.reform_task_save(by=self.request.user, task=serializer.instance,
                                                        **_values(serializer))


class MilestoneViewSet(ScopedModelViewSet):
    """Milestones (节点) of the tasks: due inside their task's span, marked done on a date."""

    queryset = Milestone.objects.select_related("task__region")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    lookup_value_regex = ID
    ordering = ("due_date", "id")
    ordering_fields = ("id", "due_date")

    def perform_create(self, serializer):
        serializer.instance = services.milestone_save(by=self.request.user, **_values(serializer))

    def perform_update(self, serializer):
        serializer.instance = services.milestone_save(by=self.request.user, milestone=serializer.instance,
                                                      **_values(serializer))


class UnitChecklistViewSet(ScopedModelViewSet):
    """Each affected unit's checklist (the reform's are made by the daily sweep): the three handles, the four in
    place and the registration, each marked done on a date."""

    queryset = UnitChecklist.objects.select_related("institution", "region")
    serializer_class = UnitChecklistSerializer
    filterset_class = UnitChecklistFilterSet
    lookup_value_regex = ID
    ordering = ("region__code", "institution__name", "id")
    ordering_fields = ("id", "registration_due")
    search_fields = ("institution__name",)

    def perform_create(self, serializer):
        serializer.instance = services.checklist_save(by=self.request.user, **_values(serializer))

    def perform_update(self, serializer):
        serializer.instance = services.checklist_save(by=self.request.user, checklist=serializer.instance,
                                                      **_values(serializer))


class AnnualReportViewSet(ScopedModelViewSet):
    """The registered units' annual reports (年度报告), opened each year for the year just ended: read, and
    submitted (``PATCH`` with ``submitted_on``; its ``note`` too). Reports are not created nor deleted here."""

    http_method_names = ["get", "put", "patch", "head", "options"]
    queryset = AnnualReport.objects.select_related("institution", "region")
    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilterSet
    lookup_value_regex = ID
    ordering = ("-year", "region__code", "institution__name", "id")
    ordering_fields = ("id", "year", "due_date", "submitted_on")
    search_fields = ("institution__name",)

    def perform_update(self, serializer):
        serializer.instance = services.annual_report_save(by=self.request.user, report=serializer.instance,
                                                          **_values(serializer))


class ReformProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The progress per department, then per district, in the regions the user sees: tasks, milestones done of
    all, checklists complete of all, and what is overdue on the day (``?on=``, default today)."""

    serializer_class = ProgressSerializer
    filter_backends: list = []  # the query is checked by ProgressQuerySerializer

    def get_queryset(self):  # a computed list (the schema generator asks)
        return ReformTask.objects.none()

    @extend_schema(parameters=[ProgressQuerySerializer], responses=ProgressSerializer(many=True))
    def list(self, request, *args, **kwargs):
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("on") or timezone.localdate()
        check_date(day, field="on")
        level = query.validated_data.get("level")
        departments, districts = selectors.reform_progress(
            tasks=scope_queryset(ReformTask.objects.all(), request.user),
            checklists=scope_queryset(UnitChecklist.objects.all(), request.user), day=day,
            reports=scope_queryset(AnnualReport.objects.all(), request.user))
        rows = [{"level": "department", **_row(row)} for row in departments if level in (None, "department")]
        rows += [{"level": "district", **_row(row)} for row in districts if level in (None, "district")]
        page = self.paginate_queryset(rows)
        data = ProgressSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


def _row(progress: selectors.Progress) -> dict:
    return {"id": progress.key, "code": progress.code, "name": progress.name, "tasks": progress.tasks,
            "milestones_done": progress.milestones_done, "milestones": progress.milestones,
            "checklists_complete": progress.checklists_complete, "checklists": progress.checklists,
            "reports_submitted": progress.reports_submitted, "reports": progress.reports,
            "overdue": progress.overdue}


