"""Operational endpoints: the health check and the API docs pages."""
import logging

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

logger = logging.getLogger(__name__)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not answering"; the message says why
        return f"error: {exc.__class__.__name__}: {exc}"
    return "ok"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # unreachable broker, refused connection, bad credentials
        return f"error: {exc.__class__.__name__}: {exc}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Whether the database and the broker answer (the broker may be "eager": no broker, in-process).

    Anyone (a load balancer, a monitor) learns only ok / error; the details (which part failed, hosts and ports in
    the error messages) go to logged-in staff and to the log.
    """
    database = _database_status()
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "eager")
    if not healthy:
        logger.warning("health check failed: database=%s broker=%s", database, broker)
    body = {"status": "ok" if healthy else "error"}
    if request.user.is_authenticated and request.user.is_staff:
        body.update(database=database, broker=broker)
    return JsonResponse(body, status=200 if healthy else 503)


# The API docs: Swagger UI and ReDoc from drf-spectacular-sidecar's static files, for logged-in users (a browser
# without a session goes to the admin login); the schema itself answers 401 without credentials (SERVE_PERMISSIONS).
# Swagger UI fits the site's policy as it is: its start script comes from the same view (?script), not inline, and it
# sets styles only through the DOM. ReDoc needs two things more, on its page only: it writes its styles into <style>
# elements it creates (styled-components; some before a nonce could reach it), and its search runs in a Web Worker
# made from a blob: URL. Scripts stay 'self' on both pages. (ReDoc's sidebar logo from cdn.redoc.ly stays blocked.)
REDOC_CSP = {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}

api_docs = login_required(
    SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs/swagger_ui.html")
)
api_redoc = csp_update(REDOC_CSP)(login_required(
    SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html")
))
