"""The law-enforcement list's import: 3,067 rows for six districts, none written when one is bad (the row and the
field named), all written when good, and the counts adding up; each kind of bad row; the API's answers."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import AgencyFactory, DistrictFactory
from powers import imports, selectors, services
from powers.models import EnforcementPower
from powers.tests.helpers import generated_rows, workbook_bytes

pytestmark = pytest.mark.django_db
COUNT = 3067


@pytest.fixture
def six(city, daoli, nangang):
    """Six districts (道里、南岗 and four more), three agencies each."""
    districts = [daoli, nangang, *(DistrictFactory(parent=city, kind=kind) for kind in (
        "main_urban", "main_urban", "integrated", "integrated"))]
    departments = {district.pk: [AgencyFactory(region=district, name=f"{district.name}{name}")
                                 for name in ("综合行政执法局", "交通运输局", "生态环境分局")]
                   for district in districts}
    return districts, departments


def import_bytes(content: bytes, by=None):
    return services.enforcement_powers_import(rows=imports.read_rows(content), by=by)


def problems_of(content: bytes, by=None) -> list[tuple[int, str, str]]:
    with pytest.raises(imports.ImportRefused) as refused:
        import_bytes(content, by=by)
    return [(problem.row, problem.field, problem.code) for problem in refused.value.problems]


def test_one_bad_row_of_3067_writes_nothing_and_the_good_file_writes_them_all(six):
    districts, departments = six
    rows = generated_rows(districts, departments, COUNT)
    bad = [dict(row) for row in rows]
    bad[1000]["department"] = "不存在的局"  # spreadsheet row 1002
    assert problems_of(workbook_bytes(bad)) == [(1002, "department", "unknown_unit")]
    assert EnforcementPower.objects.count() == 0

    done = import_bytes(workbook_bytes(rows))
    assert done.created == COUNT == EnforcementPower.objects.count()
    counts = selectors.enforcement_counts()
    # Worked by hand: 3,067 = 6 × 511 + 1, so the first district has 512 and the others 511 each; 3,067 = 10 × 306
    # + 7, so the first seven types have 307 and the last three 306; in a district, department k % 3 of its k-th
    # row: 512 = 3 × 170 + 2 → 171, 171, 170; 511 = 3 × 170 + 1 → 171, 170, 170.
    assert counts.total == COUNT
    assert [row["count"] for row in counts.by_district] == [512, 511, 511, 511, 511, 511]
    assert [row["count"] for row in counts.by_type] == [307] * 7 + [306] * 3
    per_department = {row["department_id"]: row["count"] for row in counts.by_department}
    for position, district in enumerate(districts):
        expected = [171, 171, 170] if position == 0 else [171, 170, 170]
        assert [per_department[unit.pk] for unit in departments[district.pk]] == expected
    assert sum(per_department.values()) == COUNT
    assert sum(sum(row["by_type"].values()) for row in counts.by_district) == COUNT
    # Each item has its history row, and importing the same file again is refused as duplicates, writing nothing.
    assert EnforcementPower.history.count() == COUNT
    again = problems_of(workbook_bytes(rows[:3]))
    assert again == [(2, "code", "duplicate_code"), (3, "code", "duplicate_code"), (4, "code", "duplicate_code")]
    assert EnforcementPower.objects.count() == COUNT


def test_each_kind_of_bad_row_is_named_by_its_row_and_field(six, units):
    districts, departments = six
    daoli, nangang = districts[0], districts[1]
    good = generated_rows(districts[:1], departments, 1)[0]
    rows = [
        good,                                                      # row 2: good
        {**good, "code": "X-1", "district_code": "999999"},        # row 3: unknown district
        {**good, "code": "X-2", "power_type": "罚款"},              # row 4: unknown type
        {**good, "code": good["code"]},                            # row 5: the code of row 2
        {**good, "code": "X-3", "department": "南岗区市场监督管理局"},  # row 6: another district's unit by name
        {**good, "code": "X-4", "department": units["daoli_medical"].name},  # row 7: not an agency
        {**good, "code": "X-5", "department": departments[nangang.pk][0].credit_code},  # row 8: 南岗区
        {**good, "code": "", "name": ""},                          # row 9: two required fields
        {**good, "code": "X-6", "district_code": daoli.parent.code},  # row 10: the city level is no district
    ]
    found = problems_of(workbook_bytes(rows))
    assert found == [
        (3, "district_code", "unknown_district"), (4, "power_type", "unknown_type"),
        (5, "code", "duplicate_in_file"), (6, "department", "unknown_unit"), (7, "department", "not_an_agency"),
        (8, "department", "other_region"), (9, "name", "required"), (9, "code", "required"),
        (10, "district_code", "unknown_district"),
    ]
    assert EnforcementPower.objects.count() == 0


def test_types_by_code_label_or_short_name_and_units_by_credit_code(six):
    districts, departments = six
    base = generated_rows(districts[:1], departments, 1)[0]
    rows = [{**base, "code": f"T-{n}", "power_type": value} for n, value in enumerate(
        ("penalty", "行政处罚", "Administrative penalty", "处罚"))]
    rows.append({**base, "code": "T-9", "department": departments[districts[0].pk][1].credit_code})
    assert import_bytes(workbook_bytes(rows)).created == 5
    types = dict(EnforcementPower.objects.values_list("code", "power_type"))
    assert types == {"T-0": "penalty", "T-1": "penalty", "T-2": "penalty", "T-3": "penalty", "T-9": "licensing"}
    assert EnforcementPower.objects.get(code="T-9").department == departments[districts[0].pk][1]


def test_a_district_office_imports_its_own_districts_rows_only(six, make_user):
    districts, departments = six
    clerk = make_user(Role.DISTRICT_OFFICE, region=districts[0])
    rows = generated_rows(districts[:2], departments, 4)  # rows 2 and 4 道里区, 3 and 5 南岗区
    assert problems_of(workbook_bytes(rows), by=clerk) == [(3, "district_code", "unknown_district"),
                                                          (5, "district_code", "unknown_district")]
    assert import_bytes(workbook_bytes(rows[::2]), by=clerk).created == 2


def test_a_workbook_without_the_columns_or_not_a_workbook_is_refused(six):
    with pytest.raises(imports.WorkbookProblem) as problem:
        imports.read_rows(workbook_bytes([], headings=["区县代码", "部门"]))
    assert problem.value.code == "missing_columns"
    with pytest.raises(imports.WorkbookProblem) as problem:
        imports.read_rows(b"not a workbook")
    assert problem.value.code == "not_xlsx"
    with pytest.raises(imports.WorkbookProblem) as problem:
        imports.read_rows(workbook_bytes([]))
    assert problem.value.code == "no_rows"


def test_the_api_import_answers_the_rows_or_the_counts(six, as_role, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    districts, departments = six
    as_role(Role.CITY_OFFICE)
    url = reverse("v1:enforcement-power-import-xlsx")
    rows = generated_rows(districts, departments, 12)
    bad = [*rows[:5], {**rows[5], "power_type": "未知"}]

    def upload(content):
        return api_client.post(url, {"file": SimpleUploadedFile("list.xlsx", content)}, format="multipart")

    response = upload(workbook_bytes(bad))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "import_refused" and body["codes"] == {"row 7 · power_type": ["unknown_type"]}
    assert body["rows"][0]["row"] == 7 and body["rows"][0]["column"] == "类型"
    assert EnforcementPower.objects.count() == 0
    response = upload(workbook_bytes(rows))
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 12 and response.json()["counts"]["total"] == 12
    assert [row["count"] for row in response.json()["counts"]["by_district"]] == [2] * 6
    assert upload(b"junk").json()["codes"] == {"file": ["not_xlsx"]}
    assert api_client.post(url, {}, format="multipart").json()["codes"] == {"file": ["required"]}
    counts = api_client.get(reverse("v1:enforcement-power-counts"), {"district": districts[0].pk}).json()
    assert counts["total"] == 2 and counts["by_district"][0]["district_code"] == districts[0].code
