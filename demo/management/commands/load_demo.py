"""Load the illustrative Harbin-shaped demo city: the registry, the ledger, the positions, the workflow, the service
figures of the industry standards."""
import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from demo import institutions as demo
from demo import mandates, positions, powers, quotas, reform, standards, tracking, workflow
from outbox.selectors import feed_head
from outbox.services import changes_sequence
from quotas.services import ledger_periods_close


class Command(BaseCommand):
    help = (
        "Load the illustrative demo city (演示数据，仅为示意): regions, agencies, public institutions, divisions, "
        "plaques and documents, then the ledger, the 2021 reform as executed reform plans, the position plans and "
        "staff counts, the workflow, the service figures of the industry standards, the 三定 regulations, "
        "charters and party organisations of a dozen units, the power lists and the law-enforcement list, and the "
        "reform's follow-up. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="Seed of the generated city.")
        parser.add_argument("--user", help="Username recorded as the author of the history rows.")

    def handle(self, *args, seed: int, user: str | None, **options) -> None:
        started = time.perf_counter()
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            summary = demo.load(seed=seed, by=by)
        except IntegrityError as exc:
            raise CommandError(
                "Part of the demo city is in the database but not its marker document; nothing was written. "
                f"Load it into a fresh database. ({exc})"
            ) from exc
        for line in summary.lines():
            self.stdout.write(line)
        quotas.load_before_reform(city=summary.city, by=by, stdout=self.stdout)
        reform.load(city=summary.city, by=by, stdout=self.stdout)
        quotas.load_after_reform(city=summary.city, by=by, stdout=self.stdout)
        positions.load(by=by, stdout=self.stdout, seed=seed)
        workflow.load(by=by, stdout=self.stdout)
        standards.load(city=summary.city, by=by, stdout=self.stdout)
        mandates.load(city=summary.city, by=by, stdout=self.stdout)
        powers.load(city=summary.city, by=by, stdout=self.stdout)
        tracking.load(city=summary.city, by=by, stdout=self.stdout)
        # The last whole month closed, as the daily task would leave it (closing the city's whole history from 2019
        # would write a balance per account and month, 330,000 rows, for a ledger this small to read in moments).
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        closed = ledger_periods_close(since=last_month)
        self.stdout.write(f"台账结账 / ledger closed through: {', '.join(day.isoformat() for day in closed) or '-'}")
        changes_sequence()  # the city's changes not yet placed (the after-commit hook may have placed the rest)
        self.stdout.write(f"变更日志 / change log: {feed_head()} events in the feed")
        self.stdout.write(
            self.style.SUCCESS(f"用时 / time: {time.perf_counter() - started:.1f} s  ({demo.ILLUSTRATIVE})")
        )
