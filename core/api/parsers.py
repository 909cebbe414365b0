"""The API's JSON parser: DRF's, refusing bodies nested deeper than any of our inputs can be."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20  # our deepest input (a hiring plan's lines, a loan's return plan) is 3 levels deep


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(_("The body is not valid %(encoding)s text.") % {"encoding": encoding}) from exc
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH},
                             code="too_deep")
        from io import BytesIO

        return super().parse(BytesIO(raw), media_type, parser_context)
