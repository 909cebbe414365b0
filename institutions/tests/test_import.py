"""Excel import and export: all-or-nothing files, every bad row reported, the model's rules, scoping, history."""
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from core.xlsx_import import RowProblem, row_problems
from institutions.choices import Category, InstitutionStatus
from institutions.models import Institution, InternalDivision, Region
from institutions.resources import (
    DivisionResource,
    InstitutionResource,
    RegionResource,
)
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DivisionFactory,
    DocumentFactory,
    InstitutionFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

# Messages introduced with the import are checked in English (their msgids), so that these tests hold before
# and after the zh-hans catalogue is compiled; messages that were translated before are checked in Chinese.

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTITUTION_FIELDS = ("credit_code", "name", "region", "supervisor", "category", "staff_in_quota")


@pytest.fixture
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def city():
    return CityFactory(code="230100", name="哈尔滨市（市本级）")


@pytest.fixture
def daoli(city):
    return DistrictFactory(parent=city, code="230102", name="道里区")


@pytest.fixture
def nangang(city):
    return DistrictFactory(parent=city, code="230103", name="南岗区")


def _dataset(resource, field_names, rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=[resource.column(name) for name in field_names])


def _import(resource, field_names, rows, **kwargs):
    return resource.import_data(
        _dataset(resource, field_names, rows), dry_run=False, raise_errors=False, use_transactions=True, **kwargs
    )


def _xlsx(resource, field_names, rows) -> bytes:
    return _dataset(resource, field_names, rows).export("xlsx")


def _state() -> list[tuple]:
    return sorted(Institution.objects.values_list("pk", "name", "credit_code", "region_id", "supervisor_id",
                                                  "category", "staff_in_quota"))


# --- the resource -----------------------------------------------------------------------------------------


def test_new_rows_are_created_with_the_importing_user_in_history(daoli, make_user):
    user = make_user(Role.CITY_OFFICE)
    agency = AgencyFactory(region=daoli, name="道里区教育局")
    code = make_credit_code(daoli.code)
    resource = InstitutionResource(user=user)

    row = [code, "道里区教师进修学校", "230102", "道里区教育局", "公益一类", 40]

    result = _import(resource, INSTITUTION_FIELDS, [row])

    assert not result.has_errors() and not result.has_validation_errors()
    institution = Institution.objects.get(credit_code=code)
    assert (institution.region, institution.supervisor, institution.category, institution.staff_in_quota) == (
        daoli, agency, Category.PUBLIC_WELFARE_1, 40)
    assert institution.history.get().history_user == user


def test_rows_update_by_credit_code_then_by_region_and_name(daoli):
    by_code = InstitutionFactory(region=daoli, name="旧名称", staff_in_quota=1)
    by_name = InstitutionFactory(region=daoli, name="道里区档案馆", credit_code=None, staff_in_quota=1)
    resource = InstitutionResource()
    new_code = make_credit_code(daoli.code)

    # The name stays: an existing unit is renamed only by a reform operation (test_existence_fields.py).
    result = _import(resource, INSTITUTION_FIELDS, [
        [by_code.credit_code, "旧名称", "230102", "", "公益一类", 7],
        [new_code, "道里区档案馆", "230102", "", "公益一类", 9],
    ])

    assert [row.import_type for row in result.rows] == ["update", "update"]
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert (by_code.name, by_code.staff_in_quota) == ("旧名称", 7)
    assert (by_name.credit_code, by_name.staff_in_quota) == (new_code, 9)
    assert Institution.objects.count() == 2


def test_export_then_import_changes_nothing(daoli):
    agency = AgencyFactory(region=daoli)
    InstitutionFactory(region=daoli, supervisor=agency, established_document=DocumentFactory())
    before, history_before = _state(), Institution.history.count()
    exported = InstitutionResource().export()

    result = InstitutionResource().import_data(tablib.Dataset().load(exported.export("xlsx"), format="xlsx"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "skip"]
    assert _state() == before
    assert Institution.history.count() == history_before


def test_a_file_with_any_bad_row_writes_nothing_and_reports_every_bad_row(daoli, in_english):
    InstitutionFactory(region=daoli, name="道里区图书馆")
    before = _state()
    resource = InstitutionResource()
    region, credit, category, staff = (resource.column(name) for name in ("region", "credit_code", "category",
                                                                          "staff_in_quota"))

    result = _import(resource, INSTITUTION_FIELDS, [
        ["", "道里区新中心甲", "230102", "", "公益一类", 1],
        ["12230102XXXXXXXXX1", "道里区新中心乙", "999999", "", "公益一类", 1],
        ["", "道里区新中心丙", "230102", "", "公益一类", 1],
        ["", "道里区新中心丁", "230102", "", "第三类", "两个"],
    ])

    assert result.has_validation_errors()
    assert not result.has_errors()
    assert _state() == before
    problems = row_problems(result)
    assert {(problem.row, problem.column) for problem in problems} == {
        (3, credit), (3, region), (5, category), (5, staff),
    }
    assert RowProblem(3, region, "No region with division code 999999.") in problems
    assert RowProblem(5, staff, "“两个” is not a whole number.") in problems


def test_unknown_region_code_is_a_row_error_naming_the_column(daoli, in_english):
    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [["", "某中心", "239999", "", "", ""]])

    assert row_problems(result) == [RowProblem(2, "Division code", "No region with division code 239999.")]
    assert Institution.objects.count() == 0


def test_bad_credit_code_is_refused(daoli):
    good = make_credit_code(daoli.code)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [[bad, "某中心", "230102", "", "", ""]])

    assert row_problems(result) == [
        RowProblem(2, "统一社会信用代码", f"统一社会信用代码校验位错误（应为 {good[17]}，实为 {bad[17]}）。")
    ]
    assert Institution.objects.count() == 0


def test_supervisor_must_be_an_agency(daoli):
    InstitutionFactory(region=daoli, name="道里区图书馆")

    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [["", "某中心", "230102", "道里区图书馆", "", ""]])

    assert row_problems(result) == [RowProblem(2, "主管部门", "主管部门必须是行政机关，“道里区图书馆”不是。")]
    assert Institution.objects.count() == 1


def test_a_supervisor_named_in_two_regions_is_the_rows_regions_or_asks_for_the_credit_code(daoli, nangang, city,
                                                                                            in_english):
    AgencyFactory(region=daoli, name="教育局")
    nangang_bureau = AgencyFactory(region=nangang, name="教育局")

    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [
        ["", "南岗区某中心", "230103", "教育局", "", ""],  # the row's region has one: that one
        ["", "市某中心", "230100", "教育局", "", ""],  # the city has none, two elsewhere: give the credit code
    ])

    assert row_problems(result) == [RowProblem(
        3, InstitutionResource().column("supervisor"),
        "Several institutions are named “教育局”: give the credit code instead.")]
    assert not Institution.objects.filter(name__endswith="某中心").exists()  # one bad row: nothing written
    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [["", "南岗区某中心", "230103", "教育局", "", ""]])
    assert row_problems(result) == []
    assert Institution.objects.get(name="南岗区某中心").supervisor == nangang_bureau


def test_supervisor_cycle_is_refused(daoli, in_english):
    # An existing unit's supervisor changes only by a reform operation: the row is refused before a cycle is made.
    top = AgencyFactory(region=daoli, name="道里区某局")
    below = AgencyFactory(region=daoli, supervisor=top)

    result = _import(InstitutionResource(), ("credit_code", "supervisor"), [[top.credit_code, below.credit_code]])

    problems = row_problems(result)
    assert [(problem.row, problem.column) for problem in problems] == [(2, "Supervising agency")]
    assert problems[0].message.startswith("This changes only through a reform operation")
    top.refresh_from_db()
    assert top.supervisor is None


def test_duplicate_active_name_is_refused(daoli):
    existing = InstitutionFactory(region=daoli, name="道里区融媒体中心")
    other_code = make_credit_code(daoli.code)

    result = _import(InstitutionResource(), INSTITUTION_FIELDS, [[other_code, existing.name, "230102", "", "", ""]])

    assert row_problems(result) == [RowProblem(2, "单位全称", "本区划内已有同名的存续单位。")]
    assert Institution.objects.count() == 1


def test_malformed_document_number_is_refused(daoli):
    result = _import(InstitutionResource(), ("name", "region", "established_document"),
                     [["某中心", "230102", "哈编发〔2020〕第3号"]])

    problems = row_problems(result)
    assert [(problem.row, problem.column) for problem in problems] == [(2, "设立文件")]
    assert problems[0].message.startswith("文号格式错误：")
    assert Institution.objects.count() == 0


def test_headers_in_english_or_field_names_are_accepted(daoli):
    dataset = tablib.Dataset(["Some centre", "230102", "Public welfare class 2", "abolished", "2024-01-31"],
                             headers=["Full name", "division code", "category", "status", "ended_on"])

    result = InstitutionResource().import_data(dataset)

    assert not result.has_validation_errors(), row_problems(result)
    institution = Institution.objects.get()
    assert (institution.category, institution.status, str(institution.ended_on)) == (
        Category.PUBLIC_WELFARE_2, InstitutionStatus.ABOLISHED, "2024-01-31")


def test_a_column_given_twice_refuses_the_file(daoli, in_english):
    dataset = tablib.Dataset(["甲", "乙", "230102"], headers=["单位全称", "name", "区划代码"])

    result = InstitutionResource().import_data(dataset)

    assert result.has_errors()
    assert row_problems(result)[0].message.startswith("These columns appear more than once")
    assert Institution.objects.count() == 0


def test_blank_rows_are_skipped(daoli):
    result = _import(InstitutionResource(), ("name", "region"), [["某中心", "230102"], [None, None], ["", " "]])

    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "skip", "skip"]


def test_district_user_imports_only_into_its_region(daoli, nangang, make_user, in_english):
    foreign = InstitutionFactory(region=nangang)
    before = _state()
    resource = InstitutionResource(user=make_user(Role.DISTRICT_OFFICE, region=daoli))

    result = _import(resource, INSTITUTION_FIELDS, [
        ["", "某中心", "230103", "", "", ""],
        [foreign.credit_code, "改名", "230102", "", "", ""],
    ])

    assert row_problems(result) == [
        RowProblem(2, "Division code", "No region with division code 230103."),
        RowProblem(3, "Unified social credit code", "Another institution already has this credit code."),
    ]
    assert _state() == before


def test_divisions_import_by_credit_code_or_region_and_name(daoli):
    first = InstitutionFactory(region=daoli)
    second = InstitutionFactory(region=daoli, name="道里区档案馆")
    DivisionFactory(institution=first, name="办公室", quota_count=1)
    resource = DivisionResource()
    fields = ("institution_credit_code", "region_code", "institution_name", "name", "quota_count")

    result = _import(resource, fields, [
        [first.credit_code, "", "", "办公室", 4],
        ["", "230102", "道里区档案馆", "业务科", 6],
    ])

    assert not result.has_validation_errors(), row_problems(result)
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert sorted(InternalDivision.objects.values_list("institution_id", "name", "quota_count")) == sorted(
        [(first.pk, "办公室", 4), (second.pk, "业务科", 6)])


def test_divisions_with_an_unknown_institution_write_nothing(daoli):
    institution = InstitutionFactory(region=daoli)
    resource = DivisionResource()
    fields = ("institution_credit_code", "region_code", "institution_name", "name", "quota_count")

    result = _import(resource, fields, [
        [institution.credit_code, "", "", "办公室", 2],
        [make_credit_code(daoli.code), "", "", "业务科", 1],
        ["", "230102", "不存在的单位", "财务科", 1],
        ["", "", "", "人事科", -1],
    ])

    problems = row_problems(result)
    assert [(problem.row, problem.column) for problem in problems] == [
        (3, resource.column("institution_credit_code")),
        (4, resource.column("institution_name")),
        (5, resource.column("institution_name")),
        (5, "编制数"),
    ]
    assert InternalDivision.objects.count() == 0


def test_regions_import_with_parent_by_code(city):
    resource = RegionResource()

    result = _import(resource, ("code", "name", "kind", "parent"), [
        ["230104", "道外区", "主城区", "230100"],
        ["23010", "坏区", "main_urban", "230100"],
    ])
    assert [(problem.row, problem.column) for problem in row_problems(result)] == [(3, "区划代码")]
    assert not Region.objects.filter(name__in=["道外区", "坏区"]).exists()

    result = _import(resource, ("code", "name", "kind", "parent"), [["230104", "道外区", "主城区", "230100"]])
    assert not result.has_validation_errors()
    assert Region.objects.get(code="230104").parent == city


# --- the admin --------------------------------------------------------------------------------------------


def _post_import(client: Client, model: str, content: bytes):
    upload = SimpleUploadedFile("registry.xlsx", content, content_type=XLSX_TYPE)
    return client.post(f"/admin/institutions/{model}/import/", {"format": "0", "resource": "0",
                                                                 "import_file": upload}, HTTP_ACCEPT_LANGUAGE="en")


def test_admin_import_with_bad_rows_shows_them_and_writes_nothing(admin_client, daoli):
    before = _state()
    content = _xlsx(InstitutionResource(), INSTITUTION_FIELDS, [
        ["", "道里区新中心甲", "230102", "", "公益一类", 1],
        ["", "道里区新中心乙", "999999", "", "公益一类", 1],
        ["", "道里区新中心丙", "230102", "", "xx", 1],
    ])

    response = _post_import(admin_client, "institution", content)

    assert response.status_code == 200
    result = response.context["result"]
    assert [(row.number, sorted(row.error_dict)) for row in result.invalid_rows] == [
        (2, ["Division code"]), (3, ["Category"])]
    assert "confirm_form" not in response.context
    assert "No region with division code 999999." in response.content.decode()
    assert _state() == before


def test_admin_import_previews_then_writes_on_confirm(admin_client, daoli, django_user_model):
    content = _xlsx(InstitutionResource(), INSTITUTION_FIELDS, [["", "道里区新中心", "230102", "", "公益一类", 5]])

    preview = _post_import(admin_client, "institution", content)
    assert preview.status_code == 200
    assert Institution.objects.count() == 0  # the preview is a dry run
    confirm = preview.context["confirm_form"].initial
    confirmed = admin_client.post("/admin/institutions/institution/process_import/", {
        "import_file_name": confirm["import_file_name"], "original_file_name": confirm["original_file_name"],
        "format": confirm["format"], "resource": confirm["resource"],
    })

    assert confirmed.status_code == 302
    institution = Institution.objects.get()
    assert (institution.name, institution.staff_in_quota) == ("道里区新中心", 5)
    assert institution.history.get().history_user == django_user_model.objects.get(username="admin")


def test_admin_confirm_of_a_file_that_went_bad_since_the_preview_writes_nothing(admin_client, daoli):
    content = _xlsx(InstitutionResource(), INSTITUTION_FIELDS, [
        ["", "道里区新中心甲", "230102", "", "公益一类", 1],
        [make_credit_code(daoli.code), "道里区新中心乙", "230102", "", "公益一类", 1],
    ])
    confirm = _post_import(admin_client, "institution", content).context["confirm_form"].initial
    InstitutionFactory(region=daoli, name="道里区新中心乙")  # someone else took the name meanwhile
    before = _state()

    confirmed = admin_client.post("/admin/institutions/institution/process_import/", {
        "import_file_name": confirm["import_file_name"], "original_file_name": confirm["original_file_name"],
        "format": confirm["format"], "resource": confirm["resource"],
    })

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/admin/institutions/institution/import/"
    assert _state() == before


def test_admin_export_is_an_xlsx_of_the_rows_the_user_sees(make_user, daoli, nangang):
    InstitutionFactory(region=daoli, name="道里区档案馆")
    InstitutionFactory(region=nangang, name="南岗区档案馆")
    client = Client()
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli, is_staff=True))

    response = client.post("/admin/institutions/institution/export/", {"format": "0", "resource": "0"} | {
        f"institutionresource_{name}": "on" for name in InstitutionResource().get_export_order()})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("统一社会信用代码", "单位全称", "规范简称")
    assert [row[1] for row in rows[1:]] == ["道里区档案馆"]


# --- the command ------------------------------------------------------------------------------------------


def _write(tmp_path, resource, field_names, rows):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(_xlsx(resource, field_names, rows))
    return str(path)


def test_command_imports_and_records_the_user(tmp_path, daoli, make_user, capsys):
    user = make_user(Role.CITY_OFFICE, username="clerk")
    path = _write(tmp_path, InstitutionResource(), INSTITUTION_FIELDS, [["", "道里区新中心", "230102", "", "", 2]])

    call_command("import_registry", "institutions", path, "--user", "clerk")

    assert "1 new" in capsys.readouterr().out
    assert Institution.objects.get().history.get().history_user == user


def test_command_dry_run_writes_nothing(tmp_path, daoli, capsys):
    path = _write(tmp_path, InstitutionResource(), INSTITUTION_FIELDS, [["", "道里区新中心", "230102", "", "", 2]])

    call_command("import_registry", "institutions", path, "--dry-run")

    assert "Dry run: 1 row(s) are valid" in capsys.readouterr().out
    assert Institution.objects.count() == 0


def test_command_reports_every_bad_row_and_fails_writing_nothing(tmp_path, daoli, capsys, in_english):
    resource = InstitutionResource()
    path = _write(tmp_path, resource, INSTITUTION_FIELDS, [
        ["", "道里区新中心", "230102", "", "", 2],
        ["", "某中心", "999999", "", "", 1],
        ["", "另一中心", "230102", "", "", "x"],
    ])

    with pytest.raises(CommandError, match=r"2 bad row\(s\) .* nothing was written"):
        call_command("import_registry", "institutions", path)

    err = capsys.readouterr().err
    assert f"row 3, column {resource.column('region')}: No region with division code 999999." in err
    assert f"row 4, column {resource.column('staff_in_quota')}: “x” is not a whole number." in err
    assert Institution.objects.count() == 0


def test_command_refuses_an_unknown_user_or_a_file_that_is_not_xlsx(tmp_path, daoli):
    not_xlsx = tmp_path / "registry.xlsx"
    not_xlsx.write_text("name,region\n")

    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("import_registry", "regions", str(not_xlsx), "--user", "ghost")
    with pytest.raises(CommandError, match="is not a readable xlsx file"):
        call_command("import_registry", "regions", str(not_xlsx))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_registry", "divisions", str(tmp_path / "missing.xlsx"))
