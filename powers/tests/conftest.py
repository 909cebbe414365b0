"""The powers tests' fixtures: the positions fixtures (哈尔滨市 with 道里区 and 南岗区, users, a document) and a few
units: the city's medical-insurance and social-insurance service centres and its medical-security bureau, 道里区's
centre and bureaus, one 南岗区 bureau."""
import pytest

from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.tests.conftest import *  # noqa: F403


@pytest.fixture
def units(city, daoli, nangang):
    return {
        "city_medical": InstitutionFactory(region=city, name="哈尔滨市医疗保障服务中心", category="administrative"),
        "city_social": InstitutionFactory(region=city, name="哈尔滨市社会保险事业中心", category="administrative"),
        "city_bureau": AgencyFactory(region=city, name="哈尔滨市医疗保障局"),
        "daoli_medical": InstitutionFactory(region=daoli, name="道里区医疗保障服务中心"),
        "daoli_bureau": AgencyFactory(region=daoli, name="道里区医疗保障局"),
        "daoli_market": AgencyFactory(region=daoli, name="道里区市场监督管理局"),
        "nangang_market": AgencyFactory(region=nangang, name="南岗区市场监督管理局"),
    }
