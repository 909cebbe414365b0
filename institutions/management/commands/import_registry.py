"""Import regions, institutions or internal divisions from an xlsx file; a file with any bad row writes nothing."""
from core.xlsx_import import XlsxImportCommand
from institutions.resources import DivisionResource, InstitutionResource, RegionResource


class Command(XlsxImportCommand):
    help = (
        "Import regions, institutions or internal divisions from an xlsx file (headers as in the admin export). "
        "Prints every bad row (row, column, reason) and exits non-zero without writing anything if any row is bad."
    )
    resources = {"regions": RegionResource, "institutions": InstitutionResource, "divisions": DivisionResource}
