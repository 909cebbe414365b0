"""Database constraints whose validation error names the field it concerns.

Django reports a conditional ``UniqueConstraint`` or a ``CheckConstraint`` as a form-wide error;
users need it beside the field they must correct, in the admin, the API and imports alike.
"""
from django.core.exceptions import ValidationError
from django.db import models

# The longest free text a user may enter (a note, a reason, an opinion): a page of text, not a file.
TEXT_LIMIT = 2000


class _FieldErrorMixin:
    def __init__(self, *args, error_field: str, **kwargs) -> None:
        self.error_field = error_field
        super().__init__(*args, **kwargs)

    def validate(self, model, instance, exclude=None, using="default") -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as exc:
            if exclude and self.error_field in exclude:
                raise
            raise ValidationError({self.error_field: exc.error_list}) from exc

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["error_field"] = self.error_field
        return path, args, kwargs

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and getattr(other, "error_field", None) == self.error_field


class FieldUniqueConstraint(_FieldErrorMixin, models.UniqueConstraint):
    pass


class FieldCheckConstraint(_FieldErrorMixin, models.CheckConstraint):
    pass
