"""Benchmark of the ledger's reads on a date as the log grows: a province at 10⁵ transfers and a larger one, one run.

    .venv/bin/python bench/bench_ledger_reads.py --database-url postgres://postgres@127.0.0.1:5432/quota_bench_reads
    .venv/bin/python bench/bench_ledger_reads.py --database-url … --large 1e7       # the full target

Each size is built by the province generator (bench/province.py: 150 regions, 40,000 units, the transfers over
2016-2025, every whole month closed; the database is dropped and built again for the second size), then measured:

- ``totals_by_region(on)`` on 5 dates from an early year to a recent day (median of 5 runs each, after one unmeasured);
- the same totals read the way they were before closings, every transfer up to the date summed (written here with
  the ORM; median of 3): what the closings buy;
- ``account_balance_on`` of 1,000 random accounts on random dates, ``totals_by_level`` on the recent day (median of 5),
  and ``ledger_reconcile`` once (it must pass);
- at the larger size, ``EXPLAIN (ANALYZE, BUFFERS)`` of each query of the region totals on the recent day (the plans'
  top lines: which indexes are used).

Prints one JSON document with the ratios larger/smaller; exits 1 if region totals take more than 100 ms at the larger
size, if their time grows more than twice from 10⁵, or if a ledger does not reconcile. PostgreSQL only (the generator
writes with COPY).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_ledger import summary_ms  # noqa: E402
from bench.province import build, transfers_count  # noqa: E402

TARGET_REGION_TOTALS_MS = 100.0
TARGET_RATIO = 2.0
DATES = (datetime.date(2016, 8, 31), datetime.date(2018, 3, 15), datetime.date(2020, 12, 31),
         datetime.date(2023, 7, 15), datetime.date(2025, 12, 20))
RECENT = DATES[-1]
PLAN_LINES = 14


def median_ms(read, runs: int) -> float:
    """The median wall time of ``runs`` calls of ``read``, after one unmeasured call (warm caches)."""
    read()
    seconds = []
    for _run in range(runs):
        started = time.perf_counter()
        read()
        seconds.append(time.perf_counter() - started)
    return round(statistics.median(seconds) * 1000, 2)


def totals_from_the_log(on: datetime.date) -> dict[tuple, int]:
    """Region totals by holder kind the way they were read before closings: every transfer effective by ``on``
    summed, per side (the comparison only; the product reads ``quotas.selectors.totals_by_region``)."""
    from django.db.models import Sum

    from quotas.models import QuotaTransfer

    totals: dict[tuple, int] = {}
    for side, sign in (("target", 1), ("source", -1)):
        rows = (QuotaTransfer.objects.filter(effective_date__lte=on).order_by()
                .values(f"{side}__region_id", f"{side}__holder_kind").annotate(total=Sum("amount"))
                .values_list(f"{side}__region_id", f"{side}__holder_kind", "total"))
        for region, kind, amount in rows:
            totals[(region, kind)] = totals.get((region, kind), 0) + sign * amount
    return totals


def plans_of_region_totals(on: datetime.date) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT that ``totals_by_region(on)`` runs: its first lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quotas.selectors import totals_by_region

    with CaptureQueriesContext(connection) as captured:
        totals_by_region(on)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            lines = [row[0] for row in cursor.fetchall()]
            plans.append({"query": query["sql"][:300], "time_ms": float(query["time"]) * 1000,
                          "plan": lines[:PLAN_LINES], "execution": lines[-1]})
    return plans


def measure(rng: random.Random, *, explain: bool) -> dict:
    """Every read on the database just built."""
    from quotas.models import QuotaAccount
    from quotas.selectors import account_balance_on, ledger_reconcile, totals_by_level, totals_by_region

    region_totals = {on.isoformat(): median_ms(lambda on=on: totals_by_region(on), 5) for on in DATES}
    from_log = {on.isoformat(): median_ms(lambda on=on: totals_from_the_log(on), 3) for on in DATES}
    accounts = rng.sample(list(QuotaAccount.objects.order_by("pk")), 1000)
    days = (DATES[-1] - DATES[0]).days
    seconds = []
    for account in accounts:
        on = DATES[0] + datetime.timedelta(days=rng.randrange(days + 1))
        started = time.perf_counter()
        account_balance_on(account, on)
        seconds.append(time.perf_counter() - started)
    level_ms = median_ms(lambda: totals_by_level(RECENT), 5)
    started = time.perf_counter()
    check = ledger_reconcile()
    result = {
        "region_totals_ms": region_totals,
        "region_totals_from_the_log_ms": from_log,
        "account_balance_on_ms": summary_ms(seconds),
        "totals_by_level_ms": level_ms,
        "ledger_reconcile_seconds": round(time.perf_counter() - started, 1),
        "ledger_reconciles": check.ok,
    }
    if explain:
        result["region_totals_plans"] = plans_of_region_totals(RECENT)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME with 'bench' in NAME (recreated)")
    parser.add_argument("--small", type=transfers_count, default=100_000)
    parser.add_argument("--large", type=transfers_count, default=1_000_000, help="1e6 (default) or 1e7")
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()

    rng = random.Random(arguments.seed)
    sizes = {}
    for name, transfers in (("small", arguments.small), ("large", arguments.large)):
        load = os.getloadavg()
        built = build(arguments.database_url, transfers=transfers, seed=arguments.seed, check=False)
        measured = measure(rng, explain=name == "large")
        sizes[name] = {"transfers": transfers, "load_average_at_build": [round(value, 2) for value in load],
                       "load_average_after": [round(value, 2) for value in os.getloadavg()],
                       "build": built, **measured}
    small, large = sizes["small"], sizes["large"]
    ratios = {on: round(large["region_totals_ms"][on] / small["region_totals_ms"][on], 2)
              for on in small["region_totals_ms"]}
    worst_ms = max(large["region_totals_ms"].values())
    targets = {
        "region_totals_ms_at_large": {"target": f"<= {TARGET_REGION_TOTALS_MS:g}", "worst": worst_ms,
                                      "pass": worst_ms <= TARGET_REGION_TOTALS_MS},
        "region_totals_ratio_large_small": {"target": f"<= {TARGET_RATIO:g}", "worst": max(ratios.values()),
                                            "pass": max(ratios.values()) <= TARGET_RATIO},
    }
    result = {
        "cpus": os.cpu_count(),
        "sizes": sizes,
        "ratios_large_small": {
            "region_totals": ratios,
            "region_totals_from_the_log": {
                on: round(large["region_totals_from_the_log_ms"][on] / small["region_totals_from_the_log_ms"][on], 2)
                for on in small["region_totals_from_the_log_ms"]},
            "account_balance_on_median": round(large["account_balance_on_ms"]["median"]
                                               / small["account_balance_on_ms"]["median"], 2),
            "totals_by_level": round(large["totals_by_level_ms"] / small["totals_by_level_ms"], 2),
        },
        "targets": targets,
        "all_targets_pass": all(entry["pass"] for entry in targets.values()),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    reconciled = small["ledger_reconciles"] and large["ledger_reconciles"]
    return 0 if result["all_targets_pass"] and reconciled else 1


if __name__ == "__main__":
    sys.exit(main())
