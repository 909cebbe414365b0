"""xlsx import of plans and staff counts: per-row errors (row, column, reason); a bad row means nothing written."""
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook

from accounts.roles import Role
from core.xlsx_import import row_problems
from institutions.tests.factories import InstitutionFactory
from positions.models import PositionPlan, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.resources import PositionPlanResource, StaffCountResource
from positions.tests.factories import PositionPlanFactory, plan_counts, staff_counts

pytestmark = pytest.mark.django_db

PLAN_HEADERS = ["institution_credit_code", "region_code", "institution_name", "effective_date", "document",
                "main_post_type", *PLAN_COUNT_FIELDS]


@pytest.fixture
def units(daoli, fund):
    library = InstitutionFactory(region=daoli, name="道里区图书馆")
    museum = InstitutionFactory(region=daoli, name="道里区博物馆")
    fund(library, 10)
    fund(museum, 6)
    return library, museum


def workbook(headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_row(unit=None, *, credit_code=None, region_code="", name="", day="2025-01-01", document="哈人社发〔2024〕7号",
             **counts):
    values = plan_counts(**(counts or {"management": 1, "professional": (0, 1, 2, 6)}))
    return [credit_code if credit_code is not None else (unit.credit_code if unit else ""), region_code, name, day,
            document, "professional_service", *(values[field] for field in PLAN_COUNT_FIELDS)]


def import_plans(content: bytes, user=None, dry_run=False):
    dataset = XLSX().create_dataset(content)
    return PositionPlanResource(user=user).import_data(dataset, dry_run=dry_run, user=user)


def test_a_good_file_creates_plans_through_the_services(units, filing, hr_user):
    library, museum = units
    content = workbook(PLAN_HEADERS, [
        plan_row(library),
        plan_row(region_code="230102", name="道里区博物馆", management=1, professional=(0, 0, 2, 3)),
    ])

    result = import_plans(content, user=hr_user)

    assert row_problems(result) == []
    plans = {plan.institution: plan for plan in PositionPlan.objects.all()}
    assert (plans[library].version, plans[library].total, plans[library].entered_by) == (1, 10, hr_user)
    assert plans[museum].total == 6
    assert plans[library].rule_set is not None and plans[library].findings == []


def test_a_mixed_file_reports_each_bad_row_and_writes_nothing(units, filing, hr_user):
    library, museum = units
    unbalanced = plan_row(museum, management=1, professional=(0, 0, 2, 3))
    unbalanced[PLAN_HEADERS.index("professional_12")] = 9  # the levels no longer add up to the category
    content = workbook(PLAN_HEADERS, [
        plan_row(library),                                                         # row 2: good
        plan_row(credit_code="12230102999999999X"),                                # row 3: unknown unit
        unbalanced,                                                                # row 4: grades do not sum
        plan_row(library, day="2025-02-01", management=1, professional=(0, 1, 2, 7)),  # row 5: 11 posts, 10 quotas
        plan_row(museum, day="not a date", management=-1, professional=(0, 0, 2, 3)),  # row 6: date and negative
    ])

    with translation.override("en"):
        problems = row_problems(import_plans(content, user=hr_user))

    by_row = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append((problem.column, problem.message))
    assert sorted(by_row) == [3, 4, 5, 6]
    assert by_row[3] == [("Credit code of the institution",
                          "Rule “the unit must be in the registry”: no institution with the credit code "
                          "12230102999999999X.")]
    assert by_row[4][0][0] == "Professional-technical posts"
    assert by_row[4][0][1].startswith("Grade counts must add up to their category")
    assert by_row[5] == [("Position total", "Rule “Position total within approved quotas (binding)”: the position "
                                            "total is 11, above the limit of 10 set by the approved quotas.")]
    assert {column for column, _message in by_row[6]} >= {"Effective date", "Management posts"}
    assert PositionPlan.objects.count() == 0


def test_a_row_for_an_entered_date_corrects_that_plan(units, filing, hr_user):
    library, _museum = units
    plan = PositionPlanFactory(institution=library, effective_date=datetime.date(2025, 1, 1), document=filing,
                               version=1, **plan_counts(management=2, professional=(0, 1, 2, 5)))

    result = import_plans(workbook(PLAN_HEADERS, [plan_row(library, management=1, professional=(0, 1, 2, 6))]),
                          user=hr_user)

    assert row_problems(result) == []
    assert PositionPlan.objects.count() == 1
    plan.refresh_from_db()
    assert (plan.management, plan.professional, plan.version) == (1, 9, 1)


def test_a_plan_for_an_abolished_unit_is_refused_in_an_import(daoli, filing, hr_user):
    gone = InstitutionFactory(region=daoli, status="abolished", ended_on=datetime.date(2024, 6, 30))

    with translation.override("en"):
        problems = row_problems(import_plans(workbook(PLAN_HEADERS, [plan_row(gone)]), user=hr_user))

    assert [(problem.row, problem.column) for problem in problems] == [(2, "Institution")]
    assert "a unit must exist on the date" in problems[0].message


def test_a_district_user_imports_for_its_own_region_only(units, filing, nangang, make_user):
    library, _museum = units
    other = make_user(Role.DISTRICT_OFFICE, region=nangang)

    problems = row_problems(import_plans(workbook(PLAN_HEADERS, [plan_row(library)]), user=other))

    assert [problem.row for problem in problems] == [2]
    assert PositionPlan.objects.count() == 0


STAFF_HEADERS = ["institution_credit_code", "as_of", "management", "professional", "senior_full", "senior_deputy",
                 "intermediate", "junior", "worker"]


def staff_row(unit, day="2025-06-30", **counts):
    values = staff_counts(**(counts or {"management": 2, "professional": (0, 1, 2, 3), "worker": 1}))
    return [unit.credit_code, day, *(values[field] for field in STAFF_HEADERS[2:])]


def test_staff_counts_import_all_or_nothing(units, hr_user):
    library, museum = units
    bad = staff_row(museum)
    bad[STAFF_HEADERS.index("junior")] = 9

    dataset = XLSX().create_dataset(workbook(STAFF_HEADERS, [staff_row(library), bad]))
    problems = row_problems(StaffCountResource(user=hr_user).import_data(dataset, user=hr_user))

    assert [(problem.row, problem.column) for problem in problems] == [(3, "专业技术岗位人员")]
    assert StaffCount.objects.count() == 0

    dataset = XLSX().create_dataset(workbook(STAFF_HEADERS, [staff_row(library)]))
    assert row_problems(StaffCountResource(user=hr_user).import_data(dataset, user=hr_user)) == []
    assert StaffCount.objects.get().total == 9


def test_the_api_import_answers_400_with_the_rows(api_client, units, filing, make_user):
    library, _museum = units
    api_client.force_authenticate(make_user(Role.HR_BUREAU))
    content = workbook(PLAN_HEADERS, [plan_row(library), plan_row(credit_code="nobody")])

    refused = api_client.post("/api/v1/position-plans/import/",
                              {"file": io.BytesIO(content)}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    good = api_client.post("/api/v1/position-plans/import/",
                           {"file": io.BytesIO(workbook(PLAN_HEADERS, [plan_row(library)]))}, format="multipart")

    assert refused.status_code == 400
    assert refused.json()["rows"][0]["row"] == 3
    assert list(refused.json()["errors"]) == ["row 3 · Credit code of the institution"]
    assert good.status_code == 200 and good.json()["new"] == 1
    assert PositionPlan.objects.count() == 1


def test_the_command_imports_or_refuses(units, filing, tmp_path):
    library, _museum = units
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(PLAN_HEADERS, [plan_row(library), plan_row(credit_code="nobody")]))
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(PLAN_HEADERS, [plan_row(library)]))

    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_positions", "plans", str(bad), stderr=io.StringIO())
    assert PositionPlan.objects.count() == 0
    out = io.StringIO()
    call_command("import_positions", "plans", str(good), stdout=out)
    assert out.getvalue().startswith("1 new")


def test_the_admin_import_previews_errors_and_writes_nothing(client, units, filing, make_user):
    library, _museum = units
    client.force_login(make_user(Role.HR_BUREAU, is_staff=True))
    content = workbook(PLAN_HEADERS, [plan_row(library), plan_row(credit_code="nobody")])
    upload = io.BytesIO(content)
    upload.name = "plans.xlsx"

    response = client.post(reverse("admin:positions_positionplan_import"),
                           {"import_file": upload, "format": "0", "resource": "0"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "nobody" in response.content.decode()
    assert PositionPlan.objects.count() == 0
