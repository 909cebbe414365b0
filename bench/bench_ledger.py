"""Benchmark of the quota ledger: posting through the services, statements and region totals on a date.

Run from the project root with the project's virtualenv, on SQLite (a fresh var/bench.sqlite3) or on PostgreSQL
(the database named in the URL is dropped and created again; its name must contain "bench"):

    .venv/bin/python bench/bench_ledger.py
    .venv/bin/python bench/bench_ledger.py --database-url postgres://postgres@127.0.0.1:5432/quota_bench
    .venv/bin/python bench/bench_ledger.py --transfers 5000 --accounts 2000      # a quick run

What is measured, after an unmeasured setup (1 city level + 150 regions, one institution per account and a pool
per region, bulk-created): N transfers posted one by one from one client through the real services
(`quota_grant`, `quota_allocate`, `quota_transfer`, `quota_reclaim`: each its own transaction, with its row
locks), dated over 2024-2025; then the 2025 statement (`account_statement`) of 1,000 random accounts and,
separately, of one account with about 1,000 transfers in 2025; then `totals_by_region` on a date (median of 5).
Prints one JSON document; exits 1 if a target is missed or if the ledger does not reconcile afterwards. The
targets are for PostgreSQL on a 2-core machine: at least 1,000 transfers/s, the heavy statement in at most 20 ms,
region totals in at most 200 ms. On SQLite they are reported for comparison only.

DEBUG is set to true when unset (so that the settings load without a SECRET_KEY), but the debug cursor, which
records every query, is switched off: a production process does not pay for it.
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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_TRANSFERS_PER_SECOND = 1000.0
TARGET_HEAVY_STATEMENT_MS = 20.0
TARGET_REGION_TOTALS_MS = 200.0
HISTORY_START = datetime.date(2024, 1, 1)  # the first tenth of the transfers: what statements open with
STATEMENT_START = datetime.date(2025, 1, 1)
STATEMENT_END = datetime.date(2025, 12, 31)
TOTALS_ON = datetime.date(2025, 6, 30)
REGION_KINDS = ("main_urban", "outer_suburban", "integrated", "county")


# --- database -----------------------------------------------------------------------------------
def recreate_postgres(url: str) -> None:
    """Drop and create the database named in ``url`` (connected to the maintenance database "postgres")."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("--database-url is for PostgreSQL; leave it out to benchmark SQLite")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: a benchmark database's name must contain 'bench'")
    maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))
    maintenance = maintenance.replace("postgres://", "postgresql://", 1).replace("pgsql://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def set_up_django(database_url: str | None, sqlite_path: Path) -> None:
    """Point the project's settings at the benchmark database, then migrate it from scratch."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DEBUG", "true")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        # The embedded site's own configuration (timeout, BEGIN IMMEDIATE), on a file of our own.
        os.environ.pop("DATABASE_URL", None)
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)

    import django
    from django.conf import settings

    if not database_url:
        settings.DATABASES["default"]["NAME"] = sqlite_path  # before the first connection is made
    django.setup()
    settings.DEBUG = False  # no debug cursor: it would time and keep every query

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- setup (not measured) -----------------------------------------------------------------------
def build_registry(*, accounts: int, regions: int, documents: int, rng: random.Random) -> dict:
    """Regions, institutions, documents, one account per institution and a pool per region, bulk-created."""
    from django.contrib.auth import get_user_model

    from institutions.models import ApprovalDocument, Institution, Region
    from quotas import services
    from quotas.choices import HolderKind
    from quotas.models import QuotaAccount

    city = Region.objects.create(code="230100", name="市本级", kind="city")
    Region.objects.bulk_create(
        Region(code=f"{231000 + n}", name=f"区县{n:03d}", kind=REGION_KINDS[n % len(REGION_KINDS)], parent=city)
        for n in range(1, regions + 1)
    )
    region_ids = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    Institution.objects.bulk_create(
        (
            Institution(name=f"单位{n:06d}", region_id=region_ids[n % len(region_ids)],
                        staff_in_quota=rng.randint(0, 50))
            for n in range(accounts)
        ),
        batch_size=2000,
    )
    ApprovalDocument.objects.bulk_create(
        (
            ApprovalDocument(
                issuer="市机构编制委员会办公室", office_code="哈编发", year=2024 + n % 2, serial=n + 1,
                number=f"哈编发〔{2024 + n % 2}〕{n + 1}号", title="关于调整编制的批复",
                date_issued=datetime.date(2024 + n % 2, 1, 1), date_effective=datetime.date(2024 + n % 2, 1, 1),
            )
            for n in range(documents)
        ),
        batch_size=2000,
    )
    quota_type = services.quota_type_get()
    services.account_for_province(quota_type=quota_type)
    QuotaAccount.objects.bulk_create(
        (QuotaAccount(holder_kind=HolderKind.REGION_POOL, region_id=pk, quota_type=quota_type) for pk in region_ids),
        batch_size=2000,
    )
    QuotaAccount.objects.bulk_create(
        (
            QuotaAccount(holder_kind=HolderKind.INSTITUTION, region_id=region_id, institution_id=pk,
                         quota_type=quota_type)
            for pk, region_id in Institution.objects.order_by("pk").values_list("pk", "region_id").iterator()
        ),
        batch_size=2000,
    )
    clerk = get_user_model().objects.create_user("bench-clerk", password=None)
    loaded = QuotaAccount.objects.select_related("quota_type").order_by("pk")
    pools, institutions = {}, []
    for account in loaded:
        if account.holder_kind == HolderKind.REGION_POOL:
            pools[account.region_id] = account
        elif account.holder_kind == HolderKind.INSTITUTION:
            institutions.append(account)
    by_region: dict[int, list] = {}
    for account in institutions:
        by_region.setdefault(account.region_id, []).append(account)
    return {
        "pools": pools,
        "institutions": institutions,
        "by_region": by_region,
        "documents": list(ApprovalDocument.objects.order_by("pk")),
        "clerk": clerk,
    }


# --- posting (measured) ------------------------------------------------------------------------
class Workload:
    """Chooses moves that the ledger will accept, from balances kept on the account objects by the services."""

    def __init__(self, registry: dict, *, transfers: int, heavy_lines: int, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict = registry["pools"]
        self.pool_list = list(self.pools.values())
        self.institutions: list = registry["institutions"]
        self.by_region: dict = registry["by_region"]
        self.documents: list = registry["documents"]
        self.clerk = registry["clerk"]
        self.transfers = transfers
        self.history = transfers // 10
        self.funded: list = []
        # The heavy account: in `heavy_lines` moves evenly spread over 2025 (its statement's lines).
        self.heavy = max(self.institutions, key=lambda account: len(self.by_region[account.region_id]))
        span = transfers - self.history
        heavy_lines = min(heavy_lines, span // 2)
        self.heavy_at = {self.history + span * n // heavy_lines for n in range(heavy_lines)} if heavy_lines else set()

    def date_of(self, index: int) -> datetime.date:
        """The first tenth in 2024, the rest in 2025, in posting order (a few backdated, as clerks do)."""
        if index < self.history:
            start, days, position, count = HISTORY_START, 366, index, self.history
        else:
            start, days, position, count = STATEMENT_START, 365, index - self.history, self.transfers - self.history
        day = start + datetime.timedelta(days=position * days // max(count, 1))
        if self.rng.random() < 0.02 and day > start + datetime.timedelta(days=7):
            day -= datetime.timedelta(days=self.rng.randint(1, 7))
        return day

    def _funded_institution(self, exclude=None):
        for _attempt in range(8):
            if not self.funded:
                return None
            account = self.rng.choice(self.funded)
            if account.balance > 0 and account is not exclude and account is not self.heavy:
                return account
        return None

    def _peer(self, account):
        peers = self.by_region[account.region_id]
        if len(peers) < 3:  # the account itself and the heavy one are never the peer
            return None
        while True:
            other = self.rng.choice(peers)
            if other is not account and other is not self.heavy:
                return other

    def move(self, index: int) -> tuple[Callable, dict]:
        """(service, keyword arguments) of the index-th transfer."""
        from quotas import services

        common = {
            "document": self.rng.choice(self.documents),
            "effective_date": self.date_of(index),
            "by": self.clerk,
        }
        if index < len(self.pool_list):  # every pool gets its first grant
            return services.quota_grant, {"target": self.pool_list[index], "amount": 20_000, **common}
        if index in self.heavy_at:
            return self._heavy_move(common)
        roll = self.rng.random()
        if roll < 0.05:
            return services.quota_grant, {"target": self.rng.choice(self.pool_list),
                                          "amount": self.rng.randint(500, 5000), **common}
        if roll < 0.65:
            source = self._funded_institution()
            target = self._peer(source) if source is not None else None
            if target is not None and roll < 0.50:
                return services.quota_transfer, {"source": source, "target": target,
                                                 "amount": self.rng.randint(1, min(source.balance, 5)), **common}
            if source is not None and roll >= 0.50:
                return services.quota_reclaim, {"source": source, "target": self.pools[source.region_id],
                                                "amount": self.rng.randint(1, min(source.balance, 3)), **common}
        return self._allocate(self.rng.choice(self.institutions), common)

    def _allocate(self, target, common: dict) -> tuple[Callable, dict]:
        from quotas import services

        pool = self.pools[target.region_id]
        amount = self.rng.randint(1, 20)
        if pool.balance < amount:
            return services.quota_grant, {"target": pool, "amount": self.rng.randint(500, 5000), **common}
        self.funded.append(target)
        return services.quota_allocate, {"source": pool, "target": target, "amount": amount, **common}

    def _heavy_move(self, common: dict) -> tuple[Callable, dict]:
        from quotas import services

        heavy = self.heavy
        roll = self.rng.random()
        if heavy.balance < 10 or roll < 0.35:
            return self._allocate(heavy, common)
        if roll < 0.65 and self._peer(heavy) is not None:
            return services.quota_transfer, {"source": heavy, "target": self._peer(heavy),
                                             "amount": self.rng.randint(1, 5), **common}
        if roll < 0.85:
            source = self._funded_institution(exclude=heavy)
            if source is not None and source.region_id == heavy.region_id:
                return services.quota_transfer, {"source": source, "target": heavy,
                                                 "amount": self.rng.randint(1, min(source.balance, 5)), **common}
            return self._allocate(heavy, common)
        return services.quota_reclaim, {"source": heavy, "target": self.pools[heavy.region_id],
                                        "amount": self.rng.randint(1, 3), **common}


def post_transfers(workload: Workload, count: int) -> dict:
    """Post ``count`` transfers one by one; the clock runs only around the service calls."""
    from django.core.exceptions import ValidationError

    latencies: list[float] = []
    kinds: dict[str, int] = {}
    refused = 0
    cpu_start = time.process_time()
    for index in range(count):
        service, arguments = workload.move(index)
        start = time.perf_counter()
        try:
            service(**arguments)
        except ValidationError:
            refused += 1
        latencies.append(time.perf_counter() - start)
        kinds[service.__name__] = kinds.get(service.__name__, 0) + 1
    total = sum(latencies)
    cpu_seconds = time.process_time() - cpu_start
    return {
        "transfers": count,
        "refused": refused,
        "by_service": kinds,
        "seconds": round(total, 3),
        "transfers_per_second": round(count / total, 1),
        "transfer_ms": summary_ms(latencies),
        # This process's CPU per transfer (the service code, Django and the driver; the workload's own choices are
        # a few microseconds): what is left of transfer_ms is the server, the commit's WAL flush and waiting.
        "client_cpu_ms_per_transfer": round(cpu_seconds / count * 1000, 3),
    }


# --- reads (measured) ---------------------------------------------------------------------------
def summary_ms(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered) * 1000, 3), "p95": round(p95 * 1000, 3),
            "max": round(ordered[-1] * 1000, 3)}


def time_statements(accounts: list, runs_each: int = 1) -> tuple[dict[str, float], list[int]]:
    from quotas.selectors import account_statement

    seconds, lines = [], []
    for account in accounts:
        for _run in range(runs_each):
            start = time.perf_counter()
            statement = account_statement(account, STATEMENT_START, STATEMENT_END)
            seconds.append(time.perf_counter() - start)
        lines.append(len(statement.lines))
    return summary_ms(seconds), lines


def time_region_totals(runs: int) -> tuple[float, int]:
    from quotas.selectors import totals_by_region

    seconds, rows = [], []
    for _run in range(runs):
        start = time.perf_counter()
        rows = totals_by_region(TOTALS_ON)
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds) * 1000, 3), len(rows)


# --- main ---------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://…/NAME (dropped and created again); default: SQLite")
    parser.add_argument("--sqlite-path", type=Path, default=ROOT / "var" / "bench.sqlite3")
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=40_000, help="institutions, each with one account")
    parser.add_argument("--regions", type=int, default=150, help="districts and counties besides the city level")
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--heavy-lines", type=int, default=1_000)
    parser.add_argument("--heavy-runs", type=int, default=50)
    parser.add_argument("--totals-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)

    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)  # other work on the machine makes every latency longer
    if arguments.database_url:
        recreate_postgres(arguments.database_url)
    set_up_django(arguments.database_url, arguments.sqlite_path)
    from django.db import connection

    from quotas.models import QuotaAccount, QuotaTransfer
    from quotas.selectors import ledger_reconcile

    registry = build_registry(accounts=arguments.accounts, regions=arguments.regions,
                              documents=arguments.documents, rng=rng)
    setup_seconds = time.perf_counter() - started

    workload = Workload(registry, transfers=arguments.transfers, heavy_lines=arguments.heavy_lines, rng=rng)
    posting = post_transfers(workload, arguments.transfers)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does on its own after so many inserts
            cursor.execute("ANALYZE")
    all_accounts = list(QuotaAccount.objects.order_by("pk"))
    sample = rng.sample(all_accounts, min(arguments.statements, len(all_accounts)))
    time_statements(sample[:20])  # warm the connection and the caches
    statement_ms, sample_lines = time_statements(sample)
    heavy = QuotaAccount.objects.get(pk=workload.heavy.pk)
    heavy_ms, heavy_lines = time_statements([heavy], runs_each=arguments.heavy_runs)
    region_totals_ms, region_rows = time_region_totals(arguments.totals_runs)

    check = ledger_reconcile()
    targets = {
        "transfers_per_second": {"target": f">= {TARGET_TRANSFERS_PER_SECOND:g}",
                                 "pass": posting["transfers_per_second"] >= TARGET_TRANSFERS_PER_SECOND},
        "heavy_statement_ms": {"target": f"<= {TARGET_HEAVY_STATEMENT_MS:g}",
                               "pass": heavy_ms["median"] <= TARGET_HEAVY_STATEMENT_MS},
        "region_totals_ms": {"target": f"<= {TARGET_REGION_TOTALS_MS:g}",
                             "pass": region_totals_ms <= TARGET_REGION_TOTALS_MS},
    }
    result = {
        "database": connection.vendor,
        "database_version": connection.Database.sqlite_version if connection.vendor == "sqlite"
        else connection.pg_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_before_after": [load_before, round(os.getloadavg()[0], 2)],
        "seed": arguments.seed,
        "counts": {
            "regions": arguments.regions + 1,
            "institutions": len(registry["institutions"]),
            "accounts": QuotaAccount.objects.count(),
            "documents": len(registry["documents"]),
            "transfers": QuotaTransfer.objects.count(),
            "statements": len(sample),
            "statement_lines_mean": round(statistics.mean(sample_lines), 1) if sample_lines else 0,
            "statement_lines_max": max(sample_lines, default=0),
            "heavy_account_lines": heavy_lines[0],
            "region_totals_rows": region_rows,
        },
        "setup_seconds": round(setup_seconds, 1),
        "posting": posting,
        "transfers_per_second": posting["transfers_per_second"],
        "statement_range": [STATEMENT_START.isoformat(), STATEMENT_END.isoformat()],
        "statement_ms": statement_ms,
        "heavy_statement_ms": heavy_ms,
        "region_totals_on": TOTALS_ON.isoformat(),
        "region_totals_ms": region_totals_ms,
        "ledger_reconciles": check.ok,
        "targets": targets,
        "all_targets_pass": all(entry["pass"] for entry in targets.values()),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["all_targets_pass"] and check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
