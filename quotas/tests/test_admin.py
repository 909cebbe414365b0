"""Ledger admin: transfers read-only, posting and reversing through the services, statements, reclamation."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.tests.conftest import balances

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_browser(client, make_user):
    client.force_login(make_user(Role.CITY_OFFICE, is_staff=True))
    return client


def test_transfers_cannot_be_added_changed_or_deleted_in_the_admin(city_browser, admin_client, ledger):
    transfer = QuotaTransfer.objects.first()
    change = reverse("admin:quotas_quotatransfer_change", args=[transfer.pk])
    delete = reverse("admin:quotas_quotatransfer_delete", args=[transfer.pk])

    for browser in (city_browser, admin_client):
        assert browser.post(change, {"amount": 1}).status_code == 403
        assert browser.post(delete, {"post": "yes"}).status_code == 403
        assert browser.get(reverse("admin:quotas_quotatransfer_add")).status_code == 403
    assert QuotaTransfer.objects.get(pk=transfer.pk).amount == transfer.amount
    page = admin_client.get(reverse("admin:quotas_quotatransfer_changelist"))
    assert page.status_code == 200
    actions = [name for name, _label in page.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions


def post_body(ledger, **extra):
    body = {
        "kind": "allocate", "source": ledger["pool"].pk, "target": ledger["archive_account"].pk, "amount": "5",
        "document": ledger["document"].pk, "effective_date": "2024-02-01", "note": "",
    }
    body.update(extra)
    return body


def test_post_view_posts_through_the_services(city_browser, ledger):
    response = city_browser.post(reverse("admin:quotas_quotatransfer_post"), post_body(ledger))

    assert response.status_code == 302
    assert QuotaAccount.objects.get(pk=ledger["archive_account"].pk).balance == 45


def test_post_view_shows_the_refusal_beside_the_field_and_changes_nothing(city_browser, ledger):
    before = balances()

    response = city_browser.post(reverse("admin:quotas_quotatransfer_post"), post_body(ledger, amount="80"))

    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert "50" in response.context["form"].errors["amount"][0]
    assert balances() == before


def test_post_view_is_for_the_city_office_only(client, make_user, ledger):
    client.force_login(make_user(Role.HR_BUREAU, is_staff=True))
    before = balances()

    response = client.post(reverse("admin:quotas_quotatransfer_post"), post_body(ledger))

    assert response.status_code == 403
    assert balances() == before


def test_statement_page(city_browser, ledger):
    url = reverse("admin:quotas_quotaaccount_statement", args=[ledger["archive_account"].pk])

    response = city_browser.get(url, {"start": "2024-01-01", "end": "2024-12-31"})

    assert response.status_code == 200
    assert response.context["statement"].closing == 40
    assert "哈编发〔2024〕1号" in response.content.decode()


def test_reverse_action_is_all_or_nothing(city_browser, ledger, make_document):
    # The library's allocation can be reversed, the pool's grant cannot (the pool spent 50 of it): none happens.
    grant = QuotaTransfer.objects.get(kind="grant")
    allocation = QuotaTransfer.objects.get(target=ledger["library_account"])
    before = balances()

    response = city_browser.post(reverse("admin:quotas_quotatransfer_changelist"), {
        "action": "reverse_transfers", "_selected_action": [allocation.pk, grant.pk], "apply": "1",
        "document": make_document().pk, "effective_date": "2024-03-01",
    })

    assert response.status_code == 302
    assert balances() == before
