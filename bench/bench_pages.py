"""Server time of every page of ours and of the admin, at demo scale, as each demo login.

    .venv/bin/python bench/bench_pages.py                       # builds var/bench-pages.sqlite3 (~1 min) if missing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quota_pages .venv/bin/python bench/bench_pages.py --build

Walks the URL map as the Chinese-everywhere test does (``demo/tests/test_demo_ascii.py``: every page of ours, with
the first row of its object each login may see, and per admin model its changelist, a change page and its
history), as the demo logins city, daoli, hr, auditor and finance; a page it has no row for is listed under
``not_measured``. Each page is asked for three times through Django's test client
(no network, no static files), and its median server time is kept. Prints JSON: the slowest pages, every page over
the budget, the status codes seen, and exits 1 if a page answered 500 or took longer than the budget (1 s).
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--build", action="store_true", help="migrate and load the demo city first")
parser.add_argument("--budget", type=float, default=1.0, help="seconds a page may take on the server")
parser.add_argument("--roles", default="city,daoli,hr,auditor,finance")
arguments = parser.parse_args()
database = ROOT / "var" / "bench-pages.sqlite3"
database.parent.mkdir(exist_ok=True)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-pages")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
build = arguments.build or (os.environ["DATABASE_URL"].startswith("sqlite") and not database.exists())

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

# Static files as in development (no manifest to collect first): the pages, not the file names, are measured here.
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

settings.SECURE_SSL_REDIRECT = False
if build:
    call_command("migrate", verbosity=0)
    call_command("setup_demo", verbosity=0)


def page_urls(user) -> tuple[list[str], list[str]]:
    """Every page of ours the user may be sent to, with the first row of its object the user may see (the same
    pages and rows as the Chinese-everywhere test, ``demo/tests/test_demo_ascii.py``), and the admin's pages."""
    from demo.tests.test_demo_ascii import admin_pages, our_pages

    urls, not_measured = our_pages(user)
    return [*urls, *admin_pages(user)], not_measured


def timed(client: Client, url: str) -> tuple[int, float]:
    times, status = [], 0
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - started)
        status = response.status_code
    return status, statistics.median(times)


results, statuses, not_measured, pages = [], {}, set(), 0
for username in arguments.roles.split(","):
    user = get_user_model().objects.get(username=username)
    urls, unknown = page_urls(user)
    not_measured.update(unknown)
    pages = max(pages, len(urls))
    client = Client()
    client.force_login(user)
    for url in urls:
        status, seconds = timed(client, url)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status == 200:
            results.append({"login": username, "url": url, "ms": round(seconds * 1000, 1)})
        elif status >= 500:
            results.append({"login": username, "url": url, "ms": round(seconds * 1000, 1), "status": status})
results.sort(key=lambda row: -row["ms"])
over = [row for row in results if row["ms"] > arguments.budget * 1000 or row.get("status", 200) >= 500]
print(json.dumps({
    "database": "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite",
    "pages": pages, "logins": arguments.roles.split(","), "statuses": statuses,
    "median_ms": statistics.median(row["ms"] for row in results) if results else None,
    "slowest": results[:15], "over_budget": over, "not_measured": sorted(not_measured),
}, ensure_ascii=False, indent=1))
sys.exit(1 if over else 0)
