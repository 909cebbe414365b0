"""Errors that services raise besides Django's ValidationError."""
from django.core.exceptions import ValidationError


class ConflictError(ValidationError):
    """The request was valid but conflicts with the current state (answers 409)."""
