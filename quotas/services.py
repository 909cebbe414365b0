"""The only writers of the quota ledger.

Every service runs in one transaction (accounts it creates on the way vanish with a refusal)
and posts one or more ``QuotaTransfer`` rows. The accounts involved are locked (``SELECT …
FOR UPDATE``, in primary-key order, so two clerks never deadlock), balances are read after the
lock, and an account other than the province's is never taken below zero: checked here with a
clear message, and held by a database check constraint as the last word. A refused move raises
``ValidationError`` (field → message) and changes nothing.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.dates import check_date
from institutions.models import ApprovalDocument, Institution, Region
from quotas.choices import TRANSFER_ROUTES, HolderKind, PoolSector, QuotaTypeCode, TransferKind
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType


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


def _record_move(*, source_id: int, target_id: int, amount: int, **values) -> QuotaTransfer:
    """Move ``amount`` between the two locked balances and insert the transfer; return it as a saved instance.

    Written in SQL because it is the hottest path of the ledger (bench/bench_ledger.py: the ORM's
    ``update(balance=Case(When(…)))`` and ``create()`` cost about 0.7 ms of CPU a posting). One UPDATE moves both
    balances; on PostgreSQL it rides in the same statement as the INSERT (a data-modifying WITH, which always runs
    to completion), saving a round trip; elsewhere they are two statements. The check constraint on the balance
    still has the last word (IntegrityError). Only names come from the models; every value is a parameter.
    """
    quote = connection.ops.quote_name
    account = QuotaAccount._meta
    table, pk, balance = quote(account.db_table), quote(account.pk.column), quote(account.get_field("balance").column)
    update = (
        f"UPDATE {table} SET {balance} = {balance} + CASE WHEN {pk} = %s THEN %s ELSE %s END "  # noqa: S608
        f"WHERE {pk} IN (%s, %s)"
    )
    update_params = [source_id, -amount, amount, source_id, target_id]
    transfer = QuotaTransfer(source_id=source_id, target_id=target_id, amount=amount, created_at=timezone.now(),
                             **values)
    fields = [f for f in QuotaTransfer._meta.concrete_fields if not f.primary_key]
    insert = (
        f"INSERT INTO {quote(QuotaTransfer._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    insert_params = [f.get_db_prep_save(getattr(transfer, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH moved AS ({update}) {insert}", update_params + insert_params)
        else:
            cursor.execute(update, update_params)
            cursor.execute(insert, insert_params)
        transfer.pk = cursor.fetchone()[0]
    transfer._state.adding = False
    transfer._state.db = connection.alias
    return transfer


def _post(
    *,
    kind: str,
    source: QuotaAccount,
    target: QuotaAccount,
    amount: int,
    document: ApprovalDocument | None,
    effective_date: datetime.date | None,
    by,
    note: str = "",
    reverses: QuotaTransfer | None = None,
    from_closed_account: bool = False,
) -> QuotaTransfer:
    """Post one transfer: the one place where balances change. ``from_closed_account``: the source was closed in
    this transaction and gives what it held (a unit's accounts moving with it, ``quota_accounts_relocate``)."""
    amount = _check_amount(amount)
    errors: dict[str, str] = {}
    if document is None:
        errors["document"] = _("Every move of quotas needs its approval document.")
    if effective_date is None:
        errors["effective_date"] = _("The effective date is required.")
    if source is None:
        errors["source"] = _("Unknown account.")
    if target is None:
        errors["target"] = _("Unknown account.")
    if errors:
        raise ValidationError(errors)
    check_date(effective_date, field="effective_date")
    if effective_date < document.date_effective:
        raise ValidationError({"effective_date": _(
            "A move cannot take effect before its approval document does (%(number)s takes effect on %(date)s).")
            % {"number": document.number, "date": document.date_effective.isoformat()}})
    if source.pk == target.pk:
        raise ValidationError({"target": _("The two sides of a transfer must be different accounts.")})
    if kind != TransferKind.REVERSAL:
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

    # No savepoint here (each costs two round trips): every caller is an atomic service, which is the move's own
    # transaction, or, inside a caller's transaction, the savepoint a refusal rolls back to. A refusal or a
    # database error leaving this block marks the transaction for rollback, so nothing of the move remains.
    with transaction.atomic(savepoint=False):
        locked = _lock(source.pk, target.pk)
        fresh_source, fresh_target = locked.get(source.pk), locked.get(target.pk)
        if fresh_source is None or not (fresh_source.is_active or from_closed_account):
            raise ValidationError({"source": _("Unknown or inactive account.")})
        if fresh_target is None or not fresh_target.is_active:
            raise ValidationError({"target": _("Unknown or inactive account.")})
        if fresh_source.quota_type_id != fresh_target.quota_type_id:
            raise ValidationError({"target": _("Quotas move only between accounts of the same quota type.")})
        if fresh_source.holder_kind != HolderKind.PROVINCE and fresh_source.balance < amount:
            raise ValidationError(
                {"amount": _("The balance of %(account)s is %(balance)d, less than %(amount)d.")
                 % {"account": source, "balance": fresh_source.balance, "amount": amount}}
            )
        try:
            transfer = _record_move(
                source_id=source.pk, target_id=target.pk, amount=amount, kind=kind, document=document,
                effective_date=effective_date, note=note, created_by=by if getattr(by, "pk", None) else None,
                reverses=reverses,
            )
        except IntegrityError as exc:  # the database's checks are the last word
            raise ValidationError({"amount": _("The ledger refused this move: %(reason)s") % {"reason": exc}}) from exc
    source.balance = fresh_source.balance - amount
    target.balance = fresh_target.balance + amount
    _tell_readers_after_commit()
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
    if source.region_id and target.region_id and source.region_id != target.region_id:
        raise ValidationError({"target": _("A region's pool allocates only to institutions of that region.")})
    return _post(kind=TransferKind.ALLOCATE, source=source, target=target, amount=amount, document=document,
                 effective_date=effective_date, by=by, note=note)


@transaction.atomic
def quota_reclaim(*, source: QuotaAccount, target: QuotaAccount, amount: int, document, effective_date, by,
                  note: str = "") -> QuotaTransfer:
    """An institution → its region's pool or a turnover pool (收回, e.g. vacant quotas)."""
    if target.holder_kind == HolderKind.REGION_POOL and source.region_id != target.region_id:
        raise ValidationError({"target": _("Quotas are reclaimed into the institution's own region pool.")})
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


# --- a unit's accounts when the unit ends or moves -------------------------------------------------------------
def _unit_accounts(institution: Institution) -> list[QuotaAccount]:
    ids = list(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=institution,
                                           is_active=True).values_list("pk", flat=True))
    if ids:
        _lock(*ids)
    return list(QuotaAccount.objects.filter(pk__in=ids).select_related("quota_type").order_by("pk"))


@transaction.atomic
def quota_accounts_close(*, institution: Institution) -> int:
    """Close the unit's open accounts (an ended unit): each must be empty; a closed account takes no posting.
    Returns how many were closed."""
    accounts = _unit_accounts(institution)
    for account in accounts:
        if account.balance:
            raise ValidationError({"institution": _(
                "“%(unit)s” still holds %(amount)d %(type)s quotas: move, reclaim or cancel them first.")
                % {"unit": institution, "amount": account.balance, "type": account.quota_type}})
    QuotaAccount.objects.filter(pk__in=[account.pk for account in accounts]).update(is_active=False)
    return len(accounts)


@transaction.atomic
def quota_accounts_relocate(*, institution: Institution, region: Region, document, effective_date, by,
                            note: str = "") -> list[QuotaTransfer]:
    """The unit now sits in ``region`` (a devolution): each open account of another region is closed and its
    balance transferred, on ``effective_date``, to a new account of the unit in ``region``. Totals by region on any
    date before count the quotas where they were, from that date where they went. Returns the transfers."""
    transfers = []
    for account in _unit_accounts(institution):
        if account.region_id == region.pk:
            continue
        QuotaAccount.objects.filter(pk=account.pk).update(is_active=False)  # one open account per unit and type
        moved_to = QuotaAccount.objects.create(holder_kind=HolderKind.INSTITUTION, institution=institution,
                                               region=region, quota_type=account.quota_type)
        if account.balance:
            transfers.append(_post(
                kind=TransferKind.TRANSFER, source=account, target=moved_to, amount=account.balance,
                document=document, effective_date=effective_date, by=by, from_closed_account=True,
                note=note or _("%(unit)s moves to %(region)s") % {"unit": institution, "region": region}))
    return transfers


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
        if source.region_id != target.region_id:
            raise ValidationError({"target": _("Controlled use moves quotas inside one region.")})
        return _post(kind=kind, source=source, target=target, amount=amount, document=document,
                     effective_date=effective_date, by=by, note=note)
    if source is None or target is None:
        raise ValidationError({"source" if source is None else "target": _("Unknown account.")})
    return SERVICES_BY_KIND[kind](source=source, target=target, amount=amount, document=document,
                                  effective_date=effective_date, by=by, note=note)
