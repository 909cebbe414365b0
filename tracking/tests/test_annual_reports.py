"""The registered units' annual reports (年度报告): who reports on a year, the deadline and the overdue flag, the
yearly opening (idempotent), submission; the inbox, the page, the workbook and the API. Cases worked by hand."""
import datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from institutions.models import Institution
from institutions.tests.factories import InstitutionFactory
from tracking import selectors, services, tasks, views
from tracking.models import AnnualReport, ReformTask, UnitChecklist

pytestmark = pytest.mark.django_db
D = datetime.date


def ended(unit, on, status="abolished"):
    Institution.objects.filter(pk=unit.pk).update(status=status, ended_on=on)
    return unit


@pytest.fixture
def unit(daoli, agency):
    return InstitutionFactory(region=daoli, name="道里区图书馆", supervisor=agency, established_on=D(1990, 5, 1))


@pytest.fixture
def report(unit):
    return services.annual_reports_open(2025)[0]


def test_a_unit_active_in_2025_gets_its_2025_report_due_31_march_2026_overdue_from_1_april(unit):
    made = services.annual_reports_open(2025)

    assert [(row.institution_id, row.region_id, row.year, row.due_date) for row in made] == [
        (unit.pk, unit.region_id, 2025, D(2026, 3, 31))]
    report = AnnualReport.objects.get()
    assert report.overdue  # opened today (after 31 March 2026), not submitted
    services.flag_overdue(on=D(2026, 3, 31))
    report.refresh_from_db()
    assert not report.overdue  # the deadline day itself is in time
    counts = services.flag_overdue(on=D(2026, 4, 1))
    report.refresh_from_db()
    assert report.overdue and counts["annualreport_flagged"] == 1
    assert services.flag_overdue(on=D(2026, 4, 1))["annualreport_flagged"] == 0


def test_who_reports_on_2025(daoli, agency, unit):
    """Public institutions holding their registration, active at some time in 2025, not deregistered."""
    gone_2024 = ended(InstitutionFactory(region=daoli, name="道里区甲站", established_on=D(2000, 1, 1)),
                      D(2024, 12, 31))
    gone_new_year = ended(InstitutionFactory(region=daoli, name="道里区乙站"), D(2025, 1, 1), status="merged")
    InstitutionFactory(region=daoli, name="道里区丙站", established_on=D(2026, 1, 1))  # founded after 2025
    late_2025 = InstitutionFactory(region=daoli, name="道里区丁站", established_on=D(2025, 12, 31))
    InstitutionFactory(region=daoli, name="道里区戊站", legal_person_state="unregistered")
    InstitutionFactory(region=daoli, name="道里区己站", legal_person_state="not_applicable")
    InstitutionFactory(region=daoli, name="道里区庚站", legal_person_state="deregistered")
    closed = ended(InstitutionFactory(region=daoli, name="道里区辛站"), D(2025, 6, 30))
    task = services.reform_task_save(by=None, title="注销登记", district=daoli, start_date=D(2025, 6, 1),
                                     due_date=D(2025, 12, 31))
    UnitChecklist.objects.create(institution=closed, region=daoli, task=task, handles_apply=False,
                                 registration_kind="deregister", registration_basis=D(2025, 6, 30),
                                 registration_done_on=D(2025, 7, 10))  # 注销 done: no legal person any more

    services.annual_reports_open(2025)

    # The agency (道里区教育局) reports nothing; 甲站 ended in 2024; 丙站 did not exist yet.
    assert set(AnnualReport.objects.values_list("institution_id", flat=True)) == {
        unit.pk, gone_new_year.pk, late_2025.pk}
    assert gone_2024.pk and agency.pk


def test_opening_twice_makes_no_new_rows_and_the_beat_task_opens_the_year_just_ended(daoli, unit):
    assert len(services.annual_reports_open(2025)) == 1
    rows = list(AnnualReport.objects.values_list("pk", "institution_id", "year", "due_date", "overdue"))
    assert services.annual_reports_open(2025) == []
    assert services.annual_reports_sync() == 0  # today is in 2026: the year just ended is 2025
    assert tasks.sync_checklists() == {"checklists": 0, "annual_reports": 0}
    assert list(AnnualReport.objects.values_list("pk", "institution_id", "year", "due_date", "overdue")) == rows
    new = InstitutionFactory(region=daoli, name="道里区新馆", established_on=D(2025, 3, 1))
    assert tasks.sync_checklists() == {"checklists": 0, "annual_reports": 1}
    assert AnnualReport.objects.filter(year=2025).count() == 2 and AnnualReport.objects.get(institution=new)
    assert services.annual_reports_sync(on=D(2025, 1, 1)) == 1  # on 1 January 2025: the reports on 2024
    assert AnnualReport.objects.get(year=2024).due_date == D(2025, 3, 31)


@pytest.mark.parametrize("year", [2026, 2027, 1948, "2025"])
def test_a_year_not_over_is_refused(unit, year):
    with pytest.raises(ValidationError) as error:
        services.annual_reports_open(year)
    assert error.value.error_dict["year"][0].code == "year_not_over"
    assert not AnnualReport.objects.exists()


def test_a_submission_dated_in_the_year_reported_on_is_refused_and_nothing_written(clerk, report):
    with pytest.raises(ValidationError) as error:
        services.annual_report_save(by=clerk, report=report, submitted_on=D(2025, 12, 31))
    assert list(error.value.error_dict) == ["submitted_on"]
    assert error.value.error_dict["submitted_on"][0].code == "before_year_end"
    with pytest.raises(ValidationError) as error:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # the office's day, not the machine's
        services.annual_report_save(by=clerk, report=report, submitted_on=tomorrow)
    assert error.value.error_dict["submitted_on"][0].code == "date_out_of_bounds"
    report.refresh_from_db()
    assert report.submitted_on is None and report.overdue and report.history.count() == 1


def test_a_submission_on_1_january_is_in_time_and_clears_the_flag(clerk, report):
    saved = services.annual_report_save(by=clerk, report=report, submitted_on=D(2026, 1, 1), note="网上报送")
    assert (saved.submitted_on, saved.overdue, saved.note) == (D(2026, 1, 1), False, "网上报送")
    assert services.flag_overdue(on=D(2026, 4, 1))["annualreport_flagged"] == 0


def test_a_late_submission_was_overdue_until_it_was_made(clerk, report):
    services.annual_report_save(by=clerk, report=report, submitted_on=D(2026, 4, 10))
    services.flag_overdue(on=D(2026, 4, 9))
    assert AnnualReport.objects.get().overdue
    services.flag_overdue(on=D(2026, 4, 10))
    assert not AnnualReport.objects.get().overdue


def test_a_district_office_submits_only_its_own_regions_reports(make_user, daoli, nangang, report):
    with pytest.raises(PermissionDenied):
        services.annual_report_save(by=make_user(Role.DISTRICT_OFFICE, region=nangang), report=report,
                                    submitted_on=D(2026, 3, 1))
    assert AnnualReport.objects.get().submitted_on is None
    services.annual_report_save(by=make_user(Role.DISTRICT_OFFICE, region=daoli), report=report,
                                submitted_on=D(2026, 3, 1))
    assert AnnualReport.objects.get().submitted_on == D(2026, 3, 1)


# --- reads --------------------------------------------------------------------------------------------------------
@pytest.fixture
def reports(clerk, daoli, nangang, agency, other_agency, unit):
    """道里区: the library (under 道里区教育局) submitted on 2026-03-20, a second unit (no supervisor) never;
    南岗区: a unit under 南岗区教育局, submitted late on 2026-04-15."""
    InstitutionFactory(region=daoli, name="道里区档案馆", supervisor=None)
    late = InstitutionFactory(region=nangang, name="南岗区少年宫", supervisor=other_agency)
    services.annual_reports_open(2025)
    services.annual_report_save(by=clerk, report=AnnualReport.objects.get(institution=unit),
                                submitted_on=D(2026, 3, 20))
    services.annual_report_save(by=clerk, report=AnnualReport.objects.get(institution=late),
                                submitted_on=D(2026, 4, 15))
    services.flag_overdue(on=D(2026, 4, 10))
    return AnnualReport.objects.order_by("institution__name")


def test_the_progress_counts_reports_submitted_of_due_and_overdue(reports, daoli):
    departments, districts = selectors.reform_progress(
        tasks=ReformTask.objects.all(), checklists=UnitChecklist.objects.all(), day=D(2026, 4, 10),
        reports=AnnualReport.objects.all())
    found = {row.name: (row.reports_submitted, row.reports, row.overdue) for row in (*departments, *districts)}
    # On 10 April: 道里区 1 of 2 submitted, the archive overdue; 南岗区 0 of 1 (submitted only on the 15th), overdue.
    assert found == {"道里区教育局": (1, 1, 0), "南岗区教育局": (0, 1, 1), "南岗区": (0, 1, 1), "道里区": (1, 2, 1)}
    _departments, districts = selectors.reform_progress(
        tasks=ReformTask.objects.all(), checklists=UnitChecklist.objects.all(), day=D(2025, 12, 31),
        reports=AnnualReport.objects.all())
    assert districts == []  # on 31 December 2025 the year is not over: no report counts yet


def test_the_inbox_and_the_page_list_the_overdue_reports(client, make_user, reports, daoli):
    section = views.inbox_section(None, Institution.objects.filter(region=daoli), D(2026, 4, 10))
    assert [(item.kind, item.subject, item.due, item.days) for item in section["items"]] == [
        (selectors.ANNUAL_REPORT, "道里区档案馆", D(2026, 3, 31), 10)]
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))
    response = client.get(reverse("tracking:tracking"), {"on": "2026-04-10"})
    assert [item.subject for item in response.context["tracking"].overdue] == ["道里区档案馆"]
    assert "南岗区少年宫" not in response.content.decode()
    assert [(row.name, row.reports_submitted, row.reports) for row in response.context["tracking"].districts] == [
        ("道里区", 1, 2)]


def test_the_workbook_has_the_reports_columns(client, make_user, reports):
    client.force_login(make_user(Role.CITY_OFFICE))
    response = client.get(reverse("tracking:xlsx"), {"on": "2026-04-10"})
    workbook = load_workbook(BytesIO(response.content))
    districts = sorted(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert sorted((row[1], row[7], row[8], row[9]) for row in districts) == [("南岗区", 0, 1, 1), ("道里区", 1, 2, 1)]
    overdue = list(workbook.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert sorted((row[1], row[4], row[5]) for row in overdue) == [
        ("南岗区少年宫", "2026-03-31", 10), ("道里区档案馆", "2026-03-31", 10)]


# --- the API ------------------------------------------------------------------------------------------------------
def test_a_district_office_reads_and_submits_its_own_regions_reports(api_client, as_role, daoli, reports):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    listed = api_client.get(reverse("v1:annual-report-list"), {"year": 2025}).json()["results"]
    assert sorted(row["institution_name"] for row in listed) == ["道里区图书馆", "道里区档案馆"]
    other = AnnualReport.objects.get(institution__name="南岗区少年宫")
    assert api_client.get(reverse("v1:annual-report-detail", args=[other.pk])).status_code == 404
    assert api_client.patch(reverse("v1:annual-report-detail", args=[other.pk]), {"submitted_on": "2026-03-01"},
                            format="json").status_code == 404
    archive = AnnualReport.objects.get(institution__name="道里区档案馆")
    url = reverse("v1:annual-report-detail", args=[archive.pk])
    response = api_client.patch(url, {"submitted_on": "2026-04-20", "year": 2020}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["submitted_on"], response.json()["year"], response.json()["due_date"]) == (
        "2026-04-20", 2025, "2026-03-31")
    pending = api_client.get(reverse("v1:annual-report-list"), {"submitted": "false"}).json()["results"]
    assert pending == []


@pytest.mark.parametrize("body", [{"submitted_on": "2025-12-31"}, {"submitted_on": "2099-01-01"},
                                  {"submitted_on": "someday"}, {"note": "x" * 100_000}])
def test_a_bad_submission_answers_400_and_changes_nothing(api_client, as_role, report, body):
    as_role(Role.CITY_OFFICE)
    response = api_client.patch(reverse("v1:annual-report-detail", args=[report.pk]), body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == list(body)
    report.refresh_from_db()
    assert report.submitted_on is None and report.note == ""


def test_reports_are_not_created_through_the_api_and_read_only_roles_cannot_submit(api_client, as_role, report):
    as_role(Role.CITY_OFFICE)
    assert api_client.post(reverse("v1:annual-report-list"), {"institution": report.institution_id, "year": 2024},
                           format="json").status_code == 405
    as_role(Role.AUDITOR)
    response = api_client.patch(reverse("v1:annual-report-detail", args=[report.pk]),
                                {"submitted_on": "2026-03-01"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize("query", [{"year": "x"}, {"year": str(10**30)}, {"year": "0"}, {"year": "2025.5"},
                                   {"institution": "-1"}, {"institution": str(10**30)}])
def test_bad_report_filters_answer_400_or_nothing(api_client, as_role, report, query):
    as_role(Role.AUDITOR)
    response = api_client.get(reverse("v1:annual-report-list"), query)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize("query", [{"overdue": "perhaps"}, {"submitted": "maybe"}])
def test_an_unreadable_yes_or_no_filter_is_ignored_not_a_500(api_client, as_role, report, query):
    as_role(Role.AUDITOR)
    response = api_client.get(reverse("v1:annual-report-list"), query)
    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_the_progress_api_has_the_reports(api_client, as_role, reports):
    as_role(Role.CITY_OFFICE)
    rows = api_client.get(reverse("v1:reform-progress-list"), {"on": "2026-04-10", "level": "district"}).json()
    assert sorted((row["name"], row["reports_submitted"], row["reports"], row["overdue"])
                  for row in rows["results"]) == [("南岗区", 0, 1, 1), ("道里区", 1, 2, 1)]
