"""Registry models: the rules every entry path shares (full_clean), and factories that build valid rows."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from institutions.choices import InstitutionKind, InstitutionStatus, RegionKind
from institutions.models import ApprovalDocument, Institution, Region
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DivisionFactory,
    DocumentFactory,
    InstitutionFactory,
    PlaqueFactory,
    RegionFactory,
    make_credit_code,
)
from institutions.validators import credit_code_check_character, validate_credit_code

pytestmark = pytest.mark.django_db


def _errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_factories_build_rows_that_pass_full_clean():
    division = DivisionFactory()
    plaque = PlaqueFactory(institution=division.institution)
    agency = AgencyFactory(region=division.institution.region)
    document = DocumentFactory()

    for row in (division.institution.region.parent, division.institution.region, division.institution, agency,
                division, plaque, document):
        row.full_clean()
    assert division.institution.region.kind == RegionKind.MAIN_URBAN
    assert division.institution.region.parent.kind == RegionKind.CITY
    assert division.institution.region.code[:4] == division.institution.region.parent.code[:4]
    assert agency.kind == InstitutionKind.AGENCY
    assert agency.credit_code[:2] == "11"
    assert document.number == f"哈编发〔2020〕{document.serial}号"


def test_region_factory_trait_and_aliases_make_cities_and_districts():
    city = RegionFactory(city=True)
    district = RegionFactory(parent=city)

    assert (city.kind, city.parent, city.code[-2:]) == (RegionKind.CITY, None, "00")
    assert district.parent == city
    assert CityFactory().parent is None
    assert DistrictFactory(parent=city).code.startswith(city.code[:4])


def test_credit_code_check_character_is_verified():
    good = make_credit_code("230102")
    validate_credit_code(good)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_credit_code(wrong_check)

    assert caught.value.code == "credit_code_check"
    assert caught.value.messages[0] == (
        f"统一社会信用代码校验位错误（应为 {good[17]}，实为 {wrong_check[17]}）。"
    )
    assert good[17] == credit_code_check_character(good[:17])


def test_institution_supervisor_must_be_an_agency():
    institution = InstitutionFactory()
    other = InstitutionFactory(region=institution.region)
    institution.supervisor = other

    with translation.override("zh-hans"):
        errors = _errors(institution)

    assert list(errors) == ["supervisor"]
    assert errors["supervisor"] == [f"主管部门必须是行政机关，“{other.name}”不是。"]


def test_institution_supervisor_cycle_is_refused():
    top = AgencyFactory()
    middle = AgencyFactory(region=top.region, supervisor=top)
    top.supervisor = middle

    errors = _errors(top)

    assert list(errors) == ["supervisor"]
    assert "cycle" in errors["supervisor"][0] or "循环" in errors["supervisor"][0]


def test_duplicate_active_name_in_a_region_is_refused_but_an_ended_one_is_not():
    existing = InstitutionFactory()
    duplicate = Institution(name=existing.name, region=existing.region)

    with translation.override("zh-hans"):
        errors = _errors(duplicate)
    assert errors == {"name": ["本区划内已有同名的存续单位。"]}

    existing.status = InstitutionStatus.ABOLISHED
    existing.ended_on = datetime.date(2024, 1, 1)
    existing.save()
    duplicate.full_clean()


def test_document_number_is_parsed_and_built():
    document = ApprovalDocument()
    document.set_number_from("哈编发[2020]12号")

    assert (document.office_code, document.year, document.serial) == ("哈编发", 2020, 12)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        document.set_number_from("哈编发〔2020〕012号")
    assert list(caught.value.message_dict) == ["number"]
    assert caught.value.message_dict["number"][0].startswith("文号格式错误：")


def test_referenced_rows_cannot_be_deleted():
    division = DivisionFactory()
    institution = division.institution

    with pytest.raises(ProtectedError):
        institution.region.delete()
    with pytest.raises(ProtectedError):
        institution.delete()
    assert Region.objects.filter(pk=institution.region.pk).exists()
    assert Institution.objects.filter(pk=institution.pk).exists()
