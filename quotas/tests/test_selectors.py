"""Ledger reads: statements, balances on a date, totals, the reconciliation command."""
import datetime

import pytest
from django.core.management import CommandError, call_command

from quotas import services
from quotas.models import QuotaAccount
from quotas.selectors import (
    account_balance_on,
    account_statement,
    ledger_reconcile,
    totals_by_level,
    totals_by_quota_type,
    totals_by_region,
    with_balance_on,
)
from quotas.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def test_statement_worked_by_hand(ledger, make_document):
    # archive: +40 on 1 Jan (fixture); −3 on 1 Mar; +2 on 1 Apr; −5 on 1 Jul (outside the range).
    archive, library, clerk = ledger["archive_account"], ledger["library_account"], ledger["clerk"]
    march, april, july = datetime.date(2024, 3, 1), datetime.date(2024, 4, 1), datetime.date(2024, 7, 1)
    services.quota_transfer(source=archive, target=library, amount=3, document=make_document(serial=7),
                            effective_date=march, by=clerk)
    services.quota_transfer(source=library, target=archive, amount=2, document=make_document(serial=8),
                            effective_date=april, by=clerk)
    services.quota_reclaim(source=archive, target=ledger["pool"], amount=5, document=make_document(serial=9),
                           effective_date=july, by=clerk)

    statement = account_statement(archive, datetime.date(2024, 2, 1), datetime.date(2024, 6, 30))

    assert statement.opening == 40
    assert [(line.effective_date, line.change, line.balance) for line in statement.lines] == [
        (march, -3, 37),
        (april, 2, 39),
    ]
    assert [line.document_number for line in statement.lines] == ["哈编发〔2024〕7号", "哈编发〔2024〕8号"]
    assert statement.lines[0].counterparty == "道里区图书馆"
    assert statement.closing == 39
    assert account_balance_on(archive, datetime.date(2024, 6, 30)) == 39
    assert account_balance_on(archive, july) == 34


def test_balance_on_annotation_matches_per_account_reads(ledger):
    on = DAY
    annotated = {a.pk: a.balance_on for a in with_balance_on(QuotaAccount.objects.all(), on)}

    assert annotated == {a.pk: account_balance_on(a, on) for a in QuotaAccount.objects.all()}
    assert annotated[ledger["province"].pk] == -100


def test_totals_by_region_level_and_type(ledger, make_document):
    quota_type = ledger["quota_type"]
    services.quota_control(region=ledger["daoli"], quota_type=quota_type, amount=20, document=make_document(),
                           effective_date=DAY, by=ledger["clerk"])
    yilan_pool = services.account_for_region(region=ledger["yilan"], quota_type=quota_type)
    services.quota_grant(target=yilan_pool, amount=30, document=make_document(), effective_date=DAY,
                         by=ledger["clerk"])
    before = DAY - datetime.timedelta(days=1)

    rows = {row.code: row for row in totals_by_region(DAY, quota_type=quota_type)}

    daoli = rows["230102"]
    assert (daoli.pool, daoli.controlled, daoli.institutions, daoli.turnover_pool, daoli.total) == (30, 20, 50, 0, 100)
    assert rows["230123"].total == 30
    assert rows["230100"].total == 0
    assert totals_by_level(DAY) == {"city": 0, "district": 100, "county": 30}
    assert totals_by_level(before) == {"city": 0, "district": 0, "county": 0}
    assert totals_by_quota_type(DAY) == {"institutional": 130}


def test_ledger_check_command_passes_and_names_a_broken_account(ledger, capsys):
    call_command("ledger_check")
    assert "ledger ok" in capsys.readouterr().out

    # Corrupt a stored balance behind the services' back, as a bad manual SQL fix would.
    QuotaAccount.objects.filter(pk=ledger["library_account"].pk).update(balance=12)

    check = ledger_reconcile()
    assert not check.ok
    assert check.total_balance == 2
    assert [(m[0], m[2], m[3]) for m in check.mismatched] == [(ledger["library_account"].pk, 12, 10)]
    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert f"account {ledger['library_account'].pk}" in capsys.readouterr().err
