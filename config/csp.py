"""What the Content-Security-Policy lets through beyond settings.CONTENT_SECURITY_POLICY, and where.

The site's own pages need nothing more: their styles and scripts are files under static/. Django's admin needs nothing
either, but two third-party admin templates carry a few inline attributes: django-import-export's export page (an
``onchange`` handler on its "select all" box, without which the box does nothing, and two style attributes) and
django-simple-history's history page (one style attribute). On admin pages, and only there, the policy allows exactly
these attribute values by their hashes ('unsafe-hashes' covers attributes, which nonces cannot); any other inline
handler or style attribute stays blocked. DRF's browsable API pages (HTML answers of the API) likewise allow the style
attributes of DRF's own templates, read from the installed package so they follow its version. The API docs pages
widen the policy themselves (config.views).
"""
import base64
import hashlib
import re
from pathlib import Path

import rest_framework
from csp.constants import UNSAFE_HASHES

# The attribute values as the templates write them (config/tests/test_doors_csp.py checks they still do).
ADMIN_INLINE_HANDLERS = [
    "onSelectToggleChange(event)",  # import_export/templates/admin/import_export/export.html
]
ADMIN_INLINE_STYLES = [
    "padding: 0;",  # import_export/templates/admin/import_export/export.html
    "font-weight: bold;",  # the same
]


def csp_hash(value: str) -> str:
    """The CSP source expression allowing exactly ``value`` (an inline attribute's text)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"


ADMIN_CSP_UPDATE = {
    "script-src-attr": [UNSAFE_HASHES, *map(csp_hash, ADMIN_INLINE_HANDLERS)],
    "style-src-attr": [UNSAFE_HASHES, *map(csp_hash, ADMIN_INLINE_STYLES)],
}



def _drf_template_styles() -> list[str]:
    folder = Path(rest_framework.__file__).parent / "templates" / "rest_framework"
    found = {value for path in folder.rglob("*.html") for value in re.findall(r'style="([^"]*)"', path.read_text())}
    return sorted(found)


BROWSABLE_API_CSP_UPDATE = {"style-src-attr": [UNSAFE_HASHES, *map(csp_hash, _drf_template_styles())]}


def _is_browsable_api(response) -> bool:
    renderer = getattr(response, "accepted_renderer", None)
    return renderer is not None and getattr(renderer, "format", None) in {"api", "admin"}


class AdminCSPMiddleware:
    """Adds ADMIN_CSP_UPDATE to the policy of the admin's pages, BROWSABLE_API_CSP_UPDATE to the browsable API's.
    Goes right after csp.middleware.CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if getattr(response, "_csp_update", None) is not None:
            return response
        if match is not None and "admin" in match.namespaces:
            response._csp_update = ADMIN_CSP_UPDATE
        elif _is_browsable_api(response):
            response._csp_update = BROWSABLE_API_CSP_UPDATE
        return response
