"""Errors that services raise besides Django's ValidationError, and what a database error names."""
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import UniqueConstraint


class ConflictError(ValidationError):
    """The request was valid but conflicts with the current state (answers 409)."""


def unique_constraint_of(error: IntegrityError):
    """The model and unique constraint (or unique field) an ``IntegrityError`` names, if any.

    PostgreSQL names the constraint (``duplicate key value violates unique constraint "notice_number_unique"``);
    SQLite names the columns (``UNIQUE constraint failed: table.a, table.b``).
    """
    text = str(error)
    sqlite = re.search(r"UNIQUE constraint failed: (.+)", text)
    columns = {part.strip().split(".")[-1] for part in sqlite.group(1).split(",")} if sqlite else set()
    table = sqlite.group(1).split(".")[0].strip() if sqlite else None
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            if f'"{constraint.name}"' in text:
                return model, constraint.name, list(constraint.fields)
            if table == model._meta.db_table and columns == {
                    model._meta.get_field(name).column for name in constraint.fields}:
                return model, constraint.name, list(constraint.fields)
        for field in model._meta.concrete_fields:
            if not field.unique or field.primary_key:
                continue
            name = f"{model._meta.db_table}_{field.column}_key"  # PostgreSQL's name for a unique column
            if f'"{name}"' in text or (table == model._meta.db_table and columns == {field.column}):
                return model, name, [field.name]
    return None
