"""Load the illustrative Harbin-shaped demo city, then the demos of the other apps that have one."""
import inspect
import time
from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from institutions import demo

# Loaded after the registry, in this order, when the module exists. Each ``load`` receives those of
# ``city`` (the generated DemoCity), ``seed``, ``by`` (acting user or None) and ``stdout`` that it names.
DEPENDENT_DEMOS = ("quotas.demo", "positions.demo", "positions.workflow_demo")


class Command(BaseCommand):
    help = (
        "Load the illustrative demo city (演示数据，仅为示意): regions, agencies, public institutions, divisions, "
        "plaques and documents, then the ledger and position demos if present. Running it again changes nothing."
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
        offered = {"city": summary.city, "seed": seed, "by": by, "stdout": self.stdout}
        for module_name in DEPENDENT_DEMOS:
            if find_spec(module_name) is None:
                continue
            loader = import_module(module_name).load
            parameters = inspect.signature(loader).parameters
            takes_any = any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters.values())
            loader(**{name: value for name, value in offered.items() if takes_any or name in parameters})
        self.stdout.write(
            self.style.SUCCESS(f"用时 / time: {time.perf_counter() - started:.1f} s  ({demo.ILLUSTRATIVE})")
        )
