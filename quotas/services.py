"""The only writers of the quota ledger.

Every service runs in one transaction (accounts it creates on the way vanish with a refusal)
and posts one or more ``QuotaTransfer`` rows. The accounts involved are locked (``SELECT …
FOR UPDATE``, in primary-key order, so two clerks never deadlock), balances are read after the
lock, and an account other than the province's is never taken below zero: checked here with a
clear message, and held by a database check constraint as the last word. A refused move raises
``ValidationError`` (field → message) and changes nothing.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.dates import check_date, month_end
from institutions.models import ApprovalDocument, Institution, Region
from outbox.models import ChangeKind
from outbox.services import Change, changes_record
from quotas.choices import TRANSFER_ROUTES, HolderKind, PoolSector, QuotaTypeCode, TransferKind
from quotas.models import AccountClosing, LedgerPeriod, QuotaAccount, QuotaTransfer, QuotaType


# --- accounts ---------------------------------------------------------------------------------
def quota_type_get(code: str = QuotaTypeCode.INSTITUTIONAL) -> QuotaType:
    """The quota type ``code`` (created if a test database was flushed of its seed rows)."""
    order = list(QuotaTypeCode.values).index(code) + 1
    quota_type, _created = QuotaType.objects.get_or_create(code=code, defaults={"sort_order": order})
    return quota_type


def account_for_province(*, quota_type: QuotaType) -> QuotaAccount:
    account, _created = QuotaAccount.objects.get_or_create(holder_kind=HolderKind.PROVINCE, quota_type=quota_type)
    return account


def account_for_region(*, region: Region, quota_type: QuotaType, controlled: bool = False) -> QuotaAccount:
    kind = HolderKind.REGION_CONTROLLED if controlled else HolderKind.REGION_POOL
    account, _created = QuotaAccount.objects.get_or_create(holder_kind=kind, region=region, quota_type=quota_type)
    return account


def account_for_institution(*, institution: Institution, quota_type: QuotaType) -> QuotaAccount:
    """The unit's open account of the type (opened in the unit's region when it has none)."""
    account, _created = QuotaAccount.objects.get_or_create(
        holder_kind=HolderKind.INSTITUTION, institution=institution, quota_type=quota_type, is_active=True,
        defaults={"region_id": institution.region_id},
    )
    return account


def accounts_for_institutions(*, institutions, quota_type: QuotaType) -> dict[int, QuotaAccount]:
    """institution id → its open account of the type, opening the missing ones in the units' regions: three queries
    for any number of units (a load that allocates to thousands of them), where ``account_for_institution`` takes
    two or three a unit. A unit whose account another process opens meanwhile gets that one."""
    units = list(institutions)
    open_accounts = QuotaAccount.objects.filter(
        holder_kind=HolderKind.INSTITUTION, quota_type=quota_type, is_active=True,
        institution_id__in=[unit.pk for unit in units],
    )
    found = set(open_accounts.values_list("institution_id", flat=True))
    QuotaAccount.objects.bulk_create(
        [QuotaAccount(holder_kind=HolderKind.INSTITUTION, institution=unit, quota_type=quota_type, is_active=True,
                      region_id=unit.region_id) for unit in units if unit.pk not in found],
        ignore_conflicts=True,  # the one open account per unit and type (a constraint) stays one
    )
    return {account.institution_id: account for account in open_accounts.all()}


def account_for_turnover_pool(
    *, region: Region, quota_type: QuotaType, sector: str = PoolSector.GENERAL
) -> QuotaAccount:
    account, _created = QuotaAccount.objects.get_or_create(
        holder_kind=HolderKind.TURNOVER_POOL, region=region, quota_type=quota_type, sector=sector
    )
    return account


# --- posting ----------------------------------------------------------------------------------
def _check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("The amount must be a positive whole number.")})
    return amount


@dataclass(frozen=True)
class LockedAccount:
    """An account row as read under its lock: what a posting decides on."""

    pk: int
    balance: int
    is_active: bool
    quota_type_id: int
    holder_kind: str
    region_id: int | None


def _lock(*account_ids: int) -> dict[int, LockedAccount]:
    """Lock the accounts in primary-key order and return them fresh from the database.

    One statement, written in SQL because it runs on every posting (bench/bench_ledger.py: the ORM spent about
    0.8 ms of CPU compiling it). SQLite has no row locks: there the connection's BEGIN IMMEDIATE already serialises
    writers.
    """
    ids = sorted(set(account_ids))
    quote = connection.ops.quote_name
    a = quote(QuotaAccount._meta.db_table)
    lock = f" FOR UPDATE OF {a}" if connection.features.has_select_for_update_of else ""
    sql = (  # only names come from the models; every value is a parameter
        f"SELECT {a}.id, {a}.balance, {a}.is_active, {a}.quota_type_id, {a}.holder_kind, {a}.region_id "  # noqa: S608
        f"FROM {a} WHERE {a}.id IN ({', '.join(['%s'] * len(ids))}) ORDER BY {a}.id{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {row[0]: LockedAccount(*row[:2], bool(row[2]), *row[3:]) for row in cursor.fetchall()}


def _wake_readers() -> None:
    for path in settings.LEDGER_POSTING_HOOKS:
        import_string(path)()


def _tell_readers_after_commit() -> None:
    """Once the posting commits, wake the readers of the transfer log (``settings.LEDGER_POSTING_HOOKS``).

    The ledger calls no consumer: each reads the log past its own watermark (``quotas.selectors.ledger_feed``),
    and a hook only says "read now". One wake-up per transaction, however many postings it holds.
    """
    # A callback still listed runs with this commit (those of savepoints rolled back are dropped from the list).
    if not any(entry[1] is _wake_readers for entry in connection.run_on_commit):
        transaction.on_commit(_wake_readers)


@dataclass(frozen=True)
class Move:
    """One move of a batch (``quota_moves``): as the kind's own service would post it. A cancellation's target and a
    grant's source may be left out: they are the province's account of the type."""

    kind: str
    source: QuotaAccount | None
    target: QuotaAccount | None
    amount: int
    note: str = ""
    reverses: QuotaTransfer | None = None


def _check_move(move: Move, *, document: ApprovalDocument | None, effective_date: datetime.date | None) -> None:
    """What a move must satisfy before any balance is read: its amount, document, date and route."""
    _check_amount(move.amount)
    errors: dict[str, str] = {}
    if document is None:
        errors["document"] = _("Every move of quotas needs its approval document.")
    if effective_date is None:
        errors["effective_date"] = _("The effective date is required.")
    if move.source is None:
        errors["source"] = _("Unknown account.")
    if move.target is None:
        errors["target"] = _("Unknown account.")
    if errors:
        raise ValidationError(errors)
    check_date(effective_date, field="effective_date")
    if effective_date < document.date_effective:
        raise ValidationError({"effective_date": _(
            "A move cannot take effect before its approval document does (%(number)s takes effect on %(date)s).")
            % {"number": document.number, "date": document.date_effective.isoformat()}})
    source, target, kind = move.source, move.target, move.kind
    if source.pk == target.pk:
        raise ValidationError({"target": _("The two sides of a transfer must be different accounts.")})
    if kind == TransferKind.REVERSAL:
        return
    sources, targets = TRANSFER_ROUTES[kind]
    if source.holder_kind not in sources:
        raise ValidationError(
            {"source": _("A %(kind)s cannot take quotas from a %(holder)s account.")
             % {"kind": TransferKind(kind).label, "holder": HolderKind(source.holder_kind).label}}
        )
    if target.holder_kind not in targets:
        raise ValidationError(
            {"target": _("A %(kind)s cannot give quotas to a %(holder)s account.")
             % {"kind": TransferKind(kind).label, "holder": HolderKind(target.holder_kind).label}}
        )
    if kind == TransferKind.ALLOCATE and source.region_id and target.region_id and source.region_id != target.region_id:
        raise ValidationError({"target": _("A region's pool allocates only to institutions of that region.")})
    if kind == TransferKind.RECLAIM and target.holder_kind == HolderKind.REGION_POOL \
            and source.region_id != target.region_id:
        raise ValidationError({"target": _("Quotas are reclaimed into the institution's own region pool.")})
    if kind in (TransferKind.CONTROL, TransferKind.RELEASE) and source.region_id != target.region_id:
        raise ValidationError({"target": _("Controlled use moves quotas inside one region.")})


def _record_moves(moves: list[Move], **values) -> list[QuotaTransfer]:
    """Move the amounts between the locked balances and insert the transfers; return them as saved instances.

    Written in SQL because it is the hottest path of the ledger (bench/bench_ledger.py: the ORM's
    ``update(balance=Case(When(…)))`` and ``create()`` cost about 0.7 ms of CPU a posting). One UPDATE moves every
    balance by its net change and one INSERT writes the transfers; on PostgreSQL the two ride in one statement (a
    data-modifying WITH, which always runs to completion), saving a round trip. The check constraint on the balance
    still has the last word (IntegrityError). Only names come from the models; every value is a parameter.
    """
    quote = connection.ops.quote_name
    account = QuotaAccount._meta
    table, pk, balance = quote(account.db_table), quote(account.pk.column), quote(account.get_field("balance").column)
    change: dict[int, int] = {}
    for move in moves:
        change[move.source.pk] = change.get(move.source.pk, 0) - move.amount
        change[move.target.pk] = change.get(move.target.pk, 0) + move.amount
    update = (
        f"UPDATE {table} SET {balance} = {balance} + CASE {' '.join([f'WHEN {pk} = %s THEN %s'] * len(change))} "  # noqa: S608
        f"ELSE 0 END WHERE {pk} IN ({', '.join(['%s'] * len(change))})"
    )
    update_params = [value for item in change.items() for value in item] + list(change)
    now = timezone.now()
    transfers = [QuotaTransfer(source_id=move.source.pk, target_id=move.target.pk, amount=move.amount,
                               kind=move.kind, note=move.note, reverses=move.reverses, created_at=now, **values)
                 for move in moves]
    fields = [f for f in QuotaTransfer._meta.concrete_fields if not f.primary_key]
    row = f"({', '.join(['%s'] * len(fields))})"
    insert = (
        f"INSERT INTO {quote(QuotaTransfer._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(transfers))} RETURNING id"
    )
    insert_params = [f.get_db_prep_save(getattr(transfer, f.attname), connection)
                     for transfer in transfers for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH moved AS ({update}) {insert}", update_params + insert_params)
        else:
            cursor.execute(update, update_params)
            cursor.execute(insert, insert_params)
        ids = [found[0] for found in cursor.fetchall()]  # in the order of the rows (as Django's bulk_create reads)
    for transfer, transfer_id in zip(transfers, ids, strict=True):
        transfer.pk = transfer_id
        transfer._state.adding = False
        transfer._state.db = connection.alias
    return transfers


def _move_closings(change: dict[int, int], effective_date: datetime.date) -> None:
    """Move the closing balances of every closed period ending on or after ``effective_date`` by each account's net
    change (``LedgerPeriod``): nothing to do for a posting dated in an open period, one statement otherwise.

    It runs after the transfers' INSERT: a period being closed meanwhile (``ledger_periods_close`` holds a SHARE lock
    on the transfers) either waited for this transaction and summed its transfers, or committed before the INSERT
    could run, and then this statement sees the period and moves its closings.
    """
    change = {pk: amount for pk, amount in change.items() if amount}
    if not change:
        return
    quote = connection.ops.quote_name
    closing, period = quote(AccountClosing._meta.db_table), quote(LedgerPeriod._meta.db_table)
    account_id, period_end, balance = (quote(AccountClosing._meta.get_field(name).column)
                                       for name in ("account", "period_end", "balance"))
    rows = ", ".join(["(CAST(%s AS INTEGER), CAST(%s AS INTEGER))"] * len(change))
    sql = (  # only names come from the models; every value is a parameter
        f"WITH moved (account_id, amount) AS (VALUES {rows}) "  # noqa: S608
        f"INSERT INTO {closing} ({account_id}, {period_end}, {balance}) "
        f"SELECT moved.account_id, p.{quote('period_end')}, moved.amount FROM moved CROSS JOIN {period} p "
        f"WHERE p.{quote('period_end')} >= %s "
        f"ON CONFLICT ({account_id}, {period_end}) DO UPDATE SET {balance} = {closing}.{balance} + excluded.{balance}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for item in change.items() for value in item] + [effective_date])


def ledger_periods_close(*, through: datetime.date | None = None, since: datetime.date | None = None
                         ) -> list[datetime.date]:
    """Close every month of the ledger not yet closed, up to the last whole month before today (or ``through``, if
    earlier), and return the periods closed. Each month is one short transaction: the closing balances are the
    previous month's plus that month's transfers (so closing a month reads one month of the log), only accounts
    holding something are written. The first close starts at the month of the first transfer, or of ``since`` if
    later (dates before the first closed period are read from the log, as before any close).

    On PostgreSQL each month's transaction takes a SHARE lock on the transfers, so no posting is half-way while the
    month is summed (postings wait for the moments it takes; see ``_move_closings``). SQLite serialises writers anyway.
    Run daily by the beat schedule (``quotas.close_ledger_periods``) and at the end of ``load_demo``.
    """
    today = timezone.localdate()
    last_whole = today.replace(day=1) - datetime.timedelta(days=1)
    through = min(through, last_whole) if through else last_whole
    quote = connection.ops.quote_name
    transfer, closing = quote(QuotaTransfer._meta.db_table), quote(AccountClosing._meta.db_table)
    closed: list[datetime.date] = []
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {transfer} IN SHARE MODE")
            previous = LedgerPeriod.objects.order_by("-period_end").values_list("period_end", flat=True).first()
            if previous is None:
                first = QuotaTransfer.objects.order_by("effective_date").values_list(
                    "effective_date", flat=True).first()
                if first is None:
                    return closed
                period_end = month_end(max(first, since) if since else first)
            else:
                period_end = month_end(previous + datetime.timedelta(days=1))
            if period_end > through:
                return closed
            after = previous or datetime.date.min
            sql = (  # only names come from the models; every value is a parameter
                f"INSERT INTO {closing} (account_id, period_end, balance) "  # noqa: S608
                f"SELECT account_id, %s, SUM(amount) FROM ("
                f"SELECT account_id, balance AS amount FROM {closing} WHERE period_end = %s "
                f"UNION ALL SELECT target_id, amount FROM {transfer} "
                f"WHERE effective_date > %s AND effective_date <= %s "
                f"UNION ALL SELECT source_id, -amount FROM {transfer} "
                f"WHERE effective_date > %s AND effective_date <= %s"
                f") moves GROUP BY account_id HAVING SUM(amount) <> 0"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [period_end, previous, after, period_end, after, period_end])
            LedgerPeriod.objects.create(period_end=period_end)
        closed.append(period_end)


# Rows per statement: well under SQLite's 32,766 parameters (a transfer is about a dozen).
_BATCH = 500


def _post_all(moves: list[Move], *, document: ApprovalDocument | None, effective_date: datetime.date | None, by,
              closed: frozenset[int] = frozenset()) -> list[QuotaTransfer]:
    """Post the moves, in order, as one: the one place where balances change. Each move is checked against the
    balances the ones before it leave; the first refused raises and nothing of any is written. ``closed``: accounts
    closed in this transaction that give what they held (a unit's accounts moving with it,
    ``quota_accounts_relocate``)."""
    for move in moves:
        _check_move(move, document=document, effective_date=effective_date)
    # No savepoint here (each costs two round trips): every caller is an atomic service, which is the moves' own
    # transaction, or, inside a caller's transaction, the savepoint a refusal rolls back to. A refusal or a
    # database error leaving this block marks the transaction for rollback, so nothing of the moves remains.
    with transaction.atomic(savepoint=False):
        locked = _lock(*(side.pk for move in moves for side in (move.source, move.target)))
        balances = {pk: account.balance for pk, account in locked.items()}
        for move in moves:
            fresh_source, fresh_target = locked.get(move.source.pk), locked.get(move.target.pk)
            if fresh_source is None or not (fresh_source.is_active or move.source.pk in closed):
                raise ValidationError({"source": _("Unknown or inactive account.")})
            if fresh_target is None or not fresh_target.is_active:
                raise ValidationError({"target": _("Unknown or inactive account.")})
            if fresh_source.quota_type_id != fresh_target.quota_type_id:
                raise ValidationError({"target": _("Quotas move only between accounts of the same quota type.")})
            if fresh_source.holder_kind != HolderKind.PROVINCE and balances[move.source.pk] < move.amount:
                raise ValidationError(
                    {"amount": _("The balance of %(account)s is %(balance)d, less than %(amount)d.")
                     % {"account": move.source, "balance": balances[move.source.pk], "amount": move.amount}}
                )
            balances[move.source.pk] -= move.amount
            balances[move.target.pk] += move.amount
        values = {"document": document, "effective_date": effective_date,
                  "created_by": by if getattr(by, "pk", None) else None}
        transfers = []
        try:
            for start in range(0, len(moves), _BATCH):
                transfers += _record_moves(moves[start:start + _BATCH], **values)
        except IntegrityError as exc:  # the database's checks are the last word
            raise ValidationError({"amount": _("The ledger refused this move: %(reason)s") % {"reason": exc}}) from exc
        _move_closings({pk: balances[pk] - locked[pk].balance for pk in balances}, effective_date)
        changes_record(_changes(moves, transfers, locked, balances))
    for move in moves:
        move.source.balance, move.target.balance = balances[move.source.pk], balances[move.target.pk]
    _tell_readers_after_commit()
    return transfers


def _changes(moves: list[Move], transfers: list[QuotaTransfer], locked: dict[int, LockedAccount],
             balances: dict[int, int]) -> list[Change]:
    """The change log's events of the postings (``outbox``): one per unit a transfer touches, with the unit's
    balance after it, or one for the region when no unit is touched (a pool or a hold). ``balances`` are those after
    every move of the batch, so they are walked back from the last move to give each its own "after"."""
    after = dict(balances)
    groups: list[list[Change]] = []
    for move, transfer in reversed(list(zip(moves, transfers, strict=True))):
        sides = {name: {"account": account.pk, "holder_kind": account.holder_kind,
                        "institution": account.institution_id, "region": account.region_id,
                        "balance": after[account.pk]}
                 for name, account in (("source", move.source), ("target", move.target))}
        data = {"transfer": transfer.pk, "kind": transfer.kind, "amount": transfer.amount,
                "quota_type": locked[move.source.pk].quota_type_id,
                "effective_date": transfer.effective_date.isoformat(),
                "document": transfer.document.number, "reverses": transfer.reverses_id, **sides}
        kind = ChangeKind.TRANSFER_REVERSED if transfer.kind == TransferKind.REVERSAL else ChangeKind.TRANSFER_POSTED
        units = [(side["institution"], side["region"]) for side in sides.values() if side["institution"]]
        groups.append([Change(kind, institution_id, region_id, data) for institution_id, region_id in
                       units or [(None, sides["target"]["region"] or sides["source"]["region"])]])
        after[move.source.pk] += move.amount
        after[move.target.pk] -= move.amount
    return [change for group in reversed(groups) for change in group]


def _post(*, kind: str, source: QuotaAccount, target: QuotaAccount, amount: int,
          document: ApprovalDocument | None, effective_date: datetime.date | None, by, note: str = "",
          reverses: QuotaTransfer | None = None) -> QuotaTransfer:
    """Post one transfer."""
    (transfer,) = _post_all([Move(kind, source, target, amount, note, reverses)], document=document,
                            effective_date=effective_date, by=by)
    return transfer


@transaction.atomic
def quota_grant(*, target: QuotaAccount, amount: int, document, effective_date, by, note: str = "") -> QuotaTransfer:
    """Province → a region's pool or turnover pool (the province-approved total enters the city)."""
    source = account_for_province(quota_type=target.quota_type)
    return _post(kind=TransferKind.GRANT, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_allocate(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
                   note: str = "") -> QuotaTransfer:
    """A region's pool → an institution of that region (核定)."""
    return _post(kind=TransferKind.ALLOCATE, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_reclaim(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
                  note: str = "") -> QuotaTransfer:
    """An institution → its region's pool or a turnover pool (收回, e.g. vacant quotas)."""
    return _post(kind=TransferKind.RECLAIM, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_cancel(*, source: QuotaAccount, amount: int, document, effective_date, by, note: str = "") -> QuotaTransfer:
    """Any account → the province (核销: abolition, conversion to an enterprise, reduction)."""
    target = account_for_province(quota_type=source.quota_type)
    return _post(kind=TransferKind.CANCEL, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_transfer(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
                   note: str = "") -> QuotaTransfer:
    """Institution → institution, or pool → pool (划转: mergers, devolutions, 调剂 between regions)."""
    return _post(kind=TransferKind.TRANSFER, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_control(*, region: Region, quota_type: QuotaType, amount: int, document, effective_date, by,
                  note: str = "") -> QuotaTransfer:
    """A region's pool → its controlled-use hold: held on paper, not usable (控制使用)."""
    return _post(kind=TransferKind.CONTROL, source=account_for_region(region=region, quota_type=quota_type),
                 target=account_for_region(region=region, quota_type=quota_type, controlled=True),
                 amount=amount, document=document, effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_release(*, region: Region, quota_type: QuotaType, amount: int, document, effective_date, by,
                  note: str = "") -> QuotaTransfer:
    """A region's controlled-use hold → its pool (解除控制)."""
    return _post(kind=TransferKind.RELEASE,
                 source=account_for_region(region=region, quota_type=quota_type, controlled=True),
                 target=account_for_region(region=region, quota_type=quota_type),
                 amount=amount, document=document, effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_loan(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
               note: str = "") -> QuotaTransfer:
    """Turnover pool → an institution (the pool never lends what it does not hold)."""
    return _post(kind=TransferKind.LOAN, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_return(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
                 note: str = "") -> QuotaTransfer:
    """An institution → the turnover pool it borrowed from."""
    return _post(kind=TransferKind.RETURN, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_transfer_reverse(*, transfer: QuotaTransfer, document, effective_date, by, note: str = "") -> QuotaTransfer:
    """Undo a transfer by posting its mirror image. A transfer is reversed at most once; reversals are final."""
    if transfer.kind == TransferKind.REVERSAL:
        raise ValidationError({"reverses": _("A reversal cannot itself be reversed; post the original move again.")})
    with transaction.atomic():
        # Lock the original's accounts first, then look for an earlier reversal under the lock.
        _lock(transfer.source_id, transfer.target_id)
        if QuotaTransfer.objects.filter(reverses=transfer).exists():
            raise ValidationError({"reverses": _("Transfer #%(id)d has already been reversed.") % {"id": transfer.pk}})
        return _post(kind=TransferKind.REVERSAL, source=transfer.target, target=transfer.source,
                     amount=transfer.amount, document=document, effective_date=effective_date, by=by,
                     note=note or _("Reversal of transfer #%(id)d") % {"id": transfer.pk}, reverses=transfer)


@transaction.atomic
def quota_moves(*, moves: list[Move], document, effective_date, by) -> list[QuotaTransfer]:
    """Post several moves under one document and date, in one transaction: all or none. Each is checked as its
    kind's own service checks it (route, region, balance), against the balances the moves before it leave; the
    first refused raises and nothing is written. One lock and one write for all: what a reform plan's execution
    posts. Reversals are posted one by one (``quota_transfer_reverse``). Returns the transfers, in order."""
    resolved, province = [], {}

    def province_of(account: QuotaAccount) -> QuotaAccount:
        if account.quota_type_id not in province:
            province[account.quota_type_id] = account_for_province(quota_type=account.quota_type)
        return province[account.quota_type_id]

    for move in moves:
        if move.kind == TransferKind.REVERSAL:
            raise ValidationError({"kind": _("Reverse a transfer with its own action.")})
        if move.kind == TransferKind.CANCEL and move.target is None and move.source is not None:
            move = dataclasses.replace(move, target=province_of(move.source))
        if move.kind == TransferKind.GRANT and move.source is None and move.target is not None:
            move = dataclasses.replace(move, source=province_of(move.target))
        resolved.append(move)
    return _post_all(resolved, document=document, effective_date=effective_date, by=by) if resolved else []


# --- a unit's accounts when the unit ends or moves -------------------------------------------------------------
def _unit_accounts(institutions: list[Institution]) -> list[QuotaAccount]:
    """The units' open accounts, locked, fresh from the database."""
    ids = list(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution__in=institutions,
                                           is_active=True).values_list("pk", flat=True))
    if not ids:
        return []
    _lock(*ids)
    return list(QuotaAccount.objects.filter(pk__in=ids).select_related("quota_type", "institution").order_by("pk"))


@transaction.atomic
def quota_accounts_close(*, institutions: list[Institution]) -> int:
    """Close the units' open accounts (ended units): each must be empty; a closed account takes no posting.
    Returns how many were closed."""
    accounts = _unit_accounts(institutions)
    for account in accounts:
        if account.balance:
            raise ValidationError({"institution": _(
                "“%(unit)s” still holds %(amount)d %(type)s quotas: move, reclaim or cancel them first.")
                % {"unit": account.institution, "amount": account.balance, "type": account.quota_type}})
    QuotaAccount.objects.filter(pk__in=[account.pk for account in accounts]).update(is_active=False)
    return len(accounts)


@transaction.atomic
def quota_accounts_relocate(*, moves: list[tuple[Institution, Region]], document, effective_date, by,
                            note: str = "") -> list[QuotaTransfer]:
    """Each unit now sits in its region (a devolution): each of its open accounts of another region is closed and
    its balance transferred, on ``effective_date``, to a new account of the unit in that region. Totals by region on
    any date before count the quotas where they were, from that date where they went. Returns the transfers."""
    region_of = {institution.pk: region for institution, region in moves}
    leaving = [account for account in _unit_accounts([institution for institution, _region in moves])
               if account.region_id != region_of[account.institution_id].pk]
    if not leaving:
        return []
    # One open account per unit and type: the old ones close before the new ones open.
    QuotaAccount.objects.filter(pk__in=[account.pk for account in leaving]).update(is_active=False)
    arriving = QuotaAccount.objects.bulk_create(
        QuotaAccount(holder_kind=HolderKind.INSTITUTION, institution_id=account.institution_id,
                     region=region_of[account.institution_id], quota_type=account.quota_type)
        for account in leaving)
    transfers = [Move(TransferKind.TRANSFER, account, moved_to, account.balance, note or _(
        "%(unit)s moves to %(region)s") % {"unit": account.institution, "region": moved_to.region})
                 for account, moved_to in zip(leaving, arriving, strict=True) if account.balance]
    return _post_all(transfers, document=document, effective_date=effective_date, by=by,
                     closed=frozenset(account.pk for account in leaving)) if transfers else []


SERVICES_BY_KIND = {
    TransferKind.ALLOCATE: quota_allocate,
    TransferKind.RECLAIM: quota_reclaim,
    TransferKind.TRANSFER: quota_transfer,
    TransferKind.LOAN: quota_loan,
    TransferKind.RETURN: quota_return,
}


@transaction.atomic
def quota_move(*, kind: str, source: QuotaAccount | None, target: QuotaAccount | None, amount, document,
               effective_date, by, note: str = "") -> QuotaTransfer:
    """Dispatch a move given as (kind, from, to): what the API and the admin form post."""
    if kind == TransferKind.REVERSAL:
        raise ValidationError({"kind": _("Reverse a transfer with its own action.")})
    if kind == TransferKind.GRANT:
        if target is None:
            raise ValidationError({"target": _("Unknown account.")})
        if source is not None and source.holder_kind != HolderKind.PROVINCE:
            raise ValidationError({"source": _("A grant comes from the province.")})
        return quota_grant(target=target, amount=amount, document=document, effective_date=effective_date, by=by,
                           note=note)
    if kind == TransferKind.CANCEL:
        if source is None:
            raise ValidationError({"source": _("Unknown account.")})
        if target is not None and target.holder_kind != HolderKind.PROVINCE:
            raise ValidationError({"target": _("Cancelled quotas go back to the province.")})
        return quota_cancel(source=source, amount=amount, document=document, effective_date=effective_date, by=by,
                            note=note)
    if kind in (TransferKind.CONTROL, TransferKind.RELEASE):
        if source is None or target is None:
            raise ValidationError({"source" if source is None else "target": _("Unknown account.")})
        return _post(kind=kind, source=source, target=target, amount=amount, document=document,
                     effective_date=effective_date, by=by, note=note)
    if source is None or target is None:
        raise ValidationError({"source" if source is None else "target": _("Unknown account.")})
    return SERVICES_BY_KIND[kind](source=source, target=target, amount=amount, document=document,
                                  effective_date=effective_date, by=by, note=note)
