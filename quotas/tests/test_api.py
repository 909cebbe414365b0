"""Ledger API: balances on a date, statements, posting through the services, refusals with reasons."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.tests.conftest import balances

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_client(api_client, make_user):
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    return api_client


def move(ledger, **extra):
    body = {
        "kind": "allocate", "source": ledger["pool"].pk, "target": ledger["archive_account"].pk, "amount": 5,
        "document": ledger["document"].pk, "effective_date": "2024-02-01", "note": "补充编制",
    }
    body.update(extra)
    return body


def test_post_a_transfer_through_the_services(city_client, ledger):
    response = city_client.post("/api/v1/quota-transfers/", move(ledger), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["amount"], body["document_number"]) == ("allocate", 5, "哈编发〔2024〕1号")
    assert QuotaAccount.objects.get(pk=ledger["archive_account"].pk).balance == 45
    assert QuotaAccount.objects.get(pk=ledger["pool"].pk).balance == 45


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -2}, "amount"),
        ({"amount": 2.5}, "amount"),
        ({"amount": "many"}, "amount"),
        ({"amount": 51}, "amount"),
        ({"document": None}, "document"),
        ({"source": 999999}, "source"),
        ({"target": None}, "target"),
        ({"target": "SAME"}, "target"),
        ({"kind": "reversal"}, "kind"),
        ({"kind": "loan"}, "source"),
        ({"effective_date": "2024-13-01"}, "effective_date"),
    ],
)
def test_refused_moves_answer_400_with_the_field_and_change_nothing(city_client, ledger, change, field):
    if change.get("target") == "SAME":
        change = {"target": ledger["pool"].pk}
    before = balances()

    response = city_client.post("/api/v1/quota-transfers/", move(ledger, **change), format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "code", "errors", "codes"}
    assert field in body["errors"], body
    assert balances() == before


def test_too_small_balance_message_names_the_balance(city_client, ledger):
    response = city_client.post("/api/v1/quota-transfers/", move(ledger, amount=51), format="json")

    assert "50" in response.json()["errors"]["amount"][0]


def test_quota_types_that_differ_are_refused(city_client, ledger):
    from quotas import services

    worker = services.account_for_institution(institution=ledger["archive"],
                                              quota_type=services.quota_type_get("worker"))
    before = balances()

    response = city_client.post("/api/v1/quota-transfers/", move(ledger, target=worker.pk), format="json")

    assert response.status_code == 400
    assert "target" in response.json()["errors"]
    assert balances() == before


def test_transfers_cannot_be_edited_or_deleted_through_the_api(city_client, ledger):
    transfer = QuotaTransfer.objects.first()
    url = f"/api/v1/quota-transfers/{transfer.pk}/"

    assert city_client.put(url, {"amount": 1}, format="json").status_code == 405
    assert city_client.patch(url, {"amount": 1}, format="json").status_code == 405
    assert city_client.delete(url).status_code == 405
    assert QuotaTransfer.objects.get(pk=transfer.pk).amount == transfer.amount


def test_reverse_action_and_second_reversal_refused(city_client, ledger):
    transfer = QuotaTransfer.objects.get(target=ledger["library_account"])
    body = {"document": ledger["document"].pk, "effective_date": "2024-03-01"}

    first = city_client.post(f"/api/v1/quota-transfers/{transfer.pk}/reverse/", body, format="json")
    second = city_client.post(f"/api/v1/quota-transfers/{transfer.pk}/reverse/", body, format="json")

    assert first.status_code == 201
    assert first.json()["reverses"] == transfer.pk
    assert second.status_code == 400
    assert "reverses" in second.json()["errors"]
    assert QuotaAccount.objects.get(pk=ledger["library_account"].pk).balance == 0


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.AUDITOR, Role.FINANCE_SYSTEM, Role.DISTRICT_OFFICE])
def test_only_the_city_office_moves_quotas(api_client, make_user, ledger, role):
    api_client.force_authenticate(make_user(role, region=ledger["daoli"]))
    before = balances()

    response = api_client.post("/api/v1/quota-transfers/", move(ledger), format="json")

    assert response.status_code == 403
    assert balances() == before
    assert api_client.get("/api/v1/quota-accounts/").status_code == 200


def test_balances_on_a_date(city_client, ledger):
    city_client.post("/api/v1/quota-transfers/", move(ledger), format="json")

    before = city_client.get("/api/v1/quota-accounts/", {"on": "2024-01-31", "holder_kind": "institution"}).json()
    after = city_client.get("/api/v1/quota-accounts/", {"on": "2024-02-01", "holder_kind": "institution"}).json()

    archive = ledger["archive_account"].pk
    assert {row["id"]: row["balance_on"] for row in before["results"]}[archive] == 40
    assert {row["id"]: row["balance_on"] for row in after["results"]}[archive] == 45
    assert city_client.get("/api/v1/quota-accounts/", {"on": "yesterday"}).status_code == 400
    for out_of_bounds in ("0001-01-01", "9999-12-31"):
        refused = city_client.get("/api/v1/quota-accounts/", {"on": out_of_bounds})
        assert refused.status_code == 400 and list(refused.json()["errors"]) == ["on"]


def test_statement_json_and_xlsx(city_client, ledger):
    city_client.post("/api/v1/quota-transfers/", move(ledger), format="json")
    url = f"/api/v1/quota-accounts/{ledger['archive_account'].pk}/statement/"

    body = city_client.get(url, {"start": "2024-01-15", "end": "2024-12-31"}).json()
    xlsx = city_client.get(url, {"start": "2024-01-15", "end": "2024-12-31", "export": "xlsx"})

    assert (body["opening"], body["closing"]) == (40, 45)
    assert [(line["change"], line["balance"]) for line in body["lines"]] == [(5, 45)]
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][1] == 40
    assert rows[4][5:7] == (5, 45)
    assert rows[-1][1] == 45
    assert city_client.get(url, {"start": "2024-02-01", "end": "2024-01-01"}).status_code == 400


def test_region_ledger_export(city_client, ledger):
    response = city_client.get("/api/v1/quota-accounts/region-ledger/", {"region": ledger["daoli"].pk,
                                                                          "on": "2024-01-01"})
    xlsx = city_client.get("/api/v1/quota-accounts/region-ledger/", {"region": ledger["daoli"].pk,
                                                                      "on": "2024-01-01", "export": "xlsx"})

    assert response.json()["total"] == 100
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[-1][5] == 100


def test_totals_endpoint(city_client, ledger):
    by_level = city_client.get("/api/v1/quota-accounts/totals/", {"by": "level", "on": "2024-01-01"}).json()
    by_region = city_client.get("/api/v1/quota-accounts/totals/", {"on": "2024-01-01"}).json()

    assert by_level["levels"] == {"city": 0, "district": 100, "county": 0}
    daoli = next(row for row in by_region["regions"] if row["code"] == "230102")
    assert (daoli["pool"], daoli["institutions"], daoli["total"]) == (50, 50, 100)


def test_district_user_sees_only_its_region_accounts(api_client, make_user, ledger):
    from quotas import services

    county = services.account_for_institution(institution=ledger["county_school"], quota_type=ledger["quota_type"])
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=ledger["daoli"]))

    ids = {row["id"] for row in api_client.get("/api/v1/quota-accounts/", {"page_size": 500}).json()["results"]}

    assert ledger["archive_account"].pk in ids
    assert county.pk not in ids
    assert api_client.get(f"/api/v1/quota-accounts/{county.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/quota-accounts/{ledger['province'].pk}/").status_code == 404


def test_statement_dates_are_required(city_client, ledger):
    response = city_client.get(f"/api/v1/quota-accounts/{ledger['pool'].pk}/statement/")

    assert response.status_code == 400
    assert "start" in response.json()["errors"]


def test_effective_date_default_is_not_assumed(city_client, ledger):
    body = move(ledger)
    del body["effective_date"]

    response = city_client.post("/api/v1/quota-transfers/", body, format="json")

    assert response.status_code == 400
    assert "effective_date" in response.json()["errors"]
