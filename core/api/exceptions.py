"""One error shape for the whole API: ``{"message": ..., "errors": {field: [...]}}``."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ConflictError


def _flatten(detail) -> dict[str, list[str]]:
    """DRF error details as ``{field: [message, ...]}``; nested errors get dotted field names."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub_key, sub_value in _flatten(value).items():
                    out[f"{key}.{sub_key}"] = sub_value
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub_key, sub_value in _flatten(item).items():
                        out[f"{key}[{index}].{sub_key}"] = sub_value
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """Turn every API error into the one shape, with the right status code."""
    if isinstance(exc, ConflictError):  # before ValidationError: it is one, but answers 409
        errors = _flatten(exc.message_dict if hasattr(exc, "message_dict") else exc.messages)
        return Response(
            {"message": exc.messages[0] if exc.messages else _("Conflict."), "errors": errors},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next((messages[0] for messages in errors.values() if messages), "")
        message = _("The input is not valid.")
        if first and list(errors) == ["non_field_errors"]:
            message = first
        response.data = {"message": message, "errors": errors}
    else:
        detail = getattr(exc, "detail", response.data)
        response.data = {"message": str(detail if not isinstance(detail, dict) else detail), "errors": {}}
    return response
