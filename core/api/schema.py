"""The OpenAPI schema documents the error answers: one ``Error`` component (see ``core.api.exceptions``).

A drf-spectacular postprocessing hook gives every operation the 400/401/403/404/429 answers, and the writes the
409 (a conflict with the ledger or with a concurrent save), unless a view documents its own.
"""
from __future__ import annotations

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: a message in the user's language, a stable code, and per-field messages and "
                   "codes (dotted names for nested fields, `non_field_errors` for the rest).",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string", "description": "e.g. invalid, not_authenticated, permission_denied, "
                                                  "another_region, not_found, conflict, constraint_conflict, "
                                                  "parse_error, too_deep, too_large, throttled"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "codes": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "constraint": {"type": "string", "description": "the unique constraint refused (constraint_conflict only)"},
        "rows": {"type": "array", "items": {"type": "object"},
                 "description": "an import refused: each problem with its spreadsheet row, field, column and code"},
    },
    "required": ["message", "code", "errors", "codes"],
}

ERROR_ANSWERS = {
    "400": "The input is not valid (the request, a field, a filter or a query parameter).",
    "401": "No credentials, or a wrong, expired or revoked token.",
    "403": "The role may not do this, or the object belongs to another region.",
    "404": "No such object (or not visible to this user), or no such page.",
    "409": "The change conflicts with the ledger's state or with a concurrent save.",
    "429": "Too many requests; the Retry-After header says when to come back.",
}
WRITE_ONLY = {"409"}
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options", "trace"}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: the ``Error`` component and the error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status_code, description in ERROR_ANSWERS.items():
                if status_code in WRITE_ONLY and method not in WRITES:
                    continue
                responses.setdefault(status_code, {"description": description, "content": content})
    return result
