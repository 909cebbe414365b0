"""Many moves as one (``quota_moves``), and a batch of units' accounts closed or moved to another region: the same
checks as one move at a time, all or nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions.models import Institution
from quotas import services
from quotas.choices import TransferKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile, totals_by_region
from quotas.services import Move
from quotas.tests.conftest import DAY, balances

pytestmark = pytest.mark.django_db


def fresh(account):
    return QuotaAccount.objects.get(pk=account.pk).balance


def test_a_batch_posts_in_order_and_may_spend_what_an_earlier_move_gave(ledger):
    pool, archive, library = ledger["pool"], ledger["archive_account"], ledger["library_account"]

    transfers = services.quota_moves(moves=[
        Move(TransferKind.TRANSFER, library, archive, 10, "图书馆并入档案馆"),  # the library's all
        Move(TransferKind.RECLAIM, archive, pool, 45),  # 40 + 10 received just before, less 5
        Move(TransferKind.CANCEL, pool, None, 70),  # 50 + 45 in the pool; the province's account is found
    ], document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert [(t.kind, t.source_id, t.target_id, t.amount) for t in transfers] == [
        ("transfer", library.pk, archive.pk, 10), ("reclaim", archive.pk, pool.pk, 45),
        ("cancel", pool.pk, ledger["province"].pk, 70)]
    assert list(QuotaTransfer.objects.filter(pk__in=[t.pk for t in transfers]).order_by("pk").values_list(
        "kind", "amount", "note", "created_by")) == [
        ("transfer", 10, "图书馆并入档案馆", ledger["clerk"].pk), ("reclaim", 45, "", ledger["clerk"].pk),
        ("cancel", 70, "", ledger["clerk"].pk)]
    assert (fresh(library), fresh(archive), fresh(pool), fresh(ledger["province"])) == (0, 5, 25, -30)
    assert (library.balance, archive.balance, pool.balance) == (0, 5, 25)  # the callers' objects are current
    assert ledger_reconcile().ok


def test_a_refused_move_anywhere_in_the_batch_writes_none_of_it(ledger):
    pool, archive, library = ledger["pool"], ledger["archive_account"], ledger["library_account"]
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_moves(moves=[
            Move(TransferKind.TRANSFER, library, archive, 10),
            Move(TransferKind.RECLAIM, archive, pool, 51),  # 50 after the first move
            Move(TransferKind.CANCEL, pool, None, 1),
        ], document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "50" in error.value.message_dict["amount"][0]
    assert balances() == before


def test_each_move_of_a_batch_is_checked_as_its_own_service_checks_it(ledger, make_document):
    county_pool = services.account_for_region(region=ledger["yilan"], quota_type=ledger["quota_type"])
    cases = [
        ([Move(TransferKind.ALLOCATE, county_pool, ledger["archive_account"], 1)], "target"),  # another region
        ([Move(TransferKind.RECLAIM, ledger["archive_account"], county_pool, 1)], "target"),  # not its own pool
        ([Move(TransferKind.ALLOCATE, ledger["archive_account"], ledger["library_account"], 1)], "source"),
        ([Move(TransferKind.TRANSFER, ledger["library_account"], ledger["library_account"], 1)], "target"),
        ([Move(TransferKind.REVERSAL, ledger["library_account"], ledger["pool"], 1)], "kind"),
        ([Move(TransferKind.TRANSFER, ledger["library_account"], ledger["archive_account"], 0)], "amount"),
    ]
    before = balances()
    for moves, field in cases:
        with pytest.raises(ValidationError) as error:
            services.quota_moves(moves=moves, document=ledger["document"], effective_date=DAY, by=None)
        assert field in error.value.message_dict, (moves, error.value.message_dict)
    late = make_document(date_effective=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.quota_moves(moves=[Move(TransferKind.TRANSFER, ledger["library_account"], ledger["archive_account"],
                                         1)], document=late, effective_date=DAY, by=None)
    assert "effective_date" in error.value.message_dict
    assert balances() == before


# Moves among the pool (0) and the two units (1, 2) of 道里区: (kind, from, to, amount).
ROUTES = [(TransferKind.ALLOCATE, 0, 1), (TransferKind.ALLOCATE, 0, 2), (TransferKind.RECLAIM, 1, 0),
          (TransferKind.RECLAIM, 2, 0), (TransferKind.TRANSFER, 1, 2), (TransferKind.TRANSFER, 2, 1)]
batches = st.lists(st.tuples(st.sampled_from(ROUTES), st.integers(min_value=1, max_value=60)), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=batches)
def test_a_batch_is_accepted_and_ends_as_its_moves_posted_one_by_one(ledger, batch):
    """The moves are first posted one by one (inside a savepoint rolled back after), then as one batch. The batch
    is accepted exactly when every one of its moves was, and leaves the same balances."""
    accounts = [ledger["pool"], ledger["archive_account"], ledger["library_account"]]
    common = {"document": ledger["document"], "effective_date": DAY, "by": None}

    def undo(savepoint):
        transaction.savepoint_rollback(savepoint)
        for account in accounts:
            account.refresh_from_db()

    before = balances()
    one_by_one, savepoint = None, transaction.savepoint()
    try:
        for (kind, source, target), amount in batch:
            services.quota_move(kind=kind, source=accounts[source], target=accounts[target], amount=amount,
                                **common)
        one_by_one = balances()
    except ValidationError:
        pass
    undo(savepoint)

    moves = [Move(kind, accounts[source], accounts[target], amount) for (kind, source, target), amount in batch]
    savepoint = transaction.savepoint()
    try:
        if one_by_one is not None:
            services.quota_moves(moves=moves, **common)
            assert balances() == one_by_one
        else:
            with pytest.raises(ValidationError):
                services.quota_moves(moves=moves, **common)
            assert balances() == before
        assert ledger_reconcile().ok
    finally:
        undo(savepoint)  # each example starts from the fixture's ledger


def test_closing_many_units_refuses_while_one_holds_quotas_and_closes_none(ledger):
    emptied = Institution.objects.create(name="道里区文化馆", region=ledger["daoli"])
    services.account_for_institution(institution=emptied, quota_type=ledger["quota_type"])

    with pytest.raises(ValidationError) as error:
        services.quota_accounts_close(institutions=[emptied, ledger["library"]])

    assert "道里区图书馆" in error.value.message_dict["institution"][0]
    assert QuotaAccount.objects.filter(institution__in=[emptied, ledger["library"]], is_active=True).count() == 2
    assert services.quota_accounts_close(institutions=[emptied]) == 1


def test_moving_many_units_to_other_regions_counts_each_where_it_was_until_the_date(ledger, make_document):
    """道里区's archive (40) goes to 依兰县 and its library (10) stays: on the day before, 道里区 holds both units'
    50 and the pool's 50; from the day, 依兰县 holds the archive's 40."""
    day = datetime.date(2024, 7, 1)
    document = make_document(date_issued=day, date_effective=day)
    archive, library = ledger["archive"], ledger["library"]

    transfers = services.quota_accounts_relocate(moves=[(archive, ledger["yilan"]), (library, ledger["daoli"])],
                                                 document=document, effective_date=day, by=ledger["clerk"])

    assert [(t.amount, t.kind) for t in transfers] == [(40, "transfer")]
    moved = QuotaAccount.objects.get(institution=archive, is_active=True)
    assert (moved.region_id, moved.balance, fresh(ledger["archive_account"])) == (ledger["yilan"].pk, 40, 0)
    assert QuotaAccount.objects.get(institution=library, is_active=True).pk == ledger["library_account"].pk

    def held(on):
        return {total.name: total.total for total in totals_by_region(on) if total.total}

    assert held(day - datetime.timedelta(days=1)) == {"道里区": 100}
    assert held(day) == {"道里区": 60, "依兰县": 40}
    assert ledger_reconcile().ok
