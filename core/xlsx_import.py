"""The one way management commands import an xlsx file: every row, or none and each bad row reported."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from import_export.formats.base_formats import XLSX
from import_export.results import Result, RowResult


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


@dataclass(frozen=True)
class RowProblem:
    """One reason one row was refused: ``row`` is the spreadsheet row (the header is row 1)."""

    row: int
    column: str
    message: str


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def row_problems(result: Result) -> list[RowProblem]:
    """Every refused row of an import, in row order, each reason on its own."""
    problems: list[RowProblem] = []
    for error in result.base_errors:
        problems.append(RowProblem(row=1, column="", message=_error_text(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            problems.extend(RowProblem(row=invalid.number + 1, column=label, message=m) for m in messages)
    for error_row in result.error_rows:
        problems.extend(
            RowProblem(row=error_row.number + 1, column="", message=_error_text(error.error))
            for error in error_row.errors
        )
    return sorted(problems, key=lambda problem: problem.row)
