"""Imports that mark only what changes, Chinese and English headers, the template, the export's names, and the
import page's jobs with their progress (positions.imports, positions.import_pages)."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from positions import imports
from positions.models import ImportJob, StaffCount
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.resources import StaffCountResource
from positions.tests.factories import staff_counts

urlpatterns = [path("positions/imports/", include("positions.import_pages")), path("", include("config.urls"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

DAY = datetime.date(2026, 6, 30)
ENGLISH = ["credit code of the institution", "as of", *STAFF_COUNT_FIELDS]
COUNTS = {"management": 2, "professional": (1, 1, 2, 2), "worker": 1}  # 9 in all


@pytest.fixture
def units(daoli):
    return InstitutionFactory(region=daoli, name="道里区图书馆"), InstitutionFactory(region=daoli, name="道里区博物馆")


@pytest.fixture
def counted(units, hr_user):
    """Both units counted on DAY (9 staff each), through the service."""
    from positions import services

    for unit in units:
        services.staff_count_record(institution=unit, by=hr_user, as_of=DAY, counts=staff_counts(**COUNTS))
    return units


def workbook(headers, rows) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(unit, day=DAY, **counts):
    values = staff_counts(**{**COUNTS, **counts})
    return [unit.credit_code, day, *(values[field] for field in STAFF_COUNT_FIELDS)]


def run(content, user, dry_run=False):
    return imports.import_result("staff", XLSX().create_dataset(content), user=user, dry_run=dry_run)


def test_an_unchanged_file_is_all_unchanged_whatever_the_date_cells(counted, hr_user):
    library, museum = counted
    resource = StaffCountResource()
    headers = [resource.column(name) for name in ("institution_credit_code", "as_of", *STAFF_COUNT_FIELDS)]
    # a date cell (a datetime at midnight), and the day written 2026年6月30日
    content = workbook(headers, [row(library, datetime.datetime(2026, 6, 30)), row(museum, "2026年6月30日")])
    before = list(StaffCount.history.values_list("history_id", flat=True))

    with CaptureQueriesContext(connection) as queries:
        result = run(content, hr_user)

    assert (result["new"], result["update"], result["skip"], result["changes"]) == (0, 0, 2, [])
    assert list(StaffCount.history.values_list("history_id", flat=True)) == before  # nothing written
    # no transaction (not even a savepoint) and no write: an unchanged file holds no lock
    assert not [query["sql"] for query in queries if query["sql"].startswith(("SAVEPOINT", "INSERT", "UPDATE"))]


def test_two_rows_for_one_unit_and_day_end_as_the_later_one_says(counted, hr_user):
    library, _museum = counted
    content = workbook(ENGLISH, [row(library, worker=4), row(library, worker=1)])  # 1 is what is stored

    result = run(content, hr_user)

    assert (result["update"], result["skip"]) == (2, 0)
    assert StaffCount.objects.get(institution=library).worker == 1


def test_a_changed_row_is_marked_with_its_unit_and_column_and_old_english_headers_still_import(counted, hr_user):
    library, museum = counted
    content = workbook(ENGLISH, [row(library, "2026/06/30"), row(museum, "2026-06-30", worker=3)])

    checked = run(content, hr_user, dry_run=True)
    imported = run(content, hr_user)

    assert (checked["new"], checked["update"], checked["skip"]) == (0, 1, 1)
    [change] = checked["changes"]
    assert (change["row"], change["type"], change["unit"]) == (3, "update", "道里区博物馆")
    assert change["changes"] == [[StaffCountResource().column("worker"), "1", "3"]]
    assert imported["update"] == 1 and imported["changes"] == checked["changes"]
    assert StaffCount.objects.get(institution=museum).total == 11
    assert StaffCount.objects.get(institution=library).total == 9


def test_bad_rows_are_reported_each_with_its_unit_and_nothing_is_written(counted, hr_user):
    library, museum = counted
    unbalanced = row(museum)
    unbalanced[ENGLISH.index("junior")] = 9  # the bands no longer add up to the professional staff
    content = workbook(ENGLISH, [row(library, worker=5), row(museum, "2026年2月30日"), unbalanced])

    result = run(content, hr_user)

    assert result["code"] == "import_refused"
    assert sorted({(problem["row"], problem["unit"]) for problem in result["rows"]}) == [
        (3, "道里区博物馆"), (4, "道里区博物馆")]
    assert StaffCount.objects.get(institution=library).worker == 1  # row 2 was good, and not written


def test_the_template_has_the_chinese_headers_a_chinese_sheet_and_an_example_that_imports(client, hr_user, daoli,
                                                                                          fund):
    library = InstitutionFactory(region=daoli, name="道里区图书馆", credit_code="")
    fund(library, 20)
    client.force_login(hr_user)

    response = client.get(reverse("position_imports:template", args=["staff"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''%E5%AE%9E")  # 实有人员…
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert sheet.title == "实有人员"
    assert headers[:4] == ["单位统一社会信用代码", "区划代码", "单位", "截止日期"]
    assert [cell.value for cell in sheet[2]][1:4] == ["230102", "道里区图书馆", "2026年6月30日"]
    result = run(response.content, hr_user)
    assert result.get("new") == 1, result
    assert StaffCount.objects.get(institution=library).total == 9  # 2 + 6 + 1


def test_the_admin_export_names_its_sheet_and_file_in_chinese_with_the_day(client, counted, make_user):
    client.force_login(make_user(Role.HR_BUREAU, is_staff=True))
    fields = {f"staffcountresource_{name}": "on" for name in ("institution_credit_code", "as_of", "worker")}

    response = client.post(reverse("admin:positions_staffcount_export"), {"format": "0", "resource": "0", **fields})

    assert response.status_code == 200
    name = response["Content-Disposition"].split("''", 1)[1]
    from urllib.parse import unquote

    assert unquote(name) == f"实有人员数-{datetime.date.today().isoformat()}.xlsx"
    assert load_workbook(io.BytesIO(response.content)).active.title == "实有人员"


def test_a_job_reports_its_progress_then_its_result_to_its_requester_only(client, counted, hr_user, make_user,
                                                                         settings, tmp_path,
                                                                         django_capture_on_commit_callbacks):
    library, museum = counted
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(hr_user)
    upload = io.BytesIO(workbook(ENGLISH, [row(library), row(museum, worker=2)]))
    upload.name = "staff.xlsx"

    with django_capture_on_commit_callbacks() as queued:
        sent = client.post(reverse("position_imports:page"), {"kind": "staff", "file": upload})
    job = ImportJob.objects.get()
    progress = reverse("position_imports:progress", args=[job.pk])
    waiting = client.get(progress).content.decode()
    imports._Progress(job)("check", 1, 2)  # what the task records as it reads the rows
    halfway = client.get(progress).content.decode()
    assert imports.import_job_run(job.pk) == "done"
    done = client.get(progress).content.decode()

    assert sent.status_code == 302 and sent["Location"] == reverse("position_imports:job", args=[job.pk])
    assert len(queued) == 1 and job.result["dry_run"] is True
    assert 'data-processed="0" data-total="2"' in waiting and 'hx-trigger="every 1s"' in waiting
    assert 'data-processed="1" data-total="2"' in halfway and 'value="1"' in halfway
    assert 'data-status="done" data-processed="2" data-total="2"' in done and "hx-trigger" not in done
    assert 'data-row="3" data-type="update"' in done and 'id="import-confirm"' in done
    assert StaffCount.objects.get(institution=museum).worker == 1  # a check writes nothing
    api = client.get(f"/api/v1/import-jobs/{job.pk}/").json()
    assert (api["result"]["processed"], api["result"]["total"], api["result"]["update"]) == (2, 2, 1)

    with django_capture_on_commit_callbacks():
        confirmed = client.post(reverse("position_imports:confirm", args=[job.pk]))
    second = ImportJob.objects.exclude(pk=job.pk).get()
    assert confirmed.status_code == 302 and second.result["dry_run"] is False
    assert imports.import_job_run(second.pk) == "done"
    assert StaffCount.objects.get(institution=museum).worker == 2

    client.force_login(make_user(Role.HR_BUREAU))
    assert client.get(progress).status_code == 404
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(reverse("position_imports:page")).status_code == 403


def test_the_page_refuses_a_file_that_is_not_xlsx_with_a_message(client, hr_user):
    client.force_login(hr_user)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "staff.xlsx"

    response = client.post(reverse("position_imports:page"), {"kind": "staff", "file": upload})

    assert response.status_code == 400 and 'id="file-error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_row_limit_is_refused_as_a_whole(counted, hr_user, settings):
    library, museum = counted
    settings.IMPORT_MAX_ROWS = 1

    result = run(workbook(ENGLISH, [row(library, worker=3), row(museum, worker=3)]), hr_user)

    assert result["code"] == "import_refused"
    assert [problem["row"] for problem in result["rows"]][0] == 1  # the file, above its rows
    assert all("AttributeError" not in problem["message"] for problem in result["rows"])
    assert StaffCount.objects.get(institution=library).worker == 1
