"""Benchmark of a reform plan: previewing and executing a plan of 200 operations.

Run from the project root with the project's virtualenv, on SQLite (a fresh var/bench-reform.sqlite3) or on
PostgreSQL (the database named in the URL is dropped and created again; its name must contain "bench"):

    .venv/bin/python bench/bench_reform.py
    .venv/bin/python bench/bench_reform.py --database-url postgres://postgres@127.0.0.1:5432/quota_bench_reform

Setup (not measured): the city level and 4 districts, 500 units each with quotas through the ledger and a staff
count, and a plan of 200 operations: 50 mergers of two units into a third (approved at the sum), 50 abolitions whose
staff all leave the quota (quotas reclaimed), 50 devolutions from the city level to a district and 50 renamings.
Measured: the preview (`reform_plan_preview`) and the execution (`reform_plan_execute`, one transaction). Prints
JSON; exits 1 if the execution misses its target (2 s on PostgreSQL, 2 cores) or the ledger does not reconcile.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ledger import recreate_postgres, set_up_django  # noqa: E402

TARGET_EXECUTE_S = 2.0
FUNDED = datetime.date(2024, 1, 2)
PLAN_DAY = datetime.date(2026, 3, 1)


def build(units: int):
    from institutions.models import ApprovalDocument, Institution, Region
    from positions.models import StaffCount
    from quotas import services as ledger

    city = Region.objects.create(code="230100", name="市本级", kind="city")
    districts = [Region.objects.create(code=f"2301{n:02d}", name=f"区{n}", kind="main_urban", parent=city)
                 for n in range(2, 6)]
    document = ApprovalDocument.objects.create(issuer="市委编办", office_code="哈编发", year=2024, serial=1,
                                               title="批复", date_issued=FUNDED, date_effective=FUNDED, region=city)
    quota_type = ledger.quota_type_get()
    created = []
    for index in range(units):
        region = city if index % 2 == 0 else districts[index % 4]
        created.append(Institution(name=f"单位{index:04d}", region=region, established_on=datetime.date(2010, 1, 1)))
    Institution.objects.bulk_create(created)
    created = list(Institution.objects.order_by("pk"))
    for region in [city, *districts]:
        pool = ledger.account_for_region(region=region, quota_type=quota_type)
        ledger.quota_grant(target=pool, amount=20 * units, document=document, effective_date=FUNDED, by=None)
    for unit in created:
        ledger.quota_allocate(source=ledger.account_for_region(region=unit.region, quota_type=quota_type),
                              target=ledger.account_for_institution(institution=unit, quota_type=quota_type),
                              amount=12, document=document, effective_date=FUNDED, by=None)
    StaffCount.objects.bulk_create(
        StaffCount(institution=unit, as_of=datetime.date(2025, 12, 31), management=2, professional=4,
                   intermediate=4, worker=1, total=7) for unit in created)
    return city, districts, document, created


def plan_of_200(city, districts, created):
    from reforms import services
    from reforms.models import OperationKind, SurplusAction

    plan = services.reform_plan_create(by=None, region=city, title="基准测试方案", effective_date=PLAN_DAY)
    city_units = [unit for unit in created if unit.region_id == city.pk]
    cursor = 0

    def take(count):
        nonlocal cursor
        chosen = city_units[cursor:cursor + count]
        cursor += count
        return chosen

    for _ in range(50):
        survivor, source = take(2)
        services.reform_operation_save(plan=plan, by=None, kind=OperationKind.MERGE, institution=survivor,
                                       sources=[source], approved_total=24)
    for _ in range(50):
        (unit,) = take(1)
        services.reform_operation_save(
            plan=plan, by=None, kind=OperationKind.ABOLISH, institution=unit, surplus=SurplusAction.RECLAIM,
            placements=[{"category": "management", "count": 2}, {"category": "worker", "count": 1},
                        {"category": "professional", "band": "intermediate", "count": 4}])
    for index in range(50):
        (unit,) = take(1)
        services.reform_operation_save(plan=plan, by=None, kind=OperationKind.DEVOLVE, institution=unit,
                                       new_region=districts[index % 4])
    for _ in range(50):
        (unit,) = take(1)
        services.reform_operation_save(plan=plan, by=None, kind=OperationKind.RENAME, institution=unit,
                                       new_name=f"{unit.name}（更名）")
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the execution to FILE")
    args = parser.parse_args()
    if args.database_url:
        recreate_postgres(args.database_url)
    set_up_django(args.database_url, ROOT / "var" / "bench-reform.sqlite3")

    from django.db import connection

    from quotas.selectors import ledger_reconcile
    from reforms import services

    city, districts, document, created = build(args.units)
    plan = plan_of_200(city, districts, created)
    started = time.perf_counter()
    preview = services.reform_plan_preview(plan)
    preview_s = time.perf_counter() - started
    if preview["problems"]:
        print(json.dumps(preview["problems"][:5], ensure_ascii=False))
        return 1
    services.reform_plan_submit(plan=plan, by=None)
    services.reform_plan_approve(plan=plan, by=None, document=document)
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    services.reform_plan_execute(plan=plan, by=None)
    execute_s = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    reconciles = ledger_reconcile().ok
    result = {"database": connection.vendor, "operations": plan.operations.count(), "units": args.units,
              "preview_s": round(preview_s, 2), "execute_s": round(execute_s, 2),
              "target_execute_s": TARGET_EXECUTE_S, "ledger_reconciles": reconciles}
    print(json.dumps(result))
    missed = connection.vendor == "postgresql" and execute_s > TARGET_EXECUTE_S
    return 1 if missed or not reconciles else 0


if __name__ == "__main__":
    sys.exit(main())
