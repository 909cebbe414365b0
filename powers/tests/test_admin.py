"""The admin of the power lists: the same rules as the services (a devolved item without its receiver refused, the
chain's checkboxes kept in order), a district office's changelist its own region's rows only."""
import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.roles import Role
from powers import services
from powers.models import PowerItem

pytestmark = pytest.mark.django_db


def staff_client(make_user, role, region=None) -> Client:
    user = make_user(role, region=region)
    user.is_staff = True
    user.save()
    assert Group.objects.filter(name=role, user=user).exists()
    client = Client()
    client.force_login(user)
    return client


def form(holder, **extra):
    return {"name": "医保基金监督检查", "power_type": "penalty", "code": "JC-1", "holder": holder.pk,
            "legal_basis": "", "article": "", "accountability": "", "remarks": "", "disposition": "kept",
            "receiver": "", "cleanup_reason": "", "document": "", **extra}


def test_the_city_office_adds_items_with_the_services_rules(make_user, units):
    client = staff_client(make_user, Role.CITY_OFFICE)
    url = "/admin/powers/poweritem/add/"
    refused = client.post(url, form(units["city_medical"], disposition="devolved"))
    assert refused.status_code == 200 and "receiver" in refused.context["adminform"].form.errors
    assert PowerItem.objects.count() == 0
    saved = client.post(url, form(units["city_medical"], responsibility_steps=["decision", "filing"]))
    assert saved.status_code == 302
    item = PowerItem.objects.get()
    assert item.responsibility_steps == ["filing", "decision"] and item.region == units["city_medical"].region


def test_a_district_office_sees_its_own_regions_items(make_user, units, daoli):
    services.power_item_create(holder=units["city_medical"], code="A", name="甲", power_type="other")
    own = services.power_item_create(holder=units["daoli_bureau"], code="B", name="乙", power_type="other")
    client = staff_client(make_user, Role.DISTRICT_OFFICE, region=daoli)
    page = client.get("/admin/powers/poweritem/")
    assert page.status_code == 200 and list(page.context["cl"].result_list) == [own]
