"""The law-enforcement list's import: reading a workbook's rows, and checking them all before anything is written.

A workbook's first row names the columns by their Chinese headings (区县代码, 部门, 执法主体, 事项名称, 类型, 依据,
条款, 编码) or their field names. The district is named by its division code; the department (an administrative
agency of the district) and the executing body (执法主体) by their unified social credit code or by their name among the
district's active units, as the registry's imports name units; the type by its code, its label in either language
or its short Chinese name (许可、处罚、强制、征收、给付、裁决、确认、奖励、监督检查、其他).

``check_rows`` reports every problem of every row at once, each naming its spreadsheet row and field, with a stable
code: ``required``, ``unknown_district``, ``unknown_unit``, ``ambiguous_unit``, ``unknown_type``,
``duplicate_in_file``, ``duplicate_code`` (already in the database), ``too_long`` and the model's own codes
(``not_an_agency``, ``other_region``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.constraints import TEXT_LIMIT
from institutions.choices import InstitutionStatus
from institutions.models import Institution, Region
from powers.choices import PowerType
from powers.models import EnforcementPower
from powers.models.items import CODE_LENGTH

FIRST_DATA_ROW = 2  # the header is row 1
MAX_ROWS = 20_000
CHUNK = 500
# field → (the Chinese heading, the other headings accepted)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "district_code": ("区县代码", ("district_code", "district code", "区划代码")),
    "department": ("部门", ("department", "部门名称")),
    "executing_body": ("执法主体", ("executing_body", "executing body")),
    "name": ("事项名称", ("name", "item name")),
    "power_type": ("类型", ("power_type", "type", "事项类型")),
    "legal_basis": ("依据", ("legal_basis", "legal basis", "法律依据")),
    "article": ("条款", ("article", "具体条款")),
    "code": ("编码", ("code", "事项编码")),
}
REQUIRED = ("district_code", "department", "executing_body", "name", "power_type", "code")
HEADINGS = {field: heading for field, (heading, _others) in COLUMNS.items()}
SHORT_TYPE_NAMES = {"许可": "licensing", "处罚": "penalty", "强制": "enforcement_measure", "征收": "levy",
                    "给付": "benefit", "裁决": "adjudication", "确认": "confirmation", "奖励": "award",
                    "监督检查": "inspection", "检查": "inspection", "监督": "inspection", "其他": "other",
                    "行政许可": "licensing", "行政处罚": "penalty", "行政强制": "enforcement_measure",
                    "行政征收": "levy", "行政给付": "benefit", "行政裁决": "adjudication", "行政确认": "confirmation",
                    "行政奖励": "award", "行政检查": "inspection", "行政监督检查": "inspection",
                    "其他行政权力": "other"}
MESSAGES = {
    "required": gettext_lazy("This column is required."),
    "unknown_district": gettext_lazy("No district or county you may write with the division code “%(value)s”."),
    "unknown_unit": gettext_lazy("No active unit of the district with the credit code or name “%(value)s”."),
    "ambiguous_unit": gettext_lazy("Several units are named “%(value)s”: give the credit code instead."),
    "unknown_type": gettext_lazy("Unknown type “%(value)s”: use one of the ten types (许可、处罚、强制、征收、给付、"
                                 "裁决、确认、奖励、监督检查、其他)."),
    "duplicate_in_file": gettext_lazy("The code “%(value)s” is also on row %(other)d for the same district."),
    "duplicate_code": gettext_lazy("The district's list already has an item with the code “%(value)s”."),
    "too_long": gettext_lazy("At most %(limit)d characters."),
}


@dataclass(frozen=True)
class RowProblem:
    """One reason one row was refused: ``row`` is the spreadsheet row (the header is row 1)."""

    row: int
    field: str
    code: str
    message: str

    @property
    def column(self) -> str:
        return HEADINGS.get(self.field, self.field)

    @property
    def key(self) -> str:
        """The error key of the row's field: ``row 5 · department`` in every language."""
        return f"row {self.row} · {self.field}"


class WorkbookProblem(Exception):
    """The file as a whole cannot be read: ``code`` is ``not_xlsx``, ``missing_columns``, ``no_rows`` or
    ``too_many_rows``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class ImportRefused(ValidationError):
    """Rows with problems: nothing was written. ``problems`` in row order; the errors keyed ``row N · field``."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: (problem.row, list(COLUMNS).index(problem.field)
                                                              if problem.field in COLUMNS else 99))
        errors: dict[str, list[ValidationError]] = {}
        for problem in self.problems:
            errors.setdefault(problem.key, []).append(ValidationError(
                _("Row %(row)d, %(column)s: %(message)s") % {"row": problem.row, "column": problem.column,
                                                              "message": problem.message}, code=problem.code))
        super().__init__(errors)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _heading(value) -> str:
    return " ".join(cell_text(value).casefold().split())


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The workbook's rows after the header, as text keyed by field (every row kept, so that row ``i`` of the list
    is spreadsheet row ``i + 2``; trailing empty rows dropped)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
        raise WorkbookProblem("not_xlsx", _("Not a readable .xlsx file.")) from exc
    if not rows:
        raise WorkbookProblem("missing_columns", _("The sheet is empty: its first row names the columns."))
    positions: dict[str, int] = {}
    for position, value in enumerate(rows[0]):
        text = _heading(value)
        for field, (heading, others) in COLUMNS.items():
            if text == heading or text in others:
                positions.setdefault(field, position)
    missing = [HEADINGS[field] for field in COLUMNS if field not in positions and field in REQUIRED]
    if missing:
        raise WorkbookProblem("missing_columns", _("The first row lacks the columns %(columns)s.") % {
            "columns": "、".join(missing)})
    data = rows[1:]
    while data and all(cell in (None, "") for cell in data[-1]):
        data.pop()
    if not data:
        raise WorkbookProblem("no_rows", _("The sheet has no rows below its header."))
    if len(data) > MAX_ROWS:
        raise WorkbookProblem("too_many_rows", _("At most %(limit)d rows at a time.") % {"limit": MAX_ROWS})
    return [{field: cell_text(row[position]) if position < len(row) else "" for field, position in positions.items()}
            for row in data]


def type_names() -> dict[str, str]:
    """Every way a row may name a type (lower case) → its code."""
    names = {value: value for value in PowerType.values}
    names.update(SHORT_TYPE_NAMES)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for choice in PowerType:
                names[str(choice.label).strip().casefold()] = choice.value
    return names


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _Units:
    """The units rows may name: by credit code (any region; the model says when it is another district's), and by
    name among the active units of the districts the rows name."""

    def __init__(self, rows: list[dict[str, str]], districts: dict[str, Region]) -> None:
        codes = sorted({row.get(field, "").upper() for row in rows for field in ("department", "executing_body")
                        if len(row.get(field, "")) == 18})
        self.by_code: dict[str, Institution] = {}
        for chunk in _chunks(codes):
            self.by_code.update((unit.credit_code, unit) for unit in Institution.objects.filter(
                credit_code__in=chunk).select_related("region"))
        self.by_name: dict[tuple[int, str], list[Institution]] = defaultdict(list)
        region_ids = sorted({region.pk for region in districts.values()})
        for unit in Institution.objects.filter(region_id__in=region_ids, status=InstitutionStatus.ACTIVE) \
                .select_related("region").order_by("pk"):
            self.by_name[(unit.region_id, unit.name)].append(unit)

    def find(self, text: str, district: Region) -> tuple[Institution | None, str | None]:
        unit = self.by_code.get(text.upper()) if len(text) == 18 else None
        if unit is not None:
            return unit, None
        named = self.by_name.get((district.pk, text), [])
        if len(named) == 1:
            return named[0], None
        return None, "ambiguous_unit" if named else "unknown_unit"


def check_rows(rows: list[dict[str, str]], *, regions: QuerySet) -> tuple[list[EnforcementPower], list[RowProblem]]:
    """The rows as unsaved items, and every problem found (an empty list: all good). ``regions``: those the user
    may write (a district office's own)."""
    problems: list[RowProblem] = []

    def refuse(index: int, field: str, code: str, **values) -> None:
        message = MESSAGES.get(code)
        text = str(message) % values if message is not None else values.get("message", code)
        problems.append(RowProblem(row=index + FIRST_DATA_ROW, field=field, code=code, message=text))

    district_codes = sorted({row.get("district_code", "") for row in rows} - {""})
    districts = {region.code: region for region in regions.filter(code__in=district_codes, parent__isnull=False)}
    units = _Units(rows, districts)
    types = type_names()
    existing: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted({region.pk for region in districts.values()})):
        existing.update(EnforcementPower.objects.filter(district_id__in=chunk).values_list("district_id", "code"))
    first_row: dict[tuple[int, str], int] = {}
    powers: list[EnforcementPower] = []
    for index, row in enumerate(rows):
        before = len(problems)
        for field in REQUIRED:
            if not row.get(field, ""):
                refuse(index, field, "required")
        for field, limit in (("name", 200), ("code", CODE_LENGTH), ("legal_basis", TEXT_LIMIT),
                             ("article", TEXT_LIMIT), ("department", 200), ("executing_body", 200)):
            if len(row.get(field, "")) > limit:
                refuse(index, field, "too_long", limit=limit)
        district = None
        if row.get("district_code"):
            district = districts.get(row["district_code"])
            if district is None:
                refuse(index, "district_code", "unknown_district", value=row["district_code"])
        found: dict[str, Institution | None] = {}
        for field in ("department", "executing_body"):
            found[field] = None
            if district is not None and row.get(field):
                found[field], code = units.find(row[field], district)
                if code:
                    refuse(index, field, code, value=row[field])
        power_type = types.get(row.get("power_type", "").casefold()) if row.get("power_type") else None
        if row.get("power_type") and power_type is None:
            refuse(index, "power_type", "unknown_type", value=row["power_type"])
        code = row.get("code", "")
        if district is not None and code:
            key = (district.pk, code)
            if key in existing:
                refuse(index, "code", "duplicate_code", value=code)
            elif key in first_row:
                refuse(index, "code", "duplicate_in_file", value=code, other=first_row[key])
            else:
                first_row[key] = index + FIRST_DATA_ROW
        if len(problems) > before:
            continue
        power = EnforcementPower(name=row["name"], power_type=power_type, district=district,
                                 department=found["department"], executing_body=found["executing_body"],
                                 legal_basis=row.get("legal_basis", ""), article=row.get("article", ""), code=code)
        try:  # the model's own rules (an agency as department, units of the district); lookups done above
            power.full_clean(exclude=["district", "department", "executing_body"], validate_unique=False,
                             validate_constraints=False)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                codes = error.error_dict[field]
                for message, item in zip(errors, codes, strict=False):
                    refuse(index, field if field in COLUMNS else "name", item.code or "invalid", message=message)
            continue
        powers.append(power)
    return powers, problems
