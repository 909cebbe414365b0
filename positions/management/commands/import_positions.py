"""Import position plans or staff counts from an xlsx file; a file with any bad row writes nothing."""
from core.xlsx_import import XlsxImportCommand
from positions.resources import PositionPlanResource, StaffCountResource


class Command(XlsxImportCommand):
    help = (
        "Import position plans or staff counts from an xlsx file (headers as in the admin export). Prints every bad "
        "row (row, column, reason) and exits non-zero without writing anything if any row is bad."
    )
    resources = {"plans": PositionPlanResource, "staff": StaffCountResource}
