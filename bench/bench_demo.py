"""How long the demo city takes to load (``load_demo``), part by part, on a fresh database.

    .venv/bin/python bench/bench_demo.py            # SQLite, a fresh var/bench-demo.sqlite3

Prints JSON. The tests build the city once per run (demo/tests/loaded); this is where its speed is watched.
"""
import json
import os
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
database = ROOT / "var" / "bench-demo.sqlite3"
database.parent.mkdir(exist_ok=True)
database.unlink(missing_ok=True)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

from demo import institutions, positions, quotas, workflow  # noqa: E402

call_command("migrate", verbosity=0)
timings = {}
started = time.perf_counter()
summary = institutions.load()
timings["registry_s"] = round(time.perf_counter() - started, 2)
for name, step in (("ledger_s", lambda: quotas.load(city=summary.city)), ("positions_s", positions.load),
                   ("workflow_s", lambda: workflow.load(stdout=StringIO()))):
    started = time.perf_counter()
    step()
    timings[name] = round(time.perf_counter() - started, 2)
timings["total_s"] = round(sum(timings.values()), 2)
print(json.dumps(timings))
