"""Serializers shared by every app: model validation runs on API writes too."""
from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Run the model's ``full_clean()`` so the API refuses what the admin and imports refuse.

    DRF does not call model validation by default; without this the same rule would need
    writing twice (after NetBox's ValidatedModelSerializer).
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        many_to_many = {}
        for field, value in attrs.items():
            if isinstance(getattr(model, field, None), property):
                continue
            try:
                is_m2m = model._meta.get_field(field).many_to_many
            except FieldDoesNotExist:  # a write-only helper, not a model field
                continue
            if is_m2m:
                many_to_many[field] = value
            else:
                setattr(instance, field, value)
        try:
            instance.full_clean(validate_unique=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs


class WholeItemMixin:
    """For the items of a nested list a write replaces whole (a loan's return plan, a plan's lines): each item needs
    its required fields even in a partial update.

    DRF skips every missing field of a partial update (PATCH), the nested ones included, so an item without its
    date passed validation and failed later on the missing key (a 500 found by fuzzing).
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            missing = {name: [serializers.Field.default_error_messages["required"]]
                       for name, field in self.fields.items()
                       if field.required and not field.read_only and field.source != "*" and name not in data}
            if missing:
                raise serializers.ValidationError(missing, code="required")
        return super().to_internal_value(data)
