"""The ledger's old page address: the reduction report moved to the reform's effect (reforms/tests/test_effect.py)."""
import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_reduction_report_address_leads_to_the_reform_effect_with_its_query(client, make_user):
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get("/quotas/reduction/", {"before": "2024-01-01", "after": "2024-12-31"})

    assert response.status_code == 301
    assert response["Location"] == "/reforms/effect/?before=2024-01-01&after=2024-12-31"
    assert client.get("/quotas/reduction/")["Location"] == "/reforms/effect/"
