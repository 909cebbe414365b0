"""Import position plans or staff counts from an xlsx file; a file with any bad row writes nothing."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult

from institutions.resources import row_problems
from positions.resources import PositionPlanResource, StaffCountResource

RESOURCES = {"plans": PositionPlanResource, "staff": StaffCountResource}


class Command(BaseCommand):
    help = (
        "Import position plans or staff counts from an xlsx file (headers as in the admin export). Prints every bad "
        "row (row, column, reason) and exits non-zero without writing anything if any row is bad."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(RESOURCES), help="What the file holds.")
        parser.add_argument("file", help="The .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument("--user", help="Import as this user (their regions only; recorded as the author).")

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, **options) -> None:
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"no user named {user!r}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            dataset = XLSX().create_dataset(path.read_bytes())
        except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
            raise CommandError(f"{path} is not a readable xlsx file ({exc.__class__.__name__}: {exc})") from exc

        result = RESOURCES[kind](user=acting_user).import_data(dataset, dry_run=dry_run, user=acting_user)
        problems = row_problems(result)
        if problems:
            self.stderr.write("Row numbers are spreadsheet rows (the header is row 1).")
            for problem in problems:
                self.stderr.write(f"row {problem.row}, column {problem.column or '-'}: {problem.message}")
            raise CommandError(f"{len({p.row for p in problems})} bad row(s) in {path}; nothing was written.")
        totals = result.totals
        self.stdout.write(
            f"{totals[RowResult.IMPORT_TYPE_NEW]} new, {totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged{' (dry run: nothing written)' if dry_run else ''}."
        )
