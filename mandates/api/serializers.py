"""API shapes of regulations, charters and party organisations. No rules here: the models' ``clean()`` and the
services decide (``mandates.services``). Related rows are chosen among those the requesting user sees."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import ScopedRelatedFieldsMixin
from core.api.serializers import WholeItemMixin
from core.constraints import TEXT_LIMIT
from institutions.models import ApprovalDocument, Institution, InternalDivision
from mandates import selectors
from mandates.models import Charter, Mandate, PartyEvent, PartyKind, PartyOrganisation
from mandates.models.regulations import LONG_TEXT

TEXT = serializers.CharField(max_length=LONG_TEXT)


@extend_schema_field(OpenApiTypes.STR)
class TextChoiceField(serializers.ChoiceField):
    """A choice typed as text in the schema (the registry's choice sets already own their enum names)."""

    def __init__(self, choices, **kwargs) -> None:
        kwargs.setdefault("help_text", ", ".join(str(value) for value, _label in choices if value))
        super().__init__(choices=choices, **kwargs)


class TextArticleSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    heading = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())


class DivisionDutiesSerializer(WholeItemMixin, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    duties = serializers.ListField(child=serializers.CharField(max_length=LONG_TEXT), max_length=100, default=list)


class VersionSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    status = serializers.CharField(read_only=True)
    document = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    title = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField()

    COMMON = ["id", "institution", "institution_name", "version", "status", "document", "document_number",
              "issued_on", "effective_date", "approved_at", "created_at", "title", "articles"]
    READ_ONLY = ["id", "version", "issued_on", "effective_date", "approved_at", "created_at"]

    def text(self, row) -> tuple[str, list[dict]]:
        cache = self.context.setdefault("texts", {})
        if row.pk not in cache:
            cache[row.pk] = self.read_text(row)
        return cache[row.pk]

    def get_title(self, row) -> str:
        return self.text(row)[0]

    @extend_schema_field(TextArticleSerializer(many=True))
    def get_articles(self, row) -> list[dict]:
        return self.text(row)[1]

    def update(self, instance, validated_data):
        validated_data.pop("institution", None)  # a version stays its unit's
        return super().update(instance, validated_data)


class MandateSerializer(VersionSerializer):
    """A version of a unit's 三定 regulation; ``articles`` as approved, or (a draft) as they read today."""

    duties = serializers.ListField(child=serializers.CharField(max_length=LONG_TEXT), max_length=200, required=False)
    divisions = DivisionDutiesSerializer(many=True, required=False)
    affiliated_units = serializers.ListField(child=serializers.CharField(max_length=200), max_length=200,
                                             required=False)

    class Meta:
        model = Mandate
        fields = [*VersionSerializer.COMMON, "nature", "duties", "function_shift", "divisions", "affiliated_units",
                  "other_matters"]
        read_only_fields = VersionSerializer.READ_ONLY

    def read_text(self, row):
        return selectors.mandate_text(row)


class CharterSerializer(VersionSerializer):
    """A version of a unit's charter; the registered particulars not given are the registry's."""

    unit_type = TextChoiceField(choices=Charter._meta.get_field("unit_type").choices, required=False)
    funding_source = TextChoiceField(choices=Charter._meta.get_field("funding_source").choices, required=False)
    sponsor = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                 allow_null=True)
    name = serializers.CharField(max_length=200, required=False)

    class Meta:
        model = Charter
        fields = [*VersionSerializer.COMMON, "name", "address", "unit_type", "funding_source", "opening_funds",
                  "sponsor", "purpose", "business_scope", "party_role", "decision_making", "democratic_management",
                  "asset_management", "information_disclosure", "amendment_procedure", "termination"]
        read_only_fields = VersionSerializer.READ_ONLY

    def read_text(self, row):
        return selectors.charter_text(row)


class VersionApproveSerializer(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all())
    effective_date = serializers.DateField(required=False, allow_null=True,
                                           help_text=_("Empty: the document's effective date."))


class ArticleDiffSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    heading = serializers.CharField()
    status = serializers.ChoiceField(choices=["same", "changed", "added", "removed"])
    lines = serializers.ListField(child=serializers.CharField())


class VersionDiffSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    articles = ArticleDiffSerializer(many=True)


class PartyEventSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(source="document.number", read_only=True)
    kind = TextChoiceField(choices=PartyEvent._meta.get_field("kind").choices, read_only=True)
    former_kind = TextChoiceField(choices=[("", "—"), *PartyKind.choices], read_only=True)

    class Meta:
        model = PartyEvent
        fields = ["id", "kind", "date", "document", "document_number", "former_name", "former_kind", "detail"]
        read_only_fields = fields


class PartyOrganisationSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """A unit's party organisation; created by its establishment (with the document and date)."""

    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    kind = TextChoiceField(choices=PartyKind.choices)
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), write_only=True)
    date = serializers.DateField(write_only=True)
    detail = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, write_only=True)
    party_affairs_division = serializers.PrimaryKeyRelatedField(
        queryset=InternalDivision.objects.all(), required=False, allow_null=True,
        help_text=_("The unit's internal division that does the party-affairs work (党务工作机构)."))
    party_affairs_division_name = serializers.CharField(source="party_affairs_division.name", read_only=True,
                                                        allow_null=True)
    discipline_division = serializers.PrimaryKeyRelatedField(
        queryset=InternalDivision.objects.all(), required=False, allow_null=True,
        help_text=_("The unit's internal division that does the discipline-inspection work (纪检机构)."))
    discipline_division_name = serializers.CharField(source="discipline_division.name", read_only=True,
                                                     allow_null=True)
    events = PartyEventSerializer(many=True, read_only=True)

    class Meta:
        model = PartyOrganisation
        fields = ["id", "institution", "institution_name", "kind", "name", "secretary_posts", "deputy_posts",
                  "party_affairs_division", "party_affairs_division_name", "discipline_division",
                  "discipline_division_name", "established_on", "events", "document", "date", "detail"]
        read_only_fields = ["id", "established_on"]


class PartyChangeSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    """A renaming (``name``) or an adjustment (``kind``, the posts and/or the divisions; a division ``null``
    clears the link), on its document and date."""

    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all())
    date = serializers.DateField()
    name = serializers.CharField(max_length=200, required=False)
    kind = TextChoiceField(choices=PartyKind.choices, required=False)
    secretary_posts = serializers.IntegerField(min_value=0, max_value=20, required=False)
    deputy_posts = serializers.IntegerField(min_value=0, max_value=20, required=False)
    party_affairs_division = serializers.PrimaryKeyRelatedField(queryset=InternalDivision.objects.all(),
                                                                required=False, allow_null=True)
    discipline_division = serializers.PrimaryKeyRelatedField(queryset=InternalDivision.objects.all(),
                                                             required=False, allow_null=True)
    detail = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")
