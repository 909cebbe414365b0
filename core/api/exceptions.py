"""One error shape for the whole API.

``{"message": "...", "code": "...", "errors": {field: ["...", ...]}, "codes": {field: ["...", ...]}}``: ``message``
says what went wrong in the user's language, ``code`` is a stable machine-readable reason (``invalid``,
``not_authenticated``, ``permission_denied``, ``another_region``, ``not_found``, ``method_not_allowed``,
``conflict``, ``constraint_conflict``, ``parse_error``, ``too_deep``, ``too_large``, ``throttled`` …), and
``errors`` / ``codes`` give each field's messages and their codes (``required``, ``max_value``, ``date_out_of_bounds``
…). A client branches on the codes, never on the words.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import ConflictError, unique_constraint_of


def _flatten(detail, codes=None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """DRF error details as ``{field: [message, ...]}`` and the matching codes; nested fields get dotted names."""
    messages: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}

    def walk(node, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, list) and node and all(isinstance(item, (dict, list)) for item in node):
            for index, item in enumerate(node):
                walk(item, f"{prefix}[{index}]")
        else:
            items = node if isinstance(node, list) else [node]
            name = prefix or "non_field_errors"
            messages.setdefault(name, []).extend(str(item) for item in items)
            kinds.setdefault(name, []).extend(getattr(item, "code", None) or "invalid" for item in items)

    walk(detail, "")
    return messages, kinds


def _django_error_detail(exc: DjangoValidationError):
    """A Django ``ValidationError`` as DRF details, keeping each message's code."""
    def detail(error: DjangoValidationError):
        return [exceptions.ErrorDetail(str(message), code=item.code or "invalid")
                for item in error.error_list for message in item.messages]

    if hasattr(exc, "error_dict"):
        return {field: detail(DjangoValidationError(errors)) for field, errors in exc.error_dict.items()}
    return {"non_field_errors": detail(exc)}


STATUS_CODES = {
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "too_large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def error_response(message: str, code: str, status_code: int, errors=None, codes=None) -> Response:
    return Response({"message": message, "code": code, "errors": errors or {}, "codes": codes or {}},
                    status=status_code)


def exception_handler(exc, context):
    """Turn every API error into the one shape, with the right status code and a stable code."""
    if isinstance(exc, ConflictError):  # before ValidationError: it is one, but answers 409
        errors, codes = _flatten(_django_error_detail(exc))
        code = next((c for items in codes.values() for c in items if c != "invalid"), "conflict")
        return error_response(exc.messages[0] if exc.messages else _("Conflict."), code, status.HTTP_409_CONFLICT,
                              errors, codes)
    if isinstance(exc, IntegrityError) and (found := unique_constraint_of(exc)):
        # Two requests saved the same thing at once: both passed validation, the database refused the second.
        model, name, fields = found
        message = _("The same %(what)s was saved by someone else at the same moment; reload and check.") % {
            "what": model._meta.verbose_name}
        field = fields[-1] if fields else "non_field_errors"
        response = error_response(message, "constraint_conflict", status.HTTP_409_CONFLICT, {field: [message]},
                                  {field: ["unique"]})
        response.data["constraint"] = name
        set_rollback()
        return response
    if isinstance(exc, DataError):
        # A value the database cannot hold (e.g. a NUL byte in text on PostgreSQL): bad input, not a server error.
        set_rollback()
        return error_response(_("The input holds a value the database cannot store (for example a NUL character)."),
                              "invalid_value", status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return error_response(_("The request is too large."), "too_large", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors, codes = _flatten(exc.detail)
        first = next((messages[0] for messages in errors.values() if messages), "")
        message = first if first and list(errors) == ["non_field_errors"] else _("The input is not valid.")
        code = codes["non_field_errors"][0] if list(codes) == ["non_field_errors"] else "invalid"
        response.data = {"message": message, "code": code, "errors": errors, "codes": codes}
        return response
    detail = getattr(exc, "detail", response.data)
    code = getattr(detail, "code", None) or STATUS_CODES.get(response.status_code, "error")
    if code in {"error", "invalid"} and response.status_code in STATUS_CODES:
        code = STATUS_CODES[response.status_code]
    response.data = {"message": str(detail if not isinstance(detail, dict) else detail), "code": code,
                     "errors": {}, "codes": {}}
    return response
