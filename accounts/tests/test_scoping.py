"""Region scoping: one function decides what each role sees."""
import pytest

from accounts.roles import Role
from accounts.scoping import can_see_region, scope_queryset, visible_region_ids
from institutions.models import Institution, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    daoli = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)
    nangang = Region.objects.create(code="230103", name="南岗区", kind="main_urban", parent=city)
    return city, daoli, nangang


def test_district_office_sees_only_its_region(regions, make_user):
    city, daoli, nangang = regions
    user = make_user(Role.DISTRICT_OFFICE, region=daoli)

    assert visible_region_ids(user) == {daoli.pk}
    assert list(scope_queryset(Region.objects.all(), user)) == [daoli]
    assert can_see_region(user, daoli.pk)
    assert not can_see_region(user, nangang.pk)


def test_district_scoping_follows_region_path(regions, make_user):
    city, daoli, nangang = regions
    mine = Institution.objects.create(name="道里区档案馆", region=daoli)
    Institution.objects.create(name="南岗区档案馆", region=nangang)
    user = make_user(Role.DISTRICT_OFFICE, region=daoli)

    assert list(scope_queryset(Institution.objects.all(), user)) == [mine]


@pytest.mark.parametrize(
    "role", [Role.CITY_OFFICE, Role.HR_BUREAU, Role.AUDITOR, Role.ORGANISATION_DEPARTMENT, Role.FINANCE_SYSTEM]
)
def test_citywide_roles_see_everything(regions, make_user, role):
    user = make_user(role)

    assert visible_region_ids(user) is None
    assert scope_queryset(Region.objects.all(), user).count() == 3


def test_user_without_role_sees_nothing(regions, make_user):
    user = make_user(None)

    assert scope_queryset(Region.objects.all(), user).count() == 0


def test_district_user_without_region_sees_no_regional_rows(regions, make_user):
    user = make_user(Role.DISTRICT_OFFICE)

    assert scope_queryset(Institution.objects.all(), user).count() == 0


def test_anonymous_sees_nothing(regions):
    from django.contrib.auth.models import AnonymousUser

    assert scope_queryset(Region.objects.all(), AnonymousUser()).count() == 0


def test_superuser_sees_everything(regions, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.invalid", "pw")

    assert scope_queryset(Region.objects.all(), admin).count() == 3
