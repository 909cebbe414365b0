"""Reconcile the ledger: exit non-zero and name the accounts when it does not balance."""
from django.core.management.base import BaseCommand, CommandError

from quotas.selectors import ledger_reconcile


class Command(BaseCommand):
    help = ("Check that all balances sum to 0, every stored balance equals the sum of its transfers and every "
            "closing balance the sum of its transfers up to its period's end.")

    def handle(self, *args, **options) -> None:
        check = ledger_reconcile()
        if check.ok:
            self.stdout.write(self.style.SUCCESS(
                "ledger ok: balances sum to 0 and match their transfers, and so does every closing balance"))
            return
        if check.total_balance != 0:
            self.stderr.write(f"balances sum to {check.total_balance}, not 0")
        for account_id, name, stored, computed in check.mismatched:
            self.stderr.write(f"account {account_id} ({name}): stored balance {stored}, transfers give {computed}")
        for account_id, name, balance in check.negative:
            self.stderr.write(f"account {account_id} ({name}): negative balance {balance}")
        for account_id, period_end, stored, computed in check.closings_mismatched:
            self.stderr.write(f"account {account_id}: closing balance on {period_end} kept as {stored}, "
                              f"transfers give {computed}")
        raise CommandError("ledger check failed")
