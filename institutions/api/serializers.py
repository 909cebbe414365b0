"""Serializers of the registry API: model validation runs on every write; related choices are region-scoped.

An existing institution's existence fields change only through a reform operation (``institutions.resources.
EXISTENCE_FIELDS``); its life events, predecessors and successors are read here (``InstitutionTimelineSerializer``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import ValidatedModelSerializer
from institutions.existence import existence_of, reform_only_errors
from institutions.models import ApprovalDocument, Institution, InstitutionEvent, InternalDivision, Plaque, Region
from institutions.models.lineage import DESCENT_KINDS, SUCCESSION_KINDS, LifeEventKind

NUMBER_PARTS = ("office_code", "year", "serial")


def _display(field_name: str) -> serializers.CharField:
    """The translated label of a choice field, e.g. ``category_display``."""
    return serializers.CharField(source=f"get_{field_name}_display", read_only=True)


# --- lineage reads (the timeline, the admin's change page) ---------------------------------------------------------


def renamed_events() -> QuerySet:
    """The RENAMED events that name a former name, oldest first."""
    return InstitutionEvent.objects.filter(kind=LifeEventKind.RENAMED).exclude(former_name="").order_by("date", "pk")


def with_former_names(queryset: QuerySet) -> QuerySet:
    """``queryset`` with each unit's renamings fetched in one more query (``former_names`` reads them)."""
    return queryset.prefetch_related(Prefetch("events", queryset=renamed_events(), to_attr="renamed_events"))


def former_names(institution: Institution) -> list[str]:
    """The names ``institution`` carried before its renamings, oldest first."""
    events = getattr(institution, "renamed_events", None)
    if events is None:
        events = renamed_events().filter(institution=institution)
    return [event.former_name for event in events]


def life_events(institution: Institution) -> QuerySet:
    """``institution``'s life events in date order, with what each names."""
    return (InstitutionEvent.objects.filter(institution=institution)
            .select_related("region", "from_region", "related", "document").order_by("date", "pk"))


def _lineage(institution: Institution, *, own_kinds, their_kinds, link: Q) -> QuerySet:
    """Units related to ``institution`` by ``link``, by its own events of ``own_kinds`` (the unit they name) or by
    other units' events of ``their_kinds`` that name it: either side of a pair of events is enough."""
    named_by_it = InstitutionEvent.objects.filter(institution=institution, kind__in=own_kinds,
                                                  related__isnull=False).values("related")
    naming_it = InstitutionEvent.objects.filter(related=institution, kind__in=their_kinds).values("institution")
    return (Institution.objects.filter(link | Q(pk__in=named_by_it) | Q(pk__in=naming_it))
            .exclude(pk=institution.pk).select_related("region").order_by("name", "pk"))


def lineage_predecessors(institution: Institution) -> QuerySet:
    """The units ``institution`` came from: those whose successor it is, those it took in or split off from."""
    return _lineage(institution, own_kinds=DESCENT_KINDS, their_kinds=SUCCESSION_KINDS,
                    link=Q(successor=institution))


def lineage_successors(institution: Institution) -> QuerySet:
    """The units ``institution`` went on in: its successor, the unit it merged into, those its split gave rise to."""
    link = Q(pk=institution.successor_id) if institution.successor_id else Q(pk__in=[])
    return _lineage(institution, own_kinds=SUCCESSION_KINDS, their_kinds=DESCENT_KINDS, link=link)


class RegistrySerializer(ScopedRelatedFieldsMixin, ValidatedModelSerializer):
    class Meta:
        # Uniqueness is the model's to check (full_clean), with the model's messages against the right field.
        validators: list = []


class RegionSerializer(RegistrySerializer):
    kind_display = _display("kind")
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    level = serializers.CharField(read_only=True)

    class Meta(RegistrySerializer.Meta):
        model = Region
        fields = ("id", "code", "name", "kind", "kind_display", "level", "parent", "parent_code")


class InstitutionSerializer(RegistrySerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    # Any institution the user sees: the model says why a non-agency cannot supervise (not "does not exist").
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True
    )
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, allow_null=True)
    kind_display = _display("kind")
    category_display = _display("category")
    funding_form_display = _display("funding_form")
    rank_display = _display("rank")
    reserved_class_display = _display("reserved_class")
    must_exist_reason_display = _display("must_exist_reason")
    status_display = _display("status")
    legal_person_state_display = _display("legal_person_state")
    successor_name = serializers.CharField(source="successor.name", read_only=True, allow_null=True)
    former_names = serializers.SerializerMethodField()

    class Meta(RegistrySerializer.Meta):
        model = Institution
        fields = (
            "id", "name", "short_name", "credit_code", "kind", "kind_display", "region", "region_code",
            "region_name", "supervisor", "supervisor_name", "category", "category_display", "funding_form",
            "funding_form_display", "rank", "rank_display", "reserved_class", "reserved_class_display",
            "must_exist_reason", "must_exist_reason_display", "status", "status_display", "established_on",
            "established_document", "ended_on", "ended_document", "successor", "successor_name", "former_names",
            "legal_person_state", "legal_person_state_display", "address", "opening_funds", "leadership_principal",
            "leadership_deputy", "staff_in_quota",
        )
        read_only_fields = ("successor",)

    def get_former_names(self, institution: Institution) -> list[str]:
        return former_names(institution)

    def validate(self, attrs):
        """An existing unit's existence fields change only through a reform operation: a PATCH or PUT that changes
        one is refused, each such field with the code ``reform_only``, before anything else is judged. Sending the
        value a field has already is no change."""
        if self.instance is not None:
            refused = reform_only_errors(existence_of(self.instance), attrs)
            if refused:
                raise serializers.ValidationError(serializers.as_serializer_error(DjangoValidationError(refused)))
        return super().validate(attrs)

    def validate_credit_code(self, value: str | None) -> str | None:
        # Stored as NULL when absent, so that "no code" never collides with another "no code".
        value = (value or "").strip()
        return value or None


class InstitutionEventSerializer(serializers.ModelSerializer):
    """One life event of a unit, with the names of the regions, unit and document it refers to."""

    kind_display = _display("kind")
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    from_region_code = serializers.CharField(source="from_region.code", read_only=True, allow_null=True)
    from_region_name = serializers.CharField(source="from_region.name", read_only=True, allow_null=True)
    related_name = serializers.CharField(source="related.name", read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True)

    class Meta:
        model = InstitutionEvent
        fields = (
            "id", "kind", "kind_display", "date", "region", "region_code", "region_name", "from_region",
            "from_region_code", "from_region_name", "related", "related_name", "former_name", "document",
            "document_number", "detail",
        )
        read_only_fields = fields


class LineageUnitSerializer(serializers.ModelSerializer):
    """A predecessor or successor: enough to name it and to tell whether it still exists."""

    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = _display("status")

    class Meta:
        model = Institution
        fields = ("id", "name", "region", "region_code", "region_name", "status", "status_display", "ended_on")
        read_only_fields = fields


class InstitutionTimelineSerializer(serializers.ModelSerializer):
    """A unit's life: its events in date order, the units it came from and those it went on in."""

    events = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = ("id", "name", "status", "successor", "events", "predecessors", "successors")
        read_only_fields = fields

    @extend_schema_field(InstitutionEventSerializer(many=True))
    def get_events(self, institution: Institution) -> list[dict]:
        return InstitutionEventSerializer(life_events(institution), many=True).data

    @extend_schema_field(LineageUnitSerializer(many=True))
    def get_predecessors(self, institution: Institution) -> list[dict]:
        return LineageUnitSerializer(lineage_predecessors(institution), many=True).data

    @extend_schema_field(LineageUnitSerializer(many=True))
    def get_successors(self, institution: Institution) -> list[dict]:
        return LineageUnitSerializer(lineage_successors(institution), many=True).data


class InternalDivisionSerializer(RegistrySerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    rank_display = _display("rank")

    class Meta(RegistrySerializer.Meta):
        model = InternalDivision
        fields = (
            "id", "institution", "institution_name", "region_code", "name", "rank", "rank_display", "quota_count",
            "leadership_principal", "leadership_deputy",
        )


class PlaqueSerializer(RegistrySerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)

    class Meta(RegistrySerializer.Meta):
        model = Plaque
        fields = (
            "id", "institution", "institution_name", "region_code", "name", "started_on", "ended_on", "document",
            "document_number",
        )


class ApprovalDocumentSerializer(RegistrySerializer):
    """``number`` may be written as text (哈编发〔2020〕12号) instead of office code, year and serial; it wins."""

    number = serializers.CharField(max_length=60, required=False)
    kind_display = _display("kind")
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True)

    class Meta(RegistrySerializer.Meta):
        model = ApprovalDocument
        fields = (
            "id", "number", "office_code", "year", "serial", "region", "region_code", "issuer", "kind", "kind_display",
            "title", "date_issued", "date_effective", "file",
        )
        extra_kwargs = {name: {"required": False} for name in (*NUMBER_PARTS, "region")}

    def validate_number(self, value: str) -> tuple[str, int, int]:
        """The typed number as (office code, year, serial); checked with the other fields, not after them."""
        parsed = ApprovalDocument()
        try:
            parsed.set_number_from(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["number"]) from exc
        return parsed.office_code, parsed.year, parsed.serial

    def validate(self, attrs):
        typed = attrs.pop("number", None)
        if typed is not None:
            attrs.update(zip(NUMBER_PARTS, typed, strict=True))
        elif self.instance is None:
            missing = [name for name in NUMBER_PARTS if attrs.get(name) in (None, "")]
            if missing:
                required = serializers.Field.default_error_messages["required"]
                raise serializers.ValidationError({name: [required] for name in missing})
        try:
            return super().validate(attrs)
        except serializers.ValidationError as exc:
            if typed is None or not isinstance(exc.detail, dict):
                raise
            # A duplicate number, or a year unlike the issue date, is about the number the client sent.
            detail = dict(exc.detail)
            moved = [message for name in NUMBER_PARTS for message in detail.pop(name, [])]
            if moved:
                detail["number"] = moved
            raise serializers.ValidationError(detail) from exc
