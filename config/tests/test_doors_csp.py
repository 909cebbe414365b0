"""The doors of the security issue: the Content-Security-Policy, the API docs behind a login, a quiet health check."""
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template

from accounts.roles import Role
from config import csp as site_csp

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# Pages of our own (a city-office user sees each) and of the admin (a superuser), all answering 200.
OUR_PAGES = ["/", "/positions/reconciliation/", "/positions/reclamation/", "/positions/inbox/", "/reforms/effect/",
             "/standards/", "/quotas/scenarios/", "/quotas/scenarios/compare/", "/api/docs/", "/api/redoc/"]
ADMIN_PAGES = ["/admin/", "/admin/institutions/institution/", "/admin/institutions/institution/add/",
               "/admin/institutions/institution/export/", "/admin/quotas/quotatransfer/"]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_site_policy(directives: dict[str, list[str]]) -> None:
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "script-src" not in directives and "script-src-elem" not in directives  # scripts: 'self' only
    for sources in directives.values():
        assert not any(source.startswith(("http:", "https:")) or source == "*" for source in sources)


@pytest.fixture
def city_office(client, make_user):
    client.force_login(make_user(Role.CITY_OFFICE))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", OUR_PAGES)
def test_our_pages_carry_the_policy(city_office, url):
    response = city_office.get(url)

    assert response.status_code == 200
    directives = policy(response)
    assert_site_policy(directives)
    if url == "/api/redoc/":  # ReDoc's own styles and search worker, on its page only (config.views.REDOC_CSP)
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["worker-src"] == ["'self'", "blob:"]
    else:
        assert "style-src" not in directives and "worker-src" not in directives
        assert "'unsafe-hashes'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_carry_the_policy_with_only_the_hashed_attributes(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 200
    directives = policy(response)
    assert_site_policy(directives)
    assert directives["script-src-attr"] == ["'unsafe-hashes'", site_csp.csp_hash("onSelectToggleChange(event)")]
    assert directives["style-src-attr"] == ["'unsafe-hashes'", *map(site_csp.csp_hash, site_csp.ADMIN_INLINE_STYLES)]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_browsable_api_allows_exactly_the_style_attributes_its_page_carries(city_office):
    response = city_office.get("/api/v1/institutions/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    directives = policy(response)
    assert_site_policy(directives)
    page_styles = set(re.findall(r'style="([^"]*)"', response.content.decode()))
    assert page_styles  # DRF's page has some; each is allowed by its hash, nothing else inline
    allowed = set(directives["style-src-attr"])
    assert {site_csp.csp_hash(value) for value in page_styles} <= allowed
    assert directives["style-src-attr"][0] == "'unsafe-hashes'" and "'unsafe-inline'" not in allowed
    assert "script-src-attr" not in directives


@pytest.mark.django_db
def test_json_answers_of_the_api_carry_the_plain_policy(city_office):
    response = city_office.get("/api/v1/institutions/", HTTP_ACCEPT="application/json")

    assert "style-src-attr" not in policy(response)


@pytest.mark.django_db
def test_the_login_page_and_the_health_check_carry_the_policy(client):
    for url in ("/admin/login/", "/healthz"):
        assert_site_policy(policy(client.get(url)))


@pytest.mark.parametrize(
    ("template", "snippets"),
    [
        ("admin/import_export/export.html", ['onchange="onSelectToggleChange(event)"', 'style="padding: 0;"',
                                             'style="font-weight: bold;"']),
    ],
)
def test_the_hashed_admin_attributes_are_those_of_the_installed_templates(template, snippets):
    # After an upgrade of import-export or simple-history, this says whether config.csp still fits their templates.
    source = get_template(template).template.source
    allowed = {*site_csp.ADMIN_INLINE_HANDLERS, *site_csp.ADMIN_INLINE_STYLES}

    for snippet in snippets:
        assert snippet in source
        assert snippet.split("=", 1)[1].strip('"') in allowed


def test_our_history_list_needs_no_inline_style():
    # templates/simple_history/object_history_list.html replaces the package's, which had style="border-top: 0".
    assert 'style="' not in get_template("simple_history/object_history_list.html").template.source


def test_the_hash_is_the_browsers():
    # The hash Chromium names when it blocks style="padding: 0;" (base64 SHA-256 of the attribute's text).
    assert site_csp.csp_hash("padding: 0;") == "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='"


INLINE = [
    ("an inline <style> block", re.compile(r"<style\b", re.I)),
    ("a style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("an inline <script> (without src)", re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)),
    ("an inline event handler", re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)),
    ("a javascript: URL", re.compile(r"javascript:", re.I)),
]


def test_the_scan_finds_our_templates():
    assert len(TEMPLATES) > 15 and ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_template_of_ours_has_inline_style_or_script(template):
    source = template.read_text(encoding="utf-8")

    for what, pattern in INLINE:
        match = pattern.search(source)
        assert match is None, f"{template.relative_to(ROOT)} has {what}: {match.group(0)!r}"


@pytest.mark.parametrize("directory", ["css", "js"])
def test_every_static_file_our_templates_name_exists(directory):
    named = set()
    for template in TEMPLATES:
        named |= set(re.findall(r"""\{% static ['"]([^'"]+)['"] %\}""", template.read_text(encoding="utf-8")))

    assert {name for name in named if name.startswith(f"{directory}/")}
    for name in named:
        assert finders.find(name), f"{name} is named by a template but is not a static file"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_send_an_anonymous_browser_to_the_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/login/?next={url}"


@pytest.mark.django_db
def test_the_schema_refuses_an_anonymous_caller(client):
    response = client.get("/api/schema/")

    assert response.status_code in (401, 403)
    assert b"openapi" not in response.content


@pytest.mark.django_db
def test_the_swagger_start_script_needs_a_login_too(client):
    assert client.get("/api/docs/?script=").status_code == 302


@pytest.mark.django_db
def test_a_logged_in_user_reads_the_schema_and_the_docs(city_office):
    schema = city_office.get("/api/schema/")

    assert schema.status_code == 200
    assert schema.content.startswith(b"openapi: 3")
    for url in ("/api/docs/", "/api/docs/?script=", "/api/redoc/"):
        assert city_office.get(url).status_code == 200


def local_urls(html: str) -> list[str]:
    return re.findall(r"""\b(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_only_our_own_static_files(city_office, url):
    html = city_office.get(url).content.decode()
    urls = local_urls(html)

    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I), "the page names another host"
    assert urls
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    for target in urls:
        assert target.startswith("/") and not target.startswith("//"), target
        if target.startswith(static):
            assert finders.find(target.split("?")[0].removeprefix(static)), f"{target} is not one of our static files"
    scripts = [target for target in urls if target.endswith(".js") or "script" in target]
    assert any("drf_spectacular_sidecar/" in target for target in scripts)
    if url == "/api/docs/":
        assert "/api/docs/?script=" in urls  # Swagger UI's start script: from the view, not inline
        assert "<script>" not in html


@pytest.mark.django_db
def test_the_swagger_start_script_names_no_other_host(city_office):
    script = city_office.get("/api/docs/?script=")

    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert not re.search(r"https?://", script.content.decode())


FAILING_DATABASE = "error: OperationalError: connection to server at \"db.internal\" (10.0.0.5), port 5432 failed"


@pytest.mark.django_db
def test_an_anonymous_caller_learns_only_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_an_anonymous_caller_learns_only_error_and_the_log_keeps_the_details(client, monkeypatch, caplog):
    caplog.set_level(logging.WARNING)  # the tests' settings log errors only
    monkeypatch.setattr("config.views._database_status", lambda: FAILING_DATABASE)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "db.internal" not in response.content.decode()
    assert "db.internal" in caplog.text


@pytest.mark.django_db
def test_a_logged_in_user_who_is_not_staff_learns_only_ok(client, make_user):
    client.force_login(make_user(Role.CITY_OFFICE))

    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_staff_see_the_details(client, make_user, monkeypatch):
    client.force_login(make_user(Role.CITY_OFFICE, is_staff=True))

    healthy = client.get("/healthz")
    monkeypatch.setattr("config.views._database_status", lambda: FAILING_DATABASE)
    failing = client.get("/healthz")

    assert healthy.status_code == 200
    assert healthy.json()["database"] == "ok" and healthy.json()["broker"] in ("ok", "eager")
    assert failing.status_code == 503
    assert failing.json() == {"status": "error", "database": FAILING_DATABASE, "broker": healthy.json()["broker"]}
