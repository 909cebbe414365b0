"""Test-wide fixtures: service markers, users with roles, a real Celery worker for broker tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
# With REQUIRE_SERVICES=postgres,broker (CI's PostgreSQL run), a marked test whose service is
# missing fails instead of skipping: nothing hides behind a skip there.
REQUIRED = {name.strip() for name in os.environ.get("REQUIRE_SERVICES", "").split(",") if name.strip()}


def _missing_service(marker: str) -> str | None:
    if marker == "postgres":
        from django.db import connection

        return None if connection.vendor == "postgresql" else "needs PostgreSQL (set DATABASE_URL=postgres://...)"
    if marker == "broker":
        return None if os.environ.get("CELERY_BROKER_URL") else "needs a real broker (set CELERY_BROKER_URL)"
    if marker == "browser":
        if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
            return "needs Chromium (/usr/bin/chromium)"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "needs Playwright (pip install playwright)"
        return None
    return None


DEMO_CITY_MODULE = "demo/tests/test_loaded_city.py"


@pytest.hookimpl(optionalhook=True)  # pytest -p no:xdist runs without it
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``make test`` runs a process per core) tests go out one by one in collection order, as
    with ``--dist load`` (pytest-django's order: tests that flush the database last), except that the tests of the
    whole demo city go to one process together, which builds the city once for the run."""
    from xdist.scheduler import LoadScopeScheduling

    class DemoCityOnce(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return DEMO_CITY_MODULE if nodeid.startswith(f"{DEMO_CITY_MODULE}::") else nodeid

    return DemoCityOnce(config, log)


def pytest_runtest_setup(item):
    # A hook, not a fixture: it must run before session fixtures such as the worker start.
    for marker in ("postgres", "broker", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason:
            if marker in REQUIRED:
                pytest.fail(f"{marker} test cannot run here: {reason}")
            pytest.skip(reason)


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(role, region=None)``: an active user holding ``role``, bound to ``region``."""
    from django.contrib.auth.models import Group

    from accounts.models import UserProfile

    counter = {"n": 0}

    def make(role: str | None = None, region=None, **extra):
        counter["n"] += 1
        user = django_user_model.objects.create_user(
            username=extra.pop("username", f"{role or 'nobody'}{counter['n']}"), password="pw-12345", **extra
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        UserProfile.objects.create(user=user, region=region)
        return user

    return make


@pytest.fixture
def as_role(api_client, make_user):
    """``as_role(role, region=None)``: log the API client in as a new user of that role."""
    def login(role, region=None):
        user = make_user(role, region=region)
        api_client.force_authenticate(user)
        return user

    return login


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def worker_log() -> Path:
    """The log of this test process's Celery worker."""
    return ROOT / "var" / f"test-worker-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, django_db_blocker):
    """A real Celery worker (solo pool) on the configured broker, seeing the test database: one per test process."""
    from django.db import connection

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict.get('USER') or ''}@{settings_dict.get('HOST') or '127.0.0.1'}:"
            f"{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
        )
    name = os.environ.get("PYTEST_XDIST_WORKER", "main")  # one worker per test process (its queue: test_settings)
    log = open(worker_log(), "w")  # noqa: SIM115 -- closed after the session
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-c", "1", "-n", f"{name}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    node = None
    while node is None and time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited early; see {log.name}")
        try:
            node = next((node for answer in app.control.ping(timeout=1.0) for node in answer
                         if node.startswith(f"{name}@")), None)
        except Exception:  # broker not ready yet
            time.sleep(0.5)
    if node is None:
        process.terminate()
        raise RuntimeError("the Celery worker did not answer a ping within 60 s")
    yield process, node
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def celery_worker_process(_celery_worker_session):
    """The session's worker, left idle when the test ends: a task still writing (a webhook delivery holds its
    subscription's row) while the test database is flushed can deadlock the flush and fail the next test."""
    process, node = _celery_worker_session
    yield process
    from config.celery import app

    deadline = time.monotonic() + 60  # a bound, not an assertion: a busy worker past it is the next test's problem
    while time.monotonic() < deadline and process.poll() is None:
        inspect = app.control.inspect(destination=[node], timeout=2.0)
        answers = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if all(answer and not answer.get(node) for answer in answers):
            return
        time.sleep(0.2)


@contextmanager
def rolled_back(django_db_blocker):
    """Rows built once for a module (a module-scoped fixture) inside a transaction rolled back after it; each test
    reads them in its own savepoint (the ``db`` fixture)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (a request in English must not leak into the next test)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# What a test process sets for itself and a ``manage.py`` run as a deployment would must not inherit: the test run's
# database and broker, and the browser tests' leave to call the ORM beside Playwright's event loop (``_chromium``).
TEST_ONLY_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Browser tests save their screenshots here; CI keeps the folder as its artefact (SCREENSHOT_DIR overrides it).
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))


@pytest.fixture(scope="session")
def _chromium():
    """Headless Chromium (Debian's, driven by Playwright), started once per test process at its first browser test:
    starting and stopping it took about two seconds a test."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread from here on, which Django's ORM takes for an async
    # context; the project has no async code, and the ORM calls of the tests are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    """A page of headless Chromium in a Chinese locale, A4-sized viewport, in a context of its own (no cookies,
    storage or cache shared with another test)."""
    context = _chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "district-home")`` saves a full-page PNG into the artefact folder and returns its path."""

    def take(page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
