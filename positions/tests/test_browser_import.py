"""In a real browser (Chromium): the HR bureau checks a staff-count file, watches the bar fill in place, sees the
row that changes with its unit, imports it and sees the result."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import include, path
from openpyxl import Workbook

from accounts.roles import Role
from institutions.tests.factories import CityFactory, DistrictFactory, InstitutionFactory
from positions import imports, services
from positions.models import ImportJob, StaffCount
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.tests.factories import staff_counts

urlpatterns = [path("positions/imports/", include("positions.import_pages")), path("", include("config.urls"))]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

DAY = datetime.date(2026, 6, 30)
COUNTS = {"management": 2, "professional": (1, 1, 2, 2), "worker": 1}


def _file(path, units) -> str:
    """Three rows: the first unchanged (the day written in Chinese), the second one more worker, the third new."""
    book = Workbook()
    book.active.append(["单位统一社会信用代码", "截止日期", *STAFF_COUNT_FIELDS])
    for unit, day, worker in ((units[0], "2026年6月30日", 1), (units[1], "2026/06/30", 2), (units[2], DAY, 1)):
        values = staff_counts(**{**COUNTS, "worker": worker})
        book.active.append([unit.credit_code, day, *(values[field] for field in STAFF_COUNT_FIELDS)])
    book.save(path)
    return str(path)


def test_hr_imports_staff_counts_and_watches_the_progress_bar(live_server, browser_page, screenshot,
                                                              django_user_model, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    # The test plays the worker, step by step: no job goes to a broker (the PostgreSQL run's worker would take it).
    monkeypatch.setattr(imports, "_start", lambda job_id: None)
    daoli = DistrictFactory(parent=CityFactory(code="230100", name="哈尔滨市（市本级）"), code="230102", name="道里区")
    units = [InstitutionFactory(region=daoli, name=name) for name in ("道里区图书馆", "道里区博物馆", "道里区档案馆")]
    hr = django_user_model.objects.create_user("hr-clerk", password="pw-hr-2026", is_staff=True)
    hr.groups.add(Group.objects.get(name=Role.HR_BUREAU))
    for unit in units[:2]:
        services.staff_count_record(institution=unit, by=hr, as_of=DAY, counts=staff_counts(**COUNTS))
    page = browser_page
    page.on("pageerror", lambda error: pytest.fail(str(error)))

    page.goto(f"{live_server.url}/admin/login/?next=/positions/imports/")
    page.fill("#id_username", "hr-clerk")
    page.fill("#id_password", "pw-hr-2026")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/positions/imports/")
    page.select_option("#id_kind", "staff")
    page.set_input_files("#id_file", _file(tmp_path / "staff.xlsx", units))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-progress[data-status=queued]")
    job = ImportJob.objects.get()

    # The worker has started and read two rows of three (as imports.import_job_run records it): the bar follows.
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    imports._Progress(job)("check", 2, 3)
    page.wait_for_selector("#import-progress[data-status=running][data-processed='2']")
    assert page.get_attribute("#import-bar", "value") == "2" and page.get_attribute("#import-bar", "max") == "3"
    screenshot(page, "import-progress")
    url = page.url

    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    assert imports.import_job_run(job.pk) == "done"  # what the worker does, from the start
    page.wait_for_selector("#import-progress[data-status=done]")
    assert page.url == url  # the same page, not reloaded
    assert page.get_attribute("#import-bar", "value") == "3"
    rows = page.inner_text("#import-changes")
    assert "道里区博物馆" in rows and "道里区档案馆" in rows and "道里区图书馆" not in rows
    assert not StaffCount.objects.filter(institution=units[2]).exists()  # checked, not written

    page.click("#import-confirm button")
    page.wait_for_selector("#import-progress[data-status=queued]")
    assert imports.import_job_run(ImportJob.objects.latest("pk").pk) == "done"
    page.wait_for_selector("#import-progress[data-status=done]")
    screenshot(page, "import-result")

    assert StaffCount.objects.get(institution=units[1]).worker == 2
    assert StaffCount.objects.get(institution=units[2]).total == 9
    assert "1" in page.inner_text("#import-totals")
