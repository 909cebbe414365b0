"""Transfers are never edited or deleted: not through the ORM nor the database (API and admin: their own tests)."""
import pytest
from django.db import DatabaseError, connection, transaction

from quotas.models import ImmutableTransferError, QuotaTransfer

pytestmark = pytest.mark.django_db


def test_orm_save_of_an_existing_transfer_is_refused(ledger):
    transfer = QuotaTransfer.objects.first()
    transfer.amount = 999

    with pytest.raises(ImmutableTransferError):
        transfer.save()

    assert QuotaTransfer.objects.get(pk=transfer.pk).amount != 999


def test_orm_delete_is_refused(ledger):
    count = QuotaTransfer.objects.count()
    transfer = QuotaTransfer.objects.first()

    with pytest.raises(ImmutableTransferError):
        transfer.delete()
    with pytest.raises(ImmutableTransferError):
        QuotaTransfer.objects.all().delete()
    with pytest.raises(ImmutableTransferError):
        QuotaTransfer.objects.filter(pk=transfer.pk).update(amount=1)

    assert QuotaTransfer.objects.count() == count


def test_database_refuses_raw_update(ledger):
    transfer = QuotaTransfer.objects.first()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE quotas_quotatransfer SET amount = 999 WHERE id = %s", [transfer.pk])

    assert QuotaTransfer.objects.get(pk=transfer.pk).amount == transfer.amount


@pytest.mark.postgres
def test_postgres_refuses_raw_delete(ledger):
    count = QuotaTransfer.objects.count()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM quotas_quotatransfer")

    assert QuotaTransfer.objects.count() == count
