"""Serializers shared by every app: model validation runs on API writes too."""
from __future__ import annotations

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
