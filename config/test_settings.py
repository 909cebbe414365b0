"""Settings for the test suite: the real ones, with fast password hashing and tasks not run eagerly."""
import os

os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: E402,F403
from config.settings import CELERY_BROKER_URL, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test database need not survive a crash of the server: PostgreSQL confirms a commit without waiting for its WAL
# to reach the disk (a commit is still seen at once by every other connection, so the concurrency tests hold).
# Measured on the API permission table alone, migrations included: 56 s → 51 s.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # after the settings' jit=off
# Eager mode is for the embedded site; tests call tasks directly or, under the broker marker,
# through a real worker. Without a broker, the in-memory transport keeps .delay() harmless.
CELERY_TASK_ALWAYS_EAGER = False
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"

# The ledger's readers are called directly by the tests that need them; a posting in any other test enqueues
# nothing (with a real worker, a read racing a transactional test's flush deadlocks). The broker test of the hook
# turns it on.
LEDGER_POSTING_HOOKS: list[str] = []
# Likewise the change log's sequencer and webhooks: the tests that need them call them, or turn the hook on.
CHANGE_HOOKS: list[str] = []
# Webhook retries in seconds, not minutes, for the worker of the broker tests (other tests set their own).
WEBHOOK_RETRY_BASE_SECONDS = 0.2
WEBHOOK_RETRY_MAX_SECONDS = 1.0
WEBHOOK_MAX_FAILURES = 30

# Under pytest-xdist each test process has its own test database and its own Celery worker; a queue per process
# keeps one process's tasks from reaching the worker that sees the other's database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    CELERY_TASK_DEFAULT_QUEUE = f"tests-{XDIST_WORKER}"

# Tests log errors only (LOG_LEVEL overrides): Django logs every 403 and 404 as a warning with its traceback, which
# was formatted once for the console and once for pytest's capture, a twentieth of the permission tables' time.
# A test about a log sets its own level (``caplog.set_level``).
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "ERROR")  # noqa: F405
