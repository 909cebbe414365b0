"""Benchmark of the quota/position/staff reconciliation (reconciliation.selectors) at province scale, on PostgreSQL.

Run from the project root with a PostgreSQL server reachable as ``postgres@127.0.0.1:5432`` (or give ``--url``):

    .venv/bin/python bench/bench_reconciliation.py

It creates the database ``quota_bench_positions`` (dropping an old one), migrates it, writes a province-sized
dataset and drops the database again at the end (``--keep`` keeps it). The dataset: 13 cities of 11 districts and
counties, 40,000 public institutions under 2,000 supervising agencies, an institutional-quota account per unit
funded through the ledger (a grant to each region's pool, an allocation to each unit: stored balances equal the
transfers), a current position plan per unit plus an older version for a third of them, and a latest staff count
per unit plus an older one for half of them. Sizes, vacancies and overages are drawn from ``random.Random(seed)``.

Measured in the same run, median of ``--runs`` runs each:

- ``orm_ms``: ``reconciliation.selectors.reconciliation`` over every unit, evaluated as value rows (the SQL query and
  fetching every row; what the API pages and the page use);
- ``sql_ms``: one hand-written SQL query computing the same figures over the same tables, fetching every row:
  the faster of two formulations (DISTINCT ON, or an anti-join, for the latest plan and staff count);
- ``rows_ms``: the whole reconciliation as the platform delivers it: the ORM query plus, per unit, the direction
  and its sentence (``reconciliation_rows``).

Targets: ``rows_ms`` ≤ 2,000 ms and ``orm_ms`` ≤ 2 × ``sql_ms``. The two queries' figures are compared row by row
(exit status 1 if they differ or a target is missed). Prints one JSON document.

Fixture rows are bulk-inserted straight into a throwaway database: the ledger services are the only writers of the
project's ledger, but calling them 40,000 times would only measure them, not the reconciliation.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quota_bench_positions"
TARGET_MS = 2000.0
TARGET_RATIO = 2.0
DAY = datetime.date(2026, 6, 30)

# Two hand-written formulations of the same query; the faster is the baseline the ORM is held to. They differ
# only in how they pick the plan and staff count in effect: DISTINCT ON, or an anti-join ("no newer row by then").
DISTINCT_ON = """
WITH plan AS (
    SELECT DISTINCT ON (institution_id) *
    FROM positions_positionplan
    WHERE effective_date <= %(day)s
    ORDER BY institution_id, effective_date DESC
), staff AS (
    SELECT DISTINCT ON (institution_id) *
    FROM positions_staffcount
    WHERE as_of <= %(day)s
    ORDER BY institution_id, as_of DESC
"""
ANTI_JOIN = """
WITH plan AS (
    SELECT p.* FROM positions_positionplan p
    WHERE p.effective_date <= %(day)s AND NOT EXISTS (
        SELECT 1 FROM positions_positionplan n
        WHERE n.institution_id = p.institution_id AND n.effective_date > p.effective_date
          AND n.effective_date <= %(day)s)
), staff AS (
    SELECT s.* FROM positions_staffcount s
    WHERE s.as_of <= %(day)s AND NOT EXISTS (
        SELECT 1 FROM positions_staffcount n
        WHERE n.institution_id = s.institution_id AND n.as_of > s.as_of AND n.as_of <= %(day)s)
"""
FIGURES = """), account AS (
    SELECT a.institution_id, a.balance
    FROM quotas_quotaaccount a JOIN quotas_quotatype t ON t.id = a.quota_type_id
    WHERE a.holder_kind = 'institution' AND t.code = 'institutional'
)
SELECT
    u.id, u.name, u.credit_code, u.region_id, r.code, r.name, u.supervisor_id, sup.name,
    f.approved, p.id, p.version, p.effective_date, p.total, p.special,
    p.professional, p.management, p.worker,
    p.professional_1 + p.professional_2 + p.professional_3 + p.professional_4,
    p.professional_5 + p.professional_6 + p.professional_7,
    p.professional_8 + p.professional_9 + p.professional_10,
    p.professional_11 + p.professional_12 + p.professional_13,
    s.id, s.as_of, f.staff_total, s.professional, s.management, s.worker,
    s.senior_full, s.senior_deputy, s.intermediate, s.junior,
    GREATEST(f.approved - f.staff_total, 0) AS vacant,
    GREATEST(f.staff_total - f.approved, 0) AS over_quota,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(s.professional - p.professional, 0) ELSE 0 END,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(s.management - p.management, 0) ELSE 0 END,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(s.worker - p.worker, 0) ELSE 0 END,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(p.professional - s.professional, 0) ELSE 0 END,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(p.management - s.management, 0) ELSE 0 END,
    CASE WHEN p.id IS NOT NULL AND s.id IS NOT NULL THEN GREATEST(p.worker - s.worker, 0) ELSE 0 END,
    COALESCE(p.effective_date < %(cutoff)s, FALSE) AS stale_age,
    COALESCE(p.total <> f.approved, FALSE) AS stale_total
FROM institutions_institution u
JOIN institutions_region r ON r.id = u.region_id
LEFT JOIN institutions_institution sup ON sup.id = u.supervisor_id
LEFT JOIN account a ON a.institution_id = u.id
LEFT JOIN plan p ON p.institution_id = u.id
LEFT JOIN staff s ON s.institution_id = u.id
CROSS JOIN LATERAL (
    SELECT COALESCE(a.balance, 0) AS approved, COALESCE(s.total, u.staff_in_quota) AS staff_total
) f
WHERE u.kind = 'public_institution'
  AND (u.established_on IS NULL OR u.established_on <= %(day)s)
  AND (u.status = 'active' OR u.ended_on > %(day)s)
ORDER BY r.code, u.name
"""
HAND_WRITTEN_SQL = DISTINCT_ON + FIGURES
HAND_WRITTEN_SQL_ANTI_JOIN = ANTI_JOIN + FIGURES


def admin_url(url: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` database, name of the benchmark database)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    server, name = admin_url(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def median_ms(call, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), result


def _split(total: int, shares: list[float], rng: random.Random) -> list[int]:
    """``total`` split in whole numbers roughly by ``shares`` (the last part takes the remainder)."""
    parts = [int(total * share) for share in shares[:-1]]
    parts.append(total - sum(parts))
    return parts


def _levels(count: int, buckets: int, rng: random.Random) -> list[int]:
    out = [0] * buckets
    for _ in range(count):
        out[min(int(rng.triangular(0, buckets, buckets * 0.7)), buckets - 1)] += 1
    return out


def build_dataset(units: int, seed: int) -> dict:
    """Write the province: regions, agencies, units, ledger accounts, plans and staff counts (bulk inserts)."""
    from django.contrib.auth import get_user_model

    from institutions.models import ApprovalDocument, Institution, Region
    from positions.models import PositionPlan, StaffCount
    from positions.models.plans import MANAGEMENT_LEVEL_FIELDS, PROFESSIONAL_LEVEL_FIELDS, WORKER_LEVEL_FIELDS
    from quotas.choices import HolderKind, TransferKind
    from quotas.models import QuotaAccount, QuotaTransfer, QuotaType

    rng = random.Random(seed)
    started = time.perf_counter()
    user = get_user_model().objects.create_user("bench", password="bench-only")  # noqa: S106
    document = ApprovalDocument.objects.create(
        issuer="省机构编制委员会", office_code="省编发", year=2024, serial=100, title="基准测试批复",
        date_issued=datetime.date(2024, 1, 2), date_effective=datetime.date(2024, 1, 2),
    )
    cities = Region.objects.bulk_create(
        Region(code=f"{230000 + 100 * (index + 1)}", name=f"示例市{index + 1}", kind="city") for index in range(13)
    )
    districts = Region.objects.bulk_create(
        Region(code=f"{city.code[:4]}{number:02d}", name=f"{city.name}第{number}区县",
               kind="county" if number > 6 else "main_urban", parent=city)
        for city in cities for number in range(2, 13)
    )
    regions = [*cities, *districts]
    agencies = Institution.objects.bulk_create(
        Institution(kind="agency", name=f"示例局{index}", region=regions[index % len(regions)])
        for index in range(2000)
    )
    sizes = [max(1, int(rng.lognormvariate(3.0, 0.9))) for _ in range(units)]
    institutions = Institution.objects.bulk_create(
        (
            Institution(
                kind="public_institution", name=f"示例事业单位{index:05d}", region=agencies[index % 2000].region,
                supervisor=agencies[index % 2000], staff_in_quota=sizes[index],
                established_on=datetime.date(2000, 1, 1),
            )
            for index in range(units)
        ),
        batch_size=5000,
    )
    quota_type = QuotaType.objects.get(code="institutional")
    province = QuotaAccount.objects.create(holder_kind=HolderKind.PROVINCE, quota_type=quota_type,
                                           balance=-sum(sizes))
    pools = {
        region.pk: QuotaAccount.objects.create(holder_kind=HolderKind.REGION_POOL, region=region,
                                               quota_type=quota_type)
        for region in regions
    }
    accounts = QuotaAccount.objects.bulk_create(
        (
            QuotaAccount(holder_kind=HolderKind.INSTITUTION, region_id=unit.region_id, institution=unit,
                         quota_type=quota_type, balance=size)
            for unit, size in zip(institutions, sizes, strict=True)
        ),
        batch_size=5000,
    )
    granted: dict[int, int] = {}
    for unit, size in zip(institutions, sizes, strict=True):
        granted[unit.region_id] = granted.get(unit.region_id, 0) + size
    transfers = [
        QuotaTransfer(source=province, target=pools[region_id], amount=amount, kind=TransferKind.GRANT,
                      document=document, effective_date=datetime.date(2024, 1, 2), created_by=user)
        for region_id, amount in granted.items()
    ]
    transfers += [
        QuotaTransfer(source=pools[account.region_id], target=account, amount=account.balance,
                      kind=TransferKind.ALLOCATE, document=document, effective_date=datetime.date(2024, 1, 2),
                      created_by=user)
        for account in accounts
    ]
    QuotaTransfer.objects.bulk_create(transfers, batch_size=5000)

    plans, counts = [], []
    for unit, size in zip(institutions, sizes, strict=True):
        for version, effective in ((1, datetime.date(2021, 1, 1)), (2, datetime.date(2024, 3, 1))):
            if version == 1 and rng.random() > 1 / 3:
                continue
            total = size if rng.random() < 0.9 else max(size - rng.randint(1, 3), 0)
            management, professional, worker = _split(total, [0.15, 0.75, 0.10], rng)
            values = dict(zip(MANAGEMENT_LEVEL_FIELDS, _levels(management, 8, rng), strict=True))
            values.update(zip(PROFESSIONAL_LEVEL_FIELDS, _levels(professional, 13, rng), strict=True))
            worker_levels = _levels(worker, 6, rng)
            values.update(zip(WORKER_LEVEL_FIELDS, worker_levels[:5], strict=True))
            plans.append(PositionPlan(
                institution=unit, version=version, effective_date=effective, document=document, total=total,
                management=management, professional=professional, worker=worker, worker_ordinary=worker_levels[5],
                entered_by=user, **values,
            ))
        for as_of in (datetime.date(2025, 12, 31), datetime.date(2026, 3, 31)):
            if as_of.month == 12 and rng.random() < 0.5:
                continue
            staff = max(size + rng.choice([-3, -2, -1, -1, 0, 0, 0, 1, 2]), 0)
            management, professional, worker = _split(staff, [rng.choice([0.13, 0.15, 0.2]), 0.75, 0.10], rng)
            senior_full, senior_deputy, intermediate, junior = _split(professional, [0.05, 0.1, 0.35, 0.5], rng)
            counts.append(StaffCount(
                institution=unit, as_of=as_of, management=management, professional=professional, worker=worker,
                senior_full=senior_full, senior_deputy=senior_deputy, intermediate=intermediate, junior=junior,
                total=staff, entered_by=user,
            ))
    PositionPlan.objects.bulk_create(plans, batch_size=5000)
    StaffCount.objects.bulk_create(counts, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "regions": len(regions), "agencies": len(agencies), "units": len(institutions),
        "plans": len(plans), "staff_counts": len(counts), "transfers": len(transfers),
        "build_s": round(time.perf_counter() - started, 1),
    }


def run(units: int, runs: int, seed: int) -> dict:
    from django.db import connection

    from reconciliation.selectors import (
        ROW_VALUE_FIELDS,
        months_before,
        reconciliation,
        reconciliation_options,
        reconciliation_rows,
        reconciliation_values,
    )

    dataset = build_dataset(units, seed)
    options = reconciliation_options()

    def orm():
        return list(reconciliation_values(reconciliation()))

    def hand_written(query: str = HAND_WRITTEN_SQL):
        with connection.cursor() as cursor:
            cursor.execute(query, {"day": DAY, "cutoff": months_before(DAY, options.stale_after_months)})
            return cursor.fetchall()

    def full_rows():
        return reconciliation_rows(reconciliation(), options=options)

    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        orm(), hand_written(), hand_written(HAND_WRITTEN_SQL_ANTI_JOIN)  # warm the caches
        orm_ms, orm_rows = median_ms(orm, runs)
        distinct_on_ms, sql_rows = median_ms(hand_written, runs)
        anti_join_ms, anti_join_rows = median_ms(lambda: hand_written(HAND_WRITTEN_SQL_ANTI_JOIN), runs)
        rows_ms, rows = median_ms(full_rows, runs)
    orm_tuples = [tuple(row[name] for name in ROW_VALUE_FIELDS) for row in orm_rows]
    same = orm_tuples == [tuple(row) for row in sql_rows] == [tuple(row) for row in anti_join_rows]
    sql_ms = min(distinct_on_ms, anti_join_ms)
    ratio = round(orm_ms / sql_ms, 2) if sql_ms else None
    directions: dict[str, int] = {}
    for row in rows:
        directions[row.direction.code] = directions.get(row.direction.code, 0) + 1
    return {
        "dataset": dataset,
        "runs": runs,
        "orm_ms": orm_ms,
        "sql_ms": sql_ms,
        "sql_variants_ms": {"distinct_on": distinct_on_ms, "anti_join": anti_join_ms},
        "orm_over_sql": ratio,
        "rows_ms": rows_ms,
        "rows": len(rows),
        "directions": directions,
        "same_figures": same,
        "meets_target": bool(same and rows_ms <= TARGET_MS and orm_ms <= TARGET_MS
                             and ratio is not None and ratio <= TARGET_RATIO),
        "targets": {"rows_ms_max": TARGET_MS, "orm_over_sql_max": TARGET_RATIO},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--units", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database afterwards.")
    args = parser.parse_args()

    recreate_database(args.url)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        report = run(args.units, args.runs, args.seed)
        report["environment"] = {
            "python": platform.python_version(),
            "database": connection.vendor,
            "server_version": connection.pg_version if connection.vendor == "postgresql" else None,
        }
    finally:
        connection.close()
        if not args.keep:
            recreate_database(args.url, drop_only=True)
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    return 0 if report["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
