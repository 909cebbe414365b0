"""Serializer bases: related rows chosen among those the requesting user may see."""
from __future__ import annotations

from rest_framework.relations import ManyRelatedField, RelatedField

from accounts.scoping import scope_queryset


class ScopedRelatedFieldsMixin:
    """Writable related fields accept only rows the requesting user may see (a foreign id is "does not exist").

    ``scoped_fields``: the names of the fields so narrowed (None: every writable related field).
    """

    scoped_fields: tuple[str, ...] | None = None

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for name, field in fields.items():
            if self.scoped_fields is not None and name not in self.scoped_fields:
                continue
            relation = field.child_relation if isinstance(field, ManyRelatedField) else field
            if isinstance(relation, RelatedField) and not relation.read_only and relation.queryset is not None:
                relation.queryset = scope_queryset(relation.queryset, request.user)
        return fields
