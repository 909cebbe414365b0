"""The ledger services: every move on a document, refused moves change nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from quotas import services
from quotas.choices import HolderKind, TransferKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile
from quotas.tests.conftest import DAY, balances

pytestmark = pytest.mark.django_db


def fresh(account):
    return QuotaAccount.objects.get(pk=account.pk).balance


def test_grant_and_allocate_move_balances(ledger):
    assert fresh(ledger["province"]) == -100
    assert fresh(ledger["pool"]) == 50
    assert fresh(ledger["archive_account"]) == 40
    assert fresh(ledger["library_account"]) == 10
    assert ledger_reconcile().ok


def test_each_service_posts_its_kind(ledger, make_document):
    document, clerk, quota_type = make_document(), ledger["clerk"], ledger["quota_type"]
    pool, archive, library = ledger["pool"], ledger["archive_account"], ledger["library_account"]
    turnover = services.account_for_turnover_pool(region=ledger["city"], quota_type=quota_type)
    common = {"document": document, "effective_date": DAY, "by": clerk}

    services.quota_reclaim(source=archive, target=pool, amount=5, **common)
    services.quota_transfer(source=archive, target=library, amount=3, **common)
    services.quota_control(region=ledger["daoli"], quota_type=quota_type, amount=20, **common)
    services.quota_release(region=ledger["daoli"], quota_type=quota_type, amount=7, **common)
    services.quota_grant(target=turnover, amount=4, **common)
    services.quota_loan(source=turnover, target=library, amount=2, **common)
    services.quota_return(source=library, target=turnover, amount=1, **common)
    services.quota_cancel(source=pool, amount=6, **common)

    kinds = list(QuotaTransfer.objects.filter(document=document).values_list("kind", flat=True))
    assert kinds == ["reclaim", "transfer", "control", "release", "grant", "loan", "return", "cancel"]
    assert fresh(archive) == 40 - 5 - 3
    assert fresh(library) == 10 + 3 + 2 - 1
    assert fresh(pool) == 50 + 5 - 20 + 7 - 6
    hold = services.account_for_region(region=ledger["daoli"], quota_type=quota_type, controlled=True)
    assert fresh(hold) == 13
    assert fresh(turnover) == 4 - 2 + 1
    assert fresh(ledger["province"]) == -100 - 4 + 6
    assert ledger_reconcile().ok


@pytest.mark.parametrize("amount", [0, -3, 2.5, "7", True, None])
def test_amount_must_be_positive_whole_number(ledger, amount):
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_allocate(source=ledger["pool"], target=ledger["archive_account"], amount=amount,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "amount" in error.value.message_dict
    assert balances() == before


def test_balance_too_small_names_the_balance(ledger):
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_allocate(source=ledger["pool"], target=ledger["archive_account"], amount=51,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "50" in error.value.message_dict["amount"][0]
    assert balances() == before


def test_missing_document_is_refused(ledger):
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_allocate(source=ledger["pool"], target=ledger["archive_account"], amount=1,
                                document=None, effective_date=DAY, by=ledger["clerk"])

    assert "document" in error.value.message_dict
    assert balances() == before


def test_same_account_on_both_sides_is_refused(ledger):
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_transfer(source=ledger["archive_account"], target=ledger["archive_account"], amount=1,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "target" in error.value.message_dict
    assert balances() == before


def test_quota_types_must_match(ledger):
    other_type = services.quota_type_get("worker")
    worker_account = services.account_for_institution(institution=ledger["library"], quota_type=other_type)
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_allocate(source=ledger["pool"], target=worker_account, amount=1,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "target" in error.value.message_dict
    assert balances() == before


def test_inactive_account_is_refused(ledger):
    QuotaAccount.objects.filter(pk=ledger["library_account"].pk).update(is_active=False)
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=1,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "target" in error.value.message_dict
    assert balances() == before


def test_route_rules_refuse_wrong_holder_kinds(ledger):
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_loan(source=ledger["pool"], target=ledger["archive_account"], amount=1,
                            document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "source" in error.value.message_dict
    assert balances() == before


def test_allocation_stays_inside_the_region(ledger):
    county_account = services.account_for_institution(
        institution=ledger["county_school"], quota_type=ledger["quota_type"]
    )
    before = balances()

    with pytest.raises(ValidationError):
        services.quota_allocate(source=ledger["pool"], target=county_account, amount=1,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert balances() == before


def test_reversal_restores_balances_and_happens_once(ledger, make_document):
    transfer = QuotaTransfer.objects.get(target=ledger["archive_account"])

    reversal = services.quota_transfer_reverse(transfer=transfer, document=make_document(), effective_date=DAY,
                                               by=ledger["clerk"])

    assert reversal.kind == TransferKind.REVERSAL
    assert reversal.reverses == transfer
    assert (reversal.source_id, reversal.target_id, reversal.amount) == (transfer.target_id, transfer.source_id, 40)
    assert fresh(ledger["archive_account"]) == 0
    assert fresh(ledger["pool"]) == 90
    before = balances()
    with pytest.raises(ValidationError) as error:
        services.quota_transfer_reverse(transfer=transfer, document=make_document(), effective_date=DAY,
                                        by=ledger["clerk"])
    assert "reverses" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.quota_transfer_reverse(transfer=reversal, document=make_document(), effective_date=DAY,
                                        by=ledger["clerk"])
    assert balances() == before


def test_reversal_refused_when_the_target_has_spent_the_quotas(ledger, make_document):
    # The library got 10 and gives 8 on; reversing its allocation would take it below zero.
    allocation = QuotaTransfer.objects.get(target=ledger["library_account"])
    services.quota_transfer(source=ledger["library_account"], target=ledger["archive_account"], amount=8,
                            document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_transfer_reverse(transfer=allocation, document=make_document(), effective_date=DAY,
                                        by=ledger["clerk"])

    assert "amount" in error.value.message_dict
    assert balances() == before


def test_only_the_province_goes_negative(ledger):
    assert fresh(ledger["province"]) < 0
    assert QuotaAccount.objects.filter(balance__lt=0).exclude(holder_kind=HolderKind.PROVINCE).count() == 0


def test_backdated_and_future_transfers_count_on_their_dates(ledger, make_document):
    from quotas.selectors import account_balance_on

    later = datetime.date(2024, 6, 1)
    services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=4,
                            document=make_document(), effective_date=later, by=ledger["clerk"])

    assert account_balance_on(ledger["archive_account"], datetime.date(2024, 5, 31)) == 40
    assert account_balance_on(ledger["archive_account"], later) == 36
    assert account_balance_on(ledger["archive_account"], datetime.date(2023, 12, 31)) == 0


def test_database_check_has_the_last_word(ledger, monkeypatch):
    # Pretend the lock read a larger balance than the pool holds: the database's check must still refuse.
    from quotas.services import LockedAccount, _lock

    def optimistic_lock(*ids):
        rows = _lock(*ids)
        return {pk: LockedAccount(**{**row.__dict__, "balance": 10**6}) for pk, row in rows.items()}

    monkeypatch.setattr(services, "_lock", optimistic_lock)
    before = balances()

    with pytest.raises(ValidationError) as error:
        services.quota_allocate(source=ledger["pool"], target=ledger["archive_account"], amount=51,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])

    assert "amount" in error.value.message_dict
    assert balances() == before


def test_a_move_is_dated_within_bounds_and_not_before_its_document(ledger, make_document):
    from django.utils import translation

    before = balances()
    later = make_document(date_issued=datetime.date(2024, 5, 1), date_effective=datetime.date(2024, 6, 1))
    common = {"source": ledger["pool"], "target": ledger["library_account"], "amount": 1, "by": ledger["clerk"]}

    with translation.override("en"), pytest.raises(ValidationError) as early:
        services.quota_allocate(document=later, effective_date=datetime.date(2024, 5, 31), **common)
    for day in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as bounds:
            services.quota_allocate(document=make_document(), effective_date=day, **common)
        assert list(bounds.value.message_dict) == ["effective_date"]

    assert early.value.message_dict["effective_date"] == [
        f"A move cannot take effect before its approval document does ({later.number} takes effect on 2024-06-01)."]
    assert balances() == before
    services.quota_allocate(document=later, effective_date=datetime.date(2024, 6, 1), **common)


def test_accounts_for_many_units_open_the_missing_ones_and_keep_the_open_ones(ledger, django_assert_num_queries):
    archive, library, school = ledger["archive"], ledger["library"], ledger["county_school"]
    quota_type = ledger["quota_type"]
    closed = services.account_for_institution(institution=school, quota_type=quota_type)
    QuotaAccount.objects.filter(pk=closed.pk).update(is_active=False)  # a closed account takes no postings

    with django_assert_num_queries(3):
        accounts = services.accounts_for_institutions(institutions=[archive, library, school], quota_type=quota_type)
    again = services.accounts_for_institutions(institutions=[archive, library, school], quota_type=quota_type)

    assert accounts[archive.pk].pk == ledger["archive_account"].pk  # the open ones, with their balances
    assert accounts[library.pk].balance == 10
    opened = accounts[school.pk]
    assert opened.pk != closed.pk and opened.is_active and opened.balance == 0
    assert (opened.holder_kind, opened.region_id) == (HolderKind.INSTITUTION, school.region_id)
    assert {unit: account.pk for unit, account in again.items()} == {
        unit: account.pk for unit, account in accounts.items()}  # opened once
    assert services.account_for_institution(institution=school, quota_type=quota_type).pk == opened.pk
