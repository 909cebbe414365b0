"""The mandates tests' world, small enough to work by hand.

A city with two districts (道里区 and 南岗区). In 道里区 an agency (道里区人力资源和社会保障局) sponsors
道里区医疗保险服务中心, which has two internal divisions (综合科 1正1副, 待遇审核科 1正0副), leadership
posts 1正2副, and holds 20 institutional quotas allocated on 2024-01-02 (through ``quotas.services``).
南岗区 has one unit of its own.
"""
from __future__ import annotations

import datetime

import pytest

from accounts.roles import Role
from institutions.choices import Category, FundingForm
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DivisionFactory,
    DocumentFactory,
    InstitutionFactory,
)
from quotas import services as ledger

DAY = datetime.date(2024, 1, 2)


@pytest.fixture
def city(db):
    return CityFactory(name="哈尔滨市（市本级）")


@pytest.fixture
def daoli(city):
    return DistrictFactory(parent=city, name="道里区")


@pytest.fixture
def nangang(city):
    return DistrictFactory(parent=city, name="南岗区")


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CITY_OFFICE)


@pytest.fixture
def daoli_office(make_user, daoli):
    return make_user(Role.DISTRICT_OFFICE, region=daoli)


@pytest.fixture
def nangang_office(make_user, nangang):
    return make_user(Role.DISTRICT_OFFICE, region=nangang)


@pytest.fixture
def bureau(daoli):
    return AgencyFactory(region=daoli, name="道里区人力资源和社会保障局")


@pytest.fixture
def centre(daoli, bureau):
    unit = InstitutionFactory(region=daoli, name="道里区医疗保险服务中心", supervisor=bureau,
                              category=Category.PUBLIC_WELFARE_1, funding_form=FundingForm.FULL,
                              leadership_principal=1, leadership_deputy=2)
    DivisionFactory(institution=unit, name="综合科", leadership_principal=1, leadership_deputy=1)
    DivisionFactory(institution=unit, name="待遇审核科", leadership_principal=1, leadership_deputy=0)
    return unit


@pytest.fixture
def fund(clerk):
    """``fund(unit, amount, on)``: grant to the unit's region pool and allocate to the unit."""
    def move(unit, amount, on=DAY, kind="allocate"):
        quota_type = ledger.quota_type_get()
        pool = ledger.account_for_region(region=unit.region, quota_type=quota_type)
        account = ledger.account_for_institution(institution=unit, quota_type=quota_type)
        document = DocumentFactory(region=unit.region, year=on.year, date_issued=on)
        if kind == "allocate":
            ledger.quota_grant(target=pool, amount=amount, document=document, effective_date=on, by=clerk)
            return ledger.quota_allocate(source=pool, target=account, amount=amount, document=document,
                                         effective_date=on, by=clerk)
        return ledger.quota_reclaim(source=account, target=pool, amount=amount, document=document,
                                    effective_date=on, by=clerk)

    return move


@pytest.fixture
def funded_centre(centre, fund):
    fund(centre, 20)
    return centre


@pytest.fixture
def document_on(daoli):
    """``document_on(date)``: an approval document issued (and effective) on ``date``."""
    def make(day, region=None):
        return DocumentFactory(region=region or daoli, year=day.year, date_issued=day)

    return make


DUTIES = ["负责本区医疗保险参保登记工作", "负责医疗保险待遇审核和支付工作"]
DIVISIONS = [{"name": "综合科", "duties": ["负责文电、会务、财务和后勤工作"]},
             {"name": "待遇审核科", "duties": ["负责医疗保险待遇审核"]}]


@pytest.fixture
def mandate_fields():
    return {"nature": "道里区人力资源和社会保障局所属公益一类事业单位", "duties": list(DUTIES),
            "function_shift": "推进医保经办服务便民化。", "divisions": [dict(entry) for entry in DIVISIONS],
            "affiliated_units": [], "other_matters": ""}


def charter_texts() -> dict:
    return {"address": "哈尔滨市道里区经纬街1号", "opening_funds": "50.00", "purpose": "为参保群众提供医疗保险经办服务",
            "business_scope": "医疗保险参保登记、待遇审核与支付", "party_role": "党支部发挥战斗堡垒作用",
            "decision_making": "实行主任负责制，重大事项集体研究决定",
            "democratic_management": "实行职工代表大会制度，接受举办单位监督",
            "asset_management": "资产属国有资产，依法管理", "information_disclosure": "依法公开年度报告和服务事项",
            "amendment_procedure": "章程修改经主任办公会通过后报举办单位审核、登记管理机关核准",
            "termination": "终止前清算，剩余财产按国有资产管理规定处置"}
