"""The indicators' xlsx import and export (allocation.resources): Chinese headers, sheet and file name, old
bilingual files, unchanged rows skipped, all or nothing, and the touched regions' scenarios going stale."""
import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from allocation import resources
from allocation.models import AllocationScenario, RegionIndicator
from allocation.resources import OLD_HEADERS, RegionIndicatorResource
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = pytest.mark.django_db
FIELDS = ("region", "year", "indicator", "value", "source_note")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for cells in (headers, *rows):
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(headers, rows, *, dry_run=False, user=None):
    dataset = XLSX().create_dataset(xlsx(headers, rows))
    return RegionIndicatorResource(user=user).import_data(dataset, dry_run=dry_run)


def chinese_headers():
    resource = RegionIndicatorResource()
    return [resource.column(name) for name in FIELDS]


def stored():
    return sorted(RegionIndicator.objects.values_list("region__code", "year", "indicator", "value", "source_note"))


@pytest.fixture
def city_user(make_user, setting):
    return make_user(Role.CITY_OFFICE, is_staff=True)


def test_the_admin_export_has_chinese_headers_sheet_and_file_name_with_the_day(client, city_user):
    client.force_login(city_user)
    fields = {f"regionindicatorresource_{name}": "on" for name in FIELDS}

    response = client.post(reverse("admin:allocation_regionindicator_export"),
                           {"format": "0", "resource": "0", **fields})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == \
        f"区划指标-{datetime.date.today().isoformat()}.xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "区划指标"
    assert [cell.value for cell in sheet[1]] == ["区划代码", "年份", "指标", "数值", "依据"]
    assert sheet.max_row == 1 + 18  # three regions × six values
    gdp_daoli = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)
                 if row[0].value == "230102" and row[2].value == "地区生产总值（亿元）"]
    assert len(gdp_daoli) == 1 and Decimal(str(gdp_daoli[0][3])) == 50


def test_the_admin_offers_xlsx_only(client, city_user):
    client.force_login(city_user)

    page = client.get(reverse("admin:allocation_regionindicator_import"))

    assert page.status_code == 200
    assert [label for _value, label in page.context["form"].fields["format"].choices] == ["xlsx"]


def test_an_exported_file_imports_back_unchanged(setting):
    exported = RegionIndicatorResource().export()
    content = XLSX().export_data(exported)

    result = RegionIndicatorResource().import_data(XLSX().create_dataset(content), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals[RowResult.IMPORT_TYPE_SKIP] == 18
    assert result.totals[RowResult.IMPORT_TYPE_UPDATE] == result.totals[RowResult.IMPORT_TYPE_NEW] == 0


def test_an_old_bilingual_file_imports(setting):
    headers = [OLD_HEADERS[name] for name in FIELDS]
    assert headers == ["区划代码 region code", "年度 year", "指标 indicator", "数值 value", "来源 source"]

    result = run_import(headers, [
        ["230102", 2019, "gdp", 77.5, "统计年鉴"],  # updates the stored 50
        [230123, "2020", "area", "810", ""],  # a new year; the code typed as a number
    ])

    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert result.totals[RowResult.IMPORT_TYPE_UPDATE] == 1
    assert result.totals[RowResult.IMPORT_TYPE_NEW] == 1
    gdp = RegionIndicator.objects.get(region=setting["a"], year=2019, indicator="gdp")
    assert (gdp.value, gdp.source_note) == (Decimal("77.5"), "统计年鉴")
    assert RegionIndicator.objects.get(region=setting["c"], year=2020, indicator="area").value == 810


def test_an_unchanged_row_is_skipped_and_a_changed_one_names_its_column(setting):
    result = run_import(chinese_headers(), [
        ["230102", 2019, "地区生产总值（亿元）", 50, ""],  # as stored (the indicator by its Chinese name)
        ["230103", 2019, "gdp", 31, ""],  # stored 30
    ])

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == [RowResult.IMPORT_TYPE_SKIP, RowResult.IMPORT_TYPE_UPDATE]
    assert result.rows[1].changes == [("数值", "30", "31")]  # as typed, not the stored 30.0000
    assert RegionIndicator.objects.get(region=setting["b"], year=2019, indicator="gdp").value == 31


def test_a_bad_row_writes_nothing_and_each_bad_row_is_named_with_its_column(setting):
    before = stored()

    result = run_import(chinese_headers(), [
        ["230102", 2019, "gdp", 77.5, ""],  # good, but not written: the file has bad rows
        ["999999", 2019, "gdp", 1, ""],  # unknown region
        ["230103", 2019, "gdp", -4, ""],  # negative
        ["230103", 2019, "happiness", 4, ""],  # no such indicator
        ["230103", "二〇一九", "gdp", 4, ""],  # not a year
        ["230103", 2019, "area", "many", ""],  # not a number
    ])

    assert not result.has_errors()
    assert result.has_validation_errors()
    region, year, indicator, value = (chinese_headers()[i] for i in range(4))
    assert [(row.number, sorted(row.error_dict)) for row in result.invalid_rows] == [
        (2, [region]), (3, [value]), (4, [indicator]), (5, [year]), (6, [value])]
    assert stored() == before


def test_a_region_outside_the_users_scope_is_refused(setting, make_user):
    district = make_user(Role.DISTRICT_OFFICE, region=setting["a"], is_staff=True)
    before = stored()

    result = run_import(chinese_headers(), [["230103", 2019, "gdp", 31, ""]], user=district)

    assert [(row.number, sorted(row.error_dict)) for row in result.invalid_rows] == [(1, [chinese_headers()[0]])]
    assert stored() == before


@pytest.fixture
def computed(setting):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    scenario.refresh_from_db()
    assert scenario.status == "computed"
    return scenario


@pytest.fixture
def staled(monkeypatch):
    """The region ids of each call of ``indicator_regions_changed`` (which is still called through)."""
    calls = []
    original = resources.services.indicator_regions_changed

    def spy(region_ids):
        calls.append(list(region_ids))
        original(region_ids)

    monkeypatch.setattr(resources.services, "indicator_regions_changed", spy)
    return calls


def test_a_real_import_makes_the_touched_regions_scenarios_stale(setting, computed, staled,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = run_import(chinese_headers(), [
            ["230103", 2019, "gdp", 31, ""],  # changes
            ["230102", 2019, "gdp", 50, ""],  # unchanged: not touched
        ])

    assert not result.has_validation_errors()
    assert staled == [[setting["b"].pk]]
    assert AllocationScenario.objects.get(pk=computed.pk).status == "stale"
    assert len(callbacks) == 1  # the recomputation, queued once the import commits


def test_a_dry_run_an_unchanged_file_or_a_bad_file_leave_the_scenarios_alone(setting, computed, staled):
    run_import(chinese_headers(), [["230103", 2019, "gdp", 31, ""]], dry_run=True)
    run_import(chinese_headers(), [["230103", 2019, "gdp", 30, ""]])
    run_import(chinese_headers(), [["230103", 2019, "gdp", 31, ""], ["230103", 2019, "gdp", -1, "负数"]])

    assert staled == []
    assert AllocationScenario.objects.get(pk=computed.pk).status == "computed"
    assert RegionIndicator.objects.get(region=setting["b"], year=2019, indicator="gdp").value == 30


def test_the_admin_previews_an_old_file_then_imports_it_on_confirm(client, city_user, setting, computed):
    client.force_login(city_user)
    upload = SimpleUploadedFile("指标.xlsx", xlsx([OLD_HEADERS[name] for name in FIELDS],
                                                  [["230123", 2019, "area", 900, "国土调查"]]), content_type=XLSX_TYPE)

    preview = client.post(reverse("admin:allocation_regionindicator_import"),
                          {"format": "0", "resource": "0", "import_file": upload})

    assert preview.status_code == 200
    assert not preview.context["result"].has_validation_errors()
    assert RegionIndicator.objects.get(region=setting["c"], year=2019, indicator="area").value == 800
    confirm = preview.context["confirm_form"].initial
    confirmed = client.post(reverse("admin:allocation_regionindicator_process_import"), {
        name: confirm[name] for name in ("import_file_name", "original_file_name", "format", "resource")})

    assert confirmed.status_code == 302
    area = RegionIndicator.objects.get(region=setting["c"], year=2019, indicator="area")
    assert (area.value, area.source_note) == (900, "国土调查")
    assert area.history.latest().history_user == city_user
    assert AllocationScenario.objects.get(pk=computed.pk).status == "stale"
