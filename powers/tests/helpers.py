"""Building law-enforcement workbooks for the import tests."""
from io import BytesIO

from openpyxl import Workbook

from powers.imports import COLUMNS, HEADINGS

TYPES_ZH = ["许可", "处罚", "强制", "征收", "给付", "裁决", "确认", "奖励", "监督检查", "其他"]


def workbook_bytes(rows: list[dict], headings: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    fields = list(COLUMNS)
    sheet.append(headings or [HEADINGS[field] for field in fields])
    for row in rows:
        sheet.append([row.get(field, "") for field in fields])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def generated_rows(districts: list, departments: dict, count: int) -> list[dict]:
    """Row ``i`` (spreadsheet row ``i + 2``): district ``i % 6``, its department ``(i // 6) % len``, type
    ``i % 10``, code ``ZF-<i>``: the counts are worked by the modulo arithmetic."""
    rows = []
    for i in range(count):
        district = districts[i % len(districts)]
        agencies = departments[district.pk]
        department = agencies[(i // len(districts)) % len(agencies)]
        rows.append({"district_code": district.code, "department": department.name,
                     "executing_body": department.credit_code, "name": f"执法事项{i}", "power_type": TYPES_ZH[i % 10],
                     "legal_basis": "《中华人民共和国行政处罚法》", "article": f"第{i % 80 + 1}条",
                     "code": f"ZF-{i:05d}"})
    return rows
