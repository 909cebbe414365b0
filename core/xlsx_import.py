"""The one way management commands import an xlsx file: every row, or none and each bad row reported."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult


class XlsxImportCommand(BaseCommand):
    """Subclasses name their resources: ``resources = {"kind": ResourceClass, ...}``."""

    resources: dict[str, type] = {}

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(self.resources), help="What the file holds.")
        parser.add_argument("file", help="The .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument(
            "--user",
            help="Import as this user: only their regions' rows, and the history records them as the author.",
        )

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, **options) -> None:
        from institutions.resources import row_problems

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
        except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
            raise CommandError(f"{path} is not a readable xlsx file ({exc.__class__.__name__}: {exc})") from exc

        result = self.resources[kind](user=acting_user).import_data(
            dataset, dry_run=dry_run, raise_errors=False, user=acting_user
        )
        problems = row_problems(result)
        if problems:
            self.stderr.write("Row numbers are spreadsheet rows (the header is row 1).")
            for problem in problems:
                self.stderr.write(f"row {problem.row}, column {problem.column or '-'}: {problem.message}")
            raise CommandError(f"{len({p.row for p in problems})} bad row(s) in {path}; nothing was written.")
        totals = result.totals
        summary = (
            f"{totals[RowResult.IMPORT_TYPE_NEW]} new, {totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run: {len(dataset)} row(s) are valid ({summary}); nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}: imported {kind} from {path}."))
