"""The province generator: a province-sized registry and quota ledger, written with COPY, for every benchmark.

    .venv/bin/python bench/province.py --database-url postgres://postgres@127.0.0.1:5432/quota_bench_province \
        --transfers 1e6 [--regions 150] [--units 40000] [--seed 2026] [--no-check]

What it builds (``build``): 1 city level + ``regions`` districts and counties, 500 approval documents a year over
2016-2025, ``units`` institutions (a quarter agencies on administrative quotas, the rest on institutional quotas), each
with its account, a pool per region and quota type and a turnover pool per region; then ``transfers`` transfers dated
evenly over 2016-01-01..2025-12-31: grants province → pool, allocations pool → unit, transfers unit → unit in one
region, reclaims unit → pool, and loans turnover pool → unit (each with its approved ``TurnoverLoan``). They are drawn
in time order against balances kept here, so no account but the province's is ever negative at any point of the log,
and each account's stored ``balance`` is the sum of its transfers. Every unit gets a position plan and a staff count
(staff within what it holds), and about one unit in eight an approved quota-use notice within its vacancy.

Rows go straight into the tables with psycopg 3's ``cursor.copy()`` (COPY FROM STDIN), inside one transaction: the
transfer table's secondary indexes and foreign keys are dropped for the load and created again after it (the same
definitions, read from the catalogue; adding the foreign keys checks every row). Columns a row does not set take
the model field's default, so a new NOT NULL column with a default needs nothing here. Then every whole month is
closed through the real service (``quotas.services.ledger_periods_close``), the database is analysed, and
``ledger_reconcile`` must pass. PostgreSQL only: COPY is PostgreSQL's, and SQLite is not needed for these sizes.

The database named in ``--database-url`` is dropped and created again (its name must contain "bench"), then migrated.
Prints one JSON document: the counts and the seconds each part took.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIRST_DAY, LAST_DAY = datetime.date(2016, 1, 1), datetime.date(2025, 12, 31)
DOCUMENTS_PER_YEAR = 500
REGION_KINDS = ("main_urban", "outer_suburban", "integrated", "county")
BORROWER_EVERY = 20  # one institutional unit in 20 may borrow from its region's turnover pool, and never gives
NOTICE_EVERY = 8
COPY_BATCH = 20_000  # transfer lines sent to the server at a time


# --- writing rows -----------------------------------------------------------------------------------------------
def _table_defaults(model, given: Iterable[str]) -> tuple[list[str], tuple]:
    """The columns of ``model`` a row does not set (all but the pk and ``given``) and their values: the field's
    default, now for ``auto_now``/``auto_now_add``, else NULL; refused for a NOT NULL column without a default."""
    from django.db import connection
    from django.utils import timezone

    given, columns, values, now = set(given), [], [], timezone.now()
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.column in given:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        else:
            value = model_field.get_default()
            if value is None and not model_field.null:
                raise ValueError(f"{model.__name__}.{model_field.name} is NOT NULL without a default: set it")
        columns.append(model_field.column)
        values.append(model_field.get_db_prep_save(value, connection))
    return columns, tuple(values)


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY ``rows`` (values of ``columns``, the pk first) into ``model``'s table; the other columns get their
    defaults. Returns the number of rows."""
    from django.db import connection
    from psycopg import sql

    extra, defaults = _table_defaults(model, columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, [*columns, *extra])))
    count = 0
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *defaults))
            count += 1
    return count


def next_id(model) -> int:
    """The first free primary key of ``model``'s table (rows are written with their ids, to link them)."""
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


@contextmanager
def without_secondary_indexes(model):
    """Drop the table's foreign keys and its indexes that back no constraint for a bulk load, then create them
    again from their own definitions (adding a foreign key checks every row once, in one join). The deferred
    checks of rows written before are run first: a table with pending ones cannot be altered."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        foreign_keys = cursor.fetchall()
        cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                       "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [table])
        indexes = cursor.fetchall()
        quoted = connection.ops.quote_name(table)
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them: checked at commit


def reset_sequences(models: list) -> None:
    """Move each table's id sequence past the ids written here (what ``sqlsequencereset`` prints)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# --- the registry -----------------------------------------------------------------------------------------------
class Province:
    """Ids and shapes of everything written: regions, documents, units and their accounts, with balances kept as
    the transfers are drawn (list positions, not rows: 10⁷ transfers are drawn in Python)."""

    def __init__(self, *, regions: int, units: int, rng: random.Random) -> None:
        from institutions.models import ApprovalDocument, Region
        from quotas.models import QuotaAccount

        self.rng = rng
        self.region_ids = list(range(next_id(Region), next_id(Region) + regions + 1))  # the city level first
        self.document_base = next_id(ApprovalDocument)
        self.years = list(range(FIRST_DAY.year, LAST_DAY.year + 1))
        self.unit_base = None  # set by write_registry
        self.unit_region = [self.region_ids[n % len(self.region_ids)] for n in range(units)]
        self.unit_agency = [n % 4 == 3 for n in range(units)]
        self.unit_borrower = [not self.unit_agency[n] and n % BORROWER_EVERY == 0 for n in range(units)]
        # Accounts, by position: one per unit, then a pool per region and type, then a turnover pool per region.
        first = next_id(QuotaAccount)
        self.account_ids = list(range(first, first + units + 3 * len(self.region_ids)))
        self.balances = [0] * len(self.account_ids)
        self.pool_of: dict[tuple[int, bool], int] = {}
        self.turnover_of: dict[int, int] = {}
        position = units
        for region_id in self.region_ids:
            for agency in (False, True):
                self.pool_of[(region_id, agency)] = position
                position += 1
            self.turnover_of[region_id] = position
            position += 1
        self.peers: dict[tuple[int, bool], list[int]] = {}
        for n in range(units):
            self.peers.setdefault((self.unit_region[n], self.unit_agency[n]), []).append(n)
        self.borrowers = [n for n in range(units) if self.unit_borrower[n]]
        self.loans: list[tuple] = []  # (transfer id, unit, pool position, count, date)

    def document_of(self, year: int, index: int) -> int:
        """An approval document of ``year`` (dated its 1 January), chosen by ``index``."""
        return self.document_base + (year - self.years[0]) * DOCUMENTS_PER_YEAR + index % DOCUMENTS_PER_YEAR


def write_registry(province: Province) -> dict:
    """Regions and approval documents (their institutions and accounts come after the transfers, with their
    balances)."""
    from institutions.models import ApprovalDocument, Region

    city, *others = province.region_ids
    regions = copy_rows(Region, ["id", "code", "name", "kind", "parent_id"], [
        (city, "230100", "市本级", "city", None),
        *((pk, f"{231000 + n}", f"区县{n:03d}", REGION_KINDS[n % len(REGION_KINDS)], city)
          for n, pk in enumerate(others, start=1)),
    ])
    documents = copy_rows(ApprovalDocument, [
        "id", "issuer", "office_code", "year", "serial", "number", "title", "date_issued", "date_effective"], (
        (province.document_of(year, serial), "市机构编制委员会办公室", "哈编发", year, serial + 1,
         f"哈编发〔{year}〕{serial + 1}号", "关于调整编制的批复", datetime.date(year, 1, 1), datetime.date(year, 1, 1))
        for year in province.years for serial in range(DOCUMENTS_PER_YEAR)
    ))
    return {"regions": regions, "documents": documents}


# --- the transfers ----------------------------------------------------------------------------------------------
class TransferWriter:
    """Draws the transfers in time order against the balances and streams them to COPY as text lines."""

    def __init__(self, province: Province, *, transfers: int, province_accounts: dict[bool, int], user_id: int,
                 first_id: int, copy) -> None:
        self.p = province
        self.count = transfers
        self.province_accounts = province_accounts  # agency? → the province account's id
        self.user = user_id
        self.next_id = first_id
        self.copy = copy
        self.buffer: list[str] = []
        self.kinds: dict[str, int] = {}
        days = (LAST_DAY - FIRST_DAY).days + 1
        self.days = [FIRST_DAY + datetime.timedelta(days=n) for n in range(days)]
        self.day_text = [day.isoformat() for day in self.days]

    def emit(self, kind: str, source: int, target: int, amount: int, day: int, index: int) -> None:
        """One transfer between two account positions (the province: a negative position, see ``province``)."""
        p = self.p
        source_id = self.province_accounts[source == -2] if source < 0 else p.account_ids[source]
        if source >= 0:
            p.balances[source] -= amount
        p.balances[target] += amount
        text = self.day_text[day]
        document = p.document_of(self.days[day].year, index)
        self.buffer.append(f"{self.next_id}\t{amount}\t{kind}\t{text}\t\t{text} 09:00:00+08\t{self.user}\t"
                           f"{document}\t\\N\t{source_id}\t{p.account_ids[target]}\n")
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.next_id += 1
        if len(self.buffer) >= COPY_BATCH:
            self.flush()

    def flush(self) -> None:
        self.copy.write("".join(self.buffer))
        self.buffer.clear()

    @staticmethod
    def province(agency: bool) -> int:
        """The province account as a source position: -2 for administrative quotas, -1 for institutional."""
        return -2 if agency else -1

    def run(self) -> None:
        p, rng = self.p, self.p.rng
        random_, randrange = rng.random, rng.randrange
        units, day_count = len(p.unit_region), len(self.days)
        opening = [(position, region, agency) for (region, agency), position in p.pool_of.items()]
        for index in range(self.count):
            day = index * day_count // self.count
            if index < len(opening):  # every pool opens with a grant
                position, region, agency = opening[index]
                self.emit("grant", self.province(agency), position, 200 + 3 * len(p.peers.get((region, agency), [])),
                          day, index)
                continue
            roll, unit = random_(), randrange(units)
            balance = p.balances[unit]
            if roll < 0.03:
                agency = random_() < 0.25
                pool = p.pool_of[(p.region_ids[randrange(len(p.region_ids))], agency)]
                self.emit("grant", self.province(agency), pool, 200 + randrange(1800), day, index)
            elif roll < 0.05:
                self.loan(day, index)
            elif roll < 0.80 and balance and not p.unit_borrower[unit]:
                if roll < 0.55:
                    peers = p.peers[(p.unit_region[unit], p.unit_agency[unit])]
                    other = peers[randrange(len(peers))]
                    if other != unit:
                        self.emit("transfer", unit, other, 1 + randrange(min(balance, 3)), day, index)
                        continue
                pool = p.pool_of[(p.unit_region[unit], p.unit_agency[unit])]
                self.emit("reclaim", unit, pool, 1 + randrange(min(balance, 2)), day, index)
            else:
                self.allocate(unit, day, index)
        self.flush()

    def allocate(self, unit: int, day: int, index: int) -> None:
        """Pool → unit, or a grant to the pool when it holds too little."""
        p = self.p
        agency = p.unit_agency[unit]
        pool = p.pool_of[(p.unit_region[unit], agency)]
        amount = 1 + p.rng.randrange(5)
        if p.balances[pool] < amount:
            self.emit("grant", self.province(agency), pool, 500 + p.rng.randrange(2000), day, index)
        else:
            self.emit("allocate", pool, unit, amount, day, index)

    def loan(self, day: int, index: int) -> None:
        """Turnover pool → a borrowing unit (its loan recorded), or a grant to the pool when it holds too little."""
        p = self.p
        if not p.borrowers:
            return self.allocate(p.rng.randrange(len(p.unit_region)), day, index)
        unit = p.borrowers[p.rng.randrange(len(p.borrowers))]
        pool = p.turnover_of[p.unit_region[unit]]
        amount = 1 + p.rng.randrange(3)
        if p.balances[pool] < amount:
            return self.emit("grant", self.province(False), pool, 20 + p.rng.randrange(80), day, index)
        p.loans.append((self.next_id, unit, pool, amount, self.days[day]))
        return self.emit("loan", pool, unit, amount, day, index)


def write_transfers(province: Province, *, transfers: int, province_accounts: dict[bool, int], user_id: int
                    ) -> dict[str, int]:
    """Draw the transfers and COPY them (as text lines: 10⁷ rows through ``write_row`` cost a minute more);
    the number of each kind."""
    from django.db import connection

    from quotas.models import QuotaTransfer

    columns = ["id", "amount", "kind", "effective_date", "note", "created_at", "created_by_id", "document_id",
               "reverses_id", "source_id", "target_id"]
    first_id = next_id(QuotaTransfer)  # before the COPY: no other statement may run on the connection during it
    with connection.connection.cursor() as cursor, cursor.copy(
            f"COPY {QuotaTransfer._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        writer = TransferWriter(province, transfers=transfers, province_accounts=province_accounts,
                                user_id=user_id, first_id=first_id, copy=copy)
        writer.run()
    return writer.kinds


# --- the units, their accounts, plans, staff, notices and loans -------------------------------------------------
def write_units(province: Province, *, province_accounts: dict[bool, int], user_id: int) -> dict:
    """Institutions (staff in quota within what each holds), their accounts with the balances the transfers left,
    the pools, a position plan and a staff count per unit, notices within vacancies and the loans."""
    from institutions.models import Institution
    from positions.models import PositionPlan, StaffCount
    from quotas.choices import QuotaTypeCode
    from quotas.models import QuotaAccount, QuotaType
    from workflow.models import LoanCase, QuotaUseNotice, TurnoverLoan

    p, rng = province, province.rng
    units = len(p.unit_region)
    p.unit_base = next_id(Institution)
    staff = [int(p.balances[n] * rng.uniform(0.7, 1.0)) for n in range(units)]
    counts = {"institutions": copy_rows(Institution, [
        "id", "kind", "name", "category", "funding_form", "rank", "status", "established_on", "staff_in_quota",
        "region_id"], (
        (p.unit_base + n, "agency" if p.unit_agency[n] else "public_institution", f"单位{n:06d}",
         "unclassified" if p.unit_agency[n] else "public_welfare_1", "full", "section_full", "active",
         datetime.date(2015, 1, 1), staff[n], p.unit_region[n])
        for n in range(units)))}
    types = {False: QuotaType.of(QuotaTypeCode.INSTITUTIONAL).pk, True: QuotaType.of(QuotaTypeCode.ADMINISTRATIVE).pk}
    position_of = {position: key for key, position in p.pool_of.items()}
    turnover_region = {position: region for region, position in p.turnover_of.items()}

    def account_row(position: int) -> tuple:
        if position < units:
            return (p.account_ids[position], "institution", p.unit_region[position], p.unit_base + position,
                    types[p.unit_agency[position]], "", p.balances[position])
        if position in position_of:
            region, agency = position_of[position]
            return (p.account_ids[position], "region_pool", region, None, types[agency], "", p.balances[position])
        return (p.account_ids[position], "turnover_pool", turnover_region[position], None, types[False], "general",
                p.balances[position])

    counts["accounts"] = copy_rows(QuotaAccount, [
        "id", "holder_kind", "region_id", "institution_id", "quota_type_id", "sector", "balance"],
        (account_row(position) for position in range(len(p.account_ids))))
    province_balance = dict.fromkeys(province_accounts, 0)
    for position in range(len(p.account_ids)):  # the province gave everything the city holds
        agency = p.unit_agency[position] if position < units else (
            position_of[position][1] if position in position_of else False)
        province_balance[agency] -= p.balances[position]
    for agency, account_id in province_accounts.items():
        QuotaAccount.objects.filter(pk=account_id).update(balance=province_balance[agency])

    plan_document, first_plan, first_staff = p.document_of(2024, 0), next_id(PositionPlan), next_id(StaffCount)
    counts["position_plans"] = copy_rows(PositionPlan, [
        "id", "version", "effective_date", "total", "management", "management_leadership", "management_7",
        "professional", "professional_11", "worker", "worker_ordinary", "document_id", "institution_id",
        "entered_by_id"], (_plan_row(first_plan + n, n, p, plan_document, user_id) for n in range(units)))
    counts["staff_counts"] = copy_rows(StaffCount, [
        "id", "as_of", "management", "professional", "senior_full", "senior_deputy", "intermediate", "junior",
        "worker", "total", "institution_id", "entered_by_id"], (
        _staff_row(first_staff + n, p.unit_base + n, staff[n], user_id) for n in range(units)))
    vacant = [n for n in range(0, units, NOTICE_EVERY) if p.balances[n] - staff[n] >= 1]
    first_notice = next_id(QuotaUseNotice)
    counts["notices"] = copy_rows(QuotaUseNotice, [
        "id", "status", "category", "count", "office_code", "serial_year", "serial", "number", "issued_on",
        "valid_until", "institution_id", "quota_type_id", "created_by_id", "decided_by_id", "document_id"], (
        (first_notice + k, "approved", "professional", 1 + rng.randrange(p.balances[n] - staff[n]), "哈编核", 2026,
         k + 1, f"哈编核〔2026〕{k + 1}号", datetime.date(2026, 11, 2), datetime.date(2027, 5, 1), p.unit_base + n,
         types[p.unit_agency[n]], user_id, user_id, p.document_of(2025, k))
        for k, n in enumerate(vacant)))
    cases = list(LoanCase.objects.order_by("pk").values_list("pk", flat=True))
    first_loan = next_id(TurnoverLoan)
    counts["loans"] = copy_rows(TurnoverLoan, [
        "id", "status", "count", "talent_category", "term_months", "start_date", "due_date", "case_id",
        "institution_id", "pool_id", "loan_transfer_id", "created_by_id", "decided_by_id", "document_id"], (
        (first_loan + k, "approved", amount, "scarce_professional", 36, lent_on,
         lent_on.replace(year=lent_on.year + 3, day=min(lent_on.day, 28)), cases[k % len(cases)],
         p.unit_base + unit, p.account_ids[pool], transfer_id, user_id, user_id, p.document_of(lent_on.year, k))
        for k, (transfer_id, unit, pool, amount, lent_on) in enumerate(p.loans)))
    reset_sequences([Institution, QuotaAccount, PositionPlan, StaffCount, QuotaUseNotice, TurnoverLoan])
    return counts


def _plan_row(pk: int, n: int, p: Province, document: int, user_id: int) -> tuple:
    """A plan of as many posts as the unit holds (at least 3): a fifth management, a tenth worker posts."""
    total = max(p.balances[n], 3)
    management, worker = max(1, total // 5), max(1, total // 10)
    professional = total - management - worker
    return (pk, 1, datetime.date(2024, 1, 1), total, management, min(1, management), management, professional,
            professional, worker, worker, document, p.unit_base + n, user_id)


def _staff_row(pk: int, unit_id: int, total: int, user_id: int) -> tuple:
    """A staff count of ``total`` people at the end of 2025, split like the plans."""
    management, worker = total // 5, total // 10
    professional = total - management - worker
    senior_full, senior_deputy = professional // 10, professional // 4
    junior = professional // 4
    intermediate = professional - senior_full - senior_deputy - junior
    return (pk, LAST_DAY, management, professional, senior_full, senior_deputy, intermediate, junior, worker, total,
            unit_id, user_id)


# --- the whole build --------------------------------------------------------------------------------------------
def populate(*, regions: int = 150, units: int = 40_000, transfers: int = 100_000, seed: int = 2026) -> dict:
    """Write the province into the current (migrated, PostgreSQL) database in one transaction; what it wrote and
    the seconds each part took. Closing the months is ``close_and_analyze``."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from institutions.models import ApprovalDocument, Region
    from quotas import services
    from quotas.choices import QuotaTypeCode
    from quotas.models import QuotaTransfer, QuotaType

    if connection.vendor != "postgresql":
        raise SystemExit("the province generator writes with COPY: it needs PostgreSQL")
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    with transaction.atomic():
        user, _created = get_user_model().objects.get_or_create(username="bench-province")
        province_accounts = {  # before the province's ids are laid out: the service opens them
            agency: services.account_for_province(quota_type=QuotaType.of(code)).pk
            for agency, code in ((False, QuotaTypeCode.INSTITUTIONAL), (True, QuotaTypeCode.ADMINISTRATIVE))}
        province = Province(regions=regions, units=units, rng=rng)
        counts = write_registry(province)
        lap("registry")
        with without_secondary_indexes(QuotaTransfer):  # the accounts its keys point to are written inside
            by_kind = write_transfers(province, transfers=transfers, province_accounts=province_accounts,
                                      user_id=user.pk)
            lap("transfers_draw_and_copy")
            counts |= write_units(province, province_accounts=province_accounts, user_id=user.pk)
            lap("units_plans_staff_notices_loans")
        lap("transfers_indexes_and_keys")
        reset_sequences([Region, ApprovalDocument, QuotaTransfer])
    lap("commit")
    return {"counts": counts | {"transfers": transfers, "by_kind": by_kind}, "seconds": seconds}


def close_and_analyze() -> dict:
    """Close every whole month through the ledger's own service, then refresh the planner's statistics (VACUUM
    too when not inside a transaction, as autovacuum would after such a load)."""
    from django.db import connection

    from quotas.models import AccountClosing
    from quotas.services import ledger_periods_close

    started = time.perf_counter()
    periods = ledger_periods_close()
    closed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {"periods_closed": len(periods), "closing_rows": AccountClosing.objects.count(),
            "close_seconds": round(closed - started, 1), "analyze_seconds": round(time.perf_counter() - closed, 1)}


def build(database_url: str, *, regions: int = 150, units: int = 40_000, transfers: int = 100_000,
          seed: int = 2026, check: bool = True) -> dict:
    """Drop and create the benchmark database, migrate it, write the province, close its months, analyse it and
    (unless ``check`` is false) reconcile the ledger. Returns the counts and the seconds of each part."""
    from bench.bench_ledger import recreate_postgres, set_up_django

    started = time.perf_counter()
    recreate_postgres(database_url)
    from django.apps import apps

    if not apps.ready:  # the first build in this process
        set_up_django(database_url, ROOT / "var" / "unused.sqlite3")
    else:  # a later one: the settings already point here, and the old connection was ended by the drop
        from django.core.management import call_command
        from django.db import connection

        connection.close()
        call_command("migrate", verbosity=0, interactive=False)
    result = {"seed": seed, "seconds": {"recreate_and_migrate": round(time.perf_counter() - started, 1)}}
    written = populate(regions=regions, units=units, transfers=transfers, seed=seed)
    result["counts"] = written["counts"]
    result["seconds"] |= written["seconds"]
    closing = close_and_analyze()
    result["counts"] |= {"periods_closed": closing["periods_closed"], "closing_rows": closing["closing_rows"]}
    result["seconds"] |= {"close_periods": closing["close_seconds"], "analyze": closing["analyze_seconds"]}
    if check:
        from quotas.selectors import ledger_reconcile

        checked = time.perf_counter()
        result["ledger_reconciles"] = ledger_reconcile().ok
        result["seconds"]["ledger_reconcile"] = round(time.perf_counter() - checked, 1)
    result["seconds"]["total"] = round(time.perf_counter() - started, 1)
    return result


def transfers_count(text: str) -> int:
    """``1e5``, ``1e6``, ``1e7`` or a plain number of transfers."""
    return int(float(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME with 'bench' in NAME (recreated)")
    parser.add_argument("--transfers", type=transfers_count, default=100_000, help="1e5, 1e6 or 1e7")
    parser.add_argument("--regions", type=int, default=150, help="districts and counties besides the city level")
    parser.add_argument("--units", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-check", action="store_true", help="skip ledger_reconcile (minutes at 10⁷)")
    arguments = parser.parse_args()
    result = build(arguments.database_url, regions=arguments.regions, units=arguments.units,
                   transfers=arguments.transfers, seed=arguments.seed, check=not arguments.no_check)
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0 if result.get("ledger_reconciles", True) else 1


if __name__ == "__main__":
    sys.exit(main())
