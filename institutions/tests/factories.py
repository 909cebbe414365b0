"""factory_boy factories for the registry; other apps' tests build their regions and institutions with these.

Codes are valid: division codes are 6 digits (a city ends in 00, its districts share its first four digits), and
credit codes carry the right GB 32100-2015 check character. Relations stay consistent: a division or plaque belongs
to an institution, which belongs to a district under a city.
"""
from __future__ import annotations

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from institutions.choices import Category, DocumentKind, FundingForm, InstitutionKind, Rank, RegionKind
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.validators import credit_code_check_character

_city_numbers = itertools.count(1)
_credit_serials = itertools.count(1)


def next_city_code() -> str:
    """A city division code (``xxxx00``) no region in the database has yet."""
    while True:
        code = f"{110000 + 100 * (next(_city_numbers) % 8890)}"
        if not Region.objects.filter(code=code).exists():
            return code


def next_district_code(city_code: str) -> str:
    """A district code under ``city_code`` (same first four digits) that is still free."""
    taken = set(Region.objects.filter(code__startswith=city_code[:4]).values_list("code", flat=True))
    for suffix in range(2, 100):
        code = f"{city_code[:4]}{suffix:02d}"
        if code not in taken:
            return code
    raise RuntimeError(f"no free district code left under {city_code}")


def make_credit_code(region_code: str, *, agency: bool = False) -> str:
    """A valid, unique unified social credit code: 1 (staffing office), 1 agency / 2 institution, region, serial."""
    first17 = f"1{'1' if agency else '2'}{region_code}{next(_credit_serials) % 10**9:09d}"
    return first17 + credit_code_check_character(first17)


class RegionFactory(DjangoModelFactory[Region]):
    """A main-urban district under a new city; ``RegionFactory(city=True)`` gives a city level instead."""

    class Meta:
        model = Region

    class Params:
        city = factory.Trait(kind=RegionKind.CITY, parent=None)

    kind = RegionKind.MAIN_URBAN
    parent = factory.SubFactory("institutions.tests.factories.CityFactory")
    code = factory.LazyAttribute(
        lambda o: next_city_code() if o.parent is None else next_district_code(o.parent.code)
    )
    name = factory.LazyAttributeSequence(lambda o, n: f"示例市{n}（市本级）" if o.parent is None else f"示例区{n}")


class CityFactory(RegionFactory):
    kind = RegionKind.CITY
    parent = None


class DistrictFactory(RegionFactory):
    kind = RegionKind.MAIN_URBAN


class InstitutionFactory(DjangoModelFactory[Institution]):
    """An active public institution (公益一类, full appropriation) in a new district."""

    class Meta:
        model = Institution

    kind = InstitutionKind.PUBLIC_INSTITUTION
    region = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"示例事业单位{n}")
    credit_code = factory.LazyAttribute(
        lambda o: make_credit_code(o.region.code, agency=o.kind == InstitutionKind.AGENCY)
    )
    category = Category.PUBLIC_WELFARE_1
    funding_form = FundingForm.FULL
    rank = Rank.SECTION_FULL


class AgencyFactory(InstitutionFactory):
    """An administrative agency (it may supervise institutions)."""

    kind = InstitutionKind.AGENCY
    name = factory.Sequence(lambda n: f"示例局{n}")
    category = Category.UNCLASSIFIED
    rank = Rank.DIVISION_FULL


class DivisionFactory(DjangoModelFactory[InternalDivision]):
    class Meta:
        model = InternalDivision

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"综合科{n}")
    rank = Rank.UNIT_FULL
    quota_count = 3


class PlaqueFactory(DjangoModelFactory[Plaque]):
    class Meta:
        model = Plaque

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"示例加挂牌子{n}")


class DocumentFactory(DjangoModelFactory[ApprovalDocument]):
    """A reply 哈编发〔2020〕N号 issued and effective on 1 March of its year."""

    class Meta:
        model = ApprovalDocument

    issuer = "哈尔滨市机构编制委员会"
    office_code = "哈编发"
    year = 2020
    serial = factory.Sequence(lambda n: n + 1)
    kind = DocumentKind.REPLY
    title = factory.Sequence(lambda n: f"关于示例事项的批复（{n}）")
    date_issued = factory.LazyAttribute(lambda o: datetime.date(o.year, 3, 1))
    date_effective = factory.LazyAttribute(lambda o: o.date_issued)
