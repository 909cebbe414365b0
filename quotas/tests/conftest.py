"""Ledger fixtures: a city with two districts, institutions, a document and funded accounts."""
import datetime

import pytest

from institutions.models import ApprovalDocument, Institution, Region
from quotas import services

DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def city_regions(db):
    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    daoli = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)
    yilan = Region.objects.create(code="230123", name="依兰县", kind="county", parent=city)
    return city, daoli, yilan


@pytest.fixture
def document(db):
    return ApprovalDocument.objects.create(
        issuer="哈尔滨市机构编制委员会", office_code="哈编发", year=2024, serial=1, title="关于核定编制的批复",
        date_issued=DAY, date_effective=DAY,
    )


@pytest.fixture
def make_document(db):
    counter = {"serial": 100}

    def make(**extra):
        counter["serial"] += 1
        values = {
            "issuer": "哈尔滨市机构编制委员会", "office_code": "哈编发", "year": 2024, "serial": counter["serial"],
            "title": "批复", "date_issued": DAY, "date_effective": DAY,
        }
        values.update(extra)
        return ApprovalDocument.objects.create(**values)

    return make


@pytest.fixture
def ledger(city_regions, document, django_user_model):
    """Province grants 100 to 道里区's pool; 40 allocated to its archive, 10 to its library."""
    city, daoli, yilan = city_regions
    clerk = django_user_model.objects.create_user("clerk", password="pw")
    quota_type = services.quota_type_get()
    archive = Institution.objects.create(name="道里区档案馆", region=daoli, staff_in_quota=35)
    library = Institution.objects.create(name="道里区图书馆", region=daoli, staff_in_quota=10)
    county_school = Institution.objects.create(name="依兰县第一中学", region=yilan, reserved_class="school")
    pool = services.account_for_region(region=daoli, quota_type=quota_type)
    archive_account = services.account_for_institution(institution=archive, quota_type=quota_type)
    library_account = services.account_for_institution(institution=library, quota_type=quota_type)
    services.quota_grant(target=pool, amount=100, document=document, effective_date=DAY, by=clerk)
    services.quota_allocate(source=pool, target=archive_account, amount=40, document=document, effective_date=DAY,
                            by=clerk)
    services.quota_allocate(source=pool, target=library_account, amount=10, document=document, effective_date=DAY,
                            by=clerk)
    return {
        "city": city, "daoli": daoli, "yilan": yilan, "clerk": clerk, "quota_type": quota_type,
        "archive": archive, "library": library, "county_school": county_school, "pool": pool,
        "archive_account": archive_account, "library_account": library_account, "document": document,
        "province": services.account_for_province(quota_type=quota_type),
    }


def balances():
    """Every account's stored balance and the transfer count: what a refused move must leave alone."""
    from quotas.models import QuotaAccount, QuotaTransfer

    return dict(QuotaAccount.objects.values_list("pk", "balance")), QuotaTransfer.objects.count()
