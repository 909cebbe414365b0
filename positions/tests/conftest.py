"""Positions fixtures: a city with a district, users by role, documents, and quotas funded through the ledger."""
from __future__ import annotations

import datetime

import pytest

from accounts.roles import Role
from institutions.tests.factories import CityFactory, DistrictFactory, DocumentFactory, InstitutionFactory
from quotas import services as ledger

DAY = datetime.date(2024, 1, 2)


@pytest.fixture
def city(db):
    return CityFactory(code="230100", name="哈尔滨市（市本级）")


@pytest.fixture
def daoli(city):
    return DistrictFactory(parent=city, code="230102", name="道里区")


@pytest.fixture
def nangang(city):
    return DistrictFactory(parent=city, code="230103", name="南岗区")


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CITY_OFFICE)


@pytest.fixture
def hr_user(make_user):
    return make_user(Role.HR_BUREAU)


@pytest.fixture
def document(db):
    return DocumentFactory(office_code="哈编发", year=2024, serial=1, title="关于核定编制的批复",
                           date_issued=DAY, date_effective=DAY)


@pytest.fixture
def filing(db):
    """The HR bureau's filing document of position plans."""
    return DocumentFactory(issuer="哈尔滨市人力资源和社会保障局", office_code="哈人社发", year=2024, serial=7,
                           title="关于事业单位岗位设置方案备案的通知", date_issued=DAY, date_effective=DAY)


@pytest.fixture
def fund(clerk, document):
    """``fund(unit, amount)``: grant ``amount`` to the unit's region pool and allocate it to the unit (ledger)."""
    quota_type = ledger.quota_type_get()

    def give(unit, amount: int, on: datetime.date = DAY):
        pool = ledger.account_for_region(region=unit.region, quota_type=quota_type)
        account = ledger.account_for_institution(institution=unit, quota_type=quota_type)
        ledger.quota_grant(target=pool, amount=amount, document=document, effective_date=on, by=clerk)
        ledger.quota_allocate(source=pool, target=account, amount=amount, document=document, effective_date=on,
                              by=clerk)
        return account

    return give


@pytest.fixture
def unit(daoli):
    return InstitutionFactory(region=daoli, name="道里区图书馆")
