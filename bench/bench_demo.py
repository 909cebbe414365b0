"""How long the demo city takes to load (``load_demo``), part by part, on a fresh database.

    .venv/bin/python bench/bench_demo.py            # SQLite, a fresh var/bench-demo.sqlite3

Prints JSON: seconds per part (the reform's plans and its ledger postings are ``reform_s``), their total, and the
process's CPU seconds over all of them (on a busy machine the wall-clock figures grow, the CPU figure much less).
The tests build the city once per run (demo/tests/test_loaded_city.py); this is where its speed is watched.
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

from demo import institutions, positions, quotas, reform, workflow  # noqa: E402

call_command("migrate", verbosity=0)
timings = {}
started, cpu_started = time.perf_counter(), time.process_time()
summary = institutions.load()
timings["registry_s"] = round(time.perf_counter() - started, 2)
cpu_registry = time.process_time() - cpu_started
steps = (
    ("ledger_s", lambda: quotas.load_before_reform(city=summary.city)),
    ("reform_s", lambda: reform.load(city=summary.city)),
    ("ledger_after_s", lambda: quotas.load_after_reform(city=summary.city)),
    ("positions_s", positions.load),
    ("workflow_s", lambda: workflow.load(stdout=StringIO())),
)
cpu = time.process_time()
for name, step in steps:
    started = time.perf_counter()
    step()
    timings[name] = round(time.perf_counter() - started, 2)
timings["total_s"] = round(sum(timings.values()), 2)
timings["cpu_s"] = round(time.process_time() - cpu + cpu_registry, 2)  # wall time grows on a busy machine; CPU less
print(json.dumps(timings))
