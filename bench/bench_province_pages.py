"""Server time of the pages issue 18 budgets, on the province database that ``bench/province.py`` builds.

    .venv/bin/python bench/province.py --database-url postgres://postgres@127.0.0.1:5432/quota_bench_province \
        --transfers 1e5 --no-check
    .venv/bin/python bench/bench_province_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/quota_bench_province

As a city-office login (``bench-city``, created if missing), through Django's test client (no network, no static
files), each page asked once to warm up and then three times, the median kept: the reconciliation of the whole
province and of one district, today and as of a past date; the reform's effect report; the city office's home page
(the dashboard) and its second request, the rules broken now; the standards page; a page of 100 of the API's
institutions. Budgets: the whole province 1 s, one region 200 ms (both today and on a past date); the effect
report, the home page, its second request and the standards page 1 s; the API page 2 ms a row. Prints JSON; exits
1 if a page misses its budget or does not answer 200.
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
parser.add_argument("--database-url", required=True, help="the province database (bench/province.py)")
parser.add_argument("--past", default="2020-06-30", help="the past date the reconciliation is asked for")
arguments = parser.parse_args()
os.environ.update({"DATABASE_URL": arguments.database_url, "DEBUG": "false", "SECRET_KEY": "bench-province-pages",
                   "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "config.settings"})

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

settings.SECURE_SSL_REDIRECT = False
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import UserProfile  # noqa: E402
from accounts.roles import Role  # noqa: E402
from institutions.models import Institution, Region  # noqa: E402

user, created = get_user_model().objects.get_or_create(username="bench-city")
if created:
    user.groups.add(Group.objects.get(name=Role.CITY_OFFICE))
    UserProfile.objects.create(user=user)
region = Region.objects.filter(parent__isnull=False).order_by("code").first()
past = arguments.past
PAGES = [  # (what, address, budget in ms)
    ("reconciliation, whole province", "/positions/reconciliation/", 1000),
    ("reconciliation, one region", f"/positions/reconciliation/?region={region.pk}", 200),
    ("reconciliation, whole province, past date", f"/positions/reconciliation/?on={past}", 1000),
    ("reconciliation, one region, past date", f"/positions/reconciliation/?region={region.pk}&on={past}", 200),
    ("effect report", "/reforms/effect/", 1000),
    ("home page (dashboard), city office", "/", 1000),
    ("the home page's rules broken now (second request)", "/home/findings/", 1000),
    ("standards page (every rule broken now)", "/standards/", 1000),
    ("API institutions, page of 100", "/api/v1/institutions/?page_size=100", 200),
]
client = Client()
client.force_login(user)
results, failed = [], False
for what, url, budget in PAGES:
    client.get(url)
    times, status = [], 0
    for _ in range(3):
        started = time.perf_counter()
        status = client.get(url).status_code
        times.append(time.perf_counter() - started)
    ms = round(statistics.median(times) * 1000)
    met = status == 200 and ms <= budget
    failed |= not met
    results.append({"page": what, "url": url, "status": status, "ms": ms, "budget_ms": budget, "met": met})
print(json.dumps({"units": Institution.objects.count(), "regions": Region.objects.count(), "pages": results},
                 ensure_ascii=False, indent=1))
sys.exit(1 if failed else 0)
