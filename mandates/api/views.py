"""Mandates API: 三定 regulations (``/api/v1/mandates/``), charters (``/api/v1/charters/``) and party organisations
(``/api/v1/party-organisations/``).

Thin: every write is a service of ``mandates.services``. A district office drafts its own region's versions and
records its party organisations; the city office approves (POST ``…/{id}/approve/``); POST
``…/{id}/new-draft/`` starts a new draft from a version. ``?on=YYYY-MM-DD`` on a list
gives the versions in force on that day (one per unit at most); ``…/{id}/docx/`` the Word document;
``…/{id}/diff/?against=<id>`` the article-by-article difference from another version of the same unit (default:
the version before it).
"""
from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedCreateReadViewSet, ScopedModelViewSet
from core.dates import query_date
from mandates import selectors, services
from mandates.api.serializers import (
    CharterSerializer,
    MandateSerializer,
    PartyChangeSerializer,
    PartyOrganisationSerializer,
    VersionApproveSerializer,
    VersionDiffSerializer,
)
from mandates.documents import DOCX_CONTENT_TYPE
from mandates.models import Charter, Mandate, PartyEvent, PartyOrganisation, VersionStatus
from mandates.views import docx_response

MAX_ID = 2**63 - 1
ON = OpenApiParameter("on", OpenApiTypes.DATE, description="Only the versions in force on this day.")
AGAINST = OpenApiParameter("against", OpenApiTypes.INT,
                           description="The other version's id (default: the version before this one).")


class MandateFilterSet(django_filters.FilterSet):
    institution = django_filters.NumberFilter(field_name="institution_id")
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = Mandate
        fields = ["institution", "status"]


class CharterFilterSet(MandateFilterSet):
    class Meta:
        model = Charter
        fields = ["institution", "status"]


class VersionViewSet(ScopedModelViewSet):
    """What regulations and charters share: drafting, approval, the text in force, the .docx and the diff."""

    kind = ""
    writes: dict = {}  # "create", "update", "approve", "new_draft" → the kind's service
    ordering = ("institution", "-version")
    ordering_fields = ("id", "version", "effective_date")
    search_fields = ("institution__name",)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            on = query_date(self.request.query_params, "on")
            if on is not None:
                queryset = queryset.filter(pk__in=selectors.in_force_ids(self.queryset.model, queryset, on))
        return queryset

    def inputs(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return data.validated_data

    def answer(self, row, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=code)

    def fields_of(self, serializer) -> dict:
        data = dict(serializer.validated_data)
        data.pop("institution", None)
        if "divisions" in data:
            data["divisions"] = [dict(entry) for entry in data["divisions"]]
        return data

    def perform_create(self, serializer):
        serializer.instance = self.writes["create"](
            by=self.request.user, institution=serializer.validated_data["institution"], **self.fields_of(serializer))

    def perform_update(self, serializer):
        serializer.instance = self.writes["update"](
            **{self.kind: serializer.instance}, by=self.request.user, **self.fields_of(serializer))

    @extend_schema(request=VersionApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the draft with its document (city office): the articles are frozen as on the date of issue (a
        charter checked against the registry again)."""
        row = self.get_object()
        values = self.inputs(VersionApproveSerializer)
        return self.answer(self.writes["approve"](**{self.kind: row}, by=request.user, document=values["document"],
                                                    effective_date=values.get("effective_date")))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="new-draft")
    def new_draft(self, request, pk=None):
        """A new draft of the unit's text starting as this version reads (the next version number)."""
        return self.answer(self.writes["new_draft"](**{self.kind: self.get_object()}, by=request.user),
                           code=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """The text as a Word document (the office's template)."""
        return docx_response(self.get_object(), kind=self.kind)

    @extend_schema(parameters=[AGAINST], responses=VersionDiffSerializer)
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """The difference from another version of the same unit, article by article."""
        row = self.get_object()
        against = self.request.query_params.get("against")
        siblings = self.get_queryset().filter(institution_id=row.institution_id)
        if against:
            if not (against.isascii() and against.isdigit() and int(against) <= MAX_ID):
                raise ValidationError({"against": _("Give the id of a version.")}, code="invalid")
            other = siblings.filter(pk=int(against)).first()
            if other is None:
                raise ValidationError({"against": _("No version of the same unit has this id.")}, code="not_found")
        else:
            other = siblings.filter(version__lt=row.version).order_by("-version").first()
            if other is None:
                raise ValidationError({"against": _("This is the first version: name the version to compare "
                                                    "with.")}, code="required")
        old, new = sorted((other, row), key=lambda version: version.version)
        text = selectors.mandate_text if self.kind == "mandate" else selectors.charter_text
        return Response(VersionDiffSerializer({"old": old.pk, "new": new.pk, "articles": selectors.articles_diff(
            text(old)[1], text(new)[1])}).data)


@extend_schema_view(list=extend_schema(parameters=[ON]), new_draft=extend_schema(responses={201: MandateSerializer}))
class MandateViewSet(VersionViewSet):
    """Versions of units' 三定 regulations."""

    kind = "mandate"
    queryset = Mandate.objects.select_related("institution__region", "institution__supervisor", "document")
    serializer_class = MandateSerializer
    filterset_class = MandateFilterSet
    writes = {"create": services.mandate_create, "update": services.mandate_update,
                "approve": services.mandate_approve, "new_draft": services.mandate_draft_from}


@extend_schema_view(list=extend_schema(parameters=[ON]), new_draft=extend_schema(responses={201: CharterSerializer}))
class CharterViewSet(VersionViewSet):
    """Versions of units' charters (章程); the registered particulars are checked against the registry on every
    save and again on approval."""

    kind = "charter"
    queryset = Charter.objects.select_related("institution__region", "sponsor", "document")
    serializer_class = CharterSerializer
    filterset_class = CharterFilterSet
    writes = {"create": services.charter_create, "update": services.charter_update,
                "approve": services.charter_approve, "new_draft": services.charter_draft_from}


class PartyOrganisationFilterSet(django_filters.FilterSet):
    institution = django_filters.NumberFilter(field_name="institution_id")

    class Meta:
        model = PartyOrganisation
        fields = ["institution"]


class PartyOrganisationViewSet(ScopedCreateReadViewSet):
    """Party organisations of units: set up (POST), renamed and adjusted (POST ``…/{id}/rename|adjust/``), each
    on its document and date, their events kept."""

    queryset = PartyOrganisation.objects.select_related(
        "institution__region", "party_affairs_division", "discipline_division").prefetch_related(
        Prefetch("events", queryset=PartyEvent.objects.select_related("document").order_by("date", "pk")))
    serializer_class = PartyOrganisationSerializer
    filterset_class = PartyOrganisationFilterSet
    ordering = ("institution", "name")
    ordering_fields = ("id", "name", "established_on")
    search_fields = ("name", "institution__name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.party_organisation_establish(by=self.request.user, **data)

    def _change(self, service, names):
        organisation = self.get_object()
        data = PartyChangeSerializer(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = {name: value for name, value in data.validated_data.items() if name in names}
        changed = service(by=self.request.user, organisation=organisation, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=changed.pk)).data)

    @extend_schema(request=PartyChangeSerializer, responses=PartyOrganisationSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        """Rename on a document (``name``, ``document``, ``date``)."""
        return self._change(services.party_organisation_rename, ("name", "document", "date", "detail"))

    @extend_schema(request=PartyChangeSerializer, responses=PartyOrganisationSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        """Adjust the kind, the leadership posts and/or the party-affairs and discipline-inspection divisions on a
        document; the post rule is checked, a division must be the unit's."""
        return self._change(services.party_organisation_adjust,
                            ("kind", "secretary_posts", "deputy_posts", "party_affairs_division", "discipline_division",
                             "document", "date", "detail"))
