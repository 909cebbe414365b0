"""The standards tests' fixtures: the positions fixtures (a city with 道里区 and 南岗区, users, a document, funding
through the ledger) and a small city worked by hand.

The city (``standards_city``):
  道里区: a fixed cap of 1 and two public institutions (甲 and 乙): over by 1. 甲 holds 20 quotas (granted and
          allocated through ``quotas.services``) in 3 internal divisions: 20 / 3 = 6.67 a division, under 8 (shown
          6.7). 乙 is a school with a service figure of 2024.
  南岗区: a derived cap: 30 must-exist public institutions, 40 administrative agencies, coefficient 1.2, the city
          level's reduction 0.193, factor 1: 30 + ⌊1.2 × 40 × 0.807 × 1⌋ = 30 + ⌊38.736⌋ = 68, against 30 public
          institutions (within the cap). Its hospital (one of the 30) has a service figure too.
"""
from decimal import Decimal

import pytest

from institutions.choices import MustExistReason, ReservedClass
from institutions.tests.factories import AgencyFactory, DivisionFactory, InstitutionFactory
from positions.tests.conftest import *  # noqa: F403
from standards.models import CapMethod, FigureKind, InstitutionCap, ServiceFigure


@pytest.fixture
def standards_city(daoli, nangang, fund, document):
    a = InstitutionFactory(region=daoli, name="道里区甲中心")
    b = InstitutionFactory(region=daoli, name="道里区第一小学", reserved_class=ReservedClass.SCHOOL)
    fund(a, 20)
    divisions = [DivisionFactory(institution=a, name=f"第{n}科") for n in (1, 2, 3)]
    InstitutionCap.objects.create(region=daoli, method=CapMethod.FIXED, cap=1, document=document)
    hospital = InstitutionFactory(region=nangang, name="南岗区人民医院", must_exist_reason=MustExistReason.BY_LAW,
                                  reserved_class=ReservedClass.PUBLIC_HOSPITAL)
    for n in range(29):
        InstitutionFactory(region=nangang, name=f"南岗区必设单位{n}", must_exist_reason=MustExistReason.BY_LAW)
    for n in range(40):
        AgencyFactory(region=nangang, name=f"南岗区局{n}")
    InstitutionCap.objects.create(region=nangang, method=CapMethod.DERIVED, coefficient=Decimal("1.2"),
                                  city_reduction=Decimal("0.193"), factor=Decimal(1))
    figures = {
        "daoli": ServiceFigure.objects.create(institution=b, year=2024, figure=FigureKind.STUDENTS_PRIMARY,
                                              value=190, source="道里区教育局2024年统计"),
        "nangang": ServiceFigure.objects.create(institution=hospital, year=2024, figure=FigureKind.BEDS, value=100,
                                                source="南岗区卫健局2024年统计"),
    }
    return {"daoli": daoli, "nangang": nangang, "a": a, "b": b, "divisions": divisions, "figures": figures,
            "caps": {cap.region_id: cap for cap in InstitutionCap.objects.all()}}
