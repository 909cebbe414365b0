"""Ordinary bad input answers 4xx in the one error shape, with a stable code, and changes nothing.

Each case here once answered 500 (found by trying the API as a careless client would).
"""
import json

import pytest

from accounts.roles import Role
from quotas.models import QuotaTransfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(api_client, make_user):
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    api_client.raise_request_exception = False
    return api_client


def refused(response, status=400):
    body = response.json()
    assert response.status_code == status, (response.status_code, body)
    assert {"message", "code", "errors", "codes"} <= set(body), body
    return body


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("data, field", [
    ({"kind": "grant", "amount": 1}, "target"),
    ({"kind": "loan", "amount": 1}, "source"),
    ({"kind": "allocate", "amount": 1}, "source"),
])
def test_a_transfer_without_its_accounts(city, ledger, data, field):
    before = QuotaTransfer.objects.count()
    body = refused(post(city, "/api/v1/quota-transfers/", {
        **data, "document": ledger["document"].pk, "effective_date": "2024-01-02"}))
    assert field in body["errors"]
    assert QuotaTransfer.objects.count() == before


@pytest.mark.parametrize("amount", [2_147_483_647, 10**12, -1, 0])
def test_amounts_beyond_what_the_ledger_holds(city, ledger, amount):
    before = QuotaTransfer.objects.count()
    body = refused(post(city, "/api/v1/quota-transfers/", {
        "kind": "allocate", "source": ledger["pool"].pk, "target": ledger["library_account"].pk, "amount": amount,
        "document": ledger["document"].pk, "effective_date": "2024-01-02"}))
    assert "amount" in body["errors"]
    assert QuotaTransfer.objects.count() == before


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_dates_at_the_ends_of_the_calendar(city, ledger, day):
    refused(post(city, "/api/v1/quota-transfers/", {
        "kind": "allocate", "source": ledger["pool"].pk, "target": ledger["library_account"].pk, "amount": 1,
        "document": ledger["document"].pk, "effective_date": day}))
    refused(city.get(f"/api/v1/quota-accounts/{ledger['pool'].pk}/statement/",
                     {"start": day, "end": day}))
    refused(city.get("/api/v1/reconciliation/", {"on": day}))
    refused(city.get("/api/v1/staff-changes/", {"month": day[:7]}))


def test_a_document_of_year_zero(city, db):
    body = refused(post(city, "/api/v1/documents/", {
        "issuer": "哈尔滨市委编办", "office_code": "哈编发", "year": 0, "serial": 1, "title": "批复",
        "date_issued": "2024-01-02", "date_effective": "2024-01-02"}))
    assert "year" in body["errors"]


def test_json_nested_ten_thousand_deep(city, db):
    deep = "[" * 10_000 + "]" * 10_000
    body = refused(city.post("/api/v1/documents/", deep, content_type="application/json"))
    assert body["code"] in {"parse_error", "too_deep"}


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(city, ledger):
    from io import BytesIO

    from openpyxl import load_workbook

    from core.xlsx import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "图书馆", 5, None)] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "图书馆", 5, None]
    library = ledger["library"]
    library.name = '=HYPERLINK("http://evil.example/","点击")'
    library.save()

    ledger_book = city.get("/api/v1/quota-accounts/region-ledger/", {"region": ledger["daoli"].pk, "export": "xlsx"})
    cells = [cell for row in load_workbook(BytesIO(ledger_book.content)).active.iter_rows() for cell in row]

    named = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert named and all(cell.data_type == "s" and cell.value.startswith("'=") for cell in named)


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_document_at_once_answer_409_naming_the_constraint(city, monkeypatch):
    from django.db import models

    from institutions.models import ApprovalDocument

    body = {"issuer": "哈尔滨市委编办", "office_code": "哈编发", "year": 2024, "serial": 7, "title": "批复",
            "date_issued": "2024-01-02", "date_effective": "2024-01-02"}
    assert post(city, "/api/v1/documents/", body).status_code == 201
    # The second request passed its checks before the first committed: the database has the last word.
    monkeypatch.setattr(models.Model, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(models.Model, "validate_constraints", lambda self, exclude=None: None)

    second = refused(post(city, "/api/v1/documents/", body), status=409)

    assert second["code"] == "constraint_conflict"
    assert second["constraint"] in {c.name for c in ApprovalDocument._meta.constraints} | {
        "institutions_approvaldocument_number_key"}
    assert ApprovalDocument.objects.count() == 1


def test_an_upload_past_the_limit_is_refused_before_it_is_read(city, db, settings):
    from io import BytesIO

    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    body = BytesIO(b"x" * 64)  # what the client actually sends; it claims 60 MB
    read = []
    original = body.read
    body.read = lambda *args: read.append(args) or original(*args)

    response = city.generic("POST", "/api/v1/documents/", "", content_type="multipart/form-data; boundary=B",
                            CONTENT_LENGTH=str(60 * 1024 * 1024), **{"wsgi.input": body})

    body_of = refused(response, status=413)
    assert body_of["code"] == "too_large"
    assert not read  # not a byte was read


def test_a_large_file_is_stopped_while_it_is_read(city, db, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_BYTES = 256 * 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (512 * 1024), content_type="application/pdf")

    response = city.post("/api/v1/documents/", {"number": "哈编发〔2024〕9号", "issuer": "市编办", "title": "批复",
                                                "date_issued": "2024-01-02", "date_effective": "2024-01-02",
                                                "file": upload}, format="multipart")

    assert refused(response, status=413)["code"] == "too_large"


def test_an_import_larger_than_the_cap_is_refused_whole(api_client, make_user, db, settings):
    from io import BytesIO

    from openpyxl import Workbook

    from positions.models import PositionPlan

    settings.IMPORT_MAX_ROWS = 3
    api_client.force_authenticate(make_user(Role.HR_BUREAU))
    book = Workbook()
    book.active.append(["credit code of the institution", "effective date"])
    for row in range(5):
        book.active.append([f"code-{row}", "2024-01-02"])
    content = BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "plans.xlsx"

    response = api_client.post("/api/v1/position-plans/import/", {"file": content}, format="multipart")

    body = refused(response)
    assert "3" in " ".join(" ".join(messages) for messages in body["errors"].values())
    assert not PositionPlan.objects.exists()


def test_a_long_import_runs_as_a_job_not_in_the_request(api_client, make_user, db, settings, tmp_path,
                                                         django_capture_on_commit_callbacks):
    from io import BytesIO

    from openpyxl import Workbook

    from positions.imports import import_job_run
    from positions.models import ImportJob, PositionPlan

    settings.IMPORT_SYNC_ROWS, settings.MEDIA_ROOT = 2, str(tmp_path)
    hr = make_user(Role.HR_BUREAU)
    api_client.force_authenticate(hr)
    book = Workbook()
    book.active.append(["credit code of the institution", "effective date"])
    for row in range(4):
        book.active.append([f"code-{row}", "2024-01-02"])
    content = BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "plans.xlsx"

    with django_capture_on_commit_callbacks() as queued:
        accepted = api_client.post("/api/v1/position-plans/import/", {"file": content}, format="multipart")

    assert accepted.status_code == 202, accepted.json()
    job = ImportJob.objects.get(pk=accepted.json()["id"])
    assert (job.status, job.rows, len(queued)) == ("queued", 4, 1)
    assert not PositionPlan.objects.exists()  # nothing imported while the request waited

    assert import_job_run(job.pk) == "refused"  # what the worker does; unknown units: the whole file refused
    assert import_job_run(job.pk) == "refused"  # once only
    answer = api_client.get(f"/api/v1/import-jobs/{job.pk}/").json()
    assert answer["status"] == "refused" and answer["result"]["code"] == "import_refused"
    assert len(answer["result"]["rows"]) >= 4
    api_client.force_authenticate(make_user(Role.HR_BUREAU))
    assert api_client.get(f"/api/v1/import-jobs/{job.pk}/").status_code == 404


@pytest.mark.parametrize("pk", ["abc", "null,null", "1.5"])
def test_a_reconciliation_row_with_an_id_that_is_not_a_number(city, ledger, pk):
    body = refused(city.get(f"/api/v1/reconciliation/{pk}/"), status=404)
    assert body["code"] == "not_found"


def test_free_text_has_a_maximum_length(city, ledger):
    before = QuotaTransfer.objects.count()
    body = refused(post(city, "/api/v1/quota-transfers/", {
        "kind": "allocate", "source": ledger["pool"].pk, "target": ledger["library_account"].pk, "amount": 1,
        "document": ledger["document"].pk, "effective_date": "2024-01-02", "note": "备" * 2001}))
    assert body["codes"]["note"] == ["max_length"]
    assert QuotaTransfer.objects.count() == before



@pytest.mark.postgres
def test_a_nul_byte_in_a_query_answers_400(city, ledger):
    body = refused(city.get("/api/v1/quota-accounts/totals/", {"quota_type": "a\x00b"}))
    assert body["code"] == "invalid_value"
